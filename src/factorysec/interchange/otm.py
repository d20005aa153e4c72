"""Open Threat Model (OTM 0.2.0) export and import.

Export: zones -> trust zones (nested by ``parent``), assets -> components (data assets -> OTM
assets with confidentiality, integrity and availability), conduits -> dataflows between the
assets they name, threat findings -> threats with their decision state, measures -> mitigations.
Every factorysec fact OTM has no field for rides in the element's ``attributes.factorysec``, so
that importing the export gives back the same model; fields OTM does have (id, name,
description, parent) are read from OTM, so an edit made in another tool is kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from factorysec.analysis import Assessment
from factorysec.catalog import Catalog
from factorysec.interchange.mapping import (
    DISCLOSURE_PERCENT,
    FACTORYSEC_KEY,
    FALLBACK_COMPONENT,
    IMPORTANCE_PERCENT,
    ImportMapping,
    MappingReport,
    Unread,
    disclosure_from_percent,
    element_id,
    importance_from_percent,
    trust_rating,
)
from factorysec.interchange.source import SINGLE, build_model, invalid, problem, validation_problems
from factorysec.model.entities import (
    COLLECTIONS,
    Asset,
    AssetType,
    Conduit,
    FactoryModel,
    ImplementedMeasure,
    Importance,
    Zone,
    ZoneKind,
)
from factorysec.model.problems import ModelInputError, Problem

OTM_VERSION = "0.2.0"
SUPPORTED_VERSIONS = ("0.1.0", "0.2.0")
NATIVE_SECTIONS = ("zones", "assets", "conduits", "measures")
"""Sections with an OTM element of their own; every other section rides in the project's attributes."""
GATEWAY = "zone-gateway"
CATALOG_MITIGATION_PREFIX = "measure:"
ASSET_ORDER = "asset_order"
"""Project attribute listing the model's asset ids in order: OTM keeps components and data assets in two lists."""


def _block(element: BaseModel, native: set[str]) -> dict[str, Any]:
    """The element's fields OTM has no place for, as written in YAML (defaults left out)."""
    return element.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude=native)


def _attributes(block: dict[str, Any], **readable: Any) -> dict[str, Any]:
    return {**{k: v for k, v in readable.items() if v not in (None, [], {})}, FACTORYSEC_KEY: block}


# --- export --------------------------------------------------------------------------


def export_otm(model: FactoryModel, assessment: Assessment, catalog: Catalog) -> tuple[dict[str, Any], MappingReport]:
    """The model and its analysis as an OTM document, and the report of what was synthesised, approximated and dropped."""
    report = MappingReport(f"factory '{model.factory.id}' -> OTM {OTM_VERSION}")
    used_ids = {e.id for section in ("zones", "assets", "conduits", "measures") for e in getattr(model, section)}
    data_assets = {a.id for a in model.assets if a.type is AssetType.DATA}
    zone_of = {a.id: a.zone for a in model.assets}
    project_block: dict[str, Any] = {
        "factory": _block(model.factory, {"id", "name", "purpose_notes"}),
        ASSET_ORDER: [a.id for a in model.assets],
    }
    carried = []
    for section in ("bcp", *COLLECTIONS):
        if section in NATIVE_SECTIONS:
            continue
        value = getattr(model, section)
        if value:
            project_block[section] = (
                value.model_dump(mode="json", by_alias=True, exclude_defaults=True)
                if isinstance(value, BaseModel)
                else [v.model_dump(mode="json", by_alias=True, exclude_defaults=True) for v in value]
            )
            carried.append(section)
    if carried:
        report.map(
            f"sections without an OTM element, carried in project.attributes.factorysec ({', '.join(carried)})",
            len(carried),
        )
    document: dict[str, Any] = {
        "otmVersion": OTM_VERSION,
        "project": {
            "name": model.factory.name,
            "id": model.factory.id,
            "description": model.factory.purpose_notes,
            "tags": ["factorysec", f"model-digest:{assessment.model_digest}"],
            "attributes": {"industry": model.factory.industry, FACTORYSEC_KEY: project_block},
        },
        "trustZones": [_trust_zone(zone, assessment, report) for zone in model.zones],
        "assets": [_data_asset(asset, assessment, report) for asset in model.assets if asset.type is AssetType.DATA],
        "components": [_component(asset, assessment) for asset in model.assets if asset.type is not AssetType.DATA],
    }
    report.map("zones -> trust zones", len(model.zones))
    report.map("data assets -> assets", len(data_assets))
    report.map("assets -> components", len(model.assets) - len(data_assets))
    gateways: dict[str, str] = {}
    by_id = {a.id: a for a in model.assets}

    def endpoint(zone: str, conduit: Conduit) -> str:
        boundary = [v for v in conduit.via if zone_of.get(v) == zone and v not in data_assets]
        if boundary:
            return boundary[0]
        if zone not in gateways:
            gateway_id = _free_id(f"{zone}.gateway", used_ids)
            gateways[zone] = gateway_id
            document["components"].append(
                {
                    "id": gateway_id,
                    "name": f"Gateway of zone {zone}",
                    "type": "gateway",
                    "parent": {"trustZone": zone},
                    "tags": ["factorysec-synthesised"],
                    "attributes": {FACTORYSEC_KEY: {"synthesised": GATEWAY, "zone": zone}},
                }
            )
            report.synthesised(
                f"component {gateway_id}",
                f"gateway of zone {zone}: end of the conduits that name no asset on that side",
            )
        return gateways[zone]

    dataflows: list[dict[str, Any]] = []
    flows_of: dict[str, list[dict[str, Any]]] = {}
    for conduit in model.conduits:
        sources = [a for a in conduit.from_assets if a not in data_assets] or [endpoint(conduit.from_zone, conduit)]
        targets = [a for a in conduit.to_assets if a not in data_assets] or [endpoint(conduit.to_zone, conduit)]
        if [a for a in (*conduit.from_assets, *conduit.to_assets) if a in data_assets]:
            report.approximated(
                f"conduit {conduit.id}",
                "names data assets as ends: OTM dataflows join components, so the data rides in the flow's assets",
            )
        tags = [*conduit.protocols, *(["control-instructions"] if conduit.carries_control_instructions else [])]
        if conduit.external_network.value != "none":
            tags.append(f"external-network:{conduit.external_network.value}")
        flows = []
        for index, (source, target) in enumerate((s, t) for s in sources for t in targets):
            flow_id = conduit.id if index == 0 else _free_id(f"{conduit.id}.{index + 1}", used_ids)
            flows.append(
                {
                    "id": flow_id,
                    "name": conduit.name or conduit.id,
                    "bidirectional": conduit.direction == "two-way",
                    "source": source,
                    "destination": target,
                    "assets": [d for d in conduit.data if d in data_assets],
                    "tags": tags,
                    "attributes": _attributes(
                        _block(conduit, {"id"}) if index == 0 else {"part_of": conduit.id}, carries=conduit.carries
                    ),
                }
            )
        if len(flows) > 1:
            report.approximated(
                f"conduit {conduit.id}",
                f"{len(sources)} x {len(targets)} ends: {len(flows)} dataflows, joined again on import",
            )
        flows_of[conduit.id] = flows
        dataflows.extend(flows)
    document["dataflows"] = dataflows
    report.map("conduits -> dataflows", len(model.conduits))
    _processed_assets(document["components"], model.conduits, data_assets, by_id)
    document["mitigations"] = _mitigations(model.measures, assessment, catalog, report)
    document["threats"] = _threats(document, assessment, flows_of, data_assets, report)
    return document, report


