"""The assessment as JSON: the documented, stable machine-readable output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from typing import IO, Any

from pydantic import TypeAdapter

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.lifecycle import ChecklistReport

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
    """The UTF-8 JSON of an assessment in pieces, each field (and long lists a chunk of items at a time) serialised by pydantic-core.

    A 100k-asset assessment is about 1 GB of JSON; built as one string (then
    decoded and copied) it tripled peak memory. Each piece is serialised with
    ``indent=2`` at depth zero and re-indented to its depth: JSON strings
    never hold a raw newline (nor does UTF-8 use byte 0x0A inside a
    character), so adding spaces after each newline is exact. The pieces stay
    bytes, as pydantic-core gives them: decoding and re-encoding took a third
    of the writing time. ``tests/report/test_json_golden.py`` checks the result
    against ``model_dump_json`` byte for byte.
    """
    names = list(Assessment.model_fields)
    yield b"{"
    for position, name in enumerate(names):
        yield b"\n  " + json.dumps(name).encode() + b": "
        yield from _field_json(name, getattr(assessment, name))
        if position < len(names) - 1:
            yield b","
    yield b"\n}\n"


@lru_cache(maxsize=None)
def _adapter(name: str) -> TypeAdapter[Any]:
    annotation = Assessment.model_fields[name].annotation
    assert annotation is not None
    return TypeAdapter(annotation)


def _field_json(name: str, value: Any) -> Iterator[bytes]:
    adapter = _adapter(name)
    if not isinstance(value, tuple) or len(value) <= CHUNK_ITEMS:
        yield adapter.dump_json(value, indent=2).replace(b"\n", b"\n  ")
        return
    yield b"["
    for start in range(0, len(value), CHUNK_ITEMS):
        text = adapter.dump_json(value[start : start + CHUNK_ITEMS], indent=2)
        # text is "[\n  item,\n  item\n]": keep the items, two levels deeper.
        yield (b"," if start else b"") + b"\n  " + text[2:-2].replace(b"\n", b"\n  ")
    yield b"\n  ]"


def assessment_schema() -> dict[str, Any]:
    """The JSON Schema of ``assessment.json``, generated from the :class:`Assessment` model."""
    document = Assessment.model_json_schema(mode="serialization")
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "factorysec assessment"
    return document


def checklists_json(report: ChecklistReport) -> str:
    """The checklists and ranked open items as pretty JSON (output of 'factorysec checklist --format json')."""
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
