"""The scorecard to share with a supplier (SPEC §10): how they did, by month, and what we
ask of them — and nothing the buyer keeps to themselves.

The record is built from a list of what may be shown, never by trimming the brief: the
supplier appears by name only, issues by kind, severity, dates and their first line,
promises by text and due day. No interaction (and so no note, tactic, tone, depth or
climate), no access level, spend or spend share, no talking point, none of our to-dos,
no author, no contact and no sourcing project is read at all.

Every figure is one supplier's over one period: a handful of queries over that
supplier's issues, promises and status lines, and none over its interactions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from srmcli import config, dates, scoring
from srmcli.dates import day_end, day_start, month_spans
from srmcli.errors import InvalidValueError
from srmcli.models import FollowUp, Issue
from srmcli.services import status
from srmcli.services.measures import service_for, their_overdue
from srmcli.services.suppliers import find_supplier
from srmcli.vocab import IssueKind, Owner

DEFAULT_MONTHS = 12
MOST_MONTHS = 60

OnTime = Callable[..., float | None]
DELIVERY: tuple[tuple[str, str, OnTime], ...] = (
    # (key, what the column says, the measure)
    ("on_time_delivery", "on-time delivery", status.on_time_delivery),
    (
        "on_time_delivery_first_promise",
        "on time to first promise",
        status.on_time_delivery_first_promise,
    ),
)
"""On-time delivery figures, each by month and over the period: one line per promise
measured against (the current promise, then the first one, SPEC §9). A measure
takes (session, supplier_id, as_of, year_days, known_by): the deliveries promised in
(as_of − year_days, as_of], as the status reports up to `known_by` record them."""


def period(
    *, start: date | None, end: date | None, quarter: str | None, today: date
) -> tuple[date, date]:
    """The days the scorecard covers: `--quarter`, or `--from`/`--to`; by default the 12
    calendar months to today. A quarter still under way ends today; any day after today
    is refused, as is a span given two ways at once."""
    if quarter is not None:
        if start is not None or end is not None:
            raise InvalidValueError(
                "--quarter names the whole period; give either --quarter or --from/--to, not both"
            )
        first, last = dates.parse_quarter(quarter)
        if first > today:
            raise InvalidValueError(
                f"--quarter {quarter.strip()} has not begun (today is {today}); a scorecard "
                "reports what has happened"
            )
        return first, min(last, today)
    last = end if end is not None else today
    if last > today:
        raise InvalidValueError(
            f"--to {last} is after today ({today}); a scorecard reports what has happened"
        )
    if start is None:
        back = last.year * 12 + last.month - 1 - (DEFAULT_MONTHS - 1)
        start = date(back // 12, back % 12 + 1, 1) if back >= 12 else date(1, 1, 1)
    if start > last:
        raise InvalidValueError(f"--from {start} is after --to {last}; give --from first")
    if len(month_spans(start, last)) > MOST_MONTHS:
        raise InvalidValueError(
            f"{start} to {last} spans more than {MOST_MONTHS} months; a scorecard covers at "
            "most five years, give a later --from"
        )
    return start, last


def _days(first: date, last: date) -> int:
    return (last - first).days + 1


def _subject(description: str | None) -> str | None:
    """An issue's own first line: escalation notes are appended below it, and stay home."""
    lines = (description or "").strip().splitlines()
    return lines[0].strip() if lines else None


def _issues(session: Session, supplier_id: int, first: date, last: date) -> list[Any]:
    """(id, kind, severity, opened_at, escalated_at, resolved_at, description) of the issues
    that touch the period: opened by its end and not resolved before it began."""
    resolved = col(Issue.resolved_at)
    return list(
        session.connection()
        .execute(
            sa_select(
                col(Issue.id),
                col(Issue.kind),
                col(Issue.severity),
                col(Issue.opened_at),
                col(Issue.escalated_at),
                resolved,
                col(Issue.description),
            )  # fmt: skip
            .where(
                col(Issue.supplier_id) == supplier_id,
                col(Issue.opened_at) < day_end(last),
                or_(resolved.is_(None), resolved >= day_start(first)),
            )
            .order_by(col(Issue.severity), col(Issue.opened_at), col(Issue.id))
        )
        .all()
    )


def _within(moment: datetime | None, first: date, last: date) -> bool:
    return moment is not None and first <= moment.date() <= last


