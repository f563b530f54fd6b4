"""capture from calendar, mail and address book: supplier.domains and capture_key

Revision ID: 0011
Revises: 0008

Suppliers gain the email domains of their people (a JSON list, `[]` for every existing
supplier), so a meeting or a message can be told to be theirs by an address's domain.
`capture_key` remembers which calendar occurrence or email became which interaction, so
that importing the same file twice adds nothing. Both are additions: adding a column
with a default is a plain ALTER TABLE on SQLite and PostgreSQL, nothing is rebuilt.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # jsonb on PostgreSQL, like every JSON column since revision 0010
    kind = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    op.add_column("supplier", sa.Column("domains", kind, nullable=False, server_default="[]"))
    op.create_table(
        "capture_key",
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_capture_key_interaction_id_interaction"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_capture_key_supplier_id_supplier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("supplier_id", "key", name=op.f("pk_capture_key")),
    )
    op.create_index(
        op.f("ix_capture_key_interaction_id"), "capture_key", ["interaction_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_capture_key_interaction_id"), table_name="capture_key")
    op.drop_table("capture_key")
    # a plain DROP COLUMN (SQLite 3.35+, PostgreSQL): batch mode would rebuild the table
    op.execute("ALTER TABLE supplier DROP COLUMN domains")
