"""cement-plant: an eighth strictly blind trial, an integrated cement works.

A limestone quarry 6 km away (crusher and overland conveyor PLCs, haul trucks and excavators reporting to their maker's
telematics cloud over LTE, blasting by a contractor), a raw mill and a kiln line on one DCS with a separate burner
management and safety system, alternative fuels from waste-handling contractors weighed and logged under the disposal
permit, a CEMS whose data go to the prefecture's telemeter under the Air Pollution Control Act, a waste-heat power
plant, a lab whose raw mix controller writes feeder ratios to the DCS, bulk dispatch by truck and ship with the
logistics partner's booking platform, an MES and the group ERP, a kiln AI cloud advising the operators on fuel mix and
a contractor keeping the DCS over a VPN.

Its author read only the guideline appendix, docs/model.md and one example's model (battery-cell). CEMENT_BLIND and
CEMENT_NOISE_BLIND were committed before factorysec first ran `analyze` on the model: what a practitioner expects
(finding id as best guessed, then the guideline place it rests on and why), and what a practitioner would call noise.
Nothing in them is edited after that commit; the guessed ids are mapped to the tool's in CEMENT_MAPPING after the run.

First run: 64 of the 69 expected found (5 misses), 9 of the 156 findings (Step 3 included) noise. After the rule fixes
below (THREAT-EXTERNAL-DATA on public data and on an outside party's enclave, THREAT-EXTERNAL-NETWORK on such an
enclave, THREAT-OUTSIDE-ORIGIN-CONTROL on a control flow inside one zone, ZONE-MIXED-CONTROL on an external zone):
66 of 69 found (CEMENT_KNOWN_MISSES), 5 of the 153 findings noise (CEMENT_KNOWN_NOISE). Merged with the same
session's other work (the machine-builder trial's checklists, `procured: false` on the prefecture's lent terminal):
2 of the 150 findings noise. With the prefecture a party of kind `authority` (no checklist for what a regulator runs or
lends): 1 of the 149.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from factorysec.analysis import Assessment, analyze
from factorysec.catalog import Catalog, load_catalog
from factorysec.model import load_model
from tests.analysis.test_industry_examples import TODAY, found_ids
from tests.analysis.test_rules import RULE_FIXTURES
from tests.conftest import ROOT

CEMENT = "cement-plant"

CEMENT_BLIND: dict[str, str] = {
    # Step 1-1 (1): BCP
    "S1-BCP-REVIEW-STALE@nishiseto-cement#interval": (
        "3.1.1 (1) BCP review: last reviewed 2025-03-10 on a 365-day interval, and before the kiln AI review of 2026-10-20"
    ),
    "S1-BCP-VIEWPOINT@nishiseto-cement#partner-incident-impact": (
        "3.1.1 (1): effect on the works of an attack on the DCS contractor, the logistics partner or a waste contractor"
    ),
    "S1-BCP-VIEWPOINT@nishiseto-cement#impact-on-partners": (
        "3.1.1 (1): effect on the logistics partner and the prefecture (telemeter) if the works is suspected to be attacked"
    ),
    "S1-BCP-VIEWPOINT@nishiseto-cement#undetermined-cause-impact": (
        "3.1.1 (1): a DCS or dispatch failure whose cause (bug, fault, attack at the contractor) cannot be told"
    ),
    "S1-BCP-VIEWPOINT@nishiseto-cement#new-service-impact": (
        "3.1.1 (1): the AI platform and the booking platform are new services not in the BCP"
    ),
    "S1-BCP-VIEWPOINT@nishiseto-cement#new-service-attack-suspension": (
        "3.1.1 (1): what the works does when an attack stops the booking platform (gate) or the AI advice"
    ),
    "S1-BCP-VIEWPOINT@nishiseto-cement#new-service-failure": "3.1.1 (1): the same for a plain failure of those services",
    # Step 1-1 (2): laws, standards
    "S1-REQUIREMENT-STALE@mine-safety-act#interval": "3.1.1 (2): reviewed 2024-05-20, over the works' 365-day interval",
    "S1-REQUIREMENT-STALE@ghg-reporting": "3.1.1 (2): the GHG reporting and GX-ETS requirement was never reviewed",
    "S1-REQUIREMENT-TOUCHED@group-ot-standard": (
        "3.1.1 (2): the AI advice display is new in the MES zone in its scope since its 2025-10-01 review"
    ),
    "S1-REQUIREMENT-TOUCHED@waste-management-act": (
        "3.1.1 (2): the booking platform's new data flow lands in the dispatch zone that logs the waste deliveries"
    ),
    "S1-REQUIREMENT-CONSEQUENCE@group-ot-standard": (
        "3.1.1 (2): IEC 62443 declared in the group standard; what it asks of the contractor and suppliers"
    ),
    # Step 1-1 (3): stakeholders, incident impact
    "S1-INCIDENT-IMPACT@nishiseto-cement": (
        "3.1.1 (3) understanding the impact of incidents: new parties (logistics partner, cloud provider, the AI "
        "vendor's offshore team) without their incident-impact perspectives"
    ),
    "S1-SUBCONTRACT-OPEN@ai-vendor-offshore": (
        "3.1.1 (3): the AI vendor's data science team in India works remotely on the kiln data"
    ),
    # Step 1-2
    "S1-PURPOSE-OPERATION@truck-booking": "3.1.1 (1) / 3.1.2: the new truck booking operation serves no stated purpose",
    # Step 1-6: zoning
    "ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE@kiln-zone": (
        "3.1.6 / Table 3-5 (FA and OA): the shift leader's mail PC sits on the DCS network with a second network card"
    ),
    "ZONE-SAFETY-WITH-CONTROL@whr-zone": (
        "3.1.6 procedure 3 / 3.1.5 safety: the turbine overspeed protection shares the Ethernet ring with its PLC and HMI"
    ),
    "ZONE-MIXED-CONTROL@lab-zone": (
        "Annex A case (i) / 3.1.6: the raw mix controller sends set points to the DCS without a person, from the zone "
        "whose XRF PC the maker reaches remotely; it should be divided from what sends no control instructions"
    ),
    "ZONE-MIXED-LOCATION@dispatch-zone": (
        "3.1.6 procedure 3: the ship loader at the jetty has another building and another recovery target"
    ),
    "ZONE-MIXED-MANAGEMENT@cems-zone": (
        "Annex A case (ii) / 3.1.6: the prefecture's telemeter terminal, which the works does not run, is in the CEMS zone"
    ),
    "ZONE-EXTERNAL-NO-BOUNDARY@quarry-fleet": (
        "Table 2-1 remote access / 3.2.2 (1)(i): the telematics units reach the maker's cloud over LTE with no works "
        "boundary, on the machines' CAN bus"
    ),
    # Step 1-7: threats per zone and between zones
    "THREAT-EXTERNAL-EQUIPMENT@cems-zone": (
        "Table 2-1 / Table 3-5 use of external equipment: the CEMS maker's calibration laptop connected to the logger"
    ),
    "THREAT-DIFFERENT-REQUIREMENTS@analyser-remote-support": (
        "Table 3-5 different security policy: the analyser maker's support centre abroad reaches the lab PC"
    ),
    "THREAT-DIFFERENT-REQUIREMENTS@fleet-telematics": (
        "Table 3-5 different security policy: the fleet maker's cloud sends commands to the machines"
    ),
    "THREAT-DIFFERENT-REQUIREMENTS@booking-to-dispatch": (
        "Table 3-5 different security policy: the logistics partner's platform feeds the dispatch system"
    ),
    "REQ-external-control-instructions@fleet-cloud->quarry-fleet": (
        "Table 3-4 integration of control instructions: the maker's cloud can lock an engine restart"
    ),
    "REQ-external-control-instructions@contractor-office->kiln-zone": (
        "Table 3-4: program changes come into the DCS from the contractor's office"
    ),
    "REQ-external-control-instructions@lab-zone->kiln-zone": (
        "Table 3-4: feeder ratio set points come into the DCS zone from the lab zone"
    ),
    "THREAT-OUTSIDE-ORIGIN-CONTROL@dispatch-to-loaders": (
        "Table 3-4 / Table 3-6 row 6: loading orders are released from bookings made on the partner's platform"
    ),
    "THREAT-OUTSIDE-ORIGIN-CONTROL@fleet-telematics": "Table 3-4: engine lock commands originate in the maker's cloud",
    "THREAT-OUTSIDE-ORIGIN-CONTROL@dcs-remote-session": (
        "Table 3-4: DCS program changes originate at the contractor's office"
    ),
    "THREAT-AUTO-CONTROL-INSTRUCTIONS@raw-mix-to-dcs": (
        "Annex A case (i) / Table 3-6 row 6: set points computed from each XRF result and written without a person"
    ),
    "THREAT-AUTO-CONTROL-INSTRUCTIONS@dispatch-to-loaders": (
        "Annex A case (i): loading orders made automatically from ERP orders and outside bookings"
    ),
    "THREAT-REMOTE-ACCESS@analyser-remote-support": (
        "Table 2-1 / Table 3-5 remote access: a remote desktop tool through the firewall, no VPN, MFA or session control"
    ),
    "THREAT-REMOTE-ACCESS@dcs-remote-session": (
        "Table 2-1 remote access / 3.2.2 (1)(i): the contractor's VPN account is always enabled, password only"
    ),
    "THREAT-WIRELESS@quarry-fleet": "Table 2-1 / Table 3-5 wireless ICT: LTE telematics on every machine",
    "THREAT-BUILT-IN-COMPUTER@cems-zone": (
        "Table 3-5 built-in computer: an analyser computing wrong values changes the legal emission record"
    ),
    "THREAT-FA-OA-CONNECTION@ccr-pc-mail": (
        "Table 3-5 FA and OA connected: mail and file sharing between the DCS network and the office with no filter"
    ),
    "THREAT-EXTERNAL-DATA@kiln-ai-cloud": (
        "Table 3-5 handling of information on external systems / Table 3-6 row 4: kiln process data stored in the cloud"
    ),
    "THREAT-EXTERNAL-DATA@dcs-config": (
        "Table 3-5 / Table 3-6 row 4: DCS programs and parameters kept on the contractor's server"
    ),
    "DATA-UTILISATION@kiln-process-data": (
        "3.2.2 (1)(iii): data quality, loss, acquisition and utilisation scope of the kiln data the AI model learns from"
    ),
    # Table 3-4: requirements between zones
    "REQ-transfer-integrity@cems-zone->prefecture-telemeter": (
        "Table 3-4 information transfer: the telemeter values are the legal record; compare what is sent and received"
    ),
    "REQ-transfer-availability@cems-zone->prefecture-telemeter": (
        "Table 3-4: a gap in the telemeter data is itself a breach of the agreement; back it up"
    ),
    "REQ-transfer-integrity@kiln-ai-cloud->plant-dmz": "Table 3-4: the advice coming back must be what the model sent",
    "REQ-transfer-confidentiality@plant-dmz->kiln-ai-cloud": "Table 3-4: which kiln data may leave for the cloud",
    "REQ-transfer-confidentiality@kiln-zone->contractor-office": "Table 3-4: DCS backups leaving the works",
    "REQ-transfer-integrity@lab-zone->kiln-zone": "Table 3-4: the feeder set points received must be those sent",
    "REQ-transfer-integrity@booking-platform->dispatch-zone": "Table 3-4: bookings that release loading orders",
    "REQ-integrity@cems-zone": "Table 3-4 protected object (integrity): the emission data in the CEMS zone",
    # Step 2-2: measures
    "MEASURE-MISSING@dcs-remote-session#net-vendor-remote-session-management": (
        "3.2.2 (1)(i) / Annex A case (ii): the contractor's sessions are not opened per job nor recorded"
    ),
    "MEASURE-MISSING@analyser-remote-support#net-remote-access-vpn-mfa": "3.2.2 (1)(i): the maker's remote desktop has no VPN/MFA",
    "MEASURE-MISSING@dx-edge#sw-oss-component-management": "3.2.2 (1)(ii) software, OSS: the DX gateway holds OSS",
    "MEASURE-MISSING@ai-platform#cloud-service-resumption": (
        "3.2.2 (1)(i) cloud services: how the kiln advice resumes after an outage is not agreed"
    ),
    "MEASURE-MISSING@nishiseto-cement#op-monitoring-detection-tools": (
        "3.3 (1)(i): no tool watches the DCS or the plant network; early recognition rests on the contractor"
    ),
    # Step 3
    "S3-PDCA-STRUCTURE@nishiseto-cement": (
        "3.3 (1)(ii): no manual of security measures, last training 2025-05-15 (over a year ago)"
    ),
    "S3-UNEXPECTED-EVENTS@nishiseto-cement": "3.3 (1)(ii) unexpected events: no practice recorded while the works changes",
    "S3-PDCA-NO-SITE@rv-2026-kiln-ai": (
        "3.3 (1)(ii): the kiln AI review held at head office without the CCR shift or the works manager"
    ),
    "S3-PDCA-CHANGE-UNREVIEWED@nishiseto-cement": (
        "3.3 (1)(ii): the booking platform and the fleet API are new and no review covers them"
    ),
    "S3-OODA-INCOMPLETE@preventive-maintenance": "Table 3-7: no decide or act role in the preventive maintenance stage",
    "S3-OODA-INCOMPLETE@damage-occurrence": "Table 3-8: only observe is assigned in the damage occurrence stage",
    "S3-MATURITY-NONE@nishiseto-cement": "Table 3-9: no maturity level assessed",
    "S3-CHECKLIST-OPEN@ai-platform#cloud-service": "Table 3-10: most cloud items unanswered; service levels answered no",
    "S3-CHECKLIST-OPEN@fleet-cloud-service#cloud-service": (
        "Table 3-10: the telematics cloud that can lock engines, none of its items answered"
    ),
    "S3-CHECKLIST-OPEN@xrf-analyser#general-purpose-product": "Table 3-11: the XRF's Windows PC with a remote tool",
    "S3-CHECKLIST-OPEN@cems-logger#general-purpose-product": "Table 3-11: the CEMS Windows logger computing legal averages",
    "S3-CHECKLIST-OPEN@dx-edge#general-purpose-product": "Table 3-11: the new DX gateway server",
    "S3-CHECKLIST-OPEN@raw-mix-controller#software": "Table 3-12: the raw mix control software writing to the DCS",
    "S3-RESPONSIBILITY-GAP@ai-platform#incident-response": (
        "2.1.3 / 3.3 (2): who answers an incident of the AI platform is not recorded (only operation)"
    ),
    "S3-RESPONSIBILITY-GAP@booking-service": "2.1.3 / Table 3-5 unclear responsibility: nothing recorded for the platform",
}

CEMENT_NOISE_BLIND: dict[str, str] = {
    "ZONE-MIXED-CONTROL@kiln-zone": (
        "the DCS's operator stations and controllers are one system; a material process line cannot be split "
        "(Annex A case (i) note)"
    ),
    "ZONE-MIXED-CONTROL@dispatch-zone": "the dispatch server commands only the loaders of its own zone",
    "ZONE-SAFETY-WITH-CONTROL@kiln-zone": "the burner management and safety system is its own zone",
    "ZONE-SAFETY-WITH-CONTROL@kiln-safety": "the safety system's zone holds no process control",
    "ZONE-EXTERNAL-NO-BOUNDARY@blast-monitoring": (
        "the contractor's monitors alone, talking only to the contractor's service: nothing of the works behind them"
    ),
    "REQ-external-control-instructions@plant-dmz->production-control": (
        "phase 1 advice is shown to operators; it carries no control instructions"
    ),
    "THREAT-OUTSIDE-ORIGIN-CONTROL@advice-to-ccr": "the advice conduit carries no control instructions",
    "THREAT-AUTO-CONTROL-INSTRUCTIONS@advice-to-ccr": "operators type accepted changes themselves",
    "THREAT-OUTSIDE-ORIGIN-CONTROL@raw-mix-to-dcs": "the XRF results the set points come from are made in the lab",
    "REQ-external-control-instructions@whr-zone->kiln-zone": "the power plant only reports status to the DCS",
    "S1-GOVERNANCE-NEW-EXTERNAL@nishiseto-cement": "group IT, group security and the cement division are all recorded",
    "S1-PURPOSE-NONE@nishiseto-cement": "three purposes are recorded",
    "S1-BCP-MISSING@nishiseto-cement": "the BCP exists",
    "S1-SUBCONTRACT-OPEN@dcs-contractor-field": "identified, domestic, works only on site",
    "S1-REQUIREMENT-STALE@air-pollution-control-act": "reviewed 2026-04-20, within the interval",
    "ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE@production-control": "the advice display is a CCR terminal, not office equipment",
    "S3-CHECKLIST-OPEN@contractor-pcs#general-purpose-product": (
        "the contractor's own PCs in its office are not procured by the works (Table 3-11 is about what we introduce)"
    ),
}


# After the first run (written after CEMENT_BLIND was committed): each blind expectation mapped to the tool's finding
# id where the tool names the same thing under another id or subject. Expectations not listed here kept their id. A
# measure the tool asks for is not a finding of its own: it is a missing measure of a finding's gap (Step 2-2), written
# "<finding id>#<measure>" (see measure_gap_ids).
CEMENT_MAPPING: dict[str, str] = {
    "S1-REQUIREMENT-STALE@ghg-reporting": "S1-REQUIREMENT-STALE@ghg-reporting#never",
    "S1-REQUIREMENT-CONSEQUENCE@group-ot-standard": (
        "S1-REQUIREMENT-CONSEQUENCE@group-ot-standard#service-provider-capabilities"
    ),
    "S1-SUBCONTRACT-OPEN@ai-vendor-offshore": "S1-SUBCONTRACT-OPEN@ai-vendor-offshore#overseas-remote",
    "S1-PURPOSE-OPERATION@truck-booking": "S1-PURPOSE-OPERATION@truck-booking#none",
    "ZONE-MIXED-LOCATION@dispatch-zone": "ZONE-MIXED-LOCATION@dispatch-zone#place",
    # Table 3-5's different security policy is told on the outside party's zone
    "THREAT-DIFFERENT-REQUIREMENTS@analyser-remote-support": "THREAT-EXTERNAL-SYSTEM@analyser-support",
    "THREAT-DIFFERENT-REQUIREMENTS@fleet-telematics": "THREAT-EXTERNAL-SYSTEM@fleet-cloud",
    "THREAT-DIFFERENT-REQUIREMENTS@booking-to-dispatch": "THREAT-EXTERNAL-SYSTEM@booking-platform",
    # control instructions from outside the control network (Table 3-4)
    "THREAT-OUTSIDE-ORIGIN-CONTROL@fleet-telematics": "THREAT-CONTROL-FROM-OUTSIDE@fleet-telematics",
    "THREAT-OUTSIDE-ORIGIN-CONTROL@dcs-remote-session": "THREAT-CONTROL-FROM-OUTSIDE@dcs-remote-session",
    # remote access over an external network (Table 2-1, Table 3-5)
    "THREAT-REMOTE-ACCESS@analyser-remote-support": "THREAT-EXTERNAL-NETWORK@analyser-remote-support",
    "THREAT-REMOTE-ACCESS@dcs-remote-session": "THREAT-EXTERNAL-NETWORK@dcs-remote-session",
    # data on external systems, told on the conduit that hands them over
    "THREAT-EXTERNAL-DATA@kiln-ai-cloud": "THREAT-EXTERNAL-DATA@edge-to-ai",
    "THREAT-EXTERNAL-DATA@dcs-config": "THREAT-EXTERNAL-DATA@dcs-backup-copy",
    # data utilisation is told on the zone that gathers the data: the DMZ gathering the MES's and the AI platform's
    "DATA-UTILISATION@kiln-process-data": "DATA-UTILISATION@plant-dmz",
    # measures: missing measures of a finding's gap
    "MEASURE-MISSING@dcs-remote-session#net-vendor-remote-session-management": (
        "THREAT-EXTERNAL-EQUIPMENT@kiln-zone#net-vendor-remote-session-management"
    ),
    "MEASURE-MISSING@analyser-remote-support#net-remote-access-vpn-mfa": (
        "THREAT-EXTERNAL-NETWORK@analyser-remote-support#net-remote-access-vpn-mfa"
    ),
    "MEASURE-MISSING@dx-edge#sw-oss-component-management": "THREAT-GENERAL-PURPOSE-NEW@plant-dmz#sw-oss-component-management",
    "MEASURE-MISSING@ai-platform#cloud-service-resumption": "THREAT-EXTERNAL-SYSTEM@kiln-ai-cloud#cloud-service-resumption",
    "MEASURE-MISSING@nishiseto-cement#op-monitoring-detection-tools": (
        "THREAT-BUILT-IN-COMPUTER@kiln-zone#op-monitoring-detection-tools"
    ),
    # after the fix of THREAT-OUTSIDE-ORIGIN-CONTROL (see below): instructions from data of outside origin get that
    # stronger finding instead of THREAT-AUTO-CONTROL-INSTRUCTIONS, by the latter's design
    "THREAT-AUTO-CONTROL-INSTRUCTIONS@dispatch-to-loaders": "THREAT-OUTSIDE-ORIGIN-CONTROL@dispatch-to-loaders",
    # Step 3
    "S3-PDCA-NO-SITE@rv-2026-kiln-ai": "S3-PDCA-NO-SITE@nishiseto-cement#rv-2026-kiln-ai",
    "S3-OODA-INCOMPLETE@preventive-maintenance": "S3-OODA-PROPOSED@nishiseto-cement#preventive-maintenance",
    "S3-OODA-INCOMPLETE@damage-occurrence": "S3-OODA-PROPOSED@nishiseto-cement#damage-occurrence",
    "S3-MATURITY-NONE@nishiseto-cement": "S3-MATURITY-UNASSESSED@nishiseto-cement#external-cooperation",
    # the Step 3 responsibility gaps are folded into the Step 1-7 incident coordination threat of the party
    "S3-RESPONSIBILITY-GAP@ai-platform#incident-response": "THREAT-INCIDENT-COORDINATION@cloud-provider",
    "S3-RESPONSIBILITY-GAP@booking-service": "THREAT-INCIDENT-COORDINATION@logistics-partner",
}

# Expected, and not found, with the reason. Fixed after the trial: THREAT-OUTSIDE-ORIGIN-CONTROL@dispatch-to-loaders and
# THREAT-AUTO-CONTROL-INSTRUCTIONS@dispatch-to-loaders (missed: the rules read only control conduits between zones;
# see CEMENT_MISSES_FIXED).
CEMENT_KNOWN_MISSES: dict[str, str] = {
    "THREAT-AUTO-CONTROL-INSTRUCTIONS@raw-mix-to-dcs": (
        "the raw mix set points are made in the lab from the lab's own XRF results (derived_from: []), so the rule, "
        "which asks whether instructions are built from another zone's data, says nothing on the lab; Annex A case "
        "(i)'s point is told as ZONE-MIXED-CONTROL@lab-zone and REQ-external-control-instructions@lab-zone->kiln-zone, "
        "and THREAT-AUTO-CONTROL-INSTRUCTIONS@kiln-zone names the lab among the DCS's inputs"
    ),
    "REQ-integrity@cems-zone": (
        "the emission data are rated integrity: critical on the asset, but REQ-integrity is set only on a zone that "
        "newly receives data; an existing zone keeping data of critical integrity gets no integrity requirement"
    ),
    "S3-PDCA-CHANGE-UNREVIEWED@nishiseto-cement": (
        "no review records a model digest, so the tool cannot tell that the booking platform came after the kiln AI "
        "review; S1-BCP-REVIEW-STALE#change lists the changes instead"
    ),
}

# Found, and noise for a practitioner, with the reason. Fixed after the trial (CEMENT_NOISE_FIXED): the emission
# values handed to the prefecture are public, the blasting contractor's monitors upload the contractor's records to
# the contractor's own service, and the DCS contractor's office is not the works' to zone.
CEMENT_KNOWN_NOISE: dict[str, str] = {
    "ZONE-MIXED-CONTROL@kiln-zone": (
        "the DCS's operator stations, engineering station and controllers are one maker's system; the instructions to "
        "the quarry and the AF hall are interlocks of the same process, and the controllers are the most critical "
        "part, not the one needing less (Annex A case (i) note on material industries)"
    ),
}


@cache
def assess_cement() -> Assessment:
    return analyze(load_model(ROOT / "examples" / CEMENT / "factory.yaml"), load_catalog(), today=TODAY)


def measure_gap_ids() -> frozenset[str]:
    """Each measure a finding's gap lists as missing, as '<finding id>#<measure>' (Step 2-2)."""
    return frozenset(f"{g.finding}#{m}" for g in assess_cement().gaps for m in g.missing)


