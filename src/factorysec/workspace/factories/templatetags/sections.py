"""``{% load sections %}``: a model section's title and guideline reference, a field's label and value on a page (see
:mod:`factorysec.workspace.factories.sections`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.functional import Promise

from factorysec.model import field_help
from factorysec.workspace.factories import sections

register = template.Library()


@register.filter
def section_title(section: str) -> Promise | str:
    return sections.section_title(section)


@register.filter
def section_reference(section: str) -> Promise | str:
    return sections.section_reference(section)


@register.simple_tag
def field_label(section: str, field: str) -> str:
    """``{% field_label section field %}``: the field's label in the reader's language (the form's and list's)."""
    return field_help.field_label(section, field, sections.reader_language())


@register.simple_tag
def field_value(section: str, field: str, value: Any) -> str:
    """``{% field_value section field value %}``: a field's value as a list's cell reads it (はい, 生産, a, b)."""
    return sections.cell_text(section, field, value)
