"""How a typed name finds a supplier or a contact (SPEC §3). Pure: the callers fetch the
candidates (ORM or stdlib sqlite3) and this module decides, so every path resolves alike.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from srmcli.errors import InvalidValueError, NotFoundError, did_you_mean


def key(name: str) -> str:
    """The case-insensitive key of a name: spaces folded, casefolded, in Unicode normal
    form C (so "Ü" typed as one character or as U and a combining mark is one key)."""
    return unicodedata.normalize("NFC", " ".join(name.split()).casefold())


def loose(name: str) -> str:
    """`key` without accents, as full-text search reads notes: "Müller" and "Muller" are
    one loose key. Used only after an exact match failed, so "Müller" typed still finds
    "Müller" when a "Muller" exists too."""
    decomposed = unicodedata.normalize("NFD", key(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _unique(found: list[Named]) -> Named | None:
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class Named:
    """A supplier or contact as resolution sees it."""

    id: int
    name: str
    aliases: Sequence[str] = field(default_factory=tuple)
    label: str = ""  # shown in "contacts there" lists, e.g. the role


def resolve_supplier(wanted_text: str | None, suppliers: Iterable[Named]) -> Named:
    """Exact name or alias (any case), then a unique prefix; else a helpful error."""
    wanted = key(wanted_text or "")
    if not wanted:
        raise InvalidValueError("no supplier given; name one (srm supplier list shows them)")
    pool = list(suppliers)
    for s in pool:
        if key(s.name) == wanted:
            return s
    by_alias = [s for s in pool if wanted in {key(a) for a in s.aliases}]
    if len(by_alias) == 1:
        return by_alias[0]
    # then the same steps with accents ignored: `Muller` finds "Müller" when it is the
    # only one it could be
    unaccented = loose(wanted)
    if found := _unique([s for s in pool if loose(s.name) == unaccented]):
        return found
    if found := _unique([s for s in pool if unaccented in {loose(a) for a in s.aliases}]):
        return found
    prefixed = [
        s
        for s in pool
        if key(s.name).startswith(wanted) or any(key(a).startswith(wanted) for a in s.aliases)
    ]
    if not prefixed:
        prefixed = [
            s
            for s in pool
            if loose(s.name).startswith(unaccented)
            or any(loose(a).startswith(unaccented) for a in s.aliases)
        ]
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        names = ", ".join(sorted(s.name for s in prefixed))
        raise NotFoundError(f"supplier {wanted_text!r} is ambiguous: it could be {names}")
    if not pool:
        raise NotFoundError(
            f"no supplier named {wanted_text!r}. The journal has no suppliers yet; "
            "add one with `srm supplier add NAME`"
        )
    known = [s.name for s in pool] + [a for s in pool for a in s.aliases]
    hint = did_you_mean(wanted_text or "", known)
    raise NotFoundError(f"no supplier named {wanted_text!r}.{hint}".rstrip("."))


def resolve_contact(wanted_text: str | None, supplier_name: str, people: Iterable[Named]) -> Named:
    """A contact by full name (any case), then a unique prefix of the name or of any word."""
    wanted = key(wanted_text or "")
    pool = sorted(people, key=lambda p: key(p.name))
    for p in pool:
        if key(p.name) == wanted:
            return p
    unaccented = loose(wanted)
    if found := _unique([p for p in pool if loose(p.name) == unaccented]):
        return found

    def starts(name: str, fold: Callable[[str], str], typed: str) -> bool:
        folded = fold(name)
        return folded.startswith(typed) or any(w.startswith(typed) for w in folded.split())

    prefixed = [p for p in pool if wanted and starts(p.name, key, wanted)]
    if not prefixed:
        prefixed = [p for p in pool if wanted and starts(p.name, loose, unaccented)]
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        names = ", ".join(p.name for p in prefixed)
        raise NotFoundError(
            f"contact {wanted_text!r} at {supplier_name} is ambiguous: it could be {names}"
        )
    if not pool:
        raise NotFoundError(
            f"{supplier_name} has no contacts yet; add one with "
            f"`srm contact add {supplier_name!r} NAME --role ROLE`"
        )
    listing = ", ".join(f"{p.name} ({p.label})" if p.label else p.name for p in pool)
    hint = did_you_mean(wanted_text or "", [p.name for p in pool])
    raise NotFoundError(
        f"no contact {wanted_text!r} at {supplier_name}.{hint} Contacts there: {listing}"
    )
