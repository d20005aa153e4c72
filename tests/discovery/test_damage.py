"""Byte flips and cuts of the real captures and logs: a clear error or counted skips, never a crash."""

from __future__ import annotations

import random
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
