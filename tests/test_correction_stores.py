"""The two write paths of `srm interaction edit` and of `srm undo` of such an edit — the
ORM session (any backend) and the stdlib sqlite3 journal (the fast path for SQLite
files) — must leave exactly the same rows, history included."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from srmcli import db
from srmcli.errors import SrmError

pytestmark = pytest.mark.sqlite_only

TABLES = ("interaction", "interaction_contact", "interaction_tactic", "history")


def make_journal(path: Path) -> None:
    from srmcli.services.contacts import add_contact
    from srmcli.services.followups import complete_followup
    from srmcli.services.interactions import log_interaction
    from srmcli.services.suppliers import add_supplier

    db.select(str(path))
    with db.session(write=True) as s:
        add_supplier(session=s, name="Northwind Metals", aliases=["NW"])
        add_supplier(session=s, name="Acme")
        add_contact(session=s, supplier="nw", name="Alice Moreau", role="sales")
        add_contact(session=s, supplier="nw", name="Bob Chen", role="operations")
        add_contact(session=s, supplier="acme", name="Carla Ruiz", role="sales")
        log_interaction(
            session=s, supplier="nw", note="Price talk", contacts=["alice"],
            occurred_at=datetime(2026, 11, 10, 9, 0), tags=["q4"], tactics=["flattery"],
            follow_up="Send the plan", follow_up_due=date(2026, 11, 20),
        )  # fmt: skip
        log_interaction(
            session=s, supplier="nw", note="Plant visit", channel="visit",
            occurred_at=datetime(2026, 11, 18, 14, 30), duration_min=90,
        )  # fmt: skip
        log_interaction(
            session=s, supplier="acme", note="Intro call", contacts=["carla"],
            occurred_at=datetime(2026, 11, 12, 11, 0), tone=1,
        )  # fmt: skip
        complete_followup(session=s, followup_id=1, done_at=datetime(2026, 11, 15, 8, 0))
    db.dispose()
    db.select(None)


def edit_orm(path: Path, options: dict[str, Any]) -> dict[str, Any]:
    from srmcli.services.interactions import edit_interaction

    db.select(str(path))
    try:
        with db.session(write=True) as s:
            return edit_interaction(session=s, **options)
    finally:
        db.dispose()
        db.select(None)


def edit_lean(path: Path, options: dict[str, Any]) -> dict[str, Any]:
    from srmcli.services import corrections
    from srmcli.sqlite_journal import writer

    db.select(str(path))
    try:
        with writer() as store:
            assert store is not None
            return corrections.edit_interaction(store=store, **options)
    finally:
        db.select(None)


def undo_orm(path: Path, change: int) -> dict[str, Any]:
    from srmcli.services.history import undo_change

    db.select(str(path))
    try:
        with db.session(write=True) as s:
            return undo_change(session=s, change=change)
    finally:
        db.dispose()
        db.select(None)


def undo_lean(path: Path, change: int) -> dict[str, Any]:
    """`srm undo` as the command runs it: the stdlib store for an interaction's edit, the
    ORM session for anything else (here, the follow-up marked done)."""
    from srmcli.cli.history import _undone

    db.select(str(path))
    try:
        return _undone(str(change))
    finally:
        db.dispose()
        db.select(None)


def rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(path)
    try:
        out = {t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES}
        out["fts"] = con.execute(
            "SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH 'price OR fixed'"
        ).fetchall()
        return out
    finally:
        con.close()


def _outcome(run: Any, path: Path, argument: Any) -> tuple[Any, ...]:
    try:
        return ("done", run(path, argument))
    except SrmError as refused:
        return ("refused", type(refused).__name__, str(refused))


def _words(*choices: str) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(choices), st.booleans()).map(
        lambda t: t[0].upper() if t[1] else t[0]
    )


def _mostly(good: list[Any], bad: list[Any]) -> st.SearchStrategy[Any]:
    """Good values three times as often as values refused."""
    return st.sampled_from(good * 3 + bad)


EDITS = st.fixed_dictionaries(
    {"interaction_id": _mostly([1, 2, 3, "#2", " 3 "], [9, "x"])},
    optional={
        "note": st.sampled_from(["Price talk", "Plant visit", "fixed note", "  ", "Intro call"])
        | st.text(min_size=1, max_size=20),
        "occurred_at": st.sampled_from(
            [datetime(2026, 11, 10, 9, 0), datetime(2026, 11, 18, 14, 30), datetime(2099, 1, 1)]
        )
        | st.datetimes(datetime(2026, 11, 1), datetime(2026, 11, 25, 10, 0)).map(
            lambda d: d.replace(microsecond=0)
        ),
        "channel": _mostly(["call", "visit", "Meeting"], ["fax"]),
        "initiator": _mostly(["us", "them", "THEM"], ["nobody"]),
        "add_contacts": st.lists(
            _mostly(["alice", "bob", "Bob Chen"], ["carla", "zed"]), max_size=2
        ),
        "remove_contacts": st.lists(_words("alice", "bob"), max_size=1),
        "duration_min": _mostly(["", "45", 90], ["1_0", "-5"]),
        "tone": _mostly([-2, "1", "+2", 0], ["3", "x"]),
        "add_tags": st.lists(st.sampled_from(["q4", "po", "Q4", "  "]), max_size=2),
        "remove_tags": st.lists(st.sampled_from(["q4", "po"]), max_size=1),
        "add_tactics": st.lists(_mostly(["flattery", "bypass"], ["bribery"]), max_size=2),
        "remove_tactics": st.lists(_words("flattery", "bypass"), max_size=1),
        "again": st.booleans(),
    },
)
STEPS = st.lists(
    st.one_of(
        EDITS.map(lambda e: ("edit", e)),
        st.integers(1, 8).map(lambda n: ("undo", n)),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_both_paths_edit_and_undo_to_identical_rows_and_history(
    tmp_path: Path, steps: list[tuple[str, Any]]
) -> None:
    """Any run of edits and undos: the ORM session and the stdlib sqlite3 store give the
    same records and refusals, and the same rows and history, byte for byte."""
    template = tmp_path / "template.db"
    if not template.exists():  # one journal, copied for every example
        make_journal(template)
    orm_db, lean_db = tmp_path / "orm.db", tmp_path / "lean.db"
    for path in (orm_db, lean_db):
        shutil.copyfile(template, path)
    for kind, argument in steps:
        lean, orm = (edit_lean, edit_orm) if kind == "edit" else (undo_lean, undo_orm)
        ours = _outcome(lean, lean_db, argument)
        theirs = _outcome(orm, orm_db, argument)
        event(f"{kind} {ours[0]}")
        assert ours == theirs
        assert rows(lean_db) == rows(orm_db)


def test_an_edit_and_its_undo_agree_on_every_field(tmp_path: Path) -> None:
    """Every field changed at once, then put back: same rows on both paths, and the
    journal after the undo is the journal before the edit (but for the history)."""
    orm_db, lean_db = tmp_path / "orm.db", tmp_path / "lean.db"
    make_journal(orm_db)
    shutil.copyfile(orm_db, lean_db)
    start = rows(orm_db)
    edit = {
        "interaction_id": "#1", "note": "fixed: price talk", "occurred_at": datetime(2026, 11, 9, 8, 0),
        "channel": "meeting", "initiator": "them", "add_contacts": ["bob"],
        "remove_contacts": ["alice"], "duration_min": "30", "tone": "-1", "add_tags": ["po"],
        "remove_tags": ["q4"], "add_tactics": ["bypass"], "remove_tactics": ["flattery"],
    }  # fmt: skip
    assert edit_lean(lean_db, edit) == edit_orm(orm_db, edit)
    assert rows(lean_db) == rows(orm_db)
    change = rows(lean_db)["history"][-1][0]
    assert undo_lean(lean_db, change) == undo_orm(orm_db, change)
    after = rows(lean_db)
    assert after == rows(orm_db)
    assert {t: v for t, v in after.items() if t != "history"} == {
        t: v for t, v in start.items() if t != "history"
    }
    assert [r[7] for r in after["history"][-2:]] == ["edit", "undo"]


def test_edit_and_undo_on_sqlite_do_not_import_sqlalchemy(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    make_journal(path)
    code = (
        "import sys\n"
        "from srmcli.cli import main\n"
        "def run(*args):\n"
        f"    sys.argv = ['srm', '--db', {str(path)!r}, *args]\n"
        "    try:\n        main()\n    except SystemExit as e:\n        assert not e.code, e.code\n"
        "run('interaction', 'edit', '2', '--note', 'fixed', '--with', 'bob', '--tactic', 'bypass')\n"
        "run('undo', '2')\n"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'alembic') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    found = rows(path)
    assert [r[7] for r in found["history"]] == ["done", "edit", "undo"]
    assert found["interaction_contact"] == [
        (1, 1, "2026-11-10 09:00:00.000000"),
        (3, 3, "2026-11-12 11:00:00.000000"),
    ]
