"""Writers: one per output format, in one registry keyed by format name.

Modelled on jrnl's exporter registry: each writer class declares the format `names` it
answers to and the file `extensions` it is chosen for, and `write(view, out)` turns any
`View` into its format. Writers are imported only when asked for, so `srm --help` and
`srm log` pay for none of them. Adding a format is one module here and one line in
`_WRITERS`.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any, Protocol

from srmcli.errors import InvalidValueError

if TYPE_CHECKING:
    from srmcli.views import View


class Writer(Protocol):
    names: tuple[str, ...]
    extensions: tuple[str, ...]
    binary: bool

    def write(self, view: View, out: IO[Any], *, to_file: bool = False) -> None: ...


# format name -> "module:class"; a module is imported on first use
_WRITERS: dict[str, str] = {
    "table": "srmcli.writers.table:TableWriter",
    "json": "srmcli.writers.data:JsonWriter",
    "jsonl": "srmcli.writers.data:JsonLinesWriter",
    "csv": "srmcli.writers.data:CsvWriter",
    "markdown": "srmcli.writers.markdown:MarkdownWriter",
    "html": "srmcli.writers.html:HtmlWriter",
    "svg": "srmcli.writers.svg:SvgWriter",
    "ics": "srmcli.writers.ics:IcsWriter",
    "xlsx": "srmcli.writers.xlsx:XlsxWriter",
}

# a file's extension -> the format that extension always means (a `.html` file is HTML
# whatever -f says); other extensions take the -f format
_BY_EXTENSION: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".svg": "svg",
    ".md": "markdown",
    ".markdown": "markdown",
    ".xlsx": "xlsx",
    ".ics": "ics",
}


def formats() -> tuple[str, ...]:
    return tuple(_WRITERS)


def get_writer(fmt: str) -> Writer:
    """The writer of format `fmt` (`table`, `json`, …)."""
    target = _WRITERS.get(fmt)
    if target is None:
        raise InvalidValueError(f"unknown format {fmt!r}; accepted: {', '.join(_WRITERS)}")
    module, _, name = target.partition(":")
    writer: Writer = getattr(importlib.import_module(module), name)()
    return writer


def check_format(fmt: str, allowed: Sequence[str]) -> str:
    """`fmt` as given to -f, checked against what the command offers."""
    value = (fmt or "").strip().lower()
    if value not in allowed:
        raise InvalidValueError(f"unknown format {fmt!r}; accepted: {', '.join(allowed)}")
    return value


def file_format(path: str, fmt: str, *, default: str = "table") -> str:
    """The format a file `path` is written in: its extension's when the extension names
    one (`.html`, `.svg`, `.xlsx`), else `fmt`. An explicit -f that disagrees with the extension is
    refused rather than silently ignored."""
    kind = os.path.splitext(path)[1].lower()
    by_extension = _BY_EXTENSION.get(kind)
    if by_extension is None:
        return fmt
    if fmt not in (default, by_extension):
        raise InvalidValueError(
            f"-o {path} saves the {default} as {kind[1:].upper()}; leave out -f {fmt}, "
            f"or write {fmt} to a file with another extension"
        )
    return by_extension


def deliver(view: View, fmt: str, out: str | None = None) -> None:
    """Write `view` in `fmt` to stdout, or to the file `out` (through `files.writing`:
    complete or not at all, mode 0600), then say where it went."""
    if out is None:
        writer = get_writer(fmt)
        if writer.binary:
            raise InvalidValueError(f"-f {fmt} writes a file; add -o FILE")
        writer.write(view, sys.stdout)
        return
    from srmcli import files, render

    fmt = file_format(out, fmt)
    writer = get_writer(fmt)
    options: dict[str, Any] = {"binary": True} if writer.binary else {}
    with files.writing(out, **options) as fh:
        writer.write(view, fh, to_file=True)
    render.say(f"Wrote {out}.")
