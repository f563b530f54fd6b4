"""full-text index over interaction notes on PostgreSQL

Revision ID: 0002
Revises: 0001

`srm search` on PostgreSQL matches `to_tsvector('simple', note)` against a prefix
tsquery; this GIN index over that very expression lets it answer from the index instead
of parsing every note. The 'simple' configuration needs no extension and does no
stemming or accent folding, so it works on any server a team is given. SQLite already
has its FTS5 table from 0001, so there this revision changes nothing.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# the expression must be written exactly as search() writes it, or the planner ignores it
INDEX = "ix_interaction_note_fts"
EXPRESSION = "to_tsvector('simple', note)"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON interaction USING gin ({EXPRESSION})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
