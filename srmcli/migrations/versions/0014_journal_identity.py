"""who the journal is: `journal` (one random uid)

Revision ID: 0014
Revises: 0008

Calendar to-dos (`srm today -f ics`, `srm followup list --ics`) need UIDs that stay the
same from one export to the next and differ between journals; they are derived from this
one random id and the record's own. Creating a table and its one row touches nothing
else, so the upgrade is instant on any journal.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    journal = op.create_table(
        "journal",
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_journal")),
    )
    op.bulk_insert(
        journal,
        [{"uid": str(uuid.uuid4()), "created_at": datetime.now().replace(microsecond=0)}],
    )


def downgrade() -> None:
    op.drop_table("journal")
