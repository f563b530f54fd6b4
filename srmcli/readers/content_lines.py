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

import functools
import re
from collections.abc import Iterator, Mapping
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


# component -> the property names passed on; the lines of components nested in a listed
# one (an event's alarms) are dropped, and a component not listed passes everything
Keep = Mapping[str, frozenset[str]]

CHUNK = 1 << 20  # bytes read at a time
# a BEGIN or END line, and one property line with the folded lines that continue it
_STRUCTURE = re.compile(r"^(?:BEGIN|END):[^\n]*", re.MULTILINE | re.IGNORECASE)
# (a property's name is what comes before its first `;` or `:`, without the spaces around
# it, in any case)
_NAME = re.compile(r"[^;:\r\n]*")
_CONTINUED = re.compile(r"(?:[ \t][^\n]*\n?)+")


def blocks(
    binary: IO[bytes], name: str, *, inside: str | None, keep: Keep | None = None
) -> Iterator[Block]:
    """The components of the file: those directly inside `inside` (VCALENDAR), or the
    top-level ones when `inside` is None (a file of vCards).

    The file is read a megabyte at a time, and each piece is searched for its BEGIN and
    END lines with a regular expression; between them, whole runs of lines are kept or
    dropped at once, and only the properties of a component that keeps some of them are
    looked at one by one. (Going through the file line by line in Python took a third of
    the time of importing a large calendar.)"""
    scanner = _Scanner(name, inside, keep or {})
    for text, first in _pieces(binary, name):
        yield from scanner.feed(text, first)
    scanner.finish()


class _Scanner:
    def __init__(self, name: str, inside: str | None, keep: Keep) -> None:
        self.name = name
        self.inside = inside
        self.keep = keep
        self.outer = 0 if inside is None else 1
        self.stack: list[tuple[str, int]] = []
        self.kind: str | None = None
        self.kept: frozenset[str] | None = None  # what the open component passes on
        self.start = 0
        self.pieces: list[str] = []
        self.size = 0
        self.carried = True  # whether the last property line was passed on (its folds)
        self.lines = 0  # lines read so far

    def feed(self, text: str, first: int) -> Iterator[Block]:
        pos = 0
        n = first  # the line number at `pos`
        for found in _STRUCTURE.finditer(text):
            at = found.start()
            yield from self._run(text, pos, at, n)
            n += text.count("\n", pos, at)
            end = found.end()
            if end < len(text) and text[end] == "\n":
                end += 1
            block = self._structure(text[at:end], n)
            if block is not None:
                yield block
            n += 1
            pos = end
        yield from self._run(text, pos, len(text), n)
        self.lines = first + text.count("\n") - (1 if text.endswith("\n") else 0)

    def _structure(self, line: str, n: int) -> Block | None:
        stripped = line.rstrip("\r\n")
        self.carried = True
        if stripped[:1] in ("B", "b"):
            what = stripped[6:].strip().upper()
            if not self.stack and self.inside is not None and what != self.inside:
                raise InvalidValueError(
                    f"{self.name}: line {n}: expected BEGIN:{self.inside}, found {stripped}"
                )
            self.stack.append((what, n))
            depth = len(self.stack)
            if depth == self.outer + 1:
                self.kind, self.start, self.pieces, self.size = what, n, [], 0
                self.kept = self.keep.get(what)
                self._add(line)
            elif depth > self.outer + 1 and self.kept is None:
                self._add(line)
            return None
        what = stripped[4:].strip().upper()
        if not self.stack or self.stack[-1][0] != what:
            opened = (
                f" (BEGIN:{self.stack[-1][0]} is open since line {self.stack[-1][1]})"
                if self.stack
                else ""
            )
            raise InvalidValueError(
                f"{self.name}: line {n}: {stripped} does not close anything{opened}"
            )
        self.stack.pop()
        depth = len(self.stack)
        if depth == self.outer:
            self._add(line)
            block = Block(self.kind, self.start, "".join(self.pieces))
            self.kind, self.kept, self.pieces, self.size = None, None, [], 0
            return block
        if depth > self.outer and self.kept is None:
            self._add(line)
        return None

    def _run(self, text: str, start: int, end: int, n: int) -> Iterator[Block]:
        """Lines [start, end) of `text`, all at the same depth; `n` is the first's number."""
        if start >= end:
            return
        depth = len(self.stack)
        if depth <= self.outer:
            yield from self._around(text[start:end], n, depth)
        elif self.kept is None:
            self._add(text[start:end])
        elif depth == self.outer + 1:
            kept = self.kept
            if text[start] in " \t":  # the folds of the line before this piece of the file
                folds = _CONTINUED.match(text, start, end)
                assert folds is not None
                if self.carried:
                    self._add(folds.group())
                start = folds.end()
            # the kept lines are found by the pattern engine; the others are never looked at
            for found in _picker(kept).finditer(text, start, end):
                self._add(found.group())
            if end == len(text):  # the next piece may begin with the folds of the last line
                last = _last_name(text, start, end)
                if last is not None:
                    self.carried = last in kept
        # else: inside a component nested in one that keeps only some lines: dropped

    def _around(self, text: str, n: int, depth: int) -> Iterator[Block]:
        """Lines outside every component (an error) or of the calendar around them."""
        for offset, line in enumerate(text.split("\n")):
            line = line.rstrip("\r")
            if not line.strip():
                continue
            if depth == 0:
                raise _outside(self.name, n + offset, line, self.inside)
            if line[:1] not in (" ", "\t"):
                yield Block(None, n + offset, line)

    def _add(self, text: str) -> None:
        self.pieces.append(text)
        self.size += len(text)
        if self.size > LARGEST_COMPONENT:
            raise _too_large(self.name, self.start, self.kind)

    def finish(self) -> None:
        if self.stack:
            what, line_no = self.stack[-1]
            raise InvalidValueError(
                f"{self.name}: line {line_no}: BEGIN:{what} is never closed (the file ends at "
                f"line {self.lines}); was it cut short?"
            )


