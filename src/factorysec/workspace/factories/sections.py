"""What each section of the factory model is called on the workspace's pages, where the guideline asks for it, and
which of its fields a section's list shows under what header.

The sections are the model's top-level lists (:data:`factorysec.workspace.factories.store.SECTIONS`); their YAML keys
(``ooda_roles``, ``checklist_answers``) stay in URLs and exports, and pages show these titles instead. So do a list's
columns: a field's key (``from``, ``carries_control_instructions``) is the header's tooltip, its label the header.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from factorysec.catalog import load_catalog
from factorysec.catalog.vocabulary import value as word
from factorysec.model.field_help import field_label


@dataclass(frozen=True)
class SectionTitle:
    title: Promise | str
    """Its name on a page, in the reader's language."""
    reference: Promise | str
    """The guideline's step or table that asks for it, in the reader's language."""


SECTION_TITLES: dict[str, SectionTitle] = {
    "factory": SectionTitle(
        pgettext_lazy("model section", "Factory"), pgettext_lazy("guideline reference", "Step 1-1")
    ),
    "bcp": SectionTitle(_("Business continuity plan (BCP)"), pgettext_lazy("guideline reference", "Step 1-1 (1)")),
    "requirements": SectionTitle(
        _("Laws, standards and other requirements"), pgettext_lazy("guideline reference", "Step 1-1 (2), (3)")
    ),
    "departments": SectionTitle(
        _("Internal departments"), pgettext_lazy("guideline reference", "Step 1-1 (3), Table 1-1")
    ),
    "parties": SectionTitle(_("External stakeholders"), pgettext_lazy("guideline reference", "Step 1-1 (3)")),
    "operations": SectionTitle(_("Operations"), pgettext_lazy("guideline reference", "Steps 1-2, 1-3")),
    "assets": SectionTitle(_("Protected objects"), pgettext_lazy("guideline reference", "Steps 1-4, 1-5, Table 3-3")),
    "zones": SectionTitle(pgettext_lazy("model section", "Zones"), pgettext_lazy("guideline reference", "Step 1-6")),
    "conduits": SectionTitle(_("Conduits and data flows"), pgettext_lazy("guideline reference", "Step 1-7")),
    "measures": SectionTitle(_("Security measures"), pgettext_lazy("guideline reference", "Step 2-2")),
    "ooda_roles": SectionTitle(
        _("OODA role division"), pgettext_lazy("guideline reference", "Step 3, Tables 3-7, 3-8")
    ),
    "maturity": SectionTitle(_("Organisation maturity"), pgettext_lazy("guideline reference", "Step 3, Table 3-9")),
    "reviews": SectionTitle(
        _("PDCA reviews"), pgettext_lazy("guideline reference", "Step 3, Appendix 3.3, Figure 3-4")
    ),
    "checklist_answers": SectionTitle(
        _("Checklist answers"), pgettext_lazy("guideline reference", "Step 3, Tables 3-10 to 3-12")
    ),
    "responsibilities": SectionTitle(_("Responsibility division"), pgettext_lazy("guideline reference", "Step 3")),
}


def section_title(section: str) -> Promise | str:
    """The section's title on a page; its key where it has none (a section added to the model without one here)."""
    found = SECTION_TITLES.get(section)
    return found.title if found is not None else section


def section_reference(section: str) -> Promise | str:
    found = SECTION_TITLES.get(section)
    return found.reference if found is not None else ""


LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "requirements": ("title", "kind", "standard"),
    "assets": ("name", "type", "zone", "component", "supplier"),
    "zones": ("name", "kind", "parent", "managed_by"),
    "conduits": ("from", "to", "protocols", "external_network", "carries_control_instructions"),
    "operations": ("name", "importance", "sourcing"),
    "measures": ("measure", "applies_to", "status"),
    "parties": ("name", "kind"),
    "departments": ("name", "kind"),
    "ooda_roles": ("stage", "phase", "lead"),
    "maturity": ("area", "level"),
    "reviews": ("date", "trigger"),
    "checklist_answers": ("subject", "item", "answer"),
    "responsibilities": ("subject", "area", "responsible"),
}
"""The fields a section's list shows beside the id and version (``name`` alone for a section not named here)."""

