"""Talking points for a negotiation brief, derived from the brief's own figures. Pure.

The wording avoids `;`: the brief's CSV row joins the points with it (SPEC §4).

Each rule reads only what the brief already shows, so every point can be traced back to
a line of the brief. The rules, in the order the points are printed:

1. Service failures first: every open issue (escalated ones too) of kind late-delivery or
   of severity 1–2, to raise before any price talk.
2. Their price-increase pushes: how many times, and the date last seen.
3. A supply threat (`supply-threat`) or going over the buyer's head (`bypass`) seen.
4. Key roles nobody active covers.
5. Access that no longer fits the relationship: access open/standard while depth is
   transactional/acquainted or service is below 60 → suggest restricted; access
   restricted while depth is trusted/strategic and service is 80 or more → suggest
   opening access to engineering.
6. Their overdue promises.
7. Spend share: 5% or more of their revenue is leverage; 0.1% or less means little.
8. Keep-in-touch cadence overdue (or never contacted).
9. Depth falling by 10 points or more over the window.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from srmcli import scoring, wording

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


def cadence_overdue(
    *,
    cadence_days: int | None,
    last_interaction: datetime | None,
    created_at: datetime | None,
    as_of: date,
) -> int | None:
    """Days past the keep-in-touch cadence at T, or None when not past it (or no cadence).

    Past means more calendar days since the last contact than the cadence allows. A
    supplier never contacted is due from the day it was added, so it counts the days
    since created_at (0 on the day it was added).
    """
    if not cadence_days:
        return None
    if last_interaction is None:
        added = created_at.date() if created_at is not None else as_of
        return max(0, (as_of - added).days)
    overdue = (as_of - last_interaction.date()).days - cadence_days
    return overdue if overdue > 0 else None


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
        for channel, count in sorted(inputs.channel_counts_year.items(), key=lambda kv: -kv[1])
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


def _issue_points(issues: Sequence[Mapping[str, Any]], as_of: date) -> list[str]:
    points = []
    for issue in issues:
        if issue["kind"] != "late-delivery" and issue["severity"] > SEVERE:
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
    return points


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
    if access == "restricted" and tier in DEEP_TIERS and service >= GOOD_SERVICE:
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
