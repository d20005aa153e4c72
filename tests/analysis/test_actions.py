"""The short action list (issue #23): at most ten ranked actions, each merging what one missing measure resolves."""

from __future__ import annotations

from factorysec.analysis import analyze
from factorysec.analysis.actions import LIMIT
from factorysec.analysis.risk import LEVEL_RANK
from factorysec.catalog import Catalog
from factorysec.model import load_model
from tests.conftest import EXAMPLES, FIXTURES, ROOT


def test_actions_are_few_ranked_and_merge_findings_requirements_and_checklists(catalog: Catalog) -> None:
    assessment = analyze(load_model(ROOT / "examples" / "automotive-parts"), catalog)
    actions = assessment.actions
    assert 0 < len(actions) <= LIMIT
    assert [a.rank for a in actions] == list(range(1, len(actions) + 1))
    keys = [(-(LEVEL_RANK[a.level] if a.level else 0), -a.weight) for a in actions]
    assert keys == sorted(keys)
    gaps = {g.finding: g for g in assessment.gaps}
    requirement_ids = {r.id for r in assessment.requirements}
    for action in actions:
        assert action.id == f"ACTION-{action.measure}" and action.measure in catalog.measures
        assert action.findings and all(action.measure in gaps[f].missing for f in action.findings)
        assert set(action.requirements) <= requirement_ids
        assert action.departments
    boundary = next(a for a in actions if a.measure == "net-zone-boundary-filtering")
    assert len(boundary.findings) > 1  # one action for a measure many findings lack, not one per finding
    assert {"it", "prod-eng"} <= set(boundary.departments)  # the model's departments of the owning Table 1-1 kinds
    with_items = [a for a in actions if a.checklist_items]
    assert with_items and all(a.measure.startswith(("hw-", "sw-", "cloud-")) for a in with_items)


def test_an_action_says_which_risks_it_lowers(catalog: Catalog) -> None:
    assessment = analyze(load_model(ROOT / "examples" / "automotive-parts"), catalog)
    risks = {r.finding: r for r in assessment.risks}
    removes = [r for a in assessment.actions for r in a.removes]
    assert removes
    for removed in removes:
        assert removed.finding in risks
        assert LEVEL_RANK[removed.after] < LEVEL_RANK[removed.before]


def test_no_missing_measure_gives_no_action(catalog: Catalog) -> None:
    assert analyze(load_model(FIXTURES / "rules" / "base.yaml"), catalog).actions == ()


def test_annex_a_actions_lead_with_a_high_level(catalog: Catalog) -> None:
    actions = analyze(load_model(EXAMPLES / "current"), catalog).actions
    assert actions[0].level == "high"


def test_an_actions_summary_names_only_what_it_resolves(catalog: Catalog) -> None:
    """Before: 'resolves 3 findings in 3 zones, 4 requirements, 0 checklist items; lowers 3 risks' (ja 'チェック項目 0 件')."""
    actions = analyze(load_model(EXAMPLES / "current"), catalog).actions
    assert any(not action.checklist_items for action in actions)
    for action in actions:
        en, ja = action.summary.en, action.summary.ja
        assert " 0 " not in en and " 0 件" not in ja, (en, ja)
        assert ("checklist item" in en) == bool(action.checklist_items) == ("チェック項目" in ja)
        assert ("lowers" in en) == bool(action.removes) == ("下げる" in ja)
