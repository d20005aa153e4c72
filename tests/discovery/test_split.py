"""One capture read in byte ranges: the parts merge, in any order and grouping, to exactly the single run."""

from __future__ import annotations

import random
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from factorysec.discovery import command, pcap
from factorysec.discovery.parts import NOT_COVERED, CapturePart, finish_capture, merge_parts
from factorysec.discovery.pcap import find_cuts, guess_cuts, read_capture, read_part
from factorysec.discovery.types import DiscoveryInputError, FlowRecord, SourceStats
from tests.discovery.discovery_support import DATA, SYN, SYN_ACK, tcp_frame, udp_frame, write_pcap, write_pcapng
from tests.discovery.test_identity import enip_identity_reply, modbus_identity_reply

Frame = tuple[float, bytes, int]


def _s7(rosctr: int, function: int = 0x04) -> bytes:
    """TPKT + COTP DT + an S7 header (ROSCTR 1 job, 3 ack-data) with one parameter byte."""
    s7 = bytes([0x32, rosctr, 0, 0, 0, 1, 0, 2, 0, 0]) + (b"\0\0" if rosctr == 3 else b"") + bytes([function, 0])
    return bytes([3, 0, 0, 7 + len(s7), 2, 0xF0, 0x80]) + s7


def _modbus_write() -> bytes:
    return struct.pack(">HHHB", 1, 0, 6, 1) + bytes([16, 0, 1, 0, 2])


def _dnp3(from_master: bool, function: int = 5) -> bytes:
    return bytes([0x05, 0x64, 0x05, 0xC4 if from_master else 0x44, 1, 0, 2, 0, 0, 0, 0, 0, function])


def _snmp_reply(text: bytes) -> bytes:
    return (
        bytes.fromhex("302902010104067075626c6963a21c")
        + bytes.fromhex("06082b06010201010100")
        + bytes([0x04, len(text)])
        + text
    )


def _arp() -> bytes:
    return bytes.fromhex("ffffffffffff020000000001") + b"\x08\x06" + bytes(28)


def generated_frames(seed: int, sessions: int = 40) -> list[Frame]:
    """Interleaved sessions over IPv4 and IPv6: handshakes captured early, late or not at all, S7 jobs and
    acks, DNP3 over UDP, Modbus writes and identity replies, EtherNet/IP and SNMP identities, HTTP that
    passes or fails its signature, and a few non-IP frames."""
    rng = random.Random(seed)
    streams: list[list[bytes]] = []
    for _ in range(sessions):
        v6 = rng.random() < 0.25
        client = f"fd00::{rng.randrange(1, 6)}" if v6 else f"10.0.{rng.randrange(2)}.{rng.randrange(1, 6)}"
        server = f"fd00::{rng.randrange(10, 13)}" if v6 else f"10.1.0.{rng.randrange(1, 4)}"
        cport = rng.choice([rng.randrange(30000, 60000), 102, 20000])
        kind = rng.choice(["s7", "modbus", "http", "other", "dnp3", "enip", "snmp"])
        frames: list[bytes] = []
        if kind == "dnp3":
            for _ in range(rng.randrange(1, 5)):
                master = rng.random() < 0.5
                a, b = (client, server) if master else (server, client)
                frames.append(udp_frame(a, b, 20000, 20000, _dnp3(master)))
        elif kind == "enip" and not v6:
            frames.append(udp_frame(server, client, 44818, cport, enip_identity_reply(1, b"1769-L33ER", 30, 14, 7)))
            frames.append(udp_frame(client, server, cport, 44818, enip_identity_reply(1, b"1756-L71", 20, 11, 9)))
        elif kind == "snmp" and not v6:
            text = rng.choice([b"Siemens, SIMATIC NET, SCALANCE X208, HW: 7, FW: V4.0.1", b"Linux gw 5.10"])
            frames.append(udp_frame(server, client, 161, cport, _snmp_reply(text)))
        else:
            sport = {"s7": 102, "modbus": 502, "http": 80, "other": rng.choice([40000, 8081])}.get(kind, 40000)
            handshake = [tcp_frame(client, server, cport, sport, SYN), tcp_frame(server, client, sport, cport, SYN_ACK)]
            body: list[bytes] = []
            for _ in range(rng.randrange(1, 7)):
                ask = rng.random() < 0.5
                if kind == "s7":
                    payload = _s7(1, rng.choice([0x04, 0x05, 0x29])) if ask else _s7(3)
                elif kind == "modbus":
                    payload = (
                        _modbus_write() if ask else modbus_identity_reply([(0, b"ACME"), (1, b"PLC-9"), (2, b"1.2")])
                    )
                elif kind == "http":
                    payload = rng.choice([b"GET / HTTP/1.1\r\n\r\n", b"\x00\x01garbage"]) if ask else b""
                else:
                    payload = b"x" * rng.randrange(0, 30)
                a, b, pa, pb = (client, server, cport, sport) if ask else (server, client, sport, cport)
                body.append(tcp_frame(a, b, pa, pb, 0x18, payload))
            where = rng.choice(["start", "late", "none"])
            if where == "start":
                frames = handshake + body
            elif where == "late":
                frames = body[:1] + handshake + body[1:]
            else:
                frames = body
        if rng.random() < 0.1:
            frames.append(_arp())
        streams.append(frames)
    out: list[bytes] = []
    while any(streams):
        pick = rng.choice([s for s in streams if s])
        out.append(pick.pop(0))
    t = 1_600_000_000.0
    return [(t + i * 0.001, f, len(f)) for i, f in enumerate(out)]


