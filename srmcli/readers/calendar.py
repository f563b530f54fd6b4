"""iCalendar files (`.ics`) as Outlook, Google Calendar and Apple Calendar export them:
each meeting occurrence with its people, times in local time.

Every line of an event is read by `icalendar`, recurring events expanded by
`recurring-ical-events` (RRULE, RDATE, EXDATE and moved or cancelled occurrences); nothing
here reads a property by hand. The file is streamed: an event that does not recur is
read, yielded and forgotten; the events of a recurring series (the master and its changed
occurrences, which may stand anywhere in the file) are kept as text until the end and
parsed and expanded then as whole `icalendar` calendars.
Time zones: an event's TZID is resolved by `icalendar` against the file's VTIMEZONE
blocks (Outlook's own names such as "W. Europe Standard Time" included), a `Z` time is
UTC, a floating time is already local; all are given in the local time of this machine.
"""

from __future__ import annotations

import contextlib
import functools
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

from srmcli.errors import InvalidValueError
from srmcli.readers.background import Handed
from srmcli.readers.content_lines import Block, blocks

SERIES_PROPERTIES = ("RRULE", "RDATE", "RECURRENCE-ID")
# what an event is read for; Outlook's other thirty-odd lines (the message as HTML in
# X-ALT-DESC, inlined files in ATTACH, X-MICROSOFT-CDO-*) are never handed to the parser
EVENT_PROPERTIES = frozenset(
    {
        "BEGIN", "END", "UID", "SUMMARY", "DESCRIPTION", "LOCATION", "DTSTART", "DTEND",
        "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "SEQUENCE", "STATUS",
        "CLASS", "ORGANIZER", "ATTENDEE", "URL", "CONFERENCE",
        "X-MICROSOFT-SKYPETEAMSMEETINGURL", "X-GOOGLE-CONFERENCE",
    }
)  # fmt: skip


EARLIEST = datetime(1970, 1, 1)


@dataclass
class Person(Handed):
    """Someone on an invitation: their address (lower case), name as written, and
    whether they declined."""

    address: str
    name: str | None = None
    declined: bool = False


@dataclass
class Meeting(Handed):
    """One occurrence of an event."""

    where: str  # file and line, for messages
    key: str  # the event's UID, with the occurrence for a recurring one
    start: datetime  # local time, no tzinfo
    end: datetime | None
    minutes: int | None  # None for an all-day event
    summary: str
    description: str
    location: str
    links: str  # conference properties (Teams, Google Meet) that may hold a meeting link
    organizer: Person | None
    attendees: list[Person] = field(default_factory=list)
    cancelled: bool = False
    private: bool = False


def read_calendar(
    path: str, *, until: datetime, since: datetime | None = None
) -> Iterator[Meeting]:
    """The meetings of an iCalendar file. Recurring events are expanded from `since`
    (default: as early as they go) up to `until`; single events are all yielded, future
    ones too (the caller counts them). The library's warnings about what it tolerates
    in a file are not shown: read it under `quiet()`."""
    import icalendar

    target = Path(path).expanduser()
    name = str(target)
    binary = _open(target)
    reader = _EventReader(name)
    series: dict[str, list[Block]] = {}
    header: list[str] = []
    waiting: list[Block] = []  # events whose time zone is defined further down
    seen_calendar = False
    with binary:
        for block in blocks(binary, name, inside="VCALENDAR", keep={"VEVENT": EVENT_PROPERTIES}):
            seen_calendar = True
            if block.kind is None:
                if block.text.upper().startswith("X-WR-TIMEZONE"):
                    header.append(block.text)
                continue
            if block.kind == "VTIMEZONE":
                # parsing one registers it with icalendar, for the events that name it
                _parse(icalendar.Timezone, block, name)
                reader.forget()  # a time read before may have waited for this zone
                continue
            if block.kind != "VEVENT":
                continue  # to-dos, journal entries, free/busy: not meetings
            event = reader.event(block)
            uid = str(event.get("UID") or "").strip()
            if not uid:
                raise InvalidValueError(
                    f"{name}: line {block.line}: the event has no UID; without it srm cannot "
                    "tell it again on the next import"
                )
            if any(p in event for p in SERIES_PROPERTIES):
                series.setdefault(uid, []).append(block)
                continue
            if _unresolved_zone(event):
                waiting.append(block)
                continue
            yield _meeting(event, f"{name}: line {block.line}", uid, None)
    if not seen_calendar:
        raise InvalidValueError(f"{name}: no BEGIN:VCALENDAR found; is this an iCalendar file?")
    for block in waiting:
        event = reader.event(block)
        _check_zone(event, f"{name}: line {block.line}")
        yield _meeting(event, f"{name}: line {block.line}", str(event["UID"]).strip(), None)
    for uid, parts in series.items():
        yield from _occurrences(uid, parts, header, name, since or EARLIEST, until)


