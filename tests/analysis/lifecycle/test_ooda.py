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


def test_no_decider_when_no_department_can_be_proposed(
    write_variant: Callable[[str, dict[str, object]], FactoryModel], assess: Assess, ids: Ids
) -> None:
    # No department at all (the bare model's IT department would stand in for security).
    found = ids(assess(write_variant("bare.yaml", {"departments": []})), "S3-OODA-NO-DECIDER")
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


def test_phases_the_model_leaves_open_are_said_to_be_proposals(factory_model: FactoryModel, assess: Assess) -> None:
    """A stage recorded in part (damage occurrence: Observe and Orient) or not at all (preventive maintenance) has its
    other phases filled in the OODA table from Tables 3-7/3-8; one finding per stage says which, and whom they propose."""
    report = assess(factory_model)
    found = {f.id: f for f in report.findings if f.rule == "S3-OODA-PROPOSED"}
    assert sorted(found) == [
        "S3-OODA-PROPOSED@lc-factory#damage-occurrence",
        "S3-OODA-PROPOSED@lc-factory#preventive-maintenance",
    ]
    damage = found["S3-OODA-PROPOSED@lc-factory#damage-occurrence"].rationale
    assert "only Observe (monitoring) and Orient (analysis) are recorded" in damage.en
    assert (
        "Decide (decision): led by sec, decided by sec and plant-mgmt; Act (action): led by site, decided by plant-mgmt."
        in damage.en
    )
    assert (
        "Decide（判断）は主担当 sec、判断者 sec・plant-mgmt。Act（実行）は主担当 site、判断者 plant-mgmt。" in damage.ja
    )
    # Orient is recorded without a decision maker: S3-OODA-NO-DECIDER's, not a proposal.
    assert "Orient (analysis): led" not in damage.en
    preventive = found["S3-OODA-PROPOSED@lc-factory#preventive-maintenance"].rationale
    assert preventive.en.startswith("Preventive maintenance stage: no phase is recorded;")
    assert "Observe (monitoring): led by sensor-co, decided by sec;" in preventive.en


def test_a_stage_recorded_in_full_has_no_proposal(
    write_variant: Callable[[str, dict[str, object]], FactoryModel], assess: Assess, ids: Ids
) -> None:
    roles = [
        {"stage": stage, "phase": phase, "lead": "sec", "decision_makers": ["sec"]}
        for stage in ("preventive-maintenance", "damage-occurrence")
        for phase in ("observe", "orient", "decide", "act")
    ]
    assert ids(assess(write_variant("factory.yaml", {"ooda_roles": roles})), "S3-OODA-PROPOSED") == []
    partly = write_variant("factory.yaml", {"ooda_roles": roles[:5]})
    assert ids(assess(partly), "S3-OODA-PROPOSED") == ["S3-OODA-PROPOSED@lc-factory#damage-occurrence"]


def test_a_phase_nobody_can_be_proposed_for_is_not_said_twice(
    write_variant: Callable[[str, dict[str, object]], FactoryModel], assess: Assess, ids: Ids
) -> None:
    """With no department to propose, every phase is S3-OODA-NO-DECIDER's; there is no proposal to confirm."""
    report = assess(write_variant("bare.yaml", {"departments": []}))
    assert len(ids(report, "S3-OODA-NO-DECIDER")) == 8
    assert ids(report, "S3-OODA-PROPOSED") == []


def test_a_proposal_without_a_lead_says_so(
    write_variant: Callable[[str, dict[str, object]], FactoryModel], assess: Assess
) -> None:
    """Table 3-7 has the vendor lead preventive-maintenance Observe; with no equipment vendor among the parties only the
    security department is proposed, to decide."""
    model = write_variant("bare.yaml", {"departments": [{"id": "sec", "name": "Security", "kind": "security"}]})
    (finding,) = [f for f in assess(model).findings if f.id == "S3-OODA-PROPOSED@bare-factory#preventive-maintenance"]
    assert "Observe (monitoring): no one proposed to lead, decided by sec;" in finding.rationale.en
    assert "Observe（監視）は主担当の提案なし、判断者 sec。" in finding.rationale.ja


