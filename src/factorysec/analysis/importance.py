"""Importance of operations, protected objects and zones (Steps 1-3, 1-5, 2-1), each with the reason behind it.

An operation's importance is declared. An asset's S/Q/D/C/BC ratings are taken
as declared; a rating left empty is derived from the most important operation
the asset serves. A zone is as important as the most important asset or
operation in it (sub-zones count towards their parent).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from pydantic import BaseModel, ConfigDict

from factorysec.analysis._build import assembler
from factorysec.catalog.models import Text
from factorysec.model.entities import Asset, FactoryModel, Importance, Operation

AXES: tuple[str, ...] = ("safety", "quality", "delivery", "cost", "business_continuity")
AXIS_LABELS: dict[str, Text] = {
    "safety": Text(en="safety (S)", ja="安全 (S)"),
    "quality": Text(en="quality (Q)", ja="品質 (Q)"),
    "delivery": Text(en="delivery (D)", ja="納期 (D)"),
    "cost": Text(en="cost (C)", ja="コスト (C)"),
    "business_continuity": Text(en="business continuity (BC)", ja="事業継続 (BC)"),
}


class Derived(BaseModel):
    """An importance level and why it has that value."""

    model_config = ConfigDict(frozen=True)
    level: Importance | None
    source: str
    source_id: str | None = None
    reason: Text


class AssetImportance(BaseModel):
    model_config = ConfigDict(frozen=True)
    asset: str
    ratings: dict[str, Derived]
    overall: Derived


class ZoneImportance(BaseModel):
    model_config = ConfigDict(frozen=True)
    zone: str
    overall: Derived


class OperationImportance(BaseModel):
    model_config = ConfigDict(frozen=True)
    operation: str
    overall: Derived


class ImportanceResult(BaseModel):
    """Importance of every operation, asset and zone, in model order."""

    model_config = ConfigDict(frozen=True)
    operations: dict[str, OperationImportance]
    assets: dict[str, AssetImportance]
    zones: dict[str, ZoneImportance]

    def asset_level(self, asset_id: str) -> Importance | None:
        entry = self.assets.get(asset_id)
        return entry.overall.level if entry else None

    def zone_level(self, zone_id: str) -> Importance | None:
        entry = self.zones.get(zone_id)
        return entry.overall.level if entry else None


def _serves(op: Operation) -> Text:
    """Why an axis left unrated takes the operation's level: the operation has a single rating, taken for every axis, and says so."""
    return Text(
        en=f"serves operation '{op.name}' ({op.importance.value}; the operation's single rating, taken for every axis)",
        ja=f"業務「{op.name}」({op.importance.value}) を支える（業務の単一の評価を全軸に適用）",
    )


def _holds(asset: Asset, level: Importance | None) -> Text:
    return Text(en=f"holds '{asset.name}' ({level.value if level else '-'})", ja=f"「{asset.name}」({level.value if level else '-'}) を含む")


def _carries_out(op: Operation) -> Text:
    return Text(en=f"carries out operation '{op.name}' ({op.importance.value})", ja=f"業務「{op.name}」({op.importance.value}) を行う")


def _operation(operation: Operation) -> OperationImportance:
    why = operation.importance_reason
    reason = Text(
        en=f"declared for operation '{operation.name}'" + (f": {why}" if why else ""),
        ja=f"業務「{operation.name}」に設定された重要度" + (f"：{why}" if why else ""),
    )
    return OperationImportance(operation=operation.id, overall=Derived(level=operation.importance, source="declared", source_id=operation.id, reason=reason))


_UNRATED = Derived(level=None, source="none", reason=Text(en="no rating and no operation served", ja="評価がなく、支える業務もない"))
"""The rating of an asset with neither a declared rating nor a served operation: one shared (frozen) instance."""


_RANK: dict[Importance, int] = {level: level.rank for level in Importance}
_build_derived = assembler(Derived)
_build_asset_importance = assembler(AssetImportance)
_build_importance_result = assembler(ImportanceResult)


