"""`srm log … --for-issue ID` (SPEC §8): the call belongs to that open issue, is linked to
it, and shows in the issue's trail (`srm issue show`) and in the timeline. Runs on SQLite
and, with SRM_TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import pytest


@pytest.fixture
def journal_with_issue(srm):
    srm("supplier", "add", "Acme", ok=True)
    srm("supplier", "add", "Northwind", ok=True)
    srm("contact", "add", "Acme", "Alice Moreau", "--role", "sales", ok=True)
    srm("log", "Acme", "Truck missed the slot", "--date", "2026-11-18", "--issue",
        "late-delivery", ok=True)  # fmt: skip
    return srm


def test_a_call_for_an_issue_joins_its_trail_and_the_timeline(journal_with_issue) -> None:
    srm = journal_with_issue
    logged = srm("log", "Acme", "Chased the ship date\nsecond line", "--for-issue", "#1",
                 "--with", "alice", "--date", "2026-11-20", "-f", "json")  # fmt: skip
    assert logged.exit_code == 0, logged.stderr
    call = logged.json()
    assert call["for_issue"] == 1
    srm("log", "Acme", "A call about something else", "--date", "2026-11-21", ok=True)
    said = srm("log", "Acme", "Asked again", "--for-issue", "1", "--date", "2026-11-22")
    assert said.exit_code == 0 and "for issue #1" in said.stderr

    trail = srm("issue", "show", "1", "-f", "json").json()
    assert trail["id"] == 1 and trail["status"] == "open"
    # the call it came out of, then each call logged for it, oldest first
    assert [c["note"] for c in trail["calls"]] == [
        "Truck missed the slot",
        "Chased the ship date\nsecond line",
        "Asked again",
    ]
    assert trail["calls"][1]["contacts"] == ["Alice Moreau"]
    table = srm("issue", "show", "1").stdout
    assert "Chased the ship date …" in table and "Asked again" in table
    assert "A call about something else" not in table

    timeline = srm("timeline", "Acme", "-f", "json").json()
    calls = {r["note"]: r["for_issues"] for r in timeline if r["type"] == "interaction"}
    assert calls == {
        "Truck missed the slot": [],
        "Chased the ship date\nsecond line": [1],
        "A call about something else": [],
        "Asked again": [1],
    }
    assert "→ issue #1" in srm("timeline", "Acme").stdout


def test_an_escalated_issue_takes_calls_a_resolved_one_refuses_them(journal_with_issue) -> None:
    srm = journal_with_issue
    srm("issue", "escalate", "1", "--to", "alice", ok=True)
    srm("log", "Acme", "Called after the escalation", "--for-issue", "1", ok=True)
    srm("issue", "resolve", "1", "--note", "air freight", ok=True)
    late = srm("log", "Acme", "One more call", "--for-issue", "1")
    assert late.exit_code == 1
    assert late.stderr.startswith("Error: issue #1 was resolved")
    assert len(srm("issue", "show", "1", "-f", "json").json()["calls"]) == 2
    assert "One more call" not in srm("timeline", "Acme", "-f", "csv").stdout


@pytest.mark.parametrize(
    ("issue", "message"),
    [
        ("7", "Error: no issue #7"),
        ("seven", "Error: issue id 'seven' is not accepted"),
    ],
)
def test_an_unknown_issue_is_refused_and_nothing_written(journal_with_issue, issue, message):
    srm = journal_with_issue
    ran = srm("log", "Acme", "Lost call", "--for-issue", issue)
    assert ran.exit_code == 1
    assert ran.stderr.startswith(message)
    assert "Lost call" not in srm("timeline", "Acme", "-f", "csv").stdout


def test_an_issue_of_another_supplier_is_refused(journal_with_issue) -> None:
    srm = journal_with_issue
    ran = srm("log", "Northwind", "Wrong supplier", "--for-issue", "1")
    assert ran.exit_code == 1
    assert "issue #1 is not Northwind's" in ran.stderr
    assert srm("timeline", "Northwind", "-f", "json").json() == []


def test_issue_show_of_an_unknown_issue(srm) -> None:
    ran = srm("issue", "show", "3")
    assert ran.exit_code == 1
    assert ran.stderr.startswith("Error: no issue #3")


@pytest.mark.sqlite_only
def test_db_copy_carries_the_calls_of_an_issue(journal_with_issue, tmp_path) -> None:
    srm = journal_with_issue
    srm("log", "Acme", "Chased", "--for-issue", "1", ok=True)
    copy = tmp_path / "copy.db"
    srm("db", "copy", "--to", str(copy), ok=True)
    trail = srm("--db", str(copy), "issue", "show", "1", "-f", "json").json()
    assert [c["note"] for c in trail["calls"]] == ["Truck missed the slot", "Chased"]
