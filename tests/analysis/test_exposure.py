"""Exposure: entry points, one-way conduits, shortest versus weakest paths, and linear cost."""

from __future__ import annotations

import heapq
from pathlib import Path

import pytest
import yaml
from plan_support import SMALL

from factorysec.analysis import analyze
from factorysec.analysis import exposure as exposure_module
from factorysec.analysis.context import build_context
from factorysec.analysis.exposure import compute_exposure
from factorysec.catalog import Catalog, load_catalog
from factorysec.model import load_model


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_entry_points_cover_external_zone_network_and_traits(catalog: Catalog) -> None:
    assessment = analyze(load_model(SMALL), catalog, rules=())
    kinds = {(e.kind, e.element, e.zone) for e in assessment.entry_points}
    assert ("external-zone", "ext", "ext") in kinds
    assert ("external-network", "ext-dmz", "dmz") in kinds
    assert ("external-network", "ext-dmz", "ext") in kinds  # two-way: lands on both ends
    assert ("removable-media", "pc", "office") in kinds
    assert all(e.rule == "EXPOSURE-ENTRY" and e.reference for e in assessment.entry_points)


def test_one_way_conduit_is_never_crossed_backwards(catalog: Catalog) -> None:
    exposure = analyze(load_model(SMALL), catalog, rules=()).exposure
    assert exposure["island"].reachable is False  # island -> ctrl exists, ctrl -> island does not
    assert exposure["ctrl"].hops == 1 and exposure["ctrl"].shortest_via == "dmz-ctrl"
    assert exposure["office"].hops == 0  # removable media lands there directly


def test_shortest_and_weakest_paths_differ(catalog: Catalog) -> None:
    assessment = analyze(load_model(SMALL), catalog, rules=())
    line = assessment.exposure["line"]
    assert line.hops == 1 and line.shortest_via == "ext-line"
    assert line.weakest_via == "ctrl-line" and line.weakest_controls == 0.5 and line.weakest_hops == 2
    paths = {(p.target, p.kind): p for p in assessment.paths}
    shortest, weakest = paths[("line", "shortest")], paths[("line", "weakest")]
    assert [h.conduit for h in shortest.hops] == ["ext-line"] and shortest.control_weight == 3
    assert [h.conduit for h in weakest.hops] == ["dmz-ctrl", "ctrl-line"]
    assert weakest.hops[0].partial == ("net-unidirectional-control-instructions",)
    assert weakest.entry == "ext-dmz" and weakest.entry_zone == "dmz"


def _diamond_chain(tmp_path: Path, diamonds: int) -> Path:
    """ext -> d0 -> (a_i | b_i) -> d_{i+1} ...: 2**diamonds distinct paths, 4*diamonds+1 conduits."""
    zones = [{"id": "ext", "name": "ext", "kind": "external"}]
    conduits = [{"id": "c-ext", "from": "ext", "to": "d0"}]
    for i in range(diamonds + 1):
        zones.append({"id": f"d{i}", "name": f"d{i}", "kind": "production"})
    for i in range(diamonds):
        for side in ("a", "b"):
            zones.append({"id": f"{side}{i}", "name": f"{side}{i}", "kind": "production"})
            conduits.append({"id": f"c-{i}-{side}-in", "from": f"d{i}", "to": f"{side}{i}"})
            conduits.append({"id": f"c-{i}-{side}-out", "from": f"{side}{i}", "to": f"d{i + 1}"})
    path = tmp_path / "chain.yaml"
    path.write_text(
        yaml.safe_dump({"factory": {"id": "chain", "name": "chain"}, "zones": zones, "conduits": conduits}),
        encoding="utf-8",
    )
    return path


def test_cost_is_linear_in_conduits_not_paths(
    tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    diamonds = 150  # 2**150 paths: any enumeration would never finish
    model = load_model(_diamond_chain(tmp_path, diamonds))
    pushes = 0
    real_push = heapq.heappush

    def counting_push(heap: list, item: object) -> None:
        nonlocal pushes
        pushes += 1
        real_push(heap, item)

    monkeypatch.setattr(exposure_module.heapq, "heappush", counting_push)
    exposure = compute_exposure(build_context(model, catalog))
    last = exposure.zones[f"d{diamonds}"]
    assert last.hops == 2 * diamonds + 1
    assert last.weakest_hops == 2 * diamonds + 1
    assert pushes <= len(model.conduits)  # each conduit relaxes at most once per improvement; none here
