"""The installed command ends without interpreter teardown (cli.main): output must still be whole and exit codes the command's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from factorysec import cli

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "annex-a" / "current"


def _command() -> list[str]:
    script = Path(sys.executable).with_name("factorysec")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from factorysec.cli import main; main()"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_command(), *args], capture_output=True, text=True, timeout=120, env=dict(os.environ))


def test_text_on_a_pipe_is_whole_and_exit_code_zero() -> None:
    done = _run("analyze", str(EXAMPLE), "--limit", "0")
    assert done.returncode == 0, done.stderr
    last = done.stdout.rstrip().splitlines()[-1]
    assert "Step 3 gaps" in last  # the closing summary line is the last thing printed
    assert done.stderr == ""


def test_json_file_is_whole(tmp_path: Path) -> None:
    out = tmp_path / "assessment.json"
    done = _run("analyze", str(EXAMPLE), "--format", "json", "--out", str(out))
    assert done.returncode == 0, done.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["factory_id"] == "annex-a-factory"
    assert out.read_bytes().endswith(b"}\n")


def test_json_on_a_pipe_is_whole() -> None:
    done = _run("analyze", str(EXAMPLE), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["requirements"]


def test_fail_on_keeps_exit_code_one_and_its_message() -> None:
    done = _run("analyze", str(EXAMPLE), "--fail-on", "low")
    assert done.returncode == 1
    assert done.stderr.startswith("--fail-on low: ")


def test_bad_input_keeps_exit_code_two_without_traceback(tmp_path: Path) -> None:
    done = _run("analyze", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert "no such file or folder" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("code", "expected"), [(None, 0), (0, 0), (2, 2), (130, 130), ("message", 1)])
def test_exit_code_follows_sys_exit(code: object, expected: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli._exit_code(code) == expected
    assert capsys.readouterr().err == ("message\n" if code == "message" else "")
