"""Element positions noted while the files are first read (``note_entries``): the same as the positioning walker's, and no second parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorysec.model import load_model_with_sources
from factorysec.model.sources import assemble
from factorysec.yamlio import index_entries, parse_yaml_text, read_yaml

ROOT = Path(__file__).resolve().parents[2]
MODELS = [
    ROOT / "examples" / "annex-a" / "current",
    *sorted((ROOT / "examples" / "annex-a").glob("*.yaml")),
    *sorted((ROOT / "examples").glob("*/factory.yaml")),
]


@pytest.mark.parametrize("model", MODELS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_noted_positions_are_the_walkers(model: Path) -> None:
    sources = assemble(model, note_entries=True).sources
    compared = 0
    for display, path in sources.files.items():
        walker = read_yaml(path, display, record_locations=True).locations or {}
        index = sources.entries[display]
        for key in index.keys:
            assert index.locate((key,)) == walker[(key,)]
        for key, lines in index.lines.items():
            for position in range(len(lines)):
                assert index.locate((key, position)) == walker[(key, position)], (display, key, position)
                compared += 1
    assert compared > 10


def test_layouts_the_scan_cannot_read_are_left_to_the_walker() -> None:
    text = (
        "factory: {id: f, name: F}\n"
        "zones: [{id: a, name: A, kind: control}]\n"  # flow style: not indexed
        "assets:\n"
        "  -\n"  # an entry whose first line holds only the dash: the section is not indexed
        "    id: x\n"
        "  - id: y\n"
        "conduits:\n"
        "- id: c1  # compact block sequence\n"
        "  carries: |\n"
        "    - not an entry\n"
        "- {id: c2}\n"
    )
    read = parse_yaml_text(text, "m.yaml", record_locations=False, note_entries=True)
    index = read.entries
    assert index is not None
    assert index.locate(("zones",)) == (2, 1) and index.locate(("zones", 0)) is None
    assert "assets" not in index.lines and index.locate(("assets", 1)) is None
    assert [index.locate(("conduits", i)) for i in range(2)] == [(8, 3), (11, 3)]
    assert index.locate(("conduits", 2)) is None and index.locate(("conduits", 0, "id")) is None
    walker = parse_yaml_text(text, "m.yaml", record_locations=True).locations or {}
    assert walker[("conduits", 0)] == (8, 3) and walker[("conduits", 1)] == (11, 3)
    assert index_entries('"zones": []\n', {"zones": []}) is None  # a quoted key: the scan does not trust itself


def test_report_places_findings_without_a_second_parse(
    monkeypatch: pytest.MonkeyPatch, in_repo: Path, catalog: object
) -> None:
    from factorysec.analysis import analyze
    from factorysec.catalog import Catalog
    from factorysec.report.sarif import sarif_log

    assert isinstance(catalog, Catalog)
    loaded = load_model_with_sources(Path("examples/annex-a/current"), note_entries=True)
    assessment = analyze(loaded.model, catalog)
    import factorysec.model.sources as sources_module

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("a second parse with positions")

    monkeypatch.setattr(sources_module, "read_yaml", refuse)
    results = sarif_log(assessment, loaded)["runs"][0]["results"]
    regions = [r["locations"][0]["physicalLocation"].get("region") for r in results]
    assert results and all(region is not None and region["startLine"] > 1 for region in regions)
    zone = next(r for r in results if r["locations"][0]["logicalLocations"][0]["kind"] == "zone")
    physical = zone["locations"][0]["physicalLocation"]
    line = (
        Path(physical["artifactLocation"]["uri"])
        .read_text(encoding="utf-8")
        .splitlines()[physical["region"]["startLine"] - 1]
    )
    assert f"id: {zone['locations'][0]['logicalLocations'][0]['name']}" in line
