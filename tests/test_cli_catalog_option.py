"""'factorysec --catalog DIR': a model checked and analysed against a catalog the user chose (#16 item 5)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.catalog.loader import default_data_dir
from factorysec.cli import app

runner = CliRunner()

COMPANY_PURPOSE = """  - id: protect-recipes
    title:
      en: "Protect the recipes"
      ja: "レシピを守る"
    ref: "Appendix 3.1.1, Table 3-1 (a company's own purpose)"
    examples:
      - {en: "Keep recipes inside the company", ja: "レシピを社外に出さない"}
"""

MODEL = """factory:
  id: f
  name: F
  purposes: [protect-recipes]
zones:
  - {id: office, name: Office, kind: office}
"""


@pytest.fixture
def company_catalog(tmp_path: Path) -> Path:
    """A copy of the packaged catalog with one purpose of the company's own added."""
    folder = tmp_path / "catalog"
    shutil.copytree(str(default_data_dir()), folder)
    with (folder / "purposes.yaml").open("a", encoding="utf-8") as purposes:
        purposes.write(COMPANY_PURPOSE)
    return folder


@pytest.fixture
def model(tmp_path: Path) -> Path:
    path = tmp_path / "plant.yaml"
    path.write_text(MODEL, encoding="utf-8")
    return path


def test_the_packaged_catalog_refuses_a_purpose_it_does_not_know(model: Path) -> None:
    result = runner.invoke(app, ["check", str(model)])
    assert result.exit_code == 2
    assert "plant.yaml:4" in result.output and "protect-recipes" in result.output


def test_a_company_catalog_given_with_catalog_accepts_it_and_analyses_with_it(
    model: Path, company_catalog: Path
) -> None:
    assert runner.invoke(app, ["--catalog", str(company_catalog), "check", str(model)]).exit_code == 0
    analysed = runner.invoke(app, ["--catalog", str(company_catalog), "analyze", str(model), "--format", "json"])
    assert analysed.exit_code in (0, 1), analysed.output
    assert '"protect-recipes"' in analysed.stdout


def test_the_catalog_can_come_from_the_environment(model: Path, company_catalog: Path) -> None:
    result = runner.invoke(app, ["check", str(model)], env={"FACTORYSEC_CATALOG": str(company_catalog)})
    assert result.exit_code == 0, result.output


def test_a_missing_or_broken_catalog_is_one_line_per_problem_and_exit_2(
    model: Path, company_catalog: Path, tmp_path: Path
) -> None:
    missing = runner.invoke(app, ["--catalog", str(tmp_path / "nowhere"), "check", str(model)])
    assert missing.exit_code == 2 and "--catalog:" in missing.output and "not a folder" in missing.output
    (company_catalog / "purposes.yaml").write_text("purposes:\n  - id: protect-recipes\n", encoding="utf-8")
    broken = runner.invoke(app, ["--catalog", str(company_catalog), "check", str(model)])
    assert broken.exit_code == 2 and "Traceback" not in broken.output
    assert all(line.startswith("--catalog: ") for line in broken.output.strip().splitlines()), broken.output


