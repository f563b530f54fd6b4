"""`srm report SUPPLIER`: the negotiation brief (SPEC §6), laid out once for every format.

The sections read like a receipt: the header, the depth score with every component it
was measured on, the service summary, who is covered, what is open and owed, the tactics
seen, the last five interactions, the sourcing projects, and the talking points. Stored
text (descriptions, notes, promises) is shown whole: tables wrap it, nothing cuts it.

JSON is the brief's record itself (SPEC §7); CSV is one row (`BRIEF_CSV_COLUMNS`), so a
script can collect the briefs of many suppliers into one sheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from srmcli import wording
from srmcli.views import (
    CellValue,
    Column,
    Grid,
    Line,
    Pairs,
    Points,
    Section,
    Series,
    Trend,
    View,
)

# The brief as one CSV row: SPEC §7 keys that are scalars, plus counts and `;`-joined
# lists, so a script can collect briefs of many suppliers into one sheet.
BRIEF_CSV_COLUMNS = (
    "supplier", "as_of", "window_days", "status", "access", "size", "kraljic_segment",
    "spend_share", "depth_score", "depth_tier", "depth_trend", "recency_points",
    "frequency_points", "breadth_points", "richness_points", "reciprocity_points",
    "tone_points", "service_score", "open_issues", "escalated_issues", "resolved_window",
    "mean_days_to_resolve", "promise_reliability", "on_time_delivery",
    "on_time_delivery_first_promise", "last_interaction", "days_since_last",
    "uncovered_roles", "overdue_promises", "our_todos", "tactics", "talking_points",
    "climate", "mean_tone", "pressure_share", "breakdowns_year",
)  # fmt: skip

COMPONENTS = ("recency", "frequency", "breadth", "richness", "reciprocity", "tone")


def brief_csv_row(b: Mapping[str, Any]) -> dict[str, Any]:
    sp, depth, svc, climate = b["supplier"], b["depth"], b["service"], b["climate"]
    components = depth["components"] or {}
    row: dict[str, Any] = {
        "supplier": sp["name"],
        "as_of": b["as_of"],
        "window_days": b["window_days"],
        "status": sp["status"],
        "access": sp["access"],
        "size": sp["size"],
        "kraljic_segment": b["kraljic_segment"],
        "spend_share": b["spend_share"],
        "depth_score": depth["score"],
        "depth_tier": depth["tier"],
        "depth_trend": depth["trend"],
    }
    for name in COMPONENTS:
        row[f"{name}_points"] = components[name]["points"] if name in components else None
    row.update(
        {
            "service_score": svc["score"],
            "open_issues": svc["open"],
            "escalated_issues": svc["escalated"],
            "resolved_window": svc["resolved_window"],
            "mean_days_to_resolve": svc["mean_days_to_resolve"],
            "promise_reliability": svc["promise_reliability"],
            "on_time_delivery": svc["on_time_delivery"],
            "on_time_delivery_first_promise": svc["on_time_delivery_first_promise"],
            "last_interaction": b["last_interaction"],
            "days_since_last": b["days_since_last"],
            "uncovered_roles": b["uncovered_roles"],
            "overdue_promises": len(b["overdue_promises"]),
            "our_todos": len(b["our_todos"]),
            "tactics": [f"{t['tactic']}:{t['count']}" for t in b["tactics"]],
            # `;` joins the list in CSV, so one inside a point (a quoted note) becomes `,`
            "talking_points": [p.replace(";", ",") for p in b["talking_points"]],
            "climate": climate["label"] if climate else None,
            "mean_tone": climate["mean_tone"] if climate else None,
            "pressure_share": climate["pressure_share"] if climate else None,
            "breakdowns_year": len(b["breakdowns"]),
        }
    )
    return row


# ----------------------------------------------------------------------- the sections


def _header(b: Mapping[str, Any]) -> Pairs:
    sp = b["supplier"]
    cadence = f"every {wording.days(sp['cadence_days'])}" if sp["cadence_days"] else "-"
    if b["cadence_overdue_days"] is not None and sp["cadence_days"]:
        cadence += f" ({wording.days(b['cadence_overdue_days'])} overdue)"
    since = b["days_since_last"]
    ago = "" if since is None else f" ({wording.days(since)} ago)"
    return Pairs(
        [
            ("status", sp["status"]),
            ("access", sp["access"]),
            ("size", sp["size"] or "-"),
            ("category", sp["category"] or "-"),
            ("Kraljic segment", b["kraljic_segment"] or "-"),
            ("spend share", wording.percent(b["spend_share"])),
            ("keep in touch", cadence),
            ("last contact", wording.day(b["last_interaction"]) + ago),
        ]
    )


def _depth_summary(depth: Mapping[str, Any], window: int) -> Line:
    if depth["score"] is None:
        return Line("Depth: no data (no interactions logged up to this date).", "muted")
    earlier = f"{wording.days(window)} earlier"
    trend = f", no trend (no score {earlier})"
    if depth["trend"] is not None:
        trend = (
            f", trend {wording.signed(depth['trend'])} {wording.arrow(depth['trend'])} "
            f"(was {depth['previous_score']} {earlier})"
        )
    return Line(f"Depth {depth['score']} ({depth['tier']}){trend}.")


def climate_line(climate: Mapping[str, Any] | None, window: int) -> Line:
    """The climate beside depth: how friendly, where depth says how deep."""
    if climate is None:
        return Line(
            f"Climate: no data (no interactions in the last {wording.days(window)}).", "muted"
        )
    style = {"adversarial": "alert", "cooperative": "good"}.get(climate["label"])
    return Line(
        f"Climate {climate['label']} over the last {wording.days(window)}: mean tone "
        f"{wording.signed(climate['mean_tone'])}, pressure tactics in "
        f"{wording.percent(climate['pressure_share'])} of the interactions.",
        style,  # type: ignore[arg-type]
    )


def _fraction(value: float) -> str:
    """A component's value in [0, 1], to four places, without trailing zeros."""
    return f"{value:.4f}".rstrip("0").rstrip(".") if value else "0"


