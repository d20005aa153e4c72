from __future__ import annotations

import struct
from dataclasses import replace
from pathlib import Path

import pytest

from factorysec.discovery.pcap import read_capture
from factorysec.discovery.types import DiscoveryInputError, FlowRecord
from tests.discovery.discovery_support import (
    DATA,
    S7_PCAPNG,
    epb_packets,
    modbus_write_frame,
    write_pcap,
    write_pcapng,
)

HMI, PLC = "192.168.1.35", "192.168.1.191"


def _summary(records: list[FlowRecord]) -> list[tuple[object, ...]]:
    return [
        (
            r.client,
            r.server,
            r.transport,
            r.port,
            r.protocol,
            r.packets,
            r.bytes,
            round(r.first_seen, 6),
            round(r.last_seen, 6),
        )
        for r in records
    ]


def test_s7_pcapng_yields_hmi_to_plc_s7comm_flow() -> None:
    packets = epb_packets(S7_PCAPNG)
    records, stats = read_capture(S7_PCAPNG)
    assert stats.kind == "pcapng"
    assert stats.records == len(packets)
    assert stats.skipped == ()
    [flow] = records
    assert (flow.client, flow.server, flow.transport, flow.port) == (HMI, PLC, "tcp", 102)
    assert flow.protocol == "s7comm" and flow.evidence == "payload"
    assert flow.packets == len(packets)
    assert flow.bytes == sum(w for _, _, w in packets)
    assert flow.first_seen == pytest.approx(min(t for t, _, _ in packets))
    assert flow.last_seen == pytest.approx(max(t for t, _, _ in packets))
    assert flow.server_mac == "00:1c:06:08:e7:db"


@pytest.mark.parametrize("endian", ["<", ">"])
@pytest.mark.parametrize("nano", [False, True])
def test_pcap_and_pcapng_of_same_traffic_give_same_flows(tmp_path: Path, endian: str, nano: bool) -> None:
    packets = epb_packets(S7_PCAPNG)
    pcap = tmp_path / "same.pcap"
    ng = tmp_path / "same.pcapng"
    write_pcap(pcap, packets, endian=endian, nano=nano)
    write_pcapng(ng, packets, endian=endian)
    a, sa = read_capture(pcap)
    b, sb = read_capture(ng)
    assert sa.kind == "pcap" and sb.kind == "pcapng"
    assert _summary(a) == _summary(b)
    assert _summary(a) == _summary(read_capture(S7_PCAPNG)[0])


@pytest.mark.parametrize(
    "link,strip,prefix",
    [
        (101, 14, b""),  # raw IP
        (113, 14, b"\x00\x00\x00\x01\x00\x06" + bytes(8) + b"\x08\x00"),  # Linux SLL
        (0, 14, struct.pack("<I", 2)),  # BSD loopback
    ],
)
def test_other_link_types(tmp_path: Path, link: int, strip: int, prefix: bytes) -> None:
    packets = [(t, prefix + f[strip:], w - strip + len(prefix)) for t, f, w in epb_packets(S7_PCAPNG)]
    path = tmp_path / "link.pcap"
    write_pcap(path, packets, link=link)
    [flow], _stats = read_capture(path)
    assert (flow.client, flow.server, flow.protocol) == (HMI, PLC, "s7comm")
    assert flow.packets == len(packets)


def test_vlan_tagged_frames(tmp_path: Path) -> None:
    packets = [(t, f[:12] + b"\x81\x00\x00\x0a" + f[12:], w + 4) for t, f, w in epb_packets(S7_PCAPNG)]
    path = tmp_path / "vlan.pcap"
    write_pcap(path, packets)
    [flow], _ = read_capture(path)
    assert (flow.client, flow.server, flow.protocol, flow.packets) == (HMI, PLC, "s7comm", len(packets))


