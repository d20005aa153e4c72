"""The one-pass C chunk step (`FlowTable.add_chunk`, ``chunk_flows`` in ``_walk.c``) gives exactly what decoding
into columns and adding them as a batch gives, in C or in plain numpy, and survives any bytes."""

from __future__ import annotations

import struct
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factorysec.discovery import decode, flowtable, intern, pcap, walk
from factorysec.discovery.flowtable import FlowState, FlowTable
from factorysec.discovery.parts import CapturePart, PartStats
from tests.discovery.discovery_support import tcp_frame, udp_frame

LINKS = [0, 1, 12, 14, 101, 113, 228, 276]
_PORTS = [102, 161, 502, 20000, 44818, 80, 443, 40000, 0]
_PAYLOADS = [
    b"",
    bytes.fromhex("0300001f02f080320100000c00000e00000401120a10020001000084000000"),
    bytes.fromhex("0300001f02f080320300000c0000020000000028"),
    bytes.fromhex("0300002d02f080320700000100000c001000040112084412010000ff09001c00110001") + bytes(12),
    bytes.fromhex("05640bc4010002004d12c0c105") + bytes(6),
    bytes.fromhex("0002000000090110000000010200ff"),
    bytes.fromhex("000100000014012b0e010181000001000356656e"),
    bytes.fromhex("6300260000000000") + bytes(22) + b"ident",
    bytes(40),
]


def test_the_install_built_the_one_pass_chunk_step() -> None:
    assert flowtable.COMPILED_CHUNK, "chunk_flows in factorysec.discovery._walk was not built (scripts/setup.sh)"


