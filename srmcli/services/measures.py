"""What the journal measures, counted in the database: depth, service, contact and more.

The database does the counting (GROUP BY supplier over the covering index
`ix_interaction_supplier_occurred`); `srmcli.scoring` does the arithmetic. Every query
here is one per report, never one per supplier, so a portfolio of a thousand suppliers
costs the same handful of round trips as a portfolio of three. The reports (portfolio,
brief, cadence) and the sourcing board all read their figures from here.

Only what happened up to the end of the as-of day T counts: a journal may hold later
interactions when a report is run for a past date, and a past report must be
reproducible.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, distinct, extract, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from srmcli import config, scoring
from srmcli.dates import day_end, day_start, months_ending, window_start
from srmcli.models import (
    Contact,
    FollowUp,
    Interaction,
    InteractionContact,
    InteractionTactic,
    Issue,
    Supplier,
)
from srmcli.services.authors import by_author, find_author
from srmcli.vocab import Owner

# Above this many ids an IN (...) list stops paying for itself (and nears SQLite's
# bound-parameter limit): the grouped query then covers everyone and is filtered here.
_IN_LIST_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Measure:
    """What the journal says about one supplier's contact up to T: depth's inputs and more."""

    inputs: scoring.DepthInputs
    last_interaction: datetime | None
    tone_window: int = 0  # the sum of tones over the window, for the climate


def _restrict(query: Any, column: Any, supplier_ids: Sequence[int] | None) -> Any:
    if supplier_ids is not None and len(supplier_ids) <= _IN_LIST_LIMIT:
        return query.where(column.in_(list(supplier_ids)))
    return query


def _rows(session: Session, query: Any) -> list[Any]:
    """Run an aggregate query on the session's connection (Core rows, no ORM objects)."""
    return list(session.connection().execute(query).all())


def _all_supplier_ids(session: Session) -> list[int]:
    return [int(i) for i in session.exec(select(Supplier.id)).all() if i is not None]


def measure(
    *,
    session: Session,
    supplier_ids: Sequence[int] | None,
    as_of: date,
    window_days: int,
    settings: scoring.Settings | None = None,
    author: str | None = None,
) -> dict[int, Measure]:
    """Depth inputs at T for many suppliers (all of them when `supplier_ids` is None)."""
    return measure_days(
        session=session, supplier_ids=supplier_ids, days=[as_of], window_days=window_days,
        settings=settings, author=author,
    )[as_of]  # fmt: skip


