"""``{% load sections %}``: a model section's title and guideline reference, a field's label and value on a page (see
:mod:`factorysec.workspace.factories.sections`)."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.functional import Promise
from django.utils.translation import pgettext

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


_LOADED = re.compile(r"loaded from (?P<name>.+)", re.S)
_IMPORTED = re.compile(r"import (?P<name>.+)", re.S)
_MERGED = re.compile(r"change request #(?P<number>\d+)")


@register.filter
def version_comment(comment: str) -> str:
    """A version's comment in the reader's language when the workspace wrote it (``loaded from factory.yaml`` at the
    first start, ``import plant.xlsx``, ``create``, ``edit``, ``delete``, ``change request #3``); a person's own comment
    as written. The stored comment is not changed."""
    words = {
        "create": pgettext("version comment", "create"),
        "edit": pgettext("version comment", "edit"),
        "delete": pgettext("version comment", "delete"),
        "import": pgettext("version comment", "import"),
    }
    if comment in words:
        return words[comment]
    if (loaded := _LOADED.fullmatch(comment)) is not None:
        return pgettext("version comment", "loaded from %(name)s") % {"name": loaded["name"]}
    if (imported := _IMPORTED.fullmatch(comment)) is not None:
        return pgettext("version comment", "import %(name)s") % {"name": imported["name"]}
    if (merged := _MERGED.fullmatch(comment)) is not None:
        return pgettext("version comment", "change request #%(number)s") % {"number": merged["number"]}
    return comment
