"""Sourcing projects: candidates moved through stages, rated, and ranked on the board.

The clock is fixed at 2026-11-25 10:30 (conftest).
"""

from __future__ import annotations

import csv
import io

import pytest

PROJECT = "Precision castings 2027"
SIX = ("Lumen Castings", "Delta Tooling", "Bayside Foundry", "Cobalt Precision",
       "Echo Alloys", "Foxtrot Metals")  # fmt: skip


def project(srm) -> None:
    srm("sourcing", "new", PROJECT, "--description", "Second source for castings",
        "--due", "2027-01-15", ok=True)  # fmt: skip


def six_candidates(srm) -> None:
    """Six candidates whose order exercises every rule of the board.

    Lumen: qualified, 5, no interactions        -> stage beats everything
    Delta: quoted, 4, no interactions           -> rating beats depth
    Bayside: quoted, 3, recent and frequent     -> depth breaks the 3-3 tie ...
    Cobalt: quoted, 3, one email 100 days ago   -> ... against a shallower relationship
    Echo: quoted, unrated, the deepest of all   -> unrated after rated, whatever the depth
    Foxtrot: declined, 5, some interactions     -> declined is last
    """
    project(srm)
    for name in SIX:
        srm("supplier", "add", name, "--status", "prospect", ok=True)
        srm("sourcing", "add", "precision", name, "--date", "2026-11-01", ok=True)
    for day in ("today", "2 days ago", "5 days ago"):
        srm("log", "Bayside", "Call about tooling", "--date", day, ok=True)
    srm("log", "Cobalt", "Sent our RFI", "--channel", "email", "--date", "100 days ago", ok=True)
    for day in ("today", "yesterday", "3 days ago", "4 days ago", "6 days ago"):
        srm("log", "Echo", "Plant visit", "--channel", "visit", "--initiator", "them",
            "--tone", "2", "--date", day, ok=True)  # fmt: skip
    srm("log", "Foxtrot", "Intro call", "--date", "20 days ago", ok=True)
    paths = {
        "Lumen": ("contacted", "interested", "capabilities", "proposal", "quoted", "qualified"),
        "Delta": ("contacted", "interested", "capabilities", "proposal", "quoted"),
        "Bayside": ("contacted", "interested", "proposal", "quoted"),
        "Cobalt": ("contacted", "quoted"),
        "Echo": ("contacted", "interested", "capabilities", "proposal", "quoted"),
        "Foxtrot": ("contacted", "interested", "declined"),
    }
    for name, stages in paths.items():
        for day, stage in enumerate(stages, start=2):
            srm("sourcing", "move", PROJECT, name, stage, "--date", f"2026-11-{day:02d}", ok=True)
    srm("sourcing", "move", PROJECT, "Lumen", "qualified", "--date", "2026-11-20",
        "--note", "Sent a personalized video tour", ok=True)  # fmt: skip
    for name, rating in (("Lumen", 5), ("Delta", 4), ("Bayside", 3), ("Cobalt", 3),
                         ("Foxtrot", 5)):  # fmt: skip
        srm("sourcing", "rate", PROJECT, name, str(rating), ok=True)


def test_board_ranks_by_stage_then_rating_then_depth(srm) -> None:
    six_candidates(srm)
    rows = srm("sourcing", "board", "PRECISION", "-f", "json", ok=True).json()
    assert [row["supplier"] for row in rows] == [
        "Lumen Castings", "Delta Tooling", "Bayside Foundry", "Cobalt Precision",
        "Echo Alloys", "Foxtrot Metals",
    ]  # fmt: skip
    assert [row["rank"] for row in rows] == [1, 2, 3, 4, 5, 6]
    assert [row["lead"] for row in rows] == [True, False, False, False, False, False]
    assert list(rows[0])[:7] == [
        "rank", "supplier", "stage", "rating", "depth_score", "days_since_last", "lead",
    ]  # fmt: skip
    by = {row["supplier"].split()[0]: row for row in rows}
    assert [by[n]["stage"] for n in ("Lumen", "Delta", "Echo", "Foxtrot")] == [
        "qualified", "quoted", "quoted", "declined",
    ]  # fmt: skip
    assert [by[n]["rating"] for n in ("Lumen", "Delta", "Echo", "Foxtrot")] == [5, 4, None, 5]
    # no interactions: no depth ("no data") and no last contact, never a made-up number
    assert by["Lumen"]["depth_score"] is None and by["Lumen"]["days_since_last"] is None
    assert by["Delta"]["depth_score"] is None
    # the tie-breaks really were decided by depth, and rating outranked a deeper relationship
    assert by["Bayside"]["depth_score"] > by["Cobalt"]["depth_score"] > 0
    assert by["Echo"]["depth_score"] > by["Bayside"]["depth_score"]
    assert (by["Bayside"]["days_since_last"], by["Cobalt"]["days_since_last"]) == (0, 100)
    assert by["Foxtrot"]["days_since_last"] == 20
    # a same-stage note is news, it does not reset the day the stage was reached
    assert by["Lumen"]["since"] == "2026-11-07T00:00:00"
    assert by["Lumen"]["note"] == "Sent a personalized video tour"


