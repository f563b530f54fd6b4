"""The two write paths of `srm log` — the ORM session (any backend) and the stdlib sqlite3
journal (the fast path for SQLite files) — must store exactly the same rows."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from srmcli import db
from srmcli.errors import SrmError
from srmcli.vocab import Channel

pytestmark = pytest.mark.sqlite_only

TABLES = (
    "interaction", "interaction_contact", "interaction_tactic", "issue", "followup",
    "issue_interaction",
)  # fmt: skip

CASES: list[dict[str, Any]] = [
    {"supplier": "nw", "note": "Chased PO 4411"},
    {
        "supplier": "Northwind", "note": "  Price talk\n\nsecond paragraph\r\n", "contacts": ["alice", "Bob"],
        "channel": "Meeting", "initiator": "them", "occurred_at": datetime(2026, 11, 20, 14, 30),
        "duration_min": "45", "tone": "-2", "tags": ["po", "steel", "po"],
        "tactics": ["price-increase", "flattery"], "author": "dana",
        "issue_kind": "late-delivery", "issue_severity": "2",
        "follow_up": " Send plan ", "follow_up_due": date(2026, 11, 27), "follow_up_owner": "them",
    },
    {"supplier": "acme", "note": "ünïcödé ✓ 'quotes' \"double\"", "tone": 2, "tags": []},
    {"supplier": "acme", "note": "no author given: the login name", "issue_kind": "quality",
     "follow_up": "Call back", "follow_up_due": date(2026, 12, 1)},
    # names typed without their accents
    {"supplier": "Muller", "note": "Casting trial", "contacts": ["jurgen"]},
    # a call about the open issue the second case opened
    {"supplier": "nw", "note": "Chased the plan", "for_issue": "#1", "author": "dana"},
    # the same call again, recorded anyway
    {"supplier": "nw", "note": "Chased PO 4411", "occurred_at": datetime(2026, 11, 25, 10, 30),
     "again": True},
]  # fmt: skip

BAD: list[dict[str, Any]] = [
    {"supplier": "nobody", "note": "x"},
    {"supplier": "brene", "note": "x"},  # two suppliers without their accents
    {"supplier": "nw", "note": "   "},
    {"supplier": "nw", "note": "x", "contacts": ["zed"]},
    {"supplier": "nw", "note": "x", "tone": 3},
    {"supplier": "nw", "note": "x", "tactics": ["bribery"]},
    {"supplier": "nw", "note": "x", "issue_severity": 2},
    {"supplier": "nw", "note": "x", "follow_up": "y"},
    {"supplier": "nw", "note": "x", "occurred_at": datetime(2099, 1, 1)},
    {"supplier": "nw", "note": "x", "for_issue": 1},
    {"supplier": "nw", "note": "x", "for_issue": "one"},
]


def make_journal(path: Path) -> None:
    from srmcli.services.contacts import add_contact
    from srmcli.services.suppliers import add_supplier

    db.select(str(path))
    with db.session(write=True) as s:
        add_supplier(session=s, name="Northwind Metals", aliases=["NW"])
        add_supplier(session=s, name="Acme")
        add_supplier(session=s, name="M\u00fcller Gie\u00dferei")
        add_supplier(session=s, name="Bren\u00e9 Tools")
        add_supplier(session=s, name="Br\u00e9ne Works")
        add_contact(session=s, supplier="M\u00fcller", name="J\u00fcrgen Wei\u00df", role="sales")
        add_contact(session=s, supplier="nw", name="Alice Moreau", role="sales")
        add_contact(session=s, supplier="nw", name="Bob Chen", role="operations")
    db.dispose()


def log_orm(path: Path, case: dict[str, Any]) -> dict[str, Any]:
    from srmcli.services.interactions import log_interaction

    db.select(str(path))
    try:
        with db.session(write=True) as s:
            return log_interaction(session=s, **case)
    finally:
        db.dispose()


def log_lean(path: Path, case: dict[str, Any]) -> dict[str, Any]:
    from srmcli.services import logbook
    from srmcli.sqlite_journal import writer

    db.select(str(path))
    try:
        with writer() as store:
            assert store is not None
            return logbook.log_interaction(store=store, **case)
    finally:
        db.select(None)


def rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(path)
    try:
        out = {t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES}
        out["fts"] = con.execute(
            "SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH 'price OR chased'"
        ).fetchall()
        return out
    finally:
        con.close()


def test_both_paths_record_the_same_log_by_the_same_author(tmp_path: Path) -> None:
    orm_db, lean_db = tmp_path / "orm.db", tmp_path / "lean.db"
    make_journal(orm_db)
    make_journal(lean_db)
    for case in CASES:
        assert log_orm(orm_db, case) == log_lean(lean_db, case)
    assert rows(orm_db) == rows(lean_db)
    assert len(rows(lean_db)["interaction"]) == len(CASES)
    for_issue = next(n for n, case in enumerate(CASES, 1) if "for_issue" in case)
    assert rows(lean_db)["issue_interaction"] == [(1, for_issue)]
    # the issue and follow-up of a log are recorded by the log's author, on both paths:
    # the one given, else the login name (conftest's `kim`, no config author is set)
    for path in (orm_db, lean_db):
        con = sqlite3.connect(path)
        try:
            for table in ("issue", "followup"):
                found = con.execute(
                    f"SELECT {table}.author, interaction.author FROM {table} "
                    f"JOIN interaction ON interaction.id = {table}.interaction_id ORDER BY 1"
                ).fetchall()
                assert found == [("dana", "dana"), ("kim", "kim")], (path.name, table)
        finally:
            con.close()
    db.select(None)


def _words(*choices: str) -> st.SearchStrategy[str]:
    """One of `choices`, in any letter case, sometimes padded with blanks."""
    return st.tuples(st.sampled_from(choices), st.sampled_from(["", " ", "\t"]), st.booleans()).map(
        lambda t: t[1] + (t[0].upper() if t[2] else t[0]) + t[1]
    )


def _number(lo: int, hi: int, junk: str) -> st.SearchStrategy[Any]:
    """A number as an int, as its text, or (less often) text that may be none."""
    whole = st.integers(lo, hi)
    return whole | whole.map(str) | whole.map(lambda n: f" {n} ") | st.text(junk, max_size=4)


def _pair(**two: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Two options that go together: mostly both or neither, sometimes one alone."""
    return st.just({}) | st.fixed_dictionaries({}, optional=two) | st.fixed_dictionaries(two)


