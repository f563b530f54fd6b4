"""`srm report [SUPPLIER]`, `srm due` and `srm config show`.

The services hand back plain rows (SPEC §7 shapes); this module only picks the format
and lays the figures out: a portfolio table that fits 80 columns, a brief that reads
like a receipt, markdown for a prep doc, and `-o FILE` (HTML/SVG record the table).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from srmcli.cli.common import FormatOption, command_group, output_format

if TYPE_CHECKING:
    from rich.console import Console

REPORT_FORMATS = ("table", "json", "csv", "markdown")
SPARKS = "▁▂▃▄▅▆▇█"
WHEN_HELP = "today, yesterday, '30 days ago', 'last friday', 2026-06-30"

ReportFormat = Annotated[
    str,
    typer.Option(
        "--format", "-f", help="Output format: table, json, csv or markdown.", metavar="FORMAT"
    ),
]

# The brief as one CSV row: SPEC §7 keys that are scalars, plus counts and `;`-joined
# lists, so a script can collect briefs of many suppliers into one sheet.
BRIEF_CSV_COLUMNS = (
    "supplier", "as_of", "window_days", "status", "access", "size", "kraljic_segment",
    "spend_share", "depth_score", "depth_tier", "depth_trend", "recency_points",
    "frequency_points", "breadth_points", "richness_points", "reciprocity_points",
    "tone_points", "service_score", "open_issues", "escalated_issues", "resolved_window",
    "mean_days_to_resolve", "promise_reliability", "on_time_delivery", "last_interaction",
    "days_since_last", "uncovered_roles", "overdue_promises", "our_todos", "tactics",
    "talking_points",
)  # fmt: skip


# ------------------------------------------------------------------------ formatting


def _share(value: float | None) -> str:
    if value is None:
        return "-"
    pct = value * 100
    if pct >= 1:
        return f"{pct:.1f}%"
    if pct >= 0.01:
        return f"{pct:.2f}%"
    return "<0.01%" if value > 0 else "0%"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _arrow(trend: int | None) -> str:
    if trend is None:
        return ""
    return "↑" if trend > 0 else "↓" if trend < 0 else "→"


def _signed(n: int | None) -> str:
    return "-" if n is None else f"{n:+d}"


def _day(value: date | datetime | None) -> str:
    if value is None:
        return "-"
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def sparkline(counts: Sequence[int]) -> str:
    """Monthly counts as block characters, scaled to the busiest month; ▁ is none at all."""
    peak = max(counts, default=0)
    if peak <= 0:
        return SPARKS[0] * len(counts)
    top = len(SPARKS) - 1
    return "".join(SPARKS[0] if n <= 0 else SPARKS[max(1, -(-n * top // peak))] for n in counts)


def _depth_cell(row: Mapping[str, Any]) -> str:
    if row["depth_score"] is None:
        return "no data"
    return f"{row['depth_score']}{_arrow(row['depth_trend'])} {row['depth_tier']}"


def _since_cell(row: Mapping[str, Any]) -> str:
    since = "never" if row["days_since_last"] is None else str(row["days_since_last"])
    cadence = "-" if row["cadence_days"] is None else str(row["cadence_days"])
    return f"{since}/{cadence}"


def _late_since(row: Mapping[str, Any]) -> bool:
    cadence, since = row["cadence_days"], row["days_since_last"]
    return bool(cadence) and (since is None or since > cadence)


def _first_line(text: str | None, width: int = 60) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


# ---------------------------------------------------------------------- renderables


def _table(title: str | None = None, **options: Any) -> Any:
    from rich import box
    from rich.table import Table

    return Table(
        title=title,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        title_style="bold",
        pad_edge=False,
        **options,
    )


class PortfolioTable:
    """The portfolio table, laid out for the width it is printed at.

    Every figure column is sized to its content and never wraps; the supplier column takes
    what is left (at least 10), so 80 columns hold the whole row and names wrap, not
    numbers. Rich's own shrinking would squeeze the figures and the sparkline first.
    """

    def __init__(
        self,
        rows: Sequence[Mapping[str, Any]],
        months: Mapping[str, Sequence[int]],
        title: str,
        window: int,
        key_roles: int,
    ) -> None:
        self.rows, self.months, self.title = rows, months, title
        self.window, self.key_roles = window, key_roles

    def _cells(self, row: Mapping[str, Any]) -> list[tuple[str, str]]:
        red = "red"
        return [
            (_depth_cell(row), "dim" if row["depth_score"] is None else ""),
            (str(row["service_score"]), red if row["service_score"] < 60 else ""),
            (_since_cell(row), red if _late_since(row) else ""),
            (str(row["interactions_window"]), ""),
            (f"{row['key_roles_reached']}/{self.key_roles}", ""),
            (
                f"{row['open_issues']}/{row['escalated_issues']}",
                red if row["escalated_issues"] else "",
            ),
            (str(row["overdue_promises"]), red if row["overdue_promises"] else ""),
            (_share(row["spend_share"]), ""),
            (sparkline(self.months.get(row["supplier"], [0] * 12)), ""),
        ]

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.cells import cell_len
        from rich.text import Text

        headers = [
            ("depth", "left"), ("svc", "right"), ("days\n/cad", "right"),
            (f"in\n{self.window}d", "right"), ("key\nroles", "right"),
            ("open\n/esc", "right"), ("owed", "right"), ("share", "right"),
            ("12 months", "left"),
        ]  # fmt: skip
        body = [self._cells(row) for row in self.rows]
        widths = [
            max([cell_len(line) for line in header.split("\n")] + [cell_len(r[i][0]) for r in body])
            for i, (header, _) in enumerate(headers)
        ]
        # no padding: the box's blank column divider is the one space between columns
        supplier_width = max(10, options.max_width - sum(widths) - len(widths))
        t = _table(self.title, padding=0, show_edge=False)
        t.add_column("supplier", overflow="fold", width=supplier_width)
        for (header, justify), width in zip(headers, widths, strict=True):
            t.add_column(header, justify=justify, no_wrap=True, width=width)
        for row, cells in zip(self.rows, body, strict=True):
            t.add_row(Text(row["supplier"]), *(Text(text, style=style) for text, style in cells))
        yield t


def portfolio_renderables(
    rows: Sequence[Mapping[str, Any]], months: Mapping[str, Sequence[int]], as_of: date, window: int
) -> list[Any]:
    from rich.text import Text

    from srmcli import config

    if not rows:
        return [Text("No suppliers yet. Add one with: srm supplier add NAME", style="dim")]
    title = f"Portfolio as of {as_of.isoformat()} (window {window} days), most attention first"
    key_roles = len(config.load()["depth"]["key_roles"])
    return [PortfolioTable(rows, months, title, window, key_roles)]


def _kv_table(pairs: Iterable[tuple[str, str]], title: str | None = None) -> Any:
    t = _table(title, show_header=False)
    t.add_column("field", style="bold", no_wrap=True)
    t.add_column("value", overflow="fold")
    for key, value in pairs:
        t.add_row(key, value)
    return t


def _header_pairs(b: Mapping[str, Any]) -> list[tuple[str, str]]:
    sp = b["supplier"]
    cadence = f"every {sp['cadence_days']} days" if sp["cadence_days"] else "-"
    if b["cadence_overdue_days"] is not None and sp["cadence_days"]:
        cadence += f" ({b['cadence_overdue_days']} days overdue)"
    since = "" if b["days_since_last"] is None else f" ({b['days_since_last']} days ago)"
    return [
        ("status", sp["status"]),
        ("access", sp["access"]),
        ("size", sp["size"] or "-"),
        ("category", sp["category"] or "-"),
        ("Kraljic segment", b["kraljic_segment"] or "-"),
        ("spend share", _share(b["spend_share"])),
        ("keep in touch", cadence),
        ("last contact", _day(b["last_interaction"]) + since),
    ]


def _depth_summary(depth: Mapping[str, Any], window: int) -> str:
    if depth["score"] is None:
        return "Depth: no data (no interactions logged up to this date)."
    trend = f", no trend (no score {window} days earlier)"
    if depth["trend"] is not None:
        trend = (
            f", trend {_signed(depth['trend'])} {_arrow(depth['trend'])} "
            f"(was {depth['previous_score']} {window} days earlier)"
        )
    return f"Depth {depth['score']} ({depth['tier']}){trend}."


def _receipt(depth: Mapping[str, Any]) -> Any:
    t = _table("Depth receipt", show_footer=True)
    t.add_column("component", footer="total", no_wrap=True)
    t.add_column("measured on", overflow="fold", ratio=1)
    t.add_column("value", justify="right")
    t.add_column("weight", justify="right")
    total = sum(c["points"] for c in depth["components"].values())
    t.add_column("points", justify="right", footer=f"{total:.2f} → {depth['score']}")
    for name, c in depth["components"].items():
        t.add_row(
            name,
            depth["basis"][name],
            f"{c['value']:.4f}".rstrip("0").rstrip(".") if c["value"] else "0",
            f"{c['weight']:g}",
            f"{c['points']:.2f}",
        )
    return t


def _service_pairs(svc: Mapping[str, Any], window: int) -> list[tuple[str, str]]:
    mean = svc["mean_days_to_resolve"]
    return [
        ("service score", str(svc["score"])),
        ("open issues", f"{svc['open']} ({svc['escalated']} escalated)"),
        (f"resolved in {window} days", str(svc["resolved_window"])),
        ("mean days to resolve", "-" if mean is None else f"{mean:g}"),
        ("promise reliability", _ratio(svc["promise_reliability"])),
        ("on-time delivery", _ratio(svc["on_time_delivery"])),
    ]


_MIN_TEXT_WIDTH = 20
_NAMES_THAT_WRAP = frozenset({"with", "escalated to", "name", "title"})


def _rows_table(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    wide: int | None = None,
) -> Any:
    t = _table(title)
    for i, header in enumerate(headers):
        if i == wide:  # the free text: it takes what is left, and never less than a phrase
            t.add_column(header, overflow="fold", ratio=1, min_width=_MIN_TEXT_WIDTH)
        elif header in _NAMES_THAT_WRAP:  # a list of people may be long: it wraps too
            t.add_column(header, overflow="fold")
        else:
            t.add_column(header, no_wrap=True)
    for row in rows:
        t.add_row(*row)
    return t


def _brief_sections(b: Mapping[str, Any]) -> list[tuple[str, list[str], list[list[str]], int]]:
    """(title, headers, rows, index of the column that takes the slack) per listing."""
    as_of: date = b["as_of"]
    contacts = [
        [
            c["role"],
            c["name"] + ("" if c["active"] else " (inactive)"),
            c["title"] or "-",
            _day(c["last_contact"]),
        ]
        for c in b["contacts"]
    ]
    issues = [
        [
            f"#{i['id']}",
            i["kind"],
            str(i["severity"]),
            i["status"],
            _day(i["opened_at"]),
            i["escalated_to"] or "-",
            _first_line(i["description"]),
        ]
        for i in b["open_issues"]
    ]
    promises = [
        [f"#{p['id']}", p["text"], _day(p["due"]), str((as_of - p["due"]).days)]
        for p in b["overdue_promises"]
    ]
    todos = [[f"#{p['id']}", p["text"], _day(p["due"])] for p in b["our_todos"]]
    tactics = [[t["tactic"], str(t["count"]), _day(t["last_seen"])] for t in b["tactics"]]
    recent = [
        [
            _day(i["occurred_at"]),
            f"{i['channel']} ({i['initiator']})",
            ", ".join(i["contacts"]) or "-",
            f"{i['tone']:+d}",
            _first_line(i["note"]),
        ]
        for i in b["recent_interactions"]
    ]
    sections = [
        ("Contacts by role", ["role", "name", "title", "last contact"], contacts, 1),
        (
            "Open issues",
            ["#", "kind", "sev", "status", "opened", "escalated to", "description"],
            issues,
            6,
        ),
        ("Their overdue promises", ["#", "promise", "due", "days late"], promises, 1),
        ("Our open to-dos", ["#", "to-do", "due"], todos, 1),
        ("Tactics seen", ["tactic", "count", "last seen"], tactics, 0),
        ("Last five interactions", ["date", "channel", "with", "tone", "note"], recent, 4),
    ]
    projects = b.get("projects")
    if projects:
        sections.append(
            (
                "Sourcing projects",
                ["project", "stage", "rating", "lead"],
                [
                    [
                        str(p.get("project")),
                        str(p.get("stage")),
                        "-" if p.get("rating") is None else str(p.get("rating")),
                        "yes" if p.get("lead") else "",
                    ]
                    for p in projects
                ],
                0,
            )
        )
    return sections


def brief_renderables(b: Mapping[str, Any]) -> list[Any]:
    from rich.text import Text

    sp = b["supplier"]
    window = b["window_days"]
    out: list[Any] = [
        Text(
            f"{sp['name']}: negotiation brief as of {b['as_of'].isoformat()} "
            f"(window {window} days)",
            style="bold",
        ),
        _kv_table(_header_pairs(b)),
        Text(_depth_summary(b["depth"], window)),
    ]
    if b["depth"]["components"] is not None:
        out.append(_receipt(b["depth"]))
    out.append(_kv_table(_service_pairs(b["service"], window), title="Service"))
    for title, headers, rows, wide in _brief_sections(b):
        if rows:
            out.append(_rows_table(title, headers, rows, wide=wide))
        else:
            out.append(Text(f"{title}: none.", style="dim"))
        if title == "Contacts by role" and b["uncovered_roles"]:
            out.append(Text("Nobody covers: " + ", ".join(b["uncovered_roles"]), style="red"))
    out.append(Text("Talking points", style="bold"))
    points = b["talking_points"] or ["Nothing stands out."]
    for n, point in enumerate(points, 1):
        out.append(Text(f"{n}. {point}"))
    return out


# ------------------------------------------------------------------------- markdown


def _md_cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def _md_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md_cell(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    lines += ["| " + " | ".join(_md_cell(str(c)) for c in row) + " |" for row in rows]
    return lines


def portfolio_markdown(
    rows: Sequence[Mapping[str, Any]], months: Mapping[str, Sequence[int]], as_of: date, window: int
) -> str:
    lines = [f"# Supplier portfolio as of {as_of.isoformat()}", ""]
    lines.append(f"Window {window} days; most attention needed first.")
    lines.append("")
    headers = [
        "supplier", "depth", "service", "days since / cadence", f"in {window}d", "key roles",
        "open / escalated", "overdue promises", "spend share", "12 months",
    ]  # fmt: skip
    body = [
        [
            r["supplier"],
            _depth_cell(r),
            str(r["service_score"]),
            _since_cell(r),
            str(r["interactions_window"]),
            f"{r['key_roles_reached']}/5",
            f"{r['open_issues']}/{r['escalated_issues']}",
            str(r["overdue_promises"]),
            _share(r["spend_share"]),
            sparkline(months.get(r["supplier"], [0] * 12)),
        ]  # fmt: skip
        for r in rows
    ]
    lines += _md_table(headers, body) if rows else ["No suppliers yet."]
    return "\n".join(lines) + "\n"


def brief_markdown(b: Mapping[str, Any]) -> str:
    sp = b["supplier"]
    window = b["window_days"]
    lines = [f"# {sp['name']}: negotiation brief", ""]
    lines.append(f"As of {b['as_of'].isoformat()}, window {window} days.")
    lines.append("")
    lines += [f"- **{k}**: {_md_cell(v)}" for k, v in _header_pairs(b)]
    lines += ["", "## Talking points", ""]
    points = b["talking_points"] or ["Nothing stands out."]
    lines += [f"{n}. {_md_cell(p)}" for n, p in enumerate(points, 1)]
    lines += ["", "## Relationship depth", "", _depth_summary(b["depth"], window), ""]
    depth = b["depth"]
    if depth["components"] is not None:
        rows = [
            [
                name,
                depth["basis"][name],
                f"{c['value']:g}",
                f"{c['weight']:g}",
                f"{c['points']:.2f}",
            ]
            for name, c in depth["components"].items()
        ]
        total = sum(c["points"] for c in depth["components"].values())
        rows.append(["**total**", "", "", "", f"**{total:.2f} → {depth['score']}**"])
        lines += _md_table(["component", "measured on", "value", "weight", "points"], rows)
        lines.append("")
    lines += ["## Service", ""]
    lines += [f"- **{k}**: {v}" for k, v in _service_pairs(b["service"], window)]
    for title, headers, rows_, _wide in _brief_sections(b):
        lines += ["", f"## {title}", ""]
        lines += _md_table(headers, rows_) if rows_ else ["None."]
        if title == "Contacts by role" and b["uncovered_roles"]:
            lines += ["", "Nobody covers: " + ", ".join(b["uncovered_roles"]) + "."]
    return "\n".join(lines) + "\n"


def brief_csv_row(b: Mapping[str, Any]) -> dict[str, Any]:
    sp, depth, svc = b["supplier"], b["depth"], b["service"]
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
    for name in ("recency", "frequency", "breadth", "richness", "reciprocity", "tone"):
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
            "last_interaction": b["last_interaction"],
            "days_since_last": b["days_since_last"],
            "uncovered_roles": b["uncovered_roles"],
            "overdue_promises": len(b["overdue_promises"]),
            "our_todos": len(b["our_todos"]),
            "tactics": [f"{t['tactic']}:{t['count']}" for t in b["tactics"]],
            # `;` joins the list in CSV, so one inside a point (a quoted note) becomes `,`
            "talking_points": [p.replace(";", ",") for p in b["talking_points"]],
        }
    )
    return row


# ---------------------------------------------------------------------------- output


def _open_private(path: str) -> IO[str]:
    """FILE for writing, created (or truncated) with mode 0600: reports are confidential."""
    from srmcli.errors import SrmError

    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
    except OSError as exc:
        raise SrmError(f"cannot write {path}: {exc.strerror}; choose another -o FILE") from None
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


def _file_console(stream: IO[str], *, record: bool = False) -> Console:
    from rich.console import Console

    return Console(file=stream, record=record, width=100, no_color=not record, highlight=False)


def deliver(
    fmt: str,
    out: str | None,
    *,
    renderables: Callable[[], list[Any]],
    write_text: Callable[[IO[str]], None],
) -> None:
    """Print the report, or write it to `out`: HTML/SVG record the table, else the format."""
    import io

    from srmcli import render
    from srmcli.errors import InvalidValueError

    kind = os.path.splitext(out or "")[1].lower()
    if kind in (".html", ".htm", ".svg"):
        if fmt != "table":
            raise InvalidValueError(
                f"-o {out} saves the table as {kind[1:].upper()}; leave out -f {fmt}, "
                f"or write {fmt} to a file with another extension"
            )
        recorder = _file_console(io.StringIO(), record=True)
        for item in renderables():
            recorder.print(item)
        exported = (
            recorder.export_svg(title="srm report")
            if kind == ".svg"
            else recorder.export_html(inline_styles=True)
        )
        with _open_private(out or "") as fh:
            fh.write(exported)
        render.say(f"Wrote {out}.")
        return
    if out is None:
        if fmt == "table":
            for item in renderables():
                render.show(item)
        else:
            write_text(sys.stdout)
        return
    with _open_private(out) as fh:
        if fmt == "table":
            console = _file_console(fh)
            for item in renderables():
                console.print(item)
        else:
            write_text(fh)
    render.say(f"Wrote {out}.")


# --------------------------------------------------------------------------- commands


def report(
    supplier: Annotated[
        str | None,
        typer.Argument(help="A supplier for its negotiation brief; omit for the portfolio."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help=f"Score as of this day (default today): {WHEN_HELP}.", metavar="WHEN"
        ),
    ] = None,
    window: Annotated[
        str | None,
        typer.Option(
            "--window", help="Window W in days (default 90, or the config).", metavar="DAYS"
        ),
    ] = None,
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            help="Depth and last contact count only interactions this author logged.",
            metavar="NAME",
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to FILE (mode 0600); .html or .svg saves the table as shown.",
            metavar="FILE",
        ),
    ] = None,
    fmt: ReportFormat = "table",
) -> None:
    """The portfolio (every supplier not archived), or one supplier's negotiation brief."""
    fmt = output_format(fmt, REPORT_FORMATS)
    from srmcli import dates, db, render
    from srmcli.services import briefing, measures, portfolio

    day = dates.parse_day(as_of, lean="past") if as_of is not None else dates.today()
    days = dates.parse_window(window)

    if supplier is not None:
        with db.session() as s:
            b = briefing.brief(
                session=s, supplier=supplier, as_of=day, window_days=days, author=author
            )

        def write_brief(stream: IO[str]) -> None:
            if fmt == "json":
                render.write_json_object(b, stream)
            elif fmt == "csv":
                render.write_csv([brief_csv_row(b)], stream, BRIEF_CSV_COLUMNS)
            else:
                stream.write(brief_markdown(b))

        _say_author(author, fmt)
        deliver(fmt, out, renderables=lambda: brief_renderables(b), write_text=write_brief)
        return

    with db.session() as s:
        rows = portfolio.portfolio(session=s, as_of=day, window_days=days, author=author)
        months = (
            measures.monthly_contact(session=s, as_of=day, author=author)
            if fmt in ("table", "markdown")
            else {}
        )

    def write_portfolio(stream: IO[str]) -> None:
        if fmt == "json":
            render.write_json_array(rows, stream)
        elif fmt == "csv":
            render.write_csv(rows, stream, portfolio.PORTFOLIO_COLUMNS)
        else:
            stream.write(portfolio_markdown(rows, months, day, days))

    _say_author(author, fmt)
    deliver(
        fmt,
        out,
        renderables=lambda: portfolio_renderables(rows, months, day, days),
        write_text=write_portfolio,
    )


