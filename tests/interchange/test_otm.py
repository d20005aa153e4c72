"""OTM export and import: schema-valid exports, a lossless round trip, the upstream example, located errors."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.interchange.mapping import ImportMapping
from factorysec.interchange.otm import export_otm, import_otm
from factorysec.interchange.source import read_document
from factorysec.model import FactoryModel, ModelInputError, load_model
from factorysec.model.writer import dump_data
from tests.conftest import ANNEX_A_MODELS, EXAMPLES, FIXTURES
from tests.interchange.conftest import OTM_EXAMPLE, schema_errors
from tests.model.strategies import models

RICHER_MODELS = [
    FIXTURES / "report" / "small-factory.yaml",
    FIXTURES / "plan" / "small.yaml",
    FIXTURES / "lifecycle" / "factory.yaml",
]
"""Small factories with what the Annex A examples lack: measures, requirements, OODA roles, maturity, reviews, checklist answers."""


def _export(model: FactoryModel, catalog: Catalog) -> dict[str, Any]:
    document, _ = export_otm(model, analyze(model, catalog), catalog)
    # what a file holds: the document as JSON text, read back
    result: dict[str, Any] = json.loads(json.dumps(document))
    return result


def _round_trip(model: FactoryModel, catalog: Catalog) -> FactoryModel:
    return import_otm(_export(model, catalog), "model.otm.json", ImportMapping(), catalog).model


@pytest.mark.parametrize("path", [*ANNEX_A_MODELS, *RICHER_MODELS], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_example_exports_schema_valid_and_comes_back_equal(
    path: Any, catalog: Catalog, otm_validator: Any
) -> None:
    model = load_model(path)
    document = _export(model, catalog)
    assert schema_errors(otm_validator, document) == []
    assert _round_trip(model, catalog) == model


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models(), st.sampled_from([".json", ".yaml"]))
def test_generated_models_come_back_equal_through_a_file(catalog: Catalog, model: FactoryModel, suffix: str) -> None:
    """Export to OTM JSON or YAML text (as the CLI writes it), read the file back, import: the same model."""
    document, _ = export_otm(model, analyze(model, catalog), catalog)
    text = json.dumps(document, indent=2, ensure_ascii=False) if suffix == ".json" else dump_data(document)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"model.otm{suffix}"
        path.write_text(text, encoding="utf-8")
        raw = read_document(path)
    assert import_otm(raw, str(path), ImportMapping(), catalog).model == model


def test_export_maps_zones_assets_conduits_and_findings(catalog: Catalog) -> None:
    model = load_model(EXAMPLES / "all-cases-reviewed.yaml")
    assessment = analyze(model, catalog)
    document, report = export_otm(model, assessment, catalog)
    zones = {z["id"]: z for z in document["trustZones"]}
    external = next(z for z in model.zones if z.kind.value == "external")
    production = next(z for z in model.zones if z.kind.value == "production")
    assert zones[external.id]["risk"]["trustRating"] < zones[production.id]["risk"]["trustRating"]
    assert all(zones[z.id]["parent"] == {"trustZone": z.parent} for z in model.zones if z.parent)
    components = {c["id"]: c for c in document["components"]}
    scada = components["scada"]
    assert scada["type"] == "scada" and scada["parent"] == {"trustZone": "monitoring-zone"}
    data_ids = {a["id"] for a in document["assets"]}
    assert "cad-data" in data_ids and "cad-data" not in components
    assert {"confidentiality", "integrity", "availability"} <= set(document["assets"][0]["risk"])
    threat_ids = {t["id"] for t in document["threats"]}
    threat_findings = {f.id for f in assessment.findings if f.category == "threat"}
    assert threat_ids == threat_findings
    flows = {f["id"]: f for f in document["dataflows"]}
    assert flows["cad-to-scada"]["source"] == "cad" and flows["cad-to-scada"]["destination"] == "scada"
    assert "opc-ua" in flows["cad-to-scada"]["tags"]
    # warehouse-to-control names no sending asset: its source is the warehouse zone's synthesised gateway, which the report lists
    gateway = flows["warehouse-to-control"]["source"]
    assert components[gateway]["parent"] == {"trustZone": "warehouse-zone"}
    assert any(line.subject == f"component {gateway}" for line in report.of("synthesised"))


def test_decision_state_reaches_the_threat(catalog: Catalog) -> None:
    from factorysec.model.planfiles import Decision

    model = load_model(EXAMPLES / "all-cases-reviewed.yaml")
    finding = next(f for f in analyze(model, catalog).findings if f.category == "threat" and f.subject.kind == "zone")
    decided = analyze(
        model,
        catalog,
        decisions=[Decision(finding=finding.id, status="accepted", owner="it-sec", justification="isolated VLAN")],
    )
    document, _ = export_otm(model, decided, catalog)
    threat = next(t for t in document["threats"] if t["id"] == finding.id)
    assert threat["attributes"]["state"] == "accepted"
    in_zone = [
        c for c in document["components"] if c["parent"] == {"trustZone": finding.subject.id} and c["type"] != "gateway"
    ]
    instances = [i for c in in_zone for i in c.get("threats", []) if i["threat"] == finding.id]
    assert in_zone and len(instances) == len(in_zone) and {i["state"] for i in instances} == {"accepted"}


def test_upstream_example_maps_sensibly(catalog: Catalog) -> None:
    result = import_otm(read_document(OTM_EXAMPLE), str(OTM_EXAMPLE), ImportMapping(), catalog)
    model = result.model
    zones = {z.name: z for z in model.zones}
    assert zones["Internet"].kind.value == "external" and zones["Private"].kind.value == "office"
    assets = {a.id: a for a in model.assets}
    assert assets["web-client"].zone == zones["Internet"].id and assets["web-client"].component == "terminal"
    assert (
        assets["cc-data"].type.value == "data"
        and assets["cc-data"].data is not None
        and assets["cc-data"].data.disclosure == "secret"
    )
    assert assets["public-info"].data is not None and assets["public-info"].data.disclosure == "public"
    flow = next(c for c in model.conduits if c.id == "cc-store-in-db")
    assert flow.from_assets == ["web-service"] and flow.to_assets == ["customer-database"] and flow.data == ["cc-data"]
    assert flow.direction == "two-way"
    # the other tool's threats and mitigations are notes, not findings
    assert any("Threat 1" in note for note in result.notes) and any("Mitigation 2" in note for note in result.notes)


def _problems(document: Any, catalog: Catalog) -> list[str]:
    with pytest.raises(ModelInputError) as caught:
        import_otm(document, "in.otm.json", ImportMapping(), catalog)
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def example() -> dict[str, Any]:
    return copy.deepcopy(json.loads(OTM_EXAMPLE.read_text(encoding="utf-8")))


def test_dangling_trust_zone_is_located(example: dict[str, Any], catalog: Catalog) -> None:
    example["components"][1]["parent"]["trustZone"] = "nowhere"
    assert _problems(example, catalog) == [
        "in.otm.json:/components/1/parent/trustZone: trust zone 'nowhere' does not exist"
    ]


def test_dangling_dataflow_end_is_located(example: dict[str, Any], catalog: Catalog) -> None:
    example["dataflows"][0]["destination"] = "ghost"
    assert _problems(example, catalog) == [
        "in.otm.json:/dataflows/0/destination: 'ghost' is neither a component nor a trust zone"
    ]


def test_duplicate_ids_are_located(example: dict[str, Any], catalog: Catalog) -> None:
    example["components"][2]["id"] = "web-client"
    assert _problems(example, catalog) == [
        "in.otm.json:/components/2/id: duplicate id 'web-client' (first at /components/0)"
    ]


def test_trust_zone_cycle_is_located(example: dict[str, Any], catalog: Catalog) -> None:
    first, second = example["trustZones"]
    first["parent"] = {"trustZone": second["id"]}
    second["parent"] = {"trustZone": first["id"]}
    problems = _problems(example, catalog)
    assert (
        len(problems) == 1
        and "trust zones nest in a cycle" in problems[0]
        and problems[0].startswith("in.otm.json:/trustZones/")
    )


def test_schema_invalid_and_wrong_version_are_located(example: dict[str, Any], catalog: Catalog) -> None:
    del example["components"][0]["name"]
    assert _problems(example, catalog) == ["in.otm.json:/components/0/name: Field required"]
    example["components"][0]["name"] = "Web Client"
    example["otmVersion"] = "9.0"
    assert _problems(example, catalog) == [
        "in.otm.json:/otmVersion: OTM version '9.0' is not supported (supported: 0.1.0, 0.2.0)"
    ]


def test_model_problem_points_into_the_otm_file(catalog: Catalog) -> None:
    """A fact the factorysec checks refuse (a catalog id that does not exist) is reported at the OTM element that carried it."""
    model = load_model(EXAMPLES / "all-cases-reviewed.yaml")
    document = _export(model, catalog)
    index = next(i for i, c in enumerate(document["components"]) if c["id"] == "scada")
    document["components"][index]["attributes"]["factorysec"]["component"] = "no-such-component"
    problems = _problems(document, catalog)
    assert (
        len(problems) == 1
        and problems[0].startswith(f"in.otm.json:/components/{index}: component: ")
        and "no-such-component" in problems[0]
    )


def test_default_mapping_is_documented() -> None:
    from factorysec.interchange.mapping import DEFAULT_COMPONENT_TYPES, DEFAULT_ZONE_KINDS
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "interchange.md").read_text(encoding="utf-8")
    for word, kind in DEFAULT_ZONE_KINDS.items():
        assert f"| `{word}` | `{kind.value}` |" in doc
    for word, chosen in DEFAULT_COMPONENT_TYPES.items():
        assert f"| `{word}` | `{chosen.type.value}` | {f'`{chosen.component}`' if chosen.component else '—'} |" in doc


def test_broken_factorysec_attributes_are_located(catalog: Catalog) -> None:
    model = load_model(EXAMPLES / "all-cases-reviewed.yaml")
    document = _export(model, catalog)
    document["project"]["attributes"]["factorysec"]["factory"]["industry"] = "steel"
    document["project"]["attributes"]["factorysec"]["operations"][1]["importance"] = "huge"
    problems = _problems(document, catalog)
    assert len(problems) == 2
    assert problems[0].startswith("in.otm.json:/project: industry: ")
    assert problems[1].startswith("in.otm.json:/project/attributes/factorysec/operations/1: importance: ")
    document["project"]["attributes"]["factorysec"]["parties"] = "none"
    assert _problems(document, catalog) == [
        "in.otm.json:/project/attributes/factorysec/parties: must be a list of parties entries"
    ]


def test_an_asset_listed_twice_on_a_dataflow_is_refused_at_the_dataflow(
    example: dict[str, Any], catalog: Catalog
) -> None:
    index = next(i for i, flow in enumerate(example["dataflows"]) if flow["id"] == "cc-store-in-db")
    example["dataflows"][index]["assets"] = ["cc-data", "cc-data"]
    assert _problems(example, catalog) == [f"in.otm.json:/dataflows/{index}: data: 'cc-data' is listed twice"]


def test_two_spellings_of_one_protocol_tag_are_one_protocol(example: dict[str, Any], catalog: Catalog) -> None:
    index = next(i for i, flow in enumerate(example["dataflows"]) if flow["id"] == "cc-store-in-db")
    example["dataflows"][index]["tags"] = ["HTTPS", "https", "mqtt"]
    model = import_otm(example, "in.otm.json", ImportMapping(), catalog).model
    assert next(c for c in model.conduits if c.id == "cc-store-in-db").protocols == ["https", "mqtt"]


def _dropped(result: Any) -> list[str]:
    return [f"{line.subject}: {line.detail}" for line in result.report.of("dropped")]


def test_what_the_upstream_example_holds_without_a_factorysec_field_is_named_in_the_report(catalog: Catalog) -> None:
    """Nothing lost without a word: the example's owner, representations, tags, risk comments and threat details were
    dropped silently (the report said 'dropped: 0')."""
    result = import_otm(read_document(OTM_EXAMPLE), str(OTM_EXAMPLE), ImportMapping(), catalog)
    dropped = _dropped(result)
    for subject in (
        "document field 'representations'",
        "project field 'owner'",
        "project field 'ownerContact'",
        "project field 'attributes.cmdbId'",
        "trust zone field 'representations'",
        "trust zone field 'risk.trustRating'",
        "component field 'representations'",
        "asset field 'risk.comment'",
        "threat field 'categories'",
        "threat field 'cwes'",
        "threat field 'risk'",
    ):
        assert any(line.startswith(f"{subject}: ") for line in dropped), (subject, dropped)
    assert any(line.startswith("component tags: 'external', 'tomcat', 'postgres'") for line in dropped), dropped
    assert any(line.startswith("dataflow tags: 'tag1-df', 'tag2-df'") for line in dropped), dropped
    assert "on 4: web-client, web-service, customer-database, class-customerdatabase" in next(
        line for line in dropped if line.startswith("component field 'representations'")
    )
    # a threat on a component keeps the state of its mitigations in the note
    assert any("mitigations 'fd6136f4-e2ff-11eb-ba80-0242ac130004' implemented" in note for note in result.notes)


def test_a_field_of_any_element_the_import_does_not_read_is_named(example: dict[str, Any], catalog: Catalog) -> None:
    for section in ("trustZones", "components", "dataflows", "assets", "threats", "mitigations"):
        example[section][0]["x-tool-field"] = {"kept": "somewhere"}
    example["project"]["x-tool-field"] = 1
    example["x-tool-field"] = [1]
    dropped = _dropped(import_otm(example, "in.otm.json", ImportMapping(), catalog))
    for kind in ("document", "project", "trust zone", "component", "dataflow", "asset", "threat", "mitigation"):
        assert any(line.startswith(f"{kind} field 'x-tool-field': ") for line in dropped), (kind, dropped)
    # a field holding nothing (null, empty, false) loses nothing and is not listed
    example = copy.deepcopy(json.loads(OTM_EXAMPLE.read_text(encoding="utf-8")))
    example["components"][0]["x-empty"] = None
    example["components"][1]["x-empty"] = []
    assert not any("x-empty" in line for line in _dropped(import_otm(example, "in.otm.json", ImportMapping(), catalog)))


def test_a_dataflow_keeps_its_description_control_instructions_and_external_network(
    example: dict[str, Any], catalog: Catalog
) -> None:
    """A dataflow's description and its 'control-instructions' and 'external-network:' tags (which the export writes)
    were dropped without a word when the dataflow had no factorysec block."""
    flow = example["dataflows"][0]
    flow["description"] = "orders to the web service"
    flow["tags"] = ["https", "control-instructions", "external-network:internet", "team-a"]
    result = import_otm(example, "in.otm.json", ImportMapping(), catalog)
    conduit = next(c for c in result.model.conduits if c.id == flow["id"])
    assert conduit.carries == "orders to the web service" and conduit.carries_control_instructions
    assert conduit.external_network.value == "internet" and conduit.protocols == ["https"]
    assert any(line.startswith("dataflow tags: 'team-a'") for line in _dropped(result))


@pytest.mark.parametrize("path", [*ANNEX_A_MODELS, *RICHER_MODELS], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_an_export_read_back_names_no_field_as_unread(path: Path, catalog: Catalog) -> None:
    """The fields an export derives from the factorysec block (trust rating, risk, tags) are not reported dropped."""
    result = import_otm(_export(load_model(path), catalog), "model.otm.json", ImportMapping(), catalog)
    assert not [
        line for line in result.report.of("dropped") if " field '" in line.subject or line.subject.endswith(" tags")
    ]
