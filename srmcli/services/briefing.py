"""The negotiation brief of one supplier (SPEC §6/§7) and its talking points.

`brief` assembles the figures from `measures` and the supplier's own records in a fixed
number of queries; `talking_points` derives the points from those figures alone (pure,
no database), so a figure and the point built on it change together, in this module.

The points' wording avoids `;`: the brief's CSV row joins the points with it (SPEC §4).

Each rule reads only what the brief already shows, so every point can be traced back to
a line of the brief, and each thing is named once. The rules, in the order the points
are printed:

1. Service failures first: every open issue (escalated ones too) of kind late-delivery or
   of severity 1–2, to raise before any price talk.
2. Their price-increase pushes: how many times, and the date last seen.
3. A supply threat (`supply-threat`) or going over the buyer's head (`bypass`) seen.
4. Snooping, flattery, bundling and deadline pressure seen, each with its counter-move.
5. An adversarial climate over the window (depth measures contact, not goodwill).
6. Alternatives: other active suppliers of the same category, and candidates for it in
   open sourcing projects, with their depth and stage.
7. Key roles nobody active covers.
8. Access that no longer fits the relationship: access open/standard while depth is
   transactional/acquainted or service is below 60 → suggest restricted; access
   restricted while depth is trusted/strategic, service is 80 or more and the climate
   is not adversarial → suggest opening access to engineering.
9. Their overdue promises.
10. Spend share: 5% or more of their revenue is leverage; 0.1% or less means little.
11. Keep-in-touch cadence overdue (or never contacted).
12. Depth falling by 10 points or more over the window.
13. (from `status`) Late PO lines of the latest status report that no open issue already
    names, and slipped ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from srmcli import config, scoring, wording
from srmcli.dates import check_span, day_end, days_between, month_ends, window_start
from srmcli.models import (
    Candidate,
    Contact,
    FollowUp,
    Interaction,
    Issue,
    SourcingProject,
    Supplier,
)
from srmcli.services.authors import find_author
from srmcli.services.interactions import interaction_records
from srmcli.services.measures import (
    Measure,
    climate_of,
    depth_for,
    last_seen,
    mean_days_to_resolve_for,
    measure_days,
    pressured_for,
    promise_reliability_for,
    service_days,
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
from srmcli.services.status import delivery_rates, on_time_delivery, status_talking_points
from srmcli.services.suppliers import find_supplier
from srmcli.vocab import Owner, ProjectStatus, Stage, SupplierStatus, kraljic_segment

SEVERE = 2  # severities 1 (critical) and 2 go before any price talk
LEVERAGE_SHARE = 0.05
NEGLIGIBLE_SHARE = 0.001
FALLING_TREND = -10
POOR_SERVICE = 60
GOOD_SERVICE = 80
SHALLOW_TIERS = ("transactional", "acquainted")
DEEP_TIERS = ("trusted", "strategic")
# channels named by a word that does not take an `s`: `2 web`, not `2 webs`
UNCOUNTED_CHANNELS = {"web": "web", "other": "other"}


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def depth_basis(
    inputs: scoring.DepthInputs, settings: scoring.Settings, window_days: int
) -> dict[str, str]:
    """What each depth component was measured on, in words, for the receipt."""
    depth = settings["depth"]
    year = int(settings["year_days"])
    n = inputs.interactions_year
    mix = ", ".join(
        wording.plural(count, channel, UNCOUNTED_CHANNELS.get(channel))
        # most used first; a tie in the order of the names, whatever order the rows came in
        for channel, count in sorted(
            inputs.channel_counts_year.items(), key=lambda kv: (-kv[1], kv[0])
        )
    )
    mean_tone = inputs.tone_sum_year / n if n else 0.0
    return {
        "recency": (
            f"{wording.days(inputs.days_since_last)} since last (0 at {depth['recency_days']})"
        ),
        "frequency": (
            f"{inputs.interactions_window} in {wording.days(window_days)} "
            f"(full at {depth['frequency_target']})"
        ),
        "breadth": (
            f"{inputs.key_roles_reached} of {wording.plural(len(depth['key_roles']), 'key role')}"
            f" in {wording.days(year)}"
        ),
        "richness": f"{mix} in {wording.days(year)}"
        if mix
        else f"no contact in {wording.days(year)}",
        "reciprocity": f"{inputs.initiated_by_them_year} of {n} started by them",
        "tone": (
            f"mean {wording.signed(round(mean_tone, 2))} over {n}"
            if n
            else f"no contact in {wording.days(year)}"
        ),
    }


def issue_is_raised(issue: Mapping[str, Any]) -> bool:
    """An open issue that gets a point of its own (rule 1)."""
    return issue["kind"] == "late-delivery" or issue["severity"] <= SEVERE


def _issue_points(issues: Sequence[Mapping[str, Any]], as_of: date) -> list[str]:
    points = []
    for issue in issues:
        if not issue_is_raised(issue):
            continue
        opened = issue["opened_at"]
        age = (as_of - (opened.date() if isinstance(opened, datetime) else opened)).days
        if not issue["escalated_at"]:
            state = "not escalated"
        elif issue["escalated_to"]:
            state = f"escalated to {issue['escalated_to']}"
        else:
            state = "escalated"
        # the first line only: escalation notes are appended below it as dated lines
        first = (issue["description"] or "").strip().splitlines()
        about = f": {first[0].rstrip('.')}" if first else ""
        points.append(
            f"Raise before any price talk: open {issue['kind']} issue #{issue['id']} "
            f"(severity {issue['severity']}, open {wording.days(age)}, {state}){about}."
        )
    return points


def _tactic_points(tactics: Sequence[Mapping[str, Any]]) -> list[str]:
    seen = {t["tactic"]: t for t in tactics}
    points = []
    if "price-increase" in seen:
        t = seen["price-increase"]
        points.append(
            f"They pushed a price increase {_times(t['count'])}, last on {t['last_seen']}: "
            "ask for the cost breakdown behind it and hold them to the agreed terms."
        )
    if "supply-threat" in seen:
        t = seen["supply-threat"]
        points.append(
            f"They threatened to cut supply {_times(t['count'])}, last on {t['last_seen']}: "
            "have a second source or safety stock lined up before you meet."
        )
    if "bypass" in seen:
        t = seen["bypass"]
        points.append(
            f"They went over your head {_times(t['count'])}, last on {t['last_seen']}: "
            "make clear who speaks for the buying side."
        )
    for tactic, (what, counter) in COUNTER_MOVES.items():
        if tactic in seen:
            t = seen[tactic]
            points.append(f"{what} {_times(t['count'])}, last on {t['last_seen']}: {counter}")
    return points


# the defensive tactics of SPEC §1 and §10: what they did, and what to do about it
COUNTER_MOVES = {
    "snooping": (
        "They read papers on your desk",
        "meet away from your desk, keep papers out of sight.",
    ),
    "flattery": ("They flattered you", "hold to the numbers."),
    "bundling": ("They bundled prices", "ask for each price on its own."),
    "deadline-pressure": ("They pressed a deadline", "ask what the deadline rests on."),
}


def _climate_point(brief: Mapping[str, Any]) -> list[str]:
    climate = brief["climate"]
    if climate is None or climate["label"] != "adversarial":
        return []
    depth = brief["depth"]
    measured = (
        f"depth {depth['score']} ({depth['tier']}) measures contact, not goodwill. "
        if depth["score"] is not None
        else ""
    )
    return [
        f"The climate is adversarial over the last {wording.days(brief['window_days'])} "
        f"(mean tone {wording.signed(climate['mean_tone'])}, pressure tactics in "
        f"{wording.percent(climate['pressure_share'])} of the interactions): "
        f"{measured}Prepare your walk-away position and keep everything in writing."
    ]


def _alternatives_point(brief: Mapping[str, Any]) -> list[str]:
    found = brief["alternatives"]
    if not found:
        return []
    named = []
    for alt in found:
        depth = (
            f"depth {alt['depth_score']} {alt['depth_tier']}"
            if alt["depth_score"] is not None
            else "depth no data"
        )
        where = [f"{p['stage']} in '{p['project']}'" for p in alt["projects"]]
        if alt["status"] == "active":
            where.insert(0, "an active supplier")
        named.append(f"{alt['supplier']} is {' and '.join(where)} ({depth})")
    category = brief["supplier"]["category"]
    return [
        f"Alternatives for {category}: {', '.join(named)}. They are not the only source: "
        "let it show."
    ]


def _access_point(brief: Mapping[str, Any]) -> list[str]:
    access = brief["supplier"]["access"]
    tier = brief["depth"]["tier"]
    score = brief["depth"]["score"]
    service = brief["service"]["score"]
    if access in ("open", "standard"):
        reasons = []
        if tier in SHALLOW_TIERS:
            reasons.append(f"depth is only {tier} ({score})")
        if service < POOR_SERVICE:
            reasons.append(f"service is {service}")
        if reasons:
            return [
                f"Access is {access} but {' and '.join(reasons)}: consider restricting access "
                "to the account manager until it improves."
            ]
    climate = brief["climate"]
    hostile = climate is not None and climate["label"] == "adversarial"
    if access == "restricted" and tier in DEEP_TIERS and service >= GOOD_SERVICE and not hostile:
        return [
            f"Access is restricted but depth is {tier} ({score}) and service {service}: "
            "consider opening access to engineering."
        ]
    return []


def _promise_points(promises: Sequence[Mapping[str, Any]], as_of: date) -> list[str]:
    if not promises:
        return []
    items = ", ".join(
        f"#{p['id']} {p['text']} (due {p['due']}, {wording.days((as_of - p['due']).days)} late)"
        for p in promises
    )
    owed = wording.plural(len(promises), "overdue promise")
    return [f"They owe {owed}: {items}. Ask for dates in writing."]


def _share_point(share: float | None) -> list[str]:
    if share is None:
        return []
    if share >= LEVERAGE_SHARE:
        return [
            f"We are {wording.percent(share)} of their revenue: a significant customer, "
            "use it as leverage."
        ]
    if share <= NEGLIGIBLE_SHARE:
        return [
            f"We are {wording.percent(share)} of their revenue: little leverage on our own, "
            "lean on the contract, the relationship or pooled volume."
        ]
    return []


def _cadence_point(brief: Mapping[str, Any]) -> list[str]:
    overdue = brief["cadence_overdue_days"]
    if overdue is None:
        return []
    cadence = brief["supplier"]["cadence_days"]
    last = brief["last_interaction"]
    if last is None:
        return [
            f"Never contacted, though the keep-in-touch cadence is {wording.days(cadence)}: "
            "call them before the negotiation."
        ]
    return [
        f"Keep-in-touch is {wording.days(overdue)} overdue (every {wording.days(cadence)}, "
        "last contact "
        f"{last.date().isoformat()}): reconnect before the negotiation."
    ]


def _trend_point(depth: Mapping[str, Any], window_days: int) -> list[str]:
    trend = depth["trend"]
    if trend is None or trend > FALLING_TREND:
        return []
    return [
        f"Relationship depth fell {wording.plural(-trend, 'point')} over the last "
        f"{wording.days(window_days)} "
        f"({depth['previous_score']} → {depth['score']}): find out what changed."
    ]


def talking_points(brief: Mapping[str, Any]) -> list[str]:
    """The points of the module's rules, in their order; empty when nothing stands out."""
    as_of: date = brief["as_of"]
    points = _issue_points(brief["open_issues"], as_of)
    points += _tactic_points(brief["tactics"])
    points += _climate_point(brief)
    points += _alternatives_point(brief)
    if brief["uncovered_roles"]:
        roles = ", ".join(brief["uncovered_roles"])
        points.append(
            f"Nobody covers {roles} at {brief['supplier']['name']}: "
            "ask the account manager for a name."
        )
    points += _access_point(brief)
    points += _promise_points(brief["overdue_promises"], as_of)
    points += _share_point(brief["spend_share"])
    points += _cadence_point(brief)
    points += _trend_point(brief["depth"], brief["window_days"])
    return points


