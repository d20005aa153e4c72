"""``report.xlsx``: what the departments that work in spreadsheets filter and read.

The action list comes first (issue #23 item 6), then one row per finding,
risk, measure gap and requirement, and one row per element (operation,
protected object, zone, conduit) with its importance on each axis, the reasons
and its physical location (a protected object whose five axes all sit at its
overall level leaves the axis cells empty, and axes sharing a level and a reason
read as one line of its reasons); Step 3 as open checklist items grouped per item,
responsibilities, OODA roles, maturity and the PDCA review. Derived detail a
person does not filter (every answered checklist entry of every asset, every
hop of every attack path) stays in ``assessment.json``.

Each sheet is a header row and one row per item, with a frozen header and an
autofilter. A sheet is a function from the :class:`SheetInput` to a
:class:`Sheet`; adding a section means adding one function to :data:`SHEETS`.
A sheet function may return ``None`` to leave its sheet out.

The writer is XlsxWriter in constant-memory mode, chosen by measurement
(``benchmarks/README.md``): on the same rows it wrote about 1.4 times as many
cells per CPU-second as openpyxl's write-only workbook, and formats set per
column cost nothing per cell (openpyxl's per-cell named styles tripled its
time). Rows of plain values are written a row at a time (:class:`RowsWorksheet`).
"""

from __future__ import annotations

import dataclasses
import math
import re
import sys
import threading
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import xlsxwriter  # type: ignore[import-untyped]
import xlsxwriter.workbook  # type: ignore[import-untyped]
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.importance import ALL_AXES, AXES, AXIS_LABELS, Derived, all_ratings
from factorysec.analysis.lifecycle import AREA_LABELS, AREAS, ResponsibilityCell
from factorysec.catalog import Catalog
from factorysec.model.entities import Conduit, ExternalNetwork, FactoryModel, Lifecycle, PhysicalLocation
from factorysec.model.loader import LoadedModel
from factorysec.model.sheet_names import FORMULA_START, unique_titles
from factorysec.report.view import AssessmentView, earlier_digest_note, entry_routes

CJK_FONT = "Noto Sans CJK JP"
MAX_WIDTH = 60
PLAN_STATUS_VALUES: tuple[str, ...] = ("open", "in-progress", "done", "accepted")
"""The statuses a user picks for a plan row (a drop-down), as words of the glossary's ``plan_status``."""


