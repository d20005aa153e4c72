"""The smartification review as one self-contained HTML page: both zone diagrams side by side, then the review.

The BEFORE diagram shows in blue what the change removes or changes, the AFTER
diagram what it adds or changes (ids from :mod:`factorysec.analysis.review`).
The sections follow the appendix's procedure like the terminal review does and
reuse its labels; the page reuses the analysis report's stylesheet, script,
macros and Content-Security-Policy. Renders only; computes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.review import ChangeReview, ReviewedChange, before_highlight_ids, highlight_ids
from factorysec.catalog.models import Text
from factorysec.model.entities import Asset, Department, FactoryModel, Operation, Party, Zone
from factorysec.report.diagram import DiagramOptions, inline_svg, render_svg
from factorysec.report.glossary import labels, value
from factorysec.report.html import content_policy, template_environment
from factorysec.report.html_text import names_to_isolate

BEFORE_PREFIX = "before-"
AFTER_PREFIX = "after-"
"""Prefixes of the two diagrams' SVG element ids, so both can share the page."""

SECTIONS: tuple[str, ...] = ("elements", "flows", "zoning", "requirements", "threats", "stakeholders", "bcp")
"""The page's sections (element ids and label keys), in the order of the appendix's procedure."""

BEFORE_HIGHLIGHT = Text(en="blue: removed or changed by the change", ja="青：変更で削除・変更される")


@dataclass(frozen=True)
class ReviewPageView:
    """The page's content, arranged; built by :func:`build_review_view`."""

    lang: str
    review: ChangeReview
    factory_name: str
    tool_version: str
    before_diagram: str
    after_diagram: str
    before_left_out: str | None = None
    """Why the page has no diagram before the change (a model too large to lay out); None when it has one."""
    after_left_out: str | None = None
    names: dict[str, str] = field(default_factory=dict)
    sections: tuple[str, ...] = SECTIONS

    @property
    def zoning_count(self) -> int:
        zoning = self.review.zoning
        return (
            len(zoning.new_zones)
            + len(zoning.removed_zones)
            + len(zoning.splits)
            + len(zoning.zones_to_review)
            + len(zoning.findings)
        )

    @property
    def stakeholder_count(self) -> int:
        return len(self.review.stakeholders) + len(self.review.checklists) + len(self.review.responsibilities)

    @cached_property
    def listed_findings(self) -> frozenset[str]:
        """Ids of the finding changes the page lists (threats and zoning), which other items link to."""
        return frozenset(f.id for f in (*self.review.threats, *self.review.zoning.findings))

    def status(self, raw: str | None) -> str:
        """A smartification element's status (new, changed) in the page's language."""
        return value("status", raw or "-", self.lang)

    @property
    def new_flow_count(self) -> int:
        return sum(1 for flow in self.review.data_flows if flow.change == "added")

    @cached_property
    def bidi_names(self) -> re.Pattern[str] | None:
        """The names to isolate in the review's sentences (the ``sentence`` filter reads it)."""
        return names_to_isolate(self.names.values())


def _names(*models: FactoryModel) -> dict[str, str]:
    """Display names by id; AFTER's names win over BEFORE's, so removed elements keep theirs."""
    names: dict[str, str] = {}
    for model in models:
        named: Iterable[Zone | Asset | Operation | Party | Department] = (
            *model.zones,
            *model.assets,
            *model.operations,
            *model.parties,
            *model.departments,
        )
        names.update({element.id: element.name for element in named})
        names.update({c.id: c.name or c.id for c in model.conduits})
    return names


def build_review_view(reviewed: ReviewedChange, lang: str = "en") -> ReviewPageView:
    """Draw both diagrams (raises :class:`factorysec.report.diagram.DiagramError` without Graphviz) and arrange the page.

    A model too large to lay out gets a note saying why instead of its diagram.
    """
    before, before_left_out = _diagram(
        reviewed.before,
        reviewed.before_assessment,
        DiagramOptions(
            lang=lang,
            highlight=frozenset(before_highlight_ids(reviewed.review)),
            highlight_label=BEFORE_HIGHLIGHT,
            id_prefix=BEFORE_PREFIX,
        ),
    )
    after, after_left_out = _diagram(
        reviewed.after,
        reviewed.after_assessment,
        DiagramOptions(lang=lang, highlight=frozenset(highlight_ids(reviewed.review)), id_prefix=AFTER_PREFIX),
    )
    return ReviewPageView(
        lang=lang,
        review=reviewed.review,
        factory_name=reviewed.after.factory.name,
        tool_version=reviewed.after_assessment.tool_version,
        before_diagram=inline_svg(before) if before else "",
        after_diagram=inline_svg(after) if after else "",
        before_left_out=before_left_out,
        after_left_out=after_left_out,
        names=_names(reviewed.before, reviewed.after),
    )


def _diagram(model: FactoryModel, assessment: Assessment, options: DiagramOptions) -> tuple[str, str | None]:
    """The SVG of one diagram and None (every model is drawn: see :func:`factorysec.report.diagram.plan_diagram`)."""
    return render_svg(model, assessment, options), None


def render_review_html(view: ReviewPageView) -> str:
    """The page as text, with the analysis report's stylesheet and script inline and its Content-Security-Policy."""
    env = template_environment(view.lang)
    env.globals["R"] = {**labels("review", view.lang), **labels("review_page", view.lang)}
    style = env.get_template("report.css").render() + env.get_template("review.css").render()
    script = env.get_template("report.js").render()
    return env.get_template("review.html.j2").render(
        view=view, style=style, script=script, policy=content_policy(style, script)
    )


def write_review_html(reviewed: ReviewedChange, out: Path, lang: str = "en", *, force: bool = False) -> Path:
    """Write the review page to ``out`` whole or not at all (policy: :mod:`factorysec.outputs`); return the path written."""
    from factorysec.outputs import write_output

    page = render_review_html(build_review_view(reviewed, lang))
    return write_output(out, page, force=force, example_name="review.html")


__all__ = [
    "AFTER_PREFIX",
    "BEFORE_PREFIX",
    "SECTIONS",
    "ReviewPageView",
    "build_review_view",
    "render_review_html",
    "write_review_html",
]
