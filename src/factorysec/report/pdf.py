"""``summary.pdf``: the printable summary for management (the action list, top findings, top risks, the zone diagram, Step 3 status), made with WeasyPrint.

The page is HTML and CSS (``templates/summary_pdf.html.j2``) laid out by
WeasyPrint on A4; Japanese text uses the Noto CJK fonts the setup installs,
found through fontconfig. The diagram is the report's own drawing (as a PNG: WeasyPrint draws SVG text slowly): the whole plant
up to :data:`PDF_DIAGRAM_ZONE_LIMIT` zones, otherwise the most important
zone with its neighbours (a page cannot show thousands of zones legibly).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from factorysec.analysis.actions import Action
from factorysec.analysis.assessment import Assessment
from factorysec.analysis.findings import Finding
from factorysec.analysis.risk import Risk
from factorysec.catalog import Catalog
from factorysec.catalog.models import Text
from factorysec.catalog.vocabulary import reference
from factorysec.model.entities import FactoryModel, Zone
from factorysec.report.diagram import DiagramOptions, plan_diagram, render_png
from factorysec.report.pdf_layout import PDF_ERROR_STATUS, PdfError, write_html_pdf
from factorysec.report.template_cache import use_installed_templates

TOP_ITEMS = 10
PDF_DIAGRAM_ZONE_LIMIT = 120
"""More zones than this: the summary shows the most important zone and its neighbours instead of the whole plant."""
SUMMARY_FILE = "summary.pdf"

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Security summary",
        "subtitle": "Cyber/Physical Security Guidelines for Factory Systems and the smartification appendix",
        "generated": "Assessment of model {digest}, printed {date}",
        "counts": "Counts",
        "zones": "zones",
        "assets": "assets",
        "conduits": "conduits",
        "findings": "findings",
        "risks": "ranked risks",
        "actions": "Actions first (Steps 2-1, 2-2)",
        "actions_note": "At most ten actions, ranked; each merges the findings, requirements and checklist items it resolves.",
        "action": "Action",
        "owners": "Departments (Table 1-1)",
        "resolves": "Resolves",
        "lowers": "Lowers on the risk list",
        "no_actions": "No action: no finding has a missing measure.",
        "top_findings": "Findings to address first",
        "top_risks": "Top risks (Step 2-1)",
        "rank": "Rank",
        "finding": "Finding",
        "subject": "Subject",
        "level": "Level",
        "score": "Score",
        "reference": "Reference",
        "diagram": "Zones and conduits",
        "diagram_zone": "The plant has {zones:,} zones, too many for one page: shown is {zone}, its most important zone, with its neighbours (zones.svg and zones/ in the report folder hold the whole plant).",
        "step3": "Step 3 status",
        "checklists": "Checklist items answered (Tables 3-10 to 3-12)",
        "open_items": "Open checklist items",
        "ooda": "OODA roles assigned (Table 3-8)",
        "maturity": "Maturity (Table 3-9)",
        "pdca": "PDCA review (Appendix 3.3, Figure 3-4)",
        "last_review": "last review {date}",
        "no_review": "no review recorded",
        "overdue": "overdue since {date}",
        "due": "next due {date}",
        "none": "none",
        "not_rated": "not rated",
        "more": "{n:,} more in report.html",
        "critical": "critical",
        "high": "high",
        "medium": "medium",
        "low": "low",
        "advisory": "advisory",
        "page": "page",
    },
    "ja": {
        "title": "セキュリティ対策の要約",
        "subtitle": "工場システムにおけるサイバー・フィジカル・セキュリティ対策ガイドライン 別冊：スマート化を進める上でのポイント",
        "generated": "モデル {digest} の評価、{date} 出力",
        "counts": "件数",
        "zones": "ゾーン",
        "assets": "保護対象",
        "conduits": "コンジット",
        "findings": "指摘",
        "risks": "順位付けしたリスク",
        "actions": "まず取り組む対策（ステップ2-1、2-2）",
        "actions_note": "優先順に最大 10 件。各対策は、解消する指摘・要件・チェック項目をまとめたものです。",
        "action": "対策",
        "owners": "担当部門（表1-1）",
        "resolves": "解消するもの",
        "lowers": "下がるリスク",
        "no_actions": "対策なし：不足対策のある指摘はありません。",
        "top_findings": "優先して対応する指摘",
        "top_risks": "上位のリスク（ステップ2-1）",
        "rank": "順位",
        "finding": "指摘",
        "subject": "対象",
        "level": "レベル",
        "score": "スコア",
        "reference": "根拠",
        "diagram": "ゾーンとコンジット",
        "diagram_zone": "ゾーン数が {zones:,} あり 1 ページに収まらないため、最も重要なゾーン {zone} とその隣接ゾーンを示します（工場全体はレポートフォルダの zones.svg と zones/ にあります）。",
        "step3": "ステップ3の状況",
        "checklists": "回答済みのチェックリスト項目（表3-10〜3-12）",
        "open_items": "未完了のチェックリスト項目",
        "ooda": "割り当て済みの OODA の役割（表3-8）",
        "maturity": "成熟度（表3-9）",
        "pdca": "PDCA の見直し（別冊 3.3、図3-4）",
        "last_review": "前回の見直し {date}",
        "no_review": "見直しの記録なし",
        "overdue": "{date} から期限切れ",
        "due": "次回期限 {date}",
        "none": "なし",
        "not_rated": "未評価",
        "more": "ほか {n:,} 件は report.html に記載",
        "critical": "最重要",
        "high": "高",
        "medium": "中",
        "low": "低",
        "advisory": "助言",
        "page": "ページ",
    },
}


@dataclass(frozen=True)
class SummaryView:
    """What the printed summary shows, arranged from one assessment; no analysis happens here."""

    lang: str
    model: FactoryModel
    assessment: Assessment
    catalog: Catalog
    today: dt.date
    diagram_png: bytes
    diagram_note: str | None

    @property
    def top_findings(self) -> list[Finding]:
        """Non-advisory findings first, those with a ranked risk in the risk order, then the rest in the assessment's order."""
        rank = {risk.finding: risk.rank for risk in self.assessment.risks}
        ordered = sorted(self.assessment.findings, key=lambda f: (f.advisory, f.id not in rank, rank.get(f.id, 0)))
        return ordered[:TOP_ITEMS]

    @property
    def top_risks(self) -> list[Risk]:
        return list(self.assessment.risks[:TOP_ITEMS])

    @property
    def diagram_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.diagram_png).decode("ascii")

    def checklist_progress(self) -> tuple[int, int]:
        entries = [
            entry for checklist in self.assessment.lifecycle.checklists.checklists for entry in checklist.entries
        ]
        return sum(1 for entry in entries if entry.answer is not None), len(entries)

    def ooda_progress(self) -> tuple[int, int]:
        cells = self.assessment.lifecycle.ooda
        return sum(1 for cell in cells if cell.source == "declared"), len(cells)

    def maturity_level(self, level: str | None) -> str:
        if level is None:
            return LABELS[self.lang]["not_rated"]
        entry = self.catalog.maturity_levels.get(level)
        return entry.title.get(self.lang) if entry is not None else level

    @cached_property
    def names(self) -> dict[str, str]:
        model = self.model
        named: dict[str, str] = {}
        for elements in (model.zones, model.assets, model.operations, model.parties, model.departments):
            named.update((element.id, element.name) for element in elements)
        named.update({conduit.id: conduit.name or conduit.id for conduit in model.conduits})
        named[model.factory.id] = model.factory.name
        return named

    def name(self, element_id: str) -> str:
        return self.names.get(element_id, element_id)

    @property
    def actions(self) -> tuple[Action, ...]:
        return self.assessment.actions

    def department(self, department: str) -> str:
        """A department of the model by its name, or a Table 1-1 department kind by its catalog title."""
        if department in self.names:
            return self.names[department]
        kind = self.catalog.department_kinds.get(department)
        return kind.title.get(self.lang) if kind is not None else department


