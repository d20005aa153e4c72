"""Importance of operations, protected objects and zones (Steps 1-3, 1-5, 2-1), per axis, each with the reason behind it.

An operation is rated per value axis (S, Q, D, C, BC) or with a single rating,
which every axis then takes and every reason says so. An asset's ratings are
taken as declared; a value axis left empty takes the highest rating on that
axis among the operations it serves. Confidentiality and integrity are the
data's: a data asset's come from its scope of disclosure and from the quality
and safety it feeds, and a place that stores or processes a data asset (an
asset at either end of a conduit carrying it, a zone holding such an asset or
where the data's lifecycle says it is generated, processed or stored) takes
the data's.
Overall importance (of an asset, or a zone) is the highest value-axis rating:
the data axes are kept apart, reported with their reasons and counted in the
impact of threats against data (see :mod:`factorysec.analysis.risk`), since
Step 1-5 weighs importance on the value axes. A zone is as important as the
most important asset or operation in it (sub-zones count towards their
parent), and has a rating per axis too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from pydantic import BaseModel, ConfigDict

from factorysec.analysis._build import assembler
from factorysec.catalog.models import Text
from factorysec.catalog.vocabulary import words
from factorysec.model.entities import Asset, AssetType, FactoryModel, Importance, Operation


def _ja(level: Importance) -> str:
    """An importance level's Japanese word, for the Japanese half of a reason."""
    return words("level", level.value).ja


AXES: tuple[str, ...] = ("safety", "quality", "delivery", "cost", "business_continuity")
"""The value axes of Step 1-5."""
DATA_AXES: tuple[str, ...] = ("confidentiality", "integrity")
"""The axes of the data held (Step 1-7 data attributes); an asset's ratings name them only when they are rated."""
ALL_AXES: tuple[str, ...] = (*AXES, *DATA_AXES)
AXIS_LABELS: dict[str, Text] = {
    "safety": Text(en="safety (S)", ja="安全 (S)"),
    "quality": Text(en="quality (Q)", ja="品質 (Q)"),
    "delivery": Text(en="delivery (D)", ja="納期 (D)"),
    "cost": Text(en="cost (C)", ja="コスト (C)"),
    "business_continuity": Text(en="business continuity (BC)", ja="事業継続 (BC)"),
    "confidentiality": Text(en="confidentiality", ja="機密性"),
    "integrity": Text(en="integrity", ja="完全性"),
}
DISCLOSURE_CONFIDENTIALITY: dict[str, Importance] = {
    "partners": Importance.LOW,
    "internal": Importance.MEDIUM,
    "restricted": Importance.HIGH,
    "secret": Importance.CRITICAL,
}
"""The confidentiality a data asset takes from its scope of disclosure when none is declared; public data has none to keep."""
HOLDING_EVENTS: frozenset[str] = frozenset({"generation", "processing", "storage"})
"""Data lifecycle events that make a zone hold the data (transfer passes through, disposal ends it)."""


class Derived(BaseModel):
    """An importance level and why it has that value."""

    model_config = ConfigDict(frozen=True)
    level: Importance | None
    source: str
    source_id: str | None = None
    reason: Text


class AssetImportance(BaseModel):
    """An asset's importance: ``ratings`` on the value axes (S, Q, D, C, BC), ``data_ratings`` on the data axes it is rated on."""

    model_config = ConfigDict(frozen=True)
    asset: str
    ratings: dict[str, Derived]
    overall: Derived
    data_ratings: dict[str, Derived] = {}


class ZoneImportance(BaseModel):
    """A zone's importance overall and per axis (value axes in ``ratings``, data axes in ``data_ratings``), naming only the axes
    something in the zone rates."""

    model_config = ConfigDict(frozen=True)
    zone: str
    overall: Derived
    ratings: dict[str, Derived] = {}
    data_ratings: dict[str, Derived] = {}


class OperationImportance(BaseModel):
    """An operation's importance overall, per value axis (``ratings``) and on any data axis it is rated on (``data_ratings``);
    ``single``: one rating was given and every value axis takes it."""

    model_config = ConfigDict(frozen=True)
    operation: str
    overall: Derived
    ratings: dict[str, Derived] = {}
    data_ratings: dict[str, Derived] = {}
    single: bool = True


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


