"""The scoring arithmetic of SPEC §5, kept pure so it can be tested without a database.

The services layer does the counting in SQL and hands this module plain numbers
(`DepthInputs`, `ServiceIssue` rows, promise dates); everything here is deterministic
arithmetic on those numbers. Nothing imports SQLAlchemy, prints or reads the clock: the
as-of date T always comes in as an argument, so a report for a past date is reproducible.

Every weight and threshold comes from the settings dict (`config.load()` when the caller
passes none), so a buyer's config file changes the scores without touching code.

Two conventions run through the module:

* Rounding is "halves rounded up" (toward +infinity), done in decimal after first
  snapping to 9 decimals, because binary floats turn 0.5 boundaries into 0.49999999…
  and Python's `round` rounds halves to even. A buyer who adds up the receipt by hand
  must land on the same number as the program.
* Windows count calendar dates: "in (T−W, T]" means 0 ≤ (T − date) < W days, so a
  timestamp at 23:59 on day T belongs to day T, and an event exactly W days back is out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from srmcli import config
from srmcli.dates import days_between
from srmcli.errors import InvalidValueError

Settings = Mapping[str, Any]

DEPTH_COMPONENTS = ("recency", "frequency", "breadth", "richness", "reciprocity", "tone")
"""Display order of the depth receipt (SPEC §5 table order)."""

TOP_TIER = "strategic"
"""The tier for scores at or above every configured threshold."""

# Snapping to 9 decimals absorbs float noise (1e-15 scale) without touching any value a
# person could type: scores and shares never carry more than a few meaningful decimals.
_SNAP_DECIMALS = 9


def _settings(settings: Settings | None) -> Settings:
    return config.load() if settings is None else settings


def _round_half_up_to(x: float, places: int) -> Decimal:
    """`x` rounded to `places` decimals, halves toward +infinity, immune to float noise."""
    if not math.isfinite(x):
        raise ValueError(f"cannot round {x!r}")
    snapped = Decimal(repr(round(x, _SNAP_DECIMALS)))
    unit = Decimal(1).scaleb(-places)
    return (snapped + unit / 2).quantize(unit, rounding=ROUND_FLOOR)


def round_half_up(x: float) -> int:
    """Round to the nearest integer with halves going up: 12.5 -> 13, 57.4999999999 -> 58.

    SPEC §5 says "halves rounded up" for every score; Python's `round` would give
    `round(12.5) == 12` (banker's rounding), and a naive `floor(x + 0.5)` would turn the
    float 57.49999999999999 (really 57.5 after float error) into 57.
    """
    return int(_round_half_up_to(x, 0))


def _round_to(x: float, places: int) -> float:
    """Display rounding for shares and receipt lines, with the same half-up rule."""
    return float(_round_half_up_to(x, places))


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def in_window(d: date | datetime, *, as_of: date | datetime, days: int) -> bool:
    """True when `d` is in (as_of − days, as_of], i.e. 0 ≤ (as_of − d) < days calendar days.

    The half-open window is what makes consecutive windows tile without double counting:
    an event exactly `days` back belongs to the previous window (used for trends).
    """
    back = days_between(d, as_of)
    return 0 <= back < days


# --------------------------------------------------------------------------- depth


@dataclass(frozen=True, slots=True)
class DepthInputs:
    """The counts depth needs, already measured by the services layer at as-of date T.

    `days_since_last` is None when the supplier has no interaction on or before T; then
    there is no depth score at all. Every "year" count covers (T − Y, T] and
    `interactions_window` covers (T − W, T]. `tone_sum_year` is the sum of tones (each
    −2..+2) over the year's interactions, so the mean tone is `tone_sum_year /
    interactions_year`.
    """

    days_since_last: int | None
    interactions_window: int = 0
    key_roles_reached: int = 0
    channel_counts_year: Mapping[str, int] = field(default_factory=dict)
    initiated_by_them_year: int = 0
    interactions_year: int = 0
    tone_sum_year: int = 0

    def __post_init__(self) -> None:
        # These are invariants of correctly counted data; a violation is a query bug, and
        # failing loudly beats quietly printing a plausible but wrong score.
        if self.days_since_last is not None and self.days_since_last < 0:
            raise ValueError("days_since_last is negative: an interaction after the as-of date")
        counts = {
            "interactions_window": self.interactions_window,
            "key_roles_reached": self.key_roles_reached,
            "initiated_by_them_year": self.initiated_by_them_year,
            "interactions_year": self.interactions_year,
        }
        counts.update(
            {f"channel_counts_year[{k!r}]": v for k, v in self.channel_counts_year.items()}
        )
        for name, value in counts.items():
            if value < 0:
                raise ValueError(f"{name} is negative ({value})")
        if self.initiated_by_them_year > self.interactions_year:
            raise ValueError("initiated_by_them_year exceeds interactions_year")
        if abs(self.tone_sum_year) > 2 * self.interactions_year:
            raise ValueError("tone_sum_year is outside ±2 × interactions_year")


@dataclass(frozen=True, slots=True)
class Component:
    """One line of the depth receipt: `points` = 100 × weight × value.

    `value` (4 decimals) and `points` (2 decimals) are rounded for display only; the
    score is computed from the unrounded values, so summing the printed points can be off
    by a hundredth but the score is never off.
    """

    value: float
    weight: float
    points: float


@dataclass(frozen=True, slots=True)
class Depth:
    """A depth score with its tier and the receipt that produced it (SPEC §5)."""

    score: int
    tier: str
    components: dict[str, Component]


def _positive(settings: Settings, section: str, key: str) -> float:
    value = settings[section][key]
    if value <= 0:
        raise InvalidValueError(f"config: {section}.{key} must be positive, got {value!r}")
    return float(value)


def _depth_values(inputs: DepthInputs, settings: Settings) -> dict[str, float]:
    """The six component values in [0, 1], unrounded.

    With no interactions in (T − Y, T], richness, reciprocity and tone are 0.0 rather than
    a "neutral" middle value: there is nothing in the year to be rich, reciprocal or
    friendly about, and a made-up 0.5 would hand a dormant supplier free points (SPEC §5:
    "never a made-up number").
    """
    assert inputs.days_since_last is not None
    depth_cfg = settings["depth"]
    recency_days = _positive(settings, "depth", "recency_days")
    frequency_target = _positive(settings, "depth", "frequency_target")
    key_roles = depth_cfg["key_roles"]
    channel_weights = settings["channel_weights"]

    recency = max(0.0, 1.0 - inputs.days_since_last / recency_days)
    frequency = min(1.0, inputs.interactions_window / frequency_target)
    # An empty key-role list in the config means breadth cannot be earned, not a crash.
    breadth = min(1.0, inputs.key_roles_reached / len(key_roles)) if key_roles else 0.0

    channel_total = sum(inputs.channel_counts_year.values())
    if channel_total:
        # A channel missing from the weights (e.g. a new vocabulary word) is valued like
        # "other" rather than crashing a report.
        fallback = channel_weights.get("other", 0.0)
        weighted = sum(
            count * channel_weights.get(channel, fallback)
            for channel, count in inputs.channel_counts_year.items()
        )
        richness = weighted / channel_total
    else:
        richness = 0.0

    n = inputs.interactions_year
    if n:
        share_them = inputs.initiated_by_them_year / n
        reciprocity = 1.0 - 2.0 * abs(share_them - 0.5)
        tone = (inputs.tone_sum_year / n + 2.0) / 4.0
    else:
        reciprocity = 0.0
        tone = 0.0

    return {
        "recency": recency,
        "frequency": frequency,
        "breadth": breadth,
        "richness": richness,
        "reciprocity": reciprocity,
        "tone": tone,
    }


def depth(*, inputs: DepthInputs, settings: Settings | None = None) -> Depth | None:
    """Relationship depth at T: round_half_up(100 × Σ weight × value), with its receipt.

    Returns None when the supplier has no interaction up to T: SPEC §5 wants "no data"
    there, never a score of 0 that reads like a judged-and-failed relationship.

    The score is clamped to 0..100 because a config file may set weights that sum to more
    than 1; the receipt still shows the honest points so the buyer can see why.
    """
    if inputs.days_since_last is None:
        return None
    s = _settings(settings)
    weights = s["depth"]["weights"]
    values = _depth_values(inputs, s)

    total = 0.0
    components: dict[str, Component] = {}
    for name in DEPTH_COMPONENTS:
        weight = float(weights[name])
        value = values[name]
        points = 100.0 * weight * value
        total += points
        components[name] = Component(
            value=_round_to(value, 4), weight=weight, points=_round_to(points, 2)
        )
    score = min(100, max(0, round_half_up(total)))
    tier_name = tier(score, settings=s)
    assert tier_name is not None  # a non-None score always has a tier
    return Depth(score=score, tier=tier_name, components=components)


def tier(score: int | None, *, settings: Settings | None = None) -> str | None:
    """The tier name for a depth score: the first threshold it is below, else "strategic".

    Thresholds are exclusive upper bounds (`< 20` is transactional), read from
    `depth.tiers` and tried in ascending order so a config file may list them any way.
    """
    if score is None:
        return None
    thresholds = _settings(settings)["depth"]["tiers"]
    for name, bound in sorted(thresholds.items(), key=lambda item: item[1]):
        if score < bound:
            return str(name)
    return TOP_TIER


def trend(now: int | None, before: int | None) -> int | None:
    """depth(T) − depth(T − W); None when either side has no score (no invented baseline)."""
    if now is None or before is None:
        return None
    return now - before


# ------------------------------------------------------------------------- service


@dataclass(frozen=True, slots=True)
class ServiceIssue:
    """An issue as the scorer sees it.

    Openness and escalation at T are read from the dates, not from `status`: `status`
    describes today, while a report as of a past T must see the issue as it was then.
    """

    severity: int
    status: str
    opened_at: date | datetime
    escalated_at: date | datetime | None = None
    resolved_at: date | datetime | None = None

    def is_open(self, as_of: date) -> bool:
        """Opened on or before T and not resolved by the end of day T."""
        if _as_date(self.opened_at) > as_of:
            return False
        return self.resolved_at is None or _as_date(self.resolved_at) > as_of

    def is_escalated(self, as_of: date) -> bool:
        return self.escalated_at is not None and _as_date(self.escalated_at) <= as_of


@dataclass(frozen=True, slots=True)
class Service:
    """Service score at T and the counts behind it.

    `penalty` is rounded to 2 decimals for display; `score` comes from the exact sum.
    """

    score: int
    penalty: float
    open: int
    escalated: int
    resolved_window: int


def _severity_weight(severity: int, weights: Mapping[str, Any]) -> float:
    # TOML keys are strings, so the config keys severities as "1".."4".
    try:
        return float(weights[str(severity)])
    except KeyError:
        known = ", ".join(sorted(weights))
        raise InvalidValueError(
            f"no service weight for severity {severity}; configured: {known}"
        ) from None


def service(
    *,
    issues: Iterable[ServiceIssue],
    overdue_promises: int,
    as_of: date | datetime,
    window_days: int,
    settings: Settings | None = None,
) -> Service:
    """Service at T: max(0, round_half_up(100 − penalty)) (SPEC §5).

    Penalty: each issue open at T adds its severity weight (× escalated_factor if it was
    escalated by T); each issue resolved in (T − W, T] adds weight × resolved_factor, so a
    recently fixed problem still counts a little; each of their overdue follow-ups adds
    overdue_promise_penalty. An issue resolved on day T is no longer open but counts as
    resolved in the window.
    """
    s = _settings(settings)["service"]
    t = _as_date(as_of)
    weights = s["severity_weights"]
    escalated_factor = float(s["escalated_factor"])
    resolved_factor = float(s["resolved_factor"])

    penalty = 0.0
    open_count = escalated_count = resolved_count = 0
    for issue in issues:
        weight = _severity_weight(issue.severity, weights)
        if issue.is_open(t):
            open_count += 1
            if issue.is_escalated(t):
                escalated_count += 1
                penalty += weight * escalated_factor
            else:
                penalty += weight
        elif issue.resolved_at is not None and in_window(
            issue.resolved_at, as_of=t, days=window_days
        ):
            resolved_count += 1
            penalty += weight * resolved_factor
    penalty += float(s["overdue_promise_penalty"]) * overdue_promises

    return Service(
        score=max(0, round_half_up(100.0 - penalty)),
        penalty=_round_to(penalty, 2),
        open=open_count,
        escalated=escalated_count,
        resolved_window=resolved_count,
    )


def _year(year_days: int | None, settings: Settings | None) -> int:
    return int(_settings(settings)["year_days"]) if year_days is None else year_days


def mean_days_to_resolve(
    *,
    issues: Iterable[ServiceIssue],
    as_of: date | datetime,
    year_days: int | None = None,
    settings: Settings | None = None,
) -> float | None:
    """Mean calendar days from opened to resolved, over issues resolved in (T − Y, T].

    None when nothing was resolved in the year: "no data" is not "resolved instantly".
    `year_days` defaults to the `year_days` setting (365).
    """
    y = _year(year_days, settings)
    spans = [
        days_between(issue.opened_at, issue.resolved_at)
        for issue in issues
        if issue.resolved_at is not None and in_window(issue.resolved_at, as_of=as_of, days=y)
    ]
    if not spans:
        return None
    return _round_to(sum(spans) / len(spans), 1)


def promise_reliability(
    *,
    promises: Iterable[tuple[date | datetime, date | datetime | None]],
    as_of: date | datetime,
    year_days: int | None = None,
    settings: Settings | None = None,
) -> float | None:
    """Share of their follow-ups due in (T − Y, T] that were done by their due date.

    `promises` are (due, done_at) pairs. Done on the due date counts as kept; done late or
    not done does not. None when nothing fell due, so a supplier who never promised is
    not scored as unreliable. `year_days` defaults to the `year_days` setting (365).
    """
    y = _year(year_days, settings)
    due = kept = 0
    for due_at, done_at in promises:
        if not in_window(due_at, as_of=as_of, days=y):
            continue
        due += 1
        if done_at is not None and _as_date(done_at) <= _as_date(due_at):
            kept += 1
    if not due:
        return None
    return _round_to(kept / due, 4)


def spend_share(annual_spend: float | None, supplier_revenue: float | None) -> float | None:
    """Our annual spend as a share of the supplier's revenue: the buyer's leverage (SPEC §1).

    None when either figure is unknown or the revenue is not positive, since a share of
    nothing is not a number a buyer should negotiate on.
    """
    if annual_spend is None or supplier_revenue is None or supplier_revenue <= 0:
        return None
    return _round_to(annual_spend / supplier_revenue, 4)


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


# --------------------------------------------------------------------------- climate

PRESSURE_FREE_TACTICS = ("innovative-pitch",)
"""Tactics that put no pressure on the buyer; every other tactic is pressure (SPEC §10)."""


@dataclass(frozen=True, slots=True)
class Climate:
    """How friendly the relationship is over the window, beside how deep it is (SPEC §10).

    `mean_tone` (2 decimals) and `pressure_share` (4 decimals) are rounded for display;
    the label is decided on the exact counts.
    """

    label: str
    mean_tone: float
    pressure_share: float


def climate(*, interactions: int, tone_sum: int, pressured: int) -> Climate | None:
    """The climate of `interactions` over the window whose tones add up to `tone_sum`,
    `pressured` of them carrying a pressure tactic. None with no interactions.

    cooperative: mean tone ≥ 0.5 and no pressure; adversarial: mean tone ≤ −0.5, or
    pressure in a third or more of the interactions; else mixed. Integer comparisons, so
    a mean of exactly 0.5 or a share of exactly a third is never lost to float error.
    """
    if interactions <= 0:
        return None
    if not 0 <= pressured <= interactions or abs(tone_sum) > 2 * interactions:
        raise ValueError("climate counts are inconsistent: a query bug")
    if 2 * tone_sum <= -interactions or 3 * pressured >= interactions:
        label = "adversarial"
    elif 2 * tone_sum >= interactions and pressured == 0:
        label = "cooperative"
    else:
        label = "mixed"
    return Climate(
        label=label,
        mean_tone=_round_to(tone_sum / interactions, 2),
        pressure_share=_round_to(pressured / interactions, 4),
    )
