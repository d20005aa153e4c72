"""Commands whose modules are imported only when they run (or when the command list is printed).

Typer builds every registered command before it runs one, so each command
module's imports were paid by every run: ``factorysec discover`` loaded the
catalog, the analysis, the vulnerability intake and CSAF checks it never
uses (about 0.6 CPU-seconds of its start-up). A command registered here is
named in the command list, and its module is imported when click asks for
that command: to run it, to print its help, or to list it in
``factorysec --help``.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
from dataclasses import dataclass
from typing import Any

import typer
from typer import _click as click  # the click that typer vendors: its commands, groups and contexts are of these types
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo

from factorysec.cli_coercion import plain_coercion


@dataclass(frozen=True, slots=True)
class LazyCommand:
    """A command (a function) or a group of commands (a ``typer.Typer``) named ``attribute`` in ``module``."""

    module: str
    attribute: str
    group: bool = False
    info: CommandInfo | None = None
    """A command registered on the app itself (``@app.command()``) and deferred by `defer_app_commands`."""


class LazyCommands:
    """The lazily imported commands of one Typer app; pass ``group_class`` as the app's ``cls``."""

    def __init__(self) -> None:
        self.entries: dict[str, LazyCommand] = {}
        table = self.entries

        class Group(TyperGroup):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                plain_coercion(self)  # the app's own options (its callback's), as `build` does for each command

            def list_commands(self, ctx: click.Context) -> list[str]:
                """The eager commands, then the lazy ones, then the eager groups, then the lazy groups (the order of the
                listing when every command module was imported up front)."""
                eager = super().list_commands(ctx)
                eager_groups = [n for n in eager if isinstance(self.commands[n], TyperGroup)]
                eager_commands = [n for n in eager if n not in eager_groups]
                lazy = [n for n in table if n not in self.commands]
                return (
                    eager_commands
                    + [n for n in lazy if not table[n].group]
                    + eager_groups
                    + [n for n in lazy if table[n].group]
                )

            def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
                found = super().get_command(ctx, cmd_name)
                entry = table.get(cmd_name)
                if found is not None or entry is None:
                    return found
                if self.listing:
                    stand_in = listing_stand_in(cmd_name, entry)
                    if stand_in is not None:
                        return stand_in
                command = build(cmd_name, entry)
                self.add_command(command, cmd_name)
                return command

            listing = False
            """True while the command list is printed: a command not built yet is shown by a stand-in."""

            def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
                """The help with the command list, which shows each command's name and help without building it (and
                without importing its module): listing every command used to cost as much as running all of them."""
                self.listing = True
                try:
                    super().format_help(ctx, formatter)
                finally:
                    self.listing = False

        self.group_class: type[TyperGroup] = Group

    def command(self, name: str, module: str, attribute: str) -> None:
        """Register the function ``module.attribute`` as the command ``name``."""
        self.entries[name] = LazyCommand(module, attribute)

    def group(self, name: str, module: str, attribute: str) -> None:
        """Register the ``typer.Typer`` ``module.attribute`` as the command group ``name``."""
        self.entries[name] = LazyCommand(module, attribute, group=True)

    def defer_app_commands(self, app: typer.Typer) -> None:
        """Build the app's own commands (``@app.command()``) only when they are asked for, like the lazy ones.

        Their modules are imported already, but Typer reads every command's
        signature and annotations to build it (about 0.3 CPU-seconds for a
        dozen commands), which every run paid for the one command it ran. They
        keep their place: listed first, in the order they were registered. It may
        be called again: commands registered since are deferred after the others.
        """
        deferred = {name: entry for name, entry in self.entries.items() if entry.info is not None}
        for info in app.registered_commands:
            assert info.callback is not None
            name = info.name or typer.main.get_command_name(info.callback.__name__)
            deferred[name] = LazyCommand(info.callback.__module__, info.callback.__name__, info=info)
        rest = {name: entry for name, entry in self.entries.items() if entry.info is None}
        self.entries.clear()  # the group class holds this dict: refill it in place
        self.entries.update(deferred)
        self.entries.update(rest)
        app.registered_commands.clear()


def build(name: str, entry: LazyCommand) -> click.Command:
    """Import the command's module and build its click command, as Typer builds an eagerly registered one, its plain
    values coerced without pydantic (`plain_coercion`)."""
    command = _build(name, entry)
    plain_coercion(command)
    return command


def _build(name: str, entry: LazyCommand) -> click.Command:
    if entry.info is not None:
        holder = typer.Typer(add_completion=False)
        holder.registered_commands.append(entry.info)
        command: click.Command = typer.main.get_command(holder)
        command.name = name
        return command
    target = getattr(importlib.import_module(entry.module), entry.attribute)
    if entry.group:
        if not isinstance(target, typer.Typer):
            raise TypeError(f"{entry.module}.{entry.attribute} is not a typer.Typer")
        command = typer.main.get_group(target)
    else:
        holder = typer.Typer(add_completion=False)
        holder.command(name)(target)
        command = typer.main.get_command(holder)
    command.name = name
    return command


def listing_stand_in(name: str, entry: LazyCommand) -> click.Command | None:
    """What the command list shows of a command (name, help, short help, panel, hidden, deprecated), without building it.

    An app command's help is its registration's or its function's docstring,
    as Typer reads it; a lazily imported command's is read from its module's
    source (`help_in_source`). None when the source says it in a way not read
    here: the command is then built (and its module imported) as before.
    """
    if entry.info is not None:
        info = entry.info
        assert info.callback is not None
        shown = inspect.getdoc(info.callback) if info.help is None else inspect.cleandoc(info.help)
        return TyperCommand(
            name=name,
            help=shown,
            short_help=info.short_help,
            hidden=info.hidden,
            deprecated=info.deprecated,
            rich_help_panel=info.rich_help_panel,
        )
    shown = help_in_source(entry)
    return None if shown is None else TyperCommand(name=name, help=shown)


def help_in_source(entry: LazyCommand) -> str | None:
    """The help Typer gives a lazily imported command, read from its module's source instead of importing it.

    A command's help is its function's docstring; a group's is the literal
    ``help=`` of its ``typer.Typer(...)`` when that call sets nothing else the
    listing shows and the module registers no callback on it (whose help
    would come first). Anything else gives None.
    """
    spec = importlib.util.find_spec(entry.module)
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        return None
    try:
        with open(spec.origin, encoding="utf-8") as source:
            text = source.read()
        tree = ast.parse(text)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None
    for node in tree.body:
        if not entry.group and isinstance(node, ast.FunctionDef) and node.name == entry.attribute:
            return ast.get_docstring(node, clean=True)
        if (
            entry.group
            and isinstance(node, ast.Assign)
            and [t.id for t in node.targets if isinstance(t, ast.Name)] == [entry.attribute]
        ):
            return _typer_help(node.value) if f"{entry.attribute}.callback" not in text else None
    return None


def _typer_help(call: ast.expr) -> str | None:
    """The literal ``help=`` of a ``typer.Typer(help=..., no_args_is_help=...)`` call, cleaned as Typer cleans it."""
    if not (isinstance(call, ast.Call) and ast.unparse(call.func) in ("typer.Typer", "Typer") and not call.args):
        return None
    keywords = {k.arg: k.value for k in call.keywords}
    shown = keywords.get("help")
    if set(keywords) - {"help", "no_args_is_help"} or not isinstance(shown, ast.Constant):
        return None
    return inspect.cleandoc(shown.value) if isinstance(shown.value, str) else None
