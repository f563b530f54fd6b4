"""Every change leaves a trace (SPEC §8): `srm history` and `srm undo`.

Each kind of record is changed or removed and then undone; what the reports say before
the removal is what they say after the undo, and `srm db check` passes all along.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPORT = "po,line,item,qty_ordered,qty_received,promised_date,received_date\n" "4410,1,Bracket,100,40,2026-11-20,2026-11-21\n"  # fmt: skip
KEYS = ["change", "at", "author", "record", "record_id", "supplier", "action", "before", "after"]


def seed(srm, tmp_path: Path) -> None:
    srm("supplier", "add", "Northwind Metals", "--alias", "NW", "--cadence", "14", ok=True)
    srm("supplier", "add", "Acme", ok=True)
    srm("contact", "add", "NW", "Alice Moreau", "--role", "sales", ok=True)
    srm("contact", "add", "NW", "Bob Chen", "--role", "operations", ok=True)
    srm("contact", "add", "NW", "Dana Wu", "--role", "executive", ok=True)
    srm("log", "NW", "Price talk", "--with", "alice", "--with", "dana", "--tactic",
        "price-increase", "--tactic", "flattery", "--tag", "q4", "--tone", "-1",
        "--date", "2026-11-10 09:00", "--issue", "late-delivery", "--severity", "2",
        "--follow-up", "Send the plan", "--due", "2026-11-20", "--owner", "them",
        ok=True)  # fmt: skip
    srm("log", "NW", "Plant visit", "--with", "bob", "--channel", "visit",
        "--initiator", "them", "--date", "2026-11-18", ok=True)  # fmt: skip
    srm("log", "Acme", "Intro call", "--date", "2026-11-12", ok=True)
    srm("issue", "escalate", "1", "--to", "dana", "--date", "2026-11-12", ok=True)
    srm("followup", "add", "NW", "Check drawings", "--due", "2026-11-30", ok=True)
    path = tmp_path / "report.csv"
    path.write_text(REPORT, encoding="utf-8")
    srm("status", "import", "NW", str(path), "--date", "2026-11-22", ok=True)
    srm("sourcing", "new", "Castings", ok=True)
    srm("sourcing", "add", "Castings", "NW", ok=True)
    srm("sourcing", "move", "Castings", "NW", "quoted", "--note", "good quote", ok=True)
    srm("sourcing", "rate", "Castings", "NW", "4", ok=True)
    srm("sourcing", "add", "Castings", "Acme", ok=True)


REPORTS = [
    ("report", "-f", "json"),
    ("report", "NW", "-f", "json"),
    ("report", "Acme", "-f", "json"),
    ("timeline", "NW", "-f", "json"),
    ("issue", "list", "--status", "all", "-f", "json"),
    ("followup", "list", "--all", "-f", "json"),
    ("contact", "list", "-f", "json"),
    ("supplier", "list", "--all", "-f", "json"),
    ("sourcing", "board", "Castings", "-f", "json"),
    ("sourcing", "list", "-f", "json"),
    ("status", "show", "NW", "-f", "json"),
    ("due", "-f", "json"),
    ("search", "price", "-f", "json"),
    ("export", "interactions", "-f", "json"),
]


def everything(srm) -> dict:
    """What each report says (or refuses: a removed supplier has no brief)."""
    out = {}
    for args in REPORTS:
        r = srm(*args)
        out[" ".join(args)] = (r.exit_code, r.stdout, r.stderr)
    return out


def same(now: dict, before: dict) -> None:
    """The reports read as they did; a difference is shown line by line."""
    import difflib

    for name, was in before.items():
        if now[name] != was:
            diff = difflib.unified_diff(
                was[1].splitlines() + was[2].splitlines(),
                now[name][1].splitlines() + now[name][2].splitlines(),
                lineterm="",
                n=2,
            )
            raise AssertionError(f"{name} differs:\n" + "\n".join(list(diff)[:40]))


def checked(srm) -> None:
    r = srm("db", "check")
    assert r.exit_code == 0 and r.stdout == "ok\n", r.stderr


def newest(srm) -> dict:
    return srm("history", "-n", "1", "-f", "json", ok=True).json()[0]


def error_line(ran) -> str:
    assert ran.exit_code == 1, ran
    lines = ran.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), ran.stderr
    return lines[0]


@pytest.fixture
def journal_seeded(srm, tmp_path: Path) -> None:
    seed(srm, tmp_path)


# each removal, and the reports before it and after its undo
REMOVALS = [
    ("interaction", ["interaction", "rm", "1"]),
    ("interaction", ["interaction", "rm", "2"]),
    ("issue", ["issue", "rm", "1"]),
    ("followup", ["followup", "rm", "1"]),
    ("contact", ["contact", "rm", "NW", "Dana Wu", "--force"]),
    ("status_report", ["status", "rm", "NW", "--date", "2026-11-22"]),
    ("candidate", ["sourcing", "drop", "Castings", "NW"]),
    ("supplier", ["supplier", "rm", "NW", "--force"]),
]


@pytest.mark.parametrize("record, removal", REMOVALS, ids=[" ".join(r[1][:2]) for r in REMOVALS])
def test_a_removal_undone_reads_exactly_as_before(srm, journal_seeded, record, removal) -> None:
    before = everything(srm)
    srm(*removal, ok=True)
    assert everything(srm) != before
    checked(srm)
    change = newest(srm)
    assert (change["record"], change["action"], change["after"]) == (record, "rm", None)
    assert change["before"]["id"] == change["record_id"]
    r = srm("undo", str(change["change"]))
    assert r.exit_code == 0, r.stderr
    assert r.stderr.startswith(f"Undid change #{change['change']}: brought back")
    same(everything(srm), before)
    checked(srm)
    undone = newest(srm)
    assert (undone["action"], undone["before"], undone["record_id"]) == (
        "undo", None, change["record_id"]
    )  # fmt: skip
    # undoing the undo removes it again, as the first removal did
    srm("undo", str(undone["change"]), ok=True)
    assert everything(srm) != before
    checked(srm)


EDITS = [
    ["interaction", "edit", "1", "--note", "Volume talk", "--date", "2026-11-11", "--without",
     "alice", "--with", "bob", "--untactic", "flattery", "--tactic", "bundling", "--tone", "2",
     "--untag", "q4", "--channel", "meeting"],
    ["issue", "edit", "1", "--kind", "quality", "--severity", "4", "--date", "2026-11-11"],
    ["issue", "escalate", "1", "--to", "bob", "--date", "2026-11-11", "--note", "earlier"],
    ["issue", "resolve", "1", "--date", "2026-11-20", "--note", "shipped"],
    ["followup", "edit", "1", "--text", "Send it", "--due", "2026-12-01", "--owner", "us"],
    ["followup", "done", "1", "--date", "2026-11-19"],
    ["supplier", "edit", "NW", "--name", "Northwind Castings", "--cadence", "30", "--tag", "x"],
    ["supplier", "archive", "NW"],
    ["contact", "edit", "NW", "Dana Wu", "--name", "Dana Wu-Li", "--role", "quality"],
    ["sourcing", "move", "Castings", "Acme", "awarded"],
    ["sourcing", "rate", "Castings", "NW", "2"],
    ["sourcing", "edit", "Castings", "--name", "Castings 2027", "--status", "closed"],
]  # fmt: skip


@pytest.mark.parametrize("edit", EDITS, ids=[" ".join(e[:2]) for e in EDITS])
def test_an_edit_undone_reads_exactly_as_before(srm, journal_seeded, edit) -> None:
    before = everything(srm)
    srm(*edit, ok=True)
    assert everything(srm) != before
    checked(srm)
    change = newest(srm)
    assert change["before"] and change["after"]
    assert set(change["before"]) == set(change["after"])
    srm("undo", f"#{change['change']}", ok=True)
    same(everything(srm), before)
    checked(srm)


def test_an_issue_reopened_and_undone_is_resolved_again(srm, journal_seeded) -> None:
    srm("issue", "resolve", "1", "--date", "2026-11-20", "--note", "shipped", ok=True)
    resolved = everything(srm)
    srm("issue", "reopen", "1", ok=True)
    assert newest(srm)["before"] == {
        "status": "resolved", "resolved_at": "2026-11-20T00:00:00", "resolution": "shipped"
    }  # fmt: skip
    srm("undo", str(newest(srm)["change"]), ok=True)
    same(everything(srm), resolved)


def test_a_followup_marked_undone_and_undone_is_done_again(srm, journal_seeded) -> None:
    srm("followup", "done", "2", ok=True)
    done = everything(srm)
    srm("followup", "undone", "2", ok=True)
    assert newest(srm)["action"] == "undone"
    srm("undo", str(newest(srm)["change"]), ok=True)
    same(everything(srm), done)


def test_undo_is_refused_while_a_later_change_touched_the_record(srm, journal_seeded) -> None:
    srm("interaction", "edit", "1", "--tone", "2", ok=True)
    first = newest(srm)["change"]
    srm("interaction", "edit", "1", "--note", "Price talk, again", ok=True)
    second = newest(srm)["change"]
    before = everything(srm)
    line = error_line(srm("undo", str(first)))
    assert f"change #{second} changed interaction #1 after #{first}; undo #{second} first" in line
    same(everything(srm), before)
    srm("undo", str(second), ok=True)
    # the undo of #second is itself a later change of the record
    assert f"undo #{second + 1} first" in error_line(srm("undo", str(first)))


def test_undo_is_refused_when_what_comes_back_conflicts(srm, journal_seeded) -> None:
    srm("supplier", "edit", "Acme", "--name", "Acme Tools", ok=True)
    rename = newest(srm)["change"]
    srm("supplier", "add", "Acme", ok=True)
    line = error_line(srm("undo", str(rename)))
    assert "the name 'Acme' is now used by supplier Acme" in line
    # a call of a supplier removed since cannot come back before its supplier
    srm("interaction", "rm", "3", ok=True)
    removal = newest(srm)["change"]
    srm("supplier", "rm", "Acme Tools", "--force", ok=True)
    line = error_line(srm("undo", str(removal)))
    assert "supplier Acme Tools no longer exists (removed in change #" in line
    assert "undo #" in line
    assert "no change #999" in error_line(srm("undo", "999"))
    assert "change id 'x' is not accepted" in error_line(srm("undo", "x"))


def test_an_interaction_comes_back_with_its_people_tactics_issue_and_promise(
    srm, journal_seeded
) -> None:
    shown = srm("interaction", "show", "1", "-f", "json", ok=True).json()
    assert shown["issues"] == [1] and shown["followups"] == [1]
    srm("interaction", "rm", "1", ok=True)
    kept = newest(srm)["before"]
    assert kept["contact_ids"] == [1, 3]
    assert kept["tactics"] == ["flattery", "price-increase"]
    assert (kept["issues"], kept["followups"]) == ([1], [1])
    srm("undo", str(newest(srm)["change"]), ok=True)
    assert srm("interaction", "show", "1", "-f", "json", ok=True).json() == shown


def test_history_json_shape_filters_and_newest_first(srm, journal_seeded, monkeypatch) -> None:
    monkeypatch.setenv("SRM_NOW", "2026-11-26T09:00:00")
    srm("interaction", "edit", "2", "--tone", "1", ok=True)
    monkeypatch.setenv("SRM_NOW", "2026-11-27T09:00:00")
    srm("followup", "rm", "2", ok=True)
    rows = srm("history", "-f", "json", ok=True).json()
    assert all(list(r) == KEYS for r in rows)
    assert [r["change"] for r in rows] == sorted((r["change"] for r in rows), reverse=True)
    top = rows[0]
    assert (top["record"], top["record_id"], top["supplier"], top["action"]) == (
        "followup", 2, "Northwind Metals", "rm"
    )  # fmt: skip
    assert (top["at"], top["author"]) == ("2026-11-27T09:00:00", "kim")
    assert top["before"]["text"] == "Check drawings" and top["after"] is None
    edit = srm("history", "--record", "interaction:#2", "-f", "json", ok=True).json()
    assert [(r["action"], r["before"], r["after"]) for r in edit] == [
        ("edit", {"tone": 0}, {"tone": 1})
    ]
    on_26 = srm("history", "--from", "2026-11-26", "--to", "2026-11-26", "-f", "json", ok=True)
    assert [r["record"] for r in on_26.json()] == ["interaction"]
    assert len(srm("history", "-n", "1", "-f", "json", ok=True).json()) == 1
    assert srm("history", "Acme", "-f", "json", ok=True).json() == [
        r for r in rows if r["supplier"] == "Acme"
    ]
    assert len(srm("history", "--author", "KIM", "-f", "json", ok=True).json()) == len(rows)
    assert "nothing was recorded by 'zed'" in error_line(srm("history", "--author", "zed"))
    assert "TYPE:ID" in error_line(srm("history", "--record", "call:2"))
    csv_text = srm("history", "-n", "1", "-f", "csv", ok=True).stdout
    assert csv_text.splitlines()[0] == ",".join(KEYS)
    table = srm("history", ok=True).stdout
    assert "tone: 0 → 1" in table


def test_history_of_a_removed_supplier_is_found_by_its_name(srm, journal_seeded) -> None:
    srm("supplier", "rm", "Acme", "--force", ok=True)
    rows = srm("history", "acme", "-f", "json", ok=True).json()
    assert [(r["record"], r["action"]) for r in rows] == [("supplier", "rm")]
    kept = rows[0]["before"]
    assert [i["note"] for i in kept["interactions"]] == ["Intro call"]
    assert [c["stage"] for c in kept["candidates"]] == ["identified"]


def test_history_of_a_removed_supplier_is_found_by_a_prefix_like_any_supplier(
    srm, journal_seeded
) -> None:
    srm("supplier", "rm", "Acme", "--force", ok=True)
    srm("supplier", "add", "Northwind Tools", ok=True)
    for typed in ("ac", "ACM", "acme"):
        rows = srm("history", typed, "-f", "json", ok=True).json()
        assert [(r["supplier"], r["action"]) for r in rows] == [("Acme", "rm")], typed
    # a prefix of two suppliers, one removed, is ambiguous as it is for two in the journal
    srm("supplier", "add", "Acmetal", ok=True)
    assert "it could be Acme, Acmetal" in error_line(srm("history", "acm"))
    assert srm("history", "acme", "-f", "json", ok=True).json()[0]["action"] == "rm"
    # a supplier in the journal still wins by its exact name, and is found by its prefix
    assert srm("history", "northwind m", "-f", "json", ok=True).json() != []
    # on SQLite the new supplier may be given the removed one's number: its history is
    # its own all the same
    srm("supplier", "edit", "Northwind Tools", "--cadence", "30", ok=True)
    tools = srm("history", "northwind t", "-f", "json", ok=True).json()
    assert [(r["supplier"], r["action"]) for r in tools] == [("Northwind Tools", "edit")]
    assert "no supplier named 'zz'" in error_line(srm("history", "zz"))


def test_the_history_table_names_contacts_where_json_keeps_their_ids(srm, journal_seeded) -> None:
    srm("interaction", "edit", "2", "--with", "alice", ok=True)
    # the cell wraps at 80 columns: read it as words
    table = " ".join(srm("history", "-n", "1", ok=True).stdout.split())
    assert "contacts: Bob Chen → Alice Moreau, Bob Chen" in table
    assert "contact_ids" not in table
    change = srm("history", "-n", "1", "-f", "json", ok=True).json()[0]
    assert (change["before"], change["after"]) == ({"contact_ids": [2]}, {"contact_ids": [1, 2]})
    # the escalation of the seed went to Dana Wu; a removed contact keeps the name the
    # history kept
    srm("contact", "rm", "NW", "dana", "--force", ok=True)
    escalation = " ".join(srm("history", "--record", "issue:1", ok=True).stdout.split())
    assert "escalated to: - → Dana Wu" in escalation
    assert "escalated_to_id" not in escalation


def test_a_plain_log_or_add_writes_no_history(srm, journal_seeded) -> None:
    # seeding escalated, moved and rated: those are changes; the adds and logs are not
    actions = [r["action"] for r in srm("history", "-f", "json", ok=True).json()]
    assert actions == ["rate", "move", "escalate"]


def test_db_copy_carries_the_history(srm, journal_seeded, tmp_path: Path) -> None:
    srm("interaction", "rm", "2", ok=True)
    target = tmp_path / "copy.db"
    srm("db", "copy", "--to", str(target), ok=True)
    mine = srm("history", "-f", "json", ok=True).stdout
    assert srm("--db", str(target), "history", "-f", "json", ok=True).stdout == mine
    # and the copy can undo what the original recorded
    srm("--db", str(target), "undo", str(newest(srm)["change"]), ok=True)
    assert srm("--db", str(target), "interaction", "show", "2", ok=True).exit_code == 0


def test_undo_as_csv_writes_before_and_after_as_json_like_history(srm, journal_seeded) -> None:
    import csv
    import io
    import json

    srm("interaction", "edit", "2", "--tone", "2", "--note", "Plant visit, fixed", ok=True)
    change = srm("history", "-n", "1", "-f", "json", ok=True).json()[0]["change"]
    undone = list(
        csv.DictReader(io.StringIO(srm("undo", str(change), "-f", "csv", ok=True).stdout))
    )
    assert len(undone) == 1 and list(undone[0]) == KEYS
    assert json.loads(undone[0]["before"]) == {"note": "Plant visit, fixed", "tone": 2}
    assert json.loads(undone[0]["after"]) == {"note": "Plant visit", "tone": 0}
    listed = next(csv.DictReader(io.StringIO(srm("history", "-n", "1", "-f", "csv").stdout)))
    assert listed == undone[0]
