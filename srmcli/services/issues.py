"""Service issues: open, escalate (up to the president), resolve, list and summarize.

`build_issue` is the one place the rules of an issue live; `srm issue open`, `srm log
--issue`, `srm status import --open-issues` and `srm import issues` all go through it.
Dates are compared as calendar days (SPEC §5 counts calendar dates), so an issue opened
this morning can be resolved with `--date today`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, and_, case, cast, func, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from srmcli import dates, scoring, values
from srmcli.drafts import (
    check_issue_dates,
    day,
    issue_values,
    not_in_future,
    optional_text,
    recorded_by,
)
from srmcli.errors import ConflictError, InvalidValueError, NotFoundError
from srmcli.models import Contact, Issue, Supplier
from srmcli.services import history
from srmcli.services.contacts import find_contact
from srmcli.services.records import issue_record
from srmcli.services.suppliers import find_supplier
from srmcli.vocab import IssueKind, IssueStatus, parse_choice

LIST_STATUSES = ("open", "escalated", "resolved", "all")
SUMMARY_COLUMNS = (
    "supplier", "kind", "opened", "open", "escalated", "resolved", "mean_days_to_resolve",
    "oldest_open_days",
)  # fmt: skip


def build_issue(
    *,
    supplier: Supplier,
    kind: str,
    severity: int | str | None = None,
    status: str | None = None,
    opened_at: datetime,
    escalated_at: datetime | None = None,
    escalated_to: Contact | None = None,
    resolved_at: datetime | None = None,
    description: str | None = None,
    resolution: str | None = None,
    interaction_id: int | None = None,
    author: str | None = None,
) -> Issue:
    """A validated, unsaved issue.

    Severity defaults to 3; the status defaults to what the dates say (resolved_at ->
    resolved, escalated_at -> escalated, else open) and, when given, must agree with them.
    """
    if escalated_to is not None:
        if escalated_to.supplier_id != supplier.id:
            raise InvalidValueError(
                f"{escalated_to.name} is not a contact of {supplier.name}; an issue is "
                f"escalated to someone at {supplier.name}"
            )
        if escalated_at is None:
            raise InvalidValueError(
                f"escalated_to {escalated_to.name} needs escalated_at (when it was escalated)"
            )
    return Issue(
        **issue_values(
            supplier_id=supplier.id or 0,
            kind=kind,
            severity=severity,
            status=status,
            opened_at=opened_at,
            escalated_at=escalated_at,
            escalated_to_id=escalated_to.id if escalated_to is not None else None,
            resolved_at=resolved_at,
            description=description,
            resolution=resolution,
            interaction_id=interaction_id,
            author=author,
        )  # fmt: skip
    )


# -- looking records up ---------------------------------------------------------------


def find_issue(*, session: Session, issue_id: int | str) -> Issue:
    number = values.record_id(issue_id, "issue id")
    issue = session.get(Issue, number)
    if issue is None:
        raise NotFoundError(f"no issue #{number}; `srm issue list --status all` shows them")
    return issue


def _record(session: Session, issue: Issue) -> dict[str, Any]:
    supplier = session.get(Supplier, issue.supplier_id)
    person = session.get(Contact, issue.escalated_to_id) if issue.escalated_to_id else None
    return issue_record(
        issue, supplier.name if supplier else "", person.name if person is not None else None
    )


def issue_trail(*, session: Session, issue_id: int | str) -> dict[str, Any]:
    """An issue's record with its trail of calls (`calls`: interaction records, oldest
    first — the call it came out of and every call logged for it with --for-issue). The
    escalations are the dated lines of its description."""
    from srmcli.services.interactions import calls_for_issue

    issue = find_issue(session=session, issue_id=issue_id)
    record = _record(session, issue)
    record["author"] = issue.author
    record["calls"] = calls_for_issue(session, issue)
    return record


# -- the life of an issue -------------------------------------------------------------

_ESCALATION_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2}) escalated to ", re.MULTILINE)


def last_escalation_day(issue: Issue) -> date | None:
    """The day of the issue's latest escalation: the latest of `escalated_at` and the
    dates that start the escalation lines `escalate` adds to the description (an issue
    imported with only `escalated_at` has no lines)."""
    days = [day(issue.escalated_at)] if issue.escalated_at is not None else []
    for found in _ESCALATION_LINE.finditer(issue.description or ""):
        try:
            days.append(date.fromisoformat(found.group(1)))
        except ValueError:  # a line typed by hand that only looks like one
            continue
    return max(days) if days else None


def open_issue(
    *,
    session: Session,
    supplier: str,
    kind: str,
    description: str | None = None,
    severity: int | str | None = None,
    opened_at: datetime | None = None,
    author: str | None = None,
    again: bool = False,
) -> dict[str, Any]:
    """Raise a service issue with a supplier (default severity 3, opened now), recorded
    by `author` (default: whoever is writing). The same issue (supplier, kind, opening
    time and description) already in the journal is refused unless `again`."""
    from srmcli.services.duplicates import refuse_same

    s = find_supplier(session=session, name=supplier)
    when = opened_at or dates.now()
    not_in_future(when, "the opening day")
    issue = build_issue(
        supplier=s, kind=kind, severity=severity, opened_at=when, description=description,
        author=recorded_by(author),
    )  # fmt: skip
    refuse_same(session, "issue", issue.model_dump(), again=again)
    session.add(issue)
    session.flush()
    return issue_record(issue, s.name, None)


def escalate_issue(
    *,
    session: Session,
    issue_id: int | str,
    to: str | None = None,
    note: str | None = None,
    escalated_at: datetime | None = None,
) -> dict[str, Any]:
    """Escalate an unresolved issue to a named contact at that supplier, on the day it
    happened (`escalated_at`, default now; not before the issue was opened, not in the
    future).

    An escalation goes to someone, so `to` is required. The first escalation — the one
    with the earliest date, whatever order they were typed in — gives escalated_at;
    escalated_to is whoever the latest escalation (by date) went to, so an earlier one
    written up late changes neither who has the issue now nor, unless it is earlier
    still, escalated_at. Each escalation appends a line to the description that starts
    with its own date ("2026-11-25 escalated to Dana Wu: note"), so the trail of who was
    asked, and when, survives a later escalation.
    """
    issue = find_issue(session=session, issue_id=issue_id)
    supplier = session.get(Supplier, issue.supplier_id)
    assert supplier is not None  # the foreign key guarantees it
    if issue.status == IssueStatus.resolved.value or issue.resolved_at is not None:
        resolved = day(issue.resolved_at) if issue.resolved_at else "earlier"
        raise ConflictError(
            f"issue #{issue.id} was resolved on {resolved} and cannot be escalated; "
            f"reopen it with `srm issue reopen {issue.id}`, or open a new one with "
            f"`srm issue open {supplier.name!r} {issue.kind}`"
        )
    if to is None or not to.strip():
        raise InvalidValueError(
            f"an escalation goes to someone: give --to CONTACT, a contact at {supplier.name}"
        )
    person = find_contact(session=session, supplier=supplier, name=to)
    when = escalated_at or dates.now()
    not_in_future(when, "the escalation day")
    if day(when) < day(issue.opened_at):
        raise InvalidValueError(
            f"the escalation day {day(when)} is before issue #{issue.id} was opened "
            f"({day(issue.opened_at)}); give a day on or after it"
        )
    before = history.state(session, "issue", issue)
    first = min(issue.escalated_at, when) if issue.escalated_at is not None else when
    check_issue_dates(opened_at=issue.opened_at, escalated_at=first)
    latest = last_escalation_day(issue)
    now_with = person if latest is None or day(when) >= latest else None
    line = f"{day(when)} escalated to {person.name}"
    cleaned = optional_text(note)
    if cleaned is not None:
        line += f": {cleaned}"
    issue.description = f"{issue.description}\n{line}" if issue.description else line
    issue.escalated_at = first
    if now_with is not None or issue.escalated_to_id is None:
        issue.escalated_to_id = person.id
    issue.status = IssueStatus.escalated.value
    session.add(issue)
    history.changed(session, "issue", issue, "escalate", before, supplier=supplier)
    return _record(session, issue)


def resolve_issue(
    *,
    session: Session,
    issue_id: int | str,
    resolved_at: datetime | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Close an issue (default now); the note becomes its resolution."""
    issue = find_issue(session=session, issue_id=issue_id)
    if issue.resolved_at is not None or issue.status == IssueStatus.resolved.value:
        on = day(issue.resolved_at) if issue.resolved_at else "earlier"
        raise ConflictError(f"issue #{issue.id} is already resolved (on {on})")
    when = resolved_at or dates.now()
    not_in_future(when, "the resolution day")
    check_issue_dates(opened_at=issue.opened_at, escalated_at=issue.escalated_at, resolved_at=when)
    latest = last_escalation_day(issue)
    if latest is not None and day(when) < latest:
        raise InvalidValueError(
            f"resolved {day(when)} is before issue #{issue.id} was last escalated ({latest}); "
            f"give a day on or after {latest}"
        )
    before = history.state(session, "issue", issue)
    issue.resolved_at = when
    issue.resolution = optional_text(note)
    issue.status = IssueStatus.resolved.value
    session.add(issue)
    history.changed(session, "issue", issue, "resolve", before)
    return _record(session, issue)


