"""Pieces every command module shares: its group, the --format option and how a write
reports back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup


class _AsGiven:
    """Coercion of a group's own options (`--db`, `--version`, help and completion flags):
    the value as given, which is already text or a flag. Typer would otherwise build a
    pydantic adapter for each (importing pydantic, ~60 ms), completion included."""

    def coerce(self, value: Any, *, param: Any, ctx: Any) -> Any:
        return value


class LeanGroup(TyperGroup):
    """A command group whose own options skip Typer's pydantic conversion, so that
    `--help` of any command and shell completion import no pydantic."""

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)
        for param in params:  # Typer adds the completion options after __init__
            if getattr(param, "_runtime_param", False) is None:
                param._runtime_param = _AsGiven()  # type: ignore[attr-defined]
        return params


def command_group() -> typer.Typer:
    """The Typer app of one command group (`srm supplier …`, `srm db …`)."""
    return typer.Typer(no_args_is_help=True, cls=LeanGroup)


FORMAT_HELP = "Output format: table, json or csv."

FormatOption = Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP, metavar="FORMAT")]


def output_format(value: str, allowed: Sequence[str] = ("table", "json", "csv")) -> str:
    from srmcli.render import check_format

    return check_format(value, allowed)


def wrote(
    record: Mapping[str, Any], fmt: str, message: str, *, columns: Sequence[str] | None = None
) -> None:
    """Report a write: the record on stdout for json/csv, a one-line message otherwise."""
    from srmcli import render

    if fmt == "table":
        render.say(message)
    else:
        render.emit(record, fmt, columns=columns)
