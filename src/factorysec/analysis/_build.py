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

from collections.abc import Callable
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
    (default: all of them). Only for models without validators or extra fields;
    private attributes get their defaults, as a constructor call gives them.
    """
    instance = _new(cls)
    _set(instance, "__dict__", values)
    _set_fields_set(instance, set(values) if fields_set is None else fields_set)
    _set_extra(instance, None)
    private = cls.__private_attributes__
    _set_private(instance, {name: attribute.get_default() for name, attribute in private.items()} if private else None)
    return instance


def assembler(cls: type[M]) -> Callable[[dict[str, Any]], M]:
    """:func:`assemble` for one frozen model whose values always hold every field: one ``fields_set`` shared by all instances.

    For the hundreds of thousands of objects of a kind that the analysis builds;
    a third faster than :func:`assemble`, which makes a new set per instance.
    Sharing is safe because a frozen instance never changes its fields set in
    place (copies such as ``model_copy`` copy it first); ``values`` are as for
    :func:`assemble`, with every field.
    """
    if not cls.model_config.get("frozen"):
        raise TypeError(f"{cls.__name__} is not frozen: its instances cannot share a fields set")
    if cls.__private_attributes__:
        raise TypeError(f"{cls.__name__} has private attributes: use assemble, which gives them their defaults")
    fields_set = set(cls.model_fields)
    new, set_dict, set_fields_set, set_extra, set_private = _new, _set, _set_fields_set, _set_extra, _set_private

    def build(values: dict[str, Any]) -> M:
        instance = new(cls)
        set_dict(instance, "__dict__", values)
        set_fields_set(instance, fields_set)
        set_extra(instance, None)
        set_private(instance, None)
        return instance

    return build


def unicode_ok(part: str) -> bool:
    """Whether ``part`` is valid Unicode (no lone surrogate), as :class:`Text` validation requires.

    Model files cannot hold a lone surrogate (the YAML reader refuses the
    escape), but a model built in code can; worded into a :class:`Text` it
    fails validation. Callers that word many texts from the same parts check
    the parts once and use :func:`text_unchecked`.
    """
    if part.isascii():
        return True
    try:
        part.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_build_text = assembler(Text)


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
        return _build_text({"en": en, "ja": ja})
    return Text(en=en, ja=ja)


def text_unchecked(en: str, ja: str) -> Text:
    """A :class:`Text` from two strings the caller knows are valid Unicode, non-empty, and neither start nor end with whitespace."""
    return _build_text({"en": en, "ja": ja})
