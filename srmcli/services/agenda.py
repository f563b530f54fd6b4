"""`srm today`: what the buyer has to do today (SPEC §10), in one look.

Five lists, each a few index ranges: our to-dos due today or overdue, their promises due
today or overdue (to chase), suppliers past their keep-in-touch cadence, escalated issues
nobody has talked to the supplier about for a week, and open sourcing projects due within
two weeks (or already past their due day).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from srmcli.models import Candidate, Contact, FollowUp, Issue, SourcingProject, Supplier
from srmcli.services.cadence import due as cadence_due
from srmcli.services.measures import last_interaction_for
from srmcli.services.records import followup_record, issue_record
from srmcli.vocab import Owner, ProjectStatus

QUIET_DAYS = 7  # an escalated issue with no contact for this long needs chasing
PROJECT_HORIZON = 14  # sourcing projects due within this many days

AGENDA_KEYS = ("as_of", "our_todos", "their_promises", "contact_due", "escalated_issues",
               "projects_due")  # fmt: skip


def _followups(session: Session, owner: Owner, as_of: date) -> list[dict[str, Any]]:
    rows = session.exec(
        select(FollowUp, Supplier.name)
        .join(Supplier, col(Supplier.id) == FollowUp.supplier_id)
        .where(
            FollowUp.owner == owner.value,
            col(FollowUp.done_at).is_(None),
            col(FollowUp.due) <= as_of,
        )
        .order_by(col(FollowUp.due), col(Supplier.name_key), col(FollowUp.id))
    ).all()
    out = []
    for followup, name in rows:
        record = followup_record(followup, name)
        record["days_overdue"] = (as_of - followup.due).days
        out.append(record)
    return out


def _quiet_escalations(session: Session, as_of: date) -> list[dict[str, Any]]:
    """Escalated issues still open whose supplier nobody has talked to in `QUIET_DAYS`."""
    found = session.exec(
        select(Issue, Supplier.name, Contact.name)
        .join(Supplier, col(Supplier.id) == Issue.supplier_id)
        .outerjoin(Contact, col(Contact.id) == col(Issue.escalated_to_id))
        .where(col(Issue.resolved_at).is_(None), col(Issue.escalated_at).is_not(None))
        .order_by(col(Issue.escalated_at), col(Issue.id))
    ).all()
    if not found:
        return []
    last = last_interaction_for(
        session=session, supplier_ids=sorted({i.supplier_id for i, _, _ in found}), as_of=as_of
    )
    out = []
    for issue, supplier, escalated_to in found:
        latest = last.get(issue.supplier_id)
        quiet = None if latest is None else (as_of - latest.date()).days
        if quiet is not None and quiet < QUIET_DAYS:
            continue
        record = issue_record(issue, supplier, escalated_to)
        record["last_interaction"] = latest
        record["days_since_last"] = quiet
        out.append(record)
    return out


def _projects_due(session: Session, as_of: date) -> list[dict[str, Any]]:
    candidates = (
        select(func.count())
        .where(Candidate.project_id == SourcingProject.id)
        .correlate(SourcingProject)
        .scalar_subquery()
    )
    rows = session.exec(
        select(SourcingProject, candidates)
        .where(
            SourcingProject.status == ProjectStatus.open.value,
            col(SourcingProject.due).is_not(None),
            col(SourcingProject.due) <= as_of + timedelta(days=PROJECT_HORIZON),
        )
        .order_by(col(SourcingProject.due), col(SourcingProject.name_key))
    ).all()
    return [
        {
            "id": p.id,
            "name": p.name,
            "due": p.due,
            "days_left": (p.due - as_of).days if p.due else None,
            "candidates": int(n or 0),
        }
        for p, n in rows
    ]


def _with_supplier_ids(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`srm due`'s rows, each with its supplier's id (what a calendar to-do is keyed on)."""
    if not rows:
        return rows
    ids = dict(
        session.exec(
            select(Supplier.name, Supplier.id).where(
                col(Supplier.name).in_([r["supplier"] for r in rows])
            )
        ).all()
    )
    return [{**r, "supplier_id": ids.get(r["supplier"])} for r in rows]


def today(*, session: Session, as_of: date) -> dict[str, Any]:
    """Today's agenda as of T (SPEC §10)."""
    return {
        "as_of": as_of,
        "our_todos": _followups(session, Owner.us, as_of),
        "their_promises": _followups(session, Owner.them, as_of),
        "contact_due": _with_supplier_ids(session, cadence_due(session=session, as_of=as_of)),
        "escalated_issues": _quiet_escalations(session, as_of),
        "projects_due": _projects_due(session, as_of),
    }
