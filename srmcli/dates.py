"""The natural-date grammar of SPEC §3, the clock (`SRM_NOW`) and day arithmetic. Pure.

Date-only forms mean the start of that day; `now` keeps the time. Weekday names lean
to the past for `--date` (the most recent one, today included) and to the future for
`--due` (the next one, today included); `last`/`next` always step strictly away.

Reports count whole calendar days up to the end of the as-of day T: `day_end(T)` is the
first instant after it, and a window of W days is (T − W, T].
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta
from typing import Literal

from srmcli import config
from srmcli.errors import InvalidValueError
from srmcli.values import MOST_DIGITS

Lean = Literal["past", "future"]

ACCEPTED = (
    "now, today, yesterday, tomorrow, 'N days ago', 'N weeks ago', 'in N days', "
    "'in N weeks', a weekday ('friday', 'last friday', 'next friday'), "
    "YYYY-MM-DD or 'YYYY-MM-DD HH:MM'"
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_ABBR = {name[:3]: i for i, name in enumerate(WEEKDAYS)}
_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7}
_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3}


def now() -> datetime:
    """The current local time to the second, or `SRM_NOW` when it is set."""
    fixed = os.environ.get("SRM_NOW", "").strip()
    if fixed:
        try:
            value = datetime.fromisoformat(fixed)
        except ValueError:
            raise InvalidValueError(
                f"SRM_NOW={fixed!r} is not an ISO date or datetime (e.g. 2026-11-20T14:30:00)"
            ) from None
        return value.replace(tzinfo=None, microsecond=0)
    return datetime.now().replace(microsecond=0)


def today() -> date:
    return now().date()


def _weekday_index(word: str) -> int | None:
    word = word.lower()
    if word in WEEKDAYS:
        return WEEKDAYS.index(word)
    index = _WEEKDAY_ABBR.get(word[:3]) if len(word) >= 3 else None
    if index is not None and WEEKDAYS[index].startswith(word):
        return index
    return None


def _count(word: str) -> int | None:
    # int() of thousands of digits is an error of its own: a longer count is no count
    if word.isascii() and word.isdigit() and len(word) <= MOST_DIGITS:
        return int(word)
    return _WORD_NUMBERS.get(word)


def _shift(start: datetime, days: int, text: str) -> datetime:
    try:
        return start + timedelta(days=days)
    except OverflowError:
        raise InvalidValueError(f"{text!r} is outside the calendar; accepted: {ACCEPTED}") from None


def parse_when(text: str, *, lean: Lean = "past", base: datetime | None = None) -> datetime:
    """Parse a WHEN of SPEC §3 into a naive datetime, or raise InvalidValueError."""
    ref = base if base is not None else now()
    start = datetime.combine(ref.date(), time())
    raw = " ".join(str(text).strip().lower().split())
    if not raw:
        raise InvalidValueError(f"an empty date is not accepted; use {ACCEPTED}")
    if raw == "now":
        return ref
    if raw == "today":
        return start
    if raw == "yesterday":
        return start - timedelta(days=1)
    if raw == "tomorrow":
        return start + timedelta(days=1)

    m = re.fullmatch(r"(\w+) (days?|weeks?) ago", raw)
    if m and _count(m.group(1)) is not None:
        return _shift(start, -_count(m.group(1)) * _UNITS[m.group(2)], text)  # type: ignore[operator]
    m = re.fullmatch(r"in (\w+) (days?|weeks?)", raw)
    if m and _count(m.group(1)) is not None:
        return _shift(start, _count(m.group(1)) * _UNITS[m.group(2)], text)  # type: ignore[operator]

    m = re.fullmatch(r"(?:(last|next|this) )?([a-z]+)", raw)
    if m and (wd := _weekday_index(m.group(2))) is not None:
        step, today_wd = m.group(1), start.weekday()
        if step == "last":
            back = (today_wd - wd) % 7 or 7
            return start - timedelta(days=back)
        if step == "next":
            ahead = (wd - today_wd) % 7 or 7
            return start + timedelta(days=ahead)
        if lean == "past":
            return start - timedelta(days=(today_wd - wd) % 7)
        return start + timedelta(days=(wd - today_wd) % 7)

    # ASCII digits only (`\d` alone also matches other scripts' digits)
    if re.fullmatch(r"(?a)\d{4}-\d{2}-\d{2}", raw):
        try:
            return datetime.combine(date.fromisoformat(raw), time())
        except ValueError:
            raise InvalidValueError(
                f"{text!r} is not a real calendar date; accepted: {ACCEPTED}"
            ) from None
    if re.fullmatch(r"(?a)\d{4}-\d{2}-\d{2}[ t]\d{2}:\d{2}(:\d{2})?", raw):
        try:
            return datetime.fromisoformat(raw.replace(" ", "T").upper())
        except ValueError:
            raise InvalidValueError(
                f"{text!r} is not a real date and time; accepted: {ACCEPTED}"
            ) from None
    raise InvalidValueError(f"cannot read the date {text!r}; accepted: {ACCEPTED}")


def parse_day(text: str, *, lean: Lean = "past", base: datetime | None = None) -> date:
    """Parse a WHEN and keep only its calendar date (for `--from`, `--to`, `--due`)."""
    return parse_when(text, lean=lean, base=base).date()


def days_between(earlier: date | datetime, later: date | datetime) -> int:
    """Whole calendar days from `earlier` to `later` (SPEC §5 counts calendar dates)."""
    a = earlier.date() if isinstance(earlier, datetime) else earlier
    b = later.date() if isinstance(later, datetime) else later
    return (b - a).days


def iso(value: date | datetime | None) -> str | None:
    """`YYYY-MM-DD` for dates, `YYYY-MM-DDTHH:MM:SS` for datetimes, None stays None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat(timespec="seconds")
    return value.isoformat()