def test_a_folder_that_is_not_a_catalog_is_one_line_from_the_option_or_the_environment(
    model: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    expected = f"--catalog: {empty}: not a catalog folder (none of its 15 files found: expected e.g. steps.yaml, purposes.yaml)\n"
    given = runner.invoke(app, ["--catalog", str(empty), "check", str(model)])
    assert (given.exit_code, given.stdout, given.stderr) == (2, "", expected)
    from_env = runner.invoke(app, ["check", str(model)], env={"FACTORYSEC_CATALOG": str(empty)})
    assert (from_env.exit_code, from_env.stdout, from_env.stderr) == (2, "", expected)


def test_a_catalog_missing_some_files_is_one_line_naming_them(model: Path, company_catalog: Path) -> None:
    (company_catalog / "ooda.yaml").unlink()
    (company_catalog / "steps.yaml").unlink()
    result = runner.invoke(app, ["--catalog", str(company_catalog), "analyze", str(model)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert (
        result.stderr == f"--catalog: {company_catalog}: 2 of the catalog's 15 files missing: steps.yaml, ooda.yaml\n"
    )


COMPANY_COMPONENT = """      - id: recipe-vault
        origin: smartification
        title: {en: "Recipe vault", ja: "レシピ保管装置"}
        ref: "Appendix 3.1.4, Table 3-3 (a company's own component)"
"""

MODEL_WITH_COMPONENT = """factory:
  id: f
  name: F
zones:
  - {id: office, name: Office, kind: office}
assets:
  - {id: vault, name: Vault, type: equipment, component: recipe-vault, zone: office}
"""


def test_explain_and_catalog_know_an_id_only_the_chosen_catalog_has(company_catalog: Path) -> None:
    packaged = runner.invoke(app, ["explain", "protect-recipes"])
    assert packaged.exit_code == 2 and "unknown id 'protect-recipes'" in packaged.output
    chosen = runner.invoke(app, ["--catalog", str(company_catalog), "explain", "protect-recipes"])
    assert chosen.exit_code == 0, chosen.output
    assert chosen.stdout.startswith("protect-recipes: Protect the recipes\n")
    assert "Table 3-1 (a company's own purpose)" in chosen.stdout
    near = runner.invoke(app, ["--catalog", str(company_catalog), "explain", "protect-recipe"])
    assert near.exit_code == 2 and "did you mean protect-recipes?" in near.output
    listed = runner.invoke(app, ["--catalog", str(company_catalog), "catalog", "purposes", "--format", "json"])
    assert listed.exit_code == 0 and "protect-recipes" in {row["id"] for row in json.loads(listed.stdout)["purposes"]}
    assert "protect-recipes" not in runner.invoke(app, ["catalog", "purposes"]).stdout


def test_otm_import_checks_the_model_against_the_chosen_catalog(
    model: Path, company_catalog: Path, tmp_path: Path
) -> None:
    otm = tmp_path / "plant.otm.json"
    exported = runner.invoke(app, ["--catalog", str(company_catalog), "export", "otm", str(model), "--out", str(otm)])
    assert exported.exit_code == 0, exported.output
    refused = runner.invoke(app, ["import", "otm", str(otm), "--out", str(tmp_path / "packaged.yaml")])
    assert refused.exit_code == 2
    assert "plant.otm.json:/project: purposes.0: 'protect-recipes' is not a known purpose id" in refused.output
    assert not (tmp_path / "packaged.yaml").exists()
    back = tmp_path / "back.yaml"
    imported = runner.invoke(app, ["--catalog", str(company_catalog), "import", "otm", str(otm), "--out", str(back)])
    assert imported.exit_code == 0, imported.output
    assert "- protect-recipes" in back.read_text(encoding="utf-8")


def test_threagile_import_checks_the_model_against_the_chosen_catalog(company_catalog: Path, tmp_path: Path) -> None:
    object_types = company_catalog / "object_types.yaml"
    known = object_types.read_text(encoding="utf-8")
    object_types.write_text(
        known.replace("      - id: network-equipment\n", COMPANY_COMPONENT + "      - id: network-equipment\n", 1),
        encoding="utf-8",
    )
    source = tmp_path / "vault.yaml"
    source.write_text(MODEL_WITH_COMPONENT, encoding="utf-8")
    threagile = tmp_path / "vault.threagile.yaml"
    exported = runner.invoke(
        app, ["--catalog", str(company_catalog), "export", "threagile", str(source), "--out", str(threagile)]
    )
    assert exported.exit_code == 0, exported.output
    refused = runner.invoke(app, ["import", "threagile", str(threagile), "--out", str(tmp_path / "packaged.yaml")])
    assert refused.exit_code == 2
    assert "component: 'recipe-vault' is not a known component id" in refused.output
    back = tmp_path / "back.yaml"
    imported = runner.invoke(
        app, ["--catalog", str(company_catalog), "import", "threagile", str(threagile), "--out", str(back)]
    )
    assert imported.exit_code == 0, imported.output
    assert "component: recipe-vault" in back.read_text(encoding="utf-8")