SINGLE_RATING = Text(en="single rating given for all axes", ja="単一の評価を全軸に適用")
"""How every reason that rests on an operation's single rating says so."""


def axis_level(operation: Operation, axis: str) -> Importance | None:
    """An operation's rating on ``axis``: its single rating on every value axis, or its own rating on that axis when rated per axis."""
    by_axis = operation.importance_by_axis
    if by_axis is None:
        return operation.importance if axis in AXES else None
    level: Importance | None = getattr(by_axis, axis)
    return level


def _serves(op: Operation, axis: str | None) -> Text:
    """Why an asset's axis takes an operation's rating; ``axis`` None for an operation with a single rating, which the reason states."""
    if axis is None:
        return Text(
            en=f"serves operation '{op.name}' ({op.importance.value}; {SINGLE_RATING.en})",
            ja=f"業務「{op.name}」({_ja(op.importance)}) を支える（{SINGLE_RATING.ja}）",
        )
    label, level = AXIS_LABELS[axis], axis_level(op, axis)
    shown = level.value if level else "-"
    return Text(
        en=f"serves operation '{op.name}' ({label.en} {shown})",
        ja=f"業務「{op.name}」({label.ja} {_ja(level) if level else '-'}) を支える",
    )


def _holds(asset: Asset, level: Importance | None) -> Text:
    return Text(
        en=f"holds '{asset.name}' ({level.value if level else '-'})",
        ja=f"「{asset.name}」({_ja(level) if level else '-'}) を含む",
    )


def _carries_out(op: Operation) -> Text:
    return Text(
        en=f"carries out operation '{op.name}' ({op.importance.value})",
        ja=f"業務「{op.name}」({_ja(op.importance)}) を行う",
    )


def _stores(data: Asset, axis: str, level: Importance) -> Text:
    label = AXIS_LABELS[axis]
    return Text(
        en=f"stores or processes data '{data.name}' ({label.en} {level.value})",
        ja=f"データ「{data.name}」({label.ja} {_ja(level)}) を保存・処理する",
    )


_NOT_RATED_PER_AXIS = Text(
    en="not rated: the operation is rated per axis and leaves this axis empty",
    ja="未評価：業務は軸ごとに評価され、この軸は空欄",
)


def _operation(operation: Operation) -> OperationImportance:
    why = operation.importance_reason
    by_axis = operation.importance_by_axis
    reason = Text(
        en=f"declared for operation '{operation.name}'" + (f": {why}" if why else ""),
        ja=f"業務「{operation.name}」に設定された重要度" + (f"：{why}" if why else ""),
    )
    ratings: dict[str, Derived] = {}
    if by_axis is None:
        single = Derived(
            level=operation.importance,
            source="declared",
            source_id=operation.id,
            reason=Text(
                en=f"{SINGLE_RATING.en}: {operation.importance.value} for operation '{operation.name}'",
                ja=f"{SINGLE_RATING.ja}：業務「{operation.name}」は {_ja(operation.importance)}",
            ),
        )
        ratings = dict.fromkeys(AXES, single)
    else:
        for axis in ALL_AXES:
            level = axis_level(operation, axis)
            label = AXIS_LABELS[axis]
            if level is not None:
                ratings[axis] = Derived(
                    level=level,
                    source="declared",
                    source_id=operation.id,
                    reason=Text(
                        en=f"{label.en} rated {level.value} for operation '{operation.name}'",
                        ja=f"業務「{operation.name}」の{label.ja}を {_ja(level)} と評価",
                    ),
                )
            elif axis in AXES:
                ratings[axis] = Derived(level=None, source="none", source_id=operation.id, reason=_NOT_RATED_PER_AXIS)
    overall = Derived(level=operation.importance, source="declared", source_id=operation.id, reason=reason)
    value, data = _split(ratings)
    return OperationImportance(
        operation=operation.id, overall=overall, ratings=value, data_ratings=data, single=by_axis is None
    )


