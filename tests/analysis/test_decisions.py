"""Expiry of decisions: a decision closes its finding through its review_by day, and no longer after it."""

from __future__ import annotations

import datetime as dt

from factorysec.analysis.decisions import RULE, RULE_EXPIRED, apply_decisions, is_open
from factorysec.analysis.findings import Finding
from factorysec.model.planfiles import Decision


def _decision(review_by: dt.date | None, status: str = "accepted") -> Decision:
    return Decision.model_validate(
        {"finding": "R@x", "status": status, "justification": "why", "owner": "ot", "review_by": review_by}
    )


class _Found:
    id = "R@x"


def test_expiry_follows_the_review_date() -> None:
    findings: list[Finding] = [_Found()]  # type: ignore[list-item]
    due = dt.date(2026, 6, 30)
    for today, expired in ((dt.date(2026, 6, 29), False), (due, False), (dt.date(2026, 7, 1), True), (None, False)):
        applied, stale = apply_decisions(findings, [_decision(due)], today)
        assert stale == []
        assert applied[0].expired is expired
        assert applied[0].rule == (RULE_EXPIRED if expired else RULE)
        assert is_open("R@x", {"R@x": applied[0]}) is expired


def test_a_decision_without_review_date_never_expires() -> None:
    applied, _ = apply_decisions([_Found()], [_decision(None)], dt.date(2099, 1, 1))  # type: ignore[list-item]
    assert not applied[0].expired and not is_open("R@x", {"R@x": applied[0]})
