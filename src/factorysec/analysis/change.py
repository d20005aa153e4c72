"""Smartification review: what a planned change does to the factory, in the order of the appendix's procedure.

``review(before, after, catalog)`` compares two model versions. It analyses
both with :func:`factorysec.analysis.analyze` and diffs models and assessments
by stable ids, so every rule that lands in the registry is picked up without
a change here. The result follows Annex A's three steps and the appendix:

1. elements added, removed or changed (Step 1-2 new operations, Step 1-4
   protected objects, Step 1-6 zones, Step 1-7 conduits, Step 1-1 parties);
2. new data flows and the zones they connect (Annex A step 2);
3. zoning: new and split zones, zones whose requirements must be reviewed,
   zoning findings new or resolved (Annex A step 3, Step 1-6);
4. requirements within and between zones new or changed (Table 3-4);
5. threats new, gone or changed, and measures newly required (Step 1-7, 2-2);
6. new stakeholders, the checklists they bring (Tables 3-10 to 3-12) and the
   responsibility boundaries to settle (Step 3, Annex A case (ii));
7. BCP review viewpoints triggered (Appendix 3.1.1 (1)).

Pure: no file is read, nothing is printed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from factorysec.analysis import analyze
from factorysec.analysis.assessment import Assessment
from factorysec.analysis.findings import Finding, Subject, text
from factorysec.analysis.requirements import SENSITIVE, SecurityRequirement
from factorysec.catalog import Catalog
from factorysec.catalog.models import Text
from factorysec.model.entities import (
    Asset,
    AssetType,
    Conduit,
    ExternalNetwork,
    FactoryModel,
    Lifecycle,
    Zone,
)
from factorysec.model.loader import LoadedModel

ElementKind = Literal["factory", "bcp", "zone", "asset", "conduit", "operation", "party", "department"]
ChangeKind = Literal["added", "removed", "changed"]

ELEMENT_SECTIONS: tuple[tuple[ElementKind, str], ...] = (
    ("operation", "operations"),
    ("asset", "assets"),
    ("zone", "zones"),
    ("conduit", "conduits"),
    ("party", "parties"),
    ("department", "departments"),
)
"""The model sections the review diffs, in the order of the appendix's Step 1."""

ELEMENT_REFERENCES: dict[ElementKind, str] = {
    "factory": "Appendix 3.1.1 Step 1-1 (1), Table 3-1",
    "bcp": "Appendix 3.1.1 Step 1-1 (1), BCP review",
    "operation": "Appendix 3.1.2 Step 1-2",
    "asset": "Appendix 3.1.4 Step 1-4",
    "zone": "Appendix 3.1.6 Step 1-6",
    "conduit": "Appendix 3.1.7 Step 1-7; Annex A step 2",
    "party": "Appendix 3.1.1 Step 1-1 (3)",
    "department": "Appendix 3.1.1 Step 1-1 (3)",
}

REF_DATA_FLOW = "Annex A step 2; Appendix 3.1.6 Step 1-6 (2)"
REF_ZONE_SPLIT = "Annex A step 1 and step 3; Appendix 3.1.6 Step 1-6"
REF_ZONE_REVIEW = "Annex A step 3; Appendix 3.1.6 Step 1-6; Appendix 3.1.7 Step 1-7, Table 3-4"
REF_MEASURES = "Appendix 3.2 Step 2-2"
REF_STAKEHOLDER = "Appendix 3.1.1 Step 1-1 (3)"
REF_RESPONSIBILITY = "Annex A case (ii) step 3; Appendix 3.3 (2)"

SMARTIFICATION_STATUSES = (Lifecycle.NEW, Lifecycle.CHANGED)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class FieldChange(_Frozen):
    """One field of an element whose value differs between the two versions."""

    field: str
    before: JsonValue = None
    after: JsonValue = None


class ElementChange(_Frozen):
    """An element added, removed or changed; ``smartification`` when AFTER marks it new or changed (Step 1-2)."""

    kind: ElementKind
    id: str
    name: str
    change: ChangeKind
    fields: tuple[FieldChange, ...] = ()
    status: str | None = None
    smartification: bool = False
    reference: str
    findings: tuple[str, ...] = ()


class DataFlow(_Frozen):
    """A data flow (conduit) new in AFTER or whose ends or data changed (Annex A step 2)."""

    conduit: str
    name: str
    change: Literal["added", "changed"]
    from_zone: str
    to_zone: str
    within_zone: bool
    data: tuple[str, ...] = ()
    sensitive_data: tuple[str, ...] = ()
    carries: str | None = None
    control_instructions: bool = False
    external_network: str = ExternalNetwork.NONE.value
    reference: str = REF_DATA_FLOW
    findings: tuple[str, ...] = ()