class _AssetRater:
    """Rates assets, sharing the (frozen) results that many assets have in common.

    Most assets leave their ratings empty and serve an operation: they share one
    derived rating per operation, and one (read-only) ratings mapping holding it
    on every axis; those serving one operation are rated once per operation.
    Declared ratings share one reason per axis and level. An asset's overall
    importance is its highest rating itself (the first of the highest, in axis
    order).
    """

    def __init__(self, operations: dict[str, Operation]) -> None:
        self.operations = operations
        self.from_operation: dict[str, Derived] = {}
        self.declared: dict[tuple[str, Importance], Text] = {}
        self.undeclared: dict[str | None, dict[str, Derived]] = {}
        self.single: dict[str, tuple[Derived, dict[str, Derived], int]] = {}

    def _served(self, op: Operation) -> Derived:
        derived = self.from_operation.get(op.id)
        if derived is None:
            derived = self.from_operation[op.id] = Derived(level=op.importance, source="operation", source_id=op.id, reason=_serves(op))
        return derived

    def _declared(self, asset: Asset, axis: str, level: Importance) -> Derived:
        reason = self.declared.get((axis, level))
        if reason is None:
            label = AXIS_LABELS[axis]
            reason = self.declared[axis, level] = Text(en=f"{label.en} rated {level.value} in the model", ja=f"モデルで{label.ja}を {level.value} と評価")
        return _build_derived({"level": level, "source": "declared", "source_id": asset.id, "reason": reason})

    def _undeclared(self, operation_ids: Sequence[str]) -> tuple[Derived, dict[str, Derived]]:
        """Overall importance and ratings of an asset without declared ratings that serves ``operation_ids``."""
        best = self._best(operation_ids)
        key = best.id if best is not None else None
        ratings = self.undeclared.get(key)
        if ratings is None:
            ratings = self.undeclared[key] = dict.fromkeys(AXES, _UNRATED if best is None else self._served(best))
        return ratings[AXES[0]], ratings

    def _best(self, operation_ids: Sequence[str]) -> Operation | None:
        """The first of the most important operations named."""
        best: Operation | None = None
        best_rank = 0
        for op_id in operation_ids:
            op = self.operations.get(op_id)
            if op is not None and (best is None or _RANK[op.importance] > best_rank):
                best, best_rank = op, _RANK[op.importance]
        return best

    def serving_one(self, operation_id: str) -> tuple[Derived, dict[str, Derived], int]:
        """Overall importance, ratings and overall rank (0: unrated) of an asset without declared ratings that serves one operation."""
        rated = self.single.get(operation_id)
        if rated is None:
            overall, ratings = self._undeclared((operation_id,))
            rated = self.single[operation_id] = (overall, ratings, 0 if overall.level is None else _RANK[overall.level])
        return rated

    def rate(self, asset: Asset) -> AssetImportance:
        declared = asset.importance
        operation_ids = asset.operations
        if declared is None:
            if len(operation_ids) == 1:
                overall, ratings, _ = self.serving_one(operation_ids[0])
            else:
                overall, ratings = self._undeclared(operation_ids)
        else:
            best = self._best(operation_ids)
            from_operations = _UNRATED if best is None else self._served(best)
            ratings = {}
            overall = _UNRATED
            for axis in AXES:
                level = getattr(declared, axis)
                rating = from_operations if level is None else self._declared(asset, axis, level)
                ratings[axis] = rating
                if rating.level is not None and (overall.level is None or _RANK[rating.level] > _RANK[overall.level]):
                    overall = rating
        return _build_asset_importance({"asset": asset.id, "ratings": ratings, "overall": overall})


