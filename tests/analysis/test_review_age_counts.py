"""Review ages and intervals in the Step 1-1 texts take thousands separators, like every other count."""

from __future__ import annotations

import datetime as dt

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from factorysec.model.entities import FactoryModel
from tests.conftest import FIXTURES

BASE = FIXTURES / "rules" / "base.yaml"


def test_a_bcp_and_a_requirement_reviewed_years_ago_say_their_age_with_separators(catalog: Catalog) -> None:
    """Before: 'The BCP was last reviewed on 2026-01-10, 1344 days ago' (ja '1344 日前')."""
    data = load_model(BASE).model_dump(by_alias=True, exclude_defaults=True)
    data["requirements"] = [
        {"id": "customer-std", "title": "Customer standard", "kind": "market-customer", "last_reviewed": "2026-01-10"}
    ]
    model = FactoryModel.model_validate(data)
    assert model.bcp is not None and model.bcp.last_reviewed == dt.date(2026, 1, 10) and model.requirements
    findings = analyze(model, catalog, today=dt.date(2029, 9, 15)).findings
    stale = [f for f in findings if f.rule in {"S1-BCP-REVIEW-STALE", "S1-REQUIREMENT-STALE"}]
    assert {f.rule for f in stale} == {"S1-BCP-REVIEW-STALE", "S1-REQUIREMENT-STALE"}
    for finding in stale:
        assert "1,344 days ago" in finding.rationale.en, finding.rationale.en
        assert "1,344 日前" in finding.rationale.ja, finding.rationale.ja
