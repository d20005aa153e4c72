"""Supply-chain checklists per cloud service, general-purpose product and software (Appendix 3.3 (2), Tables 3-10 to 3-12).

Which checklist an asset gets follows from its type and traits; the answers
come from ``checklist_answers``. An answer about an asset wins over an answer
about the party that runs or supplies it. Open items are ranked by the
importance of the asset, so the checks that matter most come first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Set
from itertools import groupby
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from factorysec.analysis._build import assembler
from factorysec.analysis.findings import Finding, new_subject, text
from factorysec.analysis.importance import ImportanceResult
from factorysec.analysis.lifecycle.rules import CHECKLIST_OPEN
from factorysec.catalog import Catalog, Text
from factorysec.catalog.models import ChecklistItem, ChecklistKind
from factorysec.catalog.vocabulary import reference, words
from factorysec.model.entities import (
    Asset,
    AssetType,
    ChecklistAnswer,
    FactoryModel,
    Importance,
    Party,
    Trait,
    Zone,
    ZoneKind,
)


class PartyKindFit(Protocol):
    """What the checklists read of a catalog party kind: the checklists such a party is the counterpart for."""

    @property
    def checklists(self) -> tuple[str, ...]: ...

    @property
    def procured_from(self) -> bool: ...


OPEN_ANSWERS: frozenset[str | None] = frozenset({None, "no", "unknown"})
"""Answers that leave an item open: unanswered, 'no' and 'unknown'."""


class ChecklistEntry(BaseModel):
    """One checklist item for one subject, with the answer recorded in the model."""

    model_config = ConfigDict(frozen=True)
    item: str
    stage: str
    title: Text
    reference: str
    answer: str | None = None
    answered_for: str | None = None
    note: str | None = None
    evidence: str | None = None
    date: dt.date | None = None
    open: bool


class StageNote(BaseModel):
    """A catalog remark on a stage, e.g. why general-purpose products have no contract items."""

    model_config = ConfigDict(frozen=True)
    stage: str
    text: Text
    reference: str


class Checklist(BaseModel):
    """The checklist of one kind that applies to one asset."""

    model_config = ConfigDict(frozen=True)
    asset: str
    asset_name: str
    kind: ChecklistKind
    kind_title: Text
    reference: str
    importance: Importance | None
    party: str | None
    reason: Text
    entries: tuple[ChecklistEntry, ...]
    notes: tuple[StageNote, ...] = ()

    @property
    def open_entries(self) -> tuple[ChecklistEntry, ...]:
        return tuple(e for e in self.entries if e.open)


class OpenItem(BaseModel):
    """An open item in the ranked list: the asset's importance decides its place."""

    model_config = ConfigDict(frozen=True)
    rank: int
    asset: str
    asset_name: str
    kind: ChecklistKind
    importance: Importance | None
    item: str
    stage: str
    title: Text
    answer: str | None


class ChecklistReport(BaseModel):
    """Every applicable checklist, in model order, and all open items ranked by importance."""

    model_config = ConfigDict(frozen=True)
    checklists: tuple[Checklist, ...]
    open_items: tuple[OpenItem, ...]

    def only_open(self) -> ChecklistReport:
        """The same report keeping only open entries, and only checklists that have some."""
        kept = tuple(c.model_copy(update={"entries": c.open_entries}) for c in self.checklists if c.open_entries)
        return ChecklistReport(checklists=kept, open_items=self.open_items)


_CLOUD_REASON = text("external service or cloud trait", "外部サービス、またはクラウドの特性を持つ")
_GENERAL_PURPOSE_REASON = text(
    "general-purpose product (whether or not its supplier is named)",
    "汎用製品（供給者の記載の有無によらない）",
)
_PRODUCT_REASON = text(
    "built-in-computer equipment from a supplier",
    "供給者から調達した組込みコンピュータ搭載機器",
)
_SOFTWARE_REASON = text("software or OSS", "ソフトウェアまたはOSS")


