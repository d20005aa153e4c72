"""What `--help` prints: every help text shown whole, and discover's inputs as the readers take them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import typer
from rich.text import Text
from typer import _click as click  # the click that typer vendors: its commands and groups are of these types
from typer.core import TyperGroup
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.discovery.zeek import SUPPORTED_LOGS


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, TyperGroup):
        context = click.Context(command)
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            assert sub is not None, name
            yield from _commands(sub, (*path, name))


def _help_texts() -> Iterator[tuple[str, str]]:
    for path, command in _commands(typer.main.get_command(app)):
        where = " ".join(("factorysec", *path))
        if command.help:
            yield where, command.help
        for param in command.params:
            text = getattr(param, "help", None)
            if text:
                yield f"{where} {param.name}", text


def test_no_help_text_loses_words_to_rich_markup() -> None:
    """Rich reads `[word]` as a style and drops it: `pip install 'factorysec[distributed]'` printed without the extra."""
    checked = 0
    for where, text in _help_texts():
        shown = Text.from_markup(text).plain
        assert shown == re.sub(r"\\(\[)", r"\1", text), f"{where}: {text!r} is shown as {shown!r}"
        checked += 1
    assert checked > 100


def test_discover_names_every_zeek_log_it_reads_and_the_extra_dask_needs() -> None:
    command = typer.main.get_command(app)
    assert isinstance(command, TyperGroup)
    discover = command.get_command(click.Context(command), "discover")
    assert discover is not None
    helps = {param.name: Text.from_markup(getattr(param, "help", "") or "").plain for param in discover.params}
    assert f"Zeek logs ({', '.join(SUPPORTED_LOGS)};" in helps["captures"]
    assert "*.partial" in helps["captures"]
    assert "pip install 'factorysec[distributed]'" in helps["dask"]


def _description(output: str) -> list[str]:
    """The lines of a ``--help`` between its usage line and its first panel (options, arguments or commands)."""
    lines = [line.rstrip() for line in output.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Usage:")) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].lstrip().startswith("╭")), len(lines))
    return lines[start:end]


def test_every_help_paragraph_runs_on_to_the_width_of_the_terminal() -> None:
    """Typer keeps the single line breaks of a command's docstring after its first paragraph (it joins those of the
    first paragraph and of an option's help): discover's exit codes broke off after 'and skipped' at any width. A line
    ending 80 columns short of a 200-column terminal while the next one goes on in lower case is such a break."""
    runner = CliRunner()
    ragged: list[str] = []
    commands = list(_commands(typer.main.get_command(app)))
    for path, _command in commands:
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, (path, result.output)
        description = _description(result.output)
        assert any(line.strip() for line in description), (path, result.output)
        ragged += [
            f"factorysec {' '.join(path)}: {line.strip()!r} / {following.strip()!r}"
            for line, following in zip(description, description[1:])
            if line.strip() and len(line) < 120 and following.strip()[:1].islower()
        ]
    assert not ragged, "\n".join(ragged)
    assert len(commands) > 20
