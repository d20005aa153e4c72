"""Shared helpers: run ``factorysec check`` in-process and read its problem lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.catalog import Catalog
from factorysec.cli import app
from factorysec.model import LoadedModel, ModelInputError, load_model_with_sources
from factorysec.model.workbook import write_workbook

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


@pytest.fixture
def plant(tmp_path: Path, current_loaded: LoadedModel, catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The Annex A model exported as ``plant.xlsx`` into a temporary folder made the working directory."""
    monkeypatch.chdir(tmp_path)
    write_workbook(current_loaded.model, tmp_path / "plant.xlsx", catalog)
    return Path("plant.xlsx")


def load_problems(path: Path) -> list[str]:
    """The problems loading the model at ``path`` raises, as printed."""
    with pytest.raises(ModelInputError) as caught:
        load_model_with_sources(path)
    return [str(problem) for problem in caught.value.problems]
