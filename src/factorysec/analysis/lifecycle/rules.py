"""The Step 3 gap rules: their declarations (:class:`~factorysec.analysis.findings.FindingRule`).

Their findings are emitted by :func:`factorysec.analysis.lifecycle.assess_lifecycle`
rather than by the Step 1 rule runner, because they share the matrices the
lifecycle report builds and the PDCA rules need the date of the run; so they
have no ``check`` of their own: each declaration builds its findings.
"""

from __future__ import annotations

from factorysec.analysis.findings import Category, FindingRule, text


def _rule(
    rule_id: str,
    category: Category,
    reference: str,
    title: tuple[str, str],
    summary: tuple[str, str],
    why: tuple[str, str],
    false_positives: tuple[str, str],
) -> FindingRule:
    return FindingRule(
        id=rule_id,
        family="step3",
        category=category,
        reference=reference,
        title=text(*title),
        summary=text(*summary),
        why=text(*why),
        false_positives=text(*false_positives),
    )


CHECKLIST_OPEN = _rule(
    "S3-CHECKLIST-OPEN",
    "supply-chain",
    "Appendix 3.3 Step 3 (2), Tables 3-10 to 3-12",
    ("Supply-chain checklist has open items", "サプライチェーンのチェック項目に未確認のものがある"),
    (
        "Flags each cloud service, general-purpose product or software whose checklist items are unanswered, answered 'no' or 'unknown'.",
        "クラウドサービス・汎用製品・ソフトウェアごとに、未回答・「いいえ」・「不明」のチェック項目を指摘する。",
    ),
    (
        "Cloud services, general-purpose products and software bring risks the factory cannot manage by itself; the Table 3-10 to 3-12 checks are how it learns, before and after buying, whether the provider handles them (3.3 (2)).",
        "クラウドサービス・汎用製品・ソフトウェアは、工場だけでは管理できないリスクを持ち込む。表3-10〜3-12の確認項目で、購入の前後に提供者がそれを扱っているかを知る（3.3 (2)）。",
    ),
    (
        "The guideline says not every item needs to be met, only those that fit the intended use (3.3 (2)); and general-purpose products rarely accept contract requirements (Table 3-11). Answer an item 'not-applicable' with a note when it does not apply. "
        "Equipment the factory does not procure: a laptop a contractor brings in and runs takes the trait external-equipment with 'managed_by'; equipment an outside party runs on its own site takes 'managed_by' and sits in that party's external zone; a customer's or business partner's services take that party kind; "
        "a device an outside party owns and puts in for its own service (a utility's meter-side monitor) takes 'procured: false' with that party in 'supplier' or 'managed_by'; "
        "what a public authority the factory reports to runs or lends (a prefecture's telemeter centre and terminal) takes a party of kind authority. "
        "Software the factory runs itself (no 'managed_by' nor 'supplier') in a zone where a provider's cloud service it rents sits (an IaaS) is left to that service for Table 3-10 and keeps Table 3-12.",
        "ガイドラインは、すべての項目を満たす必要はなく、想定する使い方に合うものを選べばよいとする（3.3 (2)）。汎用製品は契約で要件を求めにくい（表3-11）。当てはまらない項目は注記とともに 'not-applicable' と答える。"
        "工場が調達しない機器のうち、請負業者が持ち込んで運用するノートPCは特性 external-equipment と 'managed_by' を記し、外部の者が自らの拠点で運用する機器は 'managed_by' を記してその者の外部ゾーンに置き、顧客や取引先のサービスはその関係者の種類を記す。"
        "外部の者が自らのサービスのために所有・設置する機器（電力会社の計量側の監視装置）は 'procured: false' とし、その事業者を 'supplier' または 'managed_by' に記す。"
        "工場が報告する行政機関が運用・貸与するもの（県のテレメータ中央局や端末）は、種類 authority の関係者とする。"
        "工場が自ら運用するソフトウェア（'managed_by' も 'supplier' もない）が、借りているクラウド事業者のサービス（IaaS）と同じゾーンにあるときは、表3-10はそのサービスに問い、ソフトウェアには表3-12を問う。",
    ),
)
RESP_GAP = _rule(
    "S3-RESP-GAP",
    "supply-chain",
    "Appendix 3.3 Step 3 (2); Step 1-1 (3); Annex A case (ii)",
    ("Responsibility division has unnamed areas", "責任分界に担当者が決まっていない領域がある"),
    (
        "Flags an external service or outsourced operation for which nobody is named for operation, maintenance, incident response, vulnerability handling or data handling at the end of use.",
        "外部サービスや委託業務について、運用・保守・インシデント対応・脆弱性対応・利用終了時のデータの扱いのいずれかに責任者が決まっていないことを指摘する。",
    ),
    (
        "With external services, much of the security work sits with the provider; unless operation, maintenance, incident response, vulnerability handling and data at the end of use each have a named owner, each falls between the parties when needed (3.3 (2), Annex A case (ii)).",
        "外部サービスでは、セキュリティの作業の多くが提供者の側にある。運用・保守・インシデント対応・脆弱性対応・利用終了時のデータそれぞれに担当が決まっていないと、必要なときに当事者の間で抜け落ちる（3.3 (2)、付録A 事例(ii)）。",
    ),
    (
        "An area may not apply (no data is kept by a service that only relays), or be settled in a contract the model does not record: record the responsibility with the party or department that holds it.",
        "当てはまらない領域（中継するだけでデータを保持しないサービスなど）や、モデルに記録されていない契約で決まっている領域がある。担う事業者・部門とともに責任を記録する。",
    ),
)
SUBCONTRACT_LINK = _rule(
    "S3-SUBCONTRACT-LINK",
    "supply-chain",
    "Appendix 3.1.1 Step 1-1 (3); 3.3 Step 3 (2)",
    ("Subcontractor chain has an unidentified link", "再委託の連鎖に不明なつながりがある"),
    (
        "Flags a subcontractor whose contractor is not named, or whose contractor is not itself responsible for anything in the model.",
        "委託元が特定されていない再委託先、または委託元自体がモデル上で何の責任も負っていない再委託先を指摘する。",
    ),
    (
        "A subcontractor reaches the factory through its contractor; if that contractor is unknown or responsible for nothing, no one the factory deals with answers for the subcontractor's work (3.1.1 (3), 3.3 (2)).",
        "再委託先は委託元を通じて工場に関わる。委託元が不明、または何の責任も負っていなければ、工場の取引相手の誰も再委託先の作業に責任を持たない（3.1.1 (3)、3.3 (2)）。",
    ),
    (
        "The contractor's responsibility may be recorded only on the subcontractor, or the chain may end at a party the model lists under another id: check 'subcontractor_of' and the responsibilities before acting.",
        "委託元の責任が再委託先の側にだけ記録されていることや、別のIDで載っている事業者で連鎖が終わっていることがある。対応する前に 'subcontractor_of' と責任分担を確認する。",
    ),
)
OODA_NO_DECIDER = _rule(
    "S3-OODA-NO-DECIDER",
    "lifecycle",
    "Appendix 3.3 Step 3 (1)(i), Tables 3-7 and 3-8",
    ("OODA phase has no decision maker", "OODAのフェーズに判断者がいない"),
    (
        "Flags a stage and phase of the OODA cycle for which no department is assigned, or can be proposed, to decide.",
        "OODAサイクルの段階・フェーズについて、判断する部門が割り当てられておらず、提案もできないことを指摘する。",
    ),
    (
        "Early recognition and response to cyberattacks need a decision maker for each process (3.3 (1)(i), Tables 3-7 and 3-8); a phase nobody decides stops the response at that point.",
        "サイバー攻撃の早期認識と対処には、各プロセスに判断者が要る（3.3 (1)(i)、表3-7・3-8）。誰も判断しないフェーズで対応が止まる。",
    ),
    (
        "The decision may be taken by a role the model does not record as a department (a plant manager alone, an outsourced security vendor): record that department or party in the role division.",
        "モデルが部門として記録していない役割（工場長個人、外部のセキュリティベンダー）が判断していることがある。その部門・事業者を役割分担に記録する。",
    ),
)
OODA_PROPOSED = _rule(
    "S3-OODA-PROPOSED",
    "lifecycle",
    "Appendix 3.3 Step 3 (1)(i), Tables 3-7 and 3-8",
    ("OODA roles are proposals, not the factory's decision", "OODAの役割分担が提案のままで、工場が決めていない"),
    (
        "Flags an OODA stage with phases the model does not assign, for which the OODA table shows departments proposed from the guideline's example roles; "
        "the finding lists those phases and whom they propose. With no security department the IT department is proposed in its place, "
        "with no factory management the production site (a small firm's plant manager), and the finding says so. "
        "A phase nobody can be proposed for is S3-OODA-NO-DECIDER's.",
        "モデルが割り当てていないフェーズがあり、OODAの表がガイドラインの例の役割から部門を提案しているOODAの段階を指摘する。"
        "該当するフェーズと提案した部門を挙げる。セキュリティ部門がなければIT部門を、工場管理部門がなければ製造現場（小規模企業の工場長）を代わりに提案し、"
        "そのことを記す。提案できる部門もないフェーズは S3-OODA-NO-DECIDER が指摘する。",
    ),
    (
        "The guideline asks the factory to define the departments responsible and the decision makers of each OODA process (3.3 (1)(i)); Tables 3-7 and 3-8 are examples. "
        "A department matched to an example by its kind is the tool's guess: until the factory confirms it, that department does not know it leads or decides the phase, and the response stalls there when an incident comes.",
        "ガイドラインは、OODAの各プロセスについて担当部門と判断者を定めるよう求める（3.3 (1)(i)）。表3-7・3-8は例である。"
        "例に種別で当てはめた部門はツールの推測にすぎない。工場が確認するまで、その部門は自分がそのフェーズの主担当・判断者だと知らず、インシデントのときに対応がそこで止まる。",
    ),
    (
        "The roles may already be decided in a document the model does not record (an incident-response manual, the BCP): record them under 'ooda_roles', citing the document in the note.",
        "モデルに記録されていない文書（インシデント対応マニュアル、BCP）で役割が既に決まっていることがある。'ooda_roles' に記録し、注記にその文書を書く。",
    ),
)
OODA_NO_SITE = _rule(
    "S3-OODA-NO-SITE",
    "lifecycle",
    "Appendix 3.3 Step 3 (1)(i), Tables 3-7 and 3-8; (1)(ii)",
    ("Production site is absent from the OODA cycle", "製造現場がOODAサイクルに含まれていない"),
    (
        "Flags an OODA stage in which no production-site department leads or decides; the guideline has the site act on, and report, what happens on the floor.",
        "製造現場の部門が主担当にも判断者にもならないOODAの段階を指摘する。ガイドラインでは製造現場が対策の実施と事象の報告を担う。",
    ),
    (
        "The production site acts on the measures and reports what happens on the floor (Tables 3-7 and 3-8); a response cycle without it decides measures nobody carries out and hears of incidents late.",
        "製造現場は対策を実施し、現場で起きたことを報告する（表3-7・3-8）。現場のいない対応サイクルは、誰も実施しない対策を決め、インシデントを遅れて知る。",
    ),
    (
        "The site may take part through a department the model gives another kind (a maintenance section, say): set that department's kind to production-site if it works on the floor.",
        "現場が、モデル上別の kind の部門（保全課など）として参加していることがある。現場で作業する部門なら kind を production-site にする。",
    ),
)
OODA_NO_VENDOR_CHANNEL = _rule(
    "S3-OODA-NO-VENDOR-CHANNEL",
    "supply-chain",
    "Appendix 3.3 Step 3 (1)(i), Table 3-7 (Observe)",
    ("No vendor channel for vulnerability information", "脆弱性情報を受け取るベンダの窓口がない"),
    (
        "Flags a party that supplies or maintains installed equipment but has no vulnerability contact, so the preventive-maintenance Observe phase has no channel for that equipment.",
        "導入済み機器を供給・保守しているのに脆弱性情報の窓口がない事業者を指摘する。予防保全段階のObserve（監視）で、その機器の情報経路がない。",
    ),
    (
        "In the preventive-maintenance stage the vendor collects and passes on vulnerability information about installed devices (Table 3-7, Observe); without a contact, a vulnerability in that equipment reaches the factory late or not at all.",
        "予防保全段階では、ベンダーが導入機器の脆弱性情報を集めて伝える（表3-7のObserve（監視））。窓口がなければ、その機器の脆弱性は遅れて、あるいはまったく工場に届かない。",
    ),
    (
        "The vendor may publish advisories the security department already follows (a PSIRT page, CSAF feed): record that as the party's 'vulnerability_contact'.",
        "ベンダーが公開するアドバイザリ（PSIRTのページ、CSAFフィード）をセキュリティ部門が既に追っていることがある。それを事業者の 'vulnerability_contact' に記録する。",
    ),
)
MATURITY_UNASSESSED = _rule(
    "S3-MATURITY-UNASSESSED",
    "lifecycle",
    "Appendix 3.3 Step 3 (1)(ii), Table 3-9, Figure 3-5",
    ("Maturity area not assessed", "成熟度が評価されていない領域がある"),
    (
        "Flags an area of the maturity model (external cooperation, between departments, within the department) with no recorded level.",
        "成熟度モデルの領域（社内外の連携、部門間の連携、担当部門内）で水準が記録されていないものを指摘する。",
    ),
    (
        "The maturity model (Table 3-9) is how an organisation sees whether its people can act on a practical or a high-level incident; an area never assessed gives no basis for training or staffing decisions.",
        "成熟度モデル（表3-9）で、組織の人が実際的な、あるいは高度なインシデントに対処できるかを見る。評価していない領域では、教育や要員配置を判断する根拠がない。",
    ),
    (
        "Small factories may assess maturity company-wide rather than per factory: record the company's level for the area.",
        "小規模な工場では、工場ごとでなく全社で成熟度を評価していることがある。その領域の全社の水準を記録する。",
    ),
)
PDCA_NO_REVIEW = _rule(
    "S3-PDCA-NO-REVIEW",
    "lifecycle",
    "Appendix 3.3 Step 3; Figure 3-4 (PDCA cycle)",
    ("No PDCA review recorded", "PDCAの見直しの記録がない"),
    ("Flags a model with no review record at all.", "見直しの記録が一つもないモデルを指摘する。"),
    (
        "Step 3 ends by reviewing plans, measures and operation as business, environment and technology change, and going back to Step 1 when needed (3.3, Figure 3-4); with no review recorded, the model may describe a factory that no longer exists.",
        "ステップ3は、事業・環境・技術の変化に応じて計画・対策・運用を見直し、必要ならステップ1に戻ることで締めくくる（3.3、図3-4）。見直しの記録がなければ、モデルはもう存在しない工場を描いているかもしれない。",
    ),
    (
        "A new model, written for the first time, has had no review yet: record the first review once the Step 1 to 3 work has been agreed.",
        "初めて作成したモデルには、まだ見直しがない。ステップ1〜3の内容が合意できたら最初の見直しを記録する。",
    ),
)
PDCA_OVERDUE = _rule(
    "S3-PDCA-OVERDUE",
    "lifecycle",
    "Appendix 3.3 Step 3; Figure 3-4 (PDCA cycle)",
    ("PDCA review is overdue", "PDCAの見直しが期限を過ぎている"),
    (
        "Flags a model whose last review is older than the factory's review interval.",
        "最後の見直しが工場の見直し間隔より古いモデルを指摘する。",
    ),
    (
        "A review cycle that lapses lets changes pile up unreviewed; the guideline expects the PDCA cycle to keep up with frequent changes (3.3 (1)(ii)).",
        "見直しのサイクルが途切れると、見直されない変更がたまる。ガイドラインはPDCAサイクルが頻繁な変更に追いつくことを求める（3.3 (1)(ii)）。",
    ),
    (
        "The interval may be set shorter than the factory actually needs: set 'review_interval_days' to the agreed cycle rather than record a review that did not happen.",
        "見直し間隔が工場の実際の必要より短く設定されていることがある。行っていない見直しを記録するのでなく、合意した周期を 'review_interval_days' に設定する。",
    ),
)
PDCA_STALE = _rule(
    "S3-PDCA-STALE",
    "lifecycle",
    "Appendix 3.3 Step 3; Figure 3-4 (PDCA cycle)",
    ("Model changed after the last review", "最後の見直しの後にモデルが変わっている"),
    (
        "Flags a model whose digest differs from the one recorded by its last review.",
        "最後の見直しで記録したダイジェストと現在のモデルのダイジェストが異なることを指摘する。",
    ),
    (
        "The last review judged a different model; what changed since then (new assets, connections, parties) has not been through the cycle (3.3, Figure 3-4).",
        "最後の見直しが判断したのは別のモデルである。その後に変わったもの（資産・接続・事業者の追加）はサイクルを通っていない（3.3、図3-4）。",
    ),
    (
        "Edits that change no fact (a renamed element, a corrected typo) also change the digest: record a short review of the edit, so the next real change stands out.",
        "事実を変えない編集（要素名の変更、誤字の修正）でもダイジェストは変わる。その編集の短い見直しを記録し、次の実質的な変更が目立つようにする。",
    ),
)
PDCA_CHANGE_UNREVIEWED = _rule(
    "S3-PDCA-CHANGE-UNREVIEWED",
    "lifecycle",
    "Appendix 3.3 Step 3 (1)(ii); Step 3 PDCA from Step 1",
    ("Smartification change not reviewed", "スマート化による変更が見直されていない"),
    (
        "Flags new or changed elements with no review triggered by the smartification change that covers the current model.",
        "新規・変更の要素があるのに、現在のモデルを対象としたスマート化変更による見直しがないことを指摘する。",
    ),
    (
        "Smartification changes the factory's connections and parties, and the guideline asks that security be evaluated again from physical, system, operation and management perspectives before the updated cycle runs (3.3 (1)(ii)).",
        "スマート化は工場の接続と関係者を変える。ガイドラインは、更新したサイクルを回す前に、物理・システム・運用・管理の観点でセキュリティを評価し直すよう求める（3.3 (1)(ii)）。",
    ),
    (
        "Elements left marked 'new' or 'changed' after their change was completed keep this finding open: mark them 'existing' once the change has been reviewed and put into operation.",
        "変更が済んだ後も 'new' や 'changed' のままの要素があると、この指摘は開いたままになる。変更を見直して運用に入れたら 'existing' にする。",
    ),
)

LIFECYCLE_RULES: tuple[FindingRule, ...] = (
    CHECKLIST_OPEN,
    RESP_GAP,
    SUBCONTRACT_LINK,
    OODA_NO_DECIDER,
    OODA_PROPOSED,
    OODA_NO_SITE,
    OODA_NO_VENDOR_CHANNEL,
    MATURITY_UNASSESSED,
    PDCA_NO_REVIEW,
    PDCA_OVERDUE,
    PDCA_STALE,
    PDCA_CHANGE_UNREVIEWED,
)
LIFECYCLE_RULES_BY_ID: dict[str, FindingRule] = {rule.id: rule for rule in LIFECYCLE_RULES}
