"""Read the catalog data files, validate them and build a :class:`Catalog`.

All problems found in one load are collected and raised together as one
:class:`CatalogError`, each line naming the data file and the entry id, so a
maintainer fixes a broken catalog in one pass.

Every command loads the catalog, so its files are read like model files
(:func:`factorysec.yamlio.parse_yaml_text`: YAML 1.2 through
``yaml_rs``, libyaml's walker for anything unusual), ten times faster than
PyYAML's pure-Python loader. Every catalog value reads the same under YAML 1.1
and 1.2 (checked by ``tests/catalog/test_data.py``); quote a new value that
YAML 1.1 would read as something else (``yes``, ``0755``, a date).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from factorysec.catalog.models import (
    AudienceGroup,
    BcpViewpoint,
    BcpViewpointGroup,
    ChecklistItem,
    ChecklistKindEntry,
    ChecklistNote,
    ChecklistStageEntry,
    Component,
    DepartmentKind,
    IncidentImpactViewpoint,
    MaturityArea,
    MaturityCell,
    MaturityDefinition,
    MaturityLevel,
    Measure,
    ObjectType,
    OodaPhase,
    OodaRole,
    OodaStage,
    PartyKind,
    Purpose,
    RequirementKind,
    RiskArea,
    RiskMatter,
    Standard,
    Step,
    Task,
    ThreatExample,
    ThreatType,
    UnexpectedEventPractice,
    Viewpoint,
)
from factorysec.yamlio import YamlReadError, parse_yaml_text

M = TypeVar("M", bound=BaseModel)

MISSING_SHOWN = 5
"""Missing catalog files named in the one line that refuses a folder lacking some (the rest are counted)."""

REPORTING_DEPARTMENT = "reporting-department"
"""OODA lead meaning "whichever department the report concerns" (Table 3-8, Orient)."""


class CatalogError(Exception):
    """The catalog data is broken; ``problems`` holds one line per problem."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("invalid guideline catalog:\n  " + "\n  ".join(self.problems))


@dataclass(frozen=True)
class _Section(Generic[M]):
    """Where a section lives: its file, its top-level key and its entry model."""

    file: str
    key: str
    attr: str
    model: type[M]


SECTIONS: tuple[_Section[Any], ...] = (
    _Section("steps.yaml", "steps", "steps", Step),
    _Section("purposes.yaml", "purposes", "purposes", Purpose),
    _Section("tasks.yaml", "tasks", "tasks", Task),
    _Section("object_types.yaml", "object_types", "object_types", ObjectType),
    _Section("threat_types.yaml", "threat_types", "threat_types", ThreatType),
    _Section("risk_matters.yaml", "areas", "risk_areas", RiskArea),
    _Section("risk_matters.yaml", "matters", "risk_matters", RiskMatter),
    _Section("viewpoints.yaml", "viewpoints", "viewpoints", Viewpoint),
    _Section("bcp_viewpoints.yaml", "groups", "bcp_viewpoint_groups", BcpViewpointGroup),
    _Section("bcp_viewpoints.yaml", "viewpoints", "bcp_viewpoints", BcpViewpoint),
    _Section("stakeholders.yaml", "groups", "audience_groups", AudienceGroup),
    _Section("stakeholders.yaml", "department_kinds", "department_kinds", DepartmentKind),
    _Section("stakeholders.yaml", "party_kinds", "party_kinds", PartyKind),
    _Section(
        "stakeholders.yaml",
        "incident_impact_viewpoints",
        "incident_impact_viewpoints",
        IncidentImpactViewpoint,
    ),
    _Section("requirements.yaml", "requirement_kinds", "requirement_kinds", RequirementKind),
    _Section("requirements.yaml", "standards", "standards", Standard),
    _Section("governance.yaml", "unexpected_event_practices", "unexpected_event_practices", UnexpectedEventPractice),
    _Section("measures.yaml", "measures", "measures", Measure),
    _Section("measures.yaml", "table_3_6", "table_3_6", ThreatExample),
    _Section("checklists.yaml", "kinds", "checklist_kinds", ChecklistKindEntry),
    _Section("checklists.yaml", "stages", "checklist_stages", ChecklistStageEntry),
    _Section("checklists.yaml", "items", "checklist_items", ChecklistItem),
    _Section("checklists.yaml", "notes", "checklist_notes", ChecklistNote),
    _Section("ooda.yaml", "stages", "ooda_stages", OodaStage),
    _Section("ooda.yaml", "phases", "ooda_phases", OodaPhase),
    _Section("ooda.yaml", "roles", "ooda", OodaRole),
    _Section("maturity.yaml", "areas", "maturity_areas", MaturityArea),
    _Section("maturity.yaml", "levels", "maturity_levels", MaturityLevel),
    _Section("maturity.yaml", "cells", "maturity", MaturityCell),
    _Section("maturity.yaml", "definitions", "maturity_definitions", MaturityDefinition),
)


