"""`srm demo`: the buyer's story as a sample journal, with its portfolio and one brief."""

from __future__ import annotations

from typing import Annotated

import typer


def demo(
    path: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Write the sample journal here (a new or empty file); default: a temporary file.",
            metavar="PATH",
        ),
    ] = None,
) -> None:
    """Build a sample journal and print its portfolio and one negotiation brief.

    Your journal is never touched: without --db the sample goes to a new temporary file.
    """
    import shlex
    import tempfile
    from pathlib import Path

    from srmcli import config, dates, db, render, writers
    from srmcli.services import briefing, measures, portfolio
    from srmcli.services.demo import build_demo

    target = path or str(Path(tempfile.mkdtemp(prefix="srm-demo-")) / "demo.db")
    db.select(target)
    with db.session(write=True) as s:
        shown = build_demo(session=s)
    today = dates.today()
    window = dates.parse_window(None)
    with db.session() as s:
        rows = portfolio.portfolio(session=s, as_of=today, window_days=window)
        months = measures.monthly_contact(session=s, as_of=today)
        brief = briefing.brief(session=s, supplier=shown, as_of=today, window_days=window)
    from srmcli.views.brief import brief_view
    from srmcli.views.portfolio import portfolio_view

    shown_portfolio = portfolio_view(
        rows,
        months,
        as_of=today,
        window=window,
        key_roles=len(config.load()["depth"]["key_roles"]),
        data_columns=portfolio.PORTFOLIO_COLUMNS,
    )
    writers.deliver(shown_portfolio, "table")
    render.console().print()
    writers.deliver(brief_view(brief), "table")
    where = shlex.quote(db.describe())
    render.say(f"Demo journal: {db.describe()}")
    render.say(f"Explore it: srm --db {where} report {shlex.quote(shown)}")


def register(app: typer.Typer) -> None:
    """Add `srm demo` to the root app."""
    app.command("demo")(demo)
