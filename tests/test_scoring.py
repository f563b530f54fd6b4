"""Worked examples for the pure scoring math of SPEC §5, computed by hand in the comments.

Every expected number here was worked out on paper first; the comments show the
arithmetic so a reviewer can check the spec, not the code. Settings are passed
explicitly (a deep copy of `config.DEFAULTS`) so a developer's own config file cannot
change the outcome.
"""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srmcli import config, scoring
from srmcli.errors import InvalidValueError
from srmcli.scoring import DepthInputs, ServiceIssue

T = date(2026, 6, 30)
W = 90


def defaults() -> dict[str, Any]:
    return copy.deepcopy(config.DEFAULTS)


def back(days: int) -> date:
    return T - timedelta(days=days)


# The full worked example used by several tests:
#   last contact 18 days ago            recency   = 1 − 18/180          = 0.9
#   6 interactions in the 90-day window frequency = 6/12                = 0.5
#   3 of 5 key roles reached            breadth   = 3/5                 = 0.6
#   2 visits, 2 calls, 2 emails         richness  = (1+1+.6+.6+.3+.3)/6 = 3.8/6 = 0.63333…
#   2 of 6 initiated by them            reciprocity = 1 − 2×|1/3 − 1/2| = 1 − 1/3 = 0.66667…
#   tones summing to 3 over 6           tone      = (3/6 + 2)/4         = 2.5/4 = 0.625
# points = 100 × weight × value:
#   recency 0.25×0.9 = 22.5, frequency 0.20×0.5 = 10, breadth 0.20×0.6 = 12,
#   richness 0.15×0.63333 = 9.5, reciprocity 0.10×0.66667 = 6.6667, tone 0.10×0.625 = 6.25
#   total = 22.5 + 10 + 12 + 9.5 + 6.6667 + 6.25 = 66.9167 -> 67, tier "trusted" (60 ≤ 67 < 80)
FULL = DepthInputs(
    days_since_last=18,
    interactions_window=6,
    key_roles_reached=3,
    channel_counts_year={"visit": 2, "call": 2, "email": 2},
    initiated_by_them_year=2,
    interactions_year=6,
    tone_sum_year=3,
)


# ---------------------------------------------------------------- rounding


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (100 * 0.125, 13),  # exactly 12.5: halves go up (Python's round gives 12)
        (2.5, 3),  # round(2.5) == 2 under banker's rounding; the spec says up
        (0.5, 1),
        (12.4, 12),
        (12.6, 13),
        (57.49999999999999, 58),  # float noise around 57.5 is snapped to 57.5 first
        (57.4999, 57),  # a real 57.4999 is not noise
        (0.1 + 0.2, 0),  # 0.30000000000000004
        (100.0, 100),
        (0.0, 0),
        (-2.5, -2),  # "up" means toward +infinity, also below zero
        (-2.6, -3),
    ],
)
def test_round_half_up(x: float, expected: int) -> None:
    assert scoring.round_half_up(x) == expected


def test_round_half_up_rejects_nan() -> None:
    with pytest.raises(ValueError):
        scoring.round_half_up(float("nan"))


# ------------------------------------------------------------------ windows


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (T, True),  # T − d = 0: in
        (back(1), True),
        (back(89), True),  # 89 < 90: in
        (back(90), False),  # 90 is not < 90: out (belongs to the previous window)
        (T + timedelta(days=1), False),  # the future is not in (T−W, T]
        (datetime(2026, 6, 30, 23, 59), True),  # late on day T is still day T
    ],
)
def test_in_window_edges(d: date, expected: bool) -> None:
    assert scoring.in_window(d, as_of=T, days=W) is expected


def test_in_window_counts_calendar_dates_not_hours() -> None:
    # 2026-04-02 is 89 days before 2026-06-30 (Apr 2→30 = 28, May 31, Jun 30: 28+31+30 = 89).
    assert back(89) == date(2026, 4, 2)
    # 00:00 on Apr 2 to 23:59 on Jun 30 is almost 90×24 hours, but only 89 calendar days: in.
    late_t = datetime(2026, 6, 30, 23, 59)
    assert scoring.in_window(datetime(2026, 4, 2, 0, 0), as_of=late_t, days=W)
    # 23:59 on Apr 1 to 00:00 on Jun 30 is under 89×24 hours, but 90 calendar days: out.
    early_t = datetime(2026, 6, 30, 0, 0)
    assert not scoring.in_window(datetime(2026, 4, 1, 23, 59), as_of=early_t, days=W)


# -------------------------------------------------------------------- depth


def test_no_interactions_means_no_score() -> None:
    assert scoring.depth(inputs=DepthInputs(days_since_last=None), settings=defaults()) is None


