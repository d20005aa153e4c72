"""User-given text (names, ids, descriptions) as HTML, for every HTML page the tool writes: escaped, its long words
breakable, its names isolated from the text around them.

- **Long words.** A word of :data:`LONG_WORD` characters or more (a 128-character id, a name with no spaces) goes into
  a ``<span class="long">``, which the pages' style lets break anywhere inside a table cell; every other word of a
  table stays whole, so a table squeezed by one long name does not break the ordinary words of its other columns.
  The marking is done when the page is written, so it holds without JavaScript (a mail client's preview, a
  locked-down browser, a PDF printer). Spaces, ``-`` and ``/`` end a word; CJK, Hangul and fullwidth characters
  (where a browser may break a line anyway) do not count towards one.
- **Names.** A name set inside other text (``Subject: zone NAME · ...``, ``NAME (id)``) goes into ``<bdi>``: a name
  in Arabic or Hebrew, or holding a bidi control character, would otherwise reorder the punctuation and numbers
  around it. Sentences the analysis wrote with names inside (a finding's rationale, a rating's reason) have the names
  that need it (:func:`names_to_isolate`) isolated by :func:`sentence`.

Presentation only: nothing here changes the text, it only marks it up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Protocol

from jinja2 import Environment
from markupsafe import Markup

LONG_WORD = 30
"""Characters of a word that may break anywhere in a table cell; ordinary words (even 'Smartification',
'responsibilities') are shorter."""

_LONG_WORD = re.compile(r"[^\s\-/\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]{" + str(LONG_WORD) + ",}")

_RIGHT_TO_LEFT = re.compile(
    "[\u0590-\u08ff\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff\ufe70-\ufefe"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
"""A character that can reorder the text around it in a left-to-right page: Hebrew, Arabic, Syriac, Thaana, N'Ko and
the other right-to-left scripts (with their presentation forms), the right-to-left mark, and the bidi embedding,
override and isolate controls."""


def _replace_entities(value: str) -> str:
    """``markupsafe.escape``'s five entities, by ``str.replace`` (where MarkupSafe's compiled escaping is missing)."""
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


try:
    from markupsafe._speedups import _escape_inner
except ImportError:  # MarkupSafe without its C extension
    _escape_inner = _replace_entities

escape_text: Callable[[str], str] = _escape_inner
"""``markupsafe.escape`` of a string, as a plain ``str`` (the same five entities; checked in tests/report).

``escape`` wraps each result in a new ``Markup`` object: on the zone pages of a
10k-asset plant its million calls were a quarter of the HTML writer's time. The
rows the HTML report's filters build are wrapped in ``Markup`` once each.
"""


def breakable(text: str) -> str:
    """``text`` escaped, each word of :data:`LONG_WORD` characters or more in a ``<span class="long">``."""
    if len(text) < LONG_WORD:
        return escape_text(text)
    parts: list[str] = []
    done = 0
    for match in _LONG_WORD.finditer(text):
        start, end = match.span()
        parts.append(escape_text(text[done:start]))
        parts.append(f'<span class="long">{escape_text(text[start:end])}</span>')
        done = end
    if not parts:
        return escape_text(text)
    parts.append(escape_text(text[done:]))
    return "".join(parts)


def isolated(name: str) -> str:
    """A name as it is set inside other text: in ``<bdi>``, escaped, its long words breakable."""
    return f"<bdi>{breakable(name)}</bdi>"


def names_to_isolate(names: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern finding, in a sentence, the names among ``names`` that hold a right-to-left character or a bidi
    control (the longest first); None when none does (the usual case, found with one search)."""
    listed = [name for name in dict.fromkeys(names) if name]
    if not _RIGHT_TO_LEFT.search("\n".join(listed)):
        return None
    found = sorted((name for name in listed if _RIGHT_TO_LEFT.search(name)), key=len, reverse=True)
    return re.compile("|".join(re.escape(name) for name in found))


def sentence(text: str, names: re.Pattern[str] | None) -> str:
    """A sentence the analysis wrote (a rationale, a reason): escaped, its long words breakable, and each name that
    ``names`` (:func:`names_to_isolate`) finds in it in ``<bdi>``."""
    if names is None:
        return breakable(text)
    parts: list[str] = []
    done = 0
    for match in names.finditer(text):
        start, end = match.span()
        parts.append(breakable(text[done:start]))
        parts.append(isolated(text[start:end]))
        done = end
    parts.append(breakable(text[done:]))
    return "".join(parts)


class NamedPage(Protocol):
    """What a page's view gives :func:`sentence`: the pattern of its names to isolate."""

    @property
    def bidi_names(self) -> re.Pattern[str] | None: ...


def add_text_filters(env: Environment) -> Environment:
    """The filters of user-given text, for a page's templates: ``breakable`` (an id, a description, any text in a
    table cell), ``isolated`` (a name) and ``sentence(view)`` (a sentence the analysis wrote); return ``env``."""

    def breakable_filter(text: str) -> Markup:
        return Markup(breakable(str(text)))

    def isolated_filter(name: str) -> Markup:
        return Markup(isolated(str(name)))

    def sentence_filter(text: str, view: NamedPage) -> Markup:
        return Markup(sentence(str(text), view.bidi_names))

    env.filters["breakable"] = breakable_filter
    env.filters["isolated"] = isolated_filter
    env.filters["sentence"] = sentence_filter
    return env


__all__ = [
    "LONG_WORD",
    "NamedPage",
    "add_text_filters",
    "breakable",
    "escape_text",
    "isolated",
    "names_to_isolate",
    "sentence",
]
