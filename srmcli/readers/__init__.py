"""Readers: every file srm imports is read through `rows_from_file`.

Modelled on sqlite-utils' `rows_from_file(fp, format=None) -> (rows, format)`: the format
is told by the file's content (an explicit `-f` wins), a reader turns the file into rows
keyed by column, and each row knows where it stands in the file (`line 7`, `record 3`,
`sheet Status, row 7`) so that every refusal can say so. Imports of records, status
reports, spreadsheets and (later) calendars, mail and address books all read through
here; adding a format is one module and one line in `_READERS`.

A text reader is given the file as text (UTF-8 unless `--encoding` says otherwise, a
byte-order mark dropped, newlines as written) and yields rows lazily, so memory stays
flat however long the file is. A workbook reader (`_WORKBOOKS`) is given the `Source`
itself: a zip archive is no text.
"""

from __future__ import annotations

import importlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from srmcli.errors import InvalidValueError

# format name -> "module:function"; a module is imported on first use
_READERS: dict[str, str] = {
    "csv": "srmcli.readers.delimited:read_csv",
    "json": "srmcli.readers.records:read_json",
    "jsonl": "srmcli.readers.records:read_jsonl",
    "xlsx": "srmcli.readers.workbook:read_workbook",
    "ods": "srmcli.readers.workbook:read_workbook",
}
FORMATS = tuple(_READERS)
# formats read from the file's bytes (the `Source`), not from its text
_WORKBOOKS = frozenset({"xlsx", "ods"})
_ALIASES = {"ndjson": "jsonl", "xlsm": "xlsx"}
ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls), Word .doc, ...
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_MARK = b"\xef\xbb\xbf"


@dataclass
class Row:
    """One row of a file: where it stands (for errors) and its cells by column name."""

    where: str
    cells: dict[str, Any]


@dataclass
class Table:
    """What a reader read: the format, the header of a tabular file (None for JSON,
    whose records name their own fields), and the rows, read lazily."""

    format: str
    header: list[str] | None
    rows: Iterator[Row]
    # the separator of a delimited file (told by its header line), for messages
    separator: str | None = None
    # where the header stands, for a refusal of its columns
    header_where: str = "line 1"

    def read_as(self) -> str:
        """How the header was split, for a refusal of its columns: the separator is the
        usual culprit when a spreadsheet saved the file with another one."""
        if self.separator is None or self.header is None:
            return ""
        return (
            f" (the header line was read as {len(self.header)} "
            f"column{'s' if len(self.header) != 1 else ''} separated by "
            f"{SEPARATOR_NAMES.get(self.separator, repr(self.separator))})"
        )


SEPARATOR_NAMES = {",": "',' (comma)", ";": "';' (semicolon)", "\t": "tabs", "|": "'|' (bar)"}


HeaderKey = Callable[[str], str]
HeaderTest = Callable[[list[Any]], bool]
"""Whether a row of a tabular file is its header row (the cells as read)."""


def rows_from_file(
    source: Source | IO[str],
    fmt: str,
    *,
    header_key: HeaderKey | None = None,
    what: str = "records",
    header_row: HeaderTest | None = None,
) -> Table:
    """The rows of `source` in format `fmt`. `header_key` turns each column name as
    written into the name the rows are keyed by (e.g. folding case); `what` names the
    records in messages ("issues records"). A workbook format needs the `Source` (its
    bytes); a text format reads the Source's text, or a text stream given directly.
    `header_row`, for files whose header may follow title or blank rows (a supplier's
    status report), picks the header: the first row it accepts; the rows before it are
    passed over, and when it accepts none the table has an empty header and no rows.
    Without it the first row is the header."""
    target = _READERS.get(fmt)
    if target is None:
        raise InvalidValueError(f"unknown file format {fmt!r}; accepted: {', '.join(FORMATS)}")
    module, _, name = target.partition(":")
    read: Callable[..., Table] = getattr(importlib.import_module(module), name)
    encoding = "utf-8"
    if fmt in _WORKBOOKS:
        if not isinstance(source, Source):
            raise InvalidValueError(f"a {fmt} workbook is read from a file, not from text")
        given: Any = source
    else:
        if isinstance(source, Source):
            if source.sheet is not None:
                raise InvalidValueError(
                    f"--sheet {source.sheet!r} names a sheet of a workbook, but the file is "
                    f"{fmt.upper()}; leave out --sheet"
                )
            encoding = source.encoding or "utf-8"
            given = source.text
        else:
            given = source
    try:
        options: dict[str, Any] = {"header_row": header_row} if header_row is not None else {}
        table = read(given, header_key=header_key or (lambda name: name), what=what, **options)
    except UnicodeDecodeError:
        raise _not_decoded(encoding) from None
    from srmcli.readers import guards

    if table.header:
        guards.check_names(table.header, table.header_where)
    table.format = fmt
    table.rows = _decoded(table.rows, encoding)
    return table


