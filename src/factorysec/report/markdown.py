"""``report.md``: an executive summary and the guideline's three steps, each addressed to the departments Table 1-1 names.

Every value printed by the template is escaped for Markdown (``finalize``), so
user text with ``|``, ``*``, ``_``, ``[`` or line breaks cannot break a table
or the layout. Texts are picked in the report language before rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.exposure import AttackPath
from factorysec.analysis.findings import Finding
from factorysec.analysis.lifecycle import AREA_LABELS, OodaCell
from factorysec.catalog import Catalog
from factorysec.catalog.models import Step
from factorysec.model.entities import FactoryModel
from factorysec.report.inert import printable
from factorysec.report.lifecycle_terminal import SOURCES

STEP_IDS = ("step-1", "step-2", "step-3")
_SPECIAL = "\\`*_{}[]<>#|!~"

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Security assessment", "digest": "model digest", "summary": "Executive summary",
        "summary_counts": "{f} findings ({z} zoning, {t} threats, {h} hygiene, {o} other) and {r} security requirements within and between zones.",
        "top_zones": "Most important zones", "for": "For", "references": "Reference guidelines (Annex B)",
        "operations": "Operations and their importance (Steps 1-2, 1-3)", "assets": "Protected objects and their importance (Steps 1-4, 1-5)",
        "zones": "Zones (Step 1-6)", "conduits": "Conduits and data flows (Step 1-7)", "findings": "Findings (Steps 1-6, 1-7)",
        "requirements": "Security requirements within and between zones (Table 3-4)", "risks": "Threats ranked, business interruption first (Step 2-1)",
        "plan": "Measures to plan (Step 2-2)",
        "lifecycle": "Lifecycle and supply-chain gaps (Step 3)", "open_items": "Open checklist items (Tables 3-10 to 3-12)", "pdca": "PDCA review",
        "pdca_none": "No review recorded; review every {n} days.", "pdca_last": "Last review {id} on {date}; next due {due}{overdue}.", "overdue": " (overdue)",
        "id": "ID", "name": "Name", "importance": "Importance", "why": "Why", "type": "Type", "zone": "Zone", "kind": "Kind",
        "from": "From", "to": "To", "control": "Control instructions", "external": "External network", "rule": "Rule",
        "subject": "Subject", "reference": "Reference", "finding": "Finding", "scope": "Scope", "requirement": "Requirement",
        "rank": "Rank", "level": "Level", "measures": "Measures to consider", "owner": "Owner", "status": "Status",
        "asset": "Asset", "item": "Item", "answer": "Answer", "none": "None.", "yes": "yes", "no": "no", "new": "new",
        "top_risks": "First risks to address (Step 2-1)", "level_residual": "Level → residual", "interrupts": "business interruption",
        "policies": "Security policy per zone (Step 2-1)", "top_threats": "Top threats", "measures_first": "Measures to take first",
        "zone_requirements": "Requirements within and between zones", "cost": "cost", "paths": "Attack paths to high-importance zones (3.2.2 (1)(i))",
        "shortest": "shortest", "weakest": "weakest", "hops": "{n} hop(s), {c:g} control(s)", "no_controls": "no controls",
        "responsibility": "Responsibility gaps (Step 3 (2))", "area": "Area", "party": "Party",
        "ooda": "OODA role division (Tables 3-7, 3-8)", "stage": "Stage", "phase": "Phase", "lead": "Lead", "deciders": "Decides",
        "source": "Source", "nobody": "nobody", "maturity": "Maturity (Table 3-9)", "next": "Next step", "unassessed": "unassessed",
    },
    "ja": {
        "title": "セキュリティ評価", "digest": "モデルのダイジェスト", "summary": "エグゼクティブサマリー",
        "summary_counts": "指摘 {f} 件（ゾーニング {z}、脅威 {t}、整備 {h}、その他 {o}）、ゾーン内・ゾーン間のセキュリティ要件 {r} 件。",
        "top_zones": "重要度の高いゾーン", "for": "対象部門", "references": "参考となるガイドライン（付録B）",
        "operations": "業務とその重要度（ステップ1-2、1-3）", "assets": "保護対象とその重要度（ステップ1-4、1-5）",
        "zones": "ゾーン（ステップ1-6）", "conduits": "コンデュイットとデータの流れ（ステップ1-7）", "findings": "指摘（ステップ1-6、1-7）",
        "requirements": "ゾーン内・ゾーン間のセキュリティ要件（表3-4）", "risks": "脅威の優先順位（事業中断を優先、ステップ2-1）",
        "plan": "計画すべき対策（ステップ2-2）",
        "lifecycle": "ライフサイクルとサプライチェーンの課題（ステップ3）", "open_items": "未完了のチェックリスト項目（表3-10〜3-12）", "pdca": "PDCAによる見直し",
        "pdca_none": "見直しの記録がありません。{n} 日ごとに見直してください。", "pdca_last": "最後の見直しは {id}（{date}）、次回期限は {due}{overdue}。", "overdue": "（期限超過）",
        "id": "ID", "name": "名称", "importance": "重要度", "why": "根拠", "type": "種別", "zone": "ゾーン", "kind": "種類",
        "from": "送信元", "to": "送信先", "control": "制御指示", "external": "外部ネットワーク", "rule": "ルール",
        "subject": "対象", "reference": "参照箇所", "finding": "指摘", "scope": "範囲", "requirement": "要件",
        "rank": "順位", "level": "レベル", "measures": "検討すべき対策", "owner": "担当", "status": "状態",
        "asset": "保護対象", "item": "項目", "answer": "回答", "none": "なし。", "yes": "はい", "no": "いいえ", "new": "新規",
        "top_risks": "最初に対応すべきリスク（ステップ2-1）", "level_residual": "レベル → 残存", "interrupts": "事業中断",
        "policies": "ゾーンごとのセキュリティ対策方針（ステップ2-1）", "top_threats": "主な脅威", "measures_first": "優先して実施する対策",
        "zone_requirements": "ゾーン内・ゾーン間の要件", "cost": "費用", "paths": "重要度の高いゾーンへの攻撃経路（3.2.2 (1)(i)）",
        "shortest": "最短", "weakest": "最弱", "hops": "{n} ホップ、対策 {c:g} 件", "no_controls": "対策なし",
        "responsibility": "責任分界の不足（ステップ3 (2)）", "area": "領域", "party": "事業者",
        "ooda": "OODAの役割分担（表3-7、3-8）", "stage": "段階", "phase": "フェーズ", "lead": "主担当", "deciders": "判断者",
        "source": "出所", "nobody": "未定", "maturity": "成熟度（表3-9）", "next": "次の一歩", "unassessed": "未評価",
    },
}


class Url(str):
    """A URL for an autolink ``<...>``: printed as is, since backslash escapes do not work inside autolinks."""


def autolink_url(url: str) -> Url:
    """A URL safe inside ``<...>``: spaces and angle brackets percent-encoded."""
    return Url(url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E"))


def escape_markdown(value: Any) -> str:
    """Escape a value for Markdown text and table cells: special characters get a backslash, line breaks become <br>.

    A carriage return alone ends a line in Markdown too, so it becomes <br>;
    other control characters and bidirectional overrides are spelled out
    (``\\x7f``), as in the terminal (:func:`factorysec.report.inert.printable`).
    """
    if value is None:
        return ""
    if isinstance(value, Url):
        return str(value)
    text = printable(str(value).replace("\r\n", "\n").replace("\r", "\n"))
    escaped = "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)
    return escaped.replace("\n", "<br>")


@dataclass(frozen=True)
class StepView:
    """A step section's header: its title, the departments it addresses and its Annex B references."""

    id: str
    section: str
    title: str
    audiences: list[str]
    references: list[dict[str, Any]]


