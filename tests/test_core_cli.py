"""The journal core through the CLI: suppliers, contacts, log, timeline, search, errors."""

from __future__ import annotations

import csv
import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest


def seed(srm) -> None:
    srm(
        "supplier",
        "add",
        "Northwind Metals",
        "--alias",
        "NW",
        "--size",
        "mega",
        "--cadence",
        "14",
        ok=True,
    )
    srm("supplier", "add", "Acme Fasteners", "--size", "small", ok=True)
    srm("contact", "add", "Northwind", "Alice Moreau", "--role", "sales", ok=True)
    srm("contact", "add", "Northwind", "Bob Chen", "--role", "operations", ok=True)


def test_version_and_help_do_not_import_sqlalchemy() -> None:
    def modules_after(*args: str) -> tuple[str, list[str]]:
        code = (
            f"import sys; sys.argv = ['srm', *{list(args)!r}]\n"
            "from srmcli.command import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(*sorted(m for m in ('typer', 'sqlalchemy') if m in sys.modules))"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True)  # fmt: skip
        *shown, loaded = out.stdout.splitlines()
        return "\n".join(shown), loaded.split()

    shown, loaded = modules_after("--version")
    assert shown.startswith("srm ") and loaded == []  # answered before Typer is imported
    for args in (["--help"], ["report", "--help"], ["supplier", "--help"]):
        shown, loaded = modules_after(*args)
        assert "Usage:" in shown and loaded == ["typer"], args


