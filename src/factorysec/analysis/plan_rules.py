"""The Step 2 plan items' declarations: entry points, attack paths, risks, measure gaps, security levels, zone policies and decisions.

Each id and reference comes from the module that emits the item
(:mod:`.exposure`, :mod:`.risk`, :mod:`.measures`, :mod:`.security_levels`,
:mod:`.policy`, :mod:`.decisions`); what it means is declared here once.
"""

from __future__ import annotations

from factorysec.analysis import decisions, exposure, measures, policy, risk, security_levels
from factorysec.rulebook import RuleInfo, text

ENTRY = RuleInfo(
    id=exposure.RULE_ENTRY,
    family="step2",
    category="exposure",
    reference=exposure.REFERENCE,
    title=text("Entry point of the factory", "工場への侵入口"),
    summary=text(
        "An external zone, a conduit over an external network, or an asset with wireless, remote access, cloud or removable media, or run by an external party.",
        "外部ゾーン、外部ネットワーク経由のコンジット、無線・リモートアクセス・クラウド・可搬媒体を持つ資産、外部事業者が運用する資産。",
    ),
    why=text(
        "Smartification multiplies connections to external networks and so the routes an attacker can enter by (2.1.2, 3.2.2 (1)(i)); the policy of Step 2-1 starts from knowing each of them.",
        "スマート化は外部ネットワークとの接続を増やし、攻撃者の侵入経路を増やす（2.1.2、3.2.2 (1)(i)）。ステップ2-1の方針は、その一つ一つを知ることから始まる。",
    ),
    false_positives=text(
        "An entry point is a fact, not a fault: a listed one needs no action by itself. Check that each is intended; an asset trait left over from past equipment (a removed modem, a disabled radio) makes a false one.",
        "侵入口は事実であって欠陥ではなく、それ自体に対応は要らない。それぞれが意図したものか確認する。過去の設備の特性の残り（撤去したモデム、無効にした無線）は偽の侵入口を作る。",
    ),
)
PATH = RuleInfo(
    id=exposure.RULE_PATH,
    family="step2",
    category="exposure",
    reference=exposure.REFERENCE,
    title=text(
        "Shortest and weakest attack path to a high-importance zone", "重要度の高いゾーンへの最短・最弱の攻撃経路"
    ),
    summary=text(
        "Found from all entry points at once through the conduits, each crossed both ways whatever way its data go, but those that enforce one direction (one_way: true, a data diode on 'via'), with the controls in place on each hop.",
        "全侵入口からコンジットをたどり、各経路上の対策とともに求める。データの向きにかかわらず各コンジットは双方向にたどる。一方向を強制するもの（one_way: true、via 上のデータダイオード）だけは一方向。",
    ),
    why=text(
        "With more connections, an attack on one zone spreads to others (2.1.2); the path shows which conduits between zones with different requirements need measures first (3.2.2 (1)(i)).",
        "接続が増えると、一つのゾーンへの攻撃が他のゾーンへ広がる（2.1.2）。経路は、要件の異なるゾーン間のどのコンジットに先に対策が要るかを示す（3.2.2 (1)(i)）。",
    ),
    false_positives=text(
        "A link that physically lets traffic through one way only (a data diode, a unidirectional gateway) but is not declared so adds hops attackers cannot use: set 'one_way: true' on the conduit, or name the diode (component data-diode) on its 'via'.",
        "物理的に一方向しか通さないリンク（データダイオード、一方向ゲートウェイ）をそう宣言していないと、攻撃者が使えない経路が加わる。コンジットに 'one_way: true' を設定するか、via にデータダイオード（component data-diode）を記載する。",
    ),
)
RISK = RuleInfo(
    id=risk.RULE,
    family="step2",
    category="risk",
    reference=risk.REFERENCE,
    title=text("Risk of a threat finding", "脅威指摘のリスク"),
    summary=text(
        "Likelihood from exposure and the subject's traits, impact from importance (business continuity first); threats that can interrupt the business rank first. See docs/scoring.md.",
        "発生可能性は露出と対象の特性から、影響は重要度（事業継続を優先）から求め、事業停止につながる脅威を上位にする。docs/scoring.md 参照。",
    ),
    why=text(
        "The guideline asks to respond first to the most significant threats, such as those that could interrupt the business, rather than to all threats at once (3.2.1 Step 2-1).",
        "ガイドラインは、すべての脅威に一度に対応するのでなく、事業停止につながるような重大な脅威から先に対応するよう求める（3.2.1 ステップ2-1）。",
    ),
    false_positives=text(
        "A score is only as good as the importance ratings and traits behind it, and the guideline expects each company to set its own priorities: adjust the scoring in scoring.yaml rather than argue with single scores.",
        "スコアは背後にある重要度の評価と特性次第であり、ガイドラインは優先度を各社が設定することを想定する。個々のスコアを争うより scoring.yaml で採点を調整する。",
    ),
)
MEASURE_GAP = RuleInfo(
    id=measures.RULE,
    family="step2",
    category="measures",
    reference=measures.REFERENCE,
    title=text("Measures required by a finding but not in place", "指摘に必要だが未実施の対策"),
    summary=text(
        "The finding's measures (Step 2-2, Table 3-6) matched against conduit controls and implemented measures, with the residual risk.",
        "指摘に対応する対策（ステップ2-2、表3-6）をコンジットの対策と実施済み対策に照らし、残留リスクを示す。",
    ),
    why=text(
        "Step 2-2 links each threat to the measures that answer it (Table 3-6); a measure not in place is where the plan has to act.",
        "ステップ2-2は各脅威を対応する対策に結び付ける（表3-6）。未実施の対策が、計画で手を打つべきところである。",
    ),
    false_positives=text(
        "The measure may be in place but not recorded, or an equivalent measure may cover it; the guideline also asks to weigh cost-effectiveness (3.2.2): record the measure, or a decision, instead of implementing it twice.",
        "対策は実施済みだが記録がないことや、同等の対策で賄えていることがある。ガイドラインは費用対効果の考慮も求める（3.2.2）。二重に実施せず、対策か判断を記録する。",
    ),
)
SECURITY_LEVEL = RuleInfo(
    id=security_levels.RULE,
    family="step2",
    category="security-level",
    reference=security_levels.REFERENCE,
    title=text(
        "IEC 62443 security level supported per foundational requirement",
        "基本要件ごとに支えられるIEC 62443セキュリティレベル",
    ),
    summary=text(
        "For zones that declare a target security level: the level the implemented measures support per FR, and the gap.",
        "目標セキュリティレベルを宣言したゾーンについて、実施済み対策が支えるFRごとのレベルと差分。",
    ),
    why=text(
        "The guideline names IEC 62443 among the standards a factory must track (3.1.1 (2)); a zone's target level states what its requirements demand, and the gap shows which measures are missing for it.",
        "ガイドラインは工場が追うべき規格にIEC 62443を挙げる（3.1.1 (2)）。ゾーンの目標レベルは要件が求める水準を示し、差分はそのために足りない対策を示す。",
    ),
    false_positives=text(
        "The supported level counts only measures the model records, mapped to IEC 62443-3-3 system requirements by the catalog; a control achieved another way (a compensating measure) is not counted: record it, or a decision.",
        "支えられるレベルは、モデルに記録され、カタログがIEC 62443-3-3のシステム要件に対応付けた対策だけで数える。別の方法（代替策）で達成した管理は数えない。それを記録するか判断を記録する。",
    ),
)
ZONE_POLICY = RuleInfo(
    id=policy.RULE,
    family="step2",
    category="policy",
    reference=policy.REFERENCE,
    title=text("Security policy of a zone", "ゾーンのセキュリティ方針"),
    summary=text(
        "Priority, top threats, the measures to take first and the requirements between zones, one section per zone.",
        "優先度、主な脅威、先に取るべき対策、ゾーン間の要件をゾーンごとにまとめる。",
    ),
    why=text(
        "Step 2-1 formulates a security policy for each zone from its requirements and revised importance and priority, so that the most significant threats are addressed first (3.2.1).",
        "ステップ2-1は、ゾーンごとの要件と見直した重要度・優先度からセキュリティ方針を定め、重大な脅威から対処できるようにする（3.2.1）。",
    ),
    false_positives=text(
        "The policy is drafted from the model: priorities that ignore the company's or industry's environment need adjusting (the guideline asks each company to set them), through importance ratings or scoring.yaml.",
        "方針はモデルから起こした案である。会社や業界の環境を反映していない優先度は、重要度の評価や scoring.yaml で調整する（ガイドラインは各社での設定を求める）。",
    ),
)
DECISION = RuleInfo(
    id=decisions.RULE,
    family="step2",
    category="decision",
    reference=decisions.REFERENCE,
    title=text("Recorded decision on a finding", "指摘への記録された判断"),
    summary=text(
        "accepted, mitigated, false-positive or in-progress, with justification and owner, kept in decisions.yaml beside the model.",
        "受容・対策済み・誤検知・対応中の判断を、理由と担当とともにモデル横の decisions.yaml に記録する。",
    ),
    why=text(
        "The PDCA review of Step 3 re-examines plans and measures (3.3); a decision with its reason and owner lets the next review see why a finding was accepted instead of arguing it again.",
        "ステップ3のPDCAの見直しは計画と対策を見直す（3.3）。理由と担当を伴う判断があれば、次の見直しで指摘を受容した理由がわかり、議論を繰り返さずに済む。",
    ),
    false_positives=text(
        "A decision is a record, not a finding: it needs a review date ('review_by') so it does not outlive the facts it rests on.",
        "判断は記録であって指摘ではない。前提となる事実より長く残らないよう、見直し期限（'review_by'）を付ける。",
    ),
)
DECISION_STALE = RuleInfo(
    id=decisions.RULE_STALE,
    family="step2",
    category="decision",
    reference=decisions.REFERENCE,
    title=text("Decision whose finding no longer exists", "対象の指摘がなくなった判断"),
    summary=text("Review and remove it from decisions.yaml.", "確認して decisions.yaml から削除する。"),
    why=text(
        "A decision left after its finding is gone clutters the record and, if the finding comes back under the same id, silently closes it again without anyone looking.",
        "指摘がなくなった後に残る判断は記録を乱し、同じIDで指摘が戻ったときに誰も見ないまま再び閉じてしまう。",
    ),
    false_positives=text(
        "The finding may be missing only because this run used another model version or rule set: check against the model the decision was made for before deleting it.",
        "今回の実行が別のモデル版やルールセットを使ったために指摘がないだけのことがある。削除する前に、判断の対象だったモデルで確認する。",
    ),
)
DECISION_EXPIRED = RuleInfo(
    id=decisions.RULE_EXPIRED,
    family="step2",
    category="decision",
    reference=decisions.REFERENCE,
    title=text("Decision past its review_by date", "見直し期限（review_by）を過ぎた判断"),
    summary=text(
        "Still listed, but it no longer closes its finding, so --fail-on counts the risk again: review the decision and set a new review_by date.",
        "引き続き表示するが指摘は閉じず、--fail-on でも再びリスクとして数える。判断を見直し、review_by を更新する。",
    ),
    why=text(
        "An accepted risk is accepted for the situation at the time; the PDCA cycle asks that it be looked at again as business, environment and technology change (3.3).",
        "受容したリスクは、その時点の状況に対して受容したものである。PDCAサイクルは、事業・環境・技術の変化に応じて見直すよう求める（3.3）。",
    ),
    false_positives=text(
        "Expiry depends on the date the run is given: a CI job run with a wrong clock, or an old report re-rendered, expires decisions early.",
        "期限切れは実行に与えた日付で決まる。時計のずれたCIジョブや、古い報告書の再生成では判断が早く期限切れになる。",
    ),
)

PLAN_RULES: tuple[RuleInfo, ...] = (
    ENTRY,
    PATH,
    RISK,
    MEASURE_GAP,
    SECURITY_LEVEL,
    ZONE_POLICY,
    DECISION,
    DECISION_STALE,
    DECISION_EXPIRED,
)
