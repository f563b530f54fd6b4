"""Every record exports (SPEC §9): projects, candidates, status lines and history, and a
whole journal moved with `export all` / `import all`.

The moved journal is the test's own (a SQLite file, or the PostgreSQL server when
`SRM_TEST_DATABASE_URL` is set); the journal it comes from is the demo's SQLite file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

KINDS = [
    "suppliers", "contacts", "interactions", "issues", "followups", "projects", "candidates",
    "status-lines", "history",
]  # fmt: skip
IDS = {"id", "interaction_id", "change", "undoes"}


def without_ids(value: Any) -> Any:
    """A report or export with record ids left out: keys that are ids, and `#N` in text."""
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k not in IDS}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"#\d+", "#N", value)
    return value


def rich_journal(srm, tmp_path: Path) -> tuple[str, ...]:
    """The demo's story plus what it lacks: a stage moved at a time of day, an issue
    trail, a status report whose lines were partly in by their promise, removed and
    undone records (history with an undo in it)."""
    path = tmp_path / "source.db"
    srm("demo", "--db", str(path), ok=True)
    db = ("--db", str(path))
    srm(*db, "sourcing", "new", "Castings 2027", "--description", "=cheaper; castings",
        "--due", "2027-02-01", ok=True)  # fmt: skip
    srm(*db, "sourcing", "add", "Castings 2027", "Lumen", ok=True)
    srm(*db, "sourcing", "move", "Castings 2027", "Lumen", "quoted", ok=True)
    srm(*db, "sourcing", "rate", "Castings 2027", "Lumen", "4", ok=True)
    srm(*db, "log", "Northwind", "Chased the late bolts", "--date", "2026-11-24 15:05",
        "--follow-up", "Send revised dates", "--due", "2026-11-30", "--owner", "them",
        ok=True)  # fmt: skip
    srm(*db, "issue", "edit", "1", "--severity", "1", ok=True)
    srm(*db, "followup", "rm", "1", ok=True)
    number = srm(*db, "history", "-n", "1", "-f", "json", ok=True).json()[0]["change"]
    srm(*db, "undo", str(number), ok=True)
    return db


def reports(srm, *db: str) -> dict[str, Any]:
    """What a buyer reads, every kind of report, as JSON."""
    out: dict[str, Any] = {}
    names = [s["name"] for s in srm(*db, "supplier", "list", "-f", "json", ok=True).json()]
    commands = [
        ["report"], ["issue", "summary"], ["due"], ["followup", "list", "--all"],
        ["issue", "list", "--status", "all"], ["sourcing", "list"], ["history"],
        ["sourcing", "board", "Second source 2027"], ["sourcing", "board", "Castings 2027"],
    ]  # fmt: skip
    # (`status list` names who imported each report: in a moved journal, whoever moved it,
    # as for every record a file brings without an author column)
    for name in names:
        commands += [["report", name], ["timeline", name]]
    for command in commands:
        r = srm(*db, *command, "-f", "json")
        assert r.exit_code == 0, (command, r.stderr)
        out[" ".join(command)] = without_ids(r.json())
    for name in ("Northwind Metals",):
        out[f"status {name}"] = without_ids(srm(*db, "status", "show", name, "-f", "json").json())
    return out


def exports(srm, *db: str) -> dict[str, Any]:
    return {k: without_ids(srm(*db, "export", k, "-f", "json", ok=True).json()) for k in KINDS}


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_a_journal_moved_with_export_all_gives_the_same_reports_and_exports(
    srm, tmp_path: Path, fmt: str
) -> None:
    source = rich_journal(srm, tmp_path)
    folder = tmp_path / "moved"
    r = srm(*source, "export", "all", "-o", str(folder), "-f", fmt, ok=True)
    assert r.stderr.startswith("Exported ") and "candidates 7" in r.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{k}.{fmt}" for k in KINDS)
    assert all((p.stat().st_mode & 0o777) == 0o600 for p in folder.iterdir())
    r = srm("import", "all", str(folder), ok=True)
    assert "suppliers added 6, skipped 0" in r.stderr and "history added" in r.stderr
    assert exports(srm) == exports(srm, *source)
    assert reports(srm) == reports(srm, *source)
    # the moved journal exports the same files again
    again = tmp_path / "again"
    srm("export", "all", "-o", str(again), "-f", fmt, ok=True)
    for kind in ("candidates", "status-lines"):  # the kinds without ids: byte for byte
        name = f"{kind}.{fmt}"
        assert (again / name).read_bytes() == (folder / name).read_bytes(), name
    # importing it all again adds nothing
    r = srm("import", "all", str(folder), ok=True)
    assert "added 0" in r.stderr and not re.search(r"added [1-9]", r.stderr), r.stderr


def test_export_all_bom_starts_every_csv_with_a_byte_order_mark(srm, tmp_path: Path) -> None:
    source = rich_journal(srm, tmp_path)
    folder = tmp_path / "moved"
    srm(*source, "export", "all", "-o", str(folder), "--bom", ok=True)
    assert all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in folder.iterdir())
    assert (folder / "suppliers.csv").read_bytes().startswith(b"\xef\xbb\xbfid,name,")
    srm("import", "all", str(folder), ok=True)
    assert exports(srm) == exports(srm, *source)
    for fmt in ("json", "xlsx"):
        target = tmp_path / ("all.xlsx" if fmt == "xlsx" else "j")
        r = srm(*source, "export", "all", "-o", str(target), "-f", fmt, "--bom")
        assert r.exit_code == 1 and f"--bom is for CSV; -f {fmt}" in r.stderr, r.stderr
        assert not target.exists()


def test_a_journal_moved_in_one_workbook_gives_the_same_reports_and_exports(
    srm, tmp_path: Path
) -> None:
    import openpyxl

    source = rich_journal(srm, tmp_path)
    book = tmp_path / "journal.xlsx"
    r = srm(*source, "export", "all", "-o", str(book), ok=True)
    assert r.stderr.startswith("Exported ") and "candidates 7" in r.stderr
    assert book.stat().st_mode & 0o777 == 0o600
    opened = openpyxl.load_workbook(book)
    assert opened.sheetnames == list(KINDS)
    formulas = [
        c for sheet in opened for row in sheet.iter_rows() for c in row if c.data_type == "f"
    ]
    assert not formulas
    r = srm("import", "all", str(book), ok=True)
    assert "suppliers added 6, skipped 0" in r.stderr and "history added" in r.stderr
    assert exports(srm) == exports(srm, *source)
    assert reports(srm) == reports(srm, *source)
    r = srm("import", "all", str(book), ok=True)
    assert not re.search(r"added [1-9]", r.stderr), r.stderr


def test_a_workbook_with_a_sheet_of_no_kind_is_refused_whole(srm, tmp_path: Path) -> None:
    import openpyxl

    book = tmp_path / "odd.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "suppliers"
    wb.active.append(["name"])
    wb.active.append(["Northwind"])
    wb.create_sheet("Notes").append(["call them"])
    wb.save(book)
    r = srm("import", "all", str(book))
    assert r.exit_code == 1 and "'Notes' is no kind of record" in r.stderr
    assert srm("supplier", "list", "-f", "json", ok=True).json() == []
    r = srm("export", "all", "-f", "xlsx", "-o", str(tmp_path / "folder"))
    assert r.exit_code == 1 and "-o FILE.xlsx" in r.stderr


def test_import_all_of_one_file_that_is_no_workbook_says_what_it_is(srm, tmp_path: Path) -> None:
    srm("supplier", "add", "Northwind", ok=True)
    srm("export", "suppliers", "-o", str(tmp_path / "suppliers.csv"), ok=True)
    (tmp_path / "empty.xlsx").write_bytes(b"")
    for name, said in (("suppliers.csv", "is CSV, not a workbook"), ("empty.xlsx", "is empty")):
        r = srm("import", "all", str(tmp_path / name))
        assert r.exit_code == 1 and r.stderr.startswith("Error: "), r
        assert len(r.stderr.strip().splitlines()) == 1 and said in r.stderr, r.stderr
        assert "the folder or the .xlsx workbook" in r.stderr
        assert "workbook cannot be read" not in r.stderr


def test_new_kinds_have_their_columns(srm, tmp_path: Path) -> None:
    source = rich_journal(srm, tmp_path)
    text = srm(*source, "export", "candidates", ok=True).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["project", "supplier", "stage", "rating", "note", "stage_history"]
    lumen = next(r for r in rows if r["project"] == "Castings 2027")
    # moved at the fixed clock's 10:30: the time of day is kept with the date
    assert lumen["stage_history"] == ("identified@2026-11-25T10:30:00;quoted@2026-11-25T10:30:00")
    projects = list(csv.DictReader(io.StringIO(srm(*source, "export", "projects").stdout)))
    assert list(projects[0]) == ["id", "name", "description", "due", "status"]
    assert projects[0]["description"] == "'=cheaper; castings"  # the formula guard
    lines = srm(*source, "export", "status-lines", "-f", "json", ok=True).json()
    assert list(lines[0]) == [
        "supplier", "report_date", "po", "line", "item", "qty_ordered", "qty_received",
        "promised_date", "received_date",
    ]  # fmt: skip
    history = srm(*source, "export", "history", "-f", "json", ok=True).json()
    assert list(history[0]) == [
        "change", "at", "author", "record", "record_id", "supplier", "action", "before",
        "after", "undoes",
    ]  # fmt: skip
    assert history[-1]["undoes"] == history[-2]["change"]
    r = srm(*source, "export", "projects", "--supplier", "Lumen")
    assert r.exit_code == 1 and "--supplier does not apply to projects" in r.stderr
    r = srm(*source, "export", "history", "--from", "2026-01-01", "--to", "2026-02-01")
    assert r.exit_code == 1 and "--from and --to do not apply to history" in r.stderr


def test_candidates_from_a_hand_made_file(srm, tmp_path: Path) -> None:
    srm("supplier", "add", "Lumen Castings", ok=True)
    srm("import", "projects", "-", input="name,due\nCastings 2027,2027-02-01\n", ok=True)
    r = srm(
        "import", "candidates", "-",
        input="project,supplier,stage,rating,stage_history\n"
        "castings 2027,Lumen Castings,quoted,4,identified@2026-10-01;quoted@2026-11-05\n",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    board = srm("sourcing", "board", "Castings 2027", "-f", "json", ok=True).json()
    assert [(b["supplier"], b["stage"], b["rating"]) for b in board] == [
        ("Lumen Castings", "quoted", 4)
    ]
    history = srm("sourcing", "history", "Castings 2027", "-f", "json", ok=True).json()
    assert [(h["stage"], h["changed_at"]) for h in history] == [
        ("identified", "2026-10-01T00:00:00"), ("quoted", "2026-11-05T00:00:00"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "kind, text, message",
    [
        ("candidates", "project,supplier,stage\nNowhere,Lumen Castings,quoted\n",
         "line 2: project: no sourcing project named exactly 'Nowhere'"),
        ("candidates", "project,supplier,stage,stage_history\nP,Lumen Castings,quoted,"
         "identified@2026-10-01\n", "line 2: stage_history: the last step is identified"),
        ("candidates", "project,supplier,stage,stage_history\nP,Lumen Castings,quoted,"
         "quoted 2026-10-01\n", "line 2: stage_history: 'quoted 2026-10-01' is not accepted"),
        ("status-lines", "supplier,report_date,po,line,qty_ordered,qty_received,promised_date\n"
         "Lumen Castings,2026-11-20,1,1,0,0,2026-11-20\n", "line 2: qty_ordered:"),
        ("history", "at,record,record_id,action\n2026-11-20,planet,1,edit\n",
         "line 2: record: 'planet' is not accepted"),
    ],
)  # fmt: skip
def test_bad_rows_of_the_new_kinds_are_refused(srm, kind, text, message) -> None:
    srm("supplier", "add", "Lumen Castings", ok=True)
    srm("sourcing", "new", "P", ok=True)
    r = srm("import", kind, "-", input=text)
    assert r.exit_code == 1 and r.stderr.startswith(f"Error: {message}"), r.stderr
    assert srm("export", kind, "-f", "json", ok=True).json() == []


def test_import_all_is_all_or_nothing(srm, tmp_path: Path) -> None:
    source = rich_journal(srm, tmp_path)
    folder = tmp_path / "moved"
    srm(*source, "export", "all", "-o", str(folder), ok=True)
    before = exports(srm)
    lines = folder / "status-lines.csv"
    lines.write_text(lines.read_text() + "Northwind Metals,2026-11-20,9,9,ten,0,2026-11-20,\n")
    r = srm("import", "all", str(folder))
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: status-lines.csv: line ") and "qty_ordered" in r.stderr
    assert exports(srm) == before  # suppliers, contacts … all rolled back
    r = srm("import", "all", str(tmp_path / "nowhere"))
    assert r.exit_code == 1 and "does not exist" in r.stderr
    (folder / "history.json").write_text("[]")
    r = srm("import", "all", str(folder))
    assert r.exit_code == 1 and "history.csv and history.json; keep one file per kind" in r.stderr


def test_dry_run_checks_everything_and_writes_nothing(srm, tmp_path: Path) -> None:
    source = rich_journal(srm, tmp_path)
    folder = tmp_path / "moved"
    srm(*source, "export", "all", "-o", str(folder), ok=True)
    r = srm("import", "all", str(folder), "--dry-run", ok=True)
    assert "(dry run, nothing written)" in r.stderr and "candidates added 7" in r.stderr
    assert srm("supplier", "list", "-f", "json", ok=True).json() == []


def test_imported_changes_are_never_undone_here(srm, tmp_path: Path) -> None:
    source = rich_journal(srm, tmp_path)
    folder = tmp_path / "moved"
    srm(*source, "export", "all", "-o", str(folder), ok=True)
    srm("import", "all", str(folder), ok=True)
    newest = srm("history", "-n", "1", "-f", "json", ok=True).json()[0]
    r = srm("undo", str(newest["change"]))
    assert r.exit_code == 1
    assert "came with `srm import history` from another journal" in r.stderr
    # a change made here is undone as ever, whatever the imported ones say of its record
    srm("issue", "edit", "1", "--severity", "3", ok=True)
    mine = srm("history", "-n", "1", "-f", "json", ok=True).json()[0]
    srm("undo", str(mine["change"]), ok=True)


def test_a_failing_export_all_leaves_no_folder_content(
    srm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from srmcli.services import interchange

    source = rich_journal(srm, tmp_path)
    real = interchange.export

    def failing(*, kind: str, **options: Any) -> int:
        if kind == "candidates":
            raise OSError(28, "No space left on device")
        return real(kind=kind, **options)

    monkeypatch.setattr(interchange, "export", failing)
    folder = tmp_path / "moved"
    r = srm(*source, "export", "all", "-o", str(folder))
    assert r.exit_code == 1 and "No space left on device" in r.stderr
    assert not folder.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".moved")] == []
    # into an existing folder: what was there stays as it was
    folder.mkdir()
    (folder / "suppliers.csv").write_text("old\n")
    (folder / "notes.txt").write_text("mine\n")
    r = srm(*source, "export", "all", "-o", str(folder))
    assert r.exit_code == 1
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "suppliers.csv"]
    assert (folder / "suppliers.csv").read_text() == "old\n"
    monkeypatch.setattr(interchange, "export", real)
    srm(*source, "export", "all", "-o", str(folder), ok=True)
    assert (folder / "notes.txt").read_text() == "mine\n"
    assert json.dumps(sorted(p.name for p in folder.iterdir())).count(".csv") == len(KINDS)


def test_export_all_needs_a_folder_and_no_filters(srm, tmp_path: Path) -> None:
    r = srm("export", "all")
    assert r.exit_code == 1 and "give it with -o FOLDER" in r.stderr
    r = srm("export", "all", "-o", str(tmp_path / "x"), "--supplier", "NW")
    assert r.exit_code == 1 and "export all moves the whole journal" in r.stderr
    (tmp_path / "file").write_text("")
    r = srm("export", "all", "-o", str(tmp_path / "file"))
    assert r.exit_code == 1 and "give a folder to write into" in r.stderr
