"""Maturity per area of Table 3-9, with the next step."""

from __future__ import annotations


def _status(report, area: str):
    return next(s for s in report.maturity if s.area == area)


def test_levels_and_next_steps(factory_model, assess, catalog):
    report = assess(factory_model)
    practice = _status(report, "between-departments")
    assert (practice.level, practice.evidence) == ("practice", "2025 tabletop exercise")
    assert practice.next_step == catalog.maturity_cell("between-departments", "practice").next_step
    none = _status(report, "within-department")
    assert none.level == "none"
    assert none.next_step.en.startswith("Reach the basic level") and none.next_step.ja.startswith("基礎")


def test_unassessed_areas_are_reported(factory_model, bare_model, assess, ids):
    assert ids(assess(factory_model), "S3-MATURITY-UNASSESSED") == [
        "S3-MATURITY-UNASSESSED@lc-factory#external-cooperation"
    ]
    assert len(ids(assess(bare_model), "S3-MATURITY-UNASSESSED")) == 3