def _free_id(wanted: str, used: set[str]) -> str:
    candidate, number = wanted, 2
    while candidate in used:
        candidate, number = f"{wanted}-{number}", number + 1
    used.add(candidate)
    return candidate


def _trust_zone(zone: Zone, assessment: Assessment, report: MappingReport) -> dict[str, Any]:
    exposure = assessment.exposure.get(zone.id)
    entry = bool(exposure and exposure.reachable and exposure.hops == 0)
    element: dict[str, Any] = {
        "id": zone.id,
        "name": zone.name,
        "type": zone.kind.value,
        "description": zone.description,
        "risk": {"trustRating": trust_rating(zone.kind, entry, zone.target_security_level)},
        "attributes": _attributes(
            _block(zone, {"id", "name", "description", "parent"}),
            side=zone.kind.side,
            importance=_level(assessment.importance.zone_level(zone.id)),
        ),
    }
    if zone.parent:
        element["parent"] = {"trustZone": zone.parent}
    return element


def _level(level: Importance | None) -> str | None:
    return level.value if level else None


def _asset_importance(asset_id: str, assessment: Assessment) -> dict[str, str]:
    entry = assessment.importance.assets.get(asset_id)
    if entry is None:
        return {}
    return {axis: derived.level.value for axis, derived in entry.ratings.items() if derived.level is not None}


def _component(asset: Asset, assessment: Assessment) -> dict[str, Any]:
    return {
        "id": asset.id,
        "name": asset.name,
        "type": asset.component or asset.type.value,
        "description": asset.description,
        "parent": {"trustZone": asset.zone},
        "tags": [trait.value for trait in asset.traits],
        "attributes": _attributes(
            _block(asset, {"id", "name", "description", "zone"}),
            object_type=asset.type.value,
            importance=_asset_importance(asset.id, assessment),
        ),
    }


def _percent(levels: Iterable[str | None]) -> int | None:
    known = [IMPORTANCE_PERCENT[Importance(level)] for level in levels if level]
    return max(known) if known else None