@dataclass(frozen=True)
class SheetInput:
    """What every sheet reads: the assessment's view (model, catalog and language with it).

    The words of enumeration values are kept once looked up (:meth:`value`, :meth:`level`): the 100k workbook asks
    for them about three million times, and the glossary's lookup (vocabulary, value, language) cost about a
    microsecond each.
    """

    view: AssessmentView
    _words: dict[tuple[str, str], str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _levels: dict[Any, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _axis_labels: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

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
        if raw.__class__ is not str:  # None, or an enumeration member whose str() may not be its value: as it comes
            return self.view.value(vocabulary, raw)
        key = (vocabulary, raw)
        word = self._words.get(key)
        if word is None:
            word = self._words[key] = self.view.value(vocabulary, raw)
        return word

    def level(self, derived: Derived | None) -> str:
        if derived is None or derived.level is None:
            return ""
        level = derived.level
        word = self._levels.get(level)
        if word is None:
            word = self._levels[level] = self.view.value("level", level.value)
        return word

    def subject(self, kind: str, element_id: str) -> str:
        return self.view.subject(kind, element_id)

    def axis_labels(self) -> Mapping[str, str]:
        """Each importance axis's label in the view's language (made once: every protected object's reasons name them)."""
        if not self._axis_labels:
            self._axis_labels.update((axis, AXIS_LABELS[axis].get(self.lang)) for axis in ALL_AXES)
        return self._axis_labels

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


def _location(location: PhysicalLocation | None) -> str:
    """Site / building / area, the parts given."""
    if location is None:
        return ""
    return " / ".join(part for part in (location.site, location.building, location.area) if part)


def _hours(value: float | None) -> float | str:
    return "" if value is None else value


def _axis_levels(data: SheetInput, ratings: Mapping[str, Derived] | None) -> tuple[str, ...]:
    """The level on each value axis (S, Q, D, C, BC)."""
    return tuple(data.level(ratings.get(axis)) if ratings is not None else "" for axis in AXES)


def _axis_reasons(data: SheetInput, ratings: Mapping[str, Derived]) -> str:
    """Each rated axis with its level and why, one per line (Steps 1-3, 1-5)."""
    lines = []
    for axis in ALL_AXES:
        rating = ratings.get(axis)
        if rating is None or rating.level is None:
            continue
        lines.append(f"{AXIS_LABELS[axis].get(data.lang)}: {data.level(rating)} — {rating.reason.get(data.lang)}")
    return "\n".join(lines)


def _axis_levels_unless_overall(
    data: SheetInput, ratings: Mapping[str, Derived] | None, overall: str
) -> tuple[str, ...]:
    """The five axis levels, or five empty cells when every one equals the overall level (the overall cell says it)."""
    levels = _axis_levels(data, ratings)
    return ("",) * len(levels) if overall and all(level == overall for level in levels) else levels


def _grouped_axis_reasons(data: SheetInput, ratings: Mapping[str, Derived]) -> str:
    """As :func:`_axis_reasons`, the axes that share a level and a reason on one line ("safety (S), quality (Q): high — ...")."""
    groups: dict[tuple[str, str], list[str]] = {}
    lang, level, labels = data.lang, data.level, data.axis_labels()
    for axis in ALL_AXES:
        rating = ratings.get(axis)
        if rating is None or rating.level is None:
            continue
        groups.setdefault((level(rating), rating.reason.get(lang)), []).append(labels[axis])
    return "\n".join(f"{', '.join(axes)}: {level} — {reason}" for (level, reason), axes in groups.items())


LISTED_IN_CELL = 100
"""Ids listed in one cell of the action list (an action on a large plant resolves thousands; Excel holds 32,767 characters a cell)."""


def _first(items: tuple[str, ...] | list[str]) -> str:
    """The first :data:`LISTED_IN_CELL` items, joined, with an ellipsis when there are more."""
    return _joined(items[:LISTED_IN_CELL]) + (" …" if len(items) > LISTED_IN_CELL else "")


def _department(view: AssessmentView, department: str) -> str:
    """A department the action names: the model's department by name, else the Table 1-1 kind's title."""
    if department in view.names:
        return view.names[department]
    kinds = view.catalog.department_kinds if view.catalog is not None else {}
    return kinds[department].title.get(view.lang) if department in kinds else department


def actions_sheet(data: SheetInput) -> Sheet:
    """The short action list first (issue #23 item 6): what to do, what it resolves, who owns it, what it lowers."""
    view = data.view
    rows = [
        (
            action.rank,
            view.measure_title(action.measure),
            data.value("level", action.level),
            action.summary.get(data.lang),
            _joined(_department(view, d) for d in action.departments),
            _first(action.zones),
            len(action.findings),
            _first(action.findings),
            len(action.requirements),
            len(action.checklist_items),
            _first(
                [
                    f"{removed.finding}: {data.value('level', removed.before)} → {data.value('level', removed.after)}"
                    for removed in action.removes[: LISTED_IN_CELL + 1]
                ]
            ),
            action.measure,
            data.view.ref(action.reference),
        )
        for action in data.assessment.actions
    ]
    keys = (
        "rank",
        "action",
        "risk",
        "summary_col",
        "departments",
        "zone_list",
        "finding_count",
        "findings",
        "requirement_count",
        "checklist_count",
        "lowers",
        "measure",
        "reference",
    )
    return Sheet(data.label("actions"), tuple(data.label(k) for k in keys), rows)


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
                *_axis_levels(data, derived.ratings if derived else None),
                data.yes_no(derived.single) if derived else "",
                _axis_reasons(data, all_ratings(derived)) if derived else "",
            )
        )
    keys = ("id", "name", "task", "sourcing", "status", "declared", "importance")
    headers = (
        *(data.label(k) for k in keys),
        "S",
        "Q",
        "D",
        "C",
        "BC",
        data.label("single"),
        data.label("axis_reasons"),
    )
    return Sheet(data.label("operations"), headers, rows)


