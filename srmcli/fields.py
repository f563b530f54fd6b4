"""Rules for the free-form fields of a record, shared by every write path: the ORM
services, bulk import and the lean SQLite path of `srm log`. Pure: no database imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from srmcli.errors import InvalidValueError
from srmcli.vocab import Tactic, parse_choice


def clean_name(name: str | None, what: str = "supplier name") -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise InvalidValueError(f"the {what} is empty; give a name")
    if len(cleaned) > 200:
        raise InvalidValueError(f"the {what} is longer than 200 characters")
    return cleaned


def clean_list(values: Iterable[str] | None, what: str) -> list[str]:
    """Trimmed, de-duplicated words for aliases and tags; `;` is the CSV list separator."""
    out: list[str] = []
    article = "an" if what[:1] in "aeiou" else "a"
    for value in values or ():
        word = " ".join(str(value).split())
        if not word:
            raise InvalidValueError(f"{article} {what} is empty; give its text or leave it out")
        if ";" in word:
            raise InvalidValueError(
                f"{article} {what} cannot contain ';' (it separates lists in CSV)"
            )
        if word.casefold() not in {w.casefold() for w in out}:
            out.append(word)
    return out


def clean_note(note: str | None) -> str:
    """A note keeps its inner layout; only blank leading/trailing lines go."""
    text = (note or "").strip("\n")
    if not text.strip():
        raise InvalidValueError("the note is empty; nothing was logged")
    return text


def parse_duration(value: int | str | None) -> int | None:
    if value is None or value == "":
        return None
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        raise InvalidValueError(f"duration {value!r} is not a whole number of minutes") from None
    if minutes < 0 or minutes > 24 * 60:
        raise InvalidValueError(f"duration {value!r} must be between 0 and 1440 minutes")
    return minutes


def parse_tactics(values: Iterable[str] | None) -> list[str]:
    out: list[str] = []
    for value in values or ():
        tactic = parse_choice(Tactic, value, "tactic").value
        if tactic not in out:
            out.append(tactic)
    return out


def parse_number(value: Any, what: str, *, integer: bool = False, positive: bool = False) -> Any:
    """A user-typed amount: None when blank, else a non-negative (or positive) number."""
    if value is None or value == "":
        return None
    try:
        number = int(value) if integer else float(value)
    except (TypeError, ValueError):
        kind = "a whole number" if integer else "a number"
        raise InvalidValueError(f"{what} {value!r} is not {kind}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InvalidValueError(f"{what} {value!r} is not a finite number")
    if number < 0 or (positive and number == 0):
        raise InvalidValueError(f"{what} must be {'above' if positive else 'at least'} 0")
    if integer and number > LARGEST:
        raise InvalidValueError(f"{what} {value!r} is too large; the most accepted is {LARGEST:,}")
    return number


# the largest whole number both SQLite and PostgreSQL `integer` columns hold
LARGEST = 2_147_483_647