class ZoneSplit(_Frozen):
    """A zone whose protected objects moved to new zones, or that gained new sub-zones."""

    zone: str
    into: tuple[str, ...]
    moved_assets: tuple[str, ...] = ()
    sub_zones: bool = False
    reference: str = REF_ZONE_SPLIT
    findings: tuple[str, ...] = ()


ReasonCode = Literal[
    "new-zone",
    "split",
    "split-from",
    "zone-changed",
    "assets-changed",
    "new-inbound-flow",
    "new-outbound-flow",
    "new-internal-flow",
    "zoning-finding",
    "requirements-changed",
]


class ZoneReason(_Frozen):
    """Why a zone's requirements must be reviewed."""

    code: ReasonCode
    text: Text
    elements: tuple[str, ...] = ()
    reference: str = REF_ZONE_REVIEW
    findings: tuple[str, ...] = ()


class ZoneToReview(_Frozen):
    """A zone whose security requirements must be reviewed, and every reason why (Annex A step 3)."""

    zone: str
    name: str
    new: bool
    reasons: tuple[ZoneReason, ...]
    reference: str = REF_ZONE_REVIEW
    findings: tuple[str, ...] = ()


class FindingChange(_Frozen):
    """A finding new in AFTER, gone from it, or whose level or text changed."""

    id: str
    rule: str
    category: str
    change: Literal["new", "resolved", "level-changed", "updated"]
    subject: Subject
    title: Text
    rationale: Text
    reference: str
    level_before: str | None = None
    level_after: str | None = None
    findings: tuple[str, ...] = ()


class ZoningReview(_Frozen):
    """Annex A step 3: zones added and split, zones to review, zoning findings new and resolved."""

    new_zones: tuple[str, ...] = ()
    removed_zones: tuple[str, ...] = ()
    splits: tuple[ZoneSplit, ...] = ()
    zones_to_review: tuple[ZoneToReview, ...] = ()
    findings: tuple[FindingChange, ...] = ()

    @property
    def new_findings(self) -> tuple[FindingChange, ...]:
        return tuple(f for f in self.findings if f.change == "new")

    @property
    def resolved_findings(self) -> tuple[FindingChange, ...]:
        return tuple(f for f in self.findings if f.change == "resolved")


class RequirementChange(_Frozen):
    """A security requirement (Table 3-4) new, removed or whose text changed."""

    id: str
    change: Literal["new", "removed", "changed"]
    scope: Literal["within-zone", "between-zones"]
    subject: Subject
    viewpoint: str
    text_before: Text | None = None
    text_after: Text | None = None
    reference: str
    findings: tuple[str, ...] = ()
    to_zone: str | None = Field(default=None, description="Between zones: the zone that receives; the subject is the zone that sends.")
    conduits: tuple[str, ...] = Field(default=(), description="Between zones: the conduits the requirement covers (after the change; before it when removed).")


class MeasureRequired(_Frozen):
    """A catalog measure that findings new in AFTER call for, and whether the model already has it."""

    measure: str
    title: Text
    in_place: bool
    reference: str = REF_MEASURES
    findings: tuple[str, ...] = ()


class ChecklistDue(_Frozen):
    """A Step 3 supply-chain checklist (Tables 3-10 to 3-12) a new or changed element brings."""

    kind: str
    title: Text
    subject: str
    party: str | None = None
    reason: Text
    items: tuple[str, ...] = ()
    answered: int = 0
    reference: str
    findings: tuple[str, ...] = ()


class NewStakeholder(_Frozen):
    """A party new in AFTER, what it brings, and the checklists that come with it."""

    party: str
    name: str
    kind: str
    kind_title: Text | None = None
    brings: tuple[str, ...] = ()
    checklists: tuple[str, ...] = ()
    reference: str = REF_STAKEHOLDER
    findings: tuple[str, ...] = ()


class ResponsibilityBoundary(_Frozen):
    """An external service or externally managed zone whose division of responsibility must be settled."""

    subject: str
    subject_kind: Literal["asset", "zone"]
    party: str | None
    reason: Text
    settled_areas: tuple[str, ...] = ()
    reference: str = REF_RESPONSIBILITY
    findings: tuple[str, ...] = ()


class BcpItem(_Frozen):
    """A BCP review viewpoint (Appendix 3.1.1 (1)) the change triggers; ``covered`` when the BCP already lists it."""

    viewpoint: str
    group: str
    title: Text
    reason: Text
    triggered_by: tuple[str, ...]
    covered: bool
    reference: str
    findings: tuple[str, ...] = ()


