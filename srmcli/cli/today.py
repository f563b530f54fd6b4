"""`srm today`: the day's agenda (argument handling only)."""

from __future__ import annotations

from typing import Annotated

import typer

from srmcli.cli.common import output_format

TODAY_FORMATS = ("table", "json", "ics")


def today(
    out: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to FILE (mode 0600); FILE.ics is a calendar of to-dos.",
            metavar="FILE",
        ),
    ] = None,  # fmt: skip
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="Output format: table, json or ics (iCalendar to-dos).",
            metavar="FORMAT",
        ),
    ] = "table",  # fmt: skip
) -> None:
    """What to do today: our to-dos and their promises due or overdue, suppliers due for
    contact, escalated issues quiet for a week, sourcing projects due within 14 days."""
    fmt = output_format(fmt, TODAY_FORMATS)
    from srmcli import dates, db, writers
    from srmcli.services.agenda import today as agenda_of
    from srmcli.views.agenda import agenda_todos, today_view

    written = writers.file_format(out, fmt) if out is not None else fmt
    if written not in TODAY_FORMATS:
        from srmcli.errors import InvalidValueError

        raise InvalidValueError(
            f"srm today saves table, json or ics; -o {out} would be {written}: name a .ics "
            "file, or give -f json"
        )
    with db.session() as s:
        agenda = agenda_of(session=s, as_of=dates.today())
        todos = None
        if written == "ics":
            from srmcli.services.identity import journal_uid

            todos = agenda_todos(agenda, journal_uid(s))
    writers.deliver(today_view(agenda, todos), fmt, out)


def register(app: typer.Typer) -> None:
    """Add `srm today` to the root app."""
    app.command("today")(today)
