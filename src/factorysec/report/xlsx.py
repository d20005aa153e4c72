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
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.importance import AXES, Derived
from factorysec.catalog import Catalog
from factorysec.model.entities import FactoryModel
from factorysec.model.workbook import unique_titles

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
        (r.id, r.scope, f"{r.subject.kind} {r.subject.id}", r.viewpoint, r.text.get(data.lang), _joined(r.because), data.yes_no(r.new))
        for r in data.assessment.requirements
    ]
    keys = ("id", "scope", "subject", "viewpoint", "requirement", "because", "new")
    return Sheet(data.label("requirements"), tuple(data.label(k) for k in keys), rows)


def _risk_levels(assessment: Assessment) -> dict[str, str]:
    return {risk.finding: str(risk.level) for risk in getattr(assessment, "risks", ())}


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
    missing = {gap.finding: tuple(gap.missing) for gap in getattr(data.assessment, "gaps", ())}
    rows = [
        (f.id, f"{f.subject.kind} {f.subject.id}", f.title.get(data.lang), levels.get(f.id, ""), _measure_titles(data, missing.get(f.id, f.measures)), "", "", "", "")
        for f in data.assessment.findings
    ]
    keys = ("finding", "subject", "title", "risk", "measures", "owner", "status", "due", "note")
    headers = tuple(data.label(k) for k in keys)
    return Sheet(data.label("plan"), headers, rows, {data.label("status"): PLAN_STATUSES[data.lang]})


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


SHEETS: list[Callable[[SheetInput], Sheet | None]] = [
    summary_sheet,
    operations_sheet,
    assets_sheet,
    zones_sheet,
    conduits_sheet,
    requirements_sheet,
    threats_sheet,
    plan_sheet,
    checklists_sheet,
    lifecycle_sheet,
]
"""The report's sheets, in order."""


def _write_sheet(sheet: Worksheet, spec: Sheet, font: Font, header_font: Font) -> None:
    widths = [len(h) for h in spec.headers]
    for col, header in enumerate(spec.headers, start=1):
        sheet.cell(row=1, column=col, value=header).font = header_font
    for row, values in enumerate(spec.rows, start=2):
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col, value=value if value != "" else None)
            if isinstance(value, str):
                cell.data_type = "s"
                widths[col - 1] = max(widths[col - 1], min(MAX_WIDTH, len(value)))
            cell.font = font
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = max(8, min(MAX_WIDTH, width + 2))
    last = get_column_letter(len(spec.headers))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{max(2, len(spec.rows) + 1)}"
    for header, choices in (spec.choices or {}).items():
        letter = get_column_letter(spec.headers.index(header) + 1)
        validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        validation.add(f"{letter}2:{letter}{max(2, len(spec.rows) + 1)}")
        sheet.add_data_validation(validation)


def report_workbook(assessment: Assessment, model: FactoryModel, catalog: Catalog, lang: str = "en") -> Workbook:
    """The report as a workbook, one sheet per step."""
    data = SheetInput(assessment, model, catalog, lang)
    font = Font(name=CJK_FONT) if lang == "ja" else Font()
    header_font = Font(name=CJK_FONT, bold=True) if lang == "ja" else Font(bold=True)
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    specs = [spec for spec in (build(data) for build in SHEETS) if spec is not None]
    titles = unique_titles(spec.title for spec in specs)
    for spec in specs:
        _write_sheet(workbook.create_sheet(titles[spec.title]), spec, font, header_font)
    return workbook


def write_report_xlsx(assessment: Assessment, model: FactoryModel, catalog: Catalog, path: Path, lang: str = "en") -> None:
    """Write ``report.xlsx``."""
    report_workbook(assessment, model, catalog, lang).save(path)


__all__ = ["SHEETS", "Sheet", "SheetInput", "report_workbook", "write_report_xlsx"]