class ChangeReview(_Frozen):
    """The smartification review of one change, grouped as the appendix's procedure goes."""

    factory_id: str
    title: str | None = None
    before_digest: str
    after_digest: str
    elements: tuple[ElementChange, ...] = ()
    data_flows: tuple[DataFlow, ...] = ()
    zoning: ZoningReview = ZoningReview()
    requirements: tuple[RequirementChange, ...] = ()
    threats: tuple[FindingChange, ...] = ()
    measures: tuple[MeasureRequired, ...] = ()
    stakeholders: tuple[NewStakeholder, ...] = ()
    checklists: tuple[ChecklistDue, ...] = ()
    responsibilities: tuple[ResponsibilityBoundary, ...] = ()
    bcp: tuple[BcpItem, ...] = ()

    @property
    def has_changes(self) -> bool:
        """Whether anything at all differs between the two versions."""
        return bool(self.elements or self.zoning.findings or self.requirements or self.threats or self.before_digest != self.after_digest)

    def element(self, kind: ElementKind, element_id: str) -> ElementChange | None:
        return next((e for e in self.elements if e.kind == kind and e.id == element_id), None)


def _marks(change_review: ChangeReview, shown: Literal["added", "removed"]) -> dict[str, str]:
    """Ids of the elements ``shown`` (added or removed) or changed, plus split zones, in review order."""
    marks: dict[str, str] = {}
    for element in change_review.elements:
        if element.kind in ("factory", "bcp"):
            continue
        if element.change == shown:
            marks[element.id] = shown
        elif element.change == "changed":
            marks.setdefault(element.id, "changed")
    for split in change_review.zoning.splits:
        marks.setdefault(split.zone, "changed")
    return marks


def highlight_ids(change_review: ChangeReview) -> dict[str, Literal["added", "changed"]]:
    """Element ids added or changed by the change, for the AFTER diagram to highlight (removed elements are not drawn)."""
    return _marks(change_review, "added")  # type: ignore[return-value]


def before_highlight_ids(change_review: ChangeReview) -> dict[str, Literal["removed", "changed"]]:
    """Element ids the change removes or changes, for the BEFORE diagram to highlight (added elements exist only in AFTER)."""
    return _marks(change_review, "removed")  # type: ignore[return-value]


def _as_model(version: LoadedModel | FactoryModel) -> FactoryModel:
    return version.model if isinstance(version, LoadedModel) else version


def _by_id(model: FactoryModel, section: str) -> dict[str, BaseModel]:
    items: Sequence[BaseModel] = getattr(model, section)
    return {getattr(item, "id"): item for item in items}


def _field_changes(before: BaseModel, after: BaseModel) -> tuple[FieldChange, ...]:
    old = before.model_dump(mode="json", by_alias=True)
    new = after.model_dump(mode="json", by_alias=True)
    return tuple(FieldChange(field=name, before=old.get(name), after=new.get(name)) for name in new if old.get(name) != new.get(name))


def _status(element: BaseModel) -> Lifecycle | None:
    value = getattr(element, "status", None)
    return value if isinstance(value, Lifecycle) else None


class _Index:
    """Findings of one assessment, by id and by the element ids they concern.

    A factory-wide finding (such as a PDCA review pending for the whole change)
    is linked to the factory only, not to every element it lists.
    """

    def __init__(self, assessment: Assessment) -> None:
        findings = all_findings(assessment)
        self.by_id: dict[str, Finding] = {f.id: f for f in findings}
        self.about: dict[str, list[str]] = {}
        for finding in findings:
            related = () if finding.subject.kind == "factory" else finding.related
            for element_id in dict.fromkeys((finding.subject.id, *related)):
                self.about.setdefault(element_id, []).append(finding.id)

    def concerning(self, ids: Iterable[str]) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for element_id in ids:
            found.update(dict.fromkeys(self.about.get(element_id, [])))
        return tuple(found)


def diff_elements(before: FactoryModel, after: FactoryModel, index: _Index | None = None) -> tuple[ElementChange, ...]:
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
            changes.append(ElementChange(kind=single_kind, id=ident, name=name, change=change, reference=ELEMENT_REFERENCES[single_kind]))
        elif fields := _field_changes(old_single, new_single):
            changes.append(ElementChange(kind=single_kind, id=ident, name=name, change="changed", fields=fields, reference=ELEMENT_REFERENCES[single_kind]))
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
                        kind=kind, id=element_id, name=getattr(element, "name", None) or element_id, change="removed",
                        status=status.value if status else None, reference=ELEMENT_REFERENCES[kind],
                    )
                )
    return tuple(changes)


def _is_sensitive(asset: Asset) -> bool:
    attributes = asset.data
    return attributes is not None and attributes.disclosure is not None and attributes.disclosure in SENSITIVE


