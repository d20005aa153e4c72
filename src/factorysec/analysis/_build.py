"""Building frozen pydantic models from values that are already valid, without validating them again.

The analysis builds hundreds of thousands of small result objects (requirements,
their texts and subjects) from values it has just worked out from a validated
model. Validating each again costs more than building it: pydantic's
``model_construct`` is slower still for small models, as it handles defaults,
aliases and extras generically.

:func:`assemble` sets exactly what validation would set: ``__dict__`` with every
field in declaration order (serialisation follows that order), the set of
fields given, and no extra or private values. The caller guarantees that the
values are what validation would accept *unchanged*: the declared types, and
for constrained fields (such as :class:`~factorysec.catalog.models.Text`'s
stripped, non-empty strings) values that already meet the constraint.
tests/analysis/test_build.py checks that built and validated objects compare
equal and serialise identically.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from pydantic import BaseModel

from factorysec.catalog.models import Text

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
_set = object.__setattr__
_set_fields_set = cast(Any, BaseModel.__dict__["__pydantic_fields_set__"]).__set__
_set_extra = cast(Any, BaseModel.__dict__["__pydantic_extra__"]).__set__
_set_private = cast(Any, BaseModel.__dict__["__pydantic_private__"]).__set__


def assemble(cls: type[M], values: dict[str, Any], fields_set: set[str] | None = None) -> M:
    """A model instance from values that already are what validation would make of them, without validating.

    The instance equals and serialises as ``cls(**values)`` would, in half the
    time or less. ``values`` must hold every field, in declaration order
    (serialisation follows it), with exactly the types validation gives
    (``float`` not ``int``, ``tuple`` not ``list``, plain ``str``); it becomes
    the instance's ``__dict__``, so the caller must not reuse it.
    ``fields_set`` names the fields a constructor call would have been given
    (default: all of them). Only for models without validators, extra fields
    or private attributes.
    """
    instance = _new(cls)
    _set(instance, "__dict__", values)
    _set_fields_set(instance, set(values) if fields_set is None else fields_set)
    _set_extra(instance, None)
    _set_private(instance, None)
    return instance


def unicode_ok(part: str) -> bool:
    """Whether ``part`` is valid Unicode (no lone surrogate), as :class:`Text` validation requires.

    Model files cannot hold a lone surrogate (the YAML reader refuses the
    escape), but a model built in code can; worded into a :class:`Text` it
    fails validation. Callers that word many texts from the same parts check
    the parts once and use :func:`text_unchecked`.
    """
    try:
        part.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _plain(value: str) -> bool:
    """Whether ``value`` is a plain, non-empty ``str`` that a :class:`Text` field keeps as is (nothing to strip)."""
    return type(value) is str and value != "" and value.strip() == value


def text(en: str, ja: str) -> Text:
    """A bilingual text; built without validation when both strings are already what validation would leave.

    Python's ``str.strip`` removes a superset of the whitespace pydantic-core
    strips, so a string it leaves alone is kept as is by validation too;
    anything else goes through :class:`Text` and its checks.
    """
    if _plain(en) and _plain(ja) and unicode_ok(en) and unicode_ok(ja):
        return assemble(Text, {"en": en, "ja": ja}, {"en", "ja"})
    return Text(en=en, ja=ja)


def text_unchecked(en: str, ja: str) -> Text:
    """A :class:`Text` from two strings the caller knows are valid Unicode, non-empty, and neither start nor end with whitespace."""
    return assemble(Text, {"en": en, "ja": ja}, {"en", "ja"})
