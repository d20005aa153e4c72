"""Every id the tool prints, with what it means and the guideline text it rests on (``factorysec explain``, ``factorysec catalog``).

Step 1 and Step 3 rules carry their own metadata; the Step 2 plan items, the
Table 3-4 requirements and the discovery drift checks are described here, with
their ids and references taken from the modules that emit them.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from typing import Any

from factorysec.analysis import decisions, exposure, measures, policy, requirements, risk, security_levels
from factorysec.analysis.findings import Rule, text
from factorysec.analysis.lifecycle import LIFECYCLE_RULES
from factorysec.analysis.rules import RULES
from factorysec.catalog import Catalog, load_catalog
from factorysec.catalog.loader import REPORTING_DEPARTMENT, default_data_dir
from factorysec.catalog.models import ChecklistNote, Entry, MaturityCell, OodaRole, Text, ThreatExample
from factorysec.discovery.drift import REF_CONDUITS, REF_INVENTORY, REF_ZONES
from factorysec.yamlio import parse_yaml_text
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
        decisions.RULE_EXPIRED, "decision", decisions.REFERENCE,
        text("Decision past its review_by date", "見直し期限（review_by）を過ぎた判断"),
        text(
            "Still listed, but it no longer closes its finding, so --fail-on counts the risk again: review the decision and set a new review_by date.",
            "引き続き表示するが指摘は閉じず、--fail-on でも再びリスクとして数える。判断を見直し、review_by を更新する。",
        ),
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
    Explanation(
        "DISC-BLIND-SPOT", "discovery", f"{REF_INVENTORY}; {REF_ZONES}",
        text("Zone with no observed traffic", "通信が観測されなかったゾーン"),
        text("The captures saw nothing of this zone, so the drift report cannot speak for it: capture where it runs.", "キャプチャにこのゾーンの通信がなく、ドリフト報告はこのゾーンについて何も言えない。ゾーン内でキャプチャする。"),
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


# --- catalog ids -------------------------------------------------------------------------

SECTION_ALIASES: dict[str, str] = {"asset-types": "object-types", "checklists": "checklist-items", "requirement-standards": "standards"}
"""Other names a user may give a catalog section (the model's field descriptions say 'catalog checklists')."""


@dataclass(frozen=True)
class CatalogRow:
    """One catalog id as ``factorysec catalog`` lists it: its label and the guideline text it is cited from."""

    section: str
    id: str
    label: Text
    citation: str
    description: Text | None = None


def section_name(attribute: str) -> str:
    """The name a catalog section is listed under: its attribute name in kebab case."""
    return attribute.replace("_", "-")


def _label(entry: Any, catalog: Catalog) -> Text:
    """A one-line label for an entry: its title, or what stands in for one in the entries that have none."""
    title = getattr(entry, "title", None)
    if isinstance(title, Text):
        return title
    if isinstance(entry, ThreatExample):
        return entry.content
    if isinstance(entry, ChecklistNote):
        return entry.text
    if isinstance(entry, OodaRole):
        stage, phase = catalog.ooda_stages[entry.stage].title, catalog.ooda_phases[entry.phase].title
        return Text(en=f"{stage.en}: {phase.en}", ja=f"{stage.ja}：{phase.ja}")
    if isinstance(entry, MaturityCell):
        area, level = catalog.maturity_areas[entry.area].title, catalog.maturity_levels[entry.level].title
        return Text(en=f"{area.en}: {level.en}", ja=f"{area.ja}：{level.ja}")
    raise TypeError(f"no label for catalog entry {type(entry).__name__}")


def _description(entry: Any) -> Text | None:
    for field in ("description", "example"):
        value = getattr(entry, field, None)
        if isinstance(value, Text):
            return value
    return None


def _traits() -> tuple[Entry, ...]:
    """Asset traits, from the catalog's ``traits.yaml`` (their ids are the model's ``Trait`` values)."""
    text_ = (default_data_dir() / "traits.yaml").read_text(encoding="utf-8")
    document = parse_yaml_text(text_, "traits.yaml", record_locations=False).data
    return tuple(Entry.model_validate(item) for item in document["traits"])


@functools.cache
def catalog_rows() -> dict[str, tuple[CatalogRow, ...]]:
    """Every catalog id by section, in catalog order; then asset traits, Table 3-4 viewpoint details and the rule ids."""
    catalog = load_catalog()
    sections: dict[str, tuple[CatalogRow, ...]] = {}
    for attribute in Catalog.section_names():
        name = section_name(attribute)
        entries = getattr(catalog, attribute).values()
        sections[name] = tuple(CatalogRow(name, e.id, _label(e, catalog), e.ref, _description(e)) for e in entries)
    sections["traits"] = tuple(CatalogRow("traits", t.id, t.title, t.ref, t.description) for t in _traits())
    sections["ooda-leads"] = tuple(
        CatalogRow(
            "ooda-leads", REPORTING_DEPARTMENT, text("Whichever department the report concerns", "報告の対象となる部門"), role.ref,
            text("An OODA lead that is no fixed department: the one the observed event concerns leads the phase.", "特定の部門ではなく、観測した事象に関わる部門がそのフェーズを主導する。"),
        )
        for role in catalog.ooda.values()
        if role.lead == REPORTING_DEPARTMENT
    )[:1]
    sections["viewpoint-details"] = tuple(
        CatalogRow("viewpoint-details", f"{v.id}/{d.id}", d.title, v.ref, d.description) for v in catalog.viewpoints.values() for d in v.details
    )
    sections["rules"] = tuple(CatalogRow("rules", e.id, e.title, e.reference, e.summary) for e in EXPLANATIONS.values())
    return sections


def find_section(name: str) -> str | None:
    """The section a user means by ``name`` (kebab or snake case, or an alias), if any."""
    wanted = section_name(name.strip().lower())
    wanted = SECTION_ALIASES.get(wanted, wanted)
    return wanted if wanted in catalog_rows() else None


@functools.cache
def _catalog_index() -> dict[str, CatalogRow]:
    index: dict[str, CatalogRow] = {}
    for section, rows in catalog_rows().items():
        if section == "rules":
            continue
        for row in rows:
            index.setdefault(row.id, row)  # an id in two sections: the first section in catalog order
    return index


def _from_catalog(row: CatalogRow) -> Explanation:
    return Explanation(row.id, f"catalog {row.section}", row.citation, row.label, row.description or row.label)


def explain_any(printed_id: str) -> Explanation | None:
    """The explanation of any id an output prints: a rule, finding or requirement id, or a catalog id."""
    found = explain_id(printed_id)
    if found is not None:
        return found
    key = printed_id.strip()
    row = _catalog_index().get(key) or _catalog_index().get(key.lower())
    return _from_catalog(row) if row is not None else None


def suggestion(printed_id: str) -> str:
    """A 'did you mean' hint for an unknown id, or where the known ids are listed."""
    key = printed_id.strip()
    rule = difflib.get_close_matches(key.upper().split("@", 1)[0], list(EXPLANATIONS), n=1)
    if rule:
        return f" (did you mean {rule[0]}?)"
    close = difflib.get_close_matches(key.lower(), list(_catalog_index()), n=1)
    if close:
        return f" (did you mean {close[0]}?)"
    return "; 'factorysec catalog' lists every known id"
