"""S1-BCP-MISSING: no business continuity plan, so smartification's effects on continuity have nowhere to go (Step 1-1 (1))."""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, text
from factorysec.analysis.rules._step1 import factory_subject


def _check(context: AnalysisContext) -> Iterator[Finding]:
    bcp = context.model.bcp
    if bcp is not None and bcp.exists:
        return
    owner = "with the department in charge of the BCP" if bcp is None or bcp.owner is None else f"with '{bcp.owner}'"
    owner_ja = "BCP担当部門とともに" if bcp is None or bcp.owner is None else f"「{bcp.owner}」とともに"
    stated = "The model records no BCP" if bcp is None else "The BCP is recorded as not formulated ('exists: false')"
    stated_ja = "モデルにBCPの記録がない" if bcp is None else "BCPは未策定と記録されている（'exists: false'）"
    yield RULE.finding(
        factory_subject(context),
        text(
            f"{stated}: study its formulation {owner}, so that what smartification adds (systems, connections, partners) has a plan for stopping and resuming",
            f"{stated_ja}。{owner_ja}策定を検討し、スマート化で加わるもの（システム・接続・取引先）について停止と再開の計画を持つ",
        ),
    )


RULE = Rule(
    id="S1-BCP-MISSING",
    category="requirement",
    reference="Appendix 3.1.1 Step 1-1 (1) (confirm whether a BCP has been formulated; if not, study its formulation)",
    title=text("No business continuity plan", "事業継続計画（BCP）がない"),
    summary=text(
        "Fires when the model has no 'bcp' section or records 'exists: false'.",
        "モデルに 'bcp' がない、または 'exists: false' のときに発生する。",
    ),
    check=_check,
    measures=("op-bcp-smartification-review",),
)
