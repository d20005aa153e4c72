"""The assessment as JSON: the documented, stable machine-readable output."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache
from itertools import chain
from operator import attrgetter
from typing import IO, Annotated, Any, get_args, get_origin

from pydantic import BaseModel, TypeAdapter
from pydantic.fields import FieldInfo

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.importance import AssetImportance, ImportanceResult
from factorysec.analysis.lifecycle import ChecklistReport, LifecycleReport
from factorysec.analysis.lifecycle.checklists import Checklist

CHUNK_ITEMS = 500
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
    piece is serialised with ``indent=2`` already at its depth, nested in
    one-element lists whose brackets are cut off (:func:`_nested_json`). The
    per-asset lists of :data:`_COMPOSED` models are written a column at a
    time, each shared object once (:class:`_Composer`). The pieces stay
    bytes, as pydantic-core gives them: decoding and re-encoding took a third
    of the writing time. ``tests/report/test_json_golden.py`` and
    ``tests/report/test_json_composed.py`` check the result against
    ``model_dump_json`` byte for byte.
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
    composer = _composer(owner, name)
    if composer is not None and value and isinstance(value, dict if composer.mapping else tuple):
        yield from _composed_json(composer, owner, name, value, newline)
    elif isinstance(value, tuple) and len(value) > CHUNK_ITEMS:
        yield b"["
        for start in range(0, len(value), CHUNK_ITEMS):
            if start:
                yield b","
            yield _items_json(owner, name, value[start : start + CHUNK_ITEMS], newline)
        yield newline + b"]"
    elif isinstance(value, dict) and len(value) > CHUNK_ITEMS:
        keys = list(value)
        yield b"{"
        for start in range(0, len(keys), CHUNK_ITEMS):
            if start:
                yield b","
            yield _items_json(owner, name, {key: value[key] for key in keys[start : start + CHUNK_ITEMS]}, newline)
        yield newline + b"}"
    else:
        yield _field_json(owner, name, value, newline)


def _composed_json(
    composer: _Composer, owner: type[BaseModel], name: str, value: tuple[Any, ...] | dict[Any, Any], newline: bytes
) -> Iterator[bytes]:
    """A non-empty list or mapping of :data:`_COMPOSED` items, :data:`CHUNK_ITEMS` at a time; a chunk the composer declines goes to pydantic-core whole."""
    keys = list(value) if isinstance(value, dict) else None
    items = list(value.values()) if isinstance(value, dict) else value
    item_newline = newline + b"  "
    yield b"{" if keys is not None else b"["
    for start in range(0, len(items), CHUNK_ITEMS):
        end = start + CHUNK_ITEMS
        chunk_keys = keys[start:end] if keys is not None else None
        body = composer.chunk(items[start:end], chunk_keys, item_newline)
        if body is None:
            part = {key: value[key] for key in chunk_keys} if chunk_keys is not None else items[start:end]
            body = _items_json(owner, name, part, newline)
        if start:
            yield b","
        yield body
    yield newline + (b"}" if keys is not None else b"]")


def _field_json(owner: type[BaseModel], name: str, value: Any, newline: bytes) -> bytes:
    """The JSON of field ``name``'s ``value`` as it stands after the key on a line that starts with ``newline``."""
    text, start, end = _nested_json(owner, name, value, newline)
    return text[start:end]


def _items_json(owner: type[BaseModel], name: str, part: Any, newline: bytes) -> bytes:
    """The items of ``part`` (a non-empty tuple or mapping of field ``name``'s type) one per line after ``newline``, without the brackets."""
    text, start, end = _nested_json(owner, name, part, newline)
    # text[start:end] is "[" + newline + "  item," + newline + "  item" + newline + "]"
    return text[start + 1 : end - len(newline) - 1]


def _nested_json(owner: type[BaseModel], name: str, value: Any, newline: bytes) -> tuple[bytes, int, int]:
    """pydantic-core's JSON of field ``name``'s ``value`` at the depth of a line that starts with ``newline``, and where the value lies in it.

    ``newline`` is a newline and two spaces per level of depth. Rather than
    dump the value at depth zero and re-indent every line (a scan and copy
    that took a tenth of the writing time), pydantic-core dumps it nested
    in as many one-element lists, so that it is already at its depth; the
    caller cuts the lists' brackets off.
    """
    depth = len(newline) // 2
    adapter, head, tail = _nested_adapter(owner, name, depth)
    for _ in range(depth):
        value = (value,)
    text = adapter.dump_json(value, indent=2)
    if not (text.startswith(head) and text.endswith(tail)):
        raise ValueError(f"unexpected nesting in the JSON of {owner.__name__}.{name}")
    return text, len(head), len(text) - len(tail)


