"""``report.xlsx``: one sheet per step for the departments that work in spreadsheets.

Each sheet is a header row and one row per item, with a frozen header and an
autofilter. A sheet is a function from the :class:`SheetInput` to a
:class:`Sheet`; adding a section means adding one function to :data:`SHEETS`.
A sheet function may return ``None`` to leave its sheet out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, NamedStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.importance import AXES, Derived
from factorysec.analysis.lifecycle import AREA_LABELS, AREAS, ResponsibilityCell
from factorysec.catalog import Catalog
from factorysec.model.entities import FactoryModel
from factorysec.model.workbook import unique_titles
from factorysec.report.lifecycle_terminal import SOURCES

CJK_FONT = "Noto Sans CJK JP"
MAX_WIDTH = 60
PLAN_STATUSES = {"en": ("open", "in-progress", "done", "accepted"), "ja": ("未着手", "対応中", "完了", "受容")}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "summary": "Summary", "operations": "1-3 Operations", "assets": "1-5 Protected objects", "zones": "1-6 Zones",
        "conduits": "1-7 Conduits", "requirements": "1-7 Requirements", "threats": "1-7 Threats", "plan": "2 Plan",
        "checklists": "3 Checklists", "lifecycle": "3 Lifecycle gaps",
        "item": "Item", "value": "Value", "factory": "Factory", "digest": "Model digest", "tool": "Tool version",
        "count_findings": "Findings", "count_requirements": "Requirements", "count_zones": "Zones", "count_assets": "Protected objects",
        "id": "ID", "name": "Name", "task": "Task (Table 3-2)", "sourcing": "Sourcing", "status": "Status", "declared": "Declared importance",
        "importance": "Importance", "reason": "Why", "type": "Type (Table 3-3)", "component": "Component", "zone": "Zone",
        "overall": "Overall", "kind": "Kind", "managed_by": "Managed by", "from": "From", "to": "To", "direction": "Direction",
        "control": "Control instructions", "protocols": "Protocols", "external": "External network", "controls": "Controls in place",
        "scope": "Scope", "subject": "Subject", "viewpoint": "Viewpoint", "requirement": "Requirement", "because": "Because of",
        "new": "New", "rule": "Rule", "category": "Category", "reference": "Guideline reference", "threat_type": "Threat type",
        "title": "Title", "rationale": "Rationale", "risk": "Risk level", "finding": "Finding", "measures": "Measures to consider",
        "owner": "Owner", "due": "Due", "note": "Note", "checklist": "Checklist", "stage": "Stage", "answer": "Answer", "open": "Open",
        "yes": "yes", "no": "no", "asset": "Asset",
        "ranked": "2 Ranked risks", "policies": "2 Zone policies", "paths": "2 Attack paths", "open_items": "3 Open checklist items",
        "responsibilities": "3 Responsibilities", "ooda": "3 OODA roles", "maturity": "3 Maturity", "pdca": "3 PDCA review",
        "rank": "Rank", "finding_reference": "Finding reference", "interrupts": "Can interrupt the business", "likelihood": "Likelihood",
        "impact_value": "Impact", "score": "Score", "residual": "Residual level", "missing": "Missing measures", "priority": "Priority",
        "top_level": "Highest risk level", "statement": "Policy", "top_threats": "Top threats", "measures_first": "Measures to take first",
        "path_kind": "Path", "target": "Target zone", "entry": "Entry point", "entry_zone": "Entry zone", "hop": "Hop",
        "conduit": "Conduit", "covered_conduits": "Conduits", "partial": "Partial controls", "control_weight": "Controls on the path", "party": "Party",
        "nobody": "— nobody —", "phase": "Phase", "lead": "Lead", "deciders": "Decides", "source": "Source", "activities": "Activities",
        "area": "Area", "level": "Level", "evidence": "Evidence", "assessed": "Assessed", "next": "Next step",
        "last_review": "Last review", "review_date": "Review date", "days_since": "Days since", "interval": "Interval (days)",
        "overdue": "Overdue", "digest_reviewed": "Digest at review", "changed": "Model changed since review", "changed_elements": "Changed elements",
        "change_reviewed": "Change reviewed", "zone_requirements": "Requirements within and between zones",
        "shortest": "shortest", "weakest": "weakest",
    },
    "ja": {
        "summary": "概要", "operations": "1-3 業務", "assets": "1-5 保護対象", "zones": "1-6 ゾーン",
        "conduits": "1-7 コンデュイット", "requirements": "1-7 セキュリティ要件", "threats": "1-7 脅威", "plan": "2 対策計画",
        "checklists": "3 チェックリスト", "lifecycle": "3 ライフサイクルの課題",
        "item": "項目", "value": "値", "factory": "工場", "digest": "モデルのダイジェスト", "tool": "ツールのバージョン",
        "count_findings": "指摘", "count_requirements": "要件", "count_zones": "ゾーン", "count_assets": "保護対象",
        "id": "ID", "name": "名称", "task": "業務（表3-2）", "sourcing": "実施形態", "status": "状態", "declared": "申告された重要度",
        "importance": "重要度", "reason": "根拠", "type": "種別（表3-3）", "component": "構成要素", "zone": "ゾーン",
        "overall": "総合", "kind": "種類", "managed_by": "管理主体", "from": "送信元", "to": "送信先", "direction": "方向",
        "control": "制御指示", "protocols": "プロトコル", "external": "外部ネットワーク", "controls": "実施済みの対策",
        "scope": "範囲", "subject": "対象", "viewpoint": "観点", "requirement": "要件", "because": "根拠となる指摘",
        "new": "新規", "rule": "ルール", "category": "分類", "reference": "ガイドラインの参照箇所", "threat_type": "脅威の種類",
        "title": "タイトル", "rationale": "説明", "risk": "リスクレベル", "finding": "指摘", "measures": "検討すべき対策",
        "owner": "担当", "due": "期限", "note": "備考", "checklist": "チェックリスト", "stage": "段階", "answer": "回答", "open": "未完了",
        "yes": "はい", "no": "いいえ", "asset": "保護対象",
        "ranked": "2 リスクの優先順位", "policies": "2 ゾーンごとの方針", "paths": "2 攻撃経路", "open_items": "3 未完了のチェック項目",
        "responsibilities": "3 責任分界", "ooda": "3 OODAの役割分担", "maturity": "3 成熟度", "pdca": "3 PDCAの見直し",
        "rank": "順位", "finding_reference": "指摘の参照箇所", "interrupts": "事業中断につながりうる", "likelihood": "発生可能性",
        "impact_value": "影響", "score": "スコア", "residual": "残存リスクレベル", "missing": "不足している対策", "priority": "優先度",
        "top_level": "最高リスクレベル", "statement": "方針", "top_threats": "主な脅威", "measures_first": "優先して実施する対策",
        "path_kind": "経路", "target": "対象ゾーン", "entry": "侵入口", "entry_zone": "侵入口のゾーン", "hop": "ホップ",
        "conduit": "コンデュイット", "covered_conduits": "コンデュイット", "partial": "一部実施の対策", "control_weight": "経路上の対策", "party": "事業者",
        "nobody": "— 未定 —", "phase": "フェーズ", "lead": "主担当", "deciders": "判断者", "source": "出所", "activities": "活動",
        "area": "領域", "level": "水準", "evidence": "根拠資料", "assessed": "評価日", "next": "次の一歩",
        "last_review": "最後の見直し", "review_date": "見直し日", "days_since": "経過日数", "interval": "間隔（日）",
        "overdue": "期限超過", "digest_reviewed": "見直し時のダイジェスト", "changed": "見直し後のモデル変更", "changed_elements": "変更された要素",
        "change_reviewed": "変更の見直し済み", "zone_requirements": "ゾーン内・ゾーン間の要件",
        "shortest": "最短", "weakest": "最弱",
    },
}


@dataclass(frozen=True)
class SheetInput:
    """What every sheet reads."""

    assessment: Assessment
    model: FactoryModel
    catalog: Catalog
    lang: str

    def label(self, key: str) -> str:
        return LABELS[self.lang][key]

    def yes_no(self, value: bool) -> str:
        return self.label("yes") if value else self.label("no")


@dataclass(frozen=True)
class Sheet:
    """A titled table; ``choices`` puts a drop-down on the named columns."""

    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    choices: dict[str, tuple[str, ...]] | None = None


def _level(derived: Derived | None) -> str:
    return derived.level.value if derived is not None and derived.level is not None else ""


def _joined(items: Iterable[Any]) -> str:
    return "; ".join(str(item) for item in items)


def summary_sheet(data: SheetInput) -> Sheet:
    a = data.assessment
    rows: list[tuple[Any, ...]] = [
        (data.label("factory"), f"{a.factory_name} ({a.factory_id})"),
        (data.label("digest"), a.model_digest),
        (data.label("tool"), a.tool_version),
        (data.label("count_zones"), len(data.model.zones)),
        (data.label("count_assets"), len(data.model.assets)),
        (data.label("count_findings"), len(a.findings)),
        (data.label("count_requirements"), len(a.requirements)),
    ]
    return Sheet(data.label("summary"), (data.label("item"), data.label("value")), rows)


def operations_sheet(data: SheetInput) -> Sheet:
    rows = []
    for op in data.model.operations:
        derived = data.assessment.importance.operations.get(op.id)
        task = data.catalog.tasks[op.task].title.get(data.lang) if op.task is not None and op.task in data.catalog.tasks else (op.task or "")
        rows.append((op.id, op.name, task, op.sourcing, op.status.value, op.importance.value, _level(derived.overall if derived else None), derived.overall.reason.get(data.lang) if derived else ""))
    keys = ("id", "name", "task", "sourcing", "status", "declared", "importance", "reason")
    return Sheet(data.label("operations"), tuple(data.label(k) for k in keys), rows)


def assets_sheet(data: SheetInput) -> Sheet:
    rows = []
    for asset in data.model.assets:
        derived = data.assessment.importance.assets.get(asset.id)
        ratings = tuple(_level(derived.ratings.get(axis)) if derived else "" for axis in AXES)
        overall = derived.overall if derived else None
        rows.append((asset.id, asset.name, asset.type.value, asset.component or "", asset.zone or "", *ratings, _level(overall), overall.reason.get(data.lang) if overall else ""))
    headers = (data.label("id"), data.label("name"), data.label("type"), data.label("component"), data.label("zone"), "S", "Q", "D", "C", "BC", data.label("overall"), data.label("reason"))
    return Sheet(data.label("assets"), headers, rows)


def zones_sheet(data: SheetInput) -> Sheet:
    rows = []
    for zone in data.model.zones:
        derived = data.assessment.importance.zones.get(zone.id)
        overall = derived.overall if derived else None
        rows.append((zone.id, zone.name, zone.kind.value, zone.managed_by or "", zone.status.value, _level(overall), overall.reason.get(data.lang) if overall else ""))
    keys = ("id", "name", "kind", "managed_by", "status", "importance", "reason")
    return Sheet(data.label("zones"), tuple(data.label(k) for k in keys), rows)


def conduits_sheet(data: SheetInput) -> Sheet:
    rows = [
        (c.id, c.name or "", c.from_zone, c.to_zone, c.direction, data.yes_no(c.carries_control_instructions), _joined(c.protocols), c.external_network.value, _joined(c.controls), c.status.value)
        for c in data.model.conduits
    ]
    keys = ("id", "name", "from", "to", "direction", "control", "protocols", "external", "controls", "status")
    return Sheet(data.label("conduits"), tuple(data.label(k) for k in keys), rows)


def requirements_sheet(data: SheetInput) -> Sheet:
    rows = [
        (
            r.id, r.scope, f"{r.subject.kind} {r.subject.id}", r.viewpoint, r.text.get(data.lang), _joined(r.because), data.yes_no(r.new),
            r.to_zone or "", _joined(r.conduits),
        )
        for r in data.assessment.requirements
    ]
    keys = ("id", "scope", "subject", "viewpoint", "requirement", "because", "new", "to", "covered_conduits")
    return Sheet(data.label("requirements"), tuple(data.label(k) for k in keys), rows)


def _risk_levels(assessment: Assessment) -> dict[str, str]:
    return {risk.finding: risk.level for risk in assessment.risks}


def _threat_title(data: SheetInput, threat_type: str | None) -> str:
    if threat_type and threat_type in data.catalog.threat_types:
        return data.catalog.threat_types[threat_type].title.get(data.lang)
    return threat_type or ""


def threats_sheet(data: SheetInput) -> Sheet:
    levels = _risk_levels(data.assessment)
    rows = [
        (f.id, f.rule, f.category, f"{f.subject.kind} {f.subject.id}", _threat_title(data, f.threat_type), levels.get(f.id, ""), f.title.get(data.lang), f.rationale.get(data.lang), f.reference)
        for f in data.assessment.findings
    ]
    keys = ("finding", "rule", "category", "subject", "threat_type", "risk", "title", "rationale", "reference")
    return Sheet(data.label("threats"), tuple(data.label(k) for k in keys), rows)


def _measure_titles(data: SheetInput, ids: Iterable[str]) -> str:
    return _joined(data.catalog.measures[m].title.get(data.lang) if m in data.catalog.measures else m for m in ids)


def plan_sheet(data: SheetInput) -> Sheet:
    levels = _risk_levels(data.assessment)
    missing = {gap.finding: gap.missing for gap in data.assessment.gaps}
    rows = [
        (f.id, f"{f.subject.kind} {f.subject.id}", f.title.get(data.lang), levels.get(f.id, ""), _measure_titles(data, missing.get(f.id, f.measures)), "", "", "", "")
        for f in data.assessment.findings
    ]
    keys = ("finding", "subject", "title", "risk", "measures", "owner", "status", "due", "note")
    headers = tuple(data.label(k) for k in keys)
    return Sheet(data.label("plan"), headers, rows, {data.label("status"): PLAN_STATUSES[data.lang]})


def ranked_risks_sheet(data: SheetInput) -> Sheet:
    """Step 2-1: the ranked plan, business interruption first, with residual level and missing measures; owner to note are the user's."""
    gaps = {gap.finding: gap for gap in data.assessment.gaps}
    rows = []
    for risk in data.assessment.risks:
        gap = gaps.get(risk.finding)
        rows.append((
            risk.rank, risk.finding, risk.finding_rule, risk.finding_reference, f"{risk.subject.kind} {risk.subject.id}", risk.zone or "",
            data.yes_no(risk.interrupts_business), risk.likelihood, risk.impact, risk.score, risk.level,
            (gap.residual_level or "") if gap else "", _measure_titles(data, gap.missing) if gap else "", risk.reason.get(data.lang), "", "", "", "",
        ))
    keys = ("rank", "finding", "rule", "finding_reference", "subject", "zone", "interrupts", "likelihood", "impact_value", "score", "risk", "residual",
            "missing", "reason", "owner", "status", "due", "note")
    return Sheet(data.label("ranked"), tuple(data.label(k) for k in keys), rows, {data.label("status"): PLAN_STATUSES[data.lang]})