def edit_issue(
    *,
    session: Session,
    issue_id: int | str,
    kind: str | None = None,
    severity: int | str | None = None,
    description: str | None = None,
    opened_at: datetime | None = None,
    again: bool = False,
) -> dict[str, Any]:
    """Correct an issue's kind, severity, description or opening day (kept in the
    history). An empty description clears it. A change that makes it the same issue as
    another one (SPEC §4 natural key) is refused naming that one, unless `again`."""
    from srmcli.services.duplicates import refuse_edit_into_same

    issue = find_issue(session=session, issue_id=issue_id)
    if kind is None and severity is None and description is None and opened_at is None:
        raise InvalidValueError(
            f"nothing to change on issue #{issue.id}; give --kind, --severity, --description "
            "or --date"
        )
    before = history.state(session, "issue", issue)
    old = issue.model_dump()
    if kind is not None:
        issue.kind = parse_choice(IssueKind, kind, "issue kind").value
    if severity is not None:
        issue.severity = values.severity(severity, "--severity")
    if description is not None:
        issue.description = optional_text(description)
    if opened_at is not None:
        not_in_future(opened_at, "the opening day")
        for what, later in (("escalated", issue.escalated_at), ("resolved", issue.resolved_at)):
            # the opening day moves, so the refusal speaks of it (not of the later dates)
            if later is not None and opened_at.date() > later.date():
                raise InvalidValueError(
                    f"issue #{issue.id} was {what} on {later.date()}; give an opening day on "
                    f"or before {later.date()}"
                )
        check_issue_dates(
            opened_at=opened_at, escalated_at=issue.escalated_at, resolved_at=issue.resolved_at
        )
        issue.opened_at = opened_at
    refuse_edit_into_same(session, "issue", issue.id or 0, old, issue.model_dump(), again=again)
    session.add(issue)
    history.changed(session, "issue", issue, "edit", before)
    return _record(session, issue)


