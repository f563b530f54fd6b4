"""The rules of a new record, as plain values: the one place they live.

The ORM builders (`build_issue`, `build_followup`) wrap these values into models; `srm
log` (both stores) and bulk import insert them as they are. Pure: no
database imports, so the fast path pays for none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from srmcli import config, dates, values
from srmcli.errors import ConflictError, InvalidValueError
from srmcli.fields import clean_list, clean_note
from srmcli.vocab import (
    Channel,
    Initiator,
    IssueKind,
    IssueStatus,
    Owner,
    parse_choice,
)

# SPEC §4: what makes two records the same one. The first columns find the candidates
# through an index ((supplier_id, occurred_at…) on interaction, (supplier_id, owner, due)
# on followup, supplier_id on issue); the others are compared on those few. Import skips
# a row whose key is already there, every other write path refuses it without --again.
NATURAL_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "interaction": (("supplier_id", "occurred_at"), ("channel", "note")),
    "issue": (("supplier_id", "kind", "opened_at"), ("description",)),
    "followup": (("supplier_id", "owner", "due"), ("text",)),
}


def natural_key(table: str, values: dict[str, Any]) -> tuple[Any, ...]:
    """The natural key of a new record's values (located columns first, then compared)."""
    located, compared = NATURAL_KEYS[table]
    return tuple(values[c] for c in (*located, *compared))


def same_record_query(
    table: str, values: dict[str, Any], besides: int | None = None
) -> tuple[str, dict[str, Any]]:
    """SQL (named `:column` parameters, for sqlite3 and SQLAlchemy alike) finding a
    record of `table` with the natural key of `values` (other than record `besides`, the
    one being edited); a missing value matches a missing one, as in import's comparison.
    No ORDER BY: ordering by id could tempt a planner to walk the whole table in id order
    instead of seeking the key's index."""
    located, compared = NATURAL_KEYS[table]
    tests = []
    params: dict[str, Any] = {}
    for column in (*located, *compared):
        if values[column] is None:
            tests.append(f"{column} IS NULL")
        else:
            tests.append(f"{column} = :{column}")
            params[column] = values[column]
    if besides is not None:
        tests.append("id != :besides")
        params["besides"] = besides
    return f"SELECT id FROM {table} WHERE {' AND '.join(tests)} LIMIT 1", params


REPEATS = {
    "interaction": ("this interaction", "interaction"),
    "issue": ("this issue", "issue"),
    "followup": ("this follow-up", "follow-up"),
}


def refuse_repeat(table: str, existing_id: int | None) -> None:
    """Refuse a new record whose natural key is already recorded as `existing_id`."""
    if existing_id is None:
        return
    what, label = REPEATS[table]
    raise ConflictError(
        f"{what} is already recorded as {label} #{existing_id} (same "
        f"{_key_words(table)}); add --again to record it anyway"
    )


def refuse_same_as(table: str, record_id: int, existing_id: int | None) -> None:
    """Refuse an edit that would make record `record_id` the same one as `existing_id`."""
    if existing_id is None:
        return
    _, label = REPEATS[table]
    raise ConflictError(
        f"{label} #{record_id} would then be the same as {label} #{existing_id} (same "
        f"{_key_words(table)}); add --again to change it anyway"
    )


def refuse_restore_as_same(
    change: int, table: str, record_id: int, existing_id: int | None
) -> None:
    """Refuse an undo that would make record `record_id` the same one as `existing_id`."""
    if existing_id is None:
        return
    _, label = REPEATS[table]
    raise ConflictError(
        f"change #{change} cannot be undone: {label} #{record_id} would then be the same as "
        f"{label} #{existing_id} (same {_key_words(table)}); edit or remove that one first"
    )


def _key_words(table: str) -> str:
    located, compared = NATURAL_KEYS[table]
    words = [
        {
            "supplier_id": "supplier",
            "occurred_at": "date and time",
            "opened_at": "opening time",
        }.get(c, c.replace("_", " "))
        for c in (*located, *compared)
    ]
    return ", ".join(words[:-1]) + " and " + words[-1]


