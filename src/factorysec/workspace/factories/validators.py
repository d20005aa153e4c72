"""The model's rule for text, applied to an element edited in the workspace.

``factorysec check`` refuses a model file whose text holds a control character a workbook cannot carry (form feed,
escape, NUL ...) or half of a UTF-16 surrogate pair (:func:`factorysec.yamlio.uncarriable_text`): its reader applies
the rule, but the check of a document built in memory does not. So an element saved from a form or the JSON API could
hold such text, and then the workspace's own outputs failed on it: the workbook export and the trackers' xlsx answered
with a server error, the report job failed, and the exported YAML was a file ``check`` refuses. The same rule is
applied here to every text of an element before it is checked and stored, with the reader's own message and hint.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from factorysec.yamlio import uncarriable_text


class TextProblem(NamedTuple):
    """A text inside an element that the model may not hold: where (``importance.safety``, ``addresses[0]``) and why."""

    field: str
    message: str
    hint: str


Place = tuple[str | int, ...]
"""Where a text sits in a JSON-like value: the keys and list indexes leading to it."""


def texts_in(value: Any, at: Place = ()) -> Iterator[tuple[Place, str, bool]]:
    """Every text in ``value`` (dicts, lists, strings), keys included, in document order: its place (for a key, the
    place it names), the text, and whether it is a key."""
    if isinstance(value, str):
        yield at, value, False
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield (*at, key), str(key), True
            yield from texts_in(inner, (*at, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from texts_in(inner, (*at, index))


def _field(field: str, place: Place) -> str:
    """``place`` written after ``field`` as the check writes fields: ``importance.safety``, ``addresses[0]``."""
    for part in place:
        field = f"{field}[{part}]" if isinstance(part, int) else f"{field}.{part}" if field else str(part)
    return field


def uncarriable_in(value: Any, field: str = "") -> list[TextProblem]:
    """Every text in ``value`` (an element's payload, or one field's value) that a model may not hold, keys included."""
    found: list[TextProblem] = []
    for place, text, _is_key in texts_in(value):
        refused = uncarriable_text(text)
        if refused is not None:
            found.append(TextProblem(_field(field, place), *refused))
    return found
