"""The declarations of the discovery drift checks (``factorysec discover --model``): what each DISC-* id means, once.

:mod:`.drift` emits the findings and takes each check's id and title from here.
"""

from __future__ import annotations

from factorysec.rulebook import RuleInfo, text

REF_INVENTORY = "Appendix 3.1.4 Step 1-4: keep the list of system components current, using automation tools"
REF_ZONES = "3.1.6 Step 1-6: zones"
REF_CONDUITS = "3.1.7 Step 1-7, Table 3-4: control instructions and data between zones"

CONTROL_WRITE = RuleInfo(
    id="DISC-CONTROL-WRITE",
    family="discovery",
    category="discovery",
    reference=f"{REF_CONDUITS}; {REF_ZONES}",
    title=text(
        "Control-protocol write from a host that should not issue control instructions",
        "制御指示を出すべきでないホストからの制御プロトコル書き込み",
    ),
    summary=text(
        "Modbus write function codes, S7 download or stop, seen from a host outside the zone or asset allowed to issue them.",
        "Modbusの書き込み機能コードやS7のダウンロード・停止が、許されたゾーン・資産以外から観測された。",
    ),
    why=text(
        "Control instructions from outside the zones meant to send them are what Table 3-4 asks each receiving zone to decide about; observed, they mean someone can already move the equipment (abnormal control or stoppage, 3.1.7).",
        "送るはずのゾーン以外からの制御指示は、表3-4が受け取る各ゾーンに判断を求めるものである。観測されたなら、既に誰かが設備を動かせる（異常な制御や停止、3.1.7）。",
    ),
    false_positives=text(
        "An engineering laptop plugged in for maintenance, or a legitimate sender missing from the conduit's assets, looks the same: check the host; if it is meant to send, declare it on the conduit.",
        "保守で接続したエンジニアリング用ノートPCや、コンジットの資産に記載漏れの正規の送信元も同じに見える。ホストを確認し、送るはずのものならコンジットに宣言する。",
    ),
)
UNDECLARED_FLOW = RuleInfo(
    id="DISC-UNDECLARED-FLOW",
    family="discovery",
    category="discovery",
    reference=f"{REF_ZONES}; {REF_CONDUITS}",
    title=text("Flow between zones with no declared conduit", "宣言されたコンジットのないゾーン間フロー"),
    summary=text(
        "Observed traffic between two zones that the model does not connect; most severe into zones receiving control instructions.",
        "モデルがつないでいないゾーン間の通信。制御指示を受けるゾーンへのものを最も重く扱う。",
    ),
    why=text(
        "Zones are kept apart so that an attack in one can be contained (3.1.6); a connection nobody declared has no requirements between zones (Table 3-4) and no measures.",
        "ゾーンは一つへの攻撃を封じ込められるよう分ける（3.1.6）。誰も宣言していない接続には、ゾーン間の要件（表3-4）も対策もない。",
    ),
    false_positives=text(
        "Addresses mapped to the wrong zone (an overlapping or outdated subnet) turn in-zone traffic into cross-zone flows: check the zones' subnets and the assets' addresses first.",
        "誤ったゾーンに割り当てたアドレス（重なった、または古いサブネット）は、ゾーン内の通信をゾーン間のフローに見せる。まずゾーンのサブネットと資産のアドレスを確認する。",
    ),
)
UNDECLARED_PROTOCOL = RuleInfo(
    id="DISC-UNDECLARED-PROTOCOL",
    family="discovery",
    category="discovery",
    reference=REF_CONDUITS,
    title=text(
        "Protocol on a conduit that the model does not list", "モデルに記載のないプロトコルがコンジット上にある"
    ),
    summary=text(
        "Observed on a declared conduit but missing from its protocols.",
        "宣言済みコンジットで観測されたが、そのprotocolsに記載がない。",
    ),
    why=text(
        "The requirements and controls of a conduit were set for what it is said to carry (Table 3-4); another protocol, a control protocol above all, crosses without them.",
        "コンジットの要件と対策は、運ぶとされたものに対して決めた（表3-4）。別のプロトコル、とりわけ制御プロトコルは、それなしに通る。",
    ),
    false_positives=text(
        "Supporting traffic the model does not list (time sync, name lookups, a vendor's discovery protocol) is often harmless: add it to the conduit's protocols once checked.",
        "モデルが記載していない補助的な通信（時刻同期、名前解決、ベンダーの探索プロトコル）は無害なことが多い。確認したらコンジットの protocols に加える。",
    ),
)
UNKNOWN_HOST = RuleInfo(
    id="DISC-UNKNOWN-HOST",
    family="discovery",
    category="discovery",
    reference=REF_INVENTORY,
    title=text("Observed host that is not a declared asset", "資産として宣言されていない観測ホスト"),
    summary=text(
        "Keep the inventory current (Step 1-4): add the host as an asset or explain it.",
        "構成要素を最新に保つ（ステップ1-4）：資産として追加するか理由を記す。",
    ),
    why=text(
        "Factory components change often, and Step 1-4 asks that they be kept current, with automation tools if needed; a host nobody declared is protected by nobody.",
        "工場の構成要素は頻繁に変わり、ステップ1-4は必要なら自動化ツールも使って最新に保つよう求める。誰も宣言していないホストは誰にも守られていない。",
    ),
    false_positives=text(
        "Visitors' devices on a guest segment, DHCP addresses reused by a known asset, or a capture that includes traffic from outside the factory: check before adding the host.",
        "ゲスト用セグメントの来訪者の機器、既知の資産が再利用したDHCPアドレス、工場外の通信を含むキャプチャ。ホストを追加する前に確認する。",
    ),
)
ASSET_UNSEEN = RuleInfo(
    id="DISC-ASSET-UNSEEN",
    family="discovery",
    category="discovery",
    reference=REF_INVENTORY,
    title=text("Declared asset never seen", "観測されなかった宣言済み資産"),
    summary=text(
        "An asset with addresses that sent or received nothing in the captures.",
        "アドレスを持つ資産がキャプチャ中で送受信していない。",
    ),
    why=text(
        "An asset that no longer exists still shapes zones, risks and requirements; the inventory must follow what is really there (Step 1-4).",
        "もう存在しない資産も、ゾーン・リスク・要件を左右し続ける。構成要素の一覧は実在するものに従わなければならない（ステップ1-4）。",
    ),
    false_positives=text(
        "The asset may simply have been quiet, or on a segment the captures did not cover: capture longer or where it runs before removing it.",
        "資産がたまたま通信しなかったか、キャプチャの範囲外のセグメントにあっただけのことがある。削除する前に、より長く、または所在地でキャプチャする。",
    ),
)
CONDUIT_UNOBSERVED = RuleInfo(
    id="DISC-CONDUIT-UNOBSERVED",
    family="discovery",
    category="discovery",
    reference=REF_CONDUITS,
    title=text("Declared conduit never observed", "観測されなかった宣言済みコンジット"),
    summary=text(
        "No traffic matched the conduit in the captures: it may be unused, or the captures miss it.",
        "キャプチャ中にコンジットに一致する通信がない。未使用か、キャプチャ範囲外の可能性。",
    ),
    why=text(
        "A conduit kept in the model after the link is gone keeps its requirements and exposure alive; one that is only rarely used still needs them: either way the model should say which.",
        "接続がなくなった後もモデルに残るコンジットは、要件と露出を生かし続ける。まれに使うだけのものには、それらが必要である。いずれにせよモデルがどちらかを示すべきである。",
    ),
    false_positives=text(
        "Batch transfers (a nightly backup, a monthly recipe download) are silent in a short capture: capture over a full cycle before removing the conduit.",
        "バッチ転送（夜間のバックアップ、月次のレシピ配信）は短いキャプチャには現れない。コンジットを削除する前に一周期分をキャプチャする。",
    ),
)
BLIND_SPOT = RuleInfo(
    id="DISC-BLIND-SPOT",
    family="discovery",
    category="discovery",
    reference=f"{REF_INVENTORY}; {REF_ZONES}",
    title=text("Zone with no observed traffic", "通信が観測されなかったゾーン"),
    summary=text(
        "The captures saw nothing of this zone, so the drift report cannot speak for it: capture where it runs.",
        "キャプチャにこのゾーンの通信がなく、ドリフト報告はこのゾーンについて何も言えない。ゾーン内でキャプチャする。",
    ),
    why=text(
        "A drift report that is silent about a zone is easy to read as a clean one; the blind spot says the zone was not looked at (Step 1-4, 1-6).",
        "あるゾーンについて何も言わないドリフト報告は、問題なしと読まれやすい。盲点は、そのゾーンを見ていないことを示す（ステップ1-4、1-6）。",
    ),
    false_positives=text(
        "External zones and zones of cloud services are rarely visible from inside the factory: a blind spot there is expected and needs no capture point.",
        "外部ゾーンやクラウドサービスのゾーンは、工場内からはほとんど見えない。そこでの盲点は想定どおりで、キャプチャ地点は要らない。",
    ),
)

