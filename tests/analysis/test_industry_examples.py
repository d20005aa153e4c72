"""Four example factories beyond Annex A (issue #17 item 8), with the Step 1-1, zoning and PDCA findings expected of each.

The expectations were written from the guideline before the tool was run on
the examples; each names the guideline sentence it rests on. The Step 1-1,
supply-chain and PDCA findings must be exactly these; the zoning and threat
findings listed must be among those found, and so must the Step 3 findings
listed in STEP_3.

chemical-batch was a blind trial: a material/process plant none of the other
examples resembles, its expectations committed before the tool first ran on it.
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
SAFETY = "3.1.6 procedure 3 and 3.1.5 (safety assurance): equipment is kept in one zone or split by BCP and facility environment; safety is an axis of its own"
BOUNDARY = (
    "3.2.2 (1)(i): measures where networks join zones with different requirements or a zone an external company manages"
)
EXT_NET = "Table 2-1 / Table 3-5 (remote access): connection via an external network brings cyberattacks through it"
EXT_EQUIPMENT = (
    "Table 2-1 / Table 3-5 (remote access): external equipment whose devices and users are not managed leaks data"
)
EXT_SYSTEM = "Table 3-5 (third-party systems): an external system with a different risk tolerance stops the factory when attacked"
EXT_DATA = "Table 3-5: a cyberattack on an external system leaks the factory data held there"
COORDINATION = "Table 2-1 / Table 3-5: unclear scope of responsibility with an external party slows incident response"
CONTROL_OUTSIDE = "Table 3-4: control instructions from outside the factory's control network"
FA_OA = "Table 2-1 / Table 3-5: FA and OA networks connected pass inaccurate data and control instructions"
FA_DATA_OA = "Table 2-1 / Table 3-5: FA data also held in the OA system under different user management"
BUILT_IN = "Table 2-1 / Table 3-5: equipment with a built-in computer has a computer's risks"
INTER_COMPANY = "3.1.2: interconnection between companies is an area of particularly high security concern"
GENERAL_PURPOSE = "3.2.2 (1)(ii): general-purpose products need their security level ensured; Table 3-6 rows 2-3"
MEDIA = "3.2.2 (1)(ii) and (2): measures for equipment and physical measures (removable media)"
DATA_USE = "3.2.2 (1)(iii): data collected, processed in the cloud and fed back needs data quality and scope measures"
PHYSICAL = "3.2.2 (2): physical measures are needed even in a smart factory"
CHECKLIST = "3.3 (2) Tables 3-10 to 3-12: points to check for cloud services, general-purpose products and software"
MATURITY = "3.3 (1)(ii) Table 3-9: maturity of organisations and people"
OODA = "3.3 (1)(i) Tables 3-7 and 3-8: departments and decision makers for each OODA process"

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
    "chemical-batch": {
        "S1-BCP-REVIEW-STALE@resin-plant#interval": BCP_AGE,  # reviewed 2024-10-01, before the cloud and remote maintenance
        # Not foreseen, but right: the BCP predates the smartification change reviewed on 2026-03-01 as well as its interval.
        "S1-BCP-REVIEW-STALE@resin-plant#change": BCP_AGE,
        "S1-BCP-VIEWPOINT@resin-plant#undetermined-cause-impact": BCP,
        "S1-BCP-VIEWPOINT@resin-plant#new-service-impact": BCP,
        "S1-BCP-VIEWPOINT@resin-plant#new-service-attack-suspension": BCP,
        "S1-BCP-VIEWPOINT@resin-plant#new-service-failure": BCP,
        "S1-REQUIREMENT-STALE@iec-62443-dcs#interval": LAWS,  # last reviewed 2023-06-01
        "S1-REQUIREMENT-STALE@jcia-control-security#never": LAWS,
        # the new remote sessions reach the control room, where the EWS programs the DCS and the SIS
        "S1-REQUIREMENT-TOUCHED@iec-62443-dcs": SMART_REQ,
        "S1-REQUIREMENT-TOUCHED@jcia-control-security": SMART_REQ,
        # Withdrawn after the first run, the tool being right: high-pressure-gas-act and customer-coatings were both
        # rechecked (2026-04-01, 2026-05-01) after the latest smartification-change review (2026-03-01), and nothing the
        # gas act covers (the reactor area) is new or changed; 3.1.1 (2) asks for the check, which the model records.
        "S1-REQUIREMENT-CONSEQUENCE@iec-62443-dcs#service-provider-capabilities": STD,
        "S1-REQUIREMENT-CONSEQUENCE@iec-62443-dcs#zone-target-levels": STD,
        "S1-REQUIREMENT-CONSEQUENCE@customer-coatings#own-1": STD,
        "S1-GOVERNANCE-NEW-EXTERNAL@resin-plant#business-owner": GOVERNANCE,
        "S1-INCIDENT-IMPACT@resin-plant": IMPACT,  # analytics-cloud, sensor-maker, mes-supplier, dcs-vendor in part
        "S1-SUBCONTRACT-OPEN@dcs-support-centre#overseas-remote": SUBCONTRACT,
        "S1-PURPOSE-OPERATION@remote-dcs-support#none": PURPOSE,
        "S3-PDCA-STRUCTURE@resin-plant": PDCA,  # no incident-response manual
        "S3-PDCA-NO-SITE@resin-plant#remote-support-review": SITE,
        "S3-UNEXPECTED-EVENTS@resin-plant": UNEXPECTED,
        "SUPPLY-SBOM-VULNERABILITY@resin-plant": SBOM,
    },
}

ZONING_AND_THREATS: dict[str, dict[str, str]] = {
    "automotive-parts": {"THREAT-WIRELESS@agv-zone": WIRELESS},
    "food-batch": {"ZONE-MIXED-LOCATION@filling#place": ZONING, "ZONE-MIXED-LOCATION@filling#recovery": ZONING},
    "pharma-data-integrity": {},
    "chemical-batch": {
        "ZONE-SAFETY-WITH-CONTROL@reactor-area": SAFETY,  # the SIS logic solver sits with the DCS controllers
        "ZONE-EXTERNAL-NO-BOUNDARY@iiot-net": BOUNDARY,  # the sensor kit's LTE router goes straight to the cloud
        "THREAT-WIRELESS@tank-farm": WIRELESS,
        "THREAT-WIRELESS@iiot-net": WIRELESS,
        "THREAT-EXTERNAL-NETWORK@vendor-vpn": EXT_NET,
        "THREAT-EXTERNAL-NETWORK@cloud-to-mes": EXT_NET,
        "THREAT-EXTERNAL-NETWORK@historian-to-cloud": EXT_NET,
        "THREAT-EXTERNAL-NETWORK@sensors-to-cloud": EXT_NET,
        # The support engineers' own laptops: expected on their zone, found on the zone they come into (the same finding).
        "THREAT-EXTERNAL-EQUIPMENT@plant-dmz": EXT_EQUIPMENT,
        "THREAT-EXTERNAL-SYSTEM@analytics-cloud-zone": EXT_SYSTEM,
        "THREAT-EXTERNAL-DATA@historian-to-cloud": EXT_DATA,
        "THREAT-INCIDENT-COORDINATION@analytics-cloud": COORDINATION,  # only operation is assigned
        "THREAT-INCIDENT-COORDINATION@dcs-support-centre": COORDINATION,  # nothing is assigned
        "THREAT-CONTROL-FROM-OUTSIDE@cloud-to-mes": CONTROL_OUTSIDE,
        "THREAT-CONTROL-FROM-OUTSIDE@jump-to-ews": CONTROL_OUTSIDE,  # the vendor's sessions end on the EWS
        "THREAT-OUTSIDE-ORIGIN-CONTROL@mes-to-control": CONTROL_OUTSIDE,  # the cloud's recipes, loaded unreleased
        "THREAT-OUTSIDE-ORIGIN-CONTROL@control-to-reactor": CONTROL_OUTSIDE,
        "THREAT-FA-OA-CONNECTION@office-to-mes": FA_OA,
        # A known miss of the blind trial, found since the rule follows data through the DMZ: the historian's process
        # data reach the office PCs through the DMZ replica (historian-to-dmz, then dmz-to-office).
        "THREAT-FA-DATA-IN-OA@dmz-to-office": FA_DATA_OA,
        "THREAT-BUILT-IN-COMPUTER@reactor-area": BUILT_IN,
        "THREAT-BUILT-IN-COMPUTER@filling-line": BUILT_IN,
        "THREAT-BUILT-IN-COMPUTER@iiot-net": BUILT_IN,
        "THREAT-INTER-COMPANY@office-to-haulier": INTER_COMPANY,
        "THREAT-GENERAL-PURPOSE-NEW@iiot-net": GENERAL_PURPOSE,
        "THREAT-GENERAL-PURPOSE-NEW@plant-dmz": GENERAL_PURPOSE,
        "THREAT-REMOVABLE-MEDIA@control-room": MEDIA,
        "DATA-UTILISATION@analytics-cloud-zone": DATA_USE,
        "PHYS-MEASURES@resin-plant": PHYSICAL,  # the new sensors on pumps outdoors have none
    },
}

NOISE: dict[str, dict[str, str]] = {
    # Found by the first run and wrong on this factory; fixed, and must not come back.
    "chemical-batch": {
        "ZONE-DIVISIBLE-BY-OPERATION@reactor-area": "the SIS split again, which ZONE-SAFETY-WITH-CONTROL already tells",
        "DATA-UTILISATION@plant-dmz": "the vendor's remote DCS maintenance is a session through the DMZ, not data it gathers",
    },
    "automotive-parts": {
        "DATA-UTILISATION@agv-zone": "the AGV vendor's remote support is a maintenance session, not data the AGV zone gathers",
    },
}

KNOWN_MISSES: dict[str, dict[str, str]] = {
    # Expected from the guideline, still not found (see the blind trial's report): none left.
}

STEP_3: dict[str, dict[str, str]] = {
    "chemical-batch": {
        "S3-MATURITY-UNASSESSED@resin-plant#external-cooperation": MATURITY,
        "S3-MATURITY-UNASSESSED@resin-plant#between-departments": MATURITY,
        "S3-MATURITY-UNASSESSED@resin-plant#within-department": MATURITY,
        "S3-OODA-NO-DECIDER@resin-plant": OODA,  # neither stage names who decides
        "S3-CHECKLIST-OPEN@analytics-service#cloud-service": CHECKLIST,
        "S3-CHECKLIST-OPEN@lte-router#general-purpose-product": CHECKLIST,
        "S3-CHECKLIST-OPEN@jump-server#general-purpose-product": CHECKLIST,
        "S3-CHECKLIST-OPEN@eng-workstation#general-purpose-product": CHECKLIST,
        "S3-CHECKLIST-OPEN@operator-stations#general-purpose-product": CHECKLIST,
        "S3-CHECKLIST-OPEN@mes-server#software": CHECKLIST,
    },
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


@pytest.mark.parametrize("name", sorted(NOISE))
def test_findings_a_practitioner_called_wrong_are_not_found(name: str) -> None:
    found = {f.id for f in assess(name).findings}
    assert not set(NOISE[name]) & found


def test_the_control_room_is_not_said_to_receive_control_instructions_from_its_field_zones() -> None:
    (finding,) = [f for f in assess("chemical-batch").findings if f.id == "THREAT-DIFFERENT-REQUIREMENTS@control-room"]
    assert "which has no control role" not in finding.rationale.en
    assert "Reactor area" not in finding.rationale.en  # both critical, both on the control side: nothing differs


@pytest.mark.parametrize("name", sorted(STEP_3))
def test_expected_step_3_findings_are_found(name: str) -> None:
    found = {f.id for f in assess(name).lifecycle.findings}
    assert set(STEP_3[name]) <= found, f"missing: {sorted(set(STEP_3[name]) - found)}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_expected_finding_cites_the_section_its_sentence_comes_from(name: str) -> None:
    findings = {f.id: f for f in assess(name).findings}
    for finding_id, sentence in {**EXPECTED[name], **ZONING_AND_THREATS[name]}.items():
        section = sentence.split(":", 1)[0].split(" ")[0]
        if section.startswith("3."):
            assert section in findings[finding_id].reference, (finding_id, findings[finding_id].reference)
