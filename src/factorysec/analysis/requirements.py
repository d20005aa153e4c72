"""Security requirements within and between zones (Step 1-7, Table 3-4), derived from the model's facts.

Between zones, each directed pair of zones joined by conduits (a two-way
conduit joins its zones both ways: its data go back from ``to`` to ``from``) gets the
information-transfer requirements that the data of any of its conduits call for
(confirm what may be sent, back up what is sent, compare what is sent with what
arrives) and, where control instructions cross, the decision on accepting them:
one requirement per viewpoint and pair, naming the conduits it covers. Within a zone, the requirements follow the zone's importance
(SQDC, business continuity) and the data it holds or newly receives
(confidentiality and integrity of protected objects).

A flow inside a zone whose end is an asset run by an outside party (an
external service, or an asset managed by a party other than the zone's) is
treated as a flow to a zone of its own: the party runs it under its own
policy, so the data sent to it get the transfer requirements, and the asset
the confidentiality and integrity requirements, that an external zone would
(Annex A case (ii) step 3); the asset's id stands for that zone in the ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from factorysec.analysis._build import assembler, text_unchecked, unicode_ok
from factorysec.analysis.findings import Finding, Subject, text
from factorysec.catalog.models import Text
from factorysec.catalog.vocabulary import words
from factorysec.model.entities import Asset, Conduit, ExternalNetwork, Importance, Lifecycle

if TYPE_CHECKING:
    from factorysec.analysis.context import AnalysisContext

REFERENCE = "Appendix 3.1.7 Step 1-7, Table 3-4"
SENSITIVE = {"restricted", "secret"}


class SecurityRequirement(BaseModel):
    """A requirement within a zone, or between two zones over the conduits that call for it, with the facts and findings that call for it."""

    model_config = ConfigDict(frozen=True)
    id: str = Field(
        description="Stable id: 'REQ-<viewpoint detail>@<zone>' within a zone, 'REQ-<viewpoint detail>@<from zone>-><to zone>' between zones."
    )
    scope: Literal["within-zone", "between-zones"]
    subject: Subject = Field(
        description="The zone the requirement is on; between zones, the zone the data leave (the sending zone)."
    )
    viewpoint: str
    reference: str
    text: Text
    because: tuple[str, ...] = Field(default=(), description="Ids of the findings that call for it, in order.")
    new: bool = Field(
        default=False,
        description="Whether something new or changed calls for it: between zones, a conduit it covers or the data it carries; within a zone, data held or received.",
    )
    to_zone: str | None = Field(
        default=None, description="Between zones: the zone that receives (the subject sends); none within a zone."
    )
    conduits: tuple[str, ...] = Field(
        default=(),
        description="Between zones: ids of the conduits from the subject to 'to_zone' that call for this requirement, in model order; none within a zone.",
    )


def _names(context: AnalysisContext, ids: Iterable[str]) -> str:
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

    __slots__ = ("name", "high", "external", "unicode_ok", "requirements", "subject", "zone")

    def __init__(self, context: AnalysisContext, zone_id: str, by_zone: dict[str, list[str]]) -> None:
        level = context.importance.zone_level(zone_id)
        self.name = context.zones[zone_id].name
        self.high = level is not None and level.rank >= _HIGH_RANK
        self.external = context.zones[zone_id].kind.side == "external"
        self.unicode_ok = unicode_ok(self.name)
        self.requirements = by_zone.setdefault(zone_id, [])
        self.subject = _build_subject({"kind": "zone", "id": zone_id})
        self.zone = zone_id

    @classmethod
    def outside_end(cls, context: AnalysisContext, asset: Asset, zone: _ZoneFacts) -> _ZoneFacts:
        """The facts of an asset inside ``zone`` that an outside party runs, as the other end of a transfer.

        The party runs it under its own policy, so data sent to it leave the
        factory's requirements as data sent to an external zone do; the
        requirements stay on ``zone`` (listed there, with it as subject).
        """
        facts = cls.__new__(cls)
        level = context.importance.asset_level(asset.id)
        facts.name = outside_name(context, asset)
        facts.high = level is not None and level.rank >= _HIGH_RANK
        facts.external = True
        facts.unicode_ok = unicode_ok(facts.name)
        facts.requirements = zone.requirements
        facts.subject = zone.subject
        facts.zone = zone.zone
        return facts


def outside_name(context: AnalysisContext, asset: Asset) -> str:
    """An outside-run asset's name with the party that runs it, as requirements name it."""
    party = context.parties.get(asset.managed_by) if asset.managed_by else None
    return f"{asset.name} ({party.name})" if party is not None else asset.name