def _by_kind(issues: list[Any], first: date, last: date) -> list[dict[str, Any]]:
    end = day_end(last)
    rows = []
    for kind in IssueKind:
        of_kind = [i for i in issues if i.kind == kind.value]
        resolved = [i for i in of_kind if _within(i.resolved_at, first, last)]
        row = {
            "kind": kind.value,
            "opened": sum(1 for i in of_kind if _within(i.opened_at, first, last)),
            "resolved": len(resolved),
            "mean_days_to_resolve": scoring.mean_days_to_resolve(
                issues=[
                    scoring.ServiceIssue(
                        severity=i.severity,
                        status="resolved",
                        opened_at=i.opened_at,
                        resolved_at=i.resolved_at,
                    )  # fmt: skip
                    for i in resolved
                ],
                as_of=last,
                year_days=_days(first, last),
            ),
            "open": sum(1 for i in of_kind if i.resolved_at is None or i.resolved_at >= end),
        }
        if row["opened"] or row["resolved"] or row["open"]:
            rows.append(row)
    return rows


def _open_issues(issues: list[Any], last: date) -> list[dict[str, Any]]:
    end = day_end(last)
    rows = []
    for i in issues:
        if i.resolved_at is not None and i.resolved_at < end:
            continue
        escalated = i.escalated_at if i.escalated_at is not None and i.escalated_at < end else None
        rows.append(
            {
                "id": i.id,
                "kind": i.kind,
                "severity": i.severity,
                "status": "escalated" if escalated is not None else "open",
                "opened": i.opened_at.date(),
                "escalated": escalated.date() if escalated is not None else None,
                "days_open": dates.days_between(i.opened_at, last),
                "subject": _subject(i.description),
            }
        )
    return rows


def _overdue_promises(session: Session, supplier_id: int, last: date) -> list[dict[str, Any]]:
    rows = session.exec(
        select(col(FollowUp.id), col(FollowUp.text), col(FollowUp.due))
        .where(FollowUp.supplier_id == supplier_id, their_overdue(last))
        .order_by(col(FollowUp.due), col(FollowUp.id))
    ).all()
    return [
        {"id": fid, "text": text, "due": due, "days_overdue": (last - due).days}
        for fid, text, due in rows
    ]


def _promise_reliability(session: Session, supplier_id: int, first: date, last: date) -> Any:
    due_day = col(FollowUp.due)
    promises = session.exec(
        select(due_day, FollowUp.done_at).where(
            FollowUp.supplier_id == supplier_id,
            FollowUp.owner == Owner.them.value,
            due_day >= first,
            due_day <= last,
        )
    ).all()
    return scoring.promise_reliability(
        promises=list(promises), as_of=last, year_days=_days(first, last)
    )


def scorecard(*, session: Session, supplier: str, first: date, last: date) -> dict[str, Any]:
    """The scorecard of `supplier` over [first, last] (a `period`)."""
    sp = find_supplier(session=session, name=supplier)
    sid = sp.id or 0
    window = int(config.load()["window_days"])

    months = []
    for month_first, month_last in month_spans(first, last):
        row: dict[str, Any] = {
            "month": f"{month_first:%Y-%m}",
            "from": month_first,
            "to": month_last,
        }
        for key, _label, measure in DELIVERY:
            row[key] = measure(
                session=session, supplier_id=sid, as_of=month_last,
                year_days=_days(month_first, month_last), known_by=last,
            )  # fmt: skip
        row["service_score"] = service_for(
            session=session, supplier_ids=[sid], as_of=month_last, window_days=window
        )[sid][0].score
        months.append(row)

    issues = _issues(session, sid, first, last)
    open_issues = _open_issues(issues, last)
    overdue = _overdue_promises(session, sid, last)
    summary: dict[str, Any] = {
        key: measure(session=session, supplier_id=sid, as_of=last, year_days=_days(first, last))
        for key, _label, measure in DELIVERY
    }
    summary["promise_reliability"] = _promise_reliability(session, sid, first, last)
    summary["service_score"] = months[-1]["service_score"]
    summary["open_issues"] = len(open_issues)
    summary["overdue_promises"] = len(overdue)
    return {
        "supplier": sp.name,
        "from": first,
        "to": last,
        "prepared": dates.today(),
        "summary": summary,
        "months": months,
        "issues_by_kind": _by_kind(issues, first, last),
        "open_issues": open_issues,
        "overdue_promises": overdue,
    }