def test_truncated_pcapng_reports_skip(tmp_path: Path) -> None:
    data = S7_PCAPNG.read_bytes()
    cut = tmp_path / "cut.pcapng"
    cut.write_bytes(data[: len(data) // 2 + 7])
    records, stats = read_capture(cut)
    full = len(epb_packets(S7_PCAPNG))
    assert 0 < stats.records < full
    assert sum(r.packets for r in records) == stats.records
    reasons = {s.reason: s for s in stats.skipped}
    assert "truncated final block" in reasons
    assert reasons["truncated final block"].count > 0


def test_truncated_pcap_reports_partial_record(tmp_path: Path) -> None:
    packets = epb_packets(S7_PCAPNG)
    path = tmp_path / "t.pcap"
    write_pcap(path, packets)
    data = path.read_bytes()
    path.write_bytes(data[:-10])
    _records, stats = read_capture(path)
    assert stats.records == len(packets) - 1
    assert any(s.reason == "truncated final record" and s.unit == "packets" and s.count == 1 for s in stats.skipped)


def test_damaged_record_length_is_skipped_and_the_rest_read(tmp_path: Path) -> None:
    packets = epb_packets(S7_PCAPNG)
    path = tmp_path / "flip.pcap"
    write_pcap(path, packets)
    data = bytearray(path.read_bytes())
    # the 11th record header's caplen: flip its high byte
    off = 24
    for _ in range(10):
        off += 16 + struct.unpack_from("<I", data, off + 8)[0]
    damaged_len = 16 + struct.unpack_from("<I", data, off + 8)[0]
    data[off + 11] ^= 0xFF
    path.write_bytes(bytes(data))
    records, stats = read_capture(path)
    # the damaged record is lost; reading resumes at the next record
    assert stats.records == len(packets) - 1
    [skip] = [s for s in stats.skipped if "damaged record header" in s.reason]
    assert skip.unit == "bytes" and skip.count == damaged_len
    assert skip.positions == (f"byte {off}",)
    [lost] = [s for s in stats.skipped if s.unit == "packets" and s.reason == "damaged record"]
    assert lost.count == 1 and stats.skipped_records == 1
    assert sum(r.packets for r in records) == len(packets) - 1


def test_damaged_pcapng_block_length(tmp_path: Path) -> None:
    data = bytearray(S7_PCAPNG.read_bytes())
    # find the 5th EPB and corrupt its length to a non-multiple of 4
    off, seen = 0, 0
    while True:
        btype, blen = struct.unpack_from("<II", data, off)
        if btype == 6:
            seen += 1
            if seen == 5:
                break
        off += blen
    data[off + 4] ^= 0x01
    path = tmp_path / "bad.pcapng"
    path.write_bytes(bytes(data))
    _records, stats = read_capture(path)
    assert stats.records == len(epb_packets(S7_PCAPNG)) - 1
    [skip] = [s for s in stats.skipped if "bad block length" in s.reason]
    assert skip.positions == (f"byte {off}",)


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "not a pcap"),
        (b"hello world, not a capture", "not a pcap"),
        (b"\xd4\xc3\xb2\xa1\x02\x00", "truncated pcap file header"),
    ],
)
def test_not_a_capture_is_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.pcap"
    path.write_bytes(content)
    with pytest.raises(DiscoveryInputError, match=message) as err:
        read_capture(path)
    assert str(path) in str(err.value)


def test_modbus_write_function_codes_are_counted(tmp_path: Path) -> None:
    src = [p for p in epb_packets(S7_PCAPNG) if p[1][26:30] == bytes([192, 168, 1, 35])]
    frames = []
    for i, (t, f, _) in enumerate(src[:12]):
        fc = (3, 6, 16)[i % 3]
        frame = modbus_write_frame(f, fc)
        frames.append((t, frame, len(frame)))
    path = tmp_path / "mb.pcap"
    write_pcap(path, frames)
    [flow], _ = read_capture(path)
    assert (flow.client, flow.server, flow.port, flow.protocol) == (HMI, PLC, 502, "modbus-tcp")
    ops = {(o.operation, o.code): o.count for o in flow.operations}
    assert ops == {("write-single-register", 6): 4, ("write-multiple-registers", 16): 4}


