"""CSV as spreadsheets and `srm export` write it: the first row names the columns, a
record is numbered by the line it starts on (a quoted note may span lines), and rows of
empty cells (what spreadsheets leave at the end) are passed over."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO, Any

from srmcli import limits
from srmcli.errors import InvalidValueError
from srmcli.readers import HeaderKey, Row, Table, guards

# A cell holds at most 1 MiB (SPEC §13): the csv module stops a longer one as it reads
# it, and a line longer than a record is stopped by `guards.lines`, so a 200 MB cell is
# refused without being read whole. A few characters over 1 MiB leave room for the
# formula guard of an exported note of exactly 1 MiB; `guards` checks the exact size.
FIELD_LIMIT = limits.MOST_TEXT_BYTES + 16


def read_csv(source: IO[str], *, header_key: HeaderKey, what: str = "records") -> Table:
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(guards.lines(source), dialect="excel", strict=True)
    try:
        header = next(reader)
    except StopIteration:
        header = []
    except csv.Error as exc:
        _too_long(exc, 1)
        raise InvalidValueError(
            f"line 1: cannot read the header ({exc}); check its quotes"
        ) from None
    names = [header_key(cell) for cell in header]
    return Table("csv", names if any(n.strip() for n in names) else [], _records(reader, names))


def _records(reader: Any, names: list[str]) -> Iterator[Row]:
    last = reader.line_num
    while True:
        start = last + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            _too_long(exc, start)
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


def _too_long(exc: csv.Error, line: int) -> None:
    """The csv module's refusal of a cell past FIELD_LIMIT, worded as every input's."""
    if "field limit" in str(exc):
        raise InvalidValueError(f"line {line}: a cell: {limits.too_long()}") from None
