"""Where output goes, and the cells scripts read: the consoles (tables on stdout at the
terminal's width, or `COLUMNS` when piped), `say` for messages on stderr with control
characters shown escaped, and the JSON/CSV cell rules (ISO dates, `;`-joined lists, the
formula guard) that the writers and `export` share. How a view is laid out for people is
the table writer's job (`srmcli.writers.table`).
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

GUARD_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Row = Mapping[str, Any]


# -- consoles ------------------------------------------------------------------------

_consoles: dict[str, Console] = {}


def _no_color() -> bool:
    return bool(os.environ.get("NO_COLOR"))


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # `srm report | head`: end quietly and with the same status as a JSON or CSV
            # listing (Rich's own choice is exit 1)
            self.quiet = True
            stop_writing_quietly()

    key = "err" if stderr else "out"
    stream = sys.stderr if stderr else sys.stdout
    cached = _consoles.get(key)
    if cached is None or cached.file is not stream:
        cached = _Console(
            file=stream,
            no_color=_no_color(),
            highlight=False,
            markup=False,
            emoji=False,
            soft_wrap=False,
            width=None if _isatty(stream) else piped_width(),
        )
        _consoles[key] = cached
    return cached


def stop_writing_quietly() -> None:
    """The reader of stdout (`head`, `grep -m1`) has had enough: end like other Unix
    filters, with nothing on stderr and status 0. stdout is pointed at /dev/null so the
    interpreter's last flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file descriptor (tests, embedding)
        pass
    raise SystemExit(0)


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def piped_width() -> int:
    """The width of a table that is not printed on a terminal: `COLUMNS` when it is set
    to a width, else 80."""
    value = os.environ.get("COLUMNS", "").strip()
    if value.isascii() and value.isdigit() and 20 <= int(value) <= 10_000:
        return int(value)
    return 80


def file_console(stream: IO[str], *, record: bool = False, width: int = 100) -> Console:
    """A console that lays a table out into a file (`-o FILE`): plain text, 100 columns,
    or recording styles for an HTML/SVG export."""
    from rich.console import Console

    return Console(
        file=stream,
        record=record,
        width=width,
        no_color=not record,
        highlight=False,
        markup=False,
        emoji=False,
        force_terminal=False if not record else None,
    )


def say(message: str) -> None:
    """A message for the person at the keyboard: stderr, never mixed into data. Any
    control character in it (a stored name may hold one) is shown as its escape."""
    from srmcli.wording import visible

    print(visible(message), file=sys.stderr)


# -- value formatting ----------------------------------------------------------------


def plain(value: Any) -> Any:
    """A JSON-ready value: ISO dates, lists kept, everything else as is."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    return value


def cell(value: Any, *, guard: bool = True) -> str:
    """A CSV cell: lists joined with `;`, booleans true/false, None empty, guard applied."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, datetime | date):
        return str(plain(value))
    if isinstance(value, list | tuple):
        text = ";".join(str(plain(v)) for v in value)
    else:
        text = str(value)
    if guard and _guardable(text):
        return "'" + text
    return text


def _guardable(text: str) -> bool:
    # quotes already in front of a guarded char get one more, so that `unguard` can tell
    # a guard from a note that really begins with `'=`: the round trip stays exact
    return text.lstrip("'").startswith(GUARD_PREFIXES)


def unguard(text: str) -> str:
    """Undo `cell`'s formula guard: remove exactly one leading `'` before a guarded char."""
    if text.startswith("'") and _guardable(text):
        return text[1:]
    return text


def format_number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


# -- writers -------------------------------------------------------------------------


def write_json_array(rows: Iterable[Row], out: IO[str]) -> None:
    out.write("[")
    first = True
    for row in rows:
        out.write("\n  " if first else ",\n  ")
        out.write(json.dumps(plain(row), ensure_ascii=False))
        first = False
    out.write("\n]\n" if not first else "]\n")


def write_json_object(record: Row, out: IO[str]) -> None:
    out.write(json.dumps(plain(record), ensure_ascii=False, indent=2))
    out.write("\n")


def write_jsonl(rows: Iterable[Row], out: IO[str]) -> None:
    for row in rows:
        out.write(json.dumps(plain(row), ensure_ascii=False))
        out.write("\n")


def csv_writer(out: IO[str]) -> Any:
    # the default dialect quotes any field holding \r or \n and ends rows with \r\n,
    # so a lone \r inside a note survives the round trip
    return csv.writer(out, dialect="excel", quoting=csv.QUOTE_MINIMAL)


def write_csv(
    rows: Iterable[Row], out: IO[str], columns: Sequence[str], *, guard: bool = True
) -> None:
    writer = csv_writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c), guard=guard) for c in columns])


def peek_columns(rows: Iterator[Row]) -> tuple[Iterator[Row], list[str]]:
    try:
        first = next(rows)
    except StopIteration:
        return iter(()), []

    def chained() -> Iterator[Row]:
        yield first
        yield from rows

    return chained(), list(first.keys())
