"""Typer's coercion of plain command-line values, without importing pydantic for them.

Typer 0.29 turns every value it parses (a path, a number, a word) into the
parameter's type through a pydantic ``TypeAdapter``, built for each parameter
of the command that runs. Importing pydantic and building those adapters cost
0.12-0.19 s of every command's start: as much as `discover` spends on a
quarter of a 2M-packet capture, and, with `--jobs`, time that only the first
process pays and no worker can share.

Every parameter of ours is a word, a flag, a whole number (perhaps with a minimum or
maximum), a path with no checks of its own, or a list of words or paths. For such a
value the result is known without pydantic: the word itself, ``int`` of a
plain decimal, ``Path`` of the text, then Typer's own path checks
(`coerce_cli_path`, which needs no pydantic once it is given a ``Path``).
Everything else (a number written another way or out of range, an annotation
or option not listed here) goes to the coercion Typer would have used, built
when first needed, so its results and error messages are Typer's own. A test
compares the two on every parameter of every command.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast, get_args, get_origin

import typer
from typer._coercion import RuntimeParam, build_runtime_param
from typer._param_types import coerce_cli_path
from typer.core import TyperOption, _TyperParameter

if TYPE_CHECKING:
    from typer import _click as click
    from typer.models import ParameterInfo

_PLAIN_INT = re.compile(r"-?[0-9]{1,18}", re.ASCII)
"""A whole number that ``int`` and pydantic read alike (pydantic also takes ``+5``, `` 5``, ``1_000`` and ``5.0``:
those go to Typer)."""

_NOT_PLAIN = object()

FOLDERS_TO_MAKE: frozenset[tuple[str, str]] = frozenset(
    {("init", "directory"), ("report", "out"), ("discover", "init_dir")}
)
"""The (command, parameter) paths that name a folder the command creates when it is missing: with a trailing ``/`` they
may name a folder that does not exist yet (the command refuses a file there); any other path with one must be an
existing folder."""


def _refuse(param: _TyperParameter, message: str) -> typer.Exit:
    """One line naming the option (or argument) and exit code 2, as for every other input that cannot be used."""
    from factorysec.cli import usage_error  # loaded already: coercion runs inside a command of its app

    name = param.opts[0] if isinstance(param, TyperOption) else str(param.name).upper()
    return usage_error(f"{name}: {message}")


def path_text_problem(text: str, *, folder_to_make: bool = False) -> str | None:
    """What is wrong with a path as typed that ``Path`` would silently change, or None: an empty path (read as the
    working folder) or a trailing ``/`` on anything but a folder (dropped: ``--out new.json/`` wrote the file
    ``new.json``, ``--scoring file.yaml/`` read the file). ``folder_to_make``: the path names a folder the command
    creates, so a missing one is fine (and the command refuses a file there)."""
    if text == "":
        return "empty path"
    if "\0" in text:  # no file name holds one; the system refuses it (only a program, not a shell, can pass it)
        return f"{text}: a path cannot hold a NUL character"
    if not text.endswith(("/", os.sep)) or not text.strip("/" + os.sep) or folder_to_make:
        return None
    place = Path(text)
    if place.is_dir():
        return None
    if place.exists():
        return f"{text}: not a folder (a path ending in '/' names a folder; give the file without the '/')"
    return f"{text}: no such folder (a path ending in '/' names a folder)"


def input_file_problem(path: Path, *, regular_only: bool = False) -> str | None:
    """What keeps an option that reads a file from reading ``path``, or None: a folder where the file goes, a path
    that does not exist and, with ``regular_only``, a pipe, socket or device. The caller names the option."""
    if path.is_dir():
        return f"{path}: is a folder (give the file)"
    if not path.exists():
        return f"{path}: no such file"
    if regular_only and not path.is_file():
        return f"{path}: not a regular file (a pipe, socket or device): give the file itself"
    return None


def _check_path_text(text: str, param: _TyperParameter, ctx: click.Context) -> None:
    problem = path_text_problem(text, folder_to_make=(ctx.command.name, param.name) in FOLDERS_TO_MAKE)
    if problem is not None:
        raise _refuse(param, problem)


@dataclass(frozen=True)
class PlainRuntimeParam(RuntimeParam):
    """Coercion of one parameter whose annotation is `str`, `bool`, `int`, `Path`, `list[str]` or `list[Path]`."""

    item: type[Any]
    """The annotation, or a list's item type."""
    many: bool
    """Whether the annotation is a list."""

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: click.Context) -> Any:
        if self.many:
            values = value if isinstance(value, list | tuple) else [value]
            items = [self._plain(v, param, ctx) for v in values]
            if all(item is not _NOT_PLAIN for item in items):
                return items
        else:
            found = self._plain(value, param, ctx)
            if found is not _NOT_PLAIN:
                return found
        return build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)

    def _plain(self, value: Any, param: _TyperParameter, ctx: click.Context) -> Any:
        """The value as Typer's coercion would give it, or `_NOT_PLAIN` when this is not a plain value."""
        if self.item is str or self.item is bool:
            return value if type(value) is self.item else _NOT_PLAIN
        if self.item is int:
            if type(value) is str and _PLAIN_INT.fullmatch(value):
                number = int(value)
            elif type(value) is int:
                number = value
            else:
                return _NOT_PLAIN
            info = self.parameter_info
            if (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
                return _NOT_PLAIN  # Typer says why
            return number
        if type(value) is str:
            _check_path_text(value, param, ctx)
            value = Path(value)
        if not isinstance(value, Path):
            return _NOT_PLAIN
        return coerce_cli_path(value, self.parameter_info, path_type=Path, param=param, ctx=ctx)


def _plain_item(annotation: Any, info: ParameterInfo) -> type[Any] | None:
    """The item type `PlainRuntimeParam` coerces for this annotation and its options, or None (left to Typer)."""
    if info.parser is not None:
        return None
    if get_origin(annotation) is list:
        (item,) = get_args(annotation) or (None,)
        return item if item is str or item is Path else None  # the lists our commands take (the test checks those)
    if annotation is str or annotation is bool:
        return annotation
    if annotation is int:
        return None if info.clamp else int
    if annotation is Path and info.path_type is None:
        return Path
    return None


def plain_coercion(command: click.Command) -> None:
    """Give each plain parameter of `command` (and of a group's commands), its help option included,
    `PlainRuntimeParam` coercion."""
    for sub in getattr(command, "commands", {}).values():
        plain_coercion(sub)
    for param in command.params:
        _make_plain(param)
    if "get_help_option" in vars(command):
        return
    made = command.get_help_option

    def get_help_option(ctx: click.Context) -> TyperOption | None:
        """The help option, made when the command line is parsed; a flag whose value is None (not asked for) that
        Typer would build a `TypeAdapter` for."""
        option = made(ctx)
        if option is not None:
            _make_plain(option)
        return option

    command.get_help_option = get_help_option  # type: ignore[method-assign]


def _make_plain(param: click.Parameter) -> None:
    if not isinstance(param, _TyperParameter) or param._runtime_param is not None:
        return
    descriptor = param.type_descriptor
    if descriptor.file_annotation is not None:
        return
    item = _plain_item(descriptor.annotation, descriptor.parameter_info)
    if item is not None:
        many = get_origin(cast(Any, descriptor.annotation)) is list
        param._runtime_param = PlainRuntimeParam(descriptor.parameter_info, descriptor.annotation, item, many)
