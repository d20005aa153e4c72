"""``report.html``: one self-contained page (styles, script and diagram inline) for every department.

The page follows the guideline's steps: each step's section names the
departments Table 1-1 assigns to it and the Annex B reference guidelines for it.
This module only arranges what the :class:`~factorysec.report.view.AssessmentView`
already holds; Jinja2 templates (autoescaped) under ``templates/`` do the
markup, with the glossary's labels as ``L``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.findings import Finding, Subject
from factorysec.analysis.lifecycle import AREA_LABELS
from factorysec.analysis.requirements import SecurityRequirement
from factorysec.analysis.risk import Risk
from factorysec.catalog import Catalog
from factorysec.catalog.models import AudienceGroup, Step, Text
from factorysec.model.entities import FactoryModel
from factorysec.model.loader import LoadedModel
from factorysec.report.diagram import (
    LARGE_ZONE_COUNT,
    ZONE_DIAGRAM_FOLDER,
    DiagramOptions,
    inline_svg,
    render_svg,
)
from factorysec.report.glossary import labels
from factorysec.report.view import AssessmentView, ZoneView

REPORT_FILE = "report.html"
DIAGRAM_FILE = "zones.svg"
TOP_ITEMS = 5

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

PLAN_FIELDS: tuple[str, ...] = (
    "scoring",
    "entry_points",
    "exposure",
    "paths",
    "risks",
    "gaps",
    "security_levels",
    "policies",
    "decisions",
    "stale_decisions",
)
"""The Assessment's Step 2 fields: the plan section is shown when any of them holds something."""


@dataclass(frozen=True)
class Section:
    """A results section of a step, shown by its template under ``templates/sections/``; ``raw`` is what the template reads."""

    name: str
    template: str
    raw: Any


@dataclass(frozen=True)
class StepView:
    step: Step
    audiences: tuple[AudienceGroup, ...]
    substeps: tuple[Step, ...]
    sections: tuple[Section, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class ReportView:
    """The page's content, arranged over the :class:`AssessmentView`; built by :func:`build_view`."""

    data: AssessmentView
    steps: dict[str, StepView]
    diagram: str
    change_title: str | None = None
    diagram_left_out: str | None = None
    """Why the page has no diagram (a model too large to lay out), in the page's language; None when it has one."""

    @property
    def lang(self) -> str:
        return self.data.lang

    @property
    def model(self) -> FactoryModel:
        return self.data.model

    @property
    def assessment(self) -> Assessment:
        return self.data.assessment

    @property
    def catalog(self) -> Catalog | None:
        return self.data.catalog

    @property
    def zones(self) -> tuple[ZoneView, ...]:
        return self.data.zones

    @property
    def names(self) -> dict[str, str]:
        return self.data.names

    @cached_property
    def counts(self) -> dict[str, int]:
        model, assessment = self.model, self.assessment
        return {
            "zones": len(model.zones),
            "assets": len(model.assets),
            "conduits": len(model.conduits),
            "operations": len(model.operations),
            "findings": len(assessment.findings),
            "requirements": len(assessment.requirements),
            "new_requirements": sum(1 for r in assessment.requirements if r.new),
            "control_conduits": sum(1 for c in model.conduits if c.carries_control_instructions),
        }

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
        risks = self.data.risks
        if not risks:
            return sorted(self.assessment.findings, key=lambda f: f.advisory)[:TOP_ITEMS]

        def key(finding: Finding) -> tuple[bool, int, int]:
            risk = risks.get(finding.id)
            group = 0 if finding.category == "zoning" else 1 if risk is not None else 2
            return finding.advisory, group, risk.rank if risk is not None else 0

        return sorted(self.assessment.findings, key=key)[:TOP_ITEMS]

    @property
    def top_risks(self) -> list[Risk]:
        """The first ranked risks, for the summary."""
        return list(self.assessment.risks[:TOP_ITEMS])

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

    def value(self, vocabulary: str, raw: str | None) -> str:
        """An enumeration value in the page's language (the glossary's word; as written in English)."""
        return self.data.value(vocabulary, raw)

    def ref(self, reference: str) -> str:
        """A guideline reference in the page's language."""
        return self.data.ref(reference)


def _steps(catalog: Catalog, assessment: Assessment) -> dict[str, StepView]:
    sections: dict[str, list[Section]] = {step_id: [] for step_id in STEP_IDS}
    if any(getattr(assessment, name) for name in PLAN_FIELDS):
        sections["step-2"].append(Section("security_plan", "sections/plan.html.j2", assessment))
    sections["step-3"].append(Section("lifecycle", "sections/lifecycle.html.j2", assessment.lifecycle))
    result: dict[str, StepView] = {}
    for step_id in STEP_IDS:
        step = catalog.steps[step_id]
        result[step_id] = StepView(
            step=step,
            audiences=tuple(catalog.audience_groups[a] for a in step.audiences),
            substeps=tuple(s for s in catalog.steps.values() if s.parent == step_id),
            sections=tuple(sections[step_id]),
            findings=tuple(f for f in assessment.findings if CATEGORY_STEPS.get(f.category, "step-1") == step_id),
        )
    return result


def build_view(
    model: FactoryModel,
    assessment: Assessment,
    catalog: Catalog,
    *,
    lang: str,
    diagram_svg: str,
    change_title: str | None = None,
    diagram_left_out: str | None = None,
) -> ReportView:
    """Arrange the model and assessment for the page; no analysis happens here."""
    return ReportView(
        data=AssessmentView(assessment, model, catalog, lang),
        steps=_steps(catalog, assessment),
        diagram=inline_svg(diagram_svg) if diagram_svg else "",
        change_title=change_title,
        diagram_left_out=diagram_left_out,
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
    env.tests["sequence_of_mappings"] = lambda value: (
        isinstance(value, (list, tuple)) and bool(value) and all(isinstance(v, Mapping) for v in value)
    )
    env.globals["L"] = labels("html", lang)
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


def write_html_report(
    loaded: LoadedModel, assessment: Assessment, out_dir: Path, lang: str, catalog: Catalog
) -> list[Path]:
    """Write ``report.html`` and the diagram ``zones.svg`` into ``out_dir``; return the paths written.

    The diagram's caption says what was grouped; when the plant is drawn as a
    grid, each zone links to its own diagram (``zones/<zone id>.svg``, written
    by the report folder's zone-diagram writer).
    """
    model = loaded.model
    diagram_path = out_dir / DIAGRAM_FILE
    per_zone = f"{ZONE_DIAGRAM_FOLDER}/{{id}}.svg"
    standalone = render_svg(model, assessment, DiagramOptions(lang=lang, zone_diagram_link=per_zone))
    embedded = render_svg(
        model, assessment, DiagramOptions(lang=lang, zone_link="#zone-{id}", zone_diagram_link=per_zone)
    )
    view = build_view(model, assessment, catalog, lang=lang, diagram_svg=embedded, change_title=loaded.change_title)
    out_dir.mkdir(parents=True, exist_ok=True)
    report_path = out_dir / REPORT_FILE
    _write_html(view, report_path)
    diagram_path.write_text(standalone, encoding="utf-8")
    return [report_path, diagram_path]


__all__ = [
    "DIAGRAM_FILE",
    "REPORT_FILE",
    "ReportView",
    "ZoneView",
    "build_view",
    "content_policy",
    "render_html",
    "template_environment",
    "write_html_report",
]
