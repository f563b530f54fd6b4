"""Fixing mistakes (SPEC §8): every record can be shown, corrected and removed.

`srm interaction show|edit|rm`, `issue edit|reopen|rm`, `escalate --to … --date`,
`followup edit|undone|rm`, `status list|rm`, `sourcing drop|edit`. After each, the
journal's derived copies still agree (`srm db check`) and search follows the note.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPORT = "po,line,item,qty_ordered,qty_received,promised_date,received_date\n" "4410,1,Bracket,100,0,2026-11-20,\n"  # fmt: skip


def seed(srm) -> None:
    srm("supplier", "add", "Northwind Metals", "--alias", "NW", ok=True)
    srm("supplier", "add", "Acme", ok=True)
    srm("contact", "add", "NW", "Alice Moreau", "--role", "sales", ok=True)
    srm("contact", "add", "NW", "Bob Chen", "--role", "operations", ok=True)
    srm("contact", "add", "NW", "Dana Wu", "--role", "executive", ok=True)
    srm("contact", "add", "Acme", "Alan Smith", "--role", "sales", ok=True)
    srm("log", "NW", "Price talk about castings", "--with", "alice", "--tactic",
        "price-increase", "--tag", "q4", "--date", "2026-11-20 14:00", ok=True)  # fmt: skip


def checked(srm) -> None:
    r = srm("db", "check")
    assert r.exit_code == 0 and r.stdout == "ok\n", r.stderr


def error_line(ran) -> str:
    assert ran.exit_code == 1, ran
    assert ran.stdout == ""
    lines = ran.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), ran.stderr
    return lines[0]


# ------------------------------------------------------------------ interactions


def test_interaction_show_accepts_hash_ids_and_names_unknown_ones(srm) -> None:
    seed(srm)
    shown = srm("interaction", "show", "#1", "-f", "json", ok=True).json()
    assert shown["contacts"] == ["Alice Moreau"] and shown["tactics"] == ["price-increase"]
    assert srm("interaction", "show", "1", "-f", "json", ok=True).json() == shown
    table = srm("interaction", "show", "1", ok=True).stdout
    assert "Price talk about castings" in table and "Alice Moreau" in table
    assert "no interaction #12" in error_line(srm("interaction", "show", "12"))
    assert "no interaction #12" in error_line(srm("interaction", "rm", "#12"))
    assert "not accepted" in error_line(srm("interaction", "edit", "x1", "--tone", "1"))


def test_interaction_edit_changes_every_field_and_keeps_links_right(srm) -> None:
    seed(srm)
    r = srm("interaction", "edit", "1", "--note", "Volume talk, castings", "--date",
            "2026-11-18", "--channel", "visit", "--initiator", "them", "--with", "bob",
            "--with", "dana", "--without", "alice", "--duration", "45", "--tone", "2",
            "--tag", "plant", "--untag", "q4", "--tactic", "flattery", "--untactic",
            "price-increase", "-f", "json", ok=True).json()  # fmt: skip
    assert r["occurred_at"] == "2026-11-18T00:00:00"
    assert (r["channel"], r["initiator"], r["duration_min"], r["tone"]) == ("visit", "them", 45, 2)
    assert r["contacts"] == ["Bob Chen", "Dana Wu"]
    assert r["tags"] == ["plant"] and r["tactics"] == ["flattery"]
    assert r["note"] == "Volume talk, castings"
    checked(srm)
    # the brief counts the people and tactics as they are now, on the new date
    brief = srm("report", "NW", "-f", "json", ok=True).json()
    assert [t["tactic"] for t in brief["tactics"]] == ["flattery"]
    assert brief["tactics"][0]["last_seen"].startswith("2026-11-18")
    last = {c["name"]: c["last_contact"] for c in brief["contacts"]}
    assert last["Alice Moreau"] is None and last["Dana Wu"].startswith("2026-11-18")
    # search follows the note on both backends
    assert [h["id"] for h in srm("search", "volume", "-f", "json", ok=True).json()] == [1]
    assert srm("search", "price", "-f", "json", ok=True).json() == []
    # an export names the people from the kept contact ids
    exported = srm("export", "interactions", "-f", "json", ok=True).json()
    assert exported[0]["contacts"] == ["Bob Chen", "Dana Wu"]


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--tone", "5"], "tone"),
        (["--date", "tomorrow"], "in the future"),
        (["--channel", "fax"], "channel"),
        (["--with", "Alan"], "no contact 'Alan' at Northwind Metals"),
        (["--without", "bob"], "Bob Chen did not take part in interaction #1"),
        (["--untag", "nope"], "has no tag 'nope'"),
        (["--untactic", "flattery"], "has no tactic 'flattery'"),
        (["--tactic", "bribery"], "bribery"),
        ([], "nothing to change on interaction #1"),
    ],
)
def test_interaction_edit_refuses_bad_values_and_writes_nothing(srm, args, fragment) -> None:
    seed(srm)
    before = srm("interaction", "show", "1", "-f", "json", ok=True).json()
    assert fragment in error_line(srm("interaction", "edit", "1", *args))
    assert srm("interaction", "show", "1", "-f", "json", ok=True).json() == before
    assert srm("history", "-f", "json", ok=True).json() == []


def test_interaction_rm_unlinks_what_came_out_of_it(srm) -> None:
    seed(srm)
    srm("log", "NW", "Late again", "--issue", "late-delivery", "--follow-up", "Send plan",
        "--due", "friday", "--owner", "them", ok=True)  # fmt: skip
    gone = srm("interaction", "rm", "2", "-f", "json", ok=True).json()
    assert gone["id"] == 2 and gone["note"] == "Late again"
    assert "no interaction #2" in error_line(srm("interaction", "show", "2"))
    issue = srm("issue", "list", "-f", "json", ok=True).json()[0]
    assert issue["interaction_id"] is None
    # the note left the index; the issue it opened is still found by its description
    found = srm("search", "late", "-f", "json", ok=True).json()
    assert [(h["type"], h["id"]) for h in found] == [("issue", 1)]
    checked(srm)


def test_editing_a_call_after_the_promise_it_made_was_kept_is_refused(srm) -> None:
    seed(srm)
    srm("log", "NW", "Call", "--date", "2026-11-20", "--follow-up", "Send plan", "--due",
        "friday", ok=True)  # fmt: skip
    srm("followup", "done", "1", "--date", "2026-11-21", ok=True)
    line = error_line(srm("interaction", "edit", "2", "--date", "2026-11-23"))
    assert "follow-up #1 came out of interaction #2 and was done on 2026-11-21" in line


# ------------------------------------------------------------------ issues


def test_issue_edit_reopen_and_rm(srm) -> None:
    seed(srm)
    srm("issue", "open", "NW", "quality", "Burrs", "--date", "2026-11-20", ok=True)
    edited = srm("issue", "edit", "#1", "--kind", "late-delivery", "--severity", "1",
                 "--description", "Late castings", "--date", "2026-11-19", "-f", "json",
                 ok=True).json()  # fmt: skip
    assert (edited["kind"], edited["severity"], edited["description"]) == (
        "late-delivery", 1, "Late castings"
    )  # fmt: skip
    assert edited["opened_at"] == "2026-11-19T00:00:00"
    assert "nothing to change on issue #1" in error_line(srm("issue", "edit", "1"))
    assert "in the future" in error_line(srm("issue", "edit", "1", "--date", "tomorrow"))
    srm("issue", "resolve", "1", "--date", "2026-11-21", "--note", "Shipped", ok=True)
    line = error_line(srm("issue", "edit", "1", "--date", "2026-11-22"))
    assert "was resolved on 2026-11-21; give an opening day on or before 2026-11-21" in line
    reopened = srm("issue", "reopen", "1", "-f", "json", ok=True).json()
    assert (reopened["status"], reopened["resolved_at"], reopened["resolution"]) == (
        "open", None, None
    )  # fmt: skip
    assert "is not resolved" in error_line(srm("issue", "reopen", "1"))
    removed = srm("issue", "rm", "1", "-f", "json", ok=True).json()
    assert removed["id"] == 1
    assert srm("issue", "list", "--status", "all", "-f", "json", ok=True).json() == []
    assert "no issue #1" in error_line(srm("issue", "rm", "1"))
    checked(srm)


def test_reopening_an_escalated_issue_leaves_it_escalated(srm) -> None:
    seed(srm)
    srm("issue", "open", "NW", "quality", "--date", "2026-11-20", ok=True)
    srm("issue", "escalate", "1", "--to", "dana", "--date", "2026-11-21", ok=True)
    srm("issue", "resolve", "1", "--date", "2026-11-22", ok=True)
    r = srm("issue", "reopen", "1", "-f", "json", ok=True).json()
    assert (r["status"], r["escalated_to"], r["escalated_at"]) == (
        "escalated", "Dana Wu", "2026-11-21T00:00:00"
    )  # fmt: skip


def test_a_back_dated_escalation_is_resolved_on_its_real_day(srm) -> None:
    seed(srm)
    srm("issue", "open", "NW", "late-delivery", "Castings late", "--date", "2026-11-20", ok=True)
    # escalated to the president on the 23rd, written up on the 25th
    first = srm("issue", "escalate", "1", "--to", "bob", "--date", "2026-11-22",
                "--note", "no ship date", "-f", "json", ok=True).json()  # fmt: skip
    again = srm("issue", "escalate", "1", "--to", "dana", "--date", "2026-11-23",
                "-f", "json", ok=True).json()  # fmt: skip
    assert first["escalated_at"] == again["escalated_at"] == "2026-11-22T00:00:00"
    assert again["description"].splitlines() == [
        "Castings late",
        "2026-11-22 escalated to Bob Chen: no ship date",
        "2026-11-23 escalated to Dana Wu",
    ]
    done = srm("issue", "resolve", "1", "--date", "2026-11-23", "-f", "json", ok=True).json()
    assert (done["status"], done["resolved_at"]) == ("resolved", "2026-11-23T00:00:00")
    summary = srm("issue", "summary", "-f", "json", ok=True).json()
    assert summary[0]["mean_days_to_resolve"] == 3.0


def test_an_issue_is_not_resolved_before_its_latest_escalation(srm) -> None:
    seed(srm)
    srm("issue", "open", "NW", "late-delivery", "Castings late", "--date", "2026-11-18", ok=True)
    srm("issue", "escalate", "1", "--to", "bob", "--date", "2026-11-19", ok=True)
    srm("issue", "escalate", "1", "--to", "dana", "--date", "2026-11-22", ok=True)
    line = error_line(srm("issue", "resolve", "1", "--date", "2026-11-21"))
    assert line == (
        "Error: resolved 2026-11-21 is before issue #1 was last escalated (2026-11-22); "
        "give a day on or after 2026-11-22"
    )
    assert srm("issue", "show", "1", "-f", "json", ok=True).json()["status"] == "escalated"
    done = srm("issue", "resolve", "1", "--date", "2026-11-22", "-f", "json", ok=True).json()
    assert done["resolved_at"] == "2026-11-22T00:00:00"


def test_an_earlier_escalation_written_up_late_is_the_first_but_not_the_latest(srm) -> None:
    """The first escalation is the one with the earliest date, whatever order they were
    typed in; the issue stays with whoever the latest escalation (by date) went to."""
    seed(srm)
    srm("issue", "open", "NW", "late-delivery", "Castings late", "--date", "2026-11-18", ok=True)
    srm("issue", "escalate", "1", "--to", "dana", "--date", "2026-11-22", ok=True)
    # Bob had been asked on the 20th; it is written up after Dana's
    late = srm("issue", "escalate", "1", "--to", "bob", "--date", "2026-11-20",
               "-f", "json", ok=True).json()  # fmt: skip
    assert (late["escalated_at"], late["escalated_to"]) == ("2026-11-20T00:00:00", "Dana Wu")
    assert late["description"].splitlines()[1:] == [
        "2026-11-22 escalated to Dana Wu",
        "2026-11-20 escalated to Bob Chen",
    ]
    # a later one moves neither escalated_at nor, when it is dated after, the person back
    again = srm("issue", "escalate", "1", "--to", "alice", "--date", "2026-11-23",
                "-f", "json", ok=True).json()  # fmt: skip
    assert (again["escalated_at"], again["escalated_to"]) == ("2026-11-20T00:00:00", "Alice Moreau")
    assert "2026-11-23" in error_line(srm("issue", "resolve", "1", "--date", "2026-11-21"))
    srm("issue", "resolve", "1", "--date", "2026-11-23", ok=True)
    checked(srm)


def test_an_escalation_date_before_the_opening_or_in_the_future_is_refused(srm) -> None:
    seed(srm)
    srm("issue", "open", "NW", "quality", "--date", "2026-11-20", ok=True)
    line = error_line(srm("issue", "escalate", "1", "--to", "bob", "--date", "2026-11-19"))
    assert "the escalation day 2026-11-19 is before issue #1 was opened (2026-11-20)" in line
    line = error_line(srm("issue", "escalate", "1", "--to", "bob", "--date", "in 2 days"))
    assert "in the future" in line
    assert "an escalation goes to someone" in error_line(srm("issue", "escalate", "1"))
    assert srm("issue", "list", "-f", "json", ok=True).json()[0]["status"] == "open"


# ------------------------------------------------------------------ follow-ups


def test_followup_edit_undone_and_rm(srm) -> None:
    seed(srm)
    srm("followup", "add", "NW", "Send drawings", "--due", "friday", ok=True)
    r = srm("followup", "edit", "#1", "--text", "Send the drawings", "--due", "2026-12-02",
            "--owner", "them", "-f", "json", ok=True).json()  # fmt: skip
    assert (r["text"], r["due"], r["owner"]) == ("Send the drawings", "2026-12-02", "them")
    assert "nothing to change on follow-up #1" in error_line(srm("followup", "edit", "1"))
    assert "owner" in error_line(srm("followup", "edit", "1", "--owner", "they"))
    assert "not done" in error_line(srm("followup", "undone", "1"))
    srm("followup", "done", "1", ok=True)
    back = srm("followup", "undone", "1", "-f", "json", ok=True).json()
    assert back["done_at"] is None
    assert [f["id"] for f in srm("followup", "list", "-f", "json", ok=True).json()] == [1]
    srm("followup", "rm", "1", ok=True)
    assert srm("followup", "list", "--all", "-f", "json", ok=True).json() == []
    assert "no follow-up #1" in error_line(srm("followup", "rm", "1"))


# ------------------------------------------------------------------ status reports


def test_status_list_and_rm(srm, tmp_path: Path) -> None:
    seed(srm)
    path = tmp_path / "report.csv"
    path.write_text(REPORT, encoding="utf-8")
    srm("status", "import", "NW", str(path), "--date", "2026-11-20", ok=True)
    srm("status", "import", "NW", str(path), "--date", "2026-11-24", ok=True)
    listed = srm("status", "list", "NW", "-f", "json", ok=True).json()
    assert [(r["report_date"], r["lines"]) for r in listed] == [
        ("2026-11-24", 1),
        ("2026-11-20", 1),
    ]
    assert "2026-11-24" in srm("status", "list", "NW", ok=True).stdout
    gone = srm("status", "rm", "NW", "--date", "2026-11-24", "-f", "json", ok=True).json()
    assert (gone["report_date"], gone["lines"]) == ("2026-11-24", 1)
    assert srm("status", "show", "NW", "-f", "json", ok=True).json()["report_date"] == "2026-11-20"
    line = error_line(srm("status", "rm", "NW", "--date", "2026-11-24"))
    assert "Northwind Metals has no status report dated 2026-11-24; its reports: 2026-11-20" in line
    assert srm("status", "rm", "NW").exit_code == 2  # --date is required


# ------------------------------------------------------------------ sourcing


def test_sourcing_drop_and_edit(srm) -> None:
    seed(srm)
    srm("sourcing", "new", "Castings 2027", "--due", "2026-12-15", ok=True)
    srm("sourcing", "add", "Castings", "NW", ok=True)
    srm("sourcing", "add", "Castings", "Acme", ok=True)
    srm("sourcing", "move", "Castings", "Acme", "awarded", ok=True)
    assert srm("sourcing", "list", "-f", "json", ok=True).json()[0]["status"] == "awarded"
    dropped = srm("sourcing", "drop", "Castings", "Acme", "-f", "json", ok=True).json()
    assert (dropped["supplier"], dropped["stage"]) == ("Acme", "awarded")
    board = srm("sourcing", "board", "Castings", "-f", "json", ok=True).json()
    assert [b["supplier"] for b in board] == ["Northwind Metals"]
    # no awarded candidate is left: the project is open again
    assert srm("sourcing", "list", "-f", "json", ok=True).json()[0]["status"] == "open"
    assert "Acme is not a candidate" in error_line(srm("sourcing", "drop", "Castings", "Acme"))
    edited = srm("sourcing", "edit", "Castings", "--name", "Castings 2028", "--description",
                 "Aluminium castings", "--due", "", "--status", "closed", "-f", "json",
                 ok=True).json()  # fmt: skip
    assert (edited["name"], edited["description"], edited["due"], edited["status"]) == (
        "Castings 2028", "Aluminium castings", None, "closed"
    )  # fmt: skip
    assert "status" in error_line(srm("sourcing", "edit", "Castings", "--status", "won"))
    srm("sourcing", "new", "Resin", ok=True)
    assert "already exists" in error_line(
        srm("sourcing", "edit", "Resin", "--name", "castings 2028")
    )


def test_an_empty_duration_clears_it(srm) -> None:
    seed(srm)
    number = srm("log", "NW", "Timed call", "--duration", "25", "-f", "json", ok=True).json()["id"]
    srm("interaction", "edit", str(number), "--duration", "", ok=True)
    assert srm("interaction", "show", str(number), "-f", "json").json()["duration_min"] is None
    checked(srm)


def test_moving_the_opening_past_an_escalation_names_the_opening_day_to_give(srm) -> None:
    seed(srm)
    srm("issue", "open", "NW", "quality", "Burrs", "--date", "2026-11-20", ok=True)
    srm("issue", "escalate", "1", "--to", "Alice", "--date", "2026-11-21", ok=True)
    line = error_line(srm("issue", "edit", "1", "--date", "2026-11-23"))
    assert line == (
        "Error: issue #1 was escalated on 2026-11-21; give an opening day on or before 2026-11-21"
    )


def test_undoing_a_removal_brings_back_the_calls_logged_for_an_issue(srm) -> None:
    """`srm log --for-issue` links a call to an issue; removing either and undoing the
    removal puts the link back, so the issue's trail reads as before."""
    seed(srm)
    srm("issue", "open", "NW", "late-delivery", "PO 77 late", "--date", "2026-11-21", ok=True)
    for n, day in enumerate(("2026-11-22 10:00", "2026-11-23 10:00")):
        srm("log", "NW", f"Chased PO 77 ({n})", "--for-issue", "1", "--date", day, ok=True)
    trail = srm("issue", "show", "1", "-f", "json", ok=True).json()["calls"]
    assert len(trail) == 2
    for removal in (("interaction", "rm", "2"), ("issue", "rm", "1")):
        srm(*removal, ok=True)
        change = srm("history", "-n", "1", "-f", "json", ok=True).json()[0]["change"]
        srm("undo", str(change), ok=True)
        assert srm("issue", "show", "1", "-f", "json", ok=True).json()["calls"] == trail
        checked(srm)
    supplier = srm("timeline", "NW", "-f", "json", ok=True).json()
    assert [e["for_issues"] for e in supplier if e["type"] == "interaction"] == [[], [1], [1]]