def reopen_issue(*, session: Session, issue_id: int | str) -> dict[str, Any]:
    """A resolved issue open again (escalated again if it had been): its resolution day
    and text are cleared, and kept in the history."""
    issue = find_issue(session=session, issue_id=issue_id)
    if issue.resolved_at is None and issue.status != IssueStatus.resolved.value:
        raise ConflictError(f"issue #{issue.id} is not resolved (status {issue.status})")
    before = history.state(session, "issue", issue)
    issue.resolved_at = None
    issue.resolution = None
    issue.status = (
        IssueStatus.escalated.value if issue.escalated_at is not None else IssueStatus.open.value
    )
    session.add(issue)
    history.changed(session, "issue", issue, "reopen", before)
    return _record(session, issue)


def remove_issue(*, session: Session, issue_id: int | str) -> dict[str, Any]:
    """Remove an issue recorded by mistake (kept whole in the history, for `srm undo`)."""
    issue = find_issue(session=session, issue_id=issue_id)
    record = _record(session, issue)
    history.remove(session, "issue", issue)
    return record


# -- listings -------------------------------------------------------------------------


def _list_status(value: str | None) -> str:
    cleaned = (value or "open").strip().lower()
    if cleaned not in LIST_STATUSES:
        raise InvalidValueError(
            f"unknown issue status {value!r}; accepted: open (every unresolved issue, "
            "escalated ones included), escalated, resolved, all"
        )
    return cleaned


