"""`srm issue open|escalate|resolve|list|summary`: service breakdowns and their fate."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from srmcli.cli.common import FormatOption, command_group, output_format, wrote

issue_app = command_group()

WHEN_HELP = "today, yesterday, '3 days ago', 'last friday', 2026-11-20, '2026-11-20 14:30'"
KINDS = (
    "late-delivery, quality, short-shipment, wrong-item, billing, responsiveness, "
    "communication, documentation, price, other"
)

IdArg = Annotated[str, typer.Argument(help="Issue number (from `srm issue list`).", metavar="ID")]

# Ten separate columns cannot fit 80 characters without folding words, so the table
# shows the escalation target inside the status cell ("escalated to Dana Wu") and only
# the first line of the description (the escalation trail is in -f json and timeline).
LIST_COLUMNS = (
    "id", "supplier", "kind", "severity", "status", "opened", "age", "author", "description",
)  # fmt: skip
LIST_HEADERS = {"id": "#", "severity": "sev", "age": "days", "author": "by", "description": "what"}
LIST_NOWRAP = ("id", "kind", "severity", "opened", "age")
SUMMARY_HEADERS = {
    "escalated": "esc",
    "resolved": "resolved",
    "mean_days_to_resolve": "mean days",
    "oldest_open_days": "oldest",
}
SUMMARY_NOWRAP = ("kind", "opened", "open", "escalated", "resolved", "mean_days_to_resolve")


@issue_app.command("open")
def open_(
    supplier: Annotated[str, typer.Argument(help="Supplier name, alias or unique prefix.")],
    kind: Annotated[str, typer.Argument(help=f"What broke down: {KINDS}.")],
    description: Annotated[str | None, typer.Argument(help="What happened.")] = None,
    severity: Annotated[
        str | None,
        typer.Option("--severity", help="1 (critical) … 4 (minor); default 3.", metavar="N"),
    ] = None,
    when: Annotated[
        str | None,
        typer.Option("--date", help=f"When it was raised (default now): {WHEN_HELP}."),
    ] = None,
    again: Annotated[
        bool,
        typer.Option(
            "--again",
            help="Open it even though the same issue (kind, time, description) is recorded.",
        ),
    ] = False,
    fmt: FormatOption = "table",
) -> None:
    """Raise a service issue with a supplier."""
    fmt = output_format(fmt)
    from srmcli import dates, db
    from srmcli.services.issues import open_issue
    from srmcli.services.records import ISSUE_COLUMNS

    opened_at = dates.parse_when(when, lean="past") if when is not None else None
    with db.session(write=True) as s:
        record = open_issue(
            session=s,
            supplier=supplier,
            kind=kind,
            description=description,
            severity=severity,
            opened_at=opened_at,
            again=again,
        )
    wrote(
        record,
        fmt,
        f"Opened issue #{record['id']} with {record['supplier']}: {record['kind']}, "
        f"severity {record['severity']}.",
        columns=ISSUE_COLUMNS,
    )


@issue_app.command("escalate")
def escalate(
    issue_id: IdArg,
    to: Annotated[
        str | None,
        typer.Option("--to", help="The contact at that supplier it goes to.", metavar="CONTACT"),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option("--note", help="Why, or what was asked; kept in the description."),
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Escalate an unresolved issue (again and higher as needed, up to the president).

    Each escalation appends a dated line to the description, e.g.
    "2026-11-25 escalated to Dana Wu: no ship date after two calls".
    """
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.issues import escalate_issue
    from srmcli.services.records import ISSUE_COLUMNS

    with db.session(write=True) as s:
        record = escalate_issue(session=s, issue_id=issue_id, to=to, note=note)
    whom = f" to {record['escalated_to']}" if record["escalated_to"] else ""
    wrote(
        record,
        fmt,
        f"Escalated issue #{record['id']} ({record['supplier']}, {record['kind']}){whom}.",
        columns=ISSUE_COLUMNS,
    )


