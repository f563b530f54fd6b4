"""Stored text is data: markup in names and escape sequences in notes reach every listing
and show as literal text (tables escaped, JSON and CSV exact), never as terminal control,
and tables wrap at word boundaries at the width they are given (SPEC §11)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

# names and titles carry markup (SPEC §13 refuses control characters in them)
SUPPLIER = "Evil [red]x[/red] Co"
CATEGORY = "[link=http://evil]castings[/link]"
CONTACT = "Dana [/] Wu"
TITLE = "[red]Boss[/red] <script>"
TAG = "[/]"
PROJECT = "Castings [/] 2027"
# notes, descriptions and texts may hold anything, control characters included
CLEAR = "\x1b[2J"
TITLE_SEQ = "\x1b]0;pwned\x07"
NOTE = f"see [/] here {CLEAR} and {TITLE_SEQ} then <script>alert(1)</script> [bold]done"
DESCRIPTION = f"[/4.10 EUR] blocked {CLEAR} restricted presidential escalation"
TEXT = f"send [red]samples[/red] {TITLE_SEQ}"
ITEM = f"washers [/] {CLEAR}"
REPORT = (
    "po,line,item,qty_ordered,qty_received,promised_date,received_date\n"
    f"4411,1,{ITEM},500,0,2026-11-15,\n"
)


@pytest.fixture
def hostile(srm, tmp_path: Path) -> None:
    srm("supplier", "add", SUPPLIER, "--category", CATEGORY, "--tag", TAG, "--note", NOTE,
        ok=True)  # fmt: skip
    srm("supplier", "add", "Northwind Castings", ok=True)
    srm("contact", "add", "Evil", CONTACT, "--role", "sales", "--title", TITLE, "--note", NOTE,
        ok=True)  # fmt: skip
    srm("log", "Evil", NOTE, "--with", "Dana", "--tag", "[red]t[/red]", "--follow-up", TEXT,
        "--due", "2026-11-20", "--date", "2026-11-18", ok=True)  # fmt: skip
    srm("issue", "open", "Evil", "quality", DESCRIPTION, "--date", "2026-11-19", ok=True)
    srm("sourcing", "new", PROJECT, "--description", DESCRIPTION, ok=True)
    srm("sourcing", "add", "Castings", "Evil", "--note", NOTE, ok=True)
    report = tmp_path / "status.csv"
    report.write_text(REPORT, encoding="utf-8")
    srm("status", "import", "Evil", str(report), "--date", "2026-11-24", ok=True)


# every listing and show, with a stored text each must show literally in its table
LISTINGS: list[tuple[tuple[str, ...], str]] = [
    (("supplier", "list"), SUPPLIER),
    (("supplier", "show", "Evil"), "\\x1b[2J"),
    (("contact", "list"), TITLE),
    (("timeline", "Evil"), "\\x1b]0;pwned\\x07"),
    (("search", "see"), "<script>alert(1)</script>"),
    (("issue", "list"), "[/4.10 EUR]"),
    (("issue", "summary"), SUPPLIER),
    (("followup", "list", "--all"), "[red]samples[/red]"),
    (("sourcing", "list"), PROJECT),
    (("sourcing", "board", "Castings"), "\\x1b[2J"),
    (("sourcing", "history", "Castings"), "[bold]done"),
    (("status", "show", "Evil"), "washers [/] \\x1b[2J"),
]
IDS = [" ".join(args) for args, _ in LISTINGS]

# what the JSON and CSV of each listing must hold exactly
EXACT = {
    "supplier list": NOTE,
    "supplier show Evil": NOTE,
    "contact list": NOTE,
    "timeline Evil": NOTE,
    "search see": NOTE,
    "issue list": DESCRIPTION,
    "issue summary": SUPPLIER,
    "followup list --all": TEXT,
    "sourcing list": DESCRIPTION,
    "sourcing board Castings": NOTE,
    "sourcing history Castings": NOTE,
    "status show Evil": ITEM,
}


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def terminal_console(stderr: bool = False) -> Any:
    """A colour terminal 200 columns wide, as `render.console` would open on a tty."""
    import sys

    from rich.console import Console

    return Console(
        file=sys.stderr if stderr else sys.stdout, force_terminal=True, color_system="truecolor",
        width=200, markup=False, highlight=False, emoji=False,
    )  # fmt: skip


@pytest.mark.parametrize(("args", "literal"), LISTINGS, ids=IDS)
def test_every_listing_shows_stored_text_as_text(srm, hostile, monkeypatch, args, literal) -> None:
    # piped: the text literally, no control character at all
    monkeypatch.setenv("COLUMNS", "200")
    r = srm(*args)
    assert r.exit_code == 0, r.stderr
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout and "\x1b" not in r.stderr
    assert literal in r.stdout

    # JSON and CSV: the exact stored text
    wanted = EXACT[" ".join(args)]
    assert wanted in strings(srm(*args, "-f", "json", ok=True).json())
    out = srm(*args, "-f", "csv", ok=True).stdout
    assert wanted in [cell for row in csv.reader(io.StringIO(out)) for cell in row]

    # a colour terminal: Rich styles the table with its own sequences, but none of the
    # stored ones (clear screen, window title, a hyperlink from `[link=…]`) gets through
    from srmcli import render

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(render, "console", terminal_console)
    r = srm(*args)
    assert r.exit_code == 0, r.stderr
    assert CLEAR not in r.stdout and "\x1b]" not in r.stdout and "\x07" not in r.stdout
    plain = re.sub(r"\x1b\[[0-9;]*m", "", r.stdout)  # Rich's own colours and bold
    assert "\x1b" not in plain and plain != r.stdout
    assert literal in plain


def test_writes_print_the_exact_record_and_a_literal_message(srm) -> None:
    added = srm("supplier", "add", SUPPLIER, "--category", CATEGORY, "-f", "json", ok=True)
    assert added.json()["name"] == SUPPLIER and added.json()["category"] == CATEGORY
    r = srm("contact", "add", "Evil", CONTACT, "--role", "sales", "--note", NOTE, "-f", "csv",
            ok=True)  # fmt: skip
    row = next(csv.DictReader(io.StringIO(r.stdout)))
    assert row["name"] == CONTACT and row["note"] == NOTE
    logged = srm("log", "Evil", NOTE, "--with", "Dana", ok=True)
    assert logged.stderr == f"Logged call with {SUPPLIER} with {CONTACT} (#1).\n"
    record = srm("log", "Evil", NOTE, "--again", "-f", "json", ok=True).json()
    assert record["note"] == NOTE


def test_messages_and_errors_show_control_characters_escaped(srm, capsys) -> None:
    import typer

    from srmcli import render
    from srmcli.cli import _fail

    render.say(f"Logged {CLEAR} with {TITLE_SEQ}.")
    with pytest.raises(typer.Exit):
        _fail(f"no supplier named {CLEAR}\nor {TITLE_SEQ}", 1)
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert err.splitlines() == [
        "Logged \\x1b[2J with \\x1b]0;pwned\\x07.",
        "Error: no supplier named \\x1b[2J or \\x1b]0;pwned\\x07",
    ]
    r = srm("supplier", "show", CLEAR)
    assert r.exit_code == 1 and "\x1b" not in r.stderr and "\\x1b[2J" in r.stderr


def test_piped_tables_use_columns_and_keep_names_whole(srm, hostile, monkeypatch) -> None:
    title = "Vice President of Strategic Sourcing and Supplier Development Europe"
    srm("contact", "add", "Northwind", "Alexandra Northcote-Williamson", "--role", "executive",
        "--title", title, ok=True)  # fmt: skip
    monkeypatch.setenv("COLUMNS", "200")
    wide = srm("contact", "list", ok=True).stdout
    assert max(len(line) for line in wide.splitlines()) > 80
    assert any("Northwind Castings" in line and title in line for line in wide.splitlines())
    monkeypatch.setenv("COLUMNS", "100")
    narrow = srm("contact", "list", ok=True).stdout
    assert max(len(line) for line in narrow.splitlines()) <= 100
    assert "Alexandra Northcote-Williamson" in narrow and "Northwind Castings" in narrow
    board = srm("sourcing", "board", "Castings", ok=True).stdout
    assert SUPPLIER in board


def words(text: str) -> set[str]:
    return set(text.split())


@pytest.mark.parametrize(
    ("args", "stored"),
    [
        (("search", "see"), NOTE),
        (("timeline", "Evil"), NOTE),
        (("issue", "list"), DESCRIPTION),
        (("contact", "list"), TITLE),
        (("sourcing", "history", "Castings"), NOTE),
    ],
    ids=["search", "timeline", "issue list", "contact list", "sourcing history"],
)
def test_eighty_columns_wrap_at_words(srm, hostile, monkeypatch, args, stored) -> None:
    from srmcli.wording import visible

    monkeypatch.setenv("COLUMNS", "80")
    out = srm(*args, ok=True).stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    shown = words(out)
    missing = [w for w in visible(stored).split() if w not in shown]
    assert missing == [], out


def test_plurals_are_worded_by_count(srm, tmp_path: Path) -> None:
    srm("supplier", "add", "Northwind Castings", ok=True)
    one = tmp_path / "one.csv"
    one.write_text(REPORT.replace(ITEM, "washers"), encoding="utf-8")
    r = srm("status", "import", "North", str(one), "--date", "2026-11-18", "--open-issues",
            ok=True)  # fmt: skip
    assert "(1 line)" in r.stderr and "opened 1 late-delivery issue (#1)" in r.stderr
    r = srm("status", "import", "North", str(one), "--date", "2026-11-19", "--open-issues",
            ok=True)  # fmt: skip
    assert "late-delivery" not in r.stderr and "(s)" not in r.stderr
    out = tmp_path / "issues.csv"
    r = srm("export", "issues", "-o", str(out), ok=True)
    assert r.stderr == f"Exported 1 row of issues to {out}.\n"
    data = json.loads(srm("issue", "list", "-f", "json", ok=True).stdout)
    assert len(data) == 1


@pytest.mark.parametrize("width", ["80", "100", "120"])
def test_a_name_of_one_long_word_is_folded_rather_than_every_word_beside_it(
    srm, monkeypatch, width
) -> None:
    """Only a word longer than its column is folded: a supplier named by one 34-letter
    word must not squeeze the other columns until each of their words is split."""
    monkeypatch.setenv("COLUMNS", width)
    srm("supplier", "add", "Northwind Castings International", "--alias", "NW", ok=True)
    srm("supplier", "add", "Oberflächenveredelungsgesellschaft Süd GmbH", "--alias", "OVG", ok=True)
    srm(
        "contact",
        "add",
        "OVG",
        "Klaus Müller",
        "--role",
        "sales",
        "--title",
        "Vertriebsleiter",
        ok=True,
    )
    text = "Provide comprehensive revised shipping schedule including alternative transportation"
    srm("followup", "add", "NW", text, "--due", "tomorrow", "--owner", "them", ok=True)
    srm("issue", "open", "NW", "late-delivery", "Consignment misrouted through Antwerp", ok=True)
    for args, words in (
        (("followup", "list"), text.split()),
        (("issue", "list"), ["Consignment", "misrouted", "through", "Antwerp", "late-delivery"]),
        (("contact", "list"), ["Vertriebsleiter", "Klaus", "Müller"]),
    ):
        out = srm(*args, ok=True).stdout
        assert max(len(line) for line in out.splitlines()) <= int(width)
        shown = out.split()
        assert [w for w in words if w not in shown] == [], (args, out)
