"""Ten example factories beyond Annex A (issue #17 item 8), with the Step 1-1, zoning and PDCA findings expected of each.

The expectations were written from the guideline before the tool was run on
the examples; each names the guideline sentence it rests on. The Step 1-1,
supply-chain and PDCA findings must be exactly these; the zoning and threat
findings listed must be among those found, and so must the Step 3 findings
listed in STEP_3.

chemical-batch was a blind trial: a material/process plant none of the other
examples resembles, its expectations committed before the tool first ran on it.
semiconductor-backend was a strictly blind one (a power-module back-end plant):
its author read only the guideline appendix, docs/model.md and one example's
model, and its expectations stand as written in SEMI_BACKEND_BLIND; the
requirements between zones it expects are in REQUIREMENTS_BETWEEN_ZONES.
hot-strip-mill was a third strictly blind one, on a steelworks' hot strip mill
(a continuous process with Level-1, Level-2 and Level-3 systems), written the
same way; its expectations stand as written in HOT_STRIP_BLIND. battery-cell (a greenfield lithium-ion cell plant)
was a fifth strictly blind one: BATTERY_BLIND stands as committed before the first run, BATTERY_MAPPING maps it to
the tool's ids, and BATTERY_KNOWN_MISSES and BATTERY_KNOWN_NOISE say what was left and why. electronics-ems (an
electronics contract manufacturer) was a sixth, written the same way (EMS_BLIND, EMS_MAPPING, EMS_KNOWN_MISSES,
EMS_KNOWN_NOISE). machine-builder (a packaging-machine builder's works and the remote service it sells for its
customers' machines) was a seventh, written the same way (MACHINE_BLIND, MACHINE_BLIND_BETWEEN_ZONES,
MACHINE_NOISE_BLIND, MACHINE_MAPPING, MACHINE_KNOWN_MISSES, MACHINE_KNOWN_NOISE).
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
TRANSFER = (
    "Table 3-4 (information transfer): confidentiality, availability and integrity on the sending and receiving sides"
)
MIXED_MANAGEMENT = "Annex A case (ii) step 3: a service an external company runs is separated from the zone; check the division of responsibility"
OFFICE_EQUIPMENT = (
    "2.1.3 / Annex A case (i) step 3: assets in one zone need equal protection; office equipment belongs to the OA side"
)

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
    "semiconductor-backend": {
        "S1-BCP-REVIEW-STALE@kumamoto-backend#interval": BCP_AGE,  # 2024-03-29
        "S1-BCP-REVIEW-STALE@kumamoto-backend#change": BCP_AGE,  # before the yield service's review of 2026-06-15
        "S1-BCP-VIEWPOINT@kumamoto-backend#new-service-impact": BCP,
        "S1-BCP-VIEWPOINT@kumamoto-backend#new-service-attack-suspension": BCP,
        "S1-BCP-VIEWPOINT@kumamoto-backend#new-service-failure": BCP,
        "S1-BCP-VIEWPOINT@kumamoto-backend#impact-on-partners": BCP,  # the car maker's portal
        "S1-BCP-VIEWPOINT@kumamoto-backend#undetermined-cause-impact": BCP,  # the tester maker's remote sessions
        "S1-PURPOSE-OPERATION@customer-reporting#none": PURPOSE,  # imposed by the customer, tied to no purpose
        "S1-REQUIREMENT-STALE@semi-e187#interval": LAWS,  # 2025-01-20
        "S1-REQUIREMENT-TOUCHED@semi-e187": SMART_REQ,  # the remote support box in the test zone
        # Not written blind, and right: the company OT standard covers the whole factory, new elements included.
        "S1-REQUIREMENT-TOUCHED@company-ot-standard": SMART_REQ,
        "S1-REQUIREMENT-CONSEQUENCE@semi-e187#equipment-acceptance": STD,
        "S1-REQUIREMENT-CONSEQUENCE@semi-e187#supplier-baseline": STD,
        "S1-REQUIREMENT-CONSEQUENCE@customer-supplier-security#own-1": STD,
        # One finding for the five parties expected (support centre, AMR maker, 5G integrator, yield provider, tester maker).
        "S1-INCIDENT-IMPACT@kumamoto-backend": IMPACT,
        "S1-SUBCONTRACT-OPEN@amr-software-partner#unidentified": SUBCONTRACT,
        "S1-SUBCONTRACT-OPEN@tester-support-my#overseas-remote": SUBCONTRACT,
        "S3-PDCA-STRUCTURE@kumamoto-backend": PDCA,  # no incident-response manual, training 2025-02-14
        "S3-PDCA-NO-SITE@kumamoto-backend#rv-2026-yield": SITE,
        # Judged noise blind (one practice of three is recorded and the guideline gives them as examples); kept as the
        # automotive-parts trial expects the same, its title no longer saying there are none.
        "S3-UNEXPECTED-EVENTS@kumamoto-backend": UNEXPECTED,
        "SUPPLY-SBOM-VULNERABILITY@kumamoto-backend": SBOM,  # not written blind under this id: the OSS and products
    },
    # hot-strip-mill (a third, strictly blind trial; HOT_STRIP_BLIND below): all written blind but three.
    "hot-strip-mill": {
        "S1-BCP-REVIEW-STALE@setouchi-hsm#change": BCP_AGE,  # 2025-09-30, before the data lake review of 2026-05-20
        "S1-BCP-VIEWPOINT@setouchi-hsm#partner-incident-impact": BCP,
        "S1-BCP-VIEWPOINT@setouchi-hsm#undetermined-cause-impact": BCP,
        "S1-BCP-VIEWPOINT@setouchi-hsm#impact-on-partners": BCP,  # the car maker's EDI and certificates
        "S1-BCP-VIEWPOINT@setouchi-hsm#new-service-impact": BCP,
        "S1-BCP-VIEWPOINT@setouchi-hsm#new-service-attack-suspension": BCP,  # only the failure viewpoint is covered
        "S1-REQUIREMENT-STALE@car-maker-supplier-guideline#interval": LAWS,  # 2023-04-01
        "S1-REQUIREMENT-TOUCHED@group-ot-standard": SMART_REQ,  # wireless sensors, crane WLAN, YMS, CM server
        # Not written blind, and right: neither names its scope, so both cover the whole works, new elements included.
        "S1-REQUIREMENT-TOUCHED@car-maker-supplier-guideline": SMART_REQ,
        "S1-REQUIREMENT-TOUCHED@works-media-rule": SMART_REQ,
        "S1-REQUIREMENT-CONSEQUENCE@group-ot-standard#component-security-evidence": STD,
        "S1-REQUIREMENT-CONSEQUENCE@group-ot-standard#service-provider-capabilities": STD,
        "S1-REQUIREMENT-CONSEQUENCE@group-ot-standard#zone-target-levels": STD,
        # One finding for the parties expected (gauge partner, crane maker, and the drive maker since its new remote
        # service counts as an expansion: missed by the first run); it also names cm-supplier and group-it, written
        # blind as noise though the model records only two of their three perspectives.
        "S1-INCIDENT-IMPACT@setouchi-hsm": IMPACT,
        "S1-SUBCONTRACT-OPEN@contractor-subs#unidentified": SUBCONTRACT,
        "S1-SUBCONTRACT-OPEN@gauge-service-in#overseas-remote": SUBCONTRACT,
        # Not written blind: the drive maker itself works remotely from Germany. Cited by the first run as "identify all
        # subcontractors", which does not fit a direct vendor; the rule cites the outsourced vendors of 3.1.1 (3) since.
        "S1-SUBCONTRACT-OPEN@drive-maker#overseas-remote": SUBCONTRACT,
        "S1-PURPOSE-OPERATION@order-shipping#none": PURPOSE,  # the changed EDI serves no purpose of smartification
        "S3-PDCA-STRUCTURE@setouchi-hsm": PDCA,  # no incident-response manual
        "S3-PDCA-NO-SITE@setouchi-hsm#rv-2026-datalake": SITE,
        # Judged noise blind (one practice of three is recorded); kept as the other trials keep it, see KNOWN_NOISE.
        "S3-UNEXPECTED-EVENTS@setouchi-hsm": UNEXPECTED,
        "SUPPLY-SBOM-VULNERABILITY@setouchi-hsm": SBOM,  # written blind as SBOM@cm-server; names it among others
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
    "semiconductor-backend": {
        "ZONE-MIXED-MANAGEMENT@test-zone": MIXED_MANAGEMENT,  # the tester maker's remote box on the tester LAN
        "ZONE-MIXED-MANAGEMENT@amr-zone": MIXED_MANAGEMENT,  # the managed private 5G core
        "ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE@test-zone": OFFICE_EQUIPMENT,  # the shift leader's mail PC
        "ZONE-MIXED-LOCATION@test-zone#place": ZONING,  # burn-in in building B
        "ZONE-MIXED-LOCATION@test-zone#recovery": ZONING,  # 48 h against 12 h
        "THREAT-WIRELESS@amr-zone": WIRELESS,
        "THREAT-BUILT-IN-COMPUTER@test-zone": BUILT_IN,
        "THREAT-BUILT-IN-COMPUTER@assembly-zone": BUILT_IN,
        "THREAT-BUILT-IN-COMPUTER@smt-zone": BUILT_IN,
        "THREAT-EXTERNAL-NETWORK@tester-remote-session": EXT_NET,
        # Expected as an interconnection between factories (3.1.2); found as an external network, citing 3.1.2.
        "THREAT-EXTERNAL-NETWORK@wafer-map-in": EXT_NET,
        "THREAT-EXTERNAL-EQUIPMENT@test-zone": EXT_EQUIPMENT,  # the support centre's consoles
        "THREAT-CONTROL-FROM-OUTSIDE@tester-remote-session": CONTROL_OUTSIDE,
        "THREAT-FA-OA-CONNECTION@office-to-mes": FA_OA,
        "THREAT-FA-OA-CONNECTION@genealogy-out": FA_OA,
        "THREAT-FA-DATA-IN-OA@genealogy-out": FA_DATA_OA,  # genealogy on the B2B gateway
        "THREAT-EXTERNAL-SYSTEM@yield-cloud": EXT_SYSTEM,
        "THREAT-EXTERNAL-SYSTEM@customer-portal": EXT_SYSTEM,
        "THREAT-EXTERNAL-DATA@yield-upload": EXT_DATA,  # restricted test results stored at the SaaS
        "THREAT-INCIDENT-COORDINATION@tester-support-my": COORDINATION,
        "THREAT-INCIDENT-COORDINATION@tester-maker": COORDINATION,  # only maintenance of its box is assigned
        "THREAT-INCIDENT-COORDINATION@p5g-integrator": COORDINATION,
        # Missed by the first run (only a partner network counted); found since.
        "THREAT-INTER-COMPANY@portal-exchange": INTER_COMPANY,
        "DATA-UTILISATION@yield-cloud": DATA_USE,  # test data out, PAT limit proposals back
        "DATA-UTILISATION@automation-zone": DATA_USE,  # AOI images to the in-house AI classifier, among others
        "THREAT-GENERAL-PURPOSE-NEW@automation-zone": GENERAL_PURPOSE,  # the classifier's OSS
        "THREAT-REMOVABLE-MEDIA@engineering-zone": MEDIA,  # the tester maker's USB sticks
        "THREAT-REMOVABLE-MEDIA@test-zone": MEDIA,
    },
    "hot-strip-mill": {
        "ZONE-SAFETY-WITH-CONTROL@furnace-zone": SAFETY,  # the burner management PLC on the furnace DCS network
        "ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE@mill-zone": OFFICE_EQUIPMENT,  # the pulpit's mail and shift-log PC
        "ZONE-MIXED-MANAGEMENT@mill-zone": MIXED_MANAGEMENT,  # the gauge maker's cellular router
        "ZONE-MIXED-LOCATION@level2-zone#recovery": ZONING,  # the CM server can wait 72 h, Level 2 must be back in 4 h
        # Written blind as a steppingstone through the cellular router; found as the boundary the factory does not run.
        "ZONE-EXTERNAL-NO-BOUNDARY@mill-zone": BOUNDARY,
        "THREAT-WIRELESS@mill-zone": WIRELESS,
        "THREAT-WIRELESS@coil-yard": WIRELESS,
        "THREAT-EXTERNAL-NETWORK@drive-remote-session": EXT_NET,
        "THREAT-EXTERNAL-NETWORK@gauge-remote-session": EXT_NET,  # over the mobile network, past the firewall
        "THREAT-CONTROL-FROM-OUTSIDE@drive-remote-session": CONTROL_OUTSIDE,
        "THREAT-CONTROL-FROM-OUTSIDE@gauge-remote-session": CONTROL_OUTSIDE,
        # Known noise until each named only the route that holds (test_rules_routes.py): the data lake's setup corrections
        # through the PCS for Level 2's setups, USB media on the engineering workstations for the program changes. The
        # readings sent back over a control link, the pulpit PC's USB data with the vibration spectra and the programs
        # with the coil handover are no longer followed (context.py's _outside_walk).
        "THREAT-OUTSIDE-ORIGIN-CONTROL@furnace-setup": CONTROL_OUTSIDE,
        "THREAT-OUTSIDE-ORIGIN-CONTROL@mill-setup-link": CONTROL_OUTSIDE,
        "THREAT-OUTSIDE-ORIGIN-CONTROL@eng-to-furnace": CONTROL_OUTSIDE,
        "THREAT-OUTSIDE-ORIGIN-CONTROL@eng-to-mill": CONTROL_OUTSIDE,
        "THREAT-EXTERNAL-EQUIPMENT@engineering-zone": EXT_EQUIPMENT,  # the contractor's laptops during shutdowns
        "THREAT-BUILT-IN-COMPUTER@mill-zone": BUILT_IN,
        "THREAT-BUILT-IN-COMPUTER@coil-yard": BUILT_IN,
        "THREAT-BUILT-IN-COMPUTER@furnace-zone": BUILT_IN,
        "THREAT-FA-OA-CONNECTION@orders-in": FA_OA,
        "THREAT-FA-OA-CONNECTION@pulpit-mail": FA_OA,
        "THREAT-FA-DATA-IN-OA@certificates-out": FA_DATA_OA,
        "THREAT-EXTERNAL-SYSTEM@data-lake": EXT_SYSTEM,  # written blind on level3-zone, which it feeds
        "THREAT-EXTERNAL-SYSTEM@mill-zone": EXT_SYSTEM,  # the cellular router
        "THREAT-EXTERNAL-DATA@lake-upload": EXT_DATA,
        # Written blind as S3-RESPONSIBILITY on the data lake, the router and the drive remote service: the Step 3 gaps
        # are folded into these threats.
        "THREAT-INCIDENT-COORDINATION@group-it": COORDINATION,
        "THREAT-INCIDENT-COORDINATION@gauge-maker": COORDINATION,
        "THREAT-INCIDENT-COORDINATION@drive-maker": COORDINATION,
        "THREAT-INTER-COMPANY@customer-edi-link": INTER_COMPANY,
        "DATA-UTILISATION@data-lake": DATA_USE,  # strip data out, setup corrections back
        "DATA-UTILISATION@level3-zone": DATA_USE,
        "THREAT-GENERAL-PURPOSE-NEW@coil-yard": GENERAL_PURPOSE,  # the yard management system
        "THREAT-GENERAL-PURPOSE-NEW@mill-zone": GENERAL_PURPOSE,  # the CM gateway
        "THREAT-GENERAL-PURPOSE-NEW@level2-zone": GENERAL_PURPOSE,  # the CM server on OSS
        "THREAT-REMOVABLE-MEDIA@engineering-zone": MEDIA,
        "THREAT-REMOVABLE-MEDIA@mill-zone": MEDIA,  # the pulpit PC
        "PHYS-MEASURES@setouchi-hsm": PHYSICAL,  # the coil yard among the zones named
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
    "semiconductor-backend": {
        # Found by the first run and wrong; fixed.
        "S1-SUBCONTRACT-OPEN@tester-maker#overseas-remote": "its Malaysian support centre does the remote work, not the US maker",
        "ZONE-SAFETY-WITH-CONTROL@assembly-zone": "the press safety controller is hard-wired inside the press, no network port",
        # Written blind as noise, not found: must stay so.
        "S3-CHECKLIST-OPEN@customer-scm-portal#cloud-service": "the car maker's own portal: Table 3-10 is not ours to ask of it",
        "THREAT-CONTROL-FROM-OUTSIDE@pat-back": "PAT limits from the cloud are proposals a test engineer approves in the MES",
        "S1-GOVERNANCE-NEW-EXTERNAL@kumamoto-backend#business-owner": "the business unit is recorded as business owner",
    },
    "hot-strip-mill": {
        # Found by the first run and wrong; fixed.
        "ZONE-MIXED-MANAGEMENT@engineering-zone": "the contractor's laptops are external equipment to manage, not a service",
        # Written blind as noise, not found: must stay so.
        "THREAT-CONTROL-FROM-OUTSIDE@corrections-back": "setup corrections are proposals a rolling engineer approves",
        "S1-GOVERNANCE-NEW-EXTERNAL@setouchi-hsm#business-owner": "the sheet business unit is recorded as business owner",
        "THREAT-WIRELESS@furnace-zone": "nothing wireless there",
        "THREAT-WIRELESS@level2-zone": "nothing wireless there",
        "THREAT-WIRELESS@level3-zone": "nothing wireless there",
        "S1-SUBCONTRACT-OPEN@public-cloud#overseas-remote": "identified, and does not work remotely into the works",
        "S1-SUBCONTRACT-OPEN@public-cloud#unidentified": "identified",
        "ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE@office": "the office PCs are on the OA side",
        "S1-REQUIREMENT-STALE@group-ot-standard#interval": "reviewed 2026-01-15",
        "S1-REQUIREMENT-STALE@works-media-rule#interval": "reviewed 2026-03-01",
        "S1-BCP-VIEWPOINT@setouchi-hsm#suspend-continue-criteria": "covered by the BCP",
        "S1-BCP-VIEWPOINT@setouchi-hsm#decision-structure": "covered by the BCP",
        "S1-BCP-VIEWPOINT@setouchi-hsm#new-service-failure": "covered by the BCP",
    },
}

KNOWN_MISSES: dict[str, dict[str, str]] = {
    # Expected from the guideline, still not found (see the blind trials' reports): none left. (semiconductor-backend's
    # damage-occurrence stage with only Observe assigned is S3-OODA-PROPOSED, in STEP_3.)
}

KNOWN_NOISE: dict[str, dict[str, str]] = {
    # Found, and wrong for a practitioner, left (see the blind trial's report):
    "semiconductor-backend": {
        # The front-end fab's MES is the company's own, run by the other factory: Table 3-12 is not this plant's to ask.
        "S3-CHECKLIST-OPEN@fab-mes#software": CHECKLIST,
    },
    "hot-strip-mill": {
        # Written blind as noise (the guideline gives the practices as examples, one is recorded); the rule's own
        # false-positive note says so. Kept in EXPECTED as the other trials keep it.
        "S3-UNEXPECTED-EVENTS@setouchi-hsm": UNEXPECTED,
    },
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
    "semiconductor-backend": {
        "S3-CHECKLIST-OPEN@yield-service#cloud-service": CHECKLIST,
        "S3-CHECKLIST-OPEN@ate-testers#general-purpose-product": CHECKLIST,
        "S3-CHECKLIST-OPEN@fleet-manager#software": CHECKLIST,
        "S3-CHECKLIST-OPEN@adc-server#software": CHECKLIST,  # in-house AI code on OSS libraries
        "S3-MATURITY-UNASSESSED@kumamoto-backend#external-cooperation": MATURITY,
        "S3-OODA-NO-VENDOR-CHANNEL@kumamoto-backend": OODA,  # the AMR maker among others has no vulnerability contact
        # the damage-occurrence stage has only Observe assigned: Orient, Decide and Act are Table 3-8's proposals
        "S3-OODA-PROPOSED@kumamoto-backend#damage-occurrence": OODA,
    },
    "hot-strip-mill": {
        "S3-CHECKLIST-OPEN@data-lake-platform#cloud-service": CHECKLIST,  # only data on termination is answered
        "S3-CHECKLIST-OPEN@xray-gauges#general-purpose-product": CHECKLIST,
        "S3-CHECKLIST-OPEN@cm-gateway#general-purpose-product": CHECKLIST,
        "S3-CHECKLIST-OPEN@yard-management#software": CHECKLIST,
        "S3-CHECKLIST-OPEN@cm-server#software": CHECKLIST,
        "S3-MATURITY-UNASSESSED@setouchi-hsm#between-departments": MATURITY,
        "S3-MATURITY-UNASSESSED@setouchi-hsm#external-cooperation": MATURITY,
        "S3-OODA-PROPOSED@setouchi-hsm#preventive-maintenance": OODA,  # Decide and Act have no one
        "S3-OODA-PROPOSED@setouchi-hsm#damage-occurrence": OODA,  # nothing recorded for the stage
        "S3-OODA-NO-VENDOR-CHANNEL@setouchi-hsm": OODA,  # not written blind: the DCS, crane and gauge makers give none
    },
}

REQUIREMENTS_BETWEEN_ZONES: dict[str, dict[str, str]] = {
    "semiconductor-backend": {
        "REQ-transfer-integrity@frontend-fab->automation-zone": TRANSFER,  # a wrong wafer map assembles bad die
        "REQ-transfer-confidentiality@dmz->yield-cloud": TRANSFER,  # restricted test results leave the factory
        "REQ-transfer-integrity@yield-cloud->automation-zone": TRANSFER,  # PAT limit proposals come back
        "REQ-transfer-confidentiality@office->customer-portal": TRANSFER,  # genealogy and certificates to the car maker
        "REQ-transfer-integrity@engineering-zone->automation-zone": TRANSFER,  # released recipes and test programs
        "REQ-external-control-instructions@tester-remote->test-zone": CONTROL_OUTSIDE,
    },
    "hot-strip-mill": {
        "REQ-transfer-confidentiality@level2-zone->dmz": TRANSFER,  # strip data to the relay
        "REQ-transfer-confidentiality@dmz->data-lake": TRANSFER,
        "REQ-transfer-integrity@data-lake->level3-zone": TRANSFER,  # setup corrections come back
        "REQ-transfer-confidentiality@office->customer-edi": TRANSFER,  # shipping advice and certificates
        "REQ-transfer-integrity@customer-edi->office": TRANSFER,  # orders and forecasts in
        "REQ-transfer-integrity@drive-service->mill-zone": TRANSFER,
        "REQ-transfer-confidentiality@mill-zone->drive-service": TRANSFER,  # drive traces leave the works
        "REQ-transfer-integrity@gauge-service->mill-zone": TRANSFER,
        "REQ-transfer-confidentiality@mill-zone->gauge-service": TRANSFER,
        "REQ-transfer-availability@mill-zone->level2-zone": TRANSFER,  # vibration data
        "REQ-transfer-integrity@level3-zone->coil-yard": TRANSFER,  # yard orders
        "REQ-transfer-integrity@mill-zone->coil-yard": TRANSFER,  # coil handover
        "REQ-external-control-instructions@drive-service->mill-zone": CONTROL_OUTSIDE,
        "REQ-external-control-instructions@gauge-service->mill-zone": CONTROL_OUTSIDE,
    },
}


@cache
def assess(name: str) -> Assessment:
    return analyze(load_model(ROOT / "examples" / name), load_catalog(), today=TODAY)


@cache
def found_ids(name: str) -> frozenset[str]:
    """Every id the example's analysis gives: its findings, its Step 3 findings and its requirements."""
    assessment = assess(name)
    return frozenset(
        {f.id for f in assessment.findings}
        | {f.id for f in assessment.lifecycle.findings}
        | {r.id for r in assessment.requirements}
    )


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