def _pieces(binary: IO[bytes], name: str) -> Iterator[tuple[str, int]]:
    """The file as text, in pieces of whole lines, each with its first line's number; a
    NUL byte or bytes that are not UTF-8 end it with an error naming their line (after the
    lines before it, so that an earlier mistake is the one reported)."""
    carry = b""
    first = 1
    while True:
        raw = binary.read(CHUNK)
        data = carry + raw
        if not data:
            return
        if raw:
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                if len(data) > LARGEST_COMPONENT:
                    raise InvalidValueError(
                        f"{name}: line {first}: a line longer than "
                        f"{LARGEST_COMPONENT >> 20} MiB; no event or card has one"
                    )
                carry = data
                continue
            data, carry = data[:cut], data[cut:]
        else:
            carry = b""
        bad, problem, text = _first_fault(data)
        if bad is not None:
            text = data[: data.rfind(b"\n", 0, bad) + 1].decode("utf-8")
        if first == 1:
            text = text.removeprefix("\ufeff")
        yield text, first
        if bad is not None:
            line = first + data.count(b"\n", 0, bad)
            raise InvalidValueError(f"{name}: line {line}: {problem}")
        first += data.count(b"\n")


def _first_fault(data: bytes) -> tuple[int | None, str, str]:
    """Where the first NUL byte or undecodable byte is and what to say of it, or None
    and the text."""
    nul = data.find(b"\x00")
    text = ""
    try:
        text = data.decode("utf-8")
        undecodable = -1
    except UnicodeDecodeError as exc:
        undecodable = exc.start
    if nul == -1 and undecodable == -1:
        return None, "", text
    bad = min(at for at in (nul, undecodable) if at != -1)
    line_end = data.find(b"\n", bad)
    if b"\x00" in data[data.rfind(b"\n", 0, bad) + 1 : None if line_end == -1 else line_end]:
        return bad, "holds a NUL byte; calendars and address books are text", ""
    problem = (
        "not UTF-8 text; export it again as UTF-8 (iCalendar and vCard 4 are UTF-8 by definition)"
    )
    return bad, problem, ""


@functools.lru_cache(maxsize=8)
def _picker(kept: frozenset[str]) -> re.Pattern[str]:
    """The property lines named in `kept`, each with the folded lines that continue it."""
    names = "|".join(re.escape(name) for name in sorted(kept, key=len, reverse=True))
    return re.compile(
        rf"^(?![ \t])[^\S\r\n]*(?:{names})[^\S\r\n]*(?=[;:\r\n]|\Z)[^\n]*\n?(?:[ \t][^\n]*\n?)*",
        re.MULTILINE | re.IGNORECASE,
    )


def _last_name(text: str, start: int, end: int) -> str | None:
    """The name of the last line in [start, end) that is not a fold, or None when all are."""
    stop = end
    while stop > start:
        begin = max(start, text.rfind("\n", start, stop - 1) + 1)
        if text[begin] not in " \t":
            found = _NAME.match(text, begin)
            return found.group().strip().upper() if found else ""
        stop = begin
    return None


def _outside(name: str, n: int, stripped: str, inside: str | None) -> InvalidValueError:
    return InvalidValueError(
        f"{name}: line {n}: {_shown(stripped)} is outside any "
        f"{'BEGIN:' + (inside or 'VCARD')} … END block; is this the right file?"
    )


def _too_large(name: str, start: int, kind: str | None) -> InvalidValueError:
    return InvalidValueError(
        f"{name}: line {start}: the {kind} starting here is larger than "
        f"{LARGEST_COMPONENT >> 20} MiB; no event or card is that big"
    )


def _shown(text: str) -> str:
    from srmcli.wording import visible

    return repr(visible(text[:60]))