class PartyFit:
    """Which Step 3 checklists each party of a model is the counterpart for, from its kind (catalog ``party_kinds``).

    A customer or a business partner provides nothing the factory procures: its download portal is not asked about
    cloud service levels (Table 3-10). A party of a kind the factory procures nothing from (``not_procured_kinds``: a
    public authority it must report to) is the counterpart for nothing, whatever it runs or lends. A party without a
    known kind, or no party, is asked everything.
    """

    def __init__(
        self,
        party_kinds: Mapping[str, str],
        checklists_of_kind: Mapping[str, Iterable[str]],
        not_procured_kinds: Iterable[str] = (),
    ) -> None:
        self.checklists = {
            party: frozenset(checklists_of_kind[kind])
            for party, kind in party_kinds.items()
            if kind in checklists_of_kind
        }
        unprocured = frozenset(not_procured_kinds)
        self.not_procured_from = frozenset(party for party, kind in party_kinds.items() if kind in unprocured)

    @classmethod
    def of(cls, parties: Iterable[Party], catalog_kinds: Mapping[str, PartyKindFit]) -> PartyFit:
        return cls(
            {p.id: p.kind for p in parties},
            {k: v.checklists for k, v in catalog_kinds.items()},
            (k for k, v in catalog_kinds.items() if not v.procured_from),
        )

    def lends(self, asset: Asset) -> bool:
        """Whether a party the factory procures nothing from runs or supplies ``asset`` (a regulator's system, its lent terminal)."""
        return bool(self.not_procured_from) and (
            asset.managed_by in self.not_procured_from or asset.supplier in self.not_procured_from
        )

    def allows(self, party: str | None, kind: ChecklistKind) -> bool:
        """Whether ``party`` (None: nobody named) may be asked the checklist ``kind``."""
        if party is None:
            return True
        known = self.checklists.get(party)
        return known is None or kind in known


_ASK_ALL = PartyFit({}, {})


def checklist_kinds(
    asset: Asset,
    fit: PartyFit = _ASK_ALL,
    external_zones: Set[str] = frozenset(),
    rented_cloud_zones: Set[str] = frozenset(),
) -> list[tuple[ChecklistKind, Text]]:
    """The checklist kinds that apply to an asset, each with why: the asset's kind decides, the counterpart's role may rule one out.

    A cloud service or external service gets Table 3-10 unless the party that runs it is no provider of the factory's (a
    customer's portal), or unless it is the factory's own (no 'managed_by' nor 'supplier', not of type external-service)
    in one of the ``rented_cloud_zones``, where an outside provider's cloud service it runs on gets Table 3-10 (the
    factory's IoT platform on a rented IaaS: the IaaS is the cloud service procured); a general-purpose product gets Table 3-11 whether or not its supplier is named; built-in-computer
    equipment gets it when a supplier that supplies products is named, except equipment an outside party brings in and
    runs (trait external-equipment with a 'managed_by': a contractor's laptop), which the factory does not procure and
    which THREAT-EXTERNAL-EQUIPMENT asks be managed, and equipment an outside party runs on its own site (a 'managed_by'
    in one of the ``external_zones``: a software house's PCs, a customer's machines on its lines), which the factory
    does not procure either; software and OSS get Table 3-12 unless the party that runs it is a customer or partner. An
    asset the factory did not procure (``procured: false``: a utility's demand monitor an outside party owns and put in
    for its own service), or that a party it procures nothing from runs or lends (a prefecture's telemeter centre and
    terminal), gets none: every one of these tables is asked when procuring.
    """
    kinds: list[tuple[ChecklistKind, Text]] = []
    if not asset.procured or fit.lends(asset):
        return kinds
    provider = asset.managed_by or asset.supplier
    own_on_rented_cloud = (
        provider is None and asset.type is not AssetType.EXTERNAL_SERVICE and asset.zone in rented_cloud_zones
    )
    if (
        (asset.type is AssetType.EXTERNAL_SERVICE or Trait.CLOUD in asset.traits)
        and not own_on_rented_cloud
        and fit.allows(provider, "cloud-service")
    ):
        kinds.append(("cloud-service", _CLOUD_REASON))
    not_procured = asset.managed_by is not None and (
        Trait.EXTERNAL_EQUIPMENT in asset.traits or (asset.zone is not None and asset.zone in external_zones)
    )
    if asset.type is AssetType.EQUIPMENT and not not_procured:
        if Trait.GENERAL_PURPOSE in asset.traits:
            kinds.append(("general-purpose-product", _GENERAL_PURPOSE_REASON))
        elif (
            Trait.BUILT_IN_COMPUTER in asset.traits
            and asset.supplier is not None
            and fit.allows(asset.supplier, "general-purpose-product")
        ):
            kinds.append(("general-purpose-product", _PRODUCT_REASON))
    if (asset.type is AssetType.SOFTWARE or Trait.OSS in asset.traits) and fit.allows(provider, "software"):
        kinds.append(("software", _SOFTWARE_REASON))
    return kinds


def external_zone_ids(zones: Iterable[Zone]) -> frozenset[str]:
    """The ids of the zones of kind ``external`` (another company's site or service), for :func:`checklist_kinds`."""
    return frozenset(zone.id for zone in zones if zone.kind is ZoneKind.EXTERNAL)


