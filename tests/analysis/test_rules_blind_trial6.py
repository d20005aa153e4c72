"""Fixes from the sixth strictly blind trial (electronics-ems, an EMS plant).

Each test states what the guideline asks, on a fixture beside the rule's own
(tests/fixtures/rules/<RULE ID>/), and failed before the fix it guards.
"""

from __future__ import annotations

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from tests.conftest import FIXTURES

RULE_FIXTURES = FIXTURES / "rules"


def _ids(fixture: str, catalog: Catalog, rule: str) -> list[str]:
    return sorted(f.id for f in analyze(load_model(RULE_FIXTURES / fixture), catalog).findings if f.rule == rule)


def test_a_store_drawn_towards_the_mes_that_instructs_it_is_not_a_zone_sending_control(catalog: Catalog) -> None:
    # 3.2.2 (1)(i): measures where zones with different requirements join. The MES issues the reel requests; a two-way
    # conduit drawn from the store does not make the store a zone without a control role sending instructions.
    assert _ids("THREAT-DIFFERENT-REQUIREMENTS/store-drawn-to-mes.yaml", catalog, "THREAT-DIFFERENT-REQUIREMENTS") == []


def test_a_store_whose_own_controller_issues_the_instructions_still_differs(catalog: Catalog) -> None:
    assert _ids("THREAT-DIFFERENT-REQUIREMENTS/store-issuing.yaml", catalog, "THREAT-DIFFERENT-REQUIREMENTS") == [
        "THREAT-DIFFERENT-REQUIREMENTS@stores"
    ]