def assets_sheet(data: SheetInput) -> Sheet:
    rows = []
    rated_cells: dict[tuple[int, int, str], tuple[object, object, tuple[str, ...], str]] = {}
    """The cells made from an asset's ratings, by the identity of its ratings mappings and its overall level: assets
    rated alike share their mappings (4 pairs for the 10k plant's 10,000 assets), so each is worked out once. The
    mappings are kept in the value so that their ids stay theirs."""
    for asset in data.model.assets:
        derived = data.assessment.importance.assets.get(asset.id)
        overall = data.level(derived.overall if derived else None)
        if derived is None:
            levels, reasons = _axis_levels_unless_overall(data, None, overall), ""
        else:
            key = (id(derived.ratings), id(derived.data_ratings) if derived.data_ratings else 0, overall)
            kept = rated_cells.get(key)
            if kept is None:
                kept = rated_cells[key] = (
                    derived.ratings,
                    derived.data_ratings,
                    _axis_levels_unless_overall(data, derived.ratings, overall),
                    _grouped_axis_reasons(data, all_ratings(derived)),
                )
            levels, reasons = kept[2], kept[3]
        rows.append(
            (
                asset.id,
                asset.name,
                data.value("asset_type", asset.type.value),
                asset.component or "",
                asset.zone or "",
                _location(asset.location),
                _hours(asset.recovery_target_hours),
                *levels,
                overall,
                reasons,
            )
        )
    headers = (
        data.label("id"),
        data.label("name"),
        data.label("type"),
        data.label("component"),
        data.label("zone"),
        data.label("location"),
        data.label("recovery_hours"),
        "S",
        "Q",
        "D",
        "C",
        "BC",
        data.label("overall"),
        data.label("axis_reasons"),
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
                _location(zone.location),
                _hours(zone.recovery_target_hours),
                data.level(overall),
                *_axis_levels(data, derived.ratings if derived else None),
                overall.reason.get(data.lang) if overall else "",
                _axis_reasons(data, all_ratings(derived)) if derived else "",
            )
        )
    keys = ("id", "name", "kind", "managed_by", "status", "location", "recovery_hours", "importance")
    headers = (
        *(data.label(k) for k in keys),
        "S",
        "Q",
        "D",
        "C",
        "BC",
        data.label("reason"),
        data.label("axis_reasons"),
    )
    return Sheet(data.label("zones"), headers, rows)


def _plain_within_zone(conduit: Conduit) -> bool:
    """A data flow inside one zone that says nothing a person filters for: no control instructions, no external network, no controls, existing."""
    return (
        conduit.from_zone == conduit.to_zone
        and not conduit.carries_control_instructions
        and conduit.external_network is ExternalNetwork.NONE
        and not conduit.controls
        and conduit.status is Lifecycle.EXISTING
    )


def conduits_sheet(data: SheetInput) -> Sheet:
    """Step 1-7: a row per conduit between zones and per conduit inside a zone that carries control instructions, crosses
    an external network, has controls or is new or changed; the other flows inside a zone are one row per zone, their ids
    in the first cell. A value that is the model's default (one-way, no control instructions, no external network,
    existing) leaves its cell empty, so that the rows a person filters for stand out."""
    rows: list[tuple[Any, ...]] = []
    plain: dict[str, list[str]] = {}
    for c in data.model.conduits:
        if _plain_within_zone(c):
            plain.setdefault(c.from_zone, []).append(c.id)
            continue
        rows.append(
            (
                c.id,
                c.from_zone,
                c.to_zone,
                data.value("direction", c.direction) if c.direction != "one-way" else "",
                data.label("yes") if c.carries_control_instructions else "",
                _joined(c.protocols),
                data.value("external_network", c.external_network.value)
                if c.external_network is not ExternalNetwork.NONE
                else "",
                _joined(c.controls),
                data.value("status", c.status.value) if c.status is not Lifecycle.EXISTING else "",
            )
        )
    for zone_id, ids in plain.items():
        flows = data.label("plain_flows").format(n=len(ids))
        rows.append((f"{flows}: {_first(ids)}", zone_id, zone_id, "", "", "", "", "", ""))
    keys = ("id", "from", "to", "direction", "control", "protocols", "external", "controls", "status")
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
            data.label("yes") if r.new else "",
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


def findings_sheet(data: SheetInput) -> Sheet:
    """Every finding, Step 1 then Step 3, with its risk level and the decision on it; owner, due and note are the user's."""
    view = data.view
    rows = [
        (
            f.id,
            f.rule,
            data.value("category", f.category),
            data.subject(f.subject.kind, f.subject.id),
            view.threat_title(f.threat_type),
            _risk_level(data, f.id),
            data.decided(f.id),
            f.title.get(data.lang),
            f.rationale.get(data.lang),
            data.measure_titles(view.missing_measures(f)),
            view.ref(f.reference),
            view.source(f.subject),
            "",
            "",
            "",
        )
        for f in (*data.assessment.findings, *data.assessment.lifecycle.findings)
    ]
    keys = (
        "finding",
        "rule",
        "category",
        "subject",
        "threat_type",
        "risk",
        "status",
        "title",
        "rationale",
        "measures",
        "reference",
        "model_source",
        "owner",
        "due",
        "note",
    )
    return Sheet(
        data.label("findings"), tuple(data.label(k) for k in keys), rows, {data.label("status"): data.plan_statuses()}
    )


