"""Per example factory, every finding listed in a golden file with a one-line justification (issue #23, item 7).

Two files per example. ``<example>.findings.txt`` is generated: a line reads
``<finding id> | <guideline section or table> | <rule title> (<subject>)``, so a change in what the tool finds
shows as a diff. ``<example>.why.txt`` is written by a reviewer, one line per finding id:
``<finding id>  # <why it is right on this factory>`` — the fact of the example model that makes the finding
true, checked against the guideline text it rests on. Both are keyed by finding id, so branches that change
the findings merge line by line.

Regenerate after an intended change with
``FACTORYSEC_UPDATE_GOLDEN=1 pytest tests/analysis/test_example_findings_golden.py``: the listing is rewritten,
justifications of ids still found are kept, those of ids no longer found are dropped, and every new id gets
``# TODO`` — which fails the test until someone writes why the new finding is right (or fixes the rule).
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


JUSTIFICATION = "  # "
TODO = "TODO"


def _justifications(path: Path) -> dict[str, str]:
    """``<finding id>  # <why>`` lines by id (blank lines and lines starting with '#' are comments)."""
    found: dict[str, str] = {}
    if not path.exists():
        return found
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        finding_id, separator, why = line.partition(JUSTIFICATION)
        assert separator, f"{path.name}:{number}: write '<finding id>  # <why it is right>'"
        assert finding_id not in found, f"{path.name}:{number}: {finding_id} justified twice"
        found[finding_id] = why.strip()
    return found


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_finding_of_every_example_has_a_justification(name: str, catalog: Catalog) -> None:
    ids = [line.split(" | ")[0] for line in listing(EXAMPLES[name], catalog).splitlines()[1:]]
    path = GOLDEN / f"{name}.why.txt"
    justified = _justifications(path)
    if os.environ.get("FACTORYSEC_UPDATE_GOLDEN") == "1":
        lines = [f"# {EXAMPLES[name]}: why each finding is right (one line per finding id; see this test's docstring)"]
        lines += [f"{finding_id}{JUSTIFICATION}{justified.get(finding_id) or TODO}" for finding_id in ids]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        justified = _justifications(path)
    missing = [i for i in ids if not justified.get(i) or justified[i] == TODO]
    assert not missing, f"{path.name}: no justification for {missing}"
    stale = sorted(set(justified) - set(ids))
    assert not stale, f"{path.name}: justified but no longer found: {stale}"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_no_generic_it_noise_on_the_examples(name: str, catalog: Catalog) -> None:
    """No web-application threats on PLCs nor theft raised everywhere: every finding rests on the guideline."""
    for line in listing(EXAMPLES[name], catalog).splitlines()[1:]:
        finding_id, reference, why = line.split(" | ")
        assert reference.startswith("Appendix"), line
        assert "web" not in why.lower() and "sql" not in why.lower(), line
