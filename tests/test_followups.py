"""Follow-ups: their promises and our to-dos; add, list (overdue, owner, all), done.

Today is Wednesday 2026-11-25 (conftest). `--due` leans to the future: "friday" is
2026-11-27 and "wednesday" is today.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest

FOLLOWUP_KEYS = [
    "id", "supplier", "owner", "text", "due", "done_at", "interaction_id", "interaction_at",
]  # fmt: skip


def seed(srm) -> None:
    srm("supplier", "add", "Northwind Metals", "--alias", "NW", ok=True)
    srm("supplier", "add", "Acme Fasteners", ok=True)


def everything(srm) -> list[dict]:
    return srm("followup", "list", "--all", "-f", "json", ok=True).json()


def one_error_line(r) -> str:
    assert r.exit_code == 1, r
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    return lines[0]


def test_build_followup_rules() -> None:
    from srmcli.errors import InvalidValueError
    from srmcli.models import Supplier
    from srmcli.services.followups import build_followup

    supplier = Supplier(id=3, name="Acme", name_key="acme", created_at=datetime(2026, 1, 1))
    f = build_followup(
        supplier=supplier, owner=None, text="  Send drawings \n", due=date(2026, 12, 1)
    )
    assert (f.supplier_id, f.owner, f.text, f.due, f.done_at, f.id) == (
        3, "us", "Send drawings", date(2026, 12, 1), None, None
    )  # fmt: skip
    theirs = build_followup(supplier=supplier, owner="THEM", text="Quote", due=date(2026, 12, 1),
                            done_at=datetime(2026, 11, 24, 9, 0), interaction_id=12)  # fmt: skip
    assert (theirs.owner, theirs.done_at, theirs.interaction_id) == (
        "them", datetime(2026, 11, 24, 9, 0), 12
    )  # fmt: skip
    with pytest.raises(InvalidValueError, match="the done day 2026-11-30 is in the future"):
        build_followup(supplier=supplier, owner="them", text="Quote", due=date(2026, 12, 1),
                       done_at=datetime(2026, 11, 30, 9, 0))  # fmt: skip
    with pytest.raises(InvalidValueError, match="unknown owner 'they'; accepted: them, us"):
        build_followup(supplier=supplier, owner="they", text="x", due=date(2026, 12, 1))
    with pytest.raises(InvalidValueError, match="the follow-up text is empty"):
        build_followup(supplier=supplier, owner="us", text=" \n ", due=date(2026, 12, 1))


def test_add_defaults_and_record_shape(srm) -> None:
    seed(srm)
    r = srm("followup", "add", "NW", "Send drawings", "--due", "friday", "-f", "json")
    assert r.exit_code == 0, r.stderr
    rec = r.json()
    assert list(rec) == FOLLOWUP_KEYS
    assert rec == {"id": 1, "supplier": "Northwind Metals", "owner": "us",
                   "text": "Send drawings", "due": "2026-11-27", "done_at": None,
                   "interaction_id": None, "interaction_at": None}  # fmt: skip


def test_add_their_promise_message(srm) -> None:
    seed(srm)
    r = srm("followup", "add", "acme", "New ship date", "--due", "next monday", "--owner", "them")
    assert r.exit_code == 0 and r.stdout == ""
    assert r.stderr.strip() == "Added their promise #1 for Acme Fasteners, due Mon 2026-11-30."
    assert everything(srm)[0]["owner"] == "them"
    today = srm("followup", "add", "acme", "Call back", "--due", "wednesday", "-f", "json").json()
    assert today["due"] == "2026-11-25"


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["NW", "Send drawings", "--due", "friday", "--owner", "they"], "accepted: them, us"),
        (["NW", "   ", "--due", "friday"], "the follow-up text is empty"),
        (["NW", "Send drawings", "--due", "someday"], "cannot read the date 'someday'"),
        (["NW", "Send drawings", "--due", "2026-13-01"], "not a real calendar date"),
        (["Nobody", "Send drawings", "--due", "friday"], "no supplier named 'Nobody'"),
        (["NW", "Send drawings", "--due", "friday", "-f", "yaml"], "table, json, csv"),
    ],
)
def test_add_bad_values_write_nothing(srm, args, fragment) -> None:
    seed(srm)
    assert fragment in one_error_line(srm("followup", "add", *args))
    assert everything(srm) == []


def test_add_without_due_is_refused(srm) -> None:
    seed(srm)
    r = srm("followup", "add", "NW", "Send drawings")
    # the root group reports a missing option as a one-line `Error:` (exit code is its call)
    assert r.exit_code != 0 and r.stderr.startswith("Error: Missing option '--due'")
    assert everything(srm) == []


def build_journal(srm) -> None:
    """#1 NW them due 11-20 (5 days late), #2 NW us due 11-24 (1 day late),
    #3 Acme them due today, #4 Acme us due 12-03, #5 NW them due 11-10, done 11-12."""
    seed(srm)
    for supplier, text, due, owner in [
        ("NW", "Send new ship date", "2026-11-20", "them"),
        ("NW", "Send drawings", "2026-11-24", "us"),
        ("Acme", "Quote for M8", "today", "them"),
        ("Acme", "Visit plant", "2026-12-03", "us"),
        ("NW", "Credit note", "2026-11-10", "them"),
    ]:
        srm("followup", "add", supplier, text, "--due", due, "--owner", owner, ok=True)
    srm("followup", "done", "5", "--date", "2026-11-12", ok=True)


