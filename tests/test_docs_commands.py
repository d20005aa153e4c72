"""The commands the README and docs/*.md show run, and print what the docs say they print.

What counts as a command, so that a doc is written to be checked:

- A fenced block of language ``sh``, ``bash`` or ``shell`` holds commands, one a line (``\\`` continues a line);
  a ``console`` block holds ``$ command`` lines, each followed by lines of its output. Each command is run with
  bash, in the document's order, from a temporary folder holding a copy of ``examples/`` and an empty ``reports/``
  (as after ``bash scripts/example.sh``), where ``.venv/bin/factorysec`` runs this checkout's factorysec. It must
  end with exit code 0, or with the code its trailing comment names (``# exit 1: ...``).
- Each output line shown under a ``$`` command is a line of what the command printed (standard output, then standard
  error), in the order shown; ``...`` in a line stands for any text, and a line of only ``...`` for lines left out.
- A block that cannot run here (it installs system packages, needs a database server or serves until stopped) is
  preceded by ``<!-- not run: WHY -->``.
- An inline code span starting with ``.venv/bin/factorysec`` is a command run the same way (exit code 0). One
  starting with ``factorysec``, or with a command's name (``analyze --fail-on high``), is a synopsis: every
  ``--option`` it names must be an option of that command (a span right after it, with only spaces between,
  continues it: ``review PATH --git REV`` ``[--format text|json]``). docs/commands.md names every option of every
  command.
- A path in a code span under ``src/``, ``tests/``, ``scripts/``, ``examples/``, ``benchmarks/``, ``docs/`` or
  ``requirements/`` exists.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
import typer
from typer import _click as click  # the click that typer vendors: its commands and groups are of these types
from typer.core import TyperGroup

from factorysec.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

FENCE = re.compile(r"^(\s*)(```|~~~)\s*([\w-]*)")
NOT_RUN = re.compile(r"^\s*<!--\s*not run:\s*(\S.*?)\s*-->\s*$")
CODE_SPAN = re.compile(r"(`+)((?:(?!\1).)+?)\1")
EXIT_COMMENT = re.compile(r"\s#\s*exit (\d+)\b")
SHELL_LANGUAGES = {"sh", "bash", "shell"}
RUNNABLE = ".venv/bin/factorysec"
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
REPO_PATH = re.compile(
    r"(?<![\w./-])((?:src|tests|scripts|examples|benchmarks|docs|requirements)/(?:\{[^{}]*\}|[^\s`'\"():,;])*)"
)


@dataclass
class Command:
    """A command a document shows as run: where, what, the exit code it must end with and the output lines it shows."""

    source: Path
    line: int
    text: str
    exit_code: int = 0
    shown: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.source.relative_to(ROOT)}:{self.line}: {self.text}"


@dataclass(frozen=True)
class Block:
    source: Path
    line: int
    language: str
    body: list[tuple[int, str]]
    not_run: str | None


def blocks_and_prose(document: Path) -> tuple[list[Block], list[tuple[int, str]]]:
    """The fenced blocks of ``document`` (dedented by their fence's indent) and its lines outside them."""
    blocks: list[Block] = []
    prose: list[tuple[int, str]] = []
    lines = document.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            prose.append((index + 1, lines[index]))
            index += 1
            continue
        indent, marker, language = opening.groups()
        previous = next((line for line in reversed(lines[:index]) if line.strip()), "")
        reason = NOT_RUN.match(previous)
        fence_line = index + 1
        body: list[tuple[int, str]] = []
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(marker):
            text = lines[index]
            body.append((index + 1, text[len(indent) :] if text.startswith(indent) else text.lstrip()))
            index += 1
        blocks.append(Block(document, fence_line, language, body, reason.group(1) if reason else None))
        index += 1
    return blocks, prose


def _logical_lines(body: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Lines joined where one ends with a backslash, numbered by their first line."""
    pending: tuple[int, str] | None = None
    for number, text in body:
        if pending is not None:
            number, text = pending[0], pending[1] + " " + text.strip()
        if text.rstrip().endswith("\\"):
            pending = (number, text.rstrip()[:-1].rstrip())
            continue
        pending = None
        yield number, text
    if pending is not None:
        yield pending


def _command(source: Path, number: int, text: str) -> Command:
    found = EXIT_COMMENT.search(text)
    return Command(source, number, text.strip(), int(found.group(1)) if found else 0)


def commands(document: Path) -> list[Command]:
    """Every command ``document`` shows as run, in its order: fenced blocks, then inline spans, sorted by line."""
    blocks, prose = blocks_and_prose(document)
    found: list[Command] = []
    for block in blocks:
        if block.not_run is not None:
            continue
        if block.language in SHELL_LANGUAGES:
            found += [
                _command(document, number, text)
                for number, text in _logical_lines(block.body)
                if text.strip() and not text.lstrip().startswith("#")
            ]
        elif block.language == "console":
            for number, text in _logical_lines(block.body):
                if text.startswith("$ "):
                    found.append(_command(document, number, text[2:]))
                elif text.strip():
                    assert found and found[-1].line >= block.line, f"{document.name}:{number}: output before a command"
                    found[-1].shown.append(text.rstrip())
    for number, line in prose:
        for match in CODE_SPAN.finditer(line):
            if match.group(2).strip().startswith(RUNNABLE + " "):
                found.append(_command(document, number, match.group(2).strip()))
    return sorted(found, key=lambda command: command.line)


def missing_output(shown: list[str], printed: str) -> str | None:
    """The first line of ``shown`` that ``printed`` does not hold after the lines before it, or None."""
    lines = [line.rstrip() for line in printed.splitlines()]
    position = 0
    for expected in shown:
        if expected.strip() == "...":
            continue
        pattern = re.compile(".*?".join(re.escape(part) for part in expected.split("...")))
        while position < len(lines) and pattern.fullmatch(lines[position]) is None:
            position += 1
        if position == len(lines):
            return expected
        position += 1
    return None


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A folder as the README's first hour finds the repository root: the examples, ``reports/`` and the command."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    (tmp_path / "reports").mkdir()
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    script = bin_dir / "factorysec"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m factorysec "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    (bin_dir / "python").symlink_to(sys.executable)
    return tmp_path


def run(command: Command, folder: Path) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), environment.get("PYTHONPATH")]))
    environment.pop("FACTORYSEC_CATALOG", None)
    environment["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        ["bash", "-c", command.text],
        cwd=folder,
        env=environment,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


RUN_DOCUMENTS = [document for document in DOCUMENTS if commands(document)]


@pytest.mark.parametrize("document", RUN_DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_commands_shown_run_and_print_what_is_shown(document: Path, workdir: Path) -> None:
    problems: list[str] = []
    for command in commands(document):
        result = run(command, workdir)
        printed = result.stdout + result.stderr
        if result.returncode != command.exit_code:
            tail = "\n    ".join(printed.strip().splitlines()[-5:])
            problems.append(f"{command}\n  exit code {result.returncode}, not {command.exit_code}:\n    {tail}")
        elif (line := missing_output(command.shown, printed)) is not None:
            problems.append(f"{command}\n  did not print (in this order) the line shown: {line}")
    assert problems == [], "\n".join(problems)


def test_the_readme_runs_the_first_hours_commands() -> None:
    """The check above checks something: the first hour's commands and the summary line of `check` are found."""
    found = commands(ROOT / "README.md")
    texts = [command.text for command in found]
    assert any(text.startswith(f"{RUNNABLE} check examples/annex-a/current") for text in texts)
    assert any(command.exit_code == 1 and "--fail-on high" in command.text for command in found)
    assert any(command.shown for command in found)
    assert sum(text.startswith(RUNNABLE) for text in texts) >= 5


def test_every_fenced_shell_block_runs_or_says_why_not() -> None:
    """A block of commands is run unless marked; a marked block says why, and a mark stands before a block."""
    marked = 0
    for document in DOCUMENTS:
        blocks, prose = blocks_and_prose(document)
        for block in blocks:
            if block.not_run is not None:
                marked += 1
        fence_lines = {block.line for block in blocks}
        for number, line in prose:
            if NOT_RUN.match(line) and not any(0 < start - number <= 2 for start in fence_lines):
                pytest.fail(f"{document.relative_to(ROOT)}:{number}: a 'not run' mark that stands before no block")
    assert marked >= 4  # the two set-up commands and the workspace's PostgreSQL and production runs


# --- synopses: the options a span names exist ------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    options: frozenset[str]
    commands: dict[str, Node]

    def all_options(self) -> frozenset[str]:
        return self.options.union(*(sub.all_options() for sub in self.commands.values()))


def _node(command: click.Command) -> Node:
    options = frozenset(
        name
        for param in command.params
        for name in (*param.opts, *getattr(param, "secondary_opts", ()))
        if name[:2] == "--"
    )
    subs: dict[str, Node] = {}
    if isinstance(command, TyperGroup):
        context = click.Context(command)
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            assert sub is not None, name
            subs[name] = _node(sub)
    return Node(options, subs)


@cache
def command_tree() -> Node:
    return _node(typer.main.get_command(app))


@dataclass(frozen=True)
class Synopsis:
    source: Path
    line: int
    span: str
    path: tuple[str, ...]  # the command's words; ("import",) names the group and every command under it
    options: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.source.relative_to(ROOT)}:{self.line}: `{self.span}`"


def _resolve(words: list[str]) -> tuple[tuple[tuple[str, ...], ...], int] | None:
    """The command paths the leading words name (``otm|threagile`` names both) and how many words they take."""
    tree = command_tree()
    names = words[0].split("|") if words else []
    if not names or any(name not in tree.commands for name in names):
        return None
    paths = tuple((name,) for name in names)
    if len(words) > 1:
        subs = words[1].split("|")
        if all(all(sub in tree.commands[name].commands for sub in subs) for name in names):
            return tuple((name, sub) for name in names for sub in subs), 2
    return paths, 1


def synopses(document: Path) -> Iterator[Synopsis]:
    """Every code span outside fenced blocks that names a factorysec command, with the options it names."""
    tree = command_tree()
    _, prose = blocks_and_prose(document)
    for number, line in prose:
        previous: tuple[tuple[str, ...], ...] | None = None
        previous_end = -1
        for match in CODE_SPAN.finditer(line):
            span = match.group(2).replace("\\|", "|").strip()
            words = span.split()
            explicit = bool(words) and words[0] in {"factorysec", RUNNABLE}
            if explicit:
                words = words[1:]
                while words and words[0] in tree.options:
                    option = words.pop(0)
                    yield Synopsis(document, number, span, (), (option,))
                    if option == "--catalog" and words:
                        words.pop(0)
            resolved = _resolve(words)
            if resolved is not None:
                paths, taken = resolved
                rest = " ".join(words[taken:])
            elif (
                previous is not None
                and line[previous_end : match.start()].strip() == ""
                and span.startswith(("[--", "--"))
            ):
                paths, rest = previous, span
            else:
                if explicit and words and not words[0].isupper() and not words[0].startswith("-"):
                    yield Synopsis(document, number, span, (words[0],), ())  # names no command: reported below
                previous = None
                continue
            for path in paths:
                yield Synopsis(document, number, span, path, tuple(OPTION.findall(rest)))
            previous, previous_end = paths, match.end()


def _node_at(path: tuple[str, ...]) -> Node | None:
    node: Node | None = command_tree()
    for word in path:
        node = node.commands.get(word) if node is not None else None
    return node


def test_every_option_a_doc_names_is_an_option_of_its_command() -> None:
    problems: list[str] = []
    checked = 0
    for document in DOCUMENTS:
        for synopsis in synopses(document):
            node = _node_at(synopsis.path)
            if node is None:
                problems.append(f"{synopsis}: factorysec has no command {' '.join(synopsis.path)!r}")
                continue
            valid = node.all_options()
            for option in synopsis.options:
                checked += 1
                if option not in valid:
                    where = " ".join(("factorysec", *synopsis.path))
                    problems.append(f"{synopsis}: {where} has no option {option} (it has {', '.join(sorted(valid))})")
    assert problems == [], "\n".join(problems)
    assert checked > 100


def _leaves(node: Node, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Node]]:
    if not node.commands:
        yield path, node
    for name, sub in node.commands.items():
        yield from _leaves(sub, (*path, name))