def _most_important_zone(model: FactoryModel, assessment: Assessment) -> Zone:
    ranked = sorted(
        model.zones, key=lambda z: -(level.rank if (level := assessment.importance.zone_level(z.id)) is not None else 0)
    )
    return ranked[0]


DIAGRAM_AREA_MM = (269.0, 150.0)
"""Where the diagram is printed: the width of an A4 landscape page inside its margins, and the image's ``max-height``."""
PRINT_DPI = 300
"""The resolution the diagram is printed at, at most: a larger plant's drawing is scaled down to
:data:`DIAGRAM_AREA_MM` at this resolution before WeasyPrint gets it (a 200-zone plant's drawing was 13 megapixels,
shrunk on the page anyway, and re-encoding it took WeasyPrint half of the PDF's time)."""
DIAGRAM_FIT_INCHES = (DIAGRAM_AREA_MM[0] / 25.4 * PRINT_DPI / 150, DIAGRAM_AREA_MM[1] / 25.4 * PRINT_DPI / 150)
""":data:`DIAGRAM_AREA_MM` in Graphviz inches at its 150 dpi."""


def build_summary(
    model: FactoryModel, assessment: Assessment, catalog: Catalog, lang: str, today: dt.date | None = None
) -> SummaryView:
    """Arrange the summary; draws the diagram (the whole plant, or the most important zone of a large one)."""
    note = None
    if not model.zones:
        image = b""
    elif len(model.zones) <= PDF_DIAGRAM_ZONE_LIMIT:
        image = render_png(model, assessment, DiagramOptions(lang=lang), fit_inches=DIAGRAM_FIT_INCHES)
        grouping = plan_diagram(model).note()
        note = grouping.get(lang) if grouping is not None else None
    else:
        zone = _most_important_zone(model, assessment)
        image = render_png(model, assessment, DiagramOptions(lang=lang), zone_id=zone.id, fit_inches=DIAGRAM_FIT_INCHES)
        note = LABELS[lang]["diagram_zone"].format(zones=len(model.zones), zone=zone.name)
    return SummaryView(
        lang=lang,
        model=model,
        assessment=assessment,
        catalog=catalog,
        today=today or dt.date.today(),
        diagram_png=image,
        diagram_note=note,
    )