def _data_asset(asset: Asset, assessment: Assessment, report: MappingReport) -> dict[str, Any]:
    ratings = _asset_importance(asset.id, assessment)
    overall = assessment.importance.asset_level(asset.id)
    fallback = IMPORTANCE_PERCENT[overall] if overall else 50
    disclosure = asset.data.disclosure if asset.data else None
    confidentiality = DISCLOSURE_PERCENT[disclosure] if disclosure else fallback
    integrity = _percent((ratings.get("safety"), ratings.get("quality"))) or fallback
    availability = _percent((ratings.get("delivery"), ratings.get("business_continuity"))) or fallback
    if not disclosure or not ratings:
        report.approximated(
            f"data asset {asset.id}",
            "confidentiality, integrity or availability taken from its overall importance (no disclosure or S/Q/D/BC rating)",
        )
    return {
        "id": asset.id,
        "name": asset.name,
        "description": asset.description,
        "risk": {
            "confidentiality": confidentiality,
            "integrity": integrity,
            "availability": availability,
            "comment": "confidentiality from the scope of disclosure; integrity from safety and quality; availability from delivery and business continuity (factorysec Step 1-5)",
        },
        "attributes": _attributes(_block(asset, {"id", "name", "description"}), importance=ratings, zone=asset.zone),
    }


def _processed_assets(
    components: list[dict[str, Any]], conduits: list[Conduit], data_assets: set[str], assets: dict[str, Asset]
) -> None:
    """Each component's processed data: the data assets its conduits carry."""
    processed: dict[str, list[str]] = defaultdict(list)
    for conduit in conduits:
        carried = [d for d in conduit.data if d in data_assets]
        for end in (*conduit.from_assets, *conduit.to_assets):
            if end in assets and end not in data_assets:
                processed[end].extend(d for d in carried if d not in processed[end])
    for component in components:
        if processed.get(component["id"]):
            component["assets"] = {"processed": processed[component["id"]], "stored": []}


def _mitigations(
    measures: list[ImplementedMeasure], assessment: Assessment, catalog: Catalog, report: MappingReport
) -> list[dict[str, Any]]:
    """The model's measures, then each catalog measure a finding requires, as OTM mitigations."""
    out: list[dict[str, Any]] = []
    for measure in measures:
        entry = catalog.measures.get(measure.measure)
        out.append(
            {
                "id": measure.id,
                "name": entry.title.en if entry else measure.measure,
                "description": entry.description.en if entry else None,
                "riskReduction": {"implemented": 50, "partial": 25, "planned": 0}[measure.status],
                "attributes": _attributes(_block(measure, {"id"})),
            }
        )
    required = sorted({m for gap in assessment.gaps for m in gap.required})
    for measure_id in required:
        entry = catalog.measures.get(measure_id)
        out.append(
            {
                "id": CATALOG_MITIGATION_PREFIX + measure_id,
                "name": entry.title.en if entry else measure_id,
                "description": entry.description.en if entry else None,
                "riskReduction": 50,
                "attributes": {"catalog_measure": measure_id, FACTORYSEC_KEY: {"derived": "catalog-measure"}},
            }
        )
    report.map("measures -> mitigations", len(measures))
    report.map("required catalog measures -> mitigations", len(required))
    if measures or required:
        report.approximated(
            "mitigations",
            "riskReduction is 50 for an implemented or required measure (25 partial, 0 planned): factorysec weighs measures per finding, not alone",
        )
    return out


_MITIGATION_STATE = (
    ("implemented", "implemented"),
    ("partial", "partial"),
    ("planned", "planned"),
    ("missing", "required"),
)


def _threats(
    document: dict[str, Any],
    assessment: Assessment,
    flows_of: dict[str, list[dict[str, Any]]],
    data_assets: set[str],
    report: MappingReport,
) -> list[dict[str, Any]]:
    """Threat findings as OTM threats (stable finding ids), attached to their component or dataflows with the decision state."""
    risk_of = {r.finding: r for r in assessment.risks}
    gap_of = {g.finding: g for g in assessment.gaps}
    decided = {d.finding: d for d in assessment.decisions}
    components = {c["id"]: c for c in document["components"]}
    in_zone: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for component in document["components"]:
        if component["attributes"][FACTORYSEC_KEY].get("synthesised") is None:
            in_zone[component["parent"]["trustZone"]].append(component)
    zone_threats = 0
    threats: list[dict[str, Any]] = []
    skipped: dict[str, int] = defaultdict(int)
    for finding in assessment.findings:
        if finding.category != "threat":
            skipped[finding.category] += 1
            continue
        risk = risk_of.get(finding.id)
        decision = decided.get(finding.id)
        state = decision.status if decision else "exposed"
        threats.append(
            {
                "id": finding.id,
                "name": finding.title.en,
                "description": finding.rationale.en,
                "categories": [c for c in (finding.threat_type, finding.risk_matter) if c],
                "risk": {
                    "likelihood": min(100, risk.likelihood * 25) if risk else None,
                    "impact": min(100, round(risk.impact * 25)) if risk else 0,
                    "impactComment": finding.impact.en if finding.impact else "",
                },
                "tags": [finding.rule, *([f"level:{risk.level}"] if risk else [])],
                "attributes": {
                    "rule": finding.rule,
                    "reference": finding.reference,
                    "subject": f"{finding.subject.kind}:{finding.subject.id}",
                    "state": state,
                    **({"justification": decision.justification, "owner": decision.owner} if decision else {}),
                    FACTORYSEC_KEY: {"derived": "finding"},
                },
            }
        )
        gap = gap_of.get(finding.id)
        mitigations = [
            {"mitigation": CATALOG_MITIGATION_PREFIX + m, "state": otm_state}
            for field, otm_state in _MITIGATION_STATE
            for m in (getattr(gap, field) if gap else ())
        ]
        instance = {"threat": finding.id, "state": state, "mitigations": mitigations}
        subject = finding.subject
        if subject.kind == "asset" and subject.id in components:
            components[subject.id].setdefault("threats", []).append(instance)
        elif subject.kind == "conduit" and subject.id in flows_of:
            for flow in flows_of[subject.id]:
                flow.setdefault("threats", []).append(instance)
        elif subject.kind == "zone" and in_zone.get(subject.id):
            for component in in_zone[subject.id]:
                component.setdefault("threats", []).append(instance)
            zone_threats += 1
        else:
            report.approximated(
                f"threat {finding.id}",
                f"OTM has no threats on a {subject.kind}: listed at the top level, its subject in attributes",
            )
    report.map("threat findings -> threats", len(threats))
    if zone_threats:
        report.approximated(
            f"{zone_threats} threat(s) on zones",
            "OTM trust zones hold no threats: attached to every component of the zone",
        )
    for category, count in sorted(skipped.items()):
        report.dropped(
            f"{count} {category} finding(s)",
            "not threats (OTM threats are threat findings only); see 'factorysec analyze'",
        )
    return threats