_LIFECYCLE = {"status": "status"}
"""An element's ``status``: existing, or new/changed through smartification."""

FIELD_WORDS: dict[str, dict[str, str]] = {
    "factory": {"industry": "industry", "manuals": "manual"},
    "departments": {"location": "department_location"},
    "parties": _LIFECYCLE,
    "operations": {"importance": "level", "sourcing": "sourcing", **_LIFECYCLE},
    "assets": {
        "type": "asset_type",
        "separation_exception": "separation_exception",
        "data_separation": "data_separation",
        **_LIFECYCLE,
    },
    "zones": {"kind": "zone_kind", **_LIFECYCLE},
    "conduits": {
        "external_network": "external_network",
        "direction": "direction",
        "instructions_from": "instructions_from",
        **_LIFECYCLE,
    },
    "measures": {"status": "measure_status"},
    "ooda_roles": {"stage": "ooda_stage", "phase": "ooda_phase"},
    "maturity": {"area": "maturity_area", "level": "maturity_level"},
    "reviews": {"trigger": "review_trigger"},
    "checklist_answers": {"answer": "answer"},
    "responsibilities": {"area": "responsibility_area"},
}
"""The glossary's vocabulary (:data:`factorysec.catalog.vocabulary.VALUES`) of a field's values, by section and field:
on a Japanese page a value reads as the reports word it (``production`` as 生産, ``planned`` as 計画中) in a list's
cell and a form's choices, on an English one as written."""


CATALOG_FIELDS: dict[str, dict[str, str]] = {
    "requirements": {"kind": "requirement_kinds", "standard": "standards"},
    "departments": {"kind": "department_kinds"},
    "parties": {"kind": "party_kinds"},
    "assets": {"component": "components"},
    "measures": {"measure": "measures"},
}
"""The catalog section whose entry ids a field holds, by section and field: on a Japanese page a list's cell reads the
entry's Japanese title (``security`` as セキュリティ部門), on an English one the id as written (as the glossary's values)."""


def value_word(section: str, field: str, value: str) -> str:
    """A value of the field as the reader's language words it: the glossary's word or the catalog entry's Japanese
    title, or the value as written (in English, or a value neither knows)."""
    lang = reader_language()
    vocabulary = FIELD_WORDS.get(section, {}).get(field)
    if vocabulary is not None:
        return word(vocabulary, value, lang)
    entries = CATALOG_FIELDS.get(section, {}).get(field)
    if entries is None or lang != "ja":
        return value
    entry = getattr(load_catalog(), entries).get(value)
    return value if entry is None else str(entry.title.ja)


def reader_language() -> str:
    """``ja`` on a Japanese page, ``en`` otherwise (the languages of the model's labels and the glossary)."""
    return "ja" if (get_language() or "en").startswith("ja") else "en"


def list_columns(section: str) -> list[tuple[str, str]]:
    """The section's list columns: each field's key and its header, the field's label in the reader's language
    (:data:`factorysec.model.field_help.FIELD_LABELS`, which the element's form labels its inputs with too)."""
    lang = reader_language()
    return [(column, field_label(section, column, lang)) for column in LIST_COLUMNS.get(section, ("name",))]


def cell_text(section: str, column: str, value: Any) -> str:
    """A field's value in a list's cell, in the reader's language: a list comma-separated, yes or no for a flag, a value
    of one of the glossary's vocabularies as the reports word it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return pgettext("flag", "Yes") if value else pgettext("flag", "No")
    if isinstance(value, list):
        return ", ".join(cell_text(section, column, item) for item in value)
    if isinstance(value, Enum):
        value = value.value
    return value_word(section, column, str(value))
