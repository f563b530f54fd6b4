"""Every record carries who recorded it: the config `author`, else the login name.

The login name is pinned to `kim` by conftest, so the fallback is checked as a user on
any machine would see it. Each write path is run once with `author = "Dana"` in the
config and once without a config; the rows it added must carry that name, whatever the
records others wrote before.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

LOGIN = "kim"  # conftest's login name: the author when the config names none

STATUS_CSV = (
    "po,line,item,qty_ordered,qty_received,promised_date,received_date\n"
    "4411,1,M8 bolts,100,0,2026-11-20,\n"
)
IMPORTS = {
    "suppliers": "name,category\nBorealis,steel\n",
    "contacts": "supplier,name,role\nAcme,Jo Park,sales\n",
    "issues": "supplier,kind,opened_at,description\nAcme,billing,2026-11-02T09:00:00,Double bill\n",
    "followups": "supplier,owner,text,due\nAcme,them,Send the credit note,2026-12-01\n",
}
ACME = ("supplier", "add", "Acme")
PROJECT = ("sourcing", "new", "Second source")

# (setup commands, the write under test, its stdin, how many rows it adds per table)
WRITES: dict[str, tuple[list[tuple[str, ...]], tuple[str, ...], str | None, dict[str, int]]] = {
    "supplier add": ([], ("supplier", "add", "Borealis"), None, {"supplier": 1}),
    "contact add": (
        [ACME], ("contact", "add", "Acme", "Jo Park", "--role", "sales"), None, {"contact": 1}
    ),
    "issue open": ([ACME], ("issue", "open", "Acme", "quality", "Burrs"), None, {"issue": 1}),
    "log --issue --follow-up": (
        [ACME],
        ("log", "Acme", "Late again", "--issue", "late-delivery", "--follow-up",
         "Send a ship date", "--due", "friday", "--owner", "them"),
        None,
        {"interaction": 1, "issue": 1, "followup": 1},
    ),
    "followup add": (
        [ACME], ("followup", "add", "Acme", "Send drawings", "--due", "friday"), None,
        {"followup": 1},
    ),
    "sourcing new": ([], PROJECT, None, {"sourcing_project": 1}),
    "sourcing add": ([ACME, PROJECT], ("sourcing", "add", "Second", "Acme"), None, {"candidate": 1}),
    "status import --open-issues": (
        [ACME], ("status", "import", "Acme", "-", "--open-issues"), STATUS_CSV,
        {"status_report": 1, "issue": 1},
    ),
    **{
        f"import {kind}": ([ACME], ("import", kind, "-"), text, {table: 1})
        for kind, text, table in (
            ("suppliers", IMPORTS["suppliers"], "supplier"),
            ("contacts", IMPORTS["contacts"], "contact"),
            ("issues", IMPORTS["issues"], "issue"),
            ("followups", IMPORTS["followups"], "followup"),
        )
    },
}  # fmt: skip


def authors(table: str) -> list[str | None]:
    """The author column of a table, oldest row first, read straight from the journal."""
    from sqlalchemy import text

    from srmcli import db

    try:
        with db.connection() as conn:  # creates the journal when nothing was written yet
            return [r[0] for r in conn.execute(text(f"SELECT author FROM {table} ORDER BY id"))]
    finally:
        db.dispose()


@pytest.fixture
def writing_as(tmp_path: Path) -> Callable[[str | None], None]:
    """Set the config `author` (None: no config file, the login name applies)."""
    config = tmp_path / "config.toml"

    def switch(name: str | None) -> None:
        if name is None:
            config.unlink(missing_ok=True)
        else:
            config.write_text(f'author = "{name}"\n')

    return switch


@pytest.mark.parametrize("who, expected", [("  Dana ", "Dana"), (None, LOGIN)])
@pytest.mark.parametrize("path", list(WRITES))
def test_every_write_path_stores_who_wrote(srm, writing_as, path, who, expected) -> None:
    setup, command, stdin, added = WRITES[path]
    writing_as("Setup Person")
    for step in setup:
        srm(*step, ok=True)
    before = {table: len(authors(table)) for table in added}
    writing_as(who)
    srm(*command, input=stdin, ok=True)
    for table, count in added.items():
        new = authors(table)[before[table] :]
        assert new == [expected] * count, (table, new)


def test_import_interactions_keeps_the_files_author_column(srm, writing_as) -> None:
    srm(*ACME, ok=True)
    writing_as("Dana")
    rows = (
        "supplier,occurred_at,note,author\n"
        "Acme,2026-11-02T09:00:00,From the old system,lee\n"
        "Acme,2026-11-03T09:00:00,Nobody signed this one,\n"
    )
    srm("import", "interactions", "-", input=rows, ok=True)
    assert authors("interaction") == ["lee", None]


def test_demo_records_are_all_by_demo(srm, tmp_path: Path) -> None:
    import sqlite3

    target = tmp_path / "story.db"
    srm("demo", "--db", str(target), ok=True)
    con = sqlite3.connect(target)
    try:
        for table in ("supplier", "contact", "interaction", "issue", "followup",
                      "sourcing_project", "candidate", "status_report"):  # fmt: skip
            found = {r[0] for r in con.execute(f"SELECT DISTINCT author FROM {table}")}
            assert found == {"demo"}, table
    finally:
        con.close()


# -- where a buyer sees the author --------------------------------------------------


@pytest.fixture
def team(srm, writing_as) -> None:
    """Dana set up Acme and its contact; Lee works the account; Ola only opened an issue."""
    writing_as("Dana")
    srm("supplier", "add", "Acme", ok=True)
    srm("contact", "add", "Acme", "Alice Moreau", "--role", "sales", ok=True)
    srm("log", "Acme", "Dana's intro call", "--date", "2026-11-10", ok=True)
    srm("followup", "add", "Acme", "Dana sends the NDA", "--due", "2026-11-28", ok=True)
    writing_as("Lee")
    srm("supplier", "add", "Borealis", ok=True)
    srm("contact", "add", "Borealis", "Bo Lind", "--role", "operations", ok=True)
    srm("log", "Acme", "Lee chased the late order", "--date", "2026-11-20",
        "--issue", "late-delivery", "--follow-up", "Ship date from Acme", "--due", "2026-11-27",
        "--owner", "them", ok=True)  # fmt: skip
    writing_as("Ola")
    srm("issue", "open", "Acme", "billing", "Invoice twice", "--date", "2026-11-21", ok=True)
    writing_as(None)


def line_with(text: str, out: str) -> str:
    return next(line for line in out.splitlines() if text in line)


def test_tables_show_who_recorded_what(srm, team) -> None:
    show = srm("supplier", "show", "Acme", ok=True).stdout
    assert line_with("author", show).split() == ["author", "Dana"]
    assert line_with("Alice Moreau", show).split()[-1] == "Dana"
    contacts = srm("contact", "list", ok=True).stdout
    assert line_with("supplier", contacts).split() == [
        "supplier", "name", "role", "title", "email", "phone", "active", "by"
    ]  # fmt: skip
    assert line_with("Alice", contacts).split()[-1] == "Dana"
    assert line_with("Bo Lind", contacts).split()[-1] == "Lee"
    issues = srm("issue", "list", ok=True).stdout
    assert " Lee " in line_with("late-delivery", issues)
    assert " Ola " in line_with("billing", issues)
    followups = srm("followup", "list", ok=True).stdout
    assert line_with("Dana sends", followups).split()[-1] == "Dana"
    assert line_with("Ship date", followups).split()[-1] == "Lee"
    timeline = srm("timeline", "Acme", ok=True).stdout
    assert line_with("date", timeline).split() == ["date", "type", "by", "what"]
    assert line_with("Dana's intro", timeline).split()[1:3] == ["interaction", "Dana"]
    assert line_with("issue #1", timeline).split()[1:3] == ["issue", "Lee"]
    assert line_with("issue #2", timeline).split()[1:3] == ["issue", "Ola"]
    assert line_with("Dana sends", timeline).split()[1:3] == ["followup", "Dana"]


def test_json_and_csv_records_keep_the_spec_shapes(srm, team) -> None:
    import csv
    import io

    from srmcli.services.records import (
        CONTACT_COLUMNS,
        FOLLOWUP_COLUMNS,
        ISSUE_COLUMNS,
        SUPPLIER_COLUMNS,
    )

    assert list(srm("supplier", "show", "Acme", "-f", "json", ok=True).json()) == list(
        SUPPLIER_COLUMNS
    )
    for args, columns in (
        (("contact", "list"), CONTACT_COLUMNS),
        (("issue", "list"), ISSUE_COLUMNS),
        (("followup", "list"), FOLLOWUP_COLUMNS),
    ):
        rows = srm(*args, "-f", "json", ok=True).json()
        assert rows and all(list(r) == list(columns) for r in rows), args
    for kind, columns in (
        ("suppliers", SUPPLIER_COLUMNS),
        ("contacts", CONTACT_COLUMNS),
        ("issues", ISSUE_COLUMNS),
        ("followups", FOLLOWUP_COLUMNS),
    ):
        out = srm("export", kind, "--author", "lee", ok=True).stdout
        assert next(csv.reader(io.StringIO(out))) == list(columns), kind
    # timeline json: the issue and follow-up entries are their records, as before
    entries = srm("timeline", "Acme", "-f", "json", ok=True).json()
    assert all("author" not in e for e in entries if e["type"] != "interaction")


# -- --author filters -----------------------------------------------------------------


def test_timeline_author_keeps_everything_that_person_recorded(srm, team) -> None:
    def entries(name: str) -> list[tuple[str, Any]]:
        rows = srm("timeline", "Acme", "--author", name, "-f", "json", ok=True).json()
        return [(r["type"], r.get("note") or r.get("description") or r.get("text")) for r in rows]

    assert entries("lee") == [
        ("interaction", "Lee chased the late order"),
        ("issue", "Lee chased the late order"),
        ("followup", "Ship date from Acme"),
    ]
    assert entries("DANA") == [
        ("interaction", "Dana's intro call"),
        ("followup", "Dana sends the NDA"),
    ]
    assert entries("ola") == [("issue", "Invoice twice")]
    assert len(srm("timeline", "Acme", "-f", "json", ok=True).json()) == 6
    refused = srm("timeline", "Acme", "--author", "le")
    assert refused.exit_code == 1 and refused.stdout == ""
    assert refused.stderr.startswith("Error: nothing was recorded by 'le'")


def test_export_author_filters_every_record_type(srm, team) -> None:
    def names(kind: str, *extra: str) -> list[str]:
        rows = srm("export", kind, *extra, "-f", "json", ok=True).json()
        return [r.get("name") or r.get("description") or r.get("text") for r in rows]

    assert names("suppliers", "--author", "dana") == ["Acme"]
    assert names("suppliers", "--author", "Lee") == ["Borealis"]
    assert names("contacts", "--author", "lee") == ["Bo Lind"]
    assert names("issues", "--author", "ola") == ["Invoice twice"]
    assert names("issues", "--author", "lee", "--from", "2026-11-21") == []
    assert names("followups", "--author", "dana", "--supplier", "acme") == ["Dana sends the NDA"]
    # a known author with no record of that type: an empty export, not an error
    assert names("contacts", "--author", "ola") == []


def test_find_author_knows_names_from_every_table(srm, team, writing_as) -> None:
    writing_as("Sam")
    srm("sourcing", "new", "Second source", ok=True)
    writing_as("pat")
    srm("status", "import", "Acme", "-", input=STATUS_CSV, ok=True)
    writing_as("dana")  # the same person as "Dana", typed in another case
    srm("supplier", "add", "Corvid", ok=True)
    # a name that only opened an issue, or only a sourcing project, is an author: the
    # report has no interaction of theirs to score (no data), rather than an error
    ola = srm("report", "--author", "OLA", "-f", "json", ok=True).json()
    assert {r["depth_score"] for r in ola} == {None}
    assert srm("export", "interactions", "--author", "sam", "-f", "json", ok=True).json() == []
    refused = srm("export", "suppliers", "--author", "ol")
    assert refused.exit_code == 1 and refused.stdout == ""
    assert refused.stderr.strip() == (
        "Error: nothing was recorded by 'ol'; authors in this journal: "
        "Dana, Lee, Ola, pat, Sam. Did you mean: Ola?"
    )


def test_an_empty_journal_has_no_authors_to_filter_by(srm) -> None:
    refused = srm("export", "suppliers", "--author", "dana")
    assert refused.exit_code == 1
    assert "no record in this journal has an author yet" in refused.stderr


# -- a journal from before record authors ----------------------------------------------


def _journal_at_0002() -> Any:
    """The journal in force, at revision 0002, with a record of every kind by nobody."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, insert
    from sqlmodel import SQLModel

    import srmcli.models  # noqa: F401  (registers the tables)
    from srmcli import db, migrations

    url = db.url()
    path = db.sqlite_path(url)
    if path is not None:
        db.prepare_sqlite_file(path)
    engine = create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        if path is not None:
            command.upgrade(cfg, "0002")  # a new file
        else:
            command.downgrade(cfg, "0002")  # the test server: emptied, at head
    t = SQLModel.metadata.tables
    then = datetime(2026, 3, 2, 9, 0)
    rows: list[tuple[str, dict[str, Any]]] = [
        ("supplier", {"id": 1, "name": "Acme", "name_key": "acme", "aliases": [],
                      "status": "active", "access": "standard", "tags": [], "created_at": then}),
        ("contact", {"id": 1, "supplier_id": 1, "name": "Alice", "name_key": "alice",
                     "role": "sales", "active": True}),
        ("interaction", {"id": 1, "supplier_id": 1, "occurred_at": then, "channel": "call",
                         "initiator": "us", "tone": 0, "tags": [], "note": "Old call",
                         "author": "old-hand"}),
        ("issue", {"id": 1, "supplier_id": 1, "kind": "quality", "severity": 3,
                   "status": "open", "opened_at": then, "description": "Old issue"}),
        ("followup", {"id": 1, "supplier_id": 1, "owner": "them", "text": "Old promise",
                      "due": then.date()}),
        ("sourcing_project", {"id": 1, "name": "Old project", "name_key": "old project",
                              "status": "open", "created_at": then}),
        ("candidate", {"id": 1, "project_id": 1, "supplier_id": 1, "stage": "identified"}),
        ("status_report", {"id": 1, "supplier_id": 1, "report_date": then.date(),
                           "imported_at": then}),
    ]  # fmt: skip
    with engine.begin() as conn:
        for table, values in rows:
            conn.execute(insert(t[table]).values(**values))
        if path is None:  # ids were given: move the server's sequences past them
            for table, _ in rows:
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 2, false)"
                )
    engine.dispose()