_UNRATED = Derived(
    level=None, source="none", reason=Text(en="no rating and no operation served", ja="評価がなく、支える業務もない")
)
"""The rating of an asset with neither a declared rating nor a served operation: one shared (frozen) instance."""
_LEFT_EMPTY = Derived(
    level=None,
    source="none",
    reason=Text(
        en="not rated: the operations it serves are rated per axis and leave this one empty",
        ja="未評価：支える業務は軸ごとに評価され、この軸は空欄",
    ),
)


_RANK: dict[Importance, int] = {level: level.rank for level in Importance}
_build_derived = assembler(Derived)
_build_asset_importance = assembler(AssetImportance)
_build_importance_result = assembler(ImportanceResult)

Held = Sequence[tuple[Asset, AssetImportance]]
"""Data assets a place stores or processes, each with its importance."""


_NO_DATA: dict[str, Derived] = {}
"""The data ratings of an asset rated on no data axis: one shared (never changed) mapping."""


def _split(ratings: dict[str, Derived]) -> tuple[dict[str, Derived], dict[str, Derived]]:
    """Ratings on all axes as value-axis ratings and data-axis ratings (the shared empty mapping when there are none)."""
    data = {axis: rating for axis, rating in ratings.items() if axis in DATA_AXES}
    if not data:
        return ratings, _NO_DATA
    return {axis: rating for axis, rating in ratings.items() if axis not in DATA_AXES}, data


def all_ratings(rated: AssetImportance | ZoneImportance | OperationImportance) -> dict[str, Derived]:
    """The ratings on every axis, value axes first."""
    return {**rated.ratings, **rated.data_ratings} if rated.data_ratings else rated.ratings


def overall_of(ratings: dict[str, Derived]) -> Derived:
    """The first of the highest ratings, in the mapping's (axis) order; :data:`_UNRATED` when none has a level."""
    overall = _UNRATED
    best = 0
    for rating in ratings.values():
        level = rating.level
        if level is not None and _RANK[level] > best:
            overall, best = rating, _RANK[level]
    return overall


