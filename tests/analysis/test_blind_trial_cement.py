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
"""

from __future__ import annotations

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
