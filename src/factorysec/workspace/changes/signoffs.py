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

Each reason is a :class:`Reason`, a code and its parameters, stored beside its English text: a page reads it in the
reader's language (:func:`reason_texts`). Approvers stored before the codes were (their reasons English text alone)
still read as stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from factorysec.catalog.models import Text
from factorysec.catalog.vocabulary import reference, value
from factorysec.model.entities import ExternalNetwork, FactoryModel
from factorysec.workspace.changes.reviewing import ChangeReview

SECURITY_KINDS = ("security", "it")
PRODUCTION_KINDS = ("production-engineering", "production-site", "production-control")


REASONS: dict[str, Text] = {
    "external-connection": Text(
        en="new external connection: {conduit} (Annex A step 2)", ja="新たな外部接続：{conduit}（付録A 手順2）"
    ),
    "new-threats": Text(en="{count} new threats (Step 1-7)", ja="新たな脅威 {count} 件（ステップ1-7）"),
    "new-threat": Text(en="1 new threat (Step 1-7)", ja="新たな脅威 1 件（ステップ1-7）"),
    "new-requirements-between-zones": Text(
        en="new requirements between zones: {requirements} (Table 3-4)",
        ja="新たなゾーン間の要件：{requirements}（表3-4）",
    ),
    "zone-split": Text(
        en="zone split: {zone} into {into} (Annex A step 3)", ja="ゾーンの分割：{zone} を {into} に（付録A 手順3）"
    ),
    "new-control-zone": Text(
        en="new control-side zone: {zone} (Step 1-6)", ja="制御系（FA）の新たなゾーン：{zone}（ステップ1-6）"
    ),
    "zone-to-review": Text(en="zone to review: {zone} (Annex A step 3)", ja="見直すべきゾーン：{zone}（付録A 手順3）"),
    "responsibility-boundary": Text(
        en="responsibility boundary of {subject} (Annex A case (ii) step 3)",
        ja="{subject} の責任分界（付録A 事例(ii) 手順3）",
    ),
    "new-stakeholder": Text(en="new stakeholder (Step 1-1 (3))", ja="新たな関係者（ステップ1-1 (3)）"),
    "checklist": Text(
        en="{checklist_kind} checklist for {subject} ({reference})",
        ja="{subject} の{checklist_kind}のチェックリスト（{reference}）",
    ),
    "bcp-viewpoints": Text(
        en="BCP viewpoints not yet covered: {viewpoints} (Appendix 3.1.1 (1))",
        ja="BCPにまだ反映していない見直しの観点：{viewpoints}（別冊 3.1.1 (1)）",
    ),
}
"""Each reason code's sentence; its parameters are ids as written, but for ``checklist_kind`` (a word of the glossary's
``checklist_kind``) and ``reference`` (a guideline reference), which read in the sentence's language."""


@dataclass(frozen=True)
class Reason:
    """Why the review asks an approver: a code of :data:`REASONS` and its parameters, as stored (JSON)."""

    code: str
    params: dict[str, str] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        params = dict(self.params)
        if "checklist_kind" in params:
            params["checklist_kind"] = value("checklist_kind", params["checklist_kind"], lang)
        if "reference" in params:
            params["reference"] = reference(params["reference"], lang)
        code = "new-threat" if self.code == "new-threats" and params.get("count") == "1" else self.code
        return REASONS[code].get(lang).format(**params)

    def stored(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}


def reason_texts(approver: Mapping[str, Any], lang: str) -> list[str]:
    """A stored approver's reasons in ``lang``: from their codes, or as stored (English) for an approver stored
    without them or with a code or parameter this version does not know."""
    stored_texts = [str(text) for text in approver.get("reasons") or []]
    codes = approver.get("reason_codes")
    if not isinstance(codes, list) or len(codes) != len(stored_texts):
        return stored_texts
    texts = []
    for stored, text in zip(codes, stored_texts, strict=True):
        try:
            params = stored["params"]
            reason = Reason(str(stored["code"]), {str(k): str(v) for k, v in params.items()})
            texts.append(reason.text(lang))
        except (KeyError, TypeError, AttributeError, IndexError, ValueError):
            texts.append(text)
    return texts


@dataclass
class Approver:
    """A department or party whose sign-off the change needs, and every reason the review gives (as English text, and
    as codes a page reads in its language)."""

    kind: Literal["department", "party"]
    id: str
    department_kind: str | None = None
    reasons: list[str] = field(default_factory=list)
    reason_codes: list[Reason] = field(default_factory=list)

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

    def need(
        kind: Literal["department", "party"], ident: str, reason: Reason, department_kind: str | None = None
    ) -> None:
        approver = approvers.setdefault(f"{kind}:{ident}", Approver(kind, ident, department_kind))
        text = reason.text("en")
        if text not in approver.reasons:
            approver.reasons.append(text)
            approver.reason_codes.append(reason)

    zones = {z.id: z for z in after.zones}
    security, security_kind = _department(after, SECURITY_KINDS)
    for flow in review.data_flows:
        external = flow.external_network != ExternalNetwork.NONE.value or any(
            z in zones and zones[z].kind.side == "external" for z in (flow.from_zone, flow.to_zone)
        )
        if external:
            need("department", security, Reason("external-connection", {"conduit": flow.conduit}), security_kind)
    new_threats = [t.id for t in review.threats if t.change == "new"]
    if new_threats:
        need("department", security, Reason("new-threats", {"count": str(len(new_threats))}), security_kind)
    between = [r.id for r in review.requirements if r.scope == "between-zones" and r.change == "new"]
    if between:
        need(
            "department",
            security,
            Reason("new-requirements-between-zones", {"requirements": ", ".join(between)}),
            security_kind,
        )

    production, production_kind = _department(after, PRODUCTION_KINDS)
    zoning = review.zoning
    for split in zoning.splits:
        need(
            "department",
            production,
            Reason("zone-split", {"zone": split.zone, "into": ", ".join(split.into)}),
            production_kind,
        )
    for zone_id in zoning.new_zones:
        if zone_id in zones and zones[zone_id].kind.side == "fa":
            need("department", production, Reason("new-control-zone", {"zone": zone_id}), production_kind)
    for to_review in zoning.zones_to_review:
        if to_review.zone in zones and zones[to_review.zone].kind.side == "fa":
            need("department", production, Reason("zone-to-review", {"zone": to_review.zone}), production_kind)

    for boundary in review.responsibilities:
        if boundary.party:
            need("party", boundary.party, Reason("responsibility-boundary", {"subject": boundary.subject}))
    for stakeholder in review.stakeholders:
        need("party", stakeholder.party, Reason("new-stakeholder"))
    for checklist in review.checklists:
        if checklist.party:
            need(
                "party",
                checklist.party,
                Reason(
                    "checklist",
                    {"checklist_kind": checklist.kind, "subject": checklist.subject, "reference": checklist.reference},
                ),
            )

    uncovered = [item.viewpoint for item in review.bcp if not item.covered]
    if uncovered:
        owner = after.bcp.owner if after.bcp is not None and after.bcp.owner else None
        if owner is not None:
            kind = next((d.kind for d in after.departments if d.id == owner), None)
            need(
                "department",
                owner,
                Reason("bcp-viewpoints", {"viewpoints": ", ".join(uncovered)}),
                kind,
            )
    return sorted(approvers.values(), key=lambda a: (a.kind != "department", a.id))
