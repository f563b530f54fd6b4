"""Follow-ups: their promises (`them`) and our to-dos (`us`), each with a due day.

`build_followup` is the one place the rules live; `srm followup add`, `srm log
--follow-up` and `srm import followups` all go through it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from srmcli import dates, values
from srmcli.drafts import followup_values, not_in_future, recorded_by
from srmcli.errors import ConflictError, InvalidValueError, NotFoundError
from srmcli.models import FollowUp, Interaction, Supplier
from srmcli.services import history
from srmcli.services.records import followup_record
from srmcli.services.suppliers import find_supplier
from srmcli.vocab import Owner, parse_choice


def build_followup(
    *,
    supplier: Supplier,
    owner: str | None,
    text: str,
    due: date,
    done_at: datetime | None = None,
    interaction_id: int | None = None,
    author: str | None = None,
) -> FollowUp:
    """A validated, unsaved follow-up; owner defaults to `us` (our to-do)."""
    return FollowUp(
        **followup_values(
            supplier_id=supplier.id or 0,
            owner=owner,
            text=text,
            due=due,
            done_at=done_at,
            interaction_id=interaction_id,
            author=author,
        )  # fmt: skip
    )


def find_followup(*, session: Session, followup_id: int | str) -> FollowUp:
    number = values.record_id(followup_id, "follow-up id")
    followup = session.get(FollowUp, number)
    if followup is None:
        raise NotFoundError(f"no follow-up #{number}; `srm followup list --all` shows them")
    return followup


def add_followup(
    *,
    session: Session,
    supplier: str,
    text: str,
    due: date,
    owner: str | None = None,
    author: str | None = None,
    again: bool = False,
) -> dict[str, Any]:
    """Record a promise of theirs (`them`) or a to-do of ours (`us`, the default),
    recorded by `author` (default: whoever is writing). The same follow-up (supplier,
    owner, text and due day) already in the journal is refused unless `again`."""
    from srmcli.services.duplicates import refuse_same

    s = find_supplier(session=session, name=supplier)
    followup = build_followup(
        supplier=s, owner=owner, text=text, due=due, author=recorded_by(author)
    )
    refuse_same(session, "followup", followup.model_dump(), again=again)
    session.add(followup)
    session.flush()
    return followup_record(followup, s.name)


def list_followups(
    *,
    session: Session,
    supplier: str | None = None,
    overdue: bool = False,
    owner: str | None = None,
    include_done: bool = False,
    with_author: bool = False,
) -> list[dict[str, Any]]:
    """Open follow-ups, soonest due first (`include_done` adds the finished ones);
    `with_author` adds who recorded each (for tables, not SPEC §7).

    Overdue means not done and due before today; a follow-up due today is not late yet.
    `overdue` therefore never shows done ones, with or without `include_done`.
    """
    query = select(FollowUp, Supplier.name).join(Supplier, col(Supplier.id) == FollowUp.supplier_id)
    if supplier:
        s = find_supplier(session=session, name=supplier)
        query = query.where(FollowUp.supplier_id == s.id)
    if owner:
        query = query.where(FollowUp.owner == parse_choice(Owner, owner, "owner").value)
    if overdue:
        query = query.where(col(FollowUp.done_at).is_(None), col(FollowUp.due) < dates.today())
    elif not include_done:
        query = query.where(col(FollowUp.done_at).is_(None))
    query = query.order_by(col(FollowUp.due), col(Supplier.name_key), col(FollowUp.id))
    rows = []
    for f, name in session.exec(query).all():
        record = followup_record(f, name)
        if with_author:
            record["author"] = f.author
        rows.append(record)
    return rows


def days_overdue(record: dict[str, Any], *, today: date | None = None) -> int | None:
    """Whole days past due for an open follow-up; None when done or not yet due."""
    if record["done_at"] is not None:
        return None
    late = dates.days_between(record["due"], today or dates.today())
    return late if late > 0 else None


def complete_followup(
    *, session: Session, followup_id: int | str, done_at: datetime | None = None
) -> dict[str, Any]:
    """Mark a follow-up done (default now); finishing it twice is refused."""
    followup = find_followup(session=session, followup_id=followup_id)
    if followup.done_at is not None:
        raise ConflictError(
            f"follow-up #{followup.id} was already done on {followup.done_at.date()}"
        )
    when = done_at or dates.now()
    not_in_future(when, "the done day")
    source = session.get(Interaction, followup.interaction_id) if followup.interaction_id else None
    if source is not None and when.date() < source.occurred_at.date():
        raise InvalidValueError(
            f"follow-up #{followup.id} came out of the interaction of "
            f"{source.occurred_at.date()}; give a done day on or after it"
        )
    before = history.state(session, "followup", followup)
    followup.done_at = when
    session.add(followup)
    history.changed(session, "followup", followup, "done", before)
    return _record(session, followup)


def _record(session: Session, followup: FollowUp) -> dict[str, Any]:
    supplier = session.get(Supplier, followup.supplier_id)
    return followup_record(followup, supplier.name if supplier else "")


def edit_followup(
    *,
    session: Session,
    followup_id: int | str,
    text: str | None = None,
    due: date | None = None,
    owner: str | None = None,
    again: bool = False,
) -> dict[str, Any]:
    """Correct a follow-up's text, due day or owner (kept in the history). A change that
    makes it the same follow-up as another one (SPEC §4 natural key) is refused naming
    that one, unless `again`."""
    from srmcli.services.duplicates import refuse_edit_into_same

    followup = find_followup(session=session, followup_id=followup_id)
    if text is None and due is None and owner is None:
        raise InvalidValueError(
            f"nothing to change on follow-up #{followup.id}; give --text, --due or --owner"
        )
    before = history.state(session, "followup", followup)
    values = followup_values(
        supplier_id=followup.supplier_id,
        owner=owner if owner is not None else followup.owner,
        text=text if text is not None else followup.text,
        due=due if due is not None else followup.due,
    )
    old = followup.model_dump()
    followup.text, followup.due, followup.owner = values["text"], values["due"], values["owner"]
    refuse_edit_into_same(
        session, "followup", followup.id or 0, old, followup.model_dump(), again=again
    )
    session.add(followup)
    history.changed(session, "followup", followup, "edit", before)
    return _record(session, followup)


def reopen_followup(*, session: Session, followup_id: int | str) -> dict[str, Any]:
    """`followup undone`: a follow-up marked done by mistake is open again."""
    followup = find_followup(session=session, followup_id=followup_id)
    if followup.done_at is None:
        raise ConflictError(f"follow-up #{followup.id} is not done; nothing to undo")
    before = history.state(session, "followup", followup)
    followup.done_at = None
    session.add(followup)
    history.changed(session, "followup", followup, "undone", before)
    return _record(session, followup)


def remove_followup(*, session: Session, followup_id: int | str) -> dict[str, Any]:
    """Remove a follow-up entered by mistake (kept whole in the history, for `srm undo`)."""
    followup = find_followup(session=session, followup_id=followup_id)
    record = _record(session, followup)
    history.remove(session, "followup", followup)
    return record