def _receipt(depth: Mapping[str, Any]) -> Grid:
    components = depth["components"]
    total = sum(c["points"] for c in components.values())
    return Grid(
        title="Depth receipt",
        columns=[
            Column("component"),
            Column("basis", "measured on", kind="text"),
            Column("value", right=True),
            Column("weight", right=True),
            Column("points", right=True),
        ],
        rows=[
            [
                name,
                depth["basis"][name],
                _fraction(c["value"]),
                f"{c['weight']:g}",
                f"{c['points']:.2f}",
            ]
            for name, c in components.items()
        ],
        footer=["total", "", "", "", f"{total:.2f} → {depth['score']}"],
    )


def _service(svc: Mapping[str, Any], window: int) -> Pairs:
    mean = svc["mean_days_to_resolve"]
    return Pairs(
        [
            ("service score", str(svc["score"])),
            ("open issues", f"{svc['open']} ({svc['escalated']} escalated)"),
            (f"resolved in {wording.days(window)}", str(svc["resolved_window"])),
            ("mean days to resolve", "-" if mean is None else f"{mean:g}"),
            ("promise reliability", wording.percent(svc["promise_reliability"])),
            ("on-time delivery", wording.percent(svc["on_time_delivery"])),
            (
                "against the first promise",
                wording.percent(svc["on_time_delivery_first_promise"]),
            ),
        ],
        title="Service",
    )


def _listing(title: str, columns: Sequence[Column], rows: list[list[CellValue]]) -> Grid:
    return Grid(columns=columns, rows=rows, title=title, empty=f"{title}: none.")


def _contacts(b: Mapping[str, Any]) -> Grid:
    rows: list[list[CellValue]] = [
        [
            c["role"],
            c["name"] + ("" if c["active"] else " (inactive)"),
            c["title"] or "-",
            wording.day(c["last_contact"]),
        ]
        for c in b["contacts"]
    ]
    columns = [
        Column("role"),
        Column("name", kind="name"),
        Column("title", kind="text"),
        Column("last_contact", "last contact"),
    ]
    return _listing("Contacts by role", columns, rows)