def test_no_help_imports_pydantic_or_sqlalchemy() -> None:
    """`--help` of every command and group, each asked in turn in one process: the first
    one to import pydantic, SQLAlchemy or Alembic is named."""
    code = """
import contextlib, io, sys
import typer.main
from srmcli import cli
from srmcli.command import main

def paths(command, path):
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from paths(sub, [*path, name])

heavy = ("pydantic", "sqlalchemy", "alembic")
asked = list(paths(typer.main.get_command(cli.app), []))
for path in asked:
    sys.argv = ["srm", *path, "--help"]
    with contextlib.redirect_stdout(io.StringIO()) as out:
        try:
            main()
        except SystemExit:
            pass
    assert "Usage:" in out.getvalue(), path
    assert "list[str]" not in out.getvalue(), path  # options read `--tag TEXT`
    loaded = [m for m in heavy if m in sys.modules]
    if loaded:
        print(" ".join(path), loaded)
        break
else:
    print(len(asked), "clean")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)  # fmt: skip
    assert out.stdout.endswith(" clean\n"), out.stdout  # else: the command that did
    assert int(out.stdout.split()[0]) > 40


def test_completion_answers_without_pydantic_or_sqlalchemy() -> None:
    """Completing `srm sup<TAB>` runs srm's own options through no pydantic adapter."""
    env = {**os.environ, "_SRM_COMPLETE": "complete_bash", "COMP_WORDS": "srm sup",
           "COMP_CWORD": "1"}  # fmt: skip
    code = (
        "import sys; sys.argv = ['srm']\n"
        "from srmcli.command import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(*sorted(m for m in ('pydantic', 'sqlalchemy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True)  # fmt: skip
    assert out.stdout.splitlines() == ["supplier", ""]


def test_each_command_runs_from_an_app_holding_only_its_group() -> None:
    """`main` builds only the group asked for: the table it uses must name every
    top-level command of the whole app, each from a module whose app holds it."""
    import typer.main

    from srmcli import cli

    whole = typer.main.get_command(cli.app)
    assert set(whole.commands) == set(cli.COMMANDS)  # type: ignore[attr-defined]
    for name, module in cli.COMMANDS.items():
        slim = typer.main.get_command(cli.build([module]))
        assert name in slim.commands  # type: ignore[attr-defined]
        assert set(slim.commands) < set(whole.commands)  # type: ignore[attr-defined]
    assert cli.invoked(["--db", "x.db", "report", "Acme"]) == "report"
    assert cli.invoked(["--db=x.db", "timeline", "Acme"]) == "timeline"
    assert cli.invoked(["--help"]) is None and cli.invoked(["reprot"]) is None


def test_a_command_and_its_mistakes_read_the_same_from_the_executable(tmp_path: Path) -> None:
    env = {**os.environ, "SRM_DB": str(tmp_path / "j.db"), "NO_COLOR": "1"}
    env.pop("SRM_DATABASE_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "srmcli", *args], env=env,
                              capture_output=True, text=True)  # fmt: skip

    added = run("supplier", "add", "Acme", "-f", "json")
    assert added.returncode == 0 and '"name": "Acme"' in added.stdout
    typo = run("reprot")
    assert typo.returncode == 2 and "No such command 'reprot'" in typo.stderr
    bad = run("report", "--bogus")
    assert bad.returncode == 2 and "report --help`" in bad.stderr
    top = run("--bogus", "supplier", "list")
    assert (
        top.returncode == 2
        and top.stderr == "Error: No such option: --bogus (see `python -m srmcli --help`)\n"
    )
    sub_help = run("issue", "--help")
    assert sub_help.returncode == 0 and "escalate" in sub_help.stdout


def test_supplier_add_show_list_json(srm) -> None:
    r = srm("supplier", "add", "Northwind", "--alias", "NW", "--size", "mega", "--category",
            "metals", "--tag", "core", "--tag", "eu", "--annual-spend", "1200000",
            "--supplier-revenue", "90000000", "--cadence", "14", "--profit-impact", "high",
            "--supply-risk", "low", "-f", "json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    rec = r.json()
    assert list(rec) == [
        "id", "name", "aliases", "domains", "category", "size", "status", "access", "profit_impact",
        "supply_risk", "annual_spend", "supplier_revenue", "cadence_days", "tags", "note",
        "created_at",
    ]  # fmt: skip
    assert rec["aliases"] == ["NW"] and rec["tags"] == ["core", "eu"]
    assert rec["status"] == "active" and rec["access"] == "standard"
    assert rec["created_at"] == "2026-11-25T10:30:00"
    shown = srm("supplier", "show", "nw", "-f", "json").json()
    assert shown["name"] == "Northwind"
    listing = srm("supplier", "list", "-f", "json").json()
    assert [s["name"] for s in listing] == ["Northwind"]
    table = srm("supplier", "list")
    assert "Northwind" in table.stdout and table.stderr == ""


def test_supplier_resolution_prefix_ambiguity_and_did_you_mean(srm) -> None:
    seed(srm)
    srm("supplier", "add", "Northern Plastics", ok=True)
    assert srm("supplier", "show", "acme", "-f", "json").json()["name"] == "Acme Fasteners"
    amb = srm("supplier", "show", "North")
    assert amb.exit_code == 1
    assert amb.stderr.startswith("Error:") and "Northern Plastics" in amb.stderr
    assert "Northwind Metals" in amb.stderr
    miss = srm("supplier", "show", "Nortwind Metals")
    assert miss.exit_code == 1 and "Did you mean: Northwind Metals" in miss.stderr
    assert "Traceback" not in miss.stderr and miss.stdout == ""


def test_duplicate_supplier_any_case_is_refused(srm) -> None:
    srm("supplier", "add", "Northwind", ok=True)
    dup = srm("supplier", "add", "NORTHWIND")
    assert dup.exit_code == 1 and dup.stderr.startswith("Error:")
    assert len(srm("supplier", "list", "-f", "json").json()) == 1


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--size", "huge"], "small, mid, large, mega"),
        (["--status", "gone"], "prospect, active"),
        (["--access", "vip"], "open, standard, restricted"),
        (["--cadence", "soon"], "whole number"),
        (["--annual-spend", "lots"], "number"),
        (["--profit-impact", "medium"], "low, high"),
        (["--tag", " "], "a tag is empty"),
        (["--alias", ""], "an alias is empty"),
        (["--alias", "a;b"], "an alias cannot contain ';'"),
    ],
)
def test_supplier_bad_values(srm, args, fragment) -> None:
    r = srm("supplier", "add", "X", *args)
    assert r.exit_code == 1 and r.stderr.startswith("Error:") and fragment in r.stderr
    assert srm("supplier", "list", "-f", "json").json() == []


