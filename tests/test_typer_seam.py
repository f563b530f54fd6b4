"""What srmcli/cli/typer_seam.py relies on in Typer's private internals, checked one by one.

After a Typer upgrade these fail with "Typer X changed <thing>; srm's typer seam needs
updating" rather than an AttributeError deep inside a command.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import pytest
import typer
import typer.main


@contextmanager
def relied_on(thing: str) -> Iterator[None]:
    """Any failure inside becomes one plain message naming `thing`."""
    try:
        yield
    except (AttributeError, ImportError, TypeError, AssertionError, StopIteration) as exc:
        pytest.fail(
            f"Typer {typer.__version__} changed {thing}; srm's typer seam needs updating "
            f"({type(exc).__name__}: {exc})",
            pytrace=False,
        )


def private(module: str, name: str) -> Any:
    with relied_on(f"{module}.{name}"):
        return getattr(importlib.import_module(module), name)


def sample_command() -> Any:
    """A small Typer command with a text option, a flag, a repeated option, a number and
    a required argument: one of each kind of parameter the seam tells apart."""
    app = typer.Typer()

    @app.command()
    def run(
        name: Annotated[str, typer.Argument()],
        note: Annotated[str | None, typer.Option("--note")] = None,
        loud: Annotated[bool, typer.Option("--loud")] = False,
        tag: Annotated[list[str] | None, typer.Option("--tag")] = None,
        times: Annotated[int, typer.Option("--times")] = 1,
    ) -> None:
        print(repr((name, note, loud, tag, times)))

    return typer.main.get_command(app)


def params_of(command: Any) -> dict[str, Any]:
    return {p.name: p for p in command.params}


def test_the_usage_exceptions_are_where_the_seam_imports_them() -> None:
    module = "typer._click.exceptions"
    usage = private(module, "UsageError")
    for name in ("NoArgsIsHelpError", "MissingParameter", "NoSuchOption"):
        with relied_on(f"{module}.{name} (a UsageError)"):
            assert issubclass(private(module, name), usage)
    with relied_on(f"{module}.MissingParameter (a BadParameter, typer.BadParameter)"):
        assert issubclass(private(module, "MissingParameter"), typer.BadParameter)
        assert issubclass(typer.BadParameter, usage)


def test_the_usage_exceptions_are_raised_for_the_mistakes_srm_words() -> None:
    from typer._click.exceptions import MissingParameter, NoArgsIsHelpError, NoSuchOption

    command = sample_command()
    group = typer.Typer(no_args_is_help=True)
    group.command("one")(lambda: None)
    group.command("two")(lambda: None)
    with relied_on("NoSuchOption for an unknown option, with option_name"):
        with pytest.raises(NoSuchOption) as unknown:
            command.make_context("run", ["x", "--bogus"])
        assert unknown.value.option_name == "--bogus"
        assert unknown.value.ctx is not None and unknown.value.ctx.command_path == "run"
        assert "--bogus" in unknown.value.format_message()
    with relied_on("MissingParameter for a required argument left out"):
        with pytest.raises(MissingParameter) as missing:
            command.main([], standalone_mode=False)
        assert "NAME" in missing.value.format_message().upper()
    with relied_on("NoArgsIsHelpError for a group run without arguments"):
        with pytest.raises(NoArgsIsHelpError):
            typer.main.get_command(group).make_context("grp", [])


def test_parameters_carry_a_type_descriptor_and_a_lazy_runtime_param() -> None:
    params = params_of(sample_command())
    kinds = (("note", str), ("loud", bool), ("tag", list[str]))
    for name, annotation in kinds:
        param = params[name]
        with relied_on("a parameter's type_descriptor (annotation, file_annotation, choices)"):
            descriptor = param.type_descriptor
            assert descriptor.annotation in (annotation, annotation | None)
            assert descriptor.file_annotation is None
            assert descriptor.choices is None
        with relied_on("a parameter's _runtime_param (None until first used)"):
            assert param._runtime_param is None


def test_a_runtime_param_set_beforehand_is_the_coercion_typer_uses(capsys) -> None:
    command = sample_command()
    note = params_of(command)["note"]
    seen: list[Any] = []

    class Marking:
        def coerce(self, value: Any, *, param: Any, ctx: Any) -> Any:
            seen.append(value)
            return None if value is None else f"<{value}>"

    with relied_on("get_runtime_param() using a _runtime_param set beforehand"):
        note._runtime_param = Marking()
        command.main(["x", "--note", "hi"], standalone_mode=False)
        assert "'<hi>'" in capsys.readouterr().out
        assert "hi" in seen


def test_build_runtime_param_is_typers_coercion_from_a_descriptor() -> None:
    from typer._click import Context

    build = private("typer._coercion", "build_runtime_param")
    command = sample_command()
    ctx = Context(command)
    params = params_of(command)
    with relied_on("typer._coercion.build_runtime_param(descriptor).coerce(value, param, ctx)"):
        times = build(params["times"].type_descriptor)
        assert times.coerce("3", param=params["times"], ctx=ctx) == 3
        with pytest.raises(typer.BadParameter):
            times.coerce("three", param=params["times"], ctx=ctx)
        tags = build(params["tag"].type_descriptor)
        assert tags.coerce(("a", "b"), param=params["tag"], ctx=ctx) == ["a", "b"]


def test_a_group_hands_out_its_params_and_commands_where_srm_leans_them() -> None:
    from srmcli.cli.typer_seam import LeanGroup, PlainCoercion

    TyperGroup = private("typer.core", "TyperGroup")
    with relied_on("TyperGroup.get_params(ctx) and get_command(ctx, name)"):
        assert callable(TyperGroup.get_params) and callable(TyperGroup.get_command)
        app = typer.Typer(cls=LeanGroup)
        app.command("run")(lambda note: None)
        app.command("other")(lambda: None)
        group = typer.main.get_command(app)
        ctx = group.make_context("grp", ["run", "x"])
        command = group.get_command(ctx, "run")
        assert isinstance(params_of(command)["note"]._runtime_param, PlainCoercion)


def test_srm_own_coercion_of_text_options_is_typers() -> None:
    """The text, flag and repeated-text options of every command skip Typer's pydantic
    adapter (so `srm log` imports no pydantic); on every such option of srm, and every
    kind of value the command line can hand over, both give the same value or the
    same refusal."""
    from typer._click import Context
    from typer.core import TyperGroup

    from srmcli import cli
    from srmcli.cli.typer_seam import lean_coercion, typers_coercion

    def commands(command: Any) -> Iterator[Any]:  # every group (its own options) and command
        yield command
        for sub in getattr(command, "commands", {}).values():
            yield from commands(sub)

    def outcome(coercion: Any, value: Any, param: Any, ctx: Any) -> tuple[Any, ...]:
        try:
            return ("value", coercion.coerce(value, param=param, ctx=ctx))
        except Exception as exc:  # the refusal itself is what must agree
            return ("refused", type(exc).__name__, str(exc))

    samples = [None, "", "text", " spaced ", "-1", "a;b", True, False, (), ("a", "b"), ["x"]]
    checked = 0
    for command in commands(typer.main.get_command(cli.app)):
        ctx = Context(command)
        for param in TyperGroup.get_params(command, ctx):  # without srm's own installed
            lean = lean_coercion(param)
            if lean is None:
                continue
            typers = typers_coercion(param)
            for value in samples:
                ours, theirs = (outcome(c, value, param, ctx) for c in (lean, typers))
                assert ours == theirs, (command.name, param.name, value)
            checked += 1
    assert checked > 200  # nearly every option of srm is text, a flag or repeated text


def test_only_the_seam_reaches_into_typers_private_modules() -> None:
    from pathlib import Path

    import srmcli

    package = Path(srmcli.__file__).parent
    reaching = [
        str(path.relative_to(package))
        for path in sorted(package.rglob("*.py"))
        if path.name != "typer_seam.py"
        and any(
            marker in path.read_text(encoding="utf-8")
            for marker in ("typer._", "_runtime_param", "type_descriptor", "__name__ ==")
        )
    ]
    assert reaching == []