def measure_days(
    *,
    session: Session,
    supplier_ids: Sequence[int] | None,
    days: Sequence[date],
    window_days: int,
    settings: scoring.Settings | None = None,
    author: str | None = None,
) -> dict[date, dict[int, Measure]]:
    """Depth inputs for many suppliers at several days T (a score and its trend) at once.

    Every query reads only the windows and years before those days, through the covering
    index, so a report costs the same after ten years of history as after one; the days
    share one pass over the span they cover. Range counts by (supplier, channel,
    initiator) give each day's window count and year's channel mix, initiative and tone;
    each person's last contact before each day (one seek) gives the key roles reached;
    the last interaction is one index seek per supplier and day.
    `author` (a key from `authors.find_author`) counts only that author's interactions.
    """
    s = config.load() if settings is None else settings
    year_days = int(s["year_days"])
    key_roles = list(s["depth"]["key_roles"])
    ids = list(supplier_ids) if supplier_ids is not None else _all_supplier_ids(session)
    occurred = col(Interaction.occurred_at)
    spans = {
        day: (window_start(day, year_days), window_start(day, window_days), day_end(day))
        for day in days
    }
    counts: dict[date, dict[str, dict[int, int]]] = {
        day: {k: defaultdict(int) for k in ("window", "year", "them", "tone", "window_tone")}
        for day in days
    }
    channels: dict[date, dict[int, dict[str, int]]] = {day: {} for day in days}
    # The years and windows of all the days cut time into segments; each segment is one
    # plain range of the index, counted once by (supplier, channel, initiator) and added
    # to every year and window that covers it. Range counts cost a third of one query
    # that tests each row against every year and window.
    bounds = sorted({moment for span in spans.values() for moment in span})
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        covering = [
            (counts[day], channels[day], year_from <= lo, window_from <= lo)
            for day, (year_from, window_from, end) in spans.items()
            if hi <= end and min(year_from, window_from) <= lo
        ]
        if not covering:
            continue
        segment = sa_select(
            col(Interaction.supplier_id),
            col(Interaction.channel),
            col(Interaction.initiator),
            func.count(),
            func.sum(col(Interaction.tone)),
        ).where(occurred >= lo, occurred < hi)
        if author is not None:
            segment = segment.where(by_author(author))
        segment = _restrict(segment, col(Interaction.supplier_id), supplier_ids)
        segment = segment.group_by(
            col(Interaction.supplier_id), col(Interaction.channel), col(Interaction.initiator)
        )
        for sid, channel, initiator, n, tone in _rows(session, segment):
            for c, mix, in_year, in_window in covering:
                if in_window:
                    c["window"][sid] += n
                    c["window_tone"][sid] += int(tone or 0)
                if in_year:
                    c["year"][sid] += n
                    c["tone"][sid] += int(tone or 0)
                    if initiator == "them":
                        c["them"][sid] += n
                    by_channel = mix.setdefault(sid, {})
                    by_channel[channel] = by_channel.get(channel, 0) + n

    roles: dict[date, dict[int, int]] = {day: {} for day in days}
    if key_roles and author is None:
        # a role is reached in a day's year when one of its people was last seen, before
        # the day ended, on or after the year began: one index seek per person and day
        measured = list(spans)  # the days, each once
        ends = [spans[day][2] for day in measured]
        reached_roles: dict[date, dict[int, set[str]]] = {day: {} for day in days}
        for _cid, sid, role, *latest in last_seen(
            session=session, supplier_ids=supplier_ids, ends=ends, roles=key_roles
        ):
            for day, when in zip(measured, latest, strict=True):
                if when is not None and when >= spans[day][0]:
                    reached_roles[day].setdefault(sid, set()).add(role)
        roles = {
            day: {sid: len(found) for sid, found in by_supplier.items()}
            for day, by_supplier in reached_roles.items()
        }
    elif key_roles and author is not None:
        # one author's interactions: the links do not say who logged them, so the
        # interactions of the span are walked and joined to their people
        first = min(min(year_from, window_from) for year_from, window_from, _ in spans.values())
        last_end = max(end for *_, end in spans.values())
        flags = [
            func.count(
                distinct(case((and_(occurred >= year_from, occurred < end), col(Contact.role))))
            )
            for year_from, _, end in spans.values()
        ]
        reached = (
            sa_select(col(Interaction.supplier_id), *flags)
            .select_from(Interaction)
            .join(InteractionContact, col(Interaction.id) == col(InteractionContact.interaction_id))
            .join(Contact, col(Contact.id) == col(InteractionContact.contact_id))
            .where(occurred >= first, occurred < last_end, col(Contact.role).in_(key_roles))
            .where(by_author(author))
        )
        reached = _restrict(reached, col(Interaction.supplier_id), supplier_ids)
        # grouped by supplier alone, the index order: no sorting, one distinct set per day
        reached = reached.group_by(col(Interaction.supplier_id))
        for sid, *reached_by_day in _rows(session, reached):
            for day, n in zip(list(spans), reached_by_day, strict=True):
                roles[day][int(sid)] = int(n or 0)

    out: dict[date, dict[int, Measure]] = {}
    for day, (_, _, end) in spans.items():
        latest_by = _latest_before(session, supplier_ids, end, author)
        c = counts[day]
        out[day] = {}
        for sid in ids:
            latest = latest_by.get(sid)
            inputs = scoring.DepthInputs(
                days_since_last=(day - latest.date()).days if latest is not None else None,
                interactions_window=c["window"].get(sid, 0),
                key_roles_reached=roles[day].get(sid, 0),
                channel_counts_year=channels[day].get(sid, {}),
                initiated_by_them_year=c["them"].get(sid, 0),
                interactions_year=c["year"].get(sid, 0),
                tone_sum_year=c["tone"].get(sid, 0),
            )
            out[day][sid] = Measure(
                inputs=inputs, last_interaction=latest, tone_window=c["window_tone"].get(sid, 0)
            )
    return out