def gaps_sheet(data: SheetInput) -> Sheet:
    """Step 2-2: per finding, the measures required, in place, partial, planned and missing, and the residual level."""
    rows = [
        (
            gap.finding,
            data.subject(gap.subject.kind, gap.subject.id),
            data.measure_titles(gap.required),
            data.measure_titles(gap.implemented),
            data.measure_titles(gap.partial),
            data.measure_titles(gap.planned),
            data.measure_titles(gap.missing),
            data.value("level", gap.level),
            data.value("level", gap.residual_level),
        )
        for gap in data.view.open_gaps
    ]
    keys = ("finding", "subject", "required", "implemented", "partial", "planned", "missing", "risk", "residual")
    return Sheet(data.label("gaps"), tuple(data.label(k) for k in keys), rows)


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


def purposes_sheet(data: SheetInput) -> Sheet | None:
    """Per purpose of smartification (Table 3-1): the operations, zones and data flows it brings and the measures they call for."""
    if not data.assessment.purposes:
        return None
    rows = [
        (
            p.purpose,
            p.title.get(data.lang),
            data.yes_no(p.declared),
            _joined(p.operations),
            len(p.assets),
            _joined(p.zones),
            len(p.conduits),
            len(p.findings),
            data.measure_titles(p.measures),
            data.view.ref(p.reference),
        )
        for p in data.assessment.purposes
    ]
    keys = (
        "purpose",
        "title",
        "declared_purpose",
        "operations_col",
        "asset_count",
        "zone_list",
        "conduit_count",
        "finding_total",
        "measures",
        "reference",
    )
    return Sheet(data.label("purposes_sheet"), tuple(data.label(k) for k in keys), rows)


def paths_sheet(data: SheetInput) -> Sheet:
    """Attack paths to high-importance zones, one row per path, its route in one cell."""
    rows = [
        (
            path.target,
            data.label(path.kind),
            path.entry,
            path.entry_zone,
            len(path.hops),
            path.control_weight,
            " → ".join([path.entry_zone, *(f"[{hop.conduit}] {hop.to_zone}" for hop in path.hops)]),
        )
        for path in data.assessment.paths
    ]
    keys = ("target", "path_kind", "entry", "entry_zone", "hop", "control_weight", "route")
    return Sheet(data.label("paths"), tuple(data.label(k) for k in keys), rows)


def entry_routes_sheet(data: SheetInput) -> Sheet:
    """Step 2-1: the routes the entry points open (issue #23 item 6), one row per route, its entry points in one cell."""
    rows = [
        (
            route.zone,
            route.zone_name,
            len(route.entries),
            _first([f"{name} ({entry_id})" if name != entry_id else entry_id for entry_id, name in route.entries]),
            _joined(route.kinds),
            route.reason,
            route.rule,
            route.reference,
        )
        for route in entry_routes(data.view)
    ]
    keys = ("er_zone", "name", "er_count", "er_entries", "er_kinds", "reason", "rule", "reference")
    return Sheet(data.label("er_sheet"), tuple(data.label(k) for k in keys), rows)


ASSETS_LISTED = 30
"""Assets named in a grouped checklist row; the count says how many there are."""


