"""Security requirements within and between zones (Step 1-7, Table 3-4), derived from the model's facts.

Between zones, each directed pair of zones joined by conduits gets the
information-transfer requirements that the data of any of its conduits call for
(confirm what may be sent, back up what is sent, compare what is sent with what
arrives) and, where control instructions cross, the decision on accepting them:
one requirement per viewpoint and pair, naming the conduits it covers. Within a zone, the requirements follow the zone's importance
(SQDC, business continuity) and the data it holds or newly receives
(confidentiality and integrity of protected objects).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from factorysec.analysis._build import assembler, text_unchecked, unicode_ok
from factorysec.analysis.findings import Finding, Subject, text
from factorysec.catalog.models import Text
from factorysec.model.entities import Asset, Conduit, ExternalNetwork, Importance, Lifecycle

if TYPE_CHECKING:
    from factorysec.analysis.context import AnalysisContext

REFERENCE = "Appendix 3.1.7 Step 1-7, Table 3-4"
SENSITIVE = {"restricted", "secret"}


class SecurityRequirement(BaseModel):
    """A requirement within a zone, or between two zones over the conduits that call for it, with the facts and findings that call for it."""

    model_config = ConfigDict(frozen=True)
    id: str = Field(description="Stable id: 'REQ-<viewpoint detail>@<zone>' within a zone, 'REQ-<viewpoint detail>@<from zone>-><to zone>' between zones.")
    scope: Literal["within-zone", "between-zones"]
    subject: Subject = Field(description="The zone the requirement is on; between zones, the zone the data leave (the sending zone).")
    viewpoint: str
    reference: str
    text: Text
    because: tuple[str, ...] = Field(default=(), description="Ids of the findings that call for it, in order.")
    new: bool = Field(default=False, description="Whether something new or changed calls for it: between zones, a conduit it covers or the data it carries; within a zone, data held or received.")
    to_zone: str | None = Field(default=None, description="Between zones: the zone that receives (the subject sends); none within a zone.")
    conduits: tuple[str, ...] = Field(
        default=(), description="Between zones: ids of the conduits from the subject to 'to_zone' that call for this requirement, in model order; none within a zone."
    )


def _names(context: "AnalysisContext", ids: Iterable[str]) -> str:
    return ", ".join(context.asset_name(i) for i in ids)


_EXISTING = Lifecycle.EXISTING
_NO_EXTERNAL_NETWORK = ExternalNetwork.NONE
_HIGH_RANK = Importance.HIGH.rank
_build_requirement = assembler(SecurityRequirement)
_build_subject = assembler(Subject)


class _ZoneFacts:
    """Per-zone facts every zone pair the zone sends or receives on needs, worked out once per zone rather than once per pair.

    ``requirements`` is the zone's list of requirement ids in ``by_zone``;
    ``subject`` the (frozen) subject of the requirements the zone sends on.
    """

    __slots__ = ("name", "high", "external", "unicode_ok", "requirements", "subject")

    def __init__(self, context: "AnalysisContext", zone_id: str, by_zone: dict[str, list[str]]) -> None:
        level = context.importance.zone_level(zone_id)
        self.name = context.zones[zone_id].name
        self.high = level is not None and level.rank >= _HIGH_RANK
        self.external = context.zones[zone_id].kind.side == "external"
        self.unicode_ok = unicode_ok(self.name)
        self.requirements = by_zone.setdefault(zone_id, [])
        self.subject = _build_subject({"kind": "zone", "id": zone_id})


_INFORMATION_TRANSFER = "information-transfer"
_CONTROL_INSTRUCTIONS = "control-instructions"
_CONFIDENTIALITY = "information-transfer/transfer-confidentiality"
_INTEGRITY = "information-transfer/transfer-integrity"
_AVAILABILITY = "information-transfer/transfer-availability"
_CONTROL = "control-instructions/external-control-instructions"
PAIR_SEPARATOR = "->"
"""Between a requirement id's two zone ids: zone ids (``ElementId``) cannot hold ``>``, so the first ``->`` ends the sending zone's id."""


def _because(related: list[Finding], prefix: str) -> tuple[str, ...]:
    return tuple(f.id for f in related if (f.viewpoint or "").startswith(prefix))


class _Covered:
    """What one requirement of a zone pair gathers from the conduits that call for it: their ids, whether any is new, the findings behind them.

    Lists rather than sets: most pairs have one conduit, and the lists are
    made unique only where they can repeat (see :meth:`ids`, :meth:`findings`).
    """

    __slots__ = ("conduits", "new", "because")

    def __init__(self) -> None:
        self.conduits: list[str] = []
        self.new = False
        self.because: list[str] = []

    def add(self, conduit_id: str, new: bool, because: tuple[str, ...]) -> None:
        self.conduits.append(conduit_id)
        if new:
            self.new = True
        if because:
            self.because.extend(because)

    def ids(self, ids_unique: bool) -> tuple[str, ...]:
        """The conduits covered, each once, in order; ``ids_unique`` says the model gives no two conduits one id."""
        return tuple(self.conduits) if ids_unique else tuple(dict.fromkeys(self.conduits))

    def findings(self) -> tuple[str, ...]:
        """The findings behind the requirement, each once, in order."""
        return tuple(dict.fromkeys(self.because)) if self.because else ()


class _Pair:
    """The conduits from one zone to another, folded into the (at most four) requirements between the two zones.

    Each conduit is decided on its own, as a requirement per conduit would be,
    and joins the requirements it calls for: the pair has a requirement when
    any of its conduits calls for it. ``carried`` maps the English wording of
    the data carried by all the pair's conduits to its Japanese wording (the
    same for data assets' names), each once, in order; ``carried_ok`` says
    whether all of it is valid Unicode.
    """

    __slots__ = ("source", "target", "carried", "carried_ok", "sensitive_outside", "confidentiality", "integrity", "availability", "control", "senders")

    def __init__(self, source: _ZoneFacts, target: _ZoneFacts) -> None:
        self.source, self.target = source, target
        self.carried: dict[str, str] = {}
        self.carried_ok = True
        self.sensitive_outside = False
        self.confidentiality = _Covered()
        self.integrity: _Covered | None = None
        self.availability: _Covered | None = None
        self.control: _Covered | None = None
        self.senders: dict[str, None] = {}


def _pairs(context: "AnalysisContext", findings_by_subject: dict[str, list[Finding]], facts: dict[str, _ZoneFacts]) -> dict[tuple[str, str], _Pair]:
    """The zone pairs of the model's conduits between two zones, in the order each pair first appears, each with its conduits folded in."""
    zones, assets = context.zones, context.assets
    existing, no_external_network = _EXISTING, _NO_EXTERNAL_NETWORK
    pairs: dict[tuple[str, str], _Pair] = {}
    for conduit in context.between_zones:
        from_zone, to_zone = conduit.from_zone, conduit.to_zone
        if from_zone not in zones or to_zone not in zones:
            continue
        pair = pairs.get((from_zone, to_zone))
        if pair is None:
            pair = pairs[from_zone, to_zone] = _Pair(facts[from_zone], facts[to_zone])
        conduit_id = conduit.id
        carried = pair.carried
        if conduit.data and (data := [assets[d] for d in conduit.data if d in assets]):
            for d in data:
                if d.name not in carried:
                    carried[d.name] = d.name
                    pair.carried_ok = pair.carried_ok and unicode_ok(d.name)
            new = conduit.status is not existing or any(d.status is not existing for d in data)
            sensitive = any(d.data and d.data.disclosure in SENSITIVE for d in data)
        else:
            worded = conduit.carries
            if worded:
                if worded not in carried:
                    carried[worded] = worded
                    pair.carried_ok = pair.carried_ok and unicode_ok(worded)
            elif "unspecified data" not in carried:
                carried["unspecified data"] = "未記載のデータ"
            new = conduit.status is not existing
            sensitive = False
        target_high = pair.target.high
        crosses_outside = conduit.external_network is not no_external_network or pair.target.external
        related = findings_by_subject.get(conduit_id)
        transfer_because = _because(related, _INFORMATION_TRANSFER) if related else ()
        pair.confidentiality.add(conduit_id, new, transfer_because)
        if sensitive and crosses_outside:
            pair.sensitive_outside = True
        control = conduit.carries_control_instructions
        if control or sensitive or target_high:
            covered = pair.integrity or _Covered()
            pair.integrity = covered
            covered.add(conduit_id, new, transfer_because)
        if new or crosses_outside or target_high:
            covered = pair.availability or _Covered()
            pair.availability = covered
            covered.add(conduit_id, new, transfer_because)
        if control:
            covered = pair.control or _Covered()
            pair.control = covered
            covered.add(conduit_id, new, _because(related, _CONTROL_INSTRUCTIONS) if related else ())
            pair.senders.update(dict.fromkeys(conduit.from_assets))
    return pairs


