"""The journal's own identity: one random id, made when the journal is, kept by `db copy`.

Things srm hands to other programs that must recognise them again later — the UIDs of
calendar to-dos — are derived from it and a record's id, never from what the record says,
so a re-import updates rather than duplicates, and no text of the journal leaks into them.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from srmcli import dates
from srmcli.models import JournalIdentity


def journal_uid(session: Session) -> uuid.UUID:
    """This journal's id. A journal that lost its row (emptied by hand) gets a new one,
    written in a transaction of its own so that a read-only command can still ask."""
    found = _stored(session)
    if found is not None:
        return found
    from srmcli import db

    with db.session(write=True) as s:
        found = _stored(s)  # another writer may have made it meanwhile
        if found is None:
            made = JournalIdentity(uid=str(uuid.uuid4()), created_at=dates.now())
            s.add(made)
            return uuid.UUID(made.uid)
    return found


def _stored(session: Session) -> uuid.UUID | None:
    uid = session.exec(
        select(JournalIdentity.uid).order_by(col(JournalIdentity.created_at)).limit(1)
    ).first()
    return uuid.UUID(uid) if uid else None


def record_uid(journal: uuid.UUID, kind: str, record_id: int) -> str:
    """A stable, opaque UID for one record of one journal (`kind`: what it is, e.g.
    `followup`), the same on every export: a name-based UUID, so nothing of the record's
    text is in it, and the record's id alone cannot be read back out of it either."""
    return f"{uuid.uuid5(journal, f'{kind}:{record_id}')}@srm"
