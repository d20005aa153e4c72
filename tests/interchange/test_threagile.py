"""Threagile export and import: schema-valid exports, tags read back, the upstream example, located errors."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.interchange.mapping import ImportMapping
from factorysec.interchange.source import read_document
from factorysec.interchange.threagile import export_threagile, import_threagile
from factorysec.model import FactoryModel, ModelInputError, load_model
from tests.conftest import ANNEX_A_MODELS
from tests.interchange.conftest import THREAGILE_EXAMPLE, schema_errors
from tests.vulnerability.conftest import PLANT


def _export(model: FactoryModel, catalog: Catalog) -> dict[str, Any]:
    document, _ = export_threagile(model, analyze(model, catalog), catalog)
    return document


@pytest.mark.parametrize("path", ANNEX_A_MODELS, ids=lambda p: p.name)
def test_every_example_exports_schema_valid_and_keeps_its_core(
    path: Any, catalog: Catalog, threagile_validator: Any
) -> None:
    model = load_model(path)
    document = _export(model, catalog)
    assert schema_errors(threagile_validator, document) == []
    used = {
        t
        for section in ("technical_assets", "data_assets", "trust_boundaries")
        for e in document[section].values()
        for t in e.get("tags") or []
    }
    assert used <= set(document["tags_available"])
    back = import_threagile(document, "t.yaml", ImportMapping(), catalog).model
    assert [(z.id, z.name, z.kind, z.parent, z.status) for z in back.zones] == [
        (z.id, z.name, z.kind, z.parent, z.status) for z in model.zones
    ]
    core = lambda a: (a.id, a.name, a.type, a.component, a.zone, a.traits, a.status)  # noqa: E731
    assert sorted(map(core, back.assets), key=str) == sorted(map(core, model.assets), key=str)
    link = lambda c: (  # noqa: E731
        c.id,
        c.from_zone,
        c.to_zone,
        c.from_assets,
        c.to_assets,
        c.protocols,
        c.data,
        c.carries_control_instructions,
        c.external_network,
        c.via,
    )
    assert sorted(map(link, back.conduits), key=str) == sorted(map(link, model.conduits), key=str)


def test_ot_protocols_travel_as_tags(catalog: Catalog) -> None:
    model = load_model(ANNEX_A_MODELS[-1])
    document = _export(model, catalog)
    links = [link for asset in document["technical_assets"].values() for link in asset["communication_links"].values()]
    modbus = [link for link in links if "protocol:modbus-tcp" in link["tags"]]
    assert modbus and all(link["protocol"] == "binary" for link in modbus)


def test_upstream_example_maps_sensibly(catalog: Catalog) -> None:
    result = import_threagile(read_document(THREAGILE_EXAMPLE), str(THREAGILE_EXAMPLE), ImportMapping(), catalog)
    model = result.model
    zones = {z.id: z for z in model.zones}
    assert zones["web-dmz"].kind.value == "dmz" and zones["web-dmz"].parent == "application-network"
    assert zones["dev-network"].kind.value == "office"
    assets = {a.id: a for a in model.assets}
    assert assets["apache-webserver"].zone == "web-dmz"
    assert assets["sql-database"].type.value == "software"
    # the merge key '<<: *customer-contracts' is followed: the summaries inherit usage and owner, and override confidentiality
    assert (
        assets["contract-summaries"].data is not None and assets["contract-summaries"].data.disclosure == "restricted"
    )
    # links become conduits between the zones of their ends
    link = next(c for c in model.conduits if c.from_assets == ["customer-client"] and c.to_assets == ["load-balancer"])
    assert link.from_zone == "outside-trust-boundaries" and link.to_zone == "application-network"
    assert link.protocols == ["https"]
    # risk tracking is kept as notes, never as findings
    assert any("untrusted-deserialization@erp-system" in note for note in result.notes)


@pytest.fixture
def example() -> dict[str, Any]:
    return copy.deepcopy(read_document(THREAGILE_EXAMPLE))


def _problems(document: Any, catalog: Catalog) -> list[str]:
    with pytest.raises(ModelInputError) as caught:
        import_threagile(document, "in.yaml", ImportMapping(), catalog)
    return [str(p) for p in caught.value.problems]


def test_dangling_link_target_is_located(example: dict[str, Any], catalog: Catalog) -> None:
    example["technical_assets"]["Customer Web Client"]["communication_links"]["Customer Traffic"]["target"] = "ghost"
    assert _problems(example, catalog) == [
        "in.yaml:/technical_assets/Customer Web Client/communication_links/Customer Traffic/target: technical asset 'ghost' does not exist"
    ]


def test_boundary_cycle_and_unknown_asset_are_located(example: dict[str, Any], catalog: Catalog) -> None:
    example["trust_boundaries"]["Web DMZ"]["trust_boundaries_nested"] = ["application-network"]
    example["trust_boundaries"]["ERP DMZ"]["technical_assets_inside"].append("nothing-here")
    problems = _problems(example, catalog)
    assert (
        "in.yaml:/trust_boundaries/ERP DMZ/technical_assets_inside/3: technical asset 'nothing-here' does not exist"
        in problems
    )
    assert any(p.startswith("in.yaml:/trust_boundaries/") and "nest in a cycle" in p for p in problems)


def test_duplicate_id_is_located(example: dict[str, Any], catalog: Catalog) -> None:
    example["data_assets"]["Marketing Material"]["id"] = "customer-contracts"
    assert _problems(example, catalog) == [
        "in.yaml:/data_assets/Marketing Material/id: duplicate id 'customer-contracts' (first at /data_assets/Customer Contracts)"
    ]


def test_an_unknown_cia_value_is_refused_not_dropped(example: dict[str, Any], catalog: Catalog) -> None:
    """'ultra' confidentiality gave no disclosure and 'megacritical' integrity no importance, silently."""
    contracts = example["data_assets"]["Customer Contracts"]
    contracts.update(confidentiality="ultra", integrity="megacritical", availability="whatever")
    example["technical_assets"]["Load Balancer"]["availability"] = "always"
    problems = _problems(example, catalog)
    assert sorted(problems) == [
        "in.yaml:/data_assets/Customer Contracts/availability: 'whatever' is not one of archive, operational,"
        " important, critical, mission-critical",
        "in.yaml:/data_assets/Customer Contracts/confidentiality: 'ultra' is not one of public, internal, restricted,"
        " confidential, strictly-confidential",
        "in.yaml:/data_assets/Customer Contracts/integrity: 'megacritical' is not one of archive, operational,"
        " important, critical, mission-critical",
        "in.yaml:/technical_assets/Load Balancer/availability: 'always' is not one of archive, operational,"
        " important, critical, mission-critical",
    ]


def test_an_unknown_factorysec_tag_value_is_refused_not_dropped(catalog: Catalog) -> None:
    """A 'kind:', 'trait:' or 'status:' tag with a value factorysec has no word for was ignored."""
    model = load_model(ANNEX_A_MODELS[0])
    document = _export(model, catalog)
    boundary_key, boundary = next(iter(document["trust_boundaries"].items()))
    boundary["tags"] = ["kind:castle"]
    asset_key, asset = next(
        (k, a)
        for k, a in document["technical_assets"].items()
        if "factorysec:zone-gateway" not in (a.get("tags") or [])
    )
    asset["tags"] = [*asset["tags"], "trait:sparkly", "status:zombie"]
    problems = _problems(document, catalog)
    assert any(
        p.startswith(f"in.yaml:/trust_boundaries/{boundary_key}/tags/0: kind 'castle' is not one of ") for p in problems
    )
    position = len(asset["tags"]) - 2
    assert any(
        p.startswith(f"in.yaml:/technical_assets/{asset_key}/tags/{position}: trait 'sparkly' is not one of ")
        for p in problems
    )
    assert any(
        p.startswith(f"in.yaml:/technical_assets/{asset_key}/tags/{position + 1}: status 'zombie' is not one of ")
        for p in problems
    )
    assert len(problems) == 3


def test_a_protocol_without_a_factorysec_word_is_reported(example: dict[str, Any], catalog: Catalog) -> None:
    example["technical_assets"]["Customer Web Client"]["communication_links"]["Customer Traffic"]["protocol"] = (
        "iiop-encrypted"
    )
    result = import_threagile(example, "in.yaml", ImportMapping(), catalog)
    assert [
        (line.subject, line.detail)
        for line in result.report.of("dropped")
        if line.subject.startswith("communication link customer-client")
    ] == [
        (
            "communication link customer-client/Customer Traffic",
            "protocol 'iiop-encrypted': no factorysec protocol of that name",
        )
    ]


def _dropped_fields(report: Any) -> dict[str, set[str]]:
    return {
        line.subject.removesuffix(" fields"): set(line.detail.split(":")[0].split(", "))
        for line in report.of("dropped")
        if line.subject.endswith(" fields")
    }


@pytest.mark.parametrize("path", [*ANNEX_A_MODELS, PLANT], ids=lambda p: p.name)
def test_round_trip_keeps_every_field_the_report_does_not_list_as_dropped(path: Any, catalog: Catalog) -> None:
    """Identity, per-axis importance, data category, two-way direction and the factory's id, industry, purposes and
    notes were lost on the way back, and the report did not say so."""
    model = load_model(path)
    document, report = export_threagile(model, analyze(model, catalog), catalog)
    back = import_threagile(copy.deepcopy(document), "t.yaml", ImportMapping(), catalog).model
    dropped = _dropped_fields(report)
    assert back.factory.model_dump(exclude=dropped.get("factory", set())) == model.factory.model_dump(
        exclude=dropped.get("factory", set())
    )
    for section in ("zones", "assets", "conduits"):
        lost = dropped.get(section, set())
        data_lost = {name.split(".", 1)[1] for name in lost if name.startswith("data.")}
        returned = {e.id: e for e in getattr(back, section)}
        for element in getattr(model, section):
            before = element.model_dump(exclude={*lost, "data"})
            after = returned[element.id].model_dump(exclude={*lost, "data"})
            assert after == before, (section, element.id)
            if section == "assets" and element.data is not None:
                assert returned[element.id].data is not None
                assert returned[element.id].data.model_dump(exclude=data_lost) == element.data.model_dump(
                    exclude=data_lost
                ), element.id


def test_the_plant_round_trip_keeps_what_vulns_needs(catalog: Catalog) -> None:
    model = load_model(PLANT)
    document, report = export_threagile(model, analyze(model, catalog), catalog)
    back = import_threagile(document, "t.yaml", ImportMapping(), catalog).model
    assets = {a.id: a for a in back.assets}
    warehouse = assets["automated-warehouse"]
    assert warehouse.identity is not None and warehouse.identity.model == "R08PCPU"
    assert warehouse.importance is not None and warehouse.importance.safety is not None
    assert warehouse.importance.safety.value == "critical"
    assert (back.factory.id, back.factory.industry) == ("annex-a-factory", "processing-assembly")
    assert back.factory.purposes == model.factory.purposes and back.factory.purpose_notes == model.factory.purpose_notes
    assert {c.id: c.direction for c in back.conduits} == {c.id: c.direction for c in model.conduits}
    assert "two-way" in {c.direction for c in model.conduits}
    assert _dropped_fields(report) == {
        "zones": {"operations", "subnets"},
        "assets": {"operations", "supplier", "maintainer", "addresses"},
    }


def test_a_data_asset_sent_twice_on_a_link_is_refused_at_the_link(example: dict[str, Any], catalog: Catalog) -> None:
    link = example["technical_assets"]["Customer Web Client"]["communication_links"]["Customer Traffic"]
    link["data_assets_sent"] = ["customer-accounts", "customer-operational-data", "customer-accounts"]
    assert _problems(example, catalog) == [
        "in.yaml:/technical_assets/Customer Web Client/communication_links/Customer Traffic:"
        " data: 'customer-accounts' is listed twice"
    ]


def test_a_remote_access_trait_tag_on_an_internet_asset_is_one_trait(example: dict[str, Any], catalog: Catalog) -> None:
    """An asset reachable from the internet gets 'remote-access' unless its tags name it already, not twice."""
    example["technical_assets"]["Customer Web Client"]["tags"] = ["trait:remote-access"]
    model = import_threagile(example, "in.yaml", ImportMapping(), catalog).model
    assert next(a for a in model.assets if a.id == "customer-client").traits == ["remote-access"]


def test_what_the_upstream_example_holds_without_a_factorysec_field_is_named_in_the_report(catalog: Catalog) -> None:
    """Nothing lost without a word: the author, the technical assets' encryption, owner and confidentiality, the links'
    authentication, the data assets' origin and every free tag were dropped silently."""
    result = import_threagile(read_document(THREAGILE_EXAMPLE), str(THREAGILE_EXAMPLE), ImportMapping(), catalog)
    dropped = [f"{line.subject}: {line.detail}" for line in result.report.of("dropped")]
    for subject in (
        "document field 'author'",
        "document field 'date'",
        "document field 'management_summary_comment'",
        "document field 'technical_overview'",
        "technical asset field 'encryption'",
        "technical asset field 'owner'",
        "technical asset field 'confidentiality'",
        "communication link field 'authentication'",
        "communication link field 'authorization'",
        "data asset field 'origin'",
    ):
        assert any(line.startswith(f"{subject}: ") for line in dropped), (subject, dropped)
    assert any(line.startswith("technical asset tags: ") and "'linux'" in line for line in dropped), dropped
    assert any(line.startswith("trust boundary tags: ") and "'aws'" in line for line in dropped), dropped