REF_IDENTITY = (
    "Appendix 3.1.4 Step 1-4: keep the list of system components current, using automation tools",
    "Appendix 3.3 Tables 3-11, 3-12: vulnerability information of general-purpose products and software",
)
IDENTITY_MISMATCH = RuleInfo(
    id="DISC-IDENTITY-MISMATCH",
    family="discovery",
    category="discovery",
    reference="; ".join(REF_IDENTITY),
    title=text("Declared identity contradicted by the device", "宣言された識別情報と機器の応答が食い違う"),
    summary=text(
        "The device reported a vendor, model number, firmware version or serial other than the model declares.",
        "機器が通信中に名乗ったベンダー・型式・ファームウェア版数・シリアルがモデルの宣言と異なる。",
    ),
    why=text(
        "Vendor advisories are matched on the declared identity (Tables 3-11, 3-12): a wrong firmware version reports a fixed unit as affected or, worse, an affected unit as fixed.",
        "ベンダーの脆弱性情報は宣言された識別情報で照合する（表3-11、3-12）。版数が誤っていれば、修正済みの機器を影響ありと、さらに悪ければ影響のある機器を修正済みと報告する。",
    ),
    false_positives=text(
        "A device answering for a module behind it (a gateway, a CPU answering for its communication module), or an address reused by another device: check which unit answered before correcting the model.",
        "背後のモジュールに代わって応答する機器（ゲートウェイ、通信モジュールに代わって応答するCPU）や、別の機器が再利用したアドレス。モデルを直す前に、どの機器が応答したかを確認する。",
    ),
)
IDENTITY_UNDECLARED = RuleInfo(
    id="DISC-IDENTITY-UNDECLARED",
    family="discovery",
    category="discovery",
    reference="; ".join(REF_IDENTITY),
    title=text("Identity seen on the wire but not declared", "通信中に識別情報が見えるが未宣言"),
    summary=text(
        "The device told the network what it is (vendor, product, firmware) but the asset has no identity: record it with source: observed.",
        "機器は通信中にベンダー・製品・ファームウェアを名乗っているが、資産に識別情報がない。source: observed として記録する。",
    ),
    why=text(
        "An asset without an identity cannot be matched to any advisory, so its vulnerabilities stay unknown (Tables 3-11, 3-12); the traffic already says what it is (Step 1-4).",
        "識別情報のない資産はどの脆弱性情報とも照合できず、脆弱性が分からないままになる（表3-11、3-12）。通信が既にそれが何かを示している（ステップ1-4）。",
    ),
    false_positives=text(
        "SNMP sysDescr of a network card or a protocol gateway may describe that part rather than the asset: keep only what describes the asset itself.",
        "ネットワークカードやプロトコルゲートウェイのSNMP sysDescrは、資産ではなくその部品を表すことがある。資産そのものを表すものだけを記録する。",
    ),
)