def test_cement_found_ids_reads_the_cement_model() -> None:
    found = found_ids(CEMENT)
    assert "ZONE-SAFETY-WITH-CONTROL@whr-zone" in found
    assert found == {f.id for f in assess_cement().findings} | {f.id for f in assess_cement().lifecycle.findings} | {
        r.id for r in assess_cement().requirements
    }


def test_cement_mapping_and_lists_name_blind_entries_only() -> None:
    assert set(CEMENT_MAPPING) <= set(CEMENT_BLIND)
    assert set(CEMENT_KNOWN_MISSES) <= set(CEMENT_BLIND)
    assert not set(CEMENT_KNOWN_MISSES) & set(CEMENT_MAPPING)


def test_cement_expected_findings_are_found() -> None:
    found = found_ids(CEMENT) | measure_gap_ids()
    expected = {CEMENT_MAPPING.get(e, e) for e in CEMENT_BLIND if e not in CEMENT_KNOWN_MISSES}
    assert expected <= found, f"missing: {sorted(expected - found)}"


def test_cement_known_misses_and_noise_are_as_recorded() -> None:
    # When a fix lands, the entry moves out of these lists (and the figures in the report change).
    found = found_ids(CEMENT) | measure_gap_ids()
    assert not {CEMENT_MAPPING.get(e, e) for e in CEMENT_KNOWN_MISSES} & found
    assert set(CEMENT_KNOWN_NOISE) <= found


