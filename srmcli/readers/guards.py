"""What every reader refuses, whatever the format (SPEC §13): text a journal cannot hold
(NUL, lone surrogates, a cell over 1 MiB, see `srmcli.limits`) and lines too long to be
a record, each named by its place in the file. Lines are read with a bound, so a file
of one 200 MB line is refused after 8 MiB rather than read whole into memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from srmcli import limits
from srmcli.errors import InvalidValueError

_SHORT = limits.MOST_TEXT_BYTES // 4  # text this short cannot be over the limit in UTF-8


def too_long_record(where: str) -> InvalidValueError:
    return InvalidValueError(
        f"{where}: the record runs past {limits.MOST_RECORD_CHARS >> 20} MiB without ending; "
        f"a note or a cell holds at most {limits.MOST_TEXT_WORDS} "
        f"({limits.MOST_TEXT_BYTES:,} bytes)"
    )


def lines(source: IO[str]) -> Iterator[str]:
    """The lines of `source` as written (line ends kept), each read with a bound."""
    number = 0
    while True:
        line = source.readline(limits.MOST_RECORD_CHARS + 1)
        if not line:
            return
        number += 1
        if len(line) > limits.MOST_RECORD_CHARS:
            raise too_long_record(f"line {number}")
        yield line


def check_names(names: list[str], where: str) -> None:
    """The column names of a header."""
    for name in names:
        found = limits.problem(name)
        if found is not None:
            raise InvalidValueError(f"{where}: a column name: {found}")


_PLAIN = frozenset({int, float, bool, type(None)})


def check_cells(where: str, cells: dict[str, Any]) -> None:
    """Every text in a row's cells (a JSON cell's lists and objects included).

    The hot path of every import: a row's texts are joined and scanned once, and a row
    that is short (no cell can be over the limit) and plain ASCII (no surrogate can be
    in it) costs one search for NUL."""
    texts = []
    for value in cells.values():
        kind = value.__class__
        if kind is str:
            texts.append(value)
        elif kind is list and all(item.__class__ is str for item in value):
            texts.extend(value)
        elif kind not in _PLAIN:
            break
    else:
        joined = "".join(texts)
        if (
            len(joined) <= _SHORT
            and "\x00" not in joined
            and (joined.isascii() or limits.fit(joined))
        ):
            return
    for name, value in cells.items():
        _check_value(value, f"{where}: {name}")


def _check_value(value: Any, where: str) -> None:
    if isinstance(value, str):
        # the formula guard of an exported cell (`'=…`) is not the text's: a note of the
        # largest size comes back one character longer, and imports as it was
        found = limits.problem(value[1:] if value[:1] == "'" else value)
        if found is not None:
            raise InvalidValueError(f"{where}: {found}")
    elif isinstance(value, list):
        for item in value:
            _check_value(item, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_value(key, where)
            _check_value(item, where)
