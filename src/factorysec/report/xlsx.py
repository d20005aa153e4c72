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
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, NamedStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.importance import AXES, Derived
from factorysec.analysis.lifecycle import AREA_LABELS, AREAS, ResponsibilityCell
from factorysec.catalog import Catalog
from factorysec.model.entities import FactoryModel
from factorysec.model.workbook import unique_titles
from factorysec.report.view import AssessmentView

CJK_FONT = "Noto Sans CJK JP"
MAX_WIDTH = 60
PLAN_STATUS_VALUES: tuple[str, ...] = ("open", "in-progress", "done", "accepted")
"""The statuses a user picks for a plan row (a drop-down), as words of the glossary's ``plan_status``."""


@dataclass(frozen=True)
class SheetInput:
    """What every sheet reads: the assessment's view (model, catalog and language with it)."""

    view: AssessmentView

    @property
    def assessment(self) -> Assessment:
        return self.view.assessment

    @property
    def model(self) -> FactoryModel:
        return self.view.model

    @property
    def lang(self) -> str:
        return self.view.lang

    def label(self, key: str) -> str:
        return self.view.labels("xlsx")[key]

    def yes_no(self, value: bool) -> str:
        return self.label("yes") if value else self.label("no")

    def value(self, vocabulary: str, raw: str | None) -> str:
        return self.view.value(vocabulary, raw)

    def level(self, derived: Derived | None) -> str:
        return (
            self.view.value("level", derived.level.value) if derived is not None and derived.level is not None else ""
        )

    def subject(self, kind: str, element_id: str) -> str:
        return self.view.subject(kind, element_id)

    def plan_statuses(self) -> tuple[str, ...]:
        return tuple(self.value("plan_status", status) for status in PLAN_STATUS_VALUES)

    def decided(self, finding_id: str) -> str:
        """The decision recorded on a finding, as the plan's status column shows it ('' when none)."""
        decision = self.view.decision_of(finding_id)
        return self.value("decision", decision.status) if decision is not None else ""

    def measure_titles(self, ids: Iterable[str]) -> str:
        return _joined(self.view.measure_title(m) for m in ids)


@dataclass(frozen=True)
class Sheet:
    """A titled table; ``choices`` puts a drop-down on the named columns."""

    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    choices: dict[str, tuple[str, ...]] | None = None


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
        rows.append(
            (
                op.id,
                op.name,
                data.view.task_title(op.task),
                data.value("sourcing", op.sourcing),
                data.value("status", op.status.value),
                data.value("level", op.importance.value),
                data.level(derived.overall if derived else None),
                derived.overall.reason.get(data.lang) if derived else "",
            )
        )
    keys = ("id", "name", "task", "sourcing", "status", "declared", "importance", "reason")
    return Sheet(data.label("operations"), tuple(data.label(k) for k in keys), rows)


def assets_sheet(data: SheetInput) -> Sheet:
    rows = []
    for asset in data.model.assets:
        derived = data.assessment.importance.assets.get(asset.id)
        ratings = tuple(data.level(derived.ratings.get(axis)) if derived else "" for axis in AXES)
        overall = derived.overall if derived else None
        rows.append(
            (
                asset.id,
                asset.name,
                data.value("asset_type", asset.type.value),
                asset.component or "",
                asset.zone or "",
                *ratings,
                data.level(overall),
                overall.reason.get(data.lang) if overall else "",
            )
        )
    headers = (
        data.label("id"),
        data.label("name"),
        data.label("type"),
        data.label("component"),
        data.label("zone"),
        "S",
        "Q",
        "D",
        "C",
        "BC",
        data.label("overall"),
        data.label("reason"),
    )
    return Sheet(data.label("assets"), headers, rows)