def write_pcapng_sections(path: Path, frames: list[Frame], seed: int) -> None:
    """Two sections (little- then big-endian); the second with an Ethernet and a raw-IP interface, simple
    packet blocks, an interface declared after packets that name it, and an unknown block type."""
    rng = random.Random(seed)

    def block(endian: str, btype: int, body: bytes) -> bytes:
        body += b"\0" * (-len(body) % 4)
        n = len(body) + 12
        return struct.pack(endian + "II", btype, n) + body + struct.pack(endian + "I", n)

    def shb(endian: str) -> bytes:
        return block(endian, 0x0A0D0D0A, struct.pack(endian + "IHHq", 0x1A2B3C4D, 1, 0, -1))

    def epb(endian: str, iface: int, ts: float, frame: bytes, wire: int) -> bytes:
        t = round(ts * 1_000_000)
        return block(endian, 6, struct.pack(endian + "IIIII", iface, t >> 32, t & 0xFFFFFFFF, len(frame), wire) + frame)

    half = len(frames) // 2
    out = [shb("<"), block("<", 1, struct.pack("<HHI", 1, 0, 65535))]
    out += [epb("<", 0, *f) for f in frames[:half]]
    out += [shb(">"), block(">", 1, struct.pack(">HHI", 1, 0, 65535))]
    declared = False
    for i, (ts, frame, wire) in enumerate(frames[half:]):
        roll = rng.random()
        if roll < 0.1:
            out.append(block(">", 3, struct.pack(">I", wire) + frame))
        elif roll < 0.3:
            out.append(epb(">", 1, ts, frame[14:], wire - 14))  # raw IP on interface 1
        else:
            out.append(epb(">", 0, ts, frame, wire))
        if not declared and i > 5:
            out.append(block(">", 1, struct.pack(">HHI", 101, 0, 65535)))
            declared = True
        if roll > 0.95:
            out.append(block(">", 0x0BAD, b"opaque"))
    path.write_bytes(b"".join(out))


