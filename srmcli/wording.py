"""How figures and counts are worded for people: once, for every table, message and
Markdown page (JSON and CSV keep the numbers themselves).

Also `visible`, which turns text from the journal into text a terminal shows rather than
obeys: control characters become their escapes (`\\x1b`), so a stored `ESC[2J` cannot clear
the screen and `ESC]0;…` cannot set the window title.
"""

from __future__ import annotations

import re
from datetime import date, datetime

# C0 and C1 controls (newline and tab kept: notes may hold them), DEL, and the Unicode
# bidirectional overrides and isolates, which can make a line read backwards
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\r": "\\r", "\x1b": "\\x1b", "\x00": "\\x00"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, *, newlines: bool = True) -> str:
    """`text` with every control character shown as its escape; newlines and tabs kept
    (or, with newlines=False, a newline shown as `\\n` too, for one-line messages)."""
    shown = _CONTROL.sub(_escape, text)
    if not newlines:
        shown = shown.replace("\n", "\\n").replace("\t", "\\t")
    return shown


def has_control(text: str) -> bool:
    """Whether `text` holds a control character other than newline and tab."""
    return _CONTROL.search(text) is not None


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """`1 line`, `4 lines`, `0 issues`; irregular plurals given (`1 entry`, `2 entries`)."""
    word = singular if n == 1 else (plural_form or _plural_of(singular))
    return f"{n} {word}"


def _plural_of(word: str) -> str:
    head, _, last = word.rpartition(" ")
    prefix = f"{head} " if head else ""
    if last.endswith("y") and last[-2:-1] not in tuple("aeiou"):
        return f"{prefix}{last[:-1]}ies"
    if last.endswith(("s", "x", "ch", "sh")):
        return f"{prefix}{last}es"
    return f"{prefix}{last}s"


def signed(n: int | float | None) -> str:
    """A change or a tone with its sign: `+2`, `-1`, and `0` (never `+0`); `-` for none."""
    if n is None:
        return "-"
    if n == 0:
        return "0"
    return f"{n:+g}" if isinstance(n, float) else f"{n:+d}"


def arrow(trend: int | None) -> str:
    if trend is None:
        return ""
    return "↑" if trend > 0 else "↓" if trend < 0 else "→"


def percent(share: float | None) -> str:
    """A share as a buyer reads it, the same everywhere: `52.6%`, `0.05%`, `<0.01%`, `0%`;
    `-` when there is nothing to measure."""
    if share is None:
        return "-"
    pct = share * 100
    if pct == 0:
        return "0%"
    if abs(pct) >= 1:
        return f"{pct:.1f}%"
    if abs(pct) >= 0.01:
        return f"{pct:.2f}%"
    return "<0.01%"


def number(value: int | float | None) -> str:
    """A figure for a table: `1,250`, `1,250.5`, `-` for none."""
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,.0f}"


def day(value: date | datetime | None) -> str:
    """A date for people: `2026-11-20` (a datetime shows its day only)."""
    if value is None:
        return "-"
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def moment(value: date | datetime | None) -> str:
    """A date, or a date and time when it has one: `2026-11-20 14:30`."""
    if value is None:
        return "-"
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == 0:
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def days(n: int | None) -> str:
    return "-" if n is None else plural(n, "day")


def listing(items: list[str] | tuple[str, ...]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def cell(value: object) -> str:
    """Any stored value as a table shows it: `-` for nothing, yes/no, short dates,
    figures as JSON and CSV write them (`150000`, `150000.5`), lists joined with commas."""
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime | date):
        return moment(value)
    if isinstance(value, float):
        # a stored figure (money above all) reads as JSON and CSV write it: `150000.5`
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value)
    return str(value)