def _between_zones(
    context: "AnalysisContext", findings_by_subject: dict[str, list[Finding]], by_zone: dict[str, list[str]], out: list[SecurityRequirement]
) -> None:
    """Append the requirements between every two zones joined by a conduit to ``out``, noting their ids in ``by_zone`` under both zones.

    One requirement per viewpoint and directed zone pair, pairs in the order
    they first appear among the model's conduits (Table 3-4 states
    requirements between zones, not per conduit). Every value is already valid
    (ids and names from the validated model, texts that start and end with
    fixed wording), so the objects are built without validating them again;
    a text with a part that is not valid Unicode is validated, and fails as it
    always has.
    """
    facts = {zone_id: _ZoneFacts(context, zone_id, by_zone) for zone_id in context.zones}
    build_requirement = _build_requirement
    ids_unique = len(context.conduits) == len(context.model.conduits)
    for (from_zone, to_zone), pair in _pairs(context, findings_by_subject, facts).items():
        source_facts, target_facts = pair.source, pair.target
        source, target, subject = source_facts.name, target_facts.name, source_facts.subject
        first_ids, second_ids = source_facts.requirements, target_facts.requirements
        names_ok = source_facts.unicode_ok and target_facts.unicode_ok
        make_text = text_unchecked if names_ok else text
        tail = f"@{from_zone}{PAIR_SEPARATOR}{to_zone}"
        carried_en, carried_ja = ", ".join(pair.carried), ", ".join(pair.carried.values())
        if pair.sensitive_outside:
            confidentiality = (make_text if pair.carried_ok else text)(
                f"Confirm which data may leave '{source}' for '{target}' ({carried_en}); it is sensitive and crosses outside the factory",
                f"「{source}」から「{target}」へ送ってよいデータ（{carried_ja}）を確認する。機微なデータが工場外へ出る",
            )
        else:
            confidentiality = (make_text if pair.carried_ok else text)(
                f"Confirm which data may leave '{source}' for '{target}' ({carried_en})", f"「{source}」から「{target}」へ送ってよいデータ（{carried_ja}）を確認する"
            )
        texts: list[tuple[str, str, Text, _Covered]] = [
            (f"REQ-transfer-confidentiality{tail}", _CONFIDENTIALITY, confidentiality, pair.confidentiality)
        ]
        if pair.integrity is not None:
            texts.append((f"REQ-transfer-integrity{tail}", _INTEGRITY, make_text(
                f"Compare what '{source}' sends with what '{target}' receives, and validate it on receipt before it is used",
                f"「{source}」が送った内容と「{target}」が受け取った内容を照合し、利用前に受信側で検証する",
            ), pair.integrity))
        if pair.availability is not None:
            texts.append((f"REQ-transfer-availability{tail}", _AVAILABILITY, make_text(
                f"Back up the data sent from '{source}' to '{target}' so that either side can recover it",
                f"「{source}」から「{target}」へ送るデータをバックアップし、双方で復旧できるようにする",
            ), pair.availability))
        if pair.control is not None:
            senders = _names(context, pair.senders)
            texts.append((f"REQ-external-control-instructions{tail}", _CONTROL, (make_text if unicode_ok(senders) else text)(
                f"Decide whether '{target}' accepts control instructions from '{source}', from which senders ({senders or 'unnamed'}), and with what checks",
                f"「{target}」が「{source}」からの制御指示を受け入れるか、どの送信元（{senders or '未指定'}）から、どの確認を経て受け入れるかを決める",
            ), pair.control))
        # Every requirement covers some of the confidentiality one's conduits, in the same order: one as long covers the same ones,
        # and (but for control instructions, whose findings differ) has the same findings behind it; such requirements share its tuples.
        everything = pair.confidentiality
        all_conduits = everything.ids(ids_unique)
        all_because = everything.findings()
        for requirement_id, viewpoint, body, covered in texts:
            first_ids.append(requirement_id)
            second_ids.append(requirement_id)
            same_conduits = len(covered.conduits) == len(everything.conduits)
            if same_conduits and viewpoint is not _CONTROL:
                because, conduits = all_because, all_conduits
            else:
                because, conduits = covered.findings(), all_conduits if same_conduits else covered.ids(ids_unique)
            out.append(
                build_requirement(
                    {
                        "id": requirement_id, "scope": "between-zones", "subject": subject, "viewpoint": viewpoint, "reference": REFERENCE,
                        "text": body, "because": because, "new": covered.new, "to_zone": to_zone, "conduits": conduits,
                    }
                )
            )


