"""Pieces every command module shares: the --format option and how a write reports back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import typer

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
