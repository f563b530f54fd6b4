"""`srm log`: the one function that records an interaction, whatever the storage.

It talks to a small `LogStore` — the ORM session (any backend) or the stdlib sqlite3
journal (the fast path for SQLite files, `srmcli.sqlite_journal`) — so both paths
resolve names, validate and link exactly alike. This module imports no SQLAlchemy:
`srm log` on a SQLite journal must not pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any, Protocol

from srmcli import dates
from srmcli.drafts import (
    followup_values,
    interaction_values,
    issue_values,
    link_values,
    parse_id,
    recorded_by,
    refuse_repeat,
)
from srmcli.errors import ConflictError, InvalidValueError, NotFoundError
from srmcli.fields import parse_tactics
from srmcli.naming import key
from srmcli.services.records import followup_record, interaction_record, issue_record
from srmcli.vocab import IssueStatus


class Named(Protocol):
    @property
    def id(self) -> int | None: ...

    @property
    def name(self) -> str: ...


class IssueState(Protocol):
    """What `--for-issue` needs to know of an issue."""

    @property
    def id(self) -> int | None: ...

    @property
    def supplier_id(self) -> int: ...

    @property
    def status(self) -> str: ...

    @property
    def resolved_at(self) -> datetime | None: ...


class LogStore(Protocol):
    """What `log_interaction` needs from storage."""

    def find_supplier(self, name: str) -> Named: ...

    def find_contact(self, supplier: Any, name: str) -> Named: ...

    def find_issue(self, number: int) -> IssueState | None: ...

    def find_same(self, table: str, values: dict[str, Any]) -> int | None:
        """The id of a record of `table` with the natural key of `values`
        (`drafts.same_record_query`), or None."""
        ...

    def add(self, table: str, values: dict[str, Any]) -> int:
        """Insert one row of `interaction`, `issue` or `followup`; return its id."""
        ...

    def link(
        self,
        people: Sequence[dict[str, Any]],
        tactics: Sequence[dict[str, Any]],
        issues: Sequence[dict[str, Any]] = (),
    ) -> None:
        """Insert the rows of `drafts.link_values` (who took part, which tactics were
        used) and of `issue_interaction` (the issue a call belongs to)."""
        ...


@dataclass
class Plan:
    """An interaction resolved and validated, ready to be written."""

    supplier: Named
    people: list[Named]
    values: dict[str, Any]
    tactics: list[str]
    issue: dict[str, Any] | None
    followup: dict[str, Any] | None
    for_issue: int | None


def plan_interaction(
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
    for_issue: int | str | None = None,
) -> Plan:
    """Resolve every name and check every value of an interaction, writing nothing.

    An interactive `srm log` runs this with a stand-in note before it asks for the
    note, so that a mistake is reported before anything is typed (SPEC §8).
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
    belongs_to = _open_issue(store, for_issue, s) if for_issue is not None else None
    return Plan(s, people, values, tactic_names, issue, followup, belongs_to)


def _open_issue(store: LogStore, wanted: int | str, supplier: Named) -> int:
    """The issue a call is logged for: this supplier's, and not resolved."""
    number = parse_id(wanted, "issue")
    found = store.find_issue(number)
    if found is None:
        raise NotFoundError(f"no issue #{number}; `srm issue list` shows the open ones")
    if found.supplier_id != supplier.id:
        raise InvalidValueError(
            f"issue #{number} is not {supplier.name}'s; --for-issue takes an open issue of "
            f"the supplier the call was with (`srm issue list {supplier.name!r}`)"
        )
    if found.status == IssueStatus.resolved.value or found.resolved_at is not None:
        on = f" on {found.resolved_at:%Y-%m-%d}" if found.resolved_at is not None else ""
        raise ConflictError(
            f"issue #{number} was resolved{on}; --for-issue takes an open or escalated "
            "issue (reopen it first, or open a new one with --issue KIND)"
        )
    return number


def log_interaction(*, store: LogStore, again: bool = False, **options: Any) -> dict[str, Any]:
    """Record one interaction; optionally open an issue and a follow-up linked to it, and
    link it to the open issue it belongs to (`for_issue`). Options: `plan_interaction`.

    Everything is resolved and validated before the first insert, so a bad value writes
    nothing (and the caller's transaction rolls back on any later failure). An
    interaction, issue or follow-up whose natural key is already in the journal is
    refused, naming it, unless `again`.
    """
    plan = plan_interaction(store=store, **options)
    s, values = plan.supplier, plan.values
    if not again:
        refuse_repeat("interaction", store.find_same("interaction", values))
        for table, extra in (("issue", plan.issue), ("followup", plan.followup)):
            if extra is not None:
                refuse_repeat(table, store.find_same(table, extra))

    interaction_id = store.add("interaction", values)
    belongs = (
        [{"issue_id": plan.for_issue, "interaction_id": interaction_id}]
        if plan.for_issue is not None
        else []
    )
    store.link(*link_values(interaction_id, values, plan.tactics), belongs)
    names = sorted((p.name for p in plan.people), key=key)
    record = interaction_record(
        SimpleNamespace(id=interaction_id, **values),  # type: ignore[arg-type]
        s.name,
        names,
        sorted(plan.tactics),
    )
    if plan.issue is not None:
        issue = plan.issue
        issue["interaction_id"] = interaction_id
        issue_id = store.add("issue", issue)
        record["issue"] = issue_record(
            SimpleNamespace(id=issue_id, **issue),  # type: ignore[arg-type]
            s.name,
            None,
            values["occurred_at"],
        )
    if plan.followup is not None:
        followup = plan.followup
        followup["interaction_id"] = interaction_id
        followup_id = store.add("followup", followup)
        record["follow_up"] = followup_record(
            SimpleNamespace(id=followup_id, **followup),  # type: ignore[arg-type]
            s.name,
            values["occurred_at"],
        )
    if plan.for_issue is not None:
        record["for_issue"] = plan.for_issue
    return record
