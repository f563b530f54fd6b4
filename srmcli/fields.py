"""Rules for the free-form fields of a record, shared by every write path: the ORM
services, bulk import and the lean SQLite path of `srm log`. Pure: no database imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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


_DOMAIN_LABEL = re.compile(r"(?!-)[^\W_](?:[\w-]*[^\W_])?", re.UNICODE)


def clean_domains(values: Iterable[str] | None) -> list[str]:
    """Email domains (`northwind.example`), casefolded and de-duplicated; a leading `@`
    (as in `@northwind.example`) is dropped. Anything that is not a dotted name is
    refused: a domain decides whose every message and meeting is, so no guessing."""
    out: list[str] = []
    for value in values or ():
        text = str(value).strip().casefold()
        domain = text[1:] if text.startswith("@") else text
        labels = domain.split(".")
        if len(labels) < 2 or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels):
            raise InvalidValueError(
                f"{str(value)!r} is not an email domain; give one like northwind.example "
                "(the part of their addresses after @)"
            )
        if domain not in out:
            out.append(domain)
    return out


def clean_note(note: str | None) -> str:
    """A note keeps its inner layout; only blank leading/trailing lines go."""
    text = (note or "").strip("\n")
    if not text.strip():
        raise InvalidValueError("the note is empty; nothing was logged")
    return text


def parse_tactics(values: Iterable[str] | None) -> list[str]:
    out: list[str] = []
    for value in values or ():
        tactic = parse_choice(Tactic, value, "tactic").value
        if tactic not in out:
            out.append(tactic)
    return out
