"""Which side is the client: the handshake where captured, a registered server port otherwise."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from factorysec.discovery.inventory import build_inventory
from factorysec.discovery.pcap import read_capture
from factorysec.discovery.zeek import read_zeek_log
from tests.discovery.discovery_support import (
    ACK_PSH,
    DATA,
    GEEK_151020,
    SYN,
    SYN_ACK,
    epb_packets,
    plain_numpy,
    tcp_frame,
    udp_frame,
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


def _s7_plus(opcode: int) -> bytes:
    """TPKT + COTP DT + an S7comm-Plus (version 1) header with the given opcode (0x31 request, 0x32 response)."""
    plus = bytes([0x72, 1, 0, 8, opcode, 0, 0, 0x05, 0x4C, 0, 0, 0])
    return bytes([3, 0, 0, 7 + len(plus), 2, 0xF0, 0x80]) + plus


@pytest.mark.parametrize("numpy_only", [False, True], ids=["compiled", "numpy"])
def test_s7_plus_requests_and_responses_decide_a_session_seen_from_its_middle(
    tmp_path: Path, numpy_only: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An S7-1500 talking to another on port 102 both ways: the ports cannot tell; .20 answers the requests of .10.
    frames = [
        tcp_frame("10.0.0.20", "10.0.0.10", 102, 102, ACK_PSH, _s7_plus(0x32)),
        tcp_frame("10.0.0.10", "10.0.0.20", 102, 102, ACK_PSH, _s7_plus(0x31)),
        tcp_frame("10.0.0.20", "10.0.0.10", 102, 102, ACK_PSH, _s7_plus(0x33)),
    ]
    path = tmp_path / "s7plus.pcap"
    write_pcap(path, [(1_600_000_000.0 + i, f, len(f)) for i, f in enumerate(frames)])
    if numpy_only:
        plain_numpy(monkeypatch)
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


BACNET = DATA / "BACNET"


@pytest.mark.parametrize("numpy_only", [False, True], ids=["compiled", "numpy"])
@pytest.mark.parametrize(
    ("name", "client", "server"),
    [
        # Both sides on 47808: 192.168.42.29 sends Complex-ACKs (APDU 0x30) to 192.168.42.207, which asked.
        ("BACnet-exception-schedule-property-1", "192.168.42.207", "192.168.42.29"),
        ("BACnet-exception-schedule-property-2", "192.168.42.207", "192.168.42.29"),
        # A Confirmed-Request (0x00) from 192.168.1.13:56355, the Complex-ACK from 192.168.1.99:47808.
        ("BACnetL_SchedRPM", "192.168.1.13", "192.168.1.99"),
    ],
)
def test_a_bacnet_apdu_names_who_asked_in_the_real_captures(
    name: str, client: str, server: str, numpy_only: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = BACNET / name / f"{name}.pcapng"
    payloads = [frame[42:] for _, frame, _ in epb_packets(path)]  # Ethernet, IPv4 without options, UDP
    assert all(p[0] == 0x81 and p[4] == 1 for p in payloads)  # BVLC, NPDU version 1
    if numpy_only:
        plain_numpy(monkeypatch)
    [flow], _ = read_capture(path)
    assert (flow.client, flow.server, flow.port, flow.protocol) == (client, server, 47808, "bacnet")
    assert flow.direction == "protocol"


def _bvlc(npdu: bytes, function: int = 0x0A) -> bytes:
    origin = bytes([10, 0, 0, 99, 0xBA, 0xC0]) if function == 0x04 else b""
    return bytes([0x81, function]) + (4 + len(origin) + len(npdu)).to_bytes(2, "big") + origin + npdu


@pytest.mark.parametrize("numpy_only", [False, True], ids=["compiled", "numpy"])
@pytest.mark.parametrize(
    ("payload", "sender_is_client"),
    [
        # NPDU version 1, control (0x04 expecting a reply), then the APDU: type in the high nibble, SRV in bit 0
        pytest.param(_bvlc(bytes([1, 0x04, 0x00, 0x05, 0x01, 0x0C])), True, id="confirmed-request"),
        pytest.param(_bvlc(bytes([1, 0x00, 0x20, 0x01, 0x0C])), False, id="simple-ack"),
        pytest.param(_bvlc(bytes([1, 0x00, 0x50, 0x01, 0x0C])), False, id="error"),
        pytest.param(_bvlc(bytes([1, 0x00, 0x60, 0x01, 0x0C])), False, id="reject"),
        pytest.param(_bvlc(bytes([1, 0x00, 0x40, 0x01, 0x00, 0x04])), True, id="segment-ack-srv-0"),
        pytest.param(_bvlc(bytes([1, 0x00, 0x41, 0x01, 0x00, 0x04])), False, id="segment-ack-srv-1"),
        pytest.param(_bvlc(bytes([1, 0x00, 0x71, 0x01, 0x04])), False, id="abort-srv-1"),
        pytest.param(_bvlc(bytes([1, 0x00, 0x70, 0x01, 0x04])), True, id="abort-srv-0"),
        # Routed: DNET 5 with a 6-byte DADR, SNET 7 with a 1-byte SADR, hop count 255, then a Complex-ACK
        pytest.param(
            _bvlc(bytes([1, 0x28, 0, 5, 6, 1, 2, 3, 4, 5, 6, 0, 7, 1, 9, 255, 0x30, 0x01, 0x0C])),
            False,
            id="routed-complex-ack",
        ),
        # Routed, its first DADR byte 0x00 (a Confirmed-Request's type) and the APDU a Complex-ACK
        pytest.param(_bvlc(bytes([1, 0x20, 0, 5, 2, 0x00, 0x00, 255, 0x30, 0x01, 0x0C])), False, id="routed-dadr-zero"),
        # A Forwarded-NPDU (function 4) names the original sender's B/IP address before the NPDU
        pytest.param(_bvlc(bytes([1, 0x04, 0x00, 0x05, 0x01, 0x0C]), 0x04), True, id="forwarded-request"),
        pytest.param(_bvlc(bytes([1, 0x00, 0x30, 0x01, 0x0C]), 0x04), False, id="forwarded-complex-ack"),
    ],
)
def test_bacnet_pdu_types_say_who_asks(
    payload: bytes, sender_is_client: bool, numpy_only: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both on 47808, the sender at the higher address: by ports alone it would be the client.
    frame = udp_frame("10.0.0.9", "10.0.0.2", 47808, 47808, payload)
    path = tmp_path / "bacnet.pcap"
    write_pcap(path, [(1_600_000_000.0, frame, len(frame))])
    if numpy_only:
        plain_numpy(monkeypatch)
    [flow], _ = read_capture(path)
    want = ("10.0.0.9", "10.0.0.2") if sender_is_client else ("10.0.0.2", "10.0.0.9")
    assert (flow.client, flow.server, flow.direction) == (*want, "protocol")


@pytest.mark.parametrize(
    "payload",
    [
        _bvlc(bytes([1, 0x00, 0x10, 0x08])),  # Unconfirmed-Request (Who-Is): either side sends them
        _bvlc(bytes([1, 0x80, 0x00, 0x00])),  # a network layer message: no APDU
        bytes([0x81, 0x00, 0x00, 0x06, 0x00, 0x00]),  # BVLC-Result: no NPDU
        _bvlc(bytes([1, 0x20, 0, 5, 6, 1, 2, 3])),  # routed, the packet ends before its APDU
        bytes([0x82, 0x0A, 0x00, 0x07, 0x01, 0x00, 0x00]),  # not a BVLC for BACnet/IP
    ],
)
def test_bacnet_payloads_that_cannot_tell_leave_the_port_order(
    payload: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = udp_frame("10.0.0.9", "10.0.0.2", 47808, 47808, payload)
    path = tmp_path / "bacnet.pcap"
    write_pcap(path, [(1_600_000_000.0, frame, len(frame))])
    for numpy_only in (False, True):
        with monkeypatch.context() as m:
            if numpy_only:
                plain_numpy(m)
            [flow], _ = read_capture(path)
        assert flow.direction == "port-order"


@pytest.mark.parametrize("name", ["BACnet-exception-schedule-property-1", "BACnet-exception-schedule-property-2"])
def test_a_capture_and_its_conn_log_give_one_flow_when_zeek_took_the_answering_side_as_originator(name: str) -> None:
    # Zeek's conn.log made from the capture names 192.168.42.29 (the first sender) originator; the capture's
    # Complex-ACKs say it is the server. Given together (the folder), they are one connection, counted once.
    folder = BACNET / name
    capture, conn = folder / f"{name}.pcapng", folder / "conn.log"
    lines = [line.split("\t") for line in conn.read_text().splitlines() if not line.startswith("#")]
    assert {(x[2], x[3], x[4], x[5]) for x in lines} == {("192.168.42.29", "47808", "192.168.42.207", "47808")}
    records, stats = read_capture(capture)
    log_records, log_stats = read_zeek_log(conn)
    [alone] = build_inventory(records, [stats]).flows
    inv = build_inventory([*records, *log_records], [stats, log_stats])
    [flow] = inv.flows
    assert (flow.client, flow.server, flow.port, flow.direction) == (
        "192.168.42.207",
        "192.168.42.29",
        47808,
        "protocol",
    )
    assert (flow.packets, flow.bytes, flow.first_seen, flow.last_seen) == (
        alone.packets,
        alone.bytes,
        alone.first_seen,
        alone.last_seen,
    )
    assert flow.packets == len(lines)  # one packet per conn.log record, each counted once
    assert set(flow.sources) == {str(capture), str(conn)}
    assert {h.ip: h.packets for h in inv.hosts} == {"192.168.42.29": len(lines), "192.168.42.207": len(lines)}


def test_a_log_flow_reversed_against_a_capture_keeps_its_control_operations() -> None:
    from factorysec.discovery.types import ControlOperation, FlowRecord

    def record(
        client: str, server: str, from_log: bool, direction: str, ops: tuple[ControlOperation, ...]
    ) -> FlowRecord:
        return FlowRecord(
            client,
            server,
            "udp",
            20000,
            "dnp3",
            "payload",
            0 if from_log else 3,
            0 if from_log else 300,
            1.0,
            2.0,
            "log" if from_log else "cap",
            None,
            None,
            ops,
            from_log,
            direction,
        )

    write = ControlOperation("dnp3", "write", 2, 1, 1.5, 1.5)
    captured = record("10.0.0.1", "10.0.0.2", False, "protocol", ())
    inv = build_inventory([captured, record("10.0.0.2", "10.0.0.1", True, "originator", (write,))])
    assert {(f.client, f.server, f.operations) for f in inv.flows} == {
        ("10.0.0.1", "10.0.0.2", ()),
        ("10.0.0.2", "10.0.0.1", (write,)),
    }
    inv = build_inventory([captured, record("10.0.0.2", "10.0.0.1", True, "originator", ())])
    assert [(f.client, f.server, f.packets, f.sources) for f in inv.flows] == [
        ("10.0.0.1", "10.0.0.2", 3, ("cap", "log"))
    ]
