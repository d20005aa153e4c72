"""Shared helpers: run ``factorysec check`` in-process and read its problem lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.cli import app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "model"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "annex-a"
PROBLEM_LINE = re.compile(r"^(?P<file>[^\n]+?):(?P<line>[1-9][0-9]*):(?P<column>[1-9][0-9]*): (?P<rest>.+)$")


@dataclass
class CheckResult:
    exit_code: int
    stdout: str
    problems: list[str]
    exception: BaseException | None


def run_check(path: str | Path) -> CheckResult:
    """Run ``factorysec check PATH`` through Typer's runner; problems are the stderr lines before the count."""
    result = CliRunner().invoke(app, ["check", str(path)])
    lines = [line for line in result.stderr.splitlines() if line]
    problems = [line for line in lines if not re.fullmatch(r"\d+ problems? found", line)]
    return CheckResult(result.exit_code, result.stdout, problems, result.exception)


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work from the fixture folder so that file names in messages are short and stable."""
    monkeypatch.chdir(FIXTURES)
    return FIXTURES
