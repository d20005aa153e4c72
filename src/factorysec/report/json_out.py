"""The assessment as JSON: the documented, stable machine-readable output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from typing import IO, Any

from pydantic import BaseModel, TypeAdapter

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.importance import ImportanceResult
from factorysec.analysis.lifecycle import ChecklistReport, LifecycleReport

CHUNK_ITEMS = 2000
"""Items of a long list serialised at a time when streaming."""


def assessment_json(assessment: Assessment) -> str:
    """Pretty JSON, keys in schema order, so that two runs diff cleanly.

    The same text as ``assessment.model_dump_json(indent=2) + "\n"`` (and as
    ``json.dumps(model_dump(mode="json"), indent=2, ensure_ascii=False)``);
    see :func:`iter_assessment_json`. Writers should prefer
    :func:`write_assessment_json`, which never holds the whole text.
    """
    return b"".join(iter_assessment_json(assessment)).decode()


def write_assessment_json(assessment: Assessment, handle: IO[bytes]) -> None:
    """Write :func:`assessment_json`, UTF-8 encoded with ``\n`` line ends, to a binary ``handle`` piece by piece."""
    for piece in iter_assessment_json(assessment):
        handle.write(piece)


def iter_assessment_json(assessment: Assessment) -> Iterator[bytes]:
    """The UTF-8 JSON of an assessment in pieces, serialised by pydantic-core a bounded amount at a time.

    A 100k-asset assessment is hundreds of MB of JSON; built as one string (then
    decoded and copied) it tripled peak memory. Nested models are written field
    by field and long lists and mappings :data:`CHUNK_ITEMS` entries at a time
    (the per-asset importance mapping is one field of a nested model). Each
    piece is serialised with ``indent=2`` at depth zero and re-indented to its
    depth: JSON strings never hold a raw newline (nor does UTF-8 use byte 0x0A
    inside a character), so adding spaces after each newline is exact. The
    pieces stay bytes, as pydantic-core gives them: decoding and re-encoding
    took a third of the writing time. ``tests/report/test_json_golden.py``
    checks the result against ``model_dump_json`` byte for byte.
    """
    yield from _model_json(assessment, b"\n")
    yield b"\n"


def _model_json(value: BaseModel, newline: bytes) -> Iterator[bytes]:
    """A model's fields in declaration order; ``newline`` is a newline followed by the indentation of the model's own line."""
    names = list(type(value).model_fields)
    inner = newline + b"  "
    yield b"{"
    for position, name in enumerate(names):
        yield inner + json.dumps(name).encode() + b": "
        yield from _value_json(type(value), name, getattr(value, name), inner)
        if position < len(names) - 1:
            yield b","
    yield newline + b"}"


def _value_json(owner: type[BaseModel], name: str, value: Any, newline: bytes) -> Iterator[bytes]:
    if isinstance(value, BaseModel) and type(value) in _STREAMED:
        yield from _model_json(value, newline)
        return
    adapter = _adapter(owner, name)
    if isinstance(value, tuple) and len(value) > CHUNK_ITEMS:
        yield b"["
        for start in range(0, len(value), CHUNK_ITEMS):
            text = adapter.dump_json(value[start : start + CHUNK_ITEMS], indent=2)
            # text is "[\n  item,\n  item\n]": keep the items, one level deeper than at depth zero.
            yield (b"," if start else b"") + newline + text[2:-2].replace(b"\n", newline)
        yield newline + b"]"
    elif isinstance(value, dict) and len(value) > CHUNK_ITEMS:
        keys = list(value)
        yield b"{"
        for start in range(0, len(keys), CHUNK_ITEMS):
            text = adapter.dump_json({key: value[key] for key in keys[start : start + CHUNK_ITEMS]}, indent=2)
            yield (b"," if start else b"") + newline + text[2:-2].replace(b"\n", newline)
        yield newline + b"}"
    else:
        yield adapter.dump_json(value, indent=2).replace(b"\n", newline)


_STREAMED: frozenset[type[BaseModel]] = frozenset({ImportanceResult, LifecycleReport, ChecklistReport})
"""Nested models that hold long lists or mappings, written field by field rather than in one piece."""


@lru_cache(maxsize=None)
def _adapter(owner: type[BaseModel], name: str) -> TypeAdapter[Any]:
    annotation = owner.model_fields[name].annotation
    assert annotation is not None
    return TypeAdapter(annotation)


def assessment_schema() -> dict[str, Any]:
    """The JSON Schema of ``assessment.json``, generated from the :class:`Assessment` model."""
    document = Assessment.model_json_schema(mode="serialization")
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "factorysec assessment"
    return document


def checklists_json(report: ChecklistReport) -> str:
    """The checklists and ranked open items as pretty JSON (output of 'factorysec checklist --format json')."""
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
