"""Every typed value srm reads from text goes through `srmcli.values`: one set of rules
(ASCII digits, no underscores, no guessing at thousands separators) and one wording of
refusals, for options and imported files alike."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srmcli import values
from srmcli.errors import InvalidValueError

# -- the parsers, as tables ------------------------------------------------------------

WHOLE = [
    # text, lo, hi, expected (None: refused)
    ("0", None, None, 0),
    ("42", 1, None, 42),
    (" 7 ", 1, 10, 7),
    ("-2", -2, 2, -2),
    ("+2", -2, 2, 2),
    ("2", -2, 2, 2),
    ("3", -2, 2, None),
    ("-3", -2, 2, None),
    ("+5", 0, None, None),  # no sign where negative numbers are out of range
    ("-0", 0, None, None),
    ("\u0662", -2, 2, None),  # ARABIC-INDIC DIGIT TWO
    ("\uff11", None, None, None),  # FULLWIDTH DIGIT ONE
    ("1_0", None, None, None),
    ("1_4", 1, None, None),
    ("1.0", None, None, None),
    ("1e3", None, None, None),
    ("0x10", None, None, None),
    ("", None, None, None),
    ("   ", None, None, None),
    ("- 2", -2, 2, None),
    ("9" * 30, None, None, int("9" * 30)),
    ("9" * 31, None, None, None),
    ("1" + "0" * 5000, None, None, None),  # never int()'s "exceeds the limit" ValueError
]


@pytest.mark.parametrize("text, lo, hi, expected", WHOLE)
def test_whole_numbers(text: str, lo: int | None, hi: int | None, expected: int | None) -> None:
    if expected is None:
        with pytest.raises(InvalidValueError, match=r"^size '.*' is not accepted; give a whole"):
            values.whole_number(text, "size", lo, hi)
    else:
        assert values.whole_number(text, "size", lo, hi) == expected


AMOUNTS = [
    # text, decimal mark, expected (None: refused)
    ("1234", None, Decimal("1234")),
    ("1234.5", None, Decimal("1234.5")),
    ("-3", None, Decimal("-3")),
    ("0.5", None, Decimal("0.5")),
    ("0.500", None, Decimal("0.5")),  # a thousands group never follows a lone 0
    ("1234.567", None, Decimal("1234.567")),  # nor a group of four
    ("1.000", None, None),  # one, or one thousand? never guess
    ("12.345", None, None),
    ("1,000", None, None),
    ("1,5", None, None),
    ("1.234,5", None, None),
    ("1 234", None, None),
    ("1_000", None, None),
    ("1e3", None, None),
    ("nan", None, None),
    ("inf", None, None),
    ("\u0661\u0662", None, None),
    (".5", None, None),
    ("5.", None, None),
    ("1.000", ",", Decimal("1000")),
    ("1.234,5", ",", Decimal("1234.5")),
    ("1 234,5", ",", Decimal("1234.5")),
    # French and Swiss spreadsheets separate thousands with a no-break or a narrow one
    ("1\u00a0234,5", ",", Decimal("1234.5")),
    ("1\u202f234\u202f567,5", ",", Decimal("1234567.5")),
    ("1\u00a0234.5", ".", Decimal("1234.5")),
    ("1\u00a0234", None, None),
    ("1,5", ",", Decimal("1.5")),
    ("1,000", ",", Decimal("1")),
    ("1.23,4", ",", None),  # a thousands group has three digits
    ("1,234.5", ".", Decimal("1234.5")),
    ("1 234", ".", Decimal("1234")),
    ("1.000", ".", Decimal("1")),
    ("1,5", ".", None),
    ("1" * 31, None, None),
]


@pytest.mark.parametrize("text, mark, expected", AMOUNTS)
def test_amounts(text: str, mark: values.Mark | None, expected: Decimal | None) -> None:
    if expected is None:
        with pytest.raises(InvalidValueError, match=r"^spend '.*' is not accepted; give a number"):
            values.amount(text, "spend", decimal=mark)
    else:
        assert values.amount(text, "spend", decimal=mark) == expected


def test_an_ambiguous_amount_says_why() -> None:
    with pytest.raises(InvalidValueError, match="may separate thousands"):
        values.amount("1.000", "qty")
    with pytest.raises(InvalidValueError, match="may separate thousands"):
        values.amount("1\u00a0234,5", "qty")


def test_typed_cells_are_taken_as_they_are() -> None:
    assert values.amount(1.234, "qty") == Decimal("1.234")  # a JSON number is not ambiguous
    assert values.amount(7, "qty") == 7
    assert values.whole_number(2, "tone", -2, 2) == 2
    assert values.amount("-0", "qty") == 0
    for signed in ("-0", "+5", "-5"):
        with pytest.raises(InvalidValueError):
            values.amount(signed, "qty", lo=0)
    for bad in (True, float("nan"), float("inf"), 1e300, 10**40, None, [1]):
        with pytest.raises(InvalidValueError):
            values.amount(bad, "qty")
    with pytest.raises(InvalidValueError):
        values.whole_number(True, "tone", -2, 2)


DAYS = [
    ("2026-11-20", None, date(2026, 11, 20)),
    (" 2026-11-20 ", None, date(2026, 11, 20)),
    ("2026-11-20T14:30", None, date(2026, 11, 20)),
    ("2026-11-20 14:30:05", None, date(2026, 11, 20)),
    ("20.11.2026", None, date(2026, 11, 20)),
    ("3.4.2026", None, date(2026, 4, 3)),  # dots are day-first
    ("03/04/2026", "%d/%m/%Y", date(2026, 4, 3)),
    ("03/04/2026", "%m/%d/%Y", date(2026, 3, 4)),
    ("2026-11-20", "%d/%m/%Y", date(2026, 11, 20)),  # ISO is always read
    ("03/04/2026", None, None),
    ("2026-02-30", None, None),
    ("31.02.2026", None, None),
    ("\u0662\u0660\u0662\u0666-11-20", None, None),
    ("friday", None, None),
    ("20261120", None, None),
    ("", None, None),
]


@pytest.mark.parametrize("text, fmt, expected", DAYS)
def test_days_in_data(text: str, fmt: str | None, expected: date | None) -> None:
    if expected is None:
        with pytest.raises(InvalidValueError, match=r"^due '.*' is not (accepted|a real date)"):
            values.day(text, "due", fmt)
    else:
        assert values.day(text, "due", fmt) == expected


def test_slashes_without_a_format_are_refused_with_the_reason() -> None:
    with pytest.raises(InvalidValueError, match="day-first or month-first"):
        values.day("03/04/2026", "due")


def test_a_moment_keeps_its_time_and_a_day_is_midnight() -> None:
    assert values.moment("2026-11-20T14:30:05.25", "at") == datetime(2026, 11, 20, 14, 30, 5)
    assert values.moment("20.11.2026 09:15", "at") == datetime(2026, 11, 20, 9, 15)
    assert values.moment("2026-11-20", "at") == datetime(2026, 11, 20)


KINDS = [
    # parser, accepted, refused, wording of what is accepted
    (
        values.tone,
        ["-2", "0", "+2", "2"],
        ["3", "-3", "1.5", "\u0662"],
        "a whole number from -2 to 2",
    ),
    (values.severity, ["1", "4"], ["0", "5", "high", "-1"], "1 (critical), 2, 3 or 4 (minor)"),
    (values.rating, ["1", "5"], ["0", "6", "five"], "a whole number from 1 to 5"),
    (
        values.minutes,
        ["0", "1440"],
        ["1441", "-5", "+5", "1_0"],
        "a whole number of minutes, 0 to 1440",
    ),
]


@pytest.mark.parametrize("parse, good, bad, wording", KINDS)
def test_each_kind_of_option(parse, good, bad, wording) -> None:  # noqa: ANN001
    for text in good:
        assert parse(text) == int(text)
    for text in bad:
        with pytest.raises(InvalidValueError) as refused:
            parse(text, "--it")
        assert str(refused.value) == f"--it {text!r} is not accepted; give {wording}"


def test_counts_days_and_record_ids() -> None:
    assert values.count("3", "-n", of="entries") == 3
    assert values.days("90", "--window") == 90
    assert values.record_id("#12", "issue id") == values.record_id("12", "issue id") == 12
    for bad in ("0", "-1", "\u0662", "1_0"):
        with pytest.raises(InvalidValueError, match="a number of entries, 1 or more"):
            values.count(bad, "-n", of="entries")
        with pytest.raises(InvalidValueError, match="a whole number of days, 1 or more"):
            values.days(bad, "--window")
        with pytest.raises(InvalidValueError, match="the number shown in the listing"):
            values.record_id(bad, "issue id")
    with pytest.raises(InvalidValueError):
        values.record_id(str(values.LARGEST + 1), "issue id")


def test_a_long_refused_text_is_not_echoed_whole() -> None:
    with pytest.raises(InvalidValueError) as refused:
        values.tone("x" * 10_000)
    assert len(str(refused.value)) < 150


# -- properties ------------------------------------------------------------------------


@given(st.integers(-(10**29), 10**29), st.integers(-50, 50), st.integers(0, 100))
def test_any_whole_number_in_range_round_trips(n: int, lo: int, width: int) -> None:
    hi = lo + width
    text = str(n)
    if lo <= n <= hi:
        assert values.whole_number(text, "n", lo, hi) == n
    else:
        with pytest.raises(InvalidValueError):
            values.whole_number(text, "n", lo, hi)
    if n >= 0:
        assert values.whole_number(text, "n", 0) == n


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**12), max_value=10**12
    )
)
def test_an_amount_written_plainly_reads_back(number: Decimal) -> None:
    text = format(number, "f")
    whole, _, fraction = text.lstrip("-").partition(".")
    ambiguous = len(fraction) == 3 and len(whole) <= 3 and whole[0] != "0"
    if ambiguous:
        with pytest.raises(InvalidValueError):
            values.amount(text, "n")
    else:
        assert values.amount(text, "n") == number
    assert values.amount(text.replace(".", ","), "n", decimal=",") == number


_NON_ASCII_DIGITS = st.characters(categories=("Nd",)).filter(lambda c: not c.isascii())


@given(st.text("0123456789", max_size=5), _NON_ASCII_DIGITS, st.text("0123456789", max_size=5))
def test_any_text_with_a_non_ascii_digit_is_refused(before: str, digit: str, after: str) -> None:
    text = before + digit + after
    for parse in (
        lambda t: values.whole_number(t, "n"),
        lambda t: values.amount(t, "n"),
        lambda t: values.amount(t, "n", decimal=","),
        values.tone,
        lambda t: values.count(t, "-n", of="entries"),
        lambda t: values.day(t, "due"),
    ):
        with pytest.raises(InvalidValueError):
            parse(text)


def test_values_imports_nothing_heavy() -> None:
    code = (
        "import sys; import srmcli.values; "
        "print([m for m in ('sqlalchemy', 'pydantic', 'sqlmodel', 'typer', 'rich') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- through the command line -----------------------------------------------------------


def _supplier(srm) -> None:  # noqa: ANN001
    srm("supplier", "add", "Northwind Metals", "--alias", "NW", ok=True)


@pytest.mark.parametrize(
    "args, message",
    [
        (["log", "NW", "Call", "--tone", "\u0662"],
         "--tone '\u0662' is not accepted; give a whole number from -2 to 2"),
        (["log", "NW", "Call", "--duration", "1_0"],
         "--duration '1_0' is not accepted; give a whole number of minutes, 0 to 1440"),
        (["log", "NW", "Call", "--issue", "quality", "--severity", "\u0662"],
         "--severity '\u0662' is not accepted; give 1 (critical), 2, 3 or 4 (minor)"),
        (["supplier", "edit", "NW", "--cadence", "1_4"],
         "--cadence '1_4' is not accepted; give a whole number of days, 1 or more (e.g. 90)"),
        (["supplier", "edit", "NW", "--annual-spend", "1.000"],
         "--annual-spend '1.000' is not accepted; give a number, 0 or more"),
        (["supplier", "edit", "NW", "--supplier-revenue", "0"],
         "--supplier-revenue '0' is not accepted; give a number above 0"),
        (["timeline", "NW", "-n", "\u0662"],
         "-n '\u0662' is not accepted; give a number of entries, 1 or more"),
        (["report", "NW", "--window", "9_0"],
         "--window '9_0' is not accepted; give a whole number of days, 1 or more (e.g. 90)"),
    ],
)  # fmt: skip
def test_an_option_refuses_what_the_parser_refuses_and_writes_nothing(srm, args, message) -> None:  # noqa: ANN001
    _supplier(srm)
    before = srm("supplier", "show", "NW", "-f", "json", ok=True).json()
    r = srm(*args)
    assert r.exit_code == 1 and r.stdout == ""
    assert len(r.stderr.splitlines()) == 1 and r.stderr.startswith("Error: " + message)
    assert srm("timeline", "NW", "-f", "json", ok=True).json() == []
    assert srm("supplier", "show", "NW", "-f", "json", ok=True).json() == before


def test_a_plain_number_is_still_taken(srm) -> None:  # noqa: ANN001
    _supplier(srm)
    srm("supplier", "edit", "NW", "--cadence", "14", "--annual-spend", "150000.5", ok=True)
    shown = srm("supplier", "show", "NW", "-f", "json", ok=True).json()
    assert shown["cadence_days"] == 14 and shown["annual_spend"] == 150000.5
    srm("log", "NW", "Call", "--tone", "+2", "--duration", "10", ok=True)
    (row,) = srm("timeline", "NW", "-f", "json", ok=True).json()
    assert row["tone"] == 2 and row["duration_min"] == 10


def test_an_import_refuses_the_same_values_with_its_line(srm, tmp_path: Path) -> None:  # noqa: ANN001
    _supplier(srm)
    path = tmp_path / "i.csv"
    path.write_text(
        "supplier,occurred_at,duration_min,tone,note\n"
        "NW,2026-11-01,5,1,fine\n"
        "NW,2026-11-02,1_0,0,underscored\n"
    )
    r = srm("import", "interactions", str(path))
    assert r.exit_code == 1 and r.stderr == (
        "Error: line 3: duration_min: duration '1_0' is not accepted; "
        "give a whole number of minutes, 0 to 1440\n"
    )
    assert srm("timeline", "NW", "-f", "json", ok=True).json() == []


def test_a_status_report_refuses_an_ambiguous_quantity(srm, tmp_path: Path) -> None:  # noqa: ANN001
    _supplier(srm)
    path = tmp_path / "status.csv"
    path.write_text(
        "po,line,item,qty_ordered,qty_received,promised_date,received_date\n"
        "4411,1,Bolts,1.000,0,2026-11-20,\n"
    )
    r = srm("status", "import", "NW", str(path))
    assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1
    assert r.stderr.startswith("Error: line 2: qty_ordered: qty_ordered '1.000' is not accepted")
    assert "may separate thousands" in r.stderr


def test_a_date_with_a_count_of_thousands_of_digits_is_refused(srm) -> None:  # noqa: ANN001
    _supplier(srm)
    r = srm("log", "NW", "Call", "--date", "9" * 5000 + " days ago")
    assert r.exit_code == 1 and r.stderr.startswith("Error: cannot read the date")
    assert len(r.stderr.splitlines()) == 1