class _ZoneInputs:
    """What the within-zone requirements read of the model, gathered in one pass in model order.

    Per zone: the assets in it with declared ratings, the assets in it that hold
    data, and the data received on conduits from other zones. Walking the model
    once in its own order, rather than each zone's assets and incoming conduits
    in turn, touches far less memory on large models.
    """

    __slots__ = ("rated", "held", "inbound")

    def __init__(self, context: "AnalysisContext") -> None:
        self.rated: dict[str, list[Asset]] = {}
        self.held: dict[str, list[Asset]] = {}
        self.inbound: dict[str, list[tuple[Conduit, Asset]]] = {}
        for asset in context.model.assets:
            zone = asset.zone
            if zone:
                if asset.importance is not None:  # without declared ratings, none of the asset's ratings is "declared"
                    self.rated.setdefault(zone, []).append(asset)
                if asset.data is not None:
                    self.held.setdefault(zone, []).append(asset)
        assets = context.assets
        for conduit in context.between_zones:
            if conduit.data:
                received = [(conduit, assets[d]) for d in conduit.data if d in assets]
                if received:
                    self.inbound.setdefault(conduit.to_zone, []).extend(received)


_NO_ASSETS: list[Asset] = []
_NO_INBOUND: list[tuple[Conduit, Asset]] = []
_SQDC_LABELS = {"safety": ("safety", "安全"), "quality": ("quality", "品質"), "delivery": ("delivery", "納期"), "cost": ("cost", "コスト")}