def test_board_csv_and_table(srm) -> None:
    six_candidates(srm)
    out = srm("sourcing", "board", PROJECT, "-f", "csv", ok=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "rank", "supplier", "stage", "rating", "depth_score", "days_since_last", "lead",
        "since", "note",
    ]  # fmt: skip
    assert [(r["rank"], r["lead"]) for r in rows[:2]] == [("1", "true"), ("2", "false")]
    assert rows[0]["depth_score"] == "" and rows[3]["days_since_last"] == "100"
    table = srm("sourcing", "board", PROJECT, ok=True).stdout
    assert all(len(text) <= 80 for text in table.splitlines())
    assert "Precision castings 2027 (open, due 2027-01-15)" in table
    lumen = next(text for text in table.splitlines() if "Lumen Castings" in text)
    assert lumen.rstrip().endswith("lead") and "no data" in lumen
    assert "100 d ago" in table


def test_stage_history_is_dated_with_notes(srm) -> None:
    project(srm)
    srm("supplier", "add", "Lumen Castings", ok=True)
    added = srm("sourcing", "add", PROJECT, "lumen", "--date", "2026-11-01", "-f", "json",
                ok=True).json()  # fmt: skip
    assert (added["stage"], added["since"]) == ("identified", "2026-11-01T00:00:00")
    srm("sourcing", "move", PROJECT, "lumen", "contacted", "--date", "2026-11-03 14:00", ok=True)
    moved = srm("sourcing", "move", PROJECT, "lumen", "interested", "--note",
                "Sent a personalized video tour", "-f", "json", ok=True).json()  # fmt: skip
    assert list(moved)[:8] == [
        "id", "project", "project_status", "supplier", "stage", "rating", "note", "since",
    ]  # fmt: skip
    assert moved["history"] == [
        {"stage": "identified", "changed_at": "2026-11-01T00:00:00", "note": None},
        {"stage": "contacted", "changed_at": "2026-11-03T14:00:00", "note": None},
        {"stage": "interested", "changed_at": "2026-11-25T10:30:00",
         "note": "Sent a personalized video tour"},
    ]  # fmt: skip
    rows = srm("sourcing", "history", "precision", "-f", "json", ok=True).json()
    assert [(r["supplier"], r["stage"], r["changed_at"]) for r in rows] == [
        ("Lumen Castings", "identified", "2026-11-01T00:00:00"),
        ("Lumen Castings", "contacted", "2026-11-03T14:00:00"),
        ("Lumen Castings", "interested", "2026-11-25T10:30:00"),
    ]
    assert rows[2]["note"] == "Sent a personalized video tour"


def test_same_stage_needs_a_note(srm) -> None:
    project(srm)
    srm("supplier", "add", "Lumen Castings", ok=True)
    srm("sourcing", "add", PROJECT, "lumen", "--date", "2026-11-01", ok=True)
    srm("sourcing", "move", PROJECT, "lumen", "quoted", "--date", "2026-11-10", ok=True)
    bare = srm("sourcing", "move", PROJECT, "lumen", "quoted")
    assert bare.exit_code == 1
    assert bare.stderr.startswith("Error: Lumen Castings is already at stage quoted")
    assert "--note" in bare.stderr
    noted = srm("sourcing", "move", PROJECT, "lumen", "QUOTED", "--note", "Quote revised -3%",
                "-f", "json", ok=True).json()  # fmt: skip
    assert noted["since"] == "2026-11-10T00:00:00" and noted["note"] == "Quote revised -3%"
    assert [h["stage"] for h in noted["history"]] == ["identified", "quoted", "quoted"]