def _issues(b: Mapping[str, Any]) -> Grid:
    rows: list[list[CellValue]] = [
        [
            f"#{i['id']}",
            i["kind"],
            str(i["severity"]),
            i["status"],
            wording.day(i["opened_at"]),
            i["escalated_to"] or "-",
            i["description"] or "-",
        ]
        for i in b["open_issues"]
    ]
    columns = [
        Column("id", "#"),
        Column("kind"),
        Column("severity", "sev", right=True, spelled="severity"),
        Column("status"),
        Column("opened_at", "opened"),
        Column("escalated_to", "escalated to", kind="name"),
        Column("description", kind="text"),
    ]
    return _listing("Open issues", columns, rows)


def _promises(b: Mapping[str, Any]) -> Grid:
    as_of: date = b["as_of"]
    rows: list[list[CellValue]] = [
        [f"#{p['id']}", p["text"], wording.day(p["due"]), str((as_of - p["due"]).days)]
        for p in b["overdue_promises"]
    ]
    columns = [
        Column("id", "#"),
        Column("text", "promise", kind="text"),
        Column("due"),
        Column("days_late", "days late", right=True),
    ]
    return _listing("Their overdue promises", columns, rows)


def _todos(b: Mapping[str, Any]) -> Grid:
    rows: list[list[CellValue]] = [
        [f"#{p['id']}", p["text"], wording.day(p["due"])] for p in b["our_todos"]
    ]
    columns = [Column("id", "#"), Column("text", "to-do", kind="text"), Column("due")]
    return _listing("Our open to-dos", columns, rows)


def _tactics(b: Mapping[str, Any]) -> Grid:
    rows: list[list[CellValue]] = [
        [t["tactic"], str(t["count"]), wording.day(t["last_seen"])] for t in b["tactics"]
    ]
    columns = [
        Column("tactic", kind="text"),
        Column("count", right=True),
        Column("last_seen", "last seen"),
    ]
    return _listing("Tactics seen", columns, rows)


def _recent(b: Mapping[str, Any]) -> Grid:
    rows: list[list[CellValue]] = [
        [
            wording.day(i["occurred_at"]),
            f"{i['channel']} ({i['initiator']})",
            ", ".join(i["contacts"]) or "-",
            wording.signed(i["tone"]),
            i["note"] or "-",
        ]
        for i in b["recent_interactions"]
    ]
    columns = [
        Column("date"),
        Column("channel"),
        Column("contacts", "with", kind="text"),
        Column("tone", right=True),
        Column("note", kind="text"),
    ]
    return _listing("Last five interactions", columns, rows)


SPARKS = "▁▂▃▄▅▆▇█"
GAP = "·"  # a month with no figure


def sparkline(values: Sequence[float | None], top: float) -> str:
    """Values on a fixed scale from 0 to `top` as block characters (▁ is 0, █ is `top`),
    so a score that stays at 40 reads as 40, not as the month's best."""
    marks = []
    for value in values:
        if value is None:
            marks.append(GAP)
            continue
        step = round(max(0.0, min(1.0, value / top)) * (len(SPARKS) - 1))
        marks.append(SPARKS[step])
    return "".join(marks)


HISTORY_MEASURES = (
    ("depth", "depth", 100.0),
    ("service", "service", 100.0),
    ("on_time_delivery", "on-time delivery", 1.0),
)


def _figure(key: str, value: float | None) -> str:
    if value is None:
        return "-"
    return wording.percent(value) if key == "on_time_delivery" else str(value)


def history_section(history: Sequence[Mapping[str, Any]]) -> Trend:
    """The scores as of each month end: a sparkline per measure with its first, lowest,
    highest and latest figure; documents draw each as a line chart."""
    months = [h["month"] for h in history]
    rows: list[list[CellValue]] = []
    series = []
    for key, name, top in HISTORY_MEASURES:
        values = [h[key] for h in history]
        known = [v for v in values if v is not None]
        rows.append(
            [
                name,
                sparkline(values, top),
                _figure(key, values[0]),
                _figure(key, min(known)) if known else "-",
                _figure(key, max(known)) if known else "-",
                _figure(key, values[-1]),
            ]
        )
        series.append(
            Series(
                name=name,
                labels=months,
                values=values,
                shown=[_figure(key, v) for v in values],
                top=top,
            )
        )
    columns = [
        Column("measure"),
        Column("months", f"{months[0]} → {months[-1]}", spelled=f"{months[0]} to {months[-1]}"),
        Column("first", right=True),
        Column("low", right=True, spelled="lowest"),
        Column("high", right=True, spelled="highest"),
        Column("now", right=True),
    ]
    return Trend(
        columns=columns,
        rows=rows,
        title=f"Score history, {wording.plural(len(months), 'month end')}",
        series=series,
    )


