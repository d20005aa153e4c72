"""Per example factory, every finding listed in a golden file with a one-line justification (issue #23, item 7).

A line reads ``<finding id> | <guideline section or table> | <why, in one line>``; the justification is the
rule's title with the finding's subject, so a reviewer reads each finding against the guideline text it rests on
and a change in what the tool finds shows as a diff. Regenerate after an intended change with
``FACTORYSEC_UPDATE_GOLDEN=1 pytest tests/analysis/test_example_findings_golden.py``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from tests.conftest import ROOT

GOLDEN = Path(__file__).parent / "golden"
TODAY = dt.date(2026, 12, 3)
EXAMPLES = {
    "annex-a-current": "annex-a/current",
    "annex-a-case-1-first-added": "annex-a/case-1-first-added.yaml",
    "annex-a-case-2-first-added": "annex-a/case-2-first-added.yaml",
    "annex-a-case-3-first-added": "annex-a/case-3-first-added.yaml",
    "annex-a-all-cases-reviewed": "annex-a/all-cases-reviewed.yaml",
    "automotive-parts": "automotive-parts",
    "food-batch": "food-batch",
    "pharma-data-integrity": "pharma-data-integrity",
}


def listing(path: str, catalog: Catalog) -> str:
    assessment = analyze(load_model(ROOT / "examples" / path), catalog, today=TODAY)
    lines = [
        f"# {path}: {len(assessment.findings)} findings, {len(assessment.lifecycle.findings)} Step 3 findings, {len(assessment.actions)} actions"
    ]
    for finding in (*assessment.findings, *assessment.lifecycle.findings):
        why = f"{finding.title.en} ({finding.subject.kind} {finding.subject.id})"
        lines.append(f"{finding.id} | {finding.reference} | {why}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_findings_match_their_golden_listing(name: str, catalog: Catalog) -> None:
    text = listing(EXAMPLES[name], catalog)
    path = GOLDEN / f"{name}.findings.txt"
    if os.environ.get("FACTORYSEC_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run with FACTORYSEC_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} differs: if the change is intended, run with FACTORYSEC_UPDATE_GOLDEN=1"
    )


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_no_generic_it_noise_on_the_examples(name: str, catalog: Catalog) -> None:
    """No web-application threats on PLCs nor theft raised everywhere: every finding rests on the guideline."""
    for line in listing(EXAMPLES[name], catalog).splitlines()[1:]:
        finding_id, reference, why = line.split(" | ")
        assert reference.startswith("Appendix"), line
        assert "web" not in why.lower() and "sql" not in why.lower(), line