def list_issues(
    *,
    session: Session,
    supplier: str | None = None,
    status: str | None = "open",
    with_author: bool = False,
) -> list[dict[str, Any]]:
    """Issues as records: unresolved first, most severe then oldest on top (what to chase
    first); resolved ones after them, most recently resolved first. `with_author` adds
    who recorded each (for tables, not SPEC §7)."""
    wanted = _list_status(status)
    query = (
        select(Issue, Supplier.name, Contact.name)
        .join(Supplier, col(Supplier.id) == Issue.supplier_id)
        .outerjoin(Contact, col(Contact.id) == Issue.escalated_to_id)
    )
    if supplier:
        s = find_supplier(session=session, name=supplier)
        query = query.where(Issue.supplier_id == s.id)
    if wanted == "open":
        query = query.where(Issue.status != IssueStatus.resolved.value)
    elif wanted != "all":
        query = query.where(Issue.status == wanted)
    unresolved = col(Issue.status) != IssueStatus.resolved.value
    query = query.order_by(
        case((unresolved, 0), else_=1),
        case((unresolved, col(Issue.severity)), else_=0),
        case((unresolved, col(Issue.opened_at)), else_=None),
        col(Issue.resolved_at).desc(),
        col(Issue.id),
    )
    rows = []
    for i, sname, cname in session.exec(query).all():
        record = issue_record(i, sname, cname)
        if with_author:
            record["author"] = i.author
        rows.append(record)
    return rows


def age_days(record: dict[str, Any], *, today: date | None = None) -> int:
    """How long an issue has been open: to today while unresolved, else to its resolution."""
    end = record["resolved_at"] or today or dates.today()
    return dates.days_between(record["opened_at"], end)


# -- summary --------------------------------------------------------------------------


def _day_span(session: Session, earlier: Any, later: Any) -> Any:
    """Calendar days from `earlier` to `later` as SQL, on SQLite and PostgreSQL alike."""
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(func.date(later)) - func.julianday(func.date(earlier))
    return cast(later, Date) - cast(earlier, Date)


def summarize_issues(
    *, session: Session, date_from: date | None = None, date_to: date | None = None
) -> list[dict[str, Any]]:
    """Per supplier and kind over the period [from, to] (inclusive calendar days).

    opened / resolved count what happened inside the period; mean_days_to_resolve is
    over those resolved in it. open, escalated and oldest_open_days are the state at the
    end of the period (`to`, default today). Without `from` the period starts at the
    first issue. A supplier and kind appear when anything was opened, resolved or still
    open in the period.
    """
    end_day = date_to or dates.today()
    if date_from is not None and date_from > end_day:
        to_text = f"--to {end_day}" if date_to is not None else f"today ({end_day})"
        raise InvalidValueError(
            f"--from {date_from} is after {to_text}; give a --from on or before it"
        )
    end = datetime.combine(end_day + timedelta(days=1), time())  # exclusive
    start = datetime.combine(date_from, time()) if date_from is not None else None

    opened_at, resolved_at, escalated_at = (
        col(Issue.opened_at),
        col(Issue.resolved_at),
        col(Issue.escalated_at),
    )
    opened_in: ColumnElement[bool] = opened_at < end
    resolved_in: ColumnElement[bool] = and_(resolved_at.is_not(None), resolved_at < end)
    if start is not None:
        opened_in = and_(opened_in, opened_at >= start)
        resolved_in = and_(resolved_in, resolved_at >= start)
    open_at_end = and_(opened_at < end, or_(resolved_at.is_(None), resolved_at >= end))
    escalated_at_end = and_(open_at_end, escalated_at.is_not(None), escalated_at < end)

    opened_n = func.sum(case((opened_in, 1), else_=0))
    resolved_n = func.sum(case((resolved_in, 1), else_=0))
    open_n = func.sum(case((open_at_end, 1), else_=0))
    escalated_n = func.sum(case((escalated_at_end, 1), else_=0))
    resolve_days = func.sum(case((resolved_in, _day_span(session, opened_at, resolved_at))))
    oldest_open = func.min(case((open_at_end, opened_at)))

    query = (
        select(  # type: ignore[call-overload]
            Supplier.name,
            Issue.kind,
            opened_n,
            open_n,
            escalated_n,
            resolved_n,
            resolve_days,
            oldest_open,
        )
        .join(Supplier, col(Supplier.id) == Issue.supplier_id)
        .group_by(col(Supplier.id), col(Supplier.name), col(Supplier.name_key), col(Issue.kind))
        .having(or_(opened_n > 0, resolved_n > 0, open_n > 0))
        .order_by(col(Supplier.name_key), col(Issue.kind))
    )
    rows = []
    for name, kind, opened, still_open, escalated, resolved, days, oldest in session.exec(query):
        mean = scoring.round_half_up(float(days) * 10 / int(resolved)) / 10 if resolved else None
        rows.append(
            {
                "supplier": name,
                "kind": kind,
                "opened": int(opened),
                "open": int(still_open),
                "escalated": int(escalated),
                "resolved": int(resolved),
                "mean_days_to_resolve": mean,
                "oldest_open_days": dates.days_between(oldest, end_day) if oldest else None,
            }
        )
    return rows