def test_full_worked_example() -> None:
    result = scoring.depth(inputs=FULL, settings=defaults())
    assert result is not None
    assert result.score == 67  # 66.9167 rounded
    assert result.tier == "trusted"  # 60 ≤ 67 < 80
    c = result.components
    assert list(c) == ["recency", "frequency", "breadth", "richness", "reciprocity", "tone"]
    assert (c["recency"].value, c["recency"].weight, c["recency"].points) == (0.9, 0.25, 22.5)
    assert (c["frequency"].value, c["frequency"].points) == (0.5, 10.0)
    assert (c["breadth"].value, c["breadth"].points) == (0.6, 12.0)
    assert (c["richness"].value, c["richness"].points) == (0.6333, 9.5)
    assert (c["reciprocity"].value, c["reciprocity"].points) == (0.6667, 6.67)
    assert (c["tone"].value, c["tone"].points) == (0.625, 6.25)


def test_score_lands_exactly_on_a_half_and_rounds_up() -> None:
    # Contact today, 2 in window, 2 key roles, 3 calls in the year, none initiated by them,
    # tones summing to −1:
    #   recency 1 − 0/180 = 1            -> 0.25×1     ×100 = 25
    #   frequency 2/12 = 1/6             -> 0.20×1/6   ×100 = 3.3333…
    #   breadth 2/5 = 0.4                -> 0.20×0.4   ×100 = 8
    #   richness 0.6 (all calls)         -> 0.15×0.6   ×100 = 9
    #   reciprocity 1 − 2×|0 − 0.5| = 0  -> 0
    #   tone (−1/3 + 2)/4 = 5/12         -> 0.10×5/12  ×100 = 4.1666…
    #   total = 25 + 3.3333… + 8 + 9 + 0 + 4.1666… = 49.5 exactly -> 50
    # In floats the sum comes out as 49.49999999999999, which a naive round() makes 49.
    inputs = DepthInputs(
        days_since_last=0,
        interactions_window=2,
        key_roles_reached=2,
        channel_counts_year={"call": 3},
        initiated_by_them_year=0,
        interactions_year=3,
        tone_sum_year=-1,
    )
    result = scoring.depth(inputs=inputs, settings=defaults())
    assert result is not None
    assert sum(c.points for c in result.components.values()) == pytest.approx(49.5, abs=0.01)
    assert result.score == 50
    assert result.components["reciprocity"].value == 0.0
    assert result.components["tone"].value == 0.4167


def test_dormant_supplier_scores_zero_not_neutral() -> None:
    # Last contact 400 days ago: recency max(0, 1 − 400/180) = 0; nothing in window or year,
    # so richness, reciprocity and tone are 0.0 (no made-up neutral 0.5 tone) -> score 0.
    result = scoring.depth(inputs=DepthInputs(days_since_last=400), settings=defaults())
    assert result is not None
    assert result.score == 0
    assert result.tier == "transactional"
    assert all(c.value == 0.0 and c.points == 0.0 for c in result.components.values())


def test_recency_and_frequency_saturate() -> None:
    # 180 days ago -> recency exactly 0; 30 in window -> frequency min(1, 30/12) = 1;
    # 5 of 5 roles -> 1; all visits -> 1; 5 of 10 by them -> 1 − 2×0 = 1; tone +2 each -> 1.
    # total = 0 + 20 + 20 + 15 + 10 + 10 = 75
    inputs = DepthInputs(
        days_since_last=180,
        interactions_window=30,
        key_roles_reached=5,
        channel_counts_year={"visit": 10},
        initiated_by_them_year=5,
        interactions_year=10,
        tone_sum_year=20,
    )
    result = scoring.depth(inputs=inputs, settings=defaults())
    assert result is not None
    assert result.components["recency"].value == 0.0
    assert result.components["frequency"].value == 1.0
    assert result.score == 75


def test_perfect_relationship_scores_100() -> None:
    inputs = DepthInputs(
        days_since_last=0,
        interactions_window=12,
        key_roles_reached=5,
        channel_counts_year={"meeting": 4},
        initiated_by_them_year=2,
        interactions_year=4,
        tone_sum_year=8,
    )
    result = scoring.depth(inputs=inputs, settings=defaults())
    assert result is not None and result.score == 100 and result.tier == "strategic"


def test_unknown_channel_is_weighted_like_other() -> None:
    # One "fax" (unknown, valued as "other" 0.3) and one "web" (0.1): richness 0.2.
    inputs = DepthInputs(
        days_since_last=1,
        interactions_window=2,
        channel_counts_year={"fax": 1, "web": 1},
        interactions_year=2,
    )
    result = scoring.depth(inputs=inputs, settings=defaults())
    assert result is not None and result.components["richness"].value == 0.2


