"""`srm demo`: the story of SPEC §1 in a sample journal that never touches the user's."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the demo's temporary journals inside the test's own folder."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_demo_prints_a_portfolio_and_a_brief(
    srm, journal: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")  # from 100 columns on, names stay on one line
    r = srm("demo", ok=True)
    out = r.stdout
    assert "Portfolio as of 2026-11-25" in out
    for name in ("Northwind", "Brightline", "Precision", "Hartley & Sons", "Quantum"):
        assert name in out
    assert "Northwind Metals: negotiation brief as of 2026-11-25" in out
    assert "Depth receipt" in out and "Talking points" in out
    assert "They pushed a price increase 3 times" in out
    assert "Raise before any price talk: open late-delivery issue" in out
    # the user's journal (SRM_DB) was not even created
    assert not journal.exists()
    made = list(private_tmp.glob("srm-demo-*/demo.db"))
    assert len(made) == 1 and str(made[0]) in r.stderr


def test_demo_story_through_the_reports(srm, tmp_path: Path) -> None:
    target = tmp_path / "story.db"
    srm("demo", "--db", str(target), ok=True)
    rows = {
        r["supplier"]: r for r in srm("--db", str(target), "report", "-f", "json", ok=True).json()
    }
    assert set(rows) >= {
        "Northwind Metals", "Brightline Components", "Precision Castings",
        "Hartley & Sons Machining", "Quantum Polymers",
    }  # fmt: skip
    sizes = {s["name"]: s["size"] for s in srm("--db", str(target), "supplier", "list", "-f",
                                                "json", ok=True).json()}  # fmt: skip
    assert sizes["Northwind Metals"] == "mega" and sizes["Hartley & Sons Machining"] == "small"
    # the trusted supplier: every key role, the full frequency, strategic
    assert rows["Precision Castings"]["depth_tier"] == "strategic"
    assert rows["Precision Castings"]["key_roles_reached"] == 5
    # the small supplier where we are a big customer: 650 000 / 4 200 000 = 15.48%
    assert rows["Hartley & Sons Machining"]["spend_share"] == 0.1548
    assert rows["Hartley & Sons Machining"]["overdue_promises"] == 1
    # the prospect nobody has called
    assert rows["Quantum Polymers"]["status"] == "prospect"
    assert rows["Quantum Polymers"]["depth_score"] is None
    # the breakdown escalated to the president, resolved months ago
    issues = srm("--db", str(target), "issue", "list", "Brightline", "--status", "all",
                 "-f", "json", ok=True).json()  # fmt: skip
    assert issues[0]["escalated_to"] == "Dana Whitfield" and issues[0]["status"] == "resolved"
    b = srm("--db", str(target), "report", "Northwind", "-f", "json", ok=True).json()
    tactics = {t["tactic"]: t["count"] for t in b["tactics"]}
    assert tactics["price-increase"] == 3 and tactics["supply-threat"] == 1
    assert len(b["overdue_promises"]) == 2
    assert any(p.startswith("Relationship depth fell") for p in b["talking_points"])
    # the weekly status reports and the sourcing project are part of the story
    assert b["service"]["on_time_delivery"] is not None
    assert [p["project"] for p in b["projects"]] == ["Second source 2027"]
    due = [r["supplier"] for r in srm("--db", str(target), "due", "-f", "json").json()]
    assert "Quantum Polymers" in due and "Hartley & Sons Machining" in due


@pytest.mark.sqlite_only
def test_demo_ignores_the_users_journal_and_root_db(
    srm, journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srm("supplier", "add", "My Real Supplier", ok=True)
    before = digest(journal)
    elsewhere = tmp_path / "root-option.db"
    srm("--db", str(elsewhere), "demo", ok=True)
    by_url = tmp_path / "by-url.db"
    monkeypatch.setenv("SRM_DATABASE_URL", f"sqlite:///{by_url}")
    srm("demo", ok=True)
    monkeypatch.delenv("SRM_DATABASE_URL")
    assert digest(journal) == before
    assert not elsewhere.exists() and not by_url.exists()
    names = [s["name"] for s in srm("supplier", "list", "-f", "json", ok=True).json()]
    assert names == ["My Real Supplier"]


def test_demo_refuses_a_journal_that_holds_suppliers(srm, tmp_path: Path) -> None:
    target = tmp_path / "story.db"
    srm("demo", "--db", str(target), ok=True)
    held = len(srm("--db", str(target), "supplier", "list", "--all", "-f", "json").json())
    before = digest(target)
    again = srm("demo", "--db", str(target))
    assert again.exit_code == 1 and again.stderr.startswith("Error:")
    assert f"already holds {held} suppliers" in again.stderr and again.stdout == ""
    assert digest(target) == before


def test_demo_dates_follow_the_clock(srm, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SRM_NOW", "2031-03-10T08:00:00")
    target = tmp_path / "later.db"
    out = srm("demo", "--db", str(target), ok=True).stdout
    assert "Portfolio as of 2031-03-10" in out
    b = srm("--db", str(target), "report", "Northwind", "-f", "json", ok=True).json()
    assert b["recent_interactions"][0]["occurred_at"] == "2031-02-26T10:00:00"  # 12 days back
