"""Maturity per area of Table 3-9, with the next step."""

from __future__ import annotations

from factorysec.analysis.lifecycle import LifecycleReport, MaturityStatus
from factorysec.catalog import Catalog
from factorysec.model import FactoryModel

from .conftest import Assess, Ids


def _status(report: LifecycleReport, area: str) -> MaturityStatus:
    return next(s for s in report.maturity if s.area == area)


def test_levels_and_next_steps(factory_model: FactoryModel, assess: Assess, catalog: Catalog) -> None:
    report = assess(factory_model)
    practice = _status(report, "between-departments")
    assert (practice.level, practice.evidence) == ("practice", "2025 tabletop exercise")
    assert practice.next_step == catalog.maturity_cell("between-departments", "practice").next_step
    none = _status(report, "within-department")
    assert none.level == "none"
    assert none.next_step.en.startswith("Reach the basic level") and none.next_step.ja.startswith("基礎")


def test_unassessed_areas_are_reported(
    factory_model: FactoryModel, bare_model: FactoryModel, assess: Assess, ids: Ids
) -> None:
    assert ids(assess(factory_model), "S3-MATURITY-UNASSESSED") == [
        "S3-MATURITY-UNASSESSED@lc-factory#external-cooperation"
    ]
    assert len(ids(assess(bare_model), "S3-MATURITY-UNASSESSED")) == 3
