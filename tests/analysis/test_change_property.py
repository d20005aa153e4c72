"""Property: for generated models and random valid change files, the review reports exactly the elements the change touched.

The change is applied by the real change-file loader: the base model and the
change YAML are written to a temporary folder with ``change: {base: model.yaml}``.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorysec.analysis.review import review
from factorysec.catalog import Catalog, load_catalog
from factorysec.model import load_model_with_sources
from factorysec.model.entities import ExternalNetwork, ZoneKind

CATALOG: Catalog = load_catalog()
IMPORTANCE = ["low", "medium", "high", "critical"]
ASSET_TYPES = ["equipment", "software", "data", "external-service"]
TRAITS = [
    "general-purpose",
    "built-in-computer",
    "wireless",
    "remote-access",
    "oss",
    "cloud",
    "issues-control-instructions",
    "boundary-device",
]
STATUSES = ["existing", "new", "changed"]
SECTION_KIND = {
    "zones": "zone",
    "assets": "asset",
    "conduits": "conduit",
    "parties": "party",
    "operations": "operation",
}


@dataclass
class Ids:
    """Ids of the model being built, per section, and which assets are data."""

    zones: list[str] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)
    data_assets: list[str] = field(default_factory=list)


def subset(data: st.DataObject, items: list[str], most: int = 3) -> list[str]:
    if not items:
        return []
    return data.draw(st.lists(st.sampled_from(items), max_size=most, unique=True))


def maybe(data: st.DataObject, items: list[str]) -> str | None:
    return data.draw(st.one_of(st.none(), st.sampled_from(items))) if items else None


def party(pid: str) -> dict[str, Any]:
    return {"id": pid, "name": f"Party {pid}", "kind": "equipment-vendor"}


def operation(data: st.DataObject, oid: str, parties: list[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": oid,
        "name": f"Operation {oid}",
        "importance": data.draw(st.sampled_from(IMPORTANCE)),
        "status": data.draw(st.sampled_from(STATUSES)),
    }
    performer = maybe(data, parties)
    if performer:
        entry.update(sourcing="outsourced", performed_by=performer)
    return entry


def zone(data: st.DataObject, zid: str, ids: Ids) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": zid,
        "name": f"Zone {zid}",
        "kind": data.draw(st.sampled_from([k.value for k in ZoneKind])),
        "operations": subset(data, ids.operations),
    }
    manager = maybe(data, ids.parties)
    if manager:
        entry["managed_by"] = manager
    return entry


def asset(data: st.DataObject, aid: str, ids: Ids) -> dict[str, Any]:
    kind = data.draw(st.sampled_from(ASSET_TYPES))
    entry: dict[str, Any] = {
        "id": aid,
        "name": f"Asset {aid}",
        "type": kind,
        "zone": data.draw(st.sampled_from(ids.zones)),
        "operations": subset(data, ids.operations),
        "traits": subset(data, TRAITS),
        "status": data.draw(st.sampled_from(STATUSES)),
    }
    manager = maybe(data, ids.parties)
    if manager:
        entry["managed_by"] = manager
    if kind == "data":
        entry["data"] = {"disclosure": data.draw(st.sampled_from(["public", "internal", "restricted", "secret"]))}
    return entry


def conduit(data: st.DataObject, cid: str, ids: Ids) -> dict[str, Any]:
    return {
        "id": cid,
        "from": data.draw(st.sampled_from(ids.zones)),
        "to": data.draw(st.sampled_from(ids.zones)),
        "data": subset(data, ids.data_assets),
        "carries_control_instructions": data.draw(st.booleans()),
        "external_network": data.draw(st.sampled_from([n.value for n in ExternalNetwork])),
        "status": data.draw(st.sampled_from(STATUSES)),
    }


def base_model(data: st.DataObject) -> dict[str, Any]:
    ids = Ids()
    ids.parties = [f"p{i}" for i in range(data.draw(st.integers(0, 3)))]
    ops = [operation(data, f"o{i}", ids.parties) for i in range(data.draw(st.integers(1, 3)))]
    ids.operations = [o["id"] for o in ops]
    zones = [zone(data, f"z{i}", ids) for i in range(data.draw(st.integers(1, 4)))]
    ids.zones = [z["id"] for z in zones]
    assets = [asset(data, f"a{i}", ids) for i in range(data.draw(st.integers(0, 6)))]
    ids.data_assets = [a["id"] for a in assets if a["type"] == "data"]
    conduits = [conduit(data, f"c{i}", ids) for i in range(data.draw(st.integers(0, 4)))]
    return {
        "factory": {"id": "f", "name": "Generated factory"},
        "parties": [party(p) for p in ids.parties],
        "operations": ops,
        "zones": zones,
        "assets": assets,
        "conduits": conduits,
    }


def referenced(model: dict[str, Any], removed: dict[str, set[str]]) -> set[str]:
    """Ids referenced by the entries that are not removed."""
    refs: set[str] = set()
    for entry in model["conduits"]:
        if entry["id"] not in removed["conduits"]:
            refs.update([entry["from"], entry["to"], *entry["data"]])
    for entry in model["assets"]:
        if entry["id"] not in removed["assets"]:
            refs.update(
                [entry["zone"], *entry["operations"], *([entry["managed_by"]] if "managed_by" in entry else [])]
            )
    for entry in model["zones"]:
        if entry["id"] not in removed["zones"]:
            refs.update([*entry["operations"], *([entry["managed_by"]] if "managed_by" in entry else [])])
    for entry in model["operations"]:
        if entry["id"] not in removed["operations"]:
            refs.update([entry["performed_by"]] if "performed_by" in entry else [])
    return refs


def random_change(data: st.DataObject, model: dict[str, Any]) -> tuple[dict[str, Any], set[tuple[str, str, str]]]:
    """A valid change document and the (kind, id, change) it is expected to report."""
    removed: dict[str, set[str]] = {s: set() for s in SECTION_KIND}
    for section in ("conduits", "assets", "zones", "operations", "parties"):
        still_used = referenced(model, removed)
        candidates = [e["id"] for e in model[section] if e["id"] not in still_used]
        removed[section] = set(subset(data, candidates, most=2))
    survivors = Ids(
        zones=[z["id"] for z in model["zones"] if z["id"] not in removed["zones"]],
        parties=[p["id"] for p in model["parties"] if p["id"] not in removed["parties"]],
        operations=[o["id"] for o in model["operations"] if o["id"] not in removed["operations"]],
        data_assets=[a["id"] for a in model["assets"] if a["type"] == "data" and a["id"] not in removed["assets"]],
    )
    added: dict[str, list[dict[str, Any]]] = {}
    added["parties"] = [party(f"np{i}") for i in range(data.draw(st.integers(0, 2)))]
    survivors.parties += [p["id"] for p in added["parties"]]
    added["operations"] = [operation(data, f"no{i}", survivors.parties) for i in range(data.draw(st.integers(0, 2)))]
    survivors.operations += [o["id"] for o in added["operations"]]
    added["zones"] = [zone(data, f"nz{i}", survivors) for i in range(data.draw(st.integers(0, 2)))]
    survivors.zones += [z["id"] for z in added["zones"]]
    added["assets"] = (
        [asset(data, f"na{i}", survivors) for i in range(data.draw(st.integers(0, 2)))] if survivors.zones else []
    )
    survivors.data_assets += [a["id"] for a in added["assets"] if a["type"] == "data"]
    added["conduits"] = (
        [conduit(data, f"nc{i}", survivors) for i in range(data.draw(st.integers(0, 2)))] if survivors.zones else []
    )
    modified: dict[str, list[dict[str, Any]]] = {}
    for section in SECTION_KIND:
        candidates = [e["id"] for e in model[section] if e["id"] not in removed[section]]
        modified[section] = [{"id": eid, "name": f"Renamed {eid}"} for eid in subset(data, candidates, most=2)]
    document: dict[str, Any] = {"change": {"base": "model.yaml", "title": "generated change"}}
    for key, sections in (("add", added), ("modify", modified)):
        present = {s: entries for s, entries in sections.items() if entries}
        if present:
            document[key] = present
    removals = {s: sorted(ids) for s, ids in removed.items() if ids}
    if removals:
        document["remove"] = removals
    expected = {(SECTION_KIND[s], e["id"], "added") for s, entries in added.items() for e in entries}
    expected |= {(SECTION_KIND[s], e["id"], "changed") for s, entries in modified.items() for e in entries}
    expected |= {(SECTION_KIND[s], eid, "removed") for s, ids in removed.items() for eid in ids}
    return document, expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_review_reports_exactly_the_touched_elements(data: st.DataObject) -> None:
    model = base_model(data)
    change, expected = random_change(data, model)
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "model.yaml").write_text(yaml.safe_dump(model, sort_keys=False), encoding="utf-8")
        Path(folder, "change.yaml").write_text(yaml.safe_dump(change, sort_keys=False), encoding="utf-8")
        before = load_model_with_sources(Path(folder, "model.yaml"))
        after = load_model_with_sources(Path(folder, "change.yaml"))
    result = review(before, after, CATALOG)
    reported = {(e.kind, e.id, e.change) for e in result.elements}
    assert reported == expected
    for element in result.elements:
        if element.change == "changed":
            assert [f.field for f in element.fields] == ["name"]
            assert element.fields[0].after == f"Renamed {element.id}"
    assert result.has_changes == bool(expected)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_generated_model_against_itself_reports_nothing(data: st.DataObject) -> None:
    model = base_model(data)
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "model.yaml").write_text(yaml.safe_dump(model, sort_keys=False), encoding="utf-8")
        loaded = load_model_with_sources(Path(folder, "model.yaml"))
    result = review(loaded, loaded, CATALOG)
    assert not result.has_changes
    assert result.elements == () and result.data_flows == () and result.requirements == () and result.threats == ()
    assert result.zoning.zones_to_review == () and result.bcp == () and result.checklists == ()
