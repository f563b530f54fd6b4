"""who recorded each record: an author on suppliers, contacts, issues and the rest

Revision ID: 0004
Revises: 0003

Interactions have carried their author since 0001; this gives the same nullable column
to every other record a buyer writes, so a team on one journal can see who logged what.
Rows written before this revision keep NULL: who entered them is not known, and a guess
would read as a fact. Adding a nullable column is a plain ALTER TABLE on SQLite and on
PostgreSQL (batch mode recreates no table for it), so the upgrade is quick on any size.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = (
    "supplier",
    "contact",
    "issue",
    "followup",
    "sourcing_project",
    "candidate",
    "status_report",
)


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("author", sa.String(), nullable=True))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("author")