def policies_sheet(data: SheetInput) -> Sheet:
    """Step 2-1: one security policy row per zone, in priority order."""
    names = {zone.id: zone.name for zone in data.model.zones}
    rows = [
        (
            p.priority, p.zone, names.get(p.zone, p.zone), p.importance or "", p.top_level or "", data.yes_no(p.interrupts_business), p.statement.get(data.lang),
            _joined(p.top_threats), _joined(f"{_measure_titles(data, (m.measure,))} ({m.cost or '-'})" for m in p.measures_first), _joined(p.requirements), p.reference,
        )
        for p in data.assessment.policies
    ]
    keys = ("priority", "zone", "name", "importance", "top_level", "interrupts", "statement", "top_threats", "measures_first", "zone_requirements", "reference")
    return Sheet(data.label("policies"), tuple(data.label(k) for k in keys), rows)


def paths_sheet(data: SheetInput) -> Sheet:
    """Attack paths to high-importance zones, one row per hop (a path that starts in its target zone has one row without a hop)."""
    rows: list[tuple[Any, ...]] = []
    for path in data.assessment.paths:
        head = (path.target, data.label(path.kind), path.entry, path.entry_zone, path.control_weight)
        if not path.hops:
            rows.append((*head, "", "", "", "", "", ""))
        for number, hop in enumerate(path.hops, start=1):
            rows.append((*head, number, hop.conduit, hop.from_zone, hop.to_zone, _measure_titles(data, hop.controls), _measure_titles(data, hop.partial)))
    keys = ("target", "path_kind", "entry", "entry_zone", "control_weight", "hop", "conduit", "from", "to", "controls", "partial")
    return Sheet(data.label("paths"), tuple(data.label(k) for k in keys), rows)


