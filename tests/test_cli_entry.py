"""The console entry point: a plain `discover` runs without Typer, with the Typer command's outputs, messages and codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from factorysec.cli_entry import PlainDiscover, plain_discover
from tests.discovery.discovery_support import DATA

TINY_CAPTURE = DATA / "IEC-60870" / "IEC104_SQ" / "IEC104_SQ.pcapng"

_RUN = """
import json, os, sys
from factorysec.{module} import main
end, command = os._exit, os.getpid()
def listed_then_end(code):  # both entry points leave through os._exit once everything is written (workers too)
    if os.getpid() == command:
        print("MODULES" + json.dumps(sorted(sys.modules)), file=sys.__stderr__, flush=True)
    end(code)
os._exit = listed_then_end
sys.argv[0] = "factorysec"
main()
"""


def _run(module: str, args: list[str], cwd: Path) -> tuple[int, bytes, str, set[str]]:
    """Exit code, standard output, standard error (without the module list) and the modules loaded."""
    done = subprocess.run(
        [sys.executable, "-c", _RUN.format(module=module), *args], capture_output=True, cwd=cwd, check=False
    )
    err, _, modules = done.stderr.decode().rpartition("MODULES")
    return done.returncode, done.stdout, err, set(json.loads(modules))


def _both(args: list[str], tmp_path: Path) -> tuple[tuple[int, bytes, str], tuple[int, bytes, str], set[str]]:
    """The entry point and the Typer command's `main` on the same command line, each in a fresh folder (same name)."""
    answers = []
    loaded: set[str] = set()
    for module in ("cli_entry", "cli"):
        work = tmp_path / "work"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        (work / "notes.txt").write_text("not a capture\n")
        (work / "taken.json").write_text("{}\n")
        code, out, err, modules = _run(module, args, work)
        answers.append((code, out, err))
        if module == "cli_entry":
            loaded = modules
    return answers[0], answers[1], loaded


PLAIN = [
    [str(TINY_CAPTURE)],
    [str(TINY_CAPTURE), "--format", "json"],
    ["--jobs", "2", str(TINY_CAPTURE), "--format=json", "--limit", "1", "notes.txt"],
    [str(TINY_CAPTURE), "--limit", "0", "--out", "report.txt"],
    [str(TINY_CAPTURE), "--format", "json", "--out", "taken.json"],
    [str(TINY_CAPTURE), "--format", "json", "--out", "taken.json", "--force"],
    [str(TINY_CAPTURE), "--out", "no-such-folder/report.txt"],
    ["no-such-capture.pcap"],
    ["notes.txt"],
]


@pytest.mark.parametrize("args", PLAIN)
def test_a_plain_discover_runs_without_typer_and_answers_as_the_typer_command(args: list[str], tmp_path: Path) -> None:
    assert plain_discover(["discover", *args]) is not None
    fast, typed, loaded = _both(["discover", *args], tmp_path)
    assert fast == typed
    assert "typer" not in loaded and "factorysec.cli" not in loaded


def test_the_plain_runs_cover_success_and_refusals(tmp_path: Path) -> None:
    """The cases above are not all one answer: output written, an output refused, an input refused."""
    ok, _, _ = _both(["discover", str(TINY_CAPTURE), "--format", "json"], tmp_path)
    assert ok[0] == 0 and json.loads(ok[1])["inventory"]["hosts"]
    refused, _, _ = _both(["discover", str(TINY_CAPTURE), "--out", "taken.json", "--format", "json"], tmp_path)
    assert refused[0] == 2 and refused[2].startswith("error: ") and "taken.json" in refused[2]
    missing, _, _ = _both(["discover", "no-such-capture.pcap"], tmp_path)
    assert missing[0] == 2 and "no-such-capture.pcap: no such file or directory" in missing[2]


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--help"],
        [str(TINY_CAPTURE), "--format", "xml"],
        [str(TINY_CAPTURE), "--jobs", "0"],
        [str(TINY_CAPTURE), "--limit", "-1"],
        [str(TINY_CAPTURE), "--limit", "07"],
        [str(TINY_CAPTURE), "--jobs", "1", "--jobs", "2"],
        [str(TINY_CAPTURE), "--force=yes"],
        [str(TINY_CAPTURE), "--out"],
        [str(TINY_CAPTURE), "--model", "factory.yaml"],
        [str(TINY_CAPTURE), "--partial", "x.partial"],
        [str(TINY_CAPTURE), "--", "more"],
    ],
)
def test_any_other_discover_line_goes_to_typer_with_its_messages(args: list[str], tmp_path: Path) -> None:
    assert plain_discover(["discover", *args]) is None
    fast, typed, loaded = _both(["discover", *args], tmp_path)
    assert fast == typed
    assert "typer" in loaded


def test_the_parsed_plan() -> None:
    assert plain_discover(
        ["discover", "a.pcap", "--out=r.json", "--format", "json", "--force", "b", "--jobs", "3"]
    ) == (PlainDiscover((Path("a.pcap"), Path("b")), "json", Path("r.json"), True, 50, 3))
    assert plain_discover(["analyze", "a.pcap"]) is None
    assert plain_discover(["--catalog", "c", "discover", "a.pcap"]) is None
    assert plain_discover(["discover", "a.pcap", "--force", "--force"]) is None