def test_list_filters_and_order(srm) -> None:
    build_journal(srm)

    def ids(*args: str) -> list[int]:
        return [r["id"] for r in srm("followup", "list", *args, "-f", "json", ok=True).json()]

    assert ids() == [1, 2, 3, 4]  # not done, soonest due first
    # overdue = not done and due before today; #3 is due today, so not late yet
    assert ids("--overdue") == [1, 2]
    assert ids("--owner", "them") == [1, 3]
    assert ids("--overdue", "--owner", "them") == [1]
    assert ids("--all") == [5, 1, 2, 3, 4]
    assert ids("nw", "--all") == [5, 1, 2]
    assert ids("--overdue", "--all") == [1, 2]  # a done follow-up is never overdue
    assert ids("acme", "--owner", "US") == [4]
    bad = one_error_line(srm("followup", "list", "--owner", "they"))
    assert "unknown owner 'they'; accepted: them, us" in bad


def test_list_table_shows_days_late(srm) -> None:
    build_journal(srm)
    r = srm("followup", "list", "--all")
    assert r.exit_code == 0 and r.stderr == ""
    lines = [line.strip() for line in r.stdout.splitlines() if line.strip()]
    assert max(len(line) for line in r.stdout.splitlines()) <= 80
    assert lines[0].split() == ["#", "supplier", "owner", "text", "due", "days", "late", "done",
                                "on", "by"]  # fmt: skip

    def line_of(n: int) -> list[str]:
        return next(line for line in lines if line.startswith(f"{n} ")).split()

    # the last column is who recorded it: the login name, as no author is configured
    assert line_of(1)[-3:] == ["5", "-", "kim"]
    assert line_of(2)[-3:] == ["1", "-", "kim"]
    assert line_of(3)[-4:] == ["2026-11-25", "-", "-", "kim"]
    assert line_of(5)[-4:] == ["2026-11-10", "-", "2026-11-12", "kim"]
    assert "Nothing overdue." in srm("followup", "list", "acme", "--overdue").stdout


def test_list_csv_columns(srm) -> None:
    build_journal(srm)
    out = srm("followup", "list", "--owner", "them", "--all", "-f", "csv", ok=True).stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == FOLLOWUP_KEYS
    assert rows[1] == ["5", "Northwind Metals", "them", "Credit note", "2026-11-10",
                       "2026-11-12T00:00:00", "", ""]  # fmt: skip
    assert [r[0] for r in rows[1:]] == ["5", "1", "3"]


def test_done_now_late_and_twice(srm) -> None:
    build_journal(srm)
    r = srm("followup", "done", "3")
    assert r.exit_code == 0 and r.stdout == ""
    assert r.stderr.strip() == "Done: their promise #3 for Acme Fasteners."
    late = srm("followup", "done", "#1", "--date", "yesterday")
    # due 11-20, done 11-24
    assert late.stderr.strip() == (
        "Done: their promise #1 for Northwind Metals, 4 days after it was due."
    )
    rec = srm("followup", "done", "2", "-f", "json").json()
    assert list(rec) == FOLLOWUP_KEYS and rec["done_at"] == "2026-11-25T10:30:00"
    by_id = {f["id"]: f for f in everything(srm)}
    assert by_id[3]["done_at"] == "2026-11-25T10:30:00"
    assert by_id[1]["done_at"] == "2026-11-24T00:00:00"
    again = one_error_line(srm("followup", "done", "1"))
    assert "follow-up #1 was already done on 2026-11-24" in again
    assert srm("followup", "list", "-f", "json", ok=True).json()[0]["id"] == 4


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["99"], "no follow-up #99"),
        (["abc"], "follow-up id 'abc' is not accepted"),
        (["1", "--date", "tomorrow"], "2026-11-26 is in the future"),
        (["1", "--date", "someday"], "cannot read the date 'someday'"),
    ],
)
def test_done_bad_values_write_nothing(srm, args, fragment) -> None:
    build_journal(srm)
    before = everything(srm)
    assert fragment in one_error_line(srm("followup", "done", *args))
    assert everything(srm) == before


def test_done_before_the_interaction_it_came_from_is_refused(srm) -> None:
    srm("supplier", "add", "Northwind", ok=True)
    srm("log", "Northwind", "Asked for drawings", "--date", "2026-11-10",
        "--follow-up", "send drawings", "--due", "2026-11-30", ok=True)  # fmt: skip
    early = srm("followup", "done", "1", "--date", "1999-01-01")
    assert early.exit_code == 1 and "on or after" in early.stderr
    assert "2026-11-10" in early.stderr and len(early.stderr.splitlines()) == 1
    assert srm("followup", "list", "-f", "json", ok=True).json()[0]["done_at"] is None
    srm("followup", "done", "1", "--date", "2026-11-10", ok=True)  # the same day is fine