@pytest.mark.parametrize("name", sorted(REQUIREMENTS_BETWEEN_ZONES))
def test_expected_requirements_between_zones_are_set(name: str) -> None:
    found = {r.id for r in assess(name).requirements}
    assert set(REQUIREMENTS_BETWEEN_ZONES[name]) <= found, (
        f"missing: {sorted(set(REQUIREMENTS_BETWEEN_ZONES[name]) - found)}"
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_expected_finding_cites_the_section_its_sentence_comes_from(name: str) -> None:
    findings = {f.id: f for f in assess(name).findings}
    for finding_id, sentence in {**EXPECTED[name], **ZONING_AND_THREATS[name]}.items():
        section = sentence.split(":", 1)[0].split(" ")[0]
        if section.startswith("3."):
            assert section in findings[finding_id].reference, (finding_id, findings[finding_id].reference)


# semiconductor-backend: a second, strictly blind trial. The plant (examples/semiconductor-backend) and the findings
# below were written from the guideline appendix, docs/model.md and one other example's model alone, before the tool
# was run on the plant and without reading the rule list or any other example's expectations. Each entry is what a
# practitioner expects, the sentence of the guideline it rests on, and a guess of the finding id (rule @ subject).
# Kept as written; what the tool found of them is in EXPECTED, ZONING_AND_THREATS, STEP_3, REQUIREMENTS_BETWEEN_ZONES,
# NOISE, KNOWN_MISSES and KNOWN_NOISE under "semiconductor-backend".
SEMI_BACKEND_BLIND: list[tuple[str, str, str]] = [
    # Step 1-1 (1): purposes and the BCP
    (
        "S1-BCP-REVIEW-STALE@bcp",
        "3.1.1 (1) Point: review and update the BCP as smartification adds systems and expands the supply chain",
        "BCP last reviewed 2024-03-29, over a year ago and before the yield cloud, AMRs, remote support and the portal",
    ),
    (
        "S1-BCP-VIEWPOINT@new-service-impact",
        "3.1.1 (1): confirmation of the assumed impacts on existing factory systems by adding new system/services",
        "new yield service, AMRs and remote support, but the BCP does not cover new services' impact",
    ),
    (
        "S1-BCP-VIEWPOINT@new-service-attack-suspension",
        "3.1.1 (1): impact if some or all functions of the newly added service are suspended by a cyberattack",
        "not covered while the yield service and the AMR fleet are new",
    ),
    (
        "S1-BCP-VIEWPOINT@new-service-failure",
        "3.1.1 (1): impact in the event of a system failure in the newly added system service",
        "not covered while the yield service and the AMR fleet are new",
    ),
    (
        "S1-BCP-VIEWPOINT@impact-on-partners",
        "3.1.1 (1): the impact for business partners if the company is suspected of being targeted",
        "the car maker gets our genealogy and shipment notices through its portal; the BCP does not say what our incident does to it",
    ),
    (
        "S1-BCP-VIEWPOINT@undetermined-cause-impact",
        "3.1.1 (1): impossible to determine whether it is a bug, device failure, or cyberattack on a partner",
        "the tester maker's support centre works on the testers remotely; a fault after its session has an undetermined cause",
    ),
    (
        "S1-PURPOSE-OPERATION@customer-reporting",
        "3.1.2: identify the newly added operations needed for achieving the purpose of smartification",
        "the new portal reporting serves no purpose of smartification (it was imposed by the customer)",
    ),
    # Step 1-1 (2): laws and standards
    (
        "S1-REQUIREMENT-STALE@semi-e187",
        "3.1.1 (2): make sure to review these standards and legal requirements regularly",
        "SEMI E187 last reviewed 2025-01-20, more than the 365-day interval ago",
    ),
    (
        "S1-REQUIREMENT-TOUCHED@semi-e187",
        "3.1.1 (2): check whether there are any specific requirements to be followed from the perspective of smartification",
        "the tester maker's remote box was added in the test zone SEMI E187 covers, after its last review",
    ),
    (
        "S1-REQUIREMENT-CONSEQUENCE@semi-e187",
        "3.1.1 (2) [Reference] SEMI E187: basic cybersecurity requirements for equipment suppliers",
        "what SEMI E187 asks of the tester, bonder and moulding press makers and of new equipment",
    ),
    (
        "S1-REQUIREMENT-CONSEQUENCE@customer-supplier-security",
        "3.1.1 (2): requirements from the market / customers",
        "the car maker's 24-hour incident reporting, our own consequence",
    ),
    # Step 1-1 (3): stakeholders, governance, incident impact
    (
        "S1-SUBCONTRACT-OPEN@amr-software-partner",
        "3.1.1 (3): tasks may be reassigned to subcontractors, and it is essential to identify all subcontractors",
        "the AMR maker's fleet software is written by a company not yet identified",
    ),
    (
        "S1-SUBCONTRACT-OPEN@tester-support-my",
        "3.1.1 (3): identify all subcontractors; outsourced vendors handling maintenance",
        "the tester maker's support centre in Malaysia works on the testers remotely from overseas",
    ),
    (
        "S1-INCIDENT-IMPACT@tester-support-my",
        "3.1.1 (3): impact on other companies, from other companies, and of a vulnerability in a procured product",
        "new party, no incident-impact perspective studied",
    ),
    ("S1-INCIDENT-IMPACT@amr-maker", "3.1.1 (3): same", "new supplier of the AMRs and fleet manager, nothing studied"),
    ("S1-INCIDENT-IMPACT@p5g-integrator", "3.1.1 (3): same", "new private 5G managed service, nothing studied"),
    ("S1-INCIDENT-IMPACT@yield-provider", "3.1.1 (3): same", "only the impact from the provider was studied"),
    ("S1-INCIDENT-IMPACT@tester-maker", "3.1.1 (3): same", "supplier of the new remote support box, nothing studied"),
    # Step 3 PDCA structure (3.3 (1)(ii))
    (
        "S3-PDCA-STRUCTURE@kumamoto-backend",
        "3.3 (1)(ii): compile manuals for security measures and incident responses; develop human resources",
        "no incident-response manual, training last held 2025-02-14",
    ),
    (
        "S3-PDCA-NO-SITE@rv-2026-yield",
        "3.3 (1)(ii): include a production site manager and others relating to production in the PDCA cycle structure",
        "the smartification review of the yield service had DX, IT, security and test engineering, but no one from the production site",
    ),
    # Step 1-6 zoning
    (
        "ZONE-MIXED-MANAGEMENT@test-zone",
        "Annex A case (ii) step 3: the external service is separated from the zone; check the division of responsibility",
        "the tester maker runs its remote support box inside our test zone",
    ),
    (
        "ZONE-MIXED-MANAGEMENT@amr-zone",
        "Annex A case (ii) step 3; 3.2.2 (1)(i): supply chain requirements for a zone managed by an external company",
        "the private 5G core is a managed service of the integrator inside the AMR zone",
    ),
    (
        "ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE@test-shift-pc",
        "2.1.3 / 3.1.6: assets in the same zone need equal protection; Annex A (i): OA separate",
        "the shift leader's mail PC sits on the tester LAN",
    ),
    (
        "ZONE-MIXED-LOCATION@test-zone",
        "3.1.6 procedure 3: same zone or another based on BCP, facility environment (physical)",
        "burn-in ovens are in building B with a 48 h recovery target, the rest of the test zone in building A at 12 h",
    ),
    # Step 1-7 threats (Tables 2-1, 3-4, 3-5)
    (
        "THREAT-WIRELESS@amr-zone",
        "Table 2-1 / Table 3-5: Wireless LAN, 5G raise the risk of unauthorized access and line stoppages",
        "AMRs and dock handshakes over private 5G",
    ),
    (
        "THREAT-BUILT-IN-COMPUTER@test-zone",
        "Table 2-1 / Table 3-5: built-in computer in the equipment has the same risk as a computer",
        "tester workstations, handlers",
    ),
    ("THREAT-BUILT-IN-COMPUTER@assembly-zone", "Table 2-1 / Table 3-5: same", "bonders, AOI, moulding press"),
    ("THREAT-BUILT-IN-COMPUTER@smt-zone", "Table 2-1 / Table 3-5: same", "mounters and AOI PCs"),
    (
        "THREAT-EXTERNAL-NETWORK@test-zone",
        "Table 2-1 / Table 3-5 remote access: cyberattacks via external networks",
        "the support centre reaches the testers over the internet, straight into the test zone",
    ),
    (
        "THREAT-EXTERNAL-EQUIPMENT@test-zone",
        "Table 2-1 / Table 3-5: use of external equipment, insufficient management of user devices",
        "the support engineers' consoles are the support centre's, not ours",
    ),
    (
        "THREAT-CONTROL-FROM-OUTSIDE@test-zone",
        "Table 3-4 integration of control instructions: control instructions from outside the factory's control network",
        "remote desktop and shell sessions operate the testers from Malaysia",
    ),
    (
        "THREAT-FA-OA@automation-zone",
        "Table 2-1 / Table 3-5: lack of input validation between control and information systems",
        "work orders from the office into the MES; genealogy out",
    ),
    (
        "THREAT-FA-DATA-IN-OA@office",
        "Table 2-1 / Table 3-5: data in the FA system also exist in the OA system (different user management)",
        "lot genealogy generated in the MES is held on the B2B gateway in the office",
    ),
    (
        "THREAT-EXTERNAL-SYSTEM@yield-cloud",
        "Table 3-5: cyberattacks on external systems with varying risk tolerances",
        "the yield SaaS feeds PAT limit proposals back to the MES",
    ),
    (
        "THREAT-EXTERNAL-SYSTEM@customer-portal",
        "Table 3-5: same",
        "a portal outage blocks shipment notices and so deliveries",
    ),
    (
        "THREAT-EXTERNAL-DATA@yield-cloud",
        "Table 3-5 handling of information on external systems; Table 3-6 row 4",
        "restricted test results are stored at the yield SaaS",
    ),
    (
        "THREAT-COORDINATION@tester-remote",
        "Table 2-1 / Table 3-5: unclear scope of responsibility slows incident response",
        "no incident-response responsibility agreed for the remote support",
    ),
    (
        "THREAT-COORDINATION@amr-zone",
        "Table 2-1 / Table 3-5: same",
        "no incident-response responsibility for the managed 5G",
    ),
    (
        "THREAT-INTER-FACTORY@automation-zone",
        "3.1.2: interconnection between factories is an area of particularly high concern",
        "wafer maps from the Oita fab over the corporate WAN",
    ),
    (
        "THREAT-INTER-COMPANY@office",
        "3.1.2: interconnection between companies",
        "B2B exchange with the car maker's portal",
    ),
    # Table 3-4 requirements between zones
    (
        "REQ-transfer-integrity@frontend-fab->automation-zone",
        "Table 3-4 information transfer: integrity (comparison of sent and received data)",
        "a wrong wafer map makes us assemble bad die",
    ),
    (
        "REQ-transfer-confidentiality@dmz->yield-cloud",
        "Table 3-4: confidentiality (confirmation of data that may be sent)",
        "restricted test results leave the factory",
    ),
    ("REQ-transfer-integrity@yield-cloud->automation-zone", "Table 3-4: integrity", "PAT limit proposals coming back"),
    (
        "REQ-transfer-confidentiality@office->customer-portal",
        "Table 3-4: confidentiality",
        "genealogy and certificates to the car maker",
    ),
    (
        "REQ-transfer-integrity@engineering-zone->automation-zone",
        "Table 3-4: integrity",
        "released recipes and test programs",
    ),
    # Step 2-2 (3.2.2)
    (
        "DATA-UTILISATION@yield-analysis",
        "3.2.2 (1)(iii): data collected, processed in the cloud and fed back: data quality, loss, scope",
        "test data to the yield SaaS, PAT limits back",
    ),
    (
        "DATA-UTILISATION@defect-classification",
        "3.2.2 (1)(iii): particular attention to OSS; incorrect data utilisation",
        "AI classification on in-house OSS code",
    ),
    (
        "MEDIA@test-eng-ws",
        "3.2.2 (1)(ii) and (2): removable media",
        "tester libraries arrive on USB sticks not scanned",
    ),
    ("MEDIA@test-shift-pc", "3.2.2 (1)(ii): removable media", "mail PC with USB on the tester LAN"),
    (
        "MEASURE-MISSING@tester-remote-session",
        "3.2.2 (1)(i): measures for network connections; remote access VPN/MFA, session management",
        "no MFA or session management on our side for the vendor's tunnel",
    ),
    ("MEASURE-MISSING@amr-zone", "3.2.2 (1)(i): wireless security", "no wireless measure recorded for the 5G"),
    (
        "CLOUD-MEASURES@yield-service",
        "3.2.2 (1)(i) measures when using cloud services: terms, purpose, incident responsibility, migration, resumption",
        "resumption after an outage not agreed",
    ),
    # Step 3 (3.3)
    (
        "S3-CHECKLIST@yield-service",
        "3.3 (2) Table 3-10: points to be checked when using cloud computing services",
        "10 of 12 unanswered",
    ),
    (
        "S3-CHECKLIST@ate-testers",
        "3.3 (2) Table 3-11: points to be checked when introducing general-purpose products",
        "Linux workstations in the testers",
    ),
    ("S3-CHECKLIST@fleet-manager", "3.3 (2) Tables 3-11 / 3-12", "packaged fleet software with OSS"),
    (
        "S3-CHECKLIST@adc-server",
        "3.3 (2) Table 3-12 development: components incl. OSS, licences, daily vulnerability management",
        "in-house AI code on OSS libraries",
    ),
    (
        "S3-OODA-GAP@damage-occurrence",
        "3.3 (1)(i) Table 3-8: departments and decision makers for each OODA process",
        "the damage occurrence stage has only Observe assigned",
    ),
    (
        "S3-MATURITY@external-cooperation",
        "3.3 (1)(ii) Table 3-9: cooperation between internal and external organisations",
        "not assessed while four new external parties came in",
    ),
    (
        "S3-VULN-CONTACT@amr-maker",
        "3.3 (1)(i) Table 3-7: vendor collects and communicates vulnerability information",
        "the AMR maker has no vulnerability contact",
    ),
    (
        "S3-RESPONSIBILITY@tester-remote-box",
        "3.3: clarify the division of responsibility for external services",
        "only maintenance is assigned; incident response and vulnerability handling are not",
    ),
    ("S3-RESPONSIBILITY@p5g-core", "3.3: same", "nothing assigned for the managed 5G"),
]

# What a practitioner would call wrong if the tool said it of this plant (written blind, as above).
SEMI_BACKEND_BLIND_NOISE: list[tuple[str, str]] = [
    (
        "ZONE-SAFETY-WITH-CONTROL@assembly-zone",
        "the press safety controller is hard-wired inside the press, with no network port",
    ),
    (
        "S3-CHECKLIST@customer-scm-portal",
        "the customer's own portal: we do not procure it, Table 3-10 is not ours to ask",
    ),
    (
        "THREAT-CONTROL-FROM-OUTSIDE@automation-zone",
        "PAT limits from the cloud are proposals a test engineer approves in the MES",
    ),
    ("S1-GOVERNANCE-NEW-EXTERNAL", "IT, security, DX and the business unit (business owner) are all recorded"),
    ("S3-UNEXPECTED-EVENTS", "a practice for unexpected events is recorded"),
    ("anything treating frontend-fab as a third party", "it is our own fab, reached over the corporate WAN"),
]


# hot-strip-mill: a third, strictly blind trial, on an industry no other example covers (a steelworks' hot strip
# mill: continuous process, Level-1 DCS and PLCs, Level-2 process computers, a Level-3 production control system).
# The plant (examples/hot-strip-mill) and the findings below were written from the guideline appendix, docs/model.md
# and one other example's model alone, before the tool was run on the plant and without reading the rule list, the
# rules' code or any other example's expectations. Each entry is a guess of the finding id (rule @ subject), the
# sentence of the guideline it rests on, and what a practitioner expects. Kept as written.
HOT_STRIP_BLIND: list[tuple[str, str, str]] = [
    # Step 1-1 (1): the BCP
    (
        "S1-BCP-REVIEW-STALE@bcp",
        "3.1.1 (1) Point: review and update the BCP as smartification adds systems and expands the supply chain",
        "BCP reviewed 2025-09-30, before the smartification review of 2026-05-20 (data lake, crane automation, drive"
        " remote service)",
    ),
    (
        "S1-BCP-VIEWPOINT@partner-incident-impact",
        "3.1.1 (1): confirm whether the impacts on business partners and supply chains are considered in the BCP",
        "the effect on the mill of an attack on the group IT company, the drive maker, the gauge partner is not covered",
    ),
    (
        "S1-BCP-VIEWPOINT@undetermined-cause-impact",
        "3.1.1 (1): failures suspected to come from an attack on a partner, cause not determinable",
        "not covered (a gauge reading wrong after a remote session: bug, failure or attack?)",
    ),
    (
        "S1-BCP-VIEWPOINT@impact-on-partners",
        "3.1.1 (1): the impact for business partners if the company is suspected of being attacked",
        "the car maker receives our EDI and certificates; not covered",
    ),
    (
        "S1-BCP-VIEWPOINT@new-service-impact",
        "3.1.1 (1): confirmation of the assumed impacts on existing factory systems by adding new system/services",
        "data lake corrections and crane automation added; not covered",
    ),
    (
        "S1-BCP-VIEWPOINT@new-service-attack-suspension",
        "3.1.1 (1): impact if some or all functions of the new service are suspended by a cyberattack",
        "only the failure viewpoint is covered, not the attack",
    ),
    # Step 1-1 (2): external requirements
    (
        "S1-REQUIREMENT-STALE@car-maker-supplier-guideline",
        "3.1.1 (2): make sure to review these standards and legal requirements regularly",
        "the car makers' guideline was last reviewed 2023-04-01 though a yearly self-assessment is asked",
    ),
    (
        "S1-REQUIREMENT-TOUCHED@group-ot-standard",
        "3.1.1 (2): check whether there are any specific requirements to be followed from the perspective of"
        " smartification",
        "new wireless sensors, a crane WLAN, a yard management system and a CM server entered its zones",
    ),
    (
        "S1-REQUIREMENT-CONSEQUENCE@group-ot-standard",
        "3.1.1 (2) and 3.3 (2): IEC 62443's demands on suppliers and procured products",
        "advisory: what IEC 62443 asks of the drive, gauge, crane and CM suppliers",
    ),
    # Step 1-1 (3): stakeholders, subcontractors, incident impact
    (
        "S1-SUBCONTRACT-OPEN@contractor-subs",
        "3.1.1 (3): it is essential to identify all subcontractors",
        "the shutdown contractor's electrical subcontractors are not identified",
    ),
    (
        "S1-SUBCONTRACT-OPEN@gauge-service-in",
        "3.1.1 (3): identify all subcontractors; outsourced vendors handling maintenance of the factory system",
        "the gauge maker's partner in India logs in remotely to the gauges",
    ),
    (
        "S1-INCIDENT-IMPACT@gauge-service-in",
        "3.1.1 (3): confirm the impact on other companies, from other companies, and of a procured product's"
        " vulnerability",
        "a new party with no incident-impact perspective recorded",
    ),
    (
        "S1-INCIDENT-IMPACT@crane-maker",
        "3.1.1 (3): same",
        "supplier of the new yard management system and crane WLAN, no perspective recorded",
    ),
    (
        "S1-INCIDENT-IMPACT@drive-maker",
        "3.1.1 (3): given the increased number of stakeholders, review the impact of incidents",
        "the drive maker now runs a remote service into the mill; no perspective recorded",
    ),
    (
        "S1-PURPOSE-OPERATION@order-shipping",
        "3.1.2: identify the newly added operations needed for achieving the purpose of smartification",
        "the changed EDI operation names no purpose of smartification",
    ),
    # Step 3 (1)(ii): PDCA
    (
        "S3-PDCA-STRUCTURE",
        "3.3 (1)(ii): compilation of manuals for security measures and incident responses",
        "no incident response manual",
    ),
    (
        "S3-PDCA-NO-SITE@rv-2026-datalake",
        "3.3 (1)(ii): include a production site manager and others relating to production in the PDCA cycle",
        "the data lake review had DX, IT, security and rolling technology but neither the mill operation nor its"
        " manager",
    ),
    # Step 1-6: zoning
    (
        "ZONE-SAFETY-WITH-CONTROL@furnace-zone",
        "3.1.6 procedure 3 and 3.1.5 (safety): zones by BCP and facility environment",
        "the burner management system is networked with the furnace DCS in one zone",
    ),
    (
        "ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE@pulpit-office-pc",
        "Table 2-1 / Table 3-5: connection of FA and OA; 3.1.6: zone by operation",
        "a mail and shift-log PC in the finishing pulpit, on the mill network",
    ),
    (
        "ZONE-MIXED-MANAGEMENT@mill-zone",
        "Annex A case (ii) step 3: a service an external company runs is separated; check the division of"
        " responsibility at the boundary",
        "the gauge maker's cellular router, run by the gauge maker, sits in the mill zone",
    ),
    (
        "ZONE-MIXED-LOCATION@level2-zone",
        "3.1.6 procedure 3: same zone or another zone based on BCP (recovery)",
        "the CM server can wait 72 h, the Level-2 zone must be back in 4 h",
    ),
    # Step 1-7: threats
    (
        "THREAT-WIRELESS@mill-zone",
        "Table 2-1 / Table 3-5: use of wireless LAN, 5G raises unauthorised access and line stoppages",
        "wireless vibration sensors and gateway; the gauge maker's cellular router",
    ),
    (
        "THREAT-WIRELESS@coil-yard",
        "Table 2-1 / Table 3-5: same",
        "crane jobs over the yard WLAN",
    ),
    (
        "THREAT-EXTERNAL-NETWORK@mill-zone",
        "Table 2-1 / Table 3-5 (remote access): cyberattacks via external networks",
        "drive remote sessions over the internet, gauge sessions over the mobile network bypassing the firewall",
    ),
    (
        "THREAT-CONTROL-FROM-OUTSIDE@mill-zone",
        "Table 3-4: existence of control instructions from outside the factory's control network",
        "drive parameter changes and gauge calibration from the service centres",
    ),
    (
        "THREAT-EXTERNAL-EQUIPMENT@engineering-zone",
        "Table 2-1 / Table 3-5: use of external equipment; insufficient management of devices and users",
        "contractors' laptops on the engineering network during shutdowns",
    ),
    (
        "THREAT-STEPPINGSTONE@mill-zone",
        "3.1.7: used as a steppingstone for external attacks",
        "the cellular router is a way in from the mobile network to the whole Level-1 network",
    ),
    (
        "THREAT-BUILT-IN@mill-zone",
        "Table 2-1 / Table 3-5: a built-in computer performs incorrect calculations, changing data values",
        "gauge PCs computing thickness and crown, drive controllers",
    ),
    ("THREAT-BUILT-IN@coil-yard", "Table 2-1 / Table 3-5: same", "on-crane automation controllers"),
    ("THREAT-BUILT-IN@furnace-zone", "Table 2-1 / Table 3-5: same", "furnace DCS"),
    (
        "THREAT-FA-OA@level3-zone",
        "Table 3-5: lack of input validation between control and information systems",
        "EDI orders from the office flow into the PCS",
    ),
    (
        "THREAT-FA-OA@mill-zone",
        "Table 2-1 / Table 3-5: connection of FA and OA networks",
        "the pulpit PC exchanges mail and files with the office",
    ),
    (
        "THREAT-FA-DATA-IN-OA@office",
        "Table 2-1 / Table 3-5: data in the FA system also exist in the OA system (different user management)",
        "mill test certificates and coil quality records in the office EDI gateway",
    ),
    (
        "THREAT-EXTERNAL-SYSTEM@level3-zone",
        "Table 3-5: cyberattacks on external systems with different risk tolerances stop factory operations",
        "the data lake feeds corrections into the PCS",
    ),
    (
        "THREAT-EXTERNAL-DATA@data-lake",
        "Table 3-5 (handling of information on external systems); Table 3-6 row 4",
        "mill process data stored in the group data lake could leak",
    ),
    (
        "THREAT-COORDINATION@data-lake",
        "Table 2-1 / Table 3-5: unclear scope of responsibility slows incident response",
        "only operation is assigned to the group IT company",
    ),
    (
        "DATA-UTILISATION@quality-analytics",
        "3.2.2 (1)(iii): data quality, defects and loss, scope of acquisition and use; Table 3-6 row 6",
        "process data go to the cloud and setup corrections come back",
    ),
    (
        "INTER-COMPANY@customer-edi",
        "3.1.2: interconnection between companies is an area of high security concern",
        "orders and certificates exchanged with the car maker's EDI hub",
    ),
    # Step 2-2: equipment, software, physical
    (
        "GENERAL-PURPOSE@xray-gauges",
        "3.2.2 (1)(ii): general-purpose hardware (embedded general OS, network-enabled)",
        "Linux PCs in the gauge heads",
    ),
    ("GENERAL-PURPOSE@yard-management", "3.2.2 (1)(ii): same", "new packaged software issuing crane jobs"),
    ("GENERAL-PURPOSE@cm-gateway", "3.2.2 (1)(ii): same", "new wireless gateway"),
    (
        "SBOM@cm-server",
        "3.2.2 (1)(ii) software: management of component information for the OSS used; Table 3-12",
        "the CM analytics run on open-source libraries",
    ),
    (
        "MEDIA@engineering-zone",
        "3.2.2 (1)(ii) and (2): removable media",
        "USB media on the engineering workstations and contractors' laptops; control only planned",
    ),
    (
        "MEDIA@pulpit-office-pc",
        "3.2.2 (1)(ii) and (2): removable media",
        "the pulpit PC takes USB sticks",
    ),
    (
        "PHYSICAL@coil-yard",
        "3.2.2 (2): physical measures are needed even in a smart factory",
        "the yard will run unmanned at night; no physical measure recorded",
    ),
    (
        "MEASURE@gauge-remote-session",
        "3.2.2 (1)(i): measures for network connections between zones with different requirements",
        "the gauge session over the mobile network has no VPN/MFA nor vendor session management",
    ),
    (
        "MEASURE@data-lake",
        "3.2.2 (1)(i): supply chain requirements when connecting to a zone managed by an external company; cloud"
        " viewpoints",
        "no supply-chain requirements nor cloud measures recorded for the data lake",
    ),
    # Step 1-7 / Table 3-4: requirements between zones (new or changed flows)
    ("REQ-transfer-*@level2-zone->dmz", "Table 3-4 information transfer", "process data to the relay"),
    ("REQ-transfer-*@dmz->data-lake", "Table 3-4 information transfer", "process data to the group data lake"),
    ("REQ-transfer-*@data-lake->level3-zone", "Table 3-4 information transfer", "setup corrections into the PCS"),
    ("REQ-transfer-*@office->customer-edi", "Table 3-4 information transfer", "shipping advice and certificates out"),
    ("REQ-transfer-*@customer-edi->office", "Table 3-4 information transfer (two-way)", "orders and forecasts in"),
    ("REQ-transfer-*@drive-service->mill-zone", "Table 3-4 information transfer", "remote drive sessions"),
    ("REQ-transfer-*@mill-zone->drive-service", "Table 3-4 (two-way)", "drive traces and logs leave the works"),
    ("REQ-transfer-*@gauge-service->mill-zone", "Table 3-4 information transfer", "gauge sessions"),
    ("REQ-transfer-*@mill-zone->gauge-service", "Table 3-4 (two-way)", "gauge data leave the works"),
    ("REQ-transfer-*@mill-zone->level2-zone", "Table 3-4 information transfer", "vibration data (new)"),
    ("REQ-transfer-*@level3-zone->coil-yard", "Table 3-4 information transfer", "yard orders (new)"),
    ("REQ-transfer-*@mill-zone->coil-yard", "Table 3-4 information transfer", "coil handover (new)"),
    (
        "REQ-control-instructions@mill-zone",
        "Table 3-4 integration of control instructions",
        "control instructions from the drive and gauge service centres",
    ),
    # Step 3
    (
        "S3-CHECKLIST@data-lake-platform",
        "3.3 (2) Table 3-10: points to check when using cloud services",
        "only the data-on-termination item is answered",
    ),
    ("S3-CHECKLIST@xray-gauges", "3.3 (2) Table 3-11", "general-purpose gauge PCs"),
    ("S3-CHECKLIST@yard-management", "3.3 (2) Table 3-12", "new packaged software"),
    ("S3-CHECKLIST@cm-server", "3.3 (2) Table 3-12", "new software with OSS"),
    (
        "S3-RESPONSIBILITY@data-lake-platform",
        "3.3: clarify the division of responsibility for external services",
        "only operation assigned; incident response, vulnerability handling and data at the end are not",
    ),
    ("S3-RESPONSIBILITY@gauge-cell-router", "3.3: same", "only maintenance assigned"),
    (
        "S3-RESPONSIBILITY@drive-remote-diagnostics",
        "3.3: same",
        "nothing assigned for the drive maker's remote service",
    ),
    (
        "S3-OODA@preventive-maintenance",
        "3.3 (1)(i) Table 3-7: departments and decision makers for each OODA process",
        "decide and act have no one",
    ),
    (
        "S3-OODA@damage-occurrence",
        "3.3 (1)(i) Table 3-8",
        "no role recorded for the damage occurrence stage",
    ),
    (
        "S3-MATURITY@between-departments",
        "3.3 (1)(ii) Table 3-9",
        "only within-department is assessed; between departments and with outside organisations not",
    ),
    ("S3-MATURITY@external-cooperation", "3.3 (1)(ii) Table 3-9", "not assessed"),
    (
        "MEASURE@op-monitoring-detection-tools",
        "3.3 (1)(i): tools to monitor equipment and detect incidents address the shortage of security staff",
        "no monitoring or detection tool recorded for the Level-1/2 networks",
    ),
]

# What a practitioner would call wrong if the tool said it of this plant (written blind, as above).
HOT_STRIP_BLIND_NOISE: list[tuple[str, str]] = [
    (
        "a split of mill-zone by operation (roughing, finishing, coiling)",
        "one continuous process; Annex A: dividing production zones is hard in the material industry",
    ),
    (
        "THREAT-CONTROL-FROM-OUTSIDE@level3-zone",
        "setup corrections from the data lake are proposals a rolling engineer approves in the PCS",
    ),
    ("S3-CHECKLIST@car-maker-edi", "the customer's own EDI hub: we do not procure it"),
    ("S1-GOVERNANCE-NEW-EXTERNAL", "IT, security, DX and the business unit (business owner) are all recorded"),
    ("S3-UNEXPECTED-EVENTS", "a practice for unexpected events is recorded"),
    (
        "ZONE-MIXED-MANAGEMENT@engineering-zone",
        "contractors' laptops are external equipment to be managed (Table 2-1), not a service to put in its own zone",
    ),
    ("THREAT-WIRELESS@furnace-zone, level2-zone or level3-zone", "nothing wireless there"),
    ("S1-SUBCONTRACT-OPEN@public-cloud", "identified, and does not work remotely into the works"),
    ("ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE@office-pcs", "they are in the OA zone"),
    ("S1-INCIDENT-IMPACT@cm-supplier or @group-it", "their perspectives are recorded"),
    (
        "control instructions from Level 2 to Level 1 treated as from outside the control network",
        "Level 2 is inside the works' control network",
    ),
    ("S1-REQUIREMENT-STALE@group-ot-standard or @works-media-rule", "both reviewed in 2026"),
    (
        "S1-BCP-VIEWPOINT@suspend-continue-criteria, decision-structure or new-service-failure",
        "covered by the BCP",
    ),
]


def test_hot_strip_mill_asks_no_checklist_of_what_the_works_does_not_procure() -> None:
    # Table 3-10 to 3-12 are asked of what the works procures: not of the maintenance contractor's own laptops (found by
    # the first run and fixed) nor of the car maker's EDI hub (written blind as noise).
    found = {f.id for f in assess("hot-strip-mill").lifecycle.findings}
    assert "S3-CHECKLIST-OPEN@contractor-laptops#general-purpose-product" not in found
    assert not {f for f in found if f.startswith("S3-CHECKLIST-OPEN@car-maker-edi")}
    assert "S3-CHECKLIST-OPEN@ews#general-purpose-product" in found  # the works' own workstations still are


def test_hot_strip_mill_drive_makers_new_remote_service_needs_its_incident_impact_studied() -> None:
    # 3.1.1 (3): the impact of incidents "associated with expanding operations and the scope of the systems"; the drive
    # maker is no new party and supplies nothing new, but now diagnoses the main drives from Germany (the first run's
    # one miss).
    (finding,) = [f for f in assess("hot-strip-mill").findings if f.rule == "S1-INCIDENT-IMPACT"]
    assert "drive-maker" in finding.related
    assert (
        "'Main drive and converter maker' newly runs or does drive-remote-diagnostics, drive-service"
        in finding.rationale.en
    )


# injection-moulding-sme: a fourth strictly blind trial, and the first on a SMALL company (68 people, one plant, no
# security department, IT run by one person in general affairs with a local dealer, the president deciding
# everything). The plant (examples/injection-moulding-sme) and the findings below were written from the guideline
# appendix, docs/model.md and one other example's model alone, before the tool was run on the plant and without
# reading the rule list or any other example's expectations. Each entry is a guess of the finding id (rule @ subject),
# the sentence of the guideline it rests on, and what a practitioner would tell this firm. Kept as written.
SME_MOULDING_BLIND: list[tuple[str, str, str]] = [
    # Step 1-1 (1): purposes and the BCP
    (
        "S1-BCP-REVIEW-STALE@bcp",
        "3.1.1 (1) Point: review and update the BCP as smartification adds systems and expands the supply chain",
        "the continuity plan certified in 2022 for the subsidy was never opened again; six services came since",
    ),
    (
        "S1-BCP-VIEWPOINT@partner-incident-impact",
        "3.1.1 (1): the impact on our production if a business partner is attacked",
        "the SaaS company, the machine maker's cloud, the start-up or the customer's portal attacked",
    ),
    (
        "S1-BCP-VIEWPOINT@undetermined-cause-impact",
        "3.1.1 (1): failures suspected to come from a partner's attack that cannot be told from a bug",
        "the tablets or the inspection station misbehaving: bug, failure or attack?",
    ),
    (
        "S1-BCP-VIEWPOINT@impact-on-partners",
        "3.1.1 (1): the impact on business partners if the company is attacked",
        "the customer's lines stop within two days if we cannot ship; their drawings are on our NAS",
    ),
    (
        "S1-BCP-VIEWPOINT@new-service-impact",
        "3.1.1 (1): the assumed impact on existing factory systems of adding new systems and services",
        "the SaaS, the AI inspection, the cloud monitoring and the demand monitor added",
    ),
    (
        "S1-BCP-VIEWPOINT@new-service-attack-suspension",
        "3.1.1 (1): the impact if the new service is suspended by a cyberattack",
        "the SaaS suspended: no daily plan on the tablets, no lot records for the portal",
    ),
    (
        "S1-BCP-VIEWPOINT@new-service-failure",
        "3.1.1 (1): the impact of a failure of the newly added service",
        "the SaaS or the inspection cloud down: paper reports? manual inspection?",
    ),
    (
        "S1-BCP-VIEWPOINT@suspend-continue-criteria",
        "3.1.1 (1): criteria for deciding whether to suspend or continue factory system operations",
        "nothing says when to stop the machines or cut the internet line",
    ),
    (
        "S1-BCP-VIEWPOINT@decision-structure",
        "3.1.1 (1): the decision-making structure and representatives",
        "the president decides, but the plan does not say so for a cyber incident, nor who decides when he is away",
    ),
    (
        "S1-PURPOSE-OPERATION@energy-monitoring",
        "3.1.1 (1) and 3.1.2: clarify the purpose; identify the operations added to achieve it",
        "the demand monitoring was taken because the utility offered it; it serves no purpose the company recorded",
    ),
    # Step 1-1 (2): external requirements
    (
        "S1-REQUIREMENT-STALE@customer-traceability",
        "3.1.1 (2): make sure to review these standards and legal requirements regularly",
        "the customer's quality agreement was last read in April 2025",
    ),
    # Step 1-1 (3): stakeholders and incident impact
    (
        "S1-INCIDENT-IMPACT@saas-vendor, ai-startup, utility, imm-maker",
        "3.1.1 (3): the impact on other companies, from other companies, and of a vulnerability in a procured product",
        "three new parties and the machine maker now running a cloud service and a gateway on our LAN; nothing recorded",
    ),
    (
        "S1-SUBCONTRACT-OPEN@annotation-partner",
        "3.1.1 (3): tasks may be reassigned to subcontractors; identify all subcontractors",
        "the start-up's image annotation partner abroad sees our customer's parts; not identified",
    ),
    (
        "S1-SUBCONTRACT-OPEN@imm-cloud-host",
        "3.1.1 (3): providers of cloud services used by the factory system; identify all subcontractors",
        "where the machine maker's monitoring service runs is not known",
    ),
    # Step 3 (1)(ii): PDCA
    (
        "S3-PDCA-STRUCTURE@factory",
        "3.3 (1)(ii): manuals, human resources, an organisation able to run the PDCA cycle",
        "no owner of security, no manual or incident procedure; the last training was the dealer's talk in 2024",
    ),
    (
        "S3-UNEXPECTED-EVENTS@factory",
        "3.3 (1)(ii): take measures against unexpected events after implementing existing measures",
        "nothing recorded while six new things came in two years",
    ),
    # Step 1-6 / 1-7: zoning, threats between and within zones
    (
        "THREAT-FA-OA@flat-lan (or a zone boundary finding on it)",
        "Table 2-1 / Table 3-5 (FA and OA networks connected); 3.2.2 (1)(i): measures between zones of different requirements",
        "office and floor are one LAN and one Wi-Fi; nothing filters between them (a VLAN on the UTM would do)",
    ),
    (
        "THREAT-FA-DATA-IN-OA@moulding-conditions (nas)",
        "Table 2-1 / Table 3-5: FA data also held in the OA system under different user management",
        "the moulding conditions are copied to the office NAS that every office PC opens",
    ),
    (
        "ZONE-MIXED-MANAGEMENT@moulding-floor",
        "Annex A case (ii) step 3: a service an external company runs is separated; check the division of responsibility",
        "the machine maker's gateway and the temperature vendor's router, run by them, sit on our floor LAN",
    ),
    (
        "THREAT-WIRELESS@floor-wifi",
        "Table 2-1 / Table 3-5: wireless LAN raises the risk of unauthorised access and line stoppage",
        "one Wi-Fi for office and floor with one password since 2019",
    ),
    (
        "THREAT-WIRELESS@tcu-router",
        "Table 2-1 / Table 3-5: ICT functions such as 5G / mobile raise external connectivity",
        "the vendor's cellular router, always on",
    ),
    (
        "THREAT-EXTERNAL-NETWORK@tcu-remote",
        "Table 2-1 / Table 3-5 (remote access): connection via an external network",
        "the vendor's desk reaches the controllers over the cellular router, around the UTM",
    ),
    (
        "THREAT-CONTROL-FROM-OUTSIDE@tcu-remote",
        "Table 3-4: existence of control instructions from outside the factory's control network",
        "the vendor changes setpoints and firmware of the mould temperature controllers from outside",
    ),
    (
        "THREAT-OUTSIDE-ORIGIN-CONTROL@reject-signal",
        "Table 3-4 and Table 3-6 row 6 (inappropriate feedback from incorrect data); 3.2.2 (1)(iii)",
        "the OK/NG signal that decides what ships comes from a model retrained in the start-up's cloud",
    ),
    (
        "THREAT-EXTERNAL-EQUIPMENT@integrator-laptop",
        "Table 2-1 / Table 3-5: use of external equipment, insufficient management of devices",
        "the integrator's laptop plugged into the cell switch",
    ),
    (
        "THREAT-BUILT-IN-COMPUTER@imm, ai-inspection, packing-cells, tcu-dryers",
        "Table 2-1 / Table 3-5: a built-in computer has the same risks as a computer (incorrect calculations)",
        "the machines' controllers, the inspection PC, the cell PLC, the temperature controllers",
    ),
    (
        "removable media on imm (and office-pcs, integrator-laptop)",
        "3.2.2 (1)(ii) and (2): measures for equipment and physical measures",
        "moulding conditions carried between the machines and the NAS on USB sticks",
    ),
    (
        "general-purpose products: ai-inspection, imm-gateway, floor-tablets, floor-wifi",
        "3.2.2 (1)(ii): general-purpose hardware: supplier's vulnerability response, policies in an incident",
        "a Windows PC, an IoT gateway, consumer tablets and access points on the floor",
    ),
    (
        "OSS / SBOM on ai-inspection",
        "3.2.2 (1)(ii) software and 3.3 (2) Table 3-12: can the user check the components, licences, vulnerabilities",
        "Python and open-source deep learning libraries on the inspection PC",
    ),
    (
        "THREAT-EXTERNAL-SYSTEM@prod-saas",
        "Table 3-5 (third-party systems): an external system with a different risk tolerance stops the factory",
        "the daily plan and the lot records live only in the SaaS",
    ),
    (
        "THREAT-EXTERNAL-DATA@ai-cloud (inspection images), prod-saas (trace records), imm-cloud (shot data)",
        "Table 3-5: a cyberattack on an external system leaks the factory data held there",
        "images of the customer's unreleased parts stored and processed in the start-up's cloud above all",
    ),
    (
        "THREAT-COORDINATION@ai-cloud, tcu-service, imm-cloud",
        "Table 2-1 / Table 3-5: unclear scope of responsibility with an external party slows incident response",
        "no division of responsibility recorded with the start-up, the temperature vendor or the machine maker",
    ),
    (
        "DATA-USE@model-down / images-up",
        "3.2.2 (1)(iii): data quality, defect and loss, scope of acquisition and of utilisation",
        "which images leave, whether the start-up may train on them for others, how a new model is checked",
    ),
    (
        "REQ-transfer-*@moulding-floor->ai-cloud-zone, office->customer-portal-zone, moulding-floor->saas-zone",
        "Table 3-4 (information transfer): confidentiality, availability and integrity on both sides",
        "images out, drawings in and lot records out, reports to the SaaS",
    ),
    (
        "INTER-COMPANY@portal-link",
        "3.1.2: interconnection between companies is an area of particularly high security concern",
        "the customer's portal: drawings in, lot records out",
    ),
    (
        "cloud selection measures (provider's incident responsibility, resumption) on prod-saas, ai-cloud, imm-cloud",
        "3.2.2 (1)(i) measures when using cloud services",
        "terms accepted online; nothing on the providers' incident response or restoration",
    ),
    (
        "remote access measures (MFA, vendor session management) on tcu-remote and model-down",
        "3.2.2 (1)(i) and Table 3-6 row 1: unauthorised access from an external network",
        "always-on router; the start-up's remote desktop tool",
    ),
    (
        "supplier vulnerability response on imm, tcu-dryers, ai-inspection",
        "3.2.2 (1)(ii): the supplier's and the maintenance provider's vulnerability response status",
        "no vulnerability contact recorded for any supplier",
    ),
    (
        "physical measures on the office (nas, utm)",
        "3.2.2 (2): physical measures are needed even in a smart factory",
        "the NAS, its backup disk and the UTM on one open shelf in the office",
    ),
    # Step 3 (1)(i), (2): operation and supply chain
    (
        "S3-OODA@... (no roles recorded)",
        "3.3 (1)(i) Tables 3-7 and 3-8, with the paragraph on too few security personnel (tools, outsourcing)",
        "nobody named; for this firm: the dealer and vendors observe, the president decides, the shift leader acts",
    ),
    (
        "S3-MATURITY@... (none recorded)",
        "3.3 (1)(ii) Table 3-9: maturity of organisations and people (basic: information sharing)",
        "nothing recorded; the basic level is what to start with",
    ),
    (
        "S3-CHECKLIST-OPEN@prod-saas, ai-cloud, imm-cloud (Table 3-10)",
        "3.3 (2) Table 3-10: points to check when using cloud services (not all need covering)",
        "only the SaaS's data-on-termination is answered",
    ),
    (
        "S3-CHECKLIST-OPEN@ai-inspection, floor-tablets, floor-wifi, nas, office-pcs, utm (Table 3-11)",
        "3.3 (2) Table 3-11: points to check when introducing general-purpose products",
        "the firm's own general-purpose products",
    ),
    (
        "S3-CHECKLIST-OPEN@inspection-model (Table 3-12)",
        "3.3 (2) Table 3-12: points to check when introducing software",
        "the start-up's software and model",
    ),
    (
        "responsibilities with the cloud providers (prod-saas, ai-cloud, imm-cloud)",
        "3.3 (2): confirm responsibilities and incident response policies with providers at procurement, contract, operation",
        "only the UTM's maintenance by the dealer is recorded",
    ),
]

# What a practitioner would call wrong, or sized for a large firm, if the tool said it of this 68-person firm (written
# blind, as above).
SME_MOULDING_BLIND_NOISE: list[tuple[str, str]] = [
    (
        "asking for a security department, a CSIRT or a security representative as OODA lead or decision maker",
        "3.3 (1)(i): with too few security personnel, tools and outsourcing to security vendors are the answer",
    ),
    (
        "asking for head-office production engineering, head-office IT or a DX department",
        "3.1.1 (3) names them as departments 'highly likely to be included'; one plant, no head office",
    ),
    ("S1-GOVERNANCE-NEW-EXTERNAL", "an IT person and the business owner (the president) are recorded"),
    ("S1-REQUIREMENT-CONSEQUENCE of EU CRA, the Economic Security Act or SEMI E187", "none is declared or applies"),
    ("S3-CHECKLIST-OPEN@...#software.development.*", "the firm develops no software"),
    (
        "S3-CHECKLIST-OPEN@customer-portal, demand-monitor, energy-service, integrator-laptop, tcu-router",
        "not procured by the firm: the customer's portal, the utility's monitor and service, the integrator's laptop, "
        "the vendor's router",
    ),
    ("ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE@floor-tablets", "they serve production reports on the floor"),
    ("ZONE-SAFETY-WITH-CONTROL or ZONE-MIXED-CONTROL on take-out-robots", "hard-wired to their machines"),
    ("device threats on the customer's portal or the vendor's support desk PCs", "outside; the firm cannot act there"),
    ("a maturity level above basic demanded", "Table 3-9 is an example; basic is the start"),
    ("ZONE-MIXED-MANAGEMENT@cubicle", "the utility's monitor is the only networked thing there"),
    ("data diodes or unidirectional gateways demanded for the monitoring uploads", "sized for a large plant"),
    ("control instructions on gateway-to-cloud, images-up, demand-up or energy-view", "none carries any"),
    ("S1-REQUIREMENT-STALE@customer-cyber-checklist", "answered in June 2026"),
]


# What the tool found of SME_MOULDING_BLIND (first run: 43 of 45 expected found, 9 of 103 findings noise; after the
# OODA stand-in fix: 43 of 45, 8 of 102; after the dealer-run UTM and the utility's enclave are read: 43 of 45, 4 of 98,
# then 3 once the utility's cloud-service checklist, written as noise, was judged right).
# Own dicts, checked by the tests below.
SME = "injection-moulding-sme"
SME_EXPECTED: dict[str, str] = {  # Step 1-1, supply chain and PDCA: exactly these
    "S1-BCP-REVIEW-STALE@mikawa-jushi#interval": BCP_AGE,
    **{
        f"S1-BCP-VIEWPOINT@mikawa-jushi#{viewpoint}": BCP
        for viewpoint in (
            "partner-incident-impact",
            "undetermined-cause-impact",
            "impact-on-partners",
            "new-service-impact",
            "new-service-attack-suspension",
            "new-service-failure",
            "suspend-continue-criteria",
            "decision-structure",
        )
    },
    "S1-PURPOSE-OPERATION@energy-monitoring#none": PURPOSE,
    # Not written blind, right: the customer's portal work changed and no purpose is recorded for it.
    "S1-PURPOSE-OPERATION@orders-shipping#none": PURPOSE,
    "S1-REQUIREMENT-STALE@customer-traceability#interval": LAWS,
    # Not written blind, right: the quality agreement (2025-04) predates the SaaS lot records it now relies on.
    "S1-REQUIREMENT-TOUCHED@customer-traceability": SMART_REQ,
    "S1-REQUIREMENT-TOUCHED@customer-cyber-checklist": SMART_REQ,  # KNOWN_NOISE below
    "S1-INCIDENT-IMPACT@mikawa-jushi": IMPACT,
    "S1-SUBCONTRACT-OPEN@annotation-partner#unidentified": SUBCONTRACT,
    "S1-SUBCONTRACT-OPEN@imm-cloud-host#unidentified": SUBCONTRACT,
    "S3-PDCA-STRUCTURE@mikawa-jushi": PDCA,
    "S3-UNEXPECTED-EVENTS@mikawa-jushi": UNEXPECTED,
    "SUPPLY-SBOM-VULNERABILITY@mikawa-jushi": SBOM,
}
SME_ZONING_AND_THREATS: dict[str, str] = {  # must be among the findings
    "THREAT-FA-OA-CONNECTION@flat-lan": FA_OA,
    "ZONE-MIXED-MANAGEMENT@moulding-floor": MIXED_MANAGEMENT,
    "THREAT-WIRELESS@moulding-floor": WIRELESS,
    "THREAT-EXTERNAL-NETWORK@tcu-remote": EXT_NET,
    "THREAT-CONTROL-FROM-OUTSIDE@tcu-remote": CONTROL_OUTSIDE,
    "THREAT-EXTERNAL-EQUIPMENT@moulding-floor": EXT_EQUIPMENT,
    "THREAT-BUILT-IN-COMPUTER@moulding-floor": BUILT_IN,
    "THREAT-REMOVABLE-MEDIA@moulding-floor": MEDIA,
    "THREAT-GENERAL-PURPOSE-NEW@moulding-floor": GENERAL_PURPOSE,
    "THREAT-EXTERNAL-SYSTEM@saas-zone": EXT_SYSTEM,
    "THREAT-EXTERNAL-DATA@images-up": EXT_DATA,
    "THREAT-EXTERNAL-DATA@tablets-saas": EXT_DATA,
    "THREAT-EXTERNAL-DATA@gateway-to-cloud": EXT_DATA,
    "THREAT-INCIDENT-COORDINATION@ai-startup": COORDINATION,
    "THREAT-INCIDENT-COORDINATION@tcu-vendor": COORDINATION,
    "THREAT-INCIDENT-COORDINATION@imm-maker": COORDINATION,
    "DATA-UTILISATION@moulding-floor": DATA_USE,
    "THREAT-INTER-COMPANY@portal-link": INTER_COMPANY,
    "PHYS-MEASURES@mikawa-jushi": PHYSICAL,
}
SME_STEP_3: dict[str, str] = {
    "S3-OODA-PROPOSED@mikawa-jushi#preventive-maintenance": OODA,
    "S3-OODA-PROPOSED@mikawa-jushi#damage-occurrence": OODA,
    "S3-OODA-NO-VENDOR-CHANNEL@mikawa-jushi": OODA,
    "S3-MATURITY-UNASSESSED@mikawa-jushi#external-cooperation": MATURITY,
    "S3-CHECKLIST-OPEN@prod-saas#cloud-service": CHECKLIST,
    "S3-CHECKLIST-OPEN@ai-cloud#cloud-service": CHECKLIST,
    "S3-CHECKLIST-OPEN@imm-cloud#cloud-service": CHECKLIST,
    "S3-CHECKLIST-OPEN@ai-inspection#general-purpose-product": CHECKLIST,
    "S3-CHECKLIST-OPEN@floor-tablets#general-purpose-product": CHECKLIST,
    "S3-CHECKLIST-OPEN@inspection-model#software": CHECKLIST,
    # Written blind as noise (not procured), but right: Table 3-10 is for using a cloud service, and the firm uses the
    # utility's (demand graphs and alarm mails on the office PCs, a dryer stopped on its alarm); its procurement point
    # asks about devices introduced with the service (the monitor). Items that do not fit are answered not-applicable.
    "S3-CHECKLIST-OPEN@energy-service#cloud-service": CHECKLIST,
}
SME_REQUIREMENTS_BETWEEN_ZONES: dict[str, str] = {
    "REQ-transfer-confidentiality@moulding-floor->ai-cloud-zone": TRANSFER,
    "REQ-transfer-integrity@ai-cloud-zone->moulding-floor": TRANSFER,
    "REQ-transfer-confidentiality@customer-portal-zone->office": TRANSFER,
    "REQ-transfer-integrity@office->customer-portal-zone": TRANSFER,
    "REQ-transfer-integrity@moulding-floor->saas-zone": TRANSFER,
    "REQ-external-control-instructions@tcu-service->moulding-floor": CONTROL_OUTSIDE,
}
SME_NOISE: dict[str, str] = {  # found by the first run, wrong for a 68-person firm, fixed: must not come back
    "S3-OODA-NO-DECIDER@mikawa-jushi": "no security department or factory management: IT and the site stand in",
    # The dealer (outsourced-vendor, contract named, the UTM's maintenance recorded with it) runs the leased UTM for
    # the firm: its own boundary, run through its outsourced operator (3.1.1 (3), 3.3 (1)(i)).
    "ZONE-EXTERNAL-NO-BOUNDARY@office": "the dealer runs the firm's UTM under contract, responsibility recorded",
    "ZONE-MIXED-MANAGEMENT@office": "the dealer runs the firm's UTM under contract, responsibility recorded",
    # The utility's monitor alone in the cubicle reaches only the utility's service: nothing of the firm's behind it,
    # and the service gathers only what the utility's own device sends it.
    "ZONE-EXTERNAL-NO-BOUNDARY@cubicle": "only the utility's monitor, reaching only the utility's service",
    "DATA-UTILISATION@energy-service-zone": "the utility's service gathers only from the utility's own monitor",
    # Written blind as noise, and it was: the utility installed and runs the monitor; the firm procured nothing. The
    # model says so now ('procured: false' on the monitor), and no procurement checklist is asked of it (Table 3-11).
    "S3-CHECKLIST-OPEN@demand-monitor#general-purpose-product": "the utility's own monitor, not procured by the firm",
}
SME_KNOWN_MISSES: dict[str, str] = {
    # The moulding conditions' copies on the office NAS are told only in descriptions; the model's data lifecycle
    # does not state the NAS storage, so Table 2-1 'FA data also in the OA system' has nothing to read.
    "THREAT-FA-DATA-IN-OA@moulding-conditions": FA_DATA_OA,
    # The OK/NG signal to the clip cell comes from a model retrained in the start-up's cloud; the conduit bringing it
    # (model-down) lists no data and the reject signal runs inside the zone (another helper's rule and walk).
    "THREAT-OUTSIDE-ORIGIN-CONTROL@reject-signal": CONTROL_OUTSIDE,
}
SME_KNOWN_NOISE: dict[str, str] = {
    # Twelve office PCs and a shipping PC split in two zones: sized for a large firm, the blind author says. An
    # advisory the guideline allows (3.1.6 procedure 3 lets BCP and facility environment decide; the shipping PC
    # serves a high-importance operation on the customer's portal, the office PCs a medium one): record a decision.
    "ZONE-DIVISIBLE-BY-OPERATION@office": ZONING,
    # Answered in June 2026, after the changes; no element carries the date it was added or changed, and no review
    # of the changes is recorded, so the tool cannot tell (the finding now says so).
    "S1-REQUIREMENT-TOUCHED@customer-cyber-checklist": SMART_REQ,
}


def test_sme_step_1_1_and_pdca_findings_are_exactly_the_expected_ones() -> None:
    found = {f.id for f in assess(SME).findings if f.category in STEP_1_1}
    assert found == set(SME_EXPECTED), (
        f"unexpected: {sorted(found - set(SME_EXPECTED))}; missing: {sorted(set(SME_EXPECTED) - found)}"
    )


def test_sme_expected_findings_are_found_and_its_fixed_noise_is_not() -> None:
    assessment = assess(SME)
    found = {f.id for f in assessment.findings}
    assert set(SME_ZONING_AND_THREATS) <= found, sorted(set(SME_ZONING_AND_THREATS) - found)
    step_3 = {f.id for f in assessment.lifecycle.findings}
    assert set(SME_STEP_3) <= step_3, sorted(set(SME_STEP_3) - step_3)
    assert not set(SME_NOISE) & (found | step_3)
    requirements = {r.id for r in assessment.requirements}
    assert set(SME_REQUIREMENTS_BETWEEN_ZONES) <= requirements, sorted(
        set(SME_REQUIREMENTS_BETWEEN_ZONES) - requirements
    )


def test_sme_known_misses_and_noise_are_as_recorded() -> None:
    # When one of these changes, move it: a miss found goes to the expected, a noise gone to SME_NOISE.
    found = found_ids(SME)
    assert not set(SME_KNOWN_MISSES) & found
    assert set(SME_KNOWN_NOISE) <= found, sorted(set(SME_KNOWN_NOISE) - found)


def test_sme_expected_findings_cite_the_section_their_sentence_comes_from() -> None:
    findings = {f.id: f for f in assess(SME).findings} | {f.id: f for f in assess(SME).lifecycle.findings}
    for finding_id, sentence in {**SME_EXPECTED, **SME_ZONING_AND_THREATS, **SME_STEP_3}.items():
        section = sentence.split(":", 1)[0].split(" ")[0]
        if section.startswith("3."):
            assert section in findings[finding_id].reference, (finding_id, findings[finding_id].reference)


def test_sme_ooda_proposes_the_it_person_the_president_and_the_plant_manager() -> None:
    # No security department and no factory management: Table 3-7's roles go to general affairs (IT), the president
    # (business owner) and manufacturing (the plant manager), saying who stands in (the first run: 'no department of
    # kind security to propose' for four phases).
    decide = next(c for c in assess(SME).lifecycle.ooda if (c.stage, c.phase) == ("preventive-maintenance", "decide"))
    assert decide.decision_makers == ("president", "general-affairs", "manufacturing")


# --- battery-cell: a fifth strictly blind trial -------------------------------------------------------------------
#
# A greenfield lithium-ion cell plant of a JV (electrode, dry-room assembly, formation and ageing, NMP recovery,
# thermal runaway protection, an EMS on demand response, a cloud digital twin proposing coating set points, the coater
# maker's LTE router, the formation maker's remote support, per-cell traceability to the car-maker partner, an OT SOC).
# Its author read only the guideline appendix, docs/model.md and one example's model. BATTERY_BLIND was committed
# before factorysec first ran on the model: what a practitioner expects (finding id as best guessed, then the
# guideline place it rests on), and what a practitioner would call noise. Guessed ids are mapped to the tool's in
# BATTERY_MAPPING after the run; nothing in BATTERY_BLIND is edited after that commit.

BATTERY = "battery-cell"

BATTERY_BLIND: dict[str, str] = {
    # Step 1-1 (1): BCP
    "S1-BCP-REVIEW-STALE@bcp": "3.1.1 (1): BCP reviewed 2026-02-20, before the closed loop and the DR contract (review 2026-09-08)",
    "S1-BCP-VIEWPOINT@partner-incident-impact": "3.1.1 (1): effect on us of a cyberattack on a partner (JV partner, makers)",
    "S1-BCP-VIEWPOINT@impact-on-partners": "3.1.1 (1): effect on the partner receiving every cell's data if we are attacked",
    "S1-BCP-VIEWPOINT@undetermined-cause-impact": "3.1.1 (1): a failure whose cause (bug, fault, attack at a maker) is unknown",
    "S1-BCP-VIEWPOINT@new-service-attack-suspension": "3.1.1 (1): the cloud platform or the DR platform stopped by an attack",
    # Step 1-1 (2): requirements
    "S1-REQUIREMENT-STALE@espa-critical-materials": "3.1.1 (2): review regularly; last reviewed 2025-11-01, 365-day interval",
    "S1-REQUIREMENT-TOUCHED@eu-battery-regulation": "3.1.1 (2): check what the regulation asks of the new per-cell traceability",
    "S1-REQUIREMENT-CONSEQUENCE@ot-security-standard": "3.1.1 (2), 3.3 (2): IEC 62443's demands on suppliers (advisory)",
    # Step 1-1 (3): stakeholders
    "S1-INCIDENT-IMPACT@coater-maker": "3.1.1 (3): new overseas maker with its own remote access, no impact study",
    "S1-INCIDENT-IMPACT@soc-vendor": "3.1.1 (3): new security vendor seeing all OT traffic, no impact study",
    "S1-INCIDENT-IMPACT@aggregator": "3.1.1 (3): new partner whose events curtail formation, no impact study",
    "S1-SUBCONTRACT-OPEN@soc-night-partner": "3.1.1 (3): identify all subcontractors; the SOC's night partner is unnamed",
    "S1-SUBCONTRACT-OPEN@dx-offshore": "3.1.1 (3): an overseas subcontractor working remotely on the DX platform",
    # Step 3 PDCA, OODA, maturity
    "S3-PDCA-NO-SITE@rv-2026-closed-loop": "3.3 (1)(ii): the closed-loop change was reviewed without the production site",
    "S3-OODA-GAP@damage-occurrence/decide": "3.3 (1)(i), Table 3-8: no one decides in the damage occurrence stage",
    "S3-OODA-GAP@damage-occurrence/act": "3.3 (1)(i), Table 3-8: no one acts in the damage occurrence stage",
    "S3-MATURITY-GAP@within-department": "3.3 (1)(ii), Table 3-9: maturity within the departments not assessed",
    # Step 1-6 zoning
    "ZONE-SAFETY-WITH-CONTROL@formation-zone": "3.1.6 procedure 3, 3.1.5 (S): the networked thermal runaway controller shares the formation network",
    "ZONE-MIXED-MANAGEMENT@electrode-zone": "3.1.6, Annex A (ii): the coater maker's LTE router, run by the maker, sits in the electrode zone",
    "ZONE-MIXED-CONTROL@utilities-zone": "3.1.6, Annex A (i): the EMS issuing curtailment to formation shares a zone with dew point control",
    "ZONE-DIVISIBLE-BY-OPERATION@utilities-zone": "3.1.6 procedure 1, 2.1.3: energy management is another operation than dry-room air",
    "ZONE-SHARED-SERVICE@production-control": "Annex A (ii) exception: the SOC sensors stay under contract measures (advisory)",
    "ZONE-EXTERNAL-NO-BOUNDARY@coater-remote-session": "3.2.2 (1)(i): the coater maker's LTE link reaches the PLC without the plant's boundary",
    # Step 1-7 threats
    "THREAT-EXTERNAL-NETWORK@formation-remote-session": "Table 2-1 / 3-5 remote access: attacks via the internet",
    "THREAT-EXTERNAL-NETWORK@coater-remote-session": "Table 2-1 / 3-5 remote access: attacks via the mobile network",
    "THREAT-EXTERNAL-EQUIPMENT@formation-remote-session": "Table 2-1 / 3-5: the maker's consoles, devices and users not ours",
    "THREAT-EXTERNAL-EQUIPMENT@coater-remote-session": "Table 2-1 / 3-5: the maker's service cloud, devices and users not ours",
    "THREAT-DIFFERENT-REQUIREMENTS@dr-in": "Table 3-5 third-party systems: the aggregator's platform, another risk tolerance, stops formation",
    "THREAT-DIFFERENT-REQUIREMENTS@edge-to-cloud": "Table 3-5 third-party systems: the cloud tenant's provider, another risk tolerance",
    "THREAT-DIFFERENT-REQUIREMENTS@spec-in": "Table 3-5 third-party systems: the partner's platform feeds the specification",
    "THREAT-OUTSIDE-ORIGIN-CONTROL@mes-to-electrode": "Table 3-4 control instructions: coating set points computed in the cloud",
    "THREAT-OUTSIDE-ORIGIN-CONTROL@ems-to-formation": "Table 3-4 control instructions: curtailment made from the aggregator's events",
    "THREAT-OUTSIDE-ORIGIN-CONTROL@mes-to-formation": "Table 3-4 control instructions: profiles made from the partner-issued specification",
    "THREAT-OUTSIDE-CONTROL@formation-remote-session": "Table 3-4 control instructions from outside the control network (remote sessions)",
    "THREAT-OUTSIDE-CONTROL@coater-remote-session": "Table 3-4 control instructions from outside the control network (remote PLC programming)",
    "THREAT-WIRELESS@logistics-zone": "Table 2-1 / 3-5 wireless: AGVs on WLAN",
    "THREAT-WIRELESS@electrode-zone": "Table 2-1 / 3-5 wireless (5G/LTE): the coater maker's cellular router",
    "THREAT-BUILT-IN-COMPUTER@electrode-zone": "Table 3-5 built-in computer: gauges computing wrong areal weights",
    "THREAT-BUILT-IN-COMPUTER@assembly-zone": "Table 3-5 built-in computer: inspection machines computing wrong results",
    "THREAT-BUILT-IN-COMPUTER@formation-zone": "Table 3-5 built-in computer: rack channels computing wrong capacities",
    "THREAT-FA-OA@office-to-mes": "Table 3-5 FA/OA: no input validation between office and MES sends wrong data",
    "THREAT-EXTERNAL-DATA@process-data": "Table 3-5 information on external systems: process data stored in the cloud leak",
    "THREAT-EXTERNAL-DATA@cell-genealogy": "Table 3-5 information on external systems: cell genealogy stored at the partner leaks",
    "DATA-UTILISATION@process-data": "3.2.2 (1)(iii): AI feedback from the cloud; data quality, loss, scope of acquisition and use",
    # Step 3 supply chain
    "S3-RESP-GAP@ai-platform": "2.1.3, 3.3 (2) Table 3-10: incident response of the cloud platform not assigned",
    "S3-RESP-GAP@dr-platform": "2.1.3, Table 3-5: who responds when the DR platform fails or is attacked",
    "S3-RESP-GAP@coater-service-cloud": "2.1.3, Table 3-5: who answers for the coater maker's remote service",
    "S3-RESP-GAP@soc-platform": "2.1.3, Table 3-10: responsibilities of the SOC platform",
    "S3-RESP-GAP@partner-trace-platform": "2.1.3, Table 3-5: who answers for the partner's platform receiving our data",
    "S3-CHECKLIST-CLOUD@ai-platform": "3.2.2 (1)(i), 3.3 (2) Table 3-10: cloud checks left open",
    "S3-CHECKLIST-SOFTWARE@dx-edge": "3.2.2 (1)(ii), 3.3 (2) Table 3-12 and SBOM: OSS in the DX gateway",
    "S3-CHECKLIST-SOFTWARE@ai-platform": "3.2.2 (1)(ii), 3.3 (2) Table 3-12 and SBOM: OSS in the AI platform",
    "S3-CHECKLIST-GENERAL-PURPOSE@coater-hmi": "3.2.2 (1)(ii), 3.3 (2) Table 3-11: Windows panel PCs from the maker",
    "S3-CHECKLIST-GENERAL-PURPOSE@formation-servers": "3.2.2 (1)(ii), 3.3 (2) Table 3-11: Windows servers from the rack maker",
}

# Requirements between zones a practitioner expects (Table 3-4 information transfer) on the new flows leaving or
# entering the plant.
BATTERY_BLIND_BETWEEN_ZONES: tuple[str, ...] = (
    "production-control->partner-portal",
    "partner-portal->production-control",
    "plant-dmz->dx-cloud",
    "dx-cloud->plant-dmz",
    "plant-dmz->production-control",
    "grid-dr->utilities-zone",
    "utilities-zone->grid-dr",
)

# What a practitioner would call noise here.
BATTERY_BLIND_NOISE: dict[str, str] = {
    "ZONE-SAFETY-WITH-CONTROL@utilities-zone": "the gas SIS is hard-wired to its interlocks: no network to share",
    "S1-REQUIREMENT-CONSEQUENCE@espa-critical-materials (core infrastructure procurement duties)": (
        "the plant holds a critical-materials supply plan, it is no core infrastructure operator (3.3 (2) last sentence)"
    ),
    "ZONE-MIXED-MANAGEMENT@production-control": "the SOC sensors stay by contract measures (Annex A (ii) exception)",
    "S1-GOVERNANCE-NEW-EXTERNAL@*": "IT, security and a business owner are all named",
    "S1-INCIDENT-IMPACT@<an equipment maker recording procured-product-vulnerability, no connection>": (
        "the perspective that applies to a plain equipment supplier is recorded"
    ),
    "THREAT-WIRELESS@<a zone with no wireless device>": "nothing wireless there",
    "S1-PURPOSE-OPERATION@<a core production operation>": "electrode, assembly and formation are the plant, not smartification tasks",
    "ZONE-DIVISIBLE-BY-OPERATION@<electrode, assembly or formation by process step>": (
        "Annex A note: material-process lines are hard to divide by operation"
    ),
}


# After the first run (written after BATTERY_BLIND was committed): each blind expectation mapped to the tool's finding
# id where the tool names the same thing under another id or subject. Expectations not listed here kept their id.
BATTERY_MAPPING: dict[str, str] = {
    "S1-BCP-REVIEW-STALE@bcp": "S1-BCP-REVIEW-STALE@setouchi-cells#change",
    "S1-BCP-VIEWPOINT@partner-incident-impact": "S1-BCP-VIEWPOINT@setouchi-cells#partner-incident-impact",
    "S1-BCP-VIEWPOINT@impact-on-partners": "S1-BCP-VIEWPOINT@setouchi-cells#impact-on-partners",
    "S1-BCP-VIEWPOINT@undetermined-cause-impact": "S1-BCP-VIEWPOINT@setouchi-cells#undetermined-cause-impact",
    "S1-BCP-VIEWPOINT@new-service-attack-suspension": "S1-BCP-VIEWPOINT@setouchi-cells#new-service-attack-suspension",
    "S1-REQUIREMENT-STALE@espa-critical-materials": "S1-REQUIREMENT-STALE@espa-critical-materials#interval",
    "S1-REQUIREMENT-CONSEQUENCE@ot-security-standard": "S1-REQUIREMENT-CONSEQUENCE@ot-security-standard#service-provider-capabilities",
    # one finding for every new party without its perspectives; its text names these three among them
    "S1-INCIDENT-IMPACT@coater-maker": "S1-INCIDENT-IMPACT@setouchi-cells",
    "S1-INCIDENT-IMPACT@soc-vendor": "S1-INCIDENT-IMPACT@setouchi-cells",
    "S1-INCIDENT-IMPACT@aggregator": "S1-INCIDENT-IMPACT@setouchi-cells",
    "S1-SUBCONTRACT-OPEN@soc-night-partner": "S1-SUBCONTRACT-OPEN@soc-night-partner#unidentified",
    "S1-SUBCONTRACT-OPEN@dx-offshore": "S1-SUBCONTRACT-OPEN@dx-offshore#overseas-remote",
    "S3-PDCA-NO-SITE@rv-2026-closed-loop": "S3-PDCA-NO-SITE@setouchi-cells#rv-2026-closed-loop",
    # the tool proposes Decide and Act of the damage occurrence stage from Table 3-8 in one finding
    "S3-OODA-GAP@damage-occurrence/decide": "S3-OODA-PROPOSED@setouchi-cells#damage-occurrence",
    "S3-OODA-GAP@damage-occurrence/act": "S3-OODA-PROPOSED@setouchi-cells#damage-occurrence",
    "S3-MATURITY-GAP@within-department": "S3-MATURITY-UNASSESSED@setouchi-cells#within-department",
    "ZONE-EXTERNAL-NO-BOUNDARY@coater-remote-session": "ZONE-EXTERNAL-NO-BOUNDARY@electrode-zone",
    # external equipment is told on the factory zone the vendor's consoles and service cloud reach
    "THREAT-EXTERNAL-EQUIPMENT@formation-remote-session": "THREAT-EXTERNAL-EQUIPMENT@formation-zone",
    "THREAT-EXTERNAL-EQUIPMENT@coater-remote-session": "THREAT-EXTERNAL-EQUIPMENT@electrode-zone",
    # Table 3-5 third-party systems is THREAT-EXTERNAL-SYSTEM, on the outside zone
    "THREAT-DIFFERENT-REQUIREMENTS@dr-in": "THREAT-EXTERNAL-SYSTEM@grid-dr",
    "THREAT-DIFFERENT-REQUIREMENTS@edge-to-cloud": "THREAT-EXTERNAL-SYSTEM@dx-cloud",
    "THREAT-DIFFERENT-REQUIREMENTS@spec-in": "THREAT-EXTERNAL-SYSTEM@partner-portal",
    "THREAT-OUTSIDE-CONTROL@formation-remote-session": "THREAT-CONTROL-FROM-OUTSIDE@formation-remote-session",
    "THREAT-OUTSIDE-CONTROL@coater-remote-session": "THREAT-CONTROL-FROM-OUTSIDE@coater-remote-session",
    "THREAT-FA-OA@office-to-mes": "THREAT-FA-OA-CONNECTION@office-to-mes",
    "THREAT-EXTERNAL-DATA@process-data": "THREAT-EXTERNAL-DATA@edge-to-cloud",
    "THREAT-EXTERNAL-DATA@cell-genealogy": "THREAT-EXTERNAL-DATA@trace-out",
    "DATA-UTILISATION@process-data": "DATA-UTILISATION@production-control",
    # Table 3-5 expanded effects (unclear scope of responsibility) is told per party running the service
    "S3-RESP-GAP@ai-platform": "THREAT-INCIDENT-COORDINATION@cloud-provider",
    "S3-RESP-GAP@dr-platform": "THREAT-INCIDENT-COORDINATION@aggregator",
    "S3-RESP-GAP@coater-service-cloud": "THREAT-INCIDENT-COORDINATION@coater-maker",
    "S3-RESP-GAP@soc-platform": "THREAT-INCIDENT-COORDINATION@soc-vendor",
    "S3-RESP-GAP@partner-trace-platform": "THREAT-INCIDENT-COORDINATION@jv-partner",
    "S3-CHECKLIST-CLOUD@ai-platform": "S3-CHECKLIST-OPEN@ai-platform#cloud-service",
    "S3-CHECKLIST-SOFTWARE@dx-edge": "S3-CHECKLIST-OPEN@dx-edge#software",
    "S3-CHECKLIST-SOFTWARE@ai-platform": "S3-CHECKLIST-OPEN@ai-platform#software",
    "S3-CHECKLIST-GENERAL-PURPOSE@coater-hmi": "S3-CHECKLIST-OPEN@coater-hmi#general-purpose-product",
    "S3-CHECKLIST-GENERAL-PURPOSE@formation-servers": "S3-CHECKLIST-OPEN@formation-servers#general-purpose-product",
}

# Expected, and still not found, with the reason.
BATTERY_KNOWN_MISSES: dict[str, str] = {}
"""None left: THREAT-OUTSIDE-ORIGIN-CONTROL@ems-to-formation was missed in the trial (dr-in, two-way, lists only the
events the EMS keeps, though their lifecycle has them generated at the aggregator); data generated outside is of
outside origin now, wherever it is kept (context.made_outside)."""

# Found, and noise for a practitioner, left with the reason.
BATTERY_KNOWN_NOISE: dict[str, str] = {}
"""None left: the Act's consequences below were found in the trial, though they are duties of its core-infrastructure
part (3.3 (2), last sentence) and the plant was approved under its critical-materials part; the requirement says which
part applies now ('parts: [critical-materials]'), and the appendix states no duty of that part."""

# Found in the trial, noise, fixed since: must not come back.
BATTERY_FIXED_NOISE: dict[str, str] = {
    "S1-REQUIREMENT-CONSEQUENCE@espa-critical-materials#pre-procurement-confirmation": (
        "the core-infrastructure duties of the Act (3.3 (2), last sentence) do not fall on a plant approved under its "
        "critical-materials part"
    ),
    "S1-REQUIREMENT-CONSEQUENCE@espa-critical-materials#supplier-and-maintainer-information": (
        "the same: the information on suppliers and maintainers is what a core infrastructure operator submits"
    ),
}


def test_battery_expected_findings_are_found() -> None:
    found = found_ids(BATTERY)
    expected = {BATTERY_MAPPING.get(e, e) for e in BATTERY_BLIND if e not in BATTERY_KNOWN_MISSES}
    assert expected <= found, f"missing: {sorted(expected - found)}"


def test_battery_known_misses_and_noise_are_as_recorded() -> None:
    # When a fix lands, the entry moves out of these lists (and the figures in the module's report change).
    found = found_ids(BATTERY)
    assert not set(BATTERY_KNOWN_MISSES) & found
    assert set(BATTERY_KNOWN_NOISE) <= found


def test_battery_noise_fixed_after_the_trial_stays_away() -> None:
    found = found_ids(BATTERY)
    # The plant's supply-assurance plan falls under the Act's critical-materials part, not its core-infrastructure one.
    assert not set(BATTERY_FIXED_NOISE) & found
    # The SOC's contracted sensors stay in the MES zone (Annex A case (ii)): no split of MES and SCADA from them.
    assert "ZONE-MIXED-CONTROL@production-control" not in found
    assert "ZONE-MIXED-MANAGEMENT@production-control" not in found
    # The gas detection SIS is hard-wired: no safety-with-control finding on the utilities zone.
    assert "ZONE-SAFETY-WITH-CONTROL@utilities-zone" not in found
    assert not any(f.startswith("S1-GOVERNANCE-NEW-EXTERNAL") for f in found)
    # The dew point and solvent recovery set points are the operators': the trial found the coater HMI's USB sticks
    # carried up the recipe conduit's results-back direction; the outside-origin walk no longer takes anything on the
    # way back of a control link (merged after the trial).
    assert "THREAT-OUTSIDE-ORIGIN-CONTROL@scada-to-utilities" not in found


def test_battery_incident_impact_names_the_three_parties_expected() -> None:
    finding = next(f for f in assess(BATTERY).findings if f.id == "S1-INCIDENT-IMPACT@setouchi-cells")
    for party in ("coater-maker", "soc-vendor", "aggregator"):
        assert f"'{party}'" in str(finding.rationale.en) or party in finding.related


def test_battery_expected_requirements_between_zones_are_set() -> None:
    found = {r.id for r in assess(BATTERY).requirements}
    for pair in BATTERY_BLIND_BETWEEN_ZONES:
        for kind in ("confidentiality", "integrity", "availability"):
            assert f"REQ-transfer-{kind}@{pair}" in found


# --- electronics-ems: a sixth strictly blind trial ----------------------------------------------------------------
#
# An electronics contract manufacturer (three SMT lines, AOI/X-ray/ICT/flying-probe test with programs per customer,
# a programming room flashing customer firmware, component stores fed by distributors, an MES with traceability per
# board serial that customers query on a portal in the DMZ, customers' data under NDAs to be kept apart, a customer's
# engineers on site, a medical customer's supplier portal and audit, the mounter maker's remote support, a three-person
# IT team). Its author read only the guideline appendix, docs/model.md and one example's model. EMS_BLIND was
# committed before factorysec first ran on the model: what a practitioner expects (finding id as best guessed, then the
# guideline place it rests on), and what a practitioner would call noise (EMS_BLIND_NOISE). Guessed ids are mapped to
# the tool's in EMS_MAPPING after the run; nothing in EMS_BLIND or EMS_BLIND_NOISE is edited after that commit.

EMS = "electronics-ems"

EMS_BLIND: dict[str, str] = {
    # Step 1-1 (1): purposes and BCP
    "S1-BCP-REVIEW-STALE@bcp": "3.1.1 (1): BCP reviewed 2025-03 with a 365-day interval, and the portal came after it",
    "S1-BCP-VIEWPOINT@new-services": "3.1.1 (1) BCP review: impact of the new portal and MES-driven programming not covered",
    "S1-BCP-VIEWPOINT@supply-chain": "3.1.1 (1) BCP review: impact on customers when we are suspected to be attacked",
    "S1-BCP-VIEWPOINT@decision-making": "3.1.1 (1) BCP review: criteria for stopping or continuing not set",
    "S1-PURPOSE-OPERATION@device-programming": "3.1.2: the changed programming operation serves no stated purpose",
    # Step 1-1 (2): external requirements
    "S1-REQUIREMENT-STALE@customer-ndas": "3.1.1 (2): the NDAs' demands were never reviewed",
    "S1-REQUIREMENT-STALE@eu-cra-customers": "3.1.1 (2): the CRA's bearing on what we flash was never reviewed",
    "S1-REQUIREMENT-STALE@auto-customer-62443": "3.1.1 (2): reviewed 2025-09, more than a year before",
    "S1-REQUIREMENT-TOUCHED@auto-customer-62443": "3.1.1 (2): the new portal in the DMZ is in its scope since its review",
    "S1-REQUIREMENT-CONSEQUENCE@auto-customer-62443": "3.1.1 (2) / 3.3 (2): what IEC 62443 asks of suppliers and products",
    "S1-REQUIREMENT-CONSEQUENCE@eu-cra-customers": "3.1.1 (2): the CRA puts security requirements on the products we build",
    # Step 1-1 (3): stakeholders, incident impact, subcontractors
    "S1-INCIDENT-IMPACT@customer-iot": "3.1.1 (3): a new customer connecting to the portal, its incident impact not studied",
    "S1-INCIDENT-IMPACT@portal-dev": "3.1.1 (3): the new portal developer's incident impact not studied",
    "S1-SUBCONTRACT-OPEN@broker": "3.1.1 (3): the brokers a distributor buys from in shortages are not identified",
    # Step 1-6: zoning
    "ZONE-MIXED-RIGHTS-HOLDERS@engineering-zone": (
        "2.1.3 (assets in one zone protected at an equal level) and the data management framework (rights holder,"
        " scope of disclosure): every customer's NDA data on one server in one zone"
    ),
    "THREAT-EXTERNAL-EQUIPMENT@visitor-laptops": "Table 2-1 / Table 3-5 (use of external equipment): customer laptops on the testers",
    # Step 1-7: threats and requirements between zones
    "THREAT-EXTERNAL-NETWORK@customers-to-portal": "Table 2-1 / Table 3-5 (connection via external network): the portal on the internet",
    "THREAT-EXTERNAL-NETWORK@mounter-remote-session": "Table 2-1 / Table 3-5 (remote access via external network)",
    "THREAT-OUTSIDE-CONTROL@mounter-remote-session": "Table 3-4 (control instructions from outside the control network)",
    "THREAT-DIFFERENT-REQUIREMENTS@med-supplier-portal": "Table 2-1 / Table 3-5 (third-party system with another policy)",
    "THREAT-DIFFERENT-REQUIREMENTS@mounter-remote": "3.2.2 (1)(i): supply chain requirements for a zone an external company runs",
    "THREAT-FA-OA@office-to-eng": "Table 2-1 / Table 3-5 (FA and OA connected): customer packages copied from office PCs",
    "THREAT-FA-DATA-IN-OA@firmware-images": "Table 2-1 / Table 3-5 (FA data also in OA): firmware downloaded on office PCs",
    "THREAT-FA-DATA-IN-OA@design-packages": "Table 2-1 / Table 3-5 (FA data also in OA): data packages on office PCs",
    "THREAT-WIRELESS@reel-scanners": "Table 2-1 / Table 3-5 (wireless LAN): WLAN reel scanners",
    "THREAT-REMOVABLE-MEDIA@line-pc": "3.2.2 (1)(ii) / Table 2-1 (external equipment): USB sticks on the line PCs",
    "THREAT-BUILT-IN-COMPUTER@test-zone": "Table 3-5 (built-in computer): wrong pass/fail from the testers' computers",
    "THREAT-OUTSIDE-ORIGIN-CONTROL@mes-to-programming": (
        "Table 3-4 / Table 3-5 (input validation): the image the station flashes comes from outside, an attack path into"
        " customers' products"
    ),
    "THREAT-EXTERNAL-DATA@med-supplier-portal": "Table 3-5 (information on external systems) / Table 3-6 row 4",
    "DATA-UTILISATION@board-trace": "3.2.2 (1)(iii): scope of data utilisation: each customer must see only its boards",
    "REQ-transfer-integrity@plant-dmz->engineering-zone": "Table 3-4 (information transfer, integrity): firmware in from the portal",
    "REQ-transfer-integrity@engineering-zone->programming-zone": "Table 3-4 (integrity): the image flashed is the one received",
    "REQ-transfer-confidentiality@auto-customer-site->plant-dmz": "Table 3-4 (confidentiality): what may cross to the customers",
    "REQ-transfer-confidentiality@med-supplier-portal->office": "Table 3-4 (confidentiality): data packages in",
    "REQ-confidentiality@programming-zone#firmware-images": "Table 3-4 (protected object, confidentiality): secret firmware",
    # Step 3: lifecycle and supply chain
    "S3-PDCA-STRUCTURE@factory": "3.3 (1)(ii): no manuals, no training recorded",
    "S3-PDCA-NO-SITE@rv-2026-portal": "3.3 (1)(ii): the portal review had no production site member",
    "S3-UNEXPECTED-EVENTS@factory": "3.3 (1)(ii): no measures for unexpected events",
    "S3-OODA-MISSING@factory": "3.3 (1)(i), Tables 3-7 and 3-8: no roles for detecting and responding to attacks",
    "S3-MATURITY-MISSING@factory": "3.3 (1)(ii), Table 3-9: no maturity recorded",
    "S3-CHECKLIST-SOFTWARE@customer-portal": "3.3 (2), Table 3-12: new OSS-based portal software",
    "S3-SBOM@customer-portal": "3.2.2 (1)(ii) / 3.3 (2): OSS components of the portal",
    "S3-CHECKLIST-PRODUCT@testers": "3.3 (2), Table 3-11: Windows-based testers",
    "S3-RESPONSIBILITY@customer-portal": "3.3 / 2.1.3: who maintains and answers incidents on the portal the developer runs",
}

# What a practitioner would call noise here.
EMS_BLIND_NOISE: dict[str, str] = {
    "cloud checklist (Table 3-10) on the medical customer's portal": "a customer's portal, not a service we procure",
    "ZONE-MIXED-MANAGEMENT@test-zone": "the customer's laptops are visiting equipment, handled by THREAT-EXTERNAL-EQUIPMENT",
    "a split of smt-zone (line PCs and mounters)": "the line PCs and the mounters they drive are one system",
    "ZONE-SAFETY-WITH-CONTROL on any zone": "there is no safety system in the model",
    "a wireless threat on anything but reel-scanners": "nothing else is wireless",
    "control from outside on customers-to-portal": "look-ups and uploads are not control instructions",
    "control from outside on mes-to-smt or stores-to-mes": "their work orders come from the ERP, made here",
    "GOVERNANCE-NEW-EXTERNAL": "an IT team and a business owner (program management) exist",
}

# After the first run (written after EMS_BLIND was committed): each blind expectation mapped to the tool's finding or
# requirement id where the tool names the same thing under another id or subject. Expectations not listed here kept
# their id.
EMS_MAPPING: dict[str, str] = {
    "S1-BCP-REVIEW-STALE@bcp": "S1-BCP-REVIEW-STALE@kumamoto-ems#interval",
    "S1-BCP-VIEWPOINT@new-services": "S1-BCP-VIEWPOINT@kumamoto-ems#new-service-impact",
    "S1-BCP-VIEWPOINT@supply-chain": "S1-BCP-VIEWPOINT@kumamoto-ems#impact-on-partners",
    "S1-BCP-VIEWPOINT@decision-making": "S1-BCP-VIEWPOINT@kumamoto-ems#suspend-continue-criteria",
    "S1-PURPOSE-OPERATION@device-programming": "S1-PURPOSE-OPERATION@device-programming#none",
    "S1-REQUIREMENT-STALE@customer-ndas": "S1-REQUIREMENT-STALE@customer-ndas#never",
    "S1-REQUIREMENT-STALE@eu-cra-customers": "S1-REQUIREMENT-STALE@eu-cra-customers#never",
    "S1-REQUIREMENT-STALE@auto-customer-62443": "S1-REQUIREMENT-STALE@auto-customer-62443#interval",
    "S1-REQUIREMENT-CONSEQUENCE@auto-customer-62443": "S1-REQUIREMENT-CONSEQUENCE@auto-customer-62443#component-security-evidence",
    "S1-REQUIREMENT-CONSEQUENCE@eu-cra-customers": "S1-REQUIREMENT-CONSEQUENCE@eu-cra-customers#own-products",
    "S1-INCIDENT-IMPACT@customer-iot": "S1-INCIDENT-IMPACT@kumamoto-ems",  # one finding names both new parties
    "S1-INCIDENT-IMPACT@portal-dev": "S1-INCIDENT-IMPACT@kumamoto-ems",
    "S1-SUBCONTRACT-OPEN@broker": "S1-SUBCONTRACT-OPEN@broker#unidentified",
    # found after the trial by the new rule DATA-MIXED-RIGHTS-HOLDERS, on the server that holds every customer's data
    # (the customers' data packages and firmware are generated at their sites, so theirs), not on the zone
    "ZONE-MIXED-RIGHTS-HOLDERS@engineering-zone": "DATA-MIXED-RIGHTS-HOLDERS@eng-server",
    "THREAT-EXTERNAL-EQUIPMENT@visitor-laptops": "THREAT-EXTERNAL-EQUIPMENT@test-zone",
    "THREAT-OUTSIDE-CONTROL@mounter-remote-session": "THREAT-CONTROL-FROM-OUTSIDE@mounter-remote-session",
    "THREAT-DIFFERENT-REQUIREMENTS@med-supplier-portal": "THREAT-EXTERNAL-SYSTEM@med-supplier-portal",
    "THREAT-DIFFERENT-REQUIREMENTS@mounter-remote": "THREAT-EXTERNAL-SYSTEM@mounter-remote",
    "THREAT-FA-OA@office-to-eng": "THREAT-FA-OA-CONNECTION@office-to-eng",
    "THREAT-FA-DATA-IN-OA@firmware-images": "THREAT-FA-DATA-IN-OA@office-to-eng",
    "THREAT-FA-DATA-IN-OA@design-packages": "THREAT-FA-DATA-IN-OA@office-to-eng",
    "THREAT-WIRELESS@reel-scanners": "THREAT-WIRELESS@stores-zone",
    "THREAT-REMOVABLE-MEDIA@line-pc": "THREAT-REMOVABLE-MEDIA@smt-zone",
    "DATA-UTILISATION@board-trace": "DATA-UTILISATION@plant-dmz",
    "REQ-confidentiality@programming-zone#firmware-images": "REQ-confidentiality@programming-zone",
    "S3-PDCA-STRUCTURE@factory": "S3-PDCA-STRUCTURE@kumamoto-ems",
    "S3-PDCA-NO-SITE@rv-2026-portal": "S3-PDCA-NO-SITE@kumamoto-ems#rv-2026-portal",
    "S3-UNEXPECTED-EVENTS@factory": "S3-UNEXPECTED-EVENTS@kumamoto-ems",
    "S3-OODA-MISSING@factory": "S3-OODA-PROPOSED@kumamoto-ems#preventive-maintenance",
    "S3-MATURITY-MISSING@factory": "S3-MATURITY-UNASSESSED@kumamoto-ems#external-cooperation",
    "S3-CHECKLIST-SOFTWARE@customer-portal": "S3-CHECKLIST-OPEN@customer-portal#software",
    "S3-SBOM@customer-portal": "SUPPLY-SBOM-VULNERABILITY@kumamoto-ems",
    "S3-CHECKLIST-PRODUCT@testers": "S3-CHECKLIST-OPEN@testers#general-purpose-product",
}

# Expected, and still not found, with the reason.
EMS_KNOWN_MISSES: dict[str, str] = {
    "THREAT-OUTSIDE-ORIGIN-CONTROL@mes-to-programming": (
        "the firmware from outside reaches the programming stations on images-to-programming, which carries no control"
        " instructions; the MES's control conduit carries work orders made here, so the rule is right on the model; the"
        " integrity of the images is asked by REQ-transfer-integrity@engineering-zone->programming-zone and"
        " REQ-integrity@programming-zone"
    ),
    "THREAT-EXTERNAL-DATA@med-supplier-portal": (
        "the expectation was wrong for the model: nothing of the factory's is stored on the medical customer's portal"
    ),
    "S3-RESPONSIBILITY@customer-portal": (
        "the responsibility matrix covers external services and outside-run assets; the portal is the factory's own"
        " software its developer maintains under contract, which the matrix does not list"
    ),
}

# Found, and noise for a practitioner, left with the reason.
EMS_KNOWN_NOISE: dict[str, str] = {}

# Noise in the first run, gone with a fix: it must stay away.
EMS_FIXED_NOISE: dict[str, str] = {
    "THREAT-DIFFERENT-REQUIREMENTS@stores-zone": (
        "stores-to-mes is drawn from the store, but the MES issues the reel requests: the store sends no control"
    ),
    # Left as noise by the trial, fixed in session 29: the remote sessions only pass through the gateway.
    "THREAT-EXTERNAL-EQUIPMENT@plant-dmz": (
        "the VPN gateway is the factory's own device and its accounts are the factory's; the outsiders' consoles are"
        " told on smt-zone, where their sessions land"
    ),
    # Left as a wrong direction by the trial, fixed in session 29: the MES issues the reel requests.
    "REQ-external-control-instructions@stores-zone->production-control": (
        "the two-way link is drawn from the store, but the store receives the MES's instructions: it is the store that"
        " decides whether to accept them"
    ),
}


def test_ems_expected_findings_are_found() -> None:
    expected = {EMS_MAPPING.get(k, k) for k in EMS_BLIND if k not in EMS_KNOWN_MISSES}
    assert expected - found_ids(EMS) == set()


def test_ems_known_misses_and_noise_are_as_recorded() -> None:
    assert set(EMS_KNOWN_MISSES) <= set(EMS_BLIND)
    assert not {EMS_MAPPING.get(k, k) for k in EMS_KNOWN_MISSES} & found_ids(EMS)
    assert set(EMS_KNOWN_NOISE) <= found_ids(EMS)


def test_ems_noise_fixed_after_the_trial_stays_away() -> None:
    assert not set(EMS_FIXED_NOISE) & found_ids(EMS)


# --- machine-builder: a seventh strictly blind trial --------------------------------------------------------------
#
# A packaging-machine builder of some 600 people: its own works (CNC machining cells fed by a DNC server, a paint
# booth with a networked gas and fire safety controller, assembly halls, a test floor where every finished machine runs
# before shipping and customers' engineers attend acceptance tests, MES, ERP, a PLM holding customers' pack drawings,
# HMI software written by a software house with an offshore team) AND the remote service it sells: cellular or VPN
# gateways in shipped machines connect to its IoT platform on a third-party IaaS, its service engineers log in to
# customers' machines through it, it pushes PLC and HMI updates through it, and field engineers carry laptops and USB
# sticks to customers' plants. Its author read only the guideline appendix, docs/model.md and one example's model.
# MACHINE_BLIND was committed before factorysec first ran on the model: what a practitioner expects (finding id as best
# guessed, then the guideline place it rests on), and what a practitioner would call noise (MACHINE_NOISE_BLIND).
# Guessed ids are mapped to the tool's in MACHINE_MAPPING after the run; nothing in MACHINE_BLIND,
# MACHINE_BLIND_BETWEEN_ZONES or MACHINE_NOISE_BLIND is edited after that commit.

MACHINE = "machine-builder"

MACHINE_BLIND: dict[str, str] = {
    # Step 1-1 (1): purposes and BCP
    "S1-BCP-REVIEW-STALE@bcp": "3.1.1 (1): BCP reviewed 2024-10-01 (365-day interval), before the remote service review of 2026-05-20",
    "S1-BCP-VIEWPOINT@impact-on-partners": (
        "3.1.1 (1): the effect on customers' lines if we are attacked or our remote service stops (the builder's first duty)"
    ),
    "S1-BCP-VIEWPOINT@partner-incident-impact": "3.1.1 (1): the effect on us of an attack on the IaaS, the software house or the gateway maker",
    "S1-BCP-VIEWPOINT@undetermined-cause-impact": (
        "3.1.1 (1): a machine failing at a customer after an update: our bug, a gateway fault or an attack?"
    ),
    "S1-BCP-VIEWPOINT@new-service-impact": "3.1.1 (1): what the new IoT platform and gateways do to the existing systems",
    "S1-BCP-VIEWPOINT@new-service-attack-suspension": "3.1.1 (1): the IoT platform or the remote access broker stopped by an attack",
    "S1-BCP-VIEWPOINT@new-service-failure": "3.1.1 (1): an IaaS region failing",
    "S1-PURPOSE-OPERATION@spindle-monitoring": "3.1.2: the CNC maker's new monitoring names no purpose of smartification",
    # Step 1-1 (2): requirements
    "S1-REQUIREMENT-STALE@eu-cra": "3.1.1 (2): review regularly; the CRA requirement was never reviewed",
    "S1-REQUIREMENT-STALE@service-contracts": "3.1.1 (2): the remote service contracts' data terms never reviewed",
    "S1-REQUIREMENT-STALE@it-policy": "3.1.1 (2): the internal policy last reviewed 2023-04-01",
    "S1-REQUIREMENT-TOUCHED@pharma-62443": "3.1.1 (2): the new IoT platform and gateways fall in its scope since its review",
    "S1-REQUIREMENT-TOUCHED@pharma-remote-access": "3.1.1 (2): the new remote access broker falls in its scope since its review",
    "S1-REQUIREMENT-TOUCHED@eu-machinery-regulation": "3.1.1 (2): the test floor's new gateways fall in its scope since its review",
    "S1-REQUIREMENT-CONSEQUENCE@eu-cra": (
        "3.1.1 (2), 3.3 (2): the CRA's demands on the machines we sell (vulnerability handling, updates, SBOM) (advisory)"
    ),
    "S1-REQUIREMENT-CONSEQUENCE@pharma-62443": "3.1.1 (2), 3.3 (2): IEC 62443's demands on suppliers and products (advisory)",
    # Step 1-1 (3): stakeholders and incident impact
    "S1-INCIDENT-IMPACT@cnc-maker": "3.1.1 (3): the new CNC maker service without its incident-impact perspectives",
    "S1-INCIDENT-IMPACT@customer-eu": "3.1.1 (3): the new European customer (our incident stops its line) without them",
    "S1-INCIDENT-IMPACT@hmi-house": "3.1.1 (3): the software house doing an outsourced operation without them",
    "S1-INCIDENT-IMPACT@gateway-maker": "3.1.1 (3): supplier of the new gateways: a vulnerability in a procured product",
    "S1-SUBCONTRACT-OPEN@hmi-offshore": "3.1.1 (3): an overseas subcontractor working remotely on code that reaches customers",
    # Step 1-6: zoning
    "ZONE-SAFETY-WITH-CONTROL@paint-zone": "3.1.6 procedure 3, 3.1.5: the networked booth safety controller shares the booth PLC's zone",
    "ZONE-MIXED-CONTROL@office": (
        "Annex A case (i): the service laptops send control instructions (remote sessions, field work) from the OA zone"
    ),
    "ZONE-MIXED-MANAGEMENT@machining-zone": "Annex A case (ii): the CNC maker's LTE router, run by the maker, sits in the cells",
    # Step 1-7: threats
    "ZONE-EXTERNAL-NO-BOUNDARY@test-floor": "Table 2-1, 3.2.2 (1)(i): the gateways' cellular link leaves the test floor past the firewall",
    "ZONE-EXTERNAL-NO-BOUNDARY@machining-zone": "Table 2-1, 3.2.2 (1)(i): the CNC maker's LTE router bypasses the firewall",
    "THREAT-EXTERNAL-NETWORK@test-gw-to-cloud": "Table 3-5 (remote access): connection via an external (mobile) network",
    "THREAT-EXTERNAL-NETWORK@cnc-monitoring": "Table 3-5 (remote access): connection via an external (mobile) network",
    "THREAT-CONTROL-FROM-OUTSIDE@test-gw-to-cloud": "Table 3-4: test updates pushed into the test floor from the cloud",
    "THREAT-CONTROL-FROM-OUTSIDE@cnc-monitoring": "Table 3-4: the CNC maker's remote sessions into the machining cells",
    "THREAT-CONTROL-FROM-OUTSIDE@cloud-to-food": (
        "Table 3-4, 3.2.2 (1)(i): our remote sessions and updates are control from outside the customer's control network"
    ),
    "THREAT-OUTSIDE-ORIGIN-CONTROL@dnc-to-cnc": "Table 3-4, Table 3-6 row 6: NC programs made from customers' drawings drive the CNCs",
    "THREAT-OUTSIDE-ORIGIN-CONTROL@test-bench-to-machines": (
        "Table 3-4, Table 3-6 row 6: PLC/HMI programs holding the software house's code downloaded into machines under test"
    ),
    "THREAT-WIRELESS@assembly-zone": "Table 2-1 / 3-5: work instruction tablets on wireless LAN",
    "THREAT-WIRELESS@test-floor": "Table 2-1 / 3-5: cellular gateways on the test floor",
    "THREAT-BUILT-IN-COMPUTER@machining-zone": "Table 2-1 / 3-5: CNCs with Windows front ends",
    "THREAT-EXTERNAL-EQUIPMENT@fat-laptops": "Table 2-1 / 3-5: customers' laptops plugged into machines during acceptance tests",
    "THREAT-REMOVABLE-MEDIA@cnc-centres": "3.2.2 (1)(ii), Table 3-6: NC programs on USB sticks when the DNC link is down",
    "THREAT-REMOVABLE-MEDIA@service-laptops": "3.2.2 (1)(ii), Table 2-1: laptops and sticks carried between customers and our office",
    "THREAT-FA-OA@erp-to-mes": "Table 3-5: FA and OA connected; input validation of work orders",
    "THREAT-FA-DATA-IN-OA@telemetry-to-erp": "Table 3-5: customers' machine data held in the ERP under office user management",
    "THREAT-DIFFERENT-REQUIREMENTS@hmi-commits": "Table 3-5: the software house's network, another security policy, reaches our build server",
    "THREAT-EXTERNAL-SYSTEM@iaas-infra": "Table 3-5: an attack on the IaaS stops the remote service",
    "THREAT-EXTERNAL-DATA@machine-telemetry": "Table 3-5, Table 3-6 row 4: customers' production data leaking from the cloud",
    "THREAT-EXTERNAL-DATA@gateway-credentials": "Table 3-5, Table 3-6 row 4: the keys to every customer's machine held in the cloud",
    "THREAT-COORDINATION@iaas": "Table 2-1 / 3-5: unclear responsibility with the IaaS provider (online terms only)",
    "THREAT-STEPPING-STONE@iot-cloud": "3.1.7 threat types: our remote service used as a stepping stone into customers' plants",
    "THREAT-INTER-COMPANY@cloud-to-food": "3.1.2: interconnection between companies (our cloud and customers' machines)",
    "DATA-UTILISATION@machine-telemetry": "3.2.2 (1)(iii): scope of acquisition and use of customers' data collected in the cloud",
    # Step 2-2: measures
    "MEASURE-MISSING@cnc-monitoring#net-vendor-remote-session-management": (
        "3.2.2 (1)(i), Annex A case (ii): nothing manages the CNC maker's remote sessions"
    ),
    "MEASURE-MISSING@assembly-ap#net-wireless-security": "3.2.2 (1)(i), Table 2-1: wireless LAN without a recorded measure",
    "MEASURE-PARTIAL@m-usb": "3.2.2 (1)(ii): removable media controlled on office PCs only, not on service laptops",
    "MEASURE-MISSING@iot-platform#sw-oss-component-management": "3.2.2 (1)(ii), 3.3 (2): OSS in the in-house platform without SBOM",
    "MEASURE-MISSING@iaas-infra#cloud-service-resumption": "3.2.2 (1)(i) cloud services: resuming after an IaaS outage",
    # Step 3: supply chain and organisation
    "S3-CHECKLIST-OPEN@iaas-infra#cloud-service": "3.3 (2) Table 3-10: data on termination unknown, no backup plan",
    "S3-CHECKLIST-OPEN@iot-platform#software": "3.3 (2) Table 3-12: in-house software on OSS (development stage)",
    "S3-CHECKLIST-OPEN@remote-broker#software": "3.3 (2) Table 3-12: in-house software on OSS",
    "S3-CHECKLIST-OPEN@hmi-software#software": "3.3 (2) Table 3-12: contracted software (component disclosure, licences)",
    "S3-CHECKLIST-OPEN@food-gateways#general-purpose-product": "3.3 (2) Table 3-11: bought-in gateways we build into machines",
    "S3-CHECKLIST-OPEN@cnc-5axis#general-purpose-product": "3.3 (2) Table 3-11: CNCs with a general-purpose front end",
    "S3-OODA-INCOMPLETE@preventive-maintenance": (
        "3.3 (1)(i) Table 3-7: no one analyses, decides or acts on the PLC and gateway makers' advisories for shipped machines"
    ),
    "S3-OODA-INCOMPLETE@damage-occurrence": "3.3 (1)(i) Table 3-8: no orient and act roles",
    "S3-MATURITY@external-cooperation": "3.3 (1)(ii) Table 3-9: cooperation with customers and the IaaS not assessed",
    "S3-MATURITY@between-departments": "3.3 (1)(ii) Table 3-9: none between departments",
    "S3-PDCA-STRUCTURE@hamamatsu-packaging": "3.3 (1)(ii): no incident response manual; training of 2025-02-14 over a year old",
    "S3-PDCA-NO-SITE@rv-2026-remote": "3.3 (1)(ii): the remote-service review had no one from manufacturing or the works manager",
    "S3-RESPONSIBILITY-MISSING@machine-telemetry#data-handling-at-end": (
        "3.3 (2) Table 3-10 (data on termination), 3.1.7 Table 3-5: whose duty deleting customers' data at contract end is"
    ),
    "S3-RESPONSIBILITY-MISSING@pharma-gateways#maintenance": "3.3, 2.1.3: who maintains our gateway on the customer's network",
    "S3-RESPONSIBILITY-MISSING@eu-gateways#maintenance": "3.3, 2.1.3: who maintains our gateway in the European customer's machines",
    "S3-RESPONSIBILITY-MISSING@food-gateways#vulnerability-handling": "3.3 (2), Table 3-11: the gateways' vulnerabilities",
    "S3-RESPONSIBILITY-MISSING@remote-broker#incident-response": "2.1.3, Table 3-5: incident response for the broker",
}

# Requirements between zones a practitioner expects (Table 3-4 information transfer) on the flows leaving or entering
# the works and the remote service's flows.
MACHINE_BLIND_BETWEEN_ZONES: tuple[str, ...] = (
    "design-zone->iot-cloud",
    "office->iot-cloud",
    "iot-cloud->office",
    "iot-cloud->food-plant",
    "food-plant->iot-cloud",
    "iot-cloud->pharma-plant",
    "iot-cloud->eu-plant",
    "hmi-house-site->design-zone",
    "design-zone->hmi-house-site",
    "test-floor->iot-cloud",
    "iot-cloud->test-floor",
    "machining-zone->cnc-maker-cloud",
    "plant-dmz->design-zone",
)

MACHINE_NOISE_BLIND: dict[str, str] = {
    "ZONE-MIXED-MANAGEMENT@test-floor": "the customers' laptops at acceptance tests are brought-in equipment, not another manager's",
    "ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE@assembly-zone": "the rating-plate printer is production equipment fed by the MES",
    "ZONE-MIXED-CONTROL@paint-zone": "the booth PLC and its safety controller are one system (the safety split is its own finding)",
    "ZONE-MIXED-CONTROL@test-floor": "the test bench PCs and the machines under test are one system",
    "ZONE-SAFETY-WITH-CONTROL@test-floor": "no safety system is modelled on the test floor",
    "S1-GOVERNANCE-NEW-EXTERNAL@hamamatsu-packaging": "an IT department and a business owner (customer service) are named",
    "S1-SUBCONTRACT-OPEN@hmi-house": "the software house is domestic, identified and under contract",
    "S1-BCP-MISSING@hamamatsu-packaging": "the works has a BCP",
    "S1-PURPOSE-NONE@hamamatsu-packaging": "three purposes are recorded",
    "S3-CHECKLIST-OPEN@food-machines#general-purpose-product": "we build the customers' machines; we do not procure them",
    "S3-CHECKLIST-OPEN@pharma-machines#general-purpose-product": "as above",
    "S3-CHECKLIST-OPEN@fat-laptops#general-purpose-product": "the pharmaceutical customer's own laptops, not procured by us",
    "S3-CHECKLIST-OPEN@hmi-dev-pcs#general-purpose-product": "the software house's PCs, not procured by us",
    "THREAT-CONTROL-FROM-OUTSIDE@erp-to-mes": "work orders are no control instructions",
    "THREAT-OUTSIDE-ORIGIN-CONTROL@mes-to-assembly": "work instructions to people carry no control instructions",
}


# After the first run (written after MACHINE_BLIND was committed): each blind expectation mapped to the tool's finding
# id where the tool names the same thing under another id or subject. Expectations not listed here kept their id.
# First run: 64 of the 71 expected found; 16 of the 180 findings noise. After the fixes of test_rules_blind_trial7
# (the NC programs made from customers' drawings are outside instructions by their lineage; the customers' laptops at
# acceptance tests no longer split the test floor; equipment a party runs on its own site, the software house's PCs
# and the customers' machines, gets no Table 3-11 checklist): 65 of 71; 11 of 176 (MACHINE_KNOWN_NOISE). After the
# builder's own software on the IaaS was left to the IaaS's Table 3-10, the links' issuing end stated
# (instructions_from) and the other fixes merged the same session (MACHINE_MISSES_FIXED, MACHINE_NOISE_FIXED): 67 of
# 71; 5 of 178.
MACHINE_MAPPING: dict[str, str] = {
    "S1-BCP-REVIEW-STALE@bcp": "S1-BCP-REVIEW-STALE@hamamatsu-packaging#change",
    "S1-BCP-VIEWPOINT@impact-on-partners": "S1-BCP-VIEWPOINT@hamamatsu-packaging#impact-on-partners",
    "S1-BCP-VIEWPOINT@partner-incident-impact": "S1-BCP-VIEWPOINT@hamamatsu-packaging#partner-incident-impact",
    "S1-BCP-VIEWPOINT@undetermined-cause-impact": "S1-BCP-VIEWPOINT@hamamatsu-packaging#undetermined-cause-impact",
    "S1-BCP-VIEWPOINT@new-service-impact": "S1-BCP-VIEWPOINT@hamamatsu-packaging#new-service-impact",
    "S1-BCP-VIEWPOINT@new-service-attack-suspension": "S1-BCP-VIEWPOINT@hamamatsu-packaging#new-service-attack-suspension",
    "S1-BCP-VIEWPOINT@new-service-failure": "S1-BCP-VIEWPOINT@hamamatsu-packaging#new-service-failure",
    "S1-PURPOSE-OPERATION@spindle-monitoring": "S1-PURPOSE-OPERATION@spindle-monitoring#none",
    "S1-REQUIREMENT-STALE@eu-cra": "S1-REQUIREMENT-STALE@eu-cra#never",
    "S1-REQUIREMENT-STALE@service-contracts": "S1-REQUIREMENT-STALE@service-contracts#never",
    "S1-REQUIREMENT-STALE@it-policy": "S1-REQUIREMENT-STALE@it-policy#interval",
    "S1-REQUIREMENT-CONSEQUENCE@eu-cra": "S1-REQUIREMENT-CONSEQUENCE@eu-cra#own-products",
    "S1-REQUIREMENT-CONSEQUENCE@pharma-62443": "S1-REQUIREMENT-CONSEQUENCE@pharma-62443#component-security-evidence",
    # one finding for the works names every party without its perspectives
    "S1-INCIDENT-IMPACT@cnc-maker": "S1-INCIDENT-IMPACT@hamamatsu-packaging",
    "S1-INCIDENT-IMPACT@customer-eu": "S1-INCIDENT-IMPACT@hamamatsu-packaging",
    "S1-INCIDENT-IMPACT@gateway-maker": "S1-INCIDENT-IMPACT@hamamatsu-packaging",
    "S1-SUBCONTRACT-OPEN@hmi-offshore": "S1-SUBCONTRACT-OPEN@hmi-offshore#overseas-remote",
    "THREAT-EXTERNAL-EQUIPMENT@fat-laptops": "THREAT-EXTERNAL-EQUIPMENT@test-floor",
    "THREAT-REMOVABLE-MEDIA@cnc-centres": "THREAT-REMOVABLE-MEDIA@machining-zone",
    "THREAT-REMOVABLE-MEDIA@service-laptops": "THREAT-REMOVABLE-MEDIA@office",
    "THREAT-FA-OA@erp-to-mes": "THREAT-FA-OA-CONNECTION@erp-to-mes",
    # Table 3-5's "different security policy" row is THREAT-EXTERNAL-SYSTEM per zone run by another company
    "THREAT-DIFFERENT-REQUIREMENTS@hmi-commits": "THREAT-EXTERNAL-SYSTEM@hmi-house-site",
    "THREAT-EXTERNAL-SYSTEM@iaas-infra": "THREAT-EXTERNAL-SYSTEM@iot-cloud",
    "THREAT-EXTERNAL-DATA@machine-telemetry": "THREAT-EXTERNAL-DATA@cloud-to-food",
    "THREAT-COORDINATION@iaas": "THREAT-INCIDENT-COORDINATION@iaas",
    # the stepping-stone threat type is carried by the inter-company findings on the remote service's links
    "THREAT-STEPPING-STONE@iot-cloud": "THREAT-INTER-COMPANY@cloud-to-pharma",
    "DATA-UTILISATION@machine-telemetry": "DATA-UTILISATION@iot-cloud",
    # Step 2-2 measures are gaps of the findings they answer (assessment.gaps), not findings of their own
    "MEASURE-MISSING@cnc-monitoring#net-vendor-remote-session-management": "THREAT-EXTERNAL-EQUIPMENT@machining-zone",
    "MEASURE-MISSING@assembly-ap#net-wireless-security": "THREAT-WIRELESS@assembly-zone",
    "MEASURE-PARTIAL@m-usb": "THREAT-REMOVABLE-MEDIA@office",
    "MEASURE-MISSING@iot-platform#sw-oss-component-management": "SUPPLY-SBOM-VULNERABILITY@hamamatsu-packaging",
    "MEASURE-MISSING@iaas-infra#cloud-service-resumption": "THREAT-EXTERNAL-SYSTEM@iot-cloud",
    "S3-OODA-INCOMPLETE@preventive-maintenance": "S3-OODA-PROPOSED@hamamatsu-packaging#preventive-maintenance",
    "S3-OODA-INCOMPLETE@damage-occurrence": "S3-OODA-PROPOSED@hamamatsu-packaging#damage-occurrence",
    "S3-MATURITY@external-cooperation": "S3-MATURITY-UNASSESSED@hamamatsu-packaging#external-cooperation",
    "S3-PDCA-NO-SITE@rv-2026-remote": "S3-PDCA-NO-SITE@hamamatsu-packaging#rv-2026-remote",
    # the platform holds the data store: nobody is named for its data at the end of use
    "S3-RESPONSIBILITY-MISSING@machine-telemetry#data-handling-at-end": "S3-RESP-GAP@iot-platform",
    # our gateways in customer-run zones: "settle the boundary and the division of responsibility" (Annex A case (ii))
    "S3-RESPONSIBILITY-MISSING@pharma-gateways#maintenance": "ZONE-MIXED-MANAGEMENT@pharma-plant",
    "S3-RESPONSIBILITY-MISSING@eu-gateways#maintenance": "ZONE-MIXED-MANAGEMENT@eu-plant",
    "S3-RESPONSIBILITY-MISSING@food-gateways#vulnerability-handling": "ZONE-MIXED-MANAGEMENT@food-plant",
    "S3-RESPONSIBILITY-MISSING@remote-broker#incident-response": "S3-RESP-GAP@remote-broker",
}

# Expected, and still not found, with the reason.
MACHINE_KNOWN_MISSES: dict[str, str] = {
    "S1-INCIDENT-IMPACT@hmi-house": (
        "the perspectives are asked of a party that is new, takes on a new outsourced operation or supplies a new "
        "product; the software house's HMI code now ships in the new update packages (derived_from), but the rule does "
        "not follow the lineage, and the existing outsourced development is not new"
    ),
    "THREAT-FA-DATA-IN-OA@telemetry-to-erp": (
        "THREAT-FA-DATA-IN-OA pairs the factory's control-side zones with its office zones; the customers' machine data "
        "reach the ERP from an external zone (the IoT cloud), so they are not read as FA data held in the OA system"
    ),
    "S3-CHECKLIST-OPEN@hmi-software#software": (
        "the HMI software the software house writes is modelled as a data asset (builds), and the Table 3-12 checklist "
        "goes to software assets; the software house's contracted development gets no software checklist"
    ),
    "S3-MATURITY@between-departments": (
        "a level of 'none' recorded for an area counts as assessed: S3-MATURITY-UNASSESSED asks only about areas "
        "without a level, and nothing asks to raise an area rated none"
    ),
}

# Found, and noise for a practitioner, left with the reason.
MACHINE_KNOWN_NOISE: dict[str, str] = {
    "ZONE-OFFICE-EQUIPMENT-ON-CONTROL-SIDE@assembly-zone": (
        "the rating-plate printer (component printer) prints what the MES sends for each machine: production "
        "equipment, not office equipment; the model has no component for a production label printer"
    ),
    "THREAT-EXTERNAL-EQUIPMENT@design-zone": (
        "the remote access broker is the builder's own, and carries sessions to customers' machines only; the design "
        "zone only pushes release packages to the cloud"
    ),
    "ZONE-EXTERNAL-NO-BOUNDARY@office": (
        "field-laptop-food/-pharma are laptops carried to the customers' plants, not network links; the model has no "
        "way to say a flow is carried by hand, so the rule asks for a firewall on it"
    ),
    "THREAT-EXTERNAL-SYSTEM@test-floor": (
        "no operation of the test floor relies on the customers' laptops at acceptance tests; "
        "THREAT-EXTERNAL-EQUIPMENT@test-floor is the right finding for them"
    ),
    "DATA-UTILISATION@plant-dmz": (
        "the file exchange server is a drop box for customers' drawings: nothing is collected, processed or fed back"
    ),
}


# Misses of the trial found since, each with the change that found it (all merged the same session).
MACHINE_MISSES_FIXED: dict[str, str] = {
    # The cement-plant trial's change: control flows inside a zone are judged by their data's stated lineage.
    "THREAT-OUTSIDE-ORIGIN-CONTROL@test-bench-to-machines": (
        "the download of programs holding the software house's code into machines under test is a flow inside the test"
        " floor; found since control flows inside a zone are judged by their data's lineage"
    ),
    # THREAT-EXTERNAL-DATA also reads the factory's data assets the model places in an external zone (their zone or a
    # lifecycle storage event), not only the data on conduits to it.
    "THREAT-EXTERNAL-DATA@gateway-credentials": (
        "the credentials to every customer's machine are stored in the cloud and no conduit carries them; found since "
        "THREAT-EXTERNAL-DATA tells the factory's data kept in an external zone from the data asset"
    ),
}
# Noise of the trial gone since, each with the change that removed it.
MACHINE_NOISE_FIXED: dict[str, str] = {
    # The cement-plant trial's change: an external zone is the outside party's to zone.
    "ZONE-MIXED-CONTROL@iot-cloud": (
        "the IoT platform and the broker run on the IaaS machines: they cannot be divided from the infrastructure under "
        "them (the division of responsibility, ZONE-MIXED-MANAGEMENT@iot-cloud, is the real point)"
    ),
    # Settled by the conduit field instructions_from (the model states which end issues a two-way link's control
    # instructions): the router's and the test gateways' links say 'instructions_from: to'.
    "ZONE-MIXED-CONTROL@machining-zone": (
        "the CNC maker's LTE router is counted as issuing control instructions to the maker's cloud: the two-way "
        "control conduit is drawn from the router (which dials out), and the model cannot say which end issues them"
    ),
    "THREAT-OUTSIDE-ORIGIN-CONTROL@test-gw-to-cloud": (
        "reads the test floor as building control instructions for the cloud (conduit drawn from the gateway); the "
        "instructions come the other way and THREAT-CONTROL-FROM-OUTSIDE@test-gw-to-cloud says so"
    ),
    "THREAT-OUTSIDE-ORIGIN-CONTROL@cnc-monitoring": (
        "the same for the CNC maker's router: THREAT-CONTROL-FROM-OUTSIDE@cnc-monitoring is the right finding"
    ),
    "REQ-external-control-instructions@machining-zone->cnc-maker-cloud": (
        "the maker's cloud was asked whether it accepts instructions from the machining cells; it is the cells that"
        " receive the maker's sessions (REQ-external-control-instructions@cnc-maker-cloud->machining-zone)"
    ),
    "REQ-external-control-instructions@test-floor->iot-cloud": (
        "the same for the test gateways: the test floor accepts the cloud's test updates"
        " (REQ-external-control-instructions@iot-cloud->test-floor)"
    ),
    # The IoT platform and the broker name no party running or supplying them and sit in the zone where the IaaS
    # provider's service (iaas-infra, Table 3-10) runs, so Table 3-10 is left to that service; both keep Table 3-12.
    "S3-CHECKLIST-OPEN@iot-platform#cloud-service": (
        "the platform is the builder's own software on the IaaS: Table 3-10 is asked of the provider's service "
        "(iaas-infra), not again of what the builder runs on it"
    ),
    "S3-CHECKLIST-OPEN@remote-broker#cloud-service": "as above",
}

# Requirements between zones of MACHINE_BLIND_BETWEEN_ZONES no longer set, with the reason.
MACHINE_BETWEEN_ZONES_NOT_SET: dict[str, str] = {
    "REQ-transfer-integrity@machining-zone->cnc-maker-cloud": (
        "asked only because the control instructions were read as going from the cells to the maker's cloud; the"
        " spindle readings sent there are neither control instructions nor sensitive, and the maker's cloud is not of"
        " high importance (Table 3-4 transfer integrity is asked the other way, with the sessions)"
    ),
}


def test_machine_builder_misses_and_noise_fixed_after_the_trial_stay_so() -> None:
    found = found_ids(MACHINE)
    assert set(MACHINE_MISSES_FIXED) <= found
    assert set(MACHINE_MISSES_FIXED) <= set(MACHINE_BLIND)
    assert not set(MACHINE_MISSES_FIXED) & set(MACHINE_KNOWN_MISSES)
    assert not set(MACHINE_NOISE_FIXED) & found
    # the checklists the builder's own software on the IaaS still answers, and the provider's service's
    assert {"S3-CHECKLIST-OPEN@iot-platform#software", "S3-CHECKLIST-OPEN@remote-broker#software"} <= found
    assert "S3-CHECKLIST-OPEN@iaas-infra#cloud-service" in found


def test_machine_builder_expected_findings_are_found() -> None:
    found = found_ids(MACHINE)
    expected = {MACHINE_MAPPING.get(e, e) for e in MACHINE_BLIND if e not in MACHINE_KNOWN_MISSES}
    assert expected <= found, f"missing: {sorted(expected - found)}"


def test_machine_builder_known_misses_and_noise_are_as_recorded() -> None:
    # When a fix lands, the entry moves out of these lists (and the figures above change).
    found = found_ids(MACHINE)
    assert set(MACHINE_KNOWN_MISSES) <= set(MACHINE_BLIND)
    assert not {MACHINE_MAPPING.get(e, e) for e in MACHINE_KNOWN_MISSES} & found
    assert set(MACHINE_KNOWN_NOISE) <= found


def test_machine_builder_blind_noise_is_not_found_unless_recorded() -> None:
    found = found_ids(MACHINE)
    assert not (set(MACHINE_NOISE_BLIND) - set(MACHINE_KNOWN_NOISE)) & found


def test_machine_builder_expected_requirements_between_zones_are_set() -> None:
    found = {r.id for r in assess(MACHINE).requirements}
    for pair in MACHINE_BLIND_BETWEEN_ZONES:
        for kind in ("confidentiality", "integrity", "availability"):
            requirement = f"REQ-transfer-{kind}@{pair}"
            assert (requirement in found) != (requirement in MACHINE_BETWEEN_ZONES_NOT_SET), requirement


def test_machine_builder_incident_impact_names_the_new_parties() -> None:
    finding = next(f for f in assess(MACHINE).findings if f.id == "S1-INCIDENT-IMPACT@hamamatsu-packaging")
    for party in ("cnc-maker", "customer-eu", "gateway-maker"):
        assert party in str(finding.rationale.en) or party in finding.related
