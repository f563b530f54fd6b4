"""PostgreSQL: money as NUMERIC, JSON as jsonb, and notes searched as SQLite reads them

Revision ID: 0010
Revises: 0008

Money (supplier.annual_spend, supplier.supplier_revenue) was `double precision`; it
becomes `NUMERIC`, exact, each stored amount converted to the decimal it was typed as
(PostgreSQL writes a double with its 15 significant digits). The JSON lists (aliases,
tags, contact ids) become `jsonb`: parsed once when written, comparable, indexable. A
`jsonb` value cannot hold a NUL or half of a UTF-16 pair, which a `json` column kept as
escapes; srm refuses both now, and the few values that hold one are rewritten first
with U+FFFD in their place.

Search: `srm search 5` found notes holding `-5%` on SQLite and none on PostgreSQL, whose
parser keeps `-5` (and `5.5`, `a-b`, `x@y.z`) as one token; and only SQLite ignored
accents. Notes are now indexed through `srm_note_words(note)`: ASCII punctuation read as
space, then the characters SQLite's FTS5 (unicode61, remove_diacritics 2) folds or
splits on in the Latin, Greek, Cyrillic and punctuation blocks mapped the same way, the
table taken from SQLite's own tokenizer when this revision runs. Notes in plain ASCII
skip the mapping. The search query goes through the same function, so a typed word is
read exactly as a note is. The GIN index of 0002 is replaced by one over the function.

SQLite: nothing changes (money stays a double holding at most 15 digits, which srm
reads back as the same decimal; JSON stays text).
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

MONEY = (("supplier", "annual_spend"), ("supplier", "supplier_revenue"))
JSON_COLUMNS = (
    ("supplier", "aliases"),
    ("supplier", "tags"),
    ("interaction", "tags"),
    ("interaction", "contact_ids"),
)
INDEX = "ix_interaction_note_fts"
FUNCTION = "srm_note_words"
OLD_EXPRESSION = "to_tsvector('simple', note)"  # 0002's

# blocks whose characters FTS5 folds (case, accents) or splits on, read the same here:
# Latin-1 and Latin Extended, Greek, Cyrillic, Latin Extended Additional, general
# punctuation, currency signs
BLOCKS = (
    (0x80, 0x250),
    (0x370, 0x530),
    (0x1E00, 0x1F00),
    (0x2000, 0x2070),
    (0x20A0, 0x20D0),
)
# ASCII punctuation: what FTS5's unicode61 splits words on, besides white space
ASCII_PUNCTUATION = "[!-/:-@[-`{-~]"


def fts5_mapping() -> tuple[str, str]:
    """The characters of BLOCKS FTS5 reads as another (`Ü` as `u`) or as a separator
    (`–` as space): from, to, as `translate` takes them."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute(
            "CREATE VIRTUAL TABLE chars USING fts5(c, tokenize='unicode61 remove_diacritics 2')"
        )
        con.execute("CREATE VIRTUAL TABLE words USING fts5vocab(chars, 'instance')")
        codes = [code for start, end in BLOCKS for code in range(start, end)]
        con.executemany("INSERT INTO chars(rowid, c) VALUES (?, ?)", [(c, chr(c)) for c in codes])
        read = dict(con.execute("SELECT doc, term FROM words"))
    finally:
        con.close()
    source, target = [], []
    for code in codes:
        char, token = chr(code), read.get(code)
        if token is None:
            source.append(char)
            target.append(" ")
        elif token != char and len(token) == 1:
            source.append(char)
            target.append(token)
    return "".join(source), "".join(target)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def function_sql() -> str:
    source, target = fts5_mapping()
    spaced = f"regexp_replace(note, '{ASCII_PUNCTUATION}', ' ', 'g')"
    return (
        f"CREATE OR REPLACE FUNCTION {FUNCTION}(note text) RETURNS tsvector "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$ "
        "SELECT to_tsvector('simple'::regconfig, CASE "
        f"WHEN octet_length(note) = char_length(note) THEN {spaced} "
        f"ELSE translate({spaced}, {_literal(source)}, {_literal(target)}) END) $fn$"
    )


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _storable(value: Any) -> Any:
    """A JSON value without NUL or lone surrogates (each becomes U+FFFD)."""
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    return value


def _rewrite_unstorable_json() -> None:
    bind = op.get_bind()
    for table, column in JSON_COLUMNS:
        rows = bind.execute(
            sa.text(
                f"SELECT id, CAST({column} AS text) FROM {table} "
                f"WHERE CAST({column} AS text) ~* '\\\\u(0000|d[89a-f])'"
            )
        ).all()
        changed = []
        for row_id, text in rows:
            value = _storable(json.loads(text))
            again = json.dumps(value, ensure_ascii=False)
            if again != text:
                changed.append({"id": row_id, "text": again})
        if changed:
            bind.execute(
                sa.text(f"UPDATE {table} SET {column} = CAST(:text AS json) WHERE id = :id"),
                changed,
            )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in MONEY:
        op.execute(
            f"ALTER TABLE {table} ALTER COLUMN {column} TYPE NUMERIC USING {column}::numeric"
        )
    _rewrite_unstorable_json()
    op.execute("ALTER TABLE interaction ALTER COLUMN contact_ids DROP DEFAULT")
    for table, column in JSON_COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE jsonb USING {column}::jsonb")
    op.execute("ALTER TABLE interaction ALTER COLUMN contact_ids SET DEFAULT '[]'::jsonb")
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    op.execute(function_sql())
    op.execute(f"CREATE INDEX {INDEX} ON interaction USING gin ({FUNCTION}(note))")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text)")
    op.execute(f"CREATE INDEX {INDEX} ON interaction USING gin ({OLD_EXPRESSION})")
    op.execute("ALTER TABLE interaction ALTER COLUMN contact_ids DROP DEFAULT")
    for table, column in JSON_COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE json USING {column}::json")
    op.execute("ALTER TABLE interaction ALTER COLUMN contact_ids SET DEFAULT '[]'::json")
    for table, column in MONEY:
        op.execute(
            f"ALTER TABLE {table} ALTER COLUMN {column} TYPE double precision "
            f"USING {column}::double precision"
        )
