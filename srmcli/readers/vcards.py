"""vCard files (`.vcf`, versions 3.0 and 4.0) as Apple Contacts, Google Contacts and
Outlook export them: each card's name, organisation, title, email addresses, phone and
note. Every card is parsed by `vobject`; the file is streamed a card at a time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from srmcli.errors import InvalidValueError
from srmcli.readers.content_lines import blocks


@dataclass
class Card:
    where: str  # file and line where the card begins
    name: str
    organisation: str | None
    title: str | None
    emails: list[str] = field(default_factory=list)  # lower case, preferred first
    phone: str | None = None
    note: str | None = None


def read_vcards(path: str) -> Iterator[Card]:
    import vobject

    target = Path(path).expanduser()
    name = str(target)
    try:
        binary = target.open("rb")
    except FileNotFoundError:
        raise InvalidValueError(f"cannot read {target}: no such file") from None
    except IsADirectoryError:
        raise InvalidValueError(f"{target} is a folder; give the .vcf file to read") from None
    except OSError as exc:
        raise InvalidValueError(f"cannot read {target}: {exc.strerror}") from None
    found = False
    with binary:
        for block in blocks(binary, name, inside=None):
            if block.kind != "VCARD":
                raise InvalidValueError(
                    f"{name}: line {block.line}: BEGIN:{block.kind} is not a vCard; "
                    "give a .vcf file of vCards"
                )
            found = True
            where = f"{name}: line {block.line}"
            try:
                card = vobject.readOne(block.text, validate=False)
            except Exception as exc:  # vobject's ParseError and the odd ValueError
                place = f"{name}: line {_line_of(block.text, block.line, exc)}"
                raise InvalidValueError(f"{place}: not a valid vCard ({_brief(exc)})") from None
            yield _card(card, where)
    if not found:
        raise InvalidValueError(f"{name}: no BEGIN:VCARD found; is this a vCard (.vcf) file?")


def _line_of(text: str, first: int, exc: Exception) -> int:
    """The file line vobject could not read. Its own `lineNumber` counts each line end
    twice, so the line is found by its text; else the card's first line."""
    marker = "Failed to parse line: "
    message = str(exc)
    if marker in message:
        bad = message.split(marker, 1)[1].strip()
        for n, line in enumerate(text.splitlines()):
            line = line.strip()
            # a folded line is reported unfolded: its first physical line starts it
            if line and (line == bad or (len(line) > 1 and bad.startswith(line))):
                return first + n
    return first


def _brief(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    # vobject's own "At line N:" counts lines its own way; the error names the file line
    first = re.sub(r"^At line \d+:\s*", "", text[0]) if text else ""
    return first[:200] or type(exc).__name__


def _card(card: Any, where: str) -> Card:
    contents = card.contents
    name = _value(contents, "fn")
    if not name:
        n = contents.get("n")
        if n:
            parts = n[0].value
            name = " ".join(
                p for p in (getattr(parts, "given", ""), getattr(parts, "family", "")) if p
            )
    if not (name or "").strip():
        raise InvalidValueError(f"{where}: the card has no name (FN or N)")
    org = contents.get("org")
    organisation = None
    if org:
        value = org[0].value
        first = value[0] if isinstance(value, list) and value else value
        organisation = str(first).strip() or None
    emails = [
        str(e.value).strip().lower().removeprefix("mailto:")
        for e in _preferred(contents.get("email", []))
        if str(e.value).strip()
    ]
    phones = [_phone(t.value) for t in _preferred(contents.get("tel", [])) if str(t.value).strip()]
    return Card(
        where=where,
        name=" ".join(str(name).split()),
        organisation=organisation,
        title=_value(contents, "title"),
        emails=emails,
        phone=phones[0] if phones else None,
        note=_value(contents, "note"),
    )


def _value(contents: dict[str, Any], key: str) -> str | None:
    items = contents.get(key)
    if not items:
        return None
    value = items[0].value
    if isinstance(value, list):
        value = " ".join(str(v) for v in value if v)
    text = str(value).strip()
    return text or None


def _preferred(items: list[Any]) -> list[Any]:
    """`PREF` (vCard 4: PREF=1; vCard 3: TYPE=pref) first, then as written."""

    def rank(item: Any) -> int:
        params = {k.upper(): [str(v).lower() for v in vs] for k, vs in item.params.items()}
        if "pref" in params.get("TYPE", []):
            return 0
        pref = params.get("PREF", [])
        return int(pref[0]) if pref and pref[0].isdigit() else 100

    return sorted(items, key=rank)


def _phone(value: Any) -> str:
    text = str(value).strip()
    return text[4:] if text.lower().startswith("tel:") else text
