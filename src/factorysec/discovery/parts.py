"""Parts of one capture: what reading a byte range gave, merged and finished into the single-run result.

A part covers the records (pcap) or blocks (pcapng) that *start* in its byte
ranges, on the path the reader's header walk takes through the file (damaged
stretches included: a damaged header belongs to the part it starts in, with
the bytes skipped after it). Parts of one file with disjoint ranges merge in
any order and grouping (`merge_parts`); `finish_capture` turns the merged
part into the flow records and statistics a single run over the file gives,
and says which bytes no part covered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from factorysec.discovery.flowtable import FlowState
from factorysec.discovery.inventory import FlowTotals, skip_count, source_stats
from factorysec.discovery.mergeable import finish_flows, fold_flows, merge_states
from factorysec.discovery.types import DiscoveryInputError, FlowRecord, SourceStats

MAX_POSITIONS = 10
"""File offsets kept per kind of skip (the lowest ones), so a user can look at them."""

NOT_COVERED = "not covered by any part read (byte ranges of this capture left out)"


@dataclass(slots=True)
class PartStats:
    """Read statistics of one part: counts add up when parts merge; positions keep the lowest offsets."""

    packets: int = 0
    bytes_read: int = 0
    non_ip: Counter[str] = field(default_factory=Counter)
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)
    positions: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def skip(self, reason: str, count: int, unit: str = "packets", at: Sequence[int] = ()) -> None:
        """Count `count` skipped units; `at` gives file offsets of some of them."""
        self.skipped[(reason, unit)] += count
        where = self.positions.setdefault((reason, unit), [])
        if at:
            where.extend(int(x) for x in at)
            where.sort()
            del where[MAX_POSITIONS:]

    def merged(self, other: PartStats) -> PartStats:
        out = PartStats(self.packets + other.packets, self.bytes_read + other.bytes_read)
        out.non_ip.update(self.non_ip)
        out.non_ip.update(other.non_ip)
        out.skipped.update(self.skipped)
        out.skipped.update(other.skipped)
        for key in {*self.positions, *other.positions}:
            out.positions[key] = sorted({*self.positions.get(key, ()), *other.positions.get(key, ())})[:MAX_POSITIONS]
        return out


@dataclass(slots=True)
class CapturePart:
    """What reading the given byte ranges of one capture gave, before finishing."""

    path: str
    kind: str
    size: int
    ranges: tuple[tuple[int, int], ...]
    stats: PartStats
    flows: FlowState


def _union(ranges: list[tuple[int, int]], path: str) -> tuple[tuple[int, int], ...]:
    """Sorted, adjacent ranges joined; overlapping ones are an error (their records would count twice)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if out and start < out[-1][1]:
            raise DiscoveryInputError(
                path,
                f"parts overlap (bytes {out[-1][0]}:{out[-1][1]} and {start}:{end}): "
                "merge parts made with different cuts separately",
            )
        if out and start == out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return tuple(out)


def merge_parts(parts: Sequence[CapturePart]) -> CapturePart:
    """One part for the union of the parts' ranges (all of the same file; a part given twice counts once)."""
    distinct: dict[tuple[tuple[int, int], ...], CapturePart] = {}
    for p in parts:
        distinct.setdefault(p.ranges, p)
    unique = list(distinct.values())
    first = unique[0]
    for p in unique[1:]:
        if (p.path, p.kind, p.size) != (first.path, first.kind, first.size):
            raise DiscoveryInputError(
                first.path,
                f"parts of different files under one name ({first.kind}, {first.size} bytes "
                f"and {p.kind}, {p.size} bytes)",
            )
    if len(unique) == 1:
        return first
    ranges = _union([r for p in unique for r in p.ranges], first.path)
    stats = unique[0].stats
    for p in unique[1:]:
        stats = stats.merged(p.stats)
    return CapturePart(
        path=first.path,
        kind=first.kind,
        size=first.size,
        ranges=ranges,
        stats=stats,
        flows=merge_states([p.flows for p in unique]),
    )


def covers_whole_file(part: CapturePart) -> bool:
    return part.ranges == ((0, part.size),) or (part.size == 0 and not part.ranges)


def finish_capture(
    parts: Sequence[CapturePart], into: FlowTotals | None = None
) -> tuple[list[FlowRecord], SourceStats]:
    """Flow records and statistics of a capture from its parts (the single-run result when they cover it); with
    `into`, the records are folded into it (`mergeable.fold_flows`) and none are returned."""
    part = merge_parts(parts)
    stats = part.stats
    missing: list[tuple[int, int]] = []
    here = 0
    for start, end in part.ranges:
        if start > here:
            missing.append((here, start))
        here = max(here, end)
    if here < part.size:
        missing.append((here, part.size))
    if missing:
        stats = stats.merged(PartStats())
        stats.skip(NOT_COVERED, sum(b - a for a, b in missing), "bytes", [a for a, _ in missing])
    skipped = [
        skip_count(r, c, u, tuple(f"byte {b}" for b in stats.positions.get((r, u), ())))
        for (r, u), c in sorted(stats.skipped.items())
    ]
    skipped += [skip_count(f"not IP ({what})", c, "packets") for what, c in sorted(stats.non_ip.items())]
    records: list[FlowRecord] = []
    if into is None:
        records, identities = finish_flows(part.flows, part.path)
        flows = len(records)
    else:
        flows, identities = fold_flows(part.flows, part.path, into)
    return records, source_stats(
        part.path,
        part.kind,
        records=stats.packets,
        bytes_read=stats.bytes_read,
        flows=flows,
        skipped=tuple(skipped),
        identities=identities,
    )
