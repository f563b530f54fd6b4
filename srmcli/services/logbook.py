"""`srm log`: the one function that records an interaction, whatever the storage.

It talks to a small `LogStore` — the ORM session (any backend) or the stdlib sqlite3
journal (the fast path for SQLite files, `srmcli.sqlite_journal`) — so both paths
resolve names, validate and link exactly alike. This module imports no SQLAlchemy:
`srm log` on a SQLite journal must not pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any, Protocol

from srmcli import dates
from srmcli.drafts import (
    followup_values,
    interaction_values,
    issue_values,
    link_values,
    recorded_by,
)
from srmcli.errors import InvalidValueError
from srmcli.fields import parse_tactics
from srmcli.naming import key
from srmcli.services.records import followup_record, interaction_record, issue_record


class Named(Protocol):
    @property
    def id(self) -> int | None: ...

    @property
    def name(self) -> str: ...


class LogStore(Protocol):
    """What `log_interaction` needs from storage."""

    def find_supplier(self, name: str) -> Named: ...

    def find_contact(self, supplier: Any, name: str) -> Named: ...

    def add(self, table: str, values: dict[str, Any]) -> int:
        """Insert one row of `interaction`, `issue` or `followup`; return its id."""
        ...

    def link(self, people: Sequence[dict[str, Any]], tactics: Sequence[dict[str, Any]]) -> None:
        """Insert the rows of `drafts.link_values`: who took part, which tactics were used."""
        ...


def log_interaction(
    *,
    store: LogStore,
    supplier: str,
    note: str | None,
    contacts: Sequence[str] = (),
    channel: str = "call",
    initiator: str = "us",
    occurred_at: datetime | None = None,
    duration_min: int | str | None = None,
    tone: int | str = 0,
    tags: Sequence[str] = (),
    tactics: Sequence[str] = (),
    author: str | None = None,
    issue_kind: str | None = None,
    issue_severity: int | str | None = None,
    follow_up: str | None = None,
    follow_up_due: date | None = None,
    follow_up_owner: str = "us",
) -> dict[str, Any]:
    """Record one interaction; optionally open an issue and a follow-up linked to it.

    Everything is resolved and validated before the first insert, so a bad value writes
    nothing (and the caller's transaction rolls back on any later failure).
    """
    if occurred_at is not None and occurred_at.date() > dates.today():
        raise InvalidValueError(
            f"--date {occurred_at:%Y-%m-%d} is in the future; log what happened, today or "
            "earlier (a planned call is a follow-up: --follow-up TEXT --due WHEN)"
        )
    s = store.find_supplier(supplier)
    people: list[Named] = []
    for name in contacts:
        person = store.find_contact(s, name)
        if person.id not in {p.id for p in people}:
            people.append(person)
    values = interaction_values(
        supplier_id=s.id or 0, note=note, channel=channel, initiator=initiator,
        occurred_at=occurred_at, duration_min=duration_min, tone=tone, tags=tags,
        author=recorded_by(author), contact_ids=[p.id or 0 for p in people],
    )  # fmt: skip
    tactic_names = parse_tactics(tactics)
    issue: dict[str, Any] | None = None
    if issue_kind is not None:
        issue = issue_values(
            supplier_id=s.id or 0, kind=issue_kind, severity=issue_severity,
            opened_at=values["occurred_at"], description=values["note"],
            author=values["author"],
        )  # fmt: skip
    elif issue_severity is not None:
        raise InvalidValueError("--severity goes with --issue KIND")
    followup: dict[str, Any] | None = None
    if follow_up is not None:
        if follow_up_due is None:
            raise InvalidValueError("a follow-up needs --due WHEN (e.g. friday, 2026-12-01)")
        followup = followup_values(
            supplier_id=s.id or 0, owner=follow_up_owner, text=follow_up, due=follow_up_due,
            author=values["author"],
        )  # fmt: skip
    elif follow_up_due is not None:
        raise InvalidValueError("--due goes with --follow-up TEXT")

    interaction_id = store.add("interaction", values)
    store.link(*link_values(interaction_id, values, tactic_names))
    names = sorted((p.name for p in people), key=key)
    record = interaction_record(
        SimpleNamespace(id=interaction_id, **values),  # type: ignore[arg-type]
        s.name,
        names,
        sorted(tactic_names),
    )
    if issue is not None:
        issue["interaction_id"] = interaction_id
        issue_id = store.add("issue", issue)
        record["issue"] = issue_record(SimpleNamespace(id=issue_id, **issue), s.name, None)  # type: ignore[arg-type]
    if followup is not None:
        followup["interaction_id"] = interaction_id
        followup_id = store.add("followup", followup)
        record["follow_up"] = followup_record(SimpleNamespace(id=followup_id, **followup), s.name)  # type: ignore[arg-type]
    return record