# values as the command line or an importer hands them over: text or numbers, mostly good
INTERACTIONS = st.builds(
    lambda base, issue, follow: {**base, **issue, **follow},
    st.fixed_dictionaries(
        {
            "supplier": _words("nw", "Northwind Metals", "acme", "NW", "nobody"),
            "note": st.text(min_size=1, max_size=80),
        },
        optional={
            "contacts": st.lists(_words("alice", "Bob", "alice moreau", "zed"), max_size=3),
            "channel": st.none() | _words("call", "meeting", "visit", "email", "chat", "fax"),
            "initiator": st.none() | _words("us", "them", "them", "nobody"),
            "occurred_at": st.datetimes(datetime(1999, 1, 1), datetime(2026, 11, 25, 23, 59)),
            "duration_min": st.none() | _number(0, 600, "0123456789 -_٢x"),
            "tone": _number(-3, 3, "0123456789+- ٢x"),
            "tags": st.lists(st.text(max_size=12), max_size=4),
            "tactics": st.lists(
                _words("price-increase", "flattery", "bundling", "bypass", "bribery"),
                max_size=3,
            ),
            "author": st.none() | st.text(max_size=12),
            "follow_up_owner": _words("us", "them", "them", "someone"),
        },
    ),
    _pair(
        issue_kind=_words("late-delivery", "quality", "price", "gossip"),
        issue_severity=_number(1, 3, "0123456789 "),
    ),
    _pair(
        follow_up=st.text(min_size=1, max_size=20),
        follow_up_due=st.dates(date(2020, 1, 1), date(2027, 12, 31)),
    ),
)


def _outcome(log: Any, path: Path, case: dict[str, Any]) -> tuple[Any, ...]:
    try:
        return ("logged", log(path, case))
    except SrmError as refused:
        return ("refused", type(refused).__name__, str(refused))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=INTERACTIONS)
def test_both_paths_store_identical_rows_and_records(tmp_path: Path, case: dict[str, Any]) -> None:
    """Any interaction, from any values: the ORM session and the stdlib sqlite3 store give
    the same record and the same rows, byte for byte, or the same refusal and no rows."""
    template = tmp_path / "template.db"
    if not template.exists():  # one blank journal, copied for every example
        make_journal(template)
    orm_db, lean_db = tmp_path / "orm.db", tmp_path / "lean.db"
    for path in (orm_db, lean_db):
        shutil.copyfile(template, path)
    before = rows(template)
    ours = _outcome(log_lean, lean_db, case)
    theirs = _outcome(log_orm, orm_db, case)
    event(ours[0])  # both kinds must turn up: see --hypothesis-show-statistics
    assert ours == theirs
    after = rows(lean_db)
    assert after == rows(orm_db)
    added = len(after["interaction"]) - len(before["interaction"])
    assert added == (1 if ours[0] == "logged" else 0)
    db.select(None)


