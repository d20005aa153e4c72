"""The Step 1-1 rules (issue #17) on variations of the rule base fixture: what each finding says, names and cites."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from typer.testing import CliRunner

from factorysec.analysis import analyze
from factorysec.analysis.findings import Finding
from factorysec.analysis.review import review
from factorysec.catalog import Catalog
from factorysec.cli import app
from factorysec.model import load_model
from factorysec.model.entities import FactoryModel
from tests.conftest import FIXTURES

BASE = FIXTURES / "rules" / "base.yaml"


def base_with(**sections: Any) -> FactoryModel:
    """The base fixture with whole sections replaced (lists and the singletons, as plain data)."""
    data = load_model(BASE).model_dump(mode="json", by_alias=True, exclude_none=True)
    for name, value in sections.items():
        if isinstance(value, dict) and isinstance(data.get(name), dict):
            data[name] = {**data[name], **value}
        else:
            data[name] = value
    return FactoryModel.model_validate(data)


def findings(
    model: FactoryModel, catalog: Catalog, today: dt.date | None = None, prefix: str = ""
) -> dict[str, Finding]:
    return {f.id: f for f in analyze(model, catalog, today=today).findings if f.id.startswith(prefix)}


def test_bcp_age_is_judged_against_its_own_interval_or_the_factorys(catalog: Catalog) -> None:
    model = load_model(BASE)  # BCP reviewed 2026-01-10, factory interval 365 days
    assert not findings(model, catalog, dt.date(2026, 12, 1), "S1-BCP-REVIEW-STALE")
    late = findings(model, catalog, dt.date(2027, 2, 1), "S1-BCP-REVIEW-STALE")
    assert "387 days ago, past its 365-day interval" in late["S1-BCP-REVIEW-STALE@base#interval"].rationale.en
    short = base_with(bcp={"review_interval_days": 30})
    assert "S1-BCP-REVIEW-STALE@base#interval" in findings(short, catalog, dt.date(2026, 3, 1))
    assert not findings(model, catalog, None, "S1-BCP-REVIEW-STALE"), "without a date the age is not judged"


def test_bcp_older_than_the_change_review_names_what_changed(catalog: Catalog) -> None:
    data = load_model(BASE).model_dump(mode="json", by_alias=True, exclude_none=True)
    data["assets"][0]["status"] = "new"
    data["reviews"] = [{"id": "r1", "date": "2026-02-01", "trigger": "smartification-change", "participants": ["site"]}]
    found = findings(FactoryModel.model_validate(data), catalog, prefix="S1-BCP-REVIEW-STALE")
    finding = found["S1-BCP-REVIEW-STALE@base#change"]
    assert "cnc" in finding.related and "2026-02-01" in finding.rationale.en


def test_bcp_missing_silences_the_other_bcp_rules(catalog: Catalog) -> None:
    found = findings(base_with(bcp={"exists": False}), catalog, dt.date(2030, 1, 1), "S1-BCP")
    assert list(found) == ["S1-BCP-MISSING@base"]
    assert "exists: false" in found["S1-BCP-MISSING@base"].rationale.en
    assert found["S1-BCP-MISSING@base"].measures == ("op-bcp-smartification-review",)


def test_bcp_viewpoint_names_the_viewpoint_and_its_triggers(catalog: Catalog) -> None:
    model = base_with(bcp={"covers": ["new-service-impact"]})
    found = findings(model, catalog, prefix="S1-BCP-VIEWPOINT")
    # parties take part (supply chain) and control instructions cross zones (decision making); nothing is new
    assert set(found) == {
        "S1-BCP-VIEWPOINT@base#partner-incident-impact",
        "S1-BCP-VIEWPOINT@base#undetermined-cause-impact",
        "S1-BCP-VIEWPOINT@base#impact-on-partners",
        "S1-BCP-VIEWPOINT@base#suspend-continue-criteria",
        "S1-BCP-VIEWPOINT@base#decision-structure",
    }
    decision = found["S1-BCP-VIEWPOINT@base#suspend-continue-criteria"]
    assert decision.related == ("control-to-line",) and "Criteria for stopping or continuing" in decision.title.en
    assert "vendor" in found["S1-BCP-VIEWPOINT@base#partner-incident-impact"].related


def test_a_change_review_points_its_bcp_items_at_the_analyze_findings(catalog: Catalog) -> None:
    before = base_with(bcp={"covers": ["decision-structure", "suspend-continue-criteria"]}, parties=[])
    after = base_with(
        bcp={"covers": ["decision-structure", "suspend-continue-criteria"]},
        parties=[
            {"id": "vendor", "name": "Line vendor", "kind": "equipment-vendor"},
            {"id": "cloud-co", "name": "Cloud Co", "kind": "cloud-provider", "status": "new"},
        ],
    )
    items = {b.viewpoint: b for b in review(before, after, catalog).bcp}
    assert "S1-BCP-VIEWPOINT@base#impact-on-partners" in items["impact-on-partners"].findings


def test_requirement_review_age_and_change(catalog: Catalog) -> None:
    requirement = {
        "id": "cust",
        "title": "Customer security demand",
        "kind": "market-customer",
        "last_reviewed": "2025-01-01",
        "applies_to": ["line"],
    }
    model = base_with(requirements=[requirement])
    assert "S1-REQUIREMENT-STALE@cust#interval" in findings(model, catalog, dt.date(2026, 6, 1))
    assert "S1-REQUIREMENT-STALE@cust#interval" not in findings(model, catalog, dt.date(2025, 6, 1))
    data = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["assets"][0]["status"] = "changed"  # cnc, in zone line
    touched = findings(FactoryModel.model_validate(data), catalog, prefix="S1-REQUIREMENT-TOUCHED")
    assert touched["S1-REQUIREMENT-TOUCHED@cust"].related == ("cnc",)
    data["reviews"] = [{"id": "r1", "date": "2024-12-01", "trigger": "smartification-change", "participants": ["site"]}]
    assert not findings(FactoryModel.model_validate(data), catalog, prefix="S1-REQUIREMENT-TOUCHED"), (
        "rechecked after the change review"
    )


def test_catalog_consequences_fall_on_suppliers_and_new_products_with_their_citation(catalog: Catalog) -> None:
    data = load_model(BASE).model_dump(mode="json", by_alias=True, exclude_none=True)
    data["assets"][0].update(supplier="vendor", status="new")
    data["requirements"] = [
        {
            "id": "espa",
            "title": "Designated core infrastructure",
            "kind": "law-regulation",
            "standard": "jp-economic-security-act",
            "last_reviewed": "2026-01-01",
        },
        {
            "id": "own",
            "title": "Group policy",
            "kind": "internal",
            "last_reviewed": "2026-01-01",
            "implies": [{"applies": "new-products", "text": "Scan every new device for malware before connecting it"}],
        },
    ]
    found = findings(FactoryModel.model_validate(data), catalog, prefix="S1-REQUIREMENT-CONSEQUENCE")
    assert set(found) == {
        "S1-REQUIREMENT-CONSEQUENCE@espa#pre-procurement-confirmation",
        "S1-REQUIREMENT-CONSEQUENCE@espa#supplier-and-maintainer-information",
        "S1-REQUIREMENT-CONSEQUENCE@own#own-1",
    }
    procurement = found["S1-REQUIREMENT-CONSEQUENCE@espa#pre-procurement-confirmation"]
    assert procurement.advisory and procurement.related == ("cnc",)
    assert "before procurement" in procurement.rationale.en and "Appendix 3.3 (2)" in procurement.rationale.en
    assert "Scan every new device" in found["S1-REQUIREMENT-CONSEQUENCE@own#own-1"].rationale.en
    assert found["S1-REQUIREMENT-CONSEQUENCE@espa#supplier-and-maintainer-information"].related == ("vendor",)
    # the Japanese cites the guideline in Japanese ('（Appendix 3.3 (2) ...）' and "requirement 'own'" before)
    assert "別冊 3.3 (2)" in procurement.rationale.ja and "Appendix" not in procurement.rationale.ja
    assert found["S1-REQUIREMENT-CONSEQUENCE@own#own-1"].rationale.ja.endswith("（要求事項 'own'）")


def test_overseas_remote_subcontractor_and_unidentified_link(catalog: Catalog) -> None:
    data = load_model(BASE).model_dump(mode="json", by_alias=True, exclude_none=True)
    data["parties"] += [
        {"id": "sub", "name": "Remote support", "kind": "subcontractor", "subcontractor_of": "vendor", "country": "VN"},
        {
            "id": "sub2",
            "name": "Unknown sub-subcontractor",
            "kind": "subcontractor",
            "subcontractor_of": "sub",
            "identified": False,
        },
        {
            "id": "local",
            "name": "Local support",
            "kind": "subcontractor",
            "subcontractor_of": "vendor",
            "country": "JP",
            "remote_work": True,
        },
    ]
    data["assets"][0].update(traits=["remote-access"], maintainer="sub")
    found = findings(FactoryModel.model_validate(data), catalog, prefix="S1-SUBCONTRACT-OPEN")
    assert set(found) == {"S1-SUBCONTRACT-OPEN@sub#overseas-remote", "S1-SUBCONTRACT-OPEN@sub2#unidentified"}
    remote = found["S1-SUBCONTRACT-OPEN@sub#overseas-remote"]
    assert "from VN (factory: JP)" in remote.rationale.en and "vendor" in remote.rationale.en
    assert found["S1-SUBCONTRACT-OPEN@sub2#unidentified"].related == ("sub", "vendor")


def test_supplier_of_a_new_product_needs_the_procured_product_perspective(catalog: Catalog) -> None:
    data = load_model(BASE).model_dump(mode="json", by_alias=True, exclude_none=True)
    data["assets"][0].update(supplier="vendor", status="new")
    found = findings(FactoryModel.model_validate(data), catalog, prefix="S1-INCIDENT-IMPACT")
    # one gap per factory listing its parties (#23 item 6): the party first, then what it concerns
    assert found["S1-INCIDENT-IMPACT@base"].related == ("vendor", "procured-product-vulnerability", "cnc")
    assert found["S1-INCIDENT-IMPACT@base"].rationale.en.startswith("Concerns vendor: ")
    data["parties"][0]["incident_impact"] = ["procured-product-vulnerability"]
    assert not findings(FactoryModel.model_validate(data), catalog, prefix="S1-INCIDENT-IMPACT")


def test_pdca_training_age_and_unexpected_events_example_only(catalog: Catalog) -> None:
    model = load_model(BASE)  # trained 2026-01-15
    pdca = findings(model, catalog, dt.date(2027, 3, 1))[
        "S3-PDCA-STRUCTURE@base"
    ]  # one gap listing its parts (#23 item 6)
    assert pdca.rationale.en.startswith("Concerns training: The last training (2026-01-15)")
    data = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["assets"][0]["status"] = "changed"
    # the three practices are recorded; the AI-tool practice is only an example in the guideline
    assert not findings(FactoryModel.model_validate(data), catalog, prefix="S3-UNEXPECTED-EVENTS")


def test_unexpected_events_with_one_practice_recorded_is_not_told_it_has_none(catalog: Catalog) -> None:
    """semiconductor-backend records one practice of three: its finding read 'No practices for unexpected events'."""
    data = load_model(BASE).model_dump(mode="json", by_alias=True, exclude_none=True)
    data["assets"][0]["status"] = "changed"
    data["factory"]["unexpected_event_practices"] = ["learn-from-related-incidents"]
    (finding,) = findings(FactoryModel.model_validate(data), catalog, prefix="S3-UNEXPECTED-EVENTS").values()
    assert "No practices" not in finding.title.en and "取り組みがない" not in finding.title.ja
    assert "learn-from-related-incidents" not in finding.rationale.en


def test_step_1_1_findings_in_analyze_json_and_explain() -> None:
    runner = CliRunner()
    model = FIXTURES / "rules" / "S1-BCP-MISSING" / "positive.yaml"
    result = runner.invoke(app, ["analyze", str(model), "--format", "json"])
    assert result.exit_code == 0, result.output
    rules = {f["rule"]: f for f in json.loads(result.output)["findings"]}
    assert rules["S1-BCP-MISSING"]["reference"].startswith("Appendix 3.1.1 Step 1-1 (1)")
    text = runner.invoke(app, ["analyze", str(model)])
    assert "Purposes, BCP, laws and standards" in text.output and "S1-BCP-MISSING" in text.output
    explained = runner.invoke(app, ["explain", "S1-BCP-VIEWPOINT@base#impact-on-partners"])
    assert explained.exit_code == 0 and "Appendix 3.1.1 Step 1-1 (1)" in explained.output


def _overseas_press_maker(**extra: Any) -> FactoryModel:
    """A German press maker maintaining a remotely reached press of a Japanese factory, with what ``extra`` records."""
    data = load_model(BASE).model_dump(mode="json", by_alias=True, exclude_none=True)
    data["factory"]["country"] = "JP"
    maker = {"id": "press-maker", "name": "Press maker", "kind": "equipment-vendor", "country": "DE"}
    data["parties"] = [*data["parties"], {**maker, **extra.pop("party", {})}]
    data["assets"] = [
        *data["assets"],
        {"id": "press", "name": "Press", "type": "equipment", "zone": "line", "operations": ["machining"]}
        | {"maintainer": "press-maker", "traits": ["remote-access"]},
    ]
    data["responsibilities"] = extra.pop("responsibilities", [])
    return FactoryModel.model_validate(data)


def test_a_vendor_working_remotely_from_abroad_is_open_until_its_contract_and_responsibilities_are_recorded(
    catalog: Catalog,
) -> None:
    """Before: the finding fired whatever the model recorded, and its false-positive note told the user to record
    responsibilities, which the rule never read."""
    key = "S1-SUBCONTRACT-OPEN@press-maker#overseas-remote"
    bare = findings(_overseas_press_maker(), catalog, prefix="S1-SUBCONTRACT-OPEN")[key].rationale
    assert "no contract is recorded" in bare.en and "remote sessions (responsibilities" in bare.en
    assert "契約の記録がない" in bare.ja
    settled_sessions = _overseas_press_maker(
        party={"contract": "Service agreement SA-7"},
        responsibilities=[{"subject": "press", "area": "maintenance", "responsible": "press-maker"}],
    )
    partly = findings(settled_sessions, catalog, prefix="S1-SUBCONTRACT-OPEN")[key].rationale
    assert "contract" not in partly.en.split("; ", 1)[1] and "remote sessions (responsibilities" not in partly.en
    assert partly.en.endswith(
        "nobody is recorded for incident response across the border (responsibilities: incident-response)"
    )
    settled = _overseas_press_maker(
        party={"contract": "Service agreement SA-7"},
        responsibilities=[
            {"subject": "press", "area": "maintenance", "responsible": "press-maker"},
            {"subject": "press-maker", "area": "incident-response", "responsible": "press-maker"},
        ],
    )
    assert key not in findings(settled, catalog, prefix="S1-SUBCONTRACT-OPEN")
    without_contract = settled.model_copy(
        update={"parties": [p.model_copy(update={"contract": None}) for p in settled.parties]}
    )
    assert key in findings(without_contract, catalog, prefix="S1-SUBCONTRACT-OPEN")