def zones_sheet(data: SheetInput) -> Sheet:
    rows = []
    for zone in data.model.zones:
        derived = data.assessment.importance.zones.get(zone.id)
        overall = derived.overall if derived else None
        rows.append(
            (
                zone.id,
                zone.name,
                data.value("zone_kind", zone.kind.value),
                zone.managed_by or "",
                data.value("status", zone.status.value),
                data.level(overall),
                overall.reason.get(data.lang) if overall else "",
            )
        )
    keys = ("id", "name", "kind", "managed_by", "status", "importance", "reason")
    return Sheet(data.label("zones"), tuple(data.label(k) for k in keys), rows)


def conduits_sheet(data: SheetInput) -> Sheet:
    rows = [
        (
            c.id,
            c.name or "",
            c.from_zone,
            c.to_zone,
            data.value("direction", c.direction),
            data.yes_no(c.carries_control_instructions),
            _joined(c.protocols),
            data.value("external_network", c.external_network.value),
            _joined(c.controls),
            data.value("status", c.status.value),
        )
        for c in data.model.conduits
    ]
    keys = ("id", "name", "from", "to", "direction", "control", "protocols", "external", "controls", "status")
    return Sheet(data.label("conduits"), tuple(data.label(k) for k in keys), rows)


def requirements_sheet(data: SheetInput) -> Sheet:
    rows = [
        (
            r.id,
            data.value("scope", r.scope),
            data.subject(r.subject.kind, r.subject.id),
            data.view.viewpoint(r.viewpoint),
            r.text.get(data.lang),
            _joined(r.because),
            data.yes_no(r.new),
            r.to_zone or "",
            _joined(r.conduits),
        )
        for r in data.assessment.requirements
    ]
    keys = ("id", "scope", "subject", "viewpoint", "requirement", "because", "new", "to", "covered_conduits")
    return Sheet(data.label("requirements"), tuple(data.label(k) for k in keys), rows)


def _risk_level(data: SheetInput, finding_id: str) -> str:
    risk = data.view.risk_of(finding_id)
    return data.value("level", risk.level) if risk is not None else ""


def threats_sheet(data: SheetInput) -> Sheet:
    rows = [
        (
            f.id,
            f.rule,
            data.value("category", f.category),
            data.subject(f.subject.kind, f.subject.id),
            data.view.threat_title(f.threat_type),
            _risk_level(data, f.id),
            f.title.get(data.lang),
            f.rationale.get(data.lang),
            data.view.ref(f.reference),
        )
        for f in data.assessment.findings
    ]
    keys = ("finding", "rule", "category", "subject", "threat_type", "risk", "title", "rationale", "reference")
    return Sheet(data.label("threats"), tuple(data.label(k) for k in keys), rows)


def plan_sheet(data: SheetInput) -> Sheet:
    rows = [
        (
            f.id,
            data.subject(f.subject.kind, f.subject.id),
            f.title.get(data.lang),
            _risk_level(data, f.id),
            data.measure_titles(data.view.missing_measures(f)),
            "",
            data.decided(f.id),
            "",
            "",
        )
        for f in data.assessment.findings
    ]
    keys = ("finding", "subject", "title", "risk", "measures", "owner", "status", "due", "note")
    headers = tuple(data.label(k) for k in keys)
    return Sheet(data.label("plan"), headers, rows, {data.label("status"): data.plan_statuses()})


def ranked_risks_sheet(data: SheetInput) -> Sheet:
    """Step 2-1: the ranked plan, business interruption first, with residual level and missing measures; owner to note are the user's (status: the decision, if any)."""
    rows = []
    for risk in data.assessment.risks:
        gap = data.view.gap_of(risk.finding)
        rows.append(
            (
                risk.rank,
                risk.finding,
                risk.finding_rule,
                data.view.ref(risk.finding_reference),
                data.subject(risk.subject.kind, risk.subject.id),
                risk.zone or "",
                data.yes_no(risk.interrupts_business),
                risk.likelihood,
                risk.impact,
                risk.score,
                data.value("level", risk.level),
                data.value("level", gap.residual_level) if gap else "",
                data.measure_titles(gap.missing) if gap else "",
                risk.reason.get(data.lang),
                "",
                data.decided(risk.finding),
                "",
                "",
            )
        )
    keys = (
        "rank",
        "finding",
        "rule",
        "finding_reference",
        "subject",
        "zone",
        "interrupts",
        "likelihood",
        "impact_value",
        "score",
        "risk",
        "residual",
        "missing",
        "reason",
        "owner",
        "status",
        "due",
        "note",
    )
    return Sheet(
        data.label("ranked"), tuple(data.label(k) for k in keys), rows, {data.label("status"): data.plan_statuses()}
    )


