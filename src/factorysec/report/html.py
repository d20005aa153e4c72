"""``report.html``: one self-contained page (styles, script and diagram inline) for every department.

The page follows the guideline's steps: each step's section names the
departments Table 1-1 assigns to it and the Annex B reference guidelines for it.
This module only arranges what the :class:`Assessment` already holds; Jinja2
templates (autoescaped) under ``templates/`` do the markup.
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import BaseModel

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.decisions import AppliedDecision
from factorysec.analysis.findings import Finding, Subject
from factorysec.analysis.importance import Derived
from factorysec.analysis.lifecycle import AREA_LABELS
from factorysec.analysis.measures import Gap
from factorysec.analysis.requirements import SecurityRequirement
from factorysec.analysis.risk import Risk
from factorysec.analysis.security_levels import ZoneSecurityLevel
from factorysec.catalog import Catalog, load_catalog
from factorysec.catalog.models import AudienceGroup, Step, Text
from factorysec.model.entities import (
    Asset,
    Conduit,
    Department,
    FactoryModel,
    Operation,
    Party,
    Zone,
)
from factorysec.model.index import index_model
from factorysec.model.loader import LoadedModel
from factorysec.report.diagram import (
    LARGE_ZONE_COUNT,
    ZONE_DIAGRAM_FOLDER,
    DiagramOptions,
    inline_svg,
    render_svg,
)

REPORT_FILE = "report.html"
DIAGRAM_FILE = "zones.svg"
TOP_ITEMS = 5

CORE_FIELDS = frozenset({"schema_version", "tool_version", "factory_id", "factory_name", "model_digest", "importance", "findings", "requirements"})
"""Assessment fields with a dedicated place in the page; any other field is rendered generically under its step."""

FIELD_STEPS: dict[str, str] = {
    "policies": "step-2",
    "policy": "step-2",
    "risks": "step-2",
    "risk": "step-2",
    "threats": "step-2",
    "measures": "step-2",
    "plan": "step-2",
    "scoring": "step-2",
    "entry_points": "step-2",
    "exposure": "step-2",
    "paths": "step-2",
    "gaps": "step-2",
    "security_levels": "step-2",
    "decisions": "step-2",
    "stale_decisions": "step-2",
    "lifecycle": "step-3",
    "supply_chain": "step-3",
    "ooda": "step-3",
    "maturity": "step-3",
    "reviews": "step-3",
    "review": "step-3",
    "checklists": "step-3",
}
"""Which step an additional Assessment field belongs to; fields not listed go to 'further results'."""

SECTION_TEMPLATES: dict[str, str] = {
    "lifecycle": "sections/lifecycle.html.j2",
    "security_plan": "sections/plan.html.j2",
}
"""Assessment fields (or groups of them, see ``SECTION_GROUPS``) with a template of their own under ``templates/sections/``."""

PLAN_GROUP = "security_plan"
SECTION_GROUPS: dict[str, str] = {
    name: PLAN_GROUP
    for name in ("scoring", "entry_points", "exposure", "paths", "risks", "gaps", "security_levels", "policies", "decisions", "stale_decisions")
}
"""Assessment fields shown together in one section, named by the group; the section's ``raw`` is the whole Assessment."""

CATEGORY_STEPS: dict[str, str] = {
    "zoning": "step-1",
    "hygiene": "step-1",
    "threat": "step-1",
    "requirement": "step-1",
    "exposure": "step-1",
    "discovery": "step-1",
    "lifecycle": "step-3",
    "supply-chain": "step-3",
}

STEP_IDS: tuple[str, ...] = ("step-1", "step-2", "step-3")
ANCHOR_PREFIXES: dict[str, str] = {"zone": "zone", "asset": "asset", "conduit": "conduit", "operation": "operation"}


@dataclass(frozen=True)
class ConduitView:
    conduit: Conduit
    peer: Zone | None
    data: tuple[Asset, ...]


@dataclass(frozen=True)
class ZoneView:
    """Everything the page shows about one zone."""

    zone: Zone
    importance: Derived
    parent: Zone | None
    children: tuple[Zone, ...]
    assets: tuple[Asset, ...]
    operations: tuple[Operation, ...]
    inbound: tuple[ConduitView, ...]
    outbound: tuple[ConduitView, ...]
    findings: tuple[Finding, ...]
    requirements: tuple[SecurityRequirement, ...]


