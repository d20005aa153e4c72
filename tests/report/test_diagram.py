"""Zone-and-conduit diagrams: structure, styling of control and external flows, scale, languages, escaping."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factorysec.analysis import Assessment, analyze
from factorysec.catalog import Catalog
from factorysec.catalog.models import Text
from factorysec.model import LoadedModel
from factorysec.model.entities import FactoryModel, Importance
from factorysec.model.sources import SourceMap
from factorysec.report import diagram
from factorysec.report.diagram import (
    CONTROL_COLOUR,
    EXTERNAL_FILL,
    FLOW_COLOUR,
    HIGHLIGHT_COLOUR,
    IMPORTANCE_FILL,
    DiagramError,
    DiagramOptions,
    conduit_element_id,
    inline_svg,
    members_element_id,
    render_svg,
    zone_element_id,
)
from tests.report.conftest import synthetic_model

SVG = "{http://www.w3.org/2000/svg}"
Annex = Callable[[str], tuple[LoadedModel, Assessment]]


def _svg(loaded: LoadedModel, assessment: Assessment, **options: object) -> ET.Element:
    return ET.fromstring(render_svg(loaded.model, assessment, DiagramOptions(**options)))  # type: ignore[arg-type]


def _group(root: ET.Element, element_id: str) -> ET.Element:
    found = root.find(f".//{SVG}g[@id='{element_id}']")
    assert found is not None, f"no element {element_id} in the diagram"
    return found


def _texts(element: ET.Element) -> str:
    """The visible text of an element (its <text> children), leaving out titles."""
    return " ".join(t.text or "" for t in element.iter(f"{SVG}text"))


def _edge_paths(root: ET.Element, conduit_id: str) -> list[ET.Element]:
    return _group(root, conduit_element_id(conduit_id)).findall(f".//{SVG}path")


def _zone_box(root: ET.Element, zone_id: str) -> tuple[float, float, float, float]:
    shape = _group(root, zone_element_id(zone_id)).find(f".//{SVG}path")
    if shape is None:
        shape = _group(root, zone_element_id(zone_id)).find(f".//{SVG}polygon")
    assert shape is not None
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.get("d") or shape.get("points") or "")]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def test_every_zone_and_conduit_of_the_annex_example_is_drawn(annex: Annex) -> None:
    loaded, assessment = annex("all-cases-reviewed.yaml")
    root = _svg(loaded, assessment)
    for zone in loaded.model.zones:
        assert zone.name in _texts(_group(root, zone_element_id(zone.id)))
    for conduit in loaded.model.conduits:
        _group(root, conduit_element_id(conduit.id))


def test_assets_are_listed_inside_their_zone(annex: Annex) -> None:
    loaded, assessment = annex("current")
    root = _svg(loaded, assessment)
    for asset in loaded.model.assets:
        assert asset.name in _texts(_group(root, members_element_id(asset.zone or "")))


def test_control_instruction_flows_are_thick_red_and_labelled(annex: Annex) -> None:
    loaded, assessment = annex("current")
    root = _svg(loaded, assessment)
    control = _edge_paths(root, "control-to-production")[0]
    plain = _edge_paths(root, "oa-to-control")[0]
    assert control.get("stroke") == CONTROL_COLOUR and float(control.get("stroke-width", "1")) >= 3
    assert plain.get("stroke") == FLOW_COLOUR and float(plain.get("stroke-width", "1")) < 3
    assert "control" in _texts(_group(root, conduit_element_id("control-to-production")))
    assert "control" not in _texts(_group(root, conduit_element_id("oa-to-control")))


def test_external_connections_are_dashed_and_external_zones_shaded(annex: Annex) -> None:
    loaded, assessment = annex("case-2-after-review.yaml")
    root = _svg(loaded, assessment)
    external = _edge_paths(root, "warehouse-to-remote-maintenance")[0]
    internal = _edge_paths(root, "oa-to-control")[0]
    assert external.get("stroke-dasharray")
    assert not internal.get("stroke-dasharray")
    shape = _group(root, zone_element_id("external-services")).find(f".//{SVG}path")
    assert shape is not None and shape.get("fill") == EXTERNAL_FILL


def test_zones_are_coloured_by_importance(annex: Annex) -> None:
    loaded, assessment = annex("current")
    root = _svg(loaded, assessment)
    for zone in loaded.model.zones:
        if zone.kind.side == "external":
            continue
        shape = _group(root, zone_element_id(zone.id)).find(f".//{SVG}path")
        assert shape is not None
        assert shape.get("fill") == IMPORTANCE_FILL[assessment.importance.zone_level(zone.id)]
    levels = {assessment.importance.zone_level(z.id) for z in loaded.model.zones}
    assert len(levels) > 1, "the example should show more than one importance colour"
    assert "Legend" in _texts(root)


def test_sub_zones_are_drawn_inside_their_parent(annex: Annex) -> None:
    loaded, assessment = annex("all-cases-reviewed.yaml")
    root = _svg(loaded, assessment)
    children = [z for z in loaded.model.zones if z.parent]
    assert children, "the example should have sub-zones"
    for child in children:
        assert child.parent is not None
        px0, py0, px1, py1 = _zone_box(root, child.parent)
        cx0, cy0, cx1, cy1 = _zone_box(root, child.id)
        assert px0 <= cx0 and py0 <= cy0 and cx1 <= px1 and cy1 <= py1, f"{child.id} is not inside {child.parent}"


@pytest.mark.parametrize("zone_count", [8, 80])
def test_small_and_large_factories_give_valid_svg_with_every_zone(
    synthetic: Callable[..., tuple[LoadedModel, Assessment]], zone_count: int
) -> None:
    loaded, assessment = synthetic(zone_count)
    root = _svg(loaded, assessment)
    assert root.tag == f"{SVG}svg"
    for zone in loaded.model.zones:
        _group(root, zone_element_id(zone.id))
    text = _texts(root)
    if zone_count == 8:
        assert "Asset 3.1" in text
    else:
        assert "Asset 3.1" not in text and "2 equipment" in text and "1 data" in text


def test_long_asset_lists_collapse_to_counts(synthetic: Callable[..., tuple[LoadedModel, Assessment]]) -> None:
    loaded, assessment = synthetic(3, assets_per_zone=diagram.ASSET_LIST_LIMIT + 1)
    text = _texts(_svg(loaded, assessment))
    assert "Asset 0.1" not in text
    assert f"{diagram.ASSET_LIST_LIMIT} equipment" in text


def test_highlighted_elements_are_marked_and_others_are_not(annex: Annex) -> None:
    loaded, assessment = annex("case-2-after-review.yaml")
    root = _svg(
        loaded,
        assessment,
        highlight=frozenset({"warehouse-to-remote-maintenance", "external-services", "vpn-firewall"}),
    )
    highlighted = {p.get("stroke") for p in _edge_paths(root, "warehouse-to-remote-maintenance")}
    plain = {p.get("stroke") for p in _edge_paths(root, "oa-to-control")}
    assert HIGHLIGHT_COLOUR in highlighted and HIGHLIGHT_COLOUR not in plain
    zone_shape = _group(root, zone_element_id("external-services")).find(f".//{SVG}path")
    other_shape = _group(root, zone_element_id("oa")).find(f".//{SVG}path")
    assert zone_shape is not None and other_shape is not None
    assert zone_shape.get("stroke") == HIGHLIGHT_COLOUR and other_shape.get("stroke") != HIGHLIGHT_COLOUR
    assert HIGHLIGHT_COLOUR in render_svg(
        loaded.model, assessment, DiagramOptions(highlight=frozenset({"vpn-firewall"}))
    )
    assert f'fill="{HIGHLIGHT_COLOUR}"' not in render_svg(loaded.model, assessment)


def test_japanese_labels_use_a_cjk_font(annex: Annex) -> None:
    loaded, assessment = annex("current")
    svg = render_svg(loaded.model, assessment, DiagramOptions(lang="ja"))
    assert "制御指示" in svg and "凡例" in svg
    assert 'font-family="Noto Sans CJK JP' in svg
    assert "制御指示" not in render_svg(loaded.model, assessment, DiagramOptions(lang="en"))


def test_zone_links_point_at_report_sections(annex: Annex) -> None:
    loaded, assessment = annex("current")
    linked = render_svg(loaded.model, assessment, DiagramOptions(zone_link="#zone-{id}"))
    assert 'href="#zone-production-control"' in linked
    assert "#zone-" not in render_svg(loaded.model, assessment)


def test_user_text_is_escaped(synthetic: Callable[..., tuple[LoadedModel, Assessment]]) -> None:
    loaded, assessment = synthetic(2, name='<script>alert(1)</script> & \\N "q"')
    svg = render_svg(loaded.model, assessment)
    root = ET.fromstring(svg)
    assert root.find(f".//{SVG}script") is None
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "<script>alert(1)</script>" in _texts(_group(root, zone_element_id("z0")))
    assert "Asset 0.1" in _texts(_group(root, members_element_id("z0")))


def test_inline_svg_drops_the_xml_prologue(annex: Annex) -> None:
    loaded, assessment = annex("current")
    embedded = inline_svg(render_svg(loaded.model, assessment))
    assert embedded.startswith("<svg")
    ET.fromstring(embedded)


def test_missing_graphviz_is_a_clear_error(annex: Annex, monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    loaded, assessment = annex("current")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DiagramError, match="install graphviz"):
        render_svg(loaded.model, assessment)


def test_graphviz_failing_is_a_clear_error_with_its_last_message(
    annex: Annex, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Graphviz's own complaint is passed on (it arrives as text, since the SVG is asked for as text)."""
    loaded, assessment = annex("current")
    fake_dot = tmp_path / "dot"
    fake_dot.write_text("#!/bin/sh\necho 'Error: syntax error in line 3' >&2\nexit 1\n", encoding="utf-8")
    fake_dot.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DiagramError, match="Graphviz failed to draw the diagram: Error: syntax error in line 3"):
        render_svg(loaded.model, assessment)


