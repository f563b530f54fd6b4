"""when each link happened: occurred_at on interaction_contact and interaction_tactic

Revision ID: 0003
Revises: 0002

The contact map, the key roles reached and the tactics list walked every interaction of
a year (or of all time) to learn when each person was last seen or each tactic last
used. Copying the interaction's `occurred_at` (and, for tactics, its `supplier_id`) onto
the link rows lets one index seek answer each: `(contact_id, occurred_at)` and
`(supplier_id, tactic, occurred_at)`. An interaction's date and supplier never change
once logged, so the copies cannot drift; `srm db check` verifies them all the same.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interaction_contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("occurred_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("interaction_tactic", schema=None) as batch_op:
        batch_op.add_column(sa.Column("supplier_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("occurred_at", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE interaction_contact SET occurred_at = (SELECT i.occurred_at FROM interaction i"
        " WHERE i.id = interaction_contact.interaction_id)"
    )
    op.execute(
        "UPDATE interaction_tactic SET"
        " supplier_id = (SELECT i.supplier_id FROM interaction i"
        " WHERE i.id = interaction_tactic.interaction_id),"
        " occurred_at = (SELECT i.occurred_at FROM interaction i"
        " WHERE i.id = interaction_tactic.interaction_id)"
    )
    with op.batch_alter_table("interaction_contact", schema=None) as batch_op:
        batch_op.alter_column("occurred_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.drop_index("ix_interaction_contact_contact_id")
        batch_op.create_index(
            "ix_interaction_contact_contact_occurred", ["contact_id", "occurred_at"], unique=False
        )
    with op.batch_alter_table("interaction_tactic", schema=None) as batch_op:
        batch_op.alter_column("supplier_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("occurred_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.create_index(
            "ix_interaction_tactic_supplier_tactic",
            ["supplier_id", "tactic", "occurred_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("interaction_tactic", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_tactic_supplier_tactic")
        batch_op.drop_column("occurred_at")
        batch_op.drop_column("supplier_id")
    with op.batch_alter_table("interaction_contact", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_contact_contact_occurred")
        batch_op.create_index("ix_interaction_contact_contact_id", ["contact_id"], unique=False)
        batch_op.drop_column("occurred_at")
