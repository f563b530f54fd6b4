"""`srm followup add|list|done|edit|undone|rm`: their promises and our to-dos."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from srmcli.cli.common import FormatOption, command_group, output_format, wrote

followup_app = command_group()

SIDES = {"them": "their promise", "us": "our to-do"}


@followup_app.command("add")
def add(
    supplier: Annotated[str, typer.Argument(help="Supplier name, alias or unique prefix.")],
    text: Annotated[str, typer.Argument(help="What is promised or to be done.")],
    due: Annotated[
        str,
        typer.Option(
            "--due",
            help="When it is due: friday, 'next monday', 'in 2 weeks', tomorrow, 2026-12-01.",
            metavar="WHEN",
        ),
    ],
    owner: Annotated[
        str | None,
        typer.Option("--owner", help="us (our to-do, the default) or them (their promise)."),
    ] = None,
    again: Annotated[
        bool,
        typer.Option(
            "--again", help="Add it even though the same follow-up (text, due day) is recorded."
        ),
    ] = False,
    fmt: FormatOption = "table",
) -> None:
    """Record a follow-up: their promise (--owner them) or our to-do."""
    fmt = output_format(fmt)
    from srmcli import dates, db
    from srmcli.services.followups import add_followup
    from srmcli.services.records import FOLLOWUP_COLUMNS

    due_day = dates.parse_day(due, lean="future")
    with db.session(write=True) as s:
        record = add_followup(
            session=s, supplier=supplier, text=text, due=due_day, owner=owner, again=again
        )
    wrote(
        record,
        fmt,
        f"Added {SIDES[record['owner']]} #{record['id']} for {record['supplier']}, "
        f"due {record['due']:%a %Y-%m-%d}.",
        columns=FOLLOWUP_COLUMNS,
    )


@followup_app.command("list")
def list_(
    supplier: Annotated[
        str | None, typer.Argument(help="Only this supplier (name, alias or unique prefix).")
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only those not done and due before today.")
    ] = False,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Only us (our to-dos) or them (their promises).")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include the ones already done.")] = False,
    ics: Annotated[
        bool, typer.Option("--ics", help="As iCalendar to-dos (the same as -f ics).")
    ] = False,
    out: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to FILE (mode 0600); FILE.ics is iCalendar to-dos.",
            metavar="FILE",
        ),
    ] = None,  # fmt: skip
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="Output format: table, json, csv or ics.", metavar="FORMAT"
        ),
    ] = "table",
) -> None:
    """List open follow-ups, soonest due first."""
    fmt = output_format(fmt, ("table", "json", "csv", "ics"))
    if ics:
        if fmt not in ("table", "ics"):
            from srmcli.errors import InvalidValueError

            raise InvalidValueError(f"--ics is the format ics; leave out -f {fmt}")
        fmt = "ics"
    from srmcli import db, writers
    from srmcli.cli.common import for_people
    from srmcli.services.followups import list_followups
    from srmcli.services.records import FOLLOWUP_COLUMNS
    from srmcli.views.records import followup_list

    written = writers.file_format(out, fmt) if out is not None else fmt
    with db.session() as s:
        rows = list_followups(
            session=s, supplier=supplier, overdue=overdue, owner=owner, include_done=all_,
            with_author=for_people(written),
        )  # fmt: skip
        view = followup_list(rows, FOLLOWUP_COLUMNS, overdue_only=overdue)
        if written == "ics":
            from srmcli.services.identity import journal_uid
            from srmcli.views.agenda import followup_todos

            view.extra["todos"] = followup_todos(rows, journal_uid(s))
    writers.deliver(view, fmt, out)


@followup_app.command("done")
def done(
    followup_id: Annotated[
        str, typer.Argument(help="Follow-up number (from `srm followup list`).", metavar="ID")
    ],
    when: Annotated[
        str | None,
        typer.Option(
            "--date", help="When it was done (default now): yesterday, 'last friday', 2026-11-20."
        ),
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Mark a follow-up done (a promise kept, or a to-do finished)."""
    fmt = output_format(fmt)
    from srmcli import dates, db, wording
    from srmcli.services.followups import complete_followup
    from srmcli.services.records import FOLLOWUP_COLUMNS

    done_at = dates.parse_when(when, lean="past") if when is not None else None
    with db.session(write=True) as s:
        record = complete_followup(session=s, followup_id=followup_id, done_at=done_at)
    late = dates.days_between(record["due"], record["done_at"])
    timing = f", {wording.days(late)} after it was due" if late > 0 else ""
    wrote(
        record,
        fmt,
        f"Done: {SIDES[record['owner']]} #{record['id']} for {record['supplier']}{timing}.",
        columns=FOLLOWUP_COLUMNS,
    )


IdArg = Annotated[
    str, typer.Argument(help="Follow-up number, 7 or #7 (from `srm followup list`).", metavar="ID")
]


def _written(record: dict[str, Any], fmt: str, message: str) -> None:
    from srmcli.services.records import FOLLOWUP_COLUMNS

    wrote(record, fmt, message, columns=FOLLOWUP_COLUMNS)


@followup_app.command("edit")
def edit(
    followup_id: IdArg,
    text: Annotated[
        str | None, typer.Option("--text", help="What is promised or to be done.")
    ] = None,
    due: Annotated[
        str | None,
        typer.Option(
            "--due", help="When it is due: friday, 'in 2 weeks', 2026-12-01.", metavar="WHEN"
        ),
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="us (our to-do) or them (their promise).")
    ] = None,
    again: Annotated[
        bool,
        typer.Option(
            "--again",
            help="Change it even though it then reads as another follow-up (same owner, "
            "text, due day).",
        ),
    ] = False,
    fmt: FormatOption = "table",
) -> None:
    """Correct a follow-up's text, due day or owner (kept in the history)."""
    fmt = output_format(fmt)
    from srmcli import dates, db
    from srmcli.services.followups import edit_followup

    due_day = dates.parse_day(due, lean="future") if due is not None else None
    with db.session(write=True) as s:
        record = edit_followup(
            session=s, followup_id=followup_id, text=text, due=due_day, owner=owner, again=again
        )
    _written(
        record,
        fmt,
        f"Updated {SIDES[record['owner']]} #{record['id']} for {record['supplier']}, "
        f"due {record['due']:%a %Y-%m-%d}.",
    )


@followup_app.command("undone")
def undone(followup_id: IdArg, fmt: FormatOption = "table") -> None:
    """Open again a follow-up marked done by mistake."""
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.followups import reopen_followup

    with db.session(write=True) as s:
        record = reopen_followup(session=s, followup_id=followup_id)
    _written(
        record,
        fmt,
        f"Open again: {SIDES[record['owner']]} #{record['id']} for {record['supplier']}, "
        f"due {record['due']:%a %Y-%m-%d}.",
    )


@followup_app.command("rm")
def rm(followup_id: IdArg, fmt: FormatOption = "table") -> None:
    """Remove a follow-up entered by mistake (kept in the history; `srm undo` brings it back)."""
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.followups import remove_followup

    with db.session(write=True) as s:
        record = remove_followup(session=s, followup_id=followup_id)
    _written(
        record,
        fmt,
        f"Removed {SIDES[record['owner']]} #{record['id']} for {record['supplier']}; "
        "`srm history -n 1` shows the change to undo.",
    )


def register(app: typer.Typer) -> None:
    """Add `srm followup …` to the root app."""
    app.add_typer(followup_app, name="followup", help="Follow-ups: their promises and our to-dos.")