def damaged(data: bytes, seed: int) -> bytes:
    rng = random.Random(seed)
    b = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        b[rng.randrange(len(b))] = rng.randrange(256)
    if rng.random() < 0.4:
        b = b[: rng.randrange(len(b) // 2, len(b))]
    return bytes(b)


def _captures(folder: Path) -> list[Path]:
    real = sorted(DATA.rglob("*.pcapng"))
    made: list[Path] = []
    for seed in range(3):
        frames = generated_frames(seed)
        p = folder / f"gen{seed}.pcap"
        write_pcap(p, frames, endian="<" if seed % 2 else ">")
        ng = folder / f"gen{seed}.pcapng"
        write_pcapng_sections(ng, frames, seed)
        made += [p, ng]
    for i, source in enumerate(list(made)):
        for j in range(3):
            target = folder / f"dmg{j}-{source.name}"
            target.write_bytes(damaged(source.read_bytes(), 100 * i + j))
            made.append(target)
    return real + made


@pytest.fixture(scope="module")
def captures(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _captures(tmp_path_factory.mktemp("split"))


@contextmanager
def chunk_bytes(size: int) -> Iterator[None]:
    """Read in chunks of `size` bytes, so chunk ends fall inside records and blocks."""
    saved = pcap.CHUNK_BYTES
    pcap.CHUNK_BYTES = size
    try:
        yield
    finally:
        pcap.CHUNK_BYTES = saved


def _single(path: Path) -> tuple[list[FlowRecord], SourceStats] | str:
    try:
        return read_capture(path)
    except DiscoveryInputError as e:
        return str(e)


def _parts(path: Path, bounds: list[int], walk_once: bool) -> list[CapturePart]:
    starts, ends = bounds[:-1], bounds[1:]
    if walk_once:
        cuts = find_cuts(path, starts)
        return [read_part(path, a, b, cut) for a, b, cut in zip(starts, ends, cuts, strict=True)]
    return [read_part(path, a, b) for a, b in zip(starts, ends, strict=True)]


def _merge_in_groups(parts: list[CapturePart], rng: random.Random) -> CapturePart:
    """Merge random groups of the parts, then the groups, each in a random order."""
    pool = parts[:]
    rng.shuffle(pool)
    while len(pool) > 1:
        take = rng.randint(2, len(pool))
        group, pool = pool[:take], pool[take:]
        rng.shuffle(group)
        pool.insert(rng.randrange(len(pool) + 1), merge_parts(group))
    return pool[0]


@settings(
    max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    which=st.integers(0, 10_000),
    cuts=st.lists(st.floats(0, 1), min_size=1, max_size=6),
    seed=st.integers(0, 1000),
    chunk=st.sampled_from([None, 97, 300, 4096]),
    walk_once=st.booleans(),
)
def test_parts_at_any_bytes_merge_to_the_single_run(
    captures: list[Path], which: int, cuts: list[float], seed: int, chunk: int | None, walk_once: bool
) -> None:
    path = captures[which % len(captures)]
    expected = _single(path)
    size = path.stat().st_size
    bounds = sorted({0, size, *(int(c * size) for c in cuts)})
    with chunk_bytes(chunk or pcap.CHUNK_BYTES):
        if isinstance(expected, str):  # a file whose header cannot be read: every part says so
            with pytest.raises(DiscoveryInputError) as error:
                _parts(path, bounds, walk_once)
            assert str(error.value) == expected
            return
        parts = _parts(path, bounds, walk_once)
    merged = _merge_in_groups(parts, random.Random(seed))
    records, stats = finish_capture([merged])
    assert records == expected[0]
    assert stats == expected[1]


@settings(
    max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(which=st.integers(0, 10_000), cuts=st.lists(st.floats(0, 1), min_size=1, max_size=6), seed=st.integers(0, 1000))
def test_parts_entered_at_guessed_cuts_and_checked_merge_to_the_single_run(
    captures: list[Path], which: int, cuts: list[float], seed: int
) -> None:
    """`--jobs` guesses where each part starts and checks each guess against the walk of the part before it: right or
    wrong (damage, a later section or interface), the checked parts give the single run."""
    path = captures[which % len(captures)]
    expected = _single(path)
    if isinstance(expected, str):
        return
    size = path.stat().st_size
    bounds = sorted({0, size, *(int(c * size) for c in cuts)})
    starts = bounds[1:-1]
    cuts_in = guess_cuts(path, starts) or find_cuts(path, starts)
    group = [
        command._Read(path, command._read_part, (path, a, b, cut), b - a)
        for a, b, cut in zip(bounds[:-1], bounds[1:], [None, *cuts_in], strict=True)
    ]
    for r in group:
        r.value = command._read_part(*r.args)
    checked = command._checked_parts(path, group)
    parts = [part for partial in checked for part in partial.parts]
    records, stats = finish_capture([_merge_in_groups(parts, random.Random(seed))])
    assert records == expected[0]
    assert stats == expected[1]


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(0, 10_000), at=st.floats(0, 1), noise=st.binary(min_size=0, max_size=64))
@example(which=0, at=1.0, noise=b"")  # an empty window
@example(which=0, at=1.0, noise=b"\x01\x02\x03\x04\x05")  # shorter than a header in every phase
def test_the_guess_looks_at_every_offset_a_header_could_start_at(
    captures: list[Path], which: int, at: float, noise: bytes
) -> None:
    """`_header_candidates` (numpy over the window) keeps every offset the per-offset checks accept."""
    path = captures[which % len(captures)]
    data = path.read_bytes()
    start = int(at * len(data))
    window = memoryview(noise + data[start : start + 4096])
    for kind, endian in (("pcap", "<"), ("pcap", ">"), ("pcapng", "<"), ("pcapng", ">")):
        aligned = -start % 4
        if kind == "pcap":
            offsets = range(len(window))
            accepts = [o for o in offsets if pcap._pcap_record_length(window, o, endian, 1e-6) is not None]
        else:
            offsets = range(aligned, len(window), 4)
            accepts = [o for o in offsets if pcap._pcapng_block_length(window, o, endian) is not None]
        kept = set(pcap._header_candidates(window, kind, endian, aligned).tolist())
        assert set(accepts) <= kept, (kind, endian)


def test_a_guess_assumes_the_interfaces_declared_before_it(tmp_path: Path) -> None:
    """An interface declared between the blocks walked for the guesses and a cut: the guess has the right place but
    not the interfaces, and the check finds it out (the place alone would read the packets as undeclared)."""
    frames = generated_frames(7, sessions=60)
    path = tmp_path / "late-interface.pcapng"
    write_pcapng(path, frames)
    data = path.read_bytes()
    idb = struct.pack("<II", 1, 20) + struct.pack("<HHI", 101, 0, 65535) + struct.pack("<I", 20)
    middle = find_cuts(path, [len(data) // 3])[0].offset
    path.write_bytes(data[:middle] + idb + data[middle:])
    size = path.stat().st_size
    bounds = [0, size // 2, size]
    [guess] = guess_cuts(path, bounds[1:2]) or []
    [truth] = find_cuts(path, bounds[1:2])
    assert (guess.offset, len(guess.interfaces)) == (truth.offset, 1) and len(truth.interfaces) == 2
    group = [
        command._Read(path, command._read_part, (path, a, b, cut), b - a)
        for a, b, cut in zip(bounds[:-1], bounds[1:], [None, guess], strict=True)
    ]
    for r in group:
        r.value = command._read_part(*r.args)
    checked = command._checked_parts(path, group)
    assert checked[1] is not group[1].value[0]  # read again
    records, stats = finish_capture([part for partial in checked for part in partial.parts])
    assert (records, stats) == read_capture(path)


def test_the_captures_hold_what_the_property_is_about(captures: list[Path]) -> None:
    """The generated captures carry every kind of state that crosses a cut, so the property tests it."""
    records, stats = read_capture(next(p for p in captures if p.name == "gen0.pcap"))
    directions = {r.direction for r in records}
    assert {"handshake", "protocol", "server-port", "port-order"} <= directions
    assert any(r.operations for r in records)
    assert {r.evidence for r in records} >= {"payload", "port"}
    assert {d.protocol for d in stats.identities} >= {"enip", "modbus-tcp", "snmp"}
    assert any(":" in r.client for r in records)
    damaged_stats = [read_capture(p)[1] for p in captures if p.name.startswith("dmg") and _readable(p)]
    assert any(s.skipped for s in damaged_stats)
    _, ng = read_capture(next(p for p in captures if p.name == "gen0.pcapng"))
    assert any(k.reason == "packet names an undeclared interface" for k in ng.skipped)


def _readable(path: Path) -> bool:
    return not isinstance(_single(path), str)


def test_a_single_run_does_not_depend_on_chunk_size(captures: list[Path]) -> None:
    for path in captures:
        expected = _single(path)
        for size in (64, 333, 5000):
            with chunk_bytes(size):
                assert _single(path) == expected, (path.name, size)


def test_a_handshake_late_in_the_capture_decides_for_the_packets_before_it(tmp_path: Path) -> None:
    # Unregistered ports, the client on the lower one: only the SYN, in the last part, can tell.
    early = [tcp_frame("10.0.0.9", "10.0.0.2", 50000, 40000, 0x18, b"r" * 20) for _ in range(30)]
    late = [tcp_frame("10.0.0.2", "10.0.0.9", 40000, 50000, SYN)]
    path = tmp_path / "late.pcap"
    write_pcap(path, [(1_600_000_000 + i, f, len(f)) for i, f in enumerate(early + late)])
    size = path.stat().st_size
    parts = [read_part(path, 0, size // 2), read_part(path, size // 2)]
    [first_half] = finish_capture([parts[0]])[0]
    assert (first_half.client, first_half.direction) == ("10.0.0.9", "port-order")
    [flow], stats = finish_capture(parts)
    assert (flow.client, flow.server, flow.port, flow.packets, flow.direction) == (
        "10.0.0.2",
        "10.0.0.9",
        50000,
        31,
        "handshake",
    )
    assert not stats.skipped


def test_missing_and_overlapping_parts(tmp_path: Path) -> None:
    path = tmp_path / "g.pcap"
    write_pcap(path, generated_frames(5))
    size = path.stat().st_size
    a, b = size // 3, 2 * size // 3
    first, last = read_part(path, 0, a), read_part(path, b)
    _records, stats = finish_capture([first, last])
    [gap] = [k for k in stats.skipped if k.reason == NOT_COVERED]
    assert (gap.count, gap.unit, gap.positions) == (b - a, "bytes", (f"byte {a}",))
    assert stats.records < read_capture(path)[1].records
    assert finish_capture([first, read_part(path, a, b), last, first]) == read_capture(path)
    with pytest.raises(DiscoveryInputError, match="parts overlap"):
        merge_parts([first, read_part(path, a - 10, b)])
