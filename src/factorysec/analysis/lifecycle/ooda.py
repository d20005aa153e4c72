"""OODA role division for the preventive-maintenance and damage-occurrence stages (Appendix 3.3 (1)(i), Tables 3-7, 3-8).

A stage/phase the model assigns (``ooda_roles``) is taken as declared. One the
model leaves open is proposed from the catalog's example: the example's lead
and decision-maker kinds are matched to the model's departments (and, for the
vendor lead, parties) of that kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from factorysec.analysis.findings import Finding, Subject, text
from factorysec.analysis.lifecycle.rules import (
    OODA_NO_DECIDER,
    OODA_NO_SITE,
    OODA_NO_VENDOR_CHANNEL,
    OODA_PROPOSED,
)
from factorysec.catalog import REPORTING_DEPARTMENT, Catalog, OodaRole, Text
from factorysec.model.entities import AssetType, FactoryModel, OodaAssignment

PRODUCTION_SITE = "production-site"


class OodaCell(BaseModel):
    """Who leads and who decides in one phase of one stage."""

    model_config = ConfigDict(frozen=True)
    stage: str
    phase: str
    source: Literal["declared", "proposed"]
    lead: tuple[str, ...]
    decision_makers: tuple[str, ...]
    example_lead: str
    example_decision_makers: tuple[str, ...]
    activities: tuple[Text, ...]
    reference: str
    note: str | None = None
    stood_in: tuple[str, ...] = Field(default=(), exclude=True)
    """Kinds of the example the model has no department of, proposed to their stand-in (STAND_INS); the finding says so."""


def _by_kind(model: FactoryModel) -> dict[str, list[str]]:
    """Department and party ids by their kind, in model order.

    The department the BCP names as its owner is the department in charge of the BCP (Table 3-8's decision maker for
    the damage-occurrence Orient phase) whatever its kind: a factory rarely has a department of kind 'bcp'.
    """
    index: dict[str, list[str]] = {}
    for department in model.departments:
        index.setdefault(department.kind, []).append(department.id)
    owner = model.bcp.owner if model.bcp is not None else None
    if owner is not None and any(d.id == owner for d in model.departments) and owner not in index.get("bcp", []):
        index.setdefault("bcp", []).append(owner)
    for party in model.parties:
        index.setdefault(party.kind, []).append(party.id)
    return index


# Who stands in for a kind of department the factory does not have, and why (a small firm has no security department
# and no factory management apart from the plant manager on the floor). Tables 3-7 and 3-8 name the Act decision maker
# "factory manager, production site manager": the production site's head is the guideline's own alternative. 1.2 counts
# information systems and information security alike among the IT-related departments, and 3.3 (1)(i) answers too few
# security personnel with tools and outsourcing, not with a security department: the IT department stands in.
STAND_INS: dict[str, tuple[str, Text]] = {
    "factory-management": (
        PRODUCTION_SITE,
        Text(
            en="with no factory management the production site's manager stands in (Tables 3-7 and 3-8 name 'factory "
            "manager, production site manager')",
            ja="工場管理部門がないため製造現場の責任者が代わる（表3-7・3-8は「工場長、製造現場責任者」とする）",
        ),
    ),
    "security": (
        "it",
        Text(
            en="with no security department the IT department stands in (1.2: the IT-related departments include "
            "information systems and information security alike; 3.3 (1)(i): too few security personnel are helped by "
            "monitoring tools and by outsourcing part of the process to a security vendor)",
            ja="セキュリティ部門がないためIT部門が代わる（1.2：IT関連部門には情報システムも情報セキュリティも含まれる。"
            "3.3 (1)(i)：セキュリティ人材の不足には監視ツールの導入や外部のセキュリティベンダへの一部委託が有効）",
        ),
    ),
}


def _match(kinds: Iterable[str], index: dict[str, list[str]], stood_in: list[str] | None = None) -> tuple[str, ...]:
    """Members of the kinds; a kind the model has none of is taken by its stand-in, noted in ``stood_in``."""
    members: list[str] = []
    for kind in kinds:
        found = index.get(kind, [])
        if not found and kind in STAND_INS:
            found = index.get(STAND_INS[kind][0], [])
            if found and stood_in is not None and kind not in stood_in:
                stood_in.append(kind)
        members.extend(found)
    return tuple(dict.fromkeys(members))


def _cell(example: OodaRole, assigned: list[OodaAssignment], index: dict[str, list[str]]) -> OodaCell:
    """Declared when the model assigns the phase; otherwise proposed by matching the example's kinds."""
    stood_in: list[str] = []
    if assigned:
        lead = tuple(dict.fromkeys(a.lead for a in assigned))
        deciders = tuple(dict.fromkeys(d for a in assigned for d in a.decision_makers))
        note = "; ".join(a.note for a in assigned if a.note) or None
    else:
        lead_kinds = example.decision_makers if example.lead == REPORTING_DEPARTMENT else (example.lead,)
        lead, deciders = _match(lead_kinds, index, stood_in), _match(example.decision_makers, index, stood_in)
        note = None
    return OodaCell(
        stage=example.stage,
        phase=example.phase,
        source="declared" if assigned else "proposed",
        lead=lead,
        decision_makers=deciders,
        example_lead=example.lead,
        example_decision_makers=example.decision_makers,
        activities=example.activities,
        reference=example.ref,
        note=note,
        stood_in=() if assigned else tuple(stood_in),
    )


