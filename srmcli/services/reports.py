"""Scores counted in the database: depth and service for many suppliers at once.

The database does the counting (GROUP BY supplier over the covering index
`ix_interaction_supplier_occurred`); `srmcli.scoring` does the arithmetic. Every query
here is one per report, never one per supplier, so a portfolio of a thousand suppliers
costs the same handful of round trips as a portfolio of three.

Only what happened up to the end of the as-of day T counts: a journal may hold later
interactions when a report is run for a past date, and a past report must be
reproducible.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from srmcli import config, scoring
from srmcli.dates import check_span, day_end
from srmcli.models import Contact, FollowUp, Interaction, Issue, Supplier
from srmcli.services import briefing
from srmcli.services.authors import find_author
from srmcli.services.interactions import interaction_records
from srmcli.services.measures import (
    Measure,
    last_interaction_for,
    last_seen,
    mean_days_to_resolve_for,
    measure_days,
    promise_reliability_for,
    service_for,
    tactics_for,
    their_overdue,
)
from srmcli.services.records import (
    contact_record,
    followup_record,
    issue_record,
    supplier_record,
)
from srmcli.services.sourcing import candidacies
from srmcli.services.status import on_time_delivery, status_talking_points
from srmcli.services.suppliers import find_supplier
from srmcli.vocab import Owner, SupplierStatus, kraljic_segment

# ------------------------------------------------------------------------- portfolio

PORTFOLIO_COLUMNS = (
    "supplier", "status", "depth_score", "depth_tier", "depth_trend", "service_score",
    "last_interaction", "days_since_last", "cadence_days", "interactions_window",
    "key_roles_reached", "open_issues", "escalated_issues", "overdue_promises", "spend_share",
)  # fmt: skip

DUE_COLUMNS = ("supplier", "cadence_days", "last_interaction", "days_since_last", "days_overdue")


def _attention(row: dict[str, Any], days_overdue: int | None) -> tuple[Any, ...]:
    """Most attention first: escalations, broken promises, lapsed contact, poor service, depth.

    A supplier without a depth score sorts before any scored one: a relationship nobody
    has logged anything about needs a look more than a weak one does.
    """
    depth = row["depth_score"]
    return (
        -row["escalated_issues"],
        -row["overdue_promises"],
        -max(0, days_overdue or 0),
        row["service_score"],
        -1 if depth is None else depth,
        row["supplier"].casefold(),
    )


def portfolio(
    *, session: Session, as_of: date, window_days: int, author: str | None = None
) -> list[dict[str, Any]]:
    """A row per supplier not archived (status inactive), most attention needed first.

    Seven queries whatever the number of suppliers: the suppliers, depth at T and at
    T − W (two each), issues by severity and overdue promises. With `author`, depth and
    last contact count only the interactions that author logged (issues, promises and
    spend stay the team's).
    """
    settings = config.load()
    check_span(as_of, window_days, int(settings["year_days"]))
    author = find_author(session=session, name=author) if author is not None else None
    suppliers = list(
        session.exec(select(Supplier).where(Supplier.status != SupplierStatus.inactive.value)).all()
    )
    ids = [sp.id for sp in suppliers if sp.id is not None]
    earlier = as_of - timedelta(days=window_days)
    measured = measure_days(
        session=session, supplier_ids=ids, days=[as_of, earlier], window_days=window_days,
        settings=settings, author=author,
    )  # fmt: skip
    now, before = measured[as_of], measured[earlier]
    service = service_for(
        session=session, supplier_ids=ids, as_of=as_of, window_days=window_days, settings=settings
    )

    ranked: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for sp in suppliers:
        sid = sp.id or 0
        m = now[sid]
        depth_now = scoring.depth(inputs=m.inputs, settings=settings)
        depth_before = scoring.depth(inputs=before[sid].inputs, settings=settings)
        svc, overdue = service[sid]
        row = {
            "supplier": sp.name,
            "status": sp.status,
            "depth_score": depth_now.score if depth_now else None,
            "depth_tier": depth_now.tier if depth_now else None,
            "depth_trend": scoring.trend(
                depth_now.score if depth_now else None,
                depth_before.score if depth_before else None,
            ),
            "service_score": svc.score,
            "last_interaction": m.last_interaction,
            "days_since_last": m.inputs.days_since_last,
            "cadence_days": sp.cadence_days,
            "interactions_window": m.inputs.interactions_window,
            "key_roles_reached": m.inputs.key_roles_reached,
            "open_issues": svc.open,
            "escalated_issues": svc.escalated,
            "overdue_promises": overdue,
            "spend_share": scoring.spend_share(sp.annual_spend, sp.supplier_revenue),
        }
        lapse = briefing.cadence_overdue(
            cadence_days=sp.cadence_days,
            last_interaction=m.last_interaction,
            created_at=sp.created_at,
            as_of=as_of,
        )
        ranked.append((_attention(row, lapse), row))
    ranked.sort(key=lambda pair: pair[0])
    return [row for _, row in ranked]


# ------------------------------------------------------------------------------- due


def due(*, session: Session, as_of: date) -> list[dict[str, Any]]:
    """Suppliers past their keep-in-touch cadence at T, most overdue first.

    Only suppliers with a cadence that are not archived. One never contacted is due from
    the day it was added: days_since_last is null and days_overdue counts from created_at.
    """
    check_span(as_of, 1, 1)
    suppliers = list(
        session.exec(
            select(Supplier).where(
                Supplier.status != SupplierStatus.inactive.value,
                col(Supplier.cadence_days).is_not(None),
            )
        ).all()
    )
    last = last_interaction_for(
        session=session, supplier_ids=[sp.id or 0 for sp in suppliers], as_of=as_of
    )
    ranked: list[tuple[int, str, dict[str, Any]]] = []
    for sp in suppliers:
        latest = last.get(sp.id or 0)
        overdue = briefing.cadence_overdue(
            cadence_days=sp.cadence_days,
            last_interaction=latest,
            created_at=sp.created_at,
            as_of=as_of,
        )
        if overdue is None:
            continue
        row = {
            "supplier": sp.name,
            "cadence_days": sp.cadence_days,
            "last_interaction": latest,
            "days_since_last": (as_of - latest.date()).days if latest else None,
            "days_overdue": overdue,
        }
        ranked.append((-overdue, sp.name_key, row))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [row for _, _, row in ranked]


# ----------------------------------------------------------------------------- brief

BRIEF_KEYS = (
    "supplier", "as_of", "window_days", "depth", "service", "contacts", "uncovered_roles",
    "open_issues", "overdue_promises", "our_todos", "tactics", "recent_interactions",
    "talking_points",
)  # fmt: skip


def _depth_block(
    measured: Measure, before: Measure, settings: scoring.Settings, window_days: int
) -> dict[str, Any]:
    depth_now = scoring.depth(inputs=measured.inputs, settings=settings)
    depth_before = scoring.depth(inputs=before.inputs, settings=settings)
    block: dict[str, Any] = {
        "score": depth_now.score if depth_now else None,
        "tier": depth_now.tier if depth_now else None,
        "trend": scoring.trend(
            depth_now.score if depth_now else None, depth_before.score if depth_before else None
        ),
        "components": None,
        "previous_score": depth_before.score if depth_before else None,
        "basis": None,
    }
    if depth_now is not None:
        block["components"] = {
            name: {"value": c.value, "weight": c.weight, "points": c.points}
            for name, c in depth_now.components.items()
        }
        block["basis"] = briefing.depth_basis(measured.inputs, settings, window_days)
    return block


def _contacts(
    session: Session, supplier: Supplier, as_of: date, key_roles: Sequence[str]
) -> list[dict[str, Any]]:
    """The contact map: key roles first in their usual order, then the rest, by name,
    each person with the last time they took part up to T (one index seek each)."""
    people_at = list(session.exec(select(Contact).where(Contact.supplier_id == supplier.id)).all())
    last: dict[int, datetime] = {
        int(cid): latest
        for cid, _sid, _role, latest in last_seen(
            session=session, supplier_ids=[supplier.id or 0], ends=[day_end(as_of)]
        )
        if latest is not None
    }
    order = {role: i for i, role in enumerate(key_roles)}
    people = []
    for person in sorted(
        people_at, key=lambda p: (order.get(p.role, len(order)), p.role, p.name_key)
    ):
        record = contact_record(person, supplier.name)
        record["last_contact"] = last.get(person.id or 0)
        people.append(record)
    return people


def _open_issues(session: Session, supplier: Supplier, as_of: date) -> list[dict[str, Any]]:
    """Issues open at T (escalated ones too), most severe first, then oldest."""
    end = day_end(as_of)
    resolved = col(Issue.resolved_at)
    rows = session.exec(
        select(Issue, Contact.name)
        .outerjoin(Contact, col(Contact.id) == col(Issue.escalated_to_id))
        .where(
            Issue.supplier_id == supplier.id,
            col(Issue.opened_at) < end,
            or_(resolved.is_(None), resolved >= end),
        )
        .order_by(col(Issue.severity), col(Issue.opened_at), col(Issue.id))
    ).all()
    return [issue_record(issue, supplier.name, who) for issue, who in rows]


def _followups(session: Session, supplier: Supplier, condition: Any) -> list[dict[str, Any]]:
    rows = session.exec(
        select(FollowUp)
        .where(FollowUp.supplier_id == supplier.id, condition)
        .order_by(col(FollowUp.due), col(FollowUp.id))
    ).all()
    return [followup_record(f, supplier.name) for f in rows]


def _recent_interactions(
    session: Session, supplier: Supplier, as_of: date, limit: int = 5
) -> list[dict[str, Any]]:
    found = session.exec(
        select(Interaction)
        .where(
            Interaction.supplier_id == supplier.id, col(Interaction.occurred_at) < day_end(as_of)
        )
        .order_by(col(Interaction.occurred_at).desc(), col(Interaction.id).desc())
        .limit(limit)
    ).all()
    return interaction_records(session, [(i, supplier.name) for i in found])


def brief(
    *, session: Session, supplier: str, as_of: date, window_days: int, author: str | None = None
) -> dict[str, Any]:
    """The negotiation brief of SPEC §6/§7 for one supplier as of T.

    With `author`, the depth receipt, its trend and the last contact (and the cadence
    and talking points built on them) count only the interactions that author logged;
    contacts, issues, promises, tactics and recent interactions stay the team's.

    The SPEC keys come first in contract order; extra keys follow them (kraljic_segment,
    spend_share, last_interaction, days_since_last, cadence_overdue_days, projects).
    Every list is bounded by one supplier's history, read in a fixed number of queries.
    """
    settings = config.load()
    year_days = int(settings["year_days"])
    key_roles = list(settings["depth"]["key_roles"])
    check_span(as_of, window_days, year_days)
    sp = find_supplier(session=session, name=supplier)
    sid = sp.id or 0
    author = find_author(session=session, name=author) if author is not None else None

    earlier = as_of - timedelta(days=window_days)
    both = measure_days(
        session=session, supplier_ids=[sid], days=[as_of, earlier], window_days=window_days,
        settings=settings, author=author,
    )  # fmt: skip
    measured, before = both[as_of][sid], both[earlier][sid]
    svc, _overdue = service_for(
        session=session, supplier_ids=[sid], as_of=as_of, window_days=window_days,
        settings=settings,
    )[sid]  # fmt: skip

    contacts = _contacts(session, sp, as_of, key_roles)
    covered = {c["role"] for c in contacts if c["active"]}
    lapse = briefing.cadence_overdue(
        cadence_days=sp.cadence_days,
        last_interaction=measured.last_interaction,
        created_at=sp.created_at,
        as_of=as_of,
    )
    record: dict[str, Any] = {
        "supplier": supplier_record(sp),
        "as_of": as_of,
        "window_days": window_days,
        "depth": _depth_block(measured, before, settings, window_days),
        "service": {
            "score": svc.score,
            "open": svc.open,
            "escalated": svc.escalated,
            "resolved_window": svc.resolved_window,
            "mean_days_to_resolve": mean_days_to_resolve_for(
                session=session, supplier_id=sid, as_of=as_of, year_days=year_days
            ),
            "promise_reliability": promise_reliability_for(
                session=session, supplier_id=sid, as_of=as_of, year_days=year_days
            ),
            "on_time_delivery": on_time_delivery(
                session=session, supplier_id=sid, as_of=as_of, year_days=year_days
            ),
        },
        "contacts": contacts,
        "uncovered_roles": [role for role in key_roles if role not in covered],
        "open_issues": _open_issues(session, sp, as_of),
        "overdue_promises": _followups(session, sp, their_overdue(as_of)),
        "our_todos": _followups(
            session,
            sp,
            and_(
                col(FollowUp.owner) == Owner.us.value,
                or_(col(FollowUp.done_at).is_(None), col(FollowUp.done_at) >= day_end(as_of)),
            ),
        ),
        "tactics": tactics_for(session=session, supplier_id=sid, as_of=as_of),
        "recent_interactions": _recent_interactions(session, sp, as_of),
        "talking_points": [],
        "kraljic_segment": kraljic_segment(sp.profit_impact, sp.supply_risk),
        "spend_share": scoring.spend_share(sp.annual_spend, sp.supplier_revenue),
        "last_interaction": measured.last_interaction,
        "days_since_last": measured.inputs.days_since_last,
        "cadence_overdue_days": lapse,
    }
    record["projects"] = candidacies(session=session, supplier_id=sid)
    # the weekly status reports' late and slipped PO lines follow the journal's own points
    record["talking_points"] = briefing.talking_points(record) + status_talking_points(
        session=session, supplier_id=sid, as_of=as_of
    )
    return record