def day_start(day: date) -> datetime:
    return datetime.combine(day, time())


def day_end(day: date) -> datetime:
    """The first instant after day `day`: `occurred_at < day_end(T)` means "on or before T"."""
    return datetime.combine(day + timedelta(days=1), time())


def window_start(as_of: date, days: int) -> datetime:
    """The first instant of the window (T − days, T]: 0 ≤ (T − date) < days calendar days."""
    return day_start(as_of - timedelta(days=days - 1))


def months_ending(as_of: date, count: int = 12) -> list[tuple[int, int]]:
    """(year, month) of the `count` calendar months ending with the month of T, oldest first."""
    index = as_of.year * 12 + as_of.month - 1
    return [(i // 12, i % 12 + 1) for i in range(index - count + 1, index + 1)]


def month_ends(as_of: date, count: int) -> list[date]:
    """The last day of each of the `count` calendar months ending with T's month, oldest
    first; the last entry is T itself (its month, as of T)."""
    ends = []
    for year, month in months_ending(as_of, count)[:-1]:
        following = date(year + month // 12, month % 12 + 1, 1)
        ends.append(following - timedelta(days=1))
    return [*ends, as_of]


def parse_window(value: int | str | None) -> int:
    """The --window option: a whole number of days, 1 or more; None means the config default."""
    if value is None or value == "":
        return int(config.load()["window_days"])
    from srmcli import values

    return values.days(value, "--window")


def check_span(as_of: date, window_days: int, year_days: int) -> None:
    """Refuse an as-of day or window whose reach (back to T − W − max(W, Y)) leaves the calendar.

    The trend looks one window back and each measurement a year or a window behind that,
    so a report for 0001-01-05 or a 10 000-year window is a typing slip, not a question.
    """
    try:
        day_end(as_of)
        as_of - timedelta(days=window_days + max(window_days, year_days))
    except OverflowError:
        raise InvalidValueError(
            f"as of {as_of} with a {window_days}-day window reaches outside the calendar; "
            "give a later --as-of or a shorter --window"
        ) from None


QUARTER_FORMS = "a year and quarter such as 2026Q3 (or 2026-Q3), quarters Q1 to Q4"


def parse_quarter(text: str) -> tuple[date, date]:
    """`2026Q3` (or `2026-Q3`, any case): the first and last day of that quarter. A
    quarter without its year (`Q3`) is refused rather than guessed."""
    raw = "".join(str(text).split()).upper()
    m = re.fullmatch(r"(?a)(\d{4})-?Q(\d)", raw)
    if m is None or not 1 <= int(m.group(2)) <= 4:
        hint = " (give the year too, e.g. 2026Q3)" if re.fullmatch(r"(?a)Q\d", raw) else ""
        raise InvalidValueError(
            f"--quarter {text!r} is not a quarter{hint}; accepted: {QUARTER_FORMS}"
        )
    year, quarter = int(m.group(1)), int(m.group(2))
    if year < 1:
        raise InvalidValueError(
            f"--quarter {text!r} is outside the calendar; accepted: {QUARTER_FORMS}"
        )
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, last - timedelta(days=1)


def month_spans(first: date, last: date) -> list[tuple[date, date]]:
    """The calendar months that [first, last] touches, each cut to that span, oldest first."""
    spans = []
    start = first
    while start <= last:
        following = (
            date(start.year + 1, 1, 1)
            if start.month == 12
            else date(start.year, start.month + 1, 1)
        )
        spans.append((start, min(last, following - timedelta(days=1))))
        start = following
    return spans
