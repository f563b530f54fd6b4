"""Text a journal cannot hold is refused on every input path, with one `Error:` line that
says where (SPEC §13): NUL bytes, lone surrogates, notes and cells over 1 MiB, and the
JSON no record needs (a key twice, nesting past a record's lists, numbers of absurd
length, NaN). Nothing is written when a file is refused, and a file of one huge line is
refused without being read whole."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from srmcli import limits, readers
from srmcli.errors import InvalidValueError

MIB = limits.MOST_TEXT_BYTES
HEAD = "supplier,occurred_at,note\n"
ROW = {"supplier": "Acme", "occurred_at": "2026-11-01"}


def one_error(ran, starts: str) -> None:
    assert ran.exit_code == 1, ran
    assert ran.stderr.startswith(f"Error: {starts}"), ran.stderr
    assert ran.stderr.count("\n") == 1 and "Traceback" not in ran.stderr, ran.stderr


def nothing_logged(srm) -> None:
    assert srm("timeline", "Acme", "-f", "json", ok=True).json() == []


@pytest.fixture
def acme(srm):
    srm("supplier", "add", "Acme", ok=True)
    return srm


def _json(note_text: str) -> str:
    """A JSON array holding one interaction whose note is `note_text` (raw JSON)."""
    return '[{"supplier": "Acme", "occurred_at": "2026-11-01", "note": ' + note_text + "}]"


HOSTILE_FILES = {
    # name: (file text, format, where the error points, what it says)
    "nested 100 000 deep": ("[" * 100_000 + "]" * 100_000, "json", "line 1", "nests deeper"),
    "nested in a record": (_json("[" * 100_000 + "]" * 100_000), "json", "line 1", "nests"),
    "nested in JSON lines": (
        json.dumps(ROW | {"note": "x"}) + "\n" + "[" * 50_000 + "]" * 50_000 + "\n",
        "jsonl",
        "line 2",
        "nests",
    ),  # fmt: skip
    "lists six deep": (_json('"x", "tags": [[[[["a"]]]]]'), "json", "record 1", "levels deep"),
    "a list in a list": (_json('"x", "tags": [["a"]]'), "json", "record 1", "not of lists"),
    "a 5000-digit number": (
        '[{"supplier": "Acme", "occurred_at": "2026-11-01", "note": "x", "duration_min": '
        + "9" * 5000
        + "}]",
        "json",
        "line 1",
        "a number of thousands of digits",
    ),  # fmt: skip
    "a 5000-digit number in JSON lines": (
        json.dumps(ROW | {"note": "x"})[:-1] + ', "duration_min": ' + "9" * 5000 + "}\n",
        "jsonl",
        "line 1",
        "a number of thousands of digits",
    ),  # fmt: skip
    "a number too large": (_json('"x", "tone": 1e999'), "json", "line 1", "too large"),
    "NaN": (_json('"x", "tone": NaN'), "json", "line 1", "NaN is not a JSON number"),
    "a lone surrogate": (
        _json('"a\\ud800b"'),
        "json",
        "record 1: note",
        "a lone surrogate (\\ud800)",
    ),  # fmt: skip
    "a lone surrogate in JSON lines": (
        json.dumps(ROW)[:-1] + ', "note": "a\\udc00b"}\n',
        "jsonl",
        "line 1: note",
        "a lone surrogate",
    ),  # fmt: skip
    "a lone surrogate in a field name": (
        '[{"supplier": "Acme", "occurred_at": "2026-11-01", "no\\ud800te": "x"}]',
        "json",
        "line 1",
        "a field name: a lone surrogate",
    ),  # fmt: skip
    "a NUL escape": (_json('"a\\u0000b"'), "json", "record 1: note", "a NUL byte (\\x00)"),
    "a NUL in a CSV cell": (HEAD + "Acme,2026-11-01,a\x00b\n", "csv", "line 2: note", "a NUL byte"),
    "a NUL in a CSV header": ("supplier,occurred_at,no\x00te\n", "csv", "line 1", "a column name"),
    "a NUL in JSON lines": (
        json.dumps(ROW | {"note": "a\x00b"}) + "\n",
        "jsonl",
        "line 1: note",
        "a NUL byte",
    ),  # fmt: skip
    "a key twice": (_json('"x", "note": "y"'), "json", "line 1", "the field 'note' appears twice"),
    "a key twice in JSON lines": (
        json.dumps(ROW | {"note": "x"}) + '\n{"supplier": "Acme", "note": "x", "note": "y"}\n',
        "jsonl",
        "line 2",
        "appears twice",
    ),  # fmt: skip
    "an array that does not end": (_json('"x"')[:-1], "json", "line 1", "not valid JSON"),
    "text after the array": (_json('"x"') + " x", "json", "line 1", "more text after"),
}


@pytest.mark.parametrize("name", list(HOSTILE_FILES))
def test_a_hostile_file_is_one_error_naming_its_place(acme, tmp_path: Path, name: str) -> None:
    text, fmt, where, says = HOSTILE_FILES[name]
    path = tmp_path / f"hostile.{fmt}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    ran = acme("import", "interactions", str(path), "-f", fmt)
    one_error(ran, f"{where}")
    assert says in ran.stderr
    nothing_logged(acme)


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_a_cell_over_1_mib_is_refused_and_one_of_1_mib_is_taken(acme, tmp_path, fmt) -> None:
    # 1 MiB in UTF-8 bytes: two-byte characters count twice
    fits, over = "ü" * (MIB // 2), "ü" * (MIB // 2) + "x"

    def file_of(note: str) -> Path:
        path = tmp_path / f"notes.{fmt}"
        record = ROW | {"note": note}
        if fmt == "csv":
            path.write_text(HEAD + f"Acme,2026-11-01,{note}\n", encoding="utf-8")
        elif fmt == "json":
            path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
        else:
            path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    ran = acme("import", "interactions", str(file_of(over)))
    one_error(ran, "line 2: note: " if fmt == "csv" else "")
    assert "longer than 1 MiB (1,048,577 bytes)" in ran.stderr
    nothing_logged(acme)
    acme("import", "interactions", str(file_of(fits)), ok=True)
    assert [len(i["note"]) for i in acme("timeline", "Acme", "-f", "json", ok=True).json()] == [
        MIB // 2
    ]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_of_a_note_of_the_largest_size_imports_back(acme, tmp_path, fmt) -> None:
    # the formula guard adds a quote to the exported cell: it still fits on the way back
    note = "=" + "n" * (MIB - 2) + "\t"
    path = tmp_path / "note.txt"
    path.write_text(note, encoding="utf-8")
    acme("log", "Acme", "--date", "2026-11-01", input=note, ok=True)
    out = tmp_path / f"all.{fmt}"
    acme("export", "interactions", "-f", fmt, "-o", str(out), ok=True)
    other = ("--db", str(tmp_path / "other.db"))
    acme(*other, "supplier", "add", "Acme", ok=True)
    acme(*other, "import", "interactions", str(out), ok=True)
    moved = acme(*other, "timeline", "Acme", "-f", "json", ok=True).json()
    assert [m["note"] for m in moved] == [note]


class _Endless(io.RawIOBase):
    """A file of `size` bytes that are made as they are read, counting what was read."""

    def __init__(self, head: bytes, size: int, fill: bytes = b"x") -> None:
        self.head, self.size, self.given = head, size, 0
        self.fill = fill * (1 + (1 << 16) // len(fill))

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = min(len(buffer), self.size - self.given)
        start = self.given
        data = self.head[start : start + n] if start < len(self.head) else b""
        while len(data) < n:
            data += self.fill[: n - len(data)]
        buffer[:n] = data
        self.given += n
        return n


@pytest.mark.parametrize(
    ("fmt", "head"),
    [
        ("csv", b'supplier,occurred_at,note\nAcme,2026-11-01,"'),  # one quoted cell
        ("csv", b"supplier,occurred_at,note\nAcme,2026-11-01,"),  # one line, unquoted
        ("json", b'[{"supplier": "Acme", "note": "'),
        ("jsonl", b'{"supplier": "Acme", "note": "'),
    ],
)
def test_a_200_mb_cell_is_refused_after_reading_a_few_mib(fmt: str, head: bytes) -> None:
    raw = _Endless(head, 200 << 20)
    source = readers.Source(io.BufferedReader(raw), None, "big")
    with pytest.raises(InvalidValueError, match="^line [12]: .*1 MiB") as refused:
        table = readers.rows_from_file(source.text, fmt)
        list(table.rows)
    assert "\n" not in str(refused.value)
    assert raw.given < 2 * limits.MOST_RECORD_CHARS  # not the 200 MB


def test_a_cell_spread_over_many_lines_stops_at_1_mib() -> None:
    raw = _Endless(b'supplier,note\nAcme,"', 200 << 20, fill=b"y" * 99 + b"\n")
    source = readers.Source(io.BufferedReader(raw), None, "big")
    with pytest.raises(InvalidValueError, match=r"^line 2: a cell: the text is longer than 1 MiB"):
        list(readers.rows_from_file(source.text, "csv").rows)
    assert raw.given < 4 * MIB


# -- srm log and the other paths ----------------------------------------------------


def test_a_note_on_stdin_holding_nul_is_refused(acme) -> None:
    ran = acme("log", "Acme", input="before\x00after\n")
    one_error(ran, "the note on standard input: a NUL byte (\\x00)")
    nothing_logged(acme)


def test_a_note_on_stdin_over_1_mib_is_refused_and_one_of_1_mib_is_kept(acme) -> None:
    one_error(acme("log", "Acme", input="n" * (MIB + 1) + "\n"), "the note on standard input: ")
    nothing_logged(acme)
    acme("log", "Acme", input="n" * MIB + "\n\n", ok=True)
    assert [len(i["note"]) for i in acme("timeline", "Acme", "-f", "json", ok=True).json()] == [MIB]


def test_a_huge_pipe_is_not_read_to_its_end(acme, monkeypatch) -> None:
    import sys

    from srmcli.cli.common import read_stdin

    raw = _Endless(b"", 200 << 20)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(raw)))
    with pytest.raises(InvalidValueError, match="longer than 1 MiB"):
        read_stdin("the note on standard input")
    assert raw.given < 2 * MIB


@pytest.mark.parametrize(
    "args",
    [
        ["log", "Acme", "a\x00b"],
        ["supplier", "add", "Nul\x00Co"],
        ["issue", "open", "Acme", "quality", "bad\x00part"],
        ["log", "Acme", "a\udcffb"],  # an undecodable byte of a command line
    ],
)
def test_an_argument_holding_nul_or_a_surrogate_is_refused(acme, args) -> None:
    ran = acme(*args)
    one_error(ran, "argument ")
    assert srm_has_only_acme(acme)


def srm_has_only_acme(srm) -> bool:
    names = [s["name"] for s in srm("supplier", "list", "-f", "json", ok=True).json()]
    issues = srm("issue", "list", "-f", "json", ok=True).json()
    return names == ["Acme"] and issues == [] and not srm("timeline", "Acme", "-f", "json").json()


def test_the_editor_s_note_holding_nul_is_refused(acme, tmp_path, monkeypatch) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'wb').write(b'typed\\x00here')\n")
    import sys

    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    ran = acme("log", "Acme", "--edit")
    one_error(ran, "the note the editor saved: a NUL byte")
    nothing_logged(acme)


def test_a_status_report_holding_nul_is_refused(acme, tmp_path) -> None:
    path = tmp_path / "report.csv"
    path.write_text(
        "po,line,item,qty_ordered,qty_received,promised_date,received_date\n"
        "PO1,1,bolt\x00s,10,0,2026-12-01,\n"
    )
    one_error(acme("status", "import", "Acme", str(path)), "line 2: item: a NUL byte")
    assert acme("status", "list", "Acme", "-f", "json", ok=True).json() == []


# -- names are one line -------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["supplier", "add", "Tab\tCo"], "the supplier name holds a tab"),
        (["supplier", "add", "Line\nCo"], "the supplier name holds a newline"),
        (
            ["supplier", "add", "Esc\x1b[2JCo"],
            "the supplier name holds the control character \\x1b",
        ),  # fmt: skip
        (["supplier", "add", "Ok", "--alias", "o\nk"], "the alias holds a newline"),
        (["supplier", "add", "Ok", "--tag", "a\x07b"], "the tag holds the control character \\x07"),
        (["supplier", "add", "Ok", "--category", "metal\tparts"], "the category holds a tab"),
        (["supplier", "edit", "Acme", "--category", "x\x1by"], "the category holds the control"),
        (["contact", "add", "Acme", "Pat\tLee", "--role", "sales"], "the contact name holds a tab"),
        (
            ["contact", "add", "Acme", "Pat", "--role", "sales", "--title", "Head\nof"],
            "the title holds a newline",
        ),  # fmt: skip
        (["log", "Acme", "fine", "--tag", "x\ty"], "the tag holds a tab"),
        (["sourcing", "new", "Second\u2028source"], "the project name holds the line separator"),
    ],
)
def test_names_tags_titles_and_categories_refuse_control_characters(acme, args, what) -> None:
    ran = acme(*args)
    one_error(ran, what)
    assert srm_has_only_acme(acme)


def test_names_in_an_import_refuse_control_characters_with_their_line(acme, tmp_path) -> None:
    path = tmp_path / "s.csv"
    path.write_text('name,tags\nGood Co,a\n"Bad\tCo",b\n')
    one_error(acme("import", "suppliers", str(path)), "line 3: name: the supplier name holds a tab")
    assert srm_has_only_acme(acme)


def test_notes_descriptions_and_resolutions_keep_newlines_and_tabs(acme) -> None:
    acme("log", "Acme", "first\n\tindented\nlast", ok=True)
    acme("issue", "open", "Acme", "quality", "cracked\n\tthree parts", ok=True)
    assert acme("timeline", "Acme", "-f", "json", ok=True).json()[0]["note"] == (
        "first\n\tindented\nlast"
    )
    issue = acme("issue", "list", "-f", "json", ok=True).json()[0]
    assert issue["description"] == "cracked\n\tthree parts"
    acme("issue", "resolve", str(issue["id"]), "--note", "re-made\n\tand checked", ok=True)
    resolved = acme("issue", "list", "--status", "all", "-f", "json", ok=True).json()[0]
    assert resolved["resolution"] == "re-made\n\tand checked"