@issue_app.command("resolve")
def resolve(
    issue_id: IdArg,
    when: Annotated[
        str | None,
        typer.Option("--date", help=f"When it was resolved (default now): {WHEN_HELP}."),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="How it was resolved (the resolution).")
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Mark an issue resolved."""
    fmt = output_format(fmt)
    from srmcli import dates, db
    from srmcli.services.issues import age_days, resolve_issue
    from srmcli.services.records import ISSUE_COLUMNS

    resolved_at = dates.parse_when(when, lean="past") if when is not None else None
    with db.session(write=True) as s:
        record = resolve_issue(session=s, issue_id=issue_id, resolved_at=resolved_at, note=note)
    days = age_days(record)
    wrote(
        record,
        fmt,
        f"Resolved issue #{record['id']} ({record['supplier']}, {record['kind']}) after "
        f"{days} day{'s' if days != 1 else ''}.",
        columns=ISSUE_COLUMNS,
    )


@issue_app.command("show")
def show(issue_id: IdArg, fmt: FormatOption = "table") -> None:
    """One issue and its trail: escalations, every call about it, the resolution."""
    fmt = output_format(fmt)
    from srmcli import db, writers
    from srmcli.services.issues import issue_trail
    from srmcli.views.issue import issue_view

    with db.session() as s:
        record = issue_trail(session=s, issue_id=issue_id)
    writers.deliver(issue_view(record), fmt)


@issue_app.command("list")
def list_(
    supplier: Annotated[
        str | None, typer.Argument(help="Only this supplier (name, alias or unique prefix).")
    ] = None,
    status: Annotated[
        str,
        typer.Option(
            "--status",
            help="open (every unresolved issue, escalated included; the default), "
            "escalated, resolved or all.",
        ),
    ] = "open",
    fmt: FormatOption = "table",
) -> None:
    """List issues: unresolved first, most severe then oldest; resolved ones newest first."""
    fmt = output_format(fmt)
    from srmcli import db, render
    from srmcli.services.issues import list_issues
    from srmcli.services.records import ISSUE_COLUMNS

    with db.session() as s:
        rows = list_issues(session=s, supplier=supplier, status=status, with_author=fmt == "table")
    if fmt != "table":
        render.emit(rows, fmt, columns=ISSUE_COLUMNS)
        return
    empty = (
        "No unresolved issues."
        if status.strip().lower() == "open"
        else "No issues match. Open one with: srm issue open SUPPLIER KIND"
    )
    render.show(
        _narrow_table(
            [_list_row(row) for row in rows],
            LIST_COLUMNS,
            headers=LIST_HEADERS,
            nowrap=LIST_NOWRAP,
            empty=empty,
        )
    )


def _list_row(record: dict[str, Any]) -> dict[str, Any]:
    from srmcli.services.issues import age_days

    status = record["status"]
    if record["escalated_to"] and status == "escalated":
        status = f"escalated to {record['escalated_to']}"
    lines = (record["description"] or "").splitlines()
    first = lines[0] if lines else None
    if first is not None and len(lines) > 1:
        first += " …"
    return {
        **record,
        "status": status,
        "opened": record["opened_at"].date(),
        "age": age_days(record),
        "description": first,
    }


def _narrow_table(
    rows: list[dict[str, Any]],
    columns: tuple[str, ...],
    *,
    headers: dict[str, str],
    nowrap: tuple[str, ...],
    empty: str,
    title: str | None = None,
) -> Any:
    """A Rich table for wide listings: short values never fold, free text wraps at words.

    Like `render.table`, but with one space of padding per column instead of two, so
    eight columns still read at 80 characters.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from srmcli import render

    if not rows:
        return Text(empty, style="dim")
    t = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        pad_edge=False,
        show_edge=False,
        padding=(0, 1, 0, 0),
    )
    for c in columns:
        t.add_column(headers.get(c, c.replace("_", " ")), overflow="fold", no_wrap=c in nowrap)
    for row in rows:
        t.add_row(*(Text(render.human(row.get(c))) for c in columns))
    return t


@issue_app.command("summary")
def summary(
    date_from: Annotated[
        str | None,
        typer.Option(
            "--from", help="Period start, inclusive (default: the first issue).", metavar="WHEN"
        ),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option("--to", help="Period end, inclusive (default today).", metavar="WHEN"),
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Per supplier and kind: opened and resolved in the period, open/escalated at its end."""
    fmt = output_format(fmt)
    from srmcli import dates, db, render
    from srmcli.services.issues import SUMMARY_COLUMNS, summarize_issues

    start = dates.parse_day(date_from) if date_from is not None else None
    end = dates.parse_day(date_to) if date_to is not None else None
    with db.session() as s:
        rows = summarize_issues(session=s, date_from=start, date_to=end)
    if fmt != "table":
        render.emit(rows, fmt, columns=SUMMARY_COLUMNS)
        return
    period = f"{start or 'first issue'} to {end or dates.today()}"
    render.show(
        _narrow_table(
            rows,
            SUMMARY_COLUMNS,
            title=f"Issues, {period}",
            headers=SUMMARY_HEADERS,
            nowrap=SUMMARY_NOWRAP,
            empty="No issues in this period.",
        )
    )


def register(app: typer.Typer) -> None:
    """Add `srm issue …` to the root app."""
    app.add_typer(
        issue_app,
        name="issue",
        help="Service issues: open, escalate, resolve, show, list, summary.",
    )