@cache
def _nested_adapter(owner: type[BaseModel], name: str, depth: int) -> tuple[TypeAdapter[Any], bytes, bytes]:
    """The adapter of field ``name``'s type nested ``depth`` times in a one-element tuple, and the text before and after the field's value."""
    annotation = _annotated(owner.model_fields[name])
    for _ in range(depth):
        annotation = _TUPLE[annotation]
    head = b"[" + b"".join(b"\n" + b"  " * level + b"[" for level in range(1, depth)) + b"\n" + b"  " * depth
    tail = b"".join(b"\n" + b"  " * level + b"]" for level in reversed(range(depth)))
    return TypeAdapter(annotation), head, tail


_STREAMED: frozenset[type[BaseModel]] = frozenset({ImportanceResult, LifecycleReport, ChecklistReport})
"""Nested models that hold long lists or mappings, written field by field rather than in one piece."""


_COMPOSED: dict[type[BaseModel], frozenset[str]] = {
    AssetImportance: frozenset({"ratings", "overall"}),
    Checklist: frozenset({"kind_title", "reason", "entries", "notes"}),
}
"""Models of which a list or mapping holds one per asset, each with its fields that hold objects shared among many items.

The analysis shares these objects on purpose (``_AssetRater``, ``_Kind``): the
100k-asset benchmark has four distinct ratings mappings among 100k assets and
two distinct entry tuples among 8k checklists. Walking every reference took
pydantic-core most of the writing time; :class:`_Composer` serialises each
distinct object of a chunk once and splices its bytes.
"""


class _Composer:
    """Writes a chunk of one :data:`_COMPOSED` model's items with pydantic-core a column at a time, each distinct shared object once.

    pydantic-core serialises a model's ``__dict__`` in its order, with the
    field serialisers of its class. A chunk is composed only when every item
    is of exactly that class with its fields in declaration order (anything
    else goes to pydantic-core whole). Each field is dumped for the whole
    chunk as one tuple, ``indent=2``: pydantic-core writes the elements one
    level deep, each on lines of their own, so the elements are what lies
    between a ``,`` and a newline followed by exactly that level's
    indentation (JSON text never holds a raw newline, and deeper lines are
    indented further). A shared field's column holds each distinct object
    (by ``id``: the items hold them, so ids are not reused within a chunk)
    once. The pieces are spliced into a ``%``-template of the chunk. The class
    may not change how it serialises (aliases, serialisers, computed or extra
    fields, serialisation config): :func:`_composer_for` refuses such a model.
    """

    def __init__(self, model: type[BaseModel], shared: frozenset[str], key: Any) -> None:
        fields = model.model_fields
        self.model = model
        self.names = tuple(fields)
        self.shared = tuple(name in shared for name in self.names)
        self.adapters: tuple[TypeAdapter[Any], ...] = tuple(
            TypeAdapter(_TUPLE[_annotated(field), ...]) for field in fields.values()
        )
        self.key_adapter: TypeAdapter[Any] | None = None if key is None else TypeAdapter(_TUPLE[key, ...])
        self.mapping = key is not None

    @cache  # noqa: B019 -- one formatter per array shape lives as long as the run
    def template(self, item_newline: bytes) -> bytes:
        """The ``%``-template of one item on a line indented as ``item_newline`` says: a ``%b`` per field (and one for the key)."""
        field_newline = item_newline + b"  "
        fields = b",".join(
            field_newline + json.dumps(name).encode().replace(b"%", b"%%") + b": %b" for name in self.names
        )
        return (b"%b: " if self.mapping else b"") + b"{" + fields + item_newline + b"}"

    def chunk(self, items: Sequence[Any], keys: list[Any] | None, item_newline: bytes) -> bytes | None:
        """The items (with their keys, for a mapping) joined as in a list or mapping at ``item_newline``, or None to leave them to pydantic-core."""
        values = list(map(_FIELDS, items))
        if set(map(type, items)) != {self.model} or set(map(tuple, values)) != {self.names}:
            return None
        field_newline = item_newline + b"  "
        columns: list[Sequence[bytes]] = []
        if keys is not None:
            assert self.key_adapter is not None
            columns.append(_column(self.key_adapter, tuple(keys), item_newline))
        for column, shared, adapter in zip(zip(*map(dict.values, values)), self.shared, self.adapters):
            if shared:
                ids = list(map(id, column))
                distinct = dict(zip(ids, column))
                if len(distinct) < len(column):
                    dumped = dict(zip(distinct, _column(adapter, tuple(distinct.values()), field_newline)))
                    columns.append(list(map(dumped.__getitem__, ids)))
                    continue
            columns.append(_column(adapter, column, field_newline))
        return self.chunk_template(len(items), item_newline) % tuple(chain.from_iterable(zip(*columns)))

    @lru_cache(maxsize=16)  # noqa: B019 -- bounded, and the formatter lives as long as the run
    def chunk_template(self, count: int, item_newline: bytes) -> bytes:
        """The ``%``-template of ``count`` items, each on a line that starts with ``item_newline``: filled in one go, without a bytes object per item."""
        return item_newline + (b"," + item_newline).join([self.template(item_newline)] * count)


