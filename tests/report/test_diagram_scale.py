"""A diagram at every size: when conduits are grouped per pair of zones, when zones go on a grid, and each zone's diagram of its neighbours."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.cli import app
from factorysec.model.entities import FactoryModel
from factorysec.report import diagram
from factorysec.report.diagram import (
    DiagramOptions,
    conduit_element_id,
    neighbour_diagrams,
    plan_diagram,
    render_svg,
    zone_element_id,
)

SVG = "{http://www.w3.org/2000/svg}"


def plant(zones: int, assets: int, conduits: int, *, spread: int = 3) -> FactoryModel:
    """A generated plant: ``assets`` equipment spread over ``zones`` zones, ``conduits`` conduits from each zone to one of the next ``spread`` zones, every fifth inside a zone."""
    model = {
        "factory": {"id": "generated", "name": "Generated plant"},
        "operations": [{"id": "op", "name": "Operation", "importance": "high"}],
        "zones": [
            {"id": f"z{i}", "name": f"Zone {i}", "kind": ("office", "production-control", "production")[i % 3]}
            for i in range(zones)
        ],
        "assets": [
            {"id": f"a{i}", "name": f"Asset {i}", "type": "equipment", "zone": f"z{i % zones}", "operations": ["op"]}
            for i in range(assets)
        ],
        "conduits": [
            {
                "id": f"c{i}",
                "from": f"z{i % zones}",
                "to": f"z{i % zones}" if i % 5 == 4 else f"z{(i % zones + 1 + (i // zones) % spread) % zones}",
                "carries": "orders",
                "carries_control_instructions": i % 7 == 0,
            }
            for i in range(conduits)
        ],
    }
    return FactoryModel.model_validate(model)


def _write_yaml(model: FactoryModel, path: Path) -> Path:
    from factorysec.model.writer import dump_model

    path.write_text(dump_model(model), encoding="utf-8")
    return path


def _zone_texts(root: ET.Element, zone_id: str) -> str:
    group = root.find(f".//{SVG}g[@id='{zone_element_id(zone_id)}']")
    assert group is not None, f"zone {zone_id} is not drawn"
    return " ".join(t.text or "" for t in group.iter(f"{SVG}text"))


@pytest.mark.parametrize(("zones", "assets", "conduits"), [(10, 30, 210), (20, 1000, 1500)])
def test_report_draws_every_zone_of_ordinary_plants_with_conduits_grouped(
    tmp_path: Path, zones: int, assets: int, conduits: int
) -> None:
    """The plants the issue names (10 zones and 210 conduits; 20 zones and 1,000 assets) get a picture, and the command says what was grouped."""
    model = plant(zones, assets, conduits)
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", str(_write_yaml(model, tmp_path / "plant.yaml")), "--out", str(out)])
    assert result.exit_code == 0, result.output
    root = ET.fromstring((out / "zones.svg").read_text(encoding="utf-8"))
    for zone in model.zones:
        assert zone.name in _zone_texts(root, zone.id)
    between = sum(1 for c in model.conduits if c.from_zone != c.to_zone)
    assert f"{between:,} conduits between zones are drawn as" in result.output
    assert "one per pair of zones" in result.output
    assert sorted(p.name for p in (out / "zones").iterdir()) == sorted(f"{z.id}.html" for z in model.zones), (
        "plants under 30 zones need no diagram per zone, only their pages"
    )
    page = (out / "report.html").read_text(encoding="utf-8")
    assert f"{between:,} conduits between zones are drawn as" in page, (
        "the page says what was grouped (the diagram's caption)"
    )


def test_few_conduits_are_drawn_one_by_one_but_a_busy_pair_is_grouped(catalog: Catalog) -> None:
    model = FactoryModel.model_validate(
        {
            **plant(4, 8, 0).model_dump(by_alias=True, exclude={"conduits"}),
            "conduits": [
                *(
                    {"id": f"busy{i}", "from": "z0", "to": "z1", "carries": "orders"}
                    for i in range(diagram.SINGLE_CONDUIT_PAIR + 1)
                ),
                {"id": "quiet", "from": "z1", "to": "z2", "carries": "recipes"},
                {"id": "back", "from": "z2", "to": "z1", "carries": "status"},
            ],
        }
    )
    plan = plan_diagram(model)
    assert not plan.grid
    assert [c.id for c in plan.singles] == ["quiet", "back"]
    assert [[c.id for c in group] for group in plan.groups] == [
        [f"busy{i}" for i in range(diagram.SINGLE_CONDUIT_PAIR + 1)]
    ]
    note = plan.note()
    assert (
        note is not None and f"more than {diagram.SINGLE_CONDUIT_PAIR} conduits" in note.en and "コンジット" in note.ja
    )
    root = ET.fromstring(render_svg(model, analyze(model, catalog)))
    for drawn in ("busy0", "quiet", "back"):
        assert root.find(f".//{SVG}g[@id='{conduit_element_id(drawn)}']") is not None
    assert root.find(f".//{SVG}g[@id='{conduit_element_id('busy1')}']") is None
    assert f"{diagram.SINGLE_CONDUIT_PAIR + 1} flows" in ET.tostring(root, encoding="unicode")


def test_a_plant_with_few_conduits_has_no_grouping_note() -> None:
    model = plant(4, 8, 6)
    plan = plan_diagram(model)
    assert plan.groups == () and plan.inside == {} and plan.note() is None
    assert len(plan.singles) == 6


def test_many_conduits_group_every_pair_even_the_quiet_ones() -> None:
    model = plant(10, 30, diagram.SINGLE_CONDUIT_TOTAL + 1, spread=9)
    plan = plan_diagram(model)
    assert plan.singles == () and plan.groups
    assert sum(len(g) for g in plan.groups) + sum(plan.inside.values()) == diagram.SINGLE_CONDUIT_TOTAL + 1
    assert min(len(g) for g in plan.groups) == 1


def test_too_many_arrows_for_nested_boxes_switch_to_the_grid() -> None:
    model = plant(20, 40, 20 * 19 * 2, spread=19)
    plan = plan_diagram(model)
    assert len(model.zones) < diagram.LARGE_ZONE_COUNT and len(plan.groups) > diagram.NESTED_LINK_LIMIT
    assert plan.grid


def test_the_grid_overview_keeps_the_weightiest_arrows_and_says_so(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = plant(40, 80, 400, spread=12)
    monkeypatch.setattr(diagram, "OVERVIEW_LINK_LIMIT", 10)
    plan = plan_diagram(model)
    assert plan.grid and len(plan.groups) == 10 and plan.left_out
    assert all(any(c.carries_control_instructions for c in g) for g in plan.groups), (
        "control-instruction pairs come first"
    )
    note = plan.note()
    assert (
        note is not None
        and f"10 of the {10 + len(plan.left_out):,} linked pairs" in note.en
        and "zones/<zone id>.svg" in note.en
    )
    svg = render_svg(model, analyze(model, catalog), DiagramOptions(zone_diagram_link="zones/{id}.svg"))
    root = ET.fromstring(svg)
    for zone in model.zones:
        assert zone.name in _zone_texts(root, zone.id)
    assert 'href="zones/z7.svg"' in svg


def test_each_zone_gets_a_diagram_of_its_neighbours(catalog: Catalog) -> None:
    model = plant(40, 120, 400, spread=4)
    assessment = analyze(model, catalog)
    drawn = dict(neighbour_diagrams(model, assessment, "ja", batch=7))
    assert list(drawn) == [zone.id for zone in model.zones]
    root = ET.fromstring(drawn["z5"])
    neighbours = {c.to_zone for c in model.conduits if c.from_zone == "z5"} | {
        c.from_zone for c in model.conduits if c.to_zone == "z5"
    }
    neighbours.discard("z5")
    assert neighbours
    for zone_id in neighbours:
        assert f"Zone {zone_id[1:]}" in _zone_texts(root, zone_id)
        assert f'href="{zone_id}.svg"' in drawn["z5"]
    assert "Asset 5" in _zone_texts(root, "z5") and "Asset 45" in _zone_texts(root, "z5"), (
        "the zone in the middle lists its protected objects"
    )
    assert f"Zone 5 と隣接ゾーン {len(neighbours)}" in drawn["z5"]
    assert 'href="z5.html"' in drawn["z5"], "the zone in the middle links to its page beside the diagram"


def test_a_neighbour_linked_both_ways_gets_one_line_with_both_counts(catalog: Catalog) -> None:
    model = FactoryModel.model_validate(
        {
            **plant(3, 6, 0).model_dump(by_alias=True, exclude={"conduits"}),
            "conduits": [
                {"id": "out1", "from": "z0", "to": "z1", "carries": "orders"},
                {"id": "out2", "from": "z0", "to": "z1", "carries": "recipes"},
                {"id": "back", "from": "z1", "to": "z0", "carries": "status"},
                {"id": "only", "from": "z0", "to": "z2", "carries": "logs"},
            ],
        }
    )
    svg = dict(neighbour_diagrams(model, analyze(model, catalog)))["z0"]
    root = ET.fromstring(svg)
    both = root.find(f".//{SVG}g[@id='{conduit_element_id('out1')}']")
    assert both is not None and "→ 2 / ← 1 flows" in " ".join(t.text or "" for t in both.iter(f"{SVG}text"))
    assert len(both.findall(f".//{SVG}polygon")) == 2, "an arrowhead at each end"
    assert root.find(f".//{SVG}g[@id='{conduit_element_id('back')}']") is None
    single = root.find(f".//{SVG}g[@id='{conduit_element_id('only')}']")
    assert single is not None and "logs" in " ".join(t.text or "" for t in single.iter(f"{SVG}text"))


def test_a_hub_zone_draws_its_busiest_neighbours_and_counts_the_others(catalog: Catalog) -> None:
    zones = diagram.NEIGHBOUR_LIMIT + 6
    model = FactoryModel.model_validate(
        {
            **plant(zones, zones, 0).model_dump(by_alias=True, exclude={"conduits"}),
            "conduits": [{"id": f"h{i}", "from": "z0", "to": f"z{i}", "carries": "orders"} for i in range(1, zones)],
        }
    )
    svg = dict(neighbour_diagrams(model, analyze(model, catalog)))["z0"]
    root = ET.fromstring(svg)
    shown = [z for z in range(1, zones) if root.find(f".//{SVG}g[@id='{zone_element_id(f'z{z}')}']") is not None]
    assert len(shown) == diagram.NEIGHBOUR_LIMIT
    assert f"{zones - 1 - diagram.NEIGHBOUR_LIMIT} more zones" in svg


def test_report_on_a_large_plant_writes_and_links_a_diagram_per_zone(tmp_path: Path) -> None:
    model = plant(diagram.LARGE_ZONE_COUNT + 5, 200, 300)
    source = _write_yaml(model, tmp_path / "plant.yaml")
    out = tmp_path / "report"
    for _ in range(2):  # the second run replaces the earlier report, zone folder included
        result = CliRunner().invoke(app, ["report", str(source), "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert f"({len(model.zones)} zone pages, {len(model.zones)} zone diagrams)" in result.output
    assert sorted(p.name for p in (out / "zones").iterdir()) == sorted(
        name for z in model.zones for name in (f"{z.id}.html", f"{z.id}.svg")
    )
    for zone in model.zones:
        ET.fromstring((out / "zones" / f"{zone.id}.svg").read_text(encoding="utf-8"))
    overview = (out / "zones.svg").read_text(encoding="utf-8")
    assert 'href="zones/z3.svg"' in overview
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<svg" not in page.split('id="diagram"')[1], "the summary links to the diagram of a large plant"
    assert f"The plant has {len(model.zones)} zones" in page and 'href="zones.svg"' in page
    assert 'href="z3.svg"' in (out / "zones" / "z3.html").read_text(encoding="utf-8")


def test_a_report_folder_whose_zone_folder_holds_a_file_the_report_does_not_write_is_kept(tmp_path: Path) -> None:
    """The zone folder is replaced whole: a user's file in it (not a zone page or diagram) refuses the run, not lost."""
    source = _write_yaml(plant(3, 6, 4), tmp_path / "plant.yaml")
    out = tmp_path / "report"
    assert CliRunner().invoke(app, ["report", str(source), "--out", str(out)]).exit_code == 0
    (out / "zones" / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(source), "--out", str(out)])
    assert result.exit_code == 2
    assert "holds notes.txt, which this command does not write" in result.output
    assert (out / "zones" / "notes.txt").read_text(encoding="utf-8") == "mine"
    (out / "zones" / "notes.txt").unlink()
    result = CliRunner().invoke(app, ["report", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output  # the earlier run's zone pages alone are replaced


def test_a_report_folder_whose_zone_folder_holds_a_sub_folder_is_refused(tmp_path: Path) -> None:
    source = _write_yaml(plant(3, 6, 4), tmp_path / "plant.yaml")
    out = tmp_path / "report"
    (out / "zones" / "mine").mkdir(parents=True)
    result = CliRunner().invoke(app, ["report", str(source), "--out", str(out)])
    assert result.exit_code == 2
    assert "holds mine, which this command does not write" in result.output
