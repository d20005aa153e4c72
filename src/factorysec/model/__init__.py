"""The factory model: entities, loading with precise errors, and writing back."""

from factorysec.model.entities import (
    Asset,
    AssetType,
    Conduit,
    Department,
    Factory,
    FactoryModel,
    Importance,
    Lifecycle,
    Operation,
    Party,
    Trait,
    Zone,
    ZoneKind,
)
from factorysec.model.loader import (
    LoadedModel,
    check_against_catalog,
    earlier_model_digest,
    load_model,
    load_model_with_sources,
    model_digest,
)
from factorysec.model.problems import ModelInputError, Problem
from factorysec.model.writer import dump_model, save_model

__all__ = [
    "Asset",
    "AssetType",
    "Conduit",
    "Department",
    "Factory",
    "FactoryModel",
    "Importance",
    "Lifecycle",
    "LoadedModel",
    "ModelInputError",
    "Operation",
    "Party",
    "Problem",
    "Trait",
    "Zone",
    "ZoneKind",
    "check_against_catalog",
    "dump_model",
    "earlier_model_digest",
    "load_model",
    "load_model_with_sources",
    "model_digest",
    "save_model",
]
