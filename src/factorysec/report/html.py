"""``report.html`` and its detail pages: a summary a plant manager reads, and a page per zone for the detail.

``report.html`` is bounded whatever the plant's size: the action list, the
most important zones and risks (at most :data:`TOP_ZONES` and
:data:`TOP_RISKS`), charts drawn as inline SVG by the templates (the risk
matrix as a heat map, importance per zone and axis, Step 3 progress) and the
Step 3 status. It links to

- ``zones/<zone id>.html``: one page per zone (its protected objects with
  per-axis importance and reasons, location, conduits, findings,
  requirements, risks and missing measures), beside ``zones/<zone id>.svg``
  where the plant is drawn as a grid;
- ``step-1.html`` (operations, the list of every zone, findings and
  requirements tied to no one zone), ``step-2.html`` (the plan) and
  ``step-3.html`` (lifecycle), each naming the departments Table 1-1 assigns
  to the step and the Annex B reference guidelines for it;
- ``purposes.html``: per purpose of smartification, what it brings.

Every page is self-contained (style and script inline, a Content-Security-Policy
that loads nothing). This module only arranges what the
:class:`~factorysec.report.view.AssessmentView` already holds; Jinja2 templates
(autoescaped) under ``templates/`` do the markup, with the glossary's labels as ``L``.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from factorysec.analysis.actions import Action
from factorysec.analysis.assessment import Assessment
from factorysec.analysis.findings import Finding, Subject
from factorysec.analysis.importance import ALL_AXES, AXIS_LABELS, Derived, all_ratings
from factorysec.analysis.lifecycle import AREA_LABELS
from factorysec.analysis.measures import Gap
from factorysec.analysis.requirements import SecurityRequirement
from factorysec.analysis.risk import Risk
from factorysec.catalog import Catalog
from factorysec.catalog.models import AudienceGroup, Step, Text
from factorysec.model.entities import Asset, Conduit, FactoryModel, PhysicalLocation, Zone
from factorysec.model.loader import LoadedModel
from factorysec.report.diagram import (
    LARGE_ZONE_COUNT,
    ZONE_DIAGRAM_FOLDER,
    DiagramOptions,
    inline_svg,
    plan_diagram,
    render_svg,
)
from factorysec.report.glossary import labels, reference
from factorysec.report.glossary import value as glossary_value
from factorysec.report.html_text import add_text_filters, breakable, isolated, names_to_isolate, sentence
from factorysec.report.html_text import escape_text as _escape_text
from factorysec.report.template_cache import use_installed_templates
from factorysec.report.view import (
    AssessmentView,
    EntryRouteView,
    MatrixCell,
    MaturityBar,
    Progress,
    ZoneView,
    department_name,
    entry_routes,
    maturity_bars,
    risk_matrix,
    step3_progress,
)

REPORT_FILE = "report.html"
DIAGRAM_FILE = "zones.svg"
PURPOSES_FILE = "purposes.html"
STEP_FILES: dict[str, str] = {"step-1": "step-1.html", "step-2": "step-2.html", "step-3": "step-3.html"}
PAGE_FILES: tuple[str, ...] = (REPORT_FILE, *STEP_FILES.values(), PURPOSES_FILE)
"""The pages at the top of the report folder; zone pages are ``zones/<zone id>.html``."""
ZONE_PAGE = ZONE_DIAGRAM_FOLDER + "/{id}.html"
TOP_ITEMS = 5
TOP_ZONES = 15
"""Zones shown on the summary (in the list and the per-axis chart)."""
TOP_RISKS = 20
"""Ranked risks shown on the summary; the rest are on the Step 2 page and the zone pages."""
LIST_ITEMS = 8
"""Entries shown per list of an action (findings, requirements ...) on the summary, with how many more."""
STEP_ROWS = 200
"""Rows of each long table on the step pages (ranked risks, measure gaps, entry points, policies, Step 3 gaps and
checklists): the pages stay small at any plant size; report.xlsx and assessment.json hold every row, and each zone
page lists its own findings, risks and missing measures."""
LISTED_CONDUITS = 5
"""Conduits named per requirement in a requirements table, with how many more."""
GROUP_ZONES_ABOVE = 200
"""Plants with more zones than this get a page per group of zones instead of one per zone (issue #20 item 3)."""
ZONES_PER_GROUP = 50
"""Zones on one group page at most: a group's zones past this go on the group's next page."""

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
class ZonePage:
    """What one zone's page shows besides its :class:`ZoneView`: the risks and gaps of its findings."""

    zone: ZoneView
    risks: tuple[Risk, ...]
    gaps: tuple[Gap, ...]
    has_diagram: bool
    routes: tuple[EntryRouteView, ...] = ()
    """The entry routes that land in this zone."""
    findings: tuple[Finding, ...] = ()
    """The zone's findings, each once: those with a ranked risk first, in rank order, then the rest in the zone view's order."""


@dataclass(frozen=True)
class ZoneGroup:
    """Zones shown on one page of a large plant: those under one top-level zone, or of one kind, at most :data:`ZONES_PER_GROUP`."""

    id: str
    """The page's file name without ``.html`` (``group-production-1``)."""
    key: str
    """The top-level zone the zones sit under, or their kind."""
    by_kind: bool
    part: int
    parts: int
    zones: tuple[ZoneView, ...]


def zone_groups(data: AssessmentView) -> tuple[ZoneGroup, ...]:
    """The zones in groups (model order within a group): a zone with a parent goes with its top-level zone, a top-level
    zone with sub-zones heads its own group, any other zone goes with the zones of its kind; a group of more than
    :data:`ZONES_PER_GROUP` zones is cut into parts."""
    views = data.zones
    return tuple(
        ZoneGroup(page, key, by_kind, part, parts, tuple(views[index] for index in indexes))
        for page, key, by_kind, part, parts, indexes in _zone_group_parts([view.zone for view in views])
    )


def zone_homes(zones: Sequence[Zone]) -> str | dict[str, str]:
    """Where each zone is shown, from ``zones/``: its own page (``{id}.html``), or its article on its group's page past
    :data:`GROUP_ZONES_ABOVE` zones (the zone diagrams link their middle zone there); from the model alone."""
    if len(zones) <= GROUP_ZONES_ABOVE:
        return "{id}.html"
    return {
        zones[index].id: f"{page}.html#zone-{zones[index].id}"
        for page, *_, indexes in _zone_group_parts(zones)
        for index in indexes
    }


def _zone_group_parts(zones: Sequence[Zone]) -> list[tuple[str, str, bool, int, int, list[int]]]:
    """:func:`zone_groups` as (page id, key, by kind, part, parts, the indexes of its zones in ``zones``)."""
    by_id = {zone.id: zone for zone in zones}
    has_children = {zone.parent for zone in zones if zone.parent}
    keyed: dict[tuple[bool, str], list[int]] = {}
    for index, zone in enumerate(zones):
        root, seen = zone, {zone.id}
        while root.parent and root.parent in by_id and root.parent not in seen:
            seen.add(root.parent)
            root = by_id[root.parent]
        under = root is not zone or root.id in has_children
        keyed.setdefault((False, root.id) if under else (True, root.kind.value), []).append(index)
    groups = []
    for (by_kind, key), members in keyed.items():
        parts = [members[start : start + ZONES_PER_GROUP] for start in range(0, len(members), ZONES_PER_GROUP)]
        stem = f"group-{key}" if by_kind else f"group-zone-{key}"
        for part, indexes in enumerate(parts, 1):
            groups.append((f"{stem}-{part}", key, by_kind, part, len(parts), indexes))
    return groups


class _Places:
    """Where each element is shown: an asset on its zone's page, a conduit on its sending zone's page; built once per report."""

    def __init__(self, data: AssessmentView) -> None:
        self.data = data

    @cached_property
    def asset_zone(self) -> dict[str, str]:
        return {asset.id: asset.zone for asset in self.data.model.assets if asset.zone}

    @cached_property
    def conduit_zone(self) -> dict[str, str]:
        return {conduit.id: conduit.from_zone for conduit in self.data.model.conduits if conduit.from_zone}

    @cached_property
    def finding_zone(self) -> dict[str, str]:
        """Finding id → the first zone whose page shows it."""
        found: dict[str, str] = {}
        for zone_view in self.data.zones:
            for finding in zone_view.findings:
                found.setdefault(finding.id, zone_view.zone.id)
        return found

    @cached_property
    def groups(self) -> tuple[ZoneGroup, ...]:
        """The zone groups when the plant is large enough to have them (:data:`GROUP_ZONES_ABOVE`), else none."""
        return zone_groups(self.data) if len(self.data.model.zones) > GROUP_ZONES_ABOVE else ()

    @cached_property
    def zone_group(self) -> dict[str, str]:
        """Zone id → the id of the group page that shows it (empty when every zone has its own page)."""
        return {view.zone.id: group.id for group in self.groups for view in group.zones}

    @cached_property
    def requirement_zones(self) -> frozenset[str]:
        return frozenset(r.id for zone_view in self.data.zones for r in zone_view.requirements)

    @cached_property
    def bidi_names(self) -> re.Pattern[str] | None:
        """The names that need isolating where the analysis's sentences hold them (:func:`names_to_isolate`)."""
        return names_to_isolate(self.data.names.values())


@dataclass(frozen=True)
class ReportView:
    """The pages' content, arranged over the :class:`AssessmentView`; built by :func:`build_view`.

    ``root`` is the way from the page being written to the report folder (``""``
    for the pages at its top, ``"../"`` for zone pages): every link goes through it.
    """

    data: AssessmentView
    steps: dict[str, StepView]
    diagram: str
    change_title: str | None = None
    diagram_left_out: str | None = None
    """Why the page has no diagram (a model too large to lay out), in the page's language; None when it has one."""
    root: str = ""
    places: _Places | None = None

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

    @property
    def bidi_names(self) -> re.Pattern[str] | None:
        """The names to isolate in the analysis's sentences (the ``sentence`` filter reads it)."""
        return self._places.bidi_names

    @cached_property
    def _places(self) -> _Places:
        return self.places if self.places is not None else _Places(self.data)

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

    @cached_property
    def ranked_zones(self) -> list[ZoneView]:
        """Rated zones, most important first, model order among equals."""
        rated = [(z.importance.level.rank, z) for z in self.zones if z.importance.level is not None]
        return [zone for _, zone in sorted(rated, key=lambda pair: -pair[0])]

    @property
    def top_zones(self) -> list[ZoneView]:
        """The most important zones for the summary."""
        return self.ranked_zones[:TOP_ZONES]

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
        return list(self.assessment.risks[:TOP_RISKS])

    @property
    def actions(self) -> tuple[Action, ...]:
        return self.assessment.actions

    @cached_property
    def matrix(self) -> tuple[tuple[MatrixCell, ...], ...]:
        return risk_matrix(self.assessment)

    @cached_property
    def progress(self) -> tuple[Progress, ...]:
        return step3_progress(self.assessment)

    @cached_property
    def maturity(self) -> tuple[MaturityBar, ...]:
        return maturity_bars(self.data)

    @property
    def inline_diagram(self) -> bool:
        """Small plants have their diagram on the summary; larger ones link to ``zones.svg`` (the summary stays small)."""
        return bool(self.diagram) and len(self.zones) < LARGE_ZONE_COUNT

    @property
    def large_diagram(self) -> bool:
        """Large diagrams are shown at their natural size, scrolling, rather than shrunk to the page width."""
        return len(self.zones) >= LARGE_ZONE_COUNT

    @property
    def axes(self) -> tuple[str, ...]:
        return ALL_AXES

    def axis_title(self, axis: str) -> str:
        return AXIS_LABELS[axis].get(self.lang)

    def ratings(self, rated: Any) -> list[tuple[str, Derived | None]]:
        """Per axis (value axes, then data axes), the rating of an operation, asset or zone importance; None where it names no rating."""
        given = all_ratings(rated)
        return [(axis, given.get(axis)) for axis in ALL_AXES]

    def reason_groups(self, rated: Any) -> list[tuple[tuple[str, ...], Derived]]:
        """The ratings grouped by level and reason, axes in order: an operation's single rating given for all axes reads once."""
        groups: dict[tuple[str | None, str], tuple[list[str], Derived]] = {}
        for axis, rating in self.ratings(rated):
            if rating is None:
                continue
            key = (rating.level.value if rating.level else None, rating.reason.en)
            groups.setdefault(key, ([], rating))[0].append(axis)
        return [(tuple(axes), rating) for axes, rating in groups.values()]

    def zone_ratings(self, zone_id: str) -> list[tuple[str, Derived | None]]:
        return self.ratings(self.assessment.importance.zones[zone_id])

    def location(self, place: PhysicalLocation | None) -> Markup:
        """Site / building / area, each a name (isolated, see :func:`factorysec.report.html_text.isolated`)."""
        if place is None:
            return Markup("")
        return Markup(" / ".join([isolated(part) for part in (place.site, place.building, place.area) if part]))

    def department(self, department: str) -> str:
        return department_name(self.data, department)

    def checklist_item(self, entry: str) -> Markup:
        """``asset:item`` of an action as the asset's name and the item id."""
        asset, _, item = entry.partition(":")
        return Markup(f"{isolated(self.names.get(asset, asset))}: {_escape_text(item)}")

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

    @property
    def other_findings(self) -> list[Finding]:
        """Findings no zone page shows (about the factory, an operation, a party, an asset without a zone ...)."""
        shown = self._places.finding_zone
        return [f for f in self.assessment.findings if f.id not in shown]

    @property
    def other_requirements(self) -> list[SecurityRequirement]:
        shown = self._places.requirement_zones
        return [r for r in self.assessment.requirements if r.id not in shown]

    # --- links --------------------------------------------------------------------------------------------------

    def page(self, name: str) -> str:
        """A page of the report folder (``report.html``, ``step-2.html`` ...) from the page being written."""
        return self.root + name

    def step_page(self, step_id: str) -> str:
        return self.page(STEP_FILES[step_id])

    @cached_property
    def row_parts(self) -> dict[tuple[str, str | int], Any]:
        """Markup the row filters made for an element on this view's pages (a link, an asset's rating cells), by kind
        and id (the ``id()`` of a shared ratings mapping): an element is linked from many rows."""
        return {}

    @cached_property
    def conduit_parts(self) -> dict[int, tuple[str, str, str, str, str, str, str]]:
        """``id()`` of a conduit of the model → the parts of its rows, made by the conduit rows filter at its first
        table (the conduits stay alive with the model, so their ``id()`` stay theirs)."""
        return {}

    @cached_property
    def requirement_rows(self) -> dict[str, tuple[SecurityRequirement, str]]:
        """Requirement id → its row, made for its first zone's page and kept until its second's."""
        return {}

    @cached_property
    def shared_cells(self) -> dict[tuple[Any, ...], str]:
        """Cells that many rows share (a requirement's subject, viewpoint or reference), by what they show."""
        return {}

    @cached_property
    def peer_cells(self) -> dict[str, str]:
        """Zone id → the peer cell of a conduit row from or to that zone, made once per view."""
        return {}

    @cached_property
    def _zone_files(self) -> dict[str, str]:
        """Zone id → :meth:`zone_file`, filled as links are written (every asset and conduit link names its zone's page)."""
        return {}

    def zone_file(self, zone_id: str) -> str:
        """The page that shows a zone: its own, or its group's on a large plant."""
        found = self._zone_files.get(zone_id)
        if found is None:
            group = self._places.zone_group.get(zone_id)
            found = self._zone_files[zone_id] = self.page(ZONE_PAGE.format(id=group if group is not None else zone_id))
        return found

    def zone_page(self, zone_id: str) -> str:
        """The link to a zone: its page, or its article on its group's page."""
        page = self.zone_file(zone_id)
        return f"{page}#zone-{zone_id}" if zone_id in self._places.zone_group else page

    def section_id(self, zone_id: str, name: str) -> str:
        """The id of a section of a zone's page (``findings``); on a group page, prefixed with the zone id."""
        return f"{zone_id}-{name}" if zone_id in self._places.zone_group else name

    @property
    def groups(self) -> tuple[ZoneGroup, ...]:
        return self._places.groups

    @property
    def zones_per_group(self) -> int:
        return ZONES_PER_GROUP

    def group_count(self, group: ZoneGroup, what: str) -> int:
        """How many findings or requirements the zones of a group have (``what``: a :class:`ZoneView` field)."""
        return sum(len(getattr(view, what)) for view in group.zones)

    def group_title(self, group: ZoneGroup) -> str:
        """A group's title: its top-level zone's name or its kind's word, with the part when it has several."""
        title = self.value("zone_kind", group.key) if group.by_kind else self.names.get(group.key, group.key)
        return f"{title} ({group.part}/{group.parts})" if group.parts > 1 else title

    def group_heading(self, group: ZoneGroup) -> Markup:
        """:meth:`group_title` as HTML, the zone's name isolated from the part's number."""
        if group.by_kind:
            title = _escape_text(self.value("zone_kind", group.key))
        else:
            title = isolated(self.names.get(group.key, group.key))
        return Markup(f"{title} ({group.part}/{group.parts})" if group.parts > 1 else title)

    def anchor(self, kind: str, element_id: str) -> str:
        """The link to an element: a zone's page, an asset's or conduit's row on its zone's page, an operation on the Step 1 page."""
        places = self._places
        if kind == "zone":
            return self.zone_page(element_id)
        if kind == "asset" and element_id in places.asset_zone:
            return f"{self.zone_file(places.asset_zone[element_id])}#asset-{element_id}"
        if kind == "conduit" and element_id in places.conduit_zone:
            return f"{self.zone_file(places.conduit_zone[element_id])}#conduit-{element_id}"
        if kind == "operation":
            return f"{self.step_page('step-1')}#operation-{element_id}"
        return f"{self.step_page('step-1')}#other-findings"

    def finding_link(self, finding_id: str) -> str:
        """The page that shows a finding: its zone's page, else the Step 1 page."""
        zone = self._places.finding_zone.get(finding_id)
        if zone is None:
            return f"{self.step_page('step-1')}#other-findings"
        return f"{self.zone_file(zone)}#{self.section_id(zone, 'findings')}"

    def risk_link(self, finding_id: str) -> str:
        """A ranked risk's row on the Step 2 page; past the rows that page shows, the page that shows its finding."""
        if finding_id not in self.step_risks:
            return self.finding_link(finding_id)
        return f"{self.step_page('step-2')}#risk-{finding_id}"

    @property
    def step_rows(self) -> int:
        return STEP_ROWS

    @cached_property
    def step_risks(self) -> frozenset[str]:
        """The findings whose risk has a row on the Step 2 page."""
        return frozenset(risk.finding for risk in self.assessment.risks[:STEP_ROWS])

    def value(self, vocabulary: str, raw: str | None) -> str:
        """An enumeration value in the page's language (the glossary's word; as written in English)."""
        return self.data.value(vocabulary, raw)

    def ref(self, reference: str) -> str:
        """A guideline reference in the page's language."""
        return self.data.ref(reference)

    def zone_page_view(self) -> ReportView:
        """This view as seen from a zone page (one folder down)."""
        return dataclasses.replace(self, root="../", places=self._places)

    def zone_detail(self, zone_view: ZoneView, has_diagram: bool) -> ZonePage:
        risks, gaps = self.data.risks, self.data.gaps
        ids = dict.fromkeys(f.id for f in zone_view.findings)
        ranked = sorted((risks[f] for f in ids if f in risks), key=lambda risk: risk.rank)
        order = {risk.finding: position for position, risk in enumerate(ranked)}
        unique = {f.id: f for f in reversed(zone_view.findings)}
        return ZonePage(
            zone=zone_view,
            findings=tuple(sorted((unique[f] for f in ids), key=lambda f: order.get(f.id, len(order)))),
            risks=tuple(ranked),
            gaps=tuple(gaps[f] for f in ids if f in gaps and gaps[f].missing),
            has_diagram=has_diagram,
            routes=self.routes_by_zone.get(zone_view.zone.id, ()),
        )

    @cached_property
    def entry_routes(self) -> tuple[EntryRouteView, ...]:
        """The routes the entry points open (issue #23 item 6), in the view's language."""
        return entry_routes(self.data)

    @cached_property
    def routes_by_zone(self) -> dict[str, tuple[EntryRouteView, ...]]:
        """Zone id → the entry routes landing in it."""
        found: dict[str, list[EntryRouteView]] = {}
        for route in self.entry_routes:
            found.setdefault(route.zone, []).append(route)
        return {zone: tuple(routes) for zone, routes in found.items()}


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
    data: AssessmentView | None = None,
    loaded: LoadedModel | None = None,
) -> ReportView:
    """Arrange the model and assessment for the pages; no analysis happens here (``data``: the view other writers share, if built)."""
    return ReportView(
        data=data if data is not None else AssessmentView(assessment, model, catalog, lang, loaded=loaded),
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
    use_installed_templates(env)

    def tr(value: Text | Mapping[str, str] | str | None) -> str:
        if value is None:
            return ""
        if isinstance(value, Text):
            return value.get(lang)
        if isinstance(value, Mapping):
            return str(value.get(lang) or value.get("en") or "")
        return str(value)

    env.filters["tr"] = tr
    env.filters["ref"] = lambda text: reference(text, lang)
    env.filters["value"] = lambda raw, vocabulary: glossary_value(vocabulary, str(raw), lang)
    env.tests["bilingual"] = lambda value: isinstance(value, Mapping) and set(value) == {"en", "ja"}
    env.tests["mapping"] = lambda value: isinstance(value, Mapping)
    env.tests["sequence_of_mappings"] = lambda value: (
        isinstance(value, (list, tuple)) and bool(value) and all(isinstance(v, Mapping) for v in value)
    )
    words = labels("html", lang)
    env.globals["L"] = words
    env.globals["AREA_LABELS"] = AREA_LABELS
    _add_row_filters(env, words)
    return add_text_filters(env)


class SafeText:
    """Text that is already HTML, as a filter hands it to the template: where the template writes it, ``escape`` takes
    it as it is (``__html__``), copying it once into a ``Markup``.

    A ``Markup`` made by the filter would be copied twice (``Markup(text)`` copies the text, and ``escape`` copies a
    ``Markup`` again): the zone pages' tables are 420 MB of text at 100k assets, about half a CPU second a copy.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __html__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


def _add_row_filters(env: Environment, words: Mapping[str, str]) -> None:
    """Filters for what the templates write once per row of a zone page (an asset, a conduit, a requirement).

    A filter is called straight from the compiled template, where a macro
    call or a method call on the view goes through Jinja's runtime each time;
    on the zone pages of a 10k-asset plant those calls were a third of the
    HTML time. The markup is the macros' (``level``, ``status``,
    ``axis_cells`` in ``_macros.html.j2``), escaped the same way.
    """

    # A level, a status or an axis cell has a handful of values, each written thousands of times: its markup is
    # made once per value (Markup.format was a quarter of the zone pages' time) and looked up after that.
    badges: dict[str | None, Markup] = {}
    tags: dict[str, Markup] = {}
    cells: dict[tuple[str, str | None], str] = {}

    def badge(level_value: str | None) -> Markup:
        made = badges.get(level_value)
        if made is None:
            if level_value is None:
                made = Markup('<span class="level level-none">{}</span>').format(words["unrated"])
            else:
                made = Markup('<span class="level level-{}">{}</span>').format(level_value, words[level_value])
            badges[level_value] = made
        return made

    def level_badge(derived: Derived) -> Markup:
        level = derived.level
        return badge(None if level is None else level.value)

    def status_tag(value: Enum) -> Markup:
        made = tags.get(value.value)
        if made is None:
            made = (
                Markup("")
                if value.value == "existing"
                else Markup('<span class="tag tag-{}">{}</span>').format(value.value, words[value.value])
            )
            tags[value.value] = made
        return made

    def axis_cell(axis: str, level_value: str | None) -> str:
        made = cells.get((axis, level_value))
        if made is None:
            inner = badge(level_value) if level_value is not None else ""
            made = str(Markup('<td class="axis-cell" data-axis="{}">{}</td>').format(axis, inner))
            cells[(axis, level_value)] = made
        return made

    def axis_cells(view: ReportView, rated: Any) -> Markup:
        return Markup(
            "".join(
                axis_cell(axis, rating.level.value if rating is not None and rating.level is not None else None)
                for axis, rating in view.ratings(rated)
            )
        )

    translate = env.filters["tr"]
    control_tag = str(Markup('<span class="tag tag-control">{}</span> ').format(words["control"]))
    unspecified, more_words = _escape_text(words["unspecified"]), words["ac_more"]

    def link(view: ReportView, kind: str, element_id: str) -> str:
        """``<a href="...">name</a>`` of an element, made once per view and element."""
        parts = view.row_parts
        made: str | None = parts.get((kind, element_id))
        if made is None:
            made = parts[(kind, element_id)] = (
                f'<a href="{_escape_text(view.anchor(kind, element_id))}">'
                f"{isolated(view.names.get(element_id, element_id))}</a>"
            )
        return made

    def code_link(view: ReportView, kind: str, element_id: str) -> str:
        """``<a href="..."><code>id</code></a>`` of an element, made once per view and element."""
        key = (kind + " code", element_id)
        parts = view.row_parts
        made: str | None = parts.get(key)
        if made is None:
            made = parts[key] = (
                f'<a href="{_escape_text(view.anchor(kind, element_id))}"><code>{breakable(element_id)}</code></a>'
            )
        return made

    def conduit_parts(view: ReportView) -> dict[int, tuple[str, str, str, str, str, str, str]]:
        """Per conduit (by ``id()``), the parts of its two rows: its escaped id (for the row's id), its id as the cell
        shows it (:func:`breakable`), its row's class, its status tag, the cells after the peer's, and the peer cells of
        its sending and receiving zones.

        Made for every conduit at the first table, in one pass in model order: at 300k conduits, reading each conduit
        as the zone pages list it (scattered in memory) cost about 3 µs a conduit in cache misses, twice over."""
        made = view.conduit_parts
        if made:
            return made
        assets, peers = view.data.index.assets, view.peer_cells
        tags: dict[Enum, str] = {}
        networks: dict[Enum, str] = {}
        rests: dict[str, str] = {}
        for conduit in view.model.conduits:
            status, network = conduit.status, conduit.external_network
            tag = tags.get(status)
            if tag is None:
                value = status.value
                tag = tags[status] = (
                    ""
                    if value == "existing"
                    else f' <span class="tag tag-{_escape_text(value)}">{_escape_text(words[value])}</span>'
                )
            network_cell = networks.get(network)
            if network_cell is None:
                value = network.value
                network_cell = networks[network] = (
                    _escape_text(view.value("external_network", value)) if value != "none" else ""
                )
            if conduit.data:
                carried = ", ".join([isolated(assets[d].name) for d in conduit.data if d in assets])
            else:
                carried = breakable(conduit.carries) if conduit.carries else unspecified
            control = conduit.carries_control_instructions
            rest = "".join(
                [
                    "</td>\n      <td>\n",
                    control_tag if control else "",
                    carried,
                    f"      </td>\n      <td>{breakable(', '.join(conduit.protocols))}</td>\n      <td>",
                    network_cell,
                    "</td>\n    </tr>",
                ]
            )
            source, target = conduit.from_zone, conduit.to_zone
            source_cell = peers.get(source)
            if source_cell is None:
                source_cell = peers[source] = peer_cell(view, source)
            target_cell = peers.get(target)
            if target_cell is None:
                target_cell = peers[target] = peer_cell(view, target)
            made[id(conduit)] = (
                _escape_text(conduit.id),
                breakable(conduit.id),
                ' class="control"' if control else "",
                tag,
                rests.setdefault(rest, rest),
                source_cell,
                target_cell,
            )
        return made

    def peer_cell(view: ReportView, zone_id: str) -> str:
        """The link to the zone at a conduit's other end (unspecified when the model has no such zone)."""
        peer = view.data.index.zones.get(zone_id)
        if peer is None:
            return unspecified
        return f'<a href="{_escape_text(view.anchor("zone", peer.id))}">{isolated(peer.name)}</a>'

    none_paragraph = SafeText(f'<p class="none">{_escape_text(words["none"])}</p>\n')
    conduit_heads = [_escape_text(words[key]) for key in ("data", "protocols", "external_network")]
    requirements_head = "".join(
        [
            '<table class="requirements">\n  <thead><tr>',
            *[
                f"<th>{_escape_text(words[key])}</th>"
                for key in ("id", "subject", "viewpoint", "requirements", "reference")
            ],
            "</tr></thead>\n  <tbody>",
        ]
    )
    table_end = "  </tbody>\n</table>\n"
    new_tag = f' <span class="tag tag-new">{_escape_text(words["new"])}</span>'
    conduits_words, because_words = _escape_text(words["conduits"]), _escape_text(words["because"])

    def conduits_table(view: ReportView, conduits: Sequence[Conduit], peer_label: str, outbound: bool) -> SafeText:
        """A zone page's table of the conduits out of the zone (the peer is the receiving zone; the rows have the ids
        that links point to) or into it, whitespace included, as a template wrote it; a paragraph when there is none.

        The table is one string made by one join (a zone page's 600 rows at 100k assets): each copy of the zone
        pages' 420 MB of text (a template's join, a new Markup) costs about half a CPU second."""
        if not conduits:
            return none_paragraph
        parts = conduit_parts(view)
        rows = [
            f"<table>\n  <thead><tr><th>{_escape_text(words['id'])}</th><th>{_escape_text(peer_label)}</th><th>"
            + "</th><th>".join(conduit_heads)
            + "</th></tr></thead>\n  <tbody>"
        ]
        if outbound:
            rows += [
                f'    <tr id="conduit-{cid}"{control}>\n      <td><code>{shown}</code>{tag}</td>\n      <td>{target}{rest}'
                for cid, shown, control, tag, rest, _, target in [parts[id(conduit)] for conduit in conduits]
            ]
        else:
            rows += [
                f"    <tr{control}>\n      <td><code>{shown}</code>{tag}</td>\n      <td>{source}{rest}"
                for _, shown, control, tag, rest, source, _ in [parts[id(conduit)] for conduit in conduits]
            ]
        rows.append(table_end)
        return SafeText("\n".join(rows))

    def requirements_table(view: ReportView, requirements: Sequence[SecurityRequirement]) -> SafeText:
        """A table of requirements, whitespace included, as a template wrote it (one join, as the conduits' table); a
        paragraph when there is none.

        A requirement between two zones has a row on both zones' pages: its row is kept from the first until the
        second (at 100k assets 114k rows, 100 MB if kept to the end)."""
        if not requirements:
            return none_paragraph
        kept = view.requirement_rows
        rows = [requirements_head]
        for requirement in requirements:
            made = kept.pop(requirement.id, None)
            if made is not None and made[0] is requirement:
                rows.append(made[1])
                continue
            row = requirement_row(view, requirement)
            if requirement.to_zone is not None and requirement.to_zone != requirement.subject.id:
                kept[requirement.id] = (requirement, row)
            rows.append(row)
        rows.append(table_end)
        return SafeText("\n".join(rows))

    def requirement_subject(view: ReportView, requirement: SecurityRequirement) -> str:
        """A requirement's subject cell: the zone, the zone it sends to and the conduits; the same for the requirements
        of one pair of zones over the same conduits (one per viewpoint), so made once per view for them."""
        subject = requirement.subject
        key = (subject.kind, subject.id, requirement.to_zone, requirement.conduits)
        shared = view.shared_cells
        made = shared.get(key)
        if made is not None:
            return made
        parts = [link(view, subject.kind, subject.id)]
        if requirement.to_zone:
            parts.append(" → " + link(view, "zone", requirement.to_zone))
        if requirement.conduits:
            listed = LISTED_CONDUITS
            parts.append(f'<div class="meta">{conduits_words}: ')
            parts.append(", ".join([code_link(view, "conduit", c) for c in requirement.conduits[:listed]]))
            if len(requirement.conduits) > listed:
                parts.append(
                    f' <span class="more">{_escape_text(more_words.format(n=len(requirement.conduits) - listed))}</span>'
                )
            parts.append("</div>")
        made = shared[key] = "".join(parts)
        return made

    def shared_cell(view: ReportView, kind: str, raw: str, word: Callable[[str], str]) -> str:
        """The escaped ``word(raw)`` (a viewpoint, a guideline reference), made once per view and value."""
        key = (kind, raw)
        shared = view.shared_cells
        made = shared.get(key)
        if made is None:
            made = shared[key] = _escape_text(word(raw))
        return made

    def requirement_row(view: ReportView, requirement: SecurityRequirement) -> str:
        """One row of ``requirements_table``."""
        because = (
            f'<div class="meta">{because_words}: '
            + ", ".join([f"<code>{breakable(b)}</code>" for b in requirement.because])
            + "</div>"
            if requirement.because
            else ""
        )
        return (
            f"    <tr>\n      <td><code>{breakable(requirement.id)}</code>{new_tag if requirement.new else ''}"
            f"</td>\n      <td>{requirement_subject(view, requirement)}"
            f"</td>\n      <td>{shared_cell(view, 'viewpoint', requirement.viewpoint, view.data.viewpoint)}"
            f"</td>\n      <td>{sentence(translate(requirement.text), view.bidi_names)}{because}"
            f'</td>\n      <td class="ref">{shared_cell(view, "reference", requirement.reference, view.ref)}</td>\n    </tr>'
        )

    axis_words = {axis: _escape_text(words["ax_" + axis]) for axis in ALL_AXES}
    recovery_words, hours_words = _escape_text(words["recovery"]), words["hours"]

    def rating_cells(view: ReportView, rated: Any) -> tuple[str, str]:
        """An asset's axis cells and its reasons' list items; made once per ratings mapping where the asset has no data
        ratings (the analysis gives the assets of one operation one shared mapping: a handful on a 10k-asset plant)."""
        shared = None if rated.data_ratings else rated.ratings
        key = ("ratings", id(shared))
        kept = view.row_parts
        if shared is not None:
            made = kept.get(key)
            if made is not None and made[0] is shared:
                return made[1]  # type: ignore[no-any-return]
        reasons = "".join(
            [
                f'<li data-axes="{" ".join(axes)}"><strong>{" ".join([axis_words[axis] for axis in axes])}</strong> '
                f"{sentence(translate(rating.reason), view.bidi_names)}</li>"
                for axes, rating in view.reason_groups(rated)
            ]
        )
        cells = (str(axis_cells(view, rated)), reasons)
        if shared is not None:
            kept[key] = (shared, cells)
        return cells

    def asset_row(view: ReportView, asset: Asset) -> str:
        """One row of a zone page's asset table (``_zone.html.j2``): its markup, whitespace included, as the loop there wrote it."""
        rated = view.assessment.importance.assets[asset.id]
        asset_id = _escape_text(asset.id)
        cells, reasons = rating_cells(view, rated)
        place = str(view.location(asset.location))
        if asset.recovery_target_hours is not None:
            hours = _escape_text(hours_words.format(h=f"{asset.recovery_target_hours:g}"))
            place += f"{'<br>' if asset.location else ''}{recovery_words}: {hours}"
        return (
            f'      <tr id="asset-{asset_id}" data-asset="{asset_id}">\n'
            f"        <td>{isolated(asset.name)} {status_tag(asset.status)}</td>\n"
            f"        <td>{_escape_text(view.value('asset_type', asset.type.value))}</td>\n"
            f"        <td>{level_badge(rated.overall)}</td>\n"
            f"        {cells}\n"
            f'        <td><ul class="reasons">{reasons}</ul></td>\n'
            f"        <td>{place}</td>\n"
            "      </tr>"
        )

    finding_words = {
        key: _escape_text(words[key])
        for key in ("advisory", "subject", "reference", "impact", "zone_risk_line", "pl_interrupts", "pl_missing")
        + ("pl_in_place", "pl_partial")
    }

    source_words = _escape_text(words["model_source"])

    def source_span(source: str) -> str:
        """Where a finding's subject is written in the model (``path:line``), after its reference; none when unknown."""
        return f' · <span class="source">{source_words}: {isolated(source)}</span>' if source else ""

    env.filters["model_source"] = lambda view, subject: SafeText(source_span(view.data.source(subject)))

    def finding_item(view: ReportView, finding: Finding) -> str:
        """One finding of a zone page (``_zone.html.j2``) with its ranked risk, the decision on it and its missing
        measures: its markup, whitespace included, as the loop there wrote it."""
        data = view.data
        finding_id = _escape_text(finding.id)
        subject = finding.subject
        advisory = finding.advisory
        parts = [
            f'    <li class="finding finding-{_escape_text(finding.category)}{" advisory" if advisory else ""}" '
            f'data-finding="{finding_id}">\n'
            f'    <div class="finding-head"><code class="rule">{_escape_text(finding.rule)}</code> '
            f"<strong>{_escape_text(translate(finding.title))}</strong>",
            f' <span class="tag">{finding_words["advisory"]}</span>' if advisory else "",
            f'</div>\n    <div class="meta"><span>{finding_words["subject"]}: '
            f"{_escape_text(view.value('subject_kind', subject.kind))} "
            f"{link(view, subject.kind, subject.id)}</span> · "
            f'<span class="ref">{finding_words["reference"]}: {_escape_text(view.ref(finding.reference))}</span>'
            f"{source_span(data.source(subject))}</div>\n"
            f"    <p>{sentence(translate(finding.rationale), view.bidi_names)}</p>\n",
        ]
        if finding.impact:
            parts.append(
                f'<p class="impact"><em>{finding_words["impact"]}:</em> '
                f"{sentence(translate(finding.impact), view.bidi_names)}</p>"
            )
        risk = data.risks.get(finding.id)
        gap = data.gaps.get(finding.id)
        if risk:
            decision = data.decisions.get(finding.id)
            rank = (
                f'<a href="{_escape_text(view.risk_link(finding.id))}">#{risk.rank}</a>'
                if finding.id in view.step_risks
                else f"#{risk.rank}"
            )
            parts.append(
                f'    <p class="finding-risk" data-zone-risk="{finding_id}">{finding_words["zone_risk_line"]} {rank}: '
                f"{badge(risk.level)}"
            )
            if gap and gap.residual_level:
                parts.append(f" → {badge(gap.residual_level)}")
            if risk.interrupts_business:
                parts.append(f' <span class="tag tag-control">{finding_words["pl_interrupts"]}</span>')
            if decision:
                parts.append(f' <span class="tag">{_escape_text(view.value("decision", decision.status))}</span>')
            parts.append("</p>\n")
        if gap and gap.missing:
            title = data.measure_title
            parts.append(
                f'    <p class="finding-gap" data-zone-gap="{finding_id}"><em>{finding_words["pl_missing"]}:</em> '
                + "; ".join([_escape_text(title(m)) for m in gap.missing])
            )
            if gap.implemented or gap.partial:
                in_place = [_escape_text(title(m)) for m in gap.implemented]
                in_place += [f"{_escape_text(title(m))} ({finding_words['pl_partial']})" for m in gap.partial]
                parts.append(f" · <em>{finding_words['pl_in_place']}:</em> " + "; ".join(in_place))
            parts.append("</p>\n")
        parts.append("    </li>")
        return "".join(parts)

    # A table's rows as one piece: one filter call per table, not a loop in the template and an escape per row.
    env.filters["asset_rows"] = lambda view, assets: SafeText("\n".join([asset_row(view, a) for a in assets]))
    env.filters["finding_items"] = lambda view, findings: SafeText("\n".join([finding_item(view, f) for f in findings]))
    env.filters["conduits_table"] = conduits_table
    env.filters["requirements_table"] = requirements_table
    env.filters["level_badge"] = level_badge
    env.filters["status_tag"] = status_tag
    env.filters["axis_cells"] = axis_cells
    env.filters["anchor"] = lambda view, kind, element_id: view.anchor(kind, element_id)
    env.filters["element_name"] = lambda view, element_id: view.names.get(element_id, element_id)
    env.filters["vocabulary"] = lambda view, vocabulary, raw: view.value(vocabulary, raw)
    env.filters["guideline_ref"] = lambda view, reference: view.ref(reference)


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_policy(style: str, script: str) -> str:
    """A Content-Security-Policy that allows only the page's own inline style and script, so nothing loads from the network."""
    return f"default-src 'none'; img-src data:; style-src {_csp_hash(style)}; script-src {_csp_hash(script)}"


class _Pages:
    """The templates of the report's pages, rendered with the same style, script and policy."""

    def __init__(self, lang: str) -> None:
        self.env = template_environment(lang)
        self.style = self.env.get_template("report.css").render()
        self.script = self.env.get_template("report.js").render()
        self.policy = content_policy(self.style, self.script)

    def generate(self, template: str, view: ReportView, **context: Any) -> Iterator[str]:
        return self.env.get_template(template).generate(
            view=view, style=self.style, script=self.script, policy=self.policy, **context
        )

    def write(self, path: Path, template: str, view: ReportView, **context: Any) -> Path:
        """Write a page piece by piece (a large plant's Step 2 page holds every ranked risk)."""
        with path.open("w", encoding="utf-8") as handle:
            handle.writelines(self.generate(template, view, **context))
        return path


def render_html(view: ReportView) -> str:
    """The summary page (``report.html``) as text."""
    return "".join(_Pages(view.lang).generate("report.html.j2", view))


def render_page(view: ReportView, page: str) -> str:
    """A detail page at the top of the folder (``step-1.html`` ... ``purposes.html``) as text."""
    return "".join(_Pages(view.lang).generate(_TEMPLATES[page], view, page_name=page))


def render_zone_page(view: ReportView, zone_id: str, has_diagram: bool = False) -> str:
    """One zone's page as text (its links are relative to ``zones/``)."""
    zone_view = next(z for z in view.zones if z.zone.id == zone_id)
    page_view = view.zone_page_view()
    return "".join(
        _Pages(view.lang).generate("zone.html.j2", page_view, z=page_view.zone_detail(zone_view, has_diagram))
    )


_TEMPLATES: dict[str, str] = {
    STEP_FILES["step-1"]: "step1.html.j2",
    STEP_FILES["step-2"]: "step.html.j2",
    STEP_FILES["step-3"]: "step.html.j2",
    PURPOSES_FILE: "purposes.html.j2",
}


def write_html_report(
    loaded: LoadedModel,
    assessment: Assessment,
    out_dir: Path,
    lang: str,
    catalog: Catalog,
    data: AssessmentView | None = None,
) -> list[Path]:
    """Write ``report.html``, the diagram ``zones.svg``, the step and purpose pages and ``zones/<zone id>.html`` into ``out_dir``.

    Returns the paths written, the summary first. The diagram's caption says
    what was grouped; when the plant is drawn as a grid, each zone links to
    its own diagram (``zones/<zone id>.svg``, written by the report folder's
    zone-diagram writer) and each zone page links to it. ``data``: the
    :class:`AssessmentView` of the same assessment, catalog and language that
    the report folder's other writers use, so its lookups are built once.
    """
    model = loaded.model
    diagram_path = out_dir / DIAGRAM_FILE
    per_zone = ZONE_PAGE
    grid = plan_diagram(model).grid
    standalone = render_svg(
        model,
        assessment,
        DiagramOptions(lang=lang, zone_link=per_zone, zone_diagram_link=f"{ZONE_DIAGRAM_FOLDER}/{{id}}.svg"),
    )
    small = len(model.zones) < LARGE_ZONE_COUNT
    embedded = (
        render_svg(model, assessment, DiagramOptions(lang=lang, zone_link=per_zone, zone_diagram_link=per_zone))
        if small
        else ""
    )
    view = build_view(
        model,
        assessment,
        catalog,
        lang=lang,
        diagram_svg=embedded,
        change_title=loaded.change_title,
        data=data,
        loaded=loaded,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = _Pages(lang)
    written = [pages.write(out_dir / REPORT_FILE, "report.html.j2", view)]
    diagram_path.write_text(standalone, encoding="utf-8")
    written.append(diagram_path)
    for name, template in _TEMPLATES.items():
        written.append(pages.write(out_dir / name, template, view, page_name=name))
    folder = out_dir / ZONE_DIAGRAM_FOLDER
    folder.mkdir(exist_ok=True)
    zone_view = view.zone_page_view()
    for group in view.groups:
        details = [zone_view.zone_detail(zone, grid) for zone in group.zones]
        written.append(
            pages.write(folder / f"{group.id}.html", "group.html.j2", zone_view, group=group, details=details)
        )
    if not view.groups:
        for zone in view.zones:
            detail = zone_view.zone_detail(zone, grid)
            written.append(pages.write(folder / f"{zone.zone.id}.html", "zone.html.j2", zone_view, z=detail))
    return written


__all__ = [
    "DIAGRAM_FILE",
    "PAGE_FILES",
    "PURPOSES_FILE",
    "REPORT_FILE",
    "STEP_FILES",
    "ReportView",
    "ZoneGroup",
    "ZoneView",
    "build_view",
    "content_policy",
    "render_html",
    "render_page",
    "render_zone_page",
    "template_environment",
    "write_html_report",
    "zone_groups",
    "zone_homes",
]
