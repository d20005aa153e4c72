"""The C record-header walks do exactly what the plain-Python ones do, on whole, cut and damaged buffers."""

from __future__ import annotations

import struct

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from factorysec.discovery import walk


def test_the_install_built_the_c_walks() -> None:
    assert walk.COMPILED, (
        "the C extension factorysec.discovery._walk was not built: is a C compiler installed? (scripts/setup.sh)"
    )


def _pcap_records(lengths: list[int], big: bool) -> bytes:
    order = ">" if big else "<"
    return b"".join(struct.pack(order + "IIII", 1, 2, n, n) + bytes([n % 251]) * n for n in lengths)


def _epb_blocks(lengths: list[int], big: bool, other_at: int | None) -> bytes:
    order = ">" if big else "<"
    blocks = []
    for index, n in enumerate(lengths):
        body = bytes(n) + bytes(-n % 4)
        total = 32 + len(body)
        kind = 5 if index == other_at else 6
        blocks.append(
            struct.pack(order + "IIIIIII", kind, total, 0, 0, 0, n, n) + body + struct.pack(order + "I", total)
        )
    return b"".join(blocks)


def _damage(data: bytes, spots: list[tuple[int, int]]) -> bytes:
    mutable = bytearray(data)
    for position, value in spots:
        if mutable:
            mutable[position % len(mutable)] = value
    return bytes(mutable)


def _same(result_c: tuple[np.ndarray, int, int], result_py: tuple[np.ndarray, int, int]) -> None:
    assert result_c[0].tolist() == result_py[0].tolist()
    assert result_c[1:] == result_py[1:]


buffers = st.tuples(
    st.lists(st.integers(0, 300), max_size=60),
    st.booleans(),
    st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=4),
    st.integers(0, 40),
    st.integers(0, 64),
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(buffers, st.sampled_from([64, 200, 262144]))
def test_pcap_walks_agree(case: tuple[list[int], bool, list[tuple[int, int]], int, int], max_caplen: int) -> None:
    lengths, big, spots, start, cut = case
    data = np.frombuffer(_damage(_pcap_records(lengths, big), spots), dtype=np.uint8)
    off, end = min(start, data.size), max(0, data.size - cut)
    if off > end:
        off = end
    _same(walk.walk_pcap(data, off, end, big, max_caplen), walk.walk_pcap_python(data, off, end, big, max_caplen))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(buffers, st.one_of(st.none(), st.integers(0, 59)), st.sampled_from([64, 512, 1 << 20]))
def test_epb_walks_agree(
    case: tuple[list[int], bool, list[tuple[int, int]], int, int], other_at: int | None, max_block: int
) -> None:
    lengths, big, spots, start, cut = case
    data = np.frombuffer(_damage(_epb_blocks(lengths, big, other_at), spots), dtype=np.uint8)
    off, end = min(start, data.size), max(0, data.size - cut)
    if off > end:
        off = end
    _same(walk.walk_epb(data, off, end, big, max_block), walk.walk_epb_python(data, off, end, big, max_block))


def test_a_range_outside_the_buffer_is_refused() -> None:
    import pytest

    data = np.zeros(32, dtype=np.uint8)
    with pytest.raises(ValueError, match="outside the buffer"):
        walk.walk_pcap(data, 0, 64, False, 100)
