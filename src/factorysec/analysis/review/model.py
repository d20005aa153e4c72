"""What a smartification review holds: the changes it lists, in the order of the appendix's procedure (no logic but small lookups)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.findings import Subject
from factorysec.catalog.models import Text
from factorysec.model.entities import ExternalNetwork, FactoryModel, Lifecycle

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
    """A finding new in AFTER, gone from it, or whose risk level (Step 2-1; given only for ``level-changed``) or text changed."""

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
    to_zone: str | None = Field(
        default=None, description="Between zones: the zone that receives; the subject is the zone that sends."
    )
    conduits: tuple[str, ...] = Field(
        default=(),
        description="Between zones: the conduits the requirement covers (after the change; before it when removed).",
    )


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
        return bool(
            self.elements
            or self.zoning.findings
            or self.requirements
            or self.threats
            or self.before_digest != self.after_digest
        )

    def element(self, kind: ElementKind, element_id: str) -> ElementChange | None:
        return next((e for e in self.elements if e.kind == kind and e.id == element_id), None)


@dataclass(frozen=True)
class ReviewedChange:
    """A review together with the two versions and their assessments, for renderers that draw both versions."""

    before: FactoryModel
    after: FactoryModel
    before_assessment: Assessment
    after_assessment: Assessment
    review: ChangeReview
