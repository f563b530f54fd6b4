"""`srm report`: the portfolio, one row per supplier, most attention first (SPEC §6).

Laid out once for every format: the table (which fits 80 columns — names wrap, figures
never do), Markdown and HTML show the same cells; JSON and CSV the rows themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from srmcli import wording
from srmcli.views import Cell, CellValue, Column, Grid, Line, Style, View

SPARKS = "▁▂▃▄▅▆▇█"
POOR_SERVICE = 60  # a service score below this is shown as an alert
EMPTY = "No suppliers yet. Add one with: srm supplier add NAME"


def sparkline(counts: Sequence[int]) -> str:
    """Monthly counts as block characters, scaled to the busiest month; ▁ is none at all."""
    peak = max(counts, default=0)
    if peak <= 0:
        return SPARKS[0] * len(counts)
    top = len(SPARKS) - 1
    return "".join(SPARKS[0] if n <= 0 else SPARKS[max(1, -(-n * top // peak))] for n in counts)


def _depth(row: Mapping[str, Any]) -> CellValue:
    if row["depth_score"] is None:
        return Cell("no data", "muted")
    return f"{row['depth_score']}{wording.arrow(row['depth_trend'])} {row['depth_tier']}"


# the portfolio is read at 80 columns: the climate in four letters at most
CLIMATE_SHORT = {"cooperative": "coop", "mixed": "mix", "adversarial": "adv"}
CLIMATE_STYLE: dict[str, Style] = {"adversarial": "alert", "cooperative": "good"}


def climate_cell(label: str | None) -> CellValue:
    """A climate label, short: adversarial stands out, cooperative reads well, none is
    muted."""
    if label is None:
        return Cell("-", "muted")
    shown = CLIMATE_SHORT.get(label, label)
    return Cell(shown, CLIMATE_STYLE.get(label))


def _since(row: Mapping[str, Any]) -> CellValue:
    since = "never" if row["days_since_last"] is None else str(row["days_since_last"])
    cadence, days = row["cadence_days"], row["days_since_last"]
    late = bool(cadence) and (days is None or days > cadence)
    return Cell(f"{since}/{'-' if cadence is None else cadence}", "alert" if late else None)


def _alert_if(value: str, condition: bool) -> CellValue:
    return Cell(value, "alert") if condition else value


def columns(window: int) -> list[Column]:
    return [
        Column("supplier", kind="name"),
        Column("depth"),
        Column("climate", "clim", spelled="climate"),
        Column("service_score", "svc", right=True, spelled="service"),
        Column("days_since_last", "days\n/cad", right=True, spelled="days since / cadence"),
        Column("interactions_window", f"in\n{window}d", right=True, spelled=f"in {window}d"),
        Column("key_roles_reached", "key\nroles", right=True, spelled="key roles"),
        Column("open_issues", "open\n/esc", right=True, spelled="open / escalated"),
        Column("overdue_promises", "owed", right=True, spelled="overdue promises"),
        Column("spend_share", "share", right=True, spelled="spend share"),
        Column("months", "12 months"),
    ]


def cells(row: Mapping[str, Any], months: Sequence[int] | None, key_roles: int) -> list[CellValue]:
    """One supplier's row, worded: the same cells in every human format."""
    return [
        row["supplier"],
        _depth(row),
        climate_cell(row["climate"]),
        _alert_if(str(row["service_score"]), row["service_score"] < POOR_SERVICE),
        _since(row),
        str(row["interactions_window"]),
        f"{row['key_roles_reached']}/{key_roles}",
        _alert_if(f"{row['open_issues']}/{row['escalated_issues']}", row["escalated_issues"] > 0),
        _alert_if(str(row["overdue_promises"]), row["overdue_promises"] > 0),
        wording.percent(row["spend_share"]),
        sparkline(months if months is not None else [0] * 12),
    ]


def portfolio_view(
    rows: Sequence[Mapping[str, Any]],
    months: Mapping[str, Sequence[int]],
    *,
    as_of: date,
    window: int,
    key_roles: int,
    data_columns: Sequence[str],
) -> View:
    """The portfolio of `rows` (SPEC §7 shape, attention order) as of `as_of`, with each
    supplier's monthly contacts for the sparkline and the number of key roles configured
    (the `N` of `reached/N`)."""

    def layout() -> list[Grid | Line]:
        if not rows:
            return [Line(EMPTY, "muted")]
        grid = Grid(
            columns=columns(window),
            rows=[cells(r, months.get(r["supplier"]), key_roles) for r in rows],
        )
        return [grid]

    day = as_of.isoformat()
    return View(
        title=f"Supplier portfolio as of {day}",
        sections=layout,
        data=rows,
        columns=data_columns,
        name="portfolio",
        extra={
            "heading": (
                f"Portfolio as of {day} (window {wording.days(window)}), most attention first"
            ),
            "subtitle": f"Window {wording.days(window)}; most attention needed first.",
        },
    )
