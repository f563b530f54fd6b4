"""the calls that belong to an issue: issue_interaction

Revision ID: 0008
Revises: 0005

`srm log --for-issue ID` links a call to the open issue it was about, so the issue's
trail shows every call made for it. A new link table (issue id, interaction id), both
sides removed with either record; nothing existing changes, so the upgrade is instant on
any size of journal. Why a table and not a column on interaction: see the model.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "issue_interaction",
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_issue_interaction_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issue.id"],
            name=op.f("fk_issue_interaction_issue_id_issue"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("issue_id", "interaction_id", name=op.f("pk_issue_interaction")),
    )
    op.create_index(
        op.f("ix_issue_interaction_interaction_id"),
        "issue_interaction",
        ["interaction_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_issue_interaction_interaction_id"), table_name="issue_interaction")
    op.drop_table("issue_interaction")