# --------------------------------------------------------------------------- the brief

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
        block["basis"] = depth_basis(measured.inputs, settings, window_days)
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


def _breakdowns(
    session: Session, supplier: Supplier, as_of: date, year_days: int
) -> list[dict[str, Any]]:
    """Issues resolved in (T − Y, T], most recently resolved first, with the days they
    took and how high they went (the contact they were escalated to, and that contact's
    role): a breakdown stays in the brief for a year after it is fixed."""
    resolved = col(Issue.resolved_at)
    rows = session.exec(
        select(Issue, Contact.name, Contact.role)
        .outerjoin(Contact, col(Contact.id) == col(Issue.escalated_to_id))
        .where(
            Issue.supplier_id == supplier.id,
            resolved >= window_start(as_of, year_days),
            resolved < day_end(as_of),
        )
        .order_by(resolved.desc(), col(Issue.id).desc())
    ).all()
    return [
        {
            "issue": issue_record(issue, supplier.name, who),
            "days_to_resolve": days_between(issue.opened_at, issue.resolved_at)
            if issue.resolved_at is not None
            else None,
            "escalated_to": who,
            "escalated_role": role,
        }
        for issue, who, role in rows
    ]


_STAGE_ORDER = {stage.value: i for i, stage in enumerate(reversed(list(Stage)))}