def test_a_journal_at_0002_upgrades_on_open_and_new_records_get_authors(srm, writing_as) -> None:
    from sqlalchemy import create_engine, text

    from srmcli import db
    from srmcli.migrations import HEAD

    _journal_at_0002()
    writing_as("Dana")
    # the first write of the day is a quick `srm log`: on SQLite its fast path sees the
    # old revision and hands over to the path that upgrades
    srm("log", "Acme", "New call", "--with", "alice", "--issue", "billing",
        "--follow-up", "Send the invoice copy", "--due", "friday", ok=True)  # fmt: skip
    engine = create_engine(db.url())
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
    engine.dispose()
    srm("supplier", "add", "Borealis", ok=True)
    srm("contact", "add", "Acme", "Bob", "--role", "operations", ok=True)
    srm("sourcing", "add", "Old project", "Borealis", ok=True)
    assert authors("supplier") == [None, "Dana"]
    assert authors("contact") == [None, "Dana"]
    assert authors("interaction") == ["old-hand", "Dana"]
    assert authors("issue") == [None, "Dana"]
    assert authors("followup") == [None, "Dana"]
    assert authors("candidate") == [None, "Dana"]
    assert authors("sourcing_project") == [None]
    assert authors("status_report") == [None]
    # what a buyer sees: the old issue by nobody, the new one by Dana
    issues = srm("issue", "list", ok=True).stdout
    assert line_with("Old issue", issues).split()[-3] == "-"
    assert " Dana " in line_with("New call", issues)
    assert [r["description"] for r in srm(
        "export", "issues", "--author", "dana", "-f", "json", ok=True
    ).json()] == ["New call"]  # fmt: skip
