"""Every typed value srm reads from text — options, arguments and the cells of imported
files — parsed in one place, with one wording of refusals:

    <what> '<text>' is not accepted; give <what is accepted>

`what` names the option (`--tone`) or the field (`tone`; importers prefix
`line N: column:`). Digits are ASCII only: `int("٢")`, `int("1_0")` and `float("1e3")`
accept what no buyer meant, so nothing here calls them on unchecked text. Pure and
stdlib-only: `srm log` and completion import it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from srmcli.errors import InvalidValueError

# a whole number both SQLite and PostgreSQL `integer` columns hold
LARGEST = 2_147_483_647
# no count, amount or id a buyer types has more digits; longer is a slip (or an attack
# on int()'s quadratic conversion), refused before any arithmetic
MOST_DIGITS = 30

_WHOLE = re.compile(r"([+-]?)([0-9]+)", re.ASCII)
_PLAIN_AMOUNT = re.compile(r"([+-]?)([0-9]+)(?:\.([0-9]+))?", re.ASCII)

Mark = Literal[",", "."]


def refused(what: str, text: object, accepted: str) -> InvalidValueError:
    """The one wording of a refused value: `<what> '<text>' is not accepted; give …`."""
    return InvalidValueError(f"{what} {_shown(text)} is not accepted; give {accepted}")


def _shown(text: object) -> str:
    shown = text if isinstance(text, str) else str(text)
    # a pasted paragraph in a number's place is named, not echoed whole
    return repr(shown if len(shown) <= 60 else shown[:57] + "...")


def _range_words(lo: int | None, hi: int | None, noun: str) -> str:
    if lo is not None and hi is not None:
        return f"{noun} from {lo} to {hi}"
    if lo is not None:
        return f"{noun}, {lo} or more"
    if hi is not None:
        return f"{noun} up to {hi}"
    return noun


def blank(text: object) -> bool:
    """Nothing given: None, or text of spaces only (an empty cell, `--duration ''`)."""
    return text is None or (isinstance(text, str) and not text.strip())


def whole_number(
    text: object,
    what: str,
    lo: int | None = None,
    hi: int | None = None,
    *,
    accepted: str | None = None,
) -> int:
    """A whole number from `lo` to `hi` (either may be open), typed in ASCII digits.

    A sign is read only when negative numbers are in range (so `+5` minutes is refused
    like `-5`); surrounding spaces are ignored. An int (a JSON cell) is checked alike.
    """
    wording = accepted or _range_words(lo, hi, "a whole number")
    if isinstance(text, bool):
        raise refused(what, text, wording)
    if isinstance(text, int):
        number = text
    else:
        match = _WHOLE.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None or len(match.group(2)) > MOST_DIGITS:
            raise refused(what, text, wording)
        if match.group(1) and lo is not None and lo >= 0:
            raise refused(what, text, wording)
        number = int(match.group(1) + match.group(2))
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        raise refused(what, text, wording)
    return number


def amount(
    text: object,
    what: str,
    *,
    decimal: Mark | None = None,
    lo: Decimal | int | None = None,
    accepted: str | None = None,
    hint: str = "",
) -> Decimal:
    """A number that may have decimals: `1234`, `1234.5`, `-3` (SPEC §9).

    Without `decimal`, a mark that could be a thousands separator is refused rather
    than guessed: `1.000`, `12.345`, `1,000`, `1,5`, `1.234,5`, `1 234`. With
    `decimal="."` or `","` that mark is the decimal one and the other mark and spaces
    separate thousands (in groups of three). An int or float (a JSON cell) is taken as
    it is when finite. `hint` follows the refusal of an ambiguous mark (an importer
    names its `--decimal` option there).
    """
    wording = accepted or _range_words(
        None if lo is None else int(lo), None, "a number such as 1234 or 1234.5"
    )
    if isinstance(text, bool):
        raise refused(what, text, wording)
    if isinstance(text, int | float | Decimal):
        number = Decimal(str(text)) if isinstance(text, float) else Decimal(text)
        if not number.is_finite() or number.adjusted() >= MOST_DIGITS:
            raise refused(what, text, wording)
    elif isinstance(text, str):
        number = _amount_text(text, what, decimal, wording, hint)
        if text.strip().startswith(("+", "-")) and lo is not None and lo >= 0:
            raise refused(what, text, wording)  # no sign where negatives are out of range
    else:
        raise refused(what, text, wording)
    if lo is not None and number < lo:
        raise refused(what, text, wording)
    return number


# spaces between thousands: a plain one, or the no-break (U+00A0) and narrow no-break
# (U+202F) spaces French and Swiss spreadsheets write
_SPACES = " \u00a0\u202f"
_GROUPED = {
    ".": re.compile(
        rf"([+-]?)([0-9]{{1,3}}(?:[,{_SPACES}][0-9]{{3}})+|[0-9]+)(?:\.([0-9]+))?", re.ASCII
    ),
    ",": re.compile(
        rf"([+-]?)([0-9]{{1,3}}(?:[.{_SPACES}][0-9]{{3}})+|[0-9]+)(?:,([0-9]+))?", re.ASCII
    ),
}


_MARKS_HINT = (
    "; a '.' or ',' before three digits may separate thousands, so write the number"
    " without thousands separators and with '.' for decimals"
)


def _amount_text(text: str, what: str, decimal: Mark | None, wording: str, hint: str) -> Decimal:
    cleaned = text.strip()
    if decimal is None:
        match = _PLAIN_AMOUNT.fullmatch(cleaned)
        if match is None:
            marks = ""
            if re.fullmatch(rf"[+-]?[0-9][0-9.,{_SPACES}]*", cleaned, re.ASCII):
                marks = _MARKS_HINT + hint
            raise refused(what, text, wording + marks)
        whole, fraction = match.group(2), match.group(3)
        if fraction is not None and len(fraction) == 3 and len(whole) <= 3 and whole[0] != "0":
            # `1.000` is one thousand to half of Europe: never guess which
            raise refused(what, text, wording + _MARKS_HINT + hint)
    else:
        match = _GROUPED[decimal].fullmatch(cleaned)
        if match is None:
            raise refused(what, text, wording)
        whole, fraction = match.group(2), match.group(3)
        whole = re.sub(rf"[.,{_SPACES}]", "", whole)
    if len(whole) + len(fraction or "") > MOST_DIGITS:
        raise refused(what, text, wording)
    return Decimal(match.group(1) + whole + ("." + fraction if fraction else ""))


def plain(number: Decimal) -> int | float:
    """An amount as the journal's numeric columns hold it: whole numbers as int."""
    return int(number) if number == number.to_integral_value() else float(number)


