"""iCalendar and vCard files cut into their components, one at a time.

Both formats are "content lines" (RFC 5545 §3.1, RFC 6350 §3.2) grouped by `BEGIN:X` and
`END:X` lines. Parsing a whole calendar at once holds every event in memory (a 10 000-event
export took 130 MiB), so the file is read line by line and each top-level component's
text is handed, whole and untouched, to the real parser (`icalendar`, `vobject`): what is
read here is only where a component begins and ends, never what its properties mean.

On the way, a component may drop the properties its reader never looks at (`keep`, by
property name, with their folded lines), and the components nested in it (an event's
alarms): Outlook writes thirty-odd lines per event, among them the whole message as HTML
(`X-ALT-DESC`) and inlined files (`ATTACH`), and srm takes nothing from those; parsing
them would cost most of an import's time for nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from srmcli.errors import InvalidValueError

# a component bigger than this is not an event or a card someone wrote: refuse it rather
# than let one block take the memory an import is allowed
LARGEST_COMPONENT = 8 << 20


@dataclass
class Block:
    """One top-level component (`kind` is its name, e.g. VEVENT), or with `kind` None a
    property line of the enclosing calendar; `line` is where it starts in the file."""

    kind: str | None
    line: int
    text: str


# (component, property name) -> pass it on?  The name is "" for the lines of a component
# nested in it (an event's alarm)
Keep = Callable[[str, str], bool]


def blocks(
    binary: IO[bytes], name: str, *, inside: str | None, keep: Keep | None = None
) -> Iterator[Block]:
    """The components of the file: those directly inside `inside` (VCALENDAR), or the
    top-level ones when `inside` is None (a file of vCards)."""
    depth = 0
    outer = 0 if inside is None else 1
    current: list[str] = []
    kind: str | None = None
    start = 0
    size = 0
    dropping = False
    stack: list[tuple[str, int]] = []
    n = 0
    for n, raw in enumerate(binary, 1):
        line = _decoded(raw, name, n)
        if n == 1:
            line = line.removeprefix("\ufeff")
        folded = line[:1] in (" ", "\t")
        if folded:
            if dropping:
                continue
        else:
            dropping = False
        stripped = line.rstrip("\r\n")
        upper = stripped.upper() if not folded else ""
        level = depth  # how deep this line sits: a BEGIN or END line at its component's
        if upper.startswith("BEGIN:"):
            what = upper[6:].strip()
            if depth == 0 and inside is not None and what != inside:
                raise InvalidValueError(
                    f"{name}: line {n}: expected BEGIN:{inside}, found {stripped}"
                )
            stack.append((what, n))
            depth += 1
            level = depth
            if depth == outer + 1:
                kind, start, current, size = what, n, [], 0
        elif upper.startswith("END:"):
            what = upper[4:].strip()
            if not stack or stack[-1][0] != what:
                opened = (
                    f" (BEGIN:{stack[-1][0]} is open since line {stack[-1][1]})" if stack else ""
                )
                raise InvalidValueError(
                    f"{name}: line {n}: {stripped} does not close anything{opened}"
                )
            stack.pop()
            depth -= 1
            if depth == outer:
                current.append(line)
                yield Block(kind, start, "".join(current))
                current, kind = [], None
                continue
        elif depth <= outer:
            if not stripped.strip():
                continue
            if depth == 0:
                raise InvalidValueError(
                    f"{name}: line {n}: {_shown(stripped)} is outside any "
                    f"{'BEGIN:' + (inside or 'VCARD')} … END block; is this the right file?"
                )
            if not folded:
                yield Block(None, n, stripped)
            continue
        elif keep is not None and not folded and depth == outer + 1 and kind is not None:
            if not keep(kind, _property_name(upper)):
                dropping = True
                continue
        if keep is not None and level > outer + 1 and kind is not None and not keep(kind, ""):
            continue  # inside a nested component (an alarm) of one that keeps only some
        if depth > outer:
            current.append(line)
            size += len(line)
            if size > LARGEST_COMPONENT:
                raise InvalidValueError(
                    f"{name}: line {start}: the {kind} starting here is larger than "
                    f"{LARGEST_COMPONENT >> 20} MiB; no event or card is that big"
                )
    if stack:
        what, line_no = stack[-1]
        raise InvalidValueError(
            f"{name}: line {line_no}: BEGIN:{what} is never closed (the file ends at line {n}); "
            "was it cut short?"
        )


def _property_name(upper: str) -> str:
    end = len(upper)
    for mark in (";", ":"):
        at = upper.find(mark)
        if at != -1 and at < end:
            end = at
    return upper[:end].strip()


def _decoded(raw: bytes, name: str, n: int) -> str:
    if b"\x00" in raw:
        raise InvalidValueError(
            f"{name}: line {n}: holds a NUL byte; calendars and address books are text"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidValueError(
            f"{name}: line {n}: not UTF-8 text; export it again as UTF-8 (iCalendar and "
            "vCard 4 are UTF-8 by definition)"
        ) from None


def _shown(text: str) -> str:
    from srmcli.wording import visible

    return repr(visible(text[:60]))