def _say_author(author: str | None, fmt: str) -> None:
    """A reader of the table must know the scores are one buyer's view, not the team's."""
    if author is not None and fmt in ("table", "markdown"):
        from srmcli import render

        render.say(f"Depth and last contact count only interactions logged by {author.strip()}.")


def due(fmt: FormatOption = "table") -> None:
    """Suppliers past their keep-in-touch cadence, most overdue first."""
    fmt = output_format(fmt)
    from srmcli import dates, db, writers
    from srmcli.services import cadence
    from srmcli.views.due import due_view

    with db.session() as s:
        rows = cadence.due(session=s, as_of=dates.today())
    writers.deliver(due_view(rows), fmt)


def _flatten(settings: Mapping[str, Any], prefix: str = "") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for key, value in settings.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            rows += _flatten(value, name + ".")
        else:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            rows.append({"setting": name, "value": '""' if shown == "" else shown})
    return rows


def config_show(
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="Output format: table or json.", metavar="FORMAT"),
    ] = "table",
) -> None:
    """The settings in force (defaults overlaid with the config file)."""
    fmt = output_format(fmt, ("table", "json"))
    from srmcli import config, render

    path = config.config_path()
    # `author` as in force: the configured name, else the login name records get
    settings = {**config.load(), "author": config.author()}
    state = "in use" if path.is_file() else "not found, defaults in force"
    render.say(f"Config file: {path} ({state})")
    if fmt == "json":
        render.write_json_object(settings, sys.stdout)
        return
    render.emit(_flatten(settings), "table", table_columns=("setting", "value"))


def register(app: typer.Typer) -> None:
    """Add `report`, `due` and the `config` group to the root app."""
    app.command("report")(report)
    app.command("due")(due)
    config_app = command_group()
    config_app.command("show")(config_show)
    app.add_typer(config_app, name="config", help="Settings: weights and thresholds of the scores.")