@contextlib.contextmanager
def meetings_in(
    path: str, *, until: datetime, since: datetime | None = None
) -> Iterator[Iterator[Meeting]]:
    """The meetings of `read_calendar`, read in a second process when the file is large
    (`readers.background`); the reading starts here."""
    from srmcli.readers import background

    def meetings() -> Iterator[Meeting]:
        with quiet():
            yield from read_calendar(path, until=until, since=since)

    with background.records(meetings, background.size_of(path)) as found:
        yield found


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """The library's warnings silenced while a calendar is read (set once for the whole
    file: setting them per line cost more than reading some of the lines)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _open(target: Path) -> Any:
    try:
        return target.open("rb")
    except FileNotFoundError:
        raise InvalidValueError(f"cannot read {target}: no such file") from None
    except IsADirectoryError:
        raise InvalidValueError(f"{target} is a folder; give the .ics file to read") from None
    except OSError as exc:
        raise InvalidValueError(f"cannot read {target}: {exc.strerror}") from None


class _EventReader:
    """An event's properties as `icalendar` reads them, line by line and remembered.

    Each content line goes through the library as `Component.from_ical` puts it through:
    `Contentline.raw_parts` splits it into name, parameters and value, and the property's
    own type (`TypesFactory.for_property`) reads the value, with the line's TZID for a
    time. What this leaves out is building an `Event` around them: the properties are
    kept as `Component` keeps them (name in capitals -> the value, or a list of values for
    a repeated property), which is all a meeting is read for.

    A calendar repeats itself: the buyer organises, the same people attend, CLASS and
    STATUS say the same thing, and every DTSTART begins with the same name and TZID. So
    a line read before is not read again, nor the name and parameters of a line that
    begins like one read before (up to its first `:`, when no quote or backslash comes
    before it and the library split it there). Reading the lines of a 10 000-event
    export took four times as long as importing as many rows from CSV before this.
    """

    REMEMBERED = 4096  # lines (and, apart, line beginnings) kept; forgotten all at once

    def __init__(self, file: str) -> None:
        from icalendar.cal.component import Component

        self.file = file
        self.types = Component.types_factory
        self.lines: dict[str, tuple[str, Any]] = {}
        self.heads: dict[str, tuple[str, Any, Any, Any, Any]] = {}

    def event(self, block: Block) -> dict[str, Any]:
        from icalendar.parser.content_line import NEWLINE, UFOLD

        text = block.text
        # icalendar's unfolding; its pattern also bridges blank lines before a folded
        # line, which `blocks` never passes on (a blank line ends what is kept), so on
        # text without them the plain rule of RFC 5545 §3.1 does the same, in a third
        # of the time
        unfold = UFOLD if "\n\n" in text or "\n\r\n" in text else _FOLD
        properties: dict[str, Any] = {}
        for line in NEWLINE.split(unfold.sub("", text)):
            if not line:
                continue
            known = self.lines.get(line)
            if known is None:
                known = self._read(line, block)
                if len(self.lines) >= self.REMEMBERED:
                    self.lines.clear()
                self.lines[line] = known
            name, value = known
            if value is _NOTHING:
                continue
            before = properties.get(name)
            if before is None:
                properties[name] = value
            elif isinstance(before, list):
                before.append(value)
            else:
                properties[name] = [before, value]
        return properties

    def _read(self, line: str, block: Block) -> tuple[str, Any]:
        from icalendar.parser.content_line import Contentline
        from icalendar.parser.property import unescape_backslash

        at = line.find(":")
        head = line[:at] if at > 0 and '"' not in line[:at] and "\\" not in line[:at] else ""
        known = self.heads.get(head) if head else None
        if known is not None:
            name, params, factory, from_line, tzid = known
            raw = line[at + 1 :]
        else:
            try:
                name, params, raw = Contentline(line).raw_parts()
            except ValueError as exc:
                raise InvalidValueError(
                    f"{self.file}: line {_line_quoted(block, str(exc))}: a line of the "
                    f"{block.kind} cannot be read ({_first_line(exc)})"
                ) from None
            name = name.upper()
            factory = None if name in ("BEGIN", "END") else self._factory(name, params)
            from_line = getattr(factory, "get_value_from_content_line", None)
            tzid = params.get("TZID") if params and name in _TIMES else None
            if head and raw == line[at + 1 :]:
                if len(self.heads) >= self.REMEMBERED:
                    self.heads.clear()
                self.heads[head] = (name, params, factory, from_line, tzid)
        if factory is None or (name == "RDATE" and raw == ""):
            return name, _NOTHING  # BEGIN and END; an empty RDATE the library skips too
        if from_line is not None:
            text = from_line(Contentline(line))
        else:
            text = unescape_backslash(raw) if "\\" in raw else raw
        try:
            parsed = factory.from_ical(text, tzid) if tzid else factory.from_ical(text)
        except (ValueError, TypeError) as exc:
            raise InvalidValueError(
                f"{self.file}: line {block.line}: the {block.kind}'s {name} cannot be read "
                f"({_first_line(exc)})"
            ) from None
        # the library wraps what it read in its type (a text is one already)
        value = parsed if isinstance(parsed, factory) else factory(parsed)
        value.params = params
        return name, value

    def forget(self) -> None:
        self.lines.clear()
        self.heads.clear()

    def _factory(self, name: str, params: Any) -> Any:
        return self.types.for_property(name, params.value)


_NOTHING = object()
_FOLD = re.compile(r"\r?\n[ \t]")
# the properties whose value is read with the line's TZID (as icalendar's parser does)
_TIMES = frozenset({"DTSTART", "DTEND", "RECURRENCE-ID", "DUE", "RDATE", "EXDATE"})


def _parse(kind: Any, block: Block, name: str) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            component = kind.from_ical(block.text)
    except ValueError as exc:
        raise InvalidValueError(
            f"{name}: line {block.line}: not a valid {block.kind} ({_first_line(exc)})"
        ) from None
    errors = getattr(component, "errors", None)
    if errors:
        prop, problem = errors[0]
        if prop is None:  # a line icalendar could not split into name, parameters, value
            raise InvalidValueError(
                f"{name}: line {_line_quoted(block, str(problem))}: a line of the "
                f"{block.kind} cannot be read ({problem})"
            )
        raise InvalidValueError(
            f"{name}: line {block.line}: the {block.kind}'s {prop} cannot be read ({problem})"
        )
    return component


def _line_quoted(block: Block, problem: str) -> int:
    """The file line whose text the problem quotes (its first line, when folded), else
    where the component begins."""
    for n, line in enumerate(block.text.splitlines()):
        line = line.strip()
        if len(line) > 1 and line in problem:
            return block.line + n
    return block.line


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def _unresolved_zone(event: Any) -> bool:
    for prop in ("DTSTART", "DTEND", "RECURRENCE-ID"):
        value = event.get(prop)
        if value is None:
            continue
        moment = getattr(value, "dt", None)
        if isinstance(moment, datetime) and moment.tzinfo is None and "TZID" in value.params:
            return True
    return False


def _check_zone(event: Any, where: str) -> None:
    if _unresolved_zone(event):
        tzid = event.get("DTSTART").params.get("TZID")
        raise InvalidValueError(
            f"{where}: the time zone {tzid!r} is neither defined in the file (VTIMEZONE) "
            "nor a known zone; export the calendar again with its time zones"
        )


def _occurrences(
    uid: str, parts: list[Block], header: list[str], name: str, since: datetime, until: datetime
) -> Iterator[Meeting]:
    import icalendar
    import recurring_ical_events

    where = f"{name}: line {parts[0].line}"
    text = "".join(
        [
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//srm//capture//EN\r\n",
            *(line + "\r\n" for line in header),
            *(p.text if p.text.endswith("\n") else p.text + "\r\n" for p in parts),
            "END:VCALENDAR\r\n",
        ]
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            calendar = icalendar.Calendar.from_ical(text)
            for event in calendar.walk("VEVENT"):
                _check_zone(event, where)
            # a day of margin on each side: bounds are compared in each event's own
            # zone; the exact local bounds are applied by the caller
            found = recurring_ical_events.of(calendar).between(
                since - timedelta(days=1), until + timedelta(days=1)
            )
            occurrences = list(found)
    except InvalidValueError:
        raise
    except Exception as exc:  # the library's own errors for a broken rule or date
        raise InvalidValueError(
            f"{where}: the recurring event {uid!r} cannot be expanded ({_first_line(exc)})"
        ) from None
    for event in occurrences:
        yield _meeting(event, where, uid, event.get("RECURRENCE-ID"))


def _meeting(event: Any, where: str, uid: str, recurrence: Any) -> Meeting:
    start_prop = event.get("DTSTART")
    if start_prop is None:
        raise InvalidValueError(f"{where}: the event has no start (DTSTART)")
    raw_start = start_prop.dt
    all_day = not isinstance(raw_start, datetime)
    end_value = _end(event, raw_start)
    start = _local(raw_start)
    end = _local(end_value) if end_value is not None else None
    minutes: int | None = None
    if not all_day and end_value is not None:
        span = _span(raw_start, end_value)
        minutes = max(0, round(span.total_seconds() / 60))
    key = uid
    if recurrence is not None:
        key = f"{uid}\x1f{_identity(recurrence.dt)}"
    organizer = _person(event.get("ORGANIZER"))
    attendees = [p for p in (_person(a) for a in _listed(event.get("ATTENDEE"))) if p]
    links = " ".join(
        str(event.get(prop) or "")
        for prop in ("X-MICROSOFT-SKYPETEAMSMEETINGURL", "X-GOOGLE-CONFERENCE", "CONFERENCE", "URL")
    )
    return Meeting(
        where=where,
        key=key,
        start=start,
        end=end,
        minutes=minutes,
        summary=_text(event.get("SUMMARY")),
        description=_text(event.get("DESCRIPTION")),
        location=_text(event.get("LOCATION")),
        links=links,
        organizer=organizer,
        attendees=attendees,
        cancelled=_text(event.get("STATUS")).strip().upper() == "CANCELLED",
        private=_text(event.get("CLASS")).strip().upper() in ("PRIVATE", "CONFIDENTIAL"),
    )


def _end(event: Any, start: date | datetime) -> date | datetime | None:
    end_prop = event.get("DTEND")
    if end_prop is not None:
        return end_prop.dt  # type: ignore[no-any-return]
    duration = event.get("DURATION")
    if duration is not None and isinstance(duration.dt, timedelta):
        return start + duration.dt
    if not isinstance(start, datetime):
        return start + timedelta(days=1)  # RFC 5545: a date start alone is one day
    return None


def _span(start: date | datetime, end: date | datetime) -> timedelta:
    if isinstance(start, datetime) and isinstance(end, datetime):
        if (start.tzinfo is None) != (end.tzinfo is None):
            return _local(end) - _local(start)
        return end - start
    return _local(end) - _local(start)


def _local(value: date | datetime) -> datetime:
    """Local wall-clock time without tzinfo, as the journal stores times."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time())
    if value.tzinfo is None:
        return value  # floating: the same wall-clock time wherever one is
    zone = _database_zone(value.tzinfo)
    if zone is not None:
        value = value.replace(tzinfo=zone)
    return value.astimezone().replace(tzinfo=None)


