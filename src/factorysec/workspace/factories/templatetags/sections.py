"""``{% load sections %}``: a model section's title and guideline reference on a page (see
:mod:`factorysec.workspace.factories.sections`)."""

from __future__ import annotations

from django import template
from django.utils.functional import Promise

from factorysec.workspace.factories import sections

register = template.Library()


@register.filter
def section_title(section: str) -> Promise | str:
    return sections.section_title(section)


@register.filter
def section_reference(section: str) -> Promise | str:
    return sections.section_reference(section)
