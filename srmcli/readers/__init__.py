"""Readers: every file srm imports is read through `rows_from_file`.

Modelled on sqlite-utils' `rows_from_file(fp, format=None) -> (rows, format)`: the format
is told by the file's content (an explicit `-f` wins), a reader turns the file into rows
keyed by column, and each row knows where it stands in the file (`line 7`, `record 3`)
so that every refusal can say so. Imports of records, status reports and (later)
spreadsheets, calendars, mail and address books all read through here; adding a format
is one module and one line in `_READERS`.

A reader is given the file as text (UTF-8, a byte-order mark dropped, newlines as
written) and yields rows lazily, so memory stays flat however long the file is.
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
}
FORMATS = tuple(_READERS)


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


HeaderKey = Callable[[str], str]


def rows_from_file(
    source: IO[str], fmt: str, *, header_key: HeaderKey | None = None, what: str = "records"
) -> Table:
    """The rows of `source` in format `fmt`. `header_key` turns each column name as
    written into the name the rows are keyed by (e.g. folding case); `what` names the
    records in messages ("issues records")."""
    target = _READERS.get(fmt)
    if target is None:
        raise InvalidValueError(f"unknown file format {fmt!r}; accepted: {', '.join(FORMATS)}")
    module, _, name = target.partition(":")
    read: Callable[..., Table] = getattr(importlib.import_module(module), name)
    try:
        table = read(source, header_key=header_key or (lambda name: name), what=what)
    except UnicodeDecodeError:
        raise _not_utf8() from None
    from srmcli.readers import guards

    if table.header:
        guards.check_names(table.header, "line 1")
    table.rows = _decoded(table.rows)
    return table


def _not_utf8() -> InvalidValueError:
    return InvalidValueError(
        "the file is not UTF-8 text; save it as UTF-8 (in Excel: CSV UTF-8) and try again"
    )


def _decoded(rows: Iterator[Row]) -> Iterator[Row]:
    """The rows, each refused when it holds text no journal may (`readers.guards`)."""
    from srmcli.readers.guards import check_cells

    try:
        for row in rows:
            check_cells(row.where, row.cells)
            yield row
    except UnicodeDecodeError:
        raise _not_utf8() from None


@dataclass
class Source:
    """A file to read (or standard input) as UTF-8 text, with a byte position."""

    binary: IO[bytes]
    size: int | None
    name: str = "-"
    text: io.TextIOWrapper = field(init=False)

    def __post_init__(self) -> None:
        # utf-8-sig drops the byte-order mark spreadsheet programs put in front;
        # newline="" lets the csv module see quoted \r and \r\n exactly as written
        self.text = io.TextIOWrapper(self.binary, encoding="utf-8-sig", newline="")

    def position(self) -> int:
        """Bytes consumed so far, for a progress bar (0 when the input cannot tell)."""
        try:
            return self.binary.tell()
        except (OSError, ValueError):
            return 0

    def detect_format(self, fmt: str | None = None) -> str:
        """`fmt` when given; else told by the content: a JSON array, JSON lines (one
        object a line), or else CSV. The name's extension decides only what the content
        cannot tell (an empty file, or an object in a file named .json)."""
        if fmt:
            return _checked_format(fmt)
        head = _peek(self.binary)
        if head is None:  # a stream that cannot be peeked at: go by the name
            return _by_name(self.name)
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


def _checked_format(fmt: str) -> str:
    value = fmt.strip().lower()
    if value == "ndjson":
        value = "jsonl"
    if value not in _READERS:
        raise InvalidValueError(
            f"unknown import format {fmt!r}; accepted: {', '.join(FORMATS)} "
            "(or leave out -f: the file's content tells)"
        )
    return value


def _by_name(name: str) -> str:
    suffix = Path(name).suffix.lower() if name != "-" else ""
    return {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(suffix, "csv")


def _peek(binary: IO[bytes]) -> bytes | None:
    peek = getattr(binary, "peek", None)
    if peek is None:
        return None
    try:
        return bytes(peek(512)[:512])
    except (OSError, ValueError):
        return None


@contextmanager
def open_source(path: str) -> Iterator[Source]:
    """The file to read, `-` meaning standard input."""
    if path == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:
            raise InvalidValueError("standard input cannot be read as bytes here")
        if not hasattr(stdin, "peek"):
            stdin = io.BufferedReader(stdin)  # type: ignore[arg-type]
        source = Source(stdin, None, "-")
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
        source = Source(binary, size, str(target))
        try:
            yield source
        finally:
            source.text.detach()