def test_importance_colours_cover_every_level() -> None:
    assert set(IMPORTANCE_FILL) == {*Importance, None}


def test_id_prefix_and_highlight_label_let_two_diagrams_share_a_page(annex: Annex) -> None:
    loaded, assessment = annex("current")
    svg = render_svg(
        loaded.model,
        assessment,
        DiagramOptions(
            id_prefix="before-", highlight=frozenset({"oa"}), highlight_label=Text(en="blue: removed", ja="青：削除")
        ),
    )
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith(("before", "a_before")) for i in ids), sorted(i for i in ids if "before" not in i)
    root = ET.fromstring(svg)
    assert _group(root, zone_element_id("oa", "before-")) is not None
    assert root.find(f".//{SVG}g[@id='{zone_element_id('oa')}']") is None
    assert "blue: removed" in svg and "added or changed" not in svg
    assert "added or changed" in render_svg(loaded.model, assessment, DiagramOptions(highlight=frozenset({"oa"})))


def _with_conduits(model: FactoryModel, conduits: list[dict[str, object]]) -> FactoryModel:
    return FactoryModel.model_validate({**model.model_dump(by_alias=True, exclude={"conduits"}), "conduits": conduits})


def test_large_diagrams_draw_one_arrow_per_zone_pair_and_count_flows_inside(catalog: Catalog) -> None:
    base = synthetic_model(diagram.LARGE_ZONE_COUNT)
    flows: list[dict[str, object]] = [
        {"id": "p1", "from": "z1", "to": "z2", "carries": "orders"},
        {"id": "p2", "from": "z1", "to": "z2", "carries": "recipes", "carries_control_instructions": True},
        {"id": "p3", "from": "z1", "to": "z2", "carries": "logs", "external_network": "vpn"},
        {"id": "back", "from": "z2", "to": "z1", "carries": "status"},
        {"id": "in1", "from": "z3", "to": "z3", "carries": "local"},
        {"id": "in2", "from": "z3", "to": "z3", "carries": "local"},
    ]
    model = _with_conduits(base, flows)
    root = _svg(LoadedModel(model, SourceMap({}, {}, {})), analyze(model, catalog))
    pair = _group(root, diagram.conduit_element_id("p1"))
    assert "3 flows" in _texts(pair) and "control" in _texts(pair) and "vpn" in _texts(pair)
    assert {p.get("stroke") for p in pair.iter(f"{SVG}path")} == {diagram.CONTROL_COLOUR}
    assert "1 flows" in _texts(_group(root, diagram.conduit_element_id("back")))
    for merged in ("p2", "p3", "in1", "in2"):
        assert root.find(f".//*[@id='{diagram.conduit_element_id(merged)}']") is None
    assert "2 flows inside" in _texts(_group(root, zone_element_id("z3")))