def last_seen(
    *,
    session: Session,
    supplier_ids: Sequence[int] | None,
    ends: Sequence[datetime],
    roles: Sequence[str] | None = None,
) -> list[Any]:
    """Per person (of these suppliers, with one of these roles): (contact id, supplier id,
    role, then the last time they took part before each of `ends`, or None).

    Each time is one backward seek through `ix_interaction_contact_contact_occurred`, so
    the cost follows the number of people, not how often anyone talks to them.
    """
    link = col(InteractionContact.occurred_at)
    seeks = [
        sa_select(link)
        .where(col(InteractionContact.contact_id) == col(Contact.id), link < end)
        .order_by(link.desc())
        .limit(1)
        .correlate(Contact)
        .scalar_subquery()
        for end in ends
    ]
    query = sa_select(col(Contact.id), col(Contact.supplier_id), col(Contact.role), *seeks)
    if roles is not None:
        query = query.where(col(Contact.role).in_(list(roles)))
    query = _restrict(query, col(Contact.supplier_id), supplier_ids)
    return _rows(session, query)


def depth_for(
    *,
    session: Session,
    supplier_ids: list[int] | None,
    as_of: date,
    window_days: int,
) -> dict[int, scoring.Depth | None]:
    """Depth at T for many suppliers (all of them when `supplier_ids` is None).

    None for a supplier with no interaction up to T: "no data", never a made-up score.
    """
    settings = config.load()
    measured = measure(
        session=session,
        supplier_ids=supplier_ids,
        as_of=as_of,
        window_days=window_days,
        settings=settings,
    )
    return {sid: scoring.depth(inputs=m.inputs, settings=settings) for sid, m in measured.items()}


def last_interaction_for(
    *, session: Session, supplier_ids: Iterable[int] | None, as_of: date
) -> dict[int, datetime | None]:
    """The latest interaction on or before the end of day T, per supplier."""
    ids = list(supplier_ids) if supplier_ids is not None else _all_supplier_ids(session)
    found = _latest_before(session, ids if supplier_ids is not None else None, day_end(as_of))
    return {sid: found.get(sid) for sid in ids}


def _latest_before(
    session: Session, supplier_ids: Sequence[int] | None, end: datetime, author: str | None = None
) -> dict[int, datetime]:
    """The last interaction before `end`, per supplier, in one query.

    Each is the first entry of a backward walk of that supplier's part of the index (a
    single seek; with `author`, as many steps as there are others' interactions since),
    rather than a GROUP BY over all the history there is.
    """
    occurred = col(Interaction.occurred_at)
    latest = (
        sa_select(occurred)
        .where(col(Interaction.supplier_id) == col(Supplier.id), occurred < end)
        .order_by(occurred.desc())
        .limit(1)
    )
    if author is not None:
        latest = latest.where(by_author(author))
    query = sa_select(col(Supplier.id), latest.correlate(Supplier).scalar_subquery())
    query = _restrict(query, col(Supplier.id), supplier_ids)
    return {int(sid): when for sid, when in _rows(session, query) if when is not None}


# --------------------------------------------------------------------------- climate


def pressured_for(
    *,
    session: Session,
    supplier_ids: Sequence[int] | None,
    as_of: date,
    window_days: int,
    author: str | None = None,
) -> dict[int, int]:
    """Per supplier, the interactions in (T − W, T] that carried a pressure tactic (any
    but `innovative-pitch`), counted once however many they carried.

    One range per supplier of `ix_interaction_tactic_supplier_tactic`, whose rows repeat
    the interaction's supplier and time; with `author`, joined to the interactions."""
    used = col(InteractionTactic.occurred_at)
    query = sa_select(
        col(InteractionTactic.supplier_id),
        func.count(distinct(col(InteractionTactic.interaction_id))),
    ).where(
        col(InteractionTactic.tactic).not_in(list(scoring.PRESSURE_FREE_TACTICS)),
        used >= window_start(as_of, window_days),
        used < day_end(as_of),
    )
    if author is not None:
        query = query.join(
            Interaction, col(Interaction.id) == col(InteractionTactic.interaction_id)
        ).where(by_author(author))
    query = _restrict(query, col(InteractionTactic.supplier_id), supplier_ids)
    query = query.group_by(col(InteractionTactic.supplier_id))
    return {int(sid): int(n) for sid, n in _rows(session, query)}


def climate_of(measured: Measure, pressured: int) -> scoring.Climate | None:
    """The climate over the window of one supplier measured at T."""
    return scoring.climate(
        interactions=measured.inputs.interactions_window,
        tone_sum=measured.tone_window,
        pressured=pressured,
    )


# --------------------------------------------------------------------------- service


