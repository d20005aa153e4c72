"""Job 1 of the review: the elements added, removed or changed (Step 1), the new data flows (Annex A step 2) and the zones split (Annex A step 3)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from factorysec.analysis.requirements import SENSITIVE
from factorysec.analysis.review.findings import FindingIndex
from factorysec.analysis.review.model import (
    ELEMENT_REFERENCES,
    ELEMENT_SECTIONS,
    SMARTIFICATION_STATUSES,
    ChangeKind,
    DataFlow,
    ElementChange,
    ElementKind,
    FieldChange,
    ZoneSplit,
)
from factorysec.model.entities import Asset, FactoryModel, Lifecycle

FLOW_FIELDS = {
    "from",
    "to",
    "data",
    "carries",
    "carries_control_instructions",
    "instructions_from",
    "external_network",
    "direction",
}
"""The conduit fields whose change makes it a changed data flow."""


def _by_id(model: FactoryModel, section: str) -> dict[str, BaseModel]:
    items: Sequence[BaseModel] = getattr(model, section)
    return {getattr(item, "id"): item for item in items}  # noqa: B009 -- every section's items have an id; BaseModel does not say so


def _field_changes(before: BaseModel, after: BaseModel) -> tuple[FieldChange, ...]:
    """The fields that differ; a nested object (identity, importance, data) by its own fields, ``identity.version``,
    so a reviewer reads the one value that changed rather than two whole objects."""
    old = before.model_dump(mode="json", by_alias=True)
    new = after.model_dump(mode="json", by_alias=True)
    changes: list[FieldChange] = []
    for name in new:
        was, now = old.get(name), new.get(name)
        if was == now:
            continue
        if isinstance(was, dict | None) and isinstance(now, dict | None):
            was_fields, now_fields = was or {}, now or {}
            changes.extend(
                FieldChange(field=f"{name}.{key}", before=was_fields.get(key), after=now_fields.get(key))
                for key in dict.fromkeys([*now_fields, *was_fields])
                if was_fields.get(key) != now_fields.get(key)
            )
        else:
            changes.append(FieldChange(field=name, before=was, after=now))
    return tuple(changes)


def _status(element: BaseModel) -> Lifecycle | None:
    value = getattr(element, "status", None)
    return value if isinstance(value, Lifecycle) else None


def diff_elements(
    before: FactoryModel, after: FactoryModel, index: FindingIndex | None = None
) -> tuple[ElementChange, ...]:
    """Elements added, removed or changed, field by field, in section then model order."""
    changes: list[ElementChange] = []
    for single in ("factory", "bcp"):
        old_single, new_single = getattr(before, single), getattr(after, single)
        if old_single is None and new_single is None:
            continue
        ident = after.factory.id if single == "factory" else "bcp"
        name = after.factory.name if single == "factory" else "BCP"
        single_kind: ElementKind = "factory" if single == "factory" else "bcp"
        if old_single is None or new_single is None:
            change: ChangeKind = "added" if old_single is None else "removed"
            changes.append(
                ElementChange(
                    kind=single_kind, id=ident, name=name, change=change, reference=ELEMENT_REFERENCES[single_kind]
                )
            )
        elif fields := _field_changes(old_single, new_single):
            changes.append(
                ElementChange(
                    kind=single_kind,
                    id=ident,
                    name=name,
                    change="changed",
                    fields=fields,
                    reference=ELEMENT_REFERENCES[single_kind],
                )
            )
    for kind, section in ELEMENT_SECTIONS:
        old, new = _by_id(before, section), _by_id(after, section)
        for element_id, element in new.items():
            status = _status(element)
            if element_id in old:
                fields = _field_changes(old[element_id], element)
                if not fields:
                    continue
            changes.append(
                ElementChange(
                    kind=kind,
                    id=element_id,
                    name=getattr(element, "name", None) or element_id,
                    change="changed" if element_id in old else "added",
                    fields=fields if element_id in old else (),
                    status=status.value if status else None,
                    smartification=status in SMARTIFICATION_STATUSES,
                    reference=ELEMENT_REFERENCES[kind],
                    findings=index.concerning([element_id]) if index else (),
                )
            )
        for element_id, element in old.items():
            if element_id not in new:
                status = _status(element)
                changes.append(
                    ElementChange(
                        kind=kind,
                        id=element_id,
                        name=getattr(element, "name", None) or element_id,
                        change="removed",
                        status=status.value if status else None,
                        reference=ELEMENT_REFERENCES[kind],
                    )
                )
    return tuple(changes)


def _is_sensitive(asset: Asset) -> bool:
    attributes = asset.data
    return attributes is not None and attributes.disclosure is not None and attributes.disclosure in SENSITIVE


def data_flows(after: FactoryModel, elements: Sequence[ElementChange], index: FindingIndex) -> tuple[DataFlow, ...]:
    assets = {a.id: a for a in after.assets}
    conduits = {c.id: c for c in after.conduits}
    flows: list[DataFlow] = []
    for element in elements:
        if element.kind != "conduit" or element.change == "removed":
            continue
        if element.change == "changed" and not {f.field for f in element.fields} & FLOW_FIELDS:
            continue
        conduit = conduits[element.id]
        sensitive = tuple(d for d in conduit.data if d in assets and _is_sensitive(assets[d]))
        flows.append(
            DataFlow(
                conduit=conduit.id,
                name=conduit.name or conduit.id,
                change="added" if element.change == "added" else "changed",
                from_zone=conduit.from_zone,
                to_zone=conduit.to_zone,
                within_zone=conduit.from_zone == conduit.to_zone,
                data=tuple(conduit.data),
                sensitive_data=sensitive,
                carries=conduit.carries,
                control_instructions=conduit.carries_control_instructions,
                external_network=conduit.external_network.value,
                findings=index.concerning([conduit.id]),
            )
        )
    return tuple(flows)


def splits(
    before: FactoryModel, after: FactoryModel, added_zones: set[str], index: FindingIndex
) -> tuple[ZoneSplit, ...]:
    old_zone_of = {a.id: a.zone for a in before.assets}
    new_parent = {z.id: z.parent for z in after.zones}
    moved: dict[str, dict[str, list[str]]] = {}
    for asset in after.assets:
        origin = old_zone_of.get(asset.id)
        if origin and asset.zone and asset.zone != origin and asset.zone in added_zones:
            moved.setdefault(origin, {}).setdefault(asset.zone, []).append(asset.id)
    for zone_id in added_zones:
        parent = new_parent.get(zone_id)
        if parent and parent not in added_zones:
            moved.setdefault(parent, {}).setdefault(zone_id, [])
    splits = []
    for zone in before.zones:
        if zone.id not in moved:
            continue
        parts = moved[zone.id]
        into = tuple(sorted(parts))
        assets = tuple(a for zone_assets in parts.values() for a in zone_assets)
        sub_zones = any(new_parent.get(part) == zone.id for part in into)
        splits.append(
            ZoneSplit(
                zone=zone.id,
                into=into,
                moved_assets=assets,
                sub_zones=sub_zones,
                findings=index.concerning([zone.id, *into]),
            )
        )
    return tuple(splits)