def test_small_diagrams_keep_one_arrow_per_conduit(annex: Annex) -> None:
    loaded, assessment = annex("current")
    root = _svg(loaded, assessment)
    for conduit in loaded.model.conduits:
        _group(root, diagram.conduit_element_id(conduit.id))


def test_a_print_diagram_is_scaled_down_to_fit_and_a_small_one_is_not(
    synthetic: Callable[..., tuple[LoadedModel, Assessment]],
) -> None:
    import io

    from PIL import Image

    loaded, assessment = synthetic(40)
    natural = Image.open(io.BytesIO(diagram.render_png(loaded.model, assessment)))
    fitted = Image.open(io.BytesIO(diagram.render_png(loaded.model, assessment, fit_inches=(2.0, 1.5))))
    assert max(natural.size) > 300  # the drawing is larger than the box at 150 dpi
    assert fitted.size[0] <= 301 and fitted.size[1] <= 226  # 2 x 1.5 inches at 150 dpi, rounded
    roomy = Image.open(io.BytesIO(diagram.render_png(loaded.model, assessment, fit_inches=(200.0, 200.0))))
    assert roomy.size == natural.size  # never scaled up


def test_shared_diagram_plan_works_the_plan_out_once_while_open() -> None:
    """Inside ``shared_diagram_plan`` every writer gets the one plan and zone-pair map of the model; outside (and for
    another model) each call works them out afresh, so a model changed after a report is never drawn from a stale plan."""
    from factorysec.model import load_model
    from factorysec.report.diagram import plan_diagram, shared_diagram_plan, zone_links
    from tests.conftest import EXAMPLES

    model, other = load_model(EXAMPLES / "current"), load_model(EXAMPLES / "current")
    assert plan_diagram(model) is not plan_diagram(model)
    with shared_diagram_plan(model):
        assert plan_diagram(model) is plan_diagram(model) and zone_links(model) is zone_links(model)
        assert plan_diagram(other) is not plan_diagram(other)
        assert plan_diagram(model) == plan_diagram(other)
    assert plan_diagram(model) is not plan_diagram(model) and zone_links(model) is not zone_links(model)


