"""The ``factorysec`` console entry point: a plain ``discover`` runs without building the Typer app.

Importing Typer (and click, which it vendors), building the command from its
signature (a pydantic adapter per option) and importing ``cli.py``'s own
helpers cost ``discover`` about a third of its start-up, more than reading a
small capture. A ``discover`` command line made only of inputs and the
options ``--format text|json``, ``--out FILE``, ``--force``, ``--limit N`` and
``--jobs N``, each given once with a value Typer would take as it is, runs
here, with the same messages, outputs and exit codes as the Typer command
(a test runs both on the same command lines). Every other command line (a
help request, ``--model``, ``--init``, ``--partial``, ``--dask``, a global
option, a value Typer would refuse or read differently...) goes unchanged to
:func:`factorysec.cli.main`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

EXIT_INVALID = 2
EXIT_BROKEN_PIPE = 141
"""As in ``cli.py``: invalid input, and a reader that went away (``| head``)."""

_VALUE_OPTIONS = ("--format", "--out", "--limit", "--jobs")
_FORMATS = ("text", "json")


@dataclass(frozen=True, slots=True)
class PlainDiscover:
    """A ``discover`` command line this module runs itself."""

    inputs: tuple[Path, ...]
    output_format: str = "text"
    out: Path | None = None
    force: bool = False
    limit: int = 50
    jobs: int = 1


def plain_discover(args: Sequence[str]) -> PlainDiscover | None:
    """The command line (without the program name) as a `PlainDiscover`, or None when Typer must read it.

    Conservative on purpose: anything the Typer command would read in
    another way, or refuse with its own message, is left to it.
    """
    if not args or args[0] != "discover":
        return None
    from factorysec.report.listing import DEFAULT_LIMIT

    inputs: list[Path] = []
    values: dict[str, str] = {}
    force = False
    tokens = iter(args[1:])
    for token in tokens:
        if not token.startswith("-"):
            if not token:
                return None
            inputs.append(Path(token))
            continue
        name, equals, value = token.partition("=")
        if name == "--force" and not equals and not force:
            force = True
            continue
        if name not in _VALUE_OPTIONS or name in values:
            return None
        if not equals:
            following = next(tokens, None)
            if following is None:
                return None
            value = following
        if not value or value.startswith("-"):
            return None
        values[name] = value
    output_format = values.get("--format", "text")
    limit = _whole_number(values.get("--limit"), DEFAULT_LIMIT, 0)
    jobs = _whole_number(values.get("--jobs"), 1, 1)
    if not inputs or output_format not in _FORMATS or limit is None or jobs is None:
        return None
    out = values.get("--out")
    return PlainDiscover(tuple(inputs), output_format, None if out is None else Path(out), force, limit, jobs)


def _whole_number(text: str | None, default: int, least: int) -> int | None:
    """Plain ASCII digits without leading zeros, at least `least`; None for anything else (left to Typer)."""
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or (len(text) > 1 and text[0] == "0") or len(text) > 9:
        return None
    number = int(text)
    return number if number >= least else None


def run_plain_discover(plan: PlainDiscover) -> int:
    """What the Typer ``discover`` command does for such a command line; returns the exit code."""
    from factorysec.discovery.command import render_json, render_text, run
    from factorysec.discovery.types import DiscoveryInputError
    from factorysec.perf import paused_gc
    from factorysec.report.inert import printable

    def refuse(message: str) -> int:
        print(f"error: {printable(message)}", file=sys.stderr, flush=True)
        return EXIT_INVALID

    as_json = plan.output_format == "json"
    if plan.out is not None:
        from factorysec.outputs import OutputError, check_file_target, write_output  # tempfile, shutil: with --out

        try:
            check_file_target(plan.out, force=plan.force, example_name=f"discovery.{'json' if as_json else 'txt'}")
        except OutputError as error:
            return refuse(str(error))
    try:
        with paused_gc():
            result = run(plan.inputs, None, plan.jobs)
    except DiscoveryInputError as error:
        return refuse(str(error))
    for source in result.inventory.sources:
        if source.not_read and source.kind == "not read":
            print(
                f"warning: {printable(source.path)}: not read: {printable(source.not_read)}",
                file=sys.stderr,
                flush=True,
            )
    text = render_json(result) if as_json else render_text(result, plan.limit)
    if plan.out is not None:
        try:
            write_output(plan.out, text, force=plan.force)
        except OutputError as error:
            return refuse(str(error))
        return 0
    try:
        sys.stdout.write(text if as_json else printable(text))
        sys.stdout.flush()
    except BrokenPipeError:
        return EXIT_BROKEN_PIPE
    return 0


def _streams_take_any_text() -> bool:
    """Whether standard output and error are written as they are by click too: not an ASCII-only stream, which click
    wraps to replace what it cannot encode (the Typer command is left to do so)."""
    import codecs

    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        try:
            if encoding is None or codecs.lookup(encoding).name == "ascii":
                return False
        except LookupError:
            return False
    return True


def main() -> None:
    """Run a plain ``discover`` here, anything else through the Typer app (:func:`factorysec.cli.main`)."""
    plan = plain_discover(sys.argv[1:]) if _streams_take_any_text() else None
    if plan is None:
        from factorysec.cli import main as typer_main

        typer_main()
        return
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as cli.one_blas_thread: no command does linear algebra
    try:
        code = run_plain_discover(plan)
    except KeyboardInterrupt:
        code = 130
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away, or a stream already closed
            if stream is sys.stdout and code == 0:
                code = EXIT_BROKEN_PIPE
    os._exit(code)  # as cli.main: no interpreter teardown once everything is written
