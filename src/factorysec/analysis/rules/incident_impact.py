"""S1-INCIDENT-IMPACT: a new party, a party whose part in the factory smartification expands, or a party supplying a new product, whose incident-impact perspectives are not recorded (Step 1-1 (3)).

Step 1-1 (3) asks for "the assumed impact on other companies in the event of an incident, associated with expanding
operations and the scope of the systems": an existing vendor that takes on a new outsourced operation (remote
diagnostics) or runs a new zone or asset for the factory is such an expansion, as much as a new party is.
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.rules._step1 import is_smartified
from factorysec.model.entities import Asset, AssetType, Zone

BETWEEN_COMPANIES = ("impact-on-others", "impact-from-others")
PROCURED_PRODUCT = "procured-product-vulnerability"


def _check(context: AnalysisContext) -> Iterator[Finding]:
    model = context.model
    products: dict[str, list[str]] = {}
    for asset in model.assets:
        if asset.supplier and asset.procured and asset.type is not AssetType.DATA and is_smartified(asset):
            products.setdefault(asset.supplier, []).append(asset.id)
    takes_on: dict[str, list[str]] = {}  # what an existing party newly runs or does for the factory
    for operation in model.operations:
        if operation.performed_by and operation.sourcing == "outsourced" and is_smartified(operation):
            takes_on.setdefault(operation.performed_by, []).append(operation.id)
    runs: list[Zone | Asset] = [*model.zones, *model.assets]
    for element in runs:
        if element.managed_by and is_smartified(element):
            takes_on.setdefault(element.managed_by, []).append(element.id)
    perspectives = context.catalog.incident_impact_viewpoints
    for party in model.parties:
        new_party = is_smartified(party)
        expanded = [] if new_party else takes_on.get(party.id, [])
        needed: list[str] = list(BETWEEN_COMPANIES) if new_party or expanded else []
        supplied = products.get(party.id, [])
        if supplied:
            needed.append(PROCURED_PRODUCT)
        missing = [p for p in needed if p not in party.incident_impact]
        if not missing:
            continue
        reasons_en: list[str] = []
        reasons_ja: list[tuple[str, str]] = []  # (continuing form, final form)
        if new_party:
            reasons_en.append("is new")
            reasons_ja.append(("新たに関わり", "新たに関わる"))
        if expanded:
            reasons_en.append(f"newly runs or does {', '.join(expanded)} for the factory")
            reasons_ja.append(
                (f"工場のために {'、'.join(expanded)} を新たに担い", f"工場のために {'、'.join(expanded)} を新たに担う")
            )
        if supplied:
            reasons_en.append(
                f"supplies {', '.join(supplied)}" if new_party else f"supplies new products ({', '.join(supplied)})"
            )
            final = (
                f"{'、'.join(supplied)} を供給する" if new_party else f"新たな製品（{'、'.join(supplied)}）を供給する"
            )
            reasons_ja.append((final, final))
        why_en = " and ".join(reasons_en)
        why_ja = "、".join([*(r[0] for r in reasons_ja[:-1]), reasons_ja[-1][1]])
        titles_en = "; ".join(perspectives[p].title.en if p in perspectives else p for p in missing)
        titles_ja = "；".join(perspectives[p].title.ja if p in perspectives else p for p in missing)
        yield RULE.finding(
            new_subject("party", party.id),
            text(
                f"'{party.name}' {why_en}, but these incident-impact perspectives are not recorded under 'incident_impact': {titles_en}",
                f"「{party.name}」は{why_ja}が、次のインシデント影響の観点が 'incident_impact' に記録されていない：{titles_ja}",
            ),
            related=[*missing, *expanded, *supplied],
        )


RULE = Rule(
    id="S1-INCIDENT-IMPACT",
    category="supply-chain",
    reference="Appendix 3.1.1 Step 1-1 (3), understanding and organizing the impact of incidents (on other companies, from other companies, from a procured product)",
    title=text("Incident impact not studied for a party", "事業者についてインシデントの影響が整理されていない"),
    summary=text(
        "Fires per party that is new, or newly performs an outsourced operation or runs a new or changed zone or asset (these need impact on "
        "others and from others), or supplies a new or changed product (needs the effect of a vulnerability in a procured product) when "
        "those perspectives are missing from its 'incident_impact'.",
        "新たに関わる事業者、または委託業務を新たに行う・新規や変更のゾーンや資産を運用する事業者（他社への影響・他社からの影響が必要）、"
        "または新規・変更の製品を供給する事業者（調達品の脆弱性の影響が必要）ごとに、その観点が 'incident_impact' にないときに発生する。",
    ),
    check=_check,
    measures=("op-incident-impact-study",),
    why=text(
        "With more parties involved, an incident at the factory can reach other companies and an incident elsewhere, or a vulnerability in a procured product, can reach the factory; the guideline asks that these impacts be worked out and the response organised around them (3.1.1 (3)).",
        "関係者が増えると、工場のインシデントが他社に及び、他社のインシデントや調達品の脆弱性が工場に及ぶ。ガイドラインは、それらの影響を整理し、対応体制をそれに合わせるよう求める（3.1.1 (3)）。",
    ),
    false_positives=text(
        "A party with a minor role (a one-off delivery, no access and no data) may have no impact worth recording: record the perspective as considered in 'incident_impact' with a note, rather than leave it empty.",
        "役割の小さい事業者（一度きりの納品で、アクセスもデータもない）には記録すべき影響がないことがある。空のままにせず、検討済みとして 'incident_impact' に記録する。",
    ),
)
