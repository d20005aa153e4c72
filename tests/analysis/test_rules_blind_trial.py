"""Rule reasoning corrected after the blind trial on examples/chemical-batch (a material/process plant).

Each test states what the guideline asks, on a fixture beside the rule's own
(tests/fixtures/rules/<RULE ID>/), and failed before the fix it guards.
"""

from __future__ import annotations

from factorysec.catalog import Catalog
from tests.analysis.test_rules import rule_ids_found


def test_a_cloud_that_gathers_the_factorys_data_and_feeds_results_back_needs_data_utilisation_measures(
    catalog: Catalog,
) -> None:
    # Appendix 3.2.2 (1)(iii): data collected from facilities, accumulated and processed in a cloud service and fed back.
    found = rule_ids_found("DATA-UTILISATION/cloud-feedback.yaml", catalog)["DATA-UTILISATION"]
    assert "DATA-UTILISATION@cloud" in found


def test_a_cloud_that_only_receives_and_a_remote_session_are_no_data_gathering_outside(catalog: Catalog) -> None:
    found = rule_ids_found("DATA-UTILISATION/cloud-session.yaml", catalog).get("DATA-UTILISATION", [])
    assert "DATA-UTILISATION@cloud" not in found
    assert "DATA-UTILISATION@vendor-site" not in found