class _ZoneTally:
    """What :func:`assess_importance` notes of the assets of one zone while rating them (see :class:`ZoneAssets`).

    ``best`` and ``worst``: (rank, level, asset) of the first asset of the highest
    and of the lowest overall level; ``ratings``: the distinct ratings mappings
    (shared among assets rated alike) by ``id``, ``last`` the latest one added.
    """

    __slots__ = ("best", "worst", "ratings", "last")

    def __init__(self) -> None:
        self.best: tuple[int, Importance, Asset] | None = None
        self.worst: tuple[int, Importance, Asset] | None = None
        self.ratings: dict[int, dict[str, Derived]] = {}
        self.last: dict[str, Derived] | None = None


@dataclass
class ZoneAssets:
    """What the rules and the risk ranking read of the assets whose ``zone`` names one zone (sub-zones not counted).

    ``highest`` and ``lowest``: the first asset of the highest and of the lowest
    overall level, with that level (assets of unknown importance left out);
    ``axes``: the highest rank on each axis over the assets' ratings.
    """

    highest: tuple[Asset, Importance] | None = None
    lowest: tuple[Asset, Importance] | None = None
    axes: dict[str, int] = field(default_factory=dict)


@dataclass
class ImportanceFacts:
    """Facts about the assets' importance, per zone and overall, noted while rating them: a walk over every asset less for each reader.

    ``zones`` holds every zone id some asset names (also ids not in the model);
    ``unrated`` the assets of unknown overall importance, in model order;
    ``served`` the ids some asset's ``operations`` name (also ids not in the model).
    Where asset ids repeat, an asset counts as rated the way its id's last asset is,
    as every lookup by id sees it.
    """

    zones: dict[str, ZoneAssets] = field(default_factory=dict)
    unrated: list[Asset] = field(default_factory=list)
    served: set[str] = field(default_factory=set)


def compute_importance(model: FactoryModel) -> ImportanceResult:
    """Importance of everything in the model; a pure function."""
    return assess_importance(model)[0]


def assess_importance(model: FactoryModel) -> tuple[ImportanceResult, ImportanceFacts]:
    """Importance of everything in the model, and the facts about it that the analysis reads again (see :class:`ImportanceFacts`)."""
    operations = {op.id: op for op in model.operations}
    op_result = {op.id: _operation(op) for op in model.operations}
    rater = _AssetRater(operations)
    rate, serving_one, build = rater.rate, rater.serving_one, _build_asset_importance
    asset_result: dict[str, AssetImportance] = {}
    tallies: dict[str, _ZoneTally] = {}
    unrated: list[Asset] = []
    served: set[str] = set()  # besides those of assets that serve one operation, noted by the rater
    # Assets of a zone mostly come one after another: the zone's tally is looked up when the zone changes.
    tally_zone: str | None = None
    tally = _ZoneTally()
    for asset in model.assets:
        operation_ids = asset.operations
        if asset.importance is None and len(operation_ids) == 1:
            overall, ratings, rank = serving_one(operation_ids[0])
            rated = asset_result[asset.id] = build({"asset": asset.id, "ratings": ratings, "overall": overall})
        else:
            rated = asset_result[asset.id] = rate(asset)
            overall, ratings = rated.overall, rated.ratings
            rank = 0 if overall.level is None else _RANK[overall.level]
            served.update(operation_ids)
        home = asset.zone
        if home:
            if home != tally_zone:
                found = tallies.get(home)
                if found is None:
                    found = tallies[home] = _ZoneTally()
                tally, tally_zone = found, home
            if ratings is not tally.last:
                tally.ratings[id(ratings)] = tally.last = ratings
            if rank:
                best, worst = tally.best, tally.worst
                if best is None or worst is None:
                    tally.best = tally.worst = (rank, cast(Importance, overall.level), asset)
                elif rank > best[0]:
                    tally.best = (rank, cast(Importance, overall.level), asset)
                elif rank < worst[0]:
                    tally.worst = (rank, cast(Importance, overall.level), asset)
        if not rank:
            unrated.append(asset)
    zone_best = {home: found.best for home, found in tallies.items() if found.best is not None}
    if len(asset_result) == len(model.assets):
        facts = _facts(tallies, unrated)
    else:
        facts = importance_facts(model.assets, asset_result)
        zone_best = {home: (_RANK[found.highest[1]], found.highest[1], found.highest[0]) for home, found in facts.zones.items() if found.highest}
    served.update(rater.single)
    facts.served = served
    children: dict[str, list[str]] = {}
    for zone in model.zones:
        if zone.parent:
            children.setdefault(zone.parent, []).append(zone.id)
    zone_by_id = {zone.id: zone for zone in model.zones}

    def zone_overall(zone_id: str) -> Derived:
        """The first of the most important assets and operations in the zone and its sub-zones (depth first); worded for it alone."""
        best: tuple[int, Importance, Asset | Operation] | None = None
        seen: set[str] = set()

        def visit(current: str) -> None:
            nonlocal best
            if current in seen:
                return
            seen.add(current)
            candidate = zone_best.get(current)
            if candidate is not None and (best is None or candidate[0] > best[0]):
                best = candidate
            zone = zone_by_id.get(current)
            for op_id in zone.operations if zone else ():
                op = operations.get(op_id)
                if op is not None and (best is None or _RANK[op.importance] > best[0]):
                    best = (_RANK[op.importance], op.importance, op)
            for child in children.get(current, ()):
                visit(child)

        visit(zone_id)
        if best is None:
            return Derived(level=None, source="none", reason=Text(en="no asset or operation with an importance", ja="重要度を持つ保護対象・業務がない"))
        _, level, winner = best
        if isinstance(winner, Asset):
            return Derived(level=level, source="asset", source_id=winner.id, reason=_holds(winner, level))
        return Derived(level=level, source="operation", source_id=winner.id, reason=_carries_out(winner))

    zone_result = {zone.id: ZoneImportance(zone=zone.id, overall=zone_overall(zone.id)) for zone in model.zones}
    # Validation would only copy the mappings: every value is already an instance of the declared model.
    return _build_importance_result({"operations": op_result, "assets": asset_result, "zones": zone_result}), facts


