"""The brief that sees more (SPEC §10): climate beside depth, the breakdowns of the year,
and the talking points on snooping, flattery, bundling, deadline pressure, an adversarial
climate and the alternatives — each thing named once."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

T = date(2026, 11, 25)  # the fixed clock of conftest


def ago(days: int) -> str:
    return (T - timedelta(days=days)).isoformat()


def brief(srm, name: str, *args: str) -> dict[str, Any]:
    found: dict[str, Any] = srm("report", name, "-f", "json", *args, ok=True).json()
    return found


def portfolio(srm) -> dict[str, dict[str, Any]]:
    return {r["supplier"]: r for r in srm("report", "-f", "json", ok=True).json()}


def log(srm, supplier: str, days: int, tone: int, *tactics: str) -> None:
    options = [x for t in tactics for x in ("--tactic", t)]
    srm("log", supplier, f"call {days} days ago", "--date", ago(days), "--tone", str(tone),
        *options, ok=True)  # fmt: skip


# --------------------------------------------------------------------------- climate


def test_climate_labels_follow_tone_and_pressure(srm) -> None:
    for name in ("Hostile", "Friendly", "Plain", "Pressed", "Silent", "Edge"):
        srm("supplier", "add", name, ok=True)
    # mean tone -2/3: adversarial on tone alone
    log(srm, "Hostile", 3, -1)
    log(srm, "Hostile", 4, -1)
    log(srm, "Hostile", 5, 0)
    # mean tone +2/3, the one tactic a positive one: cooperative
    log(srm, "Friendly", 3, 1, "innovative-pitch")
    log(srm, "Friendly", 4, 1)
    log(srm, "Friendly", 5, 0)
    # mean tone 0, no pressure: mixed; an old hostile call outside the window changes nothing
    log(srm, "Plain", 3, 0)
    log(srm, "Plain", 200, -2, "supply-threat")
    # warm, but pressure in exactly a third of the interactions: adversarial
    log(srm, "Pressed", 3, 2, "flattery", "bundling")
    log(srm, "Pressed", 4, 2)
    log(srm, "Pressed", 5, 2)
    # mean tone exactly 0.5, no pressure: cooperative
    log(srm, "Edge", 3, 1)
    log(srm, "Edge", 4, 0)

    rows = portfolio(srm)
    assert {name: row["climate"] for name, row in rows.items()} == {
        "Hostile": "adversarial",
        "Friendly": "cooperative",
        "Plain": "mixed",
        "Pressed": "adversarial",
        "Silent": None,
        "Edge": "cooperative",
    }
    assert list(rows["Plain"])[-1] == "climate"  # after the SPEC §7 keys

    assert brief(srm, "Hostile")["climate"] == {
        "label": "adversarial",
        "mean_tone": -0.67,
        "pressure_share": 0.0,
    }
    assert brief(srm, "Pressed")["climate"] == {
        "label": "adversarial",
        "mean_tone": 2.0,
        "pressure_share": 0.3333,
    }
    assert brief(srm, "Silent")["climate"] is None
    # a longer window takes the old supply threat in: pressure in half the interactions
    assert brief(srm, "Plain", "--window", "365")["climate"]["label"] == "adversarial"

    table = srm("report", "Hostile", ok=True).stdout
    assert "Climate adversarial over the last 90 days: mean tone -0.67" in table
    assert "Climate: no data" in srm("report", "Silent", ok=True).stdout
    out = srm("report", "Pressed", "-f", "csv", ok=True).stdout
    row = next(csv.DictReader(io.StringIO(out)))
    assert (row["climate"], row["mean_tone"], row["pressure_share"]) == (
        "adversarial",
        "2",
        "0.3333",
    )


def test_a_deep_but_adversarial_relationship_says_so(srm) -> None:
    """The story of issue 16: contact everywhere (depth high), but pushing increases,
    threatening supply, going over the buyer's head and reading papers on the desk."""
    srm("supplier", "add", "Northwind", "--access", "restricted", ok=True)
    roles = ("sales", "customer-service", "operations", "engineering", "executive")
    for n, role in enumerate(roles):
        srm("contact", "add", "Northwind", f"P{n}", "--role", role, ok=True)
    tactics = ["price-increase", "supply-threat", "bypass", "snooping"]
    for day in range(1, 13):
        tactic = tactics[day % 4] if day <= 8 else None
        extra = ["--tactic", tactic] if tactic else []
        srm("log", "Northwind", f"visit {day}", "--date", ago(day * 7), "--channel", "visit",
            "--with", f"P{day % 5}", "--initiator", "them" if day % 2 else "us",
            "--tone", "-1" if day % 3 else "0", *extra, ok=True)  # fmt: skip
    b = brief(srm, "Northwind")
    assert b["depth"]["tier"] in ("trusted", "strategic")
    assert b["climate"]["label"] == "adversarial"
    points = b["talking_points"]
    hostile = [p for p in points if p.startswith("The climate is adversarial")]
    assert len(hostile) == 1
    assert f"depth {b['depth']['score']} ({b['depth']['tier']}) measures contact" in hostile[0]
    # restricted access is not suggested open while the climate is adversarial
    assert not any("consider opening access" in p for p in points)