_FLOW_FIELDS = {"from", "to", "data", "carries", "carries_control_instructions", "external_network", "direction"}


def _data_flows(after: FactoryModel, elements: Sequence[ElementChange], index: _Index) -> tuple[DataFlow, ...]:
    assets = {a.id: a for a in after.assets}
    conduits = {c.id: c for c in after.conduits}
    flows: list[DataFlow] = []
    for element in elements:
        if element.kind != "conduit" or element.change == "removed":
            continue
        if element.change == "changed" and not {f.field for f in element.fields} & _FLOW_FIELDS:
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


def _splits(before: FactoryModel, after: FactoryModel, added_zones: set[str], index: _Index) -> tuple[ZoneSplit, ...]:
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
        splits.append(ZoneSplit(zone=zone.id, into=into, moved_assets=assets, sub_zones=sub_zones, findings=index.concerning([zone.id, *into])))
    return tuple(splits)


def all_findings(assessment: Assessment) -> tuple[Finding, ...]:
    """Every finding of an assessment: Step 1 rules and the Step 3 lifecycle gaps."""
    return (*assessment.findings, *assessment.lifecycle.findings)


def _finding_level(finding: Finding) -> str | None:
    """The finding's risk level when the finding model carries one (Step 2 adds it); None otherwise."""
    for name in ("risk_level", "level", "risk"):
        value = getattr(finding, name, None)
        if value is None:
            continue
        inner = getattr(value, "level", value)
        return str(getattr(inner, "value", inner))
    return None


def diff_findings(before: Assessment, after: Assessment) -> tuple[FindingChange, ...]:
    """Findings new, resolved, or with a changed level or text, by stable id, in AFTER then BEFORE order."""
    old = {f.id: f for f in all_findings(before)}
    new = {f.id: f for f in all_findings(after)}
    changes: list[FindingChange] = []

    def entry(finding: Finding, change: Literal["new", "resolved", "level-changed", "updated"], level_before: str | None, level_after: str | None) -> FindingChange:
        return FindingChange(
            id=finding.id, rule=finding.rule, category=finding.category, change=change, subject=finding.subject, title=finding.title,
            rationale=finding.rationale, reference=finding.reference, level_before=level_before, level_after=level_after, findings=(finding.id,),
        )

    for finding_id, finding in new.items():
        if finding_id not in old:
            changes.append(entry(finding, "new", None, _finding_level(finding)))
            continue
        previous = old[finding_id]
        level_before, level_after = _finding_level(previous), _finding_level(finding)
        if level_before != level_after:
            changes.append(entry(finding, "level-changed", level_before, level_after))
        elif previous.rationale != finding.rationale or previous.title != finding.title:
            changes.append(entry(finding, "updated", level_before, level_after))
    for finding_id, finding in old.items():
        if finding_id not in new:
            changes.append(entry(finding, "resolved", _finding_level(finding), None))
    return tuple(changes)


def diff_requirements(before: Assessment, after: Assessment) -> tuple[RequirementChange, ...]:
    """Requirements (Table 3-4) new, removed or with a changed text, by id."""
    old = {r.id: r for r in before.requirements}
    new = {r.id: r for r in after.requirements}
    changes: list[RequirementChange] = []

    def entry(req: SecurityRequirement, change: Literal["new", "removed", "changed"], before_text: Text | None, after_text: Text | None) -> RequirementChange:
        return RequirementChange(
            id=req.id, change=change, scope=req.scope, subject=req.subject, viewpoint=req.viewpoint, text_before=before_text,
            text_after=after_text, reference=req.reference, findings=req.because, to_zone=req.to_zone, conduits=req.conduits,
        )

    for req_id, req in new.items():
        if req_id not in old:
            changes.append(entry(req, "new", None, req.text))
        elif old[req_id].text != req.text:
            changes.append(entry(req, "changed", old[req_id].text, req.text))
    for req_id, req in old.items():
        if req_id not in new:
            changes.append(entry(req, "removed", req.text, None))
    return tuple(changes)


def _zone_names(before: FactoryModel, after: FactoryModel) -> dict[str, str]:
    names = {z.id: z.name for z in before.zones}
    names.update({z.id: z.name for z in after.zones})
    return names


