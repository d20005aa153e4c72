"""Supply-chain checklists per cloud service, general-purpose product and software (Appendix 3.3 (2), Tables 3-10 to 3-12).

Which checklist an asset gets follows from its type and traits; the answers
come from ``checklist_answers``. An answer about an asset wins over an answer
about the party that runs or supplies it. Open items are ranked by the
importance of the asset, so the checks that matter most come first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from factorysec.analysis.findings import Finding, Subject, text
from factorysec.analysis.importance import ImportanceResult
from factorysec.analysis.lifecycle.rules import CHECKLIST_OPEN
from factorysec.catalog import Catalog, Text
from factorysec.catalog.models import ChecklistKind
from factorysec.model.entities import (
    Asset,
    AssetType,
    ChecklistAnswer,
    FactoryModel,
    Importance,
    Trait,
)

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


def checklist_kinds(asset: Asset) -> list[tuple[ChecklistKind, Text]]:
    """The checklist kinds that apply to an asset, each with why."""
    kinds: list[tuple[ChecklistKind, Text]] = []
    if asset.type is AssetType.EXTERNAL_SERVICE or Trait.CLOUD in asset.traits:
        kinds.append(("cloud-service", text("external service or cloud trait", "外部サービス、またはクラウドの特性を持つ")))
    is_product = Trait.GENERAL_PURPOSE in asset.traits or Trait.BUILT_IN_COMPUTER in asset.traits
    if asset.type is AssetType.EQUIPMENT and is_product and asset.supplier is not None:
        kinds.append(("general-purpose-product", text("general-purpose or built-in-computer equipment from a supplier", "供給者から調達した汎用品・組込みコンピュータ搭載機器")))
    if asset.type is AssetType.SOFTWARE or Trait.OSS in asset.traits:
        kinds.append(("software", text("software or OSS", "ソフトウェアまたはOSS")))
    return kinds


def _answer_index(answers: Iterable[ChecklistAnswer]) -> dict[tuple[str, str], ChecklistAnswer]:
    """Answers by (subject, item); a later answer for the same pair replaces an earlier one."""
    return {(a.subject, a.item): a for a in answers}


def _answer_for(asset: Asset, item: str, index: dict[tuple[str, str], ChecklistAnswer]) -> ChecklistAnswer | None:
    for subject in (asset.id, asset.managed_by, asset.supplier, asset.maintainer):
        if subject is not None and (subject, item) in index:
            return index[(subject, item)]
    return None


def _checklist(asset: Asset, kind: ChecklistKind, reason: Text, catalog: Catalog, importance: ImportanceResult, index: dict[tuple[str, str], ChecklistAnswer]) -> Checklist:
    entries = []
    for item in catalog.checklist(kind):
        answer = _answer_for(asset, item.id, index)
        entries.append(
            ChecklistEntry(
                item=item.id,
                stage=item.stage,
                title=item.title,
                reference=item.ref,
                answer=answer.answer if answer else None,
                answered_for=answer.subject if answer else None,
                note=answer.note if answer else None,
                evidence=answer.evidence if answer else None,
                date=answer.date if answer else None,
                open=(answer.answer if answer else None) in OPEN_ANSWERS,
            )
        )
    notes = tuple(StageNote(stage=n.stage, text=n.text, reference=n.ref) for n in catalog.checklist_notes.values() if n.kind == kind)
    kind_entry = catalog.checklist_kinds[kind]
    return Checklist(
        asset=asset.id,
        asset_name=asset.name,
        kind=kind,
        kind_title=kind_entry.title,
        reference=kind_entry.ref,
        importance=importance.asset_level(asset.id),
        party=asset.managed_by or asset.supplier,
        reason=reason,
        entries=tuple(entries),
        notes=notes,
    )


def _rank_key(level: Importance | None) -> int:
    return -(level.rank if level else 0)


def build_checklists(model: FactoryModel, catalog: Catalog, importance: ImportanceResult) -> ChecklistReport:
    """Every checklist that applies to the model's assets, and the open items ranked by asset importance."""
    index = _answer_index(model.checklist_answers)
    checklists = tuple(
        _checklist(asset, kind, reason, catalog, importance, index) for asset in model.assets for kind, reason in checklist_kinds(asset)
    )
    ordered = sorted(
        ((checklist, entry, position) for checklist in checklists for position, entry in enumerate(checklist.entries) if entry.open),
        key=lambda row: (_rank_key(row[0].importance), row[0].asset, row[0].kind, row[2]),
    )
    open_items = tuple(
        OpenItem(
            rank=number,
            asset=checklist.asset,
            asset_name=checklist.asset_name,
            kind=checklist.kind,
            importance=checklist.importance,
            item=entry.item,
            stage=entry.stage,
            title=entry.title,
            answer=entry.answer,
        )
        for number, (checklist, entry, _) in enumerate(ordered, start=1)
    )
    return ChecklistReport(checklists=checklists, open_items=open_items)


def checklist_findings(report: ChecklistReport) -> list[Finding]:
    """One S3-CHECKLIST-OPEN finding per checklist with open items."""
    findings = []
    for checklist in report.checklists:
        entries = checklist.open_entries
        if not entries:
            continue
        unanswered = sum(1 for e in entries if e.answer is None)
        negative = len(entries) - unanswered
        level = checklist.importance.value if checklist.importance else "-"
        findings.append(
            CHECKLIST_OPEN.finding(
                Subject(kind="asset", id=checklist.asset),
                text(
                    f"'{checklist.asset_name}' (importance {level}): {len(entries)} of {len(checklist.entries)} {checklist.kind_title.en.lower()} check points are open "
                    f"({unanswered} unanswered, {negative} answered no or unknown) — {checklist.reference}",
                    f"「{checklist.asset_name}」（重要度 {level}）：{checklist.kind_title.ja}のチェック項目 {len(checklist.entries)} 件中 {len(entries)} 件が未確認"
                    f"（未回答 {unanswered} 件、「いいえ」「不明」{negative} 件）— {checklist.reference}",
                ),
                key=checklist.kind,
                related=[r for r in (checklist.party,) if r],
            )
        )
    return findings