class _AssetRater:
    """Rates assets, sharing the (frozen) results that many assets have in common.

    Most assets leave their ratings empty, hold no data and serve one
    operation: they share one ratings mapping per operation (and, where the
    operation has a single rating, one derived rating on every axis). Assets
    serving the same operations share one mapping too. Declared ratings share
    one reason per axis and level. An asset's overall importance is its
    highest rating itself (the first of the highest, in axis order).
    """

    def __init__(self, operations: dict[str, Operation]) -> None:
        self.operations = operations
        self.from_operation: dict[tuple[str, str | None], Derived] = {}
        self.declared: dict[tuple[str, Importance], Text] = {}
        self.undeclared: dict[tuple[str, ...], tuple[Derived, dict[str, Derived], dict[str, Derived]]] = {}
        self.single: dict[str, tuple[Derived, dict[str, Derived], dict[str, Derived], int]] = {}
        self.from_data: dict[tuple[str, str], Derived] = {}

    def _served(self, op: Operation, axis: str) -> Derived | None:
        """The rating an asset takes on ``axis`` from serving ``op``; None where the operation leaves the axis unrated."""
        level = axis_level(op, axis)
        if level is None:
            return None
        key = (op.id, None if op.importance_by_axis is None else axis)
        derived = self.from_operation.get(key)
        if derived is None:
            derived = self.from_operation[key] = Derived(
                level=level, source="operation", source_id=op.id, reason=_serves(op, key[1])
            )
        return derived

    def _declared(self, asset: Asset, axis: str, level: Importance) -> Derived:
        reason = self.declared.get((axis, level))
        if reason is None:
            label = AXIS_LABELS[axis]
            reason = self.declared[axis, level] = Text(
                en=f"{label.en} rated {level.value} in the model", ja=f"モデルで{label.ja}を {_ja(level)} と評価"
            )
        return _build_derived({"level": level, "source": "declared", "source_id": asset.id, "reason": reason})

    def _undeclared(self, operation_ids: Sequence[str]) -> tuple[Derived, dict[str, Derived], dict[str, Derived]]:
        """Overall importance and ratings of an asset without declared ratings that serves ``operation_ids``: per axis, the first of the highest."""
        key = tuple(operation_ids)
        known = self.undeclared.get(key)
        if known is not None:
            return known
        operations = [op for op in map(self.operations.get, operation_ids) if op is not None]
        ratings: dict[str, Derived] = {}
        if all(op.importance_by_axis is None for op in operations):
            best = self._best(operations)
            served = self._served(best, AXES[0]) if best is not None else None
            ratings = dict.fromkeys(AXES, served or _UNRATED)
        else:
            for axis in ALL_AXES:
                chosen: Derived | None = None
                for op in operations:
                    rating = self._served(op, axis)
                    if (
                        rating is not None
                        and rating.level is not None
                        and (chosen is None or _RANK[rating.level] > _RANK[cast(Importance, chosen.level)])
                    ):
                        chosen = rating
                if chosen is not None:
                    ratings[axis] = chosen
                elif axis in AXES:
                    ratings[axis] = _LEFT_EMPTY
        value, data = _split(ratings)
        known = self.undeclared[key] = (overall_of(value), value, data)
        return known

    @staticmethod
    def _best(operations: Sequence[Operation]) -> Operation | None:
        """The first of the most important operations."""
        best: Operation | None = None
        best_rank = 0
        for op in operations:
            if best is None or _RANK[op.importance] > best_rank:
                best, best_rank = op, _RANK[op.importance]
        return best

    def serving_one(self, operation_id: str) -> tuple[Derived, dict[str, Derived], dict[str, Derived], int]:
        """Overall importance, value and data ratings and overall rank (0: unrated) of an asset without declared ratings or data that
        serves one operation."""
        rated = self.single.get(operation_id)
        if rated is None:
            overall, ratings, data = self._undeclared((operation_id,))
            rated = self.single[operation_id] = (
                overall,
                ratings,
                data,
                0 if overall.level is None else _RANK[overall.level],
            )
        return rated

    def _data_rating(self, data: Asset, axis: str, level: Importance) -> Derived:
        """The rating a place takes on a data axis from the data it stores or processes; one per data asset and axis."""
        derived = self.from_data.get((data.id, axis))
        if derived is None or derived.level is not level:
            derived = self.from_data[data.id, axis] = Derived(
                level=level, source="data", source_id=data.id, reason=_stores(data, axis, level)
            )
        return derived

    def _own_data(self, asset: Asset, axis: str, ratings: dict[str, Derived]) -> Derived | None:
        """A data asset's own confidentiality (from its scope of disclosure) or integrity (the highest of the safety and quality it feeds)."""
        if axis == "confidentiality":
            disclosure = asset.data.disclosure if asset.data else None
            level = DISCLOSURE_CONFIDENTIALITY.get(disclosure) if disclosure else None
            if level is None:
                return None
            return Derived(
                level=level,
                source="data",
                source_id=asset.id,
                reason=Text(en=f"scope of disclosure '{disclosure}'", ja=f"開示範囲「{disclosure}」"),
            )
        fed = [ratings[a] for a in ("safety", "quality") if ratings[a].level is not None]
        if not fed:
            return None
        source = max(fed, key=lambda rating: _RANK[cast(Importance, rating.level)])
        level = cast(Importance, source.level)
        label = AXIS_LABELS["safety" if source is ratings["safety"] else "quality"]
        return Derived(
            level=level,
            source="data",
            source_id=asset.id,
            reason=Text(
                en=f"altered data would harm the {label.en} it feeds ({level.value})",
                ja=f"改ざんされると、データが支える{label.ja} ({_ja(level)}) を損なう",
            ),
        )

    def rate(self, asset: Asset, held: Held = ()) -> AssetImportance:
        declared = asset.importance
        is_data = asset.type is AssetType.DATA
        overall, from_operations, from_operations_data = self._undeclared(asset.operations)
        if declared is None and not held and not is_data:
            return _build_asset_importance(
                {
                    "asset": asset.id,
                    "ratings": from_operations,
                    "overall": overall,
                    "data_ratings": from_operations_data,
                }
            )
        ratings: dict[str, Derived] = {}
        for axis in AXES:
            level = getattr(declared, axis) if declared is not None else None
            ratings[axis] = from_operations[axis] if level is None else self._declared(asset, axis, level)
        for axis in DATA_AXES:
            level = getattr(declared, axis) if declared is not None else None
            if level is not None:
                ratings[axis] = self._declared(asset, axis, level)
                continue
            candidates = [from_operations_data.get(axis), self._own_data(asset, axis, ratings) if is_data else None]
            for data, data_importance in held:
                found = data_importance.data_ratings.get(axis)
                if found is not None and found.level is not None:
                    candidates.append(self._data_rating(data, axis, found.level))
            chosen: Derived | None = None
            for candidate in candidates:
                if (
                    candidate is not None
                    and candidate.level is not None
                    and (chosen is None or _RANK[candidate.level] > _RANK[cast(Importance, chosen.level)])
                ):
                    chosen = candidate
            if chosen is not None:
                ratings[axis] = chosen
        value, data_axes = _split(ratings)
        return _build_asset_importance(
            {"asset": asset.id, "ratings": value, "overall": overall_of(value), "data_ratings": data_axes}
        )


