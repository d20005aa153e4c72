"""The rule registry: every id the tool prints is declared once, in both languages, and the rules page is current."""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import factorysec.analysis.rules as rules_package
from factorysec.analysis.findings import FindingRule, Rule
from factorysec.analysis.rules import RULE_MODULES, RULES, rules_of
from factorysec.catalog import Catalog
from factorysec.cli import app
from factorysec.report.glossary import reference
from factorysec.rulebook import FAMILY_TITLES, RuleInfo
from factorysec.rules_page import render_rules_page
from factorysec.rules_registry import DuplicateRuleId, all_rules, find_rule, index_rules

REPO = Path(__file__).resolve().parent.parent
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
TEXT_FIELDS = ("title", "summary", "why", "false_positives")


def test_ids_are_unique_across_families() -> None:
    ids = [rule.id.upper() for rule in all_rules()]
    assert len(ids) == len(set(ids))
    assert index_rules(all_rules()).keys() == set(ids)


def test_the_registry_refuses_an_id_declared_twice() -> None:
    first = all_rules()[0]
    twin = RuleInfo(
        id=first.id.lower(),
        family="discovery",
        category="discovery",
        reference="r",
        title=first.title,
        summary=first.summary,
        why=first.why,
        false_positives=first.false_positives,
    )
    with pytest.raises(DuplicateRuleId, match=f"'{first.id.lower()}' is declared twice"):
        index_rules((*all_rules(), twin))


def test_every_family_has_declarations_of_its_own_family() -> None:
    by_family: dict[str, list[RuleInfo]] = {}
    for rule in all_rules():
        by_family.setdefault(rule.family, []).append(rule)
    assert list(by_family) == list(FAMILY_TITLES)
    assert all(isinstance(r, Rule) for r in by_family["step1"])
    assert all(isinstance(r, FindingRule) and not isinstance(r, Rule) for r in by_family["step3"])


def test_every_rule_module_is_registered() -> None:
    modules = {m.name for m in pkgutil.iter_modules(rules_package.__path__) if not m.name.startswith("_")}
    assert modules == set(RULE_MODULES), "list each rule module in RULE_MODULES (analysis/rules/__init__.py)"
    for name in RULE_MODULES:
        module = __import__(f"{rules_package.__name__}.{name}", fromlist=["_"])
        assert rules_of(module), f"{name} defines no Rule"
    assert set(RULES) <= set(all_rules())


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_every_rule_speaks_both_languages_in_every_text(rule: RuleInfo) -> None:
    for name in TEXT_FIELDS:
        value = getattr(rule, name)
        assert value.en.strip() and value.ja.strip(), f"{rule.id}.{name}"
        assert JAPANESE.search(value.ja), f"{rule.id}.{name}: the Japanese text has no Japanese in it"
        assert not JAPANESE.search(value.en), f"{rule.id}.{name}: the English text has Japanese in it"
    assert rule.why != rule.false_positives and rule.why != rule.summary
    for (
        name
    ) in TEXT_FIELDS:  # the guideline's places in Japanese: 付録A, 表3-4, 別冊 (ZONE-MIXED-* said 'Annex A 事例')
        assert not re.search(r"\b(Annex|Appendix|Tables?|Figure)\b", getattr(rule, name).ja), f"{rule.id}.{name}"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_every_rule_cites_the_guideline_and_known_measures(rule: RuleInfo, catalog: Catalog) -> None:
    assert re.search(r"\d\.\d|Table|Annex|IEC 62443", rule.reference), rule.reference
    for measure in rule.measures:
        assert measure in catalog.measures


def test_printed_ids_find_their_declaration() -> None:
    assert find_rule("THREAT-WIRELESS@line") is find_rule("threat-wireless")
    assert find_rule("S3-OODA-NO-DECIDER@base#damage-occurrence.orient") is not None
    assert find_rule("REQ-transfer-integrity@line->office") is not None
    assert find_rule("REQ-stoppage@line") is not None
    found = find_rule("VULN-CVE-2023-20198@router")
    assert found is not None and found.id == "VULN-AFFECTED"
    assert find_rule("NO-SUCH-RULE") is None


def test_docs_rules_page_is_current() -> None:
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render_rules_page(), "docs/rules.md is stale: run 'python scripts/rules_page.py'"


def test_the_rules_page_lists_every_rule_with_its_why() -> None:
    page = render_rules_page()
    for rule in all_rules():
        assert f"### {rule.id}\n" in page
        assert rule.why.ja in page and rule.false_positives.en in page


@pytest.mark.parametrize(
    "printed",
    ["ZONE-MIXED-CONTROL@office", "S3-RESP-GAP", "RISK", "REQ-stoppage@line", "DISC-UNKNOWN-HOST", "VULN-NO-IDENTITY"],
)
def test_explain_prints_why_and_false_positives_of_every_family(printed: str) -> None:
    rule = find_rule(printed)
    assert rule is not None
    for lang in ("en", "ja"):
        result = CliRunner().invoke(app, ["explain", printed, "--lang", lang])
        assert result.exit_code == 0, result.output
        assert rule.why.get(lang) in result.output and rule.false_positives.get(lang) in result.output
        assert reference(rule.reference, lang) in result.output  # the glossary's Japanese under --lang ja
