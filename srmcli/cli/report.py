"""`srm report [SUPPLIER]`, `srm due` and `srm config show`: argument handling only.

The services hand back plain rows (SPEC §7 shapes), a view (`srmcli.views`) words them
once, and a writer (`srmcli.writers`) lays them out in the format asked for, to stdout or
to `-o FILE` (`.html` and `.svg` choose their writer by the extension).
"""

from __future__ import annotations

from typing import Annotated

import typer

from srmcli.cli.common import FormatOption, OutputOption, command_group, output_format

REPORT_FORMATS = ("table", "json", "csv", "markdown")
HUMAN_FORMATS = ("table", "markdown", "html", "svg")
WHEN_HELP = "today, yesterday, '30 days ago', 'last friday', 2026-06-30"

ReportFormat = Annotated[
    str,
    typer.Option(
        "--format", "-f", help="Output format: table, json, csv or markdown.", metavar="FORMAT"
    ),
]


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
    months: Annotated[
        str | None,
        typer.Option(
            "--months",
            help="With a supplier: depth, service and on-time delivery as of each of the "
            "last N month ends (1 to 120; 12 is a year).",
            metavar="N",
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to FILE (mode 0600); FILE.html is a web page, FILE.svg a picture, "
            "FILE.xlsx a workbook.",
            metavar="FILE",
        ),
    ] = None,
    fmt: ReportFormat = "table",
) -> None:
    """The portfolio (every supplier not archived), or one supplier's negotiation brief."""
    fmt = output_format(fmt, REPORT_FORMATS)
    from srmcli import config, dates, db, writers
    from srmcli.services import briefing, measures, portfolio

    # the format the output is written in (`-o brief.html` is HTML), checked before any
    # work: `-o x.html -f json` is refused here, with nothing written
    written = writers.file_format(out, fmt) if out is not None else fmt
    day = dates.parse_day(as_of, lean="past") if as_of is not None else dates.today()
    days = dates.parse_window(window)
    history = None
    if months is not None:
        from srmcli import values
        from srmcli.errors import InvalidValueError

        if supplier is None:
            raise InvalidValueError(
                "--months goes with a supplier's brief: srm report SUPPLIER --months N"
            )
        history = values.whole_number(months, "--months", 1, briefing.MOST_MONTHS)

    if supplier is not None:
        from srmcli.views.brief import brief_view

        with db.session() as s:
            b = briefing.brief(
                session=s, supplier=supplier, as_of=day, window_days=days, author=author,
                months=history,
            )  # fmt: skip
        _say_author(author, written)
        writers.deliver(brief_view(b), fmt, out)
        return

    from srmcli.views.portfolio import portfolio_view

    with db.session() as s:
        rows = portfolio.portfolio(session=s, as_of=day, window_days=days, author=author)
        contact = (
            measures.monthly_contact(session=s, as_of=day, author=author)
            if written in HUMAN_FORMATS
            else {}
        )
    view = portfolio_view(
        rows,
        contact,
        as_of=day,
        window=days,
        key_roles=len(config.load()["depth"]["key_roles"]),
        data_columns=portfolio.PORTFOLIO_COLUMNS,
    )
    _say_author(author, written)
    writers.deliver(view, fmt, out)


def _say_author(author: str | None, fmt: str) -> None:
    """A reader of the table must know the scores are one buyer's view, not the team's."""
    if author is not None and fmt in HUMAN_FORMATS:
        from srmcli import render

        render.say(f"Depth and last contact count only interactions logged by {author.strip()}.")


def due(fmt: FormatOption = "table", out: OutputOption = None) -> None:
    """Suppliers past their keep-in-touch cadence, most overdue first."""
    fmt = output_format(fmt)
    from srmcli import dates, db, writers
    from srmcli.services import cadence
    from srmcli.views.due import due_view

    with db.session() as s:
        rows = cadence.due(session=s, as_of=dates.today())
    writers.deliver(due_view(rows), fmt, out)


def config_show(
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="Output format: table or json.", metavar="FORMAT"),
    ] = "table",
) -> None:
    """The settings in force (defaults overlaid with the config file)."""
    fmt = output_format(fmt, ("table", "json"))
    from srmcli import config, render, writers
    from srmcli.views.config import config_view

    path = config.config_path()
    # `author` as in force: the configured name, else the login name records get
    settings = {**config.load(), "author": config.author()}
    state = "in use" if path.is_file() else "not found, defaults in force"
    render.say(f"Config file: {path} ({state})")
    writers.deliver(config_view(settings), fmt)


def register(app: typer.Typer) -> None:
    """Add `report`, `due` and the `config` group to the root app."""
    app.command("report")(report)
    app.command("due")(due)
    config_app = command_group()
    config_app.command("show")(config_show)
    app.add_typer(config_app, name="config", help="Settings: weights and thresholds of the scores.")