def _issue_counts(
    session: Session, supplier_ids: Sequence[int] | None, days: Sequence[date], window_days: int
) -> dict[date, dict[int, list[scoring.ServiceIssue]]]:
    """Per day T and supplier, the issues that weigh on service at T, counted in SQL.

    One query for all the days: the database counts (supplier, severity) × {open, open
    and escalated, resolved in the window} for each day; each count becomes that many
    stand-in `ServiceIssue`s dated T so that `scoring.service` stays the one place the
    penalty formula lives. Openness is read from the dates, not the status column, so a
    report for a past T sees the issue as it was.
    """
    opened = col(Issue.opened_at)
    resolved = col(Issue.resolved_at)
    escalated = col(Issue.escalated_at)
    sums = []
    for day in days:
        end = day_end(day)
        open_at_t = and_(opened < end, or_(resolved.is_(None), resolved >= end))
        escalated_by_t = and_(escalated.is_not(None), escalated < end)
        resolved_in_window = and_(resolved >= window_start(day, window_days), resolved < end)
        sums += [
            func.sum(case((and_(open_at_t, ~escalated_by_t), 1), else_=0)),
            func.sum(case((and_(open_at_t, escalated_by_t), 1), else_=0)),
            func.sum(case((resolved_in_window, 1), else_=0)),
        ]
    latest_end = day_end(max(days))
    earliest = window_start(min(days), window_days)
    query = sa_select(col(Issue.supplier_id), col(Issue.severity), *sums).where(
        opened < latest_end, or_(resolved.is_(None), resolved >= earliest)
    )
    query = _restrict(query, col(Issue.supplier_id), supplier_ids)
    query = query.group_by(col(Issue.supplier_id), col(Issue.severity))

    out: dict[date, dict[int, list[scoring.ServiceIssue]]] = {day: {} for day in days}
    for sid, severity, *counts in _rows(session, query):
        for n, day in enumerate(days):
            n_open, n_escalated, n_resolved = counts[3 * n : 3 * n + 3]
            t = day_start(day)
            witnesses = out[day].setdefault(int(sid), [])
            open_now = scoring.ServiceIssue(severity=severity, status="open", opened_at=t)
            escalated_now = scoring.ServiceIssue(
                severity=severity, status="escalated", opened_at=t, escalated_at=t
            )
            resolved_now = scoring.ServiceIssue(
                severity=severity, status="resolved", opened_at=t, resolved_at=t
            )
            witnesses += [open_now] * int(n_open or 0)
            witnesses += [escalated_now] * int(n_escalated or 0)
            witnesses += [resolved_now] * int(n_resolved or 0)
    return out


def their_overdue(as_of: date) -> Any:
    """Their promises overdue at T: due before T and not done by the end of day T."""
    done = col(FollowUp.done_at)
    return and_(
        col(FollowUp.owner) == Owner.them.value,
        col(FollowUp.due) < as_of,
        or_(done.is_(None), done >= day_end(as_of)),
    )


def _overdue_promise_counts(
    session: Session, supplier_ids: Sequence[int] | None, days: Sequence[date]
) -> dict[date, dict[int, int]]:
    """Per day T and supplier, their promises overdue at T: one query for all the days."""
    done = col(FollowUp.done_at)
    counts = [func.sum(case((their_overdue(day), 1), else_=0)) for day in days]
    query = sa_select(col(FollowUp.supplier_id), *counts).where(
        col(FollowUp.owner) == Owner.them.value,
        col(FollowUp.due) < max(days),
        or_(done.is_(None), done >= day_end(min(days))),
    )
    query = _restrict(query, col(FollowUp.supplier_id), supplier_ids)
    query = query.group_by(col(FollowUp.supplier_id))
    out: dict[date, dict[int, int]] = {day: {} for day in days}
    for sid, *by_day in _rows(session, query):
        for day, n in zip(days, by_day, strict=True):
            if n:
                out[day][int(sid)] = int(n)
    return out


def service_days(
    *,
    session: Session,
    supplier_ids: Sequence[int] | None,
    days: Sequence[date],
    window_days: int,
    settings: scoring.Settings | None = None,
) -> dict[date, dict[int, tuple[scoring.Service, int]]]:
    """Service at each day T and the count of their promises overdue at T, per supplier:
    two queries whatever the number of days (a score's history costs what one day does)."""
    s = config.load() if settings is None else settings
    ids = list(supplier_ids) if supplier_ids is not None else _all_supplier_ids(session)
    issues = _issue_counts(session, supplier_ids, days, window_days)
    overdue = _overdue_promise_counts(session, supplier_ids, days)
    return {
        day: {
            sid: (
                scoring.service(
                    issues=issues[day].get(sid, []),
                    overdue_promises=overdue[day].get(sid, 0),
                    as_of=day,
                    window_days=window_days,
                    settings=s,
                ),
                overdue[day].get(sid, 0),
            )
            for sid in ids
        }
        for day in days
    }


