"""Responsibility division for external services and outsourced operations (Appendix 3.3 Step 3 (2); Step 1-1 (3)).

Each subject gets one row per area. Declared responsibilities come from
``responsibilities`` (about the subject itself, or about the party that runs
it). Where none is declared, ``managed_by``/``performed_by`` answer
"operation" and ``maintainer`` answers "maintenance"; those cells are marked
inferred, because a contract may still divide them differently. Nobody is
inferred for incident response, vulnerability handling or data at the end of
use: those are exactly what Annex A case (ii) says must be confirmed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from factorysec.analysis.findings import Finding, Subject, text
from factorysec.analysis.lifecycle.rules import RESP_GAP, SUBCONTRACT_LINK
from factorysec.catalog import Text
from factorysec.catalog.vocabulary import VALUES
from factorysec.model.entities import (
    Asset,
    AssetType,
    FactoryModel,
    Operation,
    Responsibility,
    Trait,
)

Area = Literal["operation", "maintenance", "incident-response", "vulnerability-handling", "data-handling-at-end"]
AREAS: tuple[Area, ...] = (
    "operation",
    "maintenance",
    "incident-response",
    "vulnerability-handling",
    "data-handling-at-end",
)
_AREA_EN: dict[str, str] = {
    "operation": "operation",
    "maintenance": "maintenance",
    "incident-response": "incident response",
    "vulnerability-handling": "vulnerability handling",
    "data-handling-at-end": "data handling at end of use",
}
AREA_LABELS: dict[str, Text] = {
    area: Text(en=_AREA_EN[area], ja=VALUES["responsibility_area"][area].ja) for area in AREAS
}
"""Each area in a sentence: English words (the codes are what the model holds), the glossary's Japanese word."""
Source = Literal["declared", "inferred", "missing"]


class ResponsibilityCell(BaseModel):
    """Who answers for one area of one subject, and where that comes from."""

    model_config = ConfigDict(frozen=True)
    area: Area
    responsible: tuple[str, ...]
    source: Source
    note: str | None = None


class ResponsibilityMatrix(BaseModel):
    """The responsibility division for one external service or outsourced operation."""

    model_config = ConfigDict(frozen=True)
    subject: str
    subject_kind: Literal["asset", "operation"]
    subject_name: str
    party: str | None
    cells: tuple[ResponsibilityCell, ...]

    @property
    def missing(self) -> tuple[Area, ...]:
        return tuple(c.area for c in self.cells if c.source == "missing")

    @property
    def boundary_confirmed(self) -> bool:
        """True when every area is declared: the boundary of the separation has been settled, not guessed."""
        return all(c.source == "declared" for c in self.cells)


_MISSING: dict[str, ResponsibilityCell] = {
    area: ResponsibilityCell(area=area, responsible=(), source="missing") for area in AREAS
}
"""The cell of an area nobody answers for, one per area: frozen, so every matrix can hold the same."""


def is_external_service(asset: Asset) -> bool:
    return asset.type is AssetType.EXTERNAL_SERVICE or Trait.CLOUD in asset.traits


def _declared(responsibilities: Iterable[Responsibility]) -> dict[tuple[str, str], list[Responsibility]]:
    index: dict[tuple[str, str], list[Responsibility]] = {}
    for entry in responsibilities:
        index.setdefault((entry.subject, entry.area), []).append(entry)
    return index


def _cell(
    area: Area,
    subject_id: str,
    party: str | None,
    inferred: dict[str, str | None],
    declared: dict[tuple[str, str], list[Responsibility]],
) -> ResponsibilityCell:
    entries = declared.get((subject_id, area)) or (declared.get((party, area)) if party else None)
    if entries:
        notes = "; ".join(e.note for e in entries if e.note) or None
        return ResponsibilityCell(
            area=area, responsible=tuple(dict.fromkeys(e.responsible for e in entries)), source="declared", note=notes
        )
    guess = inferred.get(area)
    if guess:
        return ResponsibilityCell(area=area, responsible=(guess,), source="inferred")
    return _MISSING[area]


def _asset_matrix(asset: Asset, declared: dict[tuple[str, str], list[Responsibility]]) -> ResponsibilityMatrix:
    party = asset.managed_by or asset.supplier
    inferred = {"operation": asset.managed_by, "maintenance": asset.maintainer}
    cells = tuple(_cell(area, asset.id, party, inferred, declared) for area in AREAS)
    return ResponsibilityMatrix(
        subject=asset.id, subject_kind="asset", subject_name=asset.name, party=party, cells=cells
    )