@dataclass(frozen=True)
class ExtraSection:
    """An Assessment field beyond Step 1's: shown by its template in ``SECTION_TEMPLATES``, or generically as tables and lists."""

    name: str
    value: Any
    raw: Any = None
    template: str | None = None


@dataclass(frozen=True)
class StepView:
    step: Step
    audiences: tuple[AudienceGroup, ...]
    substeps: tuple[Step, ...]
    extras: tuple[ExtraSection, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class ReportView:
    """The page's content, arranged; built by :func:`build_view`."""

    lang: str
    model: FactoryModel
    assessment: Assessment
    catalog: Catalog
    steps: dict[str, StepView]
    zones: tuple[ZoneView, ...]
    further: tuple[ExtraSection, ...]
    diagram: str
    change_title: str | None = None
    diagram_left_out: str | None = None
    """Why the page has no diagram (a model too large to lay out), in the page's language; None when it has one."""
    counts: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def top_zones(self) -> list[ZoneView]:
        """The most important zones, most important first, model order among equals."""
        rated = [(z.importance.level.rank, z) for z in self.zones if z.importance.level is not None]
        return [zone for _, zone in sorted(rated, key=lambda pair: -pair[0])][:TOP_ITEMS]

    @property
    def top_findings(self) -> list[Finding]:
        """The first findings to address, advisories last.

        Without Step 2 risks: the assessment's own order. With them: zoning findings first (the zones the ranking
        rests on), then the ranked risks in their Step 2 order, then everything else in the assessment's order.
        """
        rank = {risk.finding: risk.rank for risk in self.assessment.risks}
        if not rank:
            return sorted(self.assessment.findings, key=lambda f: f.advisory)[:TOP_ITEMS]

        def key(finding: Finding) -> tuple[bool, int, int]:
            group = 0 if finding.category == "zoning" else 1 if finding.id in rank else 2
            return finding.advisory, group, rank.get(finding.id, 0)

        return sorted(self.assessment.findings, key=key)[:TOP_ITEMS]

    @property
    def top_risks(self) -> list[Risk]:
        """The first ranked risks, for the summary."""
        return list(self.assessment.risks[:TOP_ITEMS])

    @property
    def plan(self) -> "PlanView":
        """Step 2 results arranged for the plan section."""
        return PlanView.of(self.assessment)

    def measure_title(self, measure_id: str) -> str:
        measure = self.catalog.measures.get(measure_id)
        return measure.title.get(self.lang) if measure is not None else measure_id

    @property
    def plan_preview(self) -> ExtraSection | None:
        """The first items of the ranked plan, when the assessment has one."""
        plan = next((e for e in self.steps["step-2"].extras if e.name == "plan"), None)
        if plan is None or not isinstance(plan.value, list):
            return plan
        return ExtraSection(name=plan.name, value=plan.value[:TOP_ITEMS])

    @property
    def large_diagram(self) -> bool:
        """Large diagrams are shown at their natural size, scrolling, rather than shrunk to the page width."""
        return len(self.zones) >= LARGE_ZONE_COUNT

    def findings_in(self, step: StepView, categories: Iterable[str]) -> list[Finding]:
        wanted = set(categories)
        return [f for f in step.findings if f.category in wanted]

    def findings_except(self, step: StepView, categories: Iterable[str]) -> list[Finding]:
        unwanted = set(categories)
        return [f for f in step.findings if f.category not in unwanted]

    def by_subject(self, findings: Iterable[Finding]) -> list[tuple[Subject, list[Finding]]]:
        groups: dict[Subject, list[Finding]] = {}
        for finding in findings:
            groups.setdefault(finding.subject, []).append(finding)
        return list(groups.items())

    def requirements_in(self, scope: str) -> list[SecurityRequirement]:
        return [r for r in self.assessment.requirements if r.scope == scope]

    def anchor(self, kind: str, element_id: str) -> str:
        """The in-page link to an element's row or section."""
        prefix = ANCHOR_PREFIXES.get(kind)
        return f"#{prefix}-{element_id}" if prefix else "#summary"


@dataclass(frozen=True)
class PlanView:
    """Step 2 results keyed for the plan section: lookups by finding, requirement and zone (grouping only, nothing computed)."""

    gaps: dict[str, Gap]
    decisions: dict[str, AppliedDecision]
    requirements: dict[str, SecurityRequirement]
    levels: dict[str, ZoneSecurityLevel]

    @classmethod
    def of(cls, assessment: Assessment) -> "PlanView":
        return cls(
            gaps={g.finding: g for g in assessment.gaps},
            decisions={d.finding: d for d in assessment.decisions},
            requirements={r.id: r for r in assessment.requirements},
            levels={s.zone: s for s in assessment.security_levels},
        )

    def open_gaps(self, assessment: Assessment) -> list[Gap]:
        """Gaps with missing measures, in ranked-risk order first, then the rest in finding order."""
        rank = {risk.finding: risk.rank for risk in assessment.risks}
        missing = [g for g in assessment.gaps if g.missing]
        return sorted(missing, key=lambda g: (g.finding not in rank, rank.get(g.finding, 0)))


def _is_empty(value: Any) -> bool:
    return value is None or value == () or value == [] or value == {}


def _extras(assessment: Assessment) -> dict[str, list[ExtraSection]]:
    grouped: dict[str, list[ExtraSection]] = defaultdict(list)
    groups_placed: set[str] = set()
    for name in type(assessment).model_fields:
        if name in CORE_FIELDS:
            continue
        value = getattr(assessment, name)
        if _is_empty(value):
            continue
        group = SECTION_GROUPS.get(name)
        if group is not None:
            if group not in groups_placed:
                groups_placed.add(group)
                grouped[FIELD_STEPS.get(name, "further")].append(ExtraSection(name=group, value=None, raw=assessment, template=SECTION_TEMPLATES[group]))
            continue
        section = ExtraSection(name=name, value=_dump(value), raw=value, template=SECTION_TEMPLATES.get(name))
        grouped[FIELD_STEPS.get(name, "further")].append(section)
    return grouped


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Mapping):
        return {str(k): _dump(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_dump(v) for v in value]
    return value


def _steps(catalog: Catalog, assessment: Assessment, extras: dict[str, list[ExtraSection]]) -> dict[str, StepView]:
    result: dict[str, StepView] = {}
    for step_id in STEP_IDS:
        step = catalog.steps[step_id]
        result[step_id] = StepView(
            step=step,
            audiences=tuple(catalog.audience_groups[a] for a in step.audiences),
            substeps=tuple(s for s in catalog.steps.values() if s.parent == step_id),
            extras=tuple(extras.get(step_id, [])),
            findings=tuple(f for f in assessment.findings if CATEGORY_STEPS.get(f.category, "step-1") == step_id),
        )
    return result


def _conduit_views(conduits: Iterable[Conduit], peer_of: str, zones: Mapping[str, Zone], assets: Mapping[str, Asset]) -> tuple[ConduitView, ...]:
    return tuple(
        ConduitView(conduit=c, peer=zones.get(getattr(c, peer_of)), data=tuple(assets[d] for d in c.data if d in assets)) for c in conduits
    )


def _zones(model: FactoryModel, assessment: Assessment) -> tuple[ZoneView, ...]:
    index = index_model(model)
    zones, assets, operations = index.zones, index.assets, index.operations
    members, children, inbound, outbound = index.assets_in, index.sub_zones, index.conduits_to, index.conduits_from
    findings: dict[str, list[Finding]] = defaultdict(list)
    for finding in assessment.findings:
        findings[finding.subject.id].append(finding)
    requirements: dict[str, list[SecurityRequirement]] = defaultdict(list)
    for requirement in assessment.requirements:
        requirements[requirement.subject.id].append(requirement)
        if requirement.to_zone is not None and requirement.to_zone != requirement.subject.id:
            requirements[requirement.to_zone].append(requirement)
    views = []
    for zone in model.zones:
        zone_assets = members.get(zone.id, [])
        op_ids = dict.fromkeys([*zone.operations, *(o for a in zone_assets for o in a.operations)])
        touching = [*outbound.get(zone.id, []), *(c for c in inbound.get(zone.id, []) if c.from_zone != zone.id)]
        subject_ids = [zone.id, *(a.id for a in zone_assets), *(c.id for c in touching)]
        views.append(
            ZoneView(
                zone=zone,
                importance=assessment.importance.zones[zone.id].overall,
                parent=zones.get(zone.parent) if zone.parent else None,
                children=tuple(children.get(zone.id, [])),
                assets=tuple(zone_assets),
                operations=tuple(operations[o] for o in op_ids if o in operations),
                inbound=_conduit_views(inbound.get(zone.id, []), "from_zone", zones, assets),
                outbound=_conduit_views(outbound.get(zone.id, []), "to_zone", zones, assets),
                findings=tuple(f for s in subject_ids for f in findings.get(s, [])),
                requirements=tuple(r for s in dict.fromkeys(subject_ids) for r in requirements.get(s, [])),
            )
        )
    return tuple(views)


def _counts(model: FactoryModel, assessment: Assessment) -> dict[str, int]:
    counts = {
        "zones": len(model.zones),
        "assets": len(model.assets),
        "conduits": len(model.conduits),
        "operations": len(model.operations),
        "findings": len(assessment.findings),
        "requirements": len(assessment.requirements),
        "new_requirements": sum(1 for r in assessment.requirements if r.new),
        "control_conduits": sum(1 for c in model.conduits if c.carries_control_instructions),
    }
    for finding in assessment.findings:
        counts[f"category:{finding.category}"] = counts.get(f"category:{finding.category}", 0) + 1
    return counts


def _names(model: FactoryModel) -> dict[str, str]:
    named: Iterable[Zone | Asset | Operation | Party | Department] = (*model.zones, *model.assets, *model.operations, *model.parties, *model.departments)
    names = {element.id: element.name for element in named}
    names.update({c.id: c.name or c.id for c in model.conduits})
    return names


def build_view(
    model: FactoryModel, assessment: Assessment, catalog: Catalog, *, lang: str, diagram_svg: str, change_title: str | None = None, diagram_left_out: str | None = None
) -> ReportView:
    """Arrange the model and assessment for the page; no analysis happens here."""
    extras = _extras(assessment)
    return ReportView(
        lang=lang,
        model=model,
        assessment=assessment,
        catalog=catalog,
        steps=_steps(catalog, assessment, extras),
        zones=_zones(model, assessment),
        further=tuple(extras.get("further", [])),
        diagram=inline_svg(diagram_svg) if diagram_svg else "",
        change_title=change_title,
        diagram_left_out=diagram_left_out,
        counts=_counts(model, assessment),
        names=_names(model),
    )


def template_environment(lang: str) -> Environment:
    """The Jinja2 environment of the HTML pages (autoescaped): the ``tr`` filter, the tests the macros use, the report's labels as ``L``."""
    env = Environment(
        loader=PackageLoader("factorysec.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def tr(value: Text | Mapping[str, str] | str | None) -> str:
        if value is None:
            return ""
        if isinstance(value, Text):
            return value.get(lang)
        if isinstance(value, Mapping):
            return str(value.get(lang) or value.get("en") or "")
        return str(value)

    env.filters["tr"] = tr
    env.tests["bilingual"] = lambda value: isinstance(value, Mapping) and set(value) == {"en", "ja"}
    env.tests["mapping"] = lambda value: isinstance(value, Mapping)
    env.tests["sequence_of_mappings"] = lambda value: isinstance(value, (list, tuple)) and bool(value) and all(isinstance(v, Mapping) for v in value)
    env.globals["L"] = LABELS[lang]
    env.globals["AREA_LABELS"] = AREA_LABELS
    return env


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_policy(style: str, script: str) -> str:
    """A Content-Security-Policy that allows only the page's own inline style and script, so nothing loads from the network."""
    return f"default-src 'none'; img-src data:; style-src {_csp_hash(style)}; script-src {_csp_hash(script)}"


def render_html(view: ReportView) -> str:
    """The page as text. A Content-Security-Policy allows only the page's own style and script, so nothing loads from the network."""
    return "".join(_html_pieces(view))


def _html_pieces(view: ReportView) -> Iterator[str]:
    """The page in the pieces the template renders, in order (see :func:`render_html`)."""
    env = template_environment(view.lang)
    style = env.get_template("report.css").render()
    script = env.get_template("report.js").render()
    policy = content_policy(style, script)
    return env.get_template("report.html.j2").generate(view=view, style=style, script=script, policy=policy)


def _write_html(view: ReportView, path: Path) -> None:
    """Write :func:`render_html`'s text to ``path`` piece by piece: a 100k-asset model's page is 500 MB, held twice (text and UTF-8) when written in one go."""
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(_html_pieces(view))


def write_html_report(loaded: LoadedModel, assessment: Assessment, out_dir: Path, lang: str = "en", catalog: Catalog | None = None) -> list[Path]:
    """Write ``report.html`` and the diagram ``zones.svg`` into ``out_dir``; return the paths written.

    The diagram's caption says what was grouped; when the plant is drawn as a
    grid, each zone links to its own diagram (``zones/<zone id>.svg``, written
    by the report folder's zone-diagram writer).
    """
    catalog = catalog or load_catalog()
    model = loaded.model
    diagram_path = out_dir / DIAGRAM_FILE
    per_zone = f"{ZONE_DIAGRAM_FOLDER}/{{id}}.svg"
    standalone = render_svg(model, assessment, DiagramOptions(lang=lang, zone_diagram_link=per_zone))
    embedded = render_svg(model, assessment, DiagramOptions(lang=lang, zone_link="#zone-{id}", zone_diagram_link=per_zone))
    view = build_view(model, assessment, catalog, lang=lang, diagram_svg=embedded, change_title=loaded.change_title)
    out_dir.mkdir(parents=True, exist_ok=True)
    report_path = out_dir / REPORT_FILE
    _write_html(view, report_path)
    diagram_path.write_text(standalone, encoding="utf-8")
    return [report_path, diagram_path]


LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Factory security assessment",
        "contents": "Contents",
        "summary": "Executive summary",
        "diagram": "Zones and conduits",
        "diagram_note": "Click a zone to open its section.",
        "zones_section": "Zones",
        "further": "Further results",
        "digest": "model digest",
        "tool": "factorysec",
        "change": "Change under review",
        "audiences": "For",
        "references": "Reference guidelines (Annex B)",
        "substeps": "Sub-steps",
        "not_assessed": "Not assessed yet by this version of the tool.",
        "none": "none",
        "zones": "zones",
        "assets": "protected objects",
        "conduits": "conduits",
        "operations": "operations",
        "findings": "findings",
        "requirements": "requirements",
        "new_requirements_line": "{n} requirements are new or changed",
        "control_conduits_line": "{n} conduits carry control instructions",
        "top_zones": "Most important zones",
        "top_findings": "First findings to address",
        "top_plan": "Top of the plan",
        "lc_pdca": "PDCA review (Appendix 3.3)",
        "lc_last_review": "Last review {id} on {date}",
        "lc_age": ", {days} days ago (interval {interval} days, due {due})",
        "lc_no_review": "No review recorded.",
        "lc_overdue": "overdue",
        "lc_changed": "model changed since the review",
        "lc_gaps": "Step 3 gaps",
        "lc_checklists": "Supply-chain checklists (Tables 3-10 to 3-12)",
        "lc_open": "Open",
        "lc_open_items": "{n} open items, most important assets first",
        "lc_item": "Item",
        "lc_answer": "Answer",
        "lc_unanswered": "unanswered",
        "lc_responsibility": "Responsibility division",
        "lc_nobody": "— nobody —",
        "lc_ooda": "OODA role division (Tables 3-7, 3-8)",
        "lc_stage": "Stage",
        "lc_phase": "Phase",
        "lc_lead": "Lead",
        "lc_deciders": "Decides",
        "lc_activities": "Activities",
        "lc_maturity": "Maturity (Table 3-9)",
        "lc_area": "Area",
        "lc_next": "Next step",
        "lc_unassessed": "unassessed",
        "finding_col": "Finding",
        "pl_risks": "Threats ranked, business interruption first",
        "pl_risks_note": "{n} risks, {b} of them can interrupt the business. Level → residual level after the measures in place.",
        "pl_level": "Level → residual",
        "pl_interrupts": "business interruption",
        "pl_measures": "Measures missing per finding",
        "pl_missing": "Missing measures",
        "pl_in_place": "In place",
        "pl_partial": "partial",
        "pl_planned": "planned",
        "pl_from_catalog": "measures from the catalog for this threat type",
        "pl_entries": "Entry points",
        "pl_element": "Element",
        "pl_paths": "Attack paths to high-importance zones",
        "pl_shortest": "Shortest",
        "pl_weakest": "Weakest",
        "pl_path_facts": "{hops} hop(s), {controls:g} control(s)",
        "pl_no_controls": "no controls",
        "pl_exposure": "Exposure of every zone",
        "pl_entry": "Nearest entry point",
        "pl_hops": "Hops",
        "pl_unreachable": "not reachable from any entry point",
        "pl_sl": "IEC 62443 security levels (target, achieved per FR)",
        "pl_policies": "Security policy per zone",
        "pl_top_threats": "Top threats",
        "pl_first": "Measures to take first",
        "pl_cost": "cost",
        "pl_answers": "answers {n} threat(s)",
        "pl_requirements": "Requirements within and between zones",
        "pl_decisions": "Decisions",
        "pl_stale": "Stale decisions: their finding no longer exists",
        "pl_owner": "Owner",
        "pl_justification": "Justification",
        "pl_dates": "Date",
        "pl_review_by": "review by",
        "pl_source": "Source",
        "importance_ops": "Importance of operations (Step 1-3)",
        "importance_assets": "Importance of protected objects (Step 1-5)",
        "importance_zones": "Zones and their importance (Step 1-6)",
        "zoning": "Zoning review (Step 1-6)",
        "threats": "Threats by zone and conduit (Step 1-7)",
        "hygiene": "Model hygiene",
        "other_findings": "Other findings",
        "requirements_title": "Security requirements within and between zones (Step 1-7, Table 3-4)",
        "within": "Within zones",
        "between": "Between zones",
        "step_findings": "Findings",
        "name": "Name",
        "id": "Id",
        "level": "Importance",
        "reason": "Why",
        "type": "Type",
        "zone": "Zone",
        "kind": "Kind",
        "status": "Status",
        "parent": "Part of",
        "sub_zones": "Sub-zones",
        "managed_by": "Managed by",
        "in_house": "in-house",
        "inbound": "Conduits in",
        "outbound": "Conduits out",
        "from": "From",
        "to": "To",
        "data": "Data carried",
        "control": "control instructions",
        "external_network": "External network",
        "protocols": "Protocols",
        "rule": "Rule",
        "reference": "Reference",
        "subject": "Subject",
        "rationale": "Rationale",
        "impact": "Impact",
        "advisory": "advisory",
        "new": "new",
        "viewpoint": "Viewpoint",
        "because": "Because of",
        "filter": "Filter findings",
        "sourcing": "Sourcing",
        "axes": "S / Q / D / C / BC",
        "unspecified": "unspecified",
        "critical": "critical",
        "high": "high",
        "medium": "medium",
        "low": "low",
        "unrated": "not rated",
        "existing": "existing",
        "changed": "changed",
    },
    "ja": {
        "title": "工場セキュリティ評価",
        "contents": "目次",
        "summary": "概要",
        "diagram": "ゾーンとコンジット",
        "diagram_note": "ゾーンをクリックすると、そのゾーンの節に移動します。",
        "zones_section": "ゾーン",
        "further": "その他の結果",
        "digest": "モデルのダイジェスト",
        "tool": "factorysec",
        "change": "検討中の変更",
        "audiences": "対象部門",
        "references": "参考ガイドライン（付録B）",
        "substeps": "サブステップ",
        "not_assessed": "このバージョンのツールではまだ評価していません。",
        "none": "なし",
        "zones": "ゾーン",
        "assets": "保護対象",
        "conduits": "コンジット",
        "operations": "業務",
        "findings": "指摘",
        "requirements": "要件",
        "new_requirements_line": "新規・変更の要件 {n} 件",
        "control_conduits_line": "制御指示を運ぶコンジット {n} 本",
        "top_zones": "重要度の高いゾーン",
        "top_findings": "最初に対応すべき指摘",
        "top_plan": "計画の上位項目",
        "lc_pdca": "PDCAの見直し（付録3.3）",
        "lc_last_review": "最後の見直し {id}（{date}）",
        "lc_age": "、{days} 日前（間隔 {interval} 日、期限 {due}）",
        "lc_no_review": "見直しの記録がありません。",
        "lc_overdue": "期限超過",
        "lc_changed": "見直し後にモデルが変更されている",
        "lc_gaps": "ステップ3の課題",
        "lc_checklists": "サプライチェーンのチェック項目（表3-10〜3-12）",
        "lc_open": "未確認",
        "lc_open_items": "未確認項目 {n} 件（重要な資産から順に）",
        "lc_item": "項目",
        "lc_answer": "回答",
        "lc_unanswered": "未回答",
        "lc_responsibility": "責任分界",
        "lc_nobody": "— 未定 —",
        "lc_ooda": "OODAの役割分担（表3-7、3-8）",
        "lc_stage": "段階",
        "lc_phase": "フェーズ",
        "lc_lead": "主担当",
        "lc_deciders": "判断者",
        "lc_activities": "活動",
        "lc_maturity": "成熟度（表3-9）",
        "lc_area": "領域",
        "lc_next": "次の一歩",
        "lc_unassessed": "未評価",
        "finding_col": "指摘",
        "pl_risks": "脅威の優先順位（事業中断を優先）",
        "pl_risks_note": "リスク {n} 件、うち事業中断につながりうるもの {b} 件。レベル → 実施済みの対策を考慮した残存レベル。",
        "pl_level": "レベル → 残存",
        "pl_interrupts": "事業中断",
        "pl_measures": "指摘ごとの不足対策",
        "pl_missing": "不足している対策",
        "pl_in_place": "実施済み",
        "pl_partial": "一部実施",
        "pl_planned": "計画中",
        "pl_from_catalog": "この脅威の種類に対するカタログの対策",
        "pl_entries": "侵入口",
        "pl_element": "要素",
        "pl_paths": "重要度の高いゾーンへの攻撃経路",
        "pl_shortest": "最短",
        "pl_weakest": "最弱",
        "pl_path_facts": "{hops} ホップ、対策 {controls:g} 件",
        "pl_no_controls": "対策なし",
        "pl_exposure": "ゾーンごとの露出",
        "pl_entry": "最も近い侵入口",
        "pl_hops": "ホップ数",
        "pl_unreachable": "どの侵入口からも到達できない",
        "pl_sl": "IEC 62443 セキュリティレベル（目標、FRごとの達成）",
        "pl_policies": "ゾーンごとのセキュリティ対策方針",
        "pl_top_threats": "主な脅威",
        "pl_first": "優先して実施する対策",
        "pl_cost": "費用",
        "pl_answers": "対応する脅威 {n} 件",
        "pl_requirements": "ゾーン内・ゾーン間の要件",
        "pl_decisions": "判断",
        "pl_stale": "失効した判断：該当する指摘がもうない",
        "pl_owner": "担当",
        "pl_justification": "理由",
        "pl_dates": "日付",
        "pl_review_by": "見直し期限",
        "pl_source": "出所",
        "importance_ops": "業務の重要度（ステップ1-3）",
        "importance_assets": "保護対象の重要度（ステップ1-5）",
        "importance_zones": "ゾーンとその重要度（ステップ1-6）",
        "zoning": "ゾーニングの見直し（ステップ1-6）",
        "threats": "ゾーン・コンジットごとの脅威（ステップ1-7）",
        "hygiene": "モデルの整備",
        "other_findings": "その他の指摘",
        "requirements_title": "ゾーン内・ゾーン間のセキュリティ要件（ステップ1-7、表3-4）",
        "within": "ゾーン内",
        "between": "ゾーン間",
        "step_findings": "指摘",
        "name": "名称",
        "id": "ID",
        "level": "重要度",
        "reason": "根拠",
        "type": "種別",
        "zone": "ゾーン",
        "kind": "種類",
        "status": "状態",
        "parent": "親ゾーン",
        "sub_zones": "サブゾーン",
        "managed_by": "管理主体",
        "in_house": "自社",
        "inbound": "流入するコンジット",
        "outbound": "流出するコンジット",
        "from": "送信元",
        "to": "送信先",
        "data": "運ぶデータ",
        "control": "制御指示",
        "external_network": "外部ネットワーク",
        "protocols": "プロトコル",
        "rule": "ルール",
        "reference": "根拠箇所",
        "subject": "対象",
        "rationale": "内容",
        "impact": "影響",
        "advisory": "助言",
        "new": "新規",
        "viewpoint": "観点",
        "because": "関連する指摘",
        "filter": "指摘を絞り込む",
        "sourcing": "実施形態",
        "axes": "S / Q / D / C / BC",
        "unspecified": "未記載",
        "critical": "最重要",
        "high": "高",
        "medium": "中",
        "low": "低",
        "unrated": "未評価",
        "existing": "既存",
        "changed": "変更",
    },
}


__all__ = ["DIAGRAM_FILE", "REPORT_FILE", "ReportView", "ZoneView", "build_view", "content_policy", "render_html", "template_environment", "write_html_report"]