OutsideEnds = list[tuple[Conduit, list[Asset], list[Asset]]]
"""Flows inside a zone with an end an outside party runs: the conduit, its receiving assets and its sending assets run outside."""


def outside_ends(context: AnalysisContext) -> OutsideEnds:
    """The flows inside a zone of the factory whose sending or receiving asset an outside party runs, in model order.

    An asset is run outside when it is an external service or managed by a
    party (:meth:`~AnalysisContext.is_external`) other than the one that runs
    the zone, and not a private cloud within the enterprise systems (the
    Annex A case (ii) exception: that one is under the company's own policy;
    a service whose contract includes the measures is still run under the
    party's, and its requirements are what the contract settles). Data that
    reach it leave for the party's own policy, as across
    a zone boundary (Table 3-4; Annex A case (ii) step 3 separates such a
    service because the zone's requirements cannot be asked of its provider):
    moving the service into the zone must not drop the requirements on them.
    A flow inside an external zone is the partner's own business.
    """
    zones, sides, assets = context.zones, context.zone_sides, context.assets
    found: OutsideEnds = []
    for conduit in context.inside_with_ends:
        zone_id = conduit.from_zone
        if sides[zone_id] == "external":
            continue
        manager = zones[zone_id].managed_by
        run_outside = [assets[a] for a in (*conduit.to_assets, *conduit.from_assets) if a in assets]
        run_outside = [
            a
            for a in run_outside
            if context.is_external(a)
            and a.separation_exception != "private-cloud"
            and (manager is None or a.managed_by != manager)
        ]
        if not run_outside:
            continue
        outside_ids = {a.id for a in run_outside}
        receivers = [assets[a] for a in conduit.to_assets if a in outside_ids]
        senders = [assets[a] for a in conduit.from_assets if a in outside_ids]
        found.append((conduit, receivers, senders))
    return found


_INFORMATION_TRANSFER = "information-transfer"
_CONTROL_INSTRUCTIONS = "control-instructions"
_CONFIDENTIALITY = "information-transfer/transfer-confidentiality"
_INTEGRITY = "information-transfer/transfer-integrity"
_AVAILABILITY = "information-transfer/transfer-availability"
_CONTROL = "control-instructions/external-control-instructions"
PAIR_SEPARATOR = "->"
"""Between a requirement id's two zone ids: zone ids (``ElementId``) cannot hold ``>``, so the first ``->`` ends the sending zone's id."""


_Covers = tuple[tuple[str, ...], bool, tuple[str, ...]]
"""What one requirement of a zone pair covers: the ids of the conduits that call for it (each once, in model order), whether any of them is new, and the ids of the findings behind them (each once, in order)."""


class _Cited:
    """The findings that requirements cite, by subject id (whatever the subject's kind), gathered in one pass over the findings.

    ``on_zone`` holds the findings on each zone (the within-zone requirements
    pick theirs by viewpoint); ``transfer`` and ``control`` the ids of the
    findings on each subject that a transfer requirement, and that a
    control-instructions requirement, cites: each once, in order. Subjects
    without such findings are left out, which keeps the tables small for the
    look-up per conduit.
    """

    __slots__ = ("on_zone", "transfer", "control")

    def __init__(self, findings: list[Finding], zones: Mapping[str, object]) -> None:
        self.on_zone: dict[str, list[Finding]] = {}
        self.transfer: dict[str, tuple[str, ...]] = {}
        self.control: dict[str, tuple[str, ...]] = {}
        on_zone, transfer, control = self.on_zone, self.transfer, self.control
        for finding in findings:
            subject_id = finding.subject.id
            if subject_id in zones:
                on_zone.setdefault(subject_id, []).append(finding)
            viewpoint = finding.viewpoint
            if not viewpoint:
                continue
            if viewpoint.startswith(_INFORMATION_TRANSFER):
                cites = transfer
            elif viewpoint.startswith(_CONTROL_INSTRUCTIONS):
                cites = control
            else:
                continue
            finding_id = finding.id
            cited = cites.get(subject_id)
            if cited is None:
                cites[subject_id] = (finding_id,)
            elif finding_id not in cited:
                cites[subject_id] = (*cited, finding_id)


