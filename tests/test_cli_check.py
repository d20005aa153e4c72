"""``factorysec check``, ``init`` and ``schema`` through the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.model.sources import assemble
from tests.model.conftest import EXAMPLES, FIXTURES, PROBLEM_LINE, run_check


def test_init_writes_a_model_that_passes_check(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["init", str(tmp_path / "plant")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "plant" / "factory.yaml").is_file()
    checked = run_check(tmp_path / "plant" / "factory.yaml")
    assert checked.exit_code == 0, checked.problems
    assert run_check(tmp_path / "plant").exit_code == 0


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "factory.yaml"
    target.write_text("# mine\n", encoding="utf-8")
    refused = CliRunner().invoke(app, ["init", str(tmp_path)])
    assert refused.exit_code == 2
    assert "factory.yaml already exists; use --force to replace it" in refused.stderr
    assert target.read_text(encoding="utf-8") == "# mine\n"
    forced = CliRunner().invoke(app, ["init", str(tmp_path), "--force"])
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8") != "# mine\n"
    assert run_check(target).exit_code == 0


def _schema() -> dict[str, object]:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    document = _schema()
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(document)


def test_schema_validates_the_annex_a_current_model() -> None:
    data = assemble(EXAMPLES / "current").data
    jsonschema.Draft202012Validator(_schema()).validate(json.loads(json.dumps(data, default=str)))


def test_schema_rejects_what_check_rejects_structurally() -> None:
    validator = jsonschema.Draft202012Validator(_schema())
    data = {
        "factory": {"id": "f1", "name": "Plant"},
        "zones": [{"id": "z1", "name": "Z", "kind": "office", "zoen": "x"}],
    }
    assert not validator.is_valid(data)
    data["zones"] = [{"id": "z1", "name": "Z", "kind": "offfice"}]
    assert not validator.is_valid(data)


def test_schema_rejects_a_value_listed_twice_as_check_does() -> None:
    validator = jsonschema.Draft202012Validator(_schema())
    data = {"factory": {"id": "f1", "name": "Plant", "purposes": ["improve-quality"]}}
    assert validator.is_valid(data)
    data["factory"]["purposes"] = ["improve-quality", "improve-quality"]
    assert not validator.is_valid(data)
    asset = {"id": "a", "name": "A", "type": "equipment", "zone": "z", "traits": ["oss", "oss"]}
    assert not validator.is_valid({"factory": {"id": "f1", "name": "Plant"}, "assets": [asset]})


def test_check_of_a_missing_path_is_a_clean_error(tmp_path: Path) -> None:
    result = run_check(tmp_path / "nowhere.yaml")
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len(result.problems) == 1
    assert PROBLEM_LINE.match(result.problems[0])
    assert result.problems[0].endswith("no such file or folder (check the path)")


def test_check_of_an_empty_folder_is_a_clean_error(tmp_path: Path) -> None:
    result = run_check(tmp_path)
    assert result.exit_code == 2
    assert result.problems[0].endswith("folder holds no .yaml or .yml files (add the model files)")


def test_check_prints_the_count_last_and_nothing_on_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    result = CliRunner().invoke(app, ["check", "many-problems.yaml"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == "4 problems found"


def test_installed_command_exits_2_without_traceback() -> None:
    script = Path(sys.executable).with_name("factorysec")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from factorysec.cli import main; main()"]
    done = subprocess.run(
        [*command, "check", "unsafe-tag.yaml"],
        cwd=FIXTURES,
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("unsafe-tag.yaml:3:9: unsupported YAML tag")


@pytest.mark.parametrize("module", ["factorysec", "factorysec.cli"])
def test_python_dash_m_runs_the_command(module: str) -> None:
    """``python -m factorysec.cli`` ran ``main()`` from a guard placed above a function it calls: NameError."""
    done = subprocess.run(
        [sys.executable, "-m", module, "check", str(EXAMPLES / "current")],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
    )
    assert done.returncode == 0, done.stderr
    assert "valid — 6 zones" in done.stdout