def test_cement_noise_a_practitioner_named_is_not_found_unless_recorded() -> None:
    found = found_ids(CEMENT)
    assert not (set(CEMENT_NOISE_BLIND) - set(CEMENT_KNOWN_NOISE)) & found
    # a prefix check for the governance finding, whatever its subject
    assert not any(f.startswith("S1-GOVERNANCE-NEW-EXTERNAL") for f in found)


def test_cement_phase_1_advice_is_not_taken_for_control_instructions() -> None:
    found = found_ids(CEMENT)
    assert not any(f.endswith("@advice-to-ccr") and "CONTROL" in f for f in found)
    assert not any(f.startswith("REQ-external-control-instructions@plant-dmz") for f in found)


# --- rule fixes after the trial -----------------------------------------------------------------------------------

CEMENT_NOISE_FIXED: dict[str, str] = {
    # Fixed by the machine-builder trial's change, merged after this trial: equipment an outside party runs on its own
    # site (managed_by, in an external zone) gets no Table 3-11 checklist.
    "S3-CHECKLIST-OPEN@contractor-pcs#general-purpose-product": (
        "the contractor's own PCs in its office: the works does not procure or introduce them (Table 3-11)"
    ),
    "S3-CHECKLIST-OPEN@contractor-backup-server#general-purpose-product": "the same, the contractor's own server",
    # Fixed once the model could say so (procured: false, merged after this trial), which the model now does.
    "S3-CHECKLIST-OPEN@telemeter-terminal#general-purpose-product": (
        "the prefecture lends and configures the telemeter terminal; the works neither procures nor manages it"
    ),
    # Fixed by the party kind `authority` (procured_from: false), which the model now gives the prefecture: nothing a
    # regulator runs or lends gets a Step 3 checklist.
    "S3-CHECKLIST-OPEN@telemeter-centre#cloud-service": (
        "the prefecture's monitoring centre is a regulator's system the works only reports to, not a cloud service it "
        "selects, contracts or uses (Table 3-10)"
    ),
    "ZONE-MIXED-CONTROL@contractor-office": (
        "the contractor's own office network is not the works' to zone; what the works asks of it is a supply chain "
        "requirement (3.2.2 (1)(i)), told already"
    ),
    "THREAT-EXTERNAL-DATA@cems-to-prefecture": (
        "the emission values are public (disclosure: public; the prefecture publishes them): their leak is no threat "
        "(Table 3-5 handling of information on external systems, Table 3-6 row 4 are about leakage)"
    ),
    "THREAT-EXTERNAL-DATA@blast-monitor-upload": (
        "the contractor's monitors send the contractor's records to the contractor's service: nothing of the works "
        "is handed over (the one-party zone docs/model.md exempts from ZONE-EXTERNAL-NO-BOUNDARY)"
    ),
    "THREAT-EXTERNAL-NETWORK@blast-monitor-upload": (
        "the same conduit: its factory end is the contractor's monitor, with nothing of the works behind it"
    ),
}
"""Noise of the first run that a rule fix removed (ZONE-MIXED-CONTROL, THREAT-EXTERNAL-DATA and
THREAT-EXTERNAL-NETWORK), kept out since."""