def _axes(ratings: Sequence[dict[str, Derived]]) -> dict[str, int]:
    """The highest rank on each axis over ``ratings``, axes in the order first met."""
    axes: dict[str, int] = {}
    for mapping in ratings:
        for axis, rating in mapping.items():
            if rating.level is not None:
                rank = _RANK[rating.level]
                if rank > axes.get(axis, 0):
                    axes[axis] = rank
    return axes


def _facts(tallies: dict[str, _ZoneTally], unrated: list[Asset]) -> ImportanceFacts:
    zones = {}
    for zone, tally in tallies.items():
        high, low = tally.best, tally.worst
        zones[zone] = ZoneAssets(
            highest=(high[2], high[1]) if high else None, lowest=(low[2], low[1]) if low else None, axes=_axes(list(tally.ratings.values()))
        )
    return ImportanceFacts(zones=zones, unrated=unrated)


def importance_facts(assets: Sequence[Asset], rated: dict[str, AssetImportance]) -> ImportanceFacts:
    """:class:`ImportanceFacts` worked out plainly from the assets and their ratings by id (any ids, repeated or not)."""
    facts = ImportanceFacts(served={o for asset in assets for o in asset.operations})
    for asset in assets:
        entry = rated.get(asset.id)
        level = entry.overall.level if entry else None
        if level is None:
            facts.unrated.append(asset)
        if not asset.zone:
            continue
        found = facts.zones.get(asset.zone)
        if found is None:
            found = facts.zones[asset.zone] = ZoneAssets()
        if entry is not None:
            for axis, rating in entry.ratings.items():
                if rating.level is not None and rating.level.rank > found.axes.get(axis, 0):
                    found.axes[axis] = rating.level.rank
        if level is None:
            continue
        if found.highest is None or level.rank > found.highest[1].rank:
            found.highest = (asset, level)
        if found.lowest is None or level.rank < found.lowest[1].rank:
            found.lowest = (asset, level)
    return facts