def policies_sheet(data: SheetInput) -> Sheet:
    """Step 2-1: one security policy row per zone, in priority order."""
    rows = [
        (
            p.priority,
            p.zone,
            data.view.zone_names.get(p.zone, p.zone),
            data.value("level", p.importance),
            data.value("level", p.top_level),
            data.yes_no(p.interrupts_business),
            p.statement.get(data.lang),
            _joined(p.top_threats),
            _joined(
                f"{data.measure_titles((m.measure,))} ({data.value('level', m.cost) or '-'})" for m in p.measures_first
            ),
            _joined(p.requirements),
            data.view.ref(p.reference),
        )
        for p in data.assessment.policies
    ]
    keys = (
        "priority",
        "zone",
        "name",
        "importance",
        "top_level",
        "interrupts",
        "statement",
        "top_threats",
        "measures_first",
        "zone_requirements",
        "reference",
    )
    return Sheet(data.label("policies"), tuple(data.label(k) for k in keys), rows)


def paths_sheet(data: SheetInput) -> Sheet:
    """Attack paths to high-importance zones, one row per hop (a path that starts in its target zone has one row without a hop)."""
    rows: list[tuple[Any, ...]] = []
    for path in data.assessment.paths:
        head = (path.target, data.label(path.kind), path.entry, path.entry_zone, path.control_weight)
        if not path.hops:
            rows.append((*head, "", "", "", "", "", ""))
        for number, hop in enumerate(path.hops, start=1):
            rows.append(
                (
                    *head,
                    number,
                    hop.conduit,
                    hop.from_zone,
                    hop.to_zone,
                    data.measure_titles(hop.controls),
                    data.measure_titles(hop.partial),
                )
            )
    keys = (
        "target",
        "path_kind",
        "entry",
        "entry_zone",
        "control_weight",
        "hop",
        "conduit",
        "from",
        "to",
        "controls",
        "partial",
    )
    return Sheet(data.label("paths"), tuple(data.label(k) for k in keys), rows)


def checklists_sheet(data: SheetInput) -> Sheet:
    rows = [
        (
            checklist.asset,
            checklist.asset_name,
            checklist.kind_title.get(data.lang),
            data.value("checklist_stage", entry.stage),
            entry.item,
            entry.title.get(data.lang),
            data.value("answer", entry.answer),
            data.yes_no(entry.open),
            data.view.ref(entry.reference),
        )
        for checklist in data.assessment.lifecycle.checklists.checklists
        for entry in checklist.entries
    ]
    keys = ("asset", "name", "checklist", "stage", "id", "item", "answer", "open", "reference")
    return Sheet(data.label("checklists"), tuple(data.label(k) for k in keys), rows)


def lifecycle_sheet(data: SheetInput) -> Sheet:
    rows = [
        (
            f.id,
            f.rule,
            data.subject(f.subject.kind, f.subject.id),
            f.title.get(data.lang),
            f.rationale.get(data.lang),
            data.view.ref(f.reference),
            "",
            "",
            "",
        )
        for f in data.assessment.lifecycle.findings
    ]
    keys = ("finding", "rule", "subject", "title", "rationale", "reference", "owner", "status", "note")
    headers = tuple(data.label(k) for k in keys)
    return Sheet(data.label("lifecycle"), headers, rows, {data.label("status"): data.plan_statuses()})