# -- the kinds of value srm's options take -----------------------------------------------


def tone(text: object, what: str = "tone") -> int:
    """-2 (hostile) … 0 … +2 (warm)."""
    return whole_number(text, what, -2, 2)


def severity(text: object, what: str = "severity") -> int:
    return whole_number(text, what, 1, 4, accepted="1 (critical), 2, 3 or 4 (minor)")


def rating(text: object, what: str = "rating") -> int:
    return whole_number(text, what, 1, 5)


def minutes(text: object, what: str = "duration") -> int:
    """A duration in minutes: 0 to a day."""
    return whole_number(text, what, 0, 24 * 60, accepted="a whole number of minutes, 0 to 1440")


def days(text: object, what: str) -> int:
    """A number of days, 1 or more (`--cadence`, `--window`)."""
    return whole_number(
        text, what, 1, LARGEST, accepted="a whole number of days, 1 or more (e.g. 90)"
    )


def count(text: object, what: str, of: str) -> int:
    """How many entries or results to keep (`-n`), 1 or more."""
    return whole_number(text, what, 1, None, accepted=f"a number of {of}, 1 or more")


def record_id(text: object, what: str) -> int:
    """A record's number as listings show it: `12` or `#12`."""
    cleaned = text.strip().removeprefix("#") if isinstance(text, str) else text
    try:
        return whole_number(cleaned, what, 1, LARGEST)
    except InvalidValueError:
        raise refused(what, text, "the number shown in the listing, e.g. 12") from None