_FIELDS = attrgetter("__dict__")


def _column(adapter: TypeAdapter[Any], values: tuple[Any, ...], newline: bytes) -> list[bytes]:
    """The JSON of each of ``values`` (a non-empty tuple that ``adapter`` dumps), indented for a line that starts with ``newline``."""
    # "[\n  a,\n  {\n    b\n  }\n]": the elements are one level deep; re-indent them first, then cut between them.
    body = adapter.dump_json(values, indent=2)[4:-2].replace(b"\n  ", newline)
    # One-line elements (strings, numbers, ...) leave no newline but between them: a plain split is exact, and faster.
    elements = body.split(b"," + newline) if body.count(b"\n") == len(values) - 1 else _separator(newline).split(body)
    if len(elements) != len(values):
        raise ValueError(f"expected {len(values)} elements, cut {len(elements)}")
    return elements


@cache
def _separator(newline: bytes) -> re.Pattern[bytes]:
    """What separates two elements of a list whose elements start on lines that start with ``newline``."""
    return re.compile(b"," + re.escape(newline) + b"(?! )")


_TUPLE: Any = tuple
"""``tuple``, to build ``tuple[T, ...]`` of a type known only at run time."""


def _annotated(field: FieldInfo) -> Any:
    """A field's type with its metadata (constraints, serialisers), as pydantic-core serialises the field."""
    return Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation


_PLAIN_CONFIG = frozenset({"frozen", "extra", "title"})
"""Model config keys that do not change how a model's fields serialise."""


def _composer_for(model: type[BaseModel], shared: frozenset[str], key: Any) -> _Composer:
    decorators = model.__pydantic_decorators__
    plain = (
        set(model.model_config) <= _PLAIN_CONFIG
        and model.model_config.get("extra") != "allow"
        and not model.model_computed_fields
        and not decorators.field_serializers
        and not decorators.model_serializers
        and all(
            field.alias is None and field.serialization_alias is None and not field.exclude
            for field in model.model_fields.values()
        )
        and shared <= set(model.model_fields)
        and bool(model.model_fields)
    )
    if not plain:
        raise TypeError(f"{model.__name__} cannot be composed field by field")
    return _Composer(model, shared, key)


@cache
def _composer(owner: type[BaseModel], name: str) -> _Composer | None:
    """The composer of a field that is a tuple or a ``str``-keyed mapping of :data:`_COMPOSED` items, if it is one."""
    annotation = owner.model_fields[name].annotation
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis and args[0] in _COMPOSED:
        return _composer_for(args[0], _COMPOSED[args[0]], None)
    if origin is dict and len(args) == 2 and args[0] is str and args[1] in _COMPOSED:
        return _composer_for(args[1], _COMPOSED[args[1]], str)
    return None


def assessment_schema() -> dict[str, Any]:
    """The JSON Schema of ``assessment.json``, generated from the :class:`Assessment` model."""
    document = Assessment.model_json_schema(mode="serialization")
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "factorysec assessment"
    return document


def checklists_json(report: ChecklistReport) -> str:
    """The checklists and ranked open items as pretty JSON (output of 'factorysec checklist --format json')."""
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