def _alternatives(
    session: Session, supplier: Supplier, as_of: date, window_days: int
) -> list[dict[str, Any]]:
    """Other suppliers of the same category (case and spacing aside): the active ones,
    and those that are candidates (not declined) in open sourcing projects, each with
    its depth at T and its projects; the furthest along in sourcing first, then the
    deepest."""
    wanted = " ".join((supplier.category or "").split()).casefold()
    if not wanted:
        return []
    peers = {
        sp.id or 0: sp
        for sp in session.exec(
            select(Supplier).where(col(Supplier.category).is_not(None), Supplier.id != supplier.id)
        ).all()
        if " ".join((sp.category or "").split()).casefold() == wanted
    }
    if not peers:
        return []
    projects: dict[int, list[dict[str, Any]]] = {}
    for candidate, project in session.exec(
        select(Candidate, SourcingProject)
        .join(SourcingProject, col(SourcingProject.id) == col(Candidate.project_id))
        .where(
            col(Candidate.supplier_id).in_(list(peers)),
            SourcingProject.status == ProjectStatus.open.value,
            Candidate.stage != Stage.declined.value,
        )
        .order_by(col(SourcingProject.name_key))
    ).all():
        projects.setdefault(candidate.supplier_id, []).append(
            {"project": project.name, "stage": candidate.stage}
        )
    chosen = [
        sid
        for sid, sp in peers.items()
        if sp.status == SupplierStatus.active.value or sid in projects
    ]
    if not chosen:
        return []
    depths = depth_for(session=session, supplier_ids=chosen, as_of=as_of, window_days=window_days)
    found = []
    for sid in chosen:
        depth = depths.get(sid)
        mine = sorted(projects.get(sid, []), key=lambda p: _STAGE_ORDER.get(p["stage"], 99))
        found.append(
            {
                "supplier": peers[sid].name,
                "status": peers[sid].status,
                "depth_score": depth.score if depth else None,
                "depth_tier": depth.tier if depth else None,
                "projects": mine,
            }
        )

    def order(alt: dict[str, Any]) -> tuple[Any, ...]:
        furthest = min((_STAGE_ORDER.get(p["stage"], 99) for p in alt["projects"]), default=99)
        depth = alt["depth_score"]
        return (furthest, -1 if depth is None else -depth, alt["supplier"].casefold())

    return sorted(found, key=order)