def test_the_commands_page_names_every_command_and_option() -> None:
    """docs/commands.md says it holds 'every command and its options': each option of each command is named in a
    span of that command there (a flag's either spelling, ``--force`` or ``--no-force``)."""
    named: dict[tuple[str, ...], set[str]] = {}
    for synopsis in synopses(ROOT / "docs" / "commands.md"):
        named.setdefault(synopsis.path, set()).update(synopsis.options)
    tree = command_tree()
    problems: list[str] = []
    root_command = typer.main.get_command(app)
    for path in [(), *(path for path, _ in _leaves(tree))]:
        where = " ".join(("factorysec", *path))
        if path and path not in named:
            problems.append(f"{where} is not in docs/commands.md")
            continue
        command = root_command
        for word in path:
            assert isinstance(command, TyperGroup)
            found = command.get_command(click.Context(command), word)
            assert found is not None
            command = found
        for param in command.params:
            spellings = {name for name in (*param.opts, *getattr(param, "secondary_opts", ())) if name[:2] == "--"}
            if spellings and "--help" not in spellings and not spellings & named.get(path, set()):
                problems.append(f"{where}: docs/commands.md does not name {'/'.join(sorted(spellings))}")
    assert problems == [], "\n".join(problems)


# --- paths ------------------------------------------------------------------------------------------------------