def open_items_sheet(data: SheetInput) -> Sheet:
    """Open Step 3 checklist items (Tables 3-10 to 3-12), one row per item and checklist, with the assets it is open on (most important first)."""
    grouped: dict[tuple[str, str, str], list[Any]] = {}
    for item in data.assessment.lifecycle.checklists.open_items:
        key = (item.kind, item.stage, item.item)
        entry = grouped.get(key)
        if entry is None:
            grouped[key] = [item, 1, [item.asset]]
            continue
        entry[1] += 1
        if len(entry[2]) < ASSETS_LISTED:
            entry[2].append(item.asset)
    rows = [
        (
            first.rank,
            data.value("checklist_kind", first.kind),
            data.value("checklist_stage", first.stage),
            first.item,
            first.title.get(data.lang),
            count,
            data.value("level", first.importance.value if first.importance else None),
            _joined(assets) + (" …" if count > len(assets) else ""),
        )
        for first, count, assets in grouped.values()
    ]
    keys = ("rank", "checklist", "stage", "id", "item", "asset_count", "importance", "open_on")
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
        *(
            [(data.label("digest_earlier_row"), earlier_digest_note(p, data.lang, sentence=True))]
            if p.earlier_scheme_reviews
            else []
        ),
        (data.label("changed"), changed),
        (data.label("changed_elements"), _joined(p.changed_elements)),
        (data.label("change_reviewed"), data.yes_no(p.change_reviewed)),
    ]
    return Sheet(data.label("pdca"), (data.label("item"), data.label("value")), rows)


SHEETS: list[Callable[[SheetInput], Sheet | None]] = [
    actions_sheet,
    summary_sheet,
    ranked_risks_sheet,
    findings_sheet,
    gaps_sheet,
    requirements_sheet,
    operations_sheet,
    assets_sheet,
    zones_sheet,
    conduits_sheet,
    purposes_sheet,
    policies_sheet,
    entry_routes_sheet,
    paths_sheet,
    open_items_sheet,
    responsibilities_sheet,
    ooda_sheet,
    maturity_sheet,
    pdca_sheet,
]
"""The report's sheets, in order: the actions first."""


EMPTY_ROWS: dict[str, str] = {
    "actions": "empty_actions",
    "ranked": "empty_ranked",
    "findings": "empty_findings",
    "gaps": "empty_gaps",
    "requirements": "empty_requirements",
    "operations": "empty_operations",
    "assets": "empty_assets",
    "zones": "empty_zones",
    "conduits": "empty_conduits",
    "policies": "empty_policies",
    "er_sheet": "empty_entry_routes",
    "paths": "empty_paths",
    "open_items": "empty_open_items",
    "responsibilities": "empty_responsibilities",
}
"""A sheet's title label → the label of the one row it shows when it has nothing to list, saying why (a sheet not
named here says 'Nothing to list.')."""


def _with_empty_row(data: SheetInput, spec: Sheet) -> Sheet:
    """The sheet, or, when it has no row, the sheet with one row saying there is nothing to list and why, in the
    workbook's language: a sheet of headers alone read as a sheet the writer failed to fill."""
    if spec.rows:
        return spec
    reasons = {data.label(title): data.label(reason) for title, reason in EMPTY_ROWS.items()}
    return dataclasses.replace(spec, rows=[(reasons.get(spec.title, data.label("empty")),)])


WIDTH_SAMPLE = 200
"""Rows a column's width is worked out from."""


