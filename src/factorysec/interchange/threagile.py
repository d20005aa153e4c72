"""Threagile model export and import.

Export: zones -> trust boundaries (nested by ``parent``), equipment, software and services ->
technical assets with CIA ratings from their S/Q/D/C/BC importance, data assets -> data assets,
conduits -> communication links. Threagile has only tags for what it has no word for: OT
protocols, zone kinds, protected-object types, traits and the conduit a link belongs to travel as
``key:value`` tags (listed in ``tags_available``), and the import reads them back. Sections
Threagile has no place for are dropped and the report says so; OTM is the lossless format.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from factorysec.analysis import Assessment
from factorysec.catalog import Catalog
from factorysec.interchange.mapping import FALLBACK_COMPONENT, ImportMapping, MappingReport, Unread, element_id
from factorysec.interchange.otm import ImportResult
from factorysec.interchange.source import SINGLE, build_model, invalid, problem, validation_problems
from factorysec.model.entities import (
    COLLECTIONS,
    Asset,
    AssetType,
    Conduit,
    FactoryModel,
    Importance,
    Lifecycle,
    Trait,
    ZoneKind,
)
from factorysec.model.problems import ModelInputError, Problem

THREAGILE_VERSION = "1.0.0"
CRITICALITY = {
    Importance.LOW: "operational",
    Importance.MEDIUM: "important",
    Importance.HIGH: "critical",
    Importance.CRITICAL: "mission-critical",
}
CRITICALITY_LEVEL = {"archive": Importance.LOW, **{v: k for k, v in CRITICALITY.items()}}
CONFIDENTIALITY = {
    "public": "public",
    "partners": "internal",
    "internal": "internal",
    "restricted": "confidential",
    "secret": "strictly-confidential",
}
DISCLOSURE = {
    "public": "public",
    "internal": "internal",
    "restricted": "restricted",
    "confidential": "restricted",
    "strictly-confidential": "secret",
}
PROTOCOLS = frozenset(
    "http https ws wss mqtt jdbc odbc ssh ssh-tunnel smtp pop3 imap ftp ftps sftp scp ldap ldaps jms nfs smb xmpp".split()
)
"""Protocols Threagile has a word for (the rest, OT protocols among them, travel as ``protocol:`` tags)."""
TECHNOLOGY = {
    "controller": "iot-device", "iot-device": "iot-device", "hmi": "client-system", "terminal": "client-system",
    "engineering-workstation": "devops-client", "server": "application-server", "scada": "monitoring", "mes": "erp",
    "cad": "desktop", "router": "gateway", "firewall": "ips", "vpn-gateway": "gateway", "wireless-ap": "gateway",
    "network-equipment": "gateway", "cloud-system": "web-service-rest", "ai-analysis-system": "ai",
}  # fmt: skip
"""Catalog components to Threagile technologies (the component itself travels as a ``component:`` tag)."""


def _key(mapping: dict[str, Any], wanted: str, element_id_: str) -> str:
    return wanted if wanted not in mapping else f"{wanted} ({element_id_})"


def _importance_of(asset_id: str, assessment: Assessment) -> dict[str, Importance]:
    entry = assessment.importance.assets.get(asset_id)
    return {axis: d.level for axis, d in entry.ratings.items() if d.level is not None} if entry else {}


def _criticality(*levels: Importance | None) -> str:
    known = [level for level in levels if level is not None]
    return CRITICALITY[max(known, key=lambda level: level.rank)] if known else "operational"


def export_threagile(
    model: FactoryModel, assessment: Assessment, catalog: Catalog
) -> tuple[dict[str, Any], MappingReport]:
    """The model as a Threagile document, and the report of what was synthesised, approximated and dropped."""
    report = MappingReport(f"factory '{model.factory.id}' -> Threagile {THREAGILE_VERSION}")
    data_ids = {a.id for a in model.assets if a.type is AssetType.DATA}
    used_ids = {e.id for section in ("zones", "assets", "conduits") for e in getattr(model, section)}
    tags: set[str] = set()

    def tagged(values: list[str]) -> list[str]:
        tags.update(values)
        return values

    zone_levels = [assessment.importance.zone_level(z.id) for z in model.zones]
    data_assets: dict[str, Any] = {}
    disclosure_of: dict[str, str] = {}
    for asset in model.assets:
        if asset.type is not AssetType.DATA:
            continue
        ratings = _importance_of(asset.id, assessment)
        disclosure = asset.data.disclosure if asset.data else None
        disclosure_of[asset.id] = disclosure or "internal"
        data_assets[_key(data_assets, asset.name, asset.id)] = {
            "id": asset.id,
            "description": asset.description or asset.name,
            "usage": "business",
            "tags": tagged(_asset_tags(asset)),
            "owner": asset.data.controller if asset.data else None,
            "quantity": "many",
            "confidentiality": CONFIDENTIALITY[disclosure or "internal"],
            "integrity": _criticality(ratings.get("safety"), ratings.get("quality")),
            "availability": _criticality(ratings.get("delivery"), ratings.get("business_continuity")),
            "justification_cia_rating": "factorysec: confidentiality from the scope of disclosure, integrity from safety and quality, availability from delivery and business continuity (Step 1-5)",
        }
    technical: dict[str, dict[str, Any]] = {}
    for asset in model.assets:
        if asset.type is not AssetType.DATA:
            technical[asset.id] = _technical_asset(asset, assessment, tagged)
    gateways: dict[str, str] = {}
    zone_of = {a.id: a.zone for a in model.assets}

    def endpoint(zone: str, conduit: Conduit) -> str:
        boundary = [v for v in conduit.via if zone_of.get(v) == zone and v not in data_ids]
        if boundary:
            return boundary[0]
        if zone not in gateways:
            gateways[zone] = gateway = next(
                f"{zone}.gateway{'' if n == 1 else f'-{n}'}"
                for n in range(1, 10_000)
                if f"{zone}.gateway{'' if n == 1 else f'-{n}'}" not in used_ids
            )
            used_ids.add(gateway)
            technical[gateway] = _gateway(gateway, zone, tagged)
            zone_of[gateway] = zone
            report.synthesised(
                f"technical asset {gateway}",
                f"gateway of zone {zone}: end of the conduits that name no asset on that side",
            )
        return gateways[zone]

    processed: dict[str, list[str]] = defaultdict(list)
    for conduit in model.conduits:
        sources = [a for a in conduit.from_assets if a not in data_ids] or [endpoint(conduit.from_zone, conduit)]
        targets = [a for a in conduit.to_assets if a not in data_ids] or [endpoint(conduit.to_zone, conduit)]
        carried = [d for d in conduit.data if d in data_ids]
        link_tags = [
            f"conduit:{conduit.id}",
            *(f"protocol:{p}" for p in conduit.protocols),
            *(f"via:{v}" for v in conduit.via),
        ]
        link_tags += [
            f"end-not-named:{side}"
            for side, named in (("from", conduit.from_assets), ("to", conduit.to_assets))
            if not [a for a in named if a not in data_ids]
        ]
        if conduit.carries_control_instructions:
            link_tags.append("control-instructions")
        if conduit.instructions_from is not None:
            link_tags.append(f"instructions-from:{conduit.instructions_from}")
        link_tags.append(f"direction:{conduit.direction}")
        if conduit.status is not Lifecycle.EXISTING:
            link_tags.append(f"status:{conduit.status.value}")
        if conduit.external_network.value != "none":
            link_tags.append(f"external-network:{conduit.external_network.value}")
        protocol = next((p for p in conduit.protocols if p in PROTOCOLS), None)
        if conduit.protocols and protocol is None:
            report.approximated(
                f"conduit {conduit.id}",
                f"protocols {', '.join(conduit.protocols)} have no Threagile word: protocol 'binary', the protocols as tags",
            )
        confidential = any(disclosure_of.get(d) in ("restricted", "secret") for d in carried)
        for source in sources:
            for target in targets:
                links = technical[source]["communication_links"]
                links[_key(links, conduit.name or conduit.id, f"{conduit.id} to {target}")] = {
                    "target": target,
                    "description": conduit.carries or conduit.name or conduit.id,
                    "protocol": protocol or ("unknown-protocol" if not conduit.protocols else "binary"),
                    "authentication": "none",
                    "authorization": "none",
                    "tags": tagged(link_tags),
                    "vpn": conduit.external_network.value == "vpn",
                    "ip_filtered": bool(conduit.via or conduit.controls),
                    "readonly": not conduit.carries_control_instructions,
                    "usage": "business",
                    "data_assets_sent": carried,
                    "data_assets_received": carried if conduit.direction == "two-way" else [],
                }
                for end in (source, target):
                    processed[end].extend(d for d in carried if d not in processed[end])
        if confidential:
            report.approximated(
                f"conduit {conduit.id}",
                "authentication and authorization 'none': the model does not say; set them in Threagile",
            )
    for asset_id, element in technical.items():
        element["data_assets_processed"] = processed.get(asset_id, [])
    report.map("conduits -> communication links", len(model.conduits))
    boundaries: dict[str, Any] = {}
    for zone in model.zones:
        inside = [a for a, z in zone_of.items() if z == zone.id and a in technical]
        boundaries[_key(boundaries, zone.name, zone.id)] = {
            "id": zone.id,
            "description": zone.description or zone.name,
            "type": "network-cloud-provider" if zone.kind is ZoneKind.EXTERNAL else "network-on-prem",
            "tags": tagged(
                [
                    f"kind:{zone.kind.value}",
                    *([f"status:{zone.status.value}"] if zone.status is not Lifecycle.EXISTING else []),
                ]
            ),
            "technical_assets_inside": inside,
            "trust_boundaries_nested": [z.id for z in model.zones if z.parent == zone.id],
        }
    report.map("zones -> trust boundaries", len(model.zones))
    report.map("assets -> technical assets", len(model.assets) - len(data_ids))
    report.map("data assets -> data assets", len(data_ids))
    technical_assets: dict[str, Any] = {}
    for asset_id, element in technical.items():
        name = element.pop("name")
        technical_assets[_key(technical_assets, name, asset_id)] = element
    for section in ("bcp", *COLLECTIONS):
        if section in ("zones", "assets", "conduits"):
            continue
        if getattr(model, section):
            report.dropped(f"section {section}", "Threagile has no place for it (export to OTM to keep it)")
    for section, elements in (
        ("factory", [model.factory]),
        ("zones", model.zones),
        ("assets", model.assets),
        ("conduits", model.conduits),
    ):
        lost = _not_carried(section, elements)
        if lost:
            report.dropped(f"{section} fields", f"{', '.join(lost)}: no Threagile field or tag (OTM keeps them)")
    threats = [f for f in assessment.findings if f.category == "threat"]
    if threats:
        report.dropped(
            f"{len(threats)} threat finding(s)",
            "Threagile derives its own risks; its risk_tracking is keyed on its own rule ids",
        )
    document = {
        "threagile_version": THREAGILE_VERSION,
        "title": model.factory.name,
        "author": {"name": "factorysec", "homepage": None},
        "management_summary_comment": model.factory.purpose_notes,
        "business_criticality": _criticality(*zone_levels) if any(zone_levels) else "important",
        "business_overview": {
            "description": f"factorysec model '{model.factory.id}' ({model.factory.industry})"
            + (f", purposes: {', '.join(model.factory.purposes)}" if model.factory.purposes else ""),
            "images": [],
        },
        "tags_available": sorted(tags),
        "data_assets": data_assets,
        "technical_assets": technical_assets,
        "trust_boundaries": boundaries,
        "shared_runtimes": {},
    }
    return document, report


CARRIED = {
    "factory": {"id", "name", "industry", "purposes", "purpose_notes"},
    "zones": {"id", "name", "kind", "parent", "status", "description"},
    "assets": {
        "id", "name", "type", "component", "zone", "traits", "status", "description", "importance", "identity",
        "data.disclosure", "data.category",
    },
    "conduits": {
        "id", "name", "from_zone", "to_zone", "from_assets", "to_assets", "direction", "data", "carries",
        "carries_control_instructions", "instructions_from", "protocols", "external_network", "via", "status",
    },
}  # fmt: skip
"""The fields of each section that a Threagile export carries (as a Threagile field or a tag) and the import reads back."""


def _not_carried(section: str, elements: Any) -> list[str]:
    """The fields the ``elements`` of ``section`` set that a Threagile export does not carry, in field order."""
    lost: dict[str, None] = {}
    for element in elements:
        for field, value in element.model_dump(exclude_defaults=True, exclude_none=True).items():
            names = [f"{field}.{sub}" for sub in value] if field == "data" and isinstance(value, dict) else [field]
            lost.update((name, None) for name in names if name not in CARRIED[section])
    return list(lost)


def _asset_tags(asset: Asset) -> list[str]:
    tags = [
        f"type:{asset.type.value}",
        *([f"component:{asset.component}"] if asset.component else []),
        *(f"trait:{t.value}" for t in asset.traits),
    ]
    if asset.status is not Lifecycle.EXISTING:
        tags.append(f"status:{asset.status.value}")
    if asset.data and asset.data.disclosure:
        tags.append(f"disclosure:{asset.data.disclosure}")
    if asset.type is AssetType.DATA and asset.zone:
        tags.append(f"zone:{asset.zone}")
    if asset.data and asset.data.category:
        tags.append(f"category:{asset.data.category}")
    if asset.importance is not None:
        tags += [f"importance.{axis}:{level}" for axis, level in asset.importance.model_dump(exclude_none=True).items()]
    if asset.identity is not None:
        tags += [
            f"identity.{field}:{value}"
            for field, value in asset.identity.model_dump(exclude_defaults=True, exclude_none=True).items()
        ]
    return tags


def _technical_asset(asset: Asset, assessment: Assessment, tagged: Any) -> dict[str, Any]:
    ratings = _importance_of(asset.id, assessment)
    overall = assessment.importance.asset_level(asset.id)
    traits = set(asset.traits)
    external = asset.type is AssetType.EXTERNAL_SERVICE or Trait.CLOUD in traits
    element: dict[str, Any] = {
        "name": asset.name,
        "id": asset.id,
        "description": asset.description or asset.name,
        "type": "external-entity" if external else "process",
        "usage": "business",
        "used_as_client_by_human": asset.component in ("hmi", "terminal", "engineering-workstation"),
        "out_of_scope": False,
        "size": "system" if asset.type is AssetType.EXTERNAL_SERVICE else "component",
        "tags": tagged(_asset_tags(asset)),
        "internet": external or Trait.REMOTE_ACCESS in traits,
        "machine": "virtual" if Trait.CLOUD in traits else "physical",
        "encryption": "none",
        "owner": asset.managed_by or "in-house",
        "confidentiality": CONFIDENTIALITY["internal"]
        if overall is None or overall.rank < 3
        else CONFIDENTIALITY["restricted"],
        "integrity": _criticality(ratings.get("safety"), ratings.get("quality"), overall if not ratings else None),
        "availability": _criticality(
            ratings.get("delivery"), ratings.get("business_continuity"), overall if not ratings else None
        ),
        "justification_cia_rating": "factorysec: integrity from safety and quality, availability from delivery and business continuity (Step 1-5)",
        "multi_tenant": Trait.CLOUD in traits,
        "redundant": False,
        "custom_developed_parts": asset.component in ("new-software", "control-model", "equipment-program"),
        "data_assets_processed": [],
        "data_assets_stored": [],
        "data_formats_accepted": [],
        "communication_links": {},
    }
    element["technology"] = TECHNOLOGY.get(asset.component or "", "unknown-technology")
    return element


def _gateway(gateway: str, zone: str, tagged: Any) -> dict[str, Any]:
    return {
        "name": f"Gateway of zone {zone}",
        "id": gateway,
        "description": f"Synthesised by factorysec: end of the conduits of zone {zone} that name no asset",
        "type": "process",
        "usage": "business",
        "used_as_client_by_human": False,
        "out_of_scope": True,
        "justification_out_of_scope": "synthesised by factorysec for conduits without named assets",
        "size": "component",
        "technology": "gateway",
        "tags": tagged(["factorysec:zone-gateway"]),
        "internet": False,
        "machine": "physical",
        "encryption": "none",
        "owner": "in-house",
        "confidentiality": "internal",
        "integrity": "operational",
        "availability": "operational",
        "multi_tenant": False,
        "redundant": False,
        "custom_developed_parts": False,
        "data_assets_processed": [],
        "data_assets_stored": [],
        "data_formats_accepted": [],
        "communication_links": {},
    }


# --- import --------------------------------------------------------------------------


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Link(_Loose):
    target: str
    description: str | None = None
    protocol: str | None = None
    tags: list[str] | None = None
    data_assets_sent: list[str] | None = None
    data_assets_received: list[str] | None = None


class _TechnicalAsset(_Loose):
    id: str
    description: str | None = None
    type: str | None = None
    confidentiality: str | None = None
    integrity: str | None = None
    availability: str | None = None
    technology: str | None = None
    technologies: list[str] | None = None
    tags: list[str] | None = None
    internet: bool | None = None
    data_assets_processed: list[str] | None = None
    data_assets_stored: list[str] | None = None
    communication_links: dict[str, _Link] | None = None


class _Boundary(_Loose):
    id: str
    description: str | None = None
    type: str | None = None
    tags: list[str] | None = None
    technical_assets_inside: list[str] | None = None
    trust_boundaries_nested: list[str] | None = None


class _DataAsset(_Loose):
    id: str
    description: str | None = None
    tags: list[str] | None = None
    confidentiality: str | None = None
    integrity: str | None = None
    availability: str | None = None


class _Document(_Loose):
    title: str
    business_overview: Any = None
    management_summary_comment: Any = None
    threagile_version: str | None = None
    data_assets: dict[str, _DataAsset] | None = None
    technical_assets: dict[str, _TechnicalAsset] | None = None
    trust_boundaries: dict[str, _Boundary] | None = None
    risk_tracking: dict[str, Any] | None = None
    individual_risk_categories: dict[str, Any] | None = None


_EXPORTED_FACTORY = re.compile(
    r"factorysec model '(?P<id>[^']+)' \((?P<industry>[^)]+)\)(?:, purposes: (?P<purposes>.+))?"
)
"""The business overview a factorysec export writes."""


def _fields(tags: list[str] | None, prefix: str) -> dict[str, str]:
    """``prefix.FIELD:value`` tags as ``{FIELD: value}`` (the first of each field)."""
    found: dict[str, str] = {}
    for tag in tags or []:
        key, sep, value = tag.partition(":")
        if sep and key.startswith(f"{prefix}.") and key[len(prefix) + 1 :]:
            found.setdefault(key[len(prefix) + 1 :], value)
    return found


def _carried(tags: list[str] | None) -> dict[str, Any]:
    """The importance and identity of an asset a factorysec export wrote as tags."""
    element: dict[str, Any] = {}
    if importance := _fields(tags, "importance"):
        element["importance"] = importance
    if identity := _fields(tags, "identity"):
        element["identity"] = identity
    return element


def _tag(tags: list[str] | None, key: str) -> list[str]:
    prefix = f"{key}:"
    return [t[len(prefix) :] for t in tags or [] if t.startswith(prefix)]


THREAGILE_VALUES = {
    "confidentiality": tuple(DISCLOSURE),
    "integrity": tuple(CRITICALITY_LEVEL),
    "availability": tuple(CRITICALITY_LEVEL),
}
"""The values Threagile allows for the fields the import reads a meaning from."""
TAG_VALUES: dict[str, tuple[str, ...]] = {
    "kind": tuple(ZoneKind._value2member_map_),
    "trait": tuple(Trait._value2member_map_),
    "status": tuple(Lifecycle._value2member_map_),
}
"""The factorysec words a ``key:value`` tag the export writes may hold (the others are checked by the model)."""


_READ = {
    "document": (
        "title", "business_overview", "threagile_version", "data_assets", "technical_assets", "trust_boundaries",
        "risk_tracking", "individual_risk_categories", "tags_available",
        "shared_runtimes", "abuse_cases", "security_requirements", "questions",  # dropped whole, and said so
    ),
    "technical asset": (
        "id", "description", "technology", "technologies", "tags", "internet", "integrity", "availability",
        "data_assets_processed", "data_assets_stored", "communication_links",
    ),
    "trust boundary": ("id", "description", "type", "tags", "technical_assets_inside", "trust_boundaries_nested"),
    "data asset": ("id", "description", "tags", "confidentiality", "integrity", "availability"),
    "communication link": (
        "target", "description", "protocol", "tags", "data_assets_sent", "data_assets_received", "vpn",
    ),
}  # fmt: skip
"""The fields the import reads of each element the other tool wrote (``tags_available`` only declares the tags). The
elements a factorysec export wrote (a ``type:``, ``kind:`` or ``conduit:`` tag) are read from their tags, their other
fields derived from them. Any other field holding a value is reported dropped."""
_TAG_KEYS = frozenset(
    "type component trait status disclosure zone category kind conduit protocol via end-not-named direction"
    " instructions-from external-network".split()
)
"""The ``key:value`` tags the import reads (with ``importance.AXIS`` and ``identity.FIELD``)."""
_PLAIN_TAGS = frozenset({"control-instructions", "factorysec:zone-gateway"})


def _unread_tags(tags: list[str] | None) -> list[str]:
    """The tags no factorysec field takes."""
    found = []
    for tag in tags or []:
        key, sep, _ = tag.partition(":")
        if tag in _PLAIN_TAGS or (sep and (key in _TAG_KEYS or key.startswith(("importance.", "identity.")))):
            continue
        found.append(tag)
    return found


def _unread(raw: dict[str, Any], doc: _Document, exported: bool, unread: Unread) -> None:
    """Note the fields (and tags) of the document and of the elements the other tool wrote that the import does not read."""
    if not exported:
        unread.check("document", "the document", raw, _READ["document"])
        unread.check("document", "the document", raw.get("business_overview"), ("description",), "business_overview.")
    for section, kind, marker in (
        ("technical_assets", "technical asset", "type"),
        ("trust_boundaries", "trust boundary", "kind"),
        ("data_assets", "data asset", "type"),
    ):
        items = raw.get(section)
        parsed: dict[str, Any] = getattr(doc, section) or {}
        for key, item in items.items() if isinstance(items, dict) else ():
            element = parsed[key]
            if not _tag(element.tags, marker) and "factorysec:zone-gateway" not in (element.tags or []):
                unread.check(kind, element.id, item, _READ[kind])
                unread.tag(kind, element.id, _unread_tags(element.tags))
            links = item.get("communication_links") if isinstance(item, dict) else None
            for link_key, link in links.items() if isinstance(links, dict) else ():
                if not _tag(element.communication_links[link_key].tags, "conduit"):
                    where = f"{element.id}/{link_key}"
                    unread.check("communication link", where, link, _READ["communication link"])
                    unread.tag("communication link", where, _unread_tags(element.communication_links[link_key].tags))


def _unknown_values(display: str, where: tuple[Any, ...], item: BaseModel) -> list[Problem]:
    """A problem for each field or factorysec tag of ``item`` whose value the import would otherwise drop unread."""
    found: list[Problem] = []
    for field, allowed in THREAGILE_VALUES.items():
        value = getattr(item, field, None)
        if value is not None and value not in allowed:
            found.append(problem(display, (*where, field), f"{value!r} is not one of {', '.join(allowed)}"))
    for position, tag in enumerate(getattr(item, "tags", None) or []):
        key, sep, value = tag.partition(":")
        if sep and key in TAG_VALUES and value not in TAG_VALUES[key]:
            found.append(
                problem(
                    display,
                    (*where, "tags", position),
                    f"{key} {value!r} is not one of {', '.join(TAG_VALUES[key])}",
                )
            )
    return found


def import_threagile(raw: Any, display: str, mapping: ImportMapping, catalog: Catalog) -> ImportResult:
    """Build a factorysec model from a Threagile document; every problem located by JSON pointer."""
    if not isinstance(raw, dict):
        raise invalid(display, (), "a Threagile model is a YAML mapping")
    try:
        doc = _Document.model_validate(raw)
    except ValidationError as error:
        raise ModelInputError(validation_problems(display, error)) from None
    if doc.threagile_version is not None and not str(doc.threagile_version).startswith("1."):
        raise invalid(
            display, ("threagile_version",), f"Threagile version '{doc.threagile_version}' is not supported (1.x)"
        )
    report = MappingReport(f"{display} (Threagile) -> factorysec model")
    technical = doc.technical_assets or {}
    boundaries = doc.trust_boundaries or {}
    data_assets = doc.data_assets or {}
    problems: list[Problem] = []
    seen: dict[str, tuple[str, str]] = {}
    for section, items in (
        ("technical_assets", technical),
        ("trust_boundaries", boundaries),
        ("data_assets", data_assets),
    ):
        for key, item in items.items():
            if item.id in seen:
                problems.append(
                    problem(
                        display,
                        (section, key, "id"),
                        f"duplicate id '{item.id}' (first at /{seen[item.id][0]}/{seen[item.id][1]})",
                    )
                )
            seen.setdefault(item.id, (section, key))
    for section, items in (
        ("technical_assets", technical),
        ("trust_boundaries", boundaries),
        ("data_assets", data_assets),
    ):
        for key, item in items.items():
            problems.extend(_unknown_values(display, (section, key), item))
            for link_key, link in (getattr(item, "communication_links", None) or {}).items():
                where = (section, key, "communication_links", link_key)
                problems.extend(_unknown_values(display, where, link))
    if problems:
        raise ModelInputError(problems)
    asset_ids = {a.id for a in technical.values()}
    boundary_ids = {b.id for b in boundaries.values()}
    data_ids = {d.id for d in data_assets.values()}
    zone_of: dict[str, str] = {}
    parent_of: dict[str, str] = {}
    for key, boundary in boundaries.items():
        for position, inside in enumerate(boundary.technical_assets_inside or []):
            where = ("trust_boundaries", key, "technical_assets_inside", position)
            if inside not in asset_ids:
                problems.append(problem(display, where, f"technical asset '{inside}' does not exist"))
            elif inside in zone_of:
                problems.append(
                    problem(
                        display,
                        where,
                        f"technical asset '{inside}' is already inside trust boundary '{zone_of[inside]}'",
                    )
                )
            else:
                zone_of[inside] = boundary.id
        for position, nested in enumerate(boundary.trust_boundaries_nested or []):
            where = ("trust_boundaries", key, "trust_boundaries_nested", position)
            if nested not in boundary_ids:
                problems.append(problem(display, where, f"trust boundary '{nested}' does not exist"))
            elif nested in parent_of:
                problems.append(
                    problem(display, where, f"trust boundary '{nested}' is already nested in '{parent_of[nested]}'")
                )
            else:
                parent_of[nested] = boundary.id
    key_of_boundary = {b.id: k for k, b in boundaries.items()}
    for start in parent_of:
        chain, current = [start], parent_of[start]
        while current in parent_of and current not in chain:
            chain.append(current)
            current = parent_of[current]
        if current in chain and current == start:
            problems.append(
                problem(
                    display,
                    ("trust_boundaries", key_of_boundary[start], "trust_boundaries_nested"),
                    f"trust boundaries nest in a cycle: {' -> '.join([*chain, start])}",
                )
            )
    for key, asset in technical.items():
        for field in ("data_assets_processed", "data_assets_stored"):
            for position, carried in enumerate(getattr(asset, field) or []):
                if carried not in data_ids:
                    problems.append(
                        problem(
                            display,
                            ("technical_assets", key, field, position),
                            f"data asset '{carried}' does not exist",
                        )
                    )
        for link_key, link in (asset.communication_links or {}).items():
            if link.target not in asset_ids:
                problems.append(
                    problem(
                        display,
                        ("technical_assets", key, "communication_links", link_key, "target"),
                        f"technical asset '{link.target}' does not exist",
                    )
                )
            for field in ("data_assets_sent", "data_assets_received"):
                for position, carried in enumerate(getattr(link, field) or []):
                    if carried not in data_ids:
                        problems.append(
                            problem(
                                display,
                                ("technical_assets", key, "communication_links", link_key, field, position),
                                f"data asset '{carried}' does not exist",
                            )
                        )
    if problems:
        raise ModelInputError(problems)
    return _build(doc, raw, display, mapping, catalog, report, zone_of, parent_of)


def _build(
    doc: _Document,
    raw: Any,
    display: str,
    mapping: ImportMapping,
    catalog: Catalog,
    report: MappingReport,
    zone_of: dict[str, str],
    parent_of: dict[str, str],
) -> ImportResult:
    technical = doc.technical_assets or {}
    boundaries = doc.trust_boundaries or {}
    catalog_types = {c.id: AssetType(c.object_type) for c in catalog.components.values()}
    ids: dict[str, str] = {}

    def new_id(raw: str) -> str:
        if raw not in ids:
            ids[raw] = element_id(raw)
            if ids[raw] != raw:
                report.approximated(
                    f"id {raw}", f"written as '{ids[raw]}' (factorysec ids are letters, digits, '.', '_', '-')"
                )
        return ids[raw]

    data: dict[str, Any] = {section: [] for section in COLLECTIONS}
    data["factory"] = {"id": element_id(doc.title.lower()), "name": doc.title}
    origins: dict[tuple[str, int], tuple[Any, ...]] = {("factory", SINGLE): ("title",)}
    overview = doc.business_overview.get("description") if isinstance(doc.business_overview, dict) else None
    exported = _EXPORTED_FACTORY.fullmatch(overview) if isinstance(overview, str) else None
    if exported is not None:  # written by a factorysec export: the factory's id, industry and purposes
        data["factory"].update(id=exported["id"], industry=exported["industry"])
        if exported["purposes"]:
            data["factory"]["purposes"] = exported["purposes"].split(", ")
        if isinstance(doc.management_summary_comment, str) and doc.management_summary_comment:
            data["factory"]["purpose_notes"] = doc.management_summary_comment
        origins[("factory", SINGLE)] = ("business_overview", "description")
    elif isinstance(overview, str) and overview.strip():
        data["factory"]["purpose_notes"] = overview
        report.approximated("business_overview", "its description is the factory's purpose notes")
    notes: list[str] = []
    unread = Unread()
    _unread(raw, doc, exported is not None, unread)

    def add(section: str, element: dict[str, Any], origin: tuple[Any, ...]) -> None:
        origins[(section, len(data[section]))] = origin
        data[section].append(element)

    for key, boundary in boundaries.items():
        kinds = _tag(boundary.tags, "kind")
        kind = (
            ZoneKind(kinds[0])
            if kinds and kinds[0] in ZoneKind._value2member_map_
            else mapping.zone_kind(boundary.type, key)
        )
        if not kinds:
            report.approximated(
                f"trust boundary {boundary.id}", f"type '{boundary.type}': zone kind '{(kind or ZoneKind.OTHER).value}'"
            )
        element: dict[str, Any] = {
            "id": new_id(boundary.id),
            "name": _name(key, boundary.id),
            "kind": (kind or ZoneKind.OTHER).value,
        }
        if boundary.description and boundary.description != key:
            element["description"] = boundary.description
        if boundary.id in parent_of:
            element["parent"] = new_id(parent_of[boundary.id])
        element.update(_status(boundary.tags))
        add("zones", element, ("trust_boundaries", key))
    outside = [
        a.id for a in technical.values() if a.id not in zone_of and "factorysec:zone-gateway" not in (a.tags or [])
    ]
    if outside:
        zone_id = element_id("outside-trust-boundaries")
        add("zones", {"id": zone_id, "name": "Outside any trust boundary", "kind": "external"}, ("technical_assets",))
        for asset_id in outside:
            zone_of[asset_id] = zone_id
        report.synthesised(
            f"zone {zone_id}",
            f"holds the {len(outside)} technical asset(s) in no trust boundary ({', '.join(outside[:5])}{'...' if len(outside) > 5 else ''})",
        )
    gateways = {a.id for a in technical.values() if "factorysec:zone-gateway" in (a.tags or [])}
    for gateway in sorted(gateways):
        report.dropped(f"technical asset {gateway}", "gateway factorysec synthesised on export")
    holder: dict[str, str] = {}
    for key, asset in technical.items():
        if asset.id in gateways:
            continue
        element = {"id": new_id(asset.id), "name": _name(key, asset.id), "zone": new_id(zone_of[asset.id])}
        if asset.description and asset.description != key:
            element["description"] = asset.description
        types, components = _tag(asset.tags, "type"), _tag(asset.tags, "component")
        if types:
            element["type"] = types[0]
            if components:
                element["component"] = components[0]
        else:
            words = [asset.technology, *(asset.technologies or [])]
            chosen = next((c for c in (mapping.component_type(w, catalog_types) for w in words) if c), None)
            if chosen is None:
                chosen = FALLBACK_COMPONENT
                report.approximated(
                    f"technical asset {asset.id}",
                    f"technology '{asset.technology}' not in the mapping: protected object of type '{chosen.type.value}'",
                )
            element["type"] = chosen.type.value
            if chosen.component:
                element["component"] = chosen.component
        if not types:
            element.update(_importance(asset.integrity, asset.availability, f"technical asset {asset.id}", report))
        traits = [t for t in _tag(asset.tags, "trait") if t in Trait._value2member_map_]
        if not _tag(asset.tags, "type") and asset.internet and Trait.REMOTE_ACCESS.value not in traits:
            traits.append(Trait.REMOTE_ACCESS.value)
            report.approximated(f"technical asset {asset.id}", "reachable from the internet: trait 'remote-access'")
        if traits:
            element["traits"] = traits
        element.update(_status(asset.tags))
        element.update(_carried(asset.tags))
        add("assets", element, ("technical_assets", key))
        for carried in [*(asset.data_assets_processed or []), *(asset.data_assets_stored or [])]:
            holder.setdefault(carried, zone_of[asset.id])
    report.map("technical assets -> assets", len(technical) - len(gateways))
    first_zone = data["zones"][0]["id"] if data["zones"] else None
    for key, datum in (doc.data_assets or {}).items():
        tagged_zone = _tag(datum.tags, "zone")
        zone = new_id(tagged_zone[0]) if tagged_zone else holder.get(datum.id) or first_zone
        if zone is None:
            raise invalid(
                display,
                ("data_assets", key),
                "a data asset needs a zone: the model has no trust boundary or technical asset",
            )
        if datum.id not in holder and not tagged_zone:
            report.approximated(
                f"data asset {datum.id}", f"no technical asset processes or stores it: placed in zone {zone}"
            )
        disclosure = _tag(datum.tags, "disclosure")
        element = {"id": new_id(datum.id), "name": _name(key, datum.id), "type": "data", "zone": zone}
        components = _tag(datum.tags, "component")
        if components:
            element["component"] = components[0]
        if datum.description and datum.description != key:
            element["description"] = datum.description
        scope = disclosure[0] if disclosure else DISCLOSURE.get(datum.confidentiality or "")
        category = _tag(datum.tags, "category")
        if scope or category:
            element["data"] = {"disclosure": scope} if scope else {}
            if category:
                element["data"]["category"] = category[0]
        if not _tag(datum.tags, "type"):
            element.update(_importance(datum.integrity, datum.availability, f"data asset {datum.id}", report))
        element.update(_status(datum.tags))
        element.update(_carried(datum.tags))
        add("assets", element, ("data_assets", key))
    report.map("data assets -> data assets", len(doc.data_assets or {}))
    _import_links(technical, gateways, zone_of, new_id, add, data, report)
    for risk_id, tracked in (doc.risk_tracking or {}).items():
        status = tracked.get("status") if isinstance(tracked, dict) else None
        notes.append(
            f"risk tracking '{risk_id}': {status}"
            + (
                f" ({tracked.get('justification')})"
                if isinstance(tracked, dict) and tracked.get("justification")
                else ""
            )
        )
    for category_key, category in (doc.individual_risk_categories or {}).items():
        risks = category.get("risks_identified") if isinstance(category, dict) else None
        notes.append(f"individual risk category '{category_key}': {len(risks or {})} risk(s) identified")
    if notes:
        report.approximated(
            f"{len(notes)} risk entr{'y' if len(notes) == 1 else 'ies'} of Threagile",
            "kept as notes in the written file's header, never as factorysec findings",
        )
    for dropped in ("shared_runtimes", "abuse_cases", "security_requirements", "questions"):
        if raw_value := (doc.model_extra or {}).get(dropped):
            report.dropped(
                dropped, f"{len(raw_value)} entr{'y' if len(raw_value) == 1 else 'ies'}: no factorysec element"
            )
    unread.report(report)
    model = build_model(data, origins, display, catalog, raw)
    return ImportResult(model=model, report=report, notes=notes)


def _name(key: str, element_id_: str) -> str:
    """The element's name from its key: the export writes ``name (id)`` when two elements share a name."""
    suffix = f" ({element_id_})"
    return key[: -len(suffix)] if key.endswith(suffix) and len(key) > len(suffix) else key


