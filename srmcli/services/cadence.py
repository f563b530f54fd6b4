"""Keep-in-touch cadence: the suppliers past it, most overdue first (`srm due`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from srmcli import scoring
from srmcli.dates import check_span
from srmcli.models import Supplier
from srmcli.services.measures import last_interaction_for
from srmcli.vocab import SupplierStatus

DUE_COLUMNS = ("supplier", "cadence_days", "last_interaction", "days_since_last", "days_overdue")


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
        overdue = scoring.cadence_overdue(
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