class _ZoneTally:
    """What :func:`assess_importance` notes of the assets of one zone while rating them (see :class:`ZoneAssets`).

    ``best`` and ``worst``: (rank, level, asset) of the first asset of the highest
    and of the lowest overall level; ``ratings``: the distinct value-axis ratings
    mappings (shared among assets rated alike) by ``id``, each with its data
    ratings and the first asset rated so, ``last`` the latest one added.
    """

    __slots__ = ("best", "worst", "ratings", "last")

    def __init__(self) -> None:
        self.best: tuple[int, Importance, Asset] | None = None
        self.worst: tuple[int, Importance, Asset] | None = None
        self.ratings: dict[int, tuple[dict[str, Derived], dict[str, Derived], Asset]] = {}
        self.last: dict[str, Derived] | None = None


@dataclass
class ZoneAssets:
    """What the rules and the risk ranking read of the assets whose ``zone`` names one zone (sub-zones not counted).

    ``highest`` and ``lowest``: the first asset of the highest and of the lowest
    overall level, with that level (assets of unknown importance left out);
    ``axes``: the highest rank on each axis over the assets' ratings and over
    the confidentiality and integrity of the data the zone itself stores or
    processes (see :func:`zone_holdings`).
    """

    highest: tuple[Asset, Importance] | None = None
    lowest: tuple[Asset, Importance] | None = None
    axes: dict[str, int] = field(default_factory=dict)


@dataclass
class ImportanceFacts:
    """Facts about the assets' importance, per zone and overall, noted while rating them: a walk over every asset less for each reader.

    ``zones`` holds every zone id some asset names (also ids not in the model)
    and every zone holding data (see :func:`zone_holdings`);
    ``unrated`` the assets of unknown overall importance, in model order;
    ``served`` the ids some asset's ``operations`` name (also ids not in the model).
    Where asset ids repeat, an asset counts as rated the way its id's last asset is,
    as every lookup by id sees it.
    """

    zones: dict[str, ZoneAssets] = field(default_factory=dict)
    unrated: list[Asset] = field(default_factory=list)
    served: set[str] = field(default_factory=set)


def _data_assets(model: FactoryModel) -> dict[str, Asset]:
    """The data assets by id, as every lookup by id sees them: an id's last asset, where it is of type data."""
    data = AssetType.DATA
    candidates = {asset.id for asset in model.assets if asset.type is data}
    if not candidates:
        return {}
    last = {asset.id: asset for asset in model.assets if asset.id in candidates}
    return {asset_id: asset for asset_id, asset in last.items() if asset.type is data}


