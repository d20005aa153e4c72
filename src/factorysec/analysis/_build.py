"""Building frozen pydantic models from values that are already valid, without validating them again.

The analysis builds hundreds of thousands of small result objects (requirements,
their texts and subjects) from values it has just worked out from a validated
model. Validating each again costs more than building it: pydantic's
``model_construct`` is slower still for small models, as it handles defaults,
aliases and extras generically.

:func:`build` sets exactly what validation would set: ``__dict__`` with every
field in declaration order (serialisation follows that order), the set of
fields given, and no extra or private values. The caller guarantees that the
values are what validation would accept *unchanged*: the declared types, and
for constrained fields (such as :class:`~factorysec.catalog.models.Text`'s
stripped, non-empty strings) values that already meet the constraint.
tests/analysis/test_build.py checks that built and validated objects compare
equal and serialise identically.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from factorysec.catalog.models import Text

M = TypeVar("M", bound=BaseModel)

_set = object.__setattr__
_new = object.__new__


def build(cls: type[M], values: dict[str, Any]) -> M:
    """An instance of ``cls`` holding ``values``, which must name every field of ``cls`` in declaration order.

    ``values`` becomes the instance's ``__dict__`` (the caller must not reuse
    it); every field counts as given, as when all are passed to the constructor.
    """
    obj: M = _new(cls)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", set(values))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


def unicode_ok(part: str) -> bool:
    """Whether ``part`` is valid Unicode (no lone surrogate), as :class:`Text` validation requires.

    Model names are plain strings, so a lone surrogate (a ``\\ud800`` escape in
    YAML) loads; worded into a :class:`Text` it fails validation. Callers
    check the parts they word into a text and validate (so fail as before) when
    a part is not valid.
    """
    try:
        part.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def text(en: str, ja: str) -> Text:
    """A :class:`Text` from two valid Unicode strings that are non-empty and neither start nor end with whitespace."""
    obj: Text = _new(Text)
    _set(obj, "__dict__", {"en": en, "ja": ja})
    _set(obj, "__pydantic_fields_set__", {"en", "ja"})
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj
