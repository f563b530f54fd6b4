"""Cutting calendars and address books into components (`readers.content_lines`).

`blocks` reads a file a megabyte at a time with regular expressions. Here it is checked
against the plain way of doing the same, line by line, on files made of the lines real
exports hold and of the lines that break them, cut into pieces of every size.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import IO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srmcli.errors import InvalidValueError
from srmcli.readers import content_lines
from srmcli.readers.content_lines import LARGEST_COMPONENT, Block, _outside, blocks

KEEP = {"VEVENT": frozenset({"UID", "SUMMARY", "DTSTART", "DESCRIPTION"})}


def _kept(component: str, prop: str) -> bool:
    return component not in KEEP or prop in KEEP[component]


def _shown(text: str) -> str:
    from srmcli.wording import visible

    return repr(visible(text[:60]))


def _too_large(name: str, start: int, kind: str | None) -> InvalidValueError:
    return content_lines._too_large(name, start, kind)


# the same cutting, one line at a time (what `blocks` did before it read in pieces)
def reference_blocks(
    binary: IO[bytes],
    name: str,
    *,
    inside: str | None,
    keep: Callable[[str, str], bool] | None = None,
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


LINES = [
    "BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VEVENT", "END:VEVENT", "begin:vevent",
    "end:vevent", "BEGIN:VALARM", "END:VALARM", "BEGIN:VTIMEZONE", "END:VTIMEZONE",
    "BEGIN:VCARD", "END:VCARD", "UID:1", "uid;X=1:2", "SUMMARY;LANGUAGE=en-us:Call",
    'DESCRIPTION;ALTREP="cid:x":a:b', "X-ALT-DESC:<p>", "DTSTART:20260101T100000",
    " folded", "\tfolded", " ", "", ":no name", ";X=1:v", "hello", "TZID:Europe/Berlin",
    "X-WR-TIMEZONE:Europe/Berlin", "FN:Pat", "\x0bUID:3", "END:VEVENTS",
]  # fmt: skip


@st.composite
def files(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(st.sampled_from(LINES), max_size=40))
    ending = draw(st.sampled_from(["\r\n", "\n"]))
    text = ending.join(lines) + draw(st.sampled_from([ending, ""]))
    if draw(st.booleans()):
        text = "\ufeff" + text
    data = text.encode("utf-8")
    if data and draw(st.integers(0, 5)) == 0:  # a NUL or a byte that is not UTF-8
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + draw(st.sampled_from([b"\x00", b"\xff", b"\xc3"])) + data[at:]
    return data


def _outcome(
    read: Callable[..., Iterator[Block]], data: bytes, inside: str | None, keep: object
) -> tuple[list[Block], str | None]:
    got: list[Block] = []
    try:
        for block in read(io.BytesIO(data), "f.ics", inside=inside, keep=keep):
            got.append(block)
    except InvalidValueError as exc:
        return got, str(exc)
    return got, None


@settings(max_examples=400, deadline=None)
@given(data=files(), chunk=st.sampled_from([1, 2, 7, 64, 1 << 20]), calendar=st.booleans(),
       keeping=st.booleans())  # fmt: skip
def test_pieces_of_any_size_cut_the_file_as_reading_it_line_by_line(
    data: bytes, chunk: int, calendar: bool, keeping: bool
) -> None:
    inside = "VCALENDAR" if calendar else None
    expected = _outcome(reference_blocks, data, inside, _kept if keeping else None)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(content_lines, "CHUNK", chunk)
        got = _outcome(blocks, data, inside, KEEP if keeping else None)
    assert got == expected


def test_an_outlook_event_keeps_what_is_read_and_its_folds() -> None:
    data = (
        b"BEGIN:VCALENDAR\r\nPRODID:Outlook\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        b"X-ALT-DESC;FMTTYPE=text/html:<html>\r\n <body>\r\nSUMMARY:Price\r\n  review\r\n"
        b"BEGIN:VALARM\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    found = list(blocks(io.BytesIO(data), "f.ics", inside="VCALENDAR", keep=KEEP))
    assert found == [
        Block(None, 2, "PRODID:Outlook"),
        Block("VEVENT", 3, "BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Price\r\n  review\r\nEND:VEVENT\r\n"),
    ]


def test_a_line_longer_than_any_event_is_refused_without_reading_on() -> None:
    data = b"BEGIN:VCALENDAR\nX:" + b"a" * (LARGEST_COMPONENT + 10)
    with pytest.raises(InvalidValueError, match="line 2: a line longer than 8 MiB"):
        list(blocks(io.BytesIO(data), "f.ics", inside="VCALENDAR"))


def test_outside_message_names_the_line() -> None:
    assert "line 3" in str(_outside("f.ics", 3, "x", None))