_Sent = tuple[str, Lifecycle, ExternalNetwork, bool, list[str], str | None, list[str]]
"""What a requirement between zones reads of one conduit: its id, status, external network, whether it carries control instructions, data, ``carries`` and senders."""
_sent: Callable[[Conduit], _Sent] = attrgetter(
    "id", "status", "external_network", "carries_control_instructions", "data", "carries", "from_assets"
)
_pair_of: Callable[[Conduit], tuple[str, str]] = attrgetter("from_zone", "to_zone")


_Pairs = dict[tuple[str, str], _Sent | list[_Sent]]
"""Conduits between two zones by directed zone pair: a pair's only conduit, or a list of its conduits when it has several."""


def _conduits_by_pair(context: AnalysisContext, outside: OutsideEnds) -> tuple[_Pairs, list[Conduit]]:
    """What the requirements read of the model's conduits between two zones, by directed zone pair (either zone may be missing from the model).

    Pairs in the order each first appears, conduits in model order; second,
    the conduits between zones that name data, in model order (for the data
    each zone receives). Each conduit is read here, once, in model order:
    reading the conduits again pair by pair, scattered over the model, costs
    more than reading them here. Most pairs have one conduit, kept on its own:
    a list for each would cost a list per pair (at 300k conduits, tens of
    megabytes for the process to map).
    """
    pairs: _Pairs = {}
    naming_data: list[Conduit] = []
    sent, pair_of = _sent, _pair_of
    issued_at_to_end = context.issued_at_to_end
    for conduit in context.between_zones:
        if conduit.direction != "two-way":
            _add_to_pair(pairs, pair_of(conduit), sent(conduit))
        elif conduit.carries_control_instructions and issued_at_to_end(conduit):
            _add_to_pair(pairs, pair_of(conduit), _without_control(sent(conduit)))
            _add_way_back(pairs, conduit, control=True)
        else:
            _add_to_pair(pairs, pair_of(conduit), sent(conduit))
            _add_way_back(pairs, conduit)
        if conduit.data:
            naming_data.append(conduit)
    for conduit, receivers, senders in outside:
        _add_outside_ends(pairs, conduit, receivers, senders, issued_at_to_end(conduit))
    return pairs, naming_data


def _without_control(facts: _Sent) -> _Sent:
    """A conduit's facts for the way that carries no control instructions (the instructions go the other way)."""
    conduit_id, status, network, _, data, worded, senders = facts
    return conduit_id, status, network, False, data, worded, senders


def _add_to_pair(pairs: _Pairs, key: tuple[str, str], facts: _Sent) -> None:
    group = pairs.get(key)
    if group is None:
        pairs[key] = facts
    elif isinstance(group, list):
        group.append(facts)
    else:
        pairs[key] = [group, facts]


def _add_outside_ends(
    pairs: _Pairs, conduit: Conduit, receivers: list[Asset], senders: list[Asset], issued_at_to_end: bool = False
) -> None:
    """Add a flow inside a zone with ends run outside to ``pairs``: from the zone to each receiver run outside, from each sender run outside to the zone, and (two-way) the ways back.

    The pair's keys are the zone's id and the outside asset's id (ids are
    unique across the model); each pair gets the conduit once. As between
    zones, control instructions go one way only: the drawn way, or the way
    back where ``issued_at_to_end`` (see :meth:`AnalysisContext.issued_at_to_end`).
    An asset that only talks to itself makes no pair.
    """
    zone_id, status, network, data, worded = (
        conduit.from_zone,
        conduit.status,
        conduit.external_network,
        conduit.data,
        conduit.carries,
    )
    back = conduit.direction == "two-way"
    control = conduit.carries_control_instructions and not (back and issued_at_to_end)
    control_back = conduit.carries_control_instructions and back and issued_at_to_end
    added: dict[tuple[str, str], _Sent] = {}
    for receiver in receivers:
        if conduit.from_assets == [receiver.id]:
            continue
        added.setdefault(
            (zone_id, receiver.id), (conduit.id, status, network, control, data, worded, conduit.from_assets)
        )
        if back:
            added.setdefault(
                (receiver.id, zone_id), (conduit.id, status, network, control_back, data, worded, [receiver.id])
            )
    for sender in senders:
        if conduit.to_assets == [sender.id]:
            continue
        added.setdefault((sender.id, zone_id), (conduit.id, status, network, control, data, worded, [sender.id]))
        if back:
            added.setdefault(
                (zone_id, sender.id), (conduit.id, status, network, control_back, data, worded, conduit.to_assets)
            )
    for key, facts in added.items():
        _add_to_pair(pairs, key, facts)


