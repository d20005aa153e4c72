"""Rule reasoning corrected after the fourth, strictly blind trial (examples/injection-moulding-sme, a 68-person
moulding supplier with no security department, a dealer running its UTM and a utility's demand monitor).

Each test states what the guideline asks, on a fixture beside the rule's own (tests/fixtures/rules/<RULE ID>/), and
failed before the fix it guards; the variants show the facts the model must state for the rule to stand down.
"""

from __future__ import annotations

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from factorysec.model.entities import Asset, Conduit, FactoryModel, Party, ReviewRecord
from tests.analysis.test_rules import RULE_FIXTURES

UTM = RULE_FIXTURES / "ZONE-EXTERNAL-NO-BOUNDARY" / "dealer-run-utm.yaml"
MONITOR = RULE_FIXTURES / "ZONE-EXTERNAL-NO-BOUNDARY" / "utility-monitor.yaml"
OFFICE_FINDINGS = {"ZONE-EXTERNAL-NO-BOUNDARY@office", "ZONE-MIXED-MANAGEMENT@office"}


def _ids(model: FactoryModel, catalog: Catalog) -> set[str]:
    assessment = analyze(model, catalog)
    return {f.id for f in (*assessment.findings, *assessment.lifecycle.findings)}


def _with_party(model: FactoryModel, party_id: str, **changes: object) -> FactoryModel:
    parties = [p.model_copy(update=changes) if p.id == party_id else p for p in model.parties]
    return model.model_copy(update={"parties": parties})


def test_a_utm_the_dealer_runs_for_the_factory_under_contract_is_the_factorys_boundary(catalog: Catalog) -> None:
    # 3.1.1 (3) counts the outsourced vendors running the factory system among its own; 3.3 (1)(i) answers too few
    # staff with outsourcing. The dealer (outsourced-vendor, contract named, the UTM's maintenance recorded with it)
    # runs the leased UTM for the factory: no DMZ and second firewall, no zone of its own.
    assert not OFFICE_FINDINGS & _ids(load_model(UTM), catalog)


def test_a_utm_the_dealer_runs_without_a_recorded_responsibility_still_counts_as_theirs(catalog: Catalog) -> None:
    # Annex A case (ii) step 3: the division of responsibility must be checked; unrecorded, the rules still ask.
    model = load_model(UTM)
    assert OFFICE_FINDINGS <= _ids(model.model_copy(update={"responsibilities": []}), catalog)


def test_a_utm_the_dealer_runs_without_a_named_contract_still_counts_as_theirs(catalog: Catalog) -> None:
    assert OFFICE_FINDINGS <= _ids(_with_party(load_model(UTM), "dealer", contract=None), catalog)


def test_a_vendors_own_router_is_not_run_for_the_factory_even_under_contract(catalog: Catalog) -> None:
    # An equipment vendor's box serves the vendor (its remote access); the factory does not decide what it lets through.
    model = _with_party(load_model(UTM), "dealer", kind="equipment-vendor")
    assert OFFICE_FINDINGS <= _ids(model, catalog)


def test_a_utilitys_monitor_alone_in_its_zone_needs_no_boundary_and_gathers_no_factory_data(catalog: Catalog) -> None:
    # 3.2.2 (1)(i): measures where the factory system connects to a zone an external company manages; (1)(iii): data
    # the factory gathers from its facilities into a cloud. Neither holds for the utility's own device reading its meter.
    found = _ids(load_model(MONITOR), catalog)
    assert "ZONE-EXTERNAL-NO-BOUNDARY@cubicle" not in found
    assert "DATA-UTILISATION@energy-zone" not in found


def test_a_factory_device_beside_the_utilitys_monitor_brings_the_findings_back(catalog: Catalog) -> None:
    model = load_model(MONITOR)
    sensor = Asset(id="meter-sensor", name="Our power sensor", type="equipment", zone="cubicle", operations=["demand"])
    found = _ids(model.model_copy(update={"assets": [*model.assets, sensor]}), catalog)
    assert {"ZONE-EXTERNAL-NO-BOUNDARY@cubicle", "DATA-UTILISATION@energy-zone"} <= found


def test_a_utility_monitor_linked_into_the_factory_brings_the_findings_back(catalog: Catalog) -> None:
    # A conduit from the cubicle into the office: the monitor is now a route into the factory.
    model = load_model(MONITOR)
    link = Conduit.model_validate(
        {
            "id": "alarm-lan",
            "from": "cubicle",
            "to": "office",
            "from_assets": ["monitor"],
            "to_assets": ["office-pc"],
            "carries": "demand alarm",
        }
    )
    found = _ids(model.model_copy(update={"conduits": [*model.conduits, link]}), catalog)
    assert {"ZONE-EXTERNAL-NO-BOUNDARY@cubicle", "DATA-UTILISATION@energy-zone"} <= found


def test_a_monitor_run_by_another_party_than_the_service_is_no_enclave(catalog: Catalog) -> None:
    model = load_model(MONITOR)
    other = Party(id="meter-co", name="Meter company", kind="other")
    assets = [a.model_copy(update={"managed_by": "meter-co"}) if a.id == "monitor" else a for a in model.assets]
    found = _ids(model.model_copy(update={"parties": [*model.parties, other], "assets": assets}), catalog)
    assert "ZONE-EXTERNAL-NO-BOUNDARY@cubicle" in found


def _touched(model: FactoryModel, catalog: Catalog) -> tuple[str, str]:
    (finding,) = [f for f in analyze(model, catalog).findings if f.rule == "S1-REQUIREMENT-TOUCHED"]
    return finding.rationale.en, finding.rationale.ja


def test_a_requirement_reviewed_with_no_review_of_the_changes_says_why_it_is_still_asked(catalog: Catalog) -> None:
    # 3.1.1 (2): check the requirements from the perspective of smartification. The firm answered its customer's
    # checklist after the changes; the model holds no date for the changes, so the finding must say that is what it
    # cannot tell, rather than a bare 'check it' the firm reads as a mistake.
    en, ja = _touched(load_model(RULE_FIXTURES / "S1-REQUIREMENT-TOUCHED" / "positive.yaml"), catalog)
    assert en.endswith(
        "check whether it asks anything of them. It was last reviewed on 2025-06-01, but the model records no review "
        "of the smartification changes (a review with trigger smartification-change), so it cannot tell whether that "
        "check took them into account; the finding closes once the requirement is reviewed on or after such a review"
    )
    assert "最終確認は2025-06-01だが、スマート化による変更の見直し" in ja


def test_a_requirement_reviewed_before_the_review_of_the_changes_says_so(catalog: Catalog) -> None:
    model = load_model(RULE_FIXTURES / "S1-REQUIREMENT-TOUCHED" / "positive.yaml")
    review = ReviewRecord.model_validate({"id": "r1", "date": "2025-09-01", "trigger": "smartification-change"})
    en, ja = _touched(model.model_copy(update={"reviews": [review]}), catalog)
    assert en.endswith(
        ". It was last reviewed on 2025-06-01, before the review of the smartification changes on 2025-09-01"
    )
    assert ja.endswith("。最終確認は2025-06-01で、スマート化による変更の見直し（2025-09-01）より前である")
