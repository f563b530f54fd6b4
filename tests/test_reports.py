"""`srm report` (portfolio and brief) and `srm due`, scored by hand against SPEC §5.

The clock is fixed at T = 2026-11-25 10:30 (conftest). Every expected figure is worked
out in the comments from the SPEC §5 formulas, so a reviewer checks the spec, not code.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest

T = date(2026, 11, 25)

PORTFOLIO_KEYS = [
    "supplier", "status", "depth_score", "depth_tier", "depth_trend", "service_score",
    "last_interaction", "days_since_last", "cadence_days", "interactions_window",
    "key_roles_reached", "open_issues", "escalated_issues", "overdue_promises", "spend_share",
    "climate",
]  # fmt: skip
BRIEF_SPEC_KEYS = [
    "supplier", "as_of", "window_days", "depth", "service", "contacts", "uncovered_roles",
    "open_issues", "overdue_promises", "our_todos", "tactics", "recent_interactions",
    "talking_points",
]  # fmt: skip


def ago(days: int, clock: str = "10:00") -> str:
    """A `--date` value `days` calendar days before T."""
    return f"{(T - timedelta(days=days)).isoformat()} {clock}"


def day_ago(days: int) -> str:
    return (T - timedelta(days=days)).isoformat()


def portfolio(srm, *args: str) -> dict[str, dict]:
    r = srm("report", "-f", "json", *args, ok=True)
    return {row["supplier"]: row for row in r.json()}


def brief(srm, name: str, *args: str) -> dict:
    return srm("report", name, "-f", "json", *args, ok=True).json()


def full_example(srm) -> None:
    """The worked example of tests/test_scoring.py, built through the CLI.

    last contact 18 days ago             recency     = 1 − 18/180           = 0.9
    6 interactions in the 90-day window  frequency   = 6/12                 = 0.5
    sales, operations, engineering       breadth     = 3/5                  = 0.6
      (the quality contact is not a key role)
    2 visits, 2 calls, 2 emails          richness    = (1+1+.6+.6+.3+.3)/6  = 0.63333
    2 of 6 initiated by them             reciprocity = 1 − 2×|1/3 − 1/2|    = 0.66667
    tones 1, 1, 1, 0, 0, 0 (sum 3)       tone        = (3/6 + 2)/4          = 0.625
    points: 22.5 + 10 + 12 + 9.5 + 6.6667 + 6.25 = 66.9167 → 67, tier trusted
    """
    srm("supplier", "add", "Northwind", ok=True)
    srm("contact", "add", "Northwind", "Alice", "--role", "sales", ok=True)
    srm("contact", "add", "Northwind", "Bob", "--role", "operations", ok=True)
    srm("contact", "add", "Northwind", "Eve", "--role", "engineering", ok=True)
    srm("contact", "add", "Northwind", "Quinn", "--role", "quality", ok=True)
    for days, channel, initiator, tone, who in (
        (18, "visit", "us", "1", ["Alice"]),
        (25, "visit", "them", "1", ["Bob", "Quinn"]),
        (30, "call", "us", "1", ["Eve"]),
        (40, "call", "them", "0", []),
        (50, "email", "us", "0", ["Alice"]),
        (60, "email", "us", "0", []),
    ):
        extra = [arg for name in who for arg in ("--with", name)]
        srm("log", "Northwind", f"note {days}", "--date", ago(days), "--channel", channel,
            "--initiator", initiator, "--tone", tone, *extra, ok=True)  # fmt: skip


# --------------------------------------------------------------------------- depth


def test_supplier_without_interactions_has_no_depth(srm) -> None:
    srm("supplier", "add", "Acme", ok=True)
    row = portfolio(srm)["Acme"]
    assert row["depth_score"] is None and row["depth_tier"] is None
    assert row["depth_trend"] is None and row["last_interaction"] is None
    assert row["days_since_last"] is None and row["interactions_window"] == 0
    table = srm("report", ok=True).stdout
    assert "no data" in table
    b = brief(srm, "Acme")
    assert b["depth"]["score"] is None and b["depth"]["tier"] is None
    assert b["depth"]["trend"] is None and b["depth"]["components"] is None
    assert "Depth: no data" in srm("report", "Acme", ok=True).stdout


def test_depth_components_on_a_crafted_journal(srm) -> None:
    full_example(srm)
    b = brief(srm, "Northwind")
    depth = b["depth"]
    assert (depth["score"], depth["tier"]) == (67, "trusted")
    assert depth["components"] == {
        "recency": {"value": 0.9, "weight": 0.25, "points": 22.5},
        "frequency": {"value": 0.5, "weight": 0.2, "points": 10.0},
        "breadth": {"value": 0.6, "weight": 0.2, "points": 12.0},
        "richness": {"value": 0.6333, "weight": 0.15, "points": 9.5},
        "reciprocity": {"value": 0.6667, "weight": 0.1, "points": 6.67},
        "tone": {"value": 0.625, "weight": 0.1, "points": 6.25},
    }
    row = portfolio(srm)["Northwind"]
    assert row["depth_score"] == 67 and row["key_roles_reached"] == 3
    assert row["interactions_window"] == 6 and row["days_since_last"] == 18
    assert row["last_interaction"] == "2026-11-07T10:00:00"
    # the receipt: every component's value, weight and points, and the total
    receipt = srm("report", "Northwind", ok=True).stdout
    assert "Depth receipt" in receipt
    for line in ("recency", "0.9", "22.50", "reciprocity", "6.67", "66.92 → 67"):
        assert line in receipt


def test_window_edges_89_days_in_90_days_out(srm) -> None:
    srm("supplier", "add", "Edge", ok=True)
    # 2026-08-28 is 89 days before T: in (T−90, T]; 2026-08-27 is exactly 90: out,
    # even at 23:59 (calendar days count, not hours)
    srm("log", "Edge", "in", "--date", "2026-08-28 00:00", ok=True)
    srm("log", "Edge", "out", "--date", "2026-08-27 23:59", ok=True)
    assert portfolio(srm)["Edge"]["interactions_window"] == 1
    # the window is an option: 91 days takes both, 89 neither
    assert portfolio(srm, "--window", "91")["Edge"]["interactions_window"] == 2
    assert portfolio(srm, "--window", "89")["Edge"]["interactions_window"] == 0


def test_year_edge_for_breadth(srm) -> None:
    srm("supplier", "add", "Edge", ok=True)
    srm("contact", "add", "Edge", "Sal", "--role", "sales", ok=True)
    srm("contact", "add", "Edge", "Ed", "--role", "executive", ok=True)
    # 364 days back is in (T−365, T]; 365 days back is not
    srm("log", "Edge", "x", "--with", "Sal", "--date", ago(364), ok=True)
    srm("log", "Edge", "y", "--with", "Ed", "--date", ago(365), ok=True)
    assert portfolio(srm)["Edge"]["key_roles_reached"] == 1


def test_trend_is_depth_now_minus_depth_one_window_earlier(srm) -> None:
    srm("supplier", "add", "Fading", ok=True)
    srm("log", "Fading", "one call", "--date", ago(100), ok=True)  # 2026-08-17, call, us, tone 0
    # at T: recency 1 − 100/180 = 0.4444 → 11.111; frequency 0 (100 ≥ 90); breadth 0;
    #   richness 0.6 → 9; reciprocity 1 − 2×|0 − 0.5| = 0; tone (0+2)/4 = 0.5 → 5
    #   total 25.111 → 25 (acquainted)
    # at T − 90 = 2026-08-27: recency 1 − 10/180 = 0.9444 → 23.611; frequency 1/12 → 1.667;
    #   richness 9; tone 5 → total 39.278 → 39; trend 25 − 39 = −14
    row = portfolio(srm)["Fading"]
    assert (row["depth_score"], row["depth_tier"], row["depth_trend"]) == (25, "acquainted", -14)
    b = brief(srm, "Fading")
    assert (b["depth"]["score"], b["depth"]["trend"], b["depth"]["previous_score"]) == (25, -14, 39)
    assert any("fell 14 points over the last 90 days (39 → 25)" in p for p in b["talking_points"])
    # standard access with an acquainted relationship no longer fits
    assert (
        "Access is standard but depth is only acquainted (25): consider restricting access "
        "to the account manager until it improves."
    ) in b["talking_points"]
    assert "25↓ acquainted" in srm("report", ok=True).stdout


def test_trend_is_null_without_an_earlier_score(srm) -> None:
    srm("supplier", "add", "New", ok=True)
    srm("log", "New", "first call", "--date", ago(3), ok=True)
    row = portfolio(srm)["New"]
    assert row["depth_score"] is not None and row["depth_trend"] is None


def test_as_of_ignores_what_came_later(srm) -> None:
    full_example(srm)
    srm("log", "Northwind", "after the as-of day", "--date", ago(1), ok=True)
    srm("issue", "open", "Northwind", "quality", "later issue", "--severity", "1", ok=True)
    # as of 2026-11-20 the latest interaction is still 2026-11-07 (13 days back), the
    # issue does not exist yet, and the window starts at 2026-08-23
    row = portfolio(srm, "--as-of", "2026-11-20")["Northwind"]
    assert row["days_since_last"] == 13 and row["last_interaction"] == "2026-11-07T10:00:00"
    assert row["service_score"] == 100 and row["open_issues"] == 0
    assert row["interactions_window"] == 6
    b = brief(srm, "Northwind", "--as-of", "2026-11-20")
    assert b["as_of"] == "2026-11-20" and len(b["recent_interactions"]) == 5
    assert "after the as-of day" not in [i["note"] for i in b["recent_interactions"]]
    assert b["open_issues"] == []


# ------------------------------------------------------------------------- service


def service_journal(srm) -> None:
    srm("supplier", "add", "Rocky", ok=True)
    srm("contact", "add", "Rocky", "Pat", "--role", "executive", ok=True)
    srm("issue", "open", "Rocky", "quality", "open sev 1", "--severity", "1",
        "--date", ago(30), ok=True)  # fmt: skip  # issue 1
    srm("issue", "open", "Rocky", "late-delivery", "escalated sev 2", "--severity", "2",
        "--date", ago(25), ok=True)  # fmt: skip  # issue 2
    srm("issue", "escalate", "2", "--to", "Pat", ok=True)
    srm("issue", "open", "Rocky", "billing", "resolved in window", "--severity", "3",
        "--date", ago(20), ok=True)  # fmt: skip  # issue 3
    srm("issue", "resolve", "3", "--date", ago(10), ok=True)
    srm("issue", "open", "Rocky", "quality", "resolved long ago", "--severity", "1",
        "--date", ago(200), ok=True)  # fmt: skip  # issue 4
    srm("issue", "resolve", "4", "--date", ago(150), ok=True)
    # their promises: #1 due 10 days ago, never done (overdue); #2 due 20 days ago, done
    # the day before (kept); #3 due 5 days ago, done 2 days ago (late); #4 due tomorrow;
    # #5 due 400 days ago (outside the year); ours #6 overdue (never counts against them)
    for text, due in (("p1", 10), ("p2", 20), ("p3", 5), ("p4", -1), ("p5", 400)):
        srm("followup", "add", "Rocky", text, "--due", day_ago(due), "--owner", "them", ok=True)
    srm("followup", "add", "Rocky", "our chore", "--due", day_ago(3), ok=True)
    srm("followup", "done", "2", "--date", ago(21), ok=True)
    srm("followup", "done", "3", "--date", ago(2), ok=True)
    srm("followup", "done", "5", "--date", ago(401), ok=True)


def test_service_penalties(srm) -> None:
    service_journal(srm)
    # open sev 1: 20; escalated sev 2: 10 × 1.5 = 15; resolved in window sev 3: 5 × 0.5 =
    # 2.5; resolved 150 days ago: 0; one overdue promise of theirs: 5
    # penalty 42.5 → 100 − 42.5 = 57.5 → 58 (halves up)
    row = portfolio(srm)["Rocky"]
    assert row["service_score"] == 58
    assert (row["open_issues"], row["escalated_issues"], row["overdue_promises"]) == (2, 1, 1)
    svc = brief(srm, "Rocky")["service"]
    assert list(svc) == [
        "score", "open", "escalated", "resolved_window", "mean_days_to_resolve",
        "promise_reliability", "on_time_delivery", "on_time_delivery_first_promise",
    ]  # fmt: skip
    assert (svc["score"], svc["open"], svc["escalated"], svc["resolved_window"]) == (58, 2, 1, 1)
    # resolved in the year: 10 days (20 → 10 ago) and 50 days (200 → 150 ago): mean 30
    assert svc["mean_days_to_resolve"] == 30.0
    # their promises due in (T−365, T]: p1 (not done), p2 (kept), p3 (late) → 1/3
    assert svc["promise_reliability"] == 0.3333
    assert svc["on_time_delivery"] is None
    assert svc["on_time_delivery_first_promise"] is None


def test_service_as_of_before_the_escalation_and_resolution(srm) -> None:
    service_journal(srm)
    # as of 15 days ago: issue 1 (20) open; issue 2 opened 25 days ago but escalated only
    # today, so plain open: 10; issue 3 (opened 20 ago, resolved 10 ago) open: 5;
    # issue 4 resolved 150 days ago: out of the window; promises overdue then: p2 (due
    # 20 ago, done 21 ago) no; none overdue → penalty 35 → 65
    row = portfolio(srm, "--as-of", day_ago(15))["Rocky"]
    assert row["service_score"] == 65
    assert (row["open_issues"], row["escalated_issues"], row["overdue_promises"]) == (3, 0, 0)


def test_brief_lists_open_issues_and_promises(srm) -> None:
    service_journal(srm)
    b = brief(srm, "Rocky")
    assert [i["id"] for i in b["open_issues"]] == [1, 2]  # most severe first
    assert b["open_issues"][1]["escalated_to"] == "Pat"
    assert [p["text"] for p in b["overdue_promises"]] == ["p1"]
    assert [p["text"] for p in b["our_todos"]] == ["our chore"]
    assert list(b["overdue_promises"][0]) == [
        "id", "supplier", "owner", "text", "due", "done_at", "interaction_id",
        "interaction_at",
    ]  # fmt: skip


# ----------------------------------------------------------------------- portfolio


def test_portfolio_json_keys_spend_share_and_archived_suppliers(srm) -> None:
    # 500 000 / 4 000 000 = 0.125
    srm("supplier", "add", "Small Shop", "--annual-spend", "500000",
        "--supplier-revenue", "4000000", "--cadence", "30", ok=True)  # fmt: skip
    srm("supplier", "add", "Old Vendor", ok=True)
    srm("supplier", "archive", "Old Vendor", ok=True)
    srm("supplier", "add", "Maybe Co", "--status", "prospect", ok=True)
    rows = srm("report", "-f", "json", ok=True).json()
    assert sorted(r["supplier"] for r in rows) == ["Maybe Co", "Small Shop"]
    for row in rows:
        assert list(row) == PORTFOLIO_KEYS
    small = next(r for r in rows if r["supplier"] == "Small Shop")
    assert small["spend_share"] == 0.125 and small["cadence_days"] == 30
    assert small["status"] == "active"
    assert "12.5%" in srm("report", ok=True).stdout
    parsed = list(csv.DictReader(io.StringIO(srm("report", "-f", "csv", ok=True).stdout)))
    assert list(parsed[0]) == PORTFOLIO_KEYS
    assert {r["supplier"]: r["spend_share"] for r in parsed}["Small Shop"] == "0.125"


def test_portfolio_is_sorted_by_attention(srm) -> None:
    # Escalated issues first, then their overdue promises, then days past cadence, then
    # the lowest service, then the lowest depth (no depth at all before any depth).
    for name in ("Fine", "Unknown", "Broken", "Lapsed", "Promiser", "Escalated"):
        srm("supplier", "add", name, ok=True)
    srm("contact", "add", "Escalated", "Boss", "--role", "executive", ok=True)
    for name in ("Fine", "Broken", "Lapsed", "Promiser", "Escalated"):
        srm("log", name, "hello", "--date", ago(40), ok=True)
    srm("issue", "open", "Escalated", "quality", "x", "--severity", "4", "--date", ago(5), ok=True)
    srm("issue", "escalate", "1", "--to", "Boss", ok=True)
    srm("followup", "add", "Promiser", "send it", "--due", day_ago(3), "--owner", "them", ok=True)
    srm("supplier", "edit", "Lapsed", "--cadence", "30", ok=True)  # 40 days since: 10 past
    srm("issue", "open", "Broken", "quality", "y", "--severity", "1", "--date", ago(5), ok=True)
    rows = srm("report", "-f", "json", ok=True).json()
    assert [r["supplier"] for r in rows] == [
        "Escalated", "Promiser", "Lapsed", "Broken", "Unknown", "Fine",
    ]  # fmt: skip
    assert rows[3]["service_score"] == 80 and rows[4]["depth_score"] is None


def test_portfolio_counts_with_a_constant_number_of_queries(srm) -> None:
    from sqlalchemy import event

    from srmcli import db
    from srmcli.services import measures, portfolio

    def run_counting() -> int:
        statements: list[str] = []
        engine = db.engine()

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(engine, "before_cursor_execute", count)
        try:
            with db.session() as s:
                portfolio.portfolio(session=s, as_of=T, window_days=90)
                measures.monthly_contact(session=s, as_of=T)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len([sql for sql in statements if sql.lstrip().upper().startswith("SELECT")])

    srm("supplier", "add", "S0", ok=True)
    srm("log", "S0", "x", "--date", ago(3), ok=True)
    few = run_counting()
    for n in range(1, 25):
        srm("supplier", "add", f"S{n}", ok=True)
        srm("log", f"S{n}", "x", "--date", ago(n), ok=True)
    srm("issue", "open", "S3", "quality", "--severity", "2", ok=True)
    assert few >= 8 and run_counting() == few


def test_portfolio_sparkline_counts_calendar_months(srm) -> None:
    from srmcli import db
    from srmcli.services import measures
    from srmcli.views.portfolio import sparkline

    srm("supplier", "add", "Busy", ok=True)
    # twelve months ending at T: 2025-12 … 2026-11; November 2025 is outside
    for when in ("2026-11-24", "2026-11-02", "2026-10-15", "2025-12-01", "2025-11-30"):
        srm("log", "Busy", "x", "--date", when, ok=True)
    with db.session() as s:
        months = measures.monthly_contact(session=s, as_of=T)
    assert months["Busy"] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2]
    # scaled to the busiest month (2 → █); 1 of 2 → ceil(7/2) = 4 → ▅; none → ▁
    assert sparkline(months["Busy"]) == "▅▁▁▁▁▁▁▁▁▁▅█"
    assert "▅▁▁▁▁▁▁▁▁▁▅█" in srm("report", ok=True).stdout


def test_portfolio_table_fits_80_columns(srm) -> None:
    srm("supplier", "add", "Consolidated Industrial Fasteners International", "--cadence", "365",
        "--annual-spend", "10000", "--supplier-revenue", "100000000", ok=True)  # fmt: skip
    srm("supplier", "add", "Precision", "--cadence", "21", ok=True)
    srm("log", "Precision", "hi", "--date", ago(3), "--channel", "visit", ok=True)
    out = srm("report", ok=True).stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "never/365" in out and "3/21" in out and "0.01%" in out  # 10 000 / 100 M


# --------------------------------------------------------------------------- brief


def test_brief_json_shape(srm) -> None:
    full_example(srm)
    srm("supplier", "edit", "Northwind", "--profit-impact", "high", "--supply-risk", "low",
        "--annual-spend", "100", "--supplier-revenue", "1000", ok=True)  # fmt: skip
    srm("log", "Northwind", "push", "--date", ago(20), "--tactic", "price-increase", ok=True)
    srm("log", "Northwind", "push", "--date", ago(19), "--tactic", "price-increase",
        "--tactic", "flattery", ok=True)  # fmt: skip
    b = brief(srm, "Northwind", "--window", "60")
    assert list(b)[: len(BRIEF_SPEC_KEYS)] == BRIEF_SPEC_KEYS
    assert set(b) - set(BRIEF_SPEC_KEYS) <= {
        "kraljic_segment", "spend_share", "last_interaction", "days_since_last",
        "cadence_overdue_days", "projects", "climate", "breakdowns", "alternatives", "history",
    }  # fmt: skip
    assert b["kraljic_segment"] == "leverage" and b["spend_share"] == 0.1
    assert b["window_days"] == 60 and b["as_of"] == "2026-11-25"
    assert b["supplier"]["name"] == "Northwind" and "created_at" in b["supplier"]
    assert list(b["depth"])[:4] == ["score", "tier", "trend", "components"]
    assert list(b["depth"]["components"]) == [
        "recency", "frequency", "breadth", "richness", "reciprocity", "tone",
    ]  # fmt: skip
    assert list(b["contacts"][0]) == [
        "id", "supplier", "name", "role", "title", "email", "phone", "note", "active",
        "last_contact",
    ]  # fmt: skip
    # key roles first, in their order; Quinn (quality) after them
    assert [c["name"] for c in b["contacts"]] == ["Alice", "Bob", "Eve", "Quinn"]
    assert b["contacts"][0]["last_contact"] == "2026-11-07T10:00:00"
    assert b["uncovered_roles"] == ["customer-service", "executive"]
    assert b["tactics"] == [
        {"tactic": "price-increase", "count": 2, "last_seen": "2026-11-06"},
        {"tactic": "flattery", "count": 1, "last_seen": "2026-11-06"},
    ]
    recent = b["recent_interactions"]
    assert len(recent) == 5 and recent[0]["occurred_at"] == "2026-11-07T10:00:00"
    assert [r["occurred_at"] for r in recent] == sorted(
        (r["occurred_at"] for r in recent), reverse=True
    )
    assert list(recent[0])[:3] == ["id", "supplier", "occurred_at"]


def test_brief_takes_on_time_delivery_and_projects_from_their_modules(srm, tmp_path: Path) -> None:
    srm("supplier", "add", "Acme", ok=True)
    lines = tmp_path / "status.csv"
    # PO 1: 100 due 10 days ago, all received 12 days ago (on time); PO 2: 100 due 5 days
    # ago, nothing received → on-time delivery 100 / 200 = 0.5
    lines.write_text(
        "po,line,item,qty_ordered,qty_received,promised_date,received_date\n"
        f"1,1,bolts,100,100,{day_ago(10)},{day_ago(12)}\n"
        f"2,1,nuts,100,0,{day_ago(5)},\n"
    )
    srm("status", "import", "Acme", str(lines), ok=True)
    srm("sourcing", "new", "Second source", ok=True)
    srm("sourcing", "add", "Second source", "Acme", ok=True)
    b = brief(srm, "Acme")
    assert b["service"]["on_time_delivery"] == 0.5
    assert b["service"]["on_time_delivery_first_promise"] == 0.5
    assert [(p["project"], p["stage"]) for p in b["projects"]] == [("Second source", "identified")]
    assert any(p.startswith("PO 2 line 1") for p in b["talking_points"])
    assert "50.0%" in srm("report", "Acme", ok=True).stdout


def test_uncovered_roles_ignore_inactive_contacts(srm) -> None:
    srm("supplier", "add", "Acme", ok=True)
    srm("contact", "add", "Acme", "Sal", "--role", "sales", ok=True)
    srm("contact", "add", "Acme", "Olga", "--role", "operations", ok=True)
    srm("contact", "edit", "Acme", "Olga", "--inactive", ok=True)
    b = brief(srm, "Acme")
    assert b["uncovered_roles"] == ["customer-service", "operations", "engineering", "executive"]
    assert any(p.startswith("Nobody covers customer-service, operations") for p in
               b["talking_points"])  # fmt: skip


def points_for(srm, name: str) -> list[str]:
    return brief(srm, name)["talking_points"]


def covered(srm, name: str) -> None:
    for person, role in (("S", "sales"), ("C", "customer-service"), ("O", "operations"),
                         ("E", "engineering"), ("X", "executive")):  # fmt: skip
        srm("contact", "add", name, person, "--role", role, ok=True)


def test_a_healthy_supplier_has_nothing_to_raise(srm) -> None:
    srm("supplier", "add", "Calm", "--annual-spend", "10", "--supplier-revenue", "1000", ok=True)
    covered(srm, "Calm")
    srm("log", "Calm", "hi", "--date", ago(2), "--channel", "visit", ok=True)
    assert points_for(srm, "Calm") == []
    assert "Nothing stands out." in srm("report", "Calm", ok=True).stdout


def test_talking_points_for_their_triggers(srm) -> None:
    srm("supplier", "add", "Pushy", "--cadence", "7", "--annual-spend", "600000",
        "--supplier-revenue", "4000000", ok=True)  # fmt: skip
    srm("contact", "add", "Pushy", "Sal", "--role", "sales", ok=True)
    srm("log", "Pushy", "Late again", "--date", ago(30), "--issue", "late-delivery",
        "--severity", "3", ok=True)  # fmt: skip
    srm("issue", "open", "Pushy", "billing", "wrong invoice", "--severity", "4", ok=True)
    srm("log", "Pushy", "8% up", "--with", "Sal", "--date", ago(20), "--tactic", "price-increase",
        ok=True)  # fmt: skip
    srm("log", "Pushy", "again", "--with", "Sal", "--date", ago(12), "--tactic", "price-increase",
        "--tactic", "supply-threat", "--tactic", "bypass", ok=True)  # fmt: skip
    srm("followup", "add", "Pushy", "Send cost breakdown", "--due", day_ago(4), "--owner", "them",
        ok=True)  # fmt: skip
    points = points_for(srm, "Pushy")
    text = "\n".join(points)
    # 1. the late delivery (sev 3) goes before price talk; the sev 4 billing issue does not
    assert points[0] == (
        "Raise before any price talk: open late-delivery issue #1 (severity 3, open 30 days, "
        "not escalated): Late again."
    )
    assert "wrong invoice" not in text
    assert "pushed a price increase 2 times, last on 2026-11-13" in text
    assert "threatened to cut supply once, last on 2026-11-13" in text
    assert "went over your head once, last on 2026-11-13" in text
    assert "Nobody covers customer-service, operations, engineering, executive at Pushy" in text
    assert (
        "They owe 1 overdue promise: #1 Send cost breakdown (due 2026-11-21, 4 days late)" in text
    )
    # 600 000 / 4 000 000 = 15% ≥ 5%
    assert "We are 15.0% of their revenue: a significant customer" in text
    # last contact 12 days ago, cadence 7: 5 days overdue
    assert "Keep-in-touch is 5 days overdue (every 7 days, last contact 2026-11-13)" in text
    # depth: recency 1 − 12/180 = 0.9333 → 23.33; frequency 3/12 → 5; breadth 1/5 → 4;
    # richness 3 calls 0.6 → 9; reciprocity (all ours) 0; tone 0 → 0.5 → 5
    # total 46.33 → 46 working; service 100 − 5 (late delivery sev 3) − 2 (billing sev 4)
    # − 5 (overdue promise) = 88: standard access fits, so no access point
    b = brief(srm, "Pushy")
    assert (b["depth"]["score"], b["depth"]["tier"], b["service"]["score"]) == (46, "working", 88)
    assert not [p for p in points if p.startswith("Access is")]


def test_access_that_no_longer_fits(srm) -> None:
    # open access but service < 60: three sev 1 issues → 100 − 60 = 40
    srm("supplier", "add", "Leaky", "--access", "open", ok=True)
    for n in range(3):
        srm("issue", "open", "Leaky", "quality", f"escape {n}", "--severity", "1", ok=True)
    assert any(
        p.startswith("Access is open but service is 40: consider restricting access")
        for p in points_for(srm, "Leaky")
    )
    # restricted but trusted/strategic and service ≥ 80 → open to engineering
    srm("supplier", "add", "Trusty", "--access", "restricted", ok=True)
    covered(srm, "Trusty")
    for n in range(12):
        who = ["--with", "S", "--with", "C", "--with", "O", "--with", "E", "--with", "X"]
        srm("log", "Trusty", f"m{n}", "--date", ago(n * 7 + 1), "--channel", "meeting",
            "--initiator", "them" if n % 2 else "us", "--tone", "2", *who, ok=True)  # fmt: skip
    b = brief(srm, "Trusty")
    assert b["depth"]["tier"] == "strategic"
    assert (
        f"Access is restricted but depth is strategic ({b['depth']['score']}) and service 100: "
        "consider opening access to engineering."
    ) in b["talking_points"]


def test_tiny_spend_share_and_never_contacted(srm) -> None:
    # 1 000 / 2 000 000 = 0.05% ≤ 0.1%
    srm("supplier", "add", "Mega", "--annual-spend", "1000", "--supplier-revenue", "2000000",
        "--cadence", "30", ok=True)  # fmt: skip
    text = "\n".join(points_for(srm, "Mega"))
    assert "We are 0.05% of their revenue: little leverage on our own" in text
    assert "Never contacted, though the keep-in-touch cadence is 30 days" in text


def test_brief_table_markdown_and_csv(srm) -> None:
    full_example(srm)
    srm("log", "Northwind", "push", "--date", ago(20), "--tactic", "price-increase", ok=True)
    srm("supplier", "edit", "Northwind", "--profit-impact", "high", "--supply-risk", "high",
        "--annual-spend", "100", "--supplier-revenue", "1000", ok=True)  # fmt: skip
    table = srm("report", "Northwind", ok=True).stdout
    for part in ("negotiation brief as of 2026-11-25", "Kraljic segment", "strategic",
                 "10.0%", "Depth receipt", "Service", "Contacts by role", "Tactics seen",
                 "Last five interactions", "Talking points"):  # fmt: skip
        assert part in table
    md = srm("report", "Northwind", "-f", "markdown", ok=True).stdout
    assert md.startswith("# Northwind: negotiation brief\n")
    assert "- **Kraljic segment**: strategic" in md
    assert "| component | measured on | value | weight | points |" in md
    assert "| recency | 18 days since last (0 at 180) | 0.9 | 0.25 | 22.50 |" in md
    assert "## Talking points" in md and "1. They pushed a price increase once" in md
    rows = list(csv.DictReader(io.StringIO(srm("report", "Northwind", "-f", "csv").stdout)))
    assert len(rows) == 1 and rows[0]["supplier"] == "Northwind"
    assert rows[0]["depth_score"] == "67" and rows[0]["recency_points"] == "22.5"
    assert rows[0]["uncovered_roles"] == "customer-service;executive"
    assert rows[0]["tactics"] == "price-increase:1"
    pmd = srm("report", "-f", "markdown", ok=True).stdout
    assert pmd.startswith("# Supplier portfolio as of 2026-11-25")
    assert "| Northwind | 67 trusted |" in pmd


def test_output_files_are_private(srm, tmp_path: Path) -> None:
    full_example(srm)
    for name, args, marker in (
        ("brief.html", ["Northwind"], "<html"),
        ("portfolio.svg", [], "<svg"),
        ("brief.md", ["Northwind", "-f", "markdown"], "# Northwind: negotiation brief"),
        ("portfolio.json", ["-f", "json"], '"supplier": "Northwind"'),
        ("portfolio.txt", [], "Portfolio as of 2026-11-25"),
    ):
        target = tmp_path / name
        r = srm("report", *args, "-o", str(target), ok=True)
        assert r.stdout == "" and f"Wrote {target}" in r.stderr
        assert target.is_file() and marker in target.read_text(encoding="utf-8")
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    # an existing, world-readable file is narrowed to 0600 when overwritten
    shared = tmp_path / "shared.html"
    shared.write_text("stale content")
    shared.chmod(0o644)
    srm("report", "-o", str(shared), ok=True)
    assert stat.S_IMODE(os.stat(shared).st_mode) == 0o600
    assert "stale content" not in shared.read_text()


def test_html_output_needs_the_table_format(srm, tmp_path: Path) -> None:
    srm("supplier", "add", "Acme", ok=True)
    r = srm("report", "-f", "json", "-o", str(tmp_path / "x.html"))
    assert r.exit_code == 1 and r.stderr.startswith("Error:") and "-f json" in r.stderr
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--window", "0"], "1 or more"),
        (["--window", "ninety"], "whole number of days"),
        (["--as-of", "someday"], "accepted"),
        (["--window", "99999999"], "outside the calendar"),
        (["--as-of", "0001-01-05"], "outside the calendar"),
        (["Northwind", "--as-of", "0001-01-05"], "outside the calendar"),
        (["-f", "xml"], "table, json, csv, markdown"),
        (["Nortwind"], "Did you mean: Northwind"),
    ],
)
def test_bad_report_options(srm, args, fragment) -> None:
    srm("supplier", "add", "Northwind", ok=True)
    r = srm("report", *args)
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.startswith("Error:") and fragment in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


# ----------------------------------------------------------------------------- due


def test_due_ordering_and_rules(srm) -> None:
    srm("supplier", "add", "NoCadence", ok=True)  # never listed
    srm("supplier", "add", "OnTime", "--cadence", "14", ok=True)
    srm("log", "OnTime", "x", "--date", ago(14), ok=True)  # 14 days: due today, not past
    srm("supplier", "add", "Bit Late", "--cadence", "14", ok=True)
    srm("log", "Bit Late", "x", "--date", ago(16), ok=True)  # 2 days past
    srm("supplier", "add", "Very Late", "--cadence", "7", ok=True)
    srm("log", "Very Late", "x", "--date", ago(37), ok=True)  # 30 days past
    srm("log", "Very Late", "x", "--date", ago(60), ok=True)
    srm("supplier", "add", "Gone", "--cadence", "7", ok=True)
    srm("supplier", "archive", "Gone", ok=True)
    rows = srm("due", "-f", "json", ok=True).json()
    assert rows == [
        {"supplier": "Very Late", "cadence_days": 7, "last_interaction": "2026-10-19T10:00:00",
         "days_since_last": 37, "days_overdue": 30},
        {"supplier": "Bit Late", "cadence_days": 14, "last_interaction": "2026-11-09T10:00:00",
         "days_since_last": 16, "days_overdue": 2},
    ]  # fmt: skip
    table = srm("due", ok=True).stdout
    assert table.index("Very Late") < table.index("Bit Late") and "OnTime" not in table


def test_due_counts_a_never_contacted_supplier_from_when_it_was_added(srm, monkeypatch) -> None:
    monkeypatch.setenv("SRM_NOW", "2026-11-05T09:00:00")
    srm("supplier", "add", "Prospect", "--cadence", "30", "--status", "prospect", ok=True)
    monkeypatch.setenv("SRM_NOW", "2026-11-25T10:30:00")
    srm("supplier", "add", "Fresh", "--cadence", "30", ok=True)
    rows = srm("due", "-f", "json", ok=True).json()
    assert [(r["supplier"], r["days_since_last"], r["days_overdue"]) for r in rows] == [
        ("Prospect", None, 20),
        ("Fresh", None, 0),
    ]
    parsed = list(csv.DictReader(io.StringIO(srm("due", "-f", "csv", ok=True).stdout)))
    assert list(parsed[0]) == [
        "supplier", "cadence_days", "last_interaction", "days_since_last", "days_overdue",
    ]  # fmt: skip


def test_due_when_nobody_is_due(srm) -> None:
    assert srm("due", "-f", "json", ok=True).json() == []
    assert "Nobody is past" in srm("due", ok=True).stdout


# ------------------------------------------------------------- long history, bounded reads


def test_history_older_than_a_year_still_dates_the_last_contact(srm) -> None:
    """Reports read the window and the year; what lies further back is still found.

    Alice was last met 700 days ago, Bob 10 days ago; the supplier's own last contact
    before that was 400 days ago for Initech, whose nobody was met in the year.
    recency (Initech) = max(0, 1 − 400/180) = 0; key roles reached in the year: none.
    """
    srm("supplier", "add", "Northwind", ok=True)
    srm("contact", "add", "Northwind", "Alice", "--role", "sales", ok=True)
    srm("contact", "add", "Northwind", "Bob", "--role", "operations", ok=True)
    srm("contact", "add", "Northwind", "Carol", "--role", "executive", ok=True)
    srm("log", "Northwind", "old", "--date", ago(700), "--with", "Alice", ok=True)
    srm("log", "Northwind", "recent", "--date", ago(10), "--with", "Bob", ok=True)
    srm("supplier", "add", "Initech", ok=True)
    srm("contact", "add", "Initech", "Dan", "--role", "sales", ok=True)
    srm("log", "Initech", "long ago", "--date", ago(900), "--with", "Dan", ok=True)
    srm("log", "Initech", "a while ago", "--date", ago(400), ok=True)

    b = brief(srm, "Northwind")
    seen = {c["name"]: c["last_contact"] for c in b["contacts"]}
    assert seen == {"Alice": f"{day_ago(700)}T10:00:00", "Bob": f"{day_ago(10)}T10:00:00",
                    "Carol": None}  # fmt: skip
    assert b["depth"]["components"]["breadth"]["value"] == pytest.approx(1 / 5)
    rows = portfolio(srm)
    assert rows["Northwind"]["key_roles_reached"] == 1
    initech = rows["Initech"]
    assert (initech["last_interaction"], initech["days_since_last"]) == (
        f"{day_ago(400)}T10:00:00", 400,
    )  # fmt: skip
    assert initech["interactions_window"] == 0 and initech["key_roles_reached"] == 0
    i = brief(srm, "Initech")
    assert i["depth"]["components"]["recency"]["value"] == 0
    assert i["contacts"][0]["last_contact"] == f"{day_ago(900)}T10:00:00"
    # a past as-of sees the last contact before it, not after
    earlier = brief(srm, "Northwind", "--as-of", day_ago(20))
    assert {c["name"]: c["last_contact"] for c in earlier["contacts"]}["Bob"] is None
    assert earlier["last_interaction"] == f"{day_ago(700)}T10:00:00"


@pytest.mark.sqlite_only
def test_reports_read_interactions_through_the_index_and_bounded_by_time(srm) -> None:
    """Cost must not follow the years of history: every read of interaction and of its
    links in the portfolio and the brief is an index search; every aggregate over
    interaction has a lower time bound; each person's last contact is a seek through
    (contact_id, occurred_at) and the all-time tactics one supplier's range of
    (supplier_id, tactic, occurred_at)."""
    from sqlalchemy import event

    from srmcli import db
    from srmcli.services import briefing, portfolio

    full_example(srm)
    srm("log", "Northwind", "pushy", "--tactic", "price-increase", "--date", ago(800), ok=True)
    statements: list[tuple[str, object]] = []
    engine = db.engine()
    tables = ("interaction", "interaction_contact", "interaction_tactic")

    def keep(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if any(f"FROM {t}" in statement or f"JOIN {t} " in statement for t in tables):
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        with db.session() as s:
            portfolio.portfolio(session=s, as_of=T, window_days=90)
            brief = briefing.brief(session=s, supplier="Northwind", as_of=T, window_days=90)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert brief["tactics"][0]["tactic"] == "price-increase"
    checked, seeks, tactic_ranges = 0, 0, 0
    with engine.connect() as conn:
        for sql, params in statements:
            plan = [
                row[3]
                for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()  # type: ignore[arg-type]
            ]
            reads = [p for p in plan if (p.split()[1:2] or [""])[0] in tables]
            if not reads:
                continue
            checked += 1
            assert all(p.startswith("SEARCH") for p in reads), (sql, plan)
            on_interaction = [p for p in reads if p.split()[1] == "interaction"]
            if "GROUP BY" in sql and on_interaction:
                assert any("occurred_at>?" in p for p in on_interaction), (sql, plan)
            seeks += any(
                "ix_interaction_contact_contact_occurred (contact_id=? AND occurred_at<?)" in p
                for p in reads
            )
            tactic_ranges += any(
                "ix_interaction_tactic_supplier_tactic (supplier_id=?" in p for p in reads
            )
    db.dispose()
    assert checked >= 8  # depth at T and T − W, last contacts, the contact map, tactics…
    assert seeks >= 2  # key roles reached (portfolio and brief) and the contact map
    # the brief's all-time tactics, and the pressure tactics of the window for the
    # climate of the portfolio and of the brief
    assert tactic_ranges == 3


@pytest.mark.parametrize(("seed", "window"), [(0, 1), (1, 7), (2, 90), (3, 90), (4, 200), (5, 400)])
def test_measured_inputs_agree_with_counting_by_hand(srm, seed: int, window: int) -> None:
    """The counts behind depth and its trend, for many suppliers and windows (some longer
    than the year), against a plain count over the logged interactions: the SQL cuts
    time into segments and seeks each person's last contact, this walks every record."""
    import random

    from srmcli import db
    from srmcli.dates import day_start
    from srmcli.services import measures
    from srmcli.services.interactions import log_interaction

    rng = random.Random(seed)
    roles = ["sales", "customer-service", "operations", "engineering", "executive", "quality"]
    channels = ["call", "meeting", "visit", "video", "email", "chat", "web", "other"]
    key_roles = set(roles) - {"quality"}
    logged: list[tuple[int, date, str, str, int, set[str]]] = []
    people: dict[int, list[tuple[str, str]]] = {}
    for n in range(4):
        sid = srm("supplier", "add", f"Supplier {n}", "-f", "json", ok=True).json()["id"]
        people[sid] = [(f"P{n}{k}", rng.choice(roles)) for k in range(rng.randint(0, 4))]
        for who, role in people[sid]:
            srm("contact", "add", f"Supplier {n}", who, "--role", role, ok=True)
    names = {sid: f"Supplier {n}" for n, sid in enumerate(people)}
    with db.session() as s:
        for _ in range(60):
            sid = rng.choice(list(people))
            when = T - timedelta(
                days=rng.choice([rng.randint(0, 900), 364, 365, window - 1, window])
            )
            channel, initiator, tone = (
                rng.choice(channels),
                rng.choice(["us", "them"]),
                rng.randint(-2, 2),
            )
            took_part = rng.sample(people[sid], rng.randint(0, len(people[sid])))
            log_interaction(
                session=s, supplier=names[sid], note=f"n{len(logged)}",
                contacts=[who for who, _ in took_part], channel=channel, initiator=initiator,
                occurred_at=day_start(when).replace(hour=rng.choice([0, 0, 9, 23])), tone=tone,
            )  # fmt: skip
            logged.append((sid, when, channel, initiator, tone, {r for _, r in took_part}))
        s.commit()
        earlier = T - timedelta(days=window)
        got = measures.measure_days(
            session=s, supplier_ids=None, days=[T, earlier], window_days=window
        )
    for day in (T, earlier):
        for sid in people:
            mine = [x for x in logged if x[0] == sid and x[1] <= day]
            year = [x for x in mine if (day - x[1]).days < 365]
            inputs = got[day][sid].inputs
            assert inputs.interactions_window == sum((day - x[1]).days < window for x in mine)
            assert inputs.interactions_year == len(year)
            assert inputs.initiated_by_them_year == sum(x[3] == "them" for x in year)
            assert inputs.tone_sum_year == sum(x[4] for x in year)
            mix: dict[str, int] = {}
            for x in year:
                mix[x[2]] = mix.get(x[2], 0) + 1
            assert inputs.channel_counts_year == mix
            assert inputs.key_roles_reached == len(set().union(*(x[5] for x in year)) & key_roles)
            last = max((x[1] for x in mine), default=None)
            assert inputs.days_since_last == (None if last is None else (day - last).days)


def test_the_brief_keeps_its_notes_readable_at_80_columns(srm, monkeypatch) -> None:
    """Many people on one call: their names wrap, and the note keeps room for a phrase."""
    monkeypatch.setenv("COLUMNS", "80")
    srm("supplier", "add", "Hartley", ok=True)
    people = ["Ann Lee", "Bo Park", "Cy Ortiz-Hernandez", "Dee Fontaine", "Tom Hartley"]
    for name in people:
        srm("contact", "add", "Hartley", name, "--role", "sales", ok=True)
    withs = [arg for name in people for arg in ("--with", name)]
    srm("log", "Hartley", "Negotiation on price for the 2027 brackets", *withs, ok=True)
    srm("issue", "open", "Hartley", "quality", "Burrs on the bracket edges of lot 4471", ok=True)
    out = srm("report", "Hartley", ok=True).stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Negotiation on price" in out  # not "Nego" / "tiat" / "ion"
    assert "description" in out and "Burrs on the bracket" in out
