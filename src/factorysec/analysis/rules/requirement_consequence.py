"""S1-REQUIREMENT-CONSEQUENCE: what a declared standard, law or company requirement concretely asks, on the elements it falls on (Step 1-1 (2), 3.3 (2))."""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.rules._step1 import assets_in_scope, is_smartified, listed, listed_ja, related
from factorysec.catalog.models import Standard
from factorysec.catalog.vocabulary import reference
from factorysec.model.entities import AssetType, Requirement


def _targets(context: AnalysisContext, requirement: Requirement, applies: str) -> list[str]:
    """The elements one consequence falls on: supplying parties, new or all procured products, or the factory.

    An asset the factory did not procure (``procured: false``) is no procured product, nor is its outside owner a
    supplier of the factory's.
    """
    if applies == "factory":
        return [context.model.factory.id]
    assets = [a for a in assets_in_scope(context, requirement) if a.type is not AssetType.DATA and a.procured]
    if applies == "suppliers":
        parties: dict[str, None] = {}
        for asset in assets:
            parties.update(dict.fromkeys(p for p in (asset.supplier, asset.maintainer, asset.managed_by) if p))
        return list(parties)
    procured = [a for a in assets if a.supplier is not None]
    if applies == "new-products":
        procured = [a for a in procured if is_smartified(a)]
    return [a.id for a in procured]


_ON = {
    "suppliers": ("suppliers", "供給者"),
    "new-products": ("new procured products", "新たな調達品"),
    "products": ("procured products", "調達品"),
    "factory": ("the factory", "工場"),
}


def _parts(requirement: Requirement, standard: Standard) -> tuple[frozenset[str], tuple[str, str]]:
    """The parts of ``standard`` that apply, and the sentence a finding resting on the catalog's assumption ends with
    (empty when the requirement names its parts, or the standard is not split into parts)."""
    if requirement.parts or not standard.parts:
        return frozenset(requirement.parts), ("", "")
    assumed = standard.assumed_parts
    others = [p for p in standard.part_ids if p not in assumed]
    what_en = "law" if standard.kind == "law-regulation" else "standard"
    return frozenset(assumed), (
        f". Requirement '{requirement.id}' names no part of the {what_en}, so its {listed(list(assumed))} part is "
        f"assumed to apply; if another applies instead, list it in the requirement's 'parts' ({', '.join(others)})",
        f"。要求事項 '{requirement.id}' が制度を記していないため、{listed_ja(list(assumed))} の制度が適用されると想定した。"
        f"ほかの制度が適用される場合は、要求事項の 'parts' に記す（{'、'.join(others)}）",
    )


def _check(context: AnalysisContext) -> Iterator[Finding]:
    standards = context.catalog.standards
    for requirement in context.model.requirements:
        standard = standards.get(requirement.standard) if requirement.standard else None
        subject = new_subject("requirement", requirement.id)
        source_en = standard.title.en if standard else requirement.title
        source_ja = standard.title.ja if standard else requirement.title
        applying, assumption = _parts(requirement, standard) if standard else (frozenset(), ("", ""))
        consequences = [
            (
                c.id,
                c.applies,
                c.title.en,
                c.title.ja,
                c.ref,
                reference(c.ref, "ja"),
                assumption if c.parts else ("", ""),
            )
            for c in (standard.consequences if standard else ())
            if not c.parts or applying.intersection(c.parts)
        ]
        consequences.extend(
            (
                f"own-{number}",
                own.applies,
                own.text,
                own.text,
                f"requirement '{requirement.id}'",
                f"要求事項 '{requirement.id}'",
                ("", ""),
            )
            for number, own in enumerate(requirement.implies, start=1)
        )
        for key, applies, what_en, what_ja, ref, ref_ja, (assumed_en, assumed_ja) in consequences:
            targets = _targets(context, requirement, applies)
            if not targets:
                continue
            on_en, on_ja = _ON[applies]
            yield RULE.finding(
                subject,
                text(
                    f"{source_en} asks: {what_en} — on {on_en}: {listed(targets)} ({ref}){assumed_en}",
                    f"{source_ja}の求め：{what_ja}。対象の{on_ja}：{listed_ja(targets)}（{ref_ja}）{assumed_ja}",
                ),
                key=key,
                related=related(targets),
            )


RULE = Rule(
    id="S1-REQUIREMENT-CONSEQUENCE",
    category="requirement",
    reference="Appendix 3.1.1 Step 1-1 (2) (check the specific requirements of standards and laws); 3.3 (2) (procurement checks, certification)",
    title=text("What a declared requirement asks", "表明した要求事項が求めること"),
    summary=text(
        "Fires per requirement and per consequence its standard carries in the catalog (IEC 62443, EU CRA, Economic Security Promotion Act, "
        "SEMI E187, NIST CSF, the IoT conformity-assessment scheme) or the requirement adds under 'implies', when something in its scope is "
        "concerned: the suppliers, maintainers and operators of its assets, its new or all procured products, or the factory. A consequence of "
        "one part of a law (the Economic Security Promotion Act's core-infrastructure part) fires only where the requirement's 'parts' name it, "
        "or, naming none, on the part the catalog assumes, and then says so.",
        "要求事項ごと、その標準についてカタログが持つ帰結（IEC 62443、EU CRA、経済安全保障推進法、SEMI E187、NIST CSF、IoT適合性評価制度）"
        "または 'implies' で加えた帰結ごとに、適用範囲に対象（資産の供給者・保守者・運用者、新たな調達品・すべての調達品、工場）があれば発生する。"
        "法令の一つの制度の帰結（経済安全保障推進法の基幹インフラの制度）は、要求事項の 'parts' がその制度を挙げる場合、"
        "または何も挙げずカタログが想定する制度である場合にだけ発生し、後者ではそう想定したことを述べる。",
    ),
    check=_check,
    measures=("op-supplier-security-requirements",),
    advisory=True,
    why=text(
        "Laws and standards that apply to the factory (IEC 62443, the EU CRA, the Economic Security Promotion Act) carry concrete obligations, such as confirmation before procurement; the guideline asks that these be checked from the smartification perspective (3.1.1 (2), 3.3 (2)).",
        "工場に適用される法令や規格（IEC 62443、EU CRA、経済安全保障推進法）には、調達前の確認など具体的な義務がある。ガイドラインは、これをスマート化の観点から確認するよう求める（3.1.1 (2)、3.3 (2)）。",
    ),
    false_positives=text(
        "A consequence may not apply to this factory, or may already be met. The Economic Security Promotion Act's core-infrastructure duties (the procurement check) fall only on designated operators: "
        "a plant under another part of the Act (an approved supply-assurance plan for a critical material) says so in the requirement's 'parts' (critical-materials). Otherwise record a decision that says which.",
        "義務がこの工場に当てはまらないか、既に満たしていることがある。経済安全保障推進法の基幹インフラの義務（調達前確認）は指定事業者にだけ適用される。"
        "同法のほかの制度の下にある工場（特定重要物資の供給確保計画の認定など）は、要求事項の 'parts' にそれを記す（critical-materials）。それ以外は、どちらかを判断として記録する。",
    ),
)
