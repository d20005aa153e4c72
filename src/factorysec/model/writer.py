"""Writing a model back to YAML so that loading it again gives an equal model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from factorysec.model.entities import FactoryModel

_BREAKS_IN_PLAIN_OR_SINGLE = frozenset("\x85\u2028\u2029\ufeff")
"""Characters YAML 1.1 folds or drops outside double quotes; only a double-quoted escape keeps them."""


class _ModelDumper(yaml.SafeDumper):
    """Safe dumper that double-quotes text holding characters other styles would not keep."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(ch in _BREAKS_IN_PLAIN_OR_SINGLE or not ch.isprintable() and ch not in "\n" for ch in value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_ModelDumper.add_representer(str, _represent_text)


def dump_model(model: FactoryModel) -> str:
    """The model as YAML text, with defaults left out and sections in schema order."""
    data: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data["factory"] = model.factory.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return yaml.dump(data, Dumper=_ModelDumper, sort_keys=False, allow_unicode=True, width=120)


def save_model(model: FactoryModel, path: str | Path) -> None:
    """Write the model to one YAML file."""
    Path(path).write_text(dump_model(model), encoding="utf-8")
