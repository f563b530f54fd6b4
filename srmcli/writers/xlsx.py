"""The xlsx writer: a workbook a spreadsheet opens as a table, written with XlsxWriter in
its constant-memory mode (each row goes to disk as it is written), so memory stays flat
however many rows there are.

Cells keep their types: dates and datetimes are date cells with a number format,
numbers are numbers, booleans booleans, and text is always written as text (never read
as a formula, a number or a link), so no formula guard is needed and `srm import` reads
back exactly what was exported. Lists are joined with `;`, as in CSV. The header row is
bold and frozen, with an autofilter, and columns are as wide as their first rows need.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from srmcli import render
from srmcli.errors import InvalidValueError

if TYPE_CHECKING:
    from srmcli.views import View

MOST_ROWS = 1_048_576  # an xlsx sheet's rows, the header's included
MOST_TEXT = 32_767  # characters an xlsx cell holds
_MEASURED_ROWS = 1000  # the rows whose text sets a column's width
_WIDEST = 60
_SHEET_NAME_SPOILERS = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


class Book:
    """One workbook being written to `out` (a binary file or a path); `sheet` adds a
    sheet of records, `close` finishes the file."""

    def __init__(self, out: IO[bytes] | str) -> None:
        import xlsxwriter

        self.workbook = xlsxwriter.Workbook(
            out,
            {
                "constant_memory": True,
                # text stays text: XlsxWriter's own conversions are all off
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "remove_timezone": True,
            },
        )
        self.bold = self.workbook.add_format({"bold": True})
        self.day = self.workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.moment = self.workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.names: set[str] = set()

    def close(self) -> None:
        self.workbook.close()

    def sheet(self, name: str, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
        """A sheet of records (`rows`, keyed by column) under a header of `columns`;
        returns how many rows."""
        return self.sheet_of_rows(name, columns, ([r.get(c) for c in columns] for r in rows))

    def sheet_of_rows(
        self, name: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> int:
        """A sheet of `rows` (values in the order of `columns`; None is an empty cell)
        under a header of `columns`; returns how many rows."""
        sheet = self.workbook.add_worksheet(self._sheet_name(name))
        if not columns:  # nothing known to head it: an empty sheet, not a lone filter
            return 0
        widths = [len(c) for c in columns]
        for c, title in enumerate(columns):
            sheet.write_string(0, c, title, self.bold)
        put = self._writers(sheet, columns)
        last = 0
        numbered = enumerate(rows, 1)
        # the first rows set the widths; the rest (maybe a million) only write
        for last, row in itertools.islice(numbered, _MEASURED_ROWS):
            for c, value in enumerate(row):
                if value is not None:
                    width = put[value.__class__](last, c, value)
                    if width > widths[c]:
                        widths[c] = width
        for last, row in numbered:
            if last >= MOST_ROWS:
                raise InvalidValueError(
                    f"an xlsx sheet holds at most {MOST_ROWS - 1:,} rows and there are more; "
                    "export as csv, or a part at a time (--from, --to, --supplier)"
                )
            for c, value in enumerate(row):
                if value is not None:
                    put[value.__class__](last, c, value)
        for c, width in enumerate(widths):
            sheet.set_column(c, c, min(width, _WIDEST) + 2)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(last, 1), max(len(columns) - 1, 0))
        return last

    def _sheet_name(self, name: str) -> str:
        base = " ".join(name.translate(_SHEET_NAME_SPOILERS).split())[:31].strip("'") or "srm"
        chosen, n = base, 1
        while chosen.casefold() in self.names:
            n += 1
            chosen = f"{base[: 31 - len(str(n)) - 1]} {n}"
        self.names.add(chosen.casefold())
        return chosen

    def _writers(self, sheet: Any, columns: Sequence[str]) -> _Dispatch:
        """How a value of each type is written: one lookup by class per cell (the loop
        over a million rows pays for nothing else). Each returns the cell's width."""
        write_string, write_number = sheet.write_string, sheet.write_number
        write_datetime, write_boolean = sheet.write_datetime, sheet.write_boolean
        day_format, moment_format = self.day, self.moment

        def text(row: int, col: int, value: str) -> int:
            if not value:  # an empty cell, as None
                return 0
            if write_string(row, col, value) == -2:  # XlsxWriter cut it short
                raise InvalidValueError(
                    f"row {row + 1}: {columns[col]}: the text has {len(value):,} characters, "
                    f"more than an xlsx cell holds ({MOST_TEXT:,}); export as csv or json"
                )
            return len(value)

        def number(row: int, col: int, value: Any) -> int:
            write_number(row, col, value)
            return 10

        def decimal(row: int, col: int, value: Decimal) -> int:
            return number(row, col, float(value))

        def moment(row: int, col: int, value: datetime) -> int:
            if value.year < 1900:  # before a spreadsheet's calendar: text, read back alike
                return text(row, col, value.isoformat(timespec="seconds"))
            write_datetime(row, col, value, moment_format)
            return 19

        def day(row: int, col: int, value: date) -> int:
            if value.year < 1900:
                return text(row, col, value.isoformat())
            write_datetime(row, col, value, day_format)
            return 10

        def boolean(row: int, col: int, value: bool) -> int:
            write_boolean(row, col, value)
            return 5

        def listed(row: int, col: int, value: Any) -> int:
            return text(row, col, render.cell(value, guard=False))

        return _Dispatch(
            {
                str: text,
                int: number,
                float: number,
                Decimal: decimal,
                datetime: moment,
                date: day,
                bool: boolean,
                list: listed,
                tuple: listed,
            },
            listed,
        )