def open_items_sheet(data: SheetInput) -> Sheet:
    """Open checklist items, most important assets first."""
    rows = [
        (
            i.rank,
            i.asset,
            i.asset_name,
            data.value("level", i.importance.value if i.importance else None),
            data.value("checklist_kind", i.kind),
            data.value("checklist_stage", i.stage),
            i.item,
            i.title.get(data.lang),
            data.value("answer", i.answer),
        )
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
        rows.append(
            (
                matrix.subject,
                data.value("subject_kind", matrix.subject_kind),
                matrix.subject_name,
                matrix.party or "",
                *cells,
            )
        )
    headers = (
        data.label("id"),
        data.label("kind"),
        data.label("name"),
        data.label("party"),
        *(AREA_LABELS[a].get(data.lang) for a in AREAS),
    )
    return Sheet(data.label("responsibilities"), headers, rows)


def _area_text(data: SheetInput, cell: ResponsibilityCell | None) -> str:
    if cell is None or cell.source == "missing":
        return data.label("nobody")
    who = _joined(cell.responsible)
    return who if cell.source == "declared" else f"{who} ({data.value('source', cell.source)})"


def ooda_sheet(data: SheetInput) -> Sheet:
    rows = [
        (
            data.value("ooda_stage", c.stage),
            data.value("ooda_phase", c.phase),
            _joined(c.lead) or data.label("nobody"),
            _joined(c.decision_makers) or data.label("nobody"),
            data.value("source", c.source),
            _joined(a.get(data.lang) for a in c.activities),
            data.view.ref(c.reference),
        )
        for c in data.assessment.lifecycle.ooda
    ]
    keys = ("stage", "phase", "lead", "deciders", "source", "activities", "reference")
    return Sheet(data.label("ooda"), tuple(data.label(k) for k in keys), rows)


def maturity_sheet(data: SheetInput) -> Sheet:
    rows = [
        (
            data.value("maturity_area", m.area),
            m.title.get(data.lang),
            data.value("maturity_level", m.level),
            m.evidence or "",
            m.assessed.isoformat() if m.assessed else "",
            m.next_step.get(data.lang),
            data.view.ref(m.reference),
        )
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
    layout = cast(
        Worksheet, sheet
    )  # the write-only sheet has a worksheet's layout attributes (Worksheet._setup); the stubs leave them out
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
    return report_workbook_view(AssessmentView(assessment, model, catalog, lang))


def report_workbook_view(view: AssessmentView) -> Workbook:
    """:func:`report_workbook` of an :class:`AssessmentView`."""
    lang = view.lang
    data = SheetInput(view)
    font = Font(name=CJK_FONT) if lang == "ja" else Font()
    header_font = Font(name=CJK_FONT, bold=True) if lang == "ja" else Font(bold=True)
    workbook = Workbook(write_only=True)
    workbook.add_named_style(
        NamedStyle(name=BODY_STYLE, font=font, alignment=Alignment(wrap_text=True, vertical="top"))
    )
    workbook.add_named_style(NamedStyle(name=HEADER_STYLE, font=header_font))
    specs = [spec for spec in (build(data) for build in SHEETS) if spec is not None]
    titles = unique_titles(spec.title for spec in specs)
    for spec in specs:
        sheet = workbook.create_sheet(titles[spec.title])
        assert isinstance(sheet, WriteOnlyWorksheet)
        _write_sheet(sheet, spec)
    return workbook


def write_report_xlsx(
    assessment: Assessment, model: FactoryModel, catalog: Catalog, path: Path, lang: str = "en"
) -> None:
    """Write ``report.xlsx``."""
    report_workbook(assessment, model, catalog, lang).save(path)


__all__ = ["SHEETS", "Sheet", "SheetInput", "report_workbook", "write_report_xlsx"]
