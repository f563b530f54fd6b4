"""The same record twice (SPEC §4 natural keys) on the ORM side: one indexed lookup.

The rule itself (which columns, how they compare) is `drafts.NATURAL_KEYS`; import, the
stdlib `srm log` store and this lookup all read it from there.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, text
from sqlmodel import Session, SQLModel

from srmcli.drafts import refuse_repeat, refuse_same_as, same_record_query


def find_same(
    session: Session, table: str, values: dict[str, Any], besides: int | None = None
) -> int | None:
    """The id of a record of `table` with the natural key of `values` (other than
    record `besides`), if any."""
    sql, params = same_record_query(table, values, besides)
    columns = SQLModel.metadata.tables[table].c
    # typed binds: a datetime is compared in the very text SQLAlchemy stored it as
    stmt = text(sql).bindparams(
        *(bindparam(c, type_=columns["id" if c == "besides" else c].type) for c in params)
    )
    found = session.connection().execute(stmt, params).scalar()
    return int(found) if found is not None else None


def refuse_edit_into_same(
    session: Session,
    table: str,
    record_id: int,
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    again: bool,
) -> None:
    """Refuse an edit that makes a record the same one as another (naming it), unless
    `again`. Only a change of the natural key is checked: a record that was kept
    twice on purpose (`--again`) can still be corrected in its other fields."""
    from srmcli.drafts import natural_key

    if again or natural_key(table, before) == natural_key(table, after):
        return
    refuse_same_as(table, record_id, find_same(session, table, after, record_id))


def refuse_same(session: Session, table: str, values: dict[str, Any], *, again: bool) -> None:
    """Refuse a record already in the journal (naming it), unless `again`."""
    if not again:
        refuse_repeat(table, find_same(session, table, values))