def checklists_sheet(data: SheetInput) -> Sheet:
    rows = [
        (checklist.asset, checklist.asset_name, checklist.kind_title.get(data.lang), entry.stage, entry.item, entry.title.get(data.lang), entry.answer or "", data.yes_no(entry.open), entry.reference)
        for checklist in data.assessment.lifecycle.checklists.checklists
        for entry in checklist.entries
    ]
    keys = ("asset", "name", "checklist", "stage", "id", "item", "answer", "open", "reference")
    return Sheet(data.label("checklists"), tuple(data.label(k) for k in keys), rows)


def lifecycle_sheet(data: SheetInput) -> Sheet:
    rows = [
        (f.id, f.rule, f"{f.subject.kind} {f.subject.id}", f.title.get(data.lang), f.rationale.get(data.lang), f.reference, "", "", "")
        for f in data.assessment.lifecycle.findings
    ]
    keys = ("finding", "rule", "subject", "title", "rationale", "reference", "owner", "status", "note")
    headers = tuple(data.label(k) for k in keys)
    return Sheet(data.label("lifecycle"), headers, rows, {data.label("status"): PLAN_STATUSES[data.lang]})


def open_items_sheet(data: SheetInput) -> Sheet:
    """Open checklist items, most important assets first."""
    rows = [
        (i.rank, i.asset, i.asset_name, i.importance.value if i.importance else "", i.kind, i.stage, i.item, i.title.get(data.lang), i.answer or "")
        for i in data.assessment.lifecycle.checklists.open_items
    ]
    keys = ("rank", "asset", "name", "importance", "checklist", "stage", "id", "item", "answer")
    return Sheet(data.label("open_items"), tuple(data.label(k) for k in keys), rows)