def _add_way_back(pairs: _Pairs, conduit: Conduit, control: bool = False) -> None:
    """Add the way back of a two-way conduit to ``pairs``: the same data, sent by ``to``'s assets to ``from`` (Table 3-4 asks for both sides of a transfer).

    Control instructions go one way only: from ``from`` to ``to`` (the zone
    that sends or initiates), unless ``control`` says they come back from the
    end that issues them (:meth:`AnalysisContext.issued_at_to_end`). The way
    without them carries the data, so leakage from the factory to a partner is
    asked about, but no decision on accepting instructions is asked of the
    zone that sends them.
    """
    key = (conduit.to_zone, conduit.from_zone)
    facts: _Sent = (
        conduit.id,
        conduit.status,
        conduit.external_network,
        control,
        conduit.data,
        conduit.carries,
        conduit.to_assets,
    )
    _add_to_pair(pairs, key, facts)


def _carried(
    data_ids: list[str], worded: str | None, new: bool, assets: Mapping[str, Asset], carried: dict[str, str]
) -> tuple[bool, bool, bool]:
    """Note what a conduit with ``data_ids`` and ``carries`` (``worded``) carries in ``carried`` (English wording to Japanese; data assets by name), each once, in order.

    Returns whether the conduit (``new`` says whether it is new itself) or any
    data it carries is new, whether any of its data is sensitive, and whether
    all it added to ``carried`` is valid Unicode.
    """
    if data_ids and (data := [assets[d] for d in data_ids if d in assets]):
        ok = True
        for d in data:
            name = d.name
            if name not in carried:
                carried[name] = name
                ok = ok and unicode_ok(name)
        return (
            new or any(d.status is not _EXISTING for d in data),
            any(d.data and d.data.disclosure in SENSITIVE for d in data),
            ok,
        )
    if worded:
        if worded not in carried:
            carried[worded] = worded
            return new, False, unicode_ok(worded)
    elif "unspecified data" not in carried:
        carried["unspecified data"] = "未記載のデータ"
    return new, False, True


