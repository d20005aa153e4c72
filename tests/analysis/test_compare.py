"""Two assessments side by side (the PDCA check): findings resolved, new and changed, risks up and down, Step 3 progress."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from factorysec.analysis import analyze
from factorysec.analysis.assessment import Assessment
from factorysec.analysis.compare import compare_assessments
from factorysec.catalog import Catalog, load_catalog
from factorysec.model import load_model
from factorysec.model.planfiles import read_decisions
from tests.compare_support import edited_copy
from tests.conftest import EXAMPLES

TODAY = date(2026, 12, 1)


def _assess(path: Path, catalog: Catalog, decisions: Path | None = None) -> Assessment:
    return analyze(load_model(path), catalog, today=TODAY, decisions=read_decisions(decisions) if decisions else ())


def test_an_edited_annex_a_shows_what_was_resolved_added_and_progressed(tmp_path: Path) -> None:
    catalog = load_catalog()
    before = _assess(EXAMPLES / "current", catalog)
    after = _assess(edited_copy(tmp_path), catalog, tmp_path / "decisions.yaml")
    comparison = compare_assessments(before, after, catalog.maturity_levels)
    assert [d.id for d in comparison.resolved] == ["S3-MATURITY-UNASSESSED@annex-a-factory#between-departments"]
    assert comparison.resolved[0].state_before == "open" and comparison.resolved[0].state_after is None
    # The laptop is a general-purpose product: it gets the Table 3-11 checklist although no supplier is named.
    assert [d.id for d in comparison.new] == [
        "THREAT-EXTERNAL-EQUIPMENT@production",
        "S3-CHECKLIST-OPEN@vendor-laptop#general-purpose-product",
    ]
    assert comparison.new[0].level_after == "critical" and comparison.new[0].reference.startswith("Appendix 2.1.2")
    changed = {d.id: d for d in comparison.changed}
    # The remote-access laptop in production no longer raises the zone it feeds (production-control): with every conduit
    # crossed both ways (#23 item 1), production-control was already as near an entry point before the edit.
    raised_downstream: set[str] = set()
    assert set(changed) == {"THREAT-BUILT-IN-COMPUTER@production", "THREAT-WIRELESS@transport-zone"} | raised_downstream
    assert (
        changed["THREAT-BUILT-IN-COMPUTER@production"].level_before,
        changed["THREAT-BUILT-IN-COMPUTER@production"].level_after,
    ) == ("medium", "critical")
    assert (
        changed["THREAT-WIRELESS@transport-zone"].state_before,
        changed["THREAT-WIRELESS@transport-zone"].state_after,
    ) == ("open", "accepted")
    assert comparison.risks_up[0].finding == "THREAT-BUILT-IN-COMPUTER@production"
    assert (comparison.risks_up[0].level_before, comparison.risks_up[0].level_after) == ("medium", "critical")
    assert {r.finding for r in comparison.risks_up[1:]} == raised_downstream
    assert comparison.risks_down == ()
    answered = comparison.checklist_items_answered
    assert (answered.done_before, answered.done_after, answered.change) == (
        0,
        1,
        1,
    ) and answered.total_after >= answered.total_before > 0
    assert (comparison.ooda_roles_filled.done_before, comparison.ooda_roles_filled.done_after) == (0, 1)
    maturity = {m.area: m for m in comparison.maturity}
    assert (
        maturity["between-departments"].level_before,
        maturity["between-departments"].level_after,
        maturity["between-departments"].direction,
    ) == (None, "practice", "up")
    assert {m.direction for a, m in maturity.items() if a != "between-departments"} == {"same"}
    assert maturity["between-departments"].level_after_title == catalog.maturity_levels["practice"].title
    assert not comparison.unchanged


def test_the_reverse_comparison_mirrors_it(tmp_path: Path) -> None:
    catalog = load_catalog()
    before = _assess(EXAMPLES / "current", catalog)
    after = _assess(edited_copy(tmp_path), catalog, tmp_path / "decisions.yaml")
    back = compare_assessments(after, before, catalog.maturity_levels)
    assert [d.id for d in back.resolved] == [
        "THREAT-EXTERNAL-EQUIPMENT@production",
        "S3-CHECKLIST-OPEN@vendor-laptop#general-purpose-product",
    ]
    assert [d.id for d in back.new] == ["S3-MATURITY-UNASSESSED@annex-a-factory#between-departments"]
    assert "THREAT-BUILT-IN-COMPUTER@production" in {r.finding for r in back.risks_down} and back.risks_up == ()
    assert len(back.risks_down) == 1
    assert back.ooda_roles_filled.change == -1
    assert {m.area: m.direction for m in back.maturity}["between-departments"] == "down"


def test_an_assessment_compared_with_itself_is_unchanged() -> None:
    catalog = load_catalog()
    assessment = _assess(EXAMPLES / "current", catalog)
    comparison = compare_assessments(assessment, assessment, catalog.maturity_levels)
    assert comparison.unchanged
    assert (
        comparison.findings_before
        == comparison.findings_after
        == len(assessment.findings) + len(assessment.lifecycle.findings)
    )