_NEEDS_LIBRARY = re.compile(r"\A\s|\s\Z|_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
"""What XlsxWriter writes specially in an inline string: leading or trailing white space (``xml:space``), control
characters and text that reads as their ``_xHHHH_`` escape. A row holding one is written cell by cell by XlsxWriter."""


def _needs_library(texts: list[str]) -> bool:
    """Whether any of a row's ``texts`` holds what :data:`_NEEDS_LIBRARY` finds, mostly without the search.

    The search costs about 5 µs a cell (it tries four alternatives at every character). When the row's texts put
    together are printable (no control character, no U+FFFE/U+FFFF, and no white space but the plain space) and
    hold no ``_x``, only a space at either end of a text remains to look for; ``str.isprintable`` and ``in`` are
    single passes in C.
    """
    together = "".join(texts)
    if together.isprintable() and "_x" not in together:
        return any(text[0] == " " or text[-1] == " " for text in texts)
    search = _NEEDS_LIBRARY.search
    return any(search(text) for text in texts)


ROWS_PER_WRITE = 512
"""Rows of cell XML gathered before one write to the sheet's temporary file (a write per row cost more than the XML)."""


class RowsWorksheet(Worksheet):  # type: ignore[misc]
    """An XlsxWriter worksheet (constant-memory mode) that writes rows of plain values in one piece.

    XlsxWriter spends about 17 µs on each cell: the checks of ``write_string``, a cell record, then the cell's XML
    built from attribute lists and escaped by four regular-expression passes. Most cells of the report are short
    plain text in a column with a format: their XML is the same every time but for the text. :meth:`write_rows`
    makes it once per column, escapes each text with three ``str.replace``, checks a row's texts together
    (:func:`_needs_library`) and writes a few hundred rows at once; a row with anything XlsxWriter writes specially (:data:`_NEEDS_LIBRARY`,
    a text past half of Excel's 32,767 characters, a value neither text nor finite number, a row past Excel's last)
    goes through XlsxWriter's own ``write_string`` and ``write_number``, as does every row of a sheet whose rows
    carry anything of their own (a height, a format, comments). The XML is XlsxWriter's byte for byte
    (``tests/report/test_xlsx.py`` compares both ways on awkward values). Added with XlsxWriter's
    ``worksheet_class`` hook.
    """

    quoted_format: Any = None
    """The format of a text Excel would read as a formula once its cell is edited (``=``, ``+``, ``-``, ``@``,
    :data:`~factorysec.model.sheet_names.FORMULA_START`): the body's with the quote prefix, so that the text stays
    text; None: such a text carries its column's format, as any other."""

    def write_rows(self, first_row: int, rows: Sequence[Sequence[Any]]) -> None:
        """Write ``rows`` from ``first_row`` down, in order, after any row written before; empty text and ``None``
        leave the cell empty, numbers (not ``bool``) are numbers, anything else is text."""
        if not self.constant_memory:
            raise ValueError("RowsWorksheet writes rows straight out: open the workbook with constant_memory")
        self._write_single_row(first_row)  # the rows before first: a format's index is given when first written out
        if self.row_info or self.comments or self.excel_version == 2010:
            plain_rows = False  # XlsxWriter's <row> would carry attributes: every row its way
        else:
            plain_rows = self.default_row_height == self.original_row_height
        width = max((len(values) for values in rows), default=0)
        text_cells, number_cells = [], []
        for col in range(width):
            info = self.col_info.get(col)
            column_format = info.column_format if info is not None else None
            style = f' s="{column_format._get_xf_index()}"' if column_format is not None else ""
            text_cells.append((f'<c r="{xl_col_to_name(col)}', f'"{style} t="inlineStr"><is><t>'))
            number_cells.append((f'<c r="{xl_col_to_name(col)}', f'"{style}><v>'))
        quoted_cells: list[tuple[str, str]] | None = None
        if self.quoted_format is not None:
            quoted = f' s="{self.quoted_format._get_xf_index()}" t="inlineStr"><is><t>'
            quoted_cells = [(f'<c r="{xl_col_to_name(col)}', f'"{quoted}') for col in range(width)]
        plain_limit = self.xls_strmax // 2
        pending: list[str] = []
        batch_first = -1
        col_min = col_max = -1

        def flush(last: int) -> None:
            """Write the gathered rows out and note what XlsxWriter would have noted writing them (dimensions, the current row)."""
            nonlocal batch_first, col_min, col_max
            if batch_first < 0:
                return
            if col_min >= 0:
                self._check_dimensions(batch_first, col_min)
                self._check_dimensions(last, col_max)
            self.previous_row = last
            self.fh.write("".join(pending))
            pending.clear()
            batch_first = col_min = col_max = -1

        last_row = first_row - 1
        for row, values in enumerate(rows, start=first_row):
            number = row + 1
            if plain_rows and number <= self.xls_rowmax:
                if batch_first < 0:  # a row XlsxWriter holds (written its way) goes out before this batch
                    self._write_single_row(row)
                mark = len(pending)
                pending.append(f'<row r="{number}">')
                texts: list[str] = []
                first = last = -1
                for col, value in enumerate(values):
                    kind = value.__class__
                    if kind is str:
                        if not value:
                            continue
                        if len(value) > plain_limit:
                            break
                        texts.append(value)
                        start, middle = (
                            quoted_cells[col]
                            if quoted_cells is not None and value[0] in FORMULA_START
                            else text_cells[col]
                        )
                        text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                        pending.append(f"{start}{number}{middle}{text}</t></is></c>")
                    elif kind is int or (kind is float and math.isfinite(value)):
                        start, middle = number_cells[col]
                        pending.append(f"{start}{number}{middle}{value:.16G}</v></c>")
                    elif value is None:
                        continue
                    else:
                        break
                    if first < 0:
                        first = col
                    last = col
                else:
                    if not texts or not _needs_library(texts):
                        if first < 0:
                            del pending[mark:]  # nothing to write; the row still becomes the current one
                        else:
                            pending.append("</row>")
                            col_min = first if col_min < 0 else min(col_min, first)
                            col_max = max(col_max, last)
                        if batch_first < 0:
                            batch_first = row
                        last_row = row
                        if len(pending) > ROWS_PER_WRITE * 8:
                            flush(row)
                        continue
                del pending[mark:]
            flush(last_row)
            _write_cells(self, row, values)
            last_row = row
        flush(last_row)


def _write_cells(sheet: Worksheet, row: int, values: Sequence[Any]) -> None:
    """One row cell by cell through XlsxWriter: text is always written as text (a value starting with ``=`` stays a
    string, in the sheet's quoted format if it has one); numbers as numbers; empty values leave the cell empty."""
    write_string, write_number = sheet.write_string, sheet.write_number
    quoted = getattr(sheet, "quoted_format", None)
    for col, value in enumerate(values):
        kind = value.__class__
        if kind is str:
            if value:
                write_string(row, col, value, quoted if quoted is not None and value[0] in FORMULA_START else None)
        elif kind is int or kind is float:
            write_number(row, col, value)
        elif value is not None:
            write_string(row, col, str(value))


def _write_sheet(
    workbook: xlsxwriter.Workbook,
    sheet: RowsWorksheet,
    spec: Sheet,
    formats: dict[str, Any],
    more: Iterable[Sequence[Sequence[Any]]] = (),
    row_count: int | None = None,
) -> None:
    """Write one sheet: layout, header, then the rows in order (constant-memory mode flushes each row as the next starts).

    Text is always written as text (a value starting with ``=`` stays a
    string); numbers as numbers; empty values leave the cell empty. ``more``:
    the rows after ``spec.rows``, in parts, ``row_count`` rows in all (the
    workbook written in a process of its own, :func:`write_sheets`); the
    column widths are worked out from ``spec.rows``' first rows.
    """
    widths = [len(h) for h in spec.headers]
    for values in spec.rows[:WIDTH_SAMPLE]:
        for col, value in enumerate(values):
            if isinstance(value, str):
                widths[col] = max(widths[col], min(MAX_WIDTH, max(map(len, value.split("\n")))))
    body = formats["body"]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, max(8, min(MAX_WIDTH, width + 2)), body)
    last_row = max(1, len(spec.rows) if row_count is None else row_count)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, last_row, len(spec.headers) - 1)
    for header, choices in (spec.choices or {}).items():
        col = spec.headers.index(header)
        sheet.data_validation(1, col, last_row, col, {"validate": "list", "source": list(choices)})
    header_format = formats["header"]
    for col, header in enumerate(spec.headers):
        sheet.write_string(0, col, header, header_format)
    sheet.quoted_format = formats["quoted"]
    sheet.write_rows(1, spec.rows)
    next_row = 1 + len(spec.rows)
    for part in more:
        sheet.write_rows(next_row, part)
        next_row += len(part)