# -- dates in data -------------------------------------------------------------------------

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_ISO_MOMENT = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]([0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?))?",
    re.ASCII,
)
_DOTTED = re.compile(
    r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})(?: ([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?",
    re.ASCII,
)
DAY_FORMS = "a date as YYYY-MM-DD or DD.MM.YYYY"
MOMENT_FORMS = "a date and time as YYYY-MM-DDTHH:MM:SS, YYYY-MM-DD or DD.MM.YYYY"
_SLASH_HINT = (
    "; a date with slashes (03/04/2026) may be day-first or month-first: say which with"
    " --date-format %d/%m/%Y or --date-format %m/%d/%Y"
)


def day(text: object, what: str, fmt: str | None = None) -> date:
    """A calendar day written in a data cell: ISO (`2026-11-20`), day-first with dots
    (`20.11.2026`), or any form `fmt` (a strftime pattern) gives. A date and time keeps
    its day. Slashes are refused unless `fmt` says which part is the day."""
    return moment(text, what, fmt, forms=DAY_FORMS).date()


def moment(
    text: object, what: str, fmt: str | None = None, *, forms: str = MOMENT_FORMS
) -> datetime:
    """A date and time written in a data cell (see `day`); a date alone is midnight."""
    if isinstance(text, datetime):
        return text.replace(microsecond=0)
    if isinstance(text, date):
        return datetime(text.year, text.month, text.day)
    if not isinstance(text, str):
        raise refused(what, text, forms)
    cleaned = text.strip()
    if not cleaned.isascii():
        raise refused(what, text, forms)
    try:
        if fmt is not None:
            try:
                return datetime.strptime(cleaned, fmt).replace(microsecond=0)
            except ValueError:
                pass  # the ISO and dotted forms are still read
        if _ISO_MOMENT.fullmatch(cleaned):
            return datetime.fromisoformat(cleaned.replace(" ", "T")).replace(microsecond=0)
        if (dotted := _DOTTED.fullmatch(cleaned)) is not None:
            d, m, y, hh, mm, ss = (int(p) if p else 0 for p in dotted.groups())
            return datetime(y, m, d, hh, mm, ss)
    except ValueError:
        raise InvalidValueError(f"{what} {_shown(text)} is not a real date; give {forms}") from None
    if "/" in cleaned and fmt is None:
        raise refused(what, text, forms + _SLASH_HINT)
    if fmt is not None:
        forms = f"{forms}, or a date as {fmt}"
    raise refused(what, text, forms)


# -- how an imported file writes its numbers and dates ------------------------------------

DECIMAL_HINT = ", or say which mark is the decimal one with --decimal , or --decimal ."
DATE_FORMAT_HINT = " (say which with --date-format, e.g. --date-format %d/%m/%Y)"


@dataclass(frozen=True)
class Conventions:
    """How one imported file writes numbers and dates, as the buyer said: `decimal` (the
    decimal mark, from `--decimal`) and `date_format` (a strftime pattern, from
    `--date-format`). Without them nothing ambiguous is read (SPEC §9). Cells a workbook
    typed (numbers, dates) are read as they are: there is nothing to guess."""

    decimal: Mark | None = None
    date_format: str | None = None

    def amount(
        self,
        cell: object,
        what: str,
        *,
        lo: Decimal | int | None = None,
        accepted: str | None = None,
    ) -> Decimal:
        return amount(cell, what, decimal=self.decimal, lo=lo, accepted=accepted, hint=DECIMAL_HINT)

    def number(self, cell: object, what: str) -> object:
        """A numeric cell for a builder that checks its own range (`values.tone`,
        `values.amount`, ...): text that holds a decimal or thousands mark is read here
        by the file's conventions (refused when ambiguous) and handed on as a number;
        anything else is handed on as it is."""
        if not isinstance(cell, str) or blank(cell) or _PLAIN_NUMBER(cell.strip()):
            return cell
        if not _NUMBERISH(cell.strip()):
            return cell  # not a number at all: the builder words the refusal
        number = self.amount(cell, what)
        return int(number) if number == number.to_integral_value() else number

    def day(self, cell: object, what: str) -> date:
        return day(cell, what, self.date_format)

    def moment(self, cell: object, what: str) -> datetime:
        return moment(cell, what, self.date_format)


_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+", re.ASCII).fullmatch
_NUMBERISH = re.compile(rf"[+-]?[0-9][0-9.,{_SPACES}]*", re.ASCII).fullmatch


def decimal_mark(text: object, what: str = "--decimal") -> Mark:
    """`--decimal`: the decimal mark of a file, `,` or `.` (the word too)."""
    cleaned = text.strip().lower() if isinstance(text, str) else ""
    found = {",": ",", "comma": ",", ".": ".", "dot": ".", "point": ".", "period": "."}
    if cleaned not in found:
        raise refused(what, text, ", (as in 1.234,5) or . (as in 1,234.5)")
    mark: Mark = "," if found[cleaned] == "," else "."
    return mark


def date_pattern(text: object, what: str = "--date-format") -> str:
    """`--date-format`: a strftime pattern that names the day, the month and the year
    (`%d/%m/%Y`, `%m/%d/%Y`, `%d/%m/%y %H:%M`), checked by writing a date and reading it
    back."""
    accepted = "a pattern naming day, month and year, e.g. %d/%m/%Y or %m/%d/%Y"
    if not isinstance(text, str) or "%" not in text:
        raise refused(what, text, accepted)
    probe = datetime(2026, 11, 23, 14, 5, 9)
    try:
        back = datetime.strptime(probe.strftime(text), text)
    except ValueError:
        raise refused(what, text, accepted) from None
    if back.date() != probe.date():
        raise refused(what, text, accepted)
    return text
