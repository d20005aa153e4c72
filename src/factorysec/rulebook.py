"""What one id the tool prints is: the shape every rule and printed item is declared in, beside the code that emits it.

A :class:`RuleInfo` says what the id means (title, summary), the guideline
text it rests on, why it matters in the factory and when it fires but should
not apply (all in English and Japanese), and the catalog measures that answer
it. Step 1 and Step 3 rules are :class:`factorysec.analysis.findings.Rule` and
:class:`~factorysec.analysis.findings.FindingRule`, which add how findings are
made; the Step 2 items, requirements, discovery checks and vulnerability
items are plain :class:`RuleInfo`. :mod:`factorysec.rules_registry` collects
them all; ``factorysec explain`` and ``docs/rules.md`` read the registry.

This module imports nothing of the analysis, discovery or vulnerability
packages, so each of them can declare its ids here without an import loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from factorysec.catalog.models import Text

Family = Literal["step1", "step2", "step3", "requirement", "review", "discovery", "vulnerability"]
"""Where an id comes from: a Step 1 rule run over the model (including the PDCA rules it runs), a Step 2 plan item,
a Step 3 lifecycle gap, a Table 3-4 requirement, a reason the smartification review gives for looking at a zone again,
a discovery drift check, or a vulnerability intake item."""

FAMILY_TITLES: dict[Family, Text] = {
    "step1": Text(en="Step 1 rules (findings of 'analyze')", ja="ステップ1のルール（analyze の指摘）"),
    "step2": Text(en="Step 2 plan items", ja="ステップ2の計画項目"),
    "step3": Text(en="Step 3 lifecycle and supply-chain gaps", ja="ステップ3のライフサイクル・サプライチェーンの不足"),
    "requirement": Text(
        en="Security requirements within and between zones (Table 3-4)",
        ja="ゾーン内・ゾーン間のセキュリティ要件（表3-4）",
    ),
    "review": Text(
        en="Why the smartification review asks to look at a zone again ('review')",
        ja="スマート化の見直しがゾーンを見直す理由（review）",
    ),
    "discovery": Text(
        en="Discovery drift checks ('discover --model')", ja="ディスカバリのドリフト検査（discover --model）"
    ),
    "vulnerability": Text(en="Vulnerability intake items ('vuln')", ja="脆弱性取り込みの項目（vuln）"),
}
"""Each family's heading, in the order the rules page lists them."""


@dataclass(frozen=True, kw_only=True)
class RuleInfo:
    """The declaration of one printed id.

    ``id`` is what the tool prints, or the part of a finding or requirement id
    before ``@`` (``THREAT-WIRELESS@line``, ``REQ-stoppage@line``).
    """

    id: str
    family: Family
    category: str
    reference: str
    title: Text
    summary: Text
    why: Text
    """Why the guideline cares: what goes wrong in the factory when this is ignored."""
    false_positives: Text
    """When it fires but should not apply, or what to check before acting on it."""
    measures: tuple[str, ...] = ()
    threat_type: str | None = None
    viewpoint: str | None = None
    risk_matter: str | None = None
    advisory: bool = False


def text(en: str, ja: str) -> Text:
    """A bilingual text for a declaration outside the analysis (which has its own faster :func:`factorysec.analysis.findings.text`)."""
    return Text(en=en, ja=ja)