def asset_holdings(model: FactoryModel, data_assets: dict[str, Asset] | None = None) -> dict[str, list[str]]:
    """The data assets each asset stores or processes: those a conduit carries from or to it (data assets themselves hold none)."""
    data_ids = (_data_assets(model) if data_assets is None else data_assets).keys()
    if not data_ids:
        return {}
    holders: dict[str, dict[str, None]] = {}
    for conduit in model.conduits:
        if not conduit.data:
            continue
        for data_id in conduit.data:
            if data_id not in data_ids:
                continue
            for holder in (*conduit.from_assets, *conduit.to_assets):
                if holder not in data_ids:
                    holders.setdefault(holder, {})[data_id] = None
    return {holder: list(found) for holder, found in holders.items()}


def zone_holdings(model: FactoryModel, data_assets: dict[str, Asset] | None = None) -> dict[str, list[str]]:
    """The data assets each zone stores or processes besides those placed in it: where the data's lifecycle says it is generated,
    processed or stored. (A zone holding an asset that sends or receives the data takes it through that asset; a conduit that names
    no asset at an end says only that the data passes, not that the zone keeps it.)"""
    data_assets = _data_assets(model) if data_assets is None else data_assets
    zones: dict[str, dict[str, None]] = {}
    for data_id, data in data_assets.items():
        for event in data.data.lifecycle if data.data is not None else ():
            if event.event in HOLDING_EVENTS and event.zone and event.zone != data.zone:
                zones.setdefault(event.zone, {})[data_id] = None
    return {zone_id: list(found) for zone_id, found in zones.items()}


def held_axes(held: dict[str, list[str]], rated: dict[str, AssetImportance]) -> dict[str, dict[str, int]]:
    """Per zone, the highest confidentiality and integrity rank over the data it holds (``held`` as :func:`zone_holdings` gives it)."""
    axes: dict[str, dict[str, int]] = {}
    for zone_id, data_ids in held.items():
        found: dict[str, int] = {}
        for data_id in data_ids:
            entry = rated.get(data_id)
            for axis in DATA_AXES:
                rating = entry.data_ratings.get(axis) if entry else None
                if rating is not None and rating.level is not None and _RANK[rating.level] > found.get(axis, 0):
                    found[axis] = _RANK[rating.level]
        if found:
            axes[zone_id] = found
    return axes


def compute_importance(model: FactoryModel) -> ImportanceResult:
    """Importance of everything in the model; a pure function."""
    return assess_importance(model)[0]


