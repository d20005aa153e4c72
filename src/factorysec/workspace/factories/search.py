"""A section's search box: elements whose key or name contains the words typed, answered from a full-text index.

The index is made by migration ``0006_element_text_index``: on SQLite an FTS5
table with the trigram tokenizer over ``Element.search``, on PostgreSQL a GIN
trigram index (``pg_trgm``) that serves ``LIKE '%...%'`` directly. Both match
substrings, so the answer is the same as a plain scan's, only faster.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from factorysec.workspace.factories.models import Element

TRIGRAM = 3
"""The shortest text a trigram index can look up; a shorter one is matched by reading the section."""

_SQLITE_MATCHES = "SELECT rowid FROM factories_element_text WHERE factories_element_text MATCH %s"


def fts5_phrase(text: str) -> str:
    """``text`` as one FTS5 phrase (double quotes doubled), so that no character of it is read as query syntax."""
    return '"' + text.replace('"', '""') + '"'


def matching(rows: QuerySet[Element], query: str) -> QuerySet[Element]:
    """The rows whose search text (key and name, lower case) contains ``query``, case aside."""
    text = query.lower()
    if connection.vendor == "sqlite" and len(text) >= TRIGRAM:
        return rows.filter(pk__in=RawSQL(_SQLITE_MATCHES, (fts5_phrase(text),)))
    return rows.filter(search__contains=text)
