"""A conduit's ``instructions_from``: which end issues its control instructions (``from``, the drawn way, or ``to``).

Each test failed before the field existed (refused as an unknown field) or before its checks."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.cli import app
from factorysec.interchange.mapping import ImportMapping
from factorysec.interchange.otm import export_otm, import_otm
from factorysec.interchange.threagile import export_threagile, import_threagile
from factorysec.model import load_model, load_model_with_sources
from factorysec.model.workbook import write_workbook
from tests.conftest import ROOT
from tests.model.conftest import run_check

MODEL = """\
factory: {{id: p, name: P}}
zones:
  - {{id: z, name: Z, kind: production}}
  - {{id: c, name: C, kind: external}}
assets:
  - {{id: router, name: Router, type: equipment, component: router, zone: z}}
conduits:
  - {{id: up, from: z, to: c, from_assets: [router]{up}}}
"""
MACHINE = ROOT / "examples" / "machine-builder"


def write(tmp_path: Path, up: str) -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(MODEL.format(up=up), encoding="utf-8")
    return path


def test_the_field_is_read_and_absent_by_default(tmp_path: Path) -> None:
    assert load_model(write(tmp_path, "")).conduits[0].instructions_from is None
    stated = ", direction: two-way, carries_control_instructions: true, instructions_from: to"
    assert load_model(write(tmp_path, stated)).conduits[0].instructions_from == "to"


def test_check_refuses_it_without_control_instructions_and_to_on_a_one_way_conduit(tmp_path: Path) -> None:
    path = write(tmp_path, ", direction: two-way, instructions_from: to")
    result = run_check(path)
    assert result.exit_code == 2
    assert result.problems == [
        f"{path}:8:73: conduits[0].instructions_from: conduit 'up' says its control instructions are issued at its"
        " 'to' end, but it carries none ('carries_control_instructions' is false) (set"
        " 'carries_control_instructions: true' if control instructions do cross it, or remove 'instructions_from')"
    ]
    path = write(tmp_path, ", carries_control_instructions: true, instructions_from: to")
    result = run_check(path)
    assert result.exit_code == 2
    assert result.problems == [
        f"{path}:8:89: conduits[0].instructions_from: conduit 'up' is one-way, from 'from' to 'to', so its 'to' end"
        " cannot send it control instructions (set 'direction: two-way' if the 'to' end answers over it, or swap 'from'"
        " and 'to' and remove 'instructions_from')"
    ]
    assert run_check(write(tmp_path, ", carries_control_instructions: true, instructions_from: from")).exit_code == 0


def test_the_refusals_are_in_japanese_too(tmp_path: Path) -> None:
    path = write(tmp_path, ", carries_control_instructions: true, instructions_from: to")
    result = CliRunner().invoke(app, ["check", str(path), "--lang", "ja"])
    assert result.exit_code == 2
    assert "の端から制御指示を送れません" in result.stderr


def test_the_schema_states_the_field() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    conduit = json.loads(result.stdout)["$defs"]["Conduit"]["properties"]["instructions_from"]
    assert {"enum": ["from", "to"], "type": "string"} in conduit["anyOf"]


def _stated(model: object) -> list[tuple[str, str]]:
    return [(c.id, c.instructions_from) for c in getattr(model, "conduits") if c.instructions_from is not None]  # noqa: B009


def test_it_survives_a_workbook_round_trip(tmp_path: Path, catalog: Catalog) -> None:
    model = load_model_with_sources(MACHINE).model
    assert _stated(model) == [("test-gw-to-cloud", "to"), ("cnc-monitoring", "to")]
    book = tmp_path / "plant.xlsx"
    write_workbook(model, book, catalog)
    assert load_model_with_sources(book).model == model


@pytest.mark.parametrize("tool", ["otm", "threagile"])
def test_it_survives_an_otm_and_a_threagile_round_trip(tool: str, catalog: Catalog) -> None:
    model = load_model(MACHINE)
    assessment = analyze(model, catalog)
    if tool == "otm":
        document, report = export_otm(model, assessment, catalog)
        back = import_otm(json.loads(json.dumps(document)), "m.otm.json", ImportMapping(), catalog).model
    else:
        document, report = export_threagile(model, assessment, catalog)
        back = import_threagile(copy.deepcopy(document), "t.yaml", ImportMapping(), catalog).model
    assert sorted(_stated(back)) == sorted(_stated(model))
    assert not [line for line in report.of("dropped") if "instructions_from" in line.detail]