def _zones_to_review(
    before: FactoryModel,
    after: FactoryModel,
    elements: Sequence[ElementChange],
    splits: Sequence[ZoneSplit],
    zoning_findings: Sequence[FindingChange],
    requirements: Sequence[RequirementChange],
    index: _Index,
) -> tuple[ZoneToReview, ...]:
    names = _zone_names(before, after)
    after_zones: dict[str, Zone] = {z.id: z for z in after.zones}
    old_assets: dict[str, Asset] = {a.id: a for a in before.assets}
    new_assets: dict[str, Asset] = {a.id: a for a in after.assets}
    new_conduits: dict[str, Conduit] = {c.id: c for c in after.conduits}
    reasons: dict[str, list[ZoneReason]] = {}

    def add(zone_id: str, reason: ZoneReason) -> None:
        if zone_id in after_zones:
            reasons.setdefault(zone_id, []).append(reason)

    def name(zone_id: str) -> str:
        return names.get(zone_id, zone_id)

    for element in elements:
        if element.kind == "zone" and element.change == "added":
            add(element.id, ZoneReason(code="new-zone", text=text(
                f"'{element.name}' is a new zone: set its security requirements within the zone and towards the zones it connects to",
                f"「{element.name}」は新しいゾーン：ゾーン内と接続先ゾーンとの間のセキュリティ要件を定める",
            ), elements=(element.id,), findings=element.findings))
        elif element.kind == "zone" and element.change == "changed":
            fields = ", ".join(f.field for f in element.fields)
            add(element.id, ZoneReason(code="zone-changed", text=text(
                f"'{element.name}' changed ({fields})", f"「{element.name}」が変更された（{fields}）",
            ), elements=(element.id,), findings=element.findings))
    for split in splits:
        parts = ", ".join(name(z) for z in split.into)
        add(split.zone, ZoneReason(code="split", text=text(
            f"'{name(split.zone)}' is divided: {parts} now hold part of its operations or protected objects",
            f"「{name(split.zone)}」が分割された：{parts}がその業務・保護対象の一部を持つ",
        ), elements=(split.zone, *split.into, *split.moved_assets), findings=split.findings))
        for part in split.into:
            add(part, ZoneReason(code="split-from", text=text(
                f"'{name(part)}' is split from '{name(split.zone)}': it may need requirements of its own",
                f"「{name(part)}」は「{name(split.zone)}」から分けられた：独自の要件が必要か確認する",
            ), elements=(split.zone, part), findings=split.findings))
    moved_in: dict[str, list[str]] = {}
    for element in elements:
        if element.kind != "asset":
            continue
        zones: set[str | None] = set()
        if element.change in ("added", "changed") and element.id in new_assets:
            zones.add(new_assets[element.id].zone)
        if element.change in ("removed", "changed") and element.id in old_assets:
            zones.add(old_assets[element.id].zone)
        for zone_id in zones:
            if zone_id:
                moved_in.setdefault(zone_id, []).append(element.id)
    for zone_id, asset_ids in moved_in.items():
        listed = ", ".join(asset_ids)
        add(zone_id, ZoneReason(code="assets-changed", text=text(
            f"protected objects added, removed or changed in '{name(zone_id)}': {listed}",
            f"「{name(zone_id)}」の保護対象が追加・削除・変更された：{listed}",
        ), elements=tuple(asset_ids), findings=index.concerning(asset_ids)))
    for element in elements:
        if element.kind != "conduit" or element.change == "removed":
            continue
        if element.change == "changed" and not {f.field for f in element.fields} & _FLOW_FIELDS:
            continue
        conduit = new_conduits[element.id]
        carried = ", ".join(conduit.data) or conduit.carries or "-"
        control_en = " with control instructions" if conduit.carries_control_instructions else ""
        control_ja = "（制御指示を含む）" if conduit.carries_control_instructions else ""
        if conduit.external_network is not ExternalNetwork.NONE:
            control_en += f", across the {conduit.external_network.value} network outside the factory"
            control_ja += f"（工場外の {conduit.external_network.value} を経由）"
        flow_findings = index.concerning([conduit.id])
        if conduit.from_zone == conduit.to_zone:
            add(conduit.to_zone, ZoneReason(code="new-internal-flow", text=text(
                f"new data flow '{conduit.id}' inside '{name(conduit.to_zone)}' ({carried}){control_en}",
                f"「{name(conduit.to_zone)}」内の新しいデータフロー「{conduit.id}」（{carried}）{control_ja}",
            ), elements=(conduit.id,), findings=flow_findings))
            continue
        add(conduit.to_zone, ZoneReason(code="new-inbound-flow", text=text(
            f"newly receives {carried} from '{name(conduit.from_zone)}' over '{conduit.id}'{control_en}",
            f"「{name(conduit.from_zone)}」から「{conduit.id}」経由で{carried}を新たに受け取る{control_ja}",
        ), elements=(conduit.id,), findings=flow_findings))
        add(conduit.from_zone, ZoneReason(code="new-outbound-flow", text=text(
            f"newly sends {carried} to '{name(conduit.to_zone)}' over '{conduit.id}'{control_en}",
            f"「{name(conduit.to_zone)}」へ「{conduit.id}」経由で{carried}を新たに送る{control_ja}",
        ), elements=(conduit.id,), findings=flow_findings))
    for finding in zoning_findings:
        if finding.change == "new" and finding.subject.kind == "zone":
            add(finding.subject.id, ZoneReason(code="zoning-finding", text=finding.rationale, elements=(finding.subject.id,), reference=finding.reference, findings=(finding.id,)))
    requirement_zones: dict[str, list[RequirementChange]] = {}
    for requirement in requirements:
        if requirement.scope == "within-zone":
            requirement_zones.setdefault(requirement.subject.id, []).append(requirement)
        elif requirement.to_zone is not None and any(c in new_conduits for c in requirement.conduits):
            for zone_id in dict.fromkeys((requirement.subject.id, requirement.to_zone)):
                requirement_zones.setdefault(zone_id, []).append(requirement)
    for zone_id, changed in requirement_zones.items():
        ids = ", ".join(r.id for r in changed)
        add(zone_id, ZoneReason(code="requirements-changed", text=text(
            f"its requirements within or between zones are new or changed: {ids}",
            f"ゾーン内・ゾーン間の要件が新設または変更された：{ids}",
        ), elements=tuple(r.id for r in changed), reference=changed[0].reference, findings=tuple(dict.fromkeys(f for r in changed for f in r.findings))))
    result = []
    for zone in after.zones:
        if zone.id in reasons:
            zone_reasons = tuple(reasons[zone.id])
            linked = tuple(dict.fromkeys(f for r in zone_reasons for f in r.findings))
            result.append(ZoneToReview(zone=zone.id, name=zone.name, new=zone.id not in {z.id for z in before.zones}, reasons=zone_reasons, findings=linked))
    return tuple(result)