def service_for(
    *,
    session: Session,
    supplier_ids: Sequence[int] | None,
    as_of: date,
    window_days: int,
    settings: scoring.Settings | None = None,
) -> dict[int, tuple[scoring.Service, int]]:
    """Service at T and the count of their overdue promises, per supplier, in two queries."""
    return service_days(
        session=session, supplier_ids=supplier_ids, days=[as_of], window_days=window_days,
        settings=settings,
    )[as_of]  # fmt: skip


# -------------------------------------------------------------------------- by month


def monthly_contact(
    *, session: Session, as_of: date, months: int = 12, author: str | None = None
) -> dict[str, list[int]]:
    """Interactions per calendar month for the months ending at T, per supplier name.

    One GROUP BY (supplier, year, month); the month of T counts up to the end of day T.
    With `author`, only that author's interactions, as in the portfolio it illustrates.
    """
    spans = months_ending(as_of, months)
    first_year, first_month = spans[0]
    start = datetime(first_year, first_month, 1)
    occurred = col(Interaction.occurred_at)
    year = extract("year", occurred)
    month = extract("month", occurred)
    query = (
        sa_select(col(Supplier.name), year, month, func.count())
        .select_from(Interaction)
        .join(Supplier, col(Supplier.id) == col(Interaction.supplier_id))
        .where(occurred >= start, occurred < day_end(as_of))
        .group_by(col(Supplier.name), year, month)
    )
    if author is not None:
        query = query.where(by_author(find_author(session=session, name=author)))
    slot = {span: i for i, span in enumerate(spans)}
    out: dict[str, list[int]] = {}
    for name, y, m, n in _rows(session, query):
        counts = out.setdefault(name, [0] * months)
        position = slot.get((int(y), int(m)))
        if position is not None:
            counts[position] = int(n)
    return out


# ---------------------------------------------------------------------- one supplier


def mean_days_to_resolve_for(
    *, session: Session, supplier_id: int, as_of: date, year_days: int
) -> float | None:
    """Mean days from opened to resolved of one supplier's issues resolved in (T − Y, T]."""
    resolved = col(Issue.resolved_at)
    query = sa_select(col(Issue.severity), col(Issue.opened_at), resolved).where(
        col(Issue.supplier_id) == supplier_id,
        resolved >= window_start(as_of, year_days),
        resolved < day_end(as_of),
    )
    issues = [
        scoring.ServiceIssue(severity=sev, status="resolved", opened_at=o, resolved_at=r)
        for sev, o, r in _rows(session, query)
    ]
    return scoring.mean_days_to_resolve(issues=issues, as_of=as_of, year_days=year_days)


def promise_reliability_for(
    *, session: Session, supplier_id: int, as_of: date, year_days: int
) -> float | None:
    """The share of one supplier's promises due in (T − Y, T] that were kept."""
    due_day = col(FollowUp.due)
    query = sa_select(due_day, col(FollowUp.done_at)).where(
        col(FollowUp.supplier_id) == supplier_id,
        col(FollowUp.owner) == Owner.them.value,
        due_day >= as_of - timedelta(days=year_days - 1),
        due_day <= as_of,
    )
    promises = [(d, done) for d, done in _rows(session, query)]
    return scoring.promise_reliability(promises=promises, as_of=as_of, year_days=year_days)


def tactics_for(*, session: Session, supplier_id: int, as_of: date) -> list[dict[str, Any]]:
    """Tactics they used up to T, all time: a defensive negotiator does not forget.

    One range of `ix_interaction_tactic_supplier_tactic`, already in tactic order."""
    used = col(InteractionTactic.occurred_at)
    query = (
        sa_select(col(InteractionTactic.tactic), func.count(), func.max(used))
        .where(col(InteractionTactic.supplier_id) == supplier_id, used < day_end(as_of))
        .group_by(col(InteractionTactic.tactic))
    )
    rows = [
        {"tactic": tactic, "count": int(n), "last_seen": latest.date()}
        for tactic, n, latest in _rows(session, query)
    ]
    rows.sort(key=lambda r: (-r["count"], -r["last_seen"].toordinal(), r["tactic"]))
    return rows