def build_ooda(model: FactoryModel, catalog: Catalog) -> tuple[OodaCell, ...]:
    """Every stage and phase of the catalog, declared from the model or proposed from the example roles."""
    declared: dict[tuple[str, str], list[OodaAssignment]] = {}
    for assignment in model.ooda_roles:
        declared.setdefault((assignment.stage, assignment.phase), []).append(assignment)
    index = _by_kind(model)
    return tuple(
        _cell(catalog.ooda_role(stage, phase), declared.get((stage, phase), []), index)
        for stage in catalog.ooda_stages
        for phase in catalog.ooda_phases
    )


def ooda_findings(model: FactoryModel, catalog: Catalog, cells: Iterable[OodaCell]) -> list[Finding]:
    """S3-OODA-NO-DECIDER per phase, S3-OODA-PROPOSED and S3-OODA-NO-SITE per stage, S3-OODA-NO-VENDOR-CHANNEL per equipment party."""
    cells = tuple(cells)
    findings: list[Finding] = []
    factory = Subject(kind="factory", id=model.factory.id)
    for cell in cells:
        if cell.decision_makers:
            continue
        stage_title, phase_title = catalog.ooda_stages[cell.stage].title, catalog.ooda_phases[cell.phase].title
        how_en = (
            "assigned without a decision maker"
            if cell.source == "declared"
            else f"not assigned, and the model has no department of kind {', '.join(cell.example_decision_makers)} to propose"
        )
        how_ja = (
            "判断者なしで割り当てられている"
            if cell.source == "declared"
            else f"割り当てがなく、提案できる種別（{'、'.join(cell.example_decision_makers)}）の部門もない"
        )
        findings.append(
            OODA_NO_DECIDER.finding(
                factory,
                text(
                    f"{stage_title.en}, {phase_title.en}: {how_en}; name who decides",
                    f"{stage_title.ja}・{phase_title.ja}：{how_ja}。判断者を決める",
                ),
                key=f"{cell.stage}.{cell.phase}",
            )
        )
    findings.extend(_proposed_findings(catalog, factory, cells))
    site = {d.id for d in model.departments if d.kind == PRODUCTION_SITE}
    for stage_id, stage in catalog.ooda_stages.items():
        members = {m for c in cells if c.stage == stage_id for m in (*c.lead, *c.decision_makers)}
        if members & site:
            continue
        findings.append(
            OODA_NO_SITE.finding(
                factory,
                text(
                    f"{stage.title.en}: no production-site department leads or decides in any phase; include the production site, which acts on measures and reports what happens on the floor",
                    f"{stage.title.ja}：どのフェーズでも製造現場の部門が主担当・判断者になっていない。対策の実施と現場の事象の報告を担う製造現場を加える",
                ),
                key=stage_id,
            )
        )
    findings.extend(_vendor_channel_findings(model))
    return findings


