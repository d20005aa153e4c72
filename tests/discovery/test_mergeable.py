"""The vectorised steps of merging and finishing flow states, against the numpy operations they stand in for."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from factorysec.discovery.mergeable import _sorted_groups, _unique_rows
from factorysec.discovery.types import FlowRecord
from tests.discovery.discovery_support import S7_PCAPNG, write_pcap
from tests.discovery.test_split import generated_frames

_WORDS = st.sampled_from([0, 1, 2, 1 << 44, (1 << 63) + 5, (1 << 64) - 1, 0xFFFF_0000_0000_0001])
"""Side-key words with the top bit set or not (a host number past 2**19 sets it): they must sort as unsigned."""


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_WORDS, st.integers(0, 3)), max_size=40))
def test_unique_rows_is_numpys_unique_over_rows(rows: list[tuple[int, int]]) -> None:
    keys = np.array(rows, dtype=np.uint64).reshape(-1, 2)
    uniq, inverse, order, starts = _unique_rows(keys)
    if keys.shape[0]:
        expected, expected_inverse = np.unique(keys, axis=0, return_inverse=True)
    else:
        expected, expected_inverse = np.zeros((0, 2), dtype=np.uint64), np.zeros(0, dtype=np.int64)
    assert uniq.dtype == np.uint64 and uniq.tolist() == expected.tolist()
    assert inverse.tolist() == expected_inverse.reshape(-1).tolist()
    assert keys[order].tolist() == sorted(keys.tolist())
    assert keys[order][starts].tolist() == uniq.tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=30).map(lambda g: sorted(set(g)) + g))
def test_sorted_groups_feed_reduceat_as_add_at_would(group_list: list[int]) -> None:
    """Every group holds a row (the inverse of `np.unique` always does); the sums, minima and maxima match
    `ufunc.at` exactly, whatever the groups' sizes."""
    _, group = np.unique(np.array(group_list), return_inverse=True)
    group = group.astype(np.int64)
    count = int(group.max()) + 1
    values = np.arange(group.size, dtype=np.int64) * 7 % 11 - 3
    order, starts = _sorted_groups(group, count)
    expected = np.zeros(count, dtype=np.int64)
    np.add.at(expected, group, values)
    assert np.add.reduceat(values[order], starts).tolist() == expected.tolist()
    low = np.full(count, np.iinfo(np.int64).max)
    np.minimum.at(low, group, values)
    assert np.minimum.reduceat(values[order], starts).tolist() == low.tolist()
    assert order.tolist() == sorted(range(group.size), key=lambda i: (int(group[i]), i))


def test_flows_folded_without_records_are_the_records_folded(tmp_path: Path) -> None:
    """`fold_flows` into totals that already hold some of the flows (the same hosts in another capture) and some
    not: the totals, and the inventory, of `finish_flows`' records added one by one; the statistics the same."""
    from factorysec.discovery.inventory import FlowTotals, build_inventory
    from factorysec.discovery.parts import finish_capture
    from factorysec.discovery.pcap import read_part

    captures = [tmp_path / f"{name}.pcap" for name in ("first", "again", "other")]
    for path, seed in zip(captures, (7, 7, 8), strict=True):
        write_pcap(path, generated_frames(seed, sessions=60))
    captures += [S7_PCAPNG, S7_PCAPNG]
    by_records, folded = FlowTotals(), FlowTotals()
    for path in captures:
        part = read_part(path)
        records, stats = finish_capture([part])
        none, same = finish_capture([part], folded)
        assert none == [] and same == stats and stats.flows == len(records) > 0
        by_records.add(records)
    assert folded.macs == by_records.macs and folded.annotations == by_records.annotations == []
    assert repr(folded.flows) == repr(by_records.flows)
    assert any(len(acc.sources) > 1 for acc in folded.flows.values() if not isinstance(acc, FlowRecord))
    assert build_inventory((), totals=folded) == build_inventory((), totals=by_records)


def _other_transport(frame: bytes, ip_proto: int) -> bytes:
    """An IPv4 Ethernet frame with another IP protocol number (GRE is 47): a flow without ports."""
    return frame[:23] + bytes([ip_proto]) + frame[24:]


def test_a_captures_records_come_in_the_inventorys_order(tmp_path: Path) -> None:
    """`finish_capture` orders a capture's records as `build_inventory` orders flows (client and server by address,
    IPv4 first, then transport name, then port), so the inventory's sort finds them in order: addresses whose text
    sorts otherwise (10.0.0.10 before 10.0.0.9, fd00::10 before fd00::2) and a transport whose name does
    (``ip-47`` before ``tcp`` though 47 is above 6)."""
    from factorysec.discovery.inventory import build_inventory, ip_sort_key
    from factorysec.discovery.parts import finish_capture
    from factorysec.discovery.pcap import read_part
    from tests.discovery.discovery_support import tcp_frame

    extra = [
        tcp_frame("10.0.0.9", "10.0.0.10", 40000, 502),
        tcp_frame("10.0.0.10", "10.0.0.9", 40001, 502),
        tcp_frame("fd00::2", "fd00::10", 40002, 102),
        tcp_frame("fd00::10", "fd00::2", 40003, 102),
        _other_transport(tcp_frame("10.0.0.9", "10.0.0.10", 0, 0), 47),
        _other_transport(tcp_frame("10.0.0.10", "10.0.0.9", 0, 0), 47),
    ]
    frames = generated_frames(11, sessions=80)
    frames += [(frames[-1][0] + 1 + i, f, len(f)) for i, f in enumerate(extra)]
    path = tmp_path / "mixed.pcap"
    write_pcap(path, frames)
    records, _ = finish_capture([read_part(path)])
    keys = [(ip_sort_key(r.client), ip_sort_key(r.server), r.transport, r.port) for r in records]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert {"10.0.0.10", "fd00::10"} <= {r.client for r in records} and {"ip-47", "tcp", "udp"} <= {
        r.transport for r in records
    }
    flows = build_inventory(records).flows
    assert [(f.client, f.server, f.transport, f.port) for f in flows] == [
        (r.client, r.server, r.transport, r.port) for r in records
    ]
