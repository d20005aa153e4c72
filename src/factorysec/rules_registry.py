"""The registry of every id the tool prints: each family's declarations, collected from beside their emitters.

Step 1 rules (:mod:`factorysec.analysis.rules`), Step 2 plan items
(:mod:`factorysec.analysis.plan_rules`), Step 3 gaps
(:mod:`factorysec.analysis.lifecycle.rules`), Table 3-4 requirements
(:mod:`factorysec.analysis.requirement_rules`), review reason codes
(:mod:`factorysec.analysis.review.reasons`), discovery drift checks
(:mod:`factorysec.discovery.drift_rules`) and vulnerability items
(:mod:`factorysec.vulnerability.explain_items`). It sits above them all, so
imports stay one-way: the analysis never imports it, nor discovery or
vulnerability. ``factorysec explain`` and ``docs/rules.md`` read it.
"""

from __future__ import annotations

import functools

from factorysec.rulebook import FAMILY_TITLES, Family, RuleInfo


class DuplicateRuleId(Exception):
    """Two declarations share an id: the registry refuses to guess which one an output means."""


def _families() -> dict[Family, tuple[RuleInfo, ...]]:
    from factorysec.analysis.lifecycle.rules import LIFECYCLE_RULES
    from factorysec.analysis.plan_rules import PLAN_RULES
    from factorysec.analysis.requirement_rules import REQUIREMENT_RULES
    from factorysec.analysis.review.reasons import REVIEW_REASONS
    from factorysec.analysis.rules import RULES
    from factorysec.discovery.drift_rules import DRIFT_RULES
    from factorysec.vulnerability.explain_items import VULNERABILITY_RULES

    return {
        "step1": RULES,
        "step2": PLAN_RULES,
        "step3": LIFECYCLE_RULES,
        "requirement": REQUIREMENT_RULES,
        "review": REVIEW_REASONS,
        "discovery": DRIFT_RULES,
        "vulnerability": VULNERABILITY_RULES,
    }


def index_rules(rules: tuple[RuleInfo, ...]) -> dict[str, RuleInfo]:
    """The rules by upper-case id; refuses two rules with one id (ids are matched without regard to case)."""
    index: dict[str, RuleInfo] = {}
    for rule in rules:
        key = rule.id.upper()
        if key in index:
            raise DuplicateRuleId(f"rule id '{rule.id}' is declared twice: {index[key].family} and {rule.family}")
        index[key] = rule
    return index


@functools.cache
def all_rules() -> tuple[RuleInfo, ...]:
    """Every declaration, family by family in :data:`FAMILY_TITLES` order, each family in its own order."""
    families = _families()
    return tuple(rule for family in FAMILY_TITLES for rule in families[family])


@functools.cache
def _index() -> dict[str, RuleInfo]:
    return index_rules(all_rules())


@functools.cache
def _prefixes() -> tuple[tuple[str, str], ...]:
    from factorysec.vulnerability.explain_items import FINDING_ID_PREFIXES

    return FINDING_ID_PREFIXES


def rule_key(printed_id: str) -> str:
    """The part of a printed id that names its rule: upper case, before any ``@subject``."""
    return printed_id.strip().upper().split("@", 1)[0]


def find_rule(printed_id: str) -> RuleInfo | None:
    """The declaration of a rule or item id, also accepting a finding id (``RULE@subject#key``) or a requirement id (``REQ-...@zone``)."""
    key = rule_key(printed_id)
    found = _index().get(key)
    if found is not None:
        return found
    for prefix, rule_id in _prefixes():
        if key.startswith(prefix):
            return _index()[rule_id.upper()]
    return None


def rule_ids() -> list[str]:
    """Every declared id, in registry order (for 'did you mean')."""
    return [rule.id for rule in all_rules()]