def test_config_override_of_a_weight_changes_the_score() -> None:
    # Recency weight 0.25 -> 0.35 adds 100 × 0.10 × 0.9 = 9 points: 66.9167 + 9 = 75.9167 -> 76.
    settings = defaults()
    settings["depth"]["weights"]["recency"] = 0.35
    result = scoring.depth(inputs=FULL, settings=settings)
    assert result is not None
    assert result.components["recency"].points == 31.5
    assert result.score == 76
    assert scoring.depth(inputs=FULL, settings=defaults()).score == 67  # type: ignore[union-attr]


def test_config_override_of_channel_weight_and_key_roles() -> None:
    # Emails worth 0.9 instead of 0.3: richness (2 + 1.2 + 1.8)/6 = 5/6 -> 0.15×5/6×100 = 12.5
    # (was 9.5, +3). Four key roles instead of five: breadth 3/4 = 0.75 -> 15 (was 12, +3).
    # total 66.9167 + 3 + 3 = 72.9167 -> 73
    settings = defaults()
    settings["channel_weights"]["email"] = 0.9
    settings["depth"]["key_roles"] = ["sales", "operations", "engineering", "executive"]
    result = scoring.depth(inputs=FULL, settings=settings)
    assert result is not None
    assert result.components["richness"].points == 12.5
    assert result.components["breadth"].value == 0.75
    assert result.score == 73


def test_weights_over_one_are_clamped_to_100() -> None:
    settings = defaults()
    settings["depth"]["weights"]["recency"] = 1.0  # weights now sum to 1.75
    inputs = DepthInputs(
        days_since_last=0,
        interactions_window=12,
        key_roles_reached=5,
        channel_counts_year={"visit": 2},
        initiated_by_them_year=1,
        interactions_year=2,
        tone_sum_year=4,
    )
    result = scoring.depth(inputs=inputs, settings=settings)
    assert result is not None and result.score == 100


def test_default_settings_come_from_the_config_file(tmp_path, monkeypatch) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[depth.weights]\nrecency = 0.35\n", encoding="utf-8")
    monkeypatch.setenv("SRM_CONFIG", str(path))
    config.reset_cache()
    try:
        result = scoring.depth(inputs=FULL)
        assert result is not None and result.score == 76
    finally:
        config.reset_cache()


def test_bad_config_is_a_buyer_facing_error() -> None:
    settings = defaults()
    settings["depth"]["frequency_target"] = 0
    with pytest.raises(InvalidValueError, match="frequency_target"):
        scoring.depth(inputs=FULL, settings=settings)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"days_since_last": -1},
        {"days_since_last": 1, "interactions_window": -1},
        {"days_since_last": 1, "interactions_year": 1, "initiated_by_them_year": 2},
        {"days_since_last": 1, "interactions_year": 1, "tone_sum_year": 3},
        {"days_since_last": 1, "channel_counts_year": {"call": -1}},
    ],
)
def test_impossible_inputs_fail_loudly(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        DepthInputs(**kwargs)


# --------------------------------------------------------------------- tiers


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0, "transactional"),
        (19, "transactional"),
        (20, "acquainted"),
        (39, "acquainted"),
        (40, "working"),
        (59, "working"),
        (60, "trusted"),
        (79, "trusted"),
        (80, "strategic"),
        (100, "strategic"),
        (None, None),
    ],
)
def test_tier_boundaries(score: int | None, expected: str | None) -> None:
    assert scoring.tier(score, settings=defaults()) == expected


def test_tier_thresholds_come_from_settings() -> None:
    settings = defaults()
    settings["depth"]["tiers"] = {"trusted": 90, "transactional": 10, "acquainted": 50}
    assert scoring.tier(9, settings=settings) == "transactional"
    assert scoring.tier(10, settings=settings) == "acquainted"
    assert scoring.tier(89, settings=settings) == "trusted"
    assert scoring.tier(90, settings=settings) == "strategic"


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [(67, 60, 7), (40, 55, -15), (50, 50, 0), (None, 50, None), (50, None, None)],
)
def test_trend(now: int | None, before: int | None, expected: int | None) -> None:
    assert scoring.trend(now, before) == expected


# ------------------------------------------------------------------- service


