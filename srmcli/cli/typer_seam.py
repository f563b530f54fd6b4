"""Everything srm takes from Typer's private internals, in one place.

Typer turns every option's value into its Python type through pydantic; importing
pydantic costs about 45 ms, more than the rest of `srm --help` or `srm log`. srm coerces
text, flag and repeated-text options itself and leaves every other option to Typer. For
that, and to tell Click's usage errors apart, it relies on these parts of Typer 0.29
(pinned in pyproject.toml to the tested minor release; tests/test_typer_seam.py checks
each one and names what changed after an upgrade):

- `typer._click.exceptions`: the Click exceptions Typer vendors. `UsageError` is a
  mistake on the command line (`format_message()`, `ctx`); `NoArgsIsHelpError` is a
  group run without arguments (Typer then prints help); `MissingParameter` (a
  `BadParameter`) is a required argument left out; `NoSuchOption` carries the
  `option_name` that was not recognised; an unexpected extra argument is told only by
  its message, "Got unexpected extra argument(s)" (`is_extra_argument`).
- Typer's parameters (`TyperOption`, `TyperArgument`) carry `type_descriptor` (a
  `typer._coercion.TypeDescriptor` with `annotation`, `file_annotation` and `choices`)
  and `_runtime_param`, the coercion Typer builds from the descriptor on first use
  (`get_runtime_param()`); one set beforehand is used instead.
- `typer._coercion.build_runtime_param(descriptor)`: Typer's own coercion, used for
  any value srm's does not handle.
- `typer.core.TyperGroup.get_params(ctx)` and `get_command(ctx, name)`: where a group
  hands out its own parameters and its commands, so the coercion is installed before a
  value is parsed.

Nothing else in srm imports `typer._*` or finds a class by its name.
"""

from __future__ import annotations

from typing import Any

from typer._click.exceptions import MissingParameter, NoArgsIsHelpError, NoSuchOption, UsageError
from typer.core import TyperGroup

__all__ = [
    "LeanGroup",
    "MissingParameter",
    "NoArgsIsHelpError",
    "NoSuchOption",
    "PlainCoercion",
    "UsageError",
    "lean_coercion",
    "typers_coercion",
]


def is_extra_argument(exc: BaseException) -> bool:
    """Whether a usage error is Click's "Got unexpected extra argument(s)" (a note or name
    of several words given without quotes, or an option after `--`): Click has no class
    of its own for it, only this message."""
    return isinstance(exc, UsageError) and str(getattr(exc, "message", "")).startswith(
        "Got unexpected extra argument"
    )


def typers_coercion(param: Any) -> Any:
    """Typer's own coercion for `param` (through pydantic for most types)."""
    from typer._coercion import build_runtime_param

    return build_runtime_param(param.type_descriptor)


class PlainCoercion:
    """Coercion of text, flag and repeated-text options, exactly as Typer's pydantic
    adapter does it (a test compares the two on every such option of srm): nothing given
    is None (or an empty tuple when repeatable), text and flags stay as they are,
    repeated text becomes a list. Any other value goes to Typer's own."""

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
        return typers_coercion(param).coerce(value, param=param, ctx=ctx)


_KINDS: dict[Any, type] = {
    str: str,
    str | None: str,
    bool: bool,
    bool | None: bool,
    list[str]: list,
    list[str] | None: list,
}


def lean_coercion(param: Any) -> PlainCoercion | None:
    """srm's own coercion for `param` when it is text, a flag or repeated text (None when
    it is anything else, or already has its coercion)."""
    # read defensively: a parameter without these attributes keeps Typer's handling
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
    return PlainCoercion(kind) if kind is not None else None


class LeanGroup(TyperGroup):
    """A command group whose own options and its commands' text, flag and repeated-text
    options skip Typer's pydantic adapters: `--help`, completion and `srm log` import no
    pydantic."""

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