@functools.lru_cache(maxsize=64)
def _database_zone(tzinfo: tzinfo) -> tzinfo | None:
    """The time-zone database's zone for a VTIMEZONE that names one, directly or by the
    Windows name Outlook writes ("W. Europe Standard Time" is Europe/Berlin): the same
    rules, and a hundred times faster to convert with than the file's own block (which
    dateutil walks from the year 1601 on every lookup). None for any other zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    tzid = getattr(tzinfo, "_tzid", None)
    if not isinstance(tzid, str) or isinstance(tzinfo, ZoneInfo):
        return None
    try:
        return ZoneInfo(WINDOWS_TO_OLSON.get(tzid.strip("/"), tzid.strip("/")))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _identity(value: date | datetime) -> str:
    """An occurrence's original start, the same whatever zone the machine is in."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        from datetime import UTC

        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    if isinstance(value, datetime):
        return value.strftime("%Y%m%dT%H%M%S")
    return value.strftime("%Y%m%d")


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


# the person of an ORGANIZER or ATTENDEE value: the reader hands out one value object per
# distinct line, so the same people are read once (the entry keeps its value alive, so
# its id is not reused while it is here)
_PEOPLE: dict[int, tuple[Any, Person | None]] = {}


def _person(value: Any) -> Person | None:
    if value is None:
        return None
    known = _PEOPLE.get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    if len(_PEOPLE) >= 4096:
        _PEOPLE.clear()
    person = _read_person(value)
    _PEOPLE[id(value)] = (value, person)
    return person


def _read_person(value: Any) -> Person | None:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    address = text.strip().lower()
    if "@" not in address:
        return None
    params = getattr(value, "params", {}) or {}
    name = str(params.get("CN") or "").strip().strip('"').strip() or None
    declined = str(params.get("PARTSTAT") or "").upper() == "DECLINED"
    return Person(address, name, declined)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)