# --- import --------------------------------------------------------------------------


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Parent(_Loose):
    trustZone: str | None = None
    component: str | None = None


class _Risk(_Loose):
    trustRating: float | None = None


class _TrustZone(_Loose):
    id: str
    name: str
    type: str | None = None
    description: str | None = None
    risk: _Risk
    parent: _Parent | None = None
    attributes: dict[str, Any] | None = None


class _AssetRisk(_Loose):
    confidentiality: float
    integrity: float
    availability: float


class _OtmAsset(_Loose):
    id: str
    name: str
    description: str | None = None
    risk: _AssetRisk
    attributes: dict[str, Any] | None = None


class _AssetInstance(_Loose):
    processed: list[str | None] | None = None
    stored: list[str | None] | None = None


class _Component(_Loose):
    id: str
    name: str
    type: str
    description: str | None = None
    parent: _Parent
    assets: _AssetInstance | None = None
    threats: list[Any] | None = None
    tags: list[str | None] | None = None
    attributes: dict[str, Any] | None = None


class _Dataflow(_Loose):
    id: str
    name: str
    description: str | None = None
    bidirectional: bool | None = None
    source: str
    destination: str
    assets: list[str | None] | None = None
    threats: list[Any] | None = None
    tags: list[str | None] | None = None
    attributes: dict[str, Any] | None = None


class _Threat(_Loose):
    id: str
    name: str
    description: str | None = None
    attributes: dict[str, Any] | None = None


class _Mitigation(_Loose):
    id: str
    name: str
    description: str | None = None
    riskReduction: float
    attributes: dict[str, Any] | None = None


class _Project(_Loose):
    name: str
    id: str
    description: str | None = None
    attributes: dict[str, Any] | None = None


class _Document(_Loose):
    otmVersion: str
    project: _Project
    trustZones: list[_TrustZone] | None = None
    assets: list[_OtmAsset] | None = None
    components: list[_Component] | None = None
    dataflows: list[_Dataflow] | None = None
    threats: list[_Threat] | None = None
    mitigations: list[_Mitigation] | None = None


_READ = {
    "document": ("otmVersion", "project", "trustZones", "assets", "components", "dataflows", "threats", "mitigations"),
    "project": ("name", "id", "description", "attributes"),
    "trust zone": ("id", "name", "type", "description", "risk", "parent", "attributes"),
    "component": ("id", "name", "type", "description", "parent", "assets", "threats", "tags", "attributes"),
    "dataflow": (
        "id", "name", "description", "bidirectional", "source", "destination", "assets", "threats", "tags", "attributes",
    ),
    "asset": ("id", "name", "description", "risk", "attributes"),
    "threat": ("id", "name", "description", "attributes"),
    "mitigation": ("id", "name", "description", "riskReduction", "attributes"),
}  # fmt: skip
"""The fields of each OTM element the import reads (of an element without a factorysec block; one with it is the
export's, whose other fields the export derived from the block). Any other field holding a value is reported dropped."""
_SECTIONS = {"trustZones": "trust zone", "components": "component", "dataflows": "dataflow", "assets": "asset"}
_NOTES = {"threats": "threat", "mitigations": "mitigation"}


