"""Rules for the free-form fields of a record, shared by every write path: the ORM
services, bulk import and the lean SQLite path of `srm log`. Pure: no database imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from srmcli import limits
from srmcli.errors import InvalidValueError
from srmcli.vocab import Tactic, parse_choice

# what a name, a tag or a title may not hold (SPEC §13): the C0 and C1 controls with tab,
# newline and DEL among them, and the line and paragraph separators; notes keep newlines
_NOT_IN_NAMES = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str, what: str) -> str:
    """`text` when it is one line of text: no tab, newline or other control character
    (which `str.split` would otherwise fold away unseen), and nothing a journal refuses."""
    found = _NOT_IN_NAMES.search(text)
    if found is not None:
        code = ord(found.group())
        shown = {9: "a tab", 10: "a newline", 13: "a carriage return"}.get(
            code,
            f"the control character \\x{code:02x}"
            if code <= 0xFF
            else f"the line separator \\u{code:04x}",
        )
        raise InvalidValueError(
            f"the {what} holds {shown}; names, aliases, tags, titles and categories are one "
            "line of text without control characters"
        )
    return limits.checked(text, f"the {what}")


def optional_line(text: str | None, what: str) -> str | None:
    """A title or a category: one line, trimmed; blank is none."""
    cleaned = one_line(text or "", what).strip()
    return cleaned or None


def clean_name(name: str | None, what: str = "supplier name") -> str:
    cleaned = " ".join(one_line(name or "", what).split())
    if not cleaned:
        raise InvalidValueError(f"the {what} is empty; give a name")
    if len(cleaned) > 200:
        raise InvalidValueError(f"the {what} is longer than 200 characters")
    return cleaned


def clean_person(name: str | None) -> str:
    """A contact's name: `;` separates the people of an interaction's `contacts` column."""
    cleaned = clean_name(name, "contact name")
    if ";" in cleaned:
        raise InvalidValueError(
            "a contact name cannot contain ';' (it separates the people of an interaction in CSV)"
        )
    return cleaned


def clean_list(values: Iterable[str] | None, what: str, *, kept: Iterable[str] = ()) -> list[str]:
    """Trimmed, de-duplicated words for aliases and tags; `;` is the CSV list separator.
    `kept` are words the record already holds, which stay as they are (a journal from
    before a rule may hold one the rule now refuses), ahead of the new ones."""
    out: list[str] = list(kept)
    article = "an" if what[:1] in "aeiou" else "a"
    for value in values or ():
        word = " ".join(one_line(str(value), what).split())
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
    return limits.checked(text, "the note")


def parse_tactics(values: Iterable[str] | None) -> list[str]:
    out: list[str] = []
    for value in values or ():
        tactic = parse_choice(Tactic, value, "tactic").value
        if tactic not in out:
            out.append(tactic)
    return out