# ------------------------------------------------------------------------ breakdowns


def test_breakdowns_of_the_year_stay_in_the_brief_once_resolved(srm) -> None:
    srm("supplier", "add", "Hartley", ok=True)
    srm("contact", "add", "Hartley", "Hal Hartley", "--role", "executive", "--title",
        "President", ok=True)  # fmt: skip
    srm("issue", "open", "Hartley", "responsiveness", "call center silent", "--severity", "2",
        "--date", ago(60), ok=True)  # fmt: skip
    srm("issue", "escalate", "1", "--to", "Hal", "--date", ago(40), ok=True)
    srm("issue", "resolve", "1", "--date", ago(21), "--note", "new account team", ok=True)
    srm("issue", "open", "Hartley", "billing", "double invoice", "--date", ago(30), ok=True)
    srm("issue", "resolve", "2", "--date", ago(10), ok=True)
    srm("issue", "open", "Hartley", "quality", "long ago", "--date", ago(500), ok=True)
    srm("issue", "resolve", "3", "--date", ago(400), ok=True)
    srm("issue", "open", "Hartley", "quality", "still open", "--date", ago(5), ok=True)

    b = brief(srm, "Hartley")
    found = b["breakdowns"]
    assert [x["issue"]["id"] for x in found] == [2, 1]  # most recently resolved first
    assert found[1] == {
        "issue": found[1]["issue"],
        "days_to_resolve": 39,
        "escalated_to": "Hal Hartley",
        "escalated_role": "executive",
    }
    assert found[1]["issue"]["resolution"] == "new account team"
    assert found[0]["escalated_to"] is None and found[0]["days_to_resolve"] == 20

    table = srm("report", "Hartley", ok=True).stdout
    assert "Breakdowns of the year" in table
    # the table says how long it took
    row = next(line for line in table.splitlines() if line.startswith("#1 "))
    assert " 39 " in row
    document = srm("report", "Hartley", "-f", "markdown", ok=True).stdout
    assert "| 39 | Hal Hartley (executive) | call center silent" in document


# ------------------------------------------------------------------ talking points


def test_defensive_tactics_each_get_their_counter_move(srm) -> None:
    srm("supplier", "add", "Acme", ok=True)
    log(srm, "Acme", 30, 0, "snooping")
    log(srm, "Acme", 20, 0, "flattery", "bundling")
    log(srm, "Acme", 10, 0, "flattery", "deadline-pressure")
    log(srm, "Acme", 5, 1, "price-increase")
    points = brief(srm, "Acme")["talking_points"]
    expected = [
        f"They pushed a price increase once, last on {ago(5)}",
        f"They read papers on your desk once, last on {ago(30)}: meet away from your desk, "
        "keep papers out of sight.",
        f"They flattered you 2 times, last on {ago(10)}: hold to the numbers.",
        f"They bundled prices once, last on {ago(20)}: ask for each price on its own.",
        f"They pressed a deadline once, last on {ago(10)}: ask what the deadline rests on.",
    ]
    where = [next(i for i, p in enumerate(points) if p.startswith(e)) for e in expected]
    assert where == sorted(where)  # in the documented order
    # pressure in every interaction of the window: the adversarial point follows them
    assert points[where[-1] + 1].startswith("The climate is adversarial")


