"""JSON as `srm export -f json` writes it (an array of objects, numbered `record N`) and
JSON lines (one object a line, numbered by line).

Both are read a record at a time, so memory stays flat however big the file: an array
is taken apart element by element from a buffer of what has been read (a record that
runs past 8 MiB is refused there), JSON lines line by line with the same bound. Each
record is decoded with limits no record needs to exceed: a key given twice (refused,
as a CSV header naming a column twice is), nesting deeper than a field's list, numbers
of absurd length (`int()` of 5000 digits raises; a float past 40 characters is refused
before it is converted), `NaN` and `Infinity` (not JSON).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import IO, Any

from srmcli import limits
from srmcli.errors import InvalidValueError
from srmcli.readers import HeaderKey, HeaderTest, Row, Table, guards

MOST_NUMBER_CHARS = 40  # the longest amount srm takes is 30 digits, with sign and point
CHUNK = 1 << 16  # characters read at a time from an array
_SPACE = re.compile(r"[ \t\r\n]*")


class _Refused(ValueError):
    """A decoding limit crossed; the reader adds where."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record = dict(pairs)
    if len(record) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(
                    f"the field {key!r} appears twice in one object; give each field once"
                )
            seen.add(key)
    names = "".join(record)
    if not names.isascii() or "\x00" in names:
        for key in record:
            found = limits.problem(key)
            if found is not None:
                raise _Refused(f"a field name: {found}")
    return record


def _decimal(text: str) -> float:
    if len(text) > MOST_NUMBER_CHARS:
        raise _Refused(f"a number of {len(text)} characters; no field takes a number that long")
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise _Refused(f"the number {text} is too large for any field")
    return number


def _constant(text: str) -> Any:
    raise _Refused(f"{text} is not a JSON number; leave the field out or give a number")


# whole numbers are left to the C parser: past 4300 digits `int()` raises ValueError,
# which the readers word as below (and shorter ones are refused by the field's range)
DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_float=_decimal, parse_constant=_constant)


def _absurd_number(where: str) -> InvalidValueError:
    return InvalidValueError(
        f"{where}: a number of thousands of digits; no field takes a number that long"
    )


# the deepest a record needs: a record, history's `before`/`after` of a removal, the
# records it kept with it (its links), a list in one of them, and the values in it
MOST_DEPTH = 5


def _too_nested(record: dict[str, Any]) -> bool:
    """Whether the record nests lists or objects deeper than MOST_DEPTH (the record
    itself is the first level)."""
    level: list[Any] = [record]
    for _ in range(MOST_DEPTH):
        deeper: list[Any] = []
        for value in level:
            kind = value.__class__
            if kind is dict:
                deeper.extend(v for v in value.values() if v.__class__ in (dict, list))
            elif kind is list:
                deeper.extend(v for v in value if v.__class__ in (dict, list))
        if not deeper:
            return False
        level = deeper
    return True


def _row(value: Any, where: str, header_key: HeaderKey) -> Row:
    if not isinstance(value, dict):
        raise InvalidValueError(
            f"{where}: expected an object of named fields, got {type(value).__name__}"
        )
    if _too_nested(value):
        raise InvalidValueError(
            f"{where}: the record nests lists or objects {MOST_DEPTH} levels deep or more; "
            "a record is an object of fields, each a value, a list of values, or (as "
            "history's before and after) an object of those"
        )
    return Row(where, {header_key(str(k)): v for k, v in value.items()})


def _decoded(text: str, line: int) -> Any:
    """One JSON document (a line, or an array's element) decoded with the limits."""
    try:
        return DECODER.decode(text)
    except (ValueError, RecursionError) as exc:
        raise _refusal(exc, line, line) from None


def _refusal(exc: Exception, line: int, start: int) -> InvalidValueError:
    """A decoding failure in the buyer's words: `line` is where the record starts,
    `start` the line the decoded text starts on (the decoder counts from there)."""
    if isinstance(exc, json.JSONDecodeError):
        return InvalidValueError(f"line {start + exc.lineno - 1}: not valid JSON: {exc.msg}")
    if isinstance(exc, _Refused):
        return InvalidValueError(f"line {line}: {exc}")
    if isinstance(exc, RecursionError):
        return _too_deep(f"line {line}")
    return _absurd_number(f"line {line}")  # int() past its digit limit


def _too_deep(where: str) -> InvalidValueError:
    return InvalidValueError(
        f"{where}: the JSON nests deeper than a record needs; a record is an object of "
        "fields, each a value, a list of values, or an object of those"
    )