def test_service_worked_example() -> None:
    # T = 2026-06-30, W = 90, severity weights 1:20 2:10 3:5 4:2.
    issues = [
        # open, not escalated: +20
        ServiceIssue(1, "open", back(30)),
        # open and escalated 10 days ago: +10 × 1.5 = 15
        ServiceIssue(2, "escalated", back(20), escalated_at=back(10)),
        # open at T, escalated only tomorrow: plain +10 (as of T it was not escalated)
        ServiceIssue(2, "escalated", back(5), escalated_at=T + timedelta(days=1)),
        # resolved 10 days ago: +5 × 0.5 = 2.5
        ServiceIssue(3, "resolved", back(40), resolved_at=back(10)),
        # resolved 89 days ago (in the window): +2 × 0.5 = 1
        ServiceIssue(4, "resolved", back(120), resolved_at=back(89)),
        # resolved exactly 90 days ago: out of (T−W, T], +0
        ServiceIssue(1, "resolved", back(200), resolved_at=back(90)),
        # opened after T: not open as of T, +0
        ServiceIssue(1, "open", T + timedelta(days=2)),
    ]
    # 2 overdue follow-ups: +2 × 5 = 10
    # penalty = 20 + 15 + 10 + 2.5 + 1 + 10 = 58.5; score = 100 − 58.5 = 41.5 -> 42 (half up)
    result = scoring.service(
        issues=issues, overdue_promises=2, as_of=T, window_days=W, settings=defaults()
    )
    assert result.penalty == 58.5
    assert result.score == 42
    assert result.open == 3
    assert result.escalated == 1
    assert result.resolved_window == 2


def test_service_dates_beat_status_for_a_past_as_of() -> None:
    # Resolved today, but as of 10 days ago it was open and escalated: 10 × 1.5 = 15 -> 85.
    issue = ServiceIssue(2, "resolved", back(30), escalated_at=back(20), resolved_at=T)
    result = scoring.service(
        issues=[issue], overdue_promises=0, as_of=back(10), window_days=W, settings=defaults()
    )
    assert (result.score, result.open, result.escalated, result.resolved_window) == (85, 1, 1, 0)


def test_service_issue_resolved_on_t_is_not_open_but_counts_half() -> None:
    # Severity 1 resolved on T (late in the day): not open; resolved in window: 20 × 0.5 = 10.
    issue = ServiceIssue(1, "resolved", back(3), resolved_at=datetime(2026, 6, 30, 17, 45))
    result = scoring.service(
        issues=[issue], overdue_promises=0, as_of=T, window_days=W, settings=defaults()
    )
    assert (result.score, result.penalty, result.open, result.resolved_window) == (90, 10.0, 0, 1)


def test_service_with_nothing_wrong_is_100() -> None:
    result = scoring.service(
        issues=[], overdue_promises=0, as_of=T, window_days=W, settings=defaults()
    )
    assert result == scoring.Service(score=100, penalty=0.0, open=0, escalated=0, resolved_window=0)


def test_service_floors_at_zero() -> None:
    # Four escalated severity-1 issues: 4 × 20 × 1.5 = 120, plus 3 overdue × 5 = 15 -> 135.
    # 100 − 135 = −35 -> floored at 0.
    issues = [ServiceIssue(1, "escalated", back(9), escalated_at=back(8)) for _ in range(4)]
    result = scoring.service(
        issues=issues, overdue_promises=3, as_of=T, window_days=W, settings=defaults()
    )
    assert (result.score, result.penalty, result.escalated) == (0, 135.0, 4)


def test_service_factors_come_from_settings() -> None:
    # Escalated factor 2 and overdue penalty 10: 10 × 2 + 1 × 10 = 30 -> 70.
    settings = defaults()
    settings["service"]["escalated_factor"] = 2
    settings["service"]["overdue_promise_penalty"] = 10
    issues = [ServiceIssue(2, "escalated", back(9), escalated_at=back(8))]
    result = scoring.service(
        issues=issues, overdue_promises=1, as_of=T, window_days=W, settings=settings
    )
    assert result.score == 70


def test_service_unknown_severity_names_the_configured_ones() -> None:
    with pytest.raises(InvalidValueError, match="severity 7"):
        scoring.service(
            issues=[ServiceIssue(7, "open", back(1))],
            overdue_promises=0,
            as_of=T,
            window_days=W,
            settings=defaults(),
        )


# ------------------------------------------------------- mean days to resolve


