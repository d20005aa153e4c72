"""Which side is the client: the handshake where captured, a registered server port otherwise."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from factorysec.discovery.inventory import build_inventory
from factorysec.discovery.pcap import read_capture
from factorysec.discovery.zeek import read_zeek_log
from tests.discovery.discovery_support import (
    ACK_PSH,
    GEEK_151020,
    SYN,
    SYN_ACK,
    tcp_frame,
    write_pcap,
)


def _frames(spec: list[tuple[str, str, int, int, int]]) -> list[tuple[float, bytes, int]]:
    out = []
    for i, (src, dst, sport, dport, flags) in enumerate(spec):
        frame = tcp_frame(src, dst, sport, dport, flags, b"x" * 10)
        out.append((1_600_000_000 + i * 0.01, frame, len(frame)))
    return out


def test_handshake_decides_even_against_the_port_order(tmp_path: Path) -> None:
    # The client uses the lower port: by ports alone 10.0.0.2:40000 would be the server.
    spec = [("10.0.0.2", "10.0.0.9", 40000, 50000, SYN), ("10.0.0.9", "10.0.0.2", 50000, 40000, SYN_ACK)] + [
        ("10.0.0.9", "10.0.0.2", 50000, 40000, ACK_PSH),
        ("10.0.0.2", "10.0.0.9", 40000, 50000, ACK_PSH),
    ] * 3
    path = tmp_path / "hs.pcap"
    write_pcap(path, _frames(spec))
    [flow], _ = read_capture(path)
    assert (flow.client, flow.server, flow.port) == ("10.0.0.2", "10.0.0.9", 50000)
    assert flow.direction == "handshake" and flow.packets == 8


def test_handshake_seen_only_as_syn_ack(tmp_path: Path) -> None:
    spec = [("10.0.0.9", "10.0.0.2", 50000, 40000, SYN_ACK), ("10.0.0.2", "10.0.0.9", 40000, 50000, ACK_PSH)]
    path = tmp_path / "sa.pcap"
    write_pcap(path, _frames(spec))
    [flow], _ = read_capture(path)
    assert (flow.client, flow.server, flow.port, flow.direction) == ("10.0.0.2", "10.0.0.9", 50000, "handshake")


def test_session_running_before_capture_start_uses_the_server_port(tmp_path: Path) -> None:
    # No handshake; the PLC (port 102) happens to send first.
    spec = [("10.0.0.10", "10.0.0.30", 102, 51000, ACK_PSH), ("10.0.0.30", "10.0.0.10", 51000, 102, ACK_PSH)] * 2
    path = tmp_path / "mid.pcap"
    write_pcap(path, _frames(spec))
    [flow], _ = read_capture(path)
    assert (flow.client, flow.server, flow.port) == ("10.0.0.30", "10.0.0.10", 102)
    assert flow.direction == "server-port"


def test_ipv6_flows_are_read_and_mapped(tmp_path: Path) -> None:
    spec = [
        ("fd00::30", "fd00::10", 51000, 502, SYN),
        ("fd00::10", "fd00::30", 502, 51000, SYN_ACK),
        ("fd00::30", "fd00::10", 51000, 502, ACK_PSH),
        ("10.0.0.1", "10.0.0.2", 51000, 502, ACK_PSH),
    ]
    path = tmp_path / "v6.pcap"
    write_pcap(path, _frames(spec))
    records, stats = read_capture(path)
    flows = {(r.client, r.server, r.port, r.packets, r.direction) for r in records}
    assert flows == {("fd00::30", "fd00::10", 502, 3, "handshake"), ("10.0.0.1", "10.0.0.2", 502, 1, "server-port")}
    assert stats.records == 4 and not stats.skipped
    inv = build_inventory(records, [stats])
    assert {h.ip for h in inv.hosts} == {"fd00::30", "fd00::10", "10.0.0.1", "10.0.0.2"}


def test_inventory_does_not_depend_on_record_order() -> None:
    records, stats = read_zeek_log(GEEK_151020)
    # Extra records for the same flows from another source, with other evidence, so ties matter.
    extra = [
        replace(r, source="other", evidence="port", protocol="unknown", direction="originator", from_log=False)
        for r in records[::2]
    ]
    everything = records + extra
    expected = build_inventory(everything, [stats])
    rng = random.Random(5)
    for _ in range(5):
        shuffled = everything[:]
        rng.shuffle(shuffled)
        assert build_inventory(shuffled, [stats]) == expected


def _s7(rosctr: int) -> bytes:
    """TPKT + COTP DT + an S7 header with the given ROSCTR (1 job, 3 ack-data)."""
    s7 = bytes([0x32, rosctr, 0, 0, 0, 1, 0, 2, 0, 0]) + (b"\0\0" if rosctr == 3 else b"") + b"\x04\x00"
    return bytes([3, 0, 0, 7 + len(s7), 2, 0xF0, 0x80]) + s7


def test_s7_job_and_ack_decide_a_session_seen_from_its_middle(tmp_path: Path) -> None:
    # Both sides on port 102 (PLC to PLC): the ports cannot tell; the PLC at .20 answers.
    frames = [
        tcp_frame("10.0.0.20", "10.0.0.10", 102, 102, ACK_PSH, _s7(3)),
        tcp_frame("10.0.0.10", "10.0.0.20", 102, 102, ACK_PSH, _s7(1)),
        tcp_frame("10.0.0.20", "10.0.0.10", 102, 102, ACK_PSH, _s7(3)),
    ]
    path = tmp_path / "s7.pcap"
    write_pcap(path, [(1_600_000_000.0 + i, f, len(f)) for i, f in enumerate(frames)])
    [flow], _ = read_capture(path)
    assert (flow.client, flow.server, flow.direction, flow.packets) == ("10.0.0.10", "10.0.0.20", "protocol", 3)


def test_dnp3_dir_bit_names_the_master_over_udp(tmp_path: Path) -> None:
    from tests.discovery.discovery_support import udp_frame

    def dnp3(from_master: bool) -> bytes:
        return bytes([0x05, 0x64, 0x05, 0xC4 if from_master else 0x44, 1, 0, 2, 0, 0, 0])

    frames = [
        udp_frame("10.0.0.30", "10.0.0.1", 20000, 20000, dnp3(False)),  # unsolicited
        udp_frame("10.0.0.1", "10.0.0.30", 20000, 20000, dnp3(True)),
    ]
    path = tmp_path / "dnp3.pcap"
    write_pcap(path, [(1_600_000_000.0 + i, f, len(f)) for i, f in enumerate(frames)])
    [flow], _ = read_capture(path)
    assert (flow.client, flow.server, flow.port, flow.direction) == ("10.0.0.1", "10.0.0.30", 20000, "protocol")


def test_packets_before_the_deciding_one_follow_it(tmp_path: Path) -> None:
    # Both sides on unregistered ports; the lower port is the client's. The third packet's S7-like
    # evidence is absent, so only the SYN-ACK (second packet) can decide, for all three.
    spec = [
        ("10.0.0.9", "10.0.0.2", 50000, 40000, ACK_PSH),
        ("10.0.0.9", "10.0.0.2", 50000, 40000, SYN_ACK),
        ("10.0.0.2", "10.0.0.9", 40000, 50000, ACK_PSH),
    ]
    path = tmp_path / "late.pcap"
    write_pcap(path, _frames(spec))
    [flow], _ = read_capture(path)
    assert (flow.client, flow.server, flow.port, flow.packets, flow.direction) == (
        "10.0.0.2",
        "10.0.0.9",
        50000,
        3,
        "handshake",
    )