ZIP_LEVEL = 3
"""Deflate level of the workbook's zip: XlsxWriter leaves zlib's default (6), which spent about 3.3 of the 100k
workbook's 20 CPU seconds compressing its 272 MB of sheet XML; level 3 takes about a third of that for a file about
a fifth larger (19.6 -> 23.2 MB). The parts inside are the same bytes whatever the level."""
_ZIP_SWAP = threading.Lock()


class _LeveledZipFile(zipfile.ZipFile):
    """XlsxWriter's zip, deflated at :data:`ZIP_LEVEL`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compresslevel", ZIP_LEVEL)
        super().__init__(*args, **kwargs)


class LeveledWorkbook(xlsxwriter.Workbook):  # type: ignore[misc]
    """An XlsxWriter workbook whose zip is deflated at :data:`ZIP_LEVEL`.

    XlsxWriter has no option for the level: it opens ``zipfile.ZipFile`` by its module's name while the workbook
    is stored (``close``), so that name stands for :class:`_LeveledZipFile` during the store (under a lock: two
    workbooks stored at once on two threads each get the leveled zip, never the stock one half way).
    """

    def _store_workbook(self) -> None:
        with _ZIP_SWAP:
            stock = xlsxwriter.workbook.ZipFile
            xlsxwriter.workbook.ZipFile = _LeveledZipFile
            try:
                super()._store_workbook()
            finally:
                xlsxwriter.workbook.ZipFile = stock


def write_report_workbook(view: AssessmentView, path: Path) -> None:
    """Write ``report.xlsx`` for an :class:`AssessmentView` to ``path``: in this process, or, for a workbook of more
    than :data:`SEPARATE_ROWS` rows on a machine of two cores or more, in a process of its own (:func:`_write_apart`)."""
    data = SheetInput(view)
    specs = [_with_empty_row(data, spec) for spec in (build(data) for build in SHEETS) if spec is not None]
    titles = unique_titles(spec.title for spec in specs)
    named = [(titles[spec.title], spec) for spec in specs]
    if sum(len(spec.rows) for spec in specs) > SEPARATE_ROWS and _cores() > 1 and sys.executable:
        _write_apart(named, view.lang, path)
    else:
        write_sheets(path, view.lang, ((title, spec, (), None) for title, spec in named))


SheetParts = tuple[str, Sheet, Iterable[Sequence[Sequence[Any]]], int | None]
"""A sheet to write: its unique title, its spec (with its first rows), its further rows in parts and its row count
(None: the spec's rows are all)."""


def write_sheets(path: Path, lang: str, sheets: Iterable[SheetParts]) -> None:
    """Write a workbook of ``sheets`` to ``path``, in ``lang``'s font."""
    font = {"font_name": CJK_FONT} if lang == "ja" else {}
    workbook = LeveledWorkbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    try:
        formats = {
            "body": workbook.add_format({**font, "text_wrap": True, "valign": "top"}),
            "quoted": workbook.add_format({**font, "text_wrap": True, "valign": "top", "quote_prefix": True}),
            "header": workbook.add_format({**font, "bold": True}),
        }
        for title, spec, more, row_count in sheets:
            _write_sheet(
                workbook,
                workbook.add_worksheet(title, worksheet_class=RowsWorksheet),
                spec,
                formats,
                more,
                row_count,
            )
    finally:
        workbook.close()


SEPARATE_ROWS = 200_000
"""Rows of a workbook above which it is written in a process of its own (the 100k-asset plant has about 600k, the 10k
one about 60k). Making the rows stays here; writing their XML and deflating it (about 6 of the 100k workbook's 9.5
CPU s) moves to a core this process leaves idle: at that size ``report`` writes in one process (memory, see
:func:`factorysec.report.bundle.parallel_jobs`), where every Python writer shares one interpreter lock. The new
process is started afresh, not forked: it shares no page with this one, and its memory stays small (the rows reach it
:data:`PART_ROWS` at a time)."""
PART_ROWS = 20_000
"""Rows pickled at a time for the workbook's own process (the first part of a sheet at least :data:`WIDTH_SAMPLE`: it
sets the column widths)."""


def _cores() -> int:
    from factorysec.report.bundle import usable_cpus

    return usable_cpus()


def _write_apart(named: list[tuple[str, Sheet]], lang: str, path: Path) -> None:
    """Hand the sheets' rows to ``python -m factorysec.report.xlsx_process`` through a pipe, :data:`PART_ROWS` at a
    time, and wait for it to write ``path``; its error, if it fails, is raised here as an :class:`OutputError`."""
    import pickle

    from factorysec.outputs import OutputError
    from factorysec.report.writer_process import run_module

    def feed(pipe: IO[bytes]) -> None:
        for title, spec in named:
            rows = spec.rows
            first = max(PART_ROWS, WIDTH_SAMPLE)  # the column widths are worked out from the first part
            head = Sheet(spec.title, spec.headers, rows[:first], spec.choices)
            pickle.dump((title, head, len(rows)), pipe, pickle.HIGHEST_PROTOCOL)
            for start in range(first, len(rows), PART_ROWS):
                pickle.dump(rows[start : start + PART_ROWS], pipe, pickle.HIGHEST_PROTOCOL)

    status, message = run_module("factorysec.report.xlsx_process", [str(path), lang], feed)
    if status != 0:
        raise OutputError(f"report.xlsx could not be written: {message}")


def write_report_xlsx(
    assessment: Assessment,
    model: FactoryModel,
    catalog: Catalog,
    path: Path,
    lang: str = "en",
    *,
    loaded: LoadedModel | None = None,
) -> None:
    """Write ``report.xlsx``; ``loaded``: the loaded model, for the findings' model source (left empty without it)."""
    write_report_workbook(AssessmentView(assessment, model, catalog, lang, loaded=loaded), path)


__all__ = [
    "SHEETS",
    "ZIP_LEVEL",
    "LeveledWorkbook",
    "RowsWorksheet",
    "Sheet",
    "SheetInput",
    "write_report_workbook",
    "write_sheets",
    "write_report_xlsx",
]
