"""`srm issue open|escalate|resolve|list|summary`: service breakdowns and their fate."""

from __future__ import annotations

from typing import Annotated

import typer

from srmcli.cli.common import FormatOption, OutputOption, command_group, output_format, wrote

issue_app = command_group()

WHEN_HELP = "today, yesterday, '3 days ago', 'last friday', 2026-11-20, '2026-11-20 14:30'"
KINDS = (
    "late-delivery, quality, short-shipment, wrong-item, billing, responsiveness, "
    "communication, documentation, price, other"
)

IdArg = Annotated[
    str, typer.Argument(help="Issue number, 12 or #12 (from `srm issue list`).", metavar="ID")
]


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
    from srmcli import dates, db, values
    from srmcli.services.issues import open_issue
    from srmcli.services.records import ISSUE_COLUMNS

    opened_at = dates.parse_when(when, lean="past") if when is not None else None
    level = None if values.blank(severity) else values.severity(severity, "--severity")
    with db.session(write=True) as s:
        record = open_issue(
            session=s,
            supplier=supplier,
            kind=kind,
            description=description,
            severity=level,
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
        typer.Option(
            "--to", help="The contact at that supplier it goes to (required).", metavar="CONTACT"
        ),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option("--note", help="Why, or what was asked; kept in the description."),
    ] = None,
    when: Annotated[
        str | None,
        typer.Option(
            "--date",
            help=f"When it was escalated (default now; not before it was opened): {WHEN_HELP}.",
            metavar="WHEN",
        ),
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Escalate an unresolved issue to someone (again and higher as needed, up to the
    president).

    Each escalation appends a line starting with its date to the description, e.g.
    "2026-11-25 escalated to Dana Wu: no ship date after two calls"; the first
    escalation's date is the issue's escalated_at.
    """
    fmt = output_format(fmt)
    from srmcli import dates, db
    from srmcli.services.issues import escalate_issue
    from srmcli.services.records import ISSUE_COLUMNS

    escalated_at = dates.parse_when(when, lean="past") if when is not None else None
    with db.session(write=True) as s:
        record = escalate_issue(
            session=s, issue_id=issue_id, to=to, note=note, escalated_at=escalated_at
        )
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
    from srmcli import dates, db, wording
    from srmcli.services.issues import age_days, resolve_issue
    from srmcli.services.records import ISSUE_COLUMNS

    resolved_at = dates.parse_when(when, lean="past") if when is not None else None
    with db.session(write=True) as s:
        record = resolve_issue(session=s, issue_id=issue_id, resolved_at=resolved_at, note=note)
    wrote(
        record,
        fmt,
        f"Resolved issue #{record['id']} ({record['supplier']}, {record['kind']}) after "
        f"{wording.days(age_days(record))}.",
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
    out: OutputOption = None,
) -> None:
    """List issues: unresolved first, most severe then oldest; resolved ones newest first."""
    fmt = output_format(fmt)
    from srmcli import db, writers
    from srmcli.cli.common import for_people
    from srmcli.services.issues import list_issues
    from srmcli.services.records import ISSUE_COLUMNS
    from srmcli.views.issues import issue_list

    with db.session() as s:
        rows = list_issues(session=s, supplier=supplier, status=status, with_author=for_people(fmt))
    only_open = status.strip().lower() == "open"
    writers.deliver(issue_list(rows, ISSUE_COLUMNS, only_open=only_open), fmt, out)


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
    out: OutputOption = None,
) -> None:
    """Per supplier and kind: opened and resolved in the period, open/escalated at its end."""
    fmt = output_format(fmt)
    from srmcli import dates, db, writers
    from srmcli.services.issues import SUMMARY_COLUMNS, summarize_issues
    from srmcli.views.issues import issue_summary

    start = dates.parse_day(date_from) if date_from is not None else None
    end = dates.parse_day(date_to) if date_to is not None else None
    with db.session() as s:
        rows = summarize_issues(session=s, date_from=start, date_to=end)
    period = f"{start or 'first issue'} to {end or dates.today()}"
    writers.deliver(issue_summary(rows, SUMMARY_COLUMNS, period), fmt, out)


@issue_app.command("edit")
def edit(
    issue_id: IdArg,
    kind: Annotated[str | None, typer.Option("--kind", help=f"What broke down: {KINDS}.")] = None,
    severity: Annotated[
        str | None, typer.Option("--severity", help="1 (critical) … 4 (minor).", metavar="N")
    ] = None,
    description: Annotated[
        str | None,
        typer.Option("--description", help="What happened (replaced; empty clears it)."),
    ] = None,
    when: Annotated[
        str | None,
        typer.Option("--date", help=f"When it was opened: {WHEN_HELP}.", metavar="WHEN"),
    ] = None,
    again: Annotated[
        bool,
        typer.Option(
            "--again",
            help="Change it even though it then reads as another issue (same kind, opening "
            "time, description).",
        ),
    ] = False,
    fmt: FormatOption = "table",
) -> None:
    """Correct an issue's kind, severity, description or opening day (kept in history)."""
    fmt = output_format(fmt)
    from srmcli import dates, db
    from srmcli.services.issues import edit_issue
    from srmcli.services.records import ISSUE_COLUMNS

    opened_at = dates.parse_when(when, lean="past") if when is not None else None
    with db.session(write=True) as s:
        record = edit_issue(
            session=s, issue_id=issue_id, kind=kind, severity=severity,
            description=description, opened_at=opened_at, again=again,
        )  # fmt: skip
    wrote(
        record,
        fmt,
        f"Updated issue #{record['id']} ({record['supplier']}, {record['kind']}, severity "
        f"{record['severity']}).",
        columns=ISSUE_COLUMNS,
    )


@issue_app.command("reopen")
def reopen(issue_id: IdArg, fmt: FormatOption = "table") -> None:
    """Open a resolved issue again (its resolution is kept in the history)."""
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.issues import reopen_issue
    from srmcli.services.records import ISSUE_COLUMNS

    with db.session(write=True) as s:
        record = reopen_issue(session=s, issue_id=issue_id)
    wrote(
        record,
        fmt,
        f"Reopened issue #{record['id']} ({record['supplier']}, {record['kind']}): "
        f"{record['status']} again.",
        columns=ISSUE_COLUMNS,
    )


@issue_app.command("rm")
def rm(issue_id: IdArg, fmt: FormatOption = "table") -> None:
    """Remove an issue recorded by mistake (kept in the history; `srm undo` brings it back)."""
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.issues import remove_issue
    from srmcli.services.records import ISSUE_COLUMNS

    with db.session(write=True) as s:
        record = remove_issue(session=s, issue_id=issue_id)
    wrote(
        record,
        fmt,
        f"Removed issue #{record['id']} ({record['supplier']}, {record['kind']}); "
        "`srm history -n 1` shows the change to undo.",
        columns=ISSUE_COLUMNS,
    )


def register(app: typer.Typer) -> None:
    """Add `srm issue …` to the root app."""
    app.add_typer(
        issue_app,
        name="issue",
        help="Service issues: open, escalate, resolve, show, edit, reopen, rm, list, summary.",
    )