def _unread(raw: dict[str, Any], unread: Unread) -> None:
    """Note the fields of the document and of each element (without a factorysec block) the import does not read."""
    unread.check("document", "the document", raw, _READ["document"])
    project = raw.get("project")
    if isinstance(project, dict) and _fs(project.get("attributes")) is None:
        unread.check("project", str(project.get("id")), project, _READ["project"])
        unread.attributes("project", str(project.get("id")), project)
    for section, kind in (*_SECTIONS.items(), *_NOTES.items()):
        items = raw.get(section)
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or _fs(item.get("attributes")) is not None:
                continue
            unread.check(kind, str(item.get("id")), item, _READ[kind])
            unread.attributes(kind, str(item.get("id")), item)
            risk = item.get("risk")
            if kind == "asset":
                unread.check(kind, str(item.get("id")), risk, ("confidentiality", "integrity", "availability"), "risk.")
            elif kind == "trust zone":
                unread.check(kind, str(item.get("id")), risk, ("trustRating",), "risk.")
            elif kind == "component":
                unread.tag(kind, str(item.get("id")), [t for t in item.get("tags") or [] if isinstance(t, str)])


def _instance(reference: Any) -> str:
    """A threat instance of a component or dataflow (``{threat: ID, state: ..., mitigations: [...]}``) as a note; read as
    written, not validated (never used as data)."""
    if not isinstance(reference, dict):
        return repr(reference)
    mitigations = reference.get("mitigations")
    applied = [
        f"'{m.get('mitigation')}' {m.get('state')}" if isinstance(m, dict) else repr(m)
        for m in (mitigations if isinstance(mitigations, list) else [mitigations] if mitigations else [])
    ]
    return f"'{reference.get('threat')}' (state {reference.get('state')}" + (
        f"; mitigations {', '.join(applied)})" if applied else ")"
    )


def _fs(attributes: dict[str, Any] | None) -> dict[str, Any] | None:
    block = (attributes or {}).get(FACTORYSEC_KEY)
    return block if isinstance(block, dict) else None


@dataclass(frozen=True)
class ImportResult:
    """An imported model, the report, and the other tool's threats and mitigations kept as notes."""

    model: FactoryModel
    report: MappingReport
    notes: list[str]


def import_otm(raw: Any, display: str, mapping: ImportMapping, catalog: Catalog) -> ImportResult:
    """Build a factorysec model from an OTM document; every problem located by JSON pointer."""
    if not isinstance(raw, dict):
        raise invalid(display, (), "an OTM document is a JSON object")
    try:
        doc = _Document.model_validate(raw)
    except ValidationError as error:
        raise ModelInputError(validation_problems(display, error)) from None
    if doc.otmVersion not in SUPPORTED_VERSIONS:
        raise invalid(
            display,
            ("otmVersion",),
            f"OTM version '{doc.otmVersion}' is not supported (supported: {', '.join(SUPPORTED_VERSIONS)})",
        )
    report = MappingReport(f"{display} (OTM {doc.otmVersion}) -> factorysec model")
    zones_in, components_in, assets_in = doc.trustZones or [], doc.components or [], doc.assets or []
    flows_in, threats_in, mitigations_in = doc.dataflows or [], doc.threats or [], doc.mitigations or []
    _check_ids(
        display,
        [("trustZones", zones_in), ("components", components_in), ("assets", assets_in), ("dataflows", flows_in)],
    )
    _check_ids(display, [("threats", threats_in)])
    _check_ids(display, [("mitigations", mitigations_in)])
    zone_ids = {z.id for z in zones_in}
    component_at = {c.id: i for i, c in enumerate(components_in)}
    problems: list[Problem] = []
    for index, zone in enumerate(zones_in):
        if zone.parent and zone.parent.trustZone and zone.parent.trustZone not in zone_ids:
            problems.append(
                problem(
                    display,
                    ("trustZones", index, "parent", "trustZone"),
                    f"trust zone '{zone.parent.trustZone}' does not exist",
                )
            )
        elif zone.parent and zone.parent.component:
            problems.append(
                problem(
                    display,
                    ("trustZones", index, "parent"),
                    "a trust zone inside a component cannot be a factorysec zone; give it a trustZone parent",
                )
            )
    problems.extend(_zone_cycles(display, zones_in))
    for index, component in enumerate(components_in):
        parent = component.parent
        if parent.trustZone is None and parent.component is None:
            problems.append(
                problem(display, ("components", index, "parent"), "parent needs 'trustZone' or 'component'")
            )
        elif parent.trustZone is not None and parent.trustZone not in zone_ids:
            problems.append(
                problem(
                    display,
                    ("components", index, "parent", "trustZone"),
                    f"trust zone '{parent.trustZone}' does not exist",
                )
            )
        elif parent.trustZone is None and parent.component not in component_at:
            problems.append(
                problem(
                    display,
                    ("components", index, "parent", "component"),
                    f"component '{parent.component}' does not exist",
                )
            )
    asset_ids = {a.id for a in assets_in}
    for index, flow in enumerate(flows_in):
        for end in ("source", "destination"):
            value = getattr(flow, end)
            if value not in component_at and value not in zone_ids:
                problems.append(
                    problem(display, ("dataflows", index, end), f"'{value}' is neither a component nor a trust zone")
                )
        for position, carried in enumerate(flow.assets or []):
            if carried is not None and carried not in asset_ids:
                problems.append(
                    problem(display, ("dataflows", index, "assets", position), f"asset '{carried}' does not exist")
                )
    for index, component in enumerate(components_in):
        for kind in ("processed", "stored"):
            for position, carried in enumerate(getattr(component.assets, kind) or [] if component.assets else []):
                if carried is not None and carried not in asset_ids:
                    problems.append(
                        problem(
                            display,
                            ("components", index, "assets", kind, position),
                            f"asset '{carried}' does not exist",
                        )
                    )
    if problems:
        raise ModelInputError(problems)
    zone_of_component = _component_zones(display, components_in, component_at)
    return _build(doc, raw, display, mapping, catalog, report, zone_of_component)


