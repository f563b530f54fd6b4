"""The files suppliers really send (SPEC §9): workbooks in (xlsx, xlsm, ods; typed cells;
--sheet), xlsx out (typed cells, text never a formula, round trip exact), CSV as any
spreadsheet saves it (BOM, CRLF, `;`, tab, `|`, another encoding), and numbers and dates
never guessed (--decimal, --date-format)."""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_interchange import KINDS, csv_rows, exact_text, export_file, seed, without

STATUS_HEADER = [
    "po", "line", "item", "qty_ordered", "qty_received", "promised_date", "received_date",
]  # fmt: skip
SAMPLES = Path("/work/shared/samples")


def _supplier(srm) -> None:  # noqa: ANN001
    srm("supplier", "add", "Müller GmbH", "--alias", "MU", ok=True)


def _workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook as a spreadsheet program saves it (openpyxl: typed cells)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _ods(path: Path, rows: list[list[Any]], sheet: str = "Tabelle1") -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes its cells: floats,
    dates and strings, each with its value type."""

    def cell(value: Any) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, date):
            return (
                f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
            )
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(map(cell, r)) + "</table:table-row>" for r in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{sheet}">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def _lines(srm) -> list[dict[str, Any]]:  # noqa: ANN001
    return srm("status", "show", "MU", "-f", "json", ok=True).json()["lines"]


def _error(ran: Any) -> str:
    assert ran.exit_code == 1, ran
    assert len(ran.stderr.strip().splitlines()) == 1, ran.stderr
    return str(ran.stderr.strip())


# -- workbooks in ---------------------------------------------------------------------------


def test_a_status_workbook_with_typed_cells_is_read_as_typed(srm, tmp_path: Path) -> None:  # noqa: ANN001
    _supplier(srm)
    # the .csv name lies: the content (a zip of spreadsheet parts) decides
    path = _workbook(
        tmp_path / "report.csv",
        {
            "Status": [
                STATUS_HEADER,
                [4500012345, 10, "Bolt", 1000, 1000, date(2026, 11, 10), date(2026, 11, 9)],
                ["PO-7", "20", "Nut", 12.5, 0, datetime(2026, 11, 24, 0, 0), None],
            ]
        },
    )
    srm("status", "import", "MU", str(path), "--date", "2026-11-23", ok=True)
    lines = _lines(srm)
    assert [(r["po"], r["line"], r["qty_ordered"], r["promised_date"]) for r in lines] == [
        ("4500012345", "10", 1000, "2026-11-10"),  # a whole number cell keeps its digits
        ("PO-7", "20", 12.5, "2026-11-24"),
    ]


def test_the_sheet_is_the_first_unless_named(srm, tmp_path: Path) -> None:  # noqa: ANN001
    _supplier(srm)
    rows = [STATUS_HEADER, ["A1", "1", "x", 5, 0, date(2026, 11, 30), None]]
    path = _workbook(tmp_path / "r.xlsx", {"Notes": [["just notes"]], "Open lines": rows})
    refused = _error(srm("status", "import", "MU", str(path), "--date", "2026-11-23"))
    assert refused.startswith("Error: sheet Notes: no header row found"), refused
    assert "'just notes'" in refused
    wrong = _error(srm("status", "import", "MU", str(path), "--sheet", "Lines"))
    assert "no sheet of that name; its sheets: 'Notes', 'Open lines'" in wrong
    srm("status", "import", "MU", str(path), "--sheet", "open lines", "--date", "2026-11-23",
        ok=True)  # fmt: skip
    assert [r["po"] for r in _lines(srm)] == ["A1"]


def test_errors_in_a_workbook_name_the_sheet_and_the_row(srm, tmp_path: Path) -> None:  # noqa: ANN001
    _supplier(srm)
    rows: list[list[Any]] = [["Open PO lines, week 47"], [], STATUS_HEADER]
    path = _workbook(tmp_path / "r.xlsx", {"Status": [STATUS_HEADER]})
    rows = [
        STATUS_HEADER,
        ["A1", "1", "x", 5, 0, date(2026, 11, 30), None],
        ["A1", "2", "y", "1.000", 0, date(2026, 11, 30), None],  # text, not a number cell
    ]
    path = _workbook(tmp_path / "r.xlsx", {"Status": rows})
    refused = _error(srm("status", "import", "MU", str(path), "--date", "2026-11-23"))
    assert refused.startswith("Error: sheet Status, row 3: qty_ordered: qty_ordered '1.000'"), (
        refused
    )
    assert "--decimal" in refused
    assert srm("status", "list", "MU", "-f", "json", ok=True).json() == []  # nothing stored


def test_an_ods_workbook_is_read_too(srm, tmp_path: Path) -> None:  # noqa: ANN001
    _supplier(srm)
    path = _ods(
        tmp_path / "bericht",
        [STATUS_HEADER, ["4711", 10, "Scheibe", 1000, 250, date(2026, 11, 3), date(2026, 11, 2)]],
    )
    srm("status", "import", "MU", str(path), "--date", "2026-11-23", ok=True)
    assert [(r["po"], r["qty_ordered"], r["received_date"]) for r in _lines(srm)] == [
        ("4711", 1000, "2026-11-02")
    ]


def test_every_import_kind_reads_a_workbook_with_typed_cells(srm, tmp_path: Path) -> None:  # noqa: ANN001
    path = _workbook(
        tmp_path / "s.xlsx",
        {"Suppliers": [["Name", "Annual_Spend", "Cadence_Days"], ["Acme", 1234.5, 30]]},
    )
    srm("import", "suppliers", str(path), ok=True)
    path = _workbook(
        tmp_path / "i.xlsx",
        {
            "Log": [
                ["supplier", "occurred_at", "note", "duration_min", "tone"],
                ["Acme", datetime(2026, 11, 20, 9, 15), "Called about 4411", 30, -1],
            ]
        },
    )
    srm("import", "interactions", str(path), ok=True)
    path = _workbook(
        tmp_path / "f.xlsx",
        {"F": [["supplier", "text", "due"], ["Acme", "Send the drawing", date(2026, 12, 1)]]},
    )
    srm("import", "followups", str(path), ok=True)
    supplier = srm("export", "suppliers", "-f", "json", ok=True).json()[0]
    assert (supplier["annual_spend"], supplier["cadence_days"]) == (1234.5, 30)
    logged = srm("export", "interactions", "-f", "json", ok=True).json()[0]
    assert (logged["occurred_at"], logged["duration_min"], logged["tone"]) == (
        "2026-11-20T09:15:00",
        30,
        -1,
    )
    assert srm("export", "followups", "-f", "json", ok=True).json()[0]["due"] == "2026-12-01"


def test_a_zip_that_is_no_workbook_is_refused_as_such(srm, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "letter.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml", "<Types><Default ContentType='wordprocessingml'/></Types>"
        )
    assert "not a workbook" in _error(srm("import", "suppliers", str(path)))
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "save it as .xlsx" in _error(srm("import", "suppliers", str(tmp_path / "old.xls")))


# -- xlsx out -------------------------------------------------------------------------------


def test_xlsx_export_round_trips_every_kind_exactly(srm, tmp_path: Path) -> None:  # noqa: ANN001
    seed(srm)
    srm("issue", "escalate", "1", "--to", "alice", "--note", "to the account manager", ok=True)
    srm("followup", "done", "1", ok=True)
    srm("supplier", "add", "Ünal _x0041_ Tekstil", "--note", "'=quoted\r\nline\ttab", ok=True)
    other = ("--db", str(tmp_path / "other.db"))
    for kind in KINDS:
        first = export_file(srm, kind, tmp_path / f"{kind}.csv")
        workbook = tmp_path / f"{kind}.xlsx"
        srm("export", kind, "-o", str(workbook), ok=True)
        r = srm(*other, "import", kind, str(workbook))
        assert r.exit_code == 0, r
        assert r.stderr.startswith(f"{kind}: added {len(csv_rows(first))}, skipped 0"), r.stderr
        moved = export_file(srm, kind, tmp_path / f"moved-{kind}.csv", db=other)
        assert without(csv_rows(moved), "id", "interaction_id") == without(
            csv_rows(first), "id", "interaction_id"
        ), kind


def test_an_xlsx_export_is_typed_and_holds_no_formula(srm, tmp_path: Path) -> None:  # noqa: ANN001
    seed(srm)
    path = tmp_path / "suppliers.xlsx"
    r = srm("export", "suppliers", "-o", str(path))
    assert r.exit_code == 0 and "Exported 2 rows of suppliers" in r.stderr
    assert path.stat().st_mode & 0o777 == 0o600
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "suppliers"
    last = openpyxl.utils.get_column_letter(sheet.max_column)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{last}3"
    assert all(c.font.b for c in sheet[1])
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]  # `=SUM(A1:A9)` is text
    header = [c.value for c in sheet[1]]
    northwind = dict(zip(header, (c for c in sheet[3]), strict=True))
    assert northwind["note"].value == "=SUM(A1:A9)" and northwind["note"].data_type == "s"
    assert northwind["annual_spend"].value == 1200000 and northwind["annual_spend"].data_type == "n"
    assert isinstance(northwind["created_at"].value, datetime)
    assert northwind["created_at"].is_date
    assert northwind["tags"].value == "core;eu"
    assert sheet.column_dimensions["B"].width > len("Northwind Metals")


def test_dates_are_date_cells(srm, tmp_path: Path) -> None:  # noqa: ANN001
    seed(srm)
    path = tmp_path / "f.xlsx"
    srm("export", "followups", "-f", "xlsx", "-o", str(path), ok=True)
    sheet = openpyxl.load_workbook(path).active
    due = sheet["E2"]
    assert due.is_date and due.value == datetime(2026, 11, 27) and due.number_format == "yyyy-mm-dd"


def test_xlsx_needs_a_file_and_a_matching_format(srm, tmp_path: Path) -> None:  # noqa: ANN001
    assert "add -o FILE.xlsx" in _error(srm("export", "suppliers", "-f", "xlsx"))
    refused = _error(srm("export", "suppliers", "-f", "csv", "-o", str(tmp_path / "s.xlsx")))
    assert "is a workbook" in refused and not (tmp_path / "s.xlsx").exists()


def test_text_too_long_for_a_cell_is_refused_and_nothing_written(srm, tmp_path: Path) -> None:  # noqa: ANN001
    srm("supplier", "add", "Acme", ok=True)
    srm("log", "Acme", "x" * 40_000, ok=True)
    path = tmp_path / "i.xlsx"
    refused = _error(srm("export", "interactions", "-o", str(path)))
    assert "row 2: note: the text has 40,000 characters" in refused
    assert not path.exists() and not list(tmp_path.glob("*.xlsx*"))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


@pytest.mark.parametrize(
    "command",
    [
        ("supplier", "list"),
        ("issue", "list"),
        ("followup", "list"),
        ("timeline", "NW"),
        ("report",),
        ("report", "NW"),
        ("history",),
    ],
)
def test_listings_and_reports_save_a_workbook(
    srm, tmp_path: Path, command: tuple[str, ...]
) -> None:  # noqa: ANN001
    seed(srm)
    path = tmp_path / "out.xlsx"
    srm(*command, "-o", str(path), ok=True)
    data = srm(*command, "-f", "json", ok=True).json()
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    expected = len(data) if isinstance(data, list) else 1
    assert len(rows) == expected + 1
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


# -- CSV as spreadsheets save it ------------------------------------------------------------


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_any_spreadsheet_csv_is_read(
    srm, tmp_path: Path, separator: str, ending: str, bom: str
) -> None:  # noqa: ANN001
    rows = [["name", "category", "note"], ["Müller GmbH", "metals", f'says "hi{separator} there"']]
    text = (
        bom
        + ending.join(
            separator.join(
                '"' + c.replace('"', '""') + '"' if separator in c or '"' in c else c for c in r
            )
            for r in rows
        )
        + ending
    )
    path = tmp_path / "s.csv"
    path.write_bytes(text.encode("utf-8"))
    srm("import", "suppliers", str(path), ok=True)
    got = srm("export", "suppliers", "-f", "json", ok=True).json()
    assert [(s["name"], s["category"], s["note"]) for s in got] == [
        ("Müller GmbH", "metals", f'says "hi{separator} there"')
    ]


def test_the_german_excel_sample_never_stores_one_for_a_thousand(srm, tmp_path: Path) -> None:  # noqa: ANN001
    _supplier(srm)
    source = (SAMPLES / "status-report-de.csv").read_bytes() if SAMPLES.is_dir() else None
    lines = [
        ";".join(STATUS_HEADER),
        "4500012345;10;Schraube M8x40 verzinkt;1.000;1.000;10.11.2026;09.11.2026",
        "4500012345;20;Mutter M8;2.500;600;17.11.2026;18.11.2026",
        '4500012399;20;"Sonderteil ""Flansch; DN50""";12,5;0;24.11.2026;',
    ]
    path = tmp_path / "de.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    refused = _error(srm("status", "import", "MU", str(path), "--date", "2026-11-23"))
    assert refused.startswith("Error: line 2: qty_ordered: qty_ordered '1.000' is not accepted")
    assert srm("status", "list", "MU", "-f", "json", ok=True).json() == []
    srm("status", "import", "MU", str(path), "--date", "2026-11-23", "--decimal", ",", ok=True)
    assert [(r["qty_ordered"], r["qty_received"], r["item"]) for r in _lines(srm)] == [
        (1000, 1000, "Schraube M8x40 verzinkt"),
        (2500, 600, "Mutter M8"),
        (12.5, 0, 'Sonderteil "Flansch; DN50"'),
    ]
    if source is not None:  # the sample as a supplier sent it: its header is its own
        (tmp_path / "sample.csv").write_bytes(source)
        refused = _error(srm("status", "import", "MU", str(tmp_path / "sample.csv")))
        assert "no header row found" in refused and "--map" in refused
        maps = [
            "--map", "po=Bestell-Nr.", "--map", "qty_ordered=Bestellmenge",
            "--map", "qty_received=Geliefert", "--map", "promised_date=Bestätigter Termin",
            "--map", "received_date=Wareneingang",
        ]  # fmt: skip
        sample = str(tmp_path / "sample.csv")
        refused = _error(srm("status", "import", "MU", sample, "--date", "2026-11-24", *maps))
        assert "'1.000'" in refused and "--decimal" in refused
        srm("status", "import", "MU", sample, "--date", "2026-11-24", "--decimal", ",", *maps,
            ok=True)  # fmt: skip
        report = srm("status", "show", "MU", "-f", "json", ok=True).json()
        assert [(r["po"], r["qty_ordered"]) for r in report["lines"]][:3] == [
            ("4500012345", 1000), ("4500012345", 2500), ("4500012399", 10000),
        ]  # fmt: skip