def test_supplier_edit_archive_rm(srm) -> None:
    seed(srm)
    r = srm("supplier", "edit", "acme", "--name", "Acme Fasteners Ltd", "--alias", "AF",
            "--status", "probation", "--note", "", "-f", "json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert r.json()["name"] == "Acme Fasteners Ltd" and r.json()["aliases"] == ["AF"]
    assert r.json()["status"] == "probation"
    srm("supplier", "archive", "af", ok=True)
    assert [s["name"] for s in srm("supplier", "list", "-f", "json").json()] == ["Northwind Metals"]
    assert len(srm("supplier", "list", "--all", "-f", "json").json()) == 2
    refused = srm("supplier", "rm", "Northwind")
    assert refused.exit_code == 1 and "archive" in refused.stderr
    assert srm("supplier", "rm", "Northwind", "--force").exit_code == 0
    assert srm("contact", "list", "-f", "json").json() == []
    assert srm("supplier", "rm", "AF").exit_code == 0


def test_alias_cannot_shadow_another_supplier(srm) -> None:
    seed(srm)
    r = srm("supplier", "edit", "acme", "--alias", "northwind metals")
    assert r.exit_code == 1 and "already used" in r.stderr


def test_contacts(srm) -> None:
    seed(srm)
    rows = srm("contact", "list", "Northwind", "-f", "json").json()
    assert [c["name"] for c in rows] == ["Alice Moreau", "Bob Chen"]
    assert list(rows[0]) == [
        "id",
        "supplier",
        "name",
        "role",
        "title",
        "email",
        "phone",
        "note",
        "active",
    ]
    bad = srm("contact", "add", "Northwind", "Carla", "--role", "wizard")
    assert bad.exit_code == 1 and "customer-service" in bad.stderr
    r = srm(
        "contact", "edit", "Northwind", "bob", "--role", "engineering", "--inactive", "-f", "json"
    )
    assert r.json()["role"] == "engineering" and r.json()["active"] is False
    csv_out = srm("contact", "list", "-f", "csv").stdout
    parsed = list(csv.DictReader(io.StringIO(csv_out)))
    assert parsed[1]["active"] == "false"
    assert srm("contact", "rm", "Northwind", "Bob").exit_code == 0


def test_removing_a_contact_takes_them_out_of_their_interactions(srm) -> None:
    """`contact rm --force` drops the person from every interaction they took part in,
    and someone added later (who may get the freed id on SQLite) is not put there."""
    srm("supplier", "add", "Northwind", ok=True)
    srm("contact", "add", "Northwind", "Bob", "--role", "operations", ok=True)
    srm("contact", "add", "Northwind", "Alice", "--role", "sales", ok=True)
    srm("log", "Northwind", "Both", "--with", "Alice", "--with", "Bob", ok=True)
    srm("log", "Northwind", "Alice alone", "--with", "Alice", ok=True)
    srm("log", "Northwind", "Bob alone", "--with", "Bob", ok=True)
    refused = srm("contact", "rm", "Northwind", "Alice")
    assert refused.exit_code == 1 and "took part in 2 interactions" in refused.stderr
    srm("contact", "rm", "Northwind", "Alice", "--force", ok=True)
    srm("contact", "add", "Northwind", "Carol", "--role", "engineering", ok=True)

    def who() -> list[list[str]]:
        return [r["contacts"] for r in srm("export", "interactions", "-f", "json", ok=True).json()]

    assert who() == [["Bob"], [], ["Bob"]]
    csv_out = srm("export", "interactions", ok=True).stdout
    assert [r["contacts"] for r in csv.DictReader(io.StringIO(csv_out))] == ["Bob", "", "Bob"]
    timeline = srm("timeline", "Northwind", "-f", "json", ok=True).json()
    assert sorted(tuple(r["contacts"]) for r in timeline) == [(), ("Bob",), ("Bob",)]
    assert srm("db", "check").exit_code == 0


def test_log_one_line_with_everything(srm) -> None:
    seed(srm)
    r = srm("log", "NW", "Chased PO 4411", "--with", "Alice", "--with", "bob", "--tone", "-1",
            "--channel", "meeting", "--initiator", "them", "--date", "yesterday",
            "--duration", "30", "--tag", "po", "--tactic", "price-increase", "-f", "json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    rec = r.json()
    assert rec["supplier"] == "Northwind Metals"
    assert rec["contacts"] == ["Alice Moreau", "Bob Chen"]
    assert rec["occurred_at"] == "2026-11-24T00:00:00"
    assert (rec["tone"], rec["channel"], rec["initiator"], rec["duration_min"]) == (
        -1,
        "meeting",
        "them",
        30,
    )
    assert rec["tactics"] == ["price-increase"] and rec["tags"] == ["po"]
    assert list(rec) == [
        "id", "supplier", "occurred_at", "channel", "initiator", "contacts", "duration_min",
        "tone", "tags", "tactics", "note", "author",
    ]  # fmt: skip


def test_log_defaults_and_message(srm) -> None:
    seed(srm)
    r = srm("log", "acme", "Quick hello")
    assert r.exit_code == 0 and r.stdout == ""
    assert "Logged call with Acme Fasteners" in r.stderr
    rec = srm("timeline", "acme", "-f", "json").json()[0]
    assert (rec["channel"], rec["initiator"], rec["tone"]) == ("call", "us", 0)
    assert rec["occurred_at"] == "2026-11-25T10:30:00"


def test_log_reads_stdin_and_never_waits_in_a_script(srm) -> None:
    seed(srm)
    assert srm("log", "acme", input="Note from a pipe\nsecond line\n").exit_code == 0
    assert (
        srm("timeline", "acme", "-f", "json").json()[0]["note"] == "Note from a pipe\nsecond line"
    )
    empty = srm("log", "acme", input="")
    assert empty.exit_code == 1 and "empty" in empty.stderr
    nobody = srm("log", input="")
    assert nobody.exit_code == 1 and nobody.stderr.startswith("Error:")
    assert len(srm("timeline", "acme", "-f", "json").json()) == 1


def test_text_that_is_not_utf8_is_refused_and_never_stored(srm, tmp_path: Path) -> None:
    """Undecodable bytes on the command line (Python hands them over as lone surrogates)
    or on stdin: one Error: line naming where, the note never echoed, nothing stored."""
    seed(srm)
    for args in (
        ["log", "acme", "latin1 \udce9 byte"],
        ["log", "acme", "fine", "--tag", "t\udce9"],
        ["supplier", "add", "Bad \udce9"],
        ["supplier", "edit", "acme", "--alias", "x\udce9"],
        ["contact", "add", "acme", "J\udce9", "--role", "sales"],
    ):
        r = srm(*args)
        assert r.exit_code == 1, args
        assert r.stderr.startswith("Error: argument ") and "not UTF-8" in r.stderr
        assert "latin1" not in r.stderr and len(r.stderr.splitlines()) == 1
    piped = subprocess.run(
        [sys.executable, "-m", "srmcli", "log", "acme"], input=b"x \xe9 y\n",
        env={**os.environ, "SRM_DB": str(tmp_path / "pipe.db")}, capture_output=True,
    )  # fmt: skip
    assert piped.returncode == 1
    assert piped.stderr.decode() == (
        "Error: the note on standard input is not UTF-8 text; save or convert it as UTF-8; "
        "nothing was written\n"
    )
    assert srm("timeline", "acme", "-f", "json").json() == []
    assert srm("export", "suppliers", "-f", "json").json()[0]["aliases"] == []
    assert srm("db", "check").exit_code == 0


def test_removing_a_tag_or_alias_the_supplier_lacks_is_refused(srm) -> None:
    seed(srm)
    for option in ("--untag", "--remove-alias"):
        r = srm("supplier", "edit", "acme", option, "nothere")
        assert r.exit_code == 1 and "has no" in r.stderr and "'nothere'" in r.stderr
    srm("supplier", "edit", "acme", "--tag", "urgent", ok=True)
    srm("supplier", "edit", "acme", "--untag", "URGENT", ok=True)
    assert srm("supplier", "show", "acme", "-f", "json").json()["tags"] == []


@pytest.mark.parametrize("value", ["abc", "0", "-3", "2.5", "\u0662"])
def test_a_count_that_is_not_a_whole_number_from_1(srm, value: str) -> None:
    seed(srm)
    for args, what in ((["timeline", "acme"], "entries"), (["search", "note"], "results")):
        r = srm(*args, "-n", value)
        assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1
        assert (
            r.stderr == f"Error: -n {value!r} is not accepted; give a number of {what}, 1 or more\n"
        )


def test_a_note_that_starts_with_a_dash(srm) -> None:
    seed(srm)
    taken = srm("log", "acme", "-5% discount offered")
    assert taken.exit_code == 2 and "goes after `--`" in taken.stderr
    assert len(taken.stderr.splitlines()) == 1
    srm("log", "acme", "--", "-5% discount offered", ok=True)
    assert srm("timeline", "acme", "-f", "json").json()[0]["note"] == "-5% discount offered"
    assert "goes after" not in srm("report", "--bogus").stderr  # a real option mistyped


@pytest.mark.parametrize(
    "args, hint",
    [
        # options after `--` are text: say where options go
        (["log", "acme", "--", "-3% offered", "--initiator", "them"],
         "options go before `--`: everything after it is taken as text"),
        # srm's own option after a sub-command: say where it goes
        (["log", "acme", "x", "--db", "j.db"],
         "--db is an option of srm itself and goes before the sub-command "
         "(srm --db PATH log …)"),
        (["supplier", "show", "acme", "--db=j.db"], "(srm --db PATH supplier show …)"),
        # a note of several words, unquoted
        (["log", "acme", "Chased", "PO", "4411"], 'put the note in quotes (srm log NW "Chased'),
        (["timeline", "Northwind", "Metals"], "put a name or text of several words in quotes"),
    ],
)  # fmt: skip
def test_a_usage_mistake_says_how_to_write_it(srm, args, hint) -> None:
    seed(srm)
    r = srm(*args)
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1
    assert r.stderr.startswith("Error: ") and hint in r.stderr
    assert srm("timeline", "acme", "-f", "json").json() == []
    assert not Path("j.db").exists()


def test_a_name_is_the_same_however_its_accents_are_typed(srm) -> None:
    """Precomposed (most keyboards and text) or decomposed (copied from a PDF or a macOS
    file name): one supplier, one contact, one search."""
    precomposed, decomposed = "M\u00fcller Gie\u00dferei", "Mu\u0308ller Gie\u00dferei"
    srm("supplier", "add", precomposed, ok=True)
    again = srm("supplier", "add", decomposed)
    assert again.exit_code == 1 and "already used" in again.stderr
    srm("contact", "add", decomposed, "Ju\u0308rgen", "--role", "sales", ok=True)
    srm("log", "mu\u0308ller", "R\u00e9sum\u00e9 sent", "--with", "J\u00fcrgen", ok=True)
    [found] = srm("search", "Re\u0301sume\u0301", "-f", "json", ok=True).json()
    # names are kept as they were first typed; only their comparison folds the forms
    assert found["supplier"] == precomposed and found["contacts"] == ["Ju\u0308rgen"]


def test_a_name_typed_without_its_accents_is_found_when_unique(srm) -> None:
    srm("supplier", "add", "M\u00fcller Gie\u00dferei", ok=True)
    srm("contact", "add", "M\u00fcller", "J\u00fcrgen Wei\u00df", "--role", "sales", ok=True)
    srm("log", "Muller", "Casting trial", "--with", "Jurgen", ok=True)
    [logged] = srm("timeline", "muller giesserei", "-f", "json", ok=True).json()
    assert logged["supplier"] == "M\u00fcller Gie\u00dferei"
    assert logged["contacts"] == ["J\u00fcrgen Wei\u00df"]
    # ambiguity is still refused, naming both
    srm("supplier", "add", "Mull\u00e9r Tools", ok=True)
    r = srm("log", "Muller", "Second call")
    assert r.exit_code == 1 and "ambiguous" in r.stderr
    assert "M\u00fcller Gie\u00dferei" in r.stderr and "Mull\u00e9r Tools" in r.stderr
    assert len(srm("timeline", "M\u00fcller", "-f", "json", ok=True).json()) == 1


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--tone", "5"], "-2 to 2"),
        (["--tone", "abc"], "-2 to 2"),
        (["--channel", "pigeon"], "call, meeting"),
        (["--tactic", "bribery"], "price-increase"),
        (["--initiator", "nobody"], "us, them"),
        (["--date", "2026-02-30"], "calendar"),
        (["--date", "someday"], "accepted"),
        (["--date", "tomorrow"], "future"),
        (["--with", "Zed"], "Alice Moreau (sales)"),
        (["--duration", "-5"], "minutes"),
        (["--issue", "delays"], "late-delivery"),
        (["--issue", "quality", "--severity", "9"], "1 (critical)"),
        (["--follow-up", "send drawings"], "--due"),
        (["--tag", ""], "a tag is empty"),
    ],
)
def test_log_bad_values_write_nothing(srm, args, fragment) -> None:
    seed(srm)
    r = srm("log", "Northwind", "note", *args)
    assert r.exit_code == 1, r
    assert r.stderr.startswith("Error:") and fragment in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert srm("timeline", "Northwind", "-f", "json").json() == []


