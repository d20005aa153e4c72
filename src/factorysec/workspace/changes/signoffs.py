"""Who must sign a change off: exactly the departments and parties its smartification review names. Pure; no Django.

- the IT/security department, for a new external connection (Annex A step 2: a
  data flow over an external network or into an external zone), new threats
  (Step 1-7) and new or changed requirements between zones (Table 3-4);
- production, for zoning: a zone split, a new zone or a zone to review on the
  control (FA) side (Annex A step 3, Step 1-6);
- each party the review names: a responsibility boundary to settle (Annex A
  case (ii) step 3), a new stakeholder, or a Step 3 checklist it must answer
  (Tables 3-10 to 3-12);
- the BCP owner, for BCP review viewpoints the BCP does not yet cover
  (Appendix 3.1.1 (1)).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from factorysec.model.entities import ExternalNetwork, FactoryModel
from factorysec.workspace.changes.reviewing import ChangeReview

SECURITY_KINDS = ("security", "it")
PRODUCTION_KINDS = ("production-engineering", "production-site", "production-control")


@dataclass
class Approver:
    """A department or party whose sign-off the change needs, and every reason the review gives."""

    kind: Literal["department", "party"]
    id: str
    department_kind: str | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


def _department(model: FactoryModel, kinds: tuple[str, ...]) -> tuple[str, str]:
    """The model's first department of the first kind present; the kind itself stands in when the model has none."""
    for kind in kinds:
        for department in model.departments:
            if department.kind == kind:
                return department.id, kind
    return kinds[0], kinds[0]


def required_signoffs(review: ChangeReview, after: FactoryModel) -> list[Approver]:
    """The approvers, departments first, each with its reasons, in a stable order."""
    approvers: dict[str, Approver] = {}

    def need(kind: Literal["department", "party"], ident: str, reason: str, department_kind: str | None = None) -> None:
        approver = approvers.setdefault(f"{kind}:{ident}", Approver(kind, ident, department_kind))
        if reason not in approver.reasons:
            approver.reasons.append(reason)

    zones = {z.id: z for z in after.zones}
    security, security_kind = _department(after, SECURITY_KINDS)
    for flow in review.data_flows:
        external = flow.external_network != ExternalNetwork.NONE.value or any(
            z in zones and zones[z].kind.side == "external" for z in (flow.from_zone, flow.to_zone)
        )
        if external:
            need("department", security, f"new external connection: {flow.conduit} (Annex A step 2)", security_kind)
    new_threats = [t.id for t in review.threats if t.change == "new"]
    if new_threats:
        need("department", security, f"{len(new_threats)} new threats (Step 1-7)", security_kind)
    between = [r.id for r in review.requirements if r.scope == "between-zones" and r.change == "new"]
    if between:
        need("department", security, f"new requirements between zones: {', '.join(between)} (Table 3-4)", security_kind)

    production, production_kind = _department(after, PRODUCTION_KINDS)
    zoning = review.zoning
    for split in zoning.splits:
        need(
            "department",
            production,
            f"zone split: {split.zone} into {', '.join(split.into)} (Annex A step 3)",
            production_kind,
        )
    for zone_id in zoning.new_zones:
        if zone_id in zones and zones[zone_id].kind.side == "fa":
            need("department", production, f"new control-side zone: {zone_id} (Step 1-6)", production_kind)
    for to_review in zoning.zones_to_review:
        if to_review.zone in zones and zones[to_review.zone].kind.side == "fa":
            need("department", production, f"zone to review: {to_review.zone} (Annex A step 3)", production_kind)

    for boundary in review.responsibilities:
        if boundary.party:
            need("party", boundary.party, f"responsibility boundary of {boundary.subject} (Annex A case (ii) step 3)")
    for stakeholder in review.stakeholders:
        need("party", stakeholder.party, "new stakeholder (Step 1-1 (3))")
    for checklist in review.checklists:
        if checklist.party:
            need(
                "party", checklist.party, f"{checklist.kind} checklist for {checklist.subject} ({checklist.reference})"
            )

    uncovered = [item.viewpoint for item in review.bcp if not item.covered]
    if uncovered:
        owner = after.bcp.owner if after.bcp is not None and after.bcp.owner else None
        if owner is not None:
            kind = next((d.kind for d in after.departments if d.id == owner), None)
            need(
                "department",
                owner,
                f"BCP viewpoints not yet covered: {', '.join(uncovered)} (Appendix 3.1.1 (1))",
                kind,
            )
    return sorted(approvers.values(), key=lambda a: (a.kind != "department", a.id))