def assess_importance(model: FactoryModel) -> tuple[ImportanceResult, ImportanceFacts]:
    """Importance of everything in the model, and the facts about it that the analysis reads again (see :class:`ImportanceFacts`)."""
    operations = {op.id: op for op in model.operations}
    op_result = {op.id: _operation(op) for op in model.operations}
    rater = _AssetRater(operations)
    rate, serving_one, build = rater.rate, rater.serving_one, _build_asset_importance
    data_assets = _data_assets(model)
    data_rated = {data_id: rate(data) for data_id, data in data_assets.items()}
    holdings = {
        holder: [(data_assets[d], data_rated[d]) for d in data_ids]
        for holder, data_ids in asset_holdings(model, data_assets).items()
    }
    asset_result: dict[str, AssetImportance] = {}
    tallies: dict[str, _ZoneTally] = {}
    unrated: list[Asset] = []
    served: set[str] = set()  # besides those of assets that serve one operation, noted by the rater
    # Assets of a zone mostly come one after another: the zone's tally is looked up when the zone changes.
    tally_zone: str | None = None
    tally = _ZoneTally()
    plain = AssetType.DATA
    for asset in model.assets:
        operation_ids = asset.operations
        if (
            asset.importance is None
            and len(operation_ids) == 1
            and asset.type is not plain
            and asset.id not in holdings
        ):
            overall, ratings, data_ratings, rank = serving_one(operation_ids[0])
            rated = asset_result[asset.id] = build(
                {"asset": asset.id, "ratings": ratings, "overall": overall, "data_ratings": data_ratings}
            )
        else:
            rated = asset_result[asset.id] = rate(asset, () if asset.type is plain else holdings.get(asset.id, ()))
            overall, ratings, data_ratings = rated.overall, rated.ratings, rated.data_ratings
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
                tally.last = ratings
                if id(ratings) not in tally.ratings:
                    tally.ratings[id(ratings)] = (ratings, data_ratings, asset)
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
    zone_held = zone_holdings(model, data_assets)
    zone_held_axes = held_axes(zone_held, asset_result)
    zone_best = {home: found.best for home, found in tallies.items() if found.best is not None}
    if len(asset_result) == len(model.assets):
        facts = _facts(tallies, unrated, zone_held_axes)
        sources = {home: list(found.ratings.values()) for home, found in tallies.items()}
    else:
        facts = importance_facts(model.assets, asset_result, zone_held_axes)
        zone_best = {
            home: (_RANK[found.highest[1]], found.highest[1], found.highest[0])
            for home, found in facts.zones.items()
            if found.highest
        }
        sources = _plain_sources(model.assets, asset_result)
    served.update(rater.single)
    facts.served = served
    children: dict[str, list[str]] = {}
    for zone in model.zones:
        if zone.parent:
            children.setdefault(zone.parent, []).append(zone.id)
    zone_by_id = {zone.id: zone for zone in model.zones}

    def zone_importance(zone_id: str) -> ZoneImportance:
        """Overall: the first of the most important assets and operations in the zone and its sub-zones (depth first), worded for it
        alone; per axis, the first of the highest ratings among them and the data the zones store or process, each with its reason."""
        best: tuple[int, Importance, Asset | Operation] | None = None
        axes: dict[str, tuple[int, Derived, Asset | Operation, str]] = {}
        seen: set[str] = set()

        def offer(axis: str, rating: Derived, holder: Asset | Operation, kind: str) -> None:
            if rating.level is not None and (axis not in axes or _RANK[rating.level] > axes[axis][0]):
                axes[axis] = (_RANK[rating.level], rating, holder, kind)

        def visit(current: str) -> None:
            nonlocal best
            if current in seen:
                return
            seen.add(current)
            candidate = zone_best.get(current)
            if candidate is not None and (best is None or candidate[0] > best[0]):
                best = candidate
            for mapping, data_mapping, holder in sources.get(current, ()):
                for axis, rating in mapping.items():
                    offer(axis, rating, holder, "asset")
                for axis, rating in data_mapping.items():
                    offer(axis, rating, holder, "asset")
            zone = zone_by_id.get(current)
            for op_id in zone.operations if zone else ():
                op = operations.get(op_id)
                if op is not None:
                    if best is None or _RANK[op.importance] > best[0]:
                        best = (_RANK[op.importance], op.importance, op)
                    for axis, rating in all_ratings(op_result[op_id]).items():
                        offer(axis, rating, op, "operation")
            for data_id in zone_held.get(current, ()):
                entry = asset_result.get(data_id)
                data = data_assets.get(data_id)
                if entry is None or data is None:
                    continue
                for axis in DATA_AXES:
                    held = entry.data_ratings.get(axis)
                    if held is None or held.level is None:
                        continue
                    offer(axis, held, data, "data")
            for child in children.get(current, ()):
                visit(child)

        visit(zone_id)
        ratings = {axis: zone_rating(*axes[axis][1:], axis) for axis in AXES if axis in axes}
        data_ratings = {axis: zone_rating(*axes[axis][1:], axis) for axis in DATA_AXES if axis in axes}
        if best is None:
            overall = Derived(
                level=None,
                source="none",
                reason=Text(en="no asset or operation with an importance", ja="重要度を持つ保護対象・業務がない"),
            )
        else:
            _, level, winner = best
            if isinstance(winner, Asset):
                overall = Derived(level=level, source="asset", source_id=winner.id, reason=_holds(winner, level))
            else:
                overall = Derived(level=level, source="operation", source_id=winner.id, reason=_carries_out(winner))
        return ZoneImportance(zone=zone_id, overall=overall, ratings=ratings, data_ratings=data_ratings)

    zone_ratings: dict[tuple[int, int, str | None], Derived] = {}

    def zone_rating(rating: Derived, holder: Asset | Operation, kind: str, axis: str) -> Derived:
        """:func:`_zone_rating`, once per rating and holder (an operation's single rating is one rating on every value axis)."""
        key = (id(rating), id(holder), axis if kind == "data" else None)
        found = zone_ratings.get(key)
        if found is None:
            found = zone_ratings[key] = _zone_rating(rating, holder, kind, axis)
        return found

    zone_result = {zone.id: zone_importance(zone.id) for zone in model.zones}
    # Validation would only copy the mappings: every value is already an instance of the declared model.
    return _build_importance_result({"operations": op_result, "assets": asset_result, "zones": zone_result}), facts