def _not_decoded(encoding: str) -> InvalidValueError:
    if encoding.replace("-", "").replace("_", "").lower() in ("utf8", "utf8sig"):
        return InvalidValueError(
            "the file is not UTF-8 text; save it as UTF-8 (in Excel: Save As, CSV UTF-8) "
            "and import it again, or name the encoding it was saved in with --encoding "
            "(e.g. --encoding cp1252 for a CSV from Excel on Windows)"
        )
    return InvalidValueError(
        f"the file is not {encoding} text (a byte has no meaning in {encoding}); give the "
        "encoding it was saved in with --encoding, or save it as UTF-8"
    )


def _decoded(rows: Iterator[Row], encoding: str = "utf-8") -> Iterator[Row]:
    """The rows, each refused when it holds text no journal may (`readers.guards`)."""
    from srmcli.readers.guards import check_cells

    try:
        for row in rows:
            check_cells(row.where, row.cells)
            yield row
    except UnicodeDecodeError:
        raise _not_decoded(encoding) from None


def checked_encoding(name: str) -> str:
    """An `--encoding` name Python knows (`cp1252`, `latin-1`, `utf-16`), as given;
    UTF-8 is read with or without a byte-order mark."""
    import codecs

    cleaned = (name or "").strip()
    try:
        found = codecs.lookup(cleaned).name
    except LookupError:
        raise InvalidValueError(
            f"--encoding {name!r} is not an encoding srm knows; give one such as utf-8, "
            "cp1252 (Windows Western Europe), latin-1, utf-16 or mac-roman"
        ) from None
    return "utf-8-sig" if found in ("utf-8", "utf-8-sig") else found


@dataclass
class Source:
    """A file to read (or standard input) as text (UTF-8 unless `encoding`), with a byte
    position; `sheet` is the sheet of a workbook to read (default the first)."""

    binary: IO[bytes]
    size: int | None
    name: str = "-"
    encoding: str | None = None
    sheet: str | None = None
    text: io.TextIOWrapper = field(init=False)

    def __post_init__(self) -> None:
        # utf-8-sig drops the byte-order mark spreadsheet programs put in front;
        # newline="" lets the csv module see quoted \r and \r\n exactly as written
        self.text = io.TextIOWrapper(self.binary, encoding=self.encoding or "utf-8-sig", newline="")

    def position(self) -> int:
        """Bytes consumed so far, for a progress bar (0 when the input cannot tell)."""
        try:
            return self.binary.tell()
        except (OSError, ValueError):
            return 0

    def detect_format(self, fmt: str | None = None) -> str:
        """`fmt` when given; else told by the content: a workbook (a zip archive whose
        content types say spreadsheet), a JSON array, JSON lines (one object a line), or
        else CSV. The name's extension decides only what the content cannot tell (an
        empty file, or an object in a file named .json)."""
        if fmt:
            return _checked_format(fmt)
        head = _peek(self.binary)
        if head is None:  # a stream that cannot be peeked at: go by the name
            return _by_name(self.name)
        if head.startswith(ZIP_MAGIC):
            return self._workbook_format()
        if head.startswith(_OLE_MAGIC):
            raise InvalidValueError(
                "the file is an Excel 97-2003 workbook (.xls) or another old Office file; "
                "save it as .xlsx (Excel Workbook) or CSV UTF-8 and import that"
            )
        if self.encoding not in (None, "utf-8-sig") and head.startswith(_UTF8_MARK):
            # read as cp1252 the mark would become the first header's `ï»¿`
            raise InvalidValueError(
                "the file begins with a UTF-8 byte-order mark, so it is UTF-8 text; "
                f"leave out --encoding {self.encoding}"
            )
        if self.encoding is None and head.startswith(_UTF16_MARKS):
            raise InvalidValueError(
                "the file is UTF-16 text (Excel's 'Unicode Text'); save it as CSV UTF-8, "
                "or read it as it is with --encoding utf-16"
            )
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if start.startswith(b"["):
            return "json"
        if start.startswith(b"{"):
            # one object a line, unless the name says it is one JSON document (which
            # then must be an array, and is refused as such)
            return "json" if _by_name(self.name) == "json" else "jsonl"
        if not start:
            return _by_name(self.name)
        return "csv"

    def _workbook_format(self) -> str:
        """xlsx/xlsm or ods, told by the archive's content types (an OpenDocument file
        names its type in a first entry called `mimetype`; an Office Open XML file lists
        its parts in `[Content_Types].xml`)."""
        import zipfile

        self.seekable()
        try:
            with zipfile.ZipFile(self.binary) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    kind = archive.read("mimetype").decode("ascii", "replace").strip()
                    if kind.startswith("application/vnd.oasis.opendocument.spreadsheet"):
                        return "ods"
                    raise InvalidValueError(
                        f"the file is an OpenDocument file of type {kind!r}, not a "
                        "spreadsheet; give an .ods, .xlsx or .xlsm workbook, or a CSV file"
                    )
                if "[Content_Types].xml" in names:
                    types = archive.read("[Content_Types].xml")
                    if b"spreadsheetml" in types or b"ms-excel.sheet" in types:
                        return "xlsx"
                    raise InvalidValueError(
                        "the file is an Office document but not a workbook (a Word or "
                        "PowerPoint file?); give an .xlsx, .xlsm or .ods workbook, or a CSV file"
                    )
        except zipfile.BadZipFile:
            raise InvalidValueError(
                "the file starts like a zip archive but cannot be opened as one (cut short?); "
                "give an .xlsx, .xlsm or .ods workbook, or a CSV file"
            ) from None
        finally:
            self.binary.seek(0)
        raise InvalidValueError(
            "the file is a zip archive, not a workbook; give an .xlsx, .xlsm or .ods "
            "workbook, or a CSV file"
        )

    def seekable(self) -> None:
        """Make the bytes seekable (standard input is read into memory): a zip archive
        is read from its end."""
        try:
            if self.binary.seekable():
                return
        except (OSError, ValueError):
            pass
        data = self.binary.read()
        self.text.detach()
        self.binary = io.BufferedReader(io.BytesIO(data))  # type: ignore[arg-type]
        self.size = len(data)
        self.__post_init__()


