"""A problem found in input, tied to a file, line and field: shared by the model, the catalog and the YAML reader below both.

A problem's message and hint are English text; those built as :class:`Said` (a message code and its parameters) can
also be said in Japanese (:meth:`Problem.render`, :func:`say`). The templates are in :mod:`factorysec.problem_texts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from string import Formatter
from typing import Any, Literal, Union

from factorysec.problem_texts import TEMPLATES

Lang = Literal["en", "ja"]
Param = Union["Said", str, int, float]
"""A parameter of a message: text as written (an id, a value, a path), a number, or a message of its own."""


class Said(str):
    """An English message (its ``str`` value, unchanged for every reader of the text) that knows its code and
    parameters, so that it can be said in another language: ``Said("unknown_field", name="colour")``.

    A parameter that is itself a :class:`Said` is said in the same language; others are written as they are.
    """

    code: str
    params: Mapping[str, Param]

    def __new__(cls, code: str, /, **params: Param) -> Said:
        said = super().__new__(cls, _fill(code, params, "en"))
        said.code = code
        said.params = params
        return said

    def __reduce__(self) -> tuple[Any, ...]:
        return (_said, (self.code, dict(self.params)))

    def in_lang(self, lang: str) -> str:
        """The message in ``lang`` (English for a language without templates)."""
        return str(self) if lang == "en" else _fill(self.code, self.params, lang)


def _said(code: str, params: dict[str, Param]) -> Said:
    return Said(code, **params)


def _fill(code: str, params: Mapping[str, Param], lang: str) -> str:
    templates = TEMPLATES[code]
    template = templates.get(lang, templates["en"])
    values = {name: say(value, lang) if isinstance(value, str) else str(value) for name, value in params.items()}
    return template.format_map(values)


def say(text: str, lang: str) -> str:
    """``text`` in ``lang`` when it is a :class:`Said`; other text as it is."""
    return text.in_lang(lang) if isinstance(text, Said) else text


def template_fields(template: str) -> set[str]:
    """The parameters a template names."""
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def joined(items: Sequence[Param], word: Literal["or", "or_names"] = "or") -> Param:
    """``items`` joined as 'a or b or c', said in each language: 'aまたはbまたはc'; ``or_names`` keeps
    names as written apart: 'zones または assets'."""
    if len(items) == 1:
        return items[0]
    return Said(f"join.{word}", first=items[0], rest=joined(items[1:], word))


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, printed as ``file:line:column: field: message (hint)``."""

    file: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    place: str = ""
    """Set when a file has no lines (a workbook): printed instead of file:line:column and field."""

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str) -> str:
        """The problem's line with its message and hint in ``lang`` (English when they were not built as :class:`Said`);
        the place and field stay as they are."""
        hint = f" ({_one_line(say(self.hint, lang))})" if self.hint else ""
        message = _one_line(say(self.message, lang))
        if self.place:
            return f"{_one_line(self.place)}: {message}{hint}"
        field = f" {_one_line(self.field)}:" if self.field else ""
        return f"{_one_line(self.file)}:{self.line}:{self.column}:{field} {message}{hint}"


_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _one_line(text: str) -> str:
    """``text`` with line breaks and other unprintable characters escaped, so that a problem stays on one line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _NAMED_ESCAPES.get(ch, f"\\u{ord(ch):04x}") for ch in text)


def field_path(path: tuple[str | int, ...]) -> str:
    """Render a data path as ``assets[3].zone``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
