"""The review command as a user runs it: two versions, a change file alone, git revisions, bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()


def test_review_two_versions_in_text() -> None:
    result = runner.invoke(app, ["review", str(EXAMPLES / "current"), str(EXAMPLES / "case-1-first-added.yaml")])
    assert result.exit_code == 0, result.output
    assert "ZONE-MIXED-CONTROL@oa" in result.output
    assert "cad-to-scada" in result.output and "Annex A step 2" in result.output


def test_review_change_file_alone_in_japanese() -> None:
    result = runner.invoke(app, ["review", str(EXAMPLES / "case-2-first-added.yaml"), "--lang", "ja"])
    assert result.exit_code == 0, result.output
    assert "ゾーニングの見直し" in result.output
    assert "ZONE-MIXED-MANAGEMENT@warehouse-zone" in result.output


def test_review_json_is_the_change_review(tmp_path: Path) -> None:
    out = tmp_path / "review.json"
    result = runner.invoke(
        app, ["review", str(EXAMPLES / "case-1-after-review.yaml"), "--format", "json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["zoning"]["new_zones"] == ["cad-control"]
    assert any(f["id"] == "ZONE-MIXED-CONTROL@oa" and f["change"] == "resolved" for f in data["zoning"]["findings"])


def test_review_same_model_says_no_change() -> None:
    result = runner.invoke(app, ["review", str(EXAMPLES / "current"), str(EXAMPLES / "current")])
    assert result.exit_code == 0, result.output
    assert "No change" in result.output


def test_review_of_a_plain_model_alone_is_an_input_error() -> None:
    result = runner.invoke(app, ["review", str(EXAMPLES / "current")])
    assert result.exit_code == 2
    assert "not a change file" in result.output


def test_review_invalid_after_exits_2_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("factory: {id: f, name: F}\nzones:\n  - {id: z, name: Z, kind: offce}\n", encoding="utf-8")
    result = runner.invoke(app, ["review", str(EXAMPLES / "current"), str(bad)])
    assert result.exit_code == 2
    assert "bad.yaml:3" in result.output
    assert "Traceback" not in result.output


def test_review_rejects_unknown_format() -> None:
    result = runner.invoke(app, ["review", str(EXAMPLES / "current"), str(EXAMPLES / "current"), "--format", "xml"])
    assert result.exit_code == 2 and "--format" in result.output


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES, root / "annex-a")
    model = root / "annex-a" / "model"
    shutil.copytree(EXAMPLES / "current", model)
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "current")
    factory = model / "factory.yaml"
    factory.write_text(
        factory.read_text(encoding="utf-8") + "  - {id: cloud-co, name: Cloud company, kind: cloud-provider}\n",
        encoding="utf-8",
    )
    _git(root, "commit", "-qam", "add a party")
    return root


def test_review_git_range(repo: Path) -> None:
    result = runner.invoke(
        app, ["review", str(repo / "annex-a" / "model"), "--git", "HEAD~1..HEAD", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(e["kind"], e["id"], e["change"]) for e in data["elements"]] == [("party", "cloud-co", "added")]


def test_review_git_against_working_tree(repo: Path) -> None:
    factory = repo / "annex-a" / "model" / "factory.yaml"
    factory.write_text(
        factory.read_text(encoding="utf-8").replace("Annex A example factory", "Renamed factory"), encoding="utf-8"
    )
    result = runner.invoke(app, ["review", str(repo / "annex-a" / "model"), "--git", "HEAD", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(e["kind"], e["id"], e["change"]) for e in data["elements"]] == [("factory", "annex-a-factory", "changed")]
    assert data["elements"][0]["fields"] == [
        {"field": "name", "before": "Annex A example factory", "after": "Renamed factory"}
    ]


def test_review_git_unknown_revision(repo: Path) -> None:
    result = runner.invoke(app, ["review", str(repo / "annex-a" / "model"), "--git", "no-such-rev"])
    assert result.exit_code == 2
    assert "unknown git revision 'no-such-rev'" in result.output


def test_review_git_outside_a_repository(tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(EXAMPLES / "current", model)
    result = runner.invoke(app, ["review", str(model), "--git", "HEAD"])
    assert result.exit_code == 2
    assert "not inside a git repository" in result.output


def test_review_git_invalid_revision_names_revision_and_line(repo: Path) -> None:
    zones = repo / "annex-a" / "model" / "zones.yaml"
    zones.write_text(zones.read_text(encoding="utf-8").replace("kind: office", "kind: offce"), encoding="utf-8")
    _git(repo, "commit", "-qam", "typo")
    result = runner.invoke(app, ["review", str(repo / "annex-a" / "model"), "--git", "HEAD~1..HEAD"])
    assert result.exit_code == 2
    assert "HEAD:annex-a/model/zones.yaml:" in result.output
    assert "offce" in result.output