def test_awarding_marks_the_project_awarded(srm) -> None:
    project(srm)
    for name in ("Lumen Castings", "Delta Tooling"):
        srm("supplier", "add", name, ok=True)
        srm("sourcing", "add", PROJECT, name, ok=True)
    srm("sourcing", "move", PROJECT, "delta", "qualified", ok=True)
    listed = srm("sourcing", "list", "-f", "json", ok=True).json()
    assert listed == [
        {"id": 1, "name": PROJECT, "description": "Second source for castings",
         "due": "2027-01-15", "status": "open", "created_at": "2026-11-25T10:30:00",
         "candidates": 2, "leader": "Delta Tooling"},
    ]  # fmt: skip
    won = srm("sourcing", "move", PROJECT, "lumen", "awarded", "-f", "json", ok=True).json()
    assert won["project_status"] == "awarded"
    assert srm("sourcing", "list", "-f", "json").json()[0]["status"] == "awarded"
    assert srm("sourcing", "list", "-f", "json").json()[0]["leader"] == "Lumen Castings"
    # the award withdrawn: the project is open again
    srm("sourcing", "move", PROJECT, "lumen", "qualified", "--note", "award on hold", ok=True)
    assert srm("sourcing", "list", "-f", "json").json()[0]["status"] == "open"


def test_nobody_leads_when_the_first_has_declined(srm) -> None:
    project(srm)
    for name in ("Lumen Castings", "Delta Tooling"):
        srm("supplier", "add", name, ok=True)
        srm("sourcing", "add", PROJECT, name, ok=True)
        srm("sourcing", "move", PROJECT, name, "declined", ok=True)
    srm("sourcing", "rate", PROJECT, "Lumen", "2", ok=True)
    rows = srm("sourcing", "board", PROJECT, "-f", "json", ok=True).json()
    # rated before unrated, even among the declined
    assert [(r["supplier"], r["lead"]) for r in rows] == [
        ("Lumen Castings", False),
        ("Delta Tooling", False),
    ]
    assert srm("sourcing", "list", "-f", "json").json()[0]["leader"] is None


def test_depth_breaks_a_tie_and_no_data_comes_last(srm) -> None:
    project(srm)
    for name in ("Acme", "Zenith"):
        srm("supplier", "add", name, ok=True)
        srm("sourcing", "add", PROJECT, name, ok=True)
        srm("sourcing", "rate", PROJECT, name, "4", ok=True)
    # same stage, same rating: Zenith has a relationship, Acme none -> Zenith first
    srm("log", "Zenith", "Met at the trade fair", "--channel", "meeting", ok=True)
    rows = srm("sourcing", "board", PROJECT, "-f", "json", ok=True).json()
    assert [r["supplier"] for r in rows] == ["Zenith", "Acme"]
    assert rows[1]["depth_score"] is None and rows[0]["depth_score"] is not None
    assert rows[0]["lead"] is True


