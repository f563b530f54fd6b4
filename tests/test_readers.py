"""The one way files are read (`srmcli.readers`): the format told by the content, rows
keyed by column, each row knowing its place in the file, and one refusal for text that
is not UTF-8."""

from __future__ import annotations

import io

import pytest

from srmcli import readers
from srmcli.errors import InvalidValueError


def _source(data: bytes, name: str = "file") -> readers.Source:
    return readers.Source(io.BufferedReader(io.BytesIO(data)), len(data), name)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"name,size\nAcme,large\n", "suppliers.csv", "csv"),
        (b'[{"name": "Acme"}]', "suppliers.csv", "json"),  # the content, not the name
        (b'\xef\xbb\xbf  \r\n[{"name": "Acme"}]', "x", "json"),  # a BOM and blank lines first
        (b'{"name": "Acme"}\n{"name": "Globex"}\n', "suppliers.txt", "jsonl"),
        (b'{"name": "Acme"}', "suppliers.json", "json"),  # one object in a .json: refused later
        (b'[{"name": "Acme"}]', "suppliers.jsonl", "json"),
        (b"", "suppliers.jsonl", "jsonl"),  # nothing to tell by: the name decides
        (b"", "suppliers", "csv"),
    ],
)
def test_the_format_is_told_by_the_content(data: bytes, name: str, expected: str) -> None:
    assert _source(data, name).detect_format() == expected


def test_an_explicit_format_wins_and_an_unknown_one_is_refused() -> None:
    assert _source(b"[]", "x.json").detect_format("csv") == "csv"
    assert _source(b"", "x").detect_format("NDJSON") == "jsonl"
    with pytest.raises(InvalidValueError, match="accepted: csv, json, jsonl"):
        _source(b"", "x").detect_format("xml")


def test_csv_rows_are_keyed_by_the_header_and_numbered_by_their_first_line() -> None:
    text = 'Name , Note\r\nAcme,"two\r\nlines"\r\n,\r\nGlobex,plain\r\n'
    table = readers.rows_from_file(
        io.StringIO(text, newline=""), "csv", header_key=lambda h: h.strip().lower()
    )
    assert table.header == ["name", "note"]
    rows = list(table.rows)
    assert [(r.where, r.cells) for r in rows] == [
        ("line 2", {"name": "Acme", "note": "two\r\nlines"}),
        ("line 5", {"name": "Globex", "note": "plain"}),  # the row of empty cells is passed
    ]


def test_a_row_wider_than_its_header_is_refused_with_its_line() -> None:
    table = readers.rows_from_file(io.StringIO("a,b\n1,2\n1,2,3\n"), "csv")
    with pytest.raises(InvalidValueError, match="^line 3: the row has 3 cells but the header"):
        list(table.rows)


def test_json_and_json_lines_name_each_record() -> None:
    table = readers.rows_from_file(io.StringIO('[{"A": 1}, {"A": 2}]'), "json")
    assert table.header is None
    assert [(r.where, r.cells) for r in table.rows] == [
        ("record 1", {"A": 1}),
        ("record 2", {"A": 2}),
    ]
    table = readers.rows_from_file(io.StringIO('{"a": 1}\n\n[3]\n'), "jsonl")
    rows = table.rows
    assert next(rows).where == "line 1"
    with pytest.raises(InvalidValueError, match="^line 3: expected an object"):
        next(rows)
    with pytest.raises(InvalidValueError, match="an array of issues records"):
        readers.rows_from_file(io.StringIO('{"a": 1}'), "json", what="issues records")


def test_text_that_is_not_utf8_is_one_refusal_wherever_it_is_met() -> None:
    early = "name\nM\xfcller\n".encode("latin-1")
    late = b"name\n" + b"Acme\n" * 20_000 + "M\xfcller\n".encode("latin-1")  # past a buffer
    for data in (early, late):
        source = _source(data)
        with pytest.raises(InvalidValueError, match="^the file is not UTF-8 text"):
            list(readers.rows_from_file(source.text, source.detect_format()).rows)


def test_a_byte_order_mark_is_not_part_of_the_first_column() -> None:
    source = _source(b"\xef\xbb\xbfname\nAcme\n")
    table = readers.rows_from_file(source.text, source.detect_format())
    assert table.header == ["name"]
    assert [r.cells for r in table.rows] == [{"name": "Acme"}]


def test_status_import_and_record_import_read_json_too(srm, tmp_path) -> None:
    srm("supplier", "add", "Acme", ok=True)
    lines = tmp_path / "report.data"  # no telling extension: the content says JSON
    lines.write_text(
        '[{"po": "4411", "line": "1", "item": "Bolts", "qty_ordered": 10, "qty_received": 0,'
        ' "promised_date": "2026-11-20", "received_date": null}]'
    )
    r = srm("status", "import", "Acme", str(lines), "-f", "json")
    assert r.exit_code == 0, r
    assert r.json()["late"][0]["po"] == "4411"
    people = tmp_path / "people.txt"
    people.write_text('{"supplier": "Acme", "name": "Alice", "role": "sales"}\n')
    assert srm("import", "contacts", str(people), ok=True)
    assert [c["name"] for c in srm("contact", "list", "-f", "json").json()] == ["Alice"]