def _expand(path: str) -> list[str]:
    """``a/{b,c}.py`` as ``a/b.py`` and ``a/c.py``."""
    braces = re.search(r"\{([^{}]*)\}", path)
    if braces is None:
        return [path]
    return [
        expanded
        for choice in braces.group(1).split(",")
        for expanded in _expand(path[: braces.start()] + choice + path[braces.end() :])
    ]


def test_every_repository_path_a_doc_names_exists() -> None:
    problems: list[str] = []
    checked = 0
    for document in DOCUMENTS:
        if document.name == "rules.md":
            continue  # generated from the registry, which tests/test_rules_registry.py checks
        _, prose = blocks_and_prose(document)
        for number, line in prose:
            for match in CODE_SPAN.finditer(line):
                for found in REPO_PATH.findall(match.group(2)):
                    target = found.partition("::")[0].rstrip(".")
                    if re.search(r"[<*]|\.\.\.|[A-Z]{3,}", target):
                        continue  # a pattern (zones/<zone id>.html, YYYY/*.json), not a path
                    for path in _expand(target):
                        checked += 1
                        if not (ROOT / path).exists():
                            problems.append(f"{document.relative_to(ROOT)}:{number}: {path} does not exist")
    assert problems == [], "\n".join(problems)
    assert checked > 30