def _and(items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    listed = list(items)
    return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"


def _proposed_findings(catalog: Catalog, factory: Subject, cells: tuple[OodaCell, ...]) -> list[Finding]:
    """S3-OODA-PROPOSED: a stage some of whose phases the OODA table fills with proposals, not the factory's decision.

    Only the proposals that name a decision maker are listed: a phase left with no one to decide is already
    S3-OODA-NO-DECIDER's, which asks the factory to name who decides.
    """
    findings: list[Finding] = []
    for stage_id, stage in catalog.ooda_stages.items():
        in_stage = [c for c in cells if c.stage == stage_id]
        proposed = [c for c in in_stage if c.source == "proposed" and c.decision_makers]
        if not proposed:
            continue
        recorded = [catalog.ooda_phases[c.phase].title for c in in_stage if c.source == "declared"]
        if recorded:
            verb = "is" if len(recorded) == 1 else "are"
            recorded_en = f"only {_and(t.en for t in recorded)} {verb} recorded"
            recorded_ja = f"記録されているのは{'・'.join(t.ja for t in recorded)}だけで、"
        else:
            recorded_en, recorded_ja = "no phase is recorded", "どのフェーズも記録されておらず、"
        parts_en, parts_ja = [], []
        for cell in proposed:
            title = catalog.ooda_phases[cell.phase].title
            lead_en = f"led by {_and(cell.lead)}" if cell.lead else "no one proposed to lead"
            lead_ja = f"主担当 {'・'.join(cell.lead)}" if cell.lead else "主担当の提案なし"
            parts_en.append(f"{title.en}: {lead_en}, decided by {_and(cell.decision_makers)}")
            parts_ja.append(f"{title.ja}は{lead_ja}、判断者 {'・'.join(cell.decision_makers)}")
        stood_in = [STAND_INS[kind][1] for kind in dict.fromkeys(k for c in proposed for k in c.stood_in)]
        stand_en = f" ({'; '.join(t.en for t in stood_in)})" if stood_in else ""
        stand_ja = f"（{'。'.join(t.ja for t in stood_in)}）" if stood_in else ""
        findings.append(
            OODA_PROPOSED.finding(
                factory,
                text(
                    f"{stage.title.en}: {recorded_en}; these phases are proposed from the guideline's example roles, not decided "
                    f"by the factory: {'; '.join(parts_en)}{stand_en}. Confirm them with the departments named and record them "
                    "under 'ooda_roles'",
                    f"{stage.title.ja}：{recorded_ja}次のフェーズはガイドラインの例の役割からの提案で、工場が決めたものではない："
                    f"{'。'.join(parts_ja)}{stand_ja}。名前の挙がった部門と確認し、'ooda_roles' に記録する",
                ),
                key=stage_id,
            )
        )
    return findings


def _vendor_channel_findings(model: FactoryModel) -> list[Finding]:
    devices: dict[str, list[str]] = {}
    equipment = AssetType.EQUIPMENT
    for asset in model.assets:
        if asset.type is equipment:
            supplier, maintainer = asset.supplier, asset.maintainer
            if supplier:
                devices.setdefault(supplier, []).append(asset.name)
            if maintainer and maintainer != supplier:
                devices.setdefault(maintainer, []).append(asset.name)
    findings = []
    for party in model.parties:
        if party.id not in devices or party.vulnerability_contact:
            continue
        names = devices[party.id]
        findings.append(
            OODA_NO_VENDOR_CHANNEL.finding(
                Subject(kind="party", id=party.id),
                text(
                    f"'{party.name}' supplies or maintains {', '.join(names)} but has no vulnerability contact: the preventive-maintenance Observe phase has no channel for vulnerability information on these devices",
                    f"「{party.name}」は{'、'.join(names)}を供給・保守しているが脆弱性情報の窓口がない。予防保全段階のObserve（監視）で、これらの機器の脆弱性情報を受け取る経路がない",
                ),
            )
        )
    return findings
