"""`srm scorecard SUPPLIER`: what a supplier may see of its own record, and nothing else."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

STATUS_HEADER = "po,line,item,qty_ordered,qty_received,promised_date,received_date\n"
MARK = "ZQX"  # every confidential value holds it; no scorecard may
SECRET_WORDS = (
    "restricted", "snooping", "flattery", "bundling", "supply-threat", "price-increase",
    "987654321", "987,654,321", "123456789000", "0.80%", "depth", "climate", "talking",
    "spend", "access", "strategic", "transactional", "tactic",
)  # fmt: skip


def status_file(tmp_path: Path, name: str, lines: str) -> str:
    path = tmp_path / name
    path.write_text(STATUS_HEADER + lines, encoding="utf-8")
    return str(path)


def confidential_journal(srm, tmp_path: Path) -> None:
    """A supplier with a marker in every field the scorecard must keep home."""
    Path(os.environ["SRM_CONFIG"]).write_text(f'author = "{MARK}author"\n', encoding="utf-8")
    srm("supplier", "add", "Northwind", "--access", "restricted", "--annual-spend", "987654321",
        "--supplier-revenue", "123456789000", "--note", f"{MARK}supplier-note",
        "--tag", f"{MARK}tag", "--alias", f"{MARK}alias", "--category", "castings",
        "--profit-impact", "high", "--supply-risk", "high", ok=True)  # fmt: skip
    srm("supplier", "add", "Lumen", "--category", "castings", ok=True)
    srm("contact", "add", "Northwind", "Jo Boss", "--role", "executive", "--note",
        f"{MARK}contact-note", "--email", f"{MARK}@example.com", ok=True)  # fmt: skip
    for n, tactic in enumerate(("snooping", "flattery", "bundling", "supply-threat",
                                "price-increase", "deadline-pressure", "bypass")):  # fmt: skip
        srm("log", "Northwind", f"{MARK}note {n}", "--date", f"2026-08-{n + 3:02d}",
            "--tactic", tactic, "--tag", f"{MARK}itag", "--tone", "-2", "--with", "Jo",
            ok=True)  # fmt: skip
    srm("issue", "open", "Northwind", "late-delivery", "PO 7 line 1 is late",
        "--date", "2026-08-03", "--severity", "2", ok=True)  # fmt: skip
    srm("issue", "escalate", "1", "--to", "Jo", "--note", f"{MARK}escalation-note",
        "--date", "2026-08-20", ok=True)  # fmt: skip
    srm("issue", "open", "Northwind", "quality", "Paint flakes", "--date", "2026-07-03", ok=True)
    srm("issue", "resolve", "2", "--date", "2026-08-10", "--note", f"{MARK}resolution", ok=True)
    srm("followup", "add", "Northwind", f"{MARK}our to-do", "--due", "2026-09-01", ok=True)
    srm("followup", "add", "Northwind", "Send the new ship dates", "--due", "2026-09-10",
        "--owner", "them", ok=True)  # fmt: skip
    srm("followup", "add", "Northwind", "Send the test report", "--due", "2026-08-10",
        "--owner", "them", ok=True)  # fmt: skip
    srm("followup", "done", "3", "--date", "2026-08-09", ok=True)
    srm("sourcing", "new", f"{MARK}project", "--description", f"{MARK}project-description",
        ok=True)  # fmt: skip
    srm("sourcing", "add", f"{MARK}project", "Lumen", ok=True)
    srm("sourcing", "move", f"{MARK}project", "Lumen", "quoted", "--note", f"{MARK}stage-note",
        ok=True)  # fmt: skip
    report = status_file(tmp_path, "status.csv",
                         "7,1,bolt,100,60,2026-08-01,2026-07-30\n"
                         "8,1,nut,50,50,2026-09-02,2026-09-05\n")  # fmt: skip
    srm("status", "import", "Northwind", report, "--date", "2026-09-20", ok=True)


def assert_nothing_confidential(text: str, where: str) -> None:
    assert MARK.lower() not in text.lower(), where
    lowered = text.lower()
    for word in SECRET_WORDS:
        assert word not in lowered, (word, where)
    # what the supplier is shown is there
    assert "Send the new ship dates" in text, where
    assert "PO 7 line 1 is late" in text, where


def test_no_format_of_the_scorecard_shows_anything_confidential(srm, tmp_path: Path) -> None:
    from srmcli import writers

    confidential_journal(srm, tmp_path)
    brief = srm("report", "Northwind", "-f", "json", ok=True).stdout
    assert MARK in brief and "snooping" in brief  # the markers are in the journal
    args = ("scorecard", "Northwind", "--quarter", "2026Q3")
    for fmt in ("table", "json", "markdown"):
        assert_nothing_confidential(srm(*args, "-f", fmt, ok=True).stdout, fmt)
    for name in ("card.html", "card.md", "card.json"):
        target = tmp_path / name
        fmt = ["-f", "json"] if name.endswith(".json") else []
        srm(*args, *fmt, "-o", str(target), ok=True)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert_nothing_confidential(target.read_text(encoding="utf-8"), name)
    if "xlsx" not in writers.formats():
        pytest.skip("no xlsx writer registered")
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "card.xlsx"
    srm(*args, "-o", str(target), ok=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    book = openpyxl.load_workbook(target, read_only=True)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    cells += [sheet.title for sheet in book.worksheets]
    assert_nothing_confidential("\n".join(cells), "xlsx")


def test_the_json_keys_are_only_what_a_supplier_may_see(srm, tmp_path: Path) -> None:
    confidential_journal(srm, tmp_path)
    card = srm("scorecard", "Northwind", "--quarter", "2026Q3", "-f", "json", ok=True).json()
    assert list(card) == [
        "supplier", "from", "to", "prepared", "summary", "months", "issues_by_kind",
        "open_issues", "overdue_promises",
    ]  # fmt: skip
    assert card["supplier"] == "Northwind"
    assert set(card["open_issues"][0]) == {
        "id", "kind", "severity", "status", "opened", "escalated", "days_open", "subject",
    }  # fmt: skip
    assert set(card["overdue_promises"][0]) == {"id", "text", "due", "days_overdue"}


def test_the_figures_of_a_quarter(srm, tmp_path: Path) -> None:
    confidential_journal(srm, tmp_path)
    card = srm("scorecard", "North", "--quarter", "2026-q3", "-f", "json", ok=True).json()
    assert (card["from"], card["to"]) == ("2026-07-01", "2026-09-30")
    months = {m["month"]: m for m in card["months"]}
    assert list(months) == ["2026-07", "2026-08", "2026-09"]
    # promised in August, 60 of 100 received in time: known from the September report
    assert months["2026-08"]["on_time_delivery"] == 0.6
    assert months["2026-09"]["on_time_delivery"] == 0.0  # arrived three days late
    assert months["2026-07"]["on_time_delivery"] is None  # nothing was promised in July
    assert card["summary"]["on_time_delivery"] == 0.4  # 60 of 150
    # one of two promises due in the quarter was kept
    assert card["summary"]["promise_reliability"] == 0.5
    by_kind = {r["kind"]: r for r in card["issues_by_kind"]}
    assert by_kind["quality"] == {
        "kind": "quality", "opened": 1, "resolved": 1, "mean_days_to_resolve": 38.0, "open": 0,
    }  # fmt: skip
    assert by_kind["late-delivery"]["open"] == 1 and by_kind["late-delivery"]["opened"] == 1
    # service as of each month end: July the open quality issue (−5); August the escalated
    # severity-2 issue (−15) and the quality issue resolved in the window (−2.5); September
    # also their overdue promise (−5)
    assert [m["service_score"] for m in card["months"]] == [95, 83, 78]
    assert card["summary"]["service_score"] == 78
    issue = card["open_issues"][0]
    assert issue["status"] == "escalated" and issue["escalated"] == "2026-08-20"
    assert issue["days_open"] == 58 and issue["subject"] == "PO 7 line 1 is late"
    assert card["overdue_promises"] == [
        {"id": 2, "text": "Send the new ship dates", "due": "2026-09-10", "days_overdue": 20}
    ]
    shown = srm("scorecard", "North", "--quarter", "2026Q3", ok=True).stdout
    assert "60.0%" in shown and "2026-08" in shown and "Send the new ship dates" in shown


def test_the_period_is_told_once_and_never_guessed(srm) -> None:
    srm("supplier", "add", "Northwind", ok=True)

    def error(*args: str) -> str:
        r = srm("scorecard", "Northwind", *args)
        assert r.exit_code == 1 and r.stdout == "", r
        assert r.stderr.startswith("Error: ") and len(r.stderr.strip().splitlines()) == 1
        return r.stderr

    assert "give the year too" in error("--quarter", "Q3")
    assert "Q1 to Q4" in error("--quarter", "2026Q5")
    assert "2026Q3" in error("--quarter", "2026")
    assert "not both" in error("--quarter", "2026Q3", "--from", "2026-07-01")
    assert "has not begun" in error("--quarter", "2027Q1")
    assert "after today" in error("--to", "2026-12-31")
    assert "after --to" in error("--from", "2026-10-01", "--to", "2026-09-01")
    assert "five years" in error("--from", "2001-01-01")
    assert "cannot read the date" in error("--from", "the other day")
    assert "accepted: table, json, markdown, xlsx" in error("-f", "csv")
    # the quarter under way ends today; by default, the 12 months to today
    card = srm("scorecard", "Northwind", "--quarter", "2026Q4", "-f", "json", ok=True).json()
    assert (card["from"], card["to"]) == ("2026-10-01", "2026-11-25")
    card = srm("scorecard", "Northwind", "-f", "json", ok=True).json()
    assert (card["from"], card["to"]) == ("2025-12-01", "2026-11-25")
    assert len(card["months"]) == 12 and card["months"][-1]["to"] == "2026-11-25"
    card = srm("scorecard", "Northwind", "--from", "2026-09-15", "--to", "2026-10-05",
               "-f", "json", ok=True).json()  # fmt: skip
    assert [(m["from"], m["to"]) for m in card["months"]] == [
        ("2026-09-15", "2026-09-30"), ("2026-10-01", "2026-10-05"),
    ]  # fmt: skip
    assert card["issues_by_kind"] == [] and card["summary"]["on_time_delivery"] is None


def test_an_unknown_supplier_and_a_mismatched_file(srm, tmp_path: Path) -> None:
    srm("supplier", "add", "Northwind", ok=True)
    r = srm("scorecard", "Nowhere")
    assert r.exit_code == 1 and "Nowhere" in r.stderr
    target = tmp_path / "card.html"
    r = srm("scorecard", "Northwind", "-f", "json", "-o", str(target))
    assert r.exit_code == 1 and not target.exists()
    srm("scorecard", "Northwind", "-o", str(tmp_path / "card.md"), ok=True)
    written = (tmp_path / "card.md").read_text(encoding="utf-8")
    assert written.startswith("# Northwind: scorecard 2025-12-01 to 2026-11-25")
    html = tmp_path / "card.html"
    srm("scorecard", "Northwind", "-o", str(html), ok=True)
    assert "<html" in html.read_text(encoding="utf-8")


def test_stored_text_is_shown_as_text_in_every_format(srm) -> None:
    srm("supplier", "add", "Northwind", ok=True)
    srm("followup", "add", "Northwind", "[red]dates[/] <b>*now*</b>", "--due", "2026-11-01",
        "--owner", "them", ok=True)  # fmt: skip
    table = srm("scorecard", "Northwind", ok=True).stdout
    assert "[red]dates[/] <b>*now*</b>" in table
    markdown = srm("scorecard", "Northwind", "-f", "markdown", ok=True).stdout
    assert r"\[red\]dates\[/\] &lt;b&gt;\*now\*&lt;/b&gt;" in markdown
    card = json.loads(srm("scorecard", "Northwind", "-f", "json", ok=True).stdout)
    assert card["overdue_promises"][0]["text"] == "[red]dates[/] <b>*now*</b>"


def test_the_workbook_has_a_sheet_for_each_part(srm, tmp_path: Path) -> None:
    """A spreadsheet of the scorecard reads as tables, one per part, with typed cells,
    not one row of nested records."""
    openpyxl = pytest.importorskip("openpyxl")
    confidential_journal(srm, tmp_path)
    target = tmp_path / "card.xlsx"
    srm("scorecard", "Northwind", "--quarter", "2026Q3", "-o", str(target), ok=True)
    book = openpyxl.load_workbook(target, read_only=True)

    def records(name: str) -> list[dict]:
        rows = list(book[name].iter_rows(values_only=True))
        return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]

    assert book.sheetnames == [
        "scorecard", "months", "issues by kind", "open issues", "overdue promises",
    ]  # fmt: skip
    (summary,) = records("scorecard")
    assert summary["supplier"] == "Northwind" and summary["on_time_delivery"] == 0.4
    assert summary["promise_reliability"] == 0.5 and summary["service_score"] == 78
    assert summary["from"].date().isoformat() == "2026-07-01"
    months = records("months")
    assert [m["month"] for m in months] == ["2026-07", "2026-08", "2026-09"]
    assert [m["service_score"] for m in months] == [95, 83, 78]
    assert months[1]["on_time_delivery"] == 0.6
    kinds = {r["kind"]: r for r in records("issues by kind")}
    assert kinds["quality"]["resolved"] == 1 and kinds["quality"]["mean_days_to_resolve"] == 38
    (issue,) = records("open issues")
    assert issue["subject"] == "PO 7 line 1 is late" and issue["days_open"] == 58
    (promise,) = records("overdue promises")
    assert promise["text"] == "Send the new ship dates" and promise["days_overdue"] == 20
    for value in [v for s in book.worksheets for r in s.iter_rows(values_only=True) for v in r]:
        assert not (isinstance(value, str) and value.startswith(("{", "["))), value