def test_empty_board_and_list(srm) -> None:
    assert srm("sourcing", "list", "-f", "json", ok=True).json() == []
    assert "No sourcing projects yet" in srm("sourcing", "list", ok=True).stdout
    project(srm)
    assert srm("sourcing", "board", PROJECT, "-f", "json", ok=True).json() == []
    assert "No candidates yet" in srm("sourcing", "board", PROJECT, ok=True).stdout


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["move", PROJECT, "Lumen", "won"], "unknown stage 'won'; accepted: identified, "
         "contacted, interested, capabilities, proposal, quoted, qualified, awarded, declined"),
        (["rate", PROJECT, "Lumen", "6"], "rating '6' is not accepted; give a whole number "
         "from 1 to 5"),
        (["rate", PROJECT, "Lumen", "five"], "rating 'five' is not accepted"),
        (["board", "Fasteners"], "no sourcing project named 'Fasteners'. Projects: "
         "Precision castings 2027, Pumps 2027"),
        (["move", "Widgets", "Lumen", "quoted"], "no sourcing project named 'Widgets'"),
        (["add", PROJECT, "Lumen"], "Lumen Castings is already a candidate in Precision "
         "castings 2027 (stage contacted)"),
        (["add", "p", "Lumen"], "sourcing project 'p' is ambiguous: it could be Precision "
         "castings 2027, Pumps 2027"),
        (["move", PROJECT, "Delta", "quoted"], "Delta Tooling is not a candidate in Precision "
         "castings 2027"),
        (["move", PROJECT, "Nobody", "quoted"], "no supplier named 'Nobody'"),
        (["new", "precision CASTINGS 2027"], "a sourcing project named Precision castings 2027 "
         "already exists"),
        (["new", "  "], "the project name is empty"),
        (["move", PROJECT, "Lumen", "quoted", "--date", "2026-10-01"], "is before the last "
         "stage change (contacted on 2026-11-02T00:00:00)"),
        (["move", PROJECT, "Lumen", "quoted", "--date", "soon"], "cannot read the date"),
        (["new", "Valves", "--due", "whenever"], "cannot read the date"),
    ],
)  # fmt: skip
def test_bad_input_is_an_error_and_writes_nothing(srm, args, fragment) -> None:
    project(srm)
    srm("sourcing", "new", "Pumps 2027", ok=True)
    srm("supplier", "add", "Lumen Castings", ok=True)
    srm("supplier", "add", "Delta Tooling", ok=True)
    srm("sourcing", "add", PROJECT, "Lumen", "--date", "2026-11-01", ok=True)
    srm("sourcing", "move", PROJECT, "Lumen", "contacted", "--date", "2026-11-02", ok=True)
    before = (srm("sourcing", "board", PROJECT, "-f", "json").stdout,
              srm("sourcing", "list", "-f", "json").stdout,
              srm("sourcing", "history", PROJECT, "-f", "json").stdout)  # fmt: skip
    r = srm("sourcing", *args)
    assert r.exit_code == 1, r
    assert r.stderr.startswith("Error:") and fragment in r.stderr, r.stderr
    assert r.stdout == "" and "Traceback" not in r.stderr
    after = (srm("sourcing", "board", PROJECT, "-f", "json").stdout,
             srm("sourcing", "list", "-f", "json").stdout,
             srm("sourcing", "history", PROJECT, "-f", "json").stdout)  # fmt: skip
    assert after == before


def test_candidacies_for_the_brief(srm) -> None:
    from srmcli import db
    from srmcli.services.sourcing import candidacies

    six_candidates(srm)
    srm("sourcing", "new", "Pumps 2027", ok=True)
    srm("sourcing", "add", "pumps", "Bayside", "--date", "2026-11-20", ok=True)
    with db.session() as s:
        bayside = candidacies(session=s, supplier_id=3)
        lumen = candidacies(session=s, supplier_id=1)
    assert bayside == [
        {"project": PROJECT, "stage": "quoted", "rating": 3, "lead": False,
         "since": bayside[0]["since"]},
        {"project": "Pumps 2027", "stage": "identified", "rating": None, "lead": True,
         "since": bayside[1]["since"]},
    ]  # fmt: skip
    assert bayside[0]["since"].isoformat() == "2026-11-05T00:00:00"
    assert bayside[1]["since"].isoformat() == "2026-11-20T00:00:00"
    assert [(c["project"], c["lead"]) for c in lumen] == [(PROJECT, True)]


def test_demo_project_puts_the_video_tour_in_the_lead(srm) -> None:
    from srmcli import db
    from srmcli.services.demo import add_demo_sourcing

    srm("supplier", "add", "Northwind Metals", ok=True)
    srm("supplier", "add", "Acme Fasteners", "--status", "prospect", ok=True)
    with db.session(write=True) as s:
        add_demo_sourcing(session=s)
    [listed] = srm("sourcing", "list", "-f", "json", ok=True).json()
    rows = srm("sourcing", "board", listed["name"], "-f", "json", ok=True).json()
    assert len(rows) == 6 and listed["candidates"] == 6
    assert rows[0]["lead"] is True and "video tour" in rows[0]["note"]
    assert rows[0]["supplier"] == listed["leader"] == "Acme Fasteners"
    assert rows[-1]["stage"] == "declined"
    assert {"Northwind Metals", "Acme Fasteners"} <= {r["supplier"] for r in rows}
    assert len(srm("supplier", "list", "-f", "json").json()) == 6
