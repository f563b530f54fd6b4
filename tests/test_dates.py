"""The natural-date grammar of SPEC §3 (`WHEN`) and the `SRM_NOW` clock."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srmcli import dates
from srmcli.dates import days_between, iso, parse_day, parse_when
from srmcli.errors import InvalidValueError

BASE = datetime(2026, 11, 25, 10, 30)  # a Wednesday
MIDNIGHT = datetime(2026, 11, 25)


def test_base_is_a_wednesday() -> None:
    assert BASE.weekday() == 2


# (text, expected with lean="past", expected with lean="future")
CASES: list[tuple[str, datetime, datetime]] = [
    ("now", BASE, BASE),
    ("today", MIDNIGHT, MIDNIGHT),
    ("yesterday", datetime(2026, 11, 24), datetime(2026, 11, 24)),
    ("tomorrow", datetime(2026, 11, 26), datetime(2026, 11, 26)),
    ("3 days ago", datetime(2026, 11, 22), datetime(2026, 11, 22)),
    ("1 day ago", datetime(2026, 11, 24), datetime(2026, 11, 24)),
    ("0 days ago", MIDNIGHT, MIDNIGHT),
    ("2 weeks ago", datetime(2026, 11, 11), datetime(2026, 11, 11)),
    ("1 week ago", datetime(2026, 11, 18), datetime(2026, 11, 18)),
    ("in 4 days", datetime(2026, 11, 29), datetime(2026, 11, 29)),
    ("in 1 day", datetime(2026, 11, 26), datetime(2026, 11, 26)),
    ("in 1 week", datetime(2026, 12, 2), datetime(2026, 12, 2)),
    ("in 2 weeks", datetime(2026, 12, 9), datetime(2026, 12, 9)),
    ("in 10 days", datetime(2026, 12, 5), datetime(2026, 12, 5)),
    # bare weekday: the most recent (past) or the next (future), today included
    ("friday", datetime(2026, 11, 20), datetime(2026, 11, 27)),
    ("monday", datetime(2026, 11, 23), datetime(2026, 11, 30)),
    ("tuesday", datetime(2026, 11, 24), datetime(2026, 12, 1)),
    ("thursday", datetime(2026, 11, 19), datetime(2026, 11, 26)),
    ("sunday", datetime(2026, 11, 22), datetime(2026, 11, 29)),
    ("wednesday", MIDNIGHT, MIDNIGHT),
    # last/next: always strictly away from today, whatever the lean
    ("last friday", datetime(2026, 11, 20), datetime(2026, 11, 20)),
    ("next friday", datetime(2026, 11, 27), datetime(2026, 11, 27)),
    ("last wednesday", datetime(2026, 11, 18), datetime(2026, 11, 18)),
    ("next wednesday", datetime(2026, 12, 2), datetime(2026, 12, 2)),
    ("last thursday", datetime(2026, 11, 19), datetime(2026, 11, 19)),
    ("next tuesday", datetime(2026, 12, 1), datetime(2026, 12, 1)),
    # abbreviations
    ("fri", datetime(2026, 11, 20), datetime(2026, 11, 27)),
    ("wed", MIDNIGHT, MIDNIGHT),
    ("thu", datetime(2026, 11, 19), datetime(2026, 11, 26)),
    ("thurs", datetime(2026, 11, 19), datetime(2026, 11, 26)),
    ("tues", datetime(2026, 11, 24), datetime(2026, 12, 1)),
    ("last fri", datetime(2026, 11, 20), datetime(2026, 11, 20)),
    ("next fri", datetime(2026, 11, 27), datetime(2026, 11, 27)),
    # case and whitespace
    ("  Last  Friday ", datetime(2026, 11, 20), datetime(2026, 11, 20)),
    ("FRIDAY", datetime(2026, 11, 20), datetime(2026, 11, 27)),
    ("Next\tWednesday", datetime(2026, 12, 2), datetime(2026, 12, 2)),
    (" Today ", MIDNIGHT, MIDNIGHT),
    ("NOW", BASE, BASE),
    ("3  Days   Ago", datetime(2026, 11, 22), datetime(2026, 11, 22)),
    ("In 4 DAYS", datetime(2026, 11, 29), datetime(2026, 11, 29)),
    # ISO dates and datetimes are absolute
    ("2026-11-20", datetime(2026, 11, 20), datetime(2026, 11, 20)),
    ("2024-02-29", datetime(2024, 2, 29), datetime(2024, 2, 29)),
    ("2026-11-20 14:30", datetime(2026, 11, 20, 14, 30), datetime(2026, 11, 20, 14, 30)),
    (
        "2026-11-20T14:30:05",
        datetime(2026, 11, 20, 14, 30, 5),
        datetime(2026, 11, 20, 14, 30, 5),
    ),
    (
        "2026-11-20 14:30:05",
        datetime(2026, 11, 20, 14, 30, 5),
        datetime(2026, 11, 20, 14, 30, 5),
    ),
    ("2026-11-20t14:30", datetime(2026, 11, 20, 14, 30), datetime(2026, 11, 20, 14, 30)),
    (" 2026-11-20 ", datetime(2026, 11, 20), datetime(2026, 11, 20)),
]

IDS = [repr(case[0]) for case in CASES]


@pytest.mark.parametrize(("text", "past", "future"), CASES, ids=IDS)
def test_parse_when_with_base(text: str, past: datetime, future: datetime) -> None:
    assert parse_when(text, lean="past", base=BASE) == past
    assert parse_when(text, lean="future", base=BASE) == future


@pytest.mark.parametrize(("text", "past", "future"), CASES, ids=IDS)
def test_parse_when_with_srm_now(
    monkeypatch: pytest.MonkeyPatch, text: str, past: datetime, future: datetime
) -> None:
    monkeypatch.setenv("SRM_NOW", BASE.isoformat())
    assert parse_when(text) == past  # past is the default lean
    assert parse_when(text, lean="past") == past
    assert parse_when(text, lean="future") == future


@pytest.mark.parametrize(("text", "past", "future"), CASES, ids=IDS)
def test_parse_day_returns_the_calendar_date(text: str, past: datetime, future: datetime) -> None:
    day = parse_day(text, base=BASE)
    assert type(day) is date
    assert day == past.date()
    assert parse_day(text, lean="future", base=BASE) == future.date()


def test_parse_when_returns_naive_datetimes() -> None:
    for text in ("now", "today", "friday", "2026-11-20", "2026-11-20 14:30"):
        value = parse_when(text, base=BASE)
        assert type(value) is datetime
        assert value.tzinfo is None


def test_date_only_forms_mean_the_start_of_the_day() -> None:
    for text in ("today", "yesterday", "3 days ago", "in 1 week", "friday", "last friday"):
        value = parse_when(text, base=BASE)
        assert (value.hour, value.minute, value.second) == (0, 0, 0)


def test_every_weekday_leans_within_a_week() -> None:
    for name in dates.WEEKDAYS:
        past = parse_when(name, lean="past", base=BASE)
        future = parse_when(name, lean="future", base=BASE)
        last = parse_when(f"last {name}", base=BASE)
        nxt = parse_when(f"next {name}", base=BASE)
        for value in (past, future, last, nxt):
            assert value.strftime("%A").lower() == name
        assert 0 <= (MIDNIGHT - past).days <= 6
        assert 0 <= (future - MIDNIGHT).days <= 6
        assert 1 <= (MIDNIGHT - last).days <= 7
        assert 1 <= (nxt - MIDNIGHT).days <= 7


def test_relative_forms_cross_month_and_year_boundaries() -> None:
    new_year = datetime(2027, 1, 1, 9, 0)  # a Friday
    assert parse_when("yesterday", base=new_year) == datetime(2026, 12, 31)
    assert parse_when("last friday", base=new_year) == datetime(2026, 12, 25)
    assert parse_when("friday", base=new_year) == datetime(2027, 1, 1)
    assert parse_when("in 2 weeks", base=datetime(2026, 12, 25)) == datetime(2027, 1, 8)
    assert parse_when("1 day ago", base=datetime(2024, 3, 1)) == datetime(2024, 2, 29)


INVALID = [
    "",
    "   ",
    "someday",
    "2026-02-30",
    "2026-13-01",
    "2026-11-20 25:00",
    "2026-11-20 14:60",
    "25:00",
    "in x days",
    "friday next",
    "next",
    "last",
    "fr",
    "fridays",
    "weds",
    "3 months ago",
    "in 3 fortnights",
    "-3 days ago",
    "in -3 days",
    "2026/11/20",
    "20-11-2026",
    "2026-11-20 14",
    "in 99999999 days",
    "99999999999999999999 weeks ago",
    "\u00b2 days ago",  # a superscript two: str.isdigit() says yes, int() says no
]


@pytest.mark.parametrize("text", INVALID, ids=[repr(t) for t in INVALID])
@pytest.mark.parametrize("lean", ["past", "future"])
def test_invalid_inputs_name_the_accepted_forms(text: str, lean: dates.Lean) -> None:
    with pytest.raises(InvalidValueError) as info:
        parse_when(text, lean=lean, base=BASE)
    message = str(info.value)
    assert dates.ACCEPTED in message
    for form in ("today", "days ago", "in N days", "friday", "YYYY-MM-DD"):
        assert form in message


def test_invalid_input_raises_from_parse_day_too() -> None:
    with pytest.raises(InvalidValueError):
        parse_day("someday", base=BASE)


@pytest.mark.parametrize(
    ("earlier", "later", "expected"),
    [
        (date(2026, 11, 20), date(2026, 11, 25), 5),
        (date(2026, 11, 25), date(2026, 11, 20), -5),
        (date(2026, 11, 25), date(2026, 11, 25), 0),
        (datetime(2026, 11, 24, 23, 59), datetime(2026, 11, 25, 0, 1), 1),
        (datetime(2026, 11, 25, 0, 0), datetime(2026, 11, 25, 23, 59), 0),
        (date(2026, 11, 24), datetime(2026, 11, 25, 10, 30), 1),
        (datetime(2026, 12, 31, 12), date(2027, 1, 1), 1),
        (date(2024, 2, 28), date(2024, 3, 1), 2),
        (date(2025, 2, 28), date(2025, 3, 1), 1),
    ],
)
def test_days_between_counts_calendar_dates(
    earlier: date | datetime, later: date | datetime, expected: int
) -> None:
    assert days_between(earlier, later) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 11, 20), "2026-11-20"),
        (date(1900, 1, 1), "1900-01-01"),
        (datetime(2026, 11, 20, 14, 30), "2026-11-20T14:30:00"),
        (datetime(2026, 11, 20, 14, 30, 5), "2026-11-20T14:30:05"),
        (datetime(2026, 11, 20), "2026-11-20T00:00:00"),
        (datetime(2026, 11, 20, 14, 30, 5, 999_999), "2026-11-20T14:30:05"),
        (None, None),
    ],
)
def test_iso_formats(value: date | datetime | None, expected: str | None) -> None:
    assert iso(value) == expected


def test_now_honours_srm_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SRM_NOW", "2026-11-25T10:30:00")
    assert dates.now() == BASE
    assert dates.today() == date(2026, 11, 25)


def test_now_accepts_a_date_only_srm_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SRM_NOW", "2026-11-25")
    assert dates.now() == MIDNIGHT
    assert dates.today() == date(2026, 11, 25)
    assert parse_when("now") == MIDNIGHT
    assert parse_when("friday") == datetime(2026, 11, 20)


def test_now_with_srm_now_is_naive_and_whole_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SRM_NOW", " 2026-11-25 10:30:00.123456+02:00 ")
    value = dates.now()
    assert value == BASE
    assert value.tzinfo is None


def test_now_without_srm_now_is_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SRM_NOW", raising=False)
    before = datetime.now().replace(microsecond=0)
    value = dates.now()
    after = datetime.now()
    assert before <= value <= after
    assert value.microsecond == 0
    assert value.tzinfo is None


def test_blank_srm_now_means_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SRM_NOW", "  ")
    assert abs((datetime.now() - dates.now()).total_seconds()) < 5


@pytest.mark.parametrize("bad", ["yesterday", "2026-02-30", "not a date", "2026-11-25 25:00"])
def test_invalid_srm_now_raises(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv("SRM_NOW", bad)
    with pytest.raises(InvalidValueError, match="SRM_NOW"):
        dates.now()
    with pytest.raises(InvalidValueError, match="SRM_NOW"):
        parse_when("today")


def test_explicit_base_wins_over_srm_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SRM_NOW", "2000-01-01T00:00:00")
    assert parse_when("today", base=BASE) == MIDNIGHT


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_any_date_round_trips(d: date) -> None:
    parsed = parse_when(d.isoformat(), base=BASE)
    assert parsed == datetime(d.year, d.month, d.day)
    assert parse_day(d.isoformat(), lean="future", base=BASE) == d
    assert iso(parsed.date()) == d.isoformat()


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2200, 12, 31, 23, 59, 59),
    ).map(lambda dt: dt.replace(microsecond=0))
)
def test_any_datetime_round_trips(dt: datetime) -> None:
    text = dt.isoformat(sep=" ")
    parsed = parse_when(text, base=BASE)
    assert parsed == dt
    assert iso(parsed) == dt.isoformat()
    assert parse_when(iso(parsed) or "", lean="future", base=BASE) == dt