def summary_environment(lang: str = "en") -> Environment:
    """The Jinja2 environment of the summary's HTML (autoescaped), with the ``tr`` filter in ``lang``."""
    env = Environment(
        loader=PackageLoader("factorysec.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    use_installed_templates(env)

    def tr(value: Text | str | None) -> str:
        if isinstance(value, Text):
            return value.get(lang)
        return "" if value is None else str(value)

    env.filters["tr"] = tr
    env.filters["ref"] = lambda text: reference(text, lang)
    return env


def render_summary_html(view: SummaryView) -> str:
    """The summary as the HTML WeasyPrint lays out."""
    return (
        summary_environment(view.lang)
        .get_template("summary_pdf.html.j2")
        .render(view=view, L=LABELS[view.lang], a=view.assessment, model=view.model)
    )


def write_summary_pdf(view: SummaryView, path: Path) -> None:
    """Lay the summary out on A4 and write it to ``path``."""
    write_html_pdf(render_summary_html(view), path)


def write_summary_pdf_apart(view: SummaryView, path: Path) -> None:
    """:func:`write_summary_pdf` with WeasyPrint (its import and the layout, most of the summary's CPU time) in a
    process of its own, ``python -m factorysec.report.pdf_process``, started afresh and handed the HTML; its error, if
    it fails, is raised here (a :class:`PdfError` as such, anything else as an :class:`OutputError`)."""
    from factorysec.outputs import OutputError
    from factorysec.report.writer_process import run_module

    html = render_summary_html(view).encode("utf-8")
    status, message = run_module("factorysec.report.pdf_process", [str(path)], lambda pipe: pipe.write(html))
    if status == PDF_ERROR_STATUS:
        raise PdfError(message)
    if status != 0:
        raise OutputError(f"summary.pdf could not be written: {message}")


__all__ = [
    "PDF_DIAGRAM_ZONE_LIMIT",
    "SUMMARY_FILE",
    "PdfError",
    "SummaryView",
    "build_summary",
    "render_summary_html",
    "summary_environment",
    "write_html_pdf",
    "write_summary_pdf",
    "write_summary_pdf_apart",
]
