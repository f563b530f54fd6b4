"""`--author NAME` on export and report: one buyer's interactions out of a shared journal.

Records other than interactions carry an author too (see test_record_authors.py): here
the suppliers are added before any config exists, so by the login name `kim`.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def team(srm, tmp_path: Path) -> None:
    """Dana calls Acme today; Lee visited yesterday, at Acme's invitation; Acme has an issue."""
    config = tmp_path / "config.toml"
    srm("supplier", "add", "Acme", ok=True)
    srm("supplier", "add", "Brightline", ok=True)
    config.write_text('author = "Dana"\n')
    srm("log", "Acme", "Call about the price increase", ok=True)
    config.write_text('author = "lee"\n')
    srm("log", "Acme", "Plant visit", "--channel", "visit", "--initiator", "them",
        "--date", "yesterday", "--issue", "late-delivery", ok=True)  # fmt: skip
    srm("log", "Brightline", "Intro email", "--channel", "email", "--date", "2026-11-10", ok=True)


def test_export_author_keeps_only_their_interactions_matching_case_insensitively(srm, team) -> None:
    rows = srm("export", "interactions", "--author", "DANA", "-f", "json", ok=True).json()
    assert [(r["note"], r["author"]) for r in rows] == [("Call about the price increase", "Dana")]
    lee = srm("export", "interactions", "--author", " lee ", "--supplier", "acme", "-f", "json", ok=True).json()  # fmt: skip
    assert [r["note"] for r in lee] == ["Plant visit"]
    csv_out = srm("export", "interactions", "--author", "lee", ok=True).stdout.splitlines()
    assert len(csv_out) == 3 and csv_out[0].startswith("id,supplier,occurred_at")


@pytest.mark.parametrize(
    "args, words",
    [
        (["export", "interactions", "--author", "dan"], ["nothing was recorded by 'dan'", "authors in this journal: Dana, kim, lee.", "Did you mean: Dana?"]),
        (["export", "interactions", "--author", "  "], ["--author needs a name"]),
        (["export", "issues", "--author", "ola"], ["nothing was recorded by 'ola'"]),
        (["timeline", "Acme", "--author", "ola"], ["nothing was recorded by 'ola'"]),
        (["report", "--author", "ola"], ["nothing was recorded by 'ola'"]),
        (["report", "Acme", "--author", "ola", "-f", "json"], ["nothing was recorded by 'ola'"]),
    ],
)  # fmt: skip
def test_an_author_nobody_logged_as_is_refused_with_the_names_there_are(
    srm, team, args, words
) -> None:
    ran = srm(*args)
    assert ran.exit_code == 1
    assert ran.stdout == ""
    assert ran.stderr.startswith("Error: ") and len(ran.stderr.strip().splitlines()) == 1
    for word in words:
        assert word in ran.stderr


def test_report_author_counts_only_their_interactions_toward_depth_and_last_contact(
    srm, team
) -> None:
    def acme(*extra: str) -> dict:
        rows = srm("report", *extra, "-f", "json", ok=True).json()
        return next(r for r in rows if r["supplier"] == "Acme")

    # team: recency 1, frequency 2/12, richness (0.6 + 1.0)/2, reciprocity 1, tone 0.5
    # = 25 + 3.33 + 12 + 10 + 5 = 55.33 -> 55
    team_row = acme()
    assert (team_row["depth_score"], team_row["interactions_window"]) == (55, 2)
    # Dana: recency 1, frequency 1/12, richness 0.6, reciprocity 0 (all ours), tone 0.5
    # = 25 + 1.67 + 9 + 0 + 5 = 40.67 -> 41
    dana = acme("--author", "dana")
    assert dana["depth_score"] == 41
    assert dana["interactions_window"] == 1
    assert dana["last_interaction"] == "2026-11-25T10:30:00"
    assert dana["days_since_last"] == 0
    # Lee: recency 1 - 1/180, frequency 1/12, richness 1.0, reciprocity 0 (all theirs), tone 0.5
    # = 24.86 + 1.67 + 15 + 0 + 5 = 46.53 -> 47
    lee = acme("--author", "Lee")
    assert (lee["depth_score"], lee["days_since_last"]) == (47, 1)
    # issues are the team's whoever asks
    assert team_row["open_issues"] == dana["open_issues"] == lee["open_issues"] == 1
    # Dana never logged anything with Brightline: no data, not a made-up score
    brightline = next(
        r
        for r in srm("report", "--author", "dana", "-f", "json", ok=True).json()
        if r["supplier"] == "Brightline"
    )
    assert brightline["depth_score"] is None and brightline["last_interaction"] is None


def test_brief_author_scores_their_depth_but_keeps_the_team_picture(srm, team) -> None:
    brief = srm("report", "Acme", "--author", "dana", "-f", "json", ok=True).json()
    assert brief["depth"]["score"] == 41
    assert brief["depth"]["components"]["frequency"]["value"] == pytest.approx(1 / 12, abs=1e-4)
    assert brief["last_interaction"] == "2026-11-25T10:30:00"
    assert [i["kind"] for i in brief["open_issues"]] == ["late-delivery"]
    assert [i["note"] for i in brief["recent_interactions"]] == [
        "Call about the price increase",
        "Plant visit",
    ]


def test_report_table_says_whose_view_it_is(srm, team) -> None:
    ran = srm("report", "--author", "dana", ok=True)
    assert "count only interactions logged by dana" in ran.stderr
    assert "Acme" in ran.stdout
    assert "logged by" not in srm("report", "--author", "dana", "-f", "json", ok=True).stderr