def responsibilities_sheet(data: SheetInput) -> Sheet:
    """The responsibility matrix: one row per outsourced asset or operation, one column per area; a gap reads '— nobody —'."""
    rows = []
    for matrix in data.assessment.lifecycle.responsibilities:
        by_area = {cell.area: cell for cell in matrix.cells}
        cells = tuple(_area_text(data, by_area.get(area)) for area in AREAS)
        rows.append((matrix.subject, matrix.subject_kind, matrix.subject_name, matrix.party or "", *cells))
    headers = (data.label("id"), data.label("kind"), data.label("name"), data.label("party"), *(AREA_LABELS[a].get(data.lang) for a in AREAS))
    return Sheet(data.label("responsibilities"), headers, rows)


def _area_text(data: SheetInput, cell: ResponsibilityCell | None) -> str:
    if cell is None or cell.source == "missing":
        return data.label("nobody")
    who = _joined(cell.responsible)
    return who if cell.source == "declared" else f"{who} ({SOURCES[data.lang][cell.source]})"


def ooda_sheet(data: SheetInput) -> Sheet:
    rows = [
        (c.stage, c.phase, _joined(c.lead) or data.label("nobody"), _joined(c.decision_makers) or data.label("nobody"), SOURCES[data.lang][c.source],
         _joined(a.get(data.lang) for a in c.activities), c.reference)
        for c in data.assessment.lifecycle.ooda
    ]
    keys = ("stage", "phase", "lead", "deciders", "source", "activities", "reference")
    return Sheet(data.label("ooda"), tuple(data.label(k) for k in keys), rows)


