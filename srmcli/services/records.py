"""Records in the shapes of SPEC §7: plain dicts, keys in contract order."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # records are built from models or plain namespaces alike
    from srmcli.models import Contact, FollowUp, Interaction, Issue, Supplier

SUPPLIER_COLUMNS = (
    "id", "name", "aliases", "domains", "category", "size", "status", "access", "profit_impact",
    "supply_risk", "annual_spend", "supplier_revenue", "cadence_days", "tags", "note",
    "created_at",
)  # fmt: skip
CONTACT_COLUMNS = ("id", "supplier", "name", "role", "title", "email", "phone", "note", "active")
INTERACTION_COLUMNS = (
    "id", "supplier", "occurred_at", "channel", "initiator", "contacts", "duration_min",
    "tone", "tags", "tactics", "note", "author",
)  # fmt: skip
ISSUE_COLUMNS = (
    "id", "supplier", "kind", "severity", "status", "opened_at", "escalated_at",
    "escalated_to", "resolved_at", "description", "resolution", "interaction_id",
    "interaction_at",
)  # fmt: skip
FOLLOWUP_COLUMNS = (
    "id", "supplier", "owner", "text", "due", "done_at", "interaction_id", "interaction_at",
)  # fmt: skip

PROJECT_COLUMNS = ("id", "name", "description", "due", "status")
CANDIDATE_COLUMNS = ("project", "supplier", "stage", "rating", "note", "stage_history")
STATUS_LINE_COLUMNS = (
    "supplier", "report_date", "po", "line", "item", "qty_ordered", "qty_received",
    "promised_date", "received_date",
)  # fmt: skip
HISTORY_COLUMNS = (
    "change", "at", "author", "record", "record_id", "supplier", "action", "before", "after",
    "undoes",
)  # fmt: skip
"""The kinds `srm export` added in part two (SPEC §9): projects, candidates, status lines
and the history of changes."""

LOOK_UP = object()
"""`interaction_at` not given: read it from the journal the record's object came from."""


def linked_moment(record: Any, given: Any = LOOK_UP) -> datetime | None:
    """When the interaction an issue or follow-up came out of happened (SPEC §9): the
    link that survives a move, where the interaction's id would not."""
    if given is not LOOK_UP:
        return given  # type: ignore[no-any-return]
    linked = getattr(record, "interaction_id", None)
    if linked is None:
        return None
    from sqlalchemy.orm import object_session

    from srmcli.models import Interaction

    session = object_session(record)
    found = session.get(Interaction, linked) if session is not None else None
    return found.occurred_at if found is not None else None


def supplier_record(s: Supplier) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "aliases": list(s.aliases or []),
        "domains": list(s.domains or []),
        "category": s.category,
        "size": s.size,
        "status": s.status,
        "access": s.access,
        "profit_impact": s.profit_impact,
        "supply_risk": s.supply_risk,
        "annual_spend": s.annual_spend,
        "supplier_revenue": s.supplier_revenue,
        "cadence_days": s.cadence_days,
        "tags": list(s.tags or []),
        "note": s.note,
        "created_at": s.created_at,
    }


def contact_record(c: Contact, supplier_name: str) -> dict[str, Any]:
    return {
        "id": c.id,
        "supplier": supplier_name,
        "name": c.name,
        "role": c.role,
        "title": c.title,
        "email": c.email,
        "phone": c.phone,
        "note": c.note,
        "active": c.active,
    }


def interaction_record(
    i: Interaction, supplier_name: str, contacts: list[str], tactics: list[str]
) -> dict[str, Any]:
    return {
        "id": i.id,
        "supplier": supplier_name,
        "occurred_at": i.occurred_at,
        "channel": i.channel,
        "initiator": i.initiator,
        "contacts": contacts,
        "duration_min": i.duration_min,
        "tone": i.tone,
        "tags": list(i.tags or []),
        "tactics": tactics,
        "note": i.note,
        "author": i.author,
    }


def issue_record(
    i: Issue, supplier_name: str, escalated_to: str | None, interaction_at: Any = LOOK_UP
) -> dict[str, Any]:
    return {
        "id": i.id,
        "supplier": supplier_name,
        "kind": i.kind,
        "severity": i.severity,
        "status": i.status,
        "opened_at": i.opened_at,
        "escalated_at": i.escalated_at,
        "escalated_to": escalated_to,
        "resolved_at": i.resolved_at,
        "description": i.description,
        "resolution": i.resolution,
        "interaction_id": i.interaction_id,
        "interaction_at": linked_moment(i, interaction_at),
    }


def followup_record(
    f: FollowUp, supplier_name: str, interaction_at: Any = LOOK_UP
) -> dict[str, Any]:
    return {
        "id": f.id,
        "supplier": supplier_name,
        "owner": f.owner,
        "text": f.text,
        "due": f.due,
        "done_at": f.done_at,
        "interaction_id": f.interaction_id,
        "interaction_at": linked_moment(f, interaction_at),
    }
