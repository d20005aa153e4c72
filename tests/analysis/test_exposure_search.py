"""The graph searches of exposure give exactly what a plain BFS and Dijkstra over every edge give.

The searches stop early and read hops from flat lists with doubled, whole
weights (see :class:`~factorysec.analysis.zone_graph.Hops`); the plain ones
walk every edge as an object with its float weight.
"""

from __future__ import annotations

import heapq
import random
from collections import deque

import pytest

from factorysec.analysis.exposure import _bfs, _dijkstra, _Edge
from factorysec.analysis.zone_graph import Hops


def plain_bfs(
    adjacency: dict[str, list[_Edge]], sources: dict[str, str]
) -> tuple[dict[str, int], dict[str, _Edge | None], dict[str, str]]:
    dist = {zone: 0 for zone in sources}
    prev: dict[str, _Edge | None] = {zone: None for zone in sources}
    origin = dict(sources)
    queue = deque(sources)
    while queue:
        zone = queue.popleft()
        for edge in adjacency.get(zone, ()):
            if edge.target not in dist:
                dist[edge.target] = dist[zone] + 1
                prev[edge.target] = edge
                origin[edge.target] = origin[zone]
                queue.append(edge.target)
    return dist, prev, origin


def plain_dijkstra(
    adjacency: dict[str, list[_Edge]], sources: dict[str, str]
) -> tuple[dict[str, tuple[float, int]], dict[str, _Edge | None], dict[str, str]]:
    best: dict[str, tuple[float, int]] = {zone: (0.0, 0) for zone in sources}
    prev: dict[str, _Edge | None] = {zone: None for zone in sources}
    origin = dict(sources)
    heap = [(0.0, 0, zone) for zone in sorted(sources)]
    heapq.heapify(heap)
    done: set[str] = set()
    while heap:
        weight, hops, zone = heapq.heappop(heap)
        if zone in done:
            continue
        done.add(zone)
        for edge in adjacency.get(zone, ()):
            candidate = (weight + edge.weight, hops + 1)
            known = best.get(edge.target)
            if known is None or candidate < known:
                best[edge.target] = candidate
                prev[edge.target] = edge
                origin[edge.target] = origin[zone]
                heapq.heappush(heap, (candidate[0], candidate[1], edge.target))
    return best, prev, origin


def random_graph(seed: int) -> tuple[dict[str, list[_Edge]], dict[str, str]]:
    rng = random.Random(seed)
    zones = [f"z{i}" for i in range(rng.randint(1, 30))]
    adjacency: dict[str, list[_Edge]] = {zone: [] for zone in zones}
    for number in range(rng.randint(0, 120)):
        a, b = rng.choice(zones), rng.choice(zones)
        if a == b:
            continue
        weight = rng.choice((0, 1, 2)) + 0.5 * rng.choice((0, 1))
        adjacency[a].append(_Edge(f"c{number}", a, b, weight))
        if rng.random() < 0.4:
            adjacency[b].append(_Edge(f"c{number}", b, a, weight))
    sources = {zone: f"entry-{zone}" for zone in rng.sample(zones, rng.randint(0, min(3, len(zones))))}
    return adjacency, sources


def flat(adjacency: dict[str, list[_Edge]]) -> Hops:
    """The same edges as the searches take them: target, doubled weight, conduit, for each edge in turn."""
    return Hops.from_hops(
        {
            zone: [(edge.target, int(2 * edge.weight), edge.conduit) for edge in edges]
            for zone, edges in adjacency.items()
        }
    )


@pytest.mark.parametrize("seed", range(300))
def test_searches_match_plain_ones(seed: int) -> None:
    adjacency, sources = random_graph(seed)
    assert _bfs(flat(adjacency), sources) == plain_bfs(adjacency, sources)
    doubled, prev, origin = _dijkstra(flat(adjacency), sources)
    halved = {zone: (weight / 2, hops) for zone, (weight, hops) in doubled.items()}
    assert (halved, prev, origin) == plain_dijkstra(adjacency, sources)
    assert all(type(weight) is float for weight, _ in halved.values())


@pytest.mark.parametrize("seed", range(300))
def test_weakest_search_with_many_entry_points_matches_plain_one(seed: int) -> None:
    """Most zones entry points (their hops skipped, the search stopping before it settles them all), some unreachable, weights often 0."""
    adjacency, _ = random_graph(seed)
    rng = random.Random(-seed)
    zones = list(adjacency)
    sources = {zone: f"entry-{zone}" for zone in rng.sample(zones, rng.randint(0, len(zones)))}
    doubled, prev, origin = _dijkstra(flat(adjacency), sources)
    halved = {zone: (weight / 2, hops) for zone, (weight, hops) in doubled.items()}
    assert (halved, prev, origin) == plain_dijkstra(adjacency, sources)


@pytest.mark.parametrize("length", [2, 3, 10, 200])
def test_weakest_search_on_a_chain_reached_early_by_costly_hops_matches_plain_one(length: int) -> None:
    """Every zone is reached at once over a costly hop, then improved one by one along a free chain: the zones' old bests go stale in turn."""
    zones = [f"z{i}" for i in range(length)]
    adjacency: dict[str, list[_Edge]] = {zone: [] for zone in zones}
    adjacency["z0"] = [_Edge(f"direct{i}", "z0", zone, 3.0) for i, zone in enumerate(zones[1:], 1)]
    for i, (a, b) in enumerate(zip(zones, zones[1:])):
        adjacency[a].append(_Edge(f"chain{i}", a, b, 0.0))
    sources = {"z0": "entry-z0"}
    doubled, prev, origin = _dijkstra(flat(adjacency), sources)
    halved = {zone: (weight / 2, hops) for zone, (weight, hops) in doubled.items()}
    assert (halved, prev, origin) == plain_dijkstra(adjacency, sources)
    assert halved[zones[-1]] == (0.0, length - 1)