_DOT_TEXT = st.text(
    alphabet=st.sampled_from(["a", "Z", "_", "0", "9", "-", ".", " ", '"', "\\", "<", ">", "é", "図", ":", "\n"]),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(
    name=_DOT_TEXT,
    label=st.none() | _DOT_TEXT | st.sampled_from(["<<b>x</b>>", "node", "Graph", "-1.5", ".5"]),
    attrs=st.dictionaries(st.sampled_from(["id", "style", "color", "pos", "href", "tooltip"]), st.none() | _DOT_TEXT),
)
def test_remembered_quoting_writes_graphviz_own_dot_text(
    name: str, label: str | None, attrs: dict[str, str | None]
) -> None:
    """The diagrams' Digraph remembers its quoting: every statement is the text graphviz.Digraph writes for it."""
    import graphviz  # type: ignore[import-untyped]

    ours, theirs = diagram._Digraph(name="g"), graphviz.Digraph(name="g")
    for graph in (ours, theirs):
        graph.attr(label=label, **attrs)
        graph.attr("node", **attrs)
        graph.node(name, label=label, **attrs)
        graph.edge(name, "other", label=label, **attrs)
    assert ours.source == theirs.source


def test_zone_diagrams_describe_the_same_graph_as_plain_graphviz(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Overview (nested and grid) and a zone's diagram of its neighbours: the same DOT text with remembered quoting as with graphviz's own."""
    import graphviz

    sources: dict[bool, list[str]] = {}
    for plain in (False, True):
        if plain:
            monkeypatch.setattr(diagram, "_Digraph", graphviz.Digraph)
        texts = []
        for zones in (6, 40):
            model = synthetic_model(zones)
            assessment = analyze(model, catalog)
            options = DiagramOptions(lang="ja", highlight=frozenset({model.zones[0].id}), zone_link="{id}.html")
            texts.append(diagram.zone_diagram(model, assessment, options).source)
            builder = diagram._Builder(model, assessment, options)
            links = diagram._zone_links(model)
            zone = model.zones[1]
            outgoing = {target: conduits for (source, target), conduits in links.items() if source == zone.id}
            incoming = {source: conduits for (source, target), conduits in links.items() if target == zone.id}
            texts.append(builder.neighbour_graph(zone, outgoing, incoming, "{id}.svg", "{id}.html").source)
        sources[plain] = texts
    assert sources[False] == sources[True]
    assert any("cluster_" in text for text in sources[False])  # the nested overview was among them


@pytest.mark.parametrize("first_name", ["Zone 0", "Zone \x01 0"])
def test_neighbour_diagrams_drawn_in_turn_read_as_each_drawn_alone(catalog: Catalog, first_name: str) -> None:
    """A builder keeps the boxes and arrows that recur from one zone's diagram of its neighbours to the next: each
    diagram it draws after others is the text a fresh builder draws for that zone alone, the boxes at their own
    positions, arrows one way and both ways (a zone name holding the position's mark is drawn without the cut)."""
    model = synthetic_model(40, name=first_name)
    first = model.conduits[0]
    back = [
        first.model_copy(update={"id": f"back{n}", "from_zone": first.to_zone, "to_zone": first.from_zone})
        for n in (1, 2)
    ]
    model = model.model_copy(update={"conduits": (*model.conduits, *back)})
    assessment = analyze(model, catalog)
    links = diagram._zone_links(model)
    both_ways = {(source, target) for (source, target) in links if (target, source) in links}
    assert both_ways, "the model has a pair of zones linked both ways"
    options = DiagramOptions(lang="en", highlight=frozenset({model.zones[2].id}))
    shared = diagram._Builder(model, assessment, options)

    def drawn(builder: diagram._Builder, zone_id: str) -> str:
        outgoing = {target: conduits for (source, target), conduits in links.items() if source == zone_id}
        incoming = {source: conduits for (source, target), conduits in links.items() if target == zone_id}
        zone = builder.zones[zone_id]
        return str(builder.neighbour_graph(zone, outgoing, incoming, "{id}.svg", "{id}.html").source)

    for _ in range(2):
        for zone in model.zones:
            assert drawn(shared, zone.id) == drawn(diagram._Builder(model, assessment, options), zone.id)
    assert first_name in "".join(drawn(shared, zone.id) for zone in model.zones)