def _within(context: "AnalysisContext", zone_id: str, findings_by_subject: dict[str, list[Finding]], inputs: _ZoneInputs) -> Iterator[SecurityRequirement]:
    zone = context.zones[zone_id]
    subject = Subject(kind="zone", id=zone_id)
    related = findings_by_subject.get(zone_id, [])
    importance = context.importance.zones[zone_id].overall
    level = importance.level

    def requirement(viewpoint: str, body: Text, *, new: bool = False, key: str = "") -> SecurityRequirement:
        suffix = f"#{key}" if key else ""
        prefix = viewpoint.split("/")[0]
        return SecurityRequirement(
            id=f"REQ-{viewpoint.split('/')[-1]}@{zone_id}{suffix}", scope="within-zone", subject=subject, viewpoint=viewpoint,
            reference=REFERENCE, text=body, because=tuple(f.id for f in related if (f.viewpoint or "").startswith(prefix)), new=new,
        )

    if level is not None and level.rank >= _HIGH_RANK:
        yield requirement(
            "business-continuity/stoppage",
            text(
                f"'{zone.name}' is {level.value} importance ({importance.reason.en}): set how long it may stop and how it recovers",
                f"「{zone.name}」の重要度は {level.value}（{importance.reason.ja}）：停止許容時間と復旧方法を定める",
            ),
        )
    rated = inputs.rated.get(zone_id, _NO_ASSETS)
    axes = sorted(
        {
            axis
            for asset in rated
            for axis, rating in context.importance.assets[asset.id].ratings.items()
            if rating.source == "declared" and rating.level is not None and rating.level.rank >= _HIGH_RANK and axis != "business_continuity"
        }
    ) if rated else []
    if axes:
        yield requirement(
            f"sqdc/{axes[0]}",
            text(
                f"Protect {', '.join(_SQDC_LABELS[a][0] for a in axes)} in '{zone.name}': these are rated high for its protected objects",
                f"「{zone.name}」では{'・'.join(_SQDC_LABELS[a][1] for a in axes)}を守る：保護対象でこれらが高く評価されている",
            ),
        )
    inbound = inputs.inbound.get(zone_id, _NO_INBOUND)
    held = inputs.held.get(zone_id, _NO_ASSETS)
    if not inbound and not held:
        return
    sensitive = {a.id: a for a in held if a.data and a.data.disclosure in SENSITIVE}
    sensitive.update({a.id: a for _, a in inbound if a.data and a.data.disclosure in SENSITIVE})
    if sensitive:
        names = _names(context, sensitive)
        yield requirement(
            "protected-object/confidentiality",
            text(f"Keep {names} confidential in '{zone.name}': limit who can read them", f"「{zone.name}」で{names}の機密性を保つ：閲覧できる者を限定する"),
            new=any(a.status is not _EXISTING for a in sensitive.values()),
        )
    new_inbound = [(c, a) for c, a in inbound if c.status is not _EXISTING or a.status is not _EXISTING]
    if new_inbound:
        sources = sorted({context.zone_name(c.from_zone) for c, _ in new_inbound})
        names = _names(context, dict.fromkeys(a.id for _, a in new_inbound))
        yield requirement(
            "protected-object/integrity",
            text(
                f"Review '{zone.name}''s requirements: it newly receives {names} from {', '.join(sources)}; protect its integrity and decide who may change it",
                f"「{zone.name}」の要件を見直す：{'、'.join(sources)}から新たに{names}を受け取る。完全性を守り、変更できる者を決める",
            ),
            new=True,
        )


