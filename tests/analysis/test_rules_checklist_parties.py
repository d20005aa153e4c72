"""Whose service or product a Step 3 checklist (Appendix 3.3 (2), Tables 3-10 to 3-12) is asked about, from two strictly
blind trials' noise: a regulator's system the works must report to (cement-plant, the prefecture's telemeter centre)
is no cloud service it procures, and the factory's own software on a rented IaaS (machine-builder, the IoT platform and
the broker) is no cloud service either: Table 3-10 goes to the IaaS the factory rents.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from factorysec.analysis import analyze
from factorysec.analysis.lifecycle.checklists import PartyFit, checklist_kinds, rented_cloud_zone_ids
from factorysec.catalog import Catalog
from factorysec.model import load_model
from factorysec.model.entities import Asset, Party
from tests.analysis.test_rules import RULE_FIXTURES, header

FIXTURES = RULE_FIXTURES / "S3-CHECKLIST-OPEN"
AUTHORITY = FIXTURES / "authority.yaml"
RENTED_CLOUD = FIXTURES / "own-software-on-rented-cloud.yaml"


def _found(path: Path, catalog: Catalog) -> set[str]:
    assessment = analyze(load_model(path), catalog)
    return {f.id for f in (*assessment.findings, *assessment.lifecycle.findings)}


def _checklists(path: Path, catalog: Catalog) -> set[str]:
    return {f for f in _found(path, catalog) if f.startswith("S3-CHECKLIST-OPEN@")}


def test_the_authority_kind_is_in_the_catalog_and_procured_from_nothing(catalog: Catalog) -> None:
    kind = catalog.party_kinds["authority"]
    assert kind.title.en and kind.title.ja and "3.1.1 (2)" in kind.ref
    assert kind.procured_from is False
    assert kind.checklists == ()
    # the factory still learns how the authority's system behaves in an incident and agrees how a lent terminal is
    # handled; it asks no software assurance of a regulator
    assert set(kind.measure_categories) == {"cloud", "hardware"}
    assert all(entry.procured_from for name, entry in catalog.party_kinds.items() if name != "authority")


def test_nothing_an_authority_runs_or_lends_gets_a_checklist(catalog: Catalog) -> None:
    # Table 3-10 asks when choosing, contracting and using a cloud service; Tables 3-11 and 3-12 when procuring a product
    # or software. The prefecture's telemeter centre, its reporting application and the PC it lends are none of these;
    # a like service run by a party of kind 'other' and the factory's own workstation still are.
    assert sorted(_checklists(AUTHORITY, catalog)) == sorted(header(AUTHORITY, "expect"))
    assert not {f for f in _checklists(AUTHORITY, catalog) if "@telemeter-centre" in f or "@lent-pc" in f}


def test_the_threats_of_the_link_to_an_authority_stay(catalog: Catalog) -> None:
    found = _found(AUTHORITY, catalog)
    assert {
        "THREAT-EXTERNAL-NETWORK@office-to-telemeter",
        "THREAT-EXTERNAL-SYSTEM@telemeter",
        "THREAT-INCIDENT-COORDINATION@prefecture",
    } <= found


def test_the_general_purpose_product_an_authority_lends_is_no_procurement(catalog: Catalog) -> None:
    fit = PartyFit.of([Party(id="pref", name="Prefecture", kind="authority")], catalog.party_kinds)
    lent = Asset(id="pc", name="PC", type="equipment", traits=["general-purpose"], supplier="pref")
    run = Asset(id="svc", name="Telemeter", type="external-service", managed_by="pref")
    assert checklist_kinds(lent, fit) == []
    assert checklist_kinds(run, fit) == []
    # kind 'other' is asked everything, as before
    other = PartyFit.of([Party(id="pref", name="Prefecture", kind="other")], catalog.party_kinds)
    assert [k for k, _ in checklist_kinds(lent, other)] == ["general-purpose-product"]
    assert [k for k, _ in checklist_kinds(run, other)] == ["cloud-service"]


def test_the_factorys_own_software_on_a_rented_cloud_leaves_table_3_10_to_the_provider(catalog: Catalog) -> None:
    found = _checklists(RENTED_CLOUD, catalog)
    assert sorted(found) == sorted(header(RENTED_CLOUD, "expect"))
    assert "S3-CHECKLIST-OPEN@platform#cloud-service" not in found


def test_a_rented_cloud_zone_needs_a_provider_asked_table_3_10(catalog: Catalog) -> None:
    fit = PartyFit.of(
        [Party(id="iaas", name="IaaS", kind="cloud-provider"), Party(id="client", name="Client", kind="customer")],
        catalog.party_kinds,
    )
    infra = Asset(id="infra", name="IaaS", type="external-service", zone="cloud", managed_by="iaas", traits=["cloud"])
    portal = Asset(id="portal", name="Portal", type="external-service", zone="portal", managed_by="client")
    nameless = Asset(id="svc", name="Service", type="external-service", zone="saas")
    assert rented_cloud_zone_ids([infra, portal, nameless], fit) == {"cloud"}
    own = Asset(id="app", name="App", type="software", zone="cloud", traits=["cloud", "oss"])
    assert [k for k, _ in checklist_kinds(own, fit, rented_cloud_zones={"cloud"})] == ["software"]
    # a service of type external-service, or software someone else runs or supplies, keeps Table 3-10
    for asset in (
        own.model_copy(update={"managed_by": "iaas"}),
        own.model_copy(update={"supplier": "iaas"}),
        Asset(id="svc2", name="Service", type="external-service", zone="cloud"),
    ):
        assert "cloud-service" in [k for k, _ in checklist_kinds(asset, fit, rented_cloud_zones={"cloud"})], asset.id


def test_check_refuses_a_cloud_answer_for_the_factorys_own_software_on_a_rented_cloud(tmp_path: Path) -> None:
    # check and analyze decide with the same function: an answer for Table 3-10 about the platform would be recorded
    # and never shown, so check refuses it (exit 2) at the answer's item; the same for the prefecture's centre.
    for base, subject, item in (
        (RENTED_CLOUD, "platform", "cloud.contract.service-levels"),
        (AUTHORITY, "telemeter-centre", "cloud.contract.service-levels"),
    ):
        change = tmp_path / f"{subject}.yaml"
        change.write_text(
            f"change: {{base: {base}}}\nadd:\n  checklist_answers: [{{subject: {subject}, item: {item}, answer: 'no'}}]\n",
            encoding="utf-8",
        )
        result = subprocess.run(
            [sys.executable, "-m", "factorysec", "check", str(change)], capture_output=True, text=True, check=False
        )
        assert result.returncode == 2, result.stdout + result.stderr
        assert "checklist_answers[0].item" in result.stderr
        assert subject in result.stderr
