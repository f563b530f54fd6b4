"""The natural keys of SPEC §4 hold on every write path (SPEC §8, "Duplicates"): the same
interaction, issue or follow-up written twice is refused naming the first, and `--again`
records it anyway. Runs on SQLite and, with SRM_TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import pytest

WHEN = "2026-11-20 14:30"


@pytest.fixture
def acme(srm):
    srm("supplier", "add", "Acme", ok=True)
    srm("supplier", "add", "Northwind", ok=True)
    return srm


def count(srm, what: str) -> int:
    if what == "interactions":
        return len(
            [r for r in srm("timeline", "Acme", "-f", "json").json() if r["type"] == "interaction"]
        )
    if what == "issues":
        return len(srm("issue", "list", "--status", "all", "-f", "json").json())
    return len(srm("followup", "list", "--all", "-f", "json").json())


def test_the_same_call_logged_twice_is_refused_naming_it_and_again_logs_it(acme) -> None:
    first = acme("log", "Acme", "Chased PO 4411", "--date", WHEN, "-f", "json", ok=True).json()
    again = acme("log", "Acme", "Chased PO 4411", "--date", WHEN)
    assert again.exit_code == 1
    assert again.stderr.startswith("Error: ")
    assert f"already recorded as interaction #{first['id']}" in again.stderr
    assert "--again" in again.stderr
    assert count(acme, "interactions") == 1
    forced = acme("log", "Acme", "Chased PO 4411", "--date", WHEN, "--again", "-f", "json")
    assert forced.exit_code == 0, forced.stderr
    assert forced.json()["id"] != first["id"]
    assert count(acme, "interactions") == 2


@pytest.mark.parametrize(
    "differs",
    [
        ["--channel", "email"],
        ["--date", "2026-11-20 14:31"],
        ["--note-differs"],
    ],
)
def test_a_call_differing_in_any_part_of_its_key_is_not_a_repeat(acme, differs) -> None:
    acme("log", "Acme", "Chased PO 4411", "--date", WHEN, ok=True)
    note = "Chased PO 4412" if differs == ["--note-differs"] else "Chased PO 4411"
    options = [] if differs == ["--note-differs"] else differs
    when = [] if "--date" in options else ["--date", WHEN]
    acme("log", "Acme", note, *when, *options, ok=True)
    # the same call with another supplier is another call
    acme("log", "Northwind", "Chased PO 4411", "--date", WHEN, ok=True)
    assert count(acme, "interactions") == 2


def test_the_same_issue_opened_twice_is_refused_and_again_opens_it(acme) -> None:
    first = acme("issue", "open", "Acme", "quality", "Burrs on lot 7", "--date", WHEN, "-f", "json")
    issue_id = first.json()["id"]
    twice = acme("issue", "open", "acme", "quality", "Burrs on lot 7", "--date", WHEN)
    assert twice.exit_code == 1
    assert f"already recorded as issue #{issue_id}" in twice.stderr
    assert count(acme, "issues") == 1
    # another kind, another description or another time is another issue
    acme("issue", "open", "Acme", "billing", "Burrs on lot 7", "--date", WHEN, ok=True)
    acme("issue", "open", "Acme", "quality", "Burrs on lot 8", "--date", WHEN, ok=True)
    acme("issue", "open", "Acme", "quality", "Burrs on lot 7", "--date", "2026-11-21", ok=True)
    acme("issue", "open", "Acme", "quality", "Burrs on lot 7", "--date", WHEN, "--again", ok=True)
    assert count(acme, "issues") == 5


def test_an_issue_without_description_repeats_one_without_description(acme) -> None:
    acme("issue", "open", "Acme", "price", "--date", WHEN, ok=True)
    twice = acme("issue", "open", "Acme", "price", "--date", WHEN)
    assert twice.exit_code == 1
    assert "already recorded as issue #1" in twice.stderr
    acme("issue", "open", "Acme", "price", "now with words", "--date", WHEN, ok=True)


def test_the_same_promise_added_twice_is_refused_and_again_adds_it(acme) -> None:
    first = acme("followup", "add", "Acme", "Send the new ship date", "--due", "friday",
                 "--owner", "them", "-f", "json").json()  # fmt: skip
    twice = acme("followup", "add", "Acme", "Send the new ship date", "--due", "2026-11-27",
                 "--owner", "them")  # fmt: skip
    assert twice.exit_code == 1
    assert twice.stderr.startswith("Error: ")
    assert f"already recorded as follow-up #{first['id']}" in twice.stderr
    assert "add --again to record it anyway" in twice.stderr
    assert count(acme, "followups") == 1
    # our own to-do with the same words is not their promise
    acme("followup", "add", "Acme", "Send the new ship date", "--due", "friday", ok=True)
    acme("followup", "add", "Acme", "Send the new ship date", "--due", "friday",
         "--owner", "them", "--again", ok=True)  # fmt: skip
    assert count(acme, "followups") == 3


def test_log_refuses_a_repeated_issue_or_follow_up_and_writes_nothing(acme) -> None:
    acme("log", "Acme", "Truck missed the slot", "--date", WHEN, "--issue", "late-delivery",
         "--follow-up", "Send the plan", "--due", "friday", ok=True)  # fmt: skip
    # another channel makes another call, but the issue it would open is the same one
    by_mail = acme("log", "Acme", "Truck missed the slot", "--date", WHEN, "--channel", "email",
                   "--issue", "late-delivery")  # fmt: skip
    assert by_mail.exit_code == 1
    assert "already recorded as issue #1" in by_mail.stderr
    promise = acme("log", "Acme", "Another call", "--date", WHEN, "--follow-up", "Send the plan",
                   "--due", "friday")  # fmt: skip
    assert promise.exit_code == 1
    assert "already recorded as follow-up #1" in promise.stderr
    assert (count(acme, "interactions"), count(acme, "issues"), count(acme, "followups")) == (
        1,
        1,
        1,
    )
    acme("log", "Acme", "Another call", "--date", WHEN, "--follow-up", "Send the plan",
         "--due", "friday", "--again", ok=True)  # fmt: skip
    assert (count(acme, "interactions"), count(acme, "followups")) == (2, 2)


def test_import_and_the_write_commands_agree_on_what_a_repeat_is(acme, tmp_path) -> None:
    acme("log", "Acme", "Chased PO 4411", "--date", WHEN, ok=True)
    acme("issue", "open", "Acme", "quality", "--date", WHEN, ok=True)
    acme("followup", "add", "Acme", "Call back", "--due", "friday", ok=True)
    for kind in ("interactions", "issues", "followups"):
        out = tmp_path / f"{kind}.csv"
        acme("export", kind, "-o", str(out), ok=True)
        ran = acme("import", kind, str(out))
        assert ran.exit_code == 0, ran.stderr
        assert "added 0, skipped 1" in ran.stderr, kind


# -- edits and undos keep the keys too ----------------------------------------------------

EDITS_INTO_A_REPEAT = [
    # (how the first record is made, the second, the edit of the second into the first)
    (
        ["log", "Acme", "Chased PO 4411", "--date", WHEN],
        ["log", "Acme", "Chased PO 4412", "--date", WHEN],
        ["interaction", "edit", "2", "--note", "Chased PO 4411"],
        "interaction",
    ),
    (
        ["log", "Acme", "Chased PO 4411", "--date", WHEN],
        ["log", "Acme", "Chased PO 4411", "--date", "2026-11-20 14:31"],
        ["interaction", "edit", "#2", "--date", WHEN],
        "interaction",
    ),
    (
        ["issue", "open", "Acme", "quality", "Burrs", "--date", WHEN],
        ["issue", "open", "Acme", "quality", "Scratches", "--date", WHEN],
        ["issue", "edit", "2", "--description", "Burrs"],
        "issue",
    ),
    (
        ["issue", "open", "Acme", "quality", "Burrs", "--date", WHEN],
        ["issue", "open", "Acme", "price", "Burrs", "--date", WHEN],
        ["issue", "edit", "2", "--kind", "quality"],
        "issue",
    ),
    (
        ["followup", "add", "Acme", "Send plan", "--due", "2026-11-27"],
        ["followup", "add", "Acme", "Send the plan", "--due", "2026-11-27"],
        ["followup", "edit", "2", "--text", "Send plan"],
        "follow-up",
    ),
    (
        ["followup", "add", "Acme", "Send plan", "--due", "2026-11-27", "--owner", "them"],
        ["followup", "add", "Acme", "Send plan", "--due", "2026-11-27"],
        ["followup", "edit", "2", "--owner", "them"],
        "follow-up",
    ),
]


@pytest.mark.parametrize(("first", "second", "edit", "label"), EDITS_INTO_A_REPEAT)
def test_an_edit_into_another_record_is_refused_naming_it_and_again_makes_it(
    acme, first, second, edit, label
) -> None:
    acme(*first, ok=True)
    acme(*second, ok=True)
    refused = acme(*edit)
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"Error: {label} #2 would then be the same as {label} #1")
    assert "--again" in refused.stderr
    assert acme("history", "-f", "json", ok=True).json() == []  # nothing was changed
    acme(*edit, "--again", ok=True)
    assert [c["action"] for c in acme("history", "-f", "json", ok=True).json()] == ["edit"]


def test_a_record_kept_twice_on_purpose_can_still_be_corrected(acme) -> None:
    acme("log", "Acme", "Chased PO 4411", "--date", WHEN, ok=True)
    acme("log", "Acme", "Chased PO 4411", "--date", WHEN, "--again", ok=True)
    # its key does not change: no refusal for the other fields
    acme("interaction", "edit", "2", "--tone", "1", "--tag", "po", ok=True)
    acme("followup", "add", "Acme", "Send plan", "--due", "2026-11-27", ok=True)
    acme("followup", "add", "Acme", "Send plan", "--due", "2026-11-27", "--again", ok=True)
    acme("followup", "edit", "2", "--text", " Send plan ", ok=True)


UNDOS_INTO_A_REPEAT = [
    # (make the record, change it, make another with its old key, what is refused)
    (
        ["log", "Acme", "Chased PO 4411", "--date", WHEN],
        ["interaction", "edit", "1", "--note", "Chased PO 4412"],
        ["log", "Acme", "Chased PO 4411", "--date", WHEN],
        "interaction",
    ),
    (
        ["log", "Acme", "Chased PO 4411", "--date", WHEN],
        ["interaction", "rm", "1"],
        ["log", "Acme", "Chased PO 4411", "--date", WHEN],
        "interaction",
    ),
    (
        ["issue", "open", "Acme", "quality", "Burrs", "--date", WHEN],
        ["issue", "edit", "1", "--description", "Scratches"],
        ["issue", "open", "Acme", "quality", "Burrs", "--date", WHEN],
        "issue",
    ),
    (
        ["issue", "open", "Acme", "quality", "Burrs", "--date", WHEN],
        ["issue", "rm", "1"],
        ["issue", "open", "Acme", "quality", "Burrs", "--date", WHEN],
        "issue",
    ),
    (
        ["followup", "add", "Acme", "Send plan", "--due", "2026-11-27"],
        ["followup", "edit", "1", "--due", "2026-11-30"],
        ["followup", "add", "Acme", "Send plan", "--due", "2026-11-27"],
        "follow-up",
    ),
    (
        ["followup", "add", "Acme", "Send plan", "--due", "2026-11-27"],
        ["followup", "rm", "1"],
        ["followup", "add", "Acme", "Send plan", "--due", "2026-11-27"],
        "follow-up",
    ),
]


FILLERS = {
    "interaction": ["log", "Acme", "Another call", "--date", WHEN],
    "issue": ["issue", "open", "Acme", "price", "Another", "--date", WHEN],
    "follow-up": ["followup", "add", "Acme", "Another", "--due", "2026-11-27"],
}
COMMANDS = {"interaction": "interaction", "issue": "issue", "follow-up": "followup"}


@pytest.mark.parametrize(("make", "change", "again", "label"), UNDOS_INTO_A_REPEAT)
def test_an_undo_that_would_repeat_another_record_is_refused_naming_it(
    acme, make, change, again, label
) -> None:
    acme(*make, ok=True)  # #1
    acme(*FILLERS[label], ok=True)  # #2: a removed #1 does not free its number
    acme(*change, ok=True)
    acme(*again, ok=True)  # #3, with #1's key as it was
    before = acme("history", "-f", "json", ok=True).json()
    refused = acme("undo", "1")
    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        f"Error: change #1 cannot be undone: {label} #1 would then be the same as {label} #3 "
        "(same supplier, "
    )
    assert refused.stderr.rstrip().endswith("edit or remove that one first")
    assert acme("history", "-f", "json", ok=True).json() == before
    # once the other one is gone, the undo goes through
    acme(COMMANDS[label], "rm", "3", ok=True)
    acme("undo", "1", ok=True)
