"""Writing a model back to YAML so that loading it again gives an equal model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from factorysec.model.entities import FactoryModel
from factorysec.yamlio import MAYBE_NOT_TEXT

_BREAKS_IN_PLAIN_OR_SINGLE = frozenset("\x85\u2028\u2029\ufeff")
"""Characters YAML 1.1 folds or drops outside double quotes; only a double-quoted escape keeps them."""


class _ModelDumper(yaml.SafeDumper):
    """Safe dumper that double-quotes text holding characters other styles would not keep."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _read_as_other_than_text(value) or any(
        ch in _BREAKS_IN_PLAIN_OR_SINGLE or not ch.isprintable() and ch not in "\n" for ch in value
    ):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


def _read_as_other_than_text(value: str) -> bool:
    """Whether the loader (YAML 1.2) would read ``value`` written plain as something else (``1e3``, ``0o17``, ``_1``).

    PyYAML's dumper quotes what YAML 1.1 reads as non-text; these are the values YAML 1.2 reads differently.
    """
    if value[:1] not in MAYBE_NOT_TEXT or "\n" in value:
        return False
    try:
        return bool(yaml_rs.loads(f"k: {value}", parse_datetime=False) != {"k": value})
    except yaml_rs.YAMLDecodeError:
        return False


_ModelDumper.add_representer(str, _represent_text)


def dump_model(model: FactoryModel) -> str:
    """The model as YAML text, with defaults left out and sections in schema order."""
    data: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data["factory"] = model.factory.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return yaml.dump(data, Dumper=_ModelDumper, sort_keys=False, allow_unicode=True, width=120)


_CDumperBase: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _DataDumper(_CDumperBase):  # type: ignore[misc]
    """:class:`_ModelDumper`'s representation with libyaml's emitter when present (interchange documents run to tens of megabytes)."""


_DataDumper.add_representer(str, _represent_text)


def dump_data(data: Any) -> str:
    """Plain data (an interchange document, a change file) as YAML text that YAML 1.1 and 1.2 readers both read back as written."""
    text: str = yaml.dump(data, Dumper=_DataDumper, sort_keys=False, allow_unicode=True, width=120)
    return text


def save_model(model: FactoryModel, path: str | Path) -> None:
    """Write the model to one YAML file."""
    Path(path).write_text(dump_model(model), encoding="utf-8")
