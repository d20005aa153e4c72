"""Byte flips and cuts of the real captures and logs: a clear error or counted skips, never a crash."""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest

from factorysec.discovery.readers import read_input
from factorysec.discovery.types import DiscoveryInputError
from tests.discovery.discovery_support import (
    GEEK_151020,
    MODBUS_DIR,
    S7_PCAPNG,
    epb_packets,
    write_pcap,
    write_pcapng,
)


def _damaged_variants(data: bytes, seed: int, count: int) -> list[bytes]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        b = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            pos = rng.randrange(len(b))
            b[pos] = rng.randrange(256)
        if rng.random() < 0.3:
            b = b[: rng.randrange(len(b))]
        out.append(bytes(b))
    return out


def _sources(tmp: Path) -> list[tuple[str, bytes]]:
    pcap = tmp / "src.pcap"
    write_pcap(pcap, epb_packets(S7_PCAPNG))
    head = GEEK_151020.read_bytes()[:60_000]
    return [
        ("x.pcapng", S7_PCAPNG.read_bytes()),
        ("x.pcap", pcap.read_bytes()),
        ("conn.log", head),
        ("modbus.log", (MODBUS_DIR / "modbus.log").read_bytes()),
    ]


@pytest.mark.parametrize("index", range(4))
def test_damaged_inputs_never_crash(tmp_path: Path, index: int) -> None:
    name, data = _sources(tmp_path)[index]
    outcomes = {"error": 0, "clean": 0, "skips": 0}
    for i, variant in enumerate(_damaged_variants(data, seed=index, count=150)):
        path = tmp_path / f"{i}-{name}"
        path.write_bytes(variant)
        try:
            records, stats = read_input(path)
        except DiscoveryInputError as e:
            assert str(path) in str(e)
            outcomes["error"] += 1
            continue
        assert stats.records >= 0 and all(r.packets >= 0 for r in records)
        outcomes["skips" if stats.skipped else "clean"] += 1
    assert outcomes["skips"] > 0


def _record_offsets(data: bytes, first: int, header: int, length_at: int) -> list[int]:
    offsets, off = [], first
    while off + max(header, 8) <= len(data):
        offsets.append(off)
        size = struct.unpack_from("<I", data, off + length_at)[0]
        off += (header + size) if header == 16 else size
    return offsets


@pytest.mark.parametrize("kind", ["pcap", "pcapng"])
def test_a_length_past_the_end_in_the_middle_is_damage_not_the_end_of_the_capture(tmp_path: Path, kind: str) -> None:
    """A record (or block) near the end whose length points past the file's end, with valid records after it:
    the records after it are read (one skipped), not dropped as a "truncated final record"."""
    packets = epb_packets(S7_PCAPNG)
    whole = tmp_path / f"whole.{kind}"
    (write_pcap if kind == "pcap" else write_pcapng)(whole, packets)
    data = bytearray(whole.read_bytes())
    if kind == "pcap":
        offsets = _record_offsets(bytes(data), 24, 16, 8)
        struct.pack_into("<I", data, offsets[len(offsets) // 2] + 8, 0x8000)  # the captured length
    else:
        offsets = [o for o in _record_offsets(bytes(data), 0, 0, 4) if struct.unpack_from("<I", data, o)[0] == 6]
        struct.pack_into("<I", data, offsets[len(offsets) // 2] + 4, 0x8000)  # the block length
    assert len(data) - offsets[len(offsets) // 2] < 0x8000, "the damaged length must point past the end"
    damaged = tmp_path / f"damaged.{kind}"
    damaged.write_bytes(bytes(data))
    _, stats = read_input(damaged)
    assert stats.records == len(packets) - 1
    assert stats.skipped_records == 1
    assert not any("truncated final" in k.reason for k in stats.skipped)
    cut = tmp_path / f"cut.{kind}"
    cut.write_bytes(whole.read_bytes()[:-10])  # a capture really cut short still ends with a truncated record
    _, cut_stats = read_input(cut)
    assert any("truncated final" in k.reason for k in cut_stats.skipped)
