"""The assessment as JSON: the documented, stable machine-readable output."""

from __future__ import annotations

import json

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.lifecycle import ChecklistReport


def assessment_json(assessment: Assessment) -> str:
    """Pretty JSON, keys in schema order, so that two runs diff cleanly."""
    return json.dumps(assessment.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def checklists_json(report: ChecklistReport) -> str:
    """The checklists and ranked open items as pretty JSON (output of 'factorysec checklist --format json')."""
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
