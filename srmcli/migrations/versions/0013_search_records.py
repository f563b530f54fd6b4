"""full-text search over tags, issue descriptions and resolutions, and follow-up texts

Revision ID: 0013
Revises: 0008

`srm search` finds what a buyer wrote anywhere, not only in notes (SPEC §10). SQLite:
three FTS5 tables over the records' own columns (external content, like the notes'
`interaction_fts`, with the same tokenizer), kept by triggers and built from the rows
already there. PostgreSQL: GIN indexes over the very `to_tsvector('simple', …)`
expressions the search writes, as 0002 did for notes. Tags are indexed as their stored
JSON text, which both tokenizers split into the tags' words.
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None

TOKENIZER = "tokenize='unicode61 remove_diacritics 2'"

# name -> (table, indexed columns)
SQLITE_TABLES = {
    "interaction_tag_fts": ("interaction", ("tags",)),
    "issue_fts": ("issue", ("description", "resolution")),
    "followup_fts": ("followup", ("text",)),
}

# The expressions must be written exactly as services/search.py writes them, or the
# planner ignores the index. They go through revision 0010's `srm_note_words`, which reads
# text as SQLite's FTS5 does (punctuation and signs as spaces, case and accents folded),
# so both backends find the same records.
POSTGRES_INDEXES = {
    "ix_interaction_tags_fts": ("interaction", "srm_note_words(tags::text)"),
    "ix_issue_text_fts": (
        "issue",
        "srm_note_words(coalesce(description, '') || ' ' || coalesce(resolution, ''))",
    ),
    "ix_followup_text_fts": ("followup", "srm_note_words(text)"),
}


def _sqlite_statements(name: str, table: str, columns: tuple[str, ...]) -> list[str]:
    # `content='interaction'` in single quotes for the tags: sqlite-utils and Datasette
    # detect a table's full-text index by `content="…"`, and the interaction's must stay
    # the notes' (`interaction_fts`, revision 0006)
    quote = "'" if table == "interaction" else '"'

    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert = f"INSERT INTO {name}(rowid, {names}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {name}({name}, rowid, {names}) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE VIRTUAL TABLE {name} USING fts5({names}, content={quote}{table}{quote}, "
        f"content_rowid={quote}id{quote}, {TOKENIZER})",
        f"CREATE TRIGGER {name}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {name}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {name}_au AFTER UPDATE OF {names} ON {table} BEGIN {delete} {insert} END",
        f"INSERT INTO {name}({name}) VALUES ('rebuild')",
    ]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name, (table, columns) in SQLITE_TABLES.items():
            for statement in _sqlite_statements(name, table, columns):
                op.execute(statement)
    elif dialect == "postgresql":
        for index, (table, expression) in POSTGRES_INDEXES.items():
            op.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({expression})")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in SQLITE_TABLES:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {name}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {name}")
    elif dialect == "postgresql":
        for index in POSTGRES_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {index}")