@pytest.mark.parametrize("case", BAD)
def test_both_paths_refuse_alike_and_write_nothing(tmp_path: Path, case: dict[str, Any]) -> None:
    orm_db, lean_db = tmp_path / "orm.db", tmp_path / "lean.db"
    make_journal(orm_db)
    make_journal(lean_db)
    with pytest.raises(SrmError) as orm_error:
        log_orm(orm_db, case)
    with pytest.raises(SrmError) as lean_error:
        log_lean(lean_db, case)
    assert str(orm_error.value) == str(lean_error.value)
    assert rows(orm_db) == rows(lean_db) == {t: [] for t in (*TABLES, "fts")}
    db.select(None)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("duration_min", Decimal("1.5")),
        ("channel", Channel.call),  # an enum member, not its text
        ("note", b"bytes"),
        ("tags", {"a"}),
        ("tags", [Decimal(1)]),
        ("tags", [["nested"]]),
        ("occurred_at", datetime(2026, 11, 20, tzinfo=UTC)),
        ("author", object()),
    ],
)
def test_the_stdlib_store_refuses_a_value_type_it_does_not_know(
    tmp_path: Path, column: str, value: Any
) -> None:
    """sqlite3 would store some of these in its own way (bytes as a blob, a subclass of
    str or int as is) where the ORM path stores them differently or refuses them."""
    from srmcli.drafts import interaction_values
    from srmcli.sqlite_journal import writer

    path = tmp_path / "j.db"
    make_journal(path)
    values = interaction_values(supplier_id=1, note="fine", tags=["ok"])
    db.select(str(path))
    with pytest.raises(TypeError, match="stores no value|holds text|without a zone"):
        with writer() as store:
            assert store is not None
            store.add("interaction", {**values, column: value})
    db.select(None)
    assert rows(path)["interaction"] == []


REPEATS: list[dict[str, Any]] = [
    {"supplier": "nw", "note": "Chased PO 4411", "occurred_at": datetime(2026, 11, 20, 14, 30)},
    {"supplier": "acme", "note": "Burrs", "channel": "email",
     "occurred_at": datetime(2026, 11, 20, 14, 30), "issue_kind": "quality"},
    {"supplier": "acme", "note": "Other call", "follow_up": "Send plan",
     "follow_up_due": date(2026, 11, 27), "follow_up_owner": "them"},
]  # fmt: skip
FIRST: list[dict[str, Any]] = [
    {"supplier": "nw", "note": "Chased PO 4411", "occurred_at": datetime(2026, 11, 20, 14, 30)},
    {"supplier": "acme", "note": "Burrs", "occurred_at": datetime(2026, 11, 20, 14, 30),
     "issue_kind": "quality", "follow_up": "Send plan", "follow_up_due": date(2026, 11, 27),
     "follow_up_owner": "them"},
]  # fmt: skip


@pytest.mark.parametrize("case", REPEATS)
def test_both_paths_refuse_a_repeat_alike_naming_the_first(
    tmp_path: Path, case: dict[str, Any]
) -> None:
    orm_db, lean_db = tmp_path / "orm.db", tmp_path / "lean.db"
    for path in (orm_db, lean_db):
        make_journal(path)
        for first in FIRST:
            log_orm(path, first)
    before = rows(orm_db)
    with pytest.raises(SrmError) as orm_error:
        log_orm(orm_db, case)
    with pytest.raises(SrmError) as lean_error:
        log_lean(lean_db, case)
    assert str(orm_error.value) == str(lean_error.value)
    assert "already recorded as" in str(orm_error.value)
    assert "--again" in str(orm_error.value)
    assert rows(orm_db) == rows(lean_db) == before
    assert log_orm(orm_db, {**case, "again": True}) == log_lean(lean_db, {**case, "again": True})
    assert rows(orm_db) == rows(lean_db)
    db.select(None)


def test_log_on_sqlite_does_not_import_sqlalchemy(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    make_journal(path)
    db.select(None)
    code = (
        "import sys\n"
        "from srmcli.cli import main\n"
        f"sys.argv = ['srm', '--db', {str(path)!r}, 'log', 'nw', 'quick note', '--with', 'alice']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'alembic') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    assert len(rows(path)["interaction"]) == 1
    assert len(rows(path)["interaction_contact"]) == 1


def test_an_old_schema_takes_the_orm_path_and_is_upgraded(tmp_path: Path, srm) -> None:
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    from srmcli import migrations

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    previous = ScriptDirectory.from_config(cfg).get_revision(migrations.HEAD).down_revision
    if previous is None:
        pytest.skip("the schema has a single revision")
    path = tmp_path / "old.db"
    make_journal(path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, str(previous))
    engine.dispose()

    r = srm("--db", str(path), "log", "nw", "after upgrade")
    assert r.exit_code == 0, r.stderr
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == migrations.HEAD
    assert con.execute("SELECT count(*) FROM interaction").fetchone()[0] == 1
    con.close()