PUBLIC_EMISSIONS = RULE_FIXTURES / "THREAT-EXTERNAL-DATA" / "public-emissions.yaml"
CONTRACTOR_ENCLAVE = RULE_FIXTURES / "THREAT-EXTERNAL-NETWORK" / "contractor-enclave.yaml"


def _fixture_ids(path: Path, catalog: Catalog) -> set[str]:
    assessment = analyze(load_model(path), catalog, today=TODAY)
    return {f.id for f in (*assessment.findings, *assessment.lifecycle.findings)}


def test_cement_noise_fixed_after_the_trial_stays_away() -> None:
    assert not set(CEMENT_NOISE_FIXED) & found_ids(CEMENT)


def test_public_data_handed_to_an_external_system_is_not_told_as_a_leak(catalog: Catalog) -> None:
    # Table 3-5 (handling of information on external systems) and Table 3-6 row 4 are about leakage: values the model
    # states as public (the prefecture publishes the stack emissions) lose nothing when the telemeter centre is attacked.
    found = _fixture_ids(PUBLIC_EMISSIONS, catalog)
    assert "THREAT-EXTERNAL-DATA@averages-out" not in found
    # a restricted recipe on the same way out is still told, and the external network is told either way
    assert "THREAT-EXTERNAL-DATA@averages-and-recipe-out" in found
    assert {"THREAT-EXTERNAL-NETWORK@averages-out", "THREAT-EXTERNAL-NETWORK@averages-and-recipe-out"} <= found