def _breakdowns(b: Mapping[str, Any]) -> Grid:
    rows: list[list[CellValue]] = []
    for found in b["breakdowns"]:
        i = found["issue"]
        high = "-"
        if found["escalated_to"]:
            role = f" ({found['escalated_role']})" if found["escalated_role"] else ""
            high = found["escalated_to"] + role
        elif i["escalated_at"]:
            high = "escalated"
        rows.append(
            [
                f"#{i['id']}",
                i["kind"],
                str(i["severity"]),
                wording.day(i["opened_at"]),
                wording.day(i["resolved_at"]),
                str(found["days_to_resolve"]),
                high,
                i["description"] or "-",
            ]
        )
    columns = [
        Column("id", "#"),
        Column("kind"),
        Column("severity", "sev", right=True, spelled="severity"),
        Column("opened_at", "opened"),
        Column("resolved_at", "resolved"),
        Column("days_to_resolve", "days", right=True, spelled="days to resolve"),
        Column("escalated_to", "went up to", kind="name"),
        Column("description", kind="text"),
    ]
    return _listing("Breakdowns of the year", columns, rows)


def _alternatives(b: Mapping[str, Any]) -> Grid:
    rows: list[list[CellValue]] = [
        [
            a["supplier"],
            a["status"],
            "no data" if a["depth_score"] is None else f"{a['depth_score']} {a['depth_tier']}",
            ", ".join(f"{p['stage']} in {p['project']}" for p in a["projects"]) or "-",
        ]
        for a in b["alternatives"]
    ]
    columns = [
        Column("supplier", kind="name"),
        Column("status"),
        Column("depth"),
        Column("sourcing", kind="text"),
    ]
    category = b["supplier"]["category"]
    return _listing(f"Alternatives in {category}", columns, rows)


def _projects(projects: Sequence[Mapping[str, Any]]) -> Grid:
    rows: list[list[CellValue]] = [
        [
            wording.cell(p.get("project")),
            wording.cell(p.get("stage")),
            wording.cell(p.get("rating")),
            "yes" if p.get("lead") else "",
        ]
        for p in projects
    ]
    columns = [
        Column("project", kind="text"),
        Column("stage"),
        Column("rating", right=True),
        Column("lead"),
    ]
    return _listing("Sourcing projects", columns, rows)


def sections(b: Mapping[str, Any]) -> list[Section]:
    """The brief's sections, in the order a buyer reads them before a call."""
    window = b["window_days"]
    depth = b["depth"]
    out: list[Section] = [
        _header(b),
        _depth_summary(depth, window),
        climate_line(b["climate"], window),
    ]
    if depth["components"] is not None:
        out.append(_receipt(depth))
    out.append(_service(b["service"], window))
    if b.get("history"):
        out.append(history_section(b["history"]))
    out.append(_contacts(b))
    if b["uncovered_roles"]:
        out.append(Line("Nobody covers: " + ", ".join(b["uncovered_roles"]) + ".", "alert"))
    out += [_issues(b), _breakdowns(b), _promises(b), _todos(b), _tactics(b), _recent(b)]
    if b.get("projects"):
        out.append(_projects(b["projects"]))
    if b["alternatives"]:
        out.append(_alternatives(b))
    out.append(Points(list(b["talking_points"]), title="Talking points"))
    return out


def brief_view(b: Mapping[str, Any]) -> View:
    """The brief `b` (as `briefing.brief` returns it) for any writer."""
    name = b["supplier"]["name"]
    day = b["as_of"].isoformat()
    window = wording.days(b["window_days"])
    return View(
        title=f"{name}: negotiation brief",
        sections=lambda: sections(b),
        data=b,
        columns=BRIEF_CSV_COLUMNS,
        csv_rows=[brief_csv_row(b)],
        name="brief",
        extra={
            "heading": f"{name}: negotiation brief as of {day} (window {window})",
            "subtitle": f"As of {day}, window {window}.",
        },
    )
