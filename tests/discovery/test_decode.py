"""The C per-packet decode and key index give exactly what their numpy versions give: columns, ids, flow tables on real and damaged captures."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factorysec.discovery import decode, flowtable, intern, protocols, walk
from factorysec.discovery.pcap import read_capture
from factorysec.discovery.types import DiscoveryInputError
from tests.discovery.discovery_support import (
    DATA,
    S7_PCAPNG,
    epb_packets,
    plain_numpy,
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


def _flows_both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        compiled = read_capture(path)
    except DiscoveryInputError as e:
        with monkeypatch.context() as m, pytest.raises(DiscoveryInputError) as again:
            plain_numpy(m)
            read_capture(path)
        assert str(again.value) == str(e)
        return
    with monkeypatch.context() as m:
        plain_numpy(m)
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


def test_the_install_built_the_c_payload_marks_and_header_words() -> None:
    assert flowtable._compiled_marks is not None and walk.COMPILED


# Bytes the payload tests branch on: TPKT 3, COTP 0xF0, S7 0x32 and its ROSCTR 1/2/3/7, DNP3 0x05 0x64 and DIR 0x80,
# EtherNet/IP 0x63, Modbus 0x2B 0x0E and write codes, S7 control codes, SZL ids 0x11 / 0x1C, BACnet's BVLC 0x81 and
# its functions 0x04/0x09/0x0A/0x0B, NPDU control bits 0x20/0x08 and APDU types (0x00-0x71, SRV bit 1).
_PAYLOAD_BYTES = [0x00, 0x01, 0x02, 0x03, 0x05, 0x06, 0x07, 0x0E, 0x10, 0x11, 0x1C, 0x28, 0x29, 0x2B, 0x32, 0x63, 0x64]
_PAYLOAD_BYTES += [0x80, 0xC4, 0xF0, 0xFF, 0x81, 0x04, 0x08, 0x09, 0x0A, 0x0B, 0x20, 0x30, 0x40, 0x41, 0x70, 0x71]
_PAYLOAD_BYTES += [0x72, 0x31, 0x33, 0xCA]  # S7comm-Plus: its magic, request and notification opcodes, CreateObject
_PORTS = [102, 161, 502, 20000, 44818, 47808, 47809, 80, 0]


# Payloads each mark is made of (an S7 job, ack-data and SZL reply, DNP3 from the master and from the outstation, a
# Modbus write and device identification reply, an EtherNet/IP List Identity), cut and damaged by the strategy below.
_TEMPLATES = [
    bytes.fromhex("0300001f02f080320100000c00000e00000401120a10020001000084000000"),
    bytes.fromhex("0300001f02f080320300000c0000020000000028"),
    bytes.fromhex("0300002d02f080320700000100000c001000040112084412010000ff09001c00110001") + bytes(12),
    bytes.fromhex("05640bc4010002004d12c0c105") + bytes(6),
    bytes.fromhex("0564054401000200") + bytes(8),
    bytes.fromhex("0002000000090110000000010200ff"),
    bytes.fromhex("000100000014012b0e010181000001000356656e"),
    bytes.fromhex("6300260000000000") + bytes(22) + b"ident",
    bytes.fromhex("810a001a0100300e0c044000581e29264e4f29554e210c4f1f"),  # BACnet Complex-ACK (a real capture's)
    bytes.fromhex("810a001401280005060102030405060007010dff0005010c"),  # routed Confirmed-Request
    bytes.fromhex("8104001a0a00006313bac00100710104"),  # Forwarded-NPDU holding an Abort from the server
    bytes.fromhex("0300002a02f0807201002332000004ca0000000136") + b"6ES7 214-1HE30-0XB0 ;V2.2",  # S7comm-Plus
    bytes.fromhex("0300001302f08072010008310000054c0000"),  # an S7comm-Plus request
    bytes.fromhex("0300001302f08072020008330000054c0000"),  # an S7comm-Plus (version 2) notification
    bytes.fromhex("0300001302f0807203000832000004ca0000"),  # an S7comm-Plus version 3 response: not read
]


@st.composite
def _payload_batches(draw: st.DrawFn) -> flowtable.PacketBatch:
    chunks = draw(st.lists(st.sampled_from(_TEMPLATES), min_size=1, max_size=5))
    raw = bytearray(b"".join(chunks))
    for _ in range(draw(st.integers(0, 4))):
        raw[draw(st.integers(0, len(raw) - 1))] = draw(st.sampled_from(_PAYLOAD_BYTES) | st.integers(0, 255))
    raw = raw[: draw(st.integers(1, len(raw)))]
    size = len(raw)
    starts = [0]
    for chunk in chunks:
        starts.append(starts[-1] + len(chunk))
    n = draw(st.integers(0, 16))

    def column(values: st.SearchStrategy[int]) -> np.ndarray:
        return np.asarray(draw(st.lists(values, min_size=n, max_size=n)), dtype=np.int64)

    zeros = np.zeros(n, dtype=np.int64)
    return flowtable.PacketBatch(
        buf=np.frombuffer(bytes(raw), dtype=np.uint8),
        src=zeros,
        dst=zeros,
        proto=column(st.sampled_from([6, 6, 17, 1])).astype(np.uint8),
        sport=column(st.sampled_from(_PORTS)),
        dport=column(st.sampled_from(_PORTS)),
        wire_len=zeros,
        ts=zeros.astype(np.float64),
        payload_off=column(st.sampled_from(starts) | st.integers(-4, size + 4)),
        payload_len=column(st.integers(0, 60) | st.sampled_from([8, 10, 13, 14, 17, 18, 30])),
        src_mac=zeros.astype(np.uint64),
        dst_mac=zeros.astype(np.uint64),
        tcp_flags=zeros,
        pos=np.arange(n, dtype=np.int64),
    )


@settings(max_examples=800, deadline=None, derandomize=True)
@given(_payload_batches())
def test_c_and_numpy_payload_marks_agree(batch: flowtable.PacketBatch) -> None:
    got, want = flowtable.payload_marks(batch), flowtable.payload_marks_numpy(batch)
    assert got.says.tolist() == want.says.tolist()
    assert got.op_code.tolist() == want.op_code.tolist()
    assert got.identity.tolist() == want.identity.tolist()


def test_payload_marks_read_a_modbus_write_and_an_s7_job() -> None:
    write = bytes.fromhex("0002000000090110000000010200ff")
    s7_job = bytes.fromhex("0300001f02f080320100000c00000e00000401120a10020001000084000000")
    buf = np.frombuffer(write + s7_job, dtype=np.uint8)
    two = np.array([0, 0], dtype=np.int64)
    batch = flowtable.PacketBatch(
        buf=buf,
        src=two,
        dst=two,
        proto=np.array([6, 6], dtype=np.uint8),
        sport=np.array([40000, 40001], dtype=np.int64),
        dport=np.array([502, 102], dtype=np.int64),
        wire_len=two,
        ts=two.astype(np.float64),
        payload_off=np.array([0, len(write)], dtype=np.int64),
        payload_len=np.array([len(write), len(s7_job)], dtype=np.int64),
        src_mac=two.astype(np.uint64),
        dst_mac=two.astype(np.uint64),
        tcp_flags=two,
        pos=np.array([0, 1], dtype=np.int64),
    )
    for marks in (flowtable.payload_marks(batch), flowtable.payload_marks_numpy(batch)):
        assert marks.op_code.tolist()[0] == protocols.OP_BASE_MODBUS + 16  # write multiple registers
        assert marks.says.tolist() == [-1, 1]  # an S7 job comes from the client
        assert marks.identity.tolist() == [0, 0]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.binary(min_size=1, max_size=200),
    st.lists(st.integers(-8, 210), max_size=20),
    st.sampled_from(["<", ">"]),
    st.integers(1, 7),
)
def test_c_and_numpy_header_words_agree(raw: bytes, starts: list[int], endian: str, count: int) -> None:
    buf = np.frombuffer(raw, dtype=np.uint8)
    at = np.asarray(starts, dtype=np.int64)
    got = walk.header_words(buf, at, endian, count)
    want = walk.header_words_numpy(buf, at, endian, count)
    assert got.shape == want.shape == (len(starts), count)
    assert got.tolist() == want.tolist()


@st.composite
def _side_batches(draw: st.DrawFn) -> list[flowtable.PacketBatch]:
    """Batches of packets between a few hosts and ports, SYNs and payload evidence among them, in file order."""
    batches: list[flowtable.PacketBatch] = []
    position = 0
    for _ in range(draw(st.integers(1, 4))):
        n = draw(st.integers(0, 40))

        def column(values: st.SearchStrategy[int], n: int = n) -> np.ndarray:
            return np.asarray(draw(st.lists(values, min_size=n, max_size=n)), dtype=np.int64)

        gaps = column(st.integers(1, 100))
        pos = position + np.cumsum(gaps)
        position = int(pos[-1]) if n else position
        batches.append(
            flowtable.PacketBatch(
                buf=np.zeros(0, dtype=np.uint8),
                src=column(st.integers(0, 3)),
                dst=column(st.integers(0, 3)),
                proto=column(st.sampled_from([6, 6, 17, 1])).astype(np.uint8),
                sport=column(st.sampled_from([0, 102, 502, 20000, 40000, 65535])),
                dport=column(st.sampled_from([0, 102, 443, 502, 40000])),
                wire_len=column(st.integers(0, 1500)),
                ts=column(st.integers(0, 50)).astype(np.float64) / 4,
                payload_off=np.zeros(n, dtype=np.int64),
                payload_len=np.zeros(n, dtype=np.int64),
                src_mac=column(st.integers(0, 5)).astype(np.uint64),
                dst_mac=column(st.integers(0, 5)).astype(np.uint64),
                tcp_flags=column(st.sampled_from([0x02, 0x12, 0x10, 0x18, 0x03])),
                pos=pos.astype(np.int64),
            )
        )
    return batches


@settings(max_examples=400, deadline=None, derandomize=True)
@given(_side_batches(), st.data())
def test_c_and_numpy_side_updates_agree(batches: list[flowtable.PacketBatch], data: st.DataObject) -> None:
    compiled, plain = flowtable.FlowTable("c"), flowtable.FlowTable("numpy")
    for b in batches:
        says = np.asarray(data.draw(st.lists(st.sampled_from([-1, 0, 1]), min_size=b.src.size, max_size=b.src.size)))
        says = says.astype(np.int64)
        for table in (compiled, plain):
            before = table._sides.count
            side = table._sides.ids(flowtable.side_keys(b.src, b.dst, b.proto, b.sport, b.dport))
            table._grow(table._sides.count)
            if table is compiled:
                table._update_sides_compiled(b, side, says)
            else:
                table._update_sides_numpy(b, side, before, says)
    got, want = compiled.state(), plain.state()
    for name in ("keys", "packets", "bytes", "first_seen", "last_seen", "first_position", "src_mac", "dst_mac"):
        assert getattr(got, name).tolist() == getattr(want, name).tolist(), name
    for name in ("syn_position", "syn_without_ack", "says_position", "says_sender_is_client"):
        assert getattr(got, name).tolist() == getattr(want, name).tolist(), name
    n = compiled.side_count
    assert compiled._inspect[:n].tolist() == plain._inspect[:n].tolist()


def test_the_c_side_update_refuses_ids_and_ports_outside_its_tables() -> None:
    assert flowtable._compiled_sides is not None
    one = np.ones(1, dtype=np.int64)
    table = flowtable.FlowTable("bounds")
    table._grow(1)
    b = flowtable.PacketBatch(
        buf=np.zeros(0, dtype=np.uint8),
        src=one,
        dst=one,
        proto=np.full(1, 6, dtype=np.uint8),
        sport=one,
        dport=one,
        wire_len=one,
        ts=np.ones(1),
        payload_off=one,
        payload_len=one,
        src_mac=one.astype(np.uint64),
        dst_mac=one.astype(np.uint64),
        tcp_flags=one,
        pos=one,
    )
    rows = table._packets.size
    for side in (-1, rows, 1 << 62):
        with pytest.raises(IndexError):
            table._update_sides_compiled(b, np.array([side], dtype=np.int64), one)
    for port in (-1, 65536):
        bad = flowtable.PacketBatch(**{**{f: getattr(b, f) for f in b.__slots__}, "dport": np.array([port])})
        with pytest.raises(IndexError):
            table._update_sides_compiled(bad, np.zeros(1, dtype=np.int64), one)
    # a column shorter than the batch: named, and not as "decode", which every C function's message used to say
    with pytest.raises(ValueError, match=r"^\w+ holds \d+ bytes, \d+ expected$"):
        table._update_sides_compiled(b, np.zeros(2, dtype=np.int64), one)
    assert table._packets.tolist() == [0] * rows  # nothing was counted on the way


def test_payload_marks_read_bacnet_apdus_and_keep_a_dnp3_verdict_on_a_bacnet_port() -> None:
    complex_ack = bytes.fromhex("810a000e0100300e0c0440005801")
    request = bytes.fromhex("810a000d010400050e0c04400058")
    dnp3_outstation = bytes.fromhex("056405440100020000ff")  # DIR bit clear, sent to a BACnet port
    buf = np.frombuffer(complex_ack + request + dnp3_outstation, dtype=np.uint8)
    three = np.zeros(3, dtype=np.int64)
    batch = flowtable.PacketBatch(
        buf=buf,
        src=three,
        dst=three,
        proto=np.array([17, 17, 17], dtype=np.uint8),
        sport=np.array([47808, 50000, 20000], dtype=np.int64),
        dport=np.array([47808, 47808, 47808], dtype=np.int64),
        wire_len=three,
        ts=three.astype(np.float64),
        payload_off=np.array([0, len(complex_ack), len(complex_ack) + len(request)], dtype=np.int64),
        payload_len=np.array([len(complex_ack), len(request), len(dnp3_outstation)], dtype=np.int64),
        src_mac=three.astype(np.uint64),
        dst_mac=three.astype(np.uint64),
        tcp_flags=three,
        pos=np.arange(3, dtype=np.int64),
    )
    for marks in (flowtable.payload_marks(batch), flowtable.payload_marks_numpy(batch)):
        assert marks.says.tolist() == [0, 1, 0]
