"""What each section of the factory model is called on the workspace's pages, and where the guideline asks for it.

The sections are the model's top-level lists (:data:`factorysec.workspace.factories.store.SECTIONS`); their YAML keys
(``ooda_roles``, ``checklist_answers``) stay in URLs and exports, and pages show these titles instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