def _step_view(step: Step, catalog: Catalog, lang: str) -> StepView:
    audiences = [catalog.audience_groups[a].title.get(lang) if a in catalog.audience_groups else a for a in step.audiences]
    references = [{"title": r.title.get(lang), "publisher": r.publisher.get(lang), "url": autolink_url(r.url)} for r in step.references]
    return StepView(step.id, step.section, step.title.get(lang), audiences, references)


def _finding_row(finding: Finding, lang: str) -> dict[str, str]:
    return {
        "id": finding.id,
        "rule": finding.rule,
        "subject": f"{finding.subject.kind} {finding.subject.id}",
        "title": finding.title.get(lang),
        "rationale": finding.rationale.get(lang),
        "reference": finding.reference,
        "category": finding.category,
    }


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("factorysec.report", "templates"),
        autoescape=False,
        finalize=escape_markdown,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_markdown(assessment: Assessment, model: FactoryModel, catalog: Catalog, lang: str = "en") -> str:
    """The Markdown report."""
    findings = [_finding_row(f, lang) for f in assessment.findings]
    counts = {c: sum(1 for f in assessment.findings if f.category == c) for c in ("zoning", "threat", "hygiene")}
    label = LABELS[lang]
    summary = label["summary_counts"].format(
        f=len(findings), z=counts["zoning"], t=counts["threat"], h=counts["hygiene"], o=len(findings) - sum(counts.values()), r=len(assessment.requirements)
    )
    zones = [
        {"id": z.id, "name": z.name, "kind": z.kind.value, "level": _level(assessment.importance.zones[z.id].overall.level) if z.id in assessment.importance.zones else "",
         "why": assessment.importance.zones[z.id].overall.reason.get(lang) if z.id in assessment.importance.zones else ""}
        for z in model.zones
    ]
    return _environment().get_template("report.md.j2").render(
        t=label,
        lang=lang,
        a=assessment,
        model=model,
        summary=summary,
        steps={sid: _step_view(catalog.steps[sid], catalog, lang) for sid in STEP_IDS if sid in catalog.steps},
        findings=findings,
        zones=zones,
        top_zones=[z for z in zones if z["level"] in ("critical", "high")],
        operations=[{"op": op, "derived": assessment.importance.operations.get(op.id)} for op in model.operations],
        assets=[{"asset": asset, "derived": assessment.importance.assets.get(asset.id)} for asset in model.assets],
        risks=_risk_rows(assessment, lang),
        plan=_plan_rows(assessment, catalog, lang),
        policies=_policy_rows(assessment, model, catalog, lang),
        paths=[_path_line(path, catalog, label, lang) for path in assessment.paths],
        responsibility_gaps=_responsibility_gaps(assessment, lang),
        ooda=[_ooda_row(cell, label, lang) for cell in assessment.lifecycle.ooda],
        lifecycle=assessment.lifecycle,
        lifecycle_findings=[_finding_row(f, lang) for f in assessment.lifecycle.findings],
        pdca=_pdca_line(assessment, label),
    )