def test_log_with_issue_and_follow_up(srm) -> None:
    seed(srm)
    r = srm("log", "NW", "Truck late again", "--issue", "late-delivery", "--severity", "2",
            "--follow-up", "Send new ship date", "--due", "friday", "--owner", "them", "-f", "json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    rows = srm("timeline", "NW", "-f", "json").json()
    types = [row["type"] for row in rows]
    assert types == ["interaction", "issue", "followup"]
    issue, followup = rows[1], rows[2]
    assert issue["kind"] == "late-delivery" and issue["severity"] == 2
    assert issue["interaction_id"] == rows[0]["id"]
    assert followup["owner"] == "them" and followup["due"] == "2026-11-27"
    # the records say when the call was, in the log's own answer and in the timeline
    logged = r.json()
    assert logged["issue"]["interaction_at"] == logged["occurred_at"] == rows[0]["occurred_at"]
    assert logged["follow_up"]["interaction_at"] == logged["occurred_at"]
    assert issue["interaction_at"] == followup["interaction_at"] == rows[0]["occurred_at"]


def test_timeline_window_and_newest_n(srm) -> None:
    seed(srm)
    for day in ("2026-11-01", "2026-11-10", "2026-11-20"):
        srm("log", "acme", f"note {day}", "--date", day, ok=True)
    rows = srm(
        "timeline", "acme", "--from", "2026-11-10", "--to", "2026-11-20", "-f", "json"
    ).json()
    assert [r["note"] for r in rows] == ["note 2026-11-10", "note 2026-11-20"]
    newest = srm("timeline", "acme", "-n", "2", "-f", "json").json()
    assert [r["note"] for r in newest] == ["note 2026-11-10", "note 2026-11-20"]
    assert rows[0]["type"] == "interaction" and rows[0]["date"] == "2026-11-10T00:00:00"


def test_search_best_match_first(srm) -> None:
    seed(srm)
    srm("log", "NW", "Price talk: price list, price increase, price caps", ok=True)
    srm(
        "log",
        "acme",
        "Long call on pallets, labels, customs papers, and the price of screws",
        ok=True,
    )
    srm("log", "acme", "Lunch, nothing about money", ok=True)
    hits = srm("search", "price", "-f", "json").json()
    assert len(hits) == 2 and hits[0]["supplier"] == "Northwind Metals"
    only = srm("search", "pric", "--supplier", "acme", "-f", "json").json()
    assert [h["supplier"] for h in only] == ["Acme Fasteners"]
    assert srm("search", "'\"*").exit_code == 1


def test_format_csv_and_bad_format(srm) -> None:
    seed(srm)
    out = srm("supplier", "list", "-f", "csv").stdout
    assert out.splitlines()[0].startswith("id,name,aliases")
    bad = srm("supplier", "list", "-f", "xml")
    assert bad.exit_code == 1 and "table, json, csv" in bad.stderr


@pytest.mark.sqlite_only
def test_journal_file_is_private(srm, journal: Path) -> None:
    seed(srm)
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    assert stat.S_IMODE(journal.parent.stat().st_mode) == 0o700


def test_not_a_database_is_left_untouched(srm, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_bytes(b"my shopping list\n" * 100)
    before = bogus.read_bytes()
    r = srm("--db", str(bogus), "supplier", "list")
    assert r.exit_code == 1 and "not an srm journal" in r.stderr
    assert bogus.read_bytes() == before
    assert not Path(str(bogus) + "-wal").exists()


def test_corrupt_database_is_reported(srm, tmp_path: Path) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    before = broken.read_bytes()
    r = srm("--db", str(broken), "supplier", "list")
    assert r.exit_code == 1 and r.stderr.startswith("Error:") and "Traceback" not in r.stderr
    assert broken.read_bytes() == before


@pytest.mark.sqlite_only
def test_db_path_check_backup(srm, journal: Path, tmp_path: Path) -> None:
    seed(srm)
    assert srm("db", "path").stdout.strip() == str(journal)
    assert srm("db", "check").stdout.strip() == "ok"
    dest = tmp_path / "backup.db"
    r = srm("db", "backup", str(dest))
    assert r.exit_code == 0 and dest.exists()
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    again = srm("--db", str(dest), "supplier", "list", "-f", "json").json()
    assert len(again) == 2
    assert srm("db", "upgrade").exit_code == 0


def test_unreachable_url_masks_password(srm, monkeypatch) -> None:
    monkeypatch.setenv("SRM_DATABASE_URL", "postgresql+psycopg://buyer:s3cret@127.0.0.1:1/srm")
    monkeypatch.delenv("SRM_DB")
    r = srm("supplier", "list")
    assert r.exit_code == 1 and r.stderr.startswith("Error:")
    assert "s3cret" not in r.stderr and "Traceback" not in r.stderr
    assert "****" in r.stderr or "psycopg" in r.stderr


def test_a_missing_postgresql_driver_names_the_extra(srm, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as on an install without the extra
    monkeypatch.setenv("SRM_DATABASE_URL", "postgresql+psycopg://buyer:s3cret@127.0.0.1:1/srm")
    monkeypatch.delenv("SRM_DB")
    r = srm("supplier", "list")
    assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1
    assert "no driver (psycopg)" in r.stderr and "srmcli[postgres]" in r.stderr
    assert "s3cret" not in r.stderr


def test_db_option_wins_over_environment(srm, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SRM_DATABASE_URL", "postgresql+psycopg://u:p@127.0.0.1:1/x")
    other = tmp_path / "other.db"
    assert srm("--db", str(other), "db", "path").stdout.strip() == str(other)


@pytest.mark.sqlite_only
def test_locked_database_gives_retry_hint(srm, journal: Path, monkeypatch) -> None:
    import sqlite3

    seed(srm)
    monkeypatch.setenv("SRM_BUSY_TIMEOUT_MS", "200")
    holder = sqlite3.connect(str(journal), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = srm("log", "acme", "blocked note")
        assert r.exit_code == 1 and "locked" in r.stderr and "try again" in r.stderr
        # a reader does not wait for the writer
        assert srm("supplier", "list", "-f", "json").exit_code == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert srm("timeline", "acme", "-f", "json").json() == []


@pytest.mark.sqlite_only  # a server's writers: test_reliability's eight processes
def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    """8 processes each logging 6 notes at once into one file: 48 rows, no errors."""
    path = tmp_path / "shared.db"
    env = {**os.environ, "SRM_DB": str(path), "NO_COLOR": "1"}
    env.pop("SRM_NOW", None)
    base = [sys.executable, "-m", "srmcli"]
    subprocess.run(
        [*base, "supplier", "add", "Northwind"], env=env, check=True, capture_output=True
    )
    script = (
        "import subprocess, sys\n"
        "for n in range(6):\n"
        "    subprocess.run([sys.executable, '-m', 'srmcli', 'log', 'Northwind', "
        "f'writer {sys.argv[1]} note {n}'], check=True)\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(w)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for w in range(8)
    ]  # fmt: skip
    for p in procs:
        _, err = p.communicate(timeout=240)
        assert p.returncode == 0, err.decode()
    out = subprocess.run([*base, "timeline", "Northwind", "-f", "json"], env=env,
                         check=True, capture_output=True, text=True)  # fmt: skip
    import json

    assert len(json.loads(out.stdout)) == 48


def test_timeline_author_filter(srm, tmp_path, monkeypatch) -> None:
    seed(srm)
    srm("log", "acme", "mine", "--issue", "quality", ok=True)
    config = tmp_path / "dana.toml"
    config.write_text('author = "Dana"\n')
    monkeypatch.setenv("SRM_CONFIG", str(config))
    srm("log", "acme", "by dana", ok=True)
    rows = srm("timeline", "acme", "--author", "dana", "-f", "json").json()
    assert [(r["type"], r["note"], r["author"]) for r in rows] == [
        ("interaction", "by dana", "Dana")
    ]
    assert len(srm("timeline", "acme", "-f", "json").json()) == 3


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX editor commands")
@pytest.mark.parametrize(
    ("editor", "fragment"),
    [
        ("srm-no-such-editor-xyz", "cannot be started"),
        ("false", "exited with code 1"),
        ("'unbalanced", "cannot be started"),
    ],
)
def test_an_editor_that_fails_logs_nothing(srm, monkeypatch, editor: str, fragment: str) -> None:
    srm("supplier", "add", "Acme", ok=True)
    monkeypatch.setenv("EDITOR", editor)
    r = srm("log", "Acme", "--edit")
    assert r.exit_code == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith("Error: the editor") and fragment in r.stderr
    assert "nothing was logged" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert srm("timeline", "Acme", "-f", "json", ok=True).json() == []


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell script as the editor")
def test_the_editor_writes_the_note(srm, monkeypatch, tmp_path: Path) -> None:
    script = tmp_path / "fake-editor"
    script.write_text("#!/bin/sh\nprintf 'Chased PO 4411' > \"$1\"\n", encoding="utf-8")
    script.chmod(0o700)
    srm("supplier", "add", "Acme", ok=True)
    monkeypatch.setenv("EDITOR", str(script))
    srm("log", "Acme", "--edit", ok=True)
    assert [e["note"] for e in srm("timeline", "Acme", "-f", "json", ok=True).json()] == [
        "Chased PO 4411"
    ]


def test_renaming_onto_a_name_in_use_is_a_conflict(srm) -> None:
    seed(srm)
    before = srm("export", "suppliers").stdout + srm("export", "contacts").stdout
    r = srm("supplier", "edit", "nw", "--name", "acme fasteners")
    assert r.exit_code == 1
    assert r.stderr == "Error: 'acme fasteners' is already used by supplier 'Acme Fasteners'\n"
    r = srm("contact", "edit", "nw", "alice", "--name", "BOB CHEN")
    assert r.exit_code == 1
    assert r.stderr == "Error: Northwind Metals already has a contact named Bob Chen\n"
    assert srm("export", "suppliers").stdout + srm("export", "contacts").stdout == before


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "args",
    [("report",), ("report", "-f", "json"), ("supplier", "list"), ("export", "suppliers")],
)
def test_a_reader_that_stops_early_ends_srm_quietly(srm, journal, args) -> None:
    """`srm report | head -1`: the reader closing the pipe is no error, in any format."""
    rows = "".join(f"Supplier number {n:04d},{'a long note ' * 20}\n" for n in range(1500))
    source = journal.parent.parent / "suppliers.csv"
    source.write_text("name,note\n" + rows, encoding="utf-8")
    srm("import", "suppliers", str(source), ok=True)  # far more than a pipe's buffer
    env = {**os.environ, "SRM_DB": str(journal), "COLUMNS": "80"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "srmcli", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(1)
    proc.stdout.close()
    code = proc.wait()
    assert proc.stderr.read() == b""
    assert code == 0