def test_a_header_that_does_not_parse_names_the_separator(srm, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "s.csv"
    path.write_text("name;category|note\nAcme;metals|x\n", encoding="utf-8")
    refused = _error(srm("import", "suppliers", str(path)))
    assert "unknown column 'category|note'" in refused
    assert "separated by ';' (semicolon)" in refused


def test_a_file_that_is_not_utf8_is_refused_unless_its_encoding_is_given(
    srm, tmp_path: Path
) -> None:  # noqa: ANN001
    path = tmp_path / "s.csv"
    path.write_bytes("name;note\r\nMüller GmbH;Grüße\r\n".encode("cp1252"))
    refused = _error(srm("import", "suppliers", str(path)))
    assert "not UTF-8" in refused and "CSV UTF-8" in refused and "--encoding cp1252" in refused
    srm("import", "suppliers", str(path), "--encoding", "cp1252", ok=True)
    got = srm("export", "suppliers", "-f", "json", ok=True).json()
    assert [(s["name"], s["note"]) for s in got] == [("Müller GmbH", "Grüße")]
    assert "not an encoding srm knows" in _error(
        srm("import", "suppliers", str(path), "--encoding", "klingon")
    )
    utf16 = tmp_path / "u.csv"
    utf16.write_bytes("name\tnote\r\nAcme\tx\r\n".encode("utf-16"))
    assert "--encoding utf-16" in _error(srm("import", "suppliers", str(utf16)))
    srm("import", "suppliers", str(utf16), "--encoding", "utf-16", ok=True)


def test_a_utf8_file_with_its_byte_order_mark_is_not_read_as_cp1252(srm, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "s.csv"
    path.write_bytes("\ufeffname;note\r\nWeiß AG;Grüße\r\n".encode())
    refused = _error(srm("import", "suppliers", str(path), "--encoding", "cp1252"))
    assert "UTF-8 byte-order mark" in refused and "leave out --encoding cp1252" in refused
    assert "ï»¿" not in refused
    assert srm("export", "suppliers", "-f", "json", ok=True).json() == []
    srm("import", "suppliers", str(path), "--encoding", "utf-8", ok=True)
    got = srm("export", "suppliers", "-f", "json", ok=True).json()
    assert [(s["name"], s["note"]) for s in got] == [("Weiß AG", "Grüße")]


def test_export_bom_writes_a_byte_order_mark_that_import_reads(srm, tmp_path: Path) -> None:  # noqa: ANN001
    srm("supplier", "add", "Müller GmbH", ok=True)
    path = tmp_path / "s.csv"
    srm("export", "suppliers", "--bom", "-o", str(path), ok=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfid,name,")
    srm("--db", str(tmp_path / "o.db"), "import", "suppliers", str(path), ok=True)
    assert "\ufeff" not in exact_text(path)[1:]
    assert "--bom is for CSV" in _error(srm("export", "suppliers", "--bom", "-f", "json"))


# -- numbers and dates ----------------------------------------------------------------------


def test_decimal_says_which_mark_is_the_decimal_one(srm, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "s.csv"
    path.write_text('name;annual_spend\nAcme;"1.234.567,5"\nGlobex;1 000\n', encoding="utf-8")
    refused = _error(srm("import", "suppliers", str(path)))
    assert refused.startswith("Error: line 2: annual_spend: annual_spend '1.234.567,5'")
    srm("import", "suppliers", str(path), "--decimal", ",", ok=True)
    got = {s["name"]: s["annual_spend"] for s in srm("export", "suppliers", "-f", "json").json()}
    assert got == {"Acme": 1234567.5, "Globex": 1000}
    assert "--decimal ';'" in _error(srm("import", "suppliers", str(path), "--decimal", ";"))


def test_a_french_spreadsheet_separates_thousands_with_a_no_break_space(
    srm, tmp_path: Path
) -> None:  # noqa: ANN001
    path = tmp_path / "s.csv"
    path.write_bytes("name;annual_spend\r\nAcme;1\u00a0234,5\r\nGlobex;2\u202f000\r\n".encode())
    refused = _error(srm("import", "suppliers", str(path)))
    assert refused.startswith("Error: line 2: annual_spend: ") and "--decimal" in refused
    srm("import", "suppliers", str(path), "--decimal", ",", ok=True)
    got = {s["name"]: s["annual_spend"] for s in srm("export", "suppliers", "-f", "json").json()}
    assert got == {"Acme": 1234.5, "Globex": 2000}


def test_whole_number_columns_read_thousands_only_when_told(srm, tmp_path: Path) -> None:  # noqa: ANN001
    srm("supplier", "add", "Acme", ok=True)
    path = tmp_path / "s.csv"
    path.write_text('name,cadence_days\nAcme Two,"1,000"\n', encoding="utf-8")
    assert "line 2: cadence_days" in _error(srm("import", "suppliers", str(path)))
    srm("import", "suppliers", str(path), "--decimal", ".", ok=True)
    got = {s["name"]: s["cadence_days"] for s in srm("export", "suppliers", "-f", "json").json()}
    assert got["Acme Two"] == 1000


def test_dotted_dates_are_read_and_slashed_ones_need_a_format(srm, tmp_path: Path) -> None:  # noqa: ANN001
    srm("supplier", "add", "Acme", ok=True)
    path = tmp_path / "f.csv"
    path.write_text("supplier,text,due\nAcme,Dotted,23.11.2026\nAcme,Slashed,03/04/2026\n")
    refused = _error(srm("import", "followups", str(path)))
    assert refused.startswith("Error: line 3: due: due '03/04/2026' is not accepted")
    assert "day-first or month-first" in refused and "--date-format" in refused
    assert srm("followup", "list", "-f", "json", ok=True).json() == []  # all or nothing
    srm("import", "followups", str(path), "--date-format", "%m/%d/%Y", ok=True)
    due = {f["text"]: f["due"] for f in srm("export", "followups", "-f", "json").json()}
    assert due == {"Dotted": "2026-11-23", "Slashed": "2026-03-04"}
    bad = _error(srm("import", "followups", str(path), "--date-format", "%m/%Y"))
    assert "--date-format '%m/%Y' is not accepted" in bad


def test_status_import_reads_slashed_dates_with_a_format(srm, tmp_path: Path) -> None:  # noqa: ANN001
    _supplier(srm)
    path = tmp_path / "us.csv"
    path.write_text(
        ",".join(STATUS_HEADER) + '\nPO-1,1,Bolt,"5,000",0,11/06/2026,\n', encoding="utf-8"
    )
    assert "line 2: qty_ordered" in _error(srm("status", "import", "MU", str(path)))
    refused = _error(srm("status", "import", "MU", str(path), "--decimal", "."))
    assert refused.startswith("Error: line 2: promised_date:") and "--date-format" in refused
    srm("status", "import", "MU", str(path), "--decimal", ".", "--date-format", "%m/%d/%Y",
        "--date", "2026-11-23", ok=True)  # fmt: skip
    assert [(r["qty_ordered"], r["promised_date"]) for r in _lines(srm)] == [(5000, "2026-11-06")]


def test_sheet_is_refused_for_a_csv(srm, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "s.csv"
    path.write_text("name\nAcme\n")
    assert "leave out --sheet" in _error(srm("import", "suppliers", str(path), "--sheet", "x"))


def test_json_imports_are_unchanged(srm, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "s.json"
    path.write_text(json.dumps([{"name": "Acme", "annual_spend": 1.5}]))
    srm("import", "suppliers", str(path), ok=True)
    assert srm("export", "suppliers", "-f", "json").json()[0]["annual_spend"] == 1.5
