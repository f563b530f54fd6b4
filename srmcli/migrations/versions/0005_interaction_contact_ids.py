"""who took part, on the interaction itself: interaction.contact_ids

Revision ID: 0005
Revises: 0004

An export of interactions named each row's people through a correlated lookup into
`interaction_contact`, a B-tree seek per interaction: about 0.45 s of a 1M-row export.
The interaction now keeps its contact ids as a JSON list in ascending order, filled here
from the link rows (which stay the truth the scores count). Adding a column with a
default is a plain ALTER TABLE on SQLite and PostgreSQL; one UPDATE then fills the
interactions that have people (on SQLite with the very text `srm log` stores).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "interaction",
        sa.Column("contact_ids", sa.JSON(), nullable=False, server_default="[]"),
    )
    if op.get_bind().dialect.name == "sqlite":
        # the text json.dumps writes for a list of ids ("[3, 7]"), as `srm log` stores it
        op.execute(
            "UPDATE interaction SET contact_ids = '[' || (SELECT group_concat(contact_id, ', ')"
            " FROM (SELECT contact_id FROM interaction_contact"
            " WHERE interaction_id = interaction.id ORDER BY contact_id)) || ']'"
            " WHERE id IN (SELECT interaction_id FROM interaction_contact)"
        )
    else:
        op.execute(
            "UPDATE interaction SET contact_ids = people.ids FROM (SELECT interaction_id,"
            " json_agg(contact_id ORDER BY contact_id) AS ids FROM interaction_contact"
            " GROUP BY interaction_id) AS people WHERE interaction.id = people.interaction_id"
        )


def downgrade() -> None:
    # a plain DROP COLUMN (SQLite 3.35+, PostgreSQL): batch mode would rebuild the table
    # and lose the full-text triggers on it
    op.execute("ALTER TABLE interaction DROP COLUMN contact_ids")
