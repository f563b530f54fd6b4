"""The `srm` command line: one Typer app per command group, joined here.

This module is imported for `--help`, `--version` and completion, so it imports nothing
heavy: command bodies import the services (and with them SQLAlchemy) when they run.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from srmcli import __version__
from srmcli.errors import SrmError

_USAGE_ERROR: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError"
)


class SrmGroup(TyperGroup):
    """The one exit point: handled errors become `Error: …` on stderr and exit 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except SrmError as exc:
            _fail(str(exc), 1)
        except typer.BadParameter as exc:
            if type(exc).__name__ == "MissingParameter":  # a usage error: exit 2
                _fail(exc.format_message() + _help_hint(exc), 2)
            _fail(exc.format_message(), 1)
        except _USAGE_ERROR as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":
                raise
            _fail(exc.format_message() + _help_hint(exc), 2)  # type: ignore[attr-defined]
        except Exception as exc:
            from srmcli.db import explain

            message = explain(exc)
            if message is None:
                raise
            _fail(message, 1)


def _help_hint(exc: Exception) -> str:
    ctx = getattr(exc, "ctx", None)
    return f" (see `{ctx.command_path} --help`)" if ctx is not None else ""


def _fail(message: str, code: int) -> None:
    import sys

    text = " ".join(str(message).split())
    print(f"Error: {text}", file=sys.stderr)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        print(f"srm {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=SrmGroup,
    name="srm",
    help="srm: a supplier-relationship journal for procurement buyers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # plain help: Rich's help formatter costs more than the rest of `srm --help`
    rich_markup_mode=None,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Journal file (or database URL) to use.", metavar="PATH"),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """srm: a supplier-relationship journal for procurement buyers."""
    from srmcli import db as database

    database.select(db)


def _register() -> None:
    from srmcli.cli import (
        contact,
        demo,
        followup,
        interchange,
        issue,
        log,
        report,
        sourcing,
        status,
        supplier,
    )
    from srmcli.cli import db as db_cli

    app.add_typer(
        supplier.app, name="supplier", help="Suppliers: add, list, show, edit, archive, rm."
    )
    app.add_typer(contact.app, name="contact", help="The people at a supplier.")
    app.command("log")(log.log)
    app.command("timeline")(log.timeline)
    app.command("search")(log.search)
    for module in (issue, followup, report, interchange, sourcing, status, demo):
        module.register(app)
    app.add_typer(
        db_cli.app, name="db", help="The journal itself: path, check, backup, upgrade, copy."
    )


_register()


def main() -> None:
    app()
