"""Every id the tool prints, with what it means and the guideline text it rests on (``factorysec explain``, ``factorysec catalog``).

Rule and item ids are read from :mod:`factorysec.rules_registry`, which
collects each family's declarations from beside its emitter; catalog ids from
the catalog the caller passes in (the CLI's: the guideline's own, or the
company's given with ``--catalog``).
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from typing import Any

from factorysec.analysis.findings import text
from factorysec.catalog import Catalog
from factorysec.catalog.loader import REPORTING_DEPARTMENT, default_data_dir
from factorysec.catalog.models import ChecklistNote, Entry, MaturityCell, OodaRole, Text, ThreatExample
from factorysec.rulebook import RuleInfo
from factorysec.rules_registry import all_rules, find_rule
from factorysec.yamlio import parse_yaml_text


@dataclass(frozen=True)
class Explanation:
    """What one printed id means; ``rule`` is its declaration when it is a rule or item id (not a catalog id)."""

    id: str
    category: str
    reference: str
    title: Text
    summary: Text
    rule: RuleInfo | None = None


def _from_rule(rule: RuleInfo) -> Explanation:
    return Explanation(rule.id, rule.category, rule.reference, rule.title, rule.summary, rule)


EXPLANATIONS: dict[str, Explanation] = {rule.id: _from_rule(rule) for rule in all_rules()}


def explain_id(printed_id: str) -> Explanation | None:
    """The explanation of a rule or item id, also accepting a full finding id (``RULE@subject``) or a requirement id."""
    rule = find_rule(printed_id)
    return EXPLANATIONS[rule.id] if rule is not None else None


# --- catalog ids -------------------------------------------------------------------------

SECTION_ALIASES: dict[str, str] = {
    "asset-types": "object-types",
    "checklists": "checklist-items",
    "requirement-standards": "standards",
}
"""Other names a user may give a catalog section (the model's field descriptions say 'catalog checklists')."""


@dataclass(frozen=True)
class CatalogRow:
    """One catalog id as ``factorysec catalog`` lists it: its label and the guideline text it is cited from."""

    section: str
    id: str
    label: Text
    citation: str
    description: Text | None = None


def section_name(attribute: str) -> str:
    """The name a catalog section is listed under: its attribute name in kebab case."""
    return attribute.replace("_", "-")


def _label(entry: Any, catalog: Catalog) -> Text:
    """A one-line label for an entry: its title, or what stands in for one in the entries that have none."""
    title = getattr(entry, "title", None)
    if isinstance(title, Text):
        return title
    if isinstance(entry, ThreatExample):
        return entry.content
    if isinstance(entry, ChecklistNote):
        return entry.text
    if isinstance(entry, OodaRole):
        stage, phase = catalog.ooda_stages[entry.stage].title, catalog.ooda_phases[entry.phase].title
        return Text(en=f"{stage.en}: {phase.en}", ja=f"{stage.ja}：{phase.ja}")
    if isinstance(entry, MaturityCell):
        area, level = catalog.maturity_areas[entry.area].title, catalog.maturity_levels[entry.level].title
        return Text(en=f"{area.en}: {level.en}", ja=f"{area.ja}：{level.ja}")
    raise TypeError(f"no label for catalog entry {type(entry).__name__}")


def _description(entry: Any) -> Text | None:
    for field in ("description", "example"):
        value = getattr(entry, field, None)
        if isinstance(value, Text):
            return value
    return None


@functools.cache
def _traits() -> tuple[Entry, ...]:
    """Asset traits, from the packaged catalog's ``traits.yaml`` (their ids are the model's ``Trait`` values, the same for every catalog)."""
    text_ = (default_data_dir() / "traits.yaml").read_text(encoding="utf-8")
    document = parse_yaml_text(text_, "traits.yaml", record_locations=False).data
    return tuple(Entry.model_validate(item) for item in document["traits"])


@dataclass(frozen=True)
class _CatalogIds:
    catalog: Catalog
    rows: dict[str, tuple[CatalogRow, ...]]
    index: dict[str, CatalogRow]


_last_asked: list[_CatalogIds] = []
"""The ids of the catalog last asked about. A run uses one catalog (``load_catalog`` returns the same object per
folder), and a ``Catalog`` is not hashable, so it is remembered by identity rather than through ``functools.cache``."""


def _catalog_ids(catalog: Catalog) -> _CatalogIds:
    remembered = _last_asked[:1]
    if remembered and remembered[0].catalog is catalog:
        return remembered[0]
    rows = _rows(catalog)
    ids = _CatalogIds(catalog, rows, _index(rows))
    _last_asked[:] = [ids]
    return ids


def catalog_rows(catalog: Catalog) -> dict[str, tuple[CatalogRow, ...]]:
    """Every id of ``catalog`` by section, in catalog order; then asset traits, Table 3-4 viewpoint details and the rule ids."""
    return _catalog_ids(catalog).rows


def _rows(catalog: Catalog) -> dict[str, tuple[CatalogRow, ...]]:
    sections: dict[str, tuple[CatalogRow, ...]] = {}
    for attribute in Catalog.section_names():
        name = section_name(attribute)
        entries = getattr(catalog, attribute).values()
        sections[name] = tuple(CatalogRow(name, e.id, _label(e, catalog), e.ref, _description(e)) for e in entries)
    sections["traits"] = tuple(CatalogRow("traits", t.id, t.title, t.ref, t.description) for t in _traits())
    sections["ooda-leads"] = tuple(
        CatalogRow(
            "ooda-leads",
            REPORTING_DEPARTMENT,
            text("Whichever department the report concerns", "報告の対象となる部門"),
            role.ref,
            text(
                "An OODA lead that is no fixed department: the one the observed event concerns leads the phase.",
                "特定の部門ではなく、観測した事象に関わる部門がそのフェーズを主導する。",
            ),
        )
        for role in catalog.ooda.values()
        if role.lead == REPORTING_DEPARTMENT
    )[:1]
    sections["viewpoint-details"] = tuple(
        CatalogRow("viewpoint-details", f"{v.id}/{d.id}", d.title, v.ref, d.description)
        for v in catalog.viewpoints.values()
        for d in v.details
    )
    sections["standard-parts"] = tuple(
        CatalogRow(
            "standard-parts",
            part.id,
            text(f"{standard.id}: {part.title.en}", f"{standard.id}：{part.title.ja}"),
            part.ref,
            part.description,
        )
        for standard in catalog.standards.values()
        for part in standard.parts
    )
    sections["rules"] = tuple(CatalogRow("rules", e.id, e.title, e.reference, e.summary) for e in EXPLANATIONS.values())
    return sections


def find_section(name: str, catalog: Catalog) -> str | None:
    """The section of ``catalog`` a user means by ``name`` (kebab or snake case, or an alias), if any."""
    wanted = section_name(name.strip().lower())
    wanted = SECTION_ALIASES.get(wanted, wanted)
    return wanted if wanted in catalog_rows(catalog) else None


def _index(sections: dict[str, tuple[CatalogRow, ...]]) -> dict[str, CatalogRow]:
    index: dict[str, CatalogRow] = {}
    for section, rows in sections.items():
        if section == "rules":
            continue
        for row in rows:
            index.setdefault(row.id, row)  # an id in two sections: the first section in catalog order
    return index


def _from_catalog(row: CatalogRow) -> Explanation:
    return Explanation(row.id, f"catalog {row.section}", row.citation, row.label, row.description or row.label)


def explain_any(printed_id: str, catalog: Catalog) -> Explanation | None:
    """The explanation of any id an output prints: a rule, finding or requirement id, or an id of ``catalog``."""
    found = explain_id(printed_id)
    if found is not None:
        return found
    key = printed_id.strip()
    index = _catalog_ids(catalog).index
    row = index.get(key) or index.get(key.lower())
    return _from_catalog(row) if row is not None else None


def suggestion(printed_id: str, catalog: Catalog) -> str:
    """A 'did you mean' hint for an unknown id (among the rules and the ids of ``catalog``), or where the known ids are listed."""
    key = printed_id.strip()
    rule = difflib.get_close_matches(key.upper().split("@", 1)[0], list(EXPLANATIONS), n=1)
    if rule:
        return f" (did you mean {rule[0]}?)"
    close = difflib.get_close_matches(key.lower(), list(_catalog_ids(catalog).index), n=1)
    if close:
        return f" (did you mean {close[0]}?)"
    return "; 'factorysec catalog' lists every known id"


_LABELS: dict[str, Text] = {
    "category": Text(en="category:", ja="分類:"),
    "reference": Text(en="reference:", ja="根拠:"),
    "threat": Text(en="threat:", ja="脅威:"),
    "viewpoint": Text(en="viewpoint:", ja="観点:"),
    "matter": Text(en="matter:", ja="事項:"),
    "measure": Text(en="measure:", ja="対策:"),
    "advisory": Text(en="(advisory)", ja="（助言）"),
}


def explain_labels(lang: str) -> dict[str, str]:
    """The labels ``explain`` prints before each part, in ``lang``, padded so that the values line up (the advisory mark leads with its space)."""
    labels = {key: label.get(lang) for key, label in _LABELS.items()}
    width = 11 if lang == "en" else 6
    padded = {key: word.ljust(width) for key, word in labels.items() if key != "advisory"}
    padded["advisory"] = (" " if lang == "en" else "") + labels["advisory"]
    return padded
