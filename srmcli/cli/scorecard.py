"""`srm scorecard SUPPLIER`: the scorecard to share with the supplier (argument handling)."""

from __future__ import annotations

from typing import Annotated

import typer

from srmcli.cli.common import output_format

SCORECARD_FORMATS = ("table", "json", "markdown", "xlsx")
WHEN_HELP = "2026-07-01, 'last friday', '30 days ago'"


def scorecard(
    supplier: Annotated[str, typer.Argument(help="Supplier name, alias or unique prefix.")],
    start: Annotated[
        str | None,
        typer.Option(
            "--from",
            help=f"First day covered (default: 12 months back): {WHEN_HELP}.",
            metavar="WHEN",
        ),
    ] = None,  # fmt: skip
    end: Annotated[
        str | None,
        typer.Option("--to", help="Last day covered (default today).", metavar="WHEN"),
    ] = None,
    quarter: Annotated[
        str | None,
        typer.Option(
            "--quarter",
            help="A calendar quarter instead of --from/--to: 2026Q3.",
            metavar="YYYYQN",
        ),
    ] = None,  # fmt: skip
    out: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to FILE (mode 0600): FILE.html a web page, FILE.md Markdown, "
            "FILE.xlsx a workbook.",
            metavar="FILE",
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="Output format: table, json, markdown or xlsx.",
            metavar="FORMAT",
        ),
    ] = "table",  # fmt: skip
) -> None:
    """The scorecard to share with a supplier: on-time delivery and service by month,
    issues by kind, promise reliability, and what we ask of them. Nothing confidential
    (notes, tactics, depth, access, spend, our to-dos, authors) is in it."""
    fmt = output_format(fmt, SCORECARD_FORMATS)
    from srmcli import dates, db, writers
    from srmcli.services.scorecard import period
    from srmcli.services.scorecard import scorecard as build
    from srmcli.views.scorecard import scorecard_view

    if out is not None:
        writers.file_format(out, fmt)  # `-o card.html -f json` is refused before any work
    first = dates.parse_day(start, lean="past") if start is not None else None
    last = dates.parse_day(end, lean="past") if end is not None else None
    first, last = period(start=first, end=last, quarter=quarter, today=dates.today())
    with db.session() as s:
        card = build(session=s, supplier=supplier, first=first, last=last)
    writers.deliver(scorecard_view(card), fmt, out)


def register(app: typer.Typer) -> None:
    """Add `srm scorecard` to the root app."""
    app.command("scorecard")(scorecard)
