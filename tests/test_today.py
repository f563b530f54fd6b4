"""`srm today` and calendar to-dos (`-f ics`, `srm followup list --ics`)."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from icalendar import Calendar


def todos(ics: str) -> dict[str, dict[str, object]]:
    """The to-dos of an iCalendar text, by UID."""
    calendar = Calendar.from_ical(ics)
    found = {}
    for todo in calendar.walk("VTODO"):
        found[str(todo["UID"])] = {
            "summary": str(todo["SUMMARY"]),
            "status": str(todo["STATUS"]),
            "due": todo.decoded("DUE"),
            "dtstamp": todo.decoded("DTSTAMP"),
        }
    return found


def agenda_journal(srm) -> None:
    """Clock: Wednesday 2026-11-25."""
    srm("supplier", "add", "Northwind", "--cadence", "30", ok=True)
    srm("supplier", "add", "Acme", "--cadence", "14", ok=True)
    srm("supplier", "add", "Lumen", "--cadence", "30", ok=True)
    srm("contact", "add", "Northwind", "Jo Boss", "--role", "executive", ok=True)
    srm("contact", "add", "Lumen", "Li", "--role", "sales", ok=True)
    srm("log", "Northwind", "Quarterly review", "--date", "2026-10-01", ok=True)
    srm("log", "Lumen", "Chat", "--date", "2026-11-23", ok=True)
    srm("followup", "add", "Acme", "Send drawings", "--due", "2026-11-20", ok=True)  # #1
    srm("followup", "add", "Acme", "Book the visit", "--due", "today", ok=True)  # #2
    srm("followup", "add", "Acme", "Plan Q1", "--due", "2026-12-01", ok=True)  # #3 not yet
    srm("followup", "add", "Northwind", "New ship dates", "--due", "2026-11-18",
        "--owner", "them", ok=True)  # #4  # fmt: skip
    srm("followup", "add", "Lumen", "Price list", "--due", "2026-11-19", "--owner", "them",
        ok=True)  # #5  # fmt: skip
    srm("followup", "done", "5", ok=True)
    srm("issue", "open", "Northwind", "late-delivery", "PO 7 late", "--date", "2026-10-20",
        ok=True)  # fmt: skip
    srm("issue", "escalate", "1", "--to", "Jo", "--date", "2026-10-25", ok=True)
    srm("issue", "open", "Lumen", "quality", "Scratches", "--date", "2026-11-01", ok=True)
    srm("issue", "escalate", "2", "--to", "Li", "--date", "2026-11-02", ok=True)  # Lumen: talked
    srm("sourcing", "new", "Castings 2027", "--due", "2026-12-05", ok=True)
    srm("sourcing", "new", "Forgings", "--due", "2027-03-01", ok=True)
    srm("sourcing", "new", "Late one", "--due", "2026-11-20", ok=True)
    srm("sourcing", "add", "Castings 2027", "Lumen", ok=True)


def test_today_lists_what_is_due_today(srm) -> None:
    agenda_journal(srm)
    day = srm("today", "-f", "json", ok=True).json()
    assert day["as_of"] == "2026-11-25"
    assert [(f["id"], f["days_overdue"]) for f in day["our_todos"]] == [(1, 5), (2, 0)]
    assert [f["id"] for f in day["their_promises"]] == [4]  # #5 was kept
    # Northwind last seen 55 days ago (cadence 30); Acme never, added today (due now)
    assert [r["supplier"] for r in day["contact_due"]] == ["Northwind", "Acme"]
    assert day["contact_due"][0]["days_overdue"] == 25
    # Lumen's escalated issue was talked about two days ago; Northwind's went quiet
    assert [(i["id"], i["escalated_to"]) for i in day["escalated_issues"]] == [(1, "Jo Boss")]
    assert day["escalated_issues"][0]["days_since_last"] == 55
    assert [(p["name"], p["days_left"], p["candidates"]) for p in day["projects_due"]] == [
        ("Late one", -5, 0), ("Castings 2027", 10, 1),
    ]  # fmt: skip
    table = srm("today", ok=True).stdout
    assert table.startswith("Today, Wednesday 2026-11-25")
    for text in ("Send drawings", "New ship dates", "Castings 2027", "late-delivery", "Acme"):
        assert text in table
    assert "Plan Q1" not in table and "Price list" not in table and "Forgings" not in table


def test_an_empty_day_says_so(srm) -> None:
    table = srm("today", ok=True).stdout
    assert "No to-do of ours is due." in table
    assert "No escalated issue has gone quiet." in table
    assert todos(srm("today", "-f", "ics", ok=True).stdout) == {}


def test_calendar_uids_are_stable_and_say_nothing(srm, tmp_path: Path) -> None:
    agenda_journal(srm)
    target = tmp_path / "today.ics"
    srm("today", "-o", str(target), ok=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    first = todos(target.read_text(encoding="utf-8"))
    # two to-dos, a promise, two contacts, an issue, two projects
    assert len(first) == 8
    assert {t["status"] for t in first.values()} == {"NEEDS-ACTION"}
    summaries = {t["summary"] for t in first.values()}
    assert "Chase Northwind: New ship dates" in summaries
    assert "Send drawings (Acme)" in summaries
    assert "Get in touch with Northwind" in summaries
    assert "Chase Northwind on escalated late-delivery issue #1" in summaries
    assert "Sourcing project Castings 2027 due" in summaries
    dues = {t["summary"]: t["due"] for t in first.values()}
    assert str(dues["Send drawings (Acme)"]) == "2026-11-20"
    assert str(dues["Sourcing project Castings 2027 due"]) == "2026-12-05"

    # the text changes, the UID does not: a re-import updates the same to-do
    srm("followup", "edit", "1", "--text", "Send the revised drawings", ok=True)
    again = todos(srm("today", "-f", "ics", ok=True).stdout)
    assert set(again) == set(first)
    assert "Send the revised drawings (Acme)" in {t["summary"] for t in again.values()}
    for uid in again:
        assert uid.endswith("@srm")
        for word in ("drawings", "Send", "Acme", "Northwind", "ship", "Castings"):
            assert word.lower() not in uid.lower()

    # the same follow-up is the same to-do from `followup list --ics`
    listed = todos(srm("followup", "list", "--ics", ok=True).stdout)
    assert len(listed) == 4  # #1-#4 open
    plan = {u for u, t in listed.items() if t["summary"] == "Plan Q1 (Acme)"}
    assert len(plan) == 1 and not plan & set(first)  # not due yet: not on today's agenda
    assert set(listed) - plan <= set(first)
    assert todos(srm("followup", "list", "--ics", ok=True).stdout) == listed


def test_followup_list_writes_done_ones_completed(srm, tmp_path: Path) -> None:
    agenda_journal(srm)
    target = tmp_path / "followups.ics"
    r = srm("followup", "list", "--all", "-o", str(target), ok=True)
    assert f"Wrote {target}." in r.stderr
    found = todos(target.read_text(encoding="utf-8"))
    by_summary = {t["summary"]: t for t in found.values()}
    assert by_summary["Chase Lumen: Price list"]["status"] == "COMPLETED"
    assert by_summary["Plan Q1 (Acme)"]["status"] == "NEEDS-ACTION"
    calendar = Calendar.from_ical(target.read_text(encoding="utf-8"))
    done = next(t for t in calendar.walk("VTODO") if "Price list" in str(t["SUMMARY"]))
    assert done.decoded("COMPLETED").year == 2026
    assert srm("followup", "list", "-f", "ics", ok=True).stdout.startswith("BEGIN:VCALENDAR")
    r = srm("followup", "list", "--ics", "-f", "json")
    assert r.exit_code == 1 and "--ics" in r.stderr


@pytest.mark.sqlite_only
def test_a_copied_journal_keeps_its_uids_another_journal_has_its_own(srm, tmp_path: Path) -> None:
    agenda_journal(srm)
    ours = todos(srm("followup", "list", "--ics", ok=True).stdout)
    copy = tmp_path / "copy.db"
    srm("db", "copy", "--to", str(copy), ok=True)
    assert todos(srm("--db", str(copy), "followup", "list", "--ics", ok=True).stdout) == ours
    other = tmp_path / "other.db"
    srm("--db", str(other), "supplier", "add", "Acme", ok=True)
    srm("--db", str(other), "followup", "add", "Acme", "Send drawings", "--due", "2026-11-20",
        ok=True)  # fmt: skip
    theirs = todos(srm("--db", str(other), "followup", "list", "--ics", ok=True).stdout)
    assert len(theirs) == 1 and not set(theirs) & set(ours)


def test_ics_is_refused_where_there_are_no_to_dos(srm, tmp_path: Path) -> None:
    srm("supplier", "add", "Northwind", ok=True)
    target = tmp_path / "portfolio.ics"
    r = srm("report", "-o", str(target))
    assert r.exit_code == 1 and "no calendar to-dos" in r.stderr and not target.exists()
    r = srm("today", "-o", str(tmp_path / "today.md"))
    assert r.exit_code == 1 and ".ics" in r.stderr
    r = srm("today", "-f", "csv")
    assert r.exit_code == 1 and "table, json, ics" in r.stderr


def test_calendar_text_is_never_terminal_control(srm) -> None:
    """iCalendar text may hold no control characters (RFC 5545 TEXT), and `--ics` printed
    on a terminal must not clear it: stored escapes are shown, as in every table."""
    srm("supplier", "add", "Northwind", ok=True)
    srm("followup", "add", "Northwind", "\x1b[2Jship\x07 dates\x1b]0;title\x07", "--due",
        "2026-11-20", "--owner", "them", ok=True)  # fmt: skip
    for args in (("followup", "list", "--ics"), ("today", "-f", "ics")):
        ics = srm(*args, ok=True).stdout
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", ics), args
        summaries = {t["summary"] for t in todos(ics).values()}
        assert "Chase Northwind: \\x1b[2Jship\\x07 dates\\x1b]0;title\\x07" in summaries, args