class _Covering:
    """What one requirement of a zone pair with several conduits gathers from those that call for it: their ids, whether any is new, the findings behind them.

    Lists rather than sets: only the findings behind them can repeat, and are
    made unique in :meth:`covered`.
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

    def covered(self) -> _Covers:
        """The conduits covered and the findings behind them, each once, in order (the analysis refuses a model that gives two conduits one id)."""
        return tuple(self.conduits), self.new, tuple(dict.fromkeys(self.because)) if self.because else ()


class _Pair:
    """The conduits from one zone to another (two or more), folded into the (at most four) requirements between the two zones.

    Each conduit is decided on its own, as a requirement per conduit would be,
    and joins the requirements it calls for: the pair has a requirement when
    any of its conduits calls for it; each requirement holds what it covers,
    ``None`` when none of the conduits calls for it. ``carried`` maps the
    English wording of the data carried by all the pair's conduits to its
    Japanese wording (the same for data assets' names), each once, in order;
    ``carried_ok`` says whether all of it is valid Unicode; ``senders`` are the
    assets that send control instructions, each once, in order.
    """

    __slots__ = (
        "carried",
        "carried_ok",
        "sensitive_outside",
        "confidentiality",
        "integrity",
        "availability",
        "control",
        "senders",
    )

    def __init__(self, conduits: list[_Sent], target: _ZoneFacts, assets: Mapping[str, Asset], cited: _Cited) -> None:
        existing, no_external_network, target_high, target_external = (
            _EXISTING,
            _NO_EXTERNAL_NETWORK,
            target.high,
            target.external,
        )
        transfer_findings, control_findings = cited.transfer, cited.control
        carried: dict[str, str] = {}
        senders: dict[str, None] = {}
        carried_ok, sensitive_outside = True, False
        everything, integrity, availability, control = _Covering(), _Covering(), _Covering(), _Covering()
        for conduit_id, status, network, carries_control, data, worded, from_assets in conduits:
            new, sensitive, ok = _carried(data, worded, status is not existing, assets, carried)
            carried_ok = carried_ok and ok
            crosses_outside = network is not no_external_network or target_external
            transfer_because = transfer_findings.get(conduit_id, ())
            everything.add(conduit_id, new, transfer_because)
            if sensitive and crosses_outside:
                sensitive_outside = True
            if carries_control or sensitive or target_high:
                integrity.add(conduit_id, new, transfer_because)
            if new or crosses_outside or target_high:
                availability.add(conduit_id, new, transfer_because)
            if carries_control:
                control.add(conduit_id, new, control_findings.get(conduit_id, ()))
                senders.update(dict.fromkeys(from_assets))
        self.carried, self.carried_ok, self.sensitive_outside, self.senders = (
            carried,
            carried_ok,
            sensitive_outside,
            senders,
        )
        # Every requirement covers some of the confidentiality one's conduits, in the same order: one as long covers the same ones,
        # and (but for control instructions, whose findings differ) has the same findings behind it; such requirements share its tuples.
        self.confidentiality = all_covered = everything.covered()
        every = len(everything.conduits)
        self.integrity = (
            (all_covered if len(integrity.conduits) == every else integrity.covered()) if integrity.conduits else None
        )
        self.availability = (
            (all_covered if len(availability.conduits) == every else availability.covered())
            if availability.conduits
            else None
        )
        self.control = None
        if control.conduits:
            self.control = (
                (all_covered[0], control.new, control.covered()[2])
                if len(control.conduits) == every
                else control.covered()
            )


def _between(
    requirement_id: str, subject: Subject, to_zone: str, viewpoint: str, body: Text, covers: _Covers
) -> SecurityRequirement:
    """A requirement from ``subject``'s zone to ``to_zone``."""
    conduits, new, because = covers
    return _build_requirement(
        {
            "id": requirement_id,
            "scope": "between-zones",
            "subject": subject,
            "viewpoint": viewpoint,
            "reference": REFERENCE,
            "text": body,
            "because": because,
            "new": new,
            "to_zone": to_zone,
            "conduits": conduits,
        }
    )


def _between_zones(
    context: AnalysisContext,
    cited: _Cited,
    pairs: _Pairs,
    outside: Mapping[str, Mapping[str, Asset]],
    by_zone: dict[str, list[str]],
    out: list[SecurityRequirement],
) -> None:
    """Append the requirements between every two zones joined by a conduit to ``out``, noting their ids in ``by_zone`` under both zones.

    One requirement per viewpoint and directed zone pair, pairs in the order
    they first appear among the model's conduits (Table 3-4 states
    requirements between zones, not per conduit). Every value is already valid
    (ids and names from the validated model, texts that start and end with
    fixed wording), so the objects are built without validating them again;
    a text with a part that is not valid Unicode is validated, and fails as it
    always has.

    Most pairs have a single conduit: their requirements are worked out
    directly, as :class:`_Pair` would fold that one conduit, without the
    gathering a pair of several conduits needs.
    """
    zones = context.zones
    facts = {zone_id: _ZoneFacts(context, zone_id, by_zone) for zone_id in zones}
    for zone_id, ends in outside.items():
        for asset_id, asset in ends.items():
            facts[asset_id] = _ZoneFacts.outside_end(context, asset, facts[zone_id])
    transfer_findings, control_findings = cited.transfer, cited.control
    assets = context.assets
    between = _between
    existing, no_external_network = _EXISTING, _NO_EXTERNAL_NETWORK
    for (from_zone, to_zone), conduits in pairs.items():
        source_facts, target_facts = facts.get(from_zone), facts.get(to_zone)
        if source_facts is None or target_facts is None:
            continue
        senders: Iterable[str]
        confidentiality_covers: _Covers
        integrity_covers: _Covers | None
        availability_covers: _Covers | None
        control_covers: _Covers | None
        if not isinstance(conduits, list):
            conduit_id, status, network, carries_control, data, worded, from_assets = conduits
            if data:
                carried: dict[str, str] = {}
                new, sensitive, carried_ok = _carried(data, worded, status is not existing, assets, carried)
                carried_en, carried_ja = ", ".join(carried), ", ".join(carried.values())
            else:
                new, sensitive = status is not existing, False
                if worded:
                    carried_en = carried_ja = worded
                    carried_ok = unicode_ok(worded)
                else:
                    carried_en, carried_ja, carried_ok = "unspecified data", "未記載のデータ", True
            crosses_outside = network is not no_external_network or target_facts.external
            sensitive_outside = sensitive and crosses_outside
            confidentiality_covers = ((conduit_id,), new, transfer_findings.get(conduit_id, ()))
            integrity_covers = confidentiality_covers if carries_control or sensitive or target_facts.high else None
            availability_covers = confidentiality_covers if new or crosses_outside or target_facts.high else None
            control_covers = ((conduit_id,), new, control_findings.get(conduit_id, ())) if carries_control else None
            senders = dict.fromkeys(from_assets) if carries_control else ()
        else:
            pair = _Pair(conduits, target_facts, assets, cited)
            carried_en, carried_ja, carried_ok = (
                ", ".join(pair.carried),
                ", ".join(pair.carried.values()),
                pair.carried_ok,
            )
            sensitive_outside, senders = pair.sensitive_outside, pair.senders
            confidentiality_covers, integrity_covers, availability_covers, control_covers = (
                pair.confidentiality,
                pair.integrity,
                pair.availability,
                pair.control,
            )
        source, target, subject, receiving = (
            source_facts.name,
            target_facts.name,
            source_facts.subject,
            target_facts.zone,
        )
        first_ids, second_ids = source_facts.requirements, target_facts.requirements
        names_ok = source_facts.unicode_ok and target_facts.unicode_ok
        make_text = text_unchecked if names_ok else text
        tail = f"@{from_zone}{PAIR_SEPARATOR}{to_zone}"
        if sensitive_outside:
            confidentiality = (make_text if carried_ok else text)(
                f"Confirm which data may leave '{source}' for '{target}' ({carried_en}); it is sensitive and crosses outside the factory",
                f"「{source}」から「{target}」へ送ってよいデータ（{carried_ja}）を確認する。機微なデータが工場外へ出る",
            )
        else:
            confidentiality = (make_text if carried_ok else text)(
                f"Confirm which data may leave '{source}' for '{target}' ({carried_en})",
                f"「{source}」から「{target}」へ送ってよいデータ（{carried_ja}）を確認する",
            )
        ids = [f"REQ-transfer-confidentiality{tail}"]
        out.append(between(ids[0], subject, receiving, _CONFIDENTIALITY, confidentiality, confidentiality_covers))
        if integrity_covers is not None:
            body = make_text(
                f"Compare what '{source}' sends with what '{target}' receives, and validate it on receipt before it is used",
                f"「{source}」が送った内容と「{target}」が受け取った内容を照合し、利用前に受信側で検証する",
            )
            ids.append(requirement_id := f"REQ-transfer-integrity{tail}")
            out.append(between(requirement_id, subject, receiving, _INTEGRITY, body, integrity_covers))
        if availability_covers is not None:
            body = make_text(
                f"Back up the data sent from '{source}' to '{target}' so that either side can recover it",
                f"「{source}」から「{target}」へ送るデータをバックアップし、双方で復旧できるようにする",
            )
            ids.append(requirement_id := f"REQ-transfer-availability{tail}")
            out.append(between(requirement_id, subject, receiving, _AVAILABILITY, body, availability_covers))
        if control_covers is not None:
            named = _names(context, senders)
            body = (make_text if unicode_ok(named) else text)(
                f"Decide whether '{target}' accepts control instructions from '{source}', from which senders ({named or 'unnamed'}), and with what checks",
                f"「{target}」が「{source}」からの制御指示を受け入れるか、どの送信元（{named or '未指定'}）から、どの確認を経て受け入れるかを決める",
            )
            ids.append(requirement_id := f"REQ-external-control-instructions{tail}")
            out.append(between(requirement_id, subject, receiving, _CONTROL, body, control_covers))
        first_ids.extend(ids)
        if second_ids is not first_ids:  # a flow inside a zone to an end run outside: both are the zone's
            second_ids.extend(ids)


class _ZoneInputs:
    """What the within-zone requirements read of the model, gathered in one pass in model order.

    Per zone: the assets in it with declared ratings, the assets in it that hold
    data, and the data received on conduits from other zones. Walking the model
    once in its own order, rather than each zone's assets and incoming conduits
    in turn, touches far less memory on large models.
    """

    __slots__ = ("rated", "held", "inbound", "outside")

    def __init__(self, context: AnalysisContext, naming_data: list[Conduit], outside: OutsideEnds) -> None:
        """``naming_data`` are the conduits between zones that name data, in model order; ``outside`` the flows inside a zone with ends run outside.

        ``inbound`` holds, per zone, the data it receives with the conduit and
        the name of where they come from (another zone, or an asset run
        outside inside the zone); ``outside`` per zone, the assets in it run
        outside that receive data, each with what it receives.
        """
        self.rated: dict[str, list[Asset]] = {}
        self.held: dict[str, list[Asset]] = {}
        self.inbound: dict[str, list[tuple[Conduit, Asset, str]]] = {}
        self.outside: dict[str, dict[str, tuple[Asset, list[tuple[Conduit, Asset]]]]] = {}
        for asset in context.model.assets:
            zone = asset.zone
            if zone:
                if asset.importance is not None:  # without declared ratings, none of the asset's ratings is "declared"
                    self.rated.setdefault(zone, []).append(asset)
                if asset.data is not None:
                    self.held.setdefault(zone, []).append(asset)
        assets = context.assets
        for conduit in naming_data:
            data = [assets[d] for d in conduit.data if d in assets]
            if data:
                source = context.zone_name(conduit.from_zone)
                self.inbound.setdefault(conduit.to_zone, []).extend((conduit, d, source) for d in data)
                if conduit.direction == "two-way":
                    source = context.zone_name(conduit.to_zone)
                    self.inbound.setdefault(conduit.from_zone, []).extend((conduit, d, source) for d in data)
        for conduit, receivers, senders in outside:
            data = [assets[d] for d in conduit.data if d in assets]
            if not data:
                continue
            zone_id, back = conduit.from_zone, conduit.direction == "two-way"
            getting = [r for r in receivers if conduit.from_assets != [r.id]]
            giving = [s for s in senders if conduit.to_assets != [s.id]]
            for end in {a.id: a for a in [*getting, *(giving if back else [])]}.values():
                entry = self.outside.setdefault(zone_id, {}).setdefault(end.id, (end, []))
                entry[1].extend((conduit, d) for d in data)
            for end in {a.id: a for a in [*giving, *(getting if back else [])]}.values():
                source = outside_name(context, end)
                self.inbound.setdefault(zone_id, []).extend((conduit, d, source) for d in data)


_NO_ASSETS: list[Asset] = []
_NO_INBOUND: list[tuple[Conduit, Asset, str]] = []
_SQDC_LABELS = {
    "safety": ("safety", "安全"),
    "quality": ("quality", "品質"),
    "delivery": ("delivery", "納期"),
    "cost": ("cost", "コスト"),
}


def _within(
    context: AnalysisContext, zone_id: str, findings_by_subject: dict[str, list[Finding]], inputs: _ZoneInputs
) -> Iterator[SecurityRequirement]:
    zone = context.zones[zone_id]
    subject = Subject(kind="zone", id=zone_id)
    related = findings_by_subject.get(zone_id, [])
    importance = context.importance.zones[zone_id].overall
    level = importance.level

    def requirement(viewpoint: str, body: Text, *, new: bool = False, key: str = "") -> SecurityRequirement:
        suffix = f"#{key}" if key else ""
        prefix = viewpoint.split("/")[0]
        return SecurityRequirement(
            id=f"REQ-{viewpoint.split('/')[-1]}@{zone_id}{suffix}",
            scope="within-zone",
            subject=subject,
            viewpoint=viewpoint,
            reference=REFERENCE,
            text=body,
            because=tuple(f.id for f in related if (f.viewpoint or "").startswith(prefix)),
            new=new,
        )

    if level is not None and level.rank >= _HIGH_RANK:
        yield requirement(
            "business-continuity/stoppage",
            text(
                f"'{zone.name}' is {level.value} importance ({importance.reason.en}): set how long it may stop and how it recovers",
                f"「{zone.name}」の重要度は {words('level', level.value).ja}（{importance.reason.ja}）：停止許容時間と復旧方法を定める",
            ),
        )
    rated = inputs.rated.get(zone_id, _NO_ASSETS)
    axes = (
        sorted(
            {
                axis
                for asset in rated
                for axis, rating in context.importance.assets[asset.id].ratings.items()
                if rating.source == "declared"
                and rating.level is not None
                and rating.level.rank >= _HIGH_RANK
                and axis != "business_continuity"
            }
        )
        if rated
        else []
    )
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
    sensitive.update({a.id: a for _, a, _ in inbound if a.data and a.data.disclosure in SENSITIVE})
    if sensitive:
        names = _names(context, sensitive)
        yield requirement(
            "protected-object/confidentiality",
            text(
                f"Keep {names} confidential in '{zone.name}': limit who can read them",
                f"「{zone.name}」で{names}の機密性を保つ：閲覧できる者を限定する",
            ),
            new=any(a.status is not _EXISTING for a in sensitive.values()),
        )
    new_inbound = [(c, a, f) for c, a, f in inbound if c.status is not _EXISTING or a.status is not _EXISTING]
    if new_inbound:
        sources = sorted({source for _, _, source in new_inbound})
        names = _names(context, dict.fromkeys(a.id for _, a, _ in new_inbound))
        yield requirement(
            "protected-object/integrity",
            text(
                f"Review '{zone.name}''s requirements: it newly receives {names} from {', '.join(sources)}; protect its integrity and decide who may change it",
                f"「{zone.name}」の要件を見直す：{'、'.join(sources)}から新たに{names}を受け取る。完全性を守り、変更できる者を決める",
            ),
            new=True,
        )


def _at_outside_ends(
    context: AnalysisContext, zone_id: str, findings_by_subject: dict[str, list[Finding]], inputs: _ZoneInputs
) -> Iterator[SecurityRequirement]:
    """The requirements on the data that assets inside ``zone_id`` run by an outside party receive: what an external zone receiving them would get.

    Each is on the zone (its id ends in ``#<asset id>``): the party runs the
    asset under its own policy, so the contract settles who may read the data
    there and how their integrity is kept (Table 3-4; Annex A case (ii) step 3).
    """
    ends = inputs.outside.get(zone_id)
    if not ends:
        return
    subject = _build_subject({"kind": "zone", "id": zone_id})
    related = findings_by_subject.get(zone_id, [])
    because = tuple(f.id for f in related if (f.viewpoint or "").startswith("protected-object"))
    zone = context.zone_name(zone_id)
    for asset_id, (asset, received) in ends.items():
        end = outside_name(context, asset)
        sensitive = dict.fromkeys(a.id for _, a in received if a.data and a.data.disclosure in SENSITIVE)
        if sensitive:
            names = _names(context, sensitive)
            yield SecurityRequirement(
                id=f"REQ-confidentiality@{zone_id}#{asset_id}",
                scope="within-zone",
                subject=subject,
                viewpoint="protected-object/confidentiality",
                reference=REFERENCE,
                text=text(
                    f"Keep {names} confidential at '{end}' in '{zone}': an outside party runs it under its own policy, so settle in the contract who can read them",
                    f"「{zone}」の「{end}」で{names}の機密性を保つ：外部の者が自らの方針で運用するため、閲覧できる者を契約で定める",
                ),
                because=because,
                new=any(context.assets[a].status is not _EXISTING for a in sensitive),
            )
        new_received = [a for c, a in received if c.status is not _EXISTING or a.status is not _EXISTING]
        if new_received:
            names = _names(context, dict.fromkeys(a.id for a in new_received))
            yield SecurityRequirement(
                id=f"REQ-integrity@{zone_id}#{asset_id}",
                scope="within-zone",
                subject=subject,
                viewpoint="protected-object/integrity",
                reference=REFERENCE,
                text=text(
                    f"Settle the requirements of '{end}' in '{zone}': it newly receives {names} and an outside party runs it; agree how their integrity is protected and who may change them",
                    f"「{zone}」の「{end}」の要件を取り決める：新たに{names}を受け取り、外部の者が運用する。完全性の守り方と変更できる者を合意する",
                ),
                because=because,
                new=True,
            )


@dataclass(frozen=True)
class Requirements:
    """The requirements of a model, in model order, with their ids grouped by zone (as the zone policies list them).

    ``by_zone[zone]`` holds the zone's own requirement ids, then those of every
    zone pair the zone sends or receives on, in order, each id once: what
    :func:`factorysec.analysis.policy.zone_requirements` works out from any
    sequence of requirements, noted here while deriving them instead of looked
    up again for each of hundreds of thousands of requirements.
    """

    items: tuple[SecurityRequirement, ...]
    by_zone: Mapping[str, Sequence[str]]


def derive_requirements(context: AnalysisContext, findings: list[Finding]) -> Requirements:
    """Requirements for every zone, in model order, then for every directed pair of zones joined by a conduit, in order of first appearance."""
    cited = _Cited(findings, context.zones)
    result: list[SecurityRequirement] = []
    by_zone: dict[str, list[str]] = {}
    outside = outside_ends(context)
    pairs, naming_data = _conduits_by_pair(context, outside)
    inputs = _ZoneInputs(context, naming_data, outside)
    for zone in context.model.zones:
        start = len(result)
        result.extend(_within(context, zone.id, cited.on_zone, inputs))
        result.extend(_at_outside_ends(context, zone.id, cited.on_zone, inputs))
        if len(result) > start:
            by_zone.setdefault(zone.id, []).extend(r.id for r in result[start:])
    ends: dict[str, dict[str, Asset]] = {}  # per zone, its assets run outside that a pair names
    for conduit, receivers, senders in outside:
        ends.setdefault(conduit.from_zone, {}).update({a.id: a for a in (*receivers, *senders)})
    _between_zones(context, cited, pairs, ends, by_zone, result)
    return Requirements(tuple(result), {zone_id: ids for zone_id, ids in by_zone.items() if ids})
