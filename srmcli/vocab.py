"""Closed vocabularies of the journal (SPEC §2). Pure: no database imports."""

from __future__ import annotations

import functools
from enum import StrEnum
from typing import TypeVar

from srmcli.errors import InvalidValueError


class Size(StrEnum):
    small = "small"
    mid = "mid"
    large = "large"
    mega = "mega"


class SupplierStatus(StrEnum):
    prospect = "prospect"
    active = "active"
    probation = "probation"
    inactive = "inactive"


class Access(StrEnum):
    open = "open"
    standard = "standard"
    restricted = "restricted"


class Level(StrEnum):
    low = "low"
    high = "high"


class Role(StrEnum):
    sales = "sales"
    customer_service = "customer-service"
    operations = "operations"
    engineering = "engineering"
    quality = "quality"
    logistics = "logistics"
    finance = "finance"
    executive = "executive"
    other = "other"


class Channel(StrEnum):
    call = "call"
    meeting = "meeting"
    visit = "visit"
    video = "video"
    email = "email"
    chat = "chat"
    web = "web"
    other = "other"


class Initiator(StrEnum):
    us = "us"
    them = "them"


class IssueKind(StrEnum):
    late_delivery = "late-delivery"
    quality = "quality"
    short_shipment = "short-shipment"
    wrong_item = "wrong-item"
    billing = "billing"
    responsiveness = "responsiveness"
    communication = "communication"
    documentation = "documentation"
    price = "price"
    other = "other"


class IssueStatus(StrEnum):
    open = "open"
    escalated = "escalated"
    resolved = "resolved"


class Owner(StrEnum):
    them = "them"
    us = "us"


class Tactic(StrEnum):
    price_increase = "price-increase"
    supply_threat = "supply-threat"
    deadline_pressure = "deadline-pressure"
    flattery = "flattery"
    snooping = "snooping"
    bundling = "bundling"
    bypass = "bypass"
    innovative_pitch = "innovative-pitch"


class Stage(StrEnum):
    identified = "identified"
    contacted = "contacted"
    interested = "interested"
    capabilities = "capabilities"
    proposal = "proposal"
    quoted = "quoted"
    qualified = "qualified"
    awarded = "awarded"
    declined = "declined"


class ProjectStatus(StrEnum):
    open = "open"
    awarded = "awarded"
    closed = "closed"


E = TypeVar("E", bound=StrEnum)


@functools.cache
def _by_value(enum: type[E]) -> dict[str, E]:
    # bulk imports check a vocabulary word per cell: a lookup, not a walk over the enum
    return {m.value: m for m in enum}


def parse_choice(enum: type[E], value: str, what: str) -> E:
    """Accept a vocabulary word case-insensitively, or refuse it listing the accepted ones."""
    cleaned = value.strip().lower().replace("_", "-")
    member = _by_value(enum).get(cleaned)
    if member is not None:
        return member
    accepted = ", ".join(m.value for m in enum)
    raise InvalidValueError(f"unknown {what} {value!r}; accepted: {accepted}")


KEY_ROLES: tuple[str, ...] = (
    Role.sales.value,
    Role.customer_service.value,
    Role.operations.value,
    Role.engineering.value,
    Role.executive.value,
)


def kraljic_segment(profit_impact: str | None, supply_risk: str | None) -> str | None:
    """Kraljic quadrant from profit impact x supply risk; None until both are known."""
    if not profit_impact or not supply_risk:
        return None
    return {
        ("high", "high"): "strategic",
        ("high", "low"): "leverage",
        ("low", "high"): "bottleneck",
        ("low", "low"): "non-critical",
    }[(profit_impact, supply_risk)]
