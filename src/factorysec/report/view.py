"""One view over an :class:`Assessment` that every renderer reads: lookups, zones with their findings, catalog titles, words.

The analysis works everything out; this view only indexes and arranges what the
assessment, the model and the catalog already hold, once, so that no renderer
builds its own finding → risk or finding → gap table or its own label table:

- by finding id: its risk, gap, decision and whether a decision closes it;
- by zone: the zone with its importance, assets, operations, conduits in and
  out, and the findings and requirements about it or its members
  (:class:`ZoneView`);
- catalog titles (measures, threat types, tasks, viewpoints) in the view's
  language, from the catalog the caller chose;
- the glossary's labels, value words and guideline references in the view's
  language (:mod:`factorysec.report.glossary`).

It imports no web framework: the web workspace reads the same view.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import NamedTuple

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.decisions import AppliedDecision, is_open
from factorysec.analysis.findings import Finding, Subject
from factorysec.analysis.importance import Derived
from factorysec.analysis.lifecycle.pdca import PdcaStatus
from factorysec.analysis.measures import Gap
from factorysec.analysis.requirements import SecurityRequirement
from factorysec.analysis.risk import LEVEL_RANK, Risk, RiskLevel, level_for
from factorysec.analysis.security_levels import ZoneSecurityLevel
from factorysec.analysis.vulnerabilities import VulnerabilityEntry
from factorysec.catalog import Catalog
from factorysec.model.entities import Asset, Conduit, Department, FactoryModel, Operation, Party, Zone
from factorysec.model.index import ModelIndex, index_model
from factorysec.model.loader import LoadedModel
from factorysec.model.planfiles import ScoringConfig
from factorysec.report import glossary
from factorysec.report.locations import SourceTexts

SUMMARY_CATEGORIES: tuple[str, ...] = ("zoning", "threat", "hygiene")
"""Finding categories counted on their own in the summaries; the rest are counted together."""


class ConduitView(NamedTuple):
    """A conduit seen from one of its zones: the zone at the other end and the data assets it carries.

    A named tuple rather than a frozen dataclass: a plant has one per conduit end (600k at 100k assets), and a frozen
    dataclass sets each field through ``object.__setattr__`` (about 2 of the 100k zone views' 4 CPU s)."""

    conduit: Conduit
    peer: Zone | None
    data: tuple[Asset, ...]


@dataclass(frozen=True)
class ZoneView:
    """Everything the reports show about one zone."""

    zone: Zone
    importance: Derived
    parent: Zone | None
    children: tuple[Zone, ...]
    assets: tuple[Asset, ...]
    operations: tuple[Operation, ...]
    conduits_in: tuple[Conduit, ...]
    """The conduits ending in the zone, in model order (:attr:`inbound` pairs each with its sending zone)."""
    conduits_out: tuple[Conduit, ...]
    """The conduits starting in the zone, in model order (:attr:`outbound` pairs each with its receiving zone)."""
    findings: tuple[Finding, ...]
    requirements: tuple[SecurityRequirement, ...]
    index: ModelIndex = field(repr=False, compare=False)
    """The model's lookups the conduit views are made from."""

    @property
    def inbound(self) -> tuple[ConduitView, ...]:
        """The conduits in, each with the zone it comes from and the data assets it carries; made on each call (at
        100k assets the zones' 600k conduit ends, made once for all zones, were 2 of the zone views' 4 CPU s and 50 MB,
        where the HTML pages write the rows from the conduits themselves)."""
        return _conduit_views(self.conduits_in, "from_zone", self.index)

    @property
    def outbound(self) -> tuple[ConduitView, ...]:
        """The conduits out, each with the zone it goes to and the data assets it carries; made on each call."""
        return _conduit_views(self.conduits_out, "to_zone", self.index)


class AssessmentView:
    """The assessment, its model and catalog, indexed for rendering in one language; every index is built on first use."""

    def __init__(
        self,
        assessment: Assessment,
        model: FactoryModel,
        catalog: Catalog | None,
        lang: str,
        *,
        loaded: LoadedModel | None = None,
    ) -> None:
        self.assessment = assessment
        self.model = model
        self.catalog = catalog
        self.lang = lang
        self.loaded = loaded
        """The loaded model the assessment is of, with where each element is written (:meth:`source`); None: unknown."""

    # --- lookups by finding -------------------------------------------------------------------------------------

    @cached_property
    def risks(self) -> dict[str, Risk]:
        """Finding id → its Step 2 risk."""
        return {risk.finding: risk for risk in self.assessment.risks}

    @cached_property
    def highest_level_by_rule(self) -> dict[str, RiskLevel]:
        """Rule id → the highest Step 2 (or SSVC-derived) risk level among its findings; rules with none ranked absent."""
        highest: dict[str, RiskLevel] = {}
        entries = self.vulnerability_entries
        for finding in (*self.assessment.findings, *self.assessment.lifecycle.findings):
            risk = self.risks.get(finding.id) or entries.get(finding.id)
            if risk is None:
                continue
            held = highest.get(finding.rule)
            if held is None or LEVEL_RANK[risk.level] > LEVEL_RANK[held]:
                highest[finding.rule] = risk.level
        return highest

    @cached_property
    def gaps(self) -> dict[str, Gap]:
        """Finding id → its Step 2-2 gap (measures required, in place, missing; residual level)."""
        return {gap.finding: gap for gap in self.assessment.gaps}

    @cached_property
    def decisions(self) -> dict[str, AppliedDecision]:
        """Finding id → the decision recorded on it."""
        return {decision.finding: decision for decision in self.assessment.decisions}

    @cached_property
    def requirements(self) -> dict[str, SecurityRequirement]:
        return {requirement.id: requirement for requirement in self.assessment.requirements}

    @cached_property
    def security_levels(self) -> dict[str, ZoneSecurityLevel]:
        return {level.zone: level for level in self.assessment.security_levels}

    def risk_of(self, finding_id: str) -> Risk | None:
        return self.risks.get(finding_id)

    def gap_of(self, finding_id: str) -> Gap | None:
        return self.gaps.get(finding_id)

    def decision_of(self, finding_id: str) -> AppliedDecision | None:
        return self.decisions.get(finding_id)

    def closed(self, finding_id: str) -> bool:
        """Whether a decision closes the finding (accepted, mitigated or false-positive, and not expired), as ``--fail-on`` counts it."""
        return not is_open(finding_id, self.decisions)

    @cached_property
    def _source_texts(self) -> SourceTexts | None:
        return SourceTexts(self.loaded) if self.loaded is not None else None

    def source(self, subject: Subject) -> str:
        """Where the subject's element is written in the model, for an auditor to open it: ``path:line`` or
        ``file: sheet 'x' row n``, relative to the model's folder (:class:`~factorysec.report.locations.SourceTexts`);
        ``""`` when the view was made without the loaded model."""
        texts = self._source_texts
        return texts(subject) if texts is not None else ""

    def missing_measures(self, finding: Finding) -> tuple[str, ...]:
        """The measures still to plan for a finding: its Step 2 gap's missing ones when it has a gap, else its rule's measures."""
        gap = self.gaps.get(finding.id)
        return gap.missing if gap is not None else finding.measures

    @cached_property
    def open_gaps(self) -> list[Gap]:
        """Gaps with missing measures, in ranked-risk order first, then the rest in finding order."""
        missing = [g for g in self.assessment.gaps if g.missing]
        return sorted(
            missing,
            key=lambda g: (g.finding not in self.risks, self.risks[g.finding].rank if g.finding in self.risks else 0),
        )

    # --- counts -------------------------------------------------------------------------------------------------

    @cached_property
    def category_counts(self) -> dict[str, int]:
        """Findings per category."""
        counts: dict[str, int] = defaultdict(int)
        for finding in self.assessment.findings_made():
            counts[finding.category] += 1
        pending = self.assessment.finding_count() - sum(counts.values())  # vulnerability findings not made yet
        if pending:
            counts["vulnerability"] += pending
        return dict(counts)

    def count(self, category: str) -> int:
        return self.category_counts.get(category, 0)

    @property
    def other_count(self) -> int:
        """Findings outside :data:`SUMMARY_CATEGORIES` (vulnerability findings from advisories aside: they are counted on their own)."""
        return sum(self.category_counts.values()) - sum(self.count(c) for c in (*SUMMARY_CATEGORIES, "vulnerability"))

    @property
    def risk_order(self) -> str:
        """How the ranked risks are ordered, in one line: see :func:`risk_order`."""
        return risk_order(self.assessment, self.lang)

    def risks_at(self, level: str) -> int:
        return sum(1 for risk in self.assessment.risks if risk.level == level)

    # --- the model ----------------------------------------------------------------------------------------------

    @cached_property
    def names(self) -> dict[str, str]:
        """Display name by element id (zones, assets, operations, parties, departments; conduits by name or id)."""
        named: Iterable[Zone | Asset | Operation | Party | Department] = (
            *self.model.zones,
            *self.model.assets,
            *self.model.operations,
            *self.model.parties,
            *self.model.departments,
        )
        names = {element.id: element.name for element in named}
        names.update({c.id: c.name or c.id for c in self.model.conduits})
        return names

    @cached_property
    def zone_names(self) -> dict[str, str]:
        return {zone.id: zone.name for zone in self.model.zones}

    @cached_property
    def index(self) -> ModelIndex:
        """The model's elements by id and by zone."""
        return index_model(self.model)

    @cached_property
    def zones(self) -> tuple[ZoneView, ...]:
        """Every zone in model order, with what belongs to it and the findings and requirements about it or its members."""
        index = self.index
        zones, operations, members, children = index.zones, index.operations, index.assets_in, index.sub_zones
        findings: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.assessment.findings:
            findings[finding.subject.id].append(finding)
        requirements: dict[str, list[SecurityRequirement]] = defaultdict(list)
        for requirement in self.assessment.requirements:
            requirements[requirement.subject.id].append(requirement)
            if requirement.to_zone is not None and requirement.to_zone != requirement.subject.id:
                requirements[requirement.to_zone].append(requirement)
        starting, ending, cited = _conduits_by_zone(self.model.conduits, findings.keys() | requirements.keys())
        views = []
        for zone in self.model.zones:
            zone_assets = members.get(zone.id, [])
            op_ids = dict.fromkeys([*zone.operations, *(o for a in zone_assets for o in a.operations)])
            subject_ids = [zone.id, *[a.id for a in zone_assets], *cited.get(zone.id, ())]
            views.append(
                ZoneView(
                    zone=zone,
                    importance=self.assessment.importance.zones[zone.id].overall,
                    parent=zones.get(zone.parent) if zone.parent else None,
                    children=tuple(children.get(zone.id, [])),
                    assets=tuple(zone_assets),
                    operations=tuple(operations[o] for o in op_ids if o in operations),
                    conduits_in=tuple(ending.get(zone.id, ())),
                    conduits_out=tuple(starting.get(zone.id, ())),
                    findings=tuple([f for s in subject_ids if s in findings for f in findings[s]]),
                    requirements=tuple(
                        [r for s in dict.fromkeys(subject_ids) if s in requirements for r in requirements[s]]
                    ),
                    index=index,
                )
            )
        return tuple(views)

    def zone_level(self, zone_id: str) -> str:
        """A zone's overall importance level as written (``""`` when unrated or unknown)."""
        derived = self.assessment.importance.zones.get(zone_id)
        return derived.overall.level.value if derived is not None and derived.overall.level is not None else ""

    # --- the catalog, in the view's language ----------------------------------------------------------------------

    def measure_title(self, measure_id: str) -> str:
        measure = self.catalog.measures.get(measure_id) if self.catalog is not None else None
        return measure.title.get(self.lang) if measure is not None else measure_id

    def measure_text(self, measure_id: str) -> str:
        """A measure's title with its IEC 62443-3-3 SR and NIST CSF ids."""
        measure = self.catalog.measures.get(measure_id) if self.catalog is not None else None
        if measure is None:
            return measure_id
        ids = [*measure.iec62443_sr, *measure.nist_csf]
        return f"{measure.title.get(self.lang)} ({', '.join(ids)})" if ids else measure.title.get(self.lang)

    def threat_title(self, threat_type: str | None) -> str:
        if threat_type and self.catalog is not None and threat_type in self.catalog.threat_types:
            return self.catalog.threat_types[threat_type].title.get(self.lang)
        return threat_type or ""

    def task_title(self, task: str | None) -> str:
        if task is not None and self.catalog is not None and task in self.catalog.tasks:
            return self.catalog.tasks[task].title.get(self.lang)
        return task or ""

    def viewpoint(self, viewpoint_id: str) -> str:
        """A requirement's viewpoint: its id in English (what users and rules cite), its Table 3-4 title in Japanese."""
        if self.lang == "en" or self.catalog is None:
            return viewpoint_id
        group, _, detail = viewpoint_id.partition("/")
        entry = self.catalog.viewpoints.get(group)
        for item in entry.details if entry is not None else ():
            if item.id == detail:
                return item.title.get(self.lang)
        return viewpoint_id

    # --- words ----------------------------------------------------------------------------------------------------

    def labels(self, section: str) -> Mapping[str, str]:
        """The glossary's labels of one output in the view's language."""
        return glossary.labels(section, self.lang)

    def value(self, vocabulary: str, raw: str | None) -> str:
        """The word for an enumeration value (``""`` for none); see :data:`factorysec.report.glossary.VALUES`."""
        return "" if raw is None else glossary.value(vocabulary, str(raw), self.lang)

    def ref(self, reference: str) -> str:
        """A guideline reference in the view's language."""
        return glossary.reference(reference, self.lang)

    def subject(self, kind: str, element_id: str) -> str:
        """``kind id`` of a finding's subject, the kind in the view's language."""
        return f"{self.value('subject_kind', kind)} {element_id}"

    @cached_property
    def vulnerability_entries(self) -> dict[str, VulnerabilityEntry]:
        """Vulnerability finding id → its SSVC decision and level (empty unless advisories were given)."""
        return {entry.finding: entry for entry in self.assessment.vulnerabilities}


def risk_order(assessment: Assessment, lang: str) -> str:
    """The line under a list of ranked risks saying how they are ordered, as the analysis ranked them
    (:func:`factorysec.analysis.risk.rank_risks`): level, business interruption first within a level unless the scoring
    turns that off, then score; so a lower score can rank above a higher one of the same level."""
    config = assessment.scoring or ScoringConfig()
    return glossary.labels("html", lang)["risk_order" if config.business_interruption_first else "risk_order_score"]


def earlier_digest_note(pdca: PdcaStatus, lang: str, *, sentence: bool = False) -> str:
    """What a review whose digest is of the earlier scheme means (:attr:`PdcaStatus.earlier_scheme_reviews`): it counts,
    and the digest to record at the next review; ``""`` when no review is one. As the glossary words it, to follow the
    review's line (``; review ...``); ``sentence``: a sentence of its own (``Review ... review.``)."""
    if not pdca.earlier_scheme_reviews:
        return ""
    note = glossary.labels("html", lang)["digest_earlier"].format(
        ids=", ".join(pdca.earlier_scheme_reviews), digest=pdca.digest_current
    )
    if not sentence:
        return note
    bare = note.lstrip(";。 ")
    return bare[:1].upper() + bare[1:] + "." if bare.isascii() else bare + "。"


def _conduits_by_zone(
    conduits: Iterable[Conduit], subjects: Set[str]
) -> tuple[dict[str, list[Conduit]], dict[str, list[Conduit]], dict[str, list[str]]]:
    """The conduits by the zone they start in and by the zone they end in (model order), and per zone the ids of its
    conduits that are ``subjects`` (of a finding or requirement): those starting there, then those ending there from
    another zone.

    One pass in model order: the conduits lie in memory about in that order, and at 300k conduits each pass reading
    them zone by zone instead (the zones' views did three) cost 0.5-1 CPU s in cache misses."""
    starting: dict[str, list[Conduit]] = {}
    ending: dict[str, list[Conduit]] = {}
    cited_out: dict[str, list[str]] = {}
    cited_in: dict[str, list[str]] = {}
    for conduit in conduits:
        source, target = conduit.from_zone, conduit.to_zone
        found = starting.get(source)
        if found is None:
            found = starting[source] = []
        found.append(conduit)
        found = ending.get(target)
        if found is None:
            found = ending[target] = []
        found.append(conduit)
        if conduit.id in subjects:
            cited_out.setdefault(source, []).append(conduit.id)
            if source != target:
                cited_in.setdefault(target, []).append(conduit.id)
    cited = {zone: [*ids, *cited_in.pop(zone, ())] for zone, ids in cited_out.items()}
    cited.update(cited_in)
    return starting, ending, cited


def _conduit_views(conduits: Iterable[Conduit], peer_of: str, index: ModelIndex) -> tuple[ConduitView, ...]:
    """The conduits seen from one zone: each with the zone at its other end (``peer_of``) and its data assets."""
    peer, zones, assets = attrgetter(peer_of), index.zones, index.assets
    return tuple(
        ConduitView(conduit, zones.get(peer(conduit)), tuple([assets[d] for d in conduit.data if d in assets]))
        for conduit in conduits
    )


# --- the summary's charts and the action list (issue #20 item 3): counts and lookups over what the analysis holds --------

MATRIX_SIZE = 4
"""Likelihood runs 1..4 (docs/scoring.md); impact, a weighted rank up to 4, is shown in the same four columns (rounded up)."""


@dataclass(frozen=True)
class MatrixCell:
    """One cell of the risk matrix: how many risks have this likelihood and (rounded-up) impact, and the level they reach."""

    likelihood: int
    impact: int
    count: int
    level: str
    """The highest level among its risks; for an empty cell, the level a risk there would have."""


@dataclass(frozen=True)
class Progress:
    """How much of one Step 3 item is done: ``done`` of ``total``."""

    key: str
    done: int
    total: int

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0


@dataclass(frozen=True)
class MaturityBar:
    """One maturity area (Table 3-9): the level reached as a rank out of the highest rank."""

    title: str
    level: str | None
    rank: int
    top: int


def risk_matrix(assessment: Assessment) -> tuple[tuple[MatrixCell, ...], ...]:
    """The risks counted by likelihood (rows, highest first) and impact (columns, lowest first)."""
    config = assessment.scoring or ScoringConfig()
    counts: dict[tuple[int, int], int] = defaultdict(int)
    levels: dict[tuple[int, int], str] = {}
    for risk in assessment.risks:
        cell = (min(max(risk.likelihood, 1), MATRIX_SIZE), min(max(math.ceil(risk.impact), 1), MATRIX_SIZE))
        counts[cell] += 1
        if cell not in levels or LEVEL_RANK[risk.level] > LEVEL_RANK[levels[cell]]:
            levels[cell] = risk.level
    return tuple(
        tuple(
            MatrixCell(
                likelihood,
                impact,
                counts.get((likelihood, impact), 0),
                levels.get((likelihood, impact)) or level_for(float(likelihood * impact), config),
            )
            for impact in range(1, MATRIX_SIZE + 1)
        )
        for likelihood in range(MATRIX_SIZE, 0, -1)
    )


def step3_progress(assessment: Assessment) -> tuple[Progress, ...]:
    """Checklist items answered, OODA roles filled (declared), responsibility cells assigned."""
    lifecycle = assessment.lifecycle
    entries = [entry for checklist in lifecycle.checklists.checklists for entry in checklist.entries]
    cells = [cell for matrix in lifecycle.responsibilities for cell in matrix.cells]
    return (
        Progress("checklists", sum(1 for e in entries if e.answer is not None), len(entries)),
        Progress("ooda", sum(1 for c in lifecycle.ooda if c.source == "declared"), len(lifecycle.ooda)),
        Progress("responsibility", sum(1 for c in cells if c.source != "missing"), len(cells)),
    )


def maturity_bars(view: AssessmentView) -> tuple[MaturityBar, ...]:
    """Each maturity area with the rank of the level reached (0 when unassessed) out of the catalog's highest rank."""
    levels = view.catalog.maturity_levels if view.catalog is not None else {}
    top = max((level.rank for level in levels.values()), default=0)
    bars = []
    for status in view.assessment.lifecycle.maturity:
        entry = levels.get(status.level) if status.level else None
        bars.append(MaturityBar(status.title.get(view.lang), status.level, entry.rank if entry else 0, top))
    return tuple(bars)


@dataclass(frozen=True)
class EntryRouteView:
    """A route into the factory (:class:`~factorysec.analysis.exposure.EntryRoute`) in the view's language.

    ``entries`` lists every entry point that opens the route, each as ``(id, display name)``;
    ``kinds`` are the entry kinds' words.
    """

    zone: str
    zone_name: str
    entries: tuple[tuple[str, str], ...]
    kinds: tuple[str, ...]
    reason: str
    rule: str
    reference: str


def entry_routes(view: AssessmentView) -> tuple[EntryRouteView, ...]:
    """The assessment's entry routes (issue #23 item 6), in its order, with names and words in the view's language."""
    names = view.names
    return tuple(
        EntryRouteView(
            zone=route.zone,
            zone_name=names.get(route.zone, route.zone),
            entries=tuple((entry, names.get(entry, entry)) for entry in route.entries),
            kinds=tuple(view.value("entry_kind", kind) for kind in route.kinds),
            reason=route.reason.get(view.lang),
            rule=route.rule,
            reference=view.ref(route.reference),
        )
        for route in view.assessment.entry_routes
    )


def department_name(view: AssessmentView, department: str) -> str:
    """A department of the model by its name, or a Table 1-1 department kind by its catalog title."""
    if department in view.names:
        return view.names[department]
    kinds = view.catalog.department_kinds if view.catalog is not None else {}
    kind = kinds.get(department)
    return kind.title.get(view.lang) if kind is not None else department


__all__ = [
    "AssessmentView",
    "ConduitView",
    "EntryRouteView",
    "MatrixCell",
    "MaturityBar",
    "Progress",
    "ZoneView",
    "department_name",
    "earlier_digest_note",
    "entry_routes",
    "maturity_bars",
    "risk_matrix",
    "risk_order",
    "step3_progress",
]
