"""IEC 62443 security levels per zone, estimated from the measures in place (optional; zones with ``target_security_level``).

IEC 62443-3-3 groups its system requirements (SR x.y) under seven foundational
requirements (FR x): FR1 identification and authentication control, FR2 use
control, FR3 system integrity, FR4 data confidentiality, FR5 restricted data
flow, FR6 timely response to events, FR7 resource availability.

This is a deliberately simple, documented proxy, not a conformity assessment:
the catalog maps each measure to SR ids; the SRs of the measures *implemented*
(not partial, not planned) on the zone, its parents, its assets, the conduits
touching it, and factory-wide, are collected, and the number of distinct SRs
per FR gives the level that FR supports: ``SRS_FOR_LEVEL`` = 1 SR for SL1,
2 for SL2, 3 for SL3, 4 or more for SL4. The gap per FR is target − achieved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from factorysec.analysis.context import AnalysisContext

RULE = "IEC62443-SL"
REFERENCE = "IEC 62443-3-3 (SR/FR); Appendix 3.2.2 Step 2-2"
FOUNDATIONAL_REQUIREMENTS: tuple[str, ...] = ("FR1", "FR2", "FR3", "FR4", "FR5", "FR6", "FR7")
SRS_FOR_LEVEL: tuple[int, int, int, int] = (1, 2, 3, 4)
"""Distinct SRs needed in an FR for SL1, SL2, SL3, SL4."""


class FrLevel(BaseModel):
    model_config = ConfigDict(frozen=True)
    fr: str
    achieved: int
    gap: int
    srs: tuple[str, ...]
    candidates: tuple[str, ...] = ()


class ZoneSecurityLevel(BaseModel):
    """Target and achieved (estimated) security level of one zone, per foundational requirement."""

    model_config = ConfigDict(frozen=True)
    rule: str = RULE
    reference: str = REFERENCE
    zone: str
    target: int
    achieved: int
    per_fr: tuple[FrLevel, ...]

    @property
    def gap(self) -> int:
        return max(0, self.target - self.achieved)


def level_for_count(count: int) -> int:
    return sum(1 for needed in SRS_FOR_LEVEL if count >= needed)


def _implemented_measures(
    context: AnalysisContext,
    zone_id: str,
    implemented_on: Mapping[str, Sequence[str]],
    on_conduits: Mapping[str, set[str]],
) -> set[str]:
    """Measures implemented on the zone, its parents, its assets, factory-wide, and on the conduits touching it (``on_conduits``)."""
    ids = set(on_conduits.get(zone_id, ()))
    for target in [*context.zone_and_ancestors(zone_id), *(a.id for a in context.assets_in.get(zone_id, [])), ""]:
        measures = implemented_on.get(target)
        if measures:
            ids.update(measures)
    return ids


def _conduit_measures(
    context: AnalysisContext, zone_ids: set[str], implemented_on: Mapping[str, Sequence[str]]
) -> dict[str, set[str]]:
    """Per zone in ``zone_ids``: the controls and implemented measures of every conduit that sends or receives there.

    The declared controls come from the zone graph (noted while the context
    indexes the conduits: reading them costs a fifth of a walk over every
    conduit); only the few conduits that measures apply to are read here.
    """
    found = context.graph.declared_controls_touching(zone_ids)
    for conduit in context.conduits_with_measures:
        measures = implemented_on.get(conduit.id)
        if measures:
            for zone_id in (conduit.from_zone, conduit.to_zone):
                ids = found.get(zone_id)
                if ids is not None:
                    ids.update(measures)
    return found


def _sr_by_fr(srs: set[str]) -> dict[str, list[str]]:
    by_fr: dict[str, list[str]] = {fr: [] for fr in FOUNDATIONAL_REQUIREMENTS}
    for sr in sorted(srs, key=lambda s: tuple(int(p) for p in s.split()[1].split("."))):
        by_fr[f"FR{sr.split()[1].split('.')[0]}"].append(sr)
    return by_fr


def security_levels(context: AnalysisContext) -> list[ZoneSecurityLevel]:
    """One entry per zone that declares a target security level, in model order."""
    catalog = context.catalog
    candidates_by_fr: dict[str, list[str]] = {fr: [] for fr in FOUNDATIONAL_REQUIREMENTS}
    for measure in catalog.measures.values():
        for fr in sorted({f"FR{sr.split()[1].split('.')[0]}" for sr in measure.iec62443_sr}):
            candidates_by_fr[fr].append(measure.id)
    # Ids of the measures implemented on each element that has measures, worked out once rather than per zone that touches it.
    implemented_on = {
        target: [m.measure for m in measures if m.status == "implemented"]
        for target, measures in context.measures_by_target.items()
    }
    targeted = {zone.id for zone in context.model.zones if zone.target_security_level is not None}
    on_conduits = _conduit_measures(context, targeted, implemented_on) if targeted else {}
    result: list[ZoneSecurityLevel] = []
    for zone in context.model.zones:
        if zone.target_security_level is None:
            continue
        implemented = _implemented_measures(context, zone.id, implemented_on, on_conduits)
        srs = {sr for m in implemented if m in catalog.measures for sr in catalog.measures[m].iec62443_sr}
        per_fr = []
        for fr, fr_srs in _sr_by_fr(srs).items():
            achieved = level_for_count(len(fr_srs))
            gap = max(0, zone.target_security_level - achieved)
            candidates = tuple(m for m in candidates_by_fr[fr] if m not in implemented) if gap else ()
            per_fr.append(FrLevel(fr=fr, achieved=achieved, gap=gap, srs=tuple(fr_srs), candidates=candidates))
        result.append(
            ZoneSecurityLevel(
                zone=zone.id,
                target=zone.target_security_level,
                achieved=min(f.achieved for f in per_fr),
                per_fr=tuple(per_fr),
            )
        )
    return result
