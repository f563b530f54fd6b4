"""stored JSON as UTF-8; the SQLite full-text table declared so tools detect it

Revision ID: 0006
Revises: 0005

Aliases, tags and contact ids were written by `json.dumps` with its default ASCII escapes
(`["pr\\u00e4zision"]`), so SQL over the journal (`tags LIKE '%präzision%'`, Datasette,
sqlite-utils) did not find accented values. srm now writes them as UTF-8; this revision
rewrites the rows written before, on SQLite and PostgreSQL alike (a PostgreSQL `json`
column keeps the text exactly as it was given, escapes included). Only rows holding an
escape are read, so a journal without any costs one scan per column.

SQLite only: the FTS5 table over notes is declared again with `content="interaction"`
(0001 wrote `content='interaction'`, which sqlite-utils' and Datasette's full-text
detection does not match), its index rebuilt from the notes and its triggers recreated.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# every JSON column of the schema at this revision
JSON_COLUMNS = (
    ("supplier", "aliases"),
    ("supplier", "tags"),
    ("interaction", "tags"),
    ("interaction", "contact_ids"),
)

TRIGGERS = [
    "CREATE TRIGGER interaction_fts_ai AFTER INSERT ON interaction BEGIN "
    "INSERT INTO interaction_fts(rowid, note) VALUES (new.id, new.note); END",
    "CREATE TRIGGER interaction_fts_ad AFTER DELETE ON interaction BEGIN "
    "INSERT INTO interaction_fts(interaction_fts, rowid, note) "
    "VALUES ('delete', old.id, old.note); END",
    "CREATE TRIGGER interaction_fts_au AFTER UPDATE OF note ON interaction BEGIN "
    "INSERT INTO interaction_fts(interaction_fts, rowid, note) "
    "VALUES ('delete', old.id, old.note); "
    "INSERT INTO interaction_fts(rowid, note) VALUES (new.id, new.note); END",
]

TOKENIZER = "tokenize='unicode61 remove_diacritics 2'"
FTS_DETECTABLE = (
    'CREATE VIRTUAL TABLE interaction_fts USING fts5(note, content="interaction", '
    f'content_rowid="id", {TOKENIZER})'
)
FTS_0001 = (
    "CREATE VIRTUAL TABLE interaction_fts USING fts5(note, content='interaction', "
    f"content_rowid='id', {TOKENIZER})"
)


def _utf8(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _ascii(value: Any) -> str:
    return json.dumps(value)


def _rewrite_json(spell: Callable[[Any], str]) -> None:
    """Every JSON value written again by `spell`, where that changes its text."""
    bind = op.get_bind()
    # a PostgreSQL json column takes text only through a cast; SQLite keeps text as is
    # (and would turn CAST(... AS json) into a number)
    value = "CAST(:text AS json)" if bind.dialect.name == "postgresql" else ":text"
    for table, column in JSON_COLUMNS:
        stored = f"CAST({column} AS TEXT)"
        if spell is _utf8:  # only text with an escape can change
            where = f"{stored} LIKE :escape ESCAPE '!'"
        else:  # only text beyond ASCII can change
            where = f"{stored} <> '[]'"
        found = sa.text(f"SELECT id, {stored} FROM {table} WHERE {where}")
        rows = bind.execute(found, {"escape": "%\\u%"} if spell is _utf8 else {}).all()
        changed = []
        for row_id, text in rows:
            again = spell(json.loads(text))
            if again == text:
                continue
            try:
                again.encode("utf-8")
            except UnicodeEncodeError:  # an escaped lone surrogate stays escaped
                continue
            changed.append({"id": row_id, "text": again})
        if changed:
            bind.execute(sa.text(f"UPDATE {table} SET {column} = {value} WHERE id = :id"), changed)


def _declare_fts(create: str) -> None:
    for name in ("interaction_fts_ai", "interaction_fts_ad", "interaction_fts_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS interaction_fts")
    op.execute(create)
    for statement in TRIGGERS:
        op.execute(statement)
    op.execute("INSERT INTO interaction_fts(interaction_fts) VALUES ('rebuild')")


def upgrade() -> None:
    _rewrite_json(_utf8)
    if op.get_bind().dialect.name == "sqlite":
        _declare_fts(FTS_DETECTABLE)


def downgrade() -> None:
    _rewrite_json(_ascii)
    if op.get_bind().dialect.name == "sqlite":
        _declare_fts(FTS_0001)
