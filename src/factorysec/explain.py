"""Every id the tool prints, with what it means and the guideline text it rests on (``factorysec explain``).

Step 1 and Step 3 rules carry their own metadata; the Step 2 plan items, the
Table 3-4 requirements and the discovery drift checks are described here, with
their ids and references taken from the modules that emit them.
"""

from __future__ import annotations

from dataclasses import dataclass

from factorysec.analysis import decisions, exposure, measures, policy, requirements, risk, security_levels
from factorysec.analysis.findings import Rule, text
from factorysec.analysis.lifecycle import LIFECYCLE_RULES
from factorysec.analysis.rules import RULES
from factorysec.catalog.models import Text
from factorysec.discovery.drift import REF_CONDUITS, REF_INVENTORY, REF_ZONES
from factorysec.vulnerability.explain_items import ITEMS as VULNERABILITY_ITEMS


@dataclass(frozen=True)
class Explanation:
    """What one printed id means."""

    id: str
    category: str
    reference: str
    title: Text
    summary: Text
    rule: Rule | None = None


def _from_rule(rule: Rule) -> Explanation:
    return Explanation(rule.id, rule.category, rule.reference, rule.title, rule.summary, rule)


_PLAN_ITEMS = (
    Explanation(
        exposure.RULE_ENTRY, "exposure", exposure.REFERENCE,
        text("Entry point of the factory", "工場への侵入口"),
        text(
            "An external zone, a conduit over an external network, or an asset with wireless, remote access, cloud or removable media, or run by an external party.",
            "外部ゾーン、外部ネットワーク経由のコンジット、無線・リモートアクセス・クラウド・可搬媒体を持つ資産、外部事業者が運用する資産。",
        ),
    ),
    Explanation(
        exposure.RULE_PATH, "exposure", exposure.REFERENCE,
        text("Shortest and weakest attack path to a high-importance zone", "重要度の高いゾーンへの最短・最弱の攻撃経路"),
        text(
            "Found from all entry points at once through the conduits (respecting their direction), with the controls in place on each hop.",
            "全侵入口からコンジットを（方向に従って）たどり、各経路上の対策とともに求める。",
        ),
    ),
    Explanation(
        risk.RULE, "risk", risk.REFERENCE,
        text("Risk of a threat finding", "脅威指摘のリスク"),
        text(
            "Likelihood from exposure and the subject's traits, impact from importance (business continuity first); threats that can interrupt the business rank first. See docs/scoring.md.",
            "発生可能性は露出と対象の特性から、影響は重要度（事業継続を優先）から求め、事業停止につながる脅威を上位にする。docs/scoring.md 参照。",
        ),
    ),
    Explanation(
        measures.RULE, "measures", measures.REFERENCE,
        text("Measures required by a finding but not in place", "指摘に必要だが未実施の対策"),
        text(
            "The finding's measures (Step 2-2, Table 3-6) matched against conduit controls and implemented measures, with the residual risk.",
            "指摘に対応する対策（ステップ2-2、表3-6）をコンジットの対策と実施済み対策に照らし、残留リスクを示す。",
        ),
    ),
    Explanation(
        security_levels.RULE, "security-level", security_levels.REFERENCE,
        text("IEC 62443 security level supported per foundational requirement", "基本要件ごとに支えられるIEC 62443セキュリティレベル"),
        text("For zones that declare a target security level: the level the implemented measures support per FR, and the gap.", "目標セキュリティレベルを宣言したゾーンについて、実施済み対策が支えるFRごとのレベルと差分。"),
    ),
    Explanation(
        policy.RULE, "policy", policy.REFERENCE,
        text("Security policy of a zone", "ゾーンのセキュリティ方針"),
        text("Priority, top threats, the measures to take first and the requirements between zones, one section per zone.", "優先度、主な脅威、先に取るべき対策、ゾーン間の要件をゾーンごとにまとめる。"),
    ),
    Explanation(
        decisions.RULE, "decision", decisions.REFERENCE,
        text("Recorded decision on a finding", "指摘への記録された判断"),
        text("accepted, mitigated, false-positive or in-progress, with justification and owner, kept in decisions.yaml beside the model.", "受容・対策済み・誤検知・対応中の判断を、理由と担当とともにモデル横の decisions.yaml に記録する。"),
    ),
    Explanation(
        decisions.RULE_STALE, "decision", decisions.REFERENCE,
        text("Decision whose finding no longer exists", "対象の指摘がなくなった判断"),
        text("Review and remove it from decisions.yaml.", "確認して decisions.yaml から削除する。"),
    ),
    Explanation(
        "REQ", "requirement", requirements.REFERENCE,
        text("Security requirement within or between zones", "ゾーン内・ゾーン間のセキュリティ要件"),
        text(
            "Ids are REQ-<viewpoint detail>@<zone> within a zone and REQ-<viewpoint detail>@<from zone>-><to zone> between zones: confidentiality, integrity and availability of what crosses from one zone to another (one requirement for all the conduits between them that call for it), acceptance of control instructions, and the SQDC, business-continuity and protected-object requirements of a zone.",
            "ID はゾーン内が REQ-<観点>@<ゾーン>、ゾーン間が REQ-<観点>@<送信元ゾーン>-><送信先ゾーン>。ゾーン間を渡る情報の機密性・完全性・可用性（その間のコンジットのうち必要とするものをまとめて一つの要件）、制御指示の受け入れ、ゾーンのSQDC・事業継続・保護対象の要件。",
        ),
    ),
)

