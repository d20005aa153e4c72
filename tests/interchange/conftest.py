"""Helpers for the interchange tests: the shared OTM and Threagile schemas and examples, read where they are (never copied)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.shared_folder import shared_data

ROOT = Path(__file__).resolve().parents[2]
SHARED = shared_data("interchange") or ROOT.parent / "shared" / "data" / "interchange"
"""Missing: `_validator` names the path the data were expected at."""
OTM_SCHEMA = SHARED / "otm" / "otm_schema.json"
OTM_EXAMPLE = SHARED / "otm" / "EXAMPLE.json"
THREAGILE_SCHEMA = SHARED / "threagile" / "schema.json"
THREAGILE_EXAMPLE = SHARED / "threagile" / "example-threagile.yaml"


def _validator(path: Path) -> jsonschema.protocols.Validator:
    if not path.is_file():
        pytest.fail(f"shared interchange data missing: {path} (expected at ../shared relative to the repository)")
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
    return cls(schema)


@pytest.fixture(scope="session")
def otm_validator() -> jsonschema.protocols.Validator:
    return _validator(OTM_SCHEMA)


@pytest.fixture(scope="session")
def threagile_validator() -> jsonschema.protocols.Validator:
    return _validator(THREAGILE_SCHEMA)


def schema_errors(validator: jsonschema.protocols.Validator, document: Any) -> list[str]:
    return [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]