def test_a_contractors_own_monitors_uploading_to_its_own_service_hand_over_nothing_of_the_works(
    catalog: Catalog,
) -> None:
    # The monitors' zone holds only the contractor's equipment and reaches only the contractor's service: no attacker
    # on the mobile network reaches the works there (Table 2-1 / Table 3-5 connection via external network), and the
    # records are the contractor's (Table 3-5 information on external systems), as ZONE-EXTERNAL-NO-BOUNDARY already
    # leaves such a zone alone.
    found = _fixture_ids(CONTRACTOR_ENCLAVE, catalog)
    assert "THREAT-EXTERNAL-NETWORK@monitor-upload" not in found
    assert "THREAT-EXTERNAL-DATA@monitor-upload" not in found
    assert "ZONE-EXTERNAL-NO-BOUNDARY@monitors" not in found
    # what the contractor's service sends into the works' office still crosses the internet to the works
    assert "THREAT-EXTERNAL-NETWORK@blast-reports" in found
    # and the contractor's side is still an external system the works relies on
    assert "THREAT-EXTERNAL-SYSTEM@monitors" in found


CEMENT_MISSES_FIXED: dict[str, str] = {
    "THREAT-OUTSIDE-ORIGIN-CONTROL@dispatch-to-loaders": (
        "the loading orders, stated as made from the partner's bookings, go to the loaders on a control flow inside the "
        "dispatch zone; the rule read only control conduits between zones (THREAT-AUTO-CONTROL-INSTRUCTIONS, missed "
        "for the same reason, now maps to this stronger finding)"
    ),
}
"""Misses of the first run that a rule fix found (THREAT-OUTSIDE-ORIGIN-CONTROL, control flows inside one zone)."""

