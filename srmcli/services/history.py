"""Every change leaves a trace: the history table, and `srm undo` over it.

Services that change or remove a record call `record_change` (or `changed`/`remove`,
which build its before and after) inside their own transaction, so a change and its
trace are written together or not at all. `undo` is one service over that table, not a
second copy of each edit: a change with a `before` and an `after` is undone by putting
the `before` fields back; a removal (no `after`) by inserting the kept record with its
id and links; a restore (no `before`) by removing the record again.

Values are kept as JSON (dates and datetimes as ISO text) and read back by column type.
What a record's fields are, beyond its columns: an interaction's `tactics` (link rows),
a candidate's dated `stages`. A removal also keeps what went with the record: the
people and tactics of an interaction and the issues and follow-ups that came out of it,
the interactions a contact took part in and the issues escalated to them, the lines of
a status report, and everything of a supplier removed with `--force`.

Note text is as confidential here as in the journal: no message below quotes a field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, Float, Numeric, Table, delete, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from srmcli import dates, values
from srmcli.drafts import NATURAL_KEYS, natural_key, refuse_restore_as_same
from srmcli.errors import ConflictError, InvalidValueError
from srmcli.models import (
    Candidate,
    CandidateStage,
    Change,
    Contact,
    FollowUp,
    Interaction,
    InteractionContact,
    InteractionTactic,
    Issue,
    SourcingProject,
    StatusLine,
    StatusReport,
    Supplier,
)
from srmcli.naming import key
from srmcli.services.corrections import COLUMN_ORDER, SPOKEN, jsonable, spoken

__all__ = ["COLUMN_ORDER", "SPOKEN", "jsonable", "spoken"]

MODELS: dict[str, type[SQLModel]] = {
    "supplier": Supplier,
    "contact": Contact,
    "interaction": Interaction,
    "issue": Issue,
    "followup": FollowUp,
    "status_report": StatusReport,
    "sourcing_project": SourcingProject,
    "candidate": Candidate,
}
"""Record types as the history names them, and their tables."""

_TYPE_WORDS = {
    **{name: name for name in MODELS},
    "follow-up": "followup",
    "status": "status_report",
    "report": "status_report",
    "status-report": "status_report",
    "project": "sourcing_project",
    "sourcing": "sourcing_project",
    "sourcing-project": "sourcing_project",
}


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


# -- values as JSON, and back -----------------------------------------------------------


def _column_value(table: Table, name: str, value: Any) -> Any:
    """A kept value back in the type of its column."""
    if value is None or name not in table.c:
        return value
    kind = table.c[name].type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Float):
        return float(value)
    if isinstance(kind, Numeric):
        return Decimal(str(value))
    return value


def _row_values(table: Table, kept: Mapping[str, Any]) -> dict[str, Any]:
    """The columns of `table` among `kept`, in their column types (for an insert)."""
    return {
        c.name: _column_value(table, c.name, kept.get(c.name)) for c in table.c if c.name in kept
    }


def _columns(row: SQLModel) -> dict[str, Any]:
    table: Table = row.__table__  # type: ignore[attr-defined]
    return {c.name: jsonable(getattr(row, c.name)) for c in table.c}


def _rows(session: Session, table: Table, *where: Any) -> list[dict[str, Any]]:
    order = list(table.primary_key.columns)
    result = session.connection().execute(sa_select(table).where(*where).order_by(*order))
    return [{k: jsonable(v) for k, v in r._mapping.items()} for r in result]


# -- what a record is -------------------------------------------------------------------


def state(session: Session, record_type: str, row: SQLModel) -> dict[str, Any]:
    """The record's fields: its columns, plus an interaction's tactics and a candidate's
    dated stages."""
    values = _columns(row)
    rid = values["id"]
    if record_type == "interaction":
        values["tactics"] = sorted(
            session.exec(
                select(InteractionTactic.tactic).where(InteractionTactic.interaction_id == rid)
            ).all()
        )
    elif record_type == "candidate":
        stages = _table("candidate_stage")
        values["stages"] = _rows(session, stages, stages.c.candidate_id == rid)
    return values


def snapshot(session: Session, record_type: str, row: SQLModel) -> dict[str, Any]:
    """The whole record with what goes with it when it is removed."""
    values = state(session, record_type, row)
    rid = values["id"]
    calls = _table("issue_interaction")
    if record_type == "interaction":
        values["issues"] = _ids(session, Issue, col(Issue.interaction_id) == rid)
        values["followups"] = _ids(session, FollowUp, col(FollowUp.interaction_id) == rid)
        # the issues this call was logged for (`srm log --for-issue`)
        values["for_issues"] = sorted(
            r["issue_id"] for r in _rows(session, calls, calls.c.interaction_id == rid)
        )
    elif record_type == "issue":
        values["calls"] = sorted(
            r["interaction_id"] for r in _rows(session, calls, calls.c.issue_id == rid)
        )
    elif record_type == "contact":
        values["interactions"] = sorted(
            session.exec(
                select(InteractionContact.interaction_id).where(
                    InteractionContact.contact_id == rid
                )
            ).all()
        )
        values["escalations"] = _ids(session, Issue, col(Issue.escalated_to_id) == rid)
    elif record_type == "status_report":
        lines = _table("status_line")
        values["lines"] = _rows(session, lines, lines.c.report_id == rid)
    elif record_type == "supplier":
        values.update(_supplier_belongings(session, rid))
    return values


def _ids(session: Session, model: Any, where: Any) -> list[int]:
    return sorted(session.exec(select(model.id).where(where)).all())


def _supplier_belongings(session: Session, supplier_id: int) -> dict[str, Any]:
    """Everything a supplier's removal takes with it, table by table (Core reads: a
    supplier with years of calls is read in a few queries)."""
    held: dict[str, Any] = {}
    for name in ("contact", "interaction", "issue", "followup", "status_report", "candidate"):
        table = _table(name)
        held[name] = _rows(session, table, table.c.supplier_id == supplier_id)
    tactics = _table("interaction_tactic")
    by_interaction: dict[int, list[str]] = {}
    for r in _rows(session, tactics, tactics.c.supplier_id == supplier_id):
        by_interaction.setdefault(r["interaction_id"], []).append(r["tactic"])
    for kept in held["interaction"]:
        kept["tactics"] = sorted(by_interaction.get(kept["id"], []))
    lines = _table("status_line")
    by_report: dict[int, list[dict[str, Any]]] = {}
    for r in _rows(session, lines, lines.c.supplier_id == supplier_id):
        by_report.setdefault(r["report_id"], []).append(r)
    for kept in held["status_report"]:
        kept["lines"] = by_report.get(kept["id"], [])
    stages = _table("candidate_stage")
    candidate_ids = [c["id"] for c in held["candidate"]]
    by_candidate: dict[int, list[dict[str, Any]]] = {}
    if candidate_ids:
        for r in _rows(session, stages, stages.c.candidate_id.in_(candidate_ids)):
            by_candidate.setdefault(r["candidate_id"], []).append(r)
    for kept in held["candidate"]:
        kept["stages"] = by_candidate.get(kept["id"], [])
    calls = _table("issue_interaction")
    issue_ids = [i["id"] for i in held["issue"]]
    issue_calls = _rows(session, calls, calls.c.issue_id.in_(issue_ids)) if issue_ids else []
    return {
        "contacts": held["contact"],
        "interactions": held["interaction"],
        "issue_calls": issue_calls,
        "issues": held["issue"],
        "followups": held["followup"],
        "status_reports": held["status_report"],
        "candidates": held["candidate"],
    }


# -- writing the history ----------------------------------------------------------------


def record_change(
    session: Session,
    record_type: str,
    record_id: int,
    action: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    *,
    supplier: Any = None,
    undoes: int | None = None,
) -> int:
    """Append one change (in the caller's transaction); returns its number.

    `supplier` is the record's supplier (anything with `id` and `name`), kept by id and
    by name; `before`/`after` are the fields that changed (None: the record did not
    exist before / does not exist after)."""
    from srmcli.drafts import recorded_by

    if record_type not in MODELS:  # a programming error, not a buyer's
        raise ValueError(f"unknown record type {record_type}")
    result = session.connection().execute(
        insert(_table("history")).values(
            at=dates.now(),
            author=recorded_by(None),
            record_type=record_type,
            record_id=record_id,
            supplier_id=getattr(supplier, "id", None),
            supplier_name=getattr(supplier, "name", None),
            action=action,
            undoes=undoes,
            before=jsonable(before) if before is not None else None,
            after=jsonable(after) if after is not None else None,
        )
    )
    key_of_row = result.inserted_primary_key
    assert key_of_row is not None
    return int(key_of_row[0])


def changed(
    session: Session,
    record_type: str,
    row: SQLModel,
    action: str,
    before: Mapping[str, Any],
    *,
    supplier: Any = None,
) -> int | None:
    """Record what changed since `before` (a `state` taken before the edit): only the
    fields whose values differ. Nothing changed, nothing recorded (None)."""
    session.flush()
    after = state(session, record_type, row)
    was = {k: v for k, v in before.items() if after.get(k) != v}
    if not was:
        return None
    now = {k: after[k] for k in was}
    return record_change(
        session,
        record_type,
        after["id"],
        action,
        was,
        now,
        supplier=supplier or _owner(session, row),
    )


def remove(
    session: Session, record_type: str, row: SQLModel, *, action: str = "rm", supplier: Any = None
) -> dict[str, Any]:
    """Remove a record, keeping it whole (with what goes with it) in the history."""
    kept = snapshot(session, record_type, row)
    owner = supplier or _owner(session, row)
    if record_type == "contact" and kept["interactions"]:
        _drop_contact_from_interactions(session, kept["id"], kept["interactions"])
    session.delete(row)
    session.flush()
    record_change(session, record_type, kept["id"], action, kept, None, supplier=owner)
    return kept


def _owner(session: Session, row: Any) -> Any:
    """The supplier a record belongs to (a candidate's; none for a sourcing project)."""
    if isinstance(row, Supplier):
        return row
    supplier_id = getattr(row, "supplier_id", None)
    return session.get(Supplier, supplier_id) if supplier_id is not None else None


def _drop_contact_from_interactions(session: Session, contact_id: int, ids: Sequence[int]) -> None:
    """The interactions' kept contact ids without a contact being removed (its link rows
    go with it)."""
    t = _table("interaction")
    conn = session.connection()
    for row_id, people in conn.execute(sa_select(t.c.id, t.c.contact_ids).where(t.c.id.in_(ids))):
        conn.execute(
            update(t)
            .where(t.c.id == row_id)
            .values(contact_ids=[c for c in people if c != contact_id])
        )


# -- reading the history ----------------------------------------------------------------


def parse_record(value: str) -> tuple[str, int]:
    """`--record TYPE:ID`, e.g. `interaction:12` or `issue:#3`."""

    kind, sep, number = (value or "").partition(":")
    wanted = _TYPE_WORDS.get(kind.strip().lower())
    if not sep or wanted is None:
        raise InvalidValueError(
            f"--record {value!r} is not accepted; give TYPE:ID, e.g. interaction:12, with a "
            f"type of {', '.join(MODELS)}"
        )
    return wanted, values.record_id(number, f"{spoken(wanted)} id")


def list_history(
    *,
    session: Session,
    supplier: str | None = None,
    record: str | None = None,
    limit: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    author: str | None = None,
) -> list[dict[str, Any]]:
    """Changes, newest first, as {change, at, author, record, record_id, supplier,
    action, before, after} (plus, for tables, `undoes` and `contact_names`: the names of
    the contacts whose ids the changes keep)."""
    from srmcli.services.authors import by_author, find_author

    if date_from and date_to and date_from > date_to:
        raise InvalidValueError(f"--from {date_from} is after --to {date_to}")
    query = select(Change)
    if supplier is not None:
        query = query.where(_supplier_changes(session, supplier))
    if record is not None:
        kind, number = parse_record(record)
        query = query.where(Change.record_type == kind, Change.record_id == number)
    if date_from is not None:
        query = query.where(col(Change.at) >= datetime.combine(date_from, time()))
    if date_to is not None:
        query = query.where(col(Change.at) <= datetime.combine(date_to, time.max))
    if author is not None:
        query = query.where(
            by_author(find_author(session=session, name=author), col(Change.author))
        )
    query = query.order_by(col(Change.id).desc())
    if limit is not None:
        if limit < 1:
            raise InvalidValueError(
                f"-n {limit} is not accepted; give a number of changes, 1 or more"
            )
        query = query.limit(limit)
    rows = [change_record(c) for c in session.exec(query).all()]
    names = _contact_names(session, rows)
    for row in rows:
        row["contact_names"] = names
    return rows


CONTACT_FIELDS = ("contact_ids", "escalated_to_id")
"""Fields a change keeps contact ids in."""


def _contact_names(session: Session, rows: Sequence[Mapping[str, Any]]) -> dict[int, str]:
    """The names of the contacts the changes' fields name by id: as they are in the
    journal, or as the history kept them when they were removed since."""
    wanted: set[int] = set()
    for row in rows:
        for side in (row["before"], row["after"]):
            for field in CONTACT_FIELDS:
                held = (side or {}).get(field)
                if isinstance(held, int):
                    wanted.add(held)
                elif isinstance(held, list):
                    wanted.update(i for i in held if isinstance(i, int))
    if not wanted:
        return {}
    names: dict[int, str] = {}
    ids = sorted(wanted)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        names.update(
            session.exec(select(Contact.id, Contact.name).where(col(Contact.id).in_(chunk))).all()  # type: ignore[arg-type]
        )
    gone = [i for i in ids if i not in names]
    for start in range(0, len(gone), 500):
        chunk = gone[start : start + 500]
        for record_id, kept in session.exec(
            select(Change.record_id, Change.before)
            .where(Change.record_type == "contact", col(Change.record_id).in_(chunk))
            .order_by(col(Change.id))
        ).all():
            if isinstance(kept, dict) and isinstance(kept.get("name"), str):
                names[record_id] = kept["name"]
    return names


def change_record(c: Change) -> dict[str, Any]:
    return {
        "change": c.id,
        "at": c.at,
        "author": c.author,
        "record": c.record_type,
        "record_id": c.record_id,
        "supplier": c.supplier_name,
        "action": c.action,
        "before": c.before,
        "after": c.after,
        "undoes": c.undoes,
    }


def _supplier_changes(session: Session, name: str) -> Any:
    """Which changes belong to the supplier a history is asked for, resolved as every
    supplier argument is (name, alias, unique prefix) among the suppliers in the journal
    and those removed since (by the name the history kept at their removal).

    A supplier is its id between its removal and the previous one: SQLite gives a
    removed supplier's number to the next supplier added, and the history of the one
    must not show the other's changes. A removed name matches every removed supplier
    that had it (removed, added again and removed again).
    """
    from sqlalchemy import and_, or_

    from srmcli.naming import Named, resolve_supplier

    current = [
        Named(id=s.id or 0, name=s.name, aliases=tuple(s.aliases or ()))
        for s in session.exec(select(Supplier).order_by(col(Supplier.id))).all()
    ]
    removals = session.exec(
        select(Change.id, Change.record_id, Change.supplier_name)
        .where(Change.record_type == "supplier", col(Change.after).is_(None))
        .order_by(col(Change.id))
    ).all()
    undone = set(
        session.exec(
            select(Change.undoes).where(col(Change.undoes).in_([r[0] for r in removals]))
        ).all()
        if removals
        else []
    )
    gone = [(c or 0, sid, kept or "") for c, sid, kept in removals if c not in undone]

    def since(supplier_id: int, before: int | None = None) -> int:
        """The last removal of that number (before change `before`): where it starts."""
        earlier = [c for c, sid, _ in gone if sid == supplier_id and (before is None or c < before)]
        return max(earlier, default=0)

    here = {s.id for s in current}
    removed = [Named(id=-n, name=kept) for n, (_, _, kept) in enumerate(gone, 1) if kept]
    found = resolve_supplier(name, [*current, *removed])
    if found.id in here:
        return and_(col(Change.supplier_id) == found.id, col(Change.id) > since(found.id))
    windows = [
        and_(
            col(Change.supplier_id) == sid,
            col(Change.id) > since(sid, c),
            col(Change.id) <= c,
        )
        for c, sid, kept in gone
        if key(kept) == key(found.name)
    ]
    return or_(*windows)


# -- undo ---------------------------------------------------------------------------------


def undo_change(*, session: Session, change: int | str) -> dict[str, Any]:
    """Reverse one change; the reversal is itself a change (returned as a history record).

    Refused when a later change touched the same record (undo that one first), or when
    what would come back conflicts with the journal as it is now. The checks, and the
    undo of an interaction's edit, are `corrections.undo_change`'s (shared with the
    stdlib sqlite3 store); every other change is undone here.
    """
    from srmcli.services import corrections
    from srmcli.services.interactions import OrmStore

    def other(found: dict[str, Any]) -> dict[str, Any]:
        kept = session.get(Change, found["change"])
        assert kept is not None
        if kept.after is None:
            return change_record(_bring_back(session, kept))
        if kept.before is None:
            return change_record(_take_away(session, kept))
        return change_record(_put_back(session, kept))

    try:
        with session.begin_nested():
            done = corrections.undo_change(store=OrmStore(session), change=change, other=other)
    except IntegrityError as exc:
        from srmcli.db import _detail

        number = values.record_id(change, "change id")
        found = session.get(Change, number)
        what = f"{spoken(found.record_type)} #{found.record_id}" if found else f"#{number}"
        raise ConflictError(
            f"change #{number} cannot be undone: the journal as it is now refuses {what} "
            f"as it was ({_detail(exc)})"
        ) from None
    assert done is not None
    return done


def _missing(
    session: Session, record_type: str, record_id: int | None, label: str | None = None
) -> str:
    """Why a record the undo needs is not there, and what to undo first when the history
    knows."""
    what = label or f"{spoken(record_type)} #{record_id}"
    removal = session.exec(
        select(Change.id)
        .where(
            Change.record_type == record_type,
            Change.record_id == record_id,
            col(Change.after).is_(None),
        )
        .order_by(col(Change.id).desc())
        .limit(1)
    ).first()
    if removal is not None:
        return f"{what} no longer exists (removed in change #{removal}); undo #{removal} first"
    return f"{what} no longer exists"


def _need(
    session: Session, model: Any, record_type: str, record_id: int | None, number: int
) -> Any:
    """A record the restore refers to; refused when it is gone."""
    if record_id is None:
        return None
    found = session.get(model, record_id)
    if found is None:
        raise ConflictError(
            f"change #{number} cannot be undone: " + _missing(session, record_type, record_id)
        )
    return found


def _supplier_for(session: Session, change: Change) -> Supplier:
    supplier = session.get(Supplier, change.supplier_id) if change.supplier_id is not None else None
    if supplier is None and change.supplier_id is not None:
        label = f"supplier {change.supplier_name}" if change.supplier_name else None
        raise ConflictError(
            f"change #{change.id} cannot be undone: "
            + _missing(session, "supplier", change.supplier_id, label)
        )
    assert supplier is not None or change.record_type == "sourcing_project"
    return supplier  # type: ignore[return-value]


def _check_refs(session: Session, record_type: str, values: Mapping[str, Any], number: int) -> None:
    """What the fields being put back point at must still be there."""
    refs = {
        "escalated_to_id": (Contact, "contact"),
        "interaction_id": (Interaction, "interaction"),
        "project_id": (SourcingProject, "sourcing_project"),
    }
    for name, (model, kind) in refs.items():
        if name in values and record_type != "interaction":
            _need(session, model, kind, values[name], number)
    for person in values.get("contact_ids") or []:
        _need(session, Contact, "contact", person, number)


def _check_names(
    session: Session, record_type: str, values: Mapping[str, Any], record_id: int
) -> None:
    """A name (or alias) coming back must not be taken by another record meanwhile."""
    if record_type == "supplier" and ("name" in values or "aliases" in values):
        wanted = [n for n in [values.get("name"), *(values.get("aliases") or [])] if n]
        for other in session.exec(select(Supplier).where(Supplier.id != record_id)).all():
            held = {key(other.name), *(key(a) for a in other.aliases or [])}
            for n in wanted:
                if key(n) in held:
                    raise ConflictError(
                        f"the name {n!r} is now used by supplier {other.name}; rename that "
                        "one first, then undo"
                    )
    if record_type == "supplier" and values.get("domains"):
        for other in session.exec(select(Supplier).where(Supplier.id != record_id)).all():
            for domain in values["domains"]:
                if domain in (other.domains or []):
                    raise ConflictError(
                        f"the domain {domain} is now used by supplier {other.name}; remove "
                        "it there first, then undo"
                    )
    elif record_type == "contact" and "name" in values:
        row = session.get(Contact, record_id)
        supplier_id = values.get("supplier_id", row.supplier_id if row is not None else None)
        clash = session.exec(
            select(Contact).where(
                Contact.supplier_id == supplier_id,
                Contact.name_key == key(values["name"]),
                Contact.id != record_id,
            )
        ).first()
        if clash is not None:
            raise ConflictError(
                f"the name {clash.name!r} is now used by contact #{clash.id} of the same "
                "supplier; rename them first, then undo"
            )
    elif record_type == "sourcing_project" and "name" in values:
        taken = session.exec(
            select(SourcingProject).where(
                SourcingProject.name_key == key(values["name"]), SourcingProject.id != record_id
            )
        ).first()
        if taken is not None:
            raise ConflictError(
                f"the name {taken.name!r} is now used by sourcing project #{taken.id}; rename "
                "it first, then undo"
            )


def _put_back(session: Session, change: Change) -> Change:
    """Undo an edit: the fields as they were (an interaction's edit is undone by
    `corrections`, with its link rows)."""
    model = MODELS[change.record_type]
    row = session.get(model, change.record_id)
    if row is None:
        if change.supplier_id is not None and session.get(Supplier, change.supplier_id) is None:
            _supplier_for(session, change)
        raise ConflictError(
            f"change #{change.id} cannot be undone: "
            + _missing(session, change.record_type, change.record_id)
        )
    was: dict[str, Any] = dict(change.before or {})
    _check_names(session, change.record_type, was, change.record_id)
    _check_refs(session, change.record_type, was, change.id or 0)
    current = state(session, change.record_type, row)
    table: Table = row.__table__  # type: ignore[attr-defined]
    old = {c.name: getattr(row, c.name) for c in table.c}
    for name, value in was.items():
        if name in table.c and name != "id":
            setattr(row, name, _column_value(table, name, value))
    _refuse_repeat(session, change, old, {c.name: getattr(row, c.name) for c in table.c})
    session.add(row)
    session.flush()
    if isinstance(row, Candidate):
        if "stages" in was:
            _rewrite_stages(session, row.id or 0, was["stages"])
        _settle(session, row.project_id)
    now = {k: current.get(k) for k in was}
    return _appended(session, change, before=now, after=was, supplier=_owner(session, row))


def _refuse_repeat(
    session: Session, change: Change, old: Mapping[str, Any] | None, new: Mapping[str, Any]
) -> None:
    """What comes back must not repeat another record (SPEC §4 natural keys): refused,
    naming it, when the undo changes the record's key or brings the record back."""
    from srmcli.services.duplicates import find_same

    table = change.record_type
    if table not in NATURAL_KEYS:
        return
    if old is not None and natural_key(table, dict(old)) == natural_key(table, dict(new)):
        return
    same = find_same(session, table, dict(new), change.record_id)
    refuse_restore_as_same(change.id or 0, table, change.record_id, same)


def _appended(
    session: Session,
    change: Change,
    *,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    supplier: Any,
) -> Change:
    if supplier is None and change.supplier_id is not None:
        from types import SimpleNamespace

        supplier = SimpleNamespace(id=change.supplier_id, name=change.supplier_name)
    number = record_change(
        session,
        change.record_type,
        change.record_id,
        "undo",
        before,
        after,
        supplier=supplier,
        undoes=change.id,
    )
    done = session.get(Change, number)
    assert done is not None
    return done


def _take_away(session: Session, change: Change) -> Change:
    """Undo a restore: the record goes again (kept whole, as any removal)."""
    model = MODELS[change.record_type]
    row = session.get(model, change.record_id)
    if row is None:
        raise ConflictError(
            f"change #{change.id} cannot be undone: "
            + _missing(session, change.record_type, change.record_id)
        )
    owner = _owner(session, row)
    kept = snapshot(session, change.record_type, row)
    if change.record_type == "contact" and kept["interactions"]:
        _drop_contact_from_interactions(session, kept["id"], kept["interactions"])
    project_id = getattr(row, "project_id", None)
    session.delete(row)
    session.flush()
    if project_id is not None:
        _settle(session, project_id)
    return _appended(session, change, before=kept, after=None, supplier=owner)


def _bring_back(session: Session, change: Change) -> Change:
    """Undo a removal: the record with its id, and its links."""
    kept: dict[str, Any] = dict(change.before or {})
    record_type = change.record_type
    number = change.id or 0
    model = MODELS[record_type]
    if session.get(model, change.record_id) is not None:
        raise ConflictError(
            f"change #{number} cannot be undone: number #{change.record_id} is now used by "
            f"another {spoken(record_type)}, written after the removal"
        )
    supplier = _supplier_for(session, change) if record_type != "supplier" else None
    _check_names(session, record_type, kept, change.record_id)
    if record_type != "supplier":
        _check_refs(session, record_type, kept, number)
    if record_type == "status_report":
        clash = session.exec(
            select(StatusReport).where(
                StatusReport.supplier_id == kept["supplier_id"],
                StatusReport.report_date == date.fromisoformat(kept["report_date"]),
            )
        ).first()
        if clash is not None:
            raise ConflictError(
                f"change #{number} cannot be undone: {kept['report_date']} now has another "
                f"status report (#{clash.id}); remove it first with `srm status rm`"
            )
    if record_type == "candidate":
        clash_c = session.exec(
            select(Candidate).where(
                Candidate.project_id == kept["project_id"],
                Candidate.supplier_id == kept["supplier_id"],
            )
        ).first()
        if clash_c is not None:
            raise ConflictError(
                f"change #{number} cannot be undone: the supplier is a candidate of that "
                f"project again (#{clash_c.id}); drop it first with `srm sourcing drop`"
            )
    if record_type in NATURAL_KEYS:
        _refuse_repeat(session, change, None, _row_values(_table(record_type), kept))
    conn = session.connection()
    session.flush()
    if record_type == "supplier":
        _insert(conn, "supplier", [kept])
        _bring_back_belongings(session, kept)
        supplier = session.get(Supplier, change.record_id)
    elif record_type == "interaction":
        _insert_interactions(conn, [kept])
        _relink(conn, "issue", kept.get("issues") or [], change.record_id)
        _relink(conn, "followup", kept.get("followups") or [], change.record_id)
        _recall(conn, [(i, change.record_id) for i in kept.get("for_issues") or []])
    elif record_type == "issue":
        _insert(conn, "issue", [kept])
        _recall(conn, [(change.record_id, i) for i in kept.get("calls") or []])
    elif record_type == "contact":
        _insert(conn, "contact", [kept])
        _rejoin(session, change.record_id, kept.get("interactions") or [])
        issues = _table("issue")
        for issue_id in kept.get("escalations") or []:
            conn.execute(
                update(issues)
                .where(issues.c.id == issue_id, issues.c.escalated_to_id.is_(None))
                .values(escalated_to_id=change.record_id)
            )
    elif record_type == "status_report":
        _insert(conn, "status_report", [kept])
        _insert(conn, "status_line", kept.get("lines") or [])
    elif record_type == "candidate":
        _insert(conn, "candidate", [kept])
        _insert(conn, "candidate_stage", kept.get("stages") or [])
        _settle(session, kept["project_id"])
    else:
        _insert(conn, record_type, [kept])
    session.expire_all()
    return _appended(session, change, before=None, after=kept, supplier=supplier)


def _insert(conn: Any, table_name: str, kept: Sequence[Mapping[str, Any]]) -> None:
    if not kept:
        return
    table = _table(table_name)
    conn.execute(insert(table), [_row_values(table, k) for k in kept])


def _insert_interactions(conn: Any, kept: Sequence[Mapping[str, Any]]) -> None:
    """Interactions with their people and tactics, the dates copied onto the links."""
    from srmcli.drafts import link_values

    _insert(conn, "interaction", kept)
    table = _table("interaction")
    people: list[dict[str, Any]] = []
    used: list[dict[str, Any]] = []
    for k in kept:
        values = _row_values(table, k)
        who, tactics = link_values(k["id"], values, k.get("tactics") or [])
        people += who
        used += tactics
    if people:
        conn.execute(insert(_table("interaction_contact")), people)
    if used:
        conn.execute(insert(_table("interaction_tactic")), used)


def _relink(conn: Any, table_name: str, ids: Sequence[int], interaction_id: int) -> None:
    """Issues or follow-ups that came out of an interaction point at it again (those
    still there and pointing nowhere)."""
    if not ids:
        return
    table = _table(table_name)
    conn.execute(
        update(table)
        .where(table.c.id.in_(list(ids)), table.c.interaction_id.is_(None))
        .values(interaction_id=interaction_id)
    )


def _recall(conn: Any, links: Sequence[tuple[int, int]]) -> None:
    """The (issue, call) links of `srm log --for-issue` put back, for those whose issue
    and interaction are both still there."""
    if not links:
        return
    issues, interactions = _table("issue"), _table("interaction")
    have_issue = {r[0] for r in conn.execute(
        sa_select(issues.c.id).where(issues.c.id.in_([i for i, _ in links]))
    )}  # fmt: skip
    have_call = {r[0] for r in conn.execute(
        sa_select(interactions.c.id).where(interactions.c.id.in_([c for _, c in links]))
    )}  # fmt: skip
    rows = [
        {"issue_id": i, "interaction_id": c} for i, c in links if i in have_issue and c in have_call
    ]
    if rows:
        conn.execute(insert(_table("issue_interaction")), rows)


def _rejoin(session: Session, contact_id: int, interaction_ids: Sequence[int]) -> None:
    """A contact brought back takes part again in the interactions still there."""
    conn = session.connection()
    t = _table("interaction")
    links = []
    for row_id, when, people in conn.execute(
        sa_select(t.c.id, t.c.occurred_at, t.c.contact_ids).where(t.c.id.in_(list(interaction_ids)))
    ):
        conn.execute(
            update(t).where(t.c.id == row_id).values(contact_ids=sorted({*people, contact_id}))
        )
        links.append({"interaction_id": row_id, "contact_id": contact_id, "occurred_at": when})
    if links:
        conn.execute(insert(_table("interaction_contact")), links)


def _bring_back_belongings(session: Session, kept: Mapping[str, Any]) -> None:
    conn = session.connection()
    _insert(conn, "contact", kept.get("contacts") or [])
    _insert_interactions(conn, kept.get("interactions") or [])
    _insert(conn, "issue", kept.get("issues") or [])
    _recall(conn, [(r["issue_id"], r["interaction_id"]) for r in kept.get("issue_calls") or []])
    _insert(conn, "followup", kept.get("followups") or [])
    reports = kept.get("status_reports") or []
    _insert(conn, "status_report", reports)
    _insert(conn, "status_line", [line for r in reports for line in r.get("lines") or []])
    candidates = kept.get("candidates") or []
    for c in candidates:
        if session.get(SourcingProject, c["project_id"]) is None:
            raise ConflictError(
                "the supplier cannot come back: "
                + _missing(session, "sourcing_project", c["project_id"])
            )
    _insert(conn, "candidate", candidates)
    _insert(conn, "candidate_stage", [s for c in candidates for s in c.get("stages") or []])
    for project_id in {c["project_id"] for c in candidates}:
        _settle(session, project_id)


def _rewrite_stages(
    session: Session, candidate_id: int, stages: Sequence[Mapping[str, Any]]
) -> None:
    conn = session.connection()
    table = _table("candidate_stage")
    conn.execute(delete(table).where(table.c.candidate_id == candidate_id))
    _insert(conn, "candidate_stage", stages)


def _settle(session: Session, project_id: int) -> None:
    from srmcli.services.sourcing import settle_project_status

    session.expire_all()
    project = session.get(SourcingProject, project_id)
    if project is not None:
        settle_project_status(session, project)
        session.flush()


def stage_rows(session: Session, candidate_id: int) -> list[CandidateStage]:
    return list(
        session.exec(
            select(CandidateStage)
            .where(CandidateStage.candidate_id == candidate_id)
            .order_by(col(CandidateStage.id))
        ).all()
    )


def status_line_count(session: Session, report_id: int) -> int:
    from sqlalchemy import func

    return int(
        session.exec(
            select(func.count()).select_from(StatusLine).where(StatusLine.report_id == report_id)
        ).one()
    )
