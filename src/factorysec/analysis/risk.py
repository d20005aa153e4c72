"""Risk ranking of threat findings (Step 2-1): likelihood × impact, business interruption first.

The scheme (also in ``docs/scoring.md``; every number comes from
:class:`~factorysec.model.planfiles.ScoringConfig` and can be changed per company):

**Likelihood** (1 to 4) comes from exposure and the subject's traits:

* distance: 4 at an entry zone (0 hops), 3 at one hop, 2 at two, 1 from three
  hops or when no entry point reaches the subject;
* controls: every ``controls_per_step`` controls on the *weakest* path lower it
  one step;
* traits: an asset trait listed in ``trait_steps`` (general-purpose, OSS,
  wireless ...) raises it by that many steps (the largest applies);
* clamped to 1..4. Subjects without a zone (factory, party, operation) get 2.

**Impact** is the largest ``weight[axis] × rank`` over the subject's S, Q, D,
C and BC ratings (rank: low 1 ... critical 4), and for a data theft or leakage
threat its confidentiality, for a data falsification or destruction threat its
integrity. Business continuity weighs 1.0 by default and every other axis less,
so BC-rated subjects come first; a company that puts safety first raises
``weights.safety``. The reason names the axis that gives the impact, and says
so when every value axis has the same level (as with an operation's single
rating), since the weights alone then pick the axis. Zones take the highest
rating per axis over their assets and the data they hold (or, holding no rated
asset, their own per-axis ratings), conduits that of the zones they reach,
parties that of the zones whose assets they manage or maintain, operations
their own per-axis ratings. Unrated subjects get 2.

**Score** = likelihood × impact; **level** by ``levels`` thresholds (defaults:
critical ≥ 12, high ≥ 8, medium ≥ 4, else low).

**Order**: by level first (critical, high, medium, low), so no lower level
ever sits above a higher one; within a level, threats whose type can interrupt
the business come first (Step 2-1: "prioritize responding to the most
significant threats first, such as those that could lead to business
interruption"), then score and finding id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from factorysec.analysis.exposure import Exposure, ZoneExposure
from factorysec.analysis.findings import Finding, Subject, assemble, text
from factorysec.analysis.importance import ALL_AXES, AXES, AXIS_LABELS, all_ratings
from factorysec.catalog.models import Text
from factorysec.catalog.vocabulary import words
from factorysec.model.entities import Conduit, ExternalNetwork, Importance
from factorysec.model.planfiles import ScoringConfig
from factorysec.plurals import counted

if TYPE_CHECKING:
    from factorysec.analysis.context import AnalysisContext

RULE = "RISK"
REFERENCE = "Appendix 3.2.1 Step 2-1"
RiskLevel = Literal["low", "medium", "high", "critical"]
LEVEL_RANK: dict[str, int] = {"low": 1, "medium": 2, "high": 3, "critical": 4}
_UNKNOWN = 2.0


class Risk(BaseModel):
    """The risk of one threat finding, with the reason for its likelihood and impact."""

    model_config = ConfigDict(frozen=True)
    rule: str = RULE
    reference: str = REFERENCE
    rank: int
    finding: str
    finding_rule: str
    finding_reference: str
    threat_type: str | None
    subject: Subject
    zone: str | None
    likelihood: int
    impact: float
    score: float
    level: RiskLevel
    interrupts_business: bool
    reason: Text


def level_for(score: float, config: ScoringConfig) -> RiskLevel:
    thresholds = config.levels
    if score >= thresholds.critical:
        return "critical"
    if score >= thresholds.high:
        return "high"
    if score >= thresholds.medium:
        return "medium"
    return "low"


_Axis = tuple[float, int, int, bool]
"""The strongest axis of some ratings: its weighted rank, its position in :data:`ALL_AXES`, its rank, and whether every value axis
has that rank (the weights alone then chose the axis)."""
DATA_THREAT_AXES: dict[str, str] = {
    "data-theft-leakage": "confidentiality",
    "data-falsification-destruction": "integrity",
}
"""Threat types whose impact also counts the data axis they harm (Table 3-3 threats against data)."""
_Scored = tuple[int, tuple[str, str], float, tuple[str, str], str | None]
"""Likelihood and why, impact and why, and the zone at risk of one finding."""


@dataclass(frozen=True)
class _Exposed:
    hops: int | None
    controls: float
    via: str
    zone: str | None


class RiskScorer:
    """Scores findings against one model; precomputes per-zone axis ratings once (linear in assets)."""

    def __init__(self, context: AnalysisContext, exposure: Exposure, config: ScoringConfig) -> None:
        self.context = context
        self.exposure = exposure
        self.config = config
        self.zone_axes = self._zone_axes()
        self.party_zones = self._party_zones()
        self._interrupting = frozenset(config.business_interruption_threats)
        self._weights = {axis: getattr(config.weights, axis) for axis in AXES}
        self._data_weights = {axis: getattr(config.weights, axis) for axis in ALL_AXES if axis not in AXES}
        self._reach = self._reachable()
        self._by_subject: dict[tuple[str, str, str | None], _Scored] = {}
        self._likelihoods: dict[str | None, tuple[int, tuple[str, str]]] = {}
        self._strongest_in: dict[tuple[str, str | None], _Axis | None] = {}
        self._merged: dict[tuple[str, str, str | None], _Axis | None] = {}
        self._impact_whys: dict[_Axis, tuple[float, tuple[str, str]]] = {}
        self._reasons: dict[tuple[bool, int, str, str, float, str, str], tuple[float, RiskLevel, Text]] = {}

    def _party_zones(self) -> dict[str, list[str]]:
        """Zones holding assets a party manages or maintains, in model order."""
        zones: dict[str, dict[str, None]] = {}
        known = self.context.zones
        for asset in self.context.model.assets:
            if (asset.managed_by is None and asset.maintainer is None) or asset.zone not in known:
                continue
            for party in {asset.managed_by, asset.maintainer} - {None}:
                zones.setdefault(str(party), {})[str(asset.zone)] = None
        return {party: list(found) for party, found in zones.items()}

    def _reachable(self) -> dict[str, tuple[int, float]]:
        """Hops and controls from the nearest entry point of every zone an entry point reaches, as :meth:`_exposed` compares them."""
        zones = self.context.zones
        return {
            zone_id: (exposed.hops, exposed.weakest_controls or 0.0)
            for zone_id, exposed in self.exposure.zones.items()
            if zone_id in zones and exposed.reachable and exposed.hops is not None
        }

    def _zone_axes(self) -> dict[str, dict[str, int]]:
        """Each zone's highest rank per axis over its assets' ratings (noted while rating them, see :class:`~factorysec.analysis.importance.ImportanceFacts`)."""
        return {zone_id: found.axes for zone_id, found in self.context.importance_facts.zones.items()}

    def _both_ways(self, conduit: Conduit) -> bool:
        """Whether an attacker can cross ``conduit`` both ways: every conduit but one that enforces one direction (a data diode, ``one_way: true``), whichever way its data go."""
        return conduit.id not in self.context.graph.one_way

    def subject_zones(self, subject: Subject) -> list[str]:
        """Zones a subject lives in: its own, its asset's, or a conduit's endpoints (sender first)."""
        context = self.context
        if subject.kind == "zone":
            return [subject.id] if subject.id in context.zones else []
        if subject.kind == "asset":
            asset = context.assets.get(subject.id)
            return [asset.zone] if asset and asset.zone in context.zones else []
        if subject.kind == "conduit":
            conduit = context.conduits.get(subject.id)
            if conduit is None:
                return []
            ends = [conduit.from_zone] + (
                [conduit.to_zone] if conduit.to_zone != conduit.from_zone and self._both_ways(conduit) else []
            )
            return [z for z in ends if z in context.zones]
        if subject.kind == "party":
            return self.party_zones.get(subject.id, [])
        return []

    def zone_at_risk(self, subject: Subject) -> str | None:
        """The zone whose policy lists this risk: a conduit's receiving zone, else the subject's own zone."""
        if subject.kind == "conduit" and subject.id in self.context.conduits:
            target = self.context.conduits[subject.id].to_zone
            return target if target in self.context.zones else None
        zones = self.subject_zones(subject)
        return zones[0] if zones else None

    def _exposed(self, subject: Subject) -> _Exposed:
        if subject.kind == "conduit":
            conduit = self.context.conduits.get(subject.id)
            if conduit is not None and conduit.external_network is not ExternalNetwork.NONE:
                return _Exposed(0, 0.0, conduit.id, conduit.to_zone)
        best: tuple[int, float, ZoneExposure] | None = None
        for zone_id in self.subject_zones(subject):
            exposed = self.exposure.zones.get(zone_id)
            if exposed is None or not exposed.reachable or exposed.hops is None:
                continue
            key = (exposed.hops, exposed.weakest_controls or 0.0, exposed)
            if best is None or key[:2] < best[:2]:
                best = key
        if best is None:
            zones = self.subject_zones(subject)
            return _Exposed(None, 0.0, "", zones[0] if zones else None)
        return _Exposed(best[0], best[1], best[2].entry or "", best[2].zone)

    def _axes(self, subject: Subject) -> dict[str, int]:
        context = self.context
        if subject.kind == "asset":
            entry = context.importance.assets.get(subject.id)
            return {a: r.level.rank for a, r in all_ratings(entry).items() if r.level is not None} if entry else {}
        if subject.kind == "zone":
            axes = dict(self.zone_axes.get(subject.id, {}))
            zone = context.importance.zones.get(subject.id)
            if zone is not None and not axes:
                axes = {a: r.level.rank for a, r in all_ratings(zone).items() if r.level is not None}
            return axes
        if subject.kind == "conduit":
            conduit = context.conduits.get(subject.id)
            axes = {}
            for zone_id in (
                [conduit.to_zone] + ([conduit.from_zone] if self._both_ways(conduit) else []) if conduit else []
            ):
                for axis, rank in self.zone_axes.get(zone_id, {}).items():
                    axes[axis] = max(axes.get(axis, 0), rank)
            return axes
        if subject.kind == "party":
            axes = {}
            for zone_id in self.party_zones.get(subject.id, []):
                for axis, rank in self.zone_axes.get(zone_id, {}).items():
                    axes[axis] = max(axes.get(axis, 0), rank)
            return axes
        if subject.kind == "operation":
            rated = context.importance.operations.get(subject.id) if subject.id in context.operations else None
            return {a: r.level.rank for a, r in all_ratings(rated).items() if r.level is not None} if rated else {}
        return {}

    def likelihood(self, finding: Finding) -> tuple[int, tuple[str, str]]:
        """The likelihood (1-4) and why, in English and Japanese."""
        exposed = self._exposed(finding.subject)
        if exposed.zone is None and finding.subject.kind not in ("conduit",):
            return int(_UNKNOWN), ("not tied to a zone", "ゾーンに属さない")
        if exposed.hops is None:
            value, en, ja = 1, "no entry point reaches it", "侵入口から到達できない"
        else:
            value = 4 - min(exposed.hops, 3)
            en = f"{counted(exposed.hops, 'hop')} from entry '{exposed.via}'"
            ja = f"侵入口「{exposed.via}」から {exposed.hops} ホップ"
            steps = int(exposed.controls // self.config.controls_per_step)
            if exposed.controls:
                en += f", {exposed.controls:g} {'control' if exposed.controls == 1 else 'controls'} on the weakest path"
                ja += f"、最弱経路上の対策 {exposed.controls:g} 件"
            value -= steps
        bump, trait = self._trait_bump(finding.subject)
        if bump:
            value += bump
            en += f", trait {trait}"
            ja += f"、特性 {trait}"
        return max(1, min(4, value)), (en, ja)

    def _trait_bump(self, subject: Subject) -> tuple[int, str]:
        if subject.kind != "asset" or subject.id not in self.context.assets:
            return 0, ""
        best, name = 0, ""
        for trait in self.context.assets[subject.id].traits:
            steps = self.config.trait_steps.get(trait.value, 0)
            if steps > best:
                best, name = steps, trait.value
        return best, name

    def impact(self, subject: Subject, threat_type: str | None = None) -> tuple[float, tuple[str, str]]:
        """The impact and why, in English and Japanese (only read into the risk's reason, so no :class:`Text` is built)."""
        return self._impact_why(self._strongest(self._axes(subject), DATA_THREAT_AXES.get(threat_type or "")))

    def _strongest(self, axes: dict[str, int], data_axis: str | None = None) -> _Axis | None:
        """The largest weighted rank of ratings (axis -> rank) on the value axes and ``data_axis``, with the first axis in
        :data:`ALL_AXES` order that has it; None if unrated."""
        best: _Axis | None = None
        ranks: set[int] = set()
        for position, (axis, weight) in enumerate(self._weights.items()):
            rank = axes.get(axis)
            if rank is None:
                continue
            ranks.add(rank)
            value = weight * rank
            if best is None or value > best[0]:
                best = (value, position, rank, False)
        if best is not None and len(ranks) == 1 and len(axes.keys() & self._weights.keys()) == len(self._weights):
            best = (*best[:3], True)
        if data_axis is not None:
            rank = axes.get(data_axis)
            if rank is not None:
                value = self._data_weights[data_axis] * rank
                if best is None or value > best[0]:
                    best = (value, ALL_AXES.index(data_axis), rank, False)
        return best

    def _impact_why(self, strongest: _Axis | None) -> tuple[float, tuple[str, str]]:
        """The impact of ratings whose strongest axis is ``strongest``, and why; one pair of texts per axis and rank."""
        if strongest is None:
            return _UNKNOWN, ("importance not rated", "重要度が未評価")
        known = self._impact_whys.get(strongest)
        if known is None:
            value, position, rank, uniform = strongest
            axis = ALL_AXES[position]
            level = _RANK_NAME[rank]
            label = AXIS_LABELS[axis]
            weight = self._weights.get(axis, self._data_weights.get(axis, 0.0))
            level_ja = words("level", level).ja
            en, ja = f"{label.en} {level} ×{weight:g}", f"{label.ja} {level_ja} ×{weight:g}"
            if uniform:
                en += f"; every value axis rated {level}, so the weights chose the axis"
                ja += f"、全ての価値軸が{level_ja}のため重みで軸を選択"
            known = self._impact_whys[strongest] = (value, (en, ja))
        return known

    def _zone_strongest(self, zone_id: str, data_axis: str | None) -> _Axis | None:
        """:meth:`_strongest` of a zone's ratings, once per zone and data axis."""
        try:
            return self._strongest_in[zone_id, data_axis]
        except KeyError:
            found = self._strongest_in[zone_id, data_axis] = self._strongest(self.zone_axes.get(zone_id, {}), data_axis)
            return found

    def _conduit_likelihood(self, finding: Finding, conduit: Conduit) -> tuple[int, tuple[str, str]]:
        """:meth:`likelihood` of a finding on a conduit not over an external network, worked out once per zone.

        Such a conduit is as exposed as the nearer of its ends (its sending end
        if it enforces one direction): the end :meth:`_exposed` picks, or None when no entry point
        reaches either.
        """
        reach = self._reach
        nearest: str | None = None
        nearest_key = reach.get(conduit.from_zone)
        if nearest_key is not None:
            nearest = conduit.from_zone
        if self._both_ways(conduit):
            key = reach.get(conduit.to_zone)
            if key is not None and (nearest_key is None or key < nearest_key):
                nearest = conduit.to_zone
        known = self._likelihoods.get(nearest)
        if known is None:
            known = self._likelihoods[nearest] = self.likelihood(finding)
        return known

    def _conduit_impact(self, conduit: Conduit, data_axis: str | None = None) -> tuple[float, tuple[str, str]]:
        """:meth:`impact` of a conduit: from the ratings of both ends merged (the higher rank per axis), or of its receiving end alone
        if it enforces one direction (an attacker cannot cross it backwards); the merged strongest axis is worked out once per pair of zones and data axis."""
        if conduit.from_zone == conduit.to_zone or not self._both_ways(conduit):
            return self._impact_why(self._zone_strongest(conduit.to_zone, data_axis))
        key = (conduit.from_zone, conduit.to_zone, data_axis)
        try:
            strongest = self._merged[key]
        except KeyError:
            axes = dict(self.zone_axes.get(conduit.to_zone, {}))
            for axis, rank in self.zone_axes.get(conduit.from_zone, {}).items():
                axes[axis] = max(axes.get(axis, 0), rank)
            strongest = self._merged[key] = self._strongest(axes, data_axis)
        return self._impact_why(strongest)

    def _subject_scores(self, finding: Finding) -> _Scored:
        """Likelihood, impact and zone at risk of a finding not on a conduit, once per subject (they follow from it alone)."""
        subject = finding.subject
        data_axis = DATA_THREAT_AXES.get(finding.threat_type or "")
        key = (subject.kind, subject.id, data_axis)
        known = self._by_subject.get(key)
        if known is None:
            known = self._by_subject[key] = (
                *self.likelihood(finding),
                *self._impact_why(self._strongest(self._axes(subject), data_axis)),
                self.zone_at_risk(subject),
            )
        return known

    def _reason(
        self, interrupts: bool, likelihood: int, why_l: tuple[str, str], impact: float, why_i: tuple[str, str]
    ) -> tuple[float, RiskLevel, Text]:
        """Score, level and reason of a likelihood and an impact with their whys; findings scored alike share them (the :class:`Text` is frozen)."""
        score = round(likelihood * impact, 2)
        level = level_for(score, self.config)
        prefix_en = "can interrupt the business; " if interrupts else ""
        prefix_ja = "事業中断につながりうる。" if interrupts else ""
        reason = text(
            f"{prefix_en}likelihood {likelihood}/4 ({why_l[0]}); impact {impact:g} ({why_i[0]}); score {score:g} → {level}",
            f"{prefix_ja}発生可能性 {likelihood}/4（{why_l[1]}）、影響 {impact:g}（{why_i[1]}）、スコア {score:g} → {words('level', level).ja}",
        )
        return score, level, reason

    def score(self, finding: Finding) -> dict[str, Any]:
        """The fields of a :class:`Risk` for one finding, in field order; ``rank`` is 0 until every risk is scored and ranked."""
        subject = finding.subject
        conduit = self.context.conduits.get(subject.id) if subject.kind == "conduit" else None
        if conduit is not None and conduit.external_network is ExternalNetwork.NONE:
            likelihood, (why_l_en, why_l_ja) = self._conduit_likelihood(finding, conduit)
            impact, (why_i_en, why_i_ja) = self._conduit_impact(
                conduit, DATA_THREAT_AXES.get(finding.threat_type or "")
            )
            zone = conduit.to_zone if conduit.to_zone in self.context.zones else None
        else:
            likelihood, (why_l_en, why_l_ja), impact, (why_i_en, why_i_ja), zone = self._subject_scores(finding)
        interrupts = finding.threat_type in self._interrupting
        key = (interrupts, likelihood, why_l_en, why_l_ja, impact, why_i_en, why_i_ja)
        known = self._reasons.get(key)
        if known is None:
            known = self._reasons[key] = self._reason(
                interrupts, likelihood, (why_l_en, why_l_ja), impact, (why_i_en, why_i_ja)
            )
        score, level, reason = known
        return {
            "rule": RULE,
            "reference": REFERENCE,
            "rank": 0,
            "finding": finding.id,
            "finding_rule": finding.rule,
            "finding_reference": finding.reference,
            "threat_type": finding.threat_type,
            "subject": subject,
            "zone": zone,
            "likelihood": likelihood,
            "impact": float(impact),
            "score": float(score),
            "level": level,
            "interrupts_business": interrupts,
            "reason": reason,
        }


_RANK_NAME = {i.rank: i.value for i in Importance}
_RANK = {i: i.rank for i in Importance}
_RISK_FIELDS_GIVEN = set(Risk.model_fields) - {"rule", "reference"}
"""The fields a risk is built with (``rule`` and ``reference`` keep their defaults); one set shared by every risk, as
:func:`~factorysec.analysis._build.assembler` shares one: a frozen model never changes its fields set in place."""


def rank_risks(
    context: AnalysisContext, exposure: Exposure, findings: Iterable[Finding], config: ScoringConfig
) -> list[Risk]:
    """Score every threat finding and rank them: level first, business interruption deciding within a level, then score, id."""
    scorer = RiskScorer(context, exposure, config)
    scored = [scorer.score(f) for f in findings if f.category == "threat"]
    first = config.business_interruption_first
    scored.sort(
        key=lambda r: (-LEVEL_RANK[r["level"]], first and not r["interrupts_business"], -r["score"], r["finding"])
    )
    return [_risk(i, fields) for i, fields in enumerate(scored, start=1)]


def _risk(rank: int, fields: dict[str, Any]) -> Risk:
    """The :class:`Risk` of fields from :meth:`RiskScorer.score`, as ``Risk(rank=rank, **fields without rule and reference)`` but
    without validating again what was built from validated parts."""
    fields["rank"] = rank
    if type(fields["subject"]) is not Subject or type(fields["reason"]) is not Text:
        return Risk(**{name: value for name, value in fields.items() if name not in ("rule", "reference")})
    return assemble(Risk, fields, _RISK_FIELDS_GIVEN)