def test_alternatives_name_peers_of_the_category_and_sourcing_candidates(srm) -> None:
    srm("supplier", "add", "Incumbent Foundry", "--category", "Castings", ok=True)
    srm("supplier", "add", "Precision Castings", "--category", "castings ", ok=True)
    srm("supplier", "add", "Lumen Castings", "--category", "CASTINGS", "--status", "prospect",
        ok=True)  # fmt: skip
    srm("supplier", "add", "Old Castings", "--category", "castings", "--status", "inactive",
        ok=True)  # fmt: skip
    srm("supplier", "add", "Dropped Castings", "--category", "castings", "--status",
        "prospect", ok=True)  # fmt: skip
    srm("supplier", "add", "Bolt Works", "--category", "fasteners", ok=True)
    log(srm, "Precision Castings", 3, 1)
    srm("sourcing", "new", "Castings 2027", ok=True)
    for name in ("Lumen", "Dropped", "Bolt"):
        srm("sourcing", "add", "Castings 2027", name, ok=True)
    srm("sourcing", "move", "Castings 2027", "Lumen", "quoted", ok=True)
    srm("sourcing", "move", "Castings 2027", "Dropped", "declined", ok=True)

    b = brief(srm, "Incumbent")
    assert [(a["supplier"], [p["stage"] for p in a["projects"]]) for a in b["alternatives"]] == [
        ("Lumen Castings", ["quoted"]),
        ("Precision Castings", []),
    ]
    precision = b["alternatives"][1]
    assert precision["depth_score"] is not None and precision["status"] == "active"
    point = next(p for p in b["talking_points"] if p.startswith("Alternatives for Castings"))
    assert "Lumen Castings is quoted in 'Castings 2027' (depth no data)" in point
    assert f"Precision Castings is an active supplier (depth {precision['depth_score']}" in point
    for absent in ("Old Castings", "Dropped Castings", "Bolt Works"):
        assert absent not in point
    assert "Alternatives in Castings" in srm("report", "Incumbent", ok=True).stdout

    # no category, no alternatives
    srm("supplier", "add", "Loner", ok=True)
    assert brief(srm, "Loner")["alternatives"] == []


def test_a_late_po_line_that_is_an_open_issue_is_named_once(srm, tmp_path: Path) -> None:
    srm("supplier", "add", "Northwind", ok=True)
    header = "po,line,item,qty_ordered,qty_received,promised_date,received_date\n"
    path = tmp_path / "week.csv"
    path.write_text(
        header + f"4411,1,Bar stock,100,0,{ago(10)},\n" + f"4412,2,Sheet,50,10,{ago(3)},{ago(5)}\n",
        encoding="utf-8",
    )
    srm("status", "import", "Northwind", str(path), "--date", ago(1), "--open-issues", ok=True)
    points = brief(srm, "Northwind")["talking_points"]
    named = {po: [p for p in points if f"PO {po} line" in p] for po in ("4411", "4412")}
    assert len(named["4411"]) == 1 and len(named["4412"]) == 1
    assert all(p.startswith("Raise before any price talk: open late-delivery issue") for p in
               named["4411"] + named["4412"])  # fmt: skip
    assert not any("PO lines are late" in p or "days late in the" in p for p in points)

    # resolved, the issue leaves the point to the status report again
    srm("issue", "resolve", "1", ok=True)
    points = brief(srm, "Northwind")["talking_points"]
    assert [p for p in points if "PO 4411 line 1" in p] == [
        next(p for p in points if p.startswith("PO 4411 line 1 (Bar stock) is 9 days late"))
    ]


@pytest.mark.parametrize("fmt", ["markdown", "csv"])
def test_the_new_sections_in_every_format(srm, fmt: str) -> None:
    srm("supplier", "add", "Acme", "--category", "[red]cast[/]", ok=True)
    srm("supplier", "add", "<b>Peer</b>", "--category", "[red]cast[/]", ok=True)
    srm("issue", "open", "Acme", "quality", "*bold* <i>", "--date", ago(9), ok=True)
    srm("issue", "resolve", "1", "--date", ago(2), ok=True)
    log(srm, "Acme", 2, -2, "snooping")
    out = srm("report", "Acme", "-f", fmt, ok=True).stdout
    if fmt == "markdown":
        assert "## Breakdowns of the year" in out and "\\*bold\\* &lt;i&gt;" in out
        assert "&lt;b&gt;Peer&lt;/b&gt;" in out and "Climate adversarial" in out
    else:
        assert "adversarial" in out and ",1\n" in out.replace("\r\n", "\n")


# --------------------------------------------------------------------- score history


def month_end_story(srm, tmp_path: Path) -> None:
    srm("supplier", "add", "Acme", ok=True)
    srm("contact", "add", "Acme", "Sam", "--role", "sales", ok=True)
    srm("contact", "add", "Acme", "Ops", "--role", "operations", ok=True)
    for days in (300, 250, 200, 150, 120, 95, 70, 45, 33, 20, 8, 1):
        srm("log", "Acme", f"call {days}", "--date", ago(days), "--with",
            "Sam" if days % 2 else "Ops", "--tone", str(days % 3 - 1), ok=True)  # fmt: skip
    srm("issue", "open", "Acme", "quality", "cracks", "--severity", "1", "--date", ago(100),
        ok=True)  # fmt: skip
    srm("issue", "escalate", "1", "--to", "Sam", "--date", ago(90), ok=True)
    srm("issue", "resolve", "1", "--date", ago(40), ok=True)
    srm("followup", "add", "Acme", "send specs", "--due", ago(60), "--owner", "them", ok=True)
    header = "po,line,item,qty_ordered,qty_received,promised_date,received_date\n"
    for n, (report, rows) in enumerate(
        [
            (ago(70), f"1,1,a,10,10,{ago(80)},{ago(82)}\n2,1,b,10,0,{ago(75)},\n"),
            (ago(10), f"2,1,b,10,10,{ago(75)},{ago(30)}\n3,1,c,20,20,{ago(20)},{ago(21)}\n"),
        ]
    ):
        path = tmp_path / f"status{n}.csv"
        path.write_text(header + rows, encoding="utf-8")
        srm("status", "import", "Acme", str(path), "--date", report, ok=True)


