"""Stored JSON (aliases, tags, contact ids) is UTF-8 text that SQL over the journal can
find, and the SQLite full-text table is declared so that other tools detect it (SPEC §11).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from srmcli import db


def raw(statement: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of one statement straight on the journal in force (SQLite or PostgreSQL),
    through an engine of its own: what any SQL tool over the journal would see."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db.url())
    try:
        with engine.begin() as conn:
            return [tuple(r) for r in conn.execute(text(statement), params)]
    finally:
        engine.dispose()


def test_every_write_path_stores_accented_json_as_text_sql_finds(srm, tmp_path: Path) -> None:
    from srmcli.services.interactions import log_interaction

    # the ORM path: supplier add and edit
    srm("supplier", "add", "Müller Präzision", "--alias", "Mül", "--tag", "präzision", ok=True)
    srm("supplier", "edit", "Müller", "--tag", "qualität", ok=True)
    srm("contact", "add", "Müller", "Jürgen Öz", "--role", "sales", ok=True)
    # `srm log`: the stdlib store on a SQLite file, the ORM session on a server
    srm("log", "Müller", "Gespräch", "--tag", "präzision", "--with", "Jürgen", ok=True)
    # the ORM store of `srm log`, on every backend
    with db.session(write=True) as s:
        log_interaction(session=s, supplier="Mül", note="Rückruf", tags=["präzision"])
    db.dispose()
    # the bulk paths of import
    suppliers = tmp_path / "suppliers.json"
    suppliers.write_text(
        json.dumps([{"name": "Zürich Guss", "aliases": ["Zü"], "tags": ["präzision"]}]),
        encoding="utf-8",
    )
    interactions = tmp_path / "interactions.json"
    interactions.write_text(
        json.dumps(
            [
                {
                    "supplier": "Zürich Guss",
                    "occurred_at": "2026-11-01",
                    "note": "Maß",
                    "tags": ["präzision", "ßtraße"],
                }
            ]
        ),  # fmt: skip
        encoding="utf-8",
    )
    srm("import", "suppliers", str(suppliers), ok=True)
    srm("import", "interactions", str(interactions), ok=True)

    def found(table: str, column: str, text: str) -> list[Any]:
        return [
            r[0]
            for r in raw(
                f"SELECT id FROM {table} WHERE CAST({column} AS TEXT) LIKE :t ORDER BY id",
                t=f"%{text}%",
            )
        ]

    assert found("interaction", "tags", "präzision") == [1, 2, 3]
    assert found("interaction", "tags", "ßtraße") == [3]
    assert found("supplier", "tags", "präzision") == [1, 2]
    assert found("supplier", "tags", "qualität") == [1]
    assert found("supplier", "aliases", "Mül") == [1]
    assert found("supplier", "aliases", "Zü") == [2]
    for table, column in (("supplier", "aliases"), ("supplier", "tags"), ("interaction", "tags")):
        escaped = raw(
            f"SELECT count(*) FROM {table} WHERE CAST({column} AS TEXT) LIKE :e ESCAPE '!'",
            e="%\\u%",
        )
        assert escaped == [(0,)], (table, column)
    assert [r[0] for r in raw("SELECT CAST(tags AS TEXT) FROM interaction ORDER BY id")] == [
        '["präzision"]',
        '["präzision"]',
        '["präzision", "ßtraße"]',
    ]
    # and srm reads back what it wrote
    shown = srm("export", "interactions", "-f", "json", ok=True).json()
    assert sorted(r["tags"] for r in shown) == [
        ["präzision"],
        ["präzision"],
        ["präzision", "ßtraße"],
    ]


@pytest.mark.sqlite_only
def test_control_characters_in_stored_json_stay_escaped(srm, journal: Path) -> None:
    """JSON itself requires control characters escaped; only printable text is UTF-8.
    (A tag refuses control characters now; a journal from before may hold one.)"""
    from sqlmodel import select

    from srmcli.models import Supplier

    srm("supplier", "add", "Acme", "--tag", "C:\\users", ok=True)
    with db.session(write=True) as s:
        supplier = s.exec(select(Supplier)).one()
        supplier.tags = ["a\x1bb", *supplier.tags]
        s.add(supplier)
    db.dispose()
    stored = sqlite3.connect(journal).execute("SELECT tags FROM supplier").fetchone()[0]
    assert stored == '["a\\u001bb", "C:\\\\users"]'
    assert json.loads(stored) == ["a\x1bb", "C:\\users"]


# sqlite-utils' Table.detect_fts() and Datasette's detect_fts() ask sqlite_master this
DETECT_FTS = (
    "SELECT name FROM sqlite_master WHERE rootpage = 0 AND ("
    " sql LIKE '%VIRTUAL TABLE%USING FTS%content=[' || :table || ']%'"
    " OR sql LIKE '%VIRTUAL TABLE%USING FTS%content=\"' || :table || '\"%')"
)


@pytest.mark.sqlite_only
def test_sqlite_utils_and_datasette_detect_the_full_text_table(srm, journal: Path) -> None:
    srm("supplier", "add", "Acme", ok=True)
    srm("log", "Acme", "Tooling quote received", ok=True)
    con = sqlite3.connect(journal)
    try:
        (sql,) = con.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'interaction_fts'"
        ).fetchone()
        assert 'content="interaction"' in sql
        assert con.execute(DETECT_FTS, {"table": "interaction"}).fetchall() == [
            ("interaction_fts",)
        ]
        # what those tools then run: a MATCH on the detected table joined by rowid
        assert con.execute(
            "SELECT interaction.note FROM interaction JOIN interaction_fts"
            " ON interaction_fts.rowid = interaction.id WHERE interaction_fts MATCH 'quote'"
        ).fetchall() == [("Tooling quote received",)]
    finally:
        con.close()


def _at_revision(path: Path, revision: str, *statements: str, down: bool = False) -> None:
    """The journal file migrated up (or `down`) to `revision`, then holding `statements`'
    rows, as an older srm left it."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    from srmcli import migrations

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(cfg, revision)
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