def _check_ids(display: str, sections: list[tuple[str, list[Any]]]) -> None:
    seen: dict[str, tuple[str, int]] = {}
    problems = []
    for section, items in sections:
        for index, item in enumerate(items):
            if item.id in seen:
                first = seen[item.id]
                problems.append(
                    problem(
                        display, (section, index, "id"), f"duplicate id '{item.id}' (first at /{first[0]}/{first[1]})"
                    )
                )
            else:
                seen[item.id] = (section, index)
    if problems:
        raise ModelInputError(problems)


def _zone_cycles(display: str, zones: list[_TrustZone]) -> list[Problem]:
    parent = {z.id: z.parent.trustZone for z in zones if z.parent and z.parent.trustZone}
    at = {z.id: i for i, z in enumerate(zones)}
    problems, reported = [], set()
    for start in parent:
        seen, current = [], start
        while current in parent and current not in seen:
            seen.append(current)
            current = parent[current]
        if current in seen and current not in reported:
            cycle = seen[seen.index(current) :]
            reported.update(cycle)
            problems.append(
                problem(
                    display,
                    ("trustZones", at[current], "parent", "trustZone"),
                    f"trust zones nest in a cycle: {' -> '.join([*cycle, current])}",
                )
            )
    return problems


def _component_zones(display: str, components: list[_Component], at: dict[str, int]) -> dict[str, str]:
    """The trust zone of each component, following component parents; a cycle is an error."""
    zones: dict[str, str] = {}
    for component in components:
        chain: list[str] = []
        current = component
        while current.parent.trustZone is None:
            if current.id in chain:
                raise invalid(
                    display,
                    ("components", at[component.id], "parent", "component"),
                    f"components nest in a cycle: {' -> '.join([*chain, current.id])}",
                )
            chain.append(current.id)
            current = components[at[current.parent.component or ""]]
        zones[component.id] = current.parent.trustZone
    return zones