def _measures(before: Assessment, after: Assessment, after_model: FactoryModel, catalog: Catalog) -> tuple[MeasureRequired, ...]:
    old = {m for f in all_findings(before) for m in f.measures}
    in_place = {m.measure for m in after_model.measures} | {c for conduit in after_model.conduits for c in conduit.controls}
    wanted: dict[str, list[str]] = {}
    for finding in all_findings(after):
        for measure in finding.measures:
            if measure not in old:
                wanted.setdefault(measure, []).append(finding.id)
    result = []
    for measure, findings in wanted.items():
        entry = catalog.measures.get(measure)
        title = entry.title if entry else Text(en=measure, ja=measure)
        result.append(MeasureRequired(measure=measure, title=title, in_place=measure in in_place, findings=tuple(findings)))
    return tuple(result)


_CHECKLIST_FIELDS = {"type", "traits", "supplier", "maintainer", "managed_by"}


def _checklists(before: Assessment, after: Assessment, elements: Sequence[ElementChange], index: _Index) -> tuple[ChecklistDue, ...]:
    """Step 3 checklists (from the assessment's lifecycle report) that are new in AFTER or belong to an asset the change added or altered."""
    had = {(c.asset, c.kind) for c in before.lifecycle.checklists.checklists}
    touched = {
        e.id: e.change
        for e in elements
        if e.kind == "asset" and (e.change == "added" or (e.change == "changed" and {f.field for f in e.fields} & _CHECKLIST_FIELDS))
    }
    result = []
    for checklist in after.lifecycle.checklists.checklists:
        change = touched.get(checklist.asset)
        if (checklist.asset, checklist.kind) in had and change is None:
            continue
        verb_en, verb_ja = ("is added", "が追加された") if change == "added" else ("changed", "が変更された")
        result.append(
            ChecklistDue(
                kind=checklist.kind, title=checklist.kind_title, subject=checklist.asset, party=checklist.party,
                reason=text(f"'{checklist.asset_name}' {verb_en}: {checklist.reason.en}", f"「{checklist.asset_name}」{verb_ja}：{checklist.reason.ja}"),
                items=tuple(e.item for e in checklist.entries), answered=sum(1 for e in checklist.entries if e.answer is not None),
                reference=checklist.reference, findings=index.concerning([checklist.asset]),
            )
        )
    return tuple(result)


def _stakeholders(after: FactoryModel, elements: Sequence[ElementChange], checklists: Sequence[ChecklistDue], catalog: Catalog, index: _Index) -> tuple[NewStakeholder, ...]:
    parties = {p.id: p for p in after.parties}
    result = []
    for element in elements:
        if element.kind != "party" or element.change != "added":
            continue
        party = parties[element.id]
        brings = [a.id for a in after.assets if party.id in (a.supplier, a.maintainer, a.managed_by)]
        brings += [o.id for o in after.operations if o.performed_by == party.id]
        brings += [z.id for z in after.zones if z.managed_by == party.id]
        brought = set(brings)
        kinds = tuple(dict.fromkeys(c.kind for c in checklists if c.party == party.id or c.subject in brought))
        kind_entry = catalog.party_kinds.get(party.kind)
        result.append(
            NewStakeholder(
                party=party.id, name=party.name, kind=party.kind, kind_title=kind_entry.title if kind_entry else None,
                brings=tuple(dict.fromkeys(brings)), checklists=kinds, findings=index.concerning([party.id, *brings]),
            )
        )
    return tuple(result)


