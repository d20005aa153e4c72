"""The rules page (``docs/rules.md``): every declaration in the registry, family by family, in English and Japanese.

Written by ``python scripts/rules_page.py``; ``tests/test_rules_registry.py``
fails when the committed page differs from what the registry gives.
"""

from __future__ import annotations

from factorysec.rulebook import FAMILY_TITLES, RuleInfo
from factorysec.rules_registry import all_rules

_HEADER = """# Rules and printed ids

<!-- Generated from the rule registry (src/factorysec/rules_registry.py) by `python scripts/rules_page.py`; do not edit by hand. -->

Every id factorysec prints, declared once beside the code that emits it: what it means, the guideline text it
rests on, why it matters, and when it fires but should not apply. `factorysec explain ID` prints the same for
one id (add `--lang ja` for Japanese). Finding ids are `RULE@subject` (and `#key` when a rule finds several
things on one subject); requirement ids are `REQ-<detail>@<zone>` or `REQ-<detail>@<from zone>-><to zone>`.

factorysec が出力するすべての ID を、出力するコードの横で一度だけ宣言している。意味、根拠とするガイドラインの箇所、
なぜ重要か、発生しても当てはまらない場合を示す。`factorysec explain ID` で一件ずつ同じ内容を表示する。
"""


def _cell(value: str) -> str:
    return value.replace("|", "\\|")


def _rule_section(rule: RuleInfo) -> list[str]:
    facts = [f"category `{rule.category}`" + (" (advisory)" if rule.advisory else ""), f"reference: {rule.reference}"]
    if rule.threat_type:
        facts.append(f"threat type `{rule.threat_type}`")
    if rule.viewpoint:
        facts.append(f"viewpoint `{rule.viewpoint}`")
    if rule.risk_matter:
        facts.append(f"matter `{rule.risk_matter}`")
    if rule.measures:
        facts.append("measures " + ", ".join(f"`{m}`" for m in rule.measures))
    return [
        f"### {rule.id}",
        "",
        f"**{rule.title.en}** / **{rule.title.ja}**",
        "",
        "; ".join(facts) + ".",
        "",
        "| | English | 日本語 |",
        "|---|---|---|",
        f"| What | {_cell(rule.summary.en)} | {_cell(rule.summary.ja)} |",
        f"| Why it matters | {_cell(rule.why.en)} | {_cell(rule.why.ja)} |",
        f"| False positives, when not to apply | {_cell(rule.false_positives.en)} | {_cell(rule.false_positives.ja)} |",
        "",
    ]


def render_rules_page() -> str:
    """The Markdown of the rules page."""
    rules = all_rules()
    lines = [_HEADER]
    for family, title in FAMILY_TITLES.items():
        members = [r for r in rules if r.family == family]
        lines += [f"## {title.en} / {title.ja}", "", " · ".join(f"[{r.id}](#{r.id.lower()})" for r in members), ""]
        for rule in members:
            lines += _rule_section(rule)
    return "\n".join(lines).rstrip("\n") + "\n"