def _same_state(got: FlowState, want: FlowState) -> None:
    for name in FlowState.__dataclass_fields__:
        x, y = getattr(got, name), getattr(want, name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype, name
            assert x.tolist() == y.tolist(), name
        else:
            assert x == y, name


def _same_stats(got: PartStats, want: PartStats) -> None:
    assert (got.packets, got.bytes_read) == (want.packets, want.bytes_read)
    assert list(got.non_ip.items()) == list(want.non_ip.items())
    assert list(got.skipped.items()) == list(want.skipped.items())
    assert got.positions == want.positions


def _same_part(got: CapturePart, want: CapturePart) -> None:
    _same_stats(got.stats, want.stats)
    _same_state(got.flows, want.flows)


def _without_chunk_pass(m: pytest.MonkeyPatch) -> None:
    m.setattr(flowtable, "_compiled_chunk", None)


def _plain_numpy(m: pytest.MonkeyPatch) -> None:
    _without_chunk_pass(m)
    m.setattr(decode, "_compiled", None)
    m.setattr(intern, "_compiled", None)
    m.setattr(flowtable, "_compiled_marks", None)
    m.setattr(flowtable, "_compiled_sides", None)
    m.setattr(walk, "_compiled", None)


@st.composite
def _captures(draw: st.DrawFn) -> tuple[bytes, str]:
    """A pcap of Ethernet frames among many hosts (IPv4 and IPv6, enough to make every table grow), industrial
    payloads, SYNs, damaged frames and records with impossible timestamps or wire lengths."""
    endian = draw(st.sampled_from(["<", ">"]))
    hosts = [f"10.{i // 250}.{i % 250}.1" for i in range(draw(st.integers(2, 300)))]
    hosts += [f"fd00::{i:x}" for i in range(draw(st.integers(0, 4)))]
    out = bytearray(struct.pack(endian + "IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for _ in range(draw(st.integers(0, 160))):
        kind = draw(st.integers(0, 19))
        src, dst = draw(st.sampled_from(hosts)), draw(st.sampled_from(hosts))
        if (":" in src) != (":" in dst):
            dst = src
        sport, dport = draw(st.sampled_from(_PORTS)), draw(st.sampled_from(_PORTS))
        payload = draw(st.sampled_from(_PAYLOADS))
        if kind == 0 and ":" not in src:
            frame = udp_frame(src, dst, sport, dport, payload)
        elif kind == 1:
            frame = draw(st.binary(min_size=0, max_size=80))
        else:
            frame = tcp_frame(src, dst, sport, dport, draw(st.sampled_from([0x02, 0x12, 0x10, 0x18])), payload)
        if kind == 2:
            frame = frame[: draw(st.integers(0, len(frame)))]
        sec, frac, wire = draw(st.integers(1_600_000_000, 1_600_000_100)), draw(st.integers(0, 999_999)), len(frame)
        if kind == 3:
            frac = 2_000_000
        elif kind == 4:
            wire = 1 << 20
        out += struct.pack(endian + "IIII", sec, frac, len(frame), wire) + frame
    return bytes(out), endian


def _read(raw: bytes) -> CapturePart:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.pcap"
        path.write_bytes(raw)
        return pcap.read_part(path)


@settings(max_examples=120, deadline=None, derandomize=True)
@given(_captures(), st.sampled_from([64, 700, 1 << 20]))
def test_the_chunk_pass_gives_the_batch_paths_state(case: tuple[bytes, str], chunk: int) -> None:
    raw, _endian = case
    with pytest.MonkeyPatch.context() as m:
        m.setattr(pcap, "CHUNK_BYTES", chunk)
        got = _read(raw)
        _without_chunk_pass(m)
        compiled_batches = _read(raw)
        _plain_numpy(m)
        plain = _read(raw)
    _same_part(got, compiled_batches)
    _same_part(got, plain)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(_captures(), st.sampled_from([64, 700, 1 << 20]), st.lists(st.integers(0, 1 << 16), min_size=1, max_size=3))
def test_byte_range_parts_by_the_chunk_pass_are_the_batch_paths(
    case: tuple[bytes, str], chunk: int, cuts: list[int]
) -> None:
    """Parts of a capture (`--jobs` splits it by byte ranges): the one-pass walk stops at the first record at or
    after the part's end, as the walk and its trimming in `_read_pcap` do, so each part is the batch paths'."""
    raw, _endian = case
    bounds = sorted({0, len(raw), *(c % (len(raw) + 1) for c in cuts)})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.pcap"
        path.write_bytes(raw)

        def parts() -> list[CapturePart]:
            return [pcap.read_part(path, a, b) for a, b in zip(bounds, bounds[1:], strict=False)]

        with pytest.MonkeyPatch.context() as m:
            m.setattr(pcap, "CHUNK_BYTES", chunk)
            got = parts()
            _without_chunk_pass(m)
            want = parts()
    for g, w in zip(got, want, strict=True):
        _same_part(g, w)


@st.composite
def _random_packets(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Random bytes with packets at random, increasing offsets (some outside the buffer) and random lengths."""
    size = draw(st.integers(1, 600))
    raw = draw(st.binary(min_size=size, max_size=size))
    template = tcp_frame("10.0.0.1", "10.0.0.2", 40000, 502, 0x18, _PAYLOADS[5])
    if draw(st.booleans()) and size > len(template):
        at = draw(st.integers(0, size - len(template)))
        raw = raw[:at] + template + raw[at + len(template) :]
    offsets = sorted(set(draw(st.lists(st.integers(-8, size + 8), max_size=20))))
    n = len(offsets)
    caplen = draw(st.lists(st.integers(0, 200), min_size=n, max_size=n))
    links = draw(st.lists(st.sampled_from(LINKS), min_size=n, max_size=n))
    return (
        np.frombuffer(raw, dtype=np.uint8),
        np.asarray(offsets, dtype=np.int64),
        np.asarray(caplen, dtype=np.int64),
        np.asarray(links, dtype=np.int64),
    )


def _decode_into_table(case: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]) -> tuple[FlowTable, PartStats]:
    arr, off, caplen, links = case
    table, stats = FlowTable("random"), PartStats()
    ts = np.arange(off.size, dtype=np.float64) / 8
    pcap._decode(arr, off, caplen, caplen + 3, ts, links, table, stats, 1000)
    return table, stats


@settings(max_examples=600, deadline=None, derandomize=True)
@given(_random_packets())
def test_the_chunk_pass_reads_random_bytes_as_the_batch_path_does(
    case: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    got_table, got_stats = _decode_into_table(case)
    with pytest.MonkeyPatch.context() as m:
        _without_chunk_pass(m)
        want_table, want_stats = _decode_into_table(case)
    _same_stats(got_stats, want_stats)
    _same_state(got_table.state(), want_table.state())


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.binary(min_size=1, max_size=300), st.lists(st.integers(-40, 340), max_size=12), st.sampled_from(["<", ">"]))
def test_the_chunk_pass_reads_any_record_headers_or_refuses_them(raw: bytes, starts: list[int], endian: str) -> None:
    """Pcap mode on arbitrary bytes and record offsets: the records are read, or a ValueError names what is wrong
    (a header outside the buffer, records out of order); never a crash or a read outside the buffer."""
    arr = np.frombuffer(raw, dtype=np.uint8)
    table = FlowTable("random")
    at = np.asarray(starts, dtype=np.int64)
    links = np.array([1], dtype=np.int64)
    inside = all(0 <= s <= len(raw) - 16 for s in starts)
    ordered = all(b > a for a, b in zip(starts, starts[1:], strict=False))
    try:
        out = table.add_chunk(arr, at, links, 0, pcap_endian=endian, latest=4102444800.0, max_wirelen=1 << 18)
    except ValueError as e:
        assert not (inside and ordered), str(e)
        return
    assert inside
    assert out.packets + out.bad_time.size + out.bad_length.size == len(starts)
    assert int(table.state().packets.sum()) + out.not_ip.size == out.packets


def test_the_chunk_pass_refuses_tables_of_the_wrong_shape() -> None:
    frame = tcp_frame("10.0.0.1", "10.0.0.2", 40000, 502, 0x18, b"abcd")
    arr = np.frombuffer(frame, dtype=np.uint8)
    table = FlowTable("shapes")
    table._side_columns = (*table._side_columns[:-1], table._samples[:-1])  # one side table shorter than the others
    with pytest.raises(ValueError, match="side tables"):
        table.add_chunk(
            arr,
            np.array([0], dtype=np.int64),
            np.array([1], dtype=np.int64),
            0,
            columns=(np.array([len(frame)]), np.array([len(frame)]), np.zeros(1)),
        )


def test_the_chunk_pass_counts_one_flow_each_way() -> None:
    ask = tcp_frame("10.0.0.1", "10.0.0.2", 40000, 502, 0x02)
    answer = tcp_frame("10.0.0.2", "10.0.0.1", 502, 40000, 0x12)
    write = tcp_frame("10.0.0.1", "10.0.0.2", 40000, 502, 0x18, _PAYLOADS[5])
    frames = [ask, answer, write, write]
    buf = np.frombuffer(b"".join(frames), dtype=np.uint8)
    off = np.cumsum([0] + [len(f) for f in frames[:-1]]).astype(np.int64)
    lengths = np.array([len(f) for f in frames], dtype=np.int64)
    table = FlowTable("four")
    out = table.add_chunk(buf, off, np.array([1]), 100, columns=(lengths, lengths, np.arange(4.0)))
    state = table.state()
    assert out.packets == 4 and out.not_ip.size == 0
    assert state.packets.tolist() == [3, 1]
    assert state.syn_position.tolist() == [100, 100 + len(ask)]
    assert state.syn_without_ack.tolist() == [True, False]
    assert state.op_count.tolist() == [2]  # the write, twice, from the side that sent the SYN
    assert [flowtable.ip_text(h) for h in state.hosts] == ["10.0.0.1", "10.0.0.2"]


def _one_packet_chunk(table: FlowTable, frame: bytes, at: int) -> None:
    buf = np.frombuffer(frame, dtype=np.uint8)
    length = np.array([len(frame)], dtype=np.int64)
    table.add_chunk(buf, np.array([0], dtype=np.int64), np.array([1]), at, columns=(length, length, np.zeros(1)))


def test_a_full_flow_cache_is_a_miss_not_a_hang() -> None:
    table, fresh = FlowTable("full cache"), FlowTable("fresh")
    table._flow_cache[:] = np.uint64(0xFFFF_FFFF_FFFF_FFFF)  # no empty row anywhere
    for t in (table, fresh):
        _one_packet_chunk(t, tcp_frame("10.0.0.1", "10.0.0.2", 40000, 502, 0x02), 0)
        _one_packet_chunk(t, tcp_frame("10.0.0.1", "10.0.0.2", 40000, 502, 0x10), 100)
    _same_state(table.state(), fresh.state())
    assert table.state().packets.tolist() == [2]


def test_the_chunk_pass_refuses_a_host_table_with_no_free_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    table = FlowTable("damaged")
    _one_packet_chunk(table, tcp_frame("10.0.0.1", "10.0.0.2", 40000, 502, 0x02), 0)
    monkeypatch.setattr(intern.KeyIndex, "make_room", lambda self, extra: None)
    table._v4_index._slot_ids[:] = 0  # every slot claims host 0: none free, and the new addresses match none
    with pytest.raises(ValueError, match="damaged host table"):
        _one_packet_chunk(table, tcp_frame("10.0.0.3", "10.0.0.4", 40000, 502, 0x02), 100)


def _pcap_of(frames: list[bytes]) -> bytes:
    out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i, frame in enumerate(frames):
        out += struct.pack("<IIII", 1_600_000_000 + i // 1000, i % 1000, len(frame), len(frame)) + frame
    return bytes(out)


def _new_flows(count: int, first: int) -> list[bytes]:
    """`count` packets, each between two hosts not seen before (two new hosts and a new side each)."""
    return [
        tcp_frame(
            f"10.{(first + i) // 250}.{(first + i) % 250}.1",
            f"10.{(first + i) // 250}.{(first + i) % 250}.2",
            40000,
            502,
            0x02,
            _PAYLOADS[5],
        )
        for i in range(count)
    ]


@pytest.mark.parametrize(
    "layout",
    [
        pytest.param("v4", id="ipv4-only: the single pass fills each table and resumes"),
        pytest.param("v4-v6-v4", id="ipv6 after many new ipv4 hosts: the three steps take over and resume"),
        pytest.param("v6-first", id="ipv6 first"),
    ],
)
def test_the_chunk_pass_resumes_where_a_table_filled_up(layout: str) -> None:
    """One chunk with far more new hosts and sides than the room the tables are given (a quarter of a chunk's
    packets): the pass stops at the packet that needs room (or more event rows) and resumes there once the table
    has grown, in the single pass walking the records (IPv4) and in the three steps that take over at the chunk's
    first IPv6 packet. The state is the batch paths' (host numbers included: the chunk's new IPv4 hosts first,
    then the IPv6 ones)."""
    v6 = [tcp_frame(f"fd00::{i:x}", f"fd00::1:{i:x}", 40000, 102, 0x02, _PAYLOADS[1]) for i in range(300)]
    if layout == "v4":
        frames = _new_flows(2000, 0) + _new_flows(500, 0)
    elif layout == "v4-v6-v4":
        frames = _new_flows(900, 0) + v6[:150] + _new_flows(2500, 900) + v6[150:] + _new_flows(300, 0)
    else:
        frames = v6 + _new_flows(900, 0)
    raw = _pcap_of(frames)
    calls: list[tuple[int, int]] = []
    assert flowtable._compiled_chunk is not None
    real = flowtable._compiled_chunk.chunk_flows

    class Counting:
        def chunk_flows(self, *args: object) -> tuple[int, int, int, int, int, int, int, int, int, int]:
            out = real(*args)
            calls.append((out[0], out[2]))  # the table that needs room, the packet to resume at
            return out

    with pytest.MonkeyPatch.context() as m:
        m.setattr(flowtable, "_compiled_chunk", Counting())
        got = _read(raw)
        full = [f for f, _at in calls]
        # 1-3: a table needs room; 4: the event rows; 5: the walk met an IPv6 packet (the rest goes by offsets)
        assert full[-1] == 0 and set(full[:-1]) <= {1, 2, 3, 4, 5} and {1, 3} <= set(full), calls
        if layout != "v4":
            assert full.count(5) == 1, calls
        if layout == "v4-v6-v4":  # tables filled up after the switch too: resumed at its first packet (index 0)
            assert [at for f, at in calls[full.index(5) + 1 :] if f in (1, 2, 3)].count(0) >= 1, calls
        _without_chunk_pass(m)
        compiled_batches = _read(raw)
        _plain_numpy(m)
        plain = _read(raw)
    assert int(got.flows.packets.sum()) == len(frames)
    _same_part(got, compiled_batches)
    _same_part(got, plain)


def test_the_chunk_pass_refuses_to_resume_outside_the_chunk() -> None:
    """`start` (the packet to resume at) must lie in the chunk, with at most three event rows a packet before it:
    otherwise the pass would write event rows past the end of their array."""
    frame = tcp_frame("10.0.0.1", "10.0.0.2", 40000, 502, 0x18, b"abcd")
    arr = np.frombuffer(frame * 2, dtype=np.uint8)
    table = FlowTable("resume")
    assert flowtable._compiled_chunk is not None
    real = flowtable._compiled_chunk.chunk_flows

    class Shifted:
        def __init__(self, start: int, before: int) -> None:
            self.start, self.before = start, before

        def chunk_flows(self, *args: object) -> tuple[int, int, int, int, int, int, int, int, int, int]:
            return real(*args[:-6], self.start, self.before, *args[-4:])

    for start, before in ((3, 0), (-1, 0), (1, 4), (0, 1), (1, -1)):
        with pytest.MonkeyPatch.context() as m:
            m.setattr(flowtable, "_compiled_chunk", Shifted(start, before))
            with pytest.raises(ValueError, match="resume"):
                table.add_chunk(
                    arr,
                    np.array([0, len(frame)], dtype=np.int64),
                    np.array([1], dtype=np.int64),
                    0,
                    columns=(np.full(2, len(frame)), np.full(2, len(frame)), np.zeros(2)),
                )
    assert table.state().packets.size == 0