class _ArrayReader:
    """The elements of a JSON array read in chunks: never more of the file in memory
    than one element and a chunk (an element longer than the record bound is refused)."""

    def __init__(self, source: IO[str]) -> None:
        self.source = source
        self.buffer = ""
        self.at = 0  # position in buffer
        self.line = 1  # the line of buffer[0]
        self.counted = (0, 1)  # a position in buffer and its line, so lines count once
        self.ended = False

    def _more(self, at_least: int = CHUNK) -> bool:
        if self.ended:
            return False
        chunk = self.source.read(max(CHUNK, at_least))
        if not chunk:
            self.ended = True
            return False
        # drop what has been read past, keeping count of its lines
        self.line = self.here()
        self.buffer = self.buffer[self.at :] + chunk
        self.at = 0
        self.counted = (0, self.line)
        return True

    def here(self) -> int:
        """The line of the position reached."""
        position, line = self.counted
        if self.at != position:
            line += self.buffer.count("\n", position, self.at)
            self.counted = (self.at, line)
        return line

    def _skip_space(self) -> str:
        """The next character that is not white space ('' at the end of the file)."""
        while True:
            self.at = _SPACE.match(self.buffer, self.at).end()  # type: ignore[union-attr]
            if self.at < len(self.buffer):
                return self.buffer[self.at]
            if not self._more():
                return ""

    def start(self, what: str) -> bool:
        """Past the opening `[`; False for an empty file."""
        first = self._skip_space()
        if not first:
            return False
        if first != "[":
            raise InvalidValueError(
                f"a JSON import is an array of {what}, as `srm export -f json` writes; "
                "use -f jsonl for one record per line"
            )
        self.at += 1
        return True

    def elements(self) -> Iterator[tuple[Any, int]]:
        """Each element's value and the line it starts on."""
        first = True
        while True:
            char = self._skip_space()
            if first and char == "]":
                self.at += 1
                break
            if not char:
                raise InvalidValueError(
                    f"line {self.here()}: not valid JSON: the array ends without its ']'"
                )
            yield self._element()
            first = False
            char = self._skip_space()
            if char == ",":
                self.at += 1
                continue
            if char == "]":
                self.at += 1
                break
            raise InvalidValueError(
                f"line {self.here()}: not valid JSON: expected ',' or ']' after a record"
            )
        if self._skip_space():
            raise InvalidValueError(
                f"line {self.here()}: not valid JSON: more text after the array's closing ']'"
            )

    def _element(self) -> tuple[Any, int]:
        line = self.here()
        while True:
            try:
                value, end = DECODER.raw_decode(self.buffer, self.at)
            except (ValueError, RecursionError) as exc:
                if isinstance(exc, json.JSONDecodeError) and self._grown(line):
                    continue  # the element goes on in what is not read yet
                raise _refusal(exc, line, self.line) from None
            if end == len(self.buffer) and self._grown(line):
                continue  # a number may go on in what is not read yet
            self.at = end
            return value, line

    def _grown(self, line: int) -> bool:
        """More of the file read after an element that is not complete yet; refused when
        it already runs past the record bound."""
        held = len(self.buffer) - self.at
        if held > limits.MOST_RECORD_CHARS:
            raise guards.too_long_record(f"line {line}")
        # doubling what is read keeps re-decoding a long element linear in its length;
        # never past the bound by more than a chunk
        return self._more(min(held, limits.MOST_RECORD_CHARS + 1 - held))


def read_json(
    source: IO[str],
    *,
    header_key: HeaderKey,
    what: str = "records",
    header_row: HeaderTest | None = None,  # records name their own fields: no header row
) -> Table:
    reader = _ArrayReader(source)
    if not reader.start(what):
        raise InvalidValueError(
            f"a JSON import is an array of {what}, as `srm export -f json` writes; "
            "the file is empty"
        )

    def rows() -> Iterator[Row]:
        for n, (value, _line) in enumerate(reader.elements(), 1):
            yield _row(value, f"record {n}", header_key)

    return Table("json", None, rows())


def read_jsonl(
    source: IO[str],
    *,
    header_key: HeaderKey,
    what: str = "records",
    header_row: HeaderTest | None = None,  # records name their own fields: no header row
) -> Table:
    def rows() -> Iterator[Row]:
        for n, line in enumerate(guards.lines(source), 1):
            if not line.strip():
                continue
            yield _row(_decoded(line, n), f"line {n}", header_key)

    return Table("jsonl", None, rows())