OLD_ROWS = (
    "INSERT INTO supplier (id, name, name_key, aliases, status, access, tags, created_at)"
    " VALUES (1, 'Müller', 'müller', '[\"M\\u00fcl\"]', 'active', 'standard',"
    ' \'["pr\\u00e4zision", "a\\u001bb", "C:\\\\users"]\', \'2026-01-01 00:00:00.000000\')',
    "INSERT INTO contact (id, supplier_id, name, name_key, role, active)"
    " VALUES (1, 1, 'Jürgen', 'jürgen', 'sales', 1)",
    "INSERT INTO interaction (id, supplier_id, occurred_at, channel, initiator, tone, tags,"
    " note, contact_ids) VALUES (1, 1, '2026-11-01 00:00:00.000000', 'call', 'us', 0,"
    " '[\"pr\\u00e4zision\"]', 'Gespräch über Toleranzen', '[1]'),"
    " (2, 1, '2026-11-02 00:00:00.000000', 'call', 'us', 0, '[]', 'Lieferung', '[]')",
    "INSERT INTO interaction_contact (interaction_id, contact_id, occurred_at)"
    " VALUES (1, 1, '2026-11-01 00:00:00.000000')",
)


@pytest.mark.sqlite_only
def test_a_0005_journal_is_upgraded_to_utf8_json_and_a_detectable_index(srm, journal: Path) -> None:
    journal.parent.mkdir(parents=True, exist_ok=True)
    _at_revision(journal, "0005", *OLD_ROWS)
    con = sqlite3.connect(journal)
    assert con.execute("SELECT tags FROM interaction WHERE id = 1").fetchone() == (
        '["pr\\u00e4zision"]',
    )
    con.close()

    assert srm("db", "upgrade").exit_code == 0
    con = sqlite3.connect(journal)
    try:
        assert con.execute("SELECT aliases, tags FROM supplier").fetchall() == [
            ('["Mül"]', '["präzision", "a\\u001bb", "C:\\\\users"]')
        ]
        assert con.execute(
            "SELECT id FROM interaction WHERE tags LIKE '%präzision%'"
        ).fetchall() == [(1,)]
        assert con.execute("SELECT contact_ids FROM interaction ORDER BY id").fetchall() == [
            ("[1]",),
            ("[]",),
        ]
        assert con.execute(DETECT_FTS, {"table": "interaction"}).fetchall() == [
            ("interaction_fts",)
        ]
    finally:
        con.close()
    # the rebuilt index holds the notes written before, and its triggers follow new ones
    hits = srm("search", "toleranz", "-f", "json", ok=True).json()
    assert [h["note"] for h in hits] == ["Gespräch über Toleranzen"]
    srm("log", "Müller", "Toleranzen nachgemessen", "--tag", "präzision", ok=True)
    hits = srm("search", "toleranz", "-f", "json", ok=True).json()
    assert [h["note"] for h in hits] == ["Toleranzen nachgemessen", "Gespräch über Toleranzen"]
    srm("supplier", "edit", "Müller", "--tag", "güte", ok=True)
    assert srm("db", "check").stdout.strip() == "ok"
    assert srm("supplier", "show", "Mül", "-f", "json", ok=True).json()["tags"] == [
        "präzision",
        "a\x1bb",
        "C:\\users",
        "güte",
    ]


@pytest.mark.sqlite_only
def test_downgrading_0006_restores_the_old_spelling_and_search_still_works(
    srm, journal: Path
) -> None:
    journal.parent.mkdir(parents=True, exist_ok=True)
    _at_revision(journal, "0005", *OLD_ROWS)
    assert srm("db", "upgrade").exit_code == 0
    _at_revision(journal, "0005", down=True)
    con = sqlite3.connect(journal)
    try:
        assert con.execute("SELECT tags FROM interaction WHERE id = 1").fetchone() == (
            '["pr\\u00e4zision"]',
        )
        sql = con.execute("SELECT sql FROM sqlite_master WHERE name = 'interaction_fts'")
        assert "content='interaction'" in sql.fetchone()[0]
        hits = con.execute(
            "SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH 'toleranzen'"
        ).fetchall()
        assert hits == [(1,)]
    finally:
        con.close()
