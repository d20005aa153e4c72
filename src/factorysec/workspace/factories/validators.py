"""The model's rule for text, applied to an element edited in the workspace.

``factorysec check`` refuses a model file whose text holds a control character a workbook cannot carry (form feed,
escape, NUL ...) or half of a UTF-16 surrogate pair (:func:`factorysec.yamlio.uncarriable_text`): its reader applies
the rule, but the check of a document built in memory does not. So an element saved from a form or the JSON API could
hold such text, and then the workspace's own outputs failed on it: the workbook export and the trackers' xlsx answered
with a server error, the report job failed, and the exported YAML was a file ``check`` refuses. The same rule is
applied here to every text of an element before it is checked and stored, with the reader's own message and hint.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from factorysec.yamlio import uncarriable_text


class TextProblem(NamedTuple):
    """A text inside an element that the model may not hold: where (``importance.safety``, ``addresses[0]``) and why."""

    field: str
    message: str
    hint: str


def uncarriable_in(value: Any, field: str = "") -> list[TextProblem]:
    """Every text in ``value`` (an element's payload, or one field's value) that a model may not hold, keys included."""
    if isinstance(value, str):
        refused = uncarriable_text(value)
        return [TextProblem(field, *refused)] if refused is not None else []
    found: list[TextProblem] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            place = f"{field}.{key}" if field else str(key)
            refused = uncarriable_text(str(key))
            if refused is not None:
                found.append(TextProblem(place, *refused))
            found += uncarriable_in(inner, place)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += uncarriable_in(inner, f"{field}[{index}]")
    return found
