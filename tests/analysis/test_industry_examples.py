"""Three example factories beyond Annex A (issue #17 item 8), with the Step 1-1, zoning and PDCA findings expected of each.

The expectations were written from the guideline before the tool was run on
the examples; each names the guideline sentence it rests on. The Step 1-1,
supply-chain and PDCA findings must be exactly these; the zoning and threat
findings listed must be among those found.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from factorysec.analysis import Assessment, analyze
from factorysec.catalog import load_catalog
from factorysec.model import load_model
from tests.conftest import ROOT

TODAY = dt.date(2026, 12, 1)
STEP_1_1 = {"requirement", "supply-chain", "lifecycle"}

BCP = "3.1.1 (1): the BCP should be checked and reviewed from the viewpoints of partners and supply chains, new systems and services, and decision making"
BCP_AGE = "3.1.1 (1): it is important to review and update the BCP as smartification adds systems and expands the supply chain"
LAWS = "3.1.1 (2): make sure to review these standards and legal requirements regularly"
SMART_REQ = (
    "3.1.1 (2): check whether there are any specific requirements to be followed from the perspective of smartification"
)
STD = "3.1.1 (2) and 3.3 (2): the standard's concrete demands on suppliers and procured products"
GOVERNANCE = "3.1.1 (3): confirm ... a governance system that allows business owners to commit"
IMPACT = "3.1.1 (3): confirm the impact on other companies, from other companies, and of a vulnerability in a procured product"
SUBCONTRACT = "3.1.1 (3): tasks may be reassigned to subcontractors, and it is essential to identify all subcontractors"
PURPOSE = "3.1.2: identify the newly added operations needed for achieving the purpose of smartification"
PDCA = "3.3 (1)(ii): compile manuals ..., develop human resources ..., establish an organisation able to run the PDCA cycle"
SITE = "3.3 (1)(ii): include a production site manager and others relating to production in the PDCA cycle structure"
UNEXPECTED = "3.3 (1)(ii): take measures against unexpected events after implementing existing security measures"
ZONING = "3.1.6 procedure 3: treat facilities as the same zone or another zone based on BCP, facility environment (physical, cyberspace)"
SBOM = "3.3 (2): general-purpose products and software need their components (SBOM) and vulnerabilities managed, Tables 3-11 and 3-12"
WIRELESS = "Table 2-1 / Step 1-7: wireless communication brings interception and unauthorised connection"

EXPECTED: dict[str, dict[str, str]] = {
    "automotive-parts": {
        "S1-BCP-VIEWPOINT@auto-parts#undetermined-cause-impact": BCP,
        "S1-BCP-VIEWPOINT@auto-parts#impact-on-partners": BCP,
        "S1-BCP-VIEWPOINT@auto-parts#new-service-attack-suspension": BCP,
        "S1-BCP-VIEWPOINT@auto-parts#new-service-failure": BCP,
        "S1-BCP-VIEWPOINT@auto-parts#suspend-continue-criteria": BCP,
        "S1-BCP-REVIEW-STALE@auto-parts#interval": BCP_AGE,
        "S1-REQUIREMENT-STALE@iec-62443-press#never": LAWS,
        "S1-REQUIREMENT-TOUCHED@customer-supplier-standard": SMART_REQ,
        "S1-REQUIREMENT-CONSEQUENCE@iec-62443-press#service-provider-capabilities": STD,
        "S1-REQUIREMENT-CONSEQUENCE@iec-62443-press#zone-target-levels": STD,
        "S1-REQUIREMENT-CONSEQUENCE@customer-supplier-standard#own-1": STD,
        "S1-GOVERNANCE-NEW-EXTERNAL@auto-parts#business-owner": GOVERNANCE,
        "S1-INCIDENT-IMPACT@auto-parts": IMPACT,  # one gap listing agv-vendor and line-integrator
        "S1-SUBCONTRACT-OPEN@agv-remote-support#overseas-remote": SUBCONTRACT,
        "S1-SUBCONTRACT-OPEN@agv-parts-repairer#unidentified": SUBCONTRACT,
        "S3-PDCA-STRUCTURE@auto-parts": PDCA,
        "S3-UNEXPECTED-EVENTS@auto-parts": UNEXPECTED,
        "SUPPLY-SBOM-VULNERABILITY@auto-parts": SBOM,
    },
    "food-batch": {
        "S1-BCP-MISSING@food-batch": "3.1.1 (1): if a BCP has not been developed, implement studies of formulation of a plan",
        "S1-PURPOSE-OPERATION@recipe-optimisation#none": PURPOSE,
        "S1-REQUIREMENT-CONSEQUENCE@iot-labels#certified-products": STD,
        "S1-REQUIREMENT-CONSEQUENCE@nist-csf-group#supply-chain-risk-management": STD,
        "S1-REQUIREMENT-CONSEQUENCE@nist-csf-group#profiles": STD,
        "S1-REQUIREMENT-TOUCHED@nist-csf-group": SMART_REQ,
        "S1-REQUIREMENT-TOUCHED@iot-labels": SMART_REQ,
        "S1-GOVERNANCE-NEW-EXTERNAL@food-batch#security-it": GOVERNANCE,
        "S1-INCIDENT-IMPACT@food-batch": IMPACT,  # one gap listing recipe-cloud and sensor-maker
        "S3-PDCA-NO-SITE@food-batch#recipe-cloud-review": SITE,
        "S3-PDCA-STRUCTURE@food-batch": PDCA,  # one gap listing owner, both manuals and training
        "S3-UNEXPECTED-EVENTS@food-batch": UNEXPECTED,
    },
    "pharma-data-integrity": {
        "S1-BCP-VIEWPOINT@pharma#new-service-attack-suspension": BCP,
        "S1-REQUIREMENT-STALE@cra-devices#interval": LAWS,
        "S1-REQUIREMENT-CONSEQUENCE@cra-devices#supplier-vulnerability-handling": STD,
        "S1-REQUIREMENT-CONSEQUENCE@cra-devices#product-conformity": STD,
        "S1-REQUIREMENT-CONSEQUENCE@cra-devices#own-products": STD,
        "S1-REQUIREMENT-TOUCHED@data-integrity": SMART_REQ,
        "S1-INCIDENT-IMPACT@pharma": IMPACT,  # the one party, cdmo-partner
        "S1-SUBCONTRACT-OPEN@lims-hosting#overseas-remote": SUBCONTRACT,
    },
}

ZONING_AND_THREATS: dict[str, dict[str, str]] = {
    "automotive-parts": {"THREAT-WIRELESS@agv-zone": WIRELESS},
    "food-batch": {"ZONE-MIXED-LOCATION@filling#place": ZONING, "ZONE-MIXED-LOCATION@filling#recovery": ZONING},
    "pharma-data-integrity": {},
}


@cache
def assess(name: str) -> Assessment:
    return analyze(load_model(ROOT / "examples" / name), load_catalog(), today=TODAY)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_step_1_1_and_pdca_findings_are_exactly_the_expected_ones(name: str) -> None:
    found = {f.id for f in assess(name).findings if f.category in STEP_1_1}
    assert found == set(EXPECTED[name]), (
        f"unexpected: {sorted(found - set(EXPECTED[name]))}; missing: {sorted(set(EXPECTED[name]) - found)}"
    )


@pytest.mark.parametrize("name", sorted(ZONING_AND_THREATS))
def test_expected_zoning_and_threat_findings_are_found(name: str) -> None:
    found = {f.id for f in assess(name).findings}
    assert set(ZONING_AND_THREATS[name]) <= found


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_expected_finding_cites_the_section_its_sentence_comes_from(name: str) -> None:
    findings = {f.id: f for f in assess(name).findings}
    for finding_id, sentence in {**EXPECTED[name], **ZONING_AND_THREATS[name]}.items():
        section = sentence.split(":", 1)[0].split(" ")[0]
        if section.startswith("3."):
            assert section in findings[finding_id].reference, (finding_id, findings[finding_id].reference)