def _small_firm(
    write_variant: Callable[[str, dict[str, object]], FactoryModel], *extra: dict[str, str]
) -> FactoryModel:
    """A firm of 60 people: the president, one IT person in general affairs, the plant manager on the floor."""
    departments = [
        {"id": "president", "name": "President", "kind": "business-owner"},
        {"id": "ga", "name": "General affairs (IT)", "kind": "it"},
        {"id": "mfg", "name": "Manufacturing (plant manager)", "kind": "production-site"},
        *extra,
    ]
    return write_variant("bare.yaml", {"departments": departments})


def test_a_small_firm_without_security_or_factory_management_gets_its_it_person_and_plant_manager_proposed(
    write_variant: Callable[[str, dict[str, object]], FactoryModel], assess: Assess, ids: Ids
) -> None:
    """Tables 3-7 and 3-8 name 'factory manager, production site manager' for Act, and 3.3 (1)(i) answers too few
    security personnel with tools and outsourcing: a firm with neither a security department nor factory management
    has its IT department and its production site proposed, saying who stands in for whom, not a gap in every phase."""
    report = assess(_small_firm(write_variant))
    assert ids(report, "S3-OODA-NO-DECIDER") == []
    orient = _cell(report, "preventive-maintenance", "orient")
    assert (orient.lead, orient.decision_makers, orient.stood_in) == (("ga",), ("ga",), ("security",))
    act = _cell(report, "damage-occurrence", "act")
    assert (act.lead, act.decision_makers, act.stood_in) == (("mfg",), ("mfg",), ("factory-management",))
    decide = _cell(report, "preventive-maintenance", "decide")
    assert decide.decision_makers == ("president", "ga", "mfg")
    (finding,) = [f for f in report.findings if f.id == "S3-OODA-PROPOSED@bare-factory#preventive-maintenance"]
    assert "with no security department the IT department stands in (1.2:" in finding.rationale.en
    assert "with no factory management the production site's manager stands in" in finding.rationale.en
    assert "セキュリティ部門がないためIT部門が代わる" in finding.rationale.ja


def test_a_security_department_or_factory_management_the_firm_has_is_proposed_itself(
    write_variant: Callable[[str, dict[str, object]], FactoryModel], assess: Assess
) -> None:
    report = assess(
        _small_firm(
            write_variant,
            {"id": "sec", "name": "Security", "kind": "security"},
            {"id": "mgmt", "name": "Plant manager's office", "kind": "factory-management"},
        )
    )
    orient = _cell(report, "preventive-maintenance", "orient")
    assert (orient.decision_makers, orient.stood_in) == (("sec",), ())
    act = _cell(report, "damage-occurrence", "act")
    assert (act.decision_makers, act.stood_in) == (("mgmt",), ())
    (finding,) = [f for f in report.findings if f.id == "S3-OODA-PROPOSED@bare-factory#preventive-maintenance"]
    assert "stands in" not in finding.rationale.en


def test_a_recorded_phase_takes_no_stand_in(
    write_variant: Callable[[str, dict[str, object]], FactoryModel], assess: Assess, ids: Ids
) -> None:
    model = _small_firm(write_variant)
    roles = [{"stage": "damage-occurrence", "phase": "act", "lead": "mfg", "decision_makers": []}]
    model = write_variant(
        "bare.yaml",
        {"departments": [d.model_dump() for d in model.departments], "ooda_roles": roles},
    )
    report = assess(model)
    assert _cell(report, "damage-occurrence", "act").stood_in == ()
    assert ids(report, "S3-OODA-NO-DECIDER") == ["S3-OODA-NO-DECIDER@bare-factory#damage-occurrence.act"]
