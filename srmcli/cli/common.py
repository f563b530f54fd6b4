"""Pieces every command module shares: its group, the --format option and how a write
reports back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, Annotated, Any

import typer

from srmcli.cli.typer_seam import LeanGroup


def command_group() -> typer.Typer:
    """The Typer app of one command group (`srm supplier …`, `srm db …`)."""
    return typer.Typer(no_args_is_help=True, cls=LeanGroup)


def command_line_text(args: Sequence[str]) -> list[str]:
    """srm's command line, checked to be UTF-8 text: Python hands undecodable bytes over
    as lone surrogates, which no journal may store. A refused argument is named by its
    position, never echoed (it may be a note). Text is kept as typed; names and searches
    compare in Unicode normal form C (`naming.key`)."""
    from srmcli import limits
    from srmcli.errors import InvalidValueError

    out = []
    for position, arg in enumerate(args, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidValueError(
                f"argument {position} of the command line is not UTF-8 text; srm reads its "
                "arguments as UTF-8 (set a UTF-8 locale, e.g. LANG=C.UTF-8, or convert the "
                "text); nothing was written"
            ) from None
        limits.checked(arg, f"argument {position} of the command line")
        out.append(arg)
    return out


def utf8_text(data: bytes, what: str) -> str:
    """Bytes read from stdin or an editor's file, as text (UTF-8, a byte-order mark
    dropped), refused when a journal could not hold it (`srmcli.limits`; the blank lines
    around a note, which it loses, do not count towards its size)."""
    from srmcli import limits
    from srmcli.errors import InvalidValueError

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidValueError(
            f"{what} is not UTF-8 text; save or convert it as UTF-8; nothing was written"
        ) from None
    found = limits.problem(text.strip("\r\n"))
    if found is not None:
        raise InvalidValueError(f"{what}: {found}; nothing was written")
    return text


# what a stream may hold around a note of the largest size: its blank lines
_STDIN_SLACK = 4096


def read_stdin(what: str) -> str:
    """Standard input, as `text_from`."""
    import io
    import sys

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream with no bytes beneath (tests may give one)
        stream = io.BytesIO(sys.stdin.read().encode("utf-8", "surrogateescape"))
    return text_from(stream, what)


def text_from(stream: IO[bytes], what: str) -> str:
    """A note read from a stream (stdin, the editor's file), as `utf8_text`; past the
    largest note it is refused without being read to its end (a 100 MB pipe costs
    1 MiB of memory, not 100)."""
    from srmcli import limits
    from srmcli.errors import InvalidValueError

    data = stream.read(limits.MOST_TEXT_BYTES + _STDIN_SLACK + 1)
    if len(data) > limits.MOST_TEXT_BYTES + _STDIN_SLACK:
        raise InvalidValueError(f"{what}: {limits.too_long()}; nothing was written")
    return utf8_text(data, what)


def count(value: str | None, what: str) -> int | None:
    """`-n N`: a whole number of entries or results, 1 or more (None when not given)."""
    from srmcli import values

    return None if value is None else values.count(value, "-n", of=what)


FORMAT_HELP = "Output format: table, json or csv."

FormatOption = Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP, metavar="FORMAT")]
OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to FILE (mode 0600) instead of stdout; FILE.xlsx is a workbook, "
        "FILE.html a web page.",
        metavar="FILE",
    ),
]


def output_format(value: str, allowed: Sequence[str] = ("table", "json", "csv")) -> str:
    from srmcli.writers import check_format

    return check_format(value, allowed)


def for_people(fmt: str) -> bool:
    """Whether `fmt` is read by people (a table) rather than by scripts: tables also show
    who recorded each row, which the SPEC §7 records leave out."""
    return fmt not in ("json", "jsonl", "csv")


def wrote(
    record: Mapping[str, Any], fmt: str, message: str, *, columns: Sequence[str] | None = None
) -> None:
    """Report a write: the record on stdout for json/csv, a one-line message otherwise."""
    if fmt == "table":
        from srmcli import render

        render.say(message)
        return
    from srmcli import writers
    from srmcli.views.records import record_view

    writers.deliver(record_view(record, columns), fmt)