def maturity_sheet(data: SheetInput) -> Sheet:
    rows = [
        (m.area, m.title.get(data.lang), m.level or "", m.evidence or "", m.assessed.isoformat() if m.assessed else "", m.next_step.get(data.lang), m.reference)
        for m in data.assessment.lifecycle.maturity
    ]
    keys = ("area", "title", "level", "evidence", "assessed", "next", "reference")
    return Sheet(data.label("maturity"), tuple(data.label(k) for k in keys), rows)


def pdca_sheet(data: SheetInput) -> Sheet:
    p = data.assessment.lifecycle.pdca
    changed = "" if p.changed_since_review is None else data.yes_no(p.changed_since_review)
    rows: list[tuple[Any, ...]] = [
        (data.label("last_review"), p.last_review or ""),
        (data.label("review_date"), p.last_review_date.isoformat() if p.last_review_date else ""),
        (data.label("days_since"), "" if p.days_since is None else p.days_since),
        (data.label("interval"), p.interval_days),
        (data.label("due"), p.due.isoformat() if p.due else ""),
        (data.label("overdue"), data.yes_no(p.overdue)),
        (data.label("digest"), p.digest_current),
        (data.label("digest_reviewed"), p.digest_reviewed or ""),
        (data.label("changed"), changed),
        (data.label("changed_elements"), _joined(p.changed_elements)),
        (data.label("change_reviewed"), data.yes_no(p.change_reviewed)),
    ]
    return Sheet(data.label("pdca"), (data.label("item"), data.label("value")), rows)