def _checked_format(fmt: str) -> str:
    value = fmt.strip().lower()
    value = _ALIASES.get(value, value)
    if value not in _READERS:
        raise InvalidValueError(
            f"unknown import format {fmt!r}; accepted: {', '.join(FORMATS)} "
            "(or leave out -f: the file's content tells)"
        )
    return value


def _by_name(name: str) -> str:
    suffix = Path(name).suffix.lower() if name != "-" else ""
    return {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(suffix, "csv")


def is_workbook(fmt: str) -> bool:
    return fmt in _WORKBOOKS


def _peek(binary: IO[bytes]) -> bytes | None:
    peek = getattr(binary, "peek", None)
    if peek is None:
        return None
    try:
        return bytes(peek(512)[:512])
    except (OSError, ValueError):
        return None


@contextmanager
def open_source(
    path: str, *, encoding: str | None = None, sheet: str | None = None
) -> Iterator[Source]:
    """The file to read, `-` meaning standard input; `encoding` (`--encoding`) as checked
    by `checked_encoding`, `sheet` (`--sheet`) the sheet of a workbook."""
    if encoding is not None:
        encoding = checked_encoding(encoding)
    if path == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:
            raise InvalidValueError("standard input cannot be read as bytes here")
        if not hasattr(stdin, "peek"):
            stdin = io.BufferedReader(stdin)  # type: ignore[arg-type]
        source = Source(stdin, None, "-", encoding, sheet)
        try:
            yield source
        finally:
            source.text.detach()  # leave standard input open for the caller
        return
    target = Path(path).expanduser()
    try:
        binary = target.open("rb")
    except FileNotFoundError:
        raise InvalidValueError(
            f"cannot read {target}: no such file; give a file path, or - for standard input"
        ) from None
    except IsADirectoryError:
        raise InvalidValueError(f"{target} is a folder; give the file to read") from None
    except OSError as exc:
        raise InvalidValueError(f"cannot read {target}: {exc.strerror}") from None
    with binary:
        size = os.fstat(binary.fileno()).st_size
        source = Source(binary, size, str(target), encoding, sheet)
        try:
            yield source
        finally:
            source.text.detach()
