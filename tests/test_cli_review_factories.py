"""'review' of two models of different factories says so and exits 2, unless --any-factory (--force only replaces an
output file)."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from factorysec.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()


def _other_factory(tmp_path: Path) -> Path:
    target = tmp_path / "other"
    shutil.copytree(EXAMPLES / "current", target)
    factory = target / "factory.yaml"
    text = factory.read_text(encoding="utf-8")
    old_id = text.split("id:", 1)[1].split()[0].strip(",}")
    factory.write_text(text.replace(f"id: {old_id}", "id: plant-elsewhere", 1), encoding="utf-8")
    return target


def test_two_factories_are_refused_without_any_factory_and_force_does_not_lift_it(tmp_path: Path) -> None:
    other = _other_factory(tmp_path)
    for extra in ([], ["--force"]):
        result = runner.invoke(app, ["review", str(EXAMPLES / "current"), str(other), *extra])
        assert result.exit_code == 2
        assert "AFTER is factory 'plant-elsewhere'" in result.stderr
        assert "--any-factory" in result.stderr
        assert result.stdout == ""


def test_any_factory_reviews_them_anyway(tmp_path: Path) -> None:
    other = _other_factory(tmp_path)
    result = runner.invoke(app, ["review", str(EXAMPLES / "current"), str(other), "--any-factory", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("{")


def test_two_versions_of_one_factory_need_no_force() -> None:
    result = runner.invoke(app, ["review", str(EXAMPLES / "current"), str(EXAMPLES / "all-cases-reviewed.yaml")])
    assert result.exit_code == 0, result.stderr
