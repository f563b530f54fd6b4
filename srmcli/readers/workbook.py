"""Workbooks as suppliers send them: .xlsx, .xlsm and .ods, read with python-calamine
(the Rust calamine library: one reader for all three, fast, and typed cells).

One sheet is read: the first, or the one `--sheet` names. Its first row that holds
anything names the columns (title rows above a table are the status importer's
business); each row is numbered as the spreadsheet numbers it (`sheet Status, row 7`).
Cells keep their types: a date cell is a `date` (a `datetime` when it has a time), a
number cell a number (an int when it is whole, so `4500012345` stays those digits),
a boolean a bool; empty cells are empty text, as in CSV.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from srmcli.errors import InvalidValueError
from srmcli.readers import HeaderKey, HeaderTest, Row, Table

if TYPE_CHECKING:
    from srmcli.readers import Source

# a whole float above this may not be the integer the spreadsheet showed
_EXACT_WHOLE = 2**53


def read_workbook(
    source: Source,
    *,
    header_key: HeaderKey,
    what: str = "records",
    header_row: HeaderTest | None = None,
) -> Table:
    import python_calamine

    try:
        if source.name != "-" and source.binary.seekable():
            book = python_calamine.CalamineWorkbook.from_path(source.name)
        else:
            source.seekable()
            source.binary.seek(0)
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source.binary.read()))
    except python_calamine.CalamineError as exc:
        raise InvalidValueError(
            f"the workbook cannot be read ({_reason(exc)}); open it in a spreadsheet "
            "program and save it again as .xlsx, or as CSV UTF-8"
        ) from None
    names = list(book.sheet_names)
    if not names:
        raise InvalidValueError("the workbook has no sheets")
    wanted = source.sheet
    if wanted is None:
        name = names[0]
    else:
        matches = [n for n in names if n == wanted] or [
            n for n in names if n.strip().casefold() == wanted.strip().casefold()
        ]
        if len(matches) != 1:
            raise InvalidValueError(
                f"--sheet {wanted!r}: the workbook has no sheet of that name; its sheets: "
                + ", ".join(repr(n) for n in names)
            )
        name = matches[0]
    try:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.iter_rows()
        first_column = sheet.start[1] if sheet.start else 0
    except python_calamine.CalamineError as exc:
        raise InvalidValueError(f"sheet {name}: cannot be read ({_reason(exc)})") from None
    # rows come numbered from the sheet's first row, blank ones included; the header is
    # the first that holds anything, or the first `header_row` accepts (title rows of a
    # supplier's report stand above it)
    number = 0
    header: list[Any] = []
    for cells in rows:
        number += 1
        if any(not _blank(c) for c in cells) and (
            header_row is None or header_row([_header_text(c) for c in cells])
        ):
            header = cells
            break
    columns = [header_key(_header_text(c)) for c in header]
    return Table(
        "xlsx",
        columns if any(c.strip() for c in columns) else [],
        _rows(rows, columns, name, number, first_column),
        header_where=f"sheet {name}, row {number}",
    )


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:120] or type(exc).__name__


def _blank(value: Any) -> bool:
    return value is None or (value.__class__ is str and not value.strip())


def _header_text(value: Any) -> str:
    typed = _typed(value)
    return typed if isinstance(typed, str) else str(typed)


def _typed(value: Any) -> Any:
    """A cell as srm reads it: whole numbers as int; times and durations (which no srm
    column holds) as text; a datetime to the second when it lies within a millisecond
    of one (a spreadsheet keeps time as a fraction of a day, rounded to the second)."""
    cls = value.__class__
    if cls is str or cls is int or cls is bool:
        return value
    if cls is float:
        if value.is_integer() and abs(value) < _EXACT_WHOLE:
            return int(value)
        return value
    if cls is datetime:
        if value.microsecond:  # srm keeps seconds: 11:59:59.9996 is noon
            return (value + timedelta(microseconds=500_000)).replace(microsecond=0)
        return value
    if cls is time:
        return value.isoformat()
    if cls is timedelta:
        return str(value)
    return value


def _rows(
    rows: Iterator[list[Any]], columns: list[str], sheet: str, number: int, first_column: int
) -> Iterator[Row]:
    width = len(columns)
    for cells in rows:
        number += 1
        if all(_blank(c) for c in cells):
            continue
        where = f"sheet {sheet}, row {number}"
        if len(cells) > width and any(not _blank(c) for c in cells[width:]):
            extra = next(i for i in range(width, len(cells)) if not _blank(cells[i]))
            raise InvalidValueError(
                f"{where}: a value in column {_letters(first_column + extra)} has no "
                "header above it; name the column or clear the cell"
            )
        yield Row(where, {n: _typed(c) for n, c in zip(columns, cells, strict=False)})


def _letters(index: int) -> str:
    """A column as a spreadsheet names it (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
