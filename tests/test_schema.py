"""Schema guard: a blank journal upgraded to head matches the models exactly."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def test_blank_database_upgraded_to_head_matches_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    import srmcli.models  # noqa: F401
    from srmcli import db
    from srmcli.migrations import include_name

    db.select(str(tmp_path / "blank.db"))
    db.engine(write=True)
    engine = create_engine(f"sqlite:///{tmp_path / 'blank.db'}")
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_name": include_name, "compare_type": True}
        )
        diff = compare_metadata(ctx, SQLModel.metadata)
    engine.dispose()
    db.dispose()
    assert diff == []


def test_head_constant_matches_the_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from srmcli import migrations

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    assert ScriptDirectory.from_config(cfg).get_current_head() == migrations.HEAD
    assert migrations.HEAD in migrations.known_revisions()


def test_opening_an_up_to_date_journal_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    env_code = (
        "import os, sys\n"
        f"os.environ['SRM_DB'] = {str(path)!r}\n"
        "from srmcli import db\n"
        "db.engine(write=True)\n"  # creates and migrates
        "db.dispose()\n"
        "for m in [m for m in sys.modules if m.startswith('alembic')]: del sys.modules[m]\n"
        "db.engine()\n"
        "assert not any(m.startswith('alembic') for m in sys.modules), 'alembic imported'\n"
    )
    subprocess.run([sys.executable, "-c", env_code], check=True)


def test_fts_index_follows_edits_and_deletes(tmp_path: Path) -> None:
    from srmcli import db

    path = tmp_path / "f.db"
    db.select(str(path))
    db.engine(write=True)
    db.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=ON")
    con.execute(
        "INSERT INTO supplier (name, name_key, aliases, status, access, tags, created_at) "
        "VALUES ('A', 'a', '[]', 'active', 'standard', '[]', '2026-01-01 00:00:00')"
    )
    con.execute(
        "INSERT INTO interaction (supplier_id, occurred_at, channel, initiator, tone, tags, note) "
        "VALUES (1, '2026-01-01 00:00:00', 'call', 'us', 0, '[]', 'alpha beta')"
    )
    q = "SELECT count(*) FROM interaction_fts WHERE interaction_fts MATCH ?"
    assert con.execute(q, ("alpha",)).fetchone()[0] == 1
    con.execute("UPDATE interaction SET note = 'gamma' WHERE id = 1")
    assert con.execute(q, ("alpha",)).fetchone()[0] == 0
    assert con.execute(q, ("gamma",)).fetchone()[0] == 1
    con.execute("DELETE FROM supplier WHERE id = 1")
    assert con.execute(q, ("gamma",)).fetchone()[0] == 0
    con.commit()
    con.close()
    db.select(None)


def _sql(path: Path, statement: str) -> list[tuple]:
    """One statement on the journal file itself, committed; its rows."""
    con = sqlite3.connect(path)
    try:
        rows = con.execute(statement).fetchall()
        con.commit()
        return rows
    finally:
        con.close()


def _downgrade(path: Path, revision: str) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from srmcli import migrations

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
    engine.dispose()


@pytest.mark.sqlite_only
def test_link_dates_are_filled_in_when_a_0002_journal_is_upgraded(srm, journal: Path) -> None:
    """Revision 0003 copies each interaction's date (and a tactic's supplier) onto its
    links: a journal written before it keeps its contact map and tactics list."""
    srm("supplier", "add", "Northwind", ok=True)
    srm("supplier", "add", "Acme", ok=True)
    srm("contact", "add", "Northwind", "Alice", "--role", "sales", ok=True)
    srm("log", "Northwind", "Price talk", "--with", "Alice", "--tactic", "price-increase",
        "--date", "2026-10-01", ok=True)  # fmt: skip
    srm("log", "Northwind", "Again", "--tactic", "price-increase", "--date", "2026-11-02", ok=True)
    srm("log", "Acme", "Bundle", "--tactic", "bundling", ok=True)
    before = srm("report", "Northwind", "-f", "json", ok=True).json()
    assert before["tactics"] == [
        {"tactic": "price-increase", "count": 2, "last_seen": "2026-11-02"}
    ]
    assert before["contacts"][0]["last_contact"] == "2026-10-01T00:00:00"

    _downgrade(journal, "0002")
    con = sqlite3.connect(journal)
    assert "occurred_at" not in {r[1] for r in con.execute("PRAGMA table_info(interaction_tactic)")}
    con.close()
    assert srm("db", "upgrade").exit_code == 0

    con = sqlite3.connect(journal)
    links = con.execute(
        "SELECT l.supplier_id = i.supplier_id AND l.occurred_at = i.occurred_at"
        " FROM interaction_tactic l JOIN interaction i ON i.id = l.interaction_id"
        " UNION ALL SELECT l.occurred_at = i.occurred_at"
        " FROM interaction_contact l JOIN interaction i ON i.id = l.interaction_id"
    ).fetchall()
    con.close()
    assert links == [(1,)] * 4
    assert srm("report", "Northwind", "-f", "json", ok=True).json() == before
    assert srm("db", "check").stdout.strip() == "ok"


@pytest.mark.sqlite_only
def test_db_check_names_links_that_disagree_with_their_interaction(srm, journal: Path) -> None:
    srm("supplier", "add", "Northwind", ok=True)
    srm("contact", "add", "Northwind", "Alice", "--role", "sales", ok=True)
    srm("log", "Northwind", "Call", "--with", "Alice", "--tactic", "flattery", ok=True)
    assert srm("db", "check").exit_code == 0
    con = sqlite3.connect(journal)
    con.execute("UPDATE interaction_contact SET occurred_at = '2001-01-01 00:00:00.000000'")
    con.execute("UPDATE interaction_tactic SET supplier_id = 99")
    con.commit()
    con.close()
    r = srm("db", "check")
    assert r.exit_code == 1
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith("Error:") and "2 contact or tactic links disagree" in last


@pytest.mark.sqlite_only
def test_contact_ids_are_filled_in_when_a_0004_journal_is_upgraded(srm, journal: Path) -> None:
    """Revision 0005 gives each interaction the ids of who took part, in the text
    `srm log` writes, and the export reads them from there."""
    srm("supplier", "add", "Northwind", ok=True)
    srm("contact", "add", "Northwind", "Bob", "--role", "operations", ok=True)
    srm("contact", "add", "Northwind", "Alice", "--role", "sales", ok=True)
    srm("log", "Northwind", "Both", "--with", "Alice", "--with", "Bob", ok=True)
    srm("log", "Northwind", "Alice alone", "--with", "Alice", ok=True)
    srm("log", "Northwind", "Nobody", ok=True)
    before = srm("export", "interactions", "-f", "json", ok=True).json()
    assert [r["contacts"] for r in before] == [["Alice", "Bob"], ["Alice"], []]
    kept = "SELECT contact_ids FROM interaction ORDER BY id"
    written = _sql(journal, kept)
    assert written == [("[1, 2]",), ("[2]",), ("[]",)]

    _downgrade(journal, "0004")
    assert "contact_ids" not in {r[1] for r in _sql(journal, "PRAGMA table_info(interaction)")}
    assert srm("db", "upgrade").exit_code == 0
    assert _sql(journal, kept) == written
    assert srm("export", "interactions", "-f", "json", ok=True).json() == before
    assert srm("db", "check").stdout.strip() == "ok"


@pytest.mark.sqlite_only
def test_db_check_names_interactions_whose_contact_ids_disagree(srm, journal: Path) -> None:
    srm("supplier", "add", "Northwind", ok=True)
    srm("contact", "add", "Northwind", "Alice", "--role", "sales", ok=True)
    srm("log", "Northwind", "Call", "--with", "Alice", ok=True)
    srm("log", "Northwind", "Alone", ok=True)
    _sql(journal, "UPDATE interaction SET contact_ids = '[1,2]' WHERE id = 1")
    assert srm("db", "check").exit_code == 1
    _sql(journal, "UPDATE interaction SET contact_ids = '[1]' WHERE id = 1")
    assert srm("db", "check").exit_code == 0  # the same list, written without spaces
    _sql(journal, "UPDATE interaction SET contact_ids = '[1]' WHERE id = 2")
    r = srm("db", "check")
    assert r.exit_code == 1
    assert "1 interaction keeps contact ids that disagree" in r.stderr.strip().splitlines()[-1]


def _schema(path: Path) -> list[tuple[str, str, str, list[str]]]:
    """Every table, index, trigger and view of a journal file, each statement as its sorted
    lines: Alembic's table rebuilds list foreign keys in no fixed order."""
    found = _sql(path, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
    return [
        (kind, name, table, sorted(line.strip().rstrip(",") for line in (sql or "").splitlines()))
        for kind, name, table, sql in found
    ]


@pytest.mark.sqlite_only
def test_the_test_journal_has_the_very_schema_alembic_makes(srm, journal: Path, tmp_path) -> None:
    """conftest replays the schema of one Alembic-migrated journal into each test's own
    journal instead of running the migrations again: the two must not differ."""
    from srmcli import db

    srm("supplier", "list", ok=True)
    made = tmp_path / "alembic.db"
    db.select(str(made))
    db.engine(write=True)
    db.dispose()
    db.select(None)
    replayed = _schema(journal)
    assert replayed == _schema(made)
    assert any(name == "interaction_fts" for _, name, _, _ in replayed)
    revision = "SELECT * FROM alembic_version"
    assert _sql(journal, revision) == _sql(made, revision)
