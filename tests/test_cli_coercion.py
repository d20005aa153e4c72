"""Plain command-line values coerced without pydantic give exactly what Typer's own coercion gives, errors included,
but for the paths Typer would silently change (empty, or a trailing ``/`` on a file), which are refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer import _click as click
from typer._coercion import build_runtime_param
from typer.core import _TyperParameter
from typer.models import OptionInfo
from typer.testing import CliRunner

from factorysec.cli import app, lazy_commands
from factorysec.cli_coercion import FOLDERS_TO_MAKE, PlainRuntimeParam, _plain_item, plain_coercion
from factorysec.cli_lazy import build


def _commands() -> Iterator[tuple[str, click.Command]]:
    lazy_commands.defer_app_commands(app)

    def walk(name: str, command: click.Command) -> Iterator[tuple[str, click.Command]]:
        yield name, command
        for sub_name, sub in getattr(command, "commands", {}).items():
            yield from walk(f"{name} {sub_name}", sub)

    for name, entry in lazy_commands.entries.items():
        yield from walk(name, build(name, entry))


def _samples(annotation: Any, tmp_path: Path) -> list[Any]:
    existing = tmp_path / "there.yaml"
    existing.write_text("x")
    words = ["text", "", "ünïcode", "-", "5"]
    numbers = ["5", "0", "-1", "007", "+5", " 5", "1_000", "5.0", "abc", "", "٣", "65535", "65536", 7, -3, True]
    paths = [
        str(existing),
        str(tmp_path),
        str(tmp_path / "missing"),
        "",
        f"{existing}/",
        f"{tmp_path}/",
        f"{tmp_path / 'missing'}/",
        "-",
        existing,
        Path("relative/x.yaml"),
    ]
    flags = [True, False, "yes", "", 1]
    single: dict[Any, list[Any]] = {str: words, int: numbers, Path: paths, bool: flags}
    if annotation in single:
        return single[annotation]
    (item,) = annotation.__args__
    return [[*single[item][:3]], tuple(single[item][:2]), [], single[item][0], [single[item][-2]]]


def _outcome(coerce: Any, value: Any, param: _TyperParameter, ctx: click.Context) -> tuple[str, Any]:
    try:
        return "value", coerce(value, param=param, ctx=ctx)
    except click.exceptions.ClickException as error:
        return type(error).__name__, error.format_message()
    except typer.Exit as error:
        return "Exit", error.exit_code


def _refused_by_us(value: Any, command: click.Command, param: _TyperParameter) -> bool:
    """A path Typer would take as another one (see `cli_coercion._check_path_text`): empty, or ending in ``/`` while not
    naming a folder (unless the parameter names a folder the command makes)."""
    if isinstance(value, list | tuple):
        return any(_refused_by_us(v, command, param) for v in value)
    if type(value) is not str or param.type_descriptor.annotation not in (Path, list[Path]):
        return False
    if value == "":
        return True
    return value.endswith("/") and not Path(value).is_dir() and (command.name, param.name) not in FOLDERS_TO_MAKE


def test_every_plain_parameter_coerces_as_typer_does(tmp_path: Path) -> None:
    checked: set[Any] = set()
    plain = refused = 0
    seen: set[tuple[str | None, str | None]] = set()
    for name, command in _commands():
        ctx = click.Context(command, info_name=name)
        for param in command.params:
            if not isinstance(param, _TyperParameter):
                continue
            runtime = param._runtime_param
            if not isinstance(runtime, PlainRuntimeParam):
                assert runtime is None, f"{name} {param.name}: not Typer's own lazily built coercion"
                continue
            plain += 1
            seen.add((command.name, param.name))
            typer_own = build_runtime_param(param.type_descriptor)
            assert not isinstance(typer_own, PlainRuntimeParam)
            for value in _samples(param.type_descriptor.annotation, tmp_path):
                mine = _outcome(runtime.coerce, value, param, ctx)
                if _refused_by_us(value, command, param):
                    assert mine == ("Exit", 2), f"{name} {param.name} {value!r}"
                    refused += 1
                    continue
                theirs = _outcome(typer_own.coerce, value, param, ctx)
                assert mine == theirs, f"{name} {param.name} {value!r}"
                assert type(mine[1]) is type(theirs[1])
            checked.add(param.type_descriptor.annotation)
    assert plain > 100
    assert refused > 50
    assert seen >= FOLDERS_TO_MAKE
    assert checked == {str, int, bool, Path, list[Path], list[str]}


def test_a_value_outside_the_plain_forms_gets_typers_message() -> None:
    result = _run(["discover", "x.pcap", "--jobs", "0"])
    assert result.exit_code == 2
    assert "Invalid value for '--jobs'" in result.output and "greater than or equal to 1" in result.output
    spelled = _run(["discover", "x.pcap", "--limit", "1e3"])
    assert spelled.exit_code == 2 and "unable to parse string as an integer" in spelled.output


def test_the_help_option_and_the_apps_own_options_are_plain() -> None:
    command = build("discover", lazy_commands.entries["discover"])
    ctx = click.Context(command, info_name="discover")
    help_option = command.get_help_option(ctx)
    assert isinstance(help_option, _TyperParameter)
    assert isinstance(help_option._runtime_param, PlainRuntimeParam)
    root = app_group()
    assert all(isinstance(p._runtime_param, PlainRuntimeParam) for p in root.params if isinstance(p, _TyperParameter))
    plain_coercion(command)  # again: its help option is wrapped once
    assert command.get_help_option(ctx) is help_option


def app_group() -> click.Command:
    return typer.main.get_group(app)


def _run(args: list[str]) -> Any:
    return CliRunner().invoke(app, args, env={"COLUMNS": "200"})


@pytest.mark.parametrize("annotation", [float, list[int], tuple[str, str], list[bool]])
def test_other_annotations_are_left_to_typer(annotation: Any) -> None:
    assert _plain_item(annotation, OptionInfo()) is None
    assert _plain_item(int, OptionInfo(clamp=True)) is None
    assert _plain_item(str, OptionInfo(parser=str)) is None
