"""The C per-packet decode and key index give exactly what their numpy versions give: columns, ids, flow tables on real and damaged captures."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factorysec.discovery import decode, intern
from factorysec.discovery.pcap import read_capture
from factorysec.discovery.types import DiscoveryInputError
from tests.discovery.discovery_support import (
    DATA,
    S7_PCAPNG,
    epb_packets,
    tcp_frame,
    udp_frame,
    write_pcap,
    write_pcapng,
)

LINKS = [0, 1, 12, 14, 101, 113, 228, 276]


def test_the_install_built_the_c_decode() -> None:
    assert decode.COMPILED, "the C decode in factorysec.discovery._walk was not built (scripts/setup.sh)"


def _same_columns(a: decode.Decoded, b: decode.Decoded) -> None:
    for name in decode.Decoded.__slots__:
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype, name
        assert np.array_equal(x, y), name


# Bytes a header decode branches on, so random buffers reach every path (tags, both IP versions, TCP/UDP).
_INTERESTING = [0x00, 0x02, 0x06, 0x08, 0x11, 0x18, 0x1C, 0x2C, 0x45, 0x4F, 0x60, 0x81, 0x86, 0x88, 0xA8, 0xDD, 0xFF]


@st.composite
def _buffers(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    size = draw(st.integers(1, 400))
    raw = draw(st.lists(st.sampled_from(_INTERESTING) | st.integers(0, 255), min_size=size, max_size=size))
    count = draw(st.integers(0, 12))
    off = draw(st.lists(st.integers(0, size + 8), min_size=count, max_size=count))
    caplen = draw(st.lists(st.integers(0, 140), min_size=count, max_size=count))
    link = draw(st.sampled_from(LINKS))
    return np.asarray(raw, dtype=np.uint8), np.asarray(off, dtype=np.int64), np.asarray(caplen, dtype=np.int64), link


@settings(max_examples=600, deadline=None, derandomize=True)
@given(_buffers())
def test_c_and_numpy_decode_agree_on_random_buffers(case: tuple[np.ndarray, np.ndarray, np.ndarray, int]) -> None:
    arr, off, caplen, link = case
    _same_columns(decode.decode(arr, off, caplen, link), decode.decode_numpy(arr, off, caplen, link))


def test_the_c_decode_reads_the_fields() -> None:
    frame = tcp_frame("10.0.0.1", "10.0.0.2", 40000, 502, 0x18, b"abcd")
    v6 = tcp_frame("fd00::1", "fd00::2", 5000, 161, 0x02, b"xy")
    udp = udp_frame("10.0.0.3", "10.0.0.4", 5353, 53, b"q")
    arr = np.frombuffer(frame + v6 + udp, dtype=np.uint8)
    offsets = np.array([0, len(frame), len(frame) + len(v6)])
    d = decode.decode(arr, offsets, np.array([len(frame), len(v6), len(udp)]), decode.LINK_ETHERNET)
    assert d.ipver.tolist() == [4, 6, 4]
    assert d.proto.tolist() == [6, 6, 17]
    assert d.sport.tolist() == [40000, 5000, 5353] and d.dport.tolist() == [502, 161, 53]
    assert d.tcp_flags.tolist() == [0x18, 0x02, 0]
    assert d.payload_len.tolist() == [4, 2, 1]
    assert d.payload_off.tolist() == [54, len(frame) + 74, len(frame) + len(v6) + 42]
    assert bytes(d.addr[0, :8]) == bytes([10, 0, 0, 1, 10, 0, 0, 2])
    assert bytes(d.addr[1]) == bytes.fromhex("fd00" + "00" * 13 + "01" + "fd00" + "00" * 13 + "02")


def _plain_numpy(m: pytest.MonkeyPatch) -> None:
    """Run as an install without a C compiler would: numpy decode, numpy key index and counters."""
    m.setattr(decode, "_compiled", None)
    m.setattr(intern, "_compiled", None)


def _flows_both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        compiled = read_capture(path)
    except DiscoveryInputError as e:
        with monkeypatch.context() as m, pytest.raises(DiscoveryInputError) as again:
            _plain_numpy(m)
            read_capture(path)
        assert str(again.value) == str(e)
        return
    with monkeypatch.context() as m:
        _plain_numpy(m)
        plain = read_capture(path)
    assert compiled == plain


def _real_captures() -> list[Path]:
    return sorted(DATA.rglob("*.pcap*"))[:12]


@pytest.mark.parametrize("path", _real_captures(), ids=lambda p: p.name[:40])
def test_c_and_numpy_give_the_same_flow_table_on_real_captures(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _flows_both_ways(path, monkeypatch)


def test_c_and_numpy_give_the_same_flow_table_on_damaged_captures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packets = epb_packets(S7_PCAPNG)
    clean_pcap, clean_ng = tmp_path / "clean.pcap", tmp_path / "clean.pcapng"
    write_pcap(clean_pcap, packets)
    write_pcapng(clean_ng, packets)
    rng = random.Random(5)
    for source in (clean_pcap, clean_ng):
        data = source.read_bytes()
        for i in range(25):
            damaged = bytearray(data)
            for _ in range(rng.randint(1, 12)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            if rng.random() < 0.3:
                damaged = damaged[: rng.randrange(len(damaged))]
            target = tmp_path / f"{i}-{source.name}"
            target.write_bytes(bytes(damaged))
            _flows_both_ways(target, monkeypatch)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 3)), max_size=300), max_size=6), st.booleans())
def test_c_and_numpy_key_indexes_agree(batches: list[list[tuple[int, int]]], wide: bool) -> None:
    """Same ids batch after batch (across the table's growth), and -1 for unknown keys when not inserting."""
    width = 2 if wide else 1
    compiled, plain = intern.KeyIndex(width), intern.KeyIndex(width)
    for i, batch in enumerate(batches):
        keys = np.asarray(batch if wide else [a * 7 + b for a, b in batch], dtype=np.uint64).reshape(-1, width)
        insert = i % 3 != 2
        got = compiled.ids(keys, insert)
        saved = intern._compiled
        intern._compiled = None
        try:
            want = plain.ids(keys, insert)
        finally:
            intern._compiled = saved
        assert got.tolist() == want.tolist()
        assert compiled.count == plain.count
        assert np.array_equal(compiled.keys[: compiled.count], plain.keys[: plain.count])