def _climate(
    session: Session, sid: int, measured: Measure, as_of: date, window_days: int,
    author: str | None,
) -> dict[str, Any] | None:  # fmt: skip
    pressured = pressured_for(
        session=session, supplier_ids=[sid], as_of=as_of, window_days=window_days, author=author
    )
    found = climate_of(measured, pressured.get(sid, 0))
    if found is None:
        return None
    return {
        "label": found.label,
        "mean_tone": found.mean_tone,
        "pressure_share": found.pressure_share,
    }


MOST_MONTHS = 120  # ten years of month ends: past that a history is a typing slip


def _history(
    session: Session,
    sid: int,
    ends: Sequence[date],
    measured: Mapping[date, Mapping[int, Measure]],
    service: Mapping[date, Mapping[int, tuple[scoring.Service, int]]],
    settings: scoring.Settings,
) -> list[dict[str, Any]]:
    """Depth, service and on-time delivery as of each month end, oldest first."""
    year_days = int(settings["year_days"])
    out = []
    for end in ends:
        depth = scoring.depth(inputs=measured[end][sid].inputs, settings=settings)
        out.append(
            {
                "month": f"{end.year:04d}-{end.month:02d}",
                "depth": depth.score if depth else None,
                "service": service[end][sid][0].score,
                "on_time_delivery": on_time_delivery(
                    session=session, supplier_id=sid, as_of=end, year_days=year_days
                ),
            }
        )
    return out