def test_score_history_equals_the_brief_as_of_each_month_end(srm, tmp_path: Path) -> None:
    month_end_story(srm, tmp_path)
    b = brief(srm, "Acme", "--months", "6")
    history = b["history"]
    assert [h["month"] for h in history] == [
        "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11",
    ]  # fmt: skip
    assert all(list(h) == ["month", "depth", "service", "on_time_delivery"] for h in history)
    ends = ["2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-25"]
    for entry, end in zip(history, ends, strict=True):
        then = brief(srm, "Acme", "--as-of", end)
        assert entry["depth"] == then["depth"]["score"], end
        assert entry["service"] == then["service"]["score"], end
        assert entry["on_time_delivery"] == then["service"]["on_time_delivery"], end
    # the last entry is T's own month, as of T: the brief's own figures
    assert history[-1]["depth"] == b["depth"]["score"]
    assert history[-1]["service"] == b["service"]["score"]
    # the figures move: the escalated severity-1 issue weighs on September, not November
    assert history[3]["service"] < history[-1]["service"]
    assert history[0]["on_time_delivery"] is None and history[-1]["on_time_delivery"] == 0.75
    # a window changes service and depth month by month, as it does the brief
    narrow = brief(srm, "Acme", "--months", "2", "--window", "30")["history"]
    assert narrow[-1]["depth"] == brief(srm, "Acme", "--window", "30")["depth"]["score"]
    # no --months, no history
    assert "history" not in brief(srm, "Acme")


def test_score_history_table_sparklines_and_charts(srm, tmp_path: Path) -> None:
    month_end_story(srm, tmp_path)
    table = srm("report", "Acme", "--months", "12", ok=True).stdout
    assert "Score history, 12 month ends" in table
    depth_row = next(line for line in table.splitlines() if line.startswith("depth "))
    marks = depth_row.split()[1]
    assert len(marks) == 12 and set(marks) <= set("▁▂▃▄▅▆▇█·")
    # before the first interaction there is no depth: the gap mark
    assert marks.startswith("·")
    assert "Score history" not in srm("report", "Acme", ok=True).stdout

    page = tmp_path / "brief.html"
    srm("report", "Acme", "--months", "12", "-o", str(page), ok=True)
    html = page.read_text(encoding="utf-8")
    assert html.count("<polyline") >= 3 and "<svg" in html
    lowered = html.lower()
    assert "<script" not in lowered and "<image" not in lowered and "@import" not in lowered
    assert "url(" not in lowered and "href" not in lowered

    import xml.etree.ElementTree as ET

    picture = tmp_path / "brief.svg"
    srm("report", "Acme", "--months", "12", "-o", str(picture), ok=True)
    root = ET.parse(picture).getroot()
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert "polyline" in tags and "script" not in tags and "image" not in tags
    assert "href" not in picture.read_text(encoding="utf-8")


def test_chart_text_is_escaped(srm) -> None:
    from srmcli.views import Series
    from srmcli.writers.charts import inline_svg

    series = Series(name="<b>x</b>", labels=["&"], values=[0.5], shown=["<i>"], top=1)
    markup = inline_svg([series], '"quoted"')
    assert "<b>" not in markup and "&lt;b&gt;" in markup and "&lt;i&gt;" in markup
    assert 'aria-label="&quot;quoted&quot;"' in markup


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["report", "--months", "3"], "--months goes with a supplier's brief"),
        (["report", "Acme", "--months", "0"], "--months '0' is not accepted"),
        (["report", "Acme", "--months", "121"], "from 1 to 120"),
        (["report", "Acme", "--months", "٣"], "--months"),
    ],
)
def test_months_refused(srm, args: list[str], fragment: str) -> None:
    srm("supplier", "add", "Acme", ok=True)
    r = srm(*args)
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.startswith("Error: ") and fragment in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
