"""The comparison of two assessments as JSON (both languages in every text, like ``assessment.json``)."""

from __future__ import annotations

from factorysec.analysis.compare import Comparison


def comparison_json(comparison: Comparison) -> str:
    """Deterministic JSON: keys in the model's order, items in the comparison's order."""
    return comparison.model_dump_json(indent=2) + "\n"
