"""CSV as spreadsheets and `srm export` write it: the first row names the columns, a
record is numbered by the line it starts on (a quoted note may span lines), and rows of
empty cells (what spreadsheets leave at the end) are passed over.

The separator is told by the header line: `,`, `;` (what Excel writes where the comma
is the decimal mark), tab or `|`, whichever occurs most outside quotes there. A
byte-order mark and CRLF or LF line ends are read alike.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from typing import IO, Any

from srmcli import limits
from srmcli.errors import InvalidValueError
from srmcli.readers import SEPARATOR_NAMES, HeaderKey, HeaderTest, Row, Table, guards

# A cell holds at most 1 MiB (SPEC §13): the csv module stops a longer one as it reads
# it, and a line longer than a record is stopped by `guards.lines`, so a 200 MB cell is
# refused without being read whole. A few characters over 1 MiB leave room for the
# formula guard of an exported note of exactly 1 MiB; `guards` checks the exact size.
FIELD_LIMIT = limits.MOST_TEXT_BYTES + 16
SEPARATORS = (",", ";", "\t", "|")  # in order of preference when the header ties


def separator_of(line: str) -> str:
    """The separator a header line uses: the candidate found most often outside quotes
    (a comma when none is: a file of one column)."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(SEPARATORS, key=counts.__getitem__)  # max keeps the first of equals
    return best if counts[best] else ","


def read_csv(
    source: IO[str],
    *,
    header_key: HeaderKey,
    what: str = "records",
    header_row: HeaderTest | None = None,
) -> Table:
    csv.field_size_limit(FIELD_LIMIT)
    skipped = 0  # title or blank lines before the header
    given = guards.lines(source)
    first = next(given, "")
    if header_row is not None:
        # each line is split by its own separator until one reads as the header
        while first and not header_row(_cells(first)):
            skipped += 1
            first = next(given, "")
    separator = separator_of(first)
    lines = itertools.chain((first,), given)
    reader = csv.reader(lines, dialect="excel", delimiter=separator, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        header = []
    except csv.Error as exc:
        _too_long(exc, skipped + 1)
        raise InvalidValueError(
            f"line {skipped + 1}: cannot read the header ({exc}) as separated by "
            f"{SEPARATOR_NAMES[separator]}; check its quotes"
        ) from None
    names = [header_key(cell) for cell in header]
    header_names = names if any(n.strip() for n in names) else []
    return Table(
        "csv", header_names, _records(reader, names, separator, skipped), separator,
        f"line {skipped + 1}",
    )  # fmt: skip


def _cells(line: str) -> list[str]:
    """One line split by the separator it uses most (a line that is not CSV: none)."""
    try:
        return next(csv.reader([line], delimiter=separator_of(line)), [])
    except csv.Error:
        return []


def _records(reader: Any, names: list[str], separator: str, skipped: int = 0) -> Iterator[Row]:
    last = reader.line_num + skipped
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
        last = reader.line_num + skipped
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(names):
            raise InvalidValueError(
                f"line {start}: the row has {len(record)} cells but the header has "
                f"{len(names)} columns (separated by {SEPARATOR_NAMES[separator]}); "
                f"quote any value that holds a {separator!r}"
            )
        yield Row(f"line {start}", dict(zip(names, record, strict=False)))


def _too_long(exc: csv.Error, line: int) -> None:
    """The csv module's refusal of a cell past FIELD_LIMIT, worded as every input's."""
    if "field limit" in str(exc):
        raise InvalidValueError(f"line {line}: a cell: {limits.too_long()}") from None
