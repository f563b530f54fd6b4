"""The `srm` command line: one Typer app per command group, joined here.

This module is imported for `--help`, `--version` and completion, so it imports nothing
heavy: command bodies import the services (and with them SQLAlchemy) when they run.
`main` builds an app holding only the command group asked for (see `COMMANDS`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated, Any

import typer

from srmcli import __version__
from srmcli.cli.typer_seam import (
    LeanGroup,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
    is_extra_argument,
)
from srmcli.errors import SrmError


class SrmGroup(LeanGroup):
    """The one exit point: handled errors become `Error: …` on stderr and exit 1."""

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        from srmcli.cli.common import command_line_text

        try:
            args = command_line_text(args)
        except SrmError as exc:
            _fail(str(exc), 1)
        # a mistake in srm's own options (`srm --bogus`) reads like one in a command's
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except NoArgsIsHelpError:
            raise
        except UsageError as exc:
            _fail(exc.format_message() + _help_hint(exc), 2)

    def parse_args(self, ctx: Any, args: list[str]) -> Any:
        # the command line as typed, for the usage hints (Click drops `--` as it parses);
        # `meta` is shared with the sub-command's context
        ctx.meta[_TYPED] = list(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except SrmError as exc:
            _fail(str(exc), 1)
        except MissingParameter as exc:  # a usage error: exit 2
            _fail(exc.format_message() + _help_hint(exc), 2)
        except typer.BadParameter as exc:
            _fail(exc.format_message(), 1)
        except NoArgsIsHelpError:
            raise
        except UsageError as exc:
            _fail(exc.format_message() + _help_hint(exc), 2)
        except BrokenPipeError:
            # the reader (`head`, `grep -m1`) has had enough: end quietly, like a filter
            from srmcli.render import stop_writing_quietly

            stop_writing_quietly()
        except Exception as exc:
            from srmcli.db import explain

            message = explain(exc)
            if message is None:
                raise
            _fail(message, 1)


_TYPED = "srm.typed"
# srm's own options: given after a sub-command, Click knows them not
_GLOBAL_OPTIONS = {"--db": "srm --db PATH {command} …", "--version": "srm --version"}


def _help_hint(exc: Exception) -> str:
    ctx = getattr(exc, "ctx", None)
    hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
    name = str(getattr(exc, "option_name", "") or "")
    if isinstance(exc, NoSuchOption):
        if name in _GLOBAL_OPTIONS and ctx is not None and ctx.parent is not None:
            # `srm log NW x --db j.db`
            command = ctx.command_path.split(" ", 1)[-1]
            example = _GLOBAL_OPTIONS[name].format(command=command)
            hint += (
                f"; {name} is an option of srm itself and goes before the sub-command ({example})"
            )
        elif not name.startswith("--"):
            # `srm log NW "-5% offered"`: a note or name was taken for an option
            hint += "; text that starts with '-' goes after `--` (srm log NW -- \"-5% …\")"
    elif is_extra_argument(exc):
        typed = ctx.meta.get(_TYPED, ()) if ctx is not None else ()
        if "--" in typed:
            # `srm log NW -- "-3% offered" --initiator them`
            hint += (
                "; options go before `--`: everything after it is taken as text "
                '(srm log NW --initiator them -- "-3% offered")'
            )
        elif ctx is not None and ctx.info_name == "log":
            hint += '; put the note in quotes (srm log NW "Chased PO 4411")'
        else:
            hint += '; put a name or text of several words in quotes ("Northwind Metals")'
    return hint


def _fail(message: str, code: int) -> None:
    import sys

    from srmcli.db import mask
    from srmcli.wording import visible

    # one line, and a name or note echoed in it is shown, never obeyed by the terminal;
    # a database password never, whichever message carries it
    text = " ".join(visible(mask(str(message))).split())
    print(f"Error: {text}", file=sys.stderr)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        print(f"srm {__version__}")
        raise typer.Exit()


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


# The module that adds each top-level command, in the order `srm --help` lists them.
# Typer turns every command it holds into a Click command on each run (about 25 ms for
# all of srm), so `main` builds an app holding only the group asked for; help, completion
# and anything unknown get the whole app. A test keeps this table equal to the whole app.
COMMANDS: dict[str, str] = {
    "supplier": "supplier",
    "contact": "contact",
    "log": "log",
    "timeline": "log",
    "search": "log",
    "issue": "issue",
    "followup": "followup",
    "interaction": "interaction",
    "history": "history",
    "undo": "history",
    "report": "report",
    "due": "report",
    "config": "report",
    "scorecard": "scorecard",
    "today": "today",
    "export": "interchange",
    "import": "interchange",
    "sourcing": "sourcing",
    "status": "status",
    "demo": "demo",
    "db": "db",
}


def build(modules: Iterable[str] | None = None) -> typer.Typer:
    """The root app with the commands of `modules` (all of them when None)."""
    import importlib

    wanted = dict.fromkeys(COMMANDS.values()) if modules is None else dict.fromkeys(modules)
    built = typer.Typer(
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
    built.callback()(root)
    for name in wanted:
        module = importlib.import_module(f"srmcli.cli.{name}")
        if name == "supplier":
            built.add_typer(
                module.app, name="supplier", help="Suppliers: add, list, show, edit, archive, rm."
            )
        elif name == "contact":
            built.add_typer(module.app, name="contact", help="The people at a supplier.")
        elif name == "log":
            built.command("log")(module.log)
            built.command("timeline")(module.timeline)
            built.command("search")(module.search)
        elif name == "db":
            built.add_typer(
                module.app,
                name="db",
                help="The journal itself: path, check, backup, upgrade, copy.",
            )
        else:
            module.register(built)
    return built


def invoked(args: Sequence[str]) -> str | None:
    """The top-level command `args` run, when it is a known one and help is not asked for
    at the top level; None otherwise."""
    rest = list(args)
    while rest:
        head = rest.pop(0)
        if head == "--db":
            if not rest:
                return None
            rest.pop(0)
        elif head.startswith("--db="):
            continue
        else:
            return head if head in COMMANDS else None
    return None


def __getattr__(name: str) -> Any:
    """`app`, the whole command line, built on first use (tests, help, completion)."""
    if name == "app":
        whole = build()
        globals()["app"] = whole
        return whole
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    import os
    import sys

    command = invoked(sys.argv[1:])
    if command is None or "_SRM_COMPLETE" in os.environ:
        __getattr__("app")()
    else:
        build([COMMANDS[command]])()
