"""a supplier's own status-report headers, and changes brought in from another journal

Revision ID: 0009
Revises: 0008

`srm status import --map COLUMN=HEADER` names a column the way that supplier's reports
do; the names are remembered per supplier in `status_header` (supplier id, column,
header), removed with the supplier. `srm import history` brings in the changes of the
journal an export came from; `history.imported_at` marks them, because their record
ids are that journal's and must never be undone here. A new table and a nullable
column touch no existing row, so the upgrade is instant on any journal.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_header",
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(), nullable=False),
        sa.Column("header", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_status_header_supplier_id_supplier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("supplier_id", "column", name=op.f("pk_status_header")),
    )
    with op.batch_alter_table("history") as batch:
        batch.add_column(sa.Column("imported_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("history") as batch:
        batch.drop_column("imported_at")
    op.drop_table("status_header")