INSIDE_ZONE = RULE_FIXTURES / "THREAT-OUTSIDE-ORIGIN-CONTROL" / "inside-zone-from-bookings.yaml"


def test_cement_misses_fixed_after_the_trial_are_found() -> None:
    assert set(CEMENT_MISSES_FIXED) <= found_ids(CEMENT)


def test_instructions_made_inside_a_zone_from_outside_bookings_are_of_outside_origin(catalog: Catalog) -> None:
    # Table 3-4 (control instructions from outside the control network), Annex A case (i): the dispatch server turns
    # the partner's bookings into loading orders for the spouts beside it; sharing their zone does not make the orders
    # the factory's own. Told only where the model states it: the flow lists its data and their lineage reaches data
    # brought in from outside.
    found = _fixture_ids(INSIDE_ZONE, catalog)
    assert "THREAT-OUTSIDE-ORIGIN-CONTROL@orders-to-loaders" in found
    # a sequence stated as made here, and a flow that lists no data, are left alone inside the zone
    assert "THREAT-OUTSIDE-ORIGIN-CONTROL@sequence-to-silos" not in found
    assert "THREAT-OUTSIDE-ORIGIN-CONTROL@tare-to-scales" not in found


def test_the_inside_zone_finding_names_the_outside_data_and_the_route_it_came_by() -> None:
    finding = next(f for f in assess_cement().findings if f.id == "THREAT-OUTSIDE-ORIGIN-CONTROL@dispatch-to-loaders")
    assert "booking-to-dispatch" in finding.rationale.en
    assert "Truck slot bookings" in finding.rationale.en
    assert "truck-bookings" in finding.related


CONTRACTOR_OFFICE = RULE_FIXTURES / "ZONE-MIXED-CONTROL" / "contractor-office.yaml"


def test_an_outside_partys_own_office_is_not_the_works_to_zone(catalog: Catalog) -> None:
    # Step 1-6 and Annex A case (i) zone the factory's system; the contractor's office (an external zone) is the
    # contractor's to divide, and what the works asks of it is a supply chain requirement (3.2.2 (1)(i)). Its engineering
    # PCs' sessions stay told where they land.
    found = found_ids_of(CONTRACTOR_OFFICE, catalog)
    assert "ZONE-MIXED-CONTROL@contractor-office" not in found
    assert "THREAT-CONTROL-FROM-OUTSIDE@remote-session" in found
    assert "REQ-external-control-instructions@contractor-office->line" in found


def found_ids_of(path: Path, catalog: Catalog) -> set[str]:
    """A fixture's findings, Step 3 findings and requirements."""
    assessment = analyze(load_model(path), catalog, today=TODAY)
    return _fixture_ids(path, catalog) | {r.id for r in assessment.requirements}
