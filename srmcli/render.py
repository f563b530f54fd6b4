"""The one output seam: `emit(rows, fmt)` for table, json, csv (and markdown in reports).

Rows are plain dicts in the key order of SPEC §7. JSON and CSV are written row by row as
they come (a generator stays a generator), so long listings and exports keep memory flat.
Tables are Rich renderables on stdout; messages go to stderr.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any

from srmcli.errors import InvalidValueError

if TYPE_CHECKING:
    from rich.console import Console

FORMATS = ("table", "json", "csv")
GUARD_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Row = Mapping[str, Any]


def check_format(fmt: str, allowed: Sequence[str] = FORMATS) -> str:
    value = (fmt or "").strip().lower()
    if value not in allowed:
        raise InvalidValueError(f"unknown format {fmt!r}; accepted: {', '.join(allowed)}")
    return value


# -- consoles ------------------------------------------------------------------------

_consoles: dict[str, Console] = {}


def _no_color() -> bool:
    return bool(os.environ.get("NO_COLOR"))


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    key = "err" if stderr else "out"
    stream = sys.stderr if stderr else sys.stdout
    cached = _consoles.get(key)
    if cached is None or cached.file is not stream:
        cached = Console(
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


def human(value: Any) -> str:
    """A table cell: short dates, lists comma-joined, `-` for nothing."""
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == 0:
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return (
            f"{value:,.2f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{value:,.0f}"
        )
    if isinstance(value, list | tuple):
        return ", ".join(human(v) for v in value)
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


def table(
    rows: Iterable[Row],
    columns: Sequence[str],
    *,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    styles: Mapping[str, Callable[[Row], str | None]] | None = None,
    empty: str = "Nothing to show.",
    nowrap: Sequence[str] = (),
) -> Any:
    """A Rich table of `rows` (or a short text when there are none); `nowrap` columns
    (dates, numbers) keep their width and the free-text ones wrap instead."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    materialized = list(rows)
    if not materialized:
        return Text(empty, style="dim")
    t = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    names = headers or {}
    for c in columns:
        t.add_column(names.get(c, c.replace("_", " ")), overflow="fold", no_wrap=c in nowrap)
    for row in materialized:
        cells = []
        for c in columns:
            style = (styles or {}).get(c)
            cells.append(Text(human(row.get(c)), style=(style(row) if style else None) or ""))
        t.add_row(*cells)
    return t


def record_table(record: Row, *, title: str | None = None) -> Any:
    """One record as a two-column key/value table."""
    from rich import box
    from rich.table import Table

    t = Table(title=title, box=box.SIMPLE, show_header=False, title_justify="left", pad_edge=False)
    t.add_column("field", style="bold")
    t.add_column("value", overflow="fold")
    for key, value in record.items():
        t.add_row(key.replace("_", " "), human(value))
    return t


def show(renderable: Any) -> None:
    console().print(renderable)


def emit(
    data: Iterable[Row] | Row,
    fmt: str,
    *,
    columns: Sequence[str] | None = None,
    table_columns: Sequence[str] | None = None,
    title: str | None = None,
    empty: str = "Nothing to show.",
    out: IO[str] | None = None,
) -> None:
    """Print a listing (an iterable of rows) or one record (a mapping) in `fmt`."""
    stream = out or sys.stdout
    if isinstance(data, Mapping):
        if fmt == "json":
            write_json_object(data, stream)
        elif fmt == "csv":
            cols = list(columns or data.keys())
            write_csv([data], stream, cols)
        else:
            show(record_table(data, title=title))
        return
    if fmt == "json":
        write_json_array(data, stream)
    elif fmt == "csv":
        rows = iter(data)
        if columns:
            write_csv(rows, stream, list(columns))
        else:
            rows, peeked = peek_columns(rows)
            write_csv(rows, stream, peeked)
    else:
        cols = list(table_columns or columns or [])
        rows_list = list(data)
        if not cols and rows_list:
            cols = list(rows_list[0].keys())
        show(table(rows_list, cols, title=title, empty=empty))


def peek_columns(rows: Iterator[Row]) -> tuple[Iterator[Row], list[str]]:
    try:
        first = next(rows)
    except StopIteration:
        return iter(()), []

    def chained() -> Iterator[Row]:
        yield first
        yield from rows

    return chained(), list(first.keys())


def to_text(render: Callable[[IO[str]], None]) -> str:
    buf = io.StringIO()
    render(buf)
    return buf.getvalue()