def test_the_upstream_example_keeps_its_overview_its_assets_ratings_and_the_data_coming_back(
    catalog: Catalog,
) -> None:
    """A technical asset's integrity and availability, the business overview and a link's data_assets_received were
    dropped silently."""
    raw = read_document(THREAGILE_EXAMPLE)
    model = import_threagile(copy.deepcopy(raw), str(THREAGILE_EXAMPLE), ImportMapping(), catalog).model
    assert model.factory.purpose_notes == raw["business_overview"]["description"]
    erp = next(a for a in model.assets if a.id == "erp-system")
    assert erp.importance is not None and erp.importance.quality is not None and erp.importance.delivery is not None
    assert (erp.importance.quality.value, erp.importance.delivery.value) == ("critical", "critical")
    link = raw["technical_assets"]["Customer Web Client"]["communication_links"]["Customer Traffic"]
    conduit = next(c for c in model.conduits if c.id == "customer-client-Customer-Traffic")
    assert set(conduit.data) == {*link["data_assets_sent"], *link["data_assets_received"]}
    assert set(link["data_assets_received"]) - set(link["data_assets_sent"])


@pytest.mark.parametrize("path", [*ANNEX_A_MODELS, PLANT], ids=lambda p: p.name)
def test_an_export_read_back_names_no_field_as_unread(path: Any, catalog: Catalog) -> None:
    """The fields an export derives from the model (encryption, usage, CIA ...) are not reported dropped on the way back."""
    model = load_model(path)
    document, _ = export_threagile(model, analyze(model, catalog), catalog)
    report = import_threagile(document, "t.yaml", ImportMapping(), catalog).report
    assert not [line for line in report.of("dropped") if " field '" in line.subject or line.subject.endswith(" tags")]
