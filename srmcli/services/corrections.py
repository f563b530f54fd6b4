"""Correcting one interaction, and undoing such a correction, whatever the storage.

`srm interaction edit` and `srm undo` of an interaction's edit are run against a
1M-call journal as often as `srm log`, so like `services.logbook` this module talks to
a small `CorrectionStore` — the ORM session (any backend) or the stdlib sqlite3
journal (`srmcli.sqlite_journal`, no SQLAlchemy import) — and both read and write that
one interaction, its link rows and one history row. The history row has the shape
`services.history` writes for every other record (only the fields that changed, as
JSON), so `srm history` and `srm undo` cannot tell which path wrote it.

Every other kind of change is undone by `services.history` (the `other` argument of
`undo_change`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from srmcli import values
from srmcli.drafts import (
    NATURAL_KEYS,
    link_values,
    not_in_future,
    refuse_restore_as_same,
    refuse_same_as,
)
from srmcli.errors import ConflictError, InvalidValueError, NotFoundError
from srmcli.fields import clean_list, clean_note, parse_tactics
from srmcli.naming import key
from srmcli.services.logbook import Named
from srmcli.vocab import Channel, Initiator, parse_choice

INTERACTION_FIELDS = (
    "id", "supplier_id", "occurred_at", "channel", "initiator", "duration_min", "tone",
    "tags", "note", "author", "contact_ids",
)  # fmt: skip
"""The interaction's columns in table order (the order the history keeps them in)."""

COLUMN_ORDER = (
    "change", "at", "author", "record", "record_id", "supplier", "action", "before", "after",
)  # fmt: skip
"""A change as `srm history -f json` shows it (SPEC §8)."""

SPOKEN = {
    "followup": "follow-up",
    "status_report": "status report",
    "sourcing_project": "sourcing project",
}
"""How a record type reads in a message."""


def spoken(record_type: str) -> str:
    return SPOKEN.get(record_type, record_type)