CellWriter = Callable[[int, int, Any], int]


class _Dispatch(dict[type, CellWriter]):
    """The cell writers by the value's class; any other class is written as its text."""

    def __init__(self, known: dict[type, CellWriter], other: CellWriter) -> None:
        super().__init__(known)
        self.other = other

    def __missing__(self, cls: type) -> CellWriter:
        for base, write in list(self.items()):
            if issubclass(cls, base):
                self[cls] = write
                return write
        self[cls] = self.other
        return self.other


def _rows(view: View) -> tuple[Iterable[Mapping[str, Any]], list[str]]:
    rows: Any = view.csv_rows if view.csv_rows is not None else view.data
    if isinstance(rows, Mapping):
        rows = [rows]
    if view.columns:
        return rows, list(view.columns)
    return render.peek_columns(iter(rows))


class XlsxWriter:
    names = ("xlsx",)
    extensions = (".xlsx",)
    binary = True

    def write(self, view: View, out: IO[Any], *, to_file: bool = False) -> None:
        book = Book(out)
        # a report of several tables (the scorecard) names a sheet for each, so a
        # spreadsheet gets tables of typed cells rather than one row of nested records
        sheets = view.extra.get("sheets")
        if sheets:
            for name, columns, rows in sheets:
                book.sheet(name, columns, rows)
        elif view.csv_rows is None and isinstance(view.data, Mapping) and _nested(view.data):
            _record_sheets(book, view.name or view.title, view.data)
        else:
            rows, columns = _rows(view)
            book.sheet(view.name or view.title, columns, rows)
        book.close()


def _nested(record: Mapping[str, Any]) -> bool:
    return any(_is_records(v) or isinstance(v, Mapping) for v in record.values())


def _is_records(value: Any) -> bool:
    return isinstance(value, list | tuple) and any(isinstance(v, Mapping) for v in value)


def _record_sheets(book: Book, name: str, record: Mapping[str, Any]) -> None:
    """One record holding records (a scorecard): its plain fields on the first sheet, and
    each part on a sheet of its own, so no cell ever holds a record's text. A part with
    no records (no open issues) still gets its sheet, so the workbook keeps one shape."""

    def is_part(value: Any) -> bool:
        return isinstance(value, Mapping) or (
            isinstance(value, list | tuple) and all(isinstance(v, Mapping) for v in value)
        )

    plain = {k: v for k, v in record.items() if not is_part(v)}
    book.sheet(name, list(plain), [plain])
    for key, value in record.items():
        if isinstance(value, Mapping):
            book.sheet(key, list(value), [value])
        elif is_part(value):
            columns = list(dict.fromkeys(k for row in value for k in row))
            book.sheet(key, columns, value)