@pytest.mark.parametrize("path", sorted(DATA.rglob("*.pcapng")), ids=lambda p: p.name[:30])
def test_every_real_pcapng_reads_cleanly(path: Path) -> None:
    records, stats = read_capture(path)
    assert stats.skipped == ()
    assert stats.records == len(epb_packets(path)) > 0
    assert sum(r.packets for r in records) == stats.records
    assert all(r.protocol != "unknown" for r in records)


def test_walk_stops_at_record_whose_caplen_exceeds_wire_length(tmp_path: Path) -> None:
    packets = epb_packets(S7_PCAPNG)
    path = tmp_path / "w.pcap"
    write_pcap(path, packets[:5] + [(packets[5][0], packets[5][1], 10)] + packets[6:])
    _records, stats = read_capture(path)
    assert stats.records == len(packets) - 1
    assert any("damaged record header" in s.reason for s in stats.skipped)


def _read_mapped_and_buffered(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The memory-mapped reader and the buffered one (files that cannot be mapped) give the same result, with chunks
    so small that records, damage and resynchronisation fall across chunk ends."""
    import mmap

    from factorysec.discovery import pcap

    monkeypatch.setattr(pcap, "CHUNK_BYTES", 4096)
    with path.open("rb") as fh:
        assert pcap._Reader(fh, str(path))._map is not None  # a regular file is read through the map
    mapped = read_capture(path)

    def cannot_map(*args: object, **kwargs: object) -> mmap.mmap:
        raise OSError("not mappable")

    with monkeypatch.context() as m:
        m.setattr(mmap, "mmap", cannot_map)
        buffered = read_capture(path)
    assert mapped == buffered
    assert mapped[1].records > 0


def test_the_memory_map_and_the_buffered_read_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packets = epb_packets(S7_PCAPNG)
    clean = tmp_path / "clean.pcap"
    write_pcap(clean, packets)
    _read_mapped_and_buffered(clean, monkeypatch)
    _read_mapped_and_buffered(S7_PCAPNG, monkeypatch)
    damaged = bytearray(clean.read_bytes())
    damaged[len(damaged) // 2 : len(damaged) // 2 + 8] = b"\xff" * 8  # a record header with impossible lengths
    broken = tmp_path / "damaged.pcap"
    broken.write_bytes(bytes(damaged[: len(damaged) - 7]))
    _read_mapped_and_buffered(broken, monkeypatch)


def test_a_capture_truncated_while_it_is_read_is_read_as_far_as_it_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process cutting the file short between two chunks must not kill the run through the memory map: the
    read ends where the file now ends, as reading the shortened file would."""
    from factorysec.discovery import pcap

    packets = epb_packets(S7_PCAPNG)
    capture = tmp_path / "live.pcap"
    write_pcap(capture, packets * 4)
    cut = capture.stat().st_size // 2 + 5  # inside a record
    shortened = tmp_path / "short.pcap"
    shortened.write_bytes(capture.read_bytes()[:cut])
    monkeypatch.setattr(pcap, "CHUNK_BYTES", 4096)
    expected = read_capture(shortened)
    view_map = pcap._Reader._view_map
    calls = 0

    def cut_after_first_chunk(reader: pcap._Reader, need: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            with capture.open("r+b") as fh:
                fh.truncate(cut)
        view_map(reader, need)

    monkeypatch.setattr(pcap._Reader, "_view_map", cut_after_first_chunk)
    records, stats = read_capture(capture)
    assert calls > 2
    expected_records, expected_stats = expected
    assert _summary(records) == _summary(expected_records)
    named = tuple(  # the PLC's S7comm-Plus identity, its evidence under the other file's name
        replace(d, evidence=d.evidence.replace(str(capture), str(shortened)), source=str(shortened))
        for d in stats.identities
    )
    assert named and replace(stats, path=str(shortened), identities=named) == expected_stats
    assert any("truncated final record" in s.reason for s in stats.skipped)
