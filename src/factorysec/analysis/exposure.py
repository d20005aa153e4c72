"""Exposure: where an attacker gets in, and how far each zone is from those entry points (Step 2-1, 3.2.2 (1)(i)).

The appendix warns that with diverse network connections "the routes for
potential attackers to intrude also increase". This module finds the entry
points of the factory (external zones, conduits over an external network,
remote-access, wireless and cloud assets, assets run by outside parties,
removable media) and, for every zone, the best attack path in two senses:

* **shortest**: fewest conduit hops from any entry point;
* **weakest**: fewest controls along the way (a control in place counts 1, a
  partial one 0.5), fewer hops breaking ties.

Zones are graph nodes and conduits edges. Reachability is not data direction:
every conduit can be crossed both ways (the replies and sessions of a flow
whose data go one way are a way back for an attacker holding its receiving
end), but a conduit that enforces one direction (``one_way: true``, or a data
diode on its ``via``), which can be crossed only from ``from`` to ``to``. The
exposure of a factory thus does not depend on which way its arrows are drawn. Both searches start from
all entry points at once (multi-source BFS and Dijkstra) and keep one
predecessor link per zone, so the cost grows with zones + conduits, never with
the number of possible paths. Full paths are rebuilt from the predecessor
links only for the zones the report shows (high and critical importance).
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

from factorysec.analysis.findings import assemble, text
from factorysec.analysis.zone_graph import Hops
from factorysec.catalog.models import Text
from factorysec.model.entities import Conduit, Importance, Trait, ZoneKind

if TYPE_CHECKING:
    from factorysec.analysis.context import AnalysisContext

RULE_ENTRY = "EXPOSURE-ENTRY"
RULE_PATH = "EXPOSURE-PATH"
REFERENCE = "Appendix 3.2.1 Step 2-1; 3.2.2 (1)(i) network connections"

EntryKind = Literal[
    "external-zone", "external-network", "remote-access", "wireless", "cloud", "vendor-managed", "removable-media"
]

_TRAIT_ENTRIES: tuple[tuple[Trait, EntryKind], ...] = (
    (Trait.REMOTE_ACCESS, "remote-access"),
    (Trait.WIRELESS, "wireless"),
    (Trait.CLOUD, "cloud"),
    (Trait.REMOVABLE_MEDIA, "removable-media"),
)
_KIND_TEXT: dict[str, tuple[str, str]] = {
    "external-zone": ("external zone", "外部ゾーン"),
    "external-network": ("conduit over an external network", "外部ネットワーク経由の通信"),
    "remote-access": ("remote access", "リモートアクセス"),
    "wireless": ("wireless", "無線"),
    "cloud": ("cloud service", "クラウドサービス"),
    "vendor-managed": ("run by an external party", "外部事業者が運用"),
    "removable-media": ("removable media", "外部記憶媒体"),
}


class EntryPoint(BaseModel):
    """A place where an attacker can get into the factory, and the zone it lands in."""

    model_config = ConfigDict(frozen=True)
    rule: str = RULE_ENTRY
    reference: str = REFERENCE
    kind: EntryKind
    element: str
    zone: str
    reason: Text


class Hop(BaseModel):
    """One conduit crossed by an attack path (in the attacker's direction), with the controls found on it."""

    model_config = ConfigDict(frozen=True)
    conduit: str
    from_zone: str
    to_zone: str
    controls: tuple[str, ...]
    partial: tuple[str, ...] = ()


class AttackPath(BaseModel):
    """A path from an entry point to a zone; ``kind`` says which optimum it is."""

    model_config = ConfigDict(frozen=True)
    rule: str = RULE_PATH
    reference: str = REFERENCE
    kind: Literal["shortest", "weakest"]
    target: str
    entry: str
    entry_zone: str
    hops: tuple[Hop, ...]
    control_weight: float

    @property
    def length(self) -> int:
        return len(self.hops)


class ZoneExposure(BaseModel):
    """How exposed a zone is: hops and controls from the nearest and weakest entry, and the first hop back."""

    model_config = ConfigDict(frozen=True)
    zone: str
    reachable: bool
    entry: str | None = None
    hops: int | None = None
    weakest_controls: float | None = None
    weakest_hops: int | None = None
    shortest_via: str | None = None
    weakest_via: str | None = None


class EntryRoute(BaseModel):
    """A route into the factory: the internal zone an attacker first reaches, and every entry point that opens it.

    Entry points are many (each wireless device, each remote-access asset,
    each outside-run asset is one); the routes they open are few: all the
    entry points landing in one zone give the attacker the same place to start
    from. An external zone opens a route into each internal zone it is joined
    to.
    """

    model_config = ConfigDict(frozen=True)
    rule: str = RULE_ENTRY
    reference: str = REFERENCE
    zone: str
    entries: tuple[str, ...]
    kinds: tuple[EntryKind, ...]
    reason: Text


class Exposure(BaseModel):
    """Entry points, the routes they open, per-zone exposure and the paths to high-importance zones."""

    model_config = ConfigDict(frozen=True)
    entry_points: tuple[EntryPoint, ...]
    zones: dict[str, ZoneExposure]
    paths: tuple[AttackPath, ...]
    routes: tuple[EntryRoute, ...] = ()


class _Edge(NamedTuple):
    """A directed hop over a conduit that a search took as a zone's predecessor link (the hops themselves are the graph's, see :class:`Hops`)."""

    conduit: str
    source: str
    target: str
    weight: float


def _reason(kind: EntryKind, name: str) -> Text:
    en, ja = _KIND_TEXT[kind]
    return text(f"'{name}' is an entry point: {en}", f"「{name}」は侵入口：{ja}")


_ENTRY_FIELDS_GIVEN = frozenset(EntryPoint.model_fields) - {"rule", "reference"}


def _entry(kind: EntryKind, element: str, zone: str, reason: Text) -> EntryPoint:
    """``EntryPoint(kind=kind, element=element, zone=zone, reason=reason)``, without validating again what comes from the validated model."""
    if type(element) is str and type(zone) is str and type(reason) is Text:
        values = {
            "rule": RULE_ENTRY,
            "reference": REFERENCE,
            "kind": kind,
            "element": element,
            "zone": zone,
            "reason": reason,
        }
        return assemble(EntryPoint, values, set(_ENTRY_FIELDS_GIVEN))
    return EntryPoint(kind=kind, element=element, zone=zone, reason=reason)


def find_entry_points(context: AnalysisContext) -> list[EntryPoint]:
    """Every entry point, in model order (zones, then conduits, then assets)."""
    found: list[EntryPoint] = []
    for zone in context.model.zones:
        if zone.kind is ZoneKind.EXTERNAL:
            found.append(_entry("external-zone", zone.id, zone.id, _reason("external-zone", zone.name)))
    for conduit in context.over_external_networks:
        if conduit.to_zone not in context.zones:
            continue
        name = conduit.name or conduit.id
        landing = [conduit.to_zone] + (
            [conduit.from_zone]
            if conduit.id not in context.graph.one_way and conduit.from_zone != conduit.to_zone
            else []
        )
        for zone_id in landing:
            if zone_id in context.zones:
                found.append(
                    _entry(
                        "external-network",
                        conduit.id,
                        zone_id,
                        text(
                            f"'{name}' crosses {conduit.external_network.value} into '{context.zone_name(zone_id)}'",
                            f"「{name}」は{conduit.external_network.value}を経由して「{context.zone_name(zone_id)}」に入る",
                        ),
                    )
                )
    zones = context.zones
    for asset in context.model.assets:
        if not asset.traits and asset.managed_by is None:
            continue  # most assets: no way in
        if asset.zone is None or asset.zone not in zones:
            continue
        for trait, kind in _TRAIT_ENTRIES:
            if trait in asset.traits:
                found.append(_entry(kind, asset.id, asset.zone, _reason(kind, asset.name)))
        if asset.managed_by is not None:
            found.append(_entry("vendor-managed", asset.id, asset.zone, _reason("vendor-managed", asset.name)))
    return found


def entry_routes(context: AnalysisContext, entries: Iterable[EntryPoint], hops: Hops) -> tuple[EntryRoute, ...]:
    """The routes the entry points open (see :class:`EntryRoute`), in the order their first entry point comes, entry points each once per route."""
    opened: dict[str, dict[str, None]] = {}
    kinds: dict[str, dict[EntryKind, None]] = {}
    zones = context.zones
    for entry in entries:
        landing = zones.get(entry.zone)
        if landing is not None and landing.kind is ZoneKind.EXTERNAL:
            reached = [
                t for t, _, _ in hops.out_of(entry.zone) if t in zones and zones[t].kind is not ZoneKind.EXTERNAL
            ]
        else:
            reached = [entry.zone]
        for zone_id in reached:
            opened.setdefault(zone_id, {})[entry.element] = None
            kinds.setdefault(zone_id, {})[entry.kind] = None
    routes = []
    for zone_id, elements in opened.items():
        names = ", ".join(elements)
        kinds_en = ", ".join(_KIND_TEXT[k][0] for k in kinds[zone_id])
        kinds_ja = "、".join(_KIND_TEXT[k][1] for k in kinds[zone_id])
        zone_name = context.zone_name(zone_id)
        routes.append(
            EntryRoute(
                zone=zone_id,
                entries=tuple(elements),
                kinds=tuple(kinds[zone_id]),
                reason=text(
                    f"One route into '{zone_name}', opened by {len(elements)} entry point(s): {names} ({kinds_en})",
                    f"「{zone_name}」への侵入経路。{len(elements)}個の侵入口が開く：{names}（{kinds_ja}）",
                ),
            )
        )
    return tuple(routes)


def conduit_controls(context: AnalysisContext, conduit: Conduit) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Controls on a conduit: its declared ``controls`` and implemented measures applied to it; then partial ones."""
    full = dict.fromkeys(conduit.controls)
    partial: dict[str, None] = {}
    for measure in context.measures_on(conduit.id):
        if measure.status == "implemented":
            full[measure.measure] = None
        elif measure.status == "partial" and measure.measure not in full:
            partial[measure.measure] = None
    return tuple(full), tuple(m for m in partial if m not in full)


def _conduit_control_counts(context: AnalysisContext) -> Callable[[Conduit], tuple[int, int]]:
    def counts(conduit: Conduit) -> tuple[int, int]:
        full, partial = conduit_controls(context, conduit)
        return len(full), len(partial)

    return counts


def _edges(context: AnalysisContext) -> Hops:
    """The hops over every conduit between two zones of the model, each weighed by its conduit's controls (see :func:`conduit_controls`).

    The controls themselves are looked up again only for the conduits on a reported path.
    """
    return context.graph.hops(_conduit_control_counts(context))


def _sources(entries: Iterable[EntryPoint]) -> dict[str, str]:
    """Entry zone -> the first entry point landing there (deterministic: model order)."""
    sources: dict[str, str] = {}
    for entry in entries:
        sources.setdefault(entry.zone, entry.element)
    return sources


def _bfs(adjacency: Hops, sources: dict[str, str]) -> tuple[dict[str, int], dict[str, _Edge | None], dict[str, str]]:
    """Multi-source BFS: hop distance, predecessor edge and originating entry for every reachable zone.

    Stops as soon as every zone is reached: later edges could change nothing.
    """
    dist = {zone: 0 for zone in sources}
    prev: dict[str, _Edge | None] = {zone: None for zone in sources}
    origin = dict(sources)
    queue = deque(sources)
    out_of = adjacency.out_of
    zones = len(adjacency.zones | sources.keys())
    while queue and len(dist) < zones:
        zone = queue.popleft()
        hops, entry = dist[zone] + 1, origin[zone]
        for target, weight, conduit in out_of(zone):
            if target not in dist:
                dist[target] = hops
                prev[target] = _Edge(conduit, zone, target, weight / 2)
                origin[target] = entry
                queue.append(target)
    return dist, prev, origin


def _dijkstra(
    adjacency: Hops, sources: dict[str, str]
) -> tuple[dict[str, tuple[int, int]], dict[str, _Edge | None], dict[str, str]]:
    """Multi-source Dijkstra on (doubled controls, hops): the weakest path to every reachable zone.

    Edges into a settled zone or an entry point are skipped (with weights never
    negative they cannot improve it), and the search stops once every zone is settled, or
    once every zone is reached and none can be improved any more: each hop
    from a zone still to settle costs at least the key just taken plus one
    hop, and only a strictly better path replaces a zone's. When most zones
    are entry points (every zone holding a wireless or remote-access asset)
    this spares walking the hops out of each of them. The worst best is kept
    in a heap (stale entries dropped as they surface) rather than looked up
    over all zones at each new key, which on a chain of zones all reached
    early by costly hops would cost zones x keys.
    """
    best: dict[str, tuple[int, int]] = {zone: (0, 0) for zone in sources}
    prev: dict[str, _Edge | None] = {zone: None for zone in sources}
    origin = dict(sources)
    heap: list[tuple[int, int, str]] = [(0, 0, zone) for zone in sorted(sources)]
    heapq.heapify(heap)
    push, pop = heapq.heappush, heapq.heappop
    done: set[str] = set()
    out_of = adjacency.out_of
    fixed = set(sources)  # zones whose best cannot change: settled ones, and entry points (no path beats none)
    zones = len(adjacency.zones | sources.keys())
    checked: tuple[int, int] | None = None  # the last key that every zone's best was compared with
    worst: list[tuple[int, int, str]] | None = (
        None  # once every zone is reached: every best so far, negated (a max-heap)
    )
    while heap and len(done) < zones:
        weight, hops, zone = pop(heap)
        if zone in done:
            continue
        if len(best) == zones and (weight, hops) != checked:
            checked = (weight, hops)
            if worst is None:
                worst = [(-w, -h, z) for z, (w, h) in best.items()]
                heapq.heapify(worst)
            while (-worst[0][0], -worst[0][1]) != best[worst[0][2]]:  # an improved zone's old best
                pop(worst)
            if (-worst[0][0], -worst[0][1]) <= (weight, hops + 1):
                break
        done.add(zone)
        fixed.add(zone)
        entry, next_hops = origin[zone], hops + 1
        for target, step, conduit in out_of(zone):
            if target in fixed:
                continue
            reached = weight + step
            known = best.get(target)
            if known is None or reached < known[0] or (reached == known[0] and next_hops < known[1]):
                best[target] = (reached, next_hops)
                prev[target] = _Edge(conduit, zone, target, step / 2)
                origin[target] = entry
                push(heap, (reached, next_hops, target))
                if worst is not None:
                    push(worst, (-reached, -next_hops, target))
    return best, prev, origin


def _walk_back(zone: str, prev: dict[str, _Edge | None]) -> Iterator[_Edge]:
    current: _Edge | None = prev.get(zone)
    while current is not None:
        yield current
        current = prev.get(current.source)


def _hop(context: AnalysisContext, edge: _Edge) -> Hop:
    full, partial = conduit_controls(context, context.conduits[edge.conduit])
    return Hop(conduit=edge.conduit, from_zone=edge.source, to_zone=edge.target, controls=full, partial=partial)


def _path(
    context: AnalysisContext,
    kind: Literal["shortest", "weakest"],
    zone: str,
    prev: dict[str, _Edge | None],
    origin: dict[str, str],
) -> AttackPath:
    """Rebuild one path from the predecessor links; hops are oriented the way the attacker crosses them."""
    edges = list(_walk_back(zone, prev))[::-1]
    entry_zone = edges[0].source if edges else zone
    hops = tuple(_hop(context, e) for e in edges)
    return AttackPath(
        kind=kind,
        target=zone,
        entry=origin[zone],
        entry_zone=entry_zone,
        hops=hops,
        control_weight=sum(e.weight for e in edges),
    )


def compute_exposure(context: AnalysisContext, path_threshold: Importance = Importance.HIGH) -> Exposure:
    """Entry points, exposure of every zone, and the shortest and weakest paths to zones at or above ``path_threshold``."""
    entries = find_entry_points(context)
    sources = _sources(entries)
    adjacency = _edges(context)
    dist, short_prev, short_origin = _bfs(adjacency, sources)
    weak, weak_prev, weak_origin = _dijkstra(adjacency, sources)
    zones: dict[str, ZoneExposure] = {}
    paths: list[AttackPath] = []
    for zone in context.model.zones:
        if zone.id not in dist:
            zones[zone.id] = ZoneExposure(zone=zone.id, reachable=False)
            continue
        short_edge, weak_edge = short_prev.get(zone.id), weak_prev.get(zone.id)
        zones[zone.id] = ZoneExposure(
            zone=zone.id,
            reachable=True,
            entry=short_origin[zone.id],
            hops=dist[zone.id],
            weakest_controls=weak[zone.id][0] / 2,
            weakest_hops=weak[zone.id][1],
            shortest_via=short_edge.conduit if short_edge else None,
            weakest_via=weak_edge.conduit if weak_edge else None,
        )
        level = context.importance.zone_level(zone.id)
        if level is not None and level.rank >= path_threshold.rank:
            paths.append(_path(context, "shortest", zone.id, short_prev, short_origin))
            paths.append(_path(context, "weakest", zone.id, weak_prev, weak_origin))
    return Exposure(
        entry_points=tuple(entries), zones=zones, paths=tuple(paths), routes=entry_routes(context, entries, adjacency)
    )
