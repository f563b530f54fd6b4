"""Who logged an interaction: the `--author NAME` filter of export and report.

An author is whatever `srm log` stored (the config `author`, else the login name), so
names are matched case-insensitively and exactly: a prefix would let `--author dan`
silently mix Dan's notes into Dana's report. A name nobody logged under is refused with
the names that exist, since an empty report would read as "no contact" rather than as
a typo.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from srmcli.errors import InvalidValueError, NotFoundError, did_you_mean
from srmcli.models import Interaction

_LISTED = 12  # a team's names fit on a line; a journal imported from elsewhere may hold more


def author_key(name: str) -> str:
    """The form both sides are compared in (SQL `lower`)."""
    return name.strip().lower()


def find_author(*, session: Session, name: str) -> str:
    """The author's comparison key, once the journal confirms someone logged under it."""
    wanted = author_key(name or "")
    if not wanted:
        raise InvalidValueError("--author needs a name, as interactions were logged (e.g. dana)")
    known = [
        str(a)
        for a in session.connection()
        .execute(
            sa_select(col(Interaction.author))
            .where(col(Interaction.author).is_not(None))
            .distinct()
            .order_by(col(Interaction.author))
        )
        .scalars()
    ]
    if any(author_key(a) == wanted for a in known):
        return wanted
    if not known:
        raise NotFoundError(
            f"no interaction was logged by {name.strip()!r}: no interaction in this journal "
            "has an author yet"
        )
    shown = ", ".join(known[:_LISTED]) + (
        f" and {len(known) - _LISTED} more" if len(known) > _LISTED else ""
    )
    raise NotFoundError(
        f"no interaction was logged by {name.strip()!r}; authors in this journal: {shown}."
        + did_you_mean(name.strip(), known)
    )


def by_author(key: str) -> Any:
    """The WHERE condition "logged by this author" for any query over interaction."""
    return func.lower(col(Interaction.author)) == key
