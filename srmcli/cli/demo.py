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

    from srmcli import dates, db, render
    from srmcli.cli.report import brief_renderables, portfolio_renderables
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
    for item in portfolio_renderables(rows, months, today, window):
        render.show(item)
    render.show("")
    for item in brief_renderables(brief):
        render.show(item)
    where = shlex.quote(db.describe())
    render.say(f"Demo journal: {db.describe()}")
    render.say(f"Explore it: srm --db {where} report {shlex.quote(shown)}")


def register(app: typer.Typer) -> None:
    """Add `srm demo` to the root app."""
    app.command("demo")(demo)
