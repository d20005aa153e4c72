"""Paths to the real captures and independent pcap/pcapng helpers for the discovery tests."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.shared_folder import shared_data


def _data_root() -> Path:
    """The real captures, where `tests.shared_folder` finds them."""
    found = shared_data("ics-captures")
    if found is None:
        raise RuntimeError(
            "shared/data/ics-captures not found (looked in FACTORYSEC_SHARED, beside the repository and in /work/shared); "
            "the discovery tests need the real captures"
        )
    return found


DATA = _data_root()
S7_DIR = DATA / "S7" / "V13_1200_TP1200sim_MW100_Int_SPS_5s_MW102_Int_SPS_10s_MW102_ab_1000_Timer_sync"
S7_PCAPNG = S7_DIR / (S7_DIR.name + ".pcapng")
GEEK_151020 = DATA / "Additional-Captures" / "4SICS-GeekLounge-151020" / "conn.log"
MODBUS_DIR = DATA / "MODBUS" / "Modbus"


@pytest.fixture(scope="session")
def data() -> Path:
    return DATA


def plain_numpy(m: pytest.MonkeyPatch) -> None:
    """Run as an install without a C compiler would: Python walks, numpy decode, key index, counters and payload marks."""
    from factorysec.discovery import decode, flowtable, intern, walk

    m.setattr(decode, "_compiled", None)
    m.setattr(intern, "_compiled", None)
    m.setattr(flowtable, "_compiled_marks", None)
    m.setattr(flowtable, "_compiled_sides", None)
    m.setattr(flowtable, "_compiled_chunk", None)
    m.setattr(walk, "_compiled", None)


def epb_packets(path: Path) -> list[tuple[float, bytes, int]]:
    """(timestamp, frame bytes, wire length) for every EPB of a little-endian pcapng."""
    data = path.read_bytes()
    off = 0
    out = []
    tsres = 1e-6
    while off + 12 <= len(data):
        btype, blen = struct.unpack_from("<II", data, off)
        if btype == 6:
            _if, hi, lo, cap, wire = struct.unpack_from("<IIIII", data, off + 8)
            out.append((((hi << 32) | lo) * tsres, data[off + 28 : off + 28 + cap], wire))
        off += blen
    return out


def write_pcap(
    path: Path, packets: list[tuple[float, bytes, int]], link: int = 1, endian: str = "<", nano: bool = False
) -> None:
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    scale = 1_000_000_000 if nano else 1_000_000
    with path.open("wb") as fh:
        fh.write(struct.pack(endian + "IHHiIII", magic, 2, 4, 0, 0, 65535, link))
        for ts, frame, wire in packets:
            sec = int(ts)
            frac = round((ts - sec) * scale)
            fh.write(struct.pack(endian + "IIII", sec, frac, len(frame), wire))
            fh.write(frame)


def write_pcapng(path: Path, packets: list[tuple[float, bytes, int]], link: int = 1, endian: str = "<") -> None:
    """One section, one interface (microsecond resolution), EPBs."""

    def block(btype: int, body: bytes) -> bytes:
        body += b"\0" * (-len(body) % 4)
        n = len(body) + 12
        return struct.pack(endian + "II", btype, n) + body + struct.pack(endian + "I", n)

    with path.open("wb") as fh:
        fh.write(block(0x0A0D0D0A, struct.pack(endian + "IHHq", 0x1A2B3C4D, 1, 0, -1)))
        fh.write(block(1, struct.pack(endian + "HHI", link, 0, 65535)))
        for ts, frame, wire in packets:
            t = round(ts * 1_000_000)
            fh.write(block(6, struct.pack(endian + "IIIII", 0, t >> 32, t & 0xFFFFFFFF, len(frame), wire) + frame))


def modbus_write_frame(frame: bytes, fc: int) -> bytes:
    """Re-purpose a real HMI->PLC TCP frame as a Modbus request with function code fc."""
    ip = 14
    ihl = (frame[ip] & 0x0F) * 4
    tcp = ip + ihl
    thl = (frame[tcp + 12] >> 4) * 4
    pdu = bytes([fc]) + b"\x00\x01\x00\x02"
    mbap = struct.pack(">HHHB", 1, 0, len(pdu) + 1, 1)
    payload = mbap + pdu
    head = bytearray(frame[: tcp + thl])
    struct.pack_into(">H", head, tcp + 2, 502)
    struct.pack_into(">H", head, ip + 2, ihl + thl + len(payload))
    return bytes(head) + payload


def tcp_frame(src: str, dst: str, sport: int, dport: int, flags: int = 0x18, payload: bytes = b"") -> bytes:
    """An Ethernet frame carrying one TCP segment over IPv4 or IPv6 (by the address form)."""
    import ipaddress

    a, b = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    tcp = struct.pack(">HHIIBBHHH", sport, dport, 1, 0, 5 << 4, flags, 8192, 0, 0) + payload
    if a.version == 4:
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, a.packed, b.packed)
        etype = 0x0800
    else:
        ip = struct.pack(">IHBB16s16s", 6 << 28, len(tcp), 6, 64, a.packed, b.packed)
        etype = 0x86DD
    eth = bytes.fromhex("020000000002020000000001") + struct.pack(">H", etype)
    return eth + ip + tcp


SYN, SYN_ACK, ACK_PSH = 0x02, 0x12, 0x18


def udp_frame(src: str, dst: str, sport: int, dport: int, payload: bytes) -> bytes:
    """An Ethernet frame carrying one IPv4 UDP datagram."""
    import ipaddress

    a, b = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, a.packed, b.packed)
    return bytes.fromhex("ffffffffffff020000000009") + b"\x08\x00" + ip + udp


_DISCOVER_THEN_LIST_MODULES = """
import json, sys
from factorysec.cli import app
try:
    app(["discover", *sys.argv[1:], "--format", "json"], standalone_mode=False)
finally:
    sys.stdout.flush()
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def discover_in_a_fresh_interpreter(*inputs: Path) -> tuple[dict[str, Any], set[str]]:
    """``discover INPUTS --format json`` in a new interpreter: its JSON answer and every module it had loaded."""
    done = subprocess.run(
        [sys.executable, "-c", _DISCOVER_THEN_LIST_MODULES, *map(str, inputs)],
        capture_output=True,
        text=True,
        check=True,
    )
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer, set(json.loads(done.stderr.strip().splitlines()[-1]))


def write_decoy_capture(path: Path) -> tuple[int, int]:
    """A pcap whose middle packet carries 2,000 fake pcap records in its payload, with 400 small packets on each side,
    so that a cut in the middle of the file falls inside it; returns where that packet's record starts and ends.
    A guess of where a part starts (`pcap.guess_cuts`) lands inside the decoy; the walk goes past it."""
    fake = b"".join(struct.pack("<IIII", 1_600_000_000, k, 4, 4) + b"fake" for k in range(2_000))
    side = [udp_frame("10.0.0.1", "10.0.0.2", 5000 + k % 7, 161, b"x" * 40) for k in range(400)]
    decoy = udp_frame("10.0.0.3", "10.0.0.4", 4000, 9999, fake)
    frames = [*side, decoy, *side]
    write_pcap(path, [(1_600_000_000 + k * 0.001, f, len(f)) for k, f in enumerate(frames)])
    start = 24 + sum(16 + len(f) for f in side)
    return start, start + 16 + len(decoy)
