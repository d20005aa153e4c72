"""Guideline citations name the place of the smartification appendix that says what they cite.

The appendix's text is the source: section 3.3 (Step 3) has two parts, (1) lifecycle and (2) supply chains, and its
PDCA cycle is Figure 3-4; Table 3-5 lists threats per matter (built-in computers, wireless, FA-OA connection ...) and
none about vulnerabilities, which 3.1.1 (3) asks about ("the assumed impact on the company ... when a vulnerability
is found in a procured product").
"""

from __future__ import annotations

import pytest

from factorysec.analysis.compare import PDCA_REFERENCE
from factorysec.explain import explain_id
from factorysec.report.pdf import LABELS
from factorysec.vulnerability.intake import RULE_BY_STATE, RULE_NEW, RULE_NO_IDENTITY, RULE_OUTREACH

VULNERABILITY_ITEMS = sorted({*RULE_BY_STATE.values(), RULE_NEW, RULE_NO_IDENTITY, RULE_OUTREACH})


@pytest.mark.parametrize("item_id", VULNERABILITY_ITEMS)
def test_vulnerability_items_cite_step_1_1_3_for_a_procured_products_vulnerability(item_id: str) -> None:
    item = explain_id(item_id)
    assert item is not None and item.rule is not None
    assert "3.1.1 (3)" in item.reference
    assert "3-5" not in item.reference
    assert "3-5" not in item.rule.why.en and "3-5" not in item.rule.why.ja


def test_the_pdca_check_of_compare_cites_step_3_and_figure_3_4_as_the_pdca_rules_do() -> None:
    rule = explain_id("S3-PDCA-NO-REVIEW")
    assert rule is not None and rule.reference == "Appendix 3.3 Step 3; Figure 3-4 (PDCA cycle)"
    assert PDCA_REFERENCE.startswith(rule.reference)
    assert "3.3 (4)" not in PDCA_REFERENCE


@pytest.mark.parametrize(("lang", "figure"), [("en", "Figure 3-4"), ("ja", "図3-4")])
def test_the_summary_pdf_cites_figure_3_4_for_the_pdca_review(lang: str, figure: str) -> None:
    assert figure in LABELS[lang]["pdca"]
    assert "3.3 (4)" not in LABELS[lang]["pdca"]


def test_the_safety_with_control_rule_cites_table_3_4_for_its_sqdc_safety_viewpoint() -> None:
    # Table 3-4's SQDC viewpoint holds "safety assurance (S)"; Table 3-5's only SQDC row is the delivery schedule an
    # unclear scope of responsibility misses.
    item = explain_id("ZONE-SAFETY-WITH-CONTROL")
    assert item is not None and item.rule is not None
    assert item.rule.viewpoint == "sqdc/safety"
    assert "Table 3-4 (SQDC: safety assurance (S))" in item.reference
    assert "Table 3-5" not in item.reference
