"""The portfolio: a row per supplier not archived, most attention needed first (SPEC §6).

Its figures come from `measures` in a fixed number of queries whatever the number of
suppliers; the order says who needs a look first.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, select

from srmcli import config, scoring
from srmcli.dates import check_span
from srmcli.models import Supplier
from srmcli.services.authors import find_author
from srmcli.services.measures import climate_of, measure_days, pressured_for, service_for
from srmcli.vocab import SupplierStatus

PORTFOLIO_COLUMNS = (
    "supplier", "status", "depth_score", "depth_tier", "depth_trend", "service_score",
    "last_interaction", "days_since_last", "cadence_days", "interactions_window",
    "key_roles_reached", "open_issues", "escalated_issues", "overdue_promises", "spend_share",
    "climate",
)  # fmt: skip


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

    Eight queries whatever the number of suppliers: the suppliers, depth at T and at
    T − W (two each), issues by severity, overdue promises and the pressure tactics of
    the window (for the climate). With `author`, depth and
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
    pressured = pressured_for(
        session=session, supplier_ids=ids, as_of=as_of, window_days=window_days, author=author
    )

    ranked: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for sp in suppliers:
        sid = sp.id or 0
        m = now[sid]
        depth_now = scoring.depth(inputs=m.inputs, settings=settings)
        depth_before = scoring.depth(inputs=before[sid].inputs, settings=settings)
        svc, overdue = service[sid]
        climate = climate_of(m, pressured.get(sid, 0))
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
            # SPEC §10, after the §7 keys so their order (and CSV columns) stays put
            "climate": climate.label if climate else None,
        }
        lapse = scoring.cadence_overdue(
            cadence_days=sp.cadence_days,
            last_interaction=m.last_interaction,
            created_at=sp.created_at,
            as_of=as_of,
        )
        ranked.append((_attention(row, lapse), row))
    ranked.sort(key=lambda pair: pair[0])
    return [row for _, row in ranked]
