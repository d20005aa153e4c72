"""THREAT-INCIDENT-COORDINATION: with an external party involved, unclear responsibilities slow the response and miss delivery (Table 2-1, Table 3-5).

The measures asked fit the party (#23 item 5): a cloud provider is asked for its incident responsibilities, an equipment
vendor or maintenance contractor for how the equipment is maintained during an incident, a customer for neither.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from factorysec.analysis.context import AnalysisContext
from factorysec.analysis.findings import Finding, Rule, new_subject, text
from factorysec.analysis.lifecycle.responsibility import AREA_LABELS, AREAS
from factorysec.analysis.rules._common import fit_finding, responsibility_areas, zone_impact
from factorysec.model.entities import Asset, Operation, Zone


def check(context: AnalysisContext) -> Iterator[Finding]:
    runs_by: dict[str, list[Asset]] = defaultdict(list)
    for asset in context.model.assets:
        if asset.managed_by:
            runs_by[asset.managed_by].append(asset)
    performs_by: dict[str, list[Operation]] = defaultdict(list)
    for operation in context.model.operations:
        if operation.performed_by and operation.sourcing == "outsourced":
            performs_by[operation.performed_by].append(operation)
    zones_by: dict[str, list[Zone]] = defaultdict(list)
    for zone in context.model.zones:
        if zone.managed_by:
            zones_by[zone.managed_by].append(zone)
    areas_by_subject = responsibility_areas(context)
    for party in context.model.parties:
        runs, performs, zones = runs_by[party.id], performs_by[party.id], zones_by[party.id]
        if not (runs or performs or zones):
            continue
        covered = set().union(
            *(areas_by_subject.get(s, ()) for s in (party.id, *(a.id for a in runs), *(o.id for o in performs)))
        )
        missing = [area for area in ("incident-response", "operation") if area not in covered]
        if not missing:
            continue
        what_missing_en = " and ".join("incidents" if area == "incident-response" else area for area in missing)
        what_missing_ja = "と".join(AREA_LABELS[area].ja for area in missing)
        recorded = [area for area in AREAS if area in covered]
        recorded_en = f" (recorded: {', '.join(AREA_LABELS[a].en for a in recorded)})" if recorded else ""
        recorded_ja = f"（記録済み：{'、'.join(AREA_LABELS[a].ja for a in recorded)}）" if recorded else ""
        what = ", ".join([a.name for a in runs] + [o.name for o in performs] + [z.name for z in zones])
        first_zone = runs[0].zone if runs and runs[0].zone else (zones[0].id if zones else None)
        concerned = [
            *runs,
            *(a for a in context.model.assets if party.id in (a.maintainer, a.supplier) and a not in runs),
            *(a for z in zones for a in context.assets_in.get(z.id, ()) if a not in runs),
        ]
        yield fit_finding(
            context,
            RULE.finding(
                new_subject("party", party.id),
                text(
                    f"{party.name} runs {what}, but the model does not say who handles {what_missing_en} between the factory and {party.name}{recorded_en}: in an incident, coordination stalls and delivery dates slip",
                    f"{party.name}が{what}を担うが、工場との間で{what_missing_ja}の担当がモデルに示されていない{recorded_ja}。インシデント時に連携が滞り、納期を守れなくなる",
                ),
                related=[a.id for a in runs] + [o.id for o in performs] + [z.id for z in zones],
                impact=zone_impact(context, first_zone) if first_zone else None,
            ),
            concerned,
            [party.id],
        )


RULE = Rule(
    id="THREAT-INCIDENT-COORDINATION",
    category="threat",
    reference="Appendix 2.1.2 Table 2-1; 3.1.7 Table 3-5 (expanded effects of cyberattacks; operation of external systems)",
    title=text(
        "Unclear responsibility with an external party delays incident response",
        "外部事業者との責任範囲が不明確で対応が遅れる",
    ),
    summary=text(
        "Fires per external party that runs assets, zones or outsourced operations without recorded responsibility for incident response and operation; "
        "the rationale names which of the two is open and the areas already recorded.",
        "資産・ゾーン・委託業務を担うが、インシデント対応と運用の責任分担が記録されていない外部事業者ごとに発生する。根拠には、二つのうち未記録のものと記録済みの分担を示す。",
    ),
    check=check,
    threat_type="reduced-availability",
    viewpoint="sqdc/delivery",
    risk_matter="expanded-attack-effects",
    measures=(
        "cloud-provider-incident-responsibility",
        "hw-incident-maintenance-policy",
        "net-external-zone-supply-chain-requirements",
    ),
    why=text(
        "When an external party runs part of the factory and nobody has agreed who responds to incidents, the response is slow and delivery slips (Table 2-1, Table 3-5: expanded effects of cyberattacks, unclear scope of responsibility).",
        "外部事業者が工場の一部を運用し、インシデント対応の担当が決まっていないと、対応が遅れ納期に響く（表2-1、表3-5：サイバー攻撃の影響拡大、責任範囲の不明確さ）。",
    ),
    false_positives=text(
        "The responsibility may be settled in a contract the model does not record: add it under 'responsibilities' (area incident-response and operation) rather than accept the finding.",
        "責任がモデルに記録されていない契約で決まっていることがある。指摘を受容せず、'responsibilities'（インシデント対応と運用）に記録する。",
    ),
)
