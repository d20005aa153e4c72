"""``{% load glossary %}``: the reports' words on a page, in the page's language (see :mod:`factorysec.report.glossary`).

``{{ f.reference|guideline }}`` reads ``Appendix 3.1.6 Step 1-6`` as ``別冊 3.1.6 ステップ1-6`` on a Japanese page, and
``{{ f.subject_kind|word:"subject_kind" }}`` a value of one of the glossary's vocabularies (``zone`` as ゾーン);
on an English page both stay as written, as in the English reports.
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from factorysec.catalog.vocabulary import reference, value

register = template.Library()


def _lang() -> str:
    return "ja" if (get_language() or "en").startswith("ja") else "en"


@register.filter
def guideline(text: object) -> str:
    return reference(str(text), _lang()) if text else ""


@register.filter
def word(raw: object, vocabulary: str) -> str:
    return value(vocabulary, str(raw), _lang()) if raw not in (None, "") else ""