HARD_WIRED_SEEN = RuleInfo(
    id="DISC-HARD-WIRED-SEEN",
    family="discovery",
    category="discovery",
    reference=f"{REF_INVENTORY}; 3.1.6 Step 1-6, procedure step 3 (same zone or another zone based on BCP, facility environment (physical, cyberspace))",
    title=text("Declared hard-wired but seen on the network", "配線のみと宣言されているがネットワーク上で観測された"),
    summary=text(
        "A host not in the model stated on the wire the identity of an asset the model marks hard-wired (the same serial, "
        "or the same vendor and model number where either side gives no serial).",
        "モデルにないホストが、モデルで hard-wired（配線のみ）とされた資産の識別情報（同じシリアル、どちらかにシリアルが"
        "なければ同じベンダーと型式）を通信中に名乗った。",
    ),
    why=text(
        "A hard-wired asset is left out of the rules about reaching a device over a network (a safety system sharing the "
        "control's network zone, 3.1.5 S, 3.1.6); if the device is on a network after all, those findings are missing and "
        "the zoning rests on a wrong fact (Step 1-4).",
        "hard-wired の資産は、ネットワーク経由で機器に届くことを前提にするルール（安全システムが制御と同じネットワークの"
        "ゾーンにある、3.1.5 S、3.1.6）から除かれる。実際にはネットワークにつながっているなら、その指摘が抜け、"
        "ゾーニングが誤った事実に基づく（ステップ1-4）。",
    ),
    false_positives=text(
        "Another unit of the same model that is networked, where neither side gives a serial: declare that unit as an "
        "asset of its own with its address, or give both their serials.",
        "どちらにもシリアルがなく、同じ型式の別の機器がネットワークにつながっている場合。その機器をアドレス付きの別の資産"
        "として宣言するか、両方にシリアルを記載する。",
    ),
)

DRIFT_RULES: tuple[RuleInfo, ...] = (
    CONTROL_WRITE,
    UNDECLARED_FLOW,
    UNDECLARED_PROTOCOL,
    UNKNOWN_HOST,
    ASSET_UNSEEN,
    CONDUIT_UNOBSERVED,
    BLIND_SPOT,
    IDENTITY_MISMATCH,
    IDENTITY_UNDECLARED,
    HARD_WIRED_SEEN,
)
"""In the order the drift report runs them."""
