"""initial schema

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

FTS_SQLITE = [
    "CREATE VIRTUAL TABLE interaction_fts USING fts5("
    "note, content='interaction', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER interaction_fts_ai AFTER INSERT ON interaction BEGIN "
    "INSERT INTO interaction_fts(rowid, note) VALUES (new.id, new.note); END",
    "CREATE TRIGGER interaction_fts_ad AFTER DELETE ON interaction BEGIN "
    "INSERT INTO interaction_fts(interaction_fts, rowid, note) "
    "VALUES ('delete', old.id, old.note); END",
    "CREATE TRIGGER interaction_fts_au AFTER UPDATE OF note ON interaction BEGIN "
    "INSERT INTO interaction_fts(interaction_fts, rowid, note) "
    "VALUES ('delete', old.id, old.note); "
    "INSERT INTO interaction_fts(rowid, note) VALUES (new.id, new.note); END",
]


def upgrade() -> None:
    op.create_table(
        "sourcing_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sourcing_project")),
        sa.UniqueConstraint("name_key", name=op.f("uq_sourcing_project_name_key")),
    )
    op.create_table(
        "supplier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("category", sa.String(), nullable=True),
        sa.Column("size", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("access", sa.String(), nullable=False),
        sa.Column("profit_impact", sa.String(), nullable=True),
        sa.Column("supply_risk", sa.String(), nullable=True),
        sa.Column("annual_spend", sa.Float(), nullable=True),
        sa.Column("supplier_revenue", sa.Float(), nullable=True),
        sa.Column("cadence_days", sa.Integer(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier")),
        sa.UniqueConstraint("name_key", name=op.f("uq_supplier_name_key")),
    )
    op.create_table(
        "candidate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["sourcing_project.id"],
            name=op.f("fk_candidate_project_id_sourcing_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_candidate_supplier_id_supplier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate")),
        sa.UniqueConstraint("project_id", "supplier_id", name="uq_candidate_project_supplier"),
    )
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_candidate_supplier_id"), ["supplier_id"], unique=False)

    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_contact_supplier_id_supplier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
        sa.UniqueConstraint("supplier_id", "name_key", name="uq_contact_supplier_name"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_supplier_id"), ["supplier_id"], unique=False)

    op.create_table(
        "interaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("initiator", sa.String(), nullable=False),
        sa.Column("duration_min", sa.Integer(), nullable=True),
        sa.Column("tone", sa.Integer(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_interaction_supplier_id_supplier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction")),
    )
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.create_index(
            "ix_interaction_supplier_occurred",
            ["supplier_id", "occurred_at", "channel", "initiator", "tone"],
            unique=False,
        )

    op.create_table(
        "status_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("report_date", sa.Date(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_status_report_supplier_id_supplier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_report")),
        sa.UniqueConstraint("supplier_id", "report_date", name="uq_status_report_day"),
    )
    op.create_table(
        "candidate_stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_candidate_stage_candidate_id_candidate"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_stage")),
    )
    with op.batch_alter_table("candidate_stage", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_stage_candidate_id"), ["candidate_id"], unique=False
        )

    op.create_table(
        "followup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_followup_interaction_id_interaction"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_followup_supplier_id_supplier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup")),
    )
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.create_index(
            "ix_followup_supplier_owner", ["supplier_id", "owner", "due"], unique=False
        )

    op.create_table(
        "interaction_contact",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_interaction_contact_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_interaction_contact_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "interaction_id", "contact_id", name=op.f("pk_interaction_contact")
        ),
    )
    with op.batch_alter_table("interaction_contact", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interaction_contact_contact_id"), ["contact_id"], unique=False
        )

    op.create_table(
        "interaction_tactic",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("tactic", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_interaction_tactic_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", "tactic", name=op.f("pk_interaction_tactic")),
    )
    op.create_table(
        "issue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("escalated_at", sa.DateTime(), nullable=True),
        sa.Column("escalated_to_id", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("resolution", sa.String(), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["escalated_to_id"],
            ["contact.id"],
            name=op.f("fk_issue_escalated_to_id_contact"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_issue_interaction_id_interaction"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_issue_supplier_id_supplier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue")),
    )
    with op.batch_alter_table("issue", schema=None) as batch_op:
        batch_op.create_index("ix_issue_supplier_status", ["supplier_id", "status"], unique=False)

    op.create_table(
        "status_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("report_date", sa.Date(), nullable=False),
        sa.Column("po", sa.String(), nullable=False),
        sa.Column("line", sa.String(), nullable=False),
        sa.Column("item", sa.String(), nullable=True),
        sa.Column("qty_ordered", sa.Float(), nullable=False),
        sa.Column("qty_received", sa.Float(), nullable=False),
        sa.Column("promised_date", sa.Date(), nullable=True),
        sa.Column("received_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["status_report.id"],
            name=op.f("fk_status_line_report_id_status_report"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_status_line_supplier_id_supplier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_line")),
    )
    with op.batch_alter_table("status_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_status_line_report_id"), ["report_id"], unique=False)
        batch_op.create_index(
            "ix_status_line_supplier_po", ["supplier_id", "po", "line"], unique=False
        )

    if op.get_bind().dialect.name == "sqlite":
        # full-text index over notes, kept in step with the interaction table by triggers
        for statement in FTS_SQLITE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS interaction_fts")
    with op.batch_alter_table("status_line", schema=None) as batch_op:
        batch_op.drop_index("ix_status_line_supplier_po")
        batch_op.drop_index(batch_op.f("ix_status_line_report_id"))

    op.drop_table("status_line")
    with op.batch_alter_table("issue", schema=None) as batch_op:
        batch_op.drop_index("ix_issue_supplier_status")

    op.drop_table("issue")
    op.drop_table("interaction_tactic")
    with op.batch_alter_table("interaction_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_contact_contact_id"))

    op.drop_table("interaction_contact")
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.drop_index("ix_followup_supplier_owner")

    op.drop_table("followup")
    with op.batch_alter_table("candidate_stage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_stage_candidate_id"))

    op.drop_table("candidate_stage")
    op.drop_table("status_report")
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_supplier_occurred")

    op.drop_table("interaction")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_supplier_id"))

    op.drop_table("contact")
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_supplier_id"))

    op.drop_table("candidate")
    op.drop_table("supplier")
    op.drop_table("sourcing_project")