def brief(
    *,
    session: Session,
    supplier: str,
    as_of: date,
    window_days: int,
    author: str | None = None,
    months: int | None = None,
) -> dict[str, Any]:
    """The negotiation brief of SPEC §6/§7 for one supplier as of T.

    With `author`, the depth receipt, its trend and the last contact (and the cadence
    and talking points built on them) count only the interactions that author logged;
    contacts, issues, promises, tactics and recent interactions stay the team's.

    The SPEC keys come first in contract order; extra keys follow them (kraljic_segment,
    spend_share, last_interaction, days_since_last, cadence_overdue_days, climate,
    breakdowns, alternatives, projects).
    Every list is bounded by one supplier's history, read in a fixed number of queries.

    With `months`, `history` holds depth, service and on-time delivery as of each of the
    last `months` month ends (the last one T itself): the month ends join the days that
    depth and service are measured at anyway, so the history shares their queries (one
    pass over the index ranges its years cover) rather than building a brief per month.
    """
    settings = config.load()
    year_days = int(settings["year_days"])
    key_roles = list(settings["depth"]["key_roles"])
    check_span(as_of, window_days, year_days)
    sp = find_supplier(session=session, name=supplier)
    sid = sp.id or 0
    author = find_author(session=session, name=author) if author is not None else None

    earlier = as_of - timedelta(days=window_days)
    ends = month_ends(as_of, months) if months else []
    if ends:
        check_span(ends[0], window_days, year_days)
    days = list(dict.fromkeys([as_of, earlier, *ends]))
    both = measure_days(
        session=session, supplier_ids=[sid], days=days, window_days=window_days,
        settings=settings, author=author,
    )  # fmt: skip
    measured, before = both[as_of][sid], both[earlier][sid]
    service = service_days(
        session=session, supplier_ids=[sid], days=list(dict.fromkeys([as_of, *ends])),
        window_days=window_days, settings=settings,
    )  # fmt: skip
    svc, _overdue = service[as_of][sid]

    contacts = _contacts(session, sp, as_of, key_roles)
    covered = {c["role"] for c in contacts if c["active"]}
    lapse = scoring.cadence_overdue(
        cadence_days=sp.cadence_days,
        last_interaction=measured.last_interaction,
        created_at=sp.created_at,
        as_of=as_of,
    )
    on_time = delivery_rates(session=session, supplier_id=sid, as_of=as_of, year_days=year_days)
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
            "on_time_delivery": on_time[0],
            "on_time_delivery_first_promise": on_time[1],
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
        "climate": _climate(session, sid, measured, as_of, window_days, author),
        "breakdowns": _breakdowns(session, sp, as_of, year_days),
        "alternatives": _alternatives(session, sp, as_of, window_days),
    }
    record["projects"] = candidacies(session=session, supplier_id=sid)
    if ends:
        record["history"] = _history(session, sid, ends, both, service, settings)
    # the weekly status reports' late and slipped PO lines follow the journal's own points;
    # a late line that an open issue's point already names is not named again
    points = talking_points(record)
    named = [
        issue["description"] or "" for issue in record["open_issues"] if issue_is_raised(issue)
    ]
    record["talking_points"] = points + status_talking_points(
        session=session, supplier_id=sid, as_of=as_of, named=named
    )
    return record