@dataclass(frozen=True)
class Catalog:
    """The guideline's knowledge, one read-only mapping id -> entry per section, in file order."""

    steps: Mapping[str, Step]
    purposes: Mapping[str, Purpose]
    tasks: Mapping[str, Task]
    object_types: Mapping[str, ObjectType]
    components: Mapping[str, Component]
    threat_types: Mapping[str, ThreatType]
    risk_areas: Mapping[str, RiskArea]
    risk_matters: Mapping[str, RiskMatter]
    viewpoints: Mapping[str, Viewpoint]
    bcp_viewpoint_groups: Mapping[str, BcpViewpointGroup]
    bcp_viewpoints: Mapping[str, BcpViewpoint]
    audience_groups: Mapping[str, AudienceGroup]
    department_kinds: Mapping[str, DepartmentKind]
    party_kinds: Mapping[str, PartyKind]
    incident_impact_viewpoints: Mapping[str, IncidentImpactViewpoint]
    requirement_kinds: Mapping[str, RequirementKind]
    standards: Mapping[str, Standard]
    unexpected_event_practices: Mapping[str, UnexpectedEventPractice]
    measures: Mapping[str, Measure]
    table_3_6: Mapping[str, ThreatExample]
    checklist_kinds: Mapping[str, ChecklistKindEntry]
    checklist_stages: Mapping[str, ChecklistStageEntry]
    checklist_items: Mapping[str, ChecklistItem]
    checklist_notes: Mapping[str, ChecklistNote]
    ooda_stages: Mapping[str, OodaStage]
    ooda_phases: Mapping[str, OodaPhase]
    ooda: Mapping[str, OodaRole]
    maturity_areas: Mapping[str, MaturityArea]
    maturity_levels: Mapping[str, MaturityLevel]
    maturity: Mapping[str, MaturityCell]
    maturity_definitions: Mapping[str, MaturityDefinition]

    @classmethod
    def section_names(cls) -> tuple[str, ...]:
        """Names accepted by :meth:`section_ids`, in declaration order."""
        return tuple(f.name for f in fields(cls))

    def section_ids(self, name: str) -> frozenset[str]:
        """Ids of the section ``name`` (an attribute name such as ``"purposes"``)."""
        if name not in self.section_names():
            raise KeyError(f"unknown catalog section {name!r}; known: {', '.join(self.section_names())}")
        section: Mapping[str, object] = getattr(self, name)
        return frozenset(section)

    def viewpoint_detail_ids(self) -> frozenset[str]:
        """Table 3-4 detail ids written ``viewpoint-id/detail-id``."""
        return frozenset(f"{v.id}/{d.id}" for v in self.viewpoints.values() for d in v.details)

    def ooda_role(self, stage: str, phase: str) -> OodaRole:
        """The Table 3-7/3-8 role for one stage and phase."""
        return self.ooda[f"{stage}.{phase}"]

    def maturity_cell(self, area: str, level: str) -> MaturityCell:
        """The Table 3-9 cell for one area and level."""
        return self.maturity[f"{area}.{level}"]

    def checklist(self, kind: str, stage: str | None = None) -> tuple[ChecklistItem, ...]:
        """Checklist items of one kind (Tables 3-10 to 3-12), optionally of one stage, in file order."""
        return tuple(
            item
            for item in self.checklist_items.values()
            if item.kind == kind and (stage is None or item.stage == stage)
        )

    def measures_for_threat(self, threat_type: str) -> tuple[Measure, ...]:
        """Measures that answer a threat type, in file order."""
        return tuple(m for m in self.measures.values() if threat_type in m.threat_types)


