"""Pieces every command module shares: its group, the --format option and how a write
reports back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup


class _Plain:
    """Coercion of text, flag and repeated-text options, exactly as Typer's
    pydantic adapter does it (a test compares the two on every such option of srm):
    nothing given is None (or an empty tuple when repeatable), text and flags stay as
    they are, repeated text becomes a list. Any other value goes to Typer's own."""

    def __init__(self, kind: type) -> None:
        self.kind = kind  # str, bool, or list for repeated text

    def coerce(self, value: Any, *, param: Any, ctx: Any) -> Any:
        repeatable = param.multiple or param.nargs == -1
        if value is None:
            return () if repeatable else None
        if self.kind is list:
            if repeatable and type(value) in (tuple, list) and all(type(v) is str for v in value):
                return list(value)
        elif not repeatable and type(value) is self.kind:
            return value
        from typer._coercion import build_runtime_param

        return build_runtime_param(param.type_descriptor).coerce(value, param=param, ctx=ctx)


_KINDS: dict[Any, type] = {
    str: str,
    str | None: str,
    bool: bool,
    bool | None: bool,
    list[str]: list,
    list[str] | None: list,
}


def lean_coercion(param: Any) -> _Plain | None:
    """Our own coercion for `param` when it is text, a flag or repeated text (None when
    it is anything else, or already has its coercion)."""
    # Typer's own attributes, read defensively: with a Typer that has none of them
    # (Click-based releases), every option keeps Typer's handling
    descriptor = getattr(param, "type_descriptor", None)
    if getattr(param, "_runtime_param", False) is not None or descriptor is None:
        return None
    if getattr(descriptor, "file_annotation", True) is not None:
        return None
    if getattr(descriptor, "choices", True) is not None:
        return None
    try:
        kind = _KINDS.get(getattr(descriptor, "annotation", None))
    except TypeError:  # an unhashable annotation is none of ours
        return None
    return _Plain(kind) if kind is not None else None


class LeanGroup(TyperGroup):
    """A command group whose own options and its commands' text, flag and repeated-text
    options skip Typer's pydantic adapters (importing pydantic costs ~45 ms): `--help`,
    completion and `srm log` import no pydantic."""

    def get_params(self, ctx: Any) -> Any:
        # here rather than in __init__: Typer adds the completion options afterwards
        return _leaned(super().get_params(ctx))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None and not isinstance(command, TyperGroup):
            _leaned(command.get_params(ctx))
        return command


def _leaned(params: list[Any]) -> list[Any]:
    for param in params:
        if (lean := lean_coercion(param)) is not None:
            param._runtime_param = lean
            if param.metavar is None and lean.kind is not bool:
                # help reads `--tag TEXT` and `add NAME`, not `--tag <list[str]>`, `{name}`
                is_argument = getattr(param, "param_type_name", "") == "argument"
                param.metavar = str(param.name).upper() if is_argument else "TEXT"
    return params


def command_group() -> typer.Typer:
    """The Typer app of one command group (`srm supplier …`, `srm db …`)."""
    return typer.Typer(no_args_is_help=True, cls=LeanGroup)


def command_line_text(args: Sequence[str]) -> list[str]:
    """srm's command line, checked to be UTF-8 text: Python hands undecodable bytes over
    as lone surrogates, which no journal may store. A refused argument is named by its
    position, never echoed (it may be a note). Text is kept as typed; names and searches
    compare in Unicode normal form C (`naming.key`)."""
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
        out.append(arg)
    return out


def utf8_text(data: bytes, what: str) -> str:
    """Bytes read from stdin or an editor's file, as text (UTF-8, a byte-order mark
    dropped)."""
    from srmcli.errors import InvalidValueError

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidValueError(
            f"{what} is not UTF-8 text; save or convert it as UTF-8; nothing was written"
        ) from None
    return text


def read_stdin(what: str) -> str:
    """All of standard input, as `utf8_text`."""
    import sys

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream with no bytes beneath (tests may give one)
        return utf8_text(sys.stdin.read().encode("utf-8", "surrogateescape"), what)
    return utf8_text(stream.read(), what)


def count(value: str | None, what: str) -> int | None:
    """`-n N`: a whole number of entries or results, 1 or more (None when not given)."""
    from srmcli.errors import InvalidValueError

    if value is None:
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise InvalidValueError(f"-n {value!r} is not accepted; give a number of {what}, 1 or more")
    return int(text)


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


def written(
    record: Mapping[str, Any], fmt: str, message: str, *, columns: Sequence[str], title: str
) -> None:
    """Report a write through the views: a one-line message for people (stderr), the
    record written for scripts (json, csv)."""
    if fmt == "table":
        from srmcli import render

        render.say(message)
        return
    from srmcli import writers
    from srmcli.views.history import record_view

    writers.deliver(record_view(record, columns, title=title), fmt)