def _build(
    doc: _Document,
    raw: Any,
    display: str,
    mapping: ImportMapping,
    catalog: Catalog,
    report: MappingReport,
    zone_of_component: dict[str, str],
) -> ImportResult:
    ids: dict[str, str] = {}

    def new_id(raw: str, where: str) -> str:
        if raw not in ids:
            ids[raw] = element_id(raw)
            if ids[raw] != raw:
                report.approximated(
                    where, f"id '{raw}' written as '{ids[raw]}' (factorysec ids are letters, digits, '.', '_', '-')"
                )
        return ids[raw]

    catalog_types = {c.id: AssetType(c.object_type) for c in catalog.components.values()}
    data: dict[str, Any] = {section: [] for section in COLLECTIONS}
    origins: dict[tuple[str, int], tuple[Any, ...]] = {}
    project_block = _fs(doc.project.attributes) or {}
    at_block = ("project", "attributes", FACTORYSEC_KEY)
    factory_block = project_block.get("factory", {})
    if not isinstance(factory_block, dict):
        raise invalid(display, (*at_block, "factory"), "must be a mapping of factory fields")
    factory = {"id": element_id(doc.project.id), "name": doc.project.name, **factory_block}
    if doc.project.description is not None:
        factory["purpose_notes"] = doc.project.description
    data["factory"] = factory
    origins[("factory", SINGLE)] = ("project",)
    for section in ("bcp", *COLLECTIONS):
        if section in project_block and section not in NATIVE_SECTIONS:
            value = data[section] = project_block[section]
            if section == "bcp":
                origins[(section, SINGLE)] = (*at_block, section)
            elif not isinstance(value, list):
                raise invalid(display, (*at_block, section), f"must be a list of {section} entries")
            else:
                origins.update({(section, i): (*at_block, section, i) for i in range(len(value))})
    notes: list[str] = []
    unread = Unread()
    _unread(raw, unread)

    def add(section: str, element: dict[str, Any], origin: tuple[Any, ...]) -> None:
        origins[(section, len(data[section]))] = origin
        data[section].append(element)

    for index, zone in enumerate(doc.trustZones or []):
        block = _fs(zone.attributes)
        element = {"id": new_id(zone.id, f"trust zone {zone.id}"), "name": zone.name, "description": zone.description}
        if zone.parent and zone.parent.trustZone:
            element["parent"] = new_id(zone.parent.trustZone, f"trust zone {zone.parent.trustZone}")
        if block is not None:
            element.update(block)
        else:
            kind = mapping.zone_kind(zone.type, zone.name)
            if kind is None:
                kind = ZoneKind.EXTERNAL if (zone.risk.trustRating or 0) <= 30 else ZoneKind.OTHER
                report.approximated(
                    f"trust zone {zone.id}",
                    f"type '{zone.type}' not in the mapping: kind '{kind.value}' from trust rating {zone.risk.trustRating}",
                )
            elif zone.risk.trustRating is not None:
                unread.fields.setdefault(("trust zone", "risk.trustRating"), []).append(zone.id)
            element["kind"] = kind.value
        add("zones", element, ("trustZones", index))
    report.map("trust zones -> zones", len(doc.trustZones or []))
    gateways: set[str] = set()
    for index, component in enumerate(doc.components or []):
        block = _fs(component.attributes)
        if block is not None and block.get("synthesised") == GATEWAY:
            gateways.add(component.id)
            report.dropped(f"component {component.id}", "gateway factorysec synthesised on export")
            continue
        element = {
            "id": new_id(component.id, f"component {component.id}"),
            "name": component.name,
            "description": component.description,
            "zone": new_id(zone_of_component[component.id], f"trust zone {zone_of_component[component.id]}"),
        }
        if component.parent.trustZone is None:
            report.approximated(
                f"component {component.id}",
                f"inside component '{component.parent.component}': placed in its trust zone",
            )
        if block is not None:
            element.update(block)
        else:
            chosen = mapping.component_type(component.type, catalog_types)
            if chosen is None:
                chosen = FALLBACK_COMPONENT
                report.approximated(
                    f"component {component.id}",
                    f"type '{component.type}' not in the mapping: protected object of type '{chosen.type.value}'",
                )
            element["type"] = chosen.type.value
            if chosen.component:
                element["component"] = chosen.component
        add("assets", element, ("components", index))
        notes.extend(f"threat {_instance(threat)} on component {component.id}" for threat in component.threats or [])
    report.map("components -> assets", len(data["assets"]))
    _import_data_assets(doc, display, data, add, new_id, zone_of_component, report)
    _import_dataflows(doc, data, add, new_id, zone_of_component, gateways, report, notes, unread)
    for index, mitigation in enumerate(doc.mitigations or []):
        block = _fs(mitigation.attributes)
        if block is not None and block.get("derived"):
            continue
        if block is not None:
            add(
                "measures",
                {"id": new_id(mitigation.id, f"mitigation {mitigation.id}"), **block},
                ("mitigations", index),
            )
            continue
        notes.append(
            f"mitigation '{mitigation.id}' {mitigation.name}: {mitigation.description or ''} (risk reduction {mitigation.riskReduction})".rstrip()
        )
    derived = 0
    for threat in doc.threats or []:
        block = _fs(threat.attributes)
        if block is not None and block.get("derived"):
            derived += 1
            continue
        notes.append(f"threat '{threat.id}' {threat.name}: {threat.description or ''}".rstrip())
    if derived:
        report.dropped(
            f"{derived} threat(s) from factorysec findings",
            "derived again by 'factorysec analyze' from the imported model",
        )
    if notes:
        report.approximated(
            f"{len(notes)} threat(s) and mitigation(s) of the other tool",
            "kept as notes in the written file's header, never as factorysec findings",
        )
    unread.report(report)
    _restore_asset_order(data, origins, project_block.get(ASSET_ORDER))
    model = build_model(data, origins, display, catalog, raw)
    return ImportResult(model=model, report=report, notes=notes)


def _restore_asset_order(data: dict[str, Any], origins: dict[tuple[str, int], tuple[Any, ...]], order: Any) -> None:
    """Put the assets back in the exported model's order; assets added in another tool follow, in file order."""
    if not isinstance(order, list):
        return
    rank = {asset_id: i for i, asset_id in enumerate(order) if isinstance(asset_id, str)}
    indexed = sorted(enumerate(data["assets"]), key=lambda pair: (rank.get(pair[1].get("id"), len(rank)), pair[0]))
    moved = {("assets", new): origins[("assets", old)] for new, (old, _) in enumerate(indexed)}
    origins.update(moved)
    data["assets"] = [element for _, element in indexed]