def _pdca_line(assessment: Assessment, label: dict[str, str]) -> str:
    pdca = assessment.lifecycle.pdca
    if pdca.last_review is None:
        return label["pdca_none"].format(n=pdca.interval_days)
    overdue = label["overdue"] if pdca.overdue else ""
    return label["pdca_last"].format(id=pdca.last_review, date=pdca.last_review_date or "", due=pdca.due or "", overdue=overdue)


def _plan_rows(assessment: Assessment, catalog: Catalog, lang: str) -> list[dict[str, str]]:
    """One row per finding with the measures still to plan: the Step 2 gaps when present, else the rule's measures."""
    missing = {gap.finding: gap.missing for gap in assessment.gaps}
    rows = []
    for finding in assessment.findings:
        ids = missing.get(finding.id, finding.measures)
        rows.append({"id": finding.id, "measures": "; ".join(_measure_text(catalog, m, lang) for m in ids)})
    return rows


def _measure_title(catalog: Catalog, measure_id: str, lang: str) -> str:
    measure = catalog.measures.get(measure_id)
    return measure.title.get(lang) if measure is not None else measure_id


def _measure_text(catalog: Catalog, measure_id: str, lang: str) -> str:
    """A measure's title with its IEC 62443-3-3 SR and NIST CSF ids."""
    measure = catalog.measures.get(measure_id)
    if measure is None:
        return measure_id
    ids = [*measure.iec62443_sr, *measure.nist_csf]
    return f"{measure.title.get(lang)} ({', '.join(ids)})" if ids else measure.title.get(lang)


def _risk_rows(assessment: Assessment, lang: str) -> list[dict[str, Any]]:
    residual = {gap.finding: gap.residual_level for gap in assessment.gaps}
    return [
        {
            "rank": risk.rank, "level": risk.level, "residual": residual.get(risk.finding) or "", "interrupts": risk.interrupts_business,
            "finding": risk.finding, "rule": risk.finding_rule, "reference": risk.finding_reference,
            "subject": f"{risk.subject.kind} {risk.subject.id}", "why": risk.reason.get(lang),
        }
        for risk in assessment.risks
    ]


def _policy_rows(assessment: Assessment, model: FactoryModel, catalog: Catalog, lang: str) -> list[dict[str, Any]]:
    names = {zone.id: zone.name for zone in model.zones}
    requirements = {r.id: r for r in assessment.requirements}
    return [
        {
            "priority": policy.priority, "zone": policy.zone, "name": names.get(policy.zone, policy.zone), "level": policy.top_level or "",
            "interrupts": policy.interrupts_business, "statement": policy.statement.get(lang), "threats": list(policy.top_threats),
            "measures": [{"text": _measure_text(catalog, m.measure, lang), "cost": m.cost or "-"} for m in policy.measures_first],
            "requirements": [f"{rid}: {requirements[rid].text.get(lang)}" if rid in requirements else rid for rid in policy.requirements],
        }
        for policy in assessment.policies
    ]


def _path_line(path: AttackPath, catalog: Catalog, label: dict[str, str], lang: str) -> str:
    facts = label["hops"].format(n=len(path.hops), c=path.control_weight)
    parts = [f"{label[path.kind]}, {path.target} ({facts}):", f"{path.entry} ⇒ {path.entry_zone}"]
    for hop in path.hops:
        controls = ", ".join([*(_measure_title(catalog, c, lang) for c in hop.controls), *(f"{_measure_title(catalog, c, lang)}~" for c in hop.partial)])
        parts.append(f"→ {hop.conduit} [{controls or label['no_controls']}] → {hop.to_zone}")
    return " ".join(parts)


def _responsibility_gaps(assessment: Assessment, lang: str) -> list[dict[str, str]]:
    """Every area of an outsourced asset or operation that nobody is responsible for."""
    return [
        {"subject": f"{matrix.subject_name} ({matrix.subject})", "area": AREA_LABELS[cell.area].get(lang), "party": matrix.party or ""}
        for matrix in assessment.lifecycle.responsibilities
        for cell in matrix.cells
        if cell.source == "missing"
    ]


def _ooda_row(cell: OodaCell, label: dict[str, str], lang: str) -> dict[str, str]:
    return {
        "stage": cell.stage, "phase": cell.phase, "lead": ", ".join(cell.lead) or label["nobody"],
        "deciders": ", ".join(cell.decision_makers) or label["nobody"], "source": SOURCES[lang][cell.source],
    }


def _level(level: Any) -> str:
    return level.value if level is not None else ""