SHEETS: list[Callable[[SheetInput], Sheet | None]] = [
    summary_sheet,
    operations_sheet,
    assets_sheet,
    zones_sheet,
    conduits_sheet,
    requirements_sheet,
    threats_sheet,
    ranked_risks_sheet,
    plan_sheet,
    policies_sheet,
    paths_sheet,
    checklists_sheet,
    open_items_sheet,
    responsibilities_sheet,
    ooda_sheet,
    maturity_sheet,
    pdca_sheet,
    lifecycle_sheet,
]
"""The report's sheets, in order."""


BODY_STYLE = "factorysec body"
HEADER_STYLE = "factorysec header"


def _write_sheet(sheet: WriteOnlyWorksheet, spec: Sheet) -> None:
    """Write one sheet of a write-only workbook: its layout first (openpyxl writes it ahead of the rows), then the rows.

    A write-only workbook streams each sheet to the file instead of keeping a
    cell object per value: 5.6 GB for the 100k-asset model's report before.
    Cells take the workbook's named styles (setting a font and alignment on
    each cell made openpyxl hash them per cell: 28 s for a 10k-asset model);
    a string stays a string even when it starts with ``=``.
    """
    layout = cast(Worksheet, sheet)  # the write-only sheet has a worksheet's layout attributes (Worksheet._setup); the stubs leave them out
    widths = [len(h) for h in spec.headers]
    for values in spec.rows:
        for col, value in enumerate(values):
            if isinstance(value, str):
                widths[col] = max(widths[col], min(MAX_WIDTH, len(value)))
    for col, width in enumerate(widths, start=1):
        layout.column_dimensions[get_column_letter(col)].width = max(8, min(MAX_WIDTH, width + 2))
    last_row = max(2, len(spec.rows) + 1)
    layout.freeze_panes = "A2"
    layout.auto_filter.ref = f"A1:{get_column_letter(len(spec.headers))}{last_row}"
    for header, choices in (spec.choices or {}).items():
        letter = get_column_letter(spec.headers.index(header) + 1)
        validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        validation.add(f"{letter}2:{letter}{last_row}")
        layout.data_validations.append(validation)
    sheet.append([_cell(sheet, header, HEADER_STYLE) for header in spec.headers])
    for values in spec.rows:
        sheet.append([_cell(sheet, value, BODY_STYLE) for value in values])


def _cell(sheet: WriteOnlyWorksheet, value: Any, style: str) -> Cell:
    cell = WriteOnlyCell(sheet, value=value if value != "" else None)
    if isinstance(value, str):
        cell.data_type = "s"
    cell.style = style
    return cell


def report_workbook(assessment: Assessment, model: FactoryModel, catalog: Catalog, lang: str = "en") -> Workbook:
    """The report as a write-only workbook, one sheet per step, to be saved once."""
    data = SheetInput(assessment, model, catalog, lang)
    font = Font(name=CJK_FONT) if lang == "ja" else Font()
    header_font = Font(name=CJK_FONT, bold=True) if lang == "ja" else Font(bold=True)
    workbook = Workbook(write_only=True)
    workbook.add_named_style(NamedStyle(name=BODY_STYLE, font=font, alignment=Alignment(wrap_text=True, vertical="top")))
    workbook.add_named_style(NamedStyle(name=HEADER_STYLE, font=header_font))
    specs = [spec for spec in (build(data) for build in SHEETS) if spec is not None]
    titles = unique_titles(spec.title for spec in specs)
    for spec in specs:
        sheet = workbook.create_sheet(titles[spec.title])
        assert isinstance(sheet, WriteOnlyWorksheet)
        _write_sheet(sheet, spec)
    return workbook


def write_report_xlsx(assessment: Assessment, model: FactoryModel, catalog: Catalog, path: Path, lang: str = "en") -> None:
    """Write ``report.xlsx``."""
    report_workbook(assessment, model, catalog, lang).save(path)


__all__ = ["SHEETS", "Sheet", "SheetInput", "report_workbook", "write_report_xlsx"]