def _import_data_assets(
    doc: _Document,
    display: str,
    data: dict[str, Any],
    add: Callable[[str, dict[str, Any], tuple[Any, ...]], None],
    new_id: Callable[[str, str], str],
    zone_of_component: dict[str, str],
    report: MappingReport,
) -> None:
    """OTM assets as data assets, in the zone of the first component that processes or stores them."""
    holder: dict[str, str] = {}
    for component in doc.components or []:
        for carried in (
            [*(component.assets.processed or []), *(component.assets.stored or [])] if component.assets else []
        ):
            if carried is not None:
                holder.setdefault(carried, zone_of_component[component.id])
    for flow in doc.dataflows or []:
        for carried in flow.assets or []:
            if carried is not None:
                holder.setdefault(carried, zone_of_component.get(flow.source, flow.source))
    first_zone = doc.trustZones[0] if doc.trustZones else None
    for index, asset in enumerate(doc.assets or []):
        block = _fs(asset.attributes)
        element: dict[str, Any] = {
            "id": new_id(asset.id, f"asset {asset.id}"),
            "name": asset.name,
            "description": asset.description,
        }
        if block is not None:
            element.update(block)
        else:
            zone = holder.get(asset.id) or (first_zone.id if first_zone else None)
            if zone is None:
                raise invalid(
                    display, ("assets", index), "a data asset needs a trust zone to sit in: the document has none"
                )
            if asset.id not in holder:
                report.approximated(
                    f"asset {asset.id}", f"no component or dataflow holds it: placed in trust zone {zone}"
                )
            element.update(
                {
                    "type": "data",
                    "zone": new_id(zone, f"trust zone {zone}"),
                    "data": {"disclosure": disclosure_from_percent(asset.risk.confidentiality)},
                    "importance": {
                        "quality": _importance(asset.risk.integrity),
                        "delivery": _importance(asset.risk.availability),
                    },
                }
            )
            report.approximated(
                f"asset {asset.id}",
                "confidentiality -> disclosure, integrity -> quality, availability -> delivery importance",
            )
        add("assets", element, ("assets", index))
    report.map("assets -> data assets", len(doc.assets or []))


def _importance(percent: float) -> str:
    return importance_from_percent(percent).value


def _import_dataflows(
    doc: _Document,
    data: dict[str, Any],
    add: Callable[[str, dict[str, Any], tuple[Any, ...]], None],
    new_id: Callable[[str, str], str],
    zone_of_component: dict[str, str],
    gateways: set[str],
    report: MappingReport,
    notes: list[str],
    unread: Unread,
) -> None:
    """Dataflows as conduits: factorysec's own (joined again by ``part_of``) from their block, others from their ends,
    their description as what they carry and their tags as protocols, control instructions and an external network."""
    count = 0
    for index, flow in enumerate(doc.dataflows or []):
        block = _fs(flow.attributes)
        if block is None:
            notes.extend(f"threat {_instance(threat)} on dataflow {flow.id}" for threat in flow.threats or [])
        if block is not None and "part_of" in block:
            continue
        count += 1
        element: dict[str, Any] = {"id": new_id(flow.id, f"dataflow {flow.id}")}
        if block is not None:
            element.update(block)
            add("conduits", element, ("dataflows", index))
            continue
        ends: dict[str, Any] = {}
        for end, side in (("source", "from"), ("destination", "to")):
            value = getattr(flow, end)
            zone = zone_of_component.get(value, value)
            ends[side] = new_id(zone, f"trust zone {zone}")
            if value in zone_of_component and value not in gateways:
                ends[f"{side}_assets"] = [new_id(value, f"component {value}")]
        # 'HTTPS' and 'https' are one protocol: named once, as the model lists each value once
        protocols = list(dict.fromkeys(tag.lower() for tag in flow.tags or [] if tag and _protocol_like(tag)))
        networks = [tag.partition(":")[2] for tag in flow.tags or [] if tag and tag.startswith(EXTERNAL_NETWORK_TAG)]
        element.update(
            {
                "name": flow.name,
                "direction": "two-way" if flow.bidirectional else "one-way",
                "data": [new_id(a, f"asset {a}") for a in flow.assets or [] if a],
                **ends,
            }
        )
        if flow.description:
            element["carries"] = flow.description
        if CONTROL_TAG in (flow.tags or []):
            element["carries_control_instructions"] = True
        if networks:
            element["external_network"] = networks[0]
        if protocols:
            element["protocols"] = protocols
        unread.tag(
            "dataflow",
            flow.id,
            [
                tag
                for tag in flow.tags or []
                if tag and not _protocol_like(tag) and tag != CONTROL_TAG and not tag.startswith(EXTERNAL_NETWORK_TAG)
            ],
        )
        add("conduits", element, ("dataflows", index))
    report.map("dataflows -> conduits", count)


CONTROL_TAG = "control-instructions"
EXTERNAL_NETWORK_TAG = "external-network:"
"""Dataflow tags the export writes beside the protocols, read back for a dataflow without a factorysec block."""


def _protocol_like(tag: str) -> bool:
    return tag.lower() in _KNOWN_PROTOCOLS


_KNOWN_PROTOCOLS = frozenset(
    "http https mqtt mqtts opc-ua modbus-tcp modbus s7comm dnp3 ethernet-ip profinet bacnet ssh sftp ftp ftps smb rdp vnc snmp ldap ldaps amqp coap tls".split()
)
