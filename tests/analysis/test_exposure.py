"""Exposure: entry points, one-way conduits, shortest versus weakest paths, and linear cost."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from factorysec.analysis import analyze
from factorysec.analysis.context import build_context
from factorysec.analysis.exposure import compute_exposure
from factorysec.catalog import Catalog, load_catalog
from factorysec.model import load_model
from tests.plan_support import SMALL


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
    assert exposure["island"].reachable is False  # island -|> ctrl enforces one way: ctrl -> island does not exist
    assert exposure["ctrl"].hops == 1 and exposure["ctrl"].shortest_via == "dmz-ctrl"
    assert exposure["office"].hops == 0  # removable media lands there directly


def _small(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    raw = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def _conduit(raw: dict[str, Any], conduit_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in raw["conduits"] if c["id"] == conduit_id)
    return found


def test_data_direction_is_not_reachability(tmp_path: Path, catalog: Catalog) -> None:
    """A zone that only sends data is reached back over the same conduit unless one way is enforced (#23 item 1)."""

    def plain_flow(raw: dict[str, Any]) -> None:
        del _conduit(raw, "island-ctrl")["one_way"]  # a one-way data flow, nothing enforcing it

    exposure = analyze(load_model(_small(tmp_path, plain_flow)), catalog, rules=()).exposure
    island = exposure["island"]
    assert island.reachable and island.hops == 2 and island.shortest_via == "island-ctrl"  # dmz -> ctrl -> island


def test_a_data_diode_on_via_makes_the_upstream_zone_unreachable(tmp_path: Path, catalog: Catalog) -> None:
    def diode(raw: dict[str, Any]) -> None:
        del _conduit(raw, "island-ctrl")["one_way"]
        raw["assets"].append(
            {"id": "diode", "name": "Diode", "type": "equipment", "component": "data-diode", "zone": "island"}
        )
        _conduit(raw, "island-ctrl")["via"] = ["diode"]

    assessment = analyze(load_model(_small(tmp_path, diode)), catalog, rules=())
    assert assessment.exposure["island"].reachable is False
    assert assessment.exposure["ctrl"].reachable is True  # downstream of the diode stays reachable


def _flipped(raw: dict[str, Any]) -> None:
    """Every conduit drawn the other way round (those enforcing one way kept: flipping a diode changes the factory)."""
    for conduit in raw["conduits"]:
        if not conduit.get("one_way"):
            conduit["from"], conduit["to"] = conduit["to"], conduit["from"]


def test_exposure_does_not_depend_on_which_way_an_arrow_was_drawn(tmp_path: Path, catalog: Catalog) -> None:
    drawn = analyze(load_model(SMALL), catalog)
    reversed_ = analyze(load_model(_small(tmp_path, _flipped)), catalog)

    def reach(assessment: Any) -> dict[str, tuple[bool, int | None, float | None, int | None]]:
        return {z: (e.reachable, e.hops, e.weakest_controls, e.weakest_hops) for z, e in assessment.exposure.items()}

    assert reach(drawn) == reach(reversed_)
    assert {e.zone for e in drawn.entry_points} == {e.zone for e in reversed_.entry_points}
    levels = {r.finding: r.level for r in drawn.risks if not r.finding.startswith("THREAT-FA-OA")}
    assert levels  # the comparison below compares something
    assert {r.finding: r.level for r in reversed_.risks if r.finding in levels} == levels


def test_an_fa_oa_link_is_rated_the_same_one_way_or_two_way(tmp_path: Path, catalog: Catalog) -> None:
    """The issue's case: the same FA-OA link drawn one-way and two-way, nothing enforcing one way, gives the same exposure and risk levels."""

    def two_way(raw: dict[str, Any]) -> None:
        link = _conduit(raw, "line-office")
        del link["one_way"]
        link["direction"] = "two-way"

    def one_way(raw: dict[str, Any]) -> None:
        del _conduit(raw, "line-office")["one_way"]

    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = analyze(load_model(_small(tmp_path / "one", one_way)), catalog)
    second = analyze(load_model(_small(tmp_path / "two", two_way)), catalog)
    assert first.exposure["line"].weakest_via == "line-office"  # reached from the office's removable media, backwards
    assert {z: e.hops for z, e in first.exposure.items()} == {z: e.hops for z, e in second.exposure.items()}
    assert {r.finding: r.level for r in first.risks} == {r.finding: r.level for r in second.risks}


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

    def counting_push(heap: list[Any], item: Any) -> None:
        nonlocal pushes
        pushes += 1
        real_push(heap, item)

    monkeypatch.setattr("factorysec.analysis.exposure.heapq.heappush", counting_push)
    exposure = compute_exposure(build_context(model, catalog))
    last = exposure.zones[f"d{diamonds}"]
    assert last.hops == 2 * diamonds + 1
    assert last.weakest_hops == 2 * diamonds + 1
    assert pushes <= len(model.conduits)  # each conduit relaxes at most once per improvement; none here


def test_entry_points_are_grouped_into_the_routes_they_open(catalog: Catalog) -> None:
    """Entry points landing in one zone open one route; an external zone opens one into each internal zone it joins (#23 item 6)."""
    assessment = analyze(load_model(SMALL), catalog, rules=())
    routes = {r.zone: r for r in assessment.entry_routes}
    assert list(routes) == ["dmz", "line", "office"]  # never the external zone itself
    assert routes["dmz"].entries == ("ext", "ext-dmz") and routes["dmz"].kinds == ("external-zone", "external-network")
    assert routes["line"].entries == ("ext", "ext-dmz")  # the internet side reaches the line over ext-line
    assert routes["office"].entries == ("pc",) and routes["office"].kinds == ("removable-media",)
    assert "'Office'" in routes["office"].reason.en and "pc" in routes["office"].reason.ja
    assert len(assessment.entry_routes) < len(assessment.entry_points)