def _responsibilities(after: FactoryModel, elements: Sequence[ElementChange], index: _Index) -> tuple[ResponsibilityBoundary, ...]:
    assets = {a.id: a for a in after.assets}
    zones = {z.id: z for z in after.zones}
    settled: dict[str, list[str]] = {}
    for responsibility in after.responsibilities:
        settled.setdefault(responsibility.subject, []).append(responsibility.area)
    result = []
    for element in elements:
        if element.change == "removed":
            continue
        touched = element.change == "added" or {f.field for f in element.fields} & {"managed_by", "type", "traits", "zone"}
        if not touched:
            continue
        if element.kind == "asset":
            asset = assets[element.id]
            external = asset.type is AssetType.EXTERNAL_SERVICE or asset.managed_by is not None
            if not external:
                continue
            party = asset.managed_by or asset.supplier
            result.append(ResponsibilityBoundary(
                subject=asset.id, subject_kind="asset", party=party,
                reason=text(
                    f"'{asset.name}' is run outside the company: settle where its boundary lies and who handles operation, maintenance, incidents, vulnerabilities and data at the end",
                    f"「{asset.name}」は社外で運用される：境界の位置と、運用・保守・インシデント対応・脆弱性対応・終了時のデータの扱いの責任分界を確認する",
                ),
                settled_areas=tuple(settled.get(asset.id, [])), findings=index.concerning([asset.id]),
            ))
        elif element.kind == "zone" and zones[element.id].managed_by is not None:
            zone = zones[element.id]
            result.append(ResponsibilityBoundary(
                subject=zone.id, subject_kind="zone", party=zone.managed_by,
                reason=text(
                    f"'{zone.name}' is managed by an external party: settle the boundary of the separation and the division of responsibility",
                    f"「{zone.name}」は外部事業者が管理する：分離の境界と責任分界を確認する",
                ),
                settled_areas=tuple(settled.get(zone.id, [])), findings=index.concerning([zone.id]),
            ))
    return tuple(result)


def _bcp_triggers(before: FactoryModel, after: FactoryModel, elements: Sequence[ElementChange]) -> dict[str, tuple[list[str], Text]]:
    """Trigger group -> element ids that trigger it and why."""
    assets = {a.id: a for a in after.assets}
    operations = {o.id: o for o in after.operations}
    conduits = {c.id: c for c in after.conduits}
    zones = {z.id: z for z in after.zones}
    services: list[str] = []
    partners: list[str] = []
    decisions: list[str] = []
    for element in elements:
        if element.change == "removed":
            continue
        fields = {f.field for f in element.fields}
        if element.kind == "operation" and (element.change == "added" or "status" in fields) and operations[element.id].status in SMARTIFICATION_STATUSES:
            services.append(element.id)
        elif element.kind == "asset":
            asset = assets[element.id]
            is_service = asset.type is not AssetType.DATA and (asset.status in SMARTIFICATION_STATUSES or asset.type is AssetType.EXTERNAL_SERVICE)
            if is_service and (element.change == "added" or fields & {"status", "type", "traits"}):
                services.append(element.id)
        elif element.kind == "party" and element.change == "added":
            partners.append(element.id)
        elif element.kind == "conduit" and (element.change == "added" or fields & {"carries_control_instructions", "external_network"}):
            conduit = conduits[element.id]
            external = conduit.external_network is not ExternalNetwork.NONE or any(
                zones[z].kind.side == "external" for z in (conduit.from_zone, conduit.to_zone) if z in zones
            )
            if conduit.carries_control_instructions or external:
                decisions.append(element.id)
    return {
        "new-services": (services, text("a new or changed system or service is added", "新規・変更のシステムやサービスが追加された")),
        "supply-chain": (partners, text("a new business partner takes part", "新たな取引先・外部事業者が関わる")),
        "decision-making": (decisions, text("a new control-instruction flow or external connection is added", "新たな制御指示のフローまたは外部接続が追加された")),
    }


def _bcp_findings(index: _Index, after: FactoryModel, viewpoint: str, ids: Sequence[str]) -> tuple[str, ...]:
    """The findings on the triggering elements, led by the factory-wide S1-BCP-VIEWPOINT finding of ``analyze`` for this viewpoint, if any."""
    own = f"S1-BCP-VIEWPOINT@{after.factory.id}#{viewpoint}"
    concerning = index.concerning(ids)
    return (own, *concerning) if own in index.by_id else concerning