class Requirements(tuple[SecurityRequirement, ...]):
    """The requirements of a model, in model order, with their ids grouped by zone (as the zone policies list them).

    ``by_zone[zone]`` holds the zone's own requirement ids, then those of every
    zone pair the zone sends or receives on, in order, each id once: what
    :func:`factorysec.analysis.policy.zone_requirements` works out from any
    sequence of requirements, noted here while deriving them instead of looked
    up again for each of hundreds of thousands of requirements.
    """

    by_zone: Mapping[str, Sequence[str]]

    def __new__(cls, requirements: Iterable[SecurityRequirement], by_zone: Mapping[str, Sequence[str]]) -> "Requirements":
        self = super().__new__(cls, requirements)
        self.by_zone = by_zone
        return self


def derive_requirements(context: "AnalysisContext", findings: list[Finding]) -> Requirements:
    """Requirements for every zone, in model order, then for every directed pair of zones joined by a conduit, in order of first appearance."""
    by_subject: dict[str, list[Finding]] = {}
    for finding in findings:
        by_subject.setdefault(finding.subject.id, []).append(finding)
    result: list[SecurityRequirement] = []
    by_zone: dict[str, list[str]] = {}
    inputs = _ZoneInputs(context)
    for zone in context.model.zones:
        start = len(result)
        result.extend(_within(context, zone.id, by_subject, inputs))
        if len(result) > start:
            by_zone.setdefault(zone.id, []).extend(r.id for r in result[start:])
    _between_zones(context, by_subject, by_zone, result)
    return Requirements(result, {zone_id: ids for zone_id, ids in by_zone.items() if ids})
