"""`discover` on a plain command line runs without Typer's parsing (cli.plain_discover): the same arguments, output and
exit codes as through Typer, and every other command line left to Typer."""

from __future__ import annotations

import functools
import inspect
import os
import subprocess
import sys
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from factorysec import cli
from tests.discovery.discovery_support import S7_PCAPNG


def _through_typer(argv: list[str]) -> dict[str, Any]:
    """The keyword arguments Typer passes to `discover` for `argv` (``discover ...``)."""
    seen: dict[str, Any] = {}

    @functools.wraps(cli.discover)
    def capture(**arguments: Any) -> None:
        seen.update(arguments)

    holder = typer.Typer(add_completion=False)
    holder.command("discover")(capture)
    result = CliRunner().invoke(holder, argv[1:])
    assert result.exit_code == 0, result.output
    return seen


@pytest.mark.parametrize(
    "argv",
    [
        ["discover", "a.pcap"],
        ["discover", "a.pcap", "logs/", "--format", "json", "--out", "o.json", "--force"],
        ["discover", "--jobs", "2", "a.pcap", "--limit", "0", "b.pcap"],
        ["discover", "a.pcap", "--model", "m.yaml", "--init", "start", "--limit", "15"],
        ["discover", "a.pcap", "--partial", "p.partial", "--byte-range", "1/2", "--dask", "tcp://h:8786"],
        ["discover", "./a b.pcap", "--out", "dir//o.txt"],
    ],
)
def test_a_plain_command_line_gives_what_typer_gives(argv: list[str]) -> None:
    plain = cli.plain_discover(argv)
    assert plain is not None
    defaults = {
        name: p.default for name, p in inspect.signature(cli.discover).parameters.items() if p.default is not p.empty
    }
    called = {**defaults, **plain}  # what `discover(**plain)` gets
    typed = _through_typer(argv)
    assert called == typed
    assert {name: type(value) for name, value in called.items()} == {name: type(value) for name, value in typed.items()}


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["discover"],
        ["discover", "--help"],
        ["--catalog", "c", "discover", "a.pcap"],
        ["analyze", "a.yaml"],
        ["discover", "a.pcap", "--format=json"],
        ["discover", "a.pcap", "--out"],
        ["discover", "a.pcap", "--out", "-"],
        ["discover", "a.pcap", "--force", "--force"],
        ["discover", "a.pcap", "--jobs", "1", "--jobs", "2"],
        ["discover", "a.pcap", "--jobs", "0"],
        ["discover", "a.pcap", "--limit", "-1"],
        ["discover", "a.pcap", "--limit", "007"],
        ["discover", "a.pcap", "--limit", "1e3"],
        ["discover", "a.pcap", "--limit", "١"],  # an Arabic-Indic digit
        ["discover", ""],
        ["discover", "a\x00.pcap"],
        ["discover", "a.pcap", "--unknown", "x"],
        ["discover", "a.pcap", "--"],
    ],
)
def test_any_other_command_line_is_left_to_typer(argv: list[str]) -> None:
    assert cli.plain_discover(argv) is None


def test_the_environment_can_leave_it_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli.plain_discover(["discover", "a.pcap"]) is not None
    monkeypatch.setenv("FACTORYSEC_CATALOG", "c")
    assert cli.plain_discover(["discover", "a.pcap"]) is None
    monkeypatch.delenv("FACTORYSEC_CATALOG")
    monkeypatch.setenv("_FACTORYSEC_COMPLETE", "bash_complete")
    assert cli.plain_discover(["discover", "a.pcap"]) is None


def _main(*args: str) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-c", "from factorysec.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, timeout=120, env=dict(os.environ))


@pytest.mark.skipif(not S7_PCAPNG.is_file(), reason="the shared ics-captures are not here")
@pytest.mark.parametrize(
    "args",
    [
        ["--format", "json"],
        ["--limit", "3"],
        ["--byte-range", "0:100"],  # an error of the command itself: exit code 2 and its message
    ],
)
def test_the_installed_command_prints_and_exits_as_through_typer(args: list[str]) -> None:
    argv = ["discover", str(S7_PCAPNG), *args]
    assert cli.plain_discover(argv) is not None
    done = _main(*argv)
    typed = CliRunner().invoke(cli.app, argv)
    assert (done.returncode, done.stdout.decode()) == (typed.exit_code, typed.stdout)
    assert done.stderr.decode() == typed.stderr