def _zone_rating(rating: Derived, holder: Asset | Operation, kind: str, axis: str) -> Derived:
    """A zone's rating on one axis, taken from an asset it holds, an operation carried out in it or data it stores or processes."""
    level = cast(Importance, rating.level)
    if kind == "data":
        reason = _stores(cast(Asset, holder), axis, level)
    elif kind == "operation":
        reason = Text(
            en=f"carries out operation '{holder.name}' ({rating.reason.en})",
            ja=f"業務「{holder.name}」を行う（{rating.reason.ja}）",
        )
    else:
        reason = Text(
            en=f"holds '{holder.name}' ({rating.reason.en})", ja=f"「{holder.name}」を含む（{rating.reason.ja}）"
        )
    return _build_derived({"level": level, "source": kind, "source_id": holder.id, "reason": reason})


def _plain_sources(
    assets: Sequence[Asset], rated: dict[str, AssetImportance]
) -> dict[str, list[tuple[dict[str, Derived], dict[str, Derived], Asset]]]:
    """Per zone, the distinct ratings mappings of its assets (as rated by id), each with the first asset rated so."""
    sources: dict[str, dict[int, tuple[dict[str, Derived], dict[str, Derived], Asset]]] = {}
    for asset in assets:
        entry = rated.get(asset.id)
        if asset.zone and entry is not None:
            sources.setdefault(asset.zone, {}).setdefault(id(entry.ratings), (entry.ratings, entry.data_ratings, asset))
    return {zone_id: list(found.values()) for zone_id, found in sources.items()}


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


def _facts(tallies: dict[str, _ZoneTally], unrated: list[Asset], held: dict[str, dict[str, int]]) -> ImportanceFacts:
    zones = {}
    for zone, tally in tallies.items():
        high, low = tally.best, tally.worst
        zones[zone] = ZoneAssets(
            highest=(high[2], high[1]) if high else None,
            lowest=(low[2], low[1]) if low else None,
            axes=_axes([m for ratings, data, _ in tally.ratings.values() for m in (ratings, data)]),
        )
    facts = ImportanceFacts(zones=zones, unrated=unrated)
    _add_held(facts, held)
    return facts


def _add_held(facts: ImportanceFacts, held: dict[str, dict[str, int]]) -> None:
    """Raise each zone's axes to the confidentiality and integrity of the data it holds (``held`` as :func:`held_axes` gives it)."""
    for zone_id, ranks in held.items():
        found = facts.zones.get(zone_id)
        if found is None:
            found = facts.zones[zone_id] = ZoneAssets()
        for axis, rank in ranks.items():
            if rank > found.axes.get(axis, 0):
                found.axes[axis] = rank


def importance_facts(
    assets: Sequence[Asset], rated: dict[str, AssetImportance], held: dict[str, dict[str, int]] | None = None
) -> ImportanceFacts:
    """:class:`ImportanceFacts` worked out plainly from the assets and their ratings by id (any ids, repeated or not), and the data
    axes of the data zones hold (``held`` as :func:`held_axes` gives it)."""
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
            for axis, rating in all_ratings(entry).items():
                if rating.level is not None and rating.level.rank > found.axes.get(axis, 0):
                    found.axes[axis] = rating.level.rank
        if level is None:
            continue
        if found.highest is None or level.rank > found.highest[1].rank:
            found.highest = (asset, level)
        if found.lowest is None or level.rank < found.lowest[1].rank:
            found.lowest = (asset, level)
    _add_held(facts, held or {})
    return facts