def rented_cloud_zone_ids(assets: Iterable[Asset], fit: PartyFit = _ASK_ALL) -> frozenset[str]:
    """The zones holding a cloud service an outside provider runs or supplies that itself gets Table 3-10 (an IaaS the
    factory rents), for :func:`checklist_kinds`: what the factory runs there itself is not asked Table 3-10 again."""
    return frozenset(
        asset.zone
        for asset in assets
        if asset.zone is not None
        and asset.procured
        and (asset.type is AssetType.EXTERNAL_SERVICE or Trait.CLOUD in asset.traits)
        and (asset.managed_by or asset.supplier) is not None
        and not fit.lends(asset)
        and fit.allows(asset.managed_by or asset.supplier, "cloud-service")
    )


_PLAIN_TYPES = frozenset({AssetType.EQUIPMENT, AssetType.DATA})
"""Asset types that get no checklist without a trait (see :func:`checklist_kinds`)."""


def _answer_index(answers: Iterable[ChecklistAnswer]) -> dict[tuple[str, str], ChecklistAnswer]:
    """Answers by (subject, item); a later answer for the same pair replaces an earlier one."""
    return {(a.subject, a.item): a for a in answers}


def _answer_for(asset: Asset, item: str, index: dict[tuple[str, str], ChecklistAnswer]) -> ChecklistAnswer | None:
    for subject in (asset.id, asset.managed_by, asset.supplier, asset.maintainer):
        if subject is not None and (subject, item) in index:
            return index[(subject, item)]
    return None


_build_entry = assembler(ChecklistEntry)
_build_checklist = assembler(Checklist)
_build_open_item = assembler(OpenItem)


def _entry(item: ChecklistItem, answer: ChecklistAnswer | None) -> ChecklistEntry:
    """The entry of one item, built from validated catalog and model parts without validating them again."""
    value = answer.answer if answer else None
    return _build_entry(
        {
            "item": item.id,
            "stage": item.stage,
            "title": item.title,
            "reference": item.ref,
            "answer": value,
            "answered_for": answer.subject if answer else None,
            "note": answer.note if answer else None,
            "evidence": answer.evidence if answer else None,
            "date": answer.date if answer else None,
            "open": value in OPEN_ANSWERS,
        }
    )


class _Kind:
    """What every checklist of one kind shares: catalog items, notes, title, and the entries of an asset nobody answered for."""

    def __init__(self, kind: ChecklistKind, catalog: Catalog) -> None:
        self.items = catalog.checklist(kind)
        self.notes = tuple(
            StageNote(stage=n.stage, text=n.text, reference=n.ref)
            for n in catalog.checklist_notes.values()
            if n.kind == kind
        )
        self.entry = catalog.checklist_kinds[kind]
        self.unanswered = tuple(_entry(item, None) for item in self.items)


def _checklist(
    asset: Asset,
    kind: ChecklistKind,
    reason: Text,
    shared: _Kind,
    importance: ImportanceResult,
    index: dict[tuple[str, str], ChecklistAnswer],
    answered: set[str],
) -> Checklist:
    subjects = (asset.id, asset.managed_by, asset.supplier, asset.maintainer)
    if any(subject in answered for subject in subjects if subject is not None):
        entries = tuple(_entry(item, _answer_for(asset, item.id, index)) for item in shared.items)
    else:
        entries = shared.unanswered
    values = {
        "asset": asset.id,
        "asset_name": asset.name,
        "kind": kind,
        "kind_title": shared.entry.title,
        "reference": shared.entry.ref,
        "importance": importance.asset_level(asset.id),
        "party": asset.managed_by or asset.supplier,
        "reason": reason,
        "entries": entries,
        "notes": shared.notes,
    }
    return _build_checklist(values)


class _OpenOf:
    """The open entries of checklists and how many of them are unanswered, worked out once per tuple of entries.

    Most checklists of a kind share one tuple of entries (those of an asset
    nobody answered for, see :class:`_Kind`): their open entries are picked
    once rather than once per checklist. Tuples are told apart by identity,
    and each is kept while the result is, so an identity is never reused.
    """

    __slots__ = ("_known",)

    def __init__(self) -> None:
        self._known: dict[int, tuple[tuple[ChecklistEntry, ...], list[ChecklistEntry], int]] = {}

    def __call__(self, entries: tuple[ChecklistEntry, ...]) -> tuple[list[ChecklistEntry], int]:
        """The open entries, in order, and the number of them without an answer."""
        known = self._known.get(id(entries))
        if known is None:
            open_entries = [entry for entry in entries if entry.open]
            known = self._known[id(entries)] = (
                entries,
                open_entries,
                sum(1 for entry in open_entries if entry.answer is None),
            )
        return known[1], known[2]


