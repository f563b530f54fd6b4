"""CSV as spreadsheets and `srm export` write it: the first row names the columns, a
record is numbered by the line it starts on (a quoted note may span lines), and rows of
empty cells (what spreadsheets leave at the end) are passed over."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO, Any

from srmcli.errors import InvalidValueError
from srmcli.readers import HeaderKey, HeaderTest, Row, Table

FIELD_LIMIT = 1 << 26  # a pasted e-mail in a note can exceed csv's 128 KiB default


def read_csv(
    source: IO[str],
    *,
    header_key: HeaderKey,
    what: str = "records",
    header_row: HeaderTest | None = None,
) -> Table:
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(source, dialect="excel", strict=True)
    header = _header(reader, header_row)
    names = [header_key(cell) for cell in header]
    return Table("csv", names if any(n.strip() for n in names) else [], _records(reader, names))


def _header(reader: Any, header_row: HeaderTest | None) -> list[str]:
    """The first row, or the first one `header_row` accepts (none: an empty header)."""
    while True:
        start = reader.line_num + 1
        try:
            cells: list[str] = next(reader)
        except StopIteration:
            return []
        except csv.Error as exc:
            raise InvalidValueError(
                f"line {start}: cannot read the header ({exc}); check its quotes"
            ) from None
        if header_row is None or header_row(cells):
            return cells


def _records(reader: Any, names: list[str]) -> Iterator[Row]:
    last = reader.line_num
    while True:
        start = last + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InvalidValueError(
                f"line {start}: cannot read this CSV row ({exc}); check its quotes"
            ) from None
        last = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(names):
            raise InvalidValueError(
                f"line {start}: the row has {len(record)} cells but the header has "
                f"{len(names)} columns; quote any value that holds a comma"
            )
        yield Row(f"line {start}", dict(zip(names, record, strict=False)))
