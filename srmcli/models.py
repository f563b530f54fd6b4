"""SQLModel tables of the journal (SPEC §2).

Vocabularies are stored as their text values (see `srmcli.vocab`) and checked by the
services, so a bad value is a one-line `Error:` rather than a database exception.
Multi-valued fields that are only ever shown (aliases, tags) are JSON lists; the ones the
scores count (who took part, which tactics) are link tables the database can group by
(an interaction also keeps its contact ids as a list, for exports).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Float, Index, Numeric, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine
from sqlmodel import Field, SQLModel

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING


# JSON text on SQLite, `jsonb` on PostgreSQL (parsed once when written, and comparable)
JSON_VALUE = JSON().with_variant(JSONB(), "postgresql")


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON_VALUE, nullable=False))


class Money(TypeDecorator[Any]):
    """An amount of money (SPEC §13): `NUMERIC` on PostgreSQL, exact; a double on SQLite,
    which holds the 15 significant digits srm accepts exactly. Read back as a whole
    number when it is one (`150000`) and as a float otherwise (`150000.5`), so JSON, CSV
    and tables print it alike on both databases, never `150000.0`."""

    impl = Float
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        # SQLAlchemy adapts the type returned to the dialect itself
        return Numeric(asdecimal=True) if dialect.name == "postgresql" else Float()

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if dialect.name != "postgresql":
            return float(number)
        # no trailing zeros, so the server keeps `150000.5`, not `150000.50`
        return number.quantize(1) if number == number.to_integral_value() else number.normalize()

    def process_result_value(self, value: Any, dialect: Dialect) -> int | float | None:
        if value is None:
            return None
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)


def _money() -> Any:
    return Field(default=None, sa_column=Column(Money()))


class Supplier(SQLModel, table=True):
    __tablename__ = "supplier"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    # casefolded name: the unique, case-insensitive key on both SQLite and PostgreSQL
    name_key: str = Field(max_length=200, unique=True)
    aliases: list[str] = _json_list()
    # email domains of its people (`northwind.example`), casefolded; unique across
    # suppliers (checked by the services, like names and aliases)
    domains: list[str] = Field(
        default_factory=list, sa_column=Column(JSON_VALUE, nullable=False, server_default="[]")
    )
    category: str | None = None
    size: str | None = None
    status: str = "active"
    access: str = "standard"
    profit_impact: str | None = None
    supply_risk: str | None = None
    annual_spend: float | None = _money()
    supplier_revenue: float | None = _money()
    cadence_days: int | None = None
    tags: list[str] = _json_list()
    note: str | None = None
    created_at: datetime = Field(sa_type=DateTime)
    author: str | None = None


class Contact(SQLModel, table=True):
    __tablename__ = "contact"
    __table_args__ = (UniqueConstraint("supplier_id", "name_key", name="uq_contact_supplier_name"),)
    id: int | None = Field(default=None, primary_key=True)
    supplier_id: int = Field(foreign_key="supplier.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    name_key: str = Field(max_length=200)
    role: str
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    note: str | None = None
    active: bool = True
    author: str | None = None


class Interaction(SQLModel, table=True):
    __tablename__ = "interaction"
    __table_args__ = (
        # serves the timeline and the windowed aggregates of the scores: every column the
        # portfolio group-by reads is in the index, so SQLite never visits the table
        Index(
            "ix_interaction_supplier_occurred",
            "supplier_id",
            "occurred_at",
            "channel",
            "initiator",
            "tone",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    supplier_id: int = Field(foreign_key="supplier.id", ondelete="CASCADE")
    occurred_at: datetime = Field(sa_type=DateTime)
    channel: str = "call"
    initiator: str = "us"
    duration_min: int | None = None
    tone: int = 0
    tags: list[str] = _json_list()
    note: str = ""
    author: str | None = None
    # Who took part, as their contact ids in ascending order: a copy of the rows of
    # `interaction_contact` so that an export names them without a lookup per row (the
    # link rows stay the truth the scores count). Written with the links by `srm log` and
    # import, rewritten by `contact rm --force`, verified by `srm db check`.
    contact_ids: list[int] = Field(
        default_factory=list, sa_column=Column(JSON_VALUE, nullable=False, server_default="[]")
    )


class InteractionContact(SQLModel, table=True):
    """Who took part in an interaction.

    `occurred_at` repeats the interaction's own, which never changes once logged: with
    the index on (contact_id, occurred_at), a person's last contact before any day is one
    backward seek, so the contact map and the key roles a supplier's people reached cost
    one step per person instead of a walk over every interaction of the year.
    """

    __tablename__ = "interaction_contact"
    __table_args__ = (
        Index("ix_interaction_contact_contact_occurred", "contact_id", "occurred_at"),
    )
    interaction_id: int = Field(foreign_key="interaction.id", primary_key=True, ondelete="CASCADE")
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    occurred_at: datetime = Field(sa_type=DateTime)


class InteractionTactic(SQLModel, table=True):
    """A tactic used in an interaction.

    `supplier_id` and `occurred_at` repeat the interaction's own (neither changes once
    logged) so that the brief's all-time tactics list is one range of the index on
    (supplier_id, tactic, occurred_at), not a walk over every interaction ever logged.
    """

    __tablename__ = "interaction_tactic"
    __table_args__ = (
        Index("ix_interaction_tactic_supplier_tactic", "supplier_id", "tactic", "occurred_at"),
    )
    interaction_id: int = Field(foreign_key="interaction.id", primary_key=True, ondelete="CASCADE")
    tactic: str = Field(primary_key=True)
    supplier_id: int
    occurred_at: datetime = Field(sa_type=DateTime)


class Issue(SQLModel, table=True):
    __tablename__ = "issue"
    __table_args__ = (Index("ix_issue_supplier_status", "supplier_id", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    supplier_id: int = Field(foreign_key="supplier.id", ondelete="CASCADE")
    kind: str
    severity: int = 3
    status: str = "open"
    opened_at: datetime = Field(sa_type=DateTime)
    escalated_at: datetime | None = Field(default=None, sa_type=DateTime)
    escalated_to_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    resolved_at: datetime | None = Field(default=None, sa_type=DateTime)
    description: str | None = None
    resolution: str | None = None
    interaction_id: int | None = Field(
        default=None, foreign_key="interaction.id", ondelete="SET NULL"
    )
    author: str | None = None


class FollowUp(SQLModel, table=True):
    __tablename__ = "followup"
    __table_args__ = (Index("ix_followup_supplier_owner", "supplier_id", "owner", "due"),)
    id: int | None = Field(default=None, primary_key=True)
    supplier_id: int = Field(foreign_key="supplier.id", ondelete="CASCADE")
    owner: str = "us"
    text: str
    due: date
    done_at: datetime | None = Field(default=None, sa_type=DateTime)
    interaction_id: int | None = Field(
        default=None, foreign_key="interaction.id", ondelete="SET NULL"
    )
    author: str | None = None


class IssueInteraction(SQLModel, table=True):
    """A call that belongs to an issue (`srm log --for-issue`): the issue's trail of calls.

    A link table, not an `issue_id` column on interaction: a column would make issue and
    interaction point at each other (issue.interaction_id is the call an issue came out
    of), a cycle that table ordering — `db copy`, export of everything, restoring a removed
    record — cannot sort; and adding a column to interaction would rebuild that table and
    its full-text triggers on SQLite. Removing either record removes the link.
    """

    __tablename__ = "issue_interaction"
    __table_args__ = (Index("ix_issue_interaction_interaction_id", "interaction_id"),)
    issue_id: int = Field(foreign_key="issue.id", primary_key=True, ondelete="CASCADE")
    interaction_id: int = Field(foreign_key="interaction.id", primary_key=True, ondelete="CASCADE")


class CaptureKey(SQLModel, table=True):
    """What an interaction was captured from: a calendar event's occurrence or an email
    (`srm import calendar|mail`), so that importing the same file again adds nothing.

    The key is a SHA-256 of the source's own identity (UID and occurrence, Message-ID,
    or a mail thread on a day), fixed in width whatever the file holds. It stays when the
    interaction is removed (the link is emptied): a meeting the buyer deleted is not
    brought back by the next import of the same calendar.
    """

    __tablename__ = "capture_key"
    supplier_id: int = Field(foreign_key="supplier.id", primary_key=True, ondelete="CASCADE")
    key: str = Field(max_length=64, primary_key=True)
    interaction_id: int | None = Field(
        default=None, foreign_key="interaction.id", index=True, ondelete="SET NULL"
    )


class SourcingProject(SQLModel, table=True):
    __tablename__ = "sourcing_project"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    name_key: str = Field(max_length=200, unique=True)
    description: str | None = None
    due: date | None = None
    status: str = "open"
    created_at: datetime = Field(sa_type=DateTime)
    author: str | None = None


class Candidate(SQLModel, table=True):
    __tablename__ = "candidate"
    __table_args__ = (
        UniqueConstraint("project_id", "supplier_id", name="uq_candidate_project_supplier"),
    )
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="sourcing_project.id", ondelete="CASCADE")
    supplier_id: int = Field(foreign_key="supplier.id", index=True, ondelete="CASCADE")
    stage: str = "identified"
    rating: int | None = None
    note: str | None = None
    author: str | None = None


class CandidateStage(SQLModel, table=True):
    """The dated stage history of a candidate."""

    __tablename__ = "candidate_stage"
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True, ondelete="CASCADE")
    stage: str
    changed_at: datetime = Field(sa_type=DateTime)
    note: str | None = None


class StatusReport(SQLModel, table=True):
    """One weekly status report of a supplier: a dated snapshot of open PO lines."""

    __tablename__ = "status_report"
    __table_args__ = (UniqueConstraint("supplier_id", "report_date", name="uq_status_report_day"),)
    id: int | None = Field(default=None, primary_key=True)
    supplier_id: int = Field(foreign_key="supplier.id", ondelete="CASCADE")
    report_date: date
    imported_at: datetime = Field(sa_type=DateTime)
    author: str | None = None


class StatusLine(SQLModel, table=True):
    __tablename__ = "status_line"
    __table_args__ = (Index("ix_status_line_supplier_po", "supplier_id", "po", "line"),)
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="status_report.id", index=True, ondelete="CASCADE")
    supplier_id: int = Field(foreign_key="supplier.id", ondelete="CASCADE")
    report_date: date
    po: str
    line: str
    item: str | None = None
    qty_ordered: float = 0
    qty_received: float = 0
    promised_date: date | None = None
    received_date: date | None = None


class StatusHeader(SQLModel, table=True):
    """How a supplier's status reports name a column (`status import --map`), remembered
    for its next report."""

    __tablename__ = "status_header"
    supplier_id: int = Field(foreign_key="supplier.id", primary_key=True, ondelete="CASCADE")
    column: str = Field(primary_key=True)
    header: str


def _json_document() -> Any:
    """A JSON value that may be absent: plain JSON on SQLite, `jsonb` on PostgreSQL."""
    return Field(
        default=None,
        sa_column=Column(
            JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")
        ),
    )


class Change(SQLModel, table=True):
    """One change to the journal: append-only, written in the transaction of the change.

    `before` and `after` hold the fields that changed, as JSON (dates as ISO text); a
    removal keeps the whole record with what went with it in `before` (and `after` is
    null), a restore the other way round. The supplier is kept by id and by name, so the
    history of a removed supplier can still be asked for by name. No foreign keys: the
    history outlives what it describes.
    """

    __tablename__ = "history"
    __table_args__ = (
        Index("ix_history_record", "record_type", "record_id", "id"),
        Index("ix_history_supplier", "supplier_id", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=DateTime)
    author: str | None = None
    record_type: str
    record_id: int
    supplier_id: int | None = None
    supplier_name: str | None = None
    action: str
    undoes: int | None = None  # the change an `undo` reversed
    # set on changes `srm import history` brought from another journal: their record ids
    # are that journal's, so they are shown but never undone here
    imported_at: datetime | None = Field(default=None, sa_type=DateTime)
    before: Any = _json_document()
    after: Any = _json_document()


class JournalIdentity(SQLModel, table=True):
    """Who this journal is: a random id made once, kept by `db copy`.

    Calendar to-dos written from the journal take their UIDs from it (with the record's
    own id), so re-importing them updates the buyer's calendar instead of duplicating it,
    and two journals never write the same UID.
    """

    __tablename__ = "journal"
    uid: str = Field(primary_key=True, max_length=36)
    created_at: datetime = Field(sa_type=DateTime)
