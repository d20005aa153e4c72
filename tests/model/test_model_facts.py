"""Two facts a model states: which parts of a law apply (a requirement's ``parts``, the closed vocabulary of its
standard's parts in the catalog) and equipment the factory did not procure (an asset's ``procured: false``).

Each test failed before the field existed (refused as an unknown field) or before its checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.catalog import Catalog
from factorysec.cli import app
from factorysec.model import load_model, load_model_with_sources
from factorysec.model.workbook import write_workbook
from tests.conftest import ROOT
from tests.model.conftest import run_check

MODEL = """\
factory: {{id: p, name: P}}
parties:
  - {{id: utility, name: Utility, kind: other}}
zones:
  - {{id: z, name: Z, kind: production}}
assets:
  - {{id: monitor, name: Monitor, type: equipment, component: iot-device, zone: z{monitor}}}
requirements:
  - {{id: espa, title: ESPA, kind: law-regulation, standard: jp-economic-security-act{espa}}}
  - {{id: iec, title: IEC, kind: standard, standard: iec-62443{iec}}}
  - {{id: own, title: Own, kind: internal{own}}}
"""


def write(tmp_path: Path, monitor: str = "", espa: str = "", iec: str = "", own: str = "") -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(MODEL.format(monitor=monitor, espa=espa, iec=iec, own=own), encoding="utf-8")
    return path


def test_the_two_facts_are_read_and_default_to_procured_and_no_part(tmp_path: Path) -> None:
    model = load_model(write(tmp_path))
    assert model.assets[0].procured and model.requirements[0].parts == []
    model = load_model(
        write(tmp_path, monitor=", supplier: utility, procured: false", espa=", parts: [critical-materials]")
    )
    assert not model.assets[0].procured and model.requirements[0].parts == ["critical-materials"]


def test_check_refuses_a_part_not_of_the_standard_a_standard_without_parts_and_parts_without_a_standard(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        espa=", parts: [core-infrastructure, critical-material]",
        iec=", parts: [core-infrastructure]",
        own=", parts: [critical-materials]",
    )
    result = run_check(path)
    assert result.exit_code == 2
    assert result.problems == [
        f"{path}:9:116: requirements[0].parts[1]: 'critical-material' is not a part of standard"
        " 'jp-economic-security-act' (its parts: core-infrastructure, critical-materials, critical-technologies,"
        " patent-non-disclosure) (did you mean 'critical-materials'?)",
        f"{path}:10:64: requirements[1].parts: requirement 'iec' names parts, but the catalog does not split standard"
        " 'iec-62443' into parts (remove 'parts'; 'factorysec catalog standard-parts' lists the standards split into"
        " parts)",
        f"{path}:11:43: requirements[2].parts: requirement 'own' names parts but no standard they are parts of (set"
        " 'standard' to the law or standard they are parts of, or remove 'parts')",
    ]


def test_check_refuses_equipment_not_procured_that_names_no_owner(tmp_path: Path) -> None:
    path = write(tmp_path, monitor=", procured: false")
    result = run_check(path)
    assert result.exit_code == 2
    assert result.problems == [
        f"{path}:7:83: assets[0].procured: asset 'monitor' is not procured by the factory ('procured: false'), but"
        " names no party that owns it (name the outside party that put it in, in 'supplier' or 'managed_by', or remove"
        " 'procured: false' if the factory bought or specified it)"
    ]
    assert run_check(write(tmp_path, monitor=", managed_by: utility, procured: false")).exit_code == 0


def test_the_refusals_are_in_japanese_too(tmp_path: Path) -> None:
    path = write(tmp_path, monitor=", procured: false", espa=", parts: [critical-material]")
    result = CliRunner().invoke(app, ["check", str(path), "--lang", "ja"])
    assert result.exit_code == 2
    assert "は規格・法令 'jp-economic-security-act' の制度ではありません" in result.stderr
    assert "所有する事業者を指していません" in result.stderr


@pytest.mark.parametrize("example", ["battery-cell", "injection-moulding-sme"])
def test_the_facts_survive_a_workbook_round_trip(example: str, tmp_path: Path, catalog: Catalog) -> None:
    model = load_model_with_sources(ROOT / "examples" / example).model
    stated = (
        [r.parts for r in model.requirements if r.parts]
        if example == "battery-cell"
        else [a.id for a in model.assets if not a.procured]
    )
    assert stated in ([["critical-materials"]], ["demand-monitor"])
    book = tmp_path / "plant.xlsx"
    write_workbook(model, book, catalog)
    assert load_model_with_sources(book).model == model