def default_data_dir() -> Traversable:
    """The packaged data directory."""
    return resources.files("factorysec.catalog") / "data"


@functools.cache
def load_catalog(data_dir: Path | str | None = None) -> Catalog:
    """Load and validate the catalog, by default from the packaged data.

    ``data_dir`` points at another directory with the same files (used by tests
    to load a deliberately broken catalog). Results are cached per directory.
    """
    source: Traversable = default_data_dir() if data_dir is None else Path(data_dir)
    return _Loader(source).load()


class _Loader:
    def __init__(self, source: Traversable) -> None:
        self.source = source
        self.problems: list[str] = []
        self.docs: dict[str, dict[str, Any]] = {}

    def problem(self, file: str, entry_id: str | None, message: str) -> None:
        where = f"{self.path(file)}: entry '{entry_id}'" if entry_id else self.path(file)
        self.problems.append(f"{where}: {message}")

    def path(self, file: str) -> str:
        return str(self.source / file)

    def load(self) -> Catalog:
        self.check_files_present()
        sections: dict[str, dict[str, Any]] = {}
        for spec in SECTIONS:
            sections[spec.attr] = self.read_section(spec)
        for file, doc in self.docs.items():
            known = {s.key for s in SECTIONS if s.file == file}
            for key in doc:
                if key not in known:
                    self.problem(file, None, f"unknown top-level key {key!r}; expected one of {sorted(known)}")
        sections["components"] = self.collect_components(sections["object_types"])
        if not self.problems:
            self.check_references(sections)
        if self.problems:
            raise CatalogError(self.problems)
        ordered = {name: MappingProxyType(sections[name]) for name in Catalog.section_names()}
        return Catalog(**ordered)

    def check_files_present(self) -> None:
        """Refuse a folder that lacks catalog files with one line, before anything is read: a folder that is not a
        catalog at all (none of its files), or one naming the missing files (the first few and how many more), rather
        than two lines per missing file and section."""
        expected = list(dict.fromkeys(spec.file for spec in SECTIONS))
        missing = [f for f in expected if not (self.source / f).is_file() and not (self.source / f).is_dir()]
        if not missing:
            return
        if len(missing) == len(expected):
            raise CatalogError(
                [
                    f"{self.source}: not a catalog folder (none of its {len(expected)} files found: expected e.g. "
                    f"{expected[0]}, {expected[1]})"
                ]
            )
        shown = ", ".join(missing[:MISSING_SHOWN])
        more = f" and {len(missing) - MISSING_SHOWN} more" if len(missing) > MISSING_SHOWN else ""
        raise CatalogError(
            [f"{self.source}: {len(missing)} of the catalog's {len(expected)} files missing: {shown}{more}"]
        )

    def read_doc(self, file: str) -> dict[str, Any]:
        if file in self.docs:
            return self.docs[file]
        doc: Any = {}
        try:
            text = (self.source / file).read_text(encoding="utf-8")
        except OSError as exc:
            self.problem(file, None, f"cannot read file: {exc.strerror or exc}")
        except UnicodeDecodeError as exc:
            self.problem(file, None, f"file is not valid UTF-8 (byte {exc.start}); save it as UTF-8")
        else:
            try:
                doc = parse_yaml_text(text, self.path(file), record_locations=False).data
            except YamlReadError as exc:
                for problem in exc.problems:
                    hint = f" ({problem.hint})" if problem.hint else ""
                    message = problem.message.removeprefix("YAML syntax error: ").removeprefix("YAML error: ")
                    self.problem(
                        file, None, f"invalid YAML at line {problem.line}, column {problem.column}: {message}{hint}"
                    )
                doc = {}
        if not isinstance(doc, dict):
            self.problem(file, None, "expected a mapping of section names to lists of entries")
            doc = {}
        result: dict[str, Any] = doc
        self.docs[file] = result
        return result

    def read_section(self, spec: _Section[M]) -> dict[str, M]:
        doc = self.read_doc(spec.file)
        raw = doc.get(spec.key)
        if not isinstance(raw, list) or not raw:
            self.problem(spec.file, None, f"section {spec.key!r} must be a non-empty list of entries")
            return {}
        entries: dict[str, M] = {}
        for index, item in enumerate(raw, start=1):
            entry_id = item.get("id") if isinstance(item, dict) else None
            label = str(entry_id) if entry_id else f"#{index} in {spec.key}"
            if isinstance(item, dict) and spec.model is ObjectType:
                item = self.with_component_types(spec.file, label, item)
            try:
                entry = spec.model.model_validate(item)
            except ValidationError as exc:
                for err in exc.errors():
                    loc = ".".join(str(part) for part in err["loc"]) or "(entry)"
                    message = err["msg"]
                    if err["type"] == "string_pattern_mismatch" and err["loc"][-1] == "id":
                        message = "must be lowercase kebab-case (parts joined by '.' for composite ids)"
                    self.problem(spec.file, label, f"{loc}: {message}")
                continue
            if entry.id in entries:  # type: ignore[attr-defined]
                self.problem(spec.file, label, f"duplicate id in section {spec.key!r}")
                continue
            entries[entry.id] = entry  # type: ignore[attr-defined]
        return entries

    def with_component_types(self, file: str, label: str, item: dict[str, Any]) -> dict[str, Any]:
        """Give each component its enclosing type id, which the YAML leaves implicit."""
        comps = item.get("components")
        if not isinstance(comps, list):
            return item
        filled = []
        for comp in comps:
            if isinstance(comp, dict):
                if "object_type" in comp and comp["object_type"] != item.get("id"):
                    self.problem(file, str(comp.get("id")), "object_type contradicts the enclosing type")
                comp = {**comp, "object_type": item.get("id")}
            filled.append(comp)
        return {**item, "components": filled}

    def collect_components(self, object_types: Mapping[str, ObjectType]) -> dict[str, Component]:
        components: dict[str, Component] = {}
        for object_type in object_types.values():
            for comp in object_type.components:
                if comp.id in components:
                    self.problem("object_types.yaml", comp.id, "duplicate component id (must be unique across types)")
                    continue
                components[comp.id] = comp
        return components

    def check_parts(self, standard: Standard) -> None:
        """A standard's parts: unique, one assumed at least when it has any, and each consequence's among them."""
        ids = standard.part_ids
        if len(set(ids)) != len(ids):
            self.problem("requirements.yaml", standard.id, "parts: a part id is listed twice")
        if ids and not standard.assumed_parts:
            self.problem("requirements.yaml", standard.id, "parts: none is assumed (mark the one the guideline means)")
        for consequence in standard.consequences:
            for part in consequence.parts:
                if part not in ids:
                    self.problem(
                        "requirements.yaml", standard.id, f"consequence {consequence.id}: unknown part {part!r}"
                    )

    def check_references(self, s: Mapping[str, Mapping[str, Any]]) -> None:
        def ref(file: str, entry_id: str, field: str, value: str | None, section: str) -> None:
            if value is not None and value not in s[section]:
                self.problem(file, entry_id, f"{field}: unknown {section} id {value!r}")

        def refs(file: str, entry_id: str, field: str, values: Iterable[str], section: str) -> None:
            for value in values:
                ref(file, entry_id, field, value, section)

        for step in s["steps"].values():
            ref("steps.yaml", step.id, "parent", step.parent, "steps")
            refs("steps.yaml", step.id, "audiences", step.audiences, "audience_groups")
        for matter in s["risk_matters"].values():
            ref("risk_matters.yaml", matter.id, "area", matter.area, "risk_areas")
            ref("risk_matters.yaml", matter.id, "viewpoint", matter.viewpoint, "viewpoints")
            refs("risk_matters.yaml", matter.id, "threat_types", matter.threat_types, "threat_types")
        for bcp in s["bcp_viewpoints"].values():
            ref("bcp_viewpoints.yaml", bcp.id, "group", bcp.group, "bcp_viewpoint_groups")
        for dept in s["department_kinds"].values():
            ref("stakeholders.yaml", dept.id, "group", dept.group, "audience_groups")
        for party in s["party_kinds"].values():
            ref("stakeholders.yaml", party.id, "group", party.group, "audience_groups")
            if not party.procured_from and party.checklists:
                self.problem("stakeholders.yaml", party.id, "checklists must be empty when procured_from is false")
        for standard in s["standards"].values():
            ref("requirements.yaml", standard.id, "kind", standard.kind, "requirement_kinds")
            self.check_parts(standard)
        for measure in s["measures"].values():
            refs("measures.yaml", measure.id, "threat_types", measure.threat_types, "threat_types")
        for row in s["table_3_6"].values():
            ref("measures.yaml", row.id, "threat_type", row.threat_type, "threat_types")
            refs("measures.yaml", row.id, "measures", row.measures, "measures")
            if row.measure_area not in row.measure_areas:
                self.problem("measures.yaml", row.id, "measure_area must be one of measure_areas")
            for measure_id in row.measures:
                measure = s["measures"].get(measure_id)
                if measure is not None and row.threat_type not in measure.threat_types:
                    self.problem(
                        "measures.yaml",
                        row.id,
                        f"measures: {measure_id!r} does not list threat type {row.threat_type!r}",
                    )
        for item in s["checklist_items"].values():
            ref("checklists.yaml", item.id, "kind", item.kind, "checklist_kinds")
            ref("checklists.yaml", item.id, "stage", item.stage, "checklist_stages")
        for note in s["checklist_notes"].values():
            ref("checklists.yaml", note.id, "kind", note.kind, "checklist_kinds")
            ref("checklists.yaml", note.id, "stage", note.stage, "checklist_stages")
        known_leads = set(s["department_kinds"]) | set(s["party_kinds"]) | {REPORTING_DEPARTMENT}
        for role in s["ooda"].values():
            ref("ooda.yaml", role.id, "stage", role.stage, "ooda_stages")
            ref("ooda.yaml", role.id, "phase", role.phase, "ooda_phases")
            if role.lead not in known_leads:
                self.problem("ooda.yaml", role.id, f"lead: unknown department or party kind {role.lead!r}")
            refs("ooda.yaml", role.id, "decision_makers", role.decision_makers, "department_kinds")
            if role.id != f"{role.stage}.{role.phase}":
                self.problem("ooda.yaml", role.id, f"id must be '{role.stage}.{role.phase}'")
        for cell in s["maturity"].values():
            ref("maturity.yaml", cell.id, "area", cell.area, "maturity_areas")
            ref("maturity.yaml", cell.id, "level", cell.level, "maturity_levels")
            if cell.id != f"{cell.area}.{cell.level}":
                self.problem("maturity.yaml", cell.id, f"id must be '{cell.area}.{cell.level}'")
        ranks = [level.rank for level in s["maturity_levels"].values()]
        if ranks != sorted(set(ranks)):
            self.problem("maturity.yaml", None, "levels must be listed in strictly increasing rank")
