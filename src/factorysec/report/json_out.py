"""The assessment as JSON: the documented, stable machine-readable output."""

from __future__ import annotations

import json
from typing import Any

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.lifecycle import ChecklistReport


def assessment_json(assessment: Assessment) -> str:
    """Pretty JSON, keys in schema order, so that two runs diff cleanly."""
    return json.dumps(assessment.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def assessment_schema() -> dict[str, Any]:
    """The JSON Schema of ``assessment.json``, generated from the :class:`Assessment` model."""
    document = Assessment.model_json_schema(mode="serialization")
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "factorysec assessment"
    return document


def checklists_json(report: ChecklistReport) -> str:
    """The checklists and ranked open items as pretty JSON (output of 'factorysec checklist --format json')."""
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
