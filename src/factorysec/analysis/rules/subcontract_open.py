"""S1-SUBCONTRACT-OPEN: an unidentified link in a subcontracting chain, or an overseas party working remotely, leaves a responsibility open (Step 1-1 (3)).

Step 1-1 (3) names among the stakeholders to identify the outsourced vendors that configure, run and maintain the
factory system, and then all subcontractors; the finding concerns either (a vendor working remotely from abroad itself,
or its subcontractor), so the reference cites both, not subcontractors alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.rules._common import responsibility_areas
from factorysec.analysis.rules._step1 import contractor_chain, home_country, is_overseas, remote_parties
from factorysec.model.entities import Party

SESSION_AREAS = frozenset({"maintenance", "operation"})
"""Areas of responsibility that say who answers for a party's remote sessions (its maintenance or its running)."""


def _settled_areas(context: AnalysisContext, party: Party) -> set[str]:
    """Areas of responsibility recorded for what the party does: on the party itself or on an asset it maintains or runs."""
    recorded = responsibility_areas(context)
    own = [party.id, *(a.id for a in context.model.assets if party.id in (a.maintainer, a.managed_by))]
    return set().union(*(recorded.get(subject, ()) for subject in own))


def _open_overseas(context: AnalysisContext, party: Party) -> tuple[list[str], list[str]]:
    """What is still open for a party working remotely from abroad, in English and Japanese: a contract, who answers for
    its sessions (maintenance or operation) and for incident response across the border. All settled: nothing."""
    areas = _settled_areas(context, party)
    open_en: list[str] = []
    open_ja: list[str] = []
    if not party.contract:
        open_en.append("no contract is recorded ('contract')")
        open_ja.append("契約の記録がない（'contract'）")
    if not areas & SESSION_AREAS:
        open_en.append(
            "nobody is recorded as answering for its remote sessions (responsibilities: maintenance or operation)"
        )
        open_ja.append("遠隔セッションの責任者の記録がない（責任分担：maintenance または operation）")
    if "incident-response" not in areas:
        open_en.append(
            "nobody is recorded for incident response across the border (responsibilities: incident-response)"
        )
        open_ja.append("国境を越えたインシデント対応の責任者の記録がない（責任分担：incident-response）")
    return open_en, open_ja


def _check(context: AnalysisContext) -> Iterator[Finding]:
    model = context.model
    parties = {p.id: p for p in model.parties}
    remote = remote_parties(model)
    home = home_country(model)
    for party in model.parties:
        chain = contractor_chain(parties, party)
        via_en = f" (subcontracted through {' ← '.join(chain)})" if chain else ""
        via_ja = f"（{' ← '.join(chain)} からの再委託）" if chain else ""
        subject = new_subject("party", party.id)
        if not party.identified:
            yield RULE.finding(
                subject,
                text(
                    f"'{party.name}'{via_en} is known to exist but not identified: nobody can be held to its contract, its vulnerability handling or its part in incident response; identify it through {chain[0] if chain else 'whoever engages it'}",
                    f"「{party.name}」{via_ja}は存在するが特定されていない。契約、脆弱性対応、インシデント対応での役割を誰にも求められない。{chain[0] if chain else '委託元'}を通じて特定する",
                ),
                key="unidentified",
                related=chain,
            )
        if party.id in remote and is_overseas(model, party):
            open_en, open_ja = _open_overseas(context, party)
            if not open_en:
                continue
            yield RULE.finding(
                subject,
                text(
                    f"'{party.name}'{via_en} works on the factory system remotely from {party.country} (factory: {home}): who answers for its remote sessions, for data leaving the country and for incident response across the border must be settled in the contract; {'; '.join(open_en)}",
                    f"「{party.name}」{via_ja}は {party.country} から工場システムに遠隔で作業する（工場：{home}）。遠隔セッション、国外へ出るデータ、国境を越えたインシデント対応の責任者を契約で定める。{'。'.join(open_ja)}",
                ),
                key="overseas-remote",
                related=chain,
            )


RULE = Rule(
    id="S1-SUBCONTRACT-OPEN",
    category="supply-chain",
    reference="Appendix 3.1.1 Step 1-1 (3) (identify all stakeholders: outsourced vendors that configure, run or maintain the factory system, and every subcontractor tasks are reassigned to)",
    title=text(
        "Outsourcing or subcontracting leaves a responsibility open", "委託・再委託で責任の所在が決まっていない"
    ),
    summary=text(
        "Fires per party recorded as not identified ('identified: false'), and per party in another country than the factory's that works "
        "remotely ('remote_work', or maintaining or running a remote-access asset when none of its subcontractors is declared to work "
        "remotely in its place); the rationale names its chain of contractors.",
        "特定されていない事業者（'identified: false'）ごと、また工場と異なる国から遠隔で作業する事業者（'remote_work'、または遠隔アクセス機能を持つ資産の保守・運用。ただし再委託先が代わりに遠隔で作業すると記録されている場合を除く）ごとに発生する。根拠には委託元の連鎖を示す。",
    ),
    check=_check,
    measures=("op-stakeholder-governance",),
    why=text(
        "The guideline asks that every stakeholder be identified, outsourced vendors that configure, run or maintain the factory system among them, and all subcontractors tasks are passed on to (3.1.1 (3)); an unknown subcontractor, or a vendor or subcontractor working remotely from abroad, reaches the factory through a chain or across a border nobody has checked.",
        "ガイドラインは、工場システムの構築・運用・保守を担う委託先を含むすべての関係者と、業務が再委託されるすべての再委託先を把握するよう求める（3.1.1 (3)）。不明な再委託先や、海外からリモートで作業する委託先・再委託先は、誰も確認していない経路や国境を越えて工場に届く。",
    ),
    false_positives=text(
        "An overseas party may work on site only (record remote_work: false), or its remote work may already be settled: the finding on a party working remotely from abroad closes once the model records its contract ('contract') and who answers for its sessions (responsibilities: maintenance or operation) and for incident response (incident-response), on the party or an asset it maintains or runs; until then it names what is still open.",
        "海外の事業者が現地でのみ作業することがある（remote_work: false と記録する）。リモート作業が既に定まっている場合、契約（'contract'）と、セッション（責任分担：maintenance または operation）とインシデント対応（incident-response）の責任者を、その事業者か、それが保守・運用する資産について記録すれば、海外からの遠隔作業の指摘は閉じる。それまでは未決の点を示す。",
    ),
)