def jsonable(value: Any) -> Any:
    """A value as the history keeps it: ISO text for dates, text for exact decimals."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {k: jsonable(v) for k, v in value.items()}
    return value


class CorrectionStore(Protocol):
    """What correcting an interaction needs from storage."""

    def interaction(self, number: int) -> dict[str, Any] | None:
        """The interaction's `INTERACTION_FIELDS` as Python values (dates as datetimes,
        lists as lists), plus `tactics` (sorted); None when there is no such one."""
        ...

    def supplier_of(self, supplier_id: int) -> Named: ...

    def find_contact(self, supplier: Any, name: str) -> Named: ...

    def first_done_followup(self, interaction_id: int) -> tuple[int, datetime] | None:
        """The follow-up that came out of the interaction and was done first."""
        ...

    def find_same(
        self, table: str, values: dict[str, Any], besides: int | None = None
    ) -> int | None:
        """Another record of `table` with the natural key of `values`, or None."""
        ...

    def missing_contacts(self, ids: Sequence[int]) -> list[int]:
        """Those of `ids` that are no contact in the journal."""
        ...

    def update_interaction(
        self,
        number: int,
        changed: Mapping[str, Any],
        links: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None,
    ) -> None:
        """Write the changed columns; with `links`, replace the interaction's people and
        tactics rows by them (`drafts.link_values`)."""
        ...

    def shown(self, number: int) -> dict[str, Any]:
        """The interaction as `srm interaction show` gives it."""
        ...

    def change(self, number: int) -> dict[str, Any] | None:
        """A history row as `history.change_record` gives it (before/after as JSON
        values); None when there is no such change."""
        ...

    def later_change(self, record_type: str, record_id: int, number: int) -> int | None:
        """The newest change after `number` to that record, if any."""
        ...

    def removal(self, record_type: str, record_id: int) -> int | None:
        """The newest change that removed that record, if any."""
        ...

    def record_change(
        self,
        record_type: str,
        record_id: int,
        action: str,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
        *,
        supplier: Any,
        undoes: int | None = None,
    ) -> dict[str, Any]:
        """Append one change (jsonable before/after) and return it as `change`."""
        ...


def _current(store: CorrectionStore, number: int) -> dict[str, Any]:
    found = store.interaction(number)
    if found is None:
        raise NotFoundError(f"no interaction #{number}; `srm timeline SUPPLIER` shows them")
    return found


def _key_changed(table: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    located, compared = NATURAL_KEYS[table]
    return any(old[c] != new[c] for c in (*located, *compared))


def _links(number: int, old: Mapping[str, Any], new: Mapping[str, Any]) -> Any:
    """The link rows to write, when what they copy (people, tactics, date) changed."""
    if all(old[c] == new[c] for c in ("contact_ids", "tactics", "occurred_at")):
        return None
    return link_values(number, dict(new), new["tactics"])


def _differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    """The fields that differ, as the history keeps them: (before, after, new columns)."""
    was = {k: jsonable(v) for k, v in old.items() if jsonable(new[k]) != jsonable(v)}
    now = {k: jsonable(new[k]) for k in was}
    columns = {k: new[k] for k in was if k not in ("id", "tactics")}
    return was, now, columns


def edit_interaction(
    *,
    store: CorrectionStore,
    interaction_id: int | str,
    note: str | None = None,
    occurred_at: datetime | None = None,
    channel: str | None = None,
    initiator: str | None = None,
    add_contacts: Sequence[str] = (),
    remove_contacts: Sequence[str] = (),
    duration_min: int | str | None = None,
    tone: int | str | None = None,
    add_tags: Sequence[str] = (),
    remove_tags: Sequence[str] = (),
    add_tactics: Sequence[str] = (),
    remove_tactics: Sequence[str] = (),
    again: bool = False,
) -> dict[str, Any]:
    """Correct a logged interaction; what it was is kept in the history.

    Its people and tactics rows are rewritten with the interaction's date when any of
    them changes, and its kept contact ids with them, so the reports and `srm db check`
    agree after any edit. An empty --duration clears it. A change that would make it
    the same call as another one (SPEC §4 natural key) is refused naming that one,
    unless `again`. Only this interaction's rows are read and written.
    """
    number = values.record_id(interaction_id, "interaction id")
    old = _current(store, number)
    given = (note, occurred_at, channel, initiator, duration_min, tone)
    lists = (add_contacts, remove_contacts, add_tags, remove_tags, add_tactics, remove_tactics)
    if all(v is None for v in given) and not any(lists):
        raise InvalidValueError(
            f"nothing to change on interaction #{number}; give --note, --date, --channel, "
            "--initiator, --with/--without, --duration, --tone, --tag/--untag or "
            "--tactic/--untactic"
        )
    supplier = store.supplier_of(old["supplier_id"])
    new = dict(old)
    if occurred_at is not None:
        not_in_future(occurred_at, "the day it happened")
        early = store.first_done_followup(number)
        if early is not None and early[1].date() < occurred_at.date():
            raise InvalidValueError(
                f"follow-up #{early[0]} came out of interaction #{number} and was done on "
                f"{early[1].date()}; give a day on or before it"
            )
        new["occurred_at"] = occurred_at
    if note is not None:
        new["note"] = clean_note(note)
    if channel is not None:
        new["channel"] = parse_choice(Channel, channel, "channel").value
    if initiator is not None:
        new["initiator"] = parse_choice(Initiator, initiator, "initiator").value
    if duration_min is not None:
        # `--duration ""` clears it (README), any other text must be minutes
        blank = values.blank(duration_min)
        new["duration_min"] = None if blank else values.minutes(duration_min, "--duration")
    if tone is not None:
        new["tone"] = values.tone(tone, "--tone")
    people = set(old["contact_ids"] or [])
    for name in add_contacts:
        people.add(store.find_contact(supplier, name).id or 0)
    for name in remove_contacts:
        person = store.find_contact(supplier, name)
        if person.id not in people:
            raise NotFoundError(f"{person.name} did not take part in interaction #{number}")
        people.discard(person.id or 0)
    new["contact_ids"] = sorted(people)
    new["tags"] = _edited_list(old["tags"] or [], add_tags, remove_tags, "tag", number)
    tactics = set(old["tactics"])
    for name in parse_tactics(remove_tactics):
        if name not in tactics:
            raise NotFoundError(f"interaction #{number} has no tactic {name!r}")
        tactics.discard(name)
    tactics.update(parse_tactics(add_tactics))
    new["tactics"] = sorted(tactics)
    if not again and _key_changed("interaction", old, new):
        refuse_same_as("interaction", number, store.find_same("interaction", new, number))
    was, now, columns = _differences(old, new)
    if was:
        store.update_interaction(number, columns, _links(number, old, new))
        store.record_change("interaction", number, "edit", was, now, supplier=supplier)
    return store.shown(number)


def _edited_list(
    current: Sequence[str], add: Sequence[str], remove: Sequence[str], what: str, number: int
) -> list[str]:
    held = {key(t) for t in current}
    unknown = [t for t in remove if key(t) not in held]
    if unknown:
        raise NotFoundError(f"interaction #{number} has no {what} {unknown[0]!r}")
    dropped = {key(t) for t in remove}
    return clean_list(add, what, kept=[t for t in current if key(t) not in dropped])


# -- undo -------------------------------------------------------------------------------


def missing(
    store: CorrectionStore, record_type: str, record_id: int, label: str | None = None
) -> str:
    """Why a record the undo needs is not there, and what to undo first when the history
    knows."""
    what = label or f"{spoken(record_type)} #{record_id}"
    removal = store.removal(record_type, record_id)
    if removal is not None:
        return f"{what} no longer exists (removed in change #{removal}); undo #{removal} first"
    return f"{what} no longer exists"


def undo_change(
    *,
    store: CorrectionStore,
    change: int | str,
    other: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> dict[str, Any] | None:
    """Reverse one change; the reversal is itself a change (returned as a history record).

    Refused when a later change touched the same record (undo that one first). An edit
    of an interaction is put back here; any other change goes to `other` (None when
    there is no `other`: the caller then undoes it another way).
    """
    number = values.record_id(change, "change id")
    found = store.change(number)
    if found is None:
        raise NotFoundError(f"no change #{number}; `srm history` lists the changes")
    if found.get("imported"):
        raise ConflictError(
            f"change #{number} came with `srm import history` from another journal; its "
            "record ids are that journal's, so it cannot be undone here"
        )
    what = f"{spoken(found['record'])} #{found['record_id']}"
    later = store.later_change(found["record"], found["record_id"], number)
    if later is not None:
        raise ConflictError(f"change #{later} changed {what} after #{number}; undo #{later} first")
    if (
        found["record"] == "interaction"
        and found["before"] is not None
        and found["after"] is not None
    ):
        return _put_back_interaction(store, found)
    return other(found) if other is not None else None


def _put_back_interaction(store: CorrectionStore, change: Mapping[str, Any]) -> dict[str, Any]:
    """Undo an edit of an interaction: the fields as they were."""
    number, record_id = change["change"], change["record_id"]
    old = store.interaction(record_id)
    if old is None:
        raise ConflictError(
            f"change #{number} cannot be undone: " + missing(store, "interaction", record_id)
        )
    was: dict[str, Any] = dict(change["before"])
    gone = store.missing_contacts(was.get("contact_ids") or [])
    if gone:
        raise ConflictError(
            f"change #{number} cannot be undone: " + missing(store, "contact", gone[0])
        )
    new = dict(old)
    for name, value in was.items():
        if name in new and name != "id":
            new[name] = (
                datetime.fromisoformat(value)
                if name == "occurred_at"
                else list(value)
                if isinstance(value, list)
                else value
            )
    if _key_changed("interaction", old, new):
        same = store.find_same("interaction", new, record_id)
        refuse_restore_as_same(number, "interaction", record_id, same)
    columns = {k: new[k] for k in was if k not in ("id", "tactics") and k in new}
    store.update_interaction(record_id, columns, _links(record_id, old, new))
    now = {k: jsonable(old.get(k)) for k in was}
    return store.record_change(
        "interaction",
        record_id,
        "undo",
        now,
        was,
        supplier=store.supplier_of(old["supplier_id"]),
        undoes=number,
    )