def parse_id(value: int | str, what: str) -> int:
    """A record number as typed (`12` or `#12`); anything else names what is accepted."""
    text = str(value).strip().removeprefix("#")
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise InvalidValueError(
            f"{what} id {value!r} is not accepted; give the number shown in the listing, e.g. 12"
        )
    return int(text)


def day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def not_in_future(when: date | datetime | None, what: str) -> None:
    """What happened cannot have happened after today (the clock, or `SRM_NOW`)."""
    today = dates.today()
    if when is not None and day(when) > today:
        raise InvalidValueError(
            f"{what} {day(when)} is in the future; give today ({today}) or an earlier day"
        )


def _agreeing_status(
    status: str | None, escalated_at: datetime | None, resolved_at: datetime | None
) -> str:
    """The status the dates imply; a given status must say the same thing."""
    implied = (
        IssueStatus.resolved
        if resolved_at is not None
        else IssueStatus.escalated
        if escalated_at is not None
        else IssueStatus.open
    )
    if status is None or not str(status).strip():
        return implied.value
    given = parse_choice(IssueStatus, status, "issue status")
    if given == implied:
        return given.value
    if given == IssueStatus.resolved:
        raise InvalidValueError(
            "status resolved needs resolved_at (when it was resolved); give both, "
            "or leave the status blank"
        )
    if given == IssueStatus.escalated and resolved_at is not None:
        raise InvalidValueError(
            "status escalated contradicts resolved_at (a resolved issue has status resolved); "
            "clear resolved_at or use status resolved"
        )
    if given == IssueStatus.escalated:
        raise InvalidValueError(
            "status escalated needs escalated_at (when it was escalated); give both, "
            "or leave the status blank"
        )
    # given open, but the dates say escalated or resolved
    what = "resolved_at" if resolved_at is not None else "escalated_at"
    raise InvalidValueError(
        f"status open contradicts {what}; use status {implied.value} or clear {what}"
    )


def check_issue_dates(
    *,
    opened_at: datetime,
    escalated_at: datetime | None = None,
    resolved_at: datetime | None = None,
) -> None:
    """Escalation and resolution come on or after the opening day, resolution last."""
    opened = day(opened_at)
    if escalated_at is not None and day(escalated_at) < opened:
        raise InvalidValueError(
            f"escalated_at {day(escalated_at)} is before the issue was opened ({opened}); "
            f"give a day on or after {opened}"
        )
    if resolved_at is not None and day(resolved_at) < opened:
        raise InvalidValueError(
            f"resolved {day(resolved_at)} is before the issue was opened ({opened}); "
            f"give a day on or after {opened}"
        )
    if (
        escalated_at is not None
        and resolved_at is not None
        and day(resolved_at) < day(escalated_at)
    ):
        raise InvalidValueError(
            f"resolved {day(resolved_at)} is before the issue was escalated "
            f"({day(escalated_at)}); give a day on or after {day(escalated_at)}"
        )


def optional_text(value: str | None) -> str | None:
    cleaned = (value or "").strip()
    return cleaned or None


def recorded_by(author: str | None = None) -> str | None:
    """The `author` of a record being written: the name given, else whoever is writing
    (`config.author()`: config `author`, else the login name); blank means none."""
    return optional_text(config.author() if author is None else author)


def interaction_values(
    *,
    supplier_id: int,
    note: str | None,
    channel: str | None = None,
    initiator: str | None = None,
    occurred_at: datetime | None = None,
    duration_min: int | str | None = None,
    tone: int | str | None = None,
    tags: Sequence[str] = (),
    author: str | None = None,
    contact_ids: Sequence[int] = (),
) -> dict[str, Any]:
    """Columns of a new interaction. Blank values take the defaults of SPEC §3:
    channel call, initiator us, tone 0, now; it cannot have happened after today.
    `contact_ids` are those of the people who took part: the row keeps them once each,
    in ascending order, and `link_values` makes their link rows from that list."""
    not_in_future(occurred_at, "the day it happened")
    return {
        "supplier_id": supplier_id,
        "occurred_at": occurred_at or dates.now(),
        "channel": parse_choice(Channel, channel, "channel").value if channel else "call",
        "initiator": parse_choice(Initiator, initiator, "initiator").value if initiator else "us",
        "duration_min": None if values.blank(duration_min) else values.minutes(duration_min),
        "tone": 0 if values.blank(tone) else values.tone(tone),
        "tags": clean_list(tags, "tag"),
        "note": clean_note(note),
        "author": optional_text(author),
        "contact_ids": sorted(set(contact_ids)),
    }


