"""Who recorded what: the `--author NAME` filter of timeline, export and report.

An author is whatever the write stored (the config `author`, else the login name), on
every record a buyer writes: interactions, suppliers, contacts, issues, follow-ups,
sourcing projects and candidates, status reports. Names are matched case-insensitively
and exactly: a prefix would let `--author dan` silently mix Dan's notes into Dana's
report. A name nobody recorded anything under is refused with the names that exist,
since an empty result would read as "no contact" rather than as a typo.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, func, select, union
from sqlmodel import Session, SQLModel, col

from srmcli.errors import InvalidValueError, NotFoundError, did_you_mean
from srmcli.models import Interaction

_LISTED = 12  # a team's names fit on a line; a journal imported from elsewhere may hold more


def author_key(name: str) -> str:
    """The form both sides are compared in (SQL `lower`)."""
    return name.strip().lower()


def _authored_tables() -> list[Any]:
    """Every table with an `author` column: what `find_author` looks through."""
    return [t for t in SQLModel.metadata.sorted_tables if "author" in t.c]


def known_authors(session: Session) -> list[str]:
    """Every name anything in the journal was recorded under, once each, in name order.

    One query: a UNION of each table's distinct authors, so the database does the
    de-duplicating and only the handful of names comes back.
    """
    names = union(
        *(
            select(t.c.author.label("author")).where(t.c.author.is_not(None)).distinct()
            for t in _authored_tables()
        )
    )
    found: dict[str, str] = {}
    for name in sorted(str(n) for n in session.connection().execute(names).scalars()):
        found.setdefault(author_key(name), name)  # "Dana" and "dana" are one author
    return sorted(found.values(), key=author_key)


def find_author(*, session: Session, name: str) -> str:
    """The author's comparison key, once the journal confirms someone recorded under it."""
    wanted = author_key(name or "")
    if not wanted:
        raise InvalidValueError("--author needs a name, as records were logged (e.g. dana)")
    known = known_authors(session)
    if any(author_key(a) == wanted for a in known):
        return wanted
    if not known:
        raise NotFoundError(
            f"nothing was recorded by {name.strip()!r}: no record in this journal has an author yet"
        )
    shown = ", ".join(known[:_LISTED]) + (
        f" and {len(known) - _LISTED} more" if len(known) > _LISTED else ""
    )
    raise NotFoundError(
        f"nothing was recorded by {name.strip()!r}; authors in this journal: {shown}."
        + did_you_mean(name.strip(), known)
    )


def by_author(key: str, column: Column[Any] | Any = None) -> Any:
    """The WHERE condition "recorded by this author" on `column` (default: interaction's)."""
    written_by = col(Interaction.author) if column is None else column
    return func.lower(written_by) == key
