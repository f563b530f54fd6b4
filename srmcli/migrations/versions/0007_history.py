"""the history of changes: one append-only table, `history`

Revision ID: 0007
Revises: 0005

Every write that changes or removes a record appends a row here in its own transaction:
when, who, which record (type and id), its supplier (id and name, kept even once the
supplier is gone), the action, and the fields before and after as JSON (a removal keeps
the whole record with its links, which is what `srm undo` puts back). Creating a table
touches no existing row, so the upgrade is instant on any journal.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _document() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(), nullable=True),
        sa.Column("record_type", sa.String(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("supplier_name", sa.String(), nullable=True),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("undoes", sa.Integer(), nullable=True),
        sa.Column("before", _document(), nullable=True),
        sa.Column("after", _document(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history")),
    )
    op.create_index("ix_history_record", "history", ["record_type", "record_id", "id"])
    op.create_index("ix_history_supplier", "history", ["supplier_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_history_supplier", table_name="history")
    op.drop_index("ix_history_record", table_name="history")
    op.drop_table("history")