_DISCOVERY_ITEMS = (
    Explanation(
        "DISC-CONTROL-WRITE", "discovery", REF_CONDUITS,
        text("Control-protocol write from a host that should not issue control instructions", "制御指示を出すべきでないホストからの制御プロトコル書き込み"),
        text("Modbus write function codes, S7 download or stop, seen from a host outside the zone or asset allowed to issue them.", "Modbusの書き込み機能コードやS7のダウンロード・停止が、許されたゾーン・資産以外から観測された。"),
    ),
    Explanation(
        "DISC-UNDECLARED-FLOW", "discovery", f"{REF_ZONES}; {REF_CONDUITS}",
        text("Flow between zones with no declared conduit", "宣言されたコンジットのないゾーン間フロー"),
        text("Observed traffic between two zones that the model does not connect; most severe into zones receiving control instructions.", "モデルがつないでいないゾーン間の通信。制御指示を受けるゾーンへのものを最も重く扱う。"),
    ),
    Explanation(
        "DISC-UNDECLARED-PROTOCOL", "discovery", REF_CONDUITS,
        text("Protocol on a conduit that the model does not list", "モデルに記載のないプロトコルがコンジット上にある"),
        text("Observed on a declared conduit but missing from its protocols.", "宣言済みコンジットで観測されたが、そのprotocolsに記載がない。"),
    ),
    Explanation(
        "DISC-UNKNOWN-HOST", "discovery", REF_INVENTORY,
        text("Observed host that is not a declared asset", "資産として宣言されていない観測ホスト"),
        text("Keep the inventory current (Step 1-4): add the host as an asset or explain it.", "構成要素を最新に保つ（ステップ1-4）：資産として追加するか理由を記す。"),
    ),
    Explanation(
        "DISC-ASSET-UNSEEN", "discovery", REF_INVENTORY,
        text("Declared asset never seen", "観測されなかった宣言済み資産"),
        text("An asset with addresses that sent or received nothing in the captures.", "アドレスを持つ資産がキャプチャ中で送受信していない。"),
    ),
    Explanation(
        "DISC-CONDUIT-UNOBSERVED", "discovery", REF_CONDUITS,
        text("Declared conduit never observed", "観測されなかった宣言済みコンジット"),
        text("No traffic matched the conduit in the captures: it may be unused, or the captures miss it.", "キャプチャ中にコンジットに一致する通信がない。未使用か、キャプチャ範囲外の可能性。"),
    ),
)

EXPLANATIONS: dict[str, Explanation] = {
    item.id: item
    for item in (*(_from_rule(r) for r in RULES), *(_from_rule(r) for r in LIFECYCLE_RULES), *_PLAN_ITEMS, *_DISCOVERY_ITEMS)
}
EXPLANATIONS.update((rule_id, Explanation(rule_id, "vulnerability", ref, title, summary)) for rule_id, ref, title, summary in VULNERABILITY_ITEMS)


def explain_id(printed_id: str) -> Explanation | None:
    """The explanation of a rule or item id, also accepting a full finding id (``RULE@subject``) or a requirement id."""
    key = printed_id.strip().upper().split("@", 1)[0]
    if key in EXPLANATIONS:
        return EXPLANATIONS[key]
    if key.startswith("REQ-"):
        return EXPLANATIONS["REQ"]
    if key.startswith("VULN-CVE-"):  # a (asset, CVE) finding id: VULN-CVE-2023-20198@asset
        return EXPLANATIONS["VULN-AFFECTED"]
    return None