def _rank_key(level: Importance | None) -> int:
    return -(level.rank if level else 0)


def _open_entries_ranked(checklists: Iterable[Checklist]) -> Iterator[tuple[Checklist, list[ChecklistEntry]]]:
    """Open entries by asset importance (highest first), asset id, kind, then place in the checklist; a checklist's in a run.

    The checklists are sorted rather than their entries: every entry of a
    checklist shares the first three keys. Checklists that share them too (an
    asset id given twice) have their open entries merged by place, in model order.
    """
    ranked = sorted(checklists, key=lambda c: (_rank_key(c.importance), c.asset, c.kind))
    open_of = _OpenOf()
    for _, group in groupby(ranked, key=lambda c: (c.importance, c.asset, c.kind)):
        members = list(group)
        if len(members) == 1:
            yield members[0], open_of(members[0].entries)[0]
            continue
        rows = [
            (position, checklist, entry)
            for checklist in members
            for position, entry in enumerate(checklist.entries)
            if entry.open
        ]
        rows.sort(key=lambda row: row[0])
        for _, checklist, entry in rows:
            yield checklist, [entry]


def _open_items(checklists: Iterable[Checklist]) -> tuple[OpenItem, ...]:
    """The open items ranked (see :func:`_open_entries_ranked`), each checklist's parts read once for all its open entries."""
    items: list[OpenItem] = []
    build, append = _build_open_item, items.append
    number = 0
    for checklist, entries in _open_entries_ranked(checklists):
        asset, asset_name, kind, importance = (
            checklist.asset,
            checklist.asset_name,
            checklist.kind,
            checklist.importance,
        )
        for entry in entries:
            number += 1
            append(
                build(
                    {
                        "rank": number,
                        "asset": asset,
                        "asset_name": asset_name,
                        "kind": kind,
                        "importance": importance,
                        "item": entry.item,
                        "stage": entry.stage,
                        "title": entry.title,
                        "answer": entry.answer,
                    }
                )
            )
    return tuple(items)


def build_checklists(model: FactoryModel, catalog: Catalog, importance: ImportanceResult) -> ChecklistReport:
    """Every checklist that applies to the model's assets, and the open items ranked by asset importance."""
    index = _answer_index(model.checklist_answers)
    answered = {subject for subject, _ in index}
    fit = PartyFit.of(model.parties, catalog.party_kinds)
    external_zones = external_zone_ids(model.zones)
    rented_clouds = rented_cloud_zone_ids(model.assets, fit)
    kinds: dict[ChecklistKind, _Kind] = {}

    def shared(kind: ChecklistKind) -> _Kind:
        if kind not in kinds:
            kinds[kind] = _Kind(kind, catalog)
        return kinds[kind]

    plain = _PLAIN_TYPES
    checklists = tuple(
        _checklist(asset, kind, reason, shared(kind), importance, index, answered)
        for asset in model.assets
        if asset.traits or asset.type not in plain
        for kind, reason in checklist_kinds(asset, fit, external_zones, rented_clouds)
    )
    open_items = _open_items(checklists)
    return ChecklistReport(checklists=checklists, open_items=open_items)


def checklist_findings(report: ChecklistReport) -> list[Finding]:
    """One S3-CHECKLIST-OPEN finding per checklist with open items."""
    findings = []
    open_of = _OpenOf()
    for checklist in report.checklists:
        entries, unanswered = open_of(checklist.entries)
        if not entries:
            continue
        negative = len(entries) - unanswered
        level = words("level", checklist.importance.value) if checklist.importance else Text(en="-", ja="-")
        findings.append(
            CHECKLIST_OPEN.finding(
                new_subject("asset", checklist.asset),
                text(
                    f"'{checklist.asset_name}' (importance {level.en}): {len(entries)} of {len(checklist.entries)} {checklist.kind_title.en.lower()} check points are open "
                    f"({unanswered} unanswered, {negative} answered no or unknown) — {checklist.reference}",
                    f"「{checklist.asset_name}」（重要度 {level.ja}）：{checklist.kind_title.ja}のチェック項目 {len(checklist.entries)} 件中 {len(entries)} 件が未確認"
                    f"（未回答 {unanswered} 件、「いいえ」「不明」{negative} 件）— {reference(checklist.reference, 'ja')}",
                ),
                key=checklist.kind,
                related=[r for r in (checklist.party,) if r],
            )
        )
    return findings
