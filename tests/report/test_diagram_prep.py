"""The zone diagrams' DOT text and the diagram plan worked out in a process forked before the analysis (diagram_prep)."""

from __future__ import annotations

import tempfile
from typing import IO

import pytest

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model.entities import FactoryModel
from factorysec.report import diagram_prep
from factorysec.report.diagram import (
    NEIGHBOUR_BATCH,
    NEIGHBOUR_LINK,
    DiagramOptions,
    _Builder,
    _plan_diagram,
    _zone_links,
    neighbour_sources,
    plan_diagram,
    shared_diagram_plan,
    zone_links,
)
from factorysec.report.diagram_prep import prepare_zone_diagrams
from factorysec.report.html import zone_homes

LEVELS = ("critical", "high", "medium", "low")


def plant(zones: int = 60, assets: int = 240, conduits: int = 900) -> FactoryModel:
    """Zones of every importance level (their assets serve operations of four levels), external ones among them, and
    conduits between and inside zones, some carrying data assets by name."""
    return FactoryModel.model_validate(
        {
            "factory": {"id": "generated", "name": "Generated plant"},
            "operations": [{"id": level, "name": level, "importance": level} for level in LEVELS],
            "zones": [
                {
                    "id": f"z{i}",
                    "name": f"Zone {i} \x02 <&>",
                    "kind": ("office", "production", "external", "production-control")[i % 4],
                    **({"parent": f"z{i - 1}"} if i % 10 == 1 else {}),
                }
                for i in range(zones)
            ],
            "assets": [
                {
                    "id": f"a{i}",
                    "name": f"Asset {i}",
                    "type": "data" if i % 6 == 0 else "equipment",
                    "zone": f"z{i % zones}",
                    "operations": [LEVELS[i % zones // 4 % 4]] if i % zones % 9 else [],
                }
                for i in range(assets)
            ],
            "conduits": [
                {
                    "id": f"c{i}",
                    "from": f"z{i % zones}",
                    "to": f"z{i % zones}" if i % 5 == 4 else f"z{(i % zones + 1 + (i // zones) % 4) % zones}",
                    **({"data": [f"a{(i * 6) % assets}"]} if i % 3 == 0 else {"carries": "orders"}),
                    "carries_control_instructions": i % 7 == 0,
                }
                for i in range(conduits)
            ],
        }
    )


def test_the_prepared_dot_text_and_plan_are_those_worked_out_here(catalog: Catalog) -> None:
    """With the colours filled in from the assessment, every chunk's DOT text is the one the writer made itself;
    the plan and the zone-pair map hold the model's own conduits, as worked out here."""
    model = plant()
    assessment = analyze(model, catalog)
    levels = {assessment.importance.zone_level(zone.id) for zone in model.zones}
    assert len(levels) >= 3, "the zones' colours differ, so a colour filled in for the wrong zone shows"
    home = zone_homes(model.zones)
    with prepare_zone_diagrams(model, "ja") as prepared:
        assert prepared is not None
        chunks = prepared.chunks(assessment, "ja", home)
        plan, links = prepared.shared("plan"), prepared.shared("links")
        assert chunks is not None
        here = _Builder(model, assessment, DiagramOptions(lang="ja"), _plan_diagram(model))
        with shared_diagram_plan(model):
            expected = neighbour_sources(here, NEIGHBOUR_LINK, home, NEIGHBOUR_BATCH)
        assert [ids for ids, _ in chunks] == [ids for ids, _ in expected]
        for (_, made), (_, wanted) in zip(chunks, expected, strict=True):
            assert made() == wanted()
        assert prepared.chunks(assessment, "en", home) is None, "made for Japanese: an English writer makes its own"
    assert plan == _plan_diagram(model)
    assert links == _zone_links(model)
    assert all(a is b for a, b in zip(plan.groups[0], _plan_diagram(model).groups[0], strict=True))


def test_the_writers_plan_comes_from_the_prepared_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside ``shared_diagram_plan`` opened with the prepared process, the plan and map are not worked out here."""
    model = plant()
    with prepare_zone_diagrams(model, "en") as prepared, shared_diagram_plan(model, prepared):
        assert prepared is not None
        prepared.result()  # the fork has worked them out: from here on, working them out here is an error

        def fail(_: FactoryModel) -> None:
            raise AssertionError("worked out here")

        monkeypatch.setattr("factorysec.report.diagram._plan_diagram", fail)
        monkeypatch.setattr("factorysec.report.diagram._zone_links", fail)
        assert plan_diagram(model).grid
        assert zone_links(model)


def test_a_failed_process_leaves_the_work_to_this_one(catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    """The forked process fails: nothing is taken from it, the plan is worked out here, and its files are closed."""
    model = plant()

    def broken(*_: object) -> None:
        raise RuntimeError("broken")

    monkeypatch.setattr(diagram_prep, "_prepare", broken)
    opened: list[IO[bytes]] = []
    temporary_file = tempfile.TemporaryFile

    def kept(prefix: str) -> IO[bytes]:
        opened.append(temporary_file(prefix=prefix))
        return opened[-1]

    monkeypatch.setattr("tempfile.TemporaryFile", kept)
    with prepare_zone_diagrams(model, "en") as prepared, shared_diagram_plan(model, prepared):
        assert prepared is not None
        assert prepared.shared("plan") is None
        assert prepared.chunks(analyze(model, catalog), "en", zone_homes(model.zones)) is None
        assert plan_diagram(model) == _plan_diagram(model)
    assert len(opened) == 2
    assert all(file.closed for file in opened)


def test_small_plants_fork_nothing() -> None:
    with prepare_zone_diagrams(plant(zones=29, assets=60, conduits=100), "en") as prepared:
        assert prepared is None


def test_no_temporary_file_leaves_the_work_to_this_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """A temporary file that cannot be made is no error: nothing is forked, and the collector is on as before."""
    import gc

    def refused(prefix: str) -> IO[bytes]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.TemporaryFile", refused)
    assert gc.isenabled()
    with prepare_zone_diagrams(plant(), "en") as prepared:
        assert prepared is None
        assert gc.isenabled()