def test_mean_days_to_resolve() -> None:
    issues = [
        ServiceIssue(2, "resolved", date(2026, 6, 1), resolved_at=date(2026, 6, 11)),  # 10 days
        ServiceIssue(3, "resolved", datetime(2026, 5, 1, 16), resolved_at=datetime(2026, 5, 4, 9)),
        # ^ 3 calendar days (May 1 -> May 4), even though only 65 hours passed
        ServiceIssue(1, "resolved", date(2025, 1, 1), resolved_at=back(365)),  # 365 back: out
        ServiceIssue(1, "open", date(2026, 6, 1)),  # unresolved: not counted
    ]
    # (10 + 3) / 2 = 6.5
    assert scoring.mean_days_to_resolve(issues=issues, as_of=T, year_days=365) == 6.5
    # Adding a 4-day one: (10 + 3 + 4) / 3 = 5.666… -> 5.7
    issues.append(ServiceIssue(4, "resolved", date(2026, 6, 20), resolved_at=date(2026, 6, 24)))
    assert scoring.mean_days_to_resolve(issues=issues, as_of=T, settings=defaults()) == 5.7


def test_mean_days_to_resolve_none_when_nothing_resolved() -> None:
    assert scoring.mean_days_to_resolve(issues=[], as_of=T, year_days=365) is None
    old = [ServiceIssue(1, "resolved", date(2024, 1, 1), resolved_at=date(2024, 2, 1))]
    assert scoring.mean_days_to_resolve(issues=old, as_of=T, year_days=365) is None


# -------------------------------------------------------- promise reliability


def test_promise_reliability_kept_late_and_missed() -> None:
    promises: list[tuple[date | datetime, date | datetime | None]] = [
        (date(2026, 6, 10), date(2026, 6, 9)),  # done early: kept
        (date(2026, 6, 10), datetime(2026, 6, 10, 23, 0)),  # done on the due date: kept
        (date(2026, 6, 10), date(2026, 6, 11)),  # done a day late: not kept
        (date(2026, 6, 20), None),  # never done: not kept
        (back(365), back(366)),  # due exactly Y days back: outside (T−Y, T], ignored
        (T + timedelta(days=5), None),  # not due yet: ignored
    ]
    # 2 kept ÷ 4 due = 0.5
    assert scoring.promise_reliability(promises=promises, as_of=T, year_days=365) == 0.5


def test_promise_reliability_rounds_to_four_decimals() -> None:
    # 1 of 3 kept -> 0.3333; 2 of 3 -> 0.66666… -> 0.6667
    one = [(back(1), back(1)), (back(2), None), (back(3), None)]
    two = [(back(1), back(1)), (back(2), back(2)), (back(3), None)]
    assert scoring.promise_reliability(promises=one, as_of=T, settings=defaults()) == 0.3333
    assert scoring.promise_reliability(promises=two, as_of=T, settings=defaults()) == 0.6667


def test_promise_reliability_none_when_nothing_due() -> None:
    assert scoring.promise_reliability(promises=[], as_of=T, year_days=365) is None
    future = [(T + timedelta(days=3), None)]
    assert scoring.promise_reliability(promises=future, as_of=T, year_days=365) is None


# --------------------------------------------------------------- spend share


@pytest.mark.parametrize(
    ("spend", "revenue", "expected"),
    [
        (250_000, 2_000_000, 0.125),  # 250k ÷ 2M
        (1, 3, 0.3333),
        (2, 3, 0.6667),
        (0, 1_000, 0.0),
        (None, 1_000_000, None),
        (100, None, None),
        (None, None, None),
        (100, 0, None),  # no revenue: no share, not a division error
    ],
)
def test_spend_share(spend: float | None, revenue: float | None, expected: float | None) -> None:
    assert scoring.spend_share(spend, revenue) == expected


# ------------------------------------------------------------------ property


@st.composite
def depth_inputs(draw: st.DrawFn) -> DepthInputs:
    channels = list(config.DEFAULTS["channel_weights"])
    counts = draw(st.dictionaries(st.sampled_from(channels), st.integers(0, 50)))
    year = sum(counts.values())
    return DepthInputs(
        days_since_last=draw(st.integers(0, 2000)),
        interactions_window=draw(st.integers(0, year)),
        key_roles_reached=draw(st.integers(0, 5)),
        channel_counts_year=counts,
        initiated_by_them_year=draw(st.integers(0, year)),
        interactions_year=year,
        tone_sum_year=draw(st.integers(-2 * year, 2 * year)),
    )


@given(depth_inputs())
def test_depth_score_always_in_range(inputs: DepthInputs) -> None:
    settings = config.DEFAULTS  # read-only here, so no copy needed per example
    result = scoring.depth(inputs=inputs, settings=settings)
    assert result is not None
    assert 0 <= result.score <= 100
    assert result.tier == scoring.tier(result.score, settings=settings)
    assert all(0.0 <= c.value <= 1.0 for c in result.components.values())
    # The receipt adds up to the score within display rounding.
    assert abs(sum(c.points for c in result.components.values()) - result.score) <= 0.5 + 0.03