def _operation_matrix(
    operation: Operation, declared: dict[tuple[str, str], list[Responsibility]]
) -> ResponsibilityMatrix:
    inferred = {"operation": operation.performed_by}
    cells = tuple(_cell(area, operation.id, operation.performed_by, inferred, declared) for area in AREAS)
    return ResponsibilityMatrix(
        subject=operation.id,
        subject_kind="operation",
        subject_name=operation.name,
        party=operation.performed_by,
        cells=cells,
    )


def build_responsibilities(model: FactoryModel) -> tuple[ResponsibilityMatrix, ...]:
    """One matrix per external service (model order), then one per outsourced operation."""
    declared = _declared(model.responsibilities)
    service, cloud = AssetType.EXTERNAL_SERVICE, Trait.CLOUD
    services = [
        _asset_matrix(a, declared) for a in model.assets if a.type is service or cloud in a.traits
    ]  # is_external_service, inlined: every asset is asked
    outsourced = [_operation_matrix(o, declared) for o in model.operations if o.sourcing == "outsourced"]
    return tuple(services + outsourced)


def responsibility_findings(matrices: Iterable[ResponsibilityMatrix]) -> list[Finding]:
    """One S3-RESP-GAP finding per subject with areas nobody is named for."""
    findings = []
    for matrix in matrices:
        missing = matrix.missing
        if not missing:
            continue
        en = ", ".join(AREA_LABELS[a].en for a in missing)
        ja = "、".join(AREA_LABELS[a].ja for a in missing)
        inferred = [c.area for c in matrix.cells if c.source == "inferred"]
        extra_en = f"; {', '.join(AREA_LABELS[a].en for a in inferred)} only inferred" if inferred else ""
        extra_ja = f"。{'、'.join(AREA_LABELS[a].ja for a in inferred)}は推定のみ" if inferred else ""
        findings.append(
            RESP_GAP.finding(
                Subject(kind=matrix.subject_kind, id=matrix.subject),
                text(
                    f"'{matrix.subject_name}': nobody is named for {en}{extra_en}. Confirm the boundary of the separation and the division of responsibility with {matrix.party or 'the provider'}",
                    f"「{matrix.subject_name}」：{ja}の責任者が決まっていない{extra_ja}。{matrix.party or '提供者'}と分離の境界と責任分界を確認する",
                ),
                related=[matrix.party] if matrix.party else [],
            )
        )
    return findings


def _responsible_parties(model: FactoryModel, matrices: Iterable[ResponsibilityMatrix]) -> set[str]:
    """Every party the model makes responsible for something, declared or inferred."""
    named = {r.responsible for r in model.responsibilities}
    named.update(p for m in matrices for c in m.cells for p in c.responsible)
    add = named.add
    for asset in model.assets:
        managed_by, maintainer, supplier = asset.managed_by, asset.maintainer, asset.supplier
        if managed_by:
            add(managed_by)
        if maintainer:
            add(maintainer)
        if supplier:
            add(supplier)
    named.update(o.performed_by for o in model.operations if o.performed_by)
    named.update(z.managed_by for z in model.zones if z.managed_by)
    return named


def subcontract_findings(model: FactoryModel, matrices: Iterable[ResponsibilityMatrix]) -> list[Finding]:
    """S3-SUBCONTRACT-LINK: a subcontractor with no named contractor, or whose contractor answers for nothing."""
    parties = {p.id: p for p in model.parties}
    responsible = _responsible_parties(model, matrices)
    findings = []
    for party in model.parties:
        contractor_id = party.subcontractor_of
        if contractor_id is None and party.kind == "subcontractor":
            rationale = text(
                f"Subcontractor '{party.name}' names no contractor (subcontractor_of), so the chain from the factory to it cannot be followed",
                f"再委託先「{party.name}」の委託元（subcontractor_of）が記載されておらず、工場からの委託の連鎖をたどれない",
            )
        elif contractor_id is not None and contractor_id not in responsible:
            contractor = parties[contractor_id].name if contractor_id in parties else contractor_id
            rationale = text(
                f"'{party.name}' is a subcontractor of '{contractor}', which is not responsible for anything in the model: the link between the factory and its subcontractor is not identified",
                f"「{party.name}」の委託元「{contractor}」はモデル上で何の責任も負っておらず、工場と再委託先の間のつながりが特定されていない",
            )
        else:
            continue
        findings.append(
            SUBCONTRACT_LINK.finding(
                Subject(kind="party", id=party.id), rationale, related=[contractor_id] if contractor_id else []
            )
        )
    return findings