def link_values(
    interaction_id: int,
    interaction: dict[str, Any],
    tactics: Sequence[str],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of `interaction_contact` and `interaction_tactic` for a new interaction (the
    values of `interaction_values`): one per contact id it keeps, one per tactic.

    Each carries the interaction's date (and a tactic its supplier): the indexes the
    reports seek through (see the models) are built on these copies. Links and the
    interaction's own `contact_ids` come from the one list, so they cannot disagree.
    """
    when = interaction["occurred_at"]
    people = [
        {"interaction_id": interaction_id, "contact_id": c, "occurred_at": when}
        for c in interaction["contact_ids"]
    ]
    used = [
        {
            "interaction_id": interaction_id,
            "tactic": t,
            "supplier_id": interaction["supplier_id"],
            "occurred_at": when,
        }
        for t in tactics
    ]
    return people, used


def issue_values(
    *,
    supplier_id: int,
    kind: str,
    severity: int | str | None = None,
    status: str | None = None,
    opened_at: datetime,
    escalated_at: datetime | None = None,
    escalated_to_id: int | None = None,
    resolved_at: datetime | None = None,
    description: str | None = None,
    resolution: str | None = None,
    interaction_id: int | None = None,
    author: str | None = None,
) -> dict[str, Any]:
    """Columns of a new issue. Severity defaults to 3; the status defaults to what the
    dates say (resolved_at -> resolved, escalated_at -> escalated, else open) and, when
    given, must agree with them."""
    kind_value = parse_choice(IssueKind, kind or "", "issue kind").value
    level = 3 if values.blank(severity) else values.severity(severity)
    if opened_at is None:
        raise InvalidValueError("an issue needs opened_at (when it was raised)")
    state = _agreeing_status(status, escalated_at, resolved_at)
    not_in_future(opened_at, "the opening day")
    not_in_future(escalated_at, "the escalation day")
    not_in_future(resolved_at, "the resolution day")
    check_issue_dates(opened_at=opened_at, escalated_at=escalated_at, resolved_at=resolved_at)
    cleaned_resolution = optional_text(resolution)
    if cleaned_resolution is not None and resolved_at is None:
        raise InvalidValueError(
            "a resolution goes with resolved_at; give when it was resolved, or leave it blank"
        )
    return {
        "supplier_id": supplier_id,
        "kind": kind_value,
        "severity": level,
        "status": state,
        "opened_at": opened_at,
        "escalated_at": escalated_at,
        "escalated_to_id": escalated_to_id,
        "resolved_at": resolved_at,
        "description": optional_text(description),
        "resolution": cleaned_resolution,
        "interaction_id": interaction_id,
        "author": optional_text(author),
    }


def followup_values(
    *,
    supplier_id: int,
    owner: str | None,
    text: str,
    due: date,
    done_at: datetime | None = None,
    interaction_id: int | None = None,
    author: str | None = None,
) -> dict[str, Any]:
    """Columns of a new follow-up; owner defaults to `us` (our to-do)."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidValueError("the follow-up text is empty; say what is promised or to be done")
    if due is None:
        raise InvalidValueError("a follow-up needs a due day (--due WHEN, e.g. friday, 2026-12-01)")
    if isinstance(due, datetime):  # a WHEN parsed to a datetime still means a calendar day
        due = due.date()
    not_in_future(done_at, "the done day")
    return {
        "supplier_id": supplier_id,
        "owner": parse_choice(Owner, owner, "owner").value if owner else Owner.us.value,
        "text": cleaned,
        "due": due,
        "done_at": done_at,
        "interaction_id": interaction_id,
        "author": optional_text(author),
    }
