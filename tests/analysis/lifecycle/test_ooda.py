"""OODA role division for the two stages (Tables 3-7, 3-8)."""

from __future__ import annotations

from collections.abc import Callable

from factorysec.analysis.lifecycle import LifecycleReport, OodaCell
from factorysec.model import FactoryModel

from .conftest import Assess, Ids


def _cell(report: LifecycleReport, stage: str, phase: str) -> OodaCell:
    return next(c for c in report.ooda if c.stage == stage and c.phase == phase)


def test_every_stage_and_phase_is_covered(factory_model: FactoryModel, assess: Assess) -> None:
    cells = assess(factory_model).ooda
    assert len(cells) == 8
    assert {(c.stage, c.phase) for c in cells} >= {("preventive-maintenance", "observe"), ("damage-occurrence", "act")}


def test_declared_roles_are_taken_from_the_model(factory_model: FactoryModel, assess: Assess) -> None:
    cell = _cell(assess(factory_model), "damage-occurrence", "observe")
    assert (cell.source, cell.lead, cell.decision_makers) == ("declared", ("site",), ("site",))


def test_missing_roles_are_proposed_from_departments_of_the_example_kind(
    factory_model: FactoryModel, assess: Assess
) -> None:
    report = assess(factory_model)
    decide = _cell(report, "preventive-maintenance", "decide")
    assert (decide.source, decide.lead, decide.decision_makers) == ("proposed", ("sec",), ("sec", "plant-mgmt"))
    observe = _cell(report, "preventive-maintenance", "observe")
    assert observe.lead == ("sensor-co",) and observe.example_lead == "equipment-vendor"


def test_no_decider_when_declared_empty(factory_model: FactoryModel, assess: Assess, ids: Ids) -> None:
    assert ids(assess(factory_model), "S3-OODA-NO-DECIDER") == [
        "S3-OODA-NO-DECIDER@lc-factory#damage-occurrence.orient"
    ]


def test_no_decider_when_no_department_can_be_proposed(bare_model: FactoryModel, assess: Assess, ids: Ids) -> None:
    found = ids(assess(bare_model), "S3-OODA-NO-DECIDER")
    assert len(found) == 8


def test_production_site_absent_from_the_cycle(
    bare_model: FactoryModel, factory_model: FactoryModel, assess: Assess, ids: Ids
) -> None:
    assert ids(assess(bare_model), "S3-OODA-NO-SITE") == [
        "S3-OODA-NO-SITE@bare-factory#damage-occurrence",
        "S3-OODA-NO-SITE@bare-factory#preventive-maintenance",
    ]
    assert ids(assess(factory_model), "S3-OODA-NO-SITE") == []


def test_vendor_channel_missing_only_for_parties_without_contact(
    factory_model: FactoryModel, bare_model: FactoryModel, assess: Assess, ids: Ids
) -> None:
    assert ids(assess(factory_model), "S3-OODA-NO-VENDOR-CHANNEL") == [
        "S3-OODA-NO-VENDOR-CHANNEL@maint-co",
        "S3-OODA-NO-VENDOR-CHANNEL@sensor-co",
    ]
    assert ids(assess(bare_model), "S3-OODA-NO-VENDOR-CHANNEL") == []


def test_the_bcp_owner_is_proposed_as_the_department_in_charge_of_the_bcp(
    write_variant: Callable[[str, dict[str, object]], FactoryModel], assess: Assess
) -> None:
    """Table 3-8 has the head of the department in charge of the BCP decide in the damage-occurrence Orient phase; the
    model names that department as the BCP's owner, of whatever kind (semiconductor-backend's plant manager's office)."""
    departments = [
        {"id": "sec", "name": "Security", "kind": "security"},
        {"id": "plant-mgmt", "name": "Plant manager's office", "kind": "factory-management"},
    ]
    model = write_variant("bare.yaml", {"departments": departments, "bcp": {"exists": True, "owner": "plant-mgmt"}})
    orient = _cell(assess(model), "damage-occurrence", "orient")
    assert (orient.source, orient.decision_makers) == ("proposed", ("plant-mgmt", "sec"))
    without_owner = write_variant("bare.yaml", {"departments": departments, "bcp": {"exists": True}})
    assert _cell(assess(without_owner), "damage-occurrence", "orient").decision_makers == ("sec",)