def _importance(integrity: str | None, availability: str | None, what: str, report: MappingReport) -> dict[str, Any]:
    """An element's ``importance`` from a Threagile asset's integrity and availability (as quality and delivery), or
    nothing when neither is a rating; the mapping report says so when they are read."""
    ratings = {
        axis: CRITICALITY_LEVEL[value].value
        for axis, value in (("quality", integrity), ("delivery", availability))
        if value in CRITICALITY_LEVEL
    }
    if not ratings:
        return {}
    report.approximated(what, "integrity -> quality, availability -> delivery importance")
    return {"importance": ratings}


def _status(tags: list[str] | None) -> dict[str, str]:
    status = _tag(tags, "status")
    return {"status": status[0]} if status and status[0] in Lifecycle._value2member_map_ else {}


def _import_links(
    technical: dict[str, _TechnicalAsset],
    gateways: set[str],
    zone_of: dict[str, str],
    new_id: Any,
    add: Any,
    data: dict[str, Any],
    report: MappingReport,
) -> None:
    """Communication links as conduits; the links exported from one conduit (``conduit:`` tag) are joined again."""
    joined: dict[str, dict[str, Any]] = {}
    for key, asset in technical.items():
        for link_key, link in (asset.communication_links or {}).items():
            conduit_tags = _tag(link.tags, "conduit")
            conduit_id = new_id(conduit_tags[0]) if conduit_tags else element_id(f"{asset.id}-{link_key}")
            element = joined.get(conduit_id)
            if element is None:
                protocols = _tag(link.tags, "protocol") or ([link.protocol] if link.protocol in PROTOCOLS else [])
                if not protocols and link.protocol:
                    report.dropped(
                        f"communication link {asset.id}/{link_key}",
                        f"protocol '{link.protocol}': no factorysec protocol of that name",
                    )
                element = {
                    "id": conduit_id,
                    "name": link_key if not conduit_tags or link_key not in (conduit_id,) else None,
                    "from": new_id(zone_of[asset.id]),
                    "to": new_id(zone_of[link.target]),
                    "from_assets": [],
                    "to_assets": [],
                    "direction": (
                        _tag(link.tags, "direction") or ["two-way" if link.data_assets_received else "one-way"]
                    )[0],
                    # what comes back on the link is carried too (an export writes it only on a two-way conduit)
                    "data": [
                        new_id(d)
                        for d in [
                            *(link.data_assets_sent or []),
                            *(r for r in link.data_assets_received or [] if r not in (link.data_assets_sent or [])),
                        ]
                    ],
                    "carries_control_instructions": "control-instructions" in (link.tags or []),
                    "protocols": protocols,
                    **_status(link.tags),
                }
                via = _tag(link.tags, "via")
                if via:
                    element["via"] = [new_id(v) for v in via]
                issuing_end = _tag(link.tags, "instructions-from")
                if issuing_end:
                    element["instructions_from"] = issuing_end[0]
                networks = _tag(link.tags, "external-network")
                if networks:
                    element["external_network"] = networks[0]
                elif link.model_extra and link.model_extra.get("vpn"):
                    element["external_network"] = "vpn"
                if link.description and link.description != link_key:
                    element["carries"] = link.description
                joined[conduit_id] = element
                add("conduits", element, ("technical_assets", key, "communication_links", link_key))
            unnamed = _tag(link.tags, "end-not-named")
            if asset.id not in gateways and "from" not in unnamed and new_id(asset.id) not in element["from_assets"]:
                element["from_assets"].append(new_id(asset.id))
            if link.target not in gateways and "to" not in unnamed and new_id(link.target) not in element["to_assets"]:
                element["to_assets"].append(new_id(link.target))
    report.map("communication links -> conduits", len(joined))
    if data.get("conduits") is None:
        data["conduits"] = []
