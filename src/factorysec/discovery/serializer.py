"""JSON for discovery's result dataclasses through pydantic-core's serializer given their schema, without pydantic.

`command.render_json_bytes` writes the result with orjson and comes here for what orjson refuses (a whole number
outside 64 bits, text that is not Unicode): the same bytes either way, tested on real captures and special values.
pydantic-core writes the result about twice as fast when it is told each
object's fields and their types than when it infers them object by object
(0.06 against 0.12 CPU-s for the 2M-packet benchmark capture's 5,000 flows and
7,913 hosts). The schema used to come from a pydantic ``TypeAdapter``, which
needs pydantic's import (0.10-0.14 s, more than it saves), so only runs that had
pydantic loaded anyway used it. Serializing needs much less than validating:
each field's name and whether it holds text, a number, a flag, nothing, a tuple
of one type or another dataclass. `serializer_schema` reads that from the
dataclasses' own fields and annotations; anything else is refused (TypeError),
so a new field of another kind fails its test instead of writing other text.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any

from pydantic_core import SchemaSerializer, core_schema

_SCALARS: dict[Any, core_schema.CoreSchema] = {
    str: core_schema.str_schema(),
    int: core_schema.int_schema(),
    float: core_schema.float_schema(),
    bool: core_schema.bool_schema(),
    type(None): core_schema.none_schema(),
}


def serializer_schema(kind: Any) -> core_schema.CoreSchema:
    """The serialization schema of `kind`: a dataclass, a scalar, ``X | None`` or ``tuple[X, ...]`` of those."""
    if kind in _SCALARS:
        return _SCALARS[kind]
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = typing.get_type_hints(kind)
        fields = [f for f in dataclasses.fields(kind) if f.init]
        return core_schema.dataclass_schema(
            kind,
            core_schema.dataclass_args_schema(
                kind.__name__,
                [core_schema.dataclass_field(f.name, serializer_schema(hints[f.name])) for f in fields],
            ),
            [f.name for f in fields],
            slots=hasattr(kind, "__slots__"),
        )
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return core_schema.tuple_schema([serializer_schema(args[0])], variadic_item_index=0)
    if origin in (types.UnionType, typing.Union) and len(args) == 2 and type(None) in args:
        (inner,) = (a for a in args if a is not type(None))
        return core_schema.nullable_schema(serializer_schema(inner))
    raise TypeError(f"no serialization schema for {kind!r}")


@cache
def serializer(kind: type[Any]) -> SchemaSerializer:
    """A serializer of `kind` that writes non-finite numbers as ``null`` (as ``to_json(..., inf_nan_mode="null")``)."""
    return SchemaSerializer(serializer_schema(kind), core_schema.CoreConfig(ser_json_inf_nan="null"))
