"""Reading the model's own type annotations (for hints in errors and for workbook columns)."""

from __future__ import annotations

import types
import typing
from typing import Any


def unwrap_annotation(annotation: Any) -> Any:
    """The type inside ``Optional[...]`` and ``Annotated[...]``; other unions are returned as they are."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return unwrap_annotation(args[0]) if len(args) == 1 else annotation
    if origin is typing.Annotated:
        return unwrap_annotation(typing.get_args(annotation)[0])
    return annotation
