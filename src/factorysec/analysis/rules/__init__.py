"""The explicit registry of Step 1 rules. Adding a rule: write one module with a ``RULE`` and list it here."""

from __future__ import annotations

from factorysec.analysis.findings import Rule
from factorysec.analysis.rules import (
    zoning_mixed_management,
)

RULES: tuple[Rule, ...] = tuple(
    module.RULE
    for module in (
        zoning_mixed_management,
    )
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
