"""Writing a model back to YAML so that loading it again gives an equal model."""

from __future__ import annotations

from pathlib import Path

import yaml

from factorysec.model.entities import FactoryModel


def dump_model(model: FactoryModel) -> str:
    """The model as YAML text, with defaults left out and sections in schema order."""
    data = model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data["factory"] = model.factory.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)


def save_model(model: FactoryModel, path: str | Path) -> None:
    """Write the model to one YAML file."""
    Path(path).write_text(dump_model(model), encoding="utf-8")
