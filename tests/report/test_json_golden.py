"""assessment.json: a golden file for the Annex A current factory, and its documented JSON Schema.

Regenerate after an intended change with ``FACTORYSEC_UPDATE_GOLDEN=1 pytest tests/report``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.cli import app
from factorysec.model import load_model
from factorysec.report.json_out import assessment_json, assessment_schema
from tests.conftest import EXAMPLES, ROOT

GOLDEN = Path(__file__).parent / "golden" / "annex-a-current.json"
SCHEMA_DOC = ROOT / "docs" / "assessment.schema.json"
UPDATE = os.environ.get("FACTORYSEC_UPDATE_GOLDEN") == "1"


def _check_golden(path: Path, text: str) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run with FACTORYSEC_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} differs: if the change is intended, run with FACTORYSEC_UPDATE_GOLDEN=1"
    )


@pytest.fixture(scope="module")
def current_json(catalog: Catalog) -> str:
    return assessment_json(analyze(load_model(EXAMPLES / "current"), catalog))


def test_annex_a_current_matches_the_golden_file(current_json: str) -> None:
    _check_golden(GOLDEN, current_json)


def test_output_is_deterministic_across_runs_and_loads(current_json: str, catalog: Catalog) -> None:
    again = assessment_json(analyze(load_model(EXAMPLES / "current"), catalog))
    assert again == current_json


def test_documented_schema_is_current_and_validates_the_output(current_json: str) -> None:
    schema_text = json.dumps(assessment_schema(), indent=2, ensure_ascii=False) + "\n"
    _check_golden(SCHEMA_DOC, schema_text)
    schema = json.loads(schema_text)
    jsonschema.Draft202012Validator(schema).validate(json.loads(current_json))
    broken = json.loads(current_json)
    del broken["findings"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def test_schema_command_prints_the_assessment_schema() -> None:
    result = CliRunner().invoke(app, ["schema", "--assessment"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "factorysec assessment"


@pytest.mark.parametrize("chunk_items", [1, 2, 1000])
def test_streamed_json_is_pydantics_text_byte_for_byte(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch, chunk_items: int
) -> None:
    """The streamed pieces, however long lists are chunked, join to exactly what ``model_dump_json`` gives."""
    from factorysec.report import json_out

    assessment = analyze(load_model(EXAMPLES / "current"), catalog)
    monkeypatch.setattr(json_out, "CHUNK_ITEMS", chunk_items)
    assert json_out.assessment_json(assessment) == assessment.model_dump_json(indent=2) + "\n"


def test_no_streamed_piece_holds_a_long_mapping_whole(catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-asset importance mapping sits inside a nested model; it is cut into chunks like the top-level lists."""
    from factorysec.report import json_out

    assessment = analyze(load_model(EXAMPLES / "current"), catalog)
    assert len(assessment.importance.assets) > 4
    monkeypatch.setattr(json_out, "CHUNK_ITEMS", 2)
    whole_mapping = assessment.importance.model_dump_json(indent=2, include={"assets"})
    assert max(len(piece) for piece in json_out.iter_assessment_json(assessment)) < len(whole_mapping) / 2