def _bcp(before: FactoryModel, after: FactoryModel, elements: Sequence[ElementChange], catalog: Catalog, index: _Index) -> tuple[BcpItem, ...]:
    triggers = _bcp_triggers(before, after, elements)
    covered = set(after.bcp.covers) if after.bcp else set()
    result = []
    for viewpoint in catalog.bcp_viewpoints.values():
        ids, why = triggers.get(viewpoint.group, ([], text("-", "-")))
        if not ids:
            continue
        listed = ", ".join(ids)
        result.append(
            BcpItem(
                viewpoint=viewpoint.id, group=viewpoint.group, title=viewpoint.title,
                reason=text(f"{why.en}: {listed}", f"{why.ja}：{listed}"),
                triggered_by=tuple(ids), covered=viewpoint.id in covered, reference=viewpoint.ref, findings=_bcp_findings(index, after, viewpoint.id, ids),
            )
        )
    return tuple(result)


@dataclass(frozen=True)
class ReviewedChange:
    """A review together with the two versions and their assessments, for renderers that draw both versions."""

    before: FactoryModel
    after: FactoryModel
    before_assessment: Assessment
    after_assessment: Assessment
    review: ChangeReview


def review(before: LoadedModel | FactoryModel, after: LoadedModel | FactoryModel, catalog: Catalog) -> ChangeReview:
    """The smartification review of going from BEFORE to AFTER (Annex A steps 1-3 and the appendix's Steps 1-3)."""
    return review_versions(before, after, catalog).review


def review_versions(before: LoadedModel | FactoryModel, after: LoadedModel | FactoryModel, catalog: Catalog) -> ReviewedChange:
    """Analyse both versions once and review the change; keeps the models and assessments the review was made from."""
    old_model, new_model = _as_model(before), _as_model(after)
    old, new = analyze(old_model, catalog), analyze(new_model, catalog)
    index = _Index(new)
    elements = diff_elements(old_model, new_model, index)
    findings = diff_findings(old, new)
    zoning_findings = tuple(f for f in findings if f.category == "zoning")
    requirements = diff_requirements(old, new)
    added_zones = {e.id for e in elements if e.kind == "zone" and e.change == "added"}
    splits = _splits(old_model, new_model, added_zones, index)
    checklists = _checklists(old, new, elements, index)
    zoning = ZoningReview(
        new_zones=tuple(e.id for e in elements if e.kind == "zone" and e.change == "added"),
        removed_zones=tuple(e.id for e in elements if e.kind == "zone" and e.change == "removed"),
        splits=splits,
        zones_to_review=_zones_to_review(old_model, new_model, elements, splits, zoning_findings, requirements, index),
        findings=zoning_findings,
    )
    change_review = ChangeReview(
        factory_id=new_model.factory.id,
        title=after.change_title if isinstance(after, LoadedModel) else None,
        before_digest=old.model_digest,
        after_digest=new.model_digest,
        elements=elements,
        data_flows=_data_flows(new_model, elements, index),
        zoning=zoning,
        requirements=requirements,
        threats=tuple(f for f in findings if f.category != "zoning"),
        measures=_measures(old, new, new_model, catalog),
        stakeholders=_stakeholders(new_model, elements, checklists, catalog, index),
        checklists=checklists,
        responsibilities=_responsibilities(new_model, elements, index),
        bcp=_bcp(old_model, new_model, elements, catalog, index),
    )
    return ReviewedChange(before=old_model, after=new_model, before_assessment=old, after_assessment=new, review=change_review)


def review_change_file(loaded: LoadedModel, catalog: Catalog) -> ChangeReview:
    """Review a change file on its own: BEFORE is its base, AFTER the base with the change applied."""
    if loaded.base is None:
        raise ValueError("not a change file: it has no 'change: {base: ...}' header")
    return review(loaded.base, loaded, catalog)


__all__ = [
    "BcpItem",
    "ChangeReview",
    "ChecklistDue",
    "DataFlow",
    "ElementChange",
    "FieldChange",
    "FindingChange",
    "MeasureRequired",
    "NewStakeholder",
    "RequirementChange",
    "ResponsibilityBoundary",
    "ReviewedChange",
    "ZoneReason",
    "ZoneSplit",
    "ZoneToReview",
    "ZoningReview",
    "before_highlight_ids",
    "diff_elements",
    "diff_findings",
    "diff_requirements",
    "highlight_ids",
    "review",
    "review_change_file",
    "review_versions",
]

