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
    why=text(
        "Without a BCP, nobody has decided in advance how long the factory may stop, who decides to stop or resume it, or what to do when a partner or a new service fails; smartification adds exactly those dependencies (3.1.1 (1)).",
        "BCPがなければ、工場がどれだけ止まってよいか、停止・再開を誰が決めるか、取引先や新しいサービスが止まったときに何をするかが事前に決まっていない。スマート化はまさにその依存を増やす（3.1.1 (1)）。",
    ),
    false_positives=text(
        "The BCP may exist at group or head-office level and simply not be recorded in this model: record it under 'bcp' (with its owner) rather than write a new one.",
        "BCPがグループや本社の単位で存在し、このモデルに記録されていないだけのことがある。新たに作る前に 'bcp'（担当部門を含む）に記録する。",
    ),
)
