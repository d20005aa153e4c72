"""Whole-model checks on a model with every kind of placement and reference problem, valid as a whole or not.

The checks read each field of a section at once and visit entries one by one
only when something may be wrong; these cases pin the messages and their
places, including a partial model (invalid entries left out) whose sections
have gaps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factorysec.catalog import load_catalog
from factorysec.model import ModelInputError, load_model

MODEL = """\
factory: {id: f, name: F}
departments: [{id: d1, name: D, kind: security}]
zones:
  - {id: z1, name: Z1, kind: office}
  - {id: z2, name: Z2, kind: production, parent: z3}
  - {id: z3, name: Z3, kind: production, parent: z2}
assets:
  - {id: a0, name: A0, type: equipment, zone: z1, supplier: nobody}
  - {id: a1, name: A1, type: equipment}
  - {id: a2, name: A2, type: data, zone: z1, data: {controller: d2, lifecycle: [{event: storage, zone: z9}]}}
  - {id: a3, name: A3, type: equipment, zone: z2, data: {category: x}}
  - {id: a4, name: A4, type: equipment, zone: z1, operations: [op9]}
  - {id: a2, name: dup, type: equipment, zone: z1}
conduits:
  - {id: c0, from: z1, to: z2, from_assets: [a3], to_assets: [a4], data: [a4, a2]}
  - {id: c1, from: z1, to: z9, from_assets: [a0, zz]}
  - {id: c2, from: z1, to: z2}
  - {id: c3, from: z1, to: z2, data: [a2], controls: [no-such-control]}
"""

VALID_AS_A_WHOLE = [
    "m.yaml:5:42: zones[1].parent: sub-zone cycle: z2 -> z3 -> z2 (break the cycle by changing one 'parent')",
    "m.yaml:8:51: assets[0].supplier: unknown party 'nobody' (define it under parties)",
    "m.yaml:9:5: assets[1]: asset 'a1' is in no zone (add 'zone: ZONE-ID'; every protected object belongs to a zone (Step 1-6))",
    "m.yaml:10:53: assets[2].data.controller: unknown department or party 'd2' (define it under departments or parties)",
    "m.yaml:10:98: assets[2].data.lifecycle[0].zone: unknown zone 'z9' (define it under zones)",
    "m.yaml:11:51: assets[3].data: data attributes are only for assets of type 'data' (remove 'data:' or set 'type: data')",
    "m.yaml:12:64: assets[4].operations[0]: unknown operation 'op9' (define it under operations)",
    "m.yaml:13:6: assets[5].id: duplicate id 'a2', already used in assets[2] (ids must be unique across the whole model)",
    "m.yaml:15:46: conduits[0].from_assets[0]: asset 'a3' is in zone 'z2', not in 'z1' (list only assets of zone 'z1' in from_assets)",
    "m.yaml:15:63: conduits[0].to_assets[0]: asset 'a4' is in zone 'z1', not in 'z2' (list only assets of zone 'z2' in to_assets)",
    "m.yaml:15:75: conduits[0].data[0]: 'a4' is not a data asset (list data assets (type: data) here; name devices under from_assets/to_assets)",
    "m.yaml:15:79: conduits[0].data[1]: 'a2' is not a data asset (list data assets (type: data) here; name devices under from_assets/to_assets)",
    "m.yaml:16:24: conduits[1].to: unknown zone 'z9' (define it under zones)",
    "m.yaml:16:50: conduits[1].from_assets[1]: unknown asset 'zz' (define it under assets)",
    "m.yaml:18:39: conduits[3].data[0]: 'a2' is not a data asset (list data assets (type: data) here; name devices under from_assets/to_assets)",
    "m.yaml:18:55: conduits[3].controls[0]: 'no-such-control' is not a known measure id in the catalog (see 'factorysec catalog measures' for the ids)",
]

WITH_INVALID_ENTRIES = [
    "m.yaml:5:42: zones[1].parent: sub-zone cycle: z2 -> z3 -> z2 (break the cycle by changing one 'parent')",
    "m.yaml:8:24: assets[0].type: 'equipmnt' is not allowed, expected one of: external-service, equipment, software, data (did you mean 'equipment'?)",
    "m.yaml:8:50: assets[0].supplier: unknown party 'nobody' (define it under parties)",
    "m.yaml:9:5: assets[1]: asset 'a1' is in no zone (add 'zone: ZONE-ID'; every protected object belongs to a zone (Step 1-6))",
    "m.yaml:10:53: assets[2].data.controller: unknown department or party 'd2' (define it under departments or parties)",
    "m.yaml:10:98: assets[2].data.lifecycle[0].zone: unknown zone 'z9' (define it under zones)",
    "m.yaml:11:51: assets[3].data: data attributes are only for assets of type 'data' (remove 'data:' or set 'type: data')",
    "m.yaml:12:64: assets[4].operations[0]: unknown operation 'op9' (define it under operations)",
    "m.yaml:13:6: assets[5].id: duplicate id 'a2', already used in assets[2] (ids must be unique across the whole model)",
    "m.yaml:15:46: conduits[0].from_assets[0]: asset 'a3' is in zone 'z2', not in 'z1' (list only assets of zone 'z1' in from_assets)",
    "m.yaml:15:63: conduits[0].to_assets[0]: asset 'a4' is in zone 'z1', not in 'z2' (list only assets of zone 'z2' in to_assets)",
    "m.yaml:15:75: conduits[0].data[0]: 'a4' is not a data asset (list data assets (type: data) here; name devices under from_assets/to_assets)",
    "m.yaml:15:79: conduits[0].data[1]: 'a2' is not a data asset (list data assets (type: data) here; name devices under from_assets/to_assets)",
    "m.yaml:16:24: conduits[1].to: unknown zone 'z9' (define it under zones)",
    "m.yaml:16:32: conduits[1].bogus: unknown field 'bogus' (allowed: id, name, from, to, from_assets, to_assets, direction, one_way, data, carries, carries_control_instructions, instructions_from, protocols, external_network, via, controls, status)",
    "m.yaml:16:60: conduits[1].from_assets[1]: unknown asset 'zz' (define it under assets)",
    "m.yaml:18:39: conduits[3].data[0]: 'a2' is not a data asset (list data assets (type: data) here; name devices under from_assets/to_assets)",
    "m.yaml:18:55: conduits[3].controls[0]: 'no-such-control' is not a known measure id in the catalog (see 'factorysec catalog measures' for the ids)",
]


def _problems(folder: Path, text: str) -> list[str]:
    (folder / "m.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ModelInputError) as info:
        load_model(folder / "m.yaml", load_catalog())
    return [str(problem) for problem in info.value.problems]


def test_every_problem_of_a_structurally_valid_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _problems(tmp_path, MODEL) == VALID_AS_A_WHOLE


def test_every_problem_when_some_entries_are_invalid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = MODEL.replace(
        "type: equipment, zone: z1, supplier: nobody", "type: equipmnt, zone: z1, supplier: nobody"
    ).replace("to: z9, from_assets", "to: z9, bogus: 1, from_assets")
    assert _problems(tmp_path, text) == WITH_INVALID_ENTRIES
