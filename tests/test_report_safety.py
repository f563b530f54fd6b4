"""Stored text is data in every report and every format (SPEC §11).

A supplier, its contact, a note, an issue, promises and a sourcing project all hold Rich
markup, terminal escape sequences, HTML and Markdown syntax. The portfolio and the brief
must show that text literally in a table (escapes visible, never sent to the terminal),
escape it in Markdown and HTML, embed nothing from the network in SVG, keep it exact in
JSON and CSV, and never end in a traceback. Tables wrap at word boundaries, honour
`COLUMNS` when piped and keep a supplier's name on one line when there is room.

The clock is fixed at 2026-11-25 10:30 (conftest).
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

HOSTILE = (
    "[/] [red]x[/red] [link=http://evil]click[/link] \x1b[2J \x1b]0;title\x07 "
    "<script>alert(1)</script> **bold** | pipe"
)
NAME = "Acme " + HOSTILE
PERSON = "Pat " + HOSTILE
PROJECT = "Second source " + HOSTILE
# names, titles and categories refuse control characters now (SPEC §13); a journal kept
# by an older srm may hold them, so the journal is given them behind srm's back
HOSTILE_LINE = " ".join(w for w in HOSTILE.split() if "\x1b" not in w)
# what a table shows of HOSTILE: every word as typed, the control characters escaped
SHOWN = (
    "[/]",
    "[red]x[/red]",
    "[link=http://evil]click[/link]",
    "\\x1b[2J",
    "\\x1b]0;title\\x07",
    "<script>alert(1)</script>",
    "**bold**",
    "pipe",
)


def hostile_journal(srm) -> None:
    srm("supplier", "add", "Acme", "--cadence", "7", ok=True)
    srm("contact", "add", "Acme", "Pat", "--role", "sales", ok=True)
    stored_as_before("Acme", "Pat")
    srm("log", NAME, "see [/] here " + HOSTILE, "--with", PERSON, "--date", "2026-11-20",
        ok=True)  # fmt: skip
    srm("issue", "open", NAME, "late-delivery", HOSTILE, "--severity", "2", ok=True)
    srm("followup", "add", NAME, HOSTILE, "--due", "2026-11-20", "--owner", "them", ok=True)
    srm("followup", "add", NAME, HOSTILE, "--due", "2026-11-30", "--owner", "us", ok=True)
    srm("sourcing", "new", "Second source " + HOSTILE_LINE, ok=True)
    stored_as_before("Acme", "Pat", project="Second source " + HOSTILE_LINE)
    srm("sourcing", "add", PROJECT, NAME, ok=True)


def stored_as_before(supplier: str, person: str, project: str | None = None) -> None:
    """The hostile names, category, title and project name written straight into the
    journal, as a journal from before SPEC §13 may hold them."""
    from sqlalchemy import text

    from srmcli import db
    from srmcli.naming import key

    with db.session(write=True) as s:
        s.execute(
            text("UPDATE supplier SET name = :n, name_key = :k, category = :c WHERE name = :o"),
            {"n": NAME, "k": key(NAME), "c": HOSTILE, "o": supplier},
        )
        s.execute(
            text("UPDATE contact SET name = :n, name_key = :k, title = :t WHERE name = :o"),
            {"n": PERSON, "k": key(PERSON), "t": HOSTILE, "o": person},
        )
        if project is not None:
            s.execute(
                text("UPDATE sourcing_project SET name = :n, name_key = :k WHERE name = :o"),
                {"n": PROJECT, "k": key(PROJECT), "o": project},
            )
    db.dispose()
    db.select(None)


def assert_literal_table(out: str) -> None:
    assert "\x1b" not in out and "\x07" not in out
    words = set(out.split())
    for word in SHOWN:
        assert word in words, word


@pytest.mark.parametrize("args", [[], [NAME]], ids=["portfolio", "brief"])
def test_a_table_shows_stored_text_literally(srm, monkeypatch, args) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    hostile_journal(srm)
    r = srm("report", *args, ok=True)
    assert_literal_table(r.stdout)
    assert "\x1b" not in r.stderr


def test_the_brief_shows_every_hostile_field_in_the_table(srm, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    hostile_journal(srm)
    out = srm("report", NAME, ok=True).stdout
    # category, contact name and title, note, issue, promise, to-do, project, the points
    assert out.count("<script>alert(1)</script>") >= 9
    assert "see [/] here [/]" in out
    assert "Nobody covers" in out and "They owe 1 overdue promise:" in out


def test_a_markup_note_does_not_break_the_brief(srm) -> None:
    srm("supplier", "add", "Acme", "--note", "[/4.10 EUR per kg]", ok=True)
    srm("log", "Acme", "see [/] here", ok=True)
    shown = {"table": "see [/] here", "markdown": "see \\[/\\] here", "json": "see [/] here"}
    for fmt in ("table", "markdown", "json", "csv"):
        r = srm("report", "Acme", "-f", fmt, ok=True)
        assert shown.get(fmt, "Acme") in r.stdout
        assert "Traceback" not in r.stdout + r.stderr


@pytest.mark.parametrize("args", [[], [NAME]], ids=["portfolio", "brief"])
def test_markdown_escapes_html_and_its_own_syntax(srm, args) -> None:
    hostile_journal(srm)
    md = srm("report", *args, "-f", "markdown", ok=True).stdout
    assert "<script" not in md and "\x1b" not in md and "\x07" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "\\*\\*bold\\*\\* \\| pipe" in md
    assert "\\[red\\]x\\[/red\\]" in md and "\\[link=http://evil\\]click\\[/link\\]" in md
    assert "\\\\x1b\\[2J" in md
    assert "**bold**" not in md.replace("\\*\\*bold\\*\\*", "")


def test_markdown_keeps_long_text_whole(srm) -> None:
    long_note = " ".join(f"word{n}" for n in range(120))
    srm("supplier", "add", "Acme", ok=True)
    srm("log", "Acme", long_note, ok=True)
    srm("issue", "open", "Acme", "quality", long_note + "\nsecond line", ok=True)
    md = srm("report", "Acme", "-f", "markdown", ok=True).stdout
    assert long_note in md and "…" not in md
    assert long_note + "<br>second line" in md


@pytest.mark.parametrize("args", [[], [NAME]], ids=["portfolio", "brief"])
def test_an_html_file_escapes_everything_and_fetches_nothing(srm, tmp_path: Path, args) -> None:
    hostile_journal(srm)
    target = tmp_path / "report.html"
    srm("report", *args, "-o", str(target), ok=True)
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "\x1b" not in page and "\x07" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for reference in ("href=", "src=", "url(", "@import", "https://", "<a ", "<link"):
        assert reference not in page, reference
    # the only http is the no-fetch policy's own attribute name and the user's text
    assert page.replace("http-equiv", "").count("http") == page.count("http://evil")


@pytest.mark.parametrize("args", [[], [NAME]], ids=["portfolio", "brief"])
def test_an_svg_file_embeds_nothing_from_the_network(srm, tmp_path: Path, args) -> None:
    hostile_journal(srm)
    target = tmp_path / "report.svg"
    srm("report", *args, "-o", str(target), ok=True)
    picture = target.read_text(encoding="utf-8")
    assert picture.lstrip().startswith("<svg")
    assert "https://" not in picture and "@font-face" not in picture
    # the only url() references are the picture's own clip paths (`url(#…)`)
    assert picture.count("url(") == picture.count("url(#")
    assert "<script" not in picture and "\x1b" not in picture and "\x07" not in picture
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in picture.replace("&#160;", " ")


def test_json_and_csv_keep_the_exact_text(srm) -> None:
    hostile_journal(srm)
    b = srm("report", NAME, "-f", "json", ok=True).json()
    assert b["supplier"]["name"] == NAME and b["supplier"]["category"] == HOSTILE
    assert b["contacts"][0]["name"] == PERSON and b["contacts"][0]["title"] == HOSTILE
    assert b["open_issues"][0]["description"] == HOSTILE
    assert b["overdue_promises"][0]["text"] == HOSTILE and b["our_todos"][0]["text"] == HOSTILE
    assert b["recent_interactions"][0]["note"] == "see [/] here " + HOSTILE
    rows = list(csv.DictReader(io.StringIO(srm("report", NAME, "-f", "csv", ok=True).stdout)))
    assert rows[0]["supplier"] == NAME
    assert [r["supplier"] for r in srm("report", "-f", "json", ok=True).json()] == [NAME]
    portfolio = srm("report", "-f", "csv", ok=True).stdout
    assert [r["supplier"] for r in csv.DictReader(io.StringIO(portfolio))] == [NAME]


def test_the_files_of_every_format_are_written_whole(srm, tmp_path: Path) -> None:
    hostile_journal(srm)
    for name, fmt in (("b.txt", "table"), ("b.md", "markdown"), ("b.json", "json"),
                      ("b.csv", "csv")):  # fmt: skip
        target = tmp_path / name
        r = srm("report", NAME, "-f", fmt, "-o", str(target), ok=True)
        assert r.stdout == "" and f"Wrote {target}." in r.stderr
        assert "\x1b" not in r.stderr
        written = target.read_text(encoding="utf-8")
        if fmt == "table":  # a table file is laid out 100 columns wide
            assert max(len(line) for line in written.splitlines()) <= 100
            assert_literal_table(written)
        else:
            assert written == srm("report", NAME, "-f", fmt, ok=True).stdout
    assert json.loads((tmp_path / "b.json").read_text())["supplier"]["name"] == NAME
    assert "<script>alert(1)</script>" in (tmp_path / "b.txt").read_text()


# ------------------------------------------------------------------------ table widths


def test_a_piped_portfolio_honours_columns_and_keeps_names_whole(srm, monkeypatch) -> None:
    long_name = "Consolidated Industrial Fasteners International"
    for name in ("Northwind Castings", long_name, "Hartley & Sons Precision Machining"):
        srm("supplier", "add", name, "--cadence", "30", ok=True)
        srm("log", name, "hello", "--date", "2026-11-20", ok=True)
    monkeypatch.setenv("COLUMNS", "200")
    out = srm("report", ok=True).stdout
    assert [line for line in out.splitlines() if "Northwind Castings" in line]
    assert [line for line in out.splitlines() if long_name in line]
    assert max(len(line) for line in out.splitlines()) <= 200
    # at 100 columns a name that fits beside the figures stays on one line too
    monkeypatch.setenv("COLUMNS", "100")
    out = srm("report", ok=True).stdout
    assert max(len(line) for line in out.splitlines()) <= 100
    assert [line for line in out.splitlines() if "Hartley & Sons Precision Machining" in line]
    # at 80 the names wrap between words, and the figures stay whole
    monkeypatch.setenv("COLUMNS", "80")
    out = srm("report", ok=True).stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    assert {"Consolidated", "Industrial", "Fasteners", "International"} <= set(out.split())


def test_at_80_columns_words_wrap_and_are_never_split(srm, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    description = (
        "The restricted drawings for the President's bracket arrived without the revision "
        "block, so incoming inspection rejected lot 4471 and production waited three days"
    )
    note = "Called about the restricted drawings; the President promised a corrected set " * 3
    srm("supplier", "add", "Northwind Castings", "--access", "restricted", "--cadence", "14",
        ok=True)  # fmt: skip
    srm("contact", "add", "Northwind Castings", "Ada Quintero-Villanueva", "--role", "executive",
        "--title", "President and Chief Executive Officer", ok=True)  # fmt: skip
    srm("log", "Northwind Castings", note.strip(), "--with", "Ada Quintero-Villanueva",
        "--date", "2026-11-20", ok=True)  # fmt: skip
    srm("issue", "open", "Northwind Castings", "quality", description, ok=True)
    srm("followup", "add", "Northwind Castings", description, "--due", "2026-11-20",
        "--owner", "them", ok=True)  # fmt: skip
    for args in ([], ["Northwind Castings"]):
        out = srm("report", *args, ok=True).stdout
        assert max(len(line) for line in out.splitlines()) <= 80
        words = set(out.split())
        if args:
            assert set(description.split()) <= words  # every word, whole, in the issue
            assert set(note.split()) <= words
            assert {"restricted", "President", "Quintero-Villanueva"} <= words
        assert "restricte\n" not in out and "Presiden\n" not in out


# ------------------------------------------------------- one layout, the same figures


def test_the_same_figures_in_every_format_with_a_non_default_config(srm, tmp_path) -> None:
    Path(os.environ["SRM_CONFIG"]).write_text(
        "window_days = 30\n[depth]\nkey_roles = ['sales', 'engineering']\n", encoding="utf-8"
    )
    srm("supplier", "add", "Brightline", "--cadence", "14", "--annual-spend", "600000",
        "--supplier-revenue", "4000000", ok=True)  # fmt: skip
    srm("contact", "add", "Brightline", "Sal", "--role", "sales", ok=True)
    srm("log", "Brightline", "hello", "--with", "Sal", "--date", "2026-11-20", ok=True)
    srm("log", "Brightline", "older", "--with", "Sal", "--date", "2026-10-01", ok=True)
    srm("followup", "add", "Brightline", "kept", "--due", "2026-11-10", "--owner", "them",
        ok=True)  # fmt: skip
    srm("followup", "done", "1", "--date", "2026-11-09", ok=True)
    srm("followup", "add", "Brightline", "missed", "--due", "2026-11-12", "--owner", "them",
        ok=True)  # fmt: skip

    row = srm("report", "-f", "json", ok=True).json()[0]
    assert (row["key_roles_reached"], row["interactions_window"]) == (1, 1)
    assert row["spend_share"] == 0.15 and row["days_since_last"] == 5
    line = next(csv.DictReader(io.StringIO(srm("report", "-f", "csv", ok=True).stdout)))
    assert (line["key_roles_reached"], line["interactions_window"], line["spend_share"]) == (
        "1",
        "1",
        "0.15",
    )
    table = srm("report", ok=True).stdout
    assert "30d" in table and "window 30 days" in table
    # supplier, depth, climate, svc, days/cad, in 30d, key roles, open/esc, owed, share
    cells = next(line for line in table.splitlines() if "Brightline" in line).split()
    assert cells[3:10] == ["mix", "95", "5/14", "1", "1/2", "0/0", "1"]
    assert cells[10] == "15.0%"
    md = srm("report", "-f", "markdown", ok=True).stdout
    assert "| in 30d |" in md and "| 5/14 | 1 | 1/2 | 0/0 | 1 | 15.0% |" in md

    brief = srm("report", "Brightline", "-f", "json", ok=True).json()
    assert brief["window_days"] == 30 and brief["service"]["promise_reliability"] == 0.5
    btable = srm("report", "Brightline", ok=True).stdout
    bmd = srm("report", "Brightline", "-f", "markdown", ok=True).stdout
    for shown in (btable, bmd):
        assert "1 of 2 key roles in 365 days" in shown
        assert "resolved in 30 days" in shown and "50.0%" in shown and "15.0%" in shown
        assert "every 14 days" in shown and "(5 days ago)" in shown
    assert "They owe 1 overdue promise:" in btable and "We are 15.0% of their revenue" in bmd
    bcsv = next(csv.DictReader(io.StringIO(srm("report", "Brightline", "-f", "csv").stdout)))
    assert (bcsv["window_days"], bcsv["promise_reliability"], bcsv["spend_share"]) == (
        "30",
        "0.5",
        "0.15",
    )


def test_tone_and_trend_are_signed_once(srm) -> None:
    srm("supplier", "add", "Calm", ok=True)
    srm("log", "Calm", "neutral call", "--date", "2026-11-20", ok=True)
    srm("log", "Calm", "warm call", "--tone", "2", "--date", "2026-11-21", ok=True)
    table = srm("report", "Calm", ok=True).stdout
    md = srm("report", "Calm", "-f", "markdown", ok=True).stdout
    assert "| +2 |" in md and "| 0 |" in md and "+0" not in md
    assert "+0 " not in table and " +2 " in table
    assert "mean +1 over 2" in table
