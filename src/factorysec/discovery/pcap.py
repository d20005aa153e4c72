"""Streaming pcap / pcapng reader: chunked, with vectorised header decoding, whole or in parts.

The file is read in large chunks. A tight loop walks the record (pcap) or
block (pcapng) headers to find where each packet starts (`walk`). Where the
install compiled the C extension, one C pass over the chunk then reads each
record header, decodes the link, IP and TCP/UDP headers and updates the
packet's side of the `FlowTable` straight away (`FlowTable.add_chunk`): no
per-packet columns, Python sees only the few packets it still handles.
Without a compiler, the fields of all packets of a chunk are decoded into
columns (`decode`, numpy) and added as a batch (`FlowTable.add`); the tests
hold the two equal. Memory is bounded by the chunk size plus the number of
flows.

The walk's path through the file does not depend on where chunks end, so a
byte range can be read on its own (`read_part`): it covers the records that
start in it, from the first one at or after its start (`find_cuts` finds it,
with the pcapng section's byte order and interfaces in effect there, in one
header walk) to the last one before its end. Parts merge into exactly the
single-run result (`parts.finish_capture`). `guess_cuts` finds a part's
first record without the walk, by the chain of valid headers that starts
there; the part before it says where its own walk ended (`read_part_checked`),
and a guess that is not that place is read again (`command`).

Damage is reported, never fatal past the file header: a record whose length
fields are impossible stops the walk (pcap has no resynchronisation marker)
and the reader looks for the next valid record; the unread bytes are counted
as skipped; a truncated final record is counted too.
"""

from __future__ import annotations

import mmap
import os
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from io import BufferedReader
from pathlib import Path

import numpy as np
import numpy.typing as npt

from factorysec.discovery.decode import Decoded
from factorysec.discovery.decode import decode as decode_headers
from factorysec.discovery.flowtable import FlowTable, PacketBatch, distinct
from factorysec.discovery.inventory import FlowTotals
from factorysec.discovery.parts import MAX_POSITIONS, CapturePart, PartStats, finish_capture
from factorysec.discovery.types import DiscoveryInputError, FlowRecord, SourceStats
from factorysec.discovery.walk import WALK_DAMAGED, WALK_OK, header_words, walk_epb, walk_pcap

CHUNK_BYTES = 8 << 20
MAX_CAPLEN = 1 << 18 << 4  # 4 MiB: anything larger is a damaged length field
MAX_WIRELEN = 1 << 18
"""256 KiB: above any IP packet (64 KiB) even with offloaded segmentation; more is a damaged field."""
LATEST_TIMESTAMP = 4102444800.0
"""2100-01-01: a packet stamped later has a damaged timestamp."""
RESYNC_WINDOW = 1 << 20
"""How far past a damaged record header the reader looks for the next valid record."""
GUESS_HOPS = 8
"""Valid headers in a row, each where the one before says the next starts, that `guess_cuts` takes for a record on the
walk's path (or fewer that end exactly at the end of the file)."""
GUESS_HEAD_BYTES = 1 << 16
"""The pcapng blocks `guess_cuts` walks at the start of the file for the section's byte order and interfaces that
its guesses assume (a later interface or section makes the check fail, and the part is read again)."""
GUESS_SCAN = MAX_WIRELEN + 16
"""How far past a part's first byte `guess_cuts` looks for the chain's start: a valid pcap record is no longer
(`_pcap_record_length`), so the first record at or after the byte starts within it; a pcapng block longer than that
leaves the guess to the header walk."""

LINK_NULL = 0
LINK_ETHERNET = 1
LINK_RAW = 101
LINK_SLL = 113
LINK_IPV4 = 228
LINK_SLL2 = 276
_RAW_LINKS = (LINK_RAW, 12, 14, LINK_IPV4)
SUPPORTED_LINKS = (LINK_NULL, LINK_ETHERNET, LINK_SLL, LINK_SLL2) + _RAW_LINKS

PCAP_MAGICS = {
    b"\xd4\xc3\xb2\xa1": ("<", 1e-6),
    b"\xa1\xb2\xc3\xd4": (">", 1e-6),
    b"\x4d\x3c\xb2\xa1": ("<", 1e-9),
    b"\xa1\xb2\x3c\x4d": (">", 1e-9),
}
PCAPNG_SHB = b"\x0a\x0d\x0d\x0a"
_PCAP_FIRST_RECORD = 24


@dataclass(slots=True)
class _Packets:
    """Packet locations in a chunk, accumulated by the header walk."""

    data_off: list[int] = field(default_factory=list)
    caplen: list[int] = field(default_factory=list)
    wirelen: list[int] = field(default_factory=list)
    ts: list[float] = field(default_factory=list)
    iface: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Interface:
    """A pcapng interface description (or a pcap file header): link type and timestamp scale."""

    link: int
    ts_unit: float
    ts_offset: float
    snaplen: int


@dataclass(frozen=True, slots=True)
class Cut:
    """Where a part starts: the first record or block at or after byte `requested` (`offset`; the file
    size when there is none), with the pcapng section's byte order and interfaces in effect there."""

    requested: int
    offset: int
    endian: str = "<"
    interfaces: tuple[Interface, ...] = ()

    def continues(self, left: Cut) -> bool:
        """Whether a part entered here continues the walk that left the part before it at `left`: the same record,
        with the same pcapng state (see `read_part_checked`)."""
        return (self.offset, self.endian, self.interfaces) == (left.offset, left.endian, left.interfaces)


@dataclass(frozen=True, slots=True)
class _PcapHead:
    endian: str
    interface: Interface


@dataclass(slots=True)
class _Section:
    """The pcapng state the walk carries from block to block."""

    endian: str = "<"
    interfaces: list[Interface] = field(default_factory=list)


class _Reader:
    """Holds the open file and the rolling chunk buffer.

    A regular file is read through a read-only memory map: a chunk is a view of
    the mapped pages, so nothing is copied (reading into a buffer copied every
    byte once, about a tenth of a capture's read time).
    The pages of the chunks already read are given back (MADV_DONTNEED), so
    the resident memory stays a chunk, not the file. Where the file cannot be
    mapped (empty, a pipe), chunks are read into one reusable buffer. So is a header walk alone (`find_cuts`,
    ``map_file=False``): it reads 16 bytes of each record, and copying the file's pages cost it less than mapping them
    (0.118 against 0.157 s for the first half of a 10M-packet capture).
    """

    def __init__(self, fh: BufferedReader, path: str, *, map_file: bool = True) -> None:
        self.fh = fh
        self.path = path
        self.size = os.fstat(fh.fileno()).st_size
        self.buf: memoryview = memoryview(b"")
        self._store = bytearray()
        self._map: mmap.mmap | None = None
        self._released = 0  # the map's pages before this offset were given back
        if self.size > 0 and map_file:
            try:
                self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # not a mappable file: read it in chunks
                self._map = None
        self.pos = 0  # offset in buf of the next unread byte
        self.buf_start = 0  # file offset of buf[0]
        self.eof = False
        self.done = False  # the walk ended (end of file, or damage with nothing valid after it)

    @property
    def offset(self) -> int:
        """File offset of the next unread byte."""
        return self.buf_start + self.pos

    def fill(self, need: int = CHUNK_BYTES) -> None:
        """Keep the unconsumed tail, then read until `need` bytes are buffered (or EOF).

        Reads go into one reusable buffer (readinto), so a chunk is never copied;
        from a memory map, the chunk is a view of the file's pages.
        """
        if self._map is not None:
            self._view_map(need)
            return
        rest = len(self.buf) - self.pos
        size = max(CHUNK_BYTES, need)
        if len(self._store) < size:
            store = bytearray(size)
            store[:rest] = self.buf[self.pos :]
            self._store = store
        elif rest:
            self._store[:rest] = self._store[self.pos : self.pos + rest]
        view = memoryview(self._store)
        have = rest
        while have < need and not self.eof:
            n = self.fh.readinto(view[have:size])
            if not n:
                self.eof = True
                break
            have += n
        self.buf = view[:have]
        self.buf_start += self.pos
        self.pos = 0

    def _view_map(self, need: int) -> None:
        # Touching a mapped page past the end of a file that shrank since it was
        # mapped kills the process (SIGBUS). Looking at the size before each chunk
        # reads a capture truncated under us as far as it still goes, the way a
        # buffered read would, and leaves only the moment between this look and the
        # chunk's walk open.
        self.size = min(self.size, os.fstat(self.fh.fileno()).st_size)
        start = self.buf_start + self.pos
        end = min(self.size, start + max(CHUNK_BYTES, need))
        assert self._map is not None
        release = start - start % mmap.PAGESIZE
        if release > self._released and hasattr(mmap, "MADV_DONTNEED"):
            self._map.madvise(mmap.MADV_DONTNEED, self._released, release - self._released)
            self._released = release
        self.buf = memoryview(self._map)[start:end]
        self.buf_start, self.pos = start, 0
        self.eof = end >= self.size

    def seek(self, offset: int) -> None:
        """Continue reading at file offset `offset` (within the buffer when it is there)."""
        if self.buf_start <= offset <= self.buf_start + len(self.buf):
            self.pos = offset - self.buf_start
            return
        if self._map is None:
            self.fh.seek(offset)
        self._released = min(self._released, offset - offset % mmap.PAGESIZE)
        self.buf = memoryview(b"")
        self.buf_start, self.pos, self.eof = offset, 0, False

    def end_walk(self) -> None:
        self.done = True
        self.seek(self.size)


def _open(path: Path | str) -> tuple[BufferedReader, str]:
    name = str(path)
    try:
        return Path(path).open("rb"), name
    except OSError as e:
        raise DiscoveryInputError(name, f"cannot open: {e.strerror}") from e


def _start(reader: _Reader) -> tuple[str, _PcapHead | None]:
    """The capture's kind and, for pcap, its file header; bad headers raise `DiscoveryInputError`."""
    reader.fill(28)
    buf = reader.buf
    magic = bytes(buf[:4])
    if magic in PCAP_MAGICS:
        if len(buf) < 24:
            raise DiscoveryInputError(reader.path, "truncated pcap file header (less than 24 bytes)")
        endian, ts_unit = PCAP_MAGICS[magic]
        _major, _minor, _zone, _sig, snaplen, link = struct.unpack_from(endian + "HHiIII", buf, 4)
        link &= 0xFFFF
        if link not in SUPPORTED_LINKS:
            raise DiscoveryInputError(reader.path, f"unsupported link type {link}")
        return "pcap", _PcapHead(endian, Interface(link, ts_unit, 0.0, snaplen))
    if magic == PCAPNG_SHB:
        if len(buf) < 28:
            raise DiscoveryInputError(
                reader.path, f"truncated pcapng section header ({len(buf)} bytes, at least 28 needed)"
            )
        return "pcapng", None
    raise DiscoveryInputError(reader.path, "not a pcap or pcapng file (unknown magic number)")


def _walk_to(
    reader: _Reader,
    kind: str,
    pcap_head: _PcapHead | None,
    section: _Section,
    table: FlowTable | None,
    stats: PartStats,
    stop: int,
) -> int:
    """Walk (and with a `table`, read) from the reader's offset to the first record at or after `stop`."""
    if kind == "pcap":
        assert pcap_head is not None
        return _read_pcap(reader, pcap_head, table, stats, stop)
    return _read_pcapng(reader, section, table, stats, stop)


def read_capture(path: Path | str, into: FlowTotals | None = None) -> tuple[list[FlowRecord], SourceStats]:
    """Read a pcap or pcapng file into flow records and read statistics (with `into`, the records folded into it).

    Raises `DiscoveryInputError` when the file is not a capture or its header
    is unusable; damage later in the file is reported in the statistics.
    """
    return finish_capture([read_part(path)], into)


def read_part(path: Path | str, start: int = 0, end: int | None = None, cut: Cut | None = None) -> CapturePart:
    """Read the records of a capture that start in bytes [start, end) (`end` None: to the end of the file).

    `cut` is where the walk enters the range (from `find_cuts`, which walks
    the headers before `start` once for many parts); without it this call
    walks them itself.
    """
    return read_part_checked(path, start, end, cut)[0]


def read_part_checked(
    path: Path | str, start: int = 0, end: int | None = None, cut: Cut | None = None
) -> tuple[CapturePart, Cut]:
    """`read_part`, and where its walk left the range: the first record at or after `end` on the walk's path (the
    file size when there is none), with the pcapng state there. A part entered at that `Cut` continues the walk
    exactly; one entered anywhere else (a wrong guess, see `guess_cuts`) does not."""
    fh, name = _open(path)
    with fh:
        reader = _Reader(fh, name)
        kind, pcap_head = _start(reader)
        size = reader.size
        stop = size if end is None else min(end, size)
        start = min(max(start, 0), stop)
        section = _Section()
        if cut is None:
            cut = _cuts(reader, kind, pcap_head, [start])[0]
        elif cut.requested != start:
            raise ValueError(f"cut for byte {cut.requested} given for a part starting at {start}")
        section.endian, section.interfaces = cut.endian, list(cut.interfaces)
        reader.seek(cut.offset)
        if cut.offset >= size:
            reader.end_walk()
        stats = PartStats()
        table = FlowTable(name)
        left = _walk_to(reader, kind, pcap_head, section, table, stats, stop)
    part = CapturePart(
        path=name,
        kind=kind,
        size=size,
        ranges=((start, stop),) if stop > start else (),
        stats=stats,
        flows=table.state(),
    )
    return part, Cut(stop, left, section.endian, tuple(section.interfaces))


def find_cuts(path: Path | str, starts: Sequence[int]) -> list[Cut]:
    """For each byte in `starts` (ascending), where a part starting there enters the walk: one header walk."""
    fh, _name = _open(path)
    with fh:
        reader = _Reader(fh, str(path), map_file=False)
        kind, pcap_head = _start(reader)
        return _cuts(reader, kind, pcap_head, starts)


def guess_cuts(path: Path | str, starts: Sequence[int]) -> list[Cut] | None:
    """For each byte in `starts` (ascending), the first place at or after it where `GUESS_HOPS` valid headers chain:
    where a part starting there probably enters the walk, found without walking to it (None when a start has no such
    place within `RESYNC_WINDOW` bytes, or lies in the blocks walked for the pcapng state).

    A guess can be wrong: bytes inside a packet may look like a chain of
    headers, and a pcapng interface or section that appears after the blocks
    walked at the start (`GUESS_HEAD_BYTES`, at most half-way to the first
    start) changes the state a part must start with. So each guess is checked
    against where the walk of the part before it ended (`read_part_checked`).
    The first record at or after a start begins a chain of valid headers (in
    an undamaged stretch), so no guess lies past it: a guess is either right
    or earlier, and an earlier one is found out by that check.
    """
    fh, _name = _open(path)
    with fh:
        reader = _Reader(fh, str(path), map_file=False)
        kind, pcap_head = _start(reader)
        size = reader.size
        if kind == "pcap":
            assert pcap_head is not None
            head = Cut(0, _PCAP_FIRST_RECORD)
            length_at: Callable[[memoryview, int], int | None] = partial(
                _pcap_record_length, endian=pcap_head.endian, ts_unit=pcap_head.interface.ts_unit
            )
        else:
            head = _cuts(reader, kind, pcap_head, [min(GUESS_HEAD_BYTES, starts[0] // 2 if starts else 0)])[0]
            length_at = partial(_pcapng_block_length, endian=head.endian)
        out: list[Cut] = []
        for start in starts:
            if start <= head.offset:
                return None
            window = memoryview(os.pread(fh.fileno(), RESYNC_WINDOW, start))
            candidates = _header_candidates(window, kind, head.endian, -start % 4)
            found = _chain_start(window, length_at, candidates, start + len(window) >= size)
            if found is None:
                return None
            out.append(Cut(start, start + found, head.endian, head.interfaces))
        return out


def part_cuts(path: Path | str, starts: Sequence[int]) -> list[Cut]:
    """Where parts starting at `starts` enter the walk: guessed (`guess_cuts`, to be checked against the parts'
    walks) where every start has a guess, else found by one header walk (`find_cuts`)."""
    return guess_cuts(path, starts) or find_cuts(path, starts)


def _header_candidates(window: memoryview, kind: str, endian: str, aligned: int) -> npt.NDArray[np.int64]:
    """The offsets in the first `GUESS_SCAN` bytes of `window`, ascending, whose length fields could begin a valid pcap
    record (0 < captured <= wire <= `MAX_WIRELEN`) or pcapng block (a known type, a length of at least 12 and a
    multiple of 4, at offsets `aligned` + 4k): every offset `_pcap_record_length` or `_pcapng_block_length` accepts,
    found by numpy over the whole window instead of a call per byte (a damaged stretch or a section of the other
    byte order had 1 MB of calls to make)."""
    words_type = np.dtype(endian + "u4")
    found: list[npt.NDArray[np.int64]] = []
    for phase in range(4) if kind == "pcap" else (aligned,):
        count = (len(window) - phase) // 4
        if count < 2:  # no room for the two length fields
            continue
        words = np.frombuffer(window, dtype=words_type, count=count, offset=phase)
        if kind == "pcap":
            first, second = words[2:], words[3:]
            n = second.size
            ok = (first[:n] > 0) & (first[:n] <= second) & (second <= MAX_WIRELEN)
        else:
            first, second = words[:-1], words[1:]
            ok = np.isin(first, _PCAPNG_TYPE_CODES) & (second >= 12) & (second % 4 == 0)
        found.append(phase + 4 * np.flatnonzero(ok))
    offsets = np.sort(np.concatenate(found)) if found else np.empty(0, np.int64)
    return offsets[offsets < GUESS_SCAN]


def _chain_start(
    buf: memoryview,
    length_at: Callable[[memoryview, int], int | None],
    candidates: npt.NDArray[np.int64],
    at_eof: bool,
) -> int | None:
    """The first of `candidates` (offsets in `buf`, ascending) where `GUESS_HOPS` valid headers chain, or fewer end
    exactly at the end of the data when that is the end of the file; None when there is none."""
    offsets: list[int] = candidates.tolist()
    for cand in offsets:
        hops, here = _chain(buf, length_at, cand, GUESS_HOPS)
        if hops == GUESS_HOPS or (hops and at_eof and here == len(buf)):
            return cand
    return None


def _chain(buf: memoryview, length_at: Callable[[memoryview, int], int | None], at: int, most: int) -> tuple[int, int]:
    """How many valid headers (at most `most`) chain from `at`, each where the one before says the next starts, and
    where the last of them ends."""
    end = len(buf)
    here, hops = at, 0
    while hops < most and here < end:
        length = length_at(buf, here)
        if length is None:
            break
        here += length
        hops += 1
    return hops, here


def _cuts(reader: _Reader, kind: str, pcap_head: _PcapHead | None, starts: Sequence[int]) -> list[Cut]:
    """Walk the headers (no decoding) from the first record to each requested start in turn."""
    reader.seek(_PCAP_FIRST_RECORD if kind == "pcap" else 0)
    section = _Section()
    scratch = PartStats()
    out: list[Cut] = []
    for start in starts:
        offset = reader.offset if reader.done else _walk_to(reader, kind, pcap_head, section, None, scratch, start)
        out.append(Cut(start, offset, section.endian, tuple(section.interfaces)))
    return out


def _read_pcap(reader: _Reader, head: _PcapHead, table: FlowTable | None, stats: PartStats, stop: int) -> int:
    """Walk pcap records from the reader's offset (a record on the walk's path) to the first one at or after
    `stop`; with a table, decode and add them. Returns where it stopped (the file size where the walk ended)."""
    endian, iface = head.endian, head.interface
    big = endian == ">"
    need = CHUNK_BYTES
    while True:
        if reader.done or reader.offset >= stop:
            return reader.offset
        reader.fill(need)
        need = CHUNK_BYTES
        buf = reader.buf
        end = len(buf)
        base = reader.buf_start
        arr = np.frombuffer(buf, dtype=np.uint8)
        if table is not None and table.one_pass:  # the walk, the checks, the decode and the flows in one C pass
            off, status = _pcap_chunk(arr, end, stop - base, head, table, stats, base)
            damaged = status == WALK_DAMAGED
            finished = off >= stop - base
        else:
            starts, off, status = walk_pcap(arr, 0, end, big, MAX_CAPLEN)
            damaged = status == WALK_DAMAGED
            finished = off >= stop - base
            if finished:  # the records from `stop` on belong to the next part
                k = int(np.searchsorted(starts, stop - base))
                if k < starts.size:
                    starts, off = starts[:k], int(starts[k])
            if starts.size and table is not None:
                hdr = _words(arr, starts, endian, 4)
                starts, hdr = _plausible_pcap(starts, hdr, iface.ts_unit, base, stats)
                _pcap_batch(arr, starts, hdr, iface, table, stats, base)
        stats.bytes_read += off
        reader.pos = off
        if finished:
            return base + off
        if damaged:
            _resync_after_damage(
                reader,
                stats,
                lambda b, o: _pcap_record_length(b, o, endian, iface.ts_unit),
                1,
                "damaged record header",
                "record",
            )
            continue
        if reader.eof:
            tail = end - off
            record_length = partial(_pcap_record_length, endian=endian, ts_unit=iface.ts_unit)
            if tail and _records_follow(buf, off, end, record_length, 1):
                _resync_after_damage(
                    reader, stats, record_length, 1, "record length past the end of the file", "record"
                )
                continue
            if tail:
                stats.skip("truncated final record", 1, "packets", [base + off])
                stats.skip("truncated final record", tail, "bytes", [base + off])
            reader.end_walk()
            return reader.offset
        if off == 0 and end >= 16:  # a record longer than a chunk
            need = 16 + struct.unpack_from(endian + "I", buf, 8)[0]


def _resync_after_damage(
    reader: _Reader,
    stats: PartStats,
    length_at: Callable[[memoryview, int], int | None],
    step: int,
    what: str,
    unit: str,
) -> None:
    """After a damaged header at the reader's offset: skip to the next valid record or block, or end the walk."""
    at = reader.offset
    reader.fill(RESYNC_WINDOW + 64)
    found = _resync(reader.buf, length_at, step, min(len(reader.buf), RESYNC_WINDOW), step)
    stats.skip(f"damaged {unit}", 1, "packets", [at])
    if found is None:
        stats.skip(
            f"{what}; no valid {unit} within {RESYNC_WINDOW} bytes after it, rest of file unread",
            reader.size - at,
            "bytes",
            [at],
        )
        reader.end_walk()
        return
    stats.skip(f"{what}; bytes skipped up to the next valid {unit}", found, "bytes", [at])
    reader.pos = found


def _records_follow(
    buf: memoryview, off: int, end: int, length_at: Callable[[memoryview, int], int | None], step: int
) -> bool:
    """Whether valid records chain after `off`, whose record runs past the end of the data: then its length is
    damaged (the rest of the file is records to read), not the last record of a capture cut short."""
    return _resync(buf, length_at, off + step, min(end, off + step + RESYNC_WINDOW), step) is not None


def _resync(
    buf: memoryview, length_at: Callable[[memoryview, int], int | None], start: int, stop: int, step: int = 1
) -> int | None:
    """The first offset in buf[start:stop] (by `step`) where three records chain validly.

    A pcap has no marker to find the next record after a damaged header; a
    place where a valid header is followed by two more valid headers exactly
    where its length says (or by the end of the data) is taken as the next
    record. `length_at` gives a valid record's length, or None. Damaged files
    only: this is a plain loop.
    """
    for cand in range(start, stop, step):
        hops, here = _chain(buf, length_at, cand, 3)
        if hops == 3 or (hops and here == len(buf)):
            return cand
    return None


_PCAP_HEADER: dict[str, struct.Struct] = {"<": struct.Struct("<IIII"), ">": struct.Struct(">IIII")}


def _pcap_record_length(buf: memoryview, off: int, endian: str, ts_unit: float) -> int | None:
    """16 + captured length if a plausible pcap record header starts at `off`, else None."""
    if off + 16 > len(buf):
        return None
    sec, frac, caplen, wirelen = _PCAP_HEADER[endian].unpack_from(buf, off)
    if (
        0 < caplen <= wirelen <= MAX_WIRELEN
        and frac * ts_unit < 1.0
        and sec < LATEST_TIMESTAMP
        and off + 16 + caplen <= len(buf)
    ):
        return 16 + int(caplen)
    return None


_PCAPNG_TYPES = frozenset({1, 2, 3, 4, 5, 6, 0x0A0D0D0A, 0xA, 0xB})
_PCAPNG_TYPE_CODES = np.array(sorted(_PCAPNG_TYPES), dtype=np.uint32)


def _pcapng_block_length(buf: memoryview, off: int, endian: str) -> int | None:
    """The block's total length if a plausible pcapng block starts at `off` (its length is
    repeated at its end), else None."""
    if off + 12 > len(buf):
        return None
    btype, blen = struct.unpack_from(endian + "II", buf, off)
    if btype not in _PCAPNG_TYPES or blen < 12 or blen % 4 or blen > MAX_CAPLEN + 64:
        return None
    if off + blen > len(buf) or struct.unpack_from(endian + "I", buf, off + blen - 4)[0] != blen:
        return None
    return int(blen)


def _plausible_pcap(
    starts: npt.NDArray[np.int64], hdr: npt.NDArray[np.int64], ts_unit: float, base: int, stats: PartStats
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Drop records whose wire length or timestamp cannot be true, counting them by file offset."""
    bad_ts = (hdr[:, 1] * ts_unit >= 1.0) | (hdr[:, 0] >= LATEST_TIMESTAMP)
    bad_len = hdr[:, 3] > MAX_WIRELEN
    for mask, reason in (
        (bad_ts, "timestamp out of range"),
        (bad_len & ~bad_ts, "implausible wire length (damaged field)"),
    ):
        if mask.any():
            where = starts[mask][:MAX_POSITIONS] + base
            stats.skip(reason, int(mask.sum()), "packets", where.tolist())
    keep = ~(bad_ts | bad_len)
    if keep.all():
        return starts, hdr
    stats.packets += int((~keep).sum())
    return starts[keep], hdr[keep]


def _pcap_chunk(
    arr: npt.NDArray[np.uint8],
    end: int,
    limit: int,
    head: _PcapHead,
    table: FlowTable,
    stats: PartStats,
    base: int,
) -> tuple[int, int]:
    """The records of arr[:end] before `limit` walked, read, checked, decoded and added in one C pass
    (`FlowTable.add_pcap_walk`); the statistics as `_plausible_pcap` and `_decode` count them. Returns where the
    walk stopped and why, as `walk_pcap` says."""
    iface = head.interface
    out, off, status = table.add_pcap_walk(
        arr, end, limit, iface.link, base, head.endian, iface.ts_unit, LATEST_TIMESTAMP, MAX_WIRELEN, MAX_CAPLEN
    )
    for where, reason in (
        (out.bad_time, "timestamp out of range"),
        (out.bad_length, "implausible wire length (damaged field)"),
    ):
        if where.size:
            stats.skip(reason, int(where.size), "packets", where[:MAX_POSITIONS].tolist())
    stats.packets += out.bad_time.size + out.bad_length.size + out.packets
    _count_not_ip(out.not_ip, stats)
    return off, status


def _words(arr: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64], endian: str, count: int) -> npt.NDArray[np.int64]:
    """`count` consecutive 32-bit words at each start, as an (n, count) array (`walk.header_words`)."""
    return header_words(arr, starts, endian, count)


def _pcap_batch(
    arr: npt.NDArray[np.uint8],
    starts: npt.NDArray[np.int64],
    hdr: npt.NDArray[np.int64],
    iface: Interface,
    table: FlowTable,
    stats: PartStats,
    base: int,
) -> None:
    caplen = hdr[:, 2]
    wirelen = hdr[:, 3]
    ts = hdr[:, 0].astype(np.float64) + hdr[:, 1].astype(np.float64) * iface.ts_unit
    _decode(arr, starts + 16, caplen, wirelen, ts, iface.link, table, stats, base)


def _read_pcapng(reader: _Reader, section: _Section, table: FlowTable | None, stats: PartStats, stop: int) -> int:
    """Walk pcapng blocks from the reader's offset (a block on the walk's path) to the first one at or after
    `stop`; with a table, decode and add their packets. Each SHB may switch byte order and resets interfaces;
    packets are decoded with the interfaces declared before them. Returns where it stopped."""
    need = CHUNK_BYTES
    while True:
        if reader.done or reader.offset >= stop:
            return reader.offset
        reader.fill(need)
        need = CHUNK_BYTES
        buf = reader.buf
        end = len(buf)
        base = reader.buf_start
        limit = stop - base
        off = 0
        arr = np.frombuffer(buf, dtype=np.uint8)
        pending = _Pending()
        damaged: str | None = None
        finished = False
        blk = struct.Struct(section.endian + "II").unpack_from
        while off + 12 <= end:
            if off >= limit:
                finished = True
                break
            btype, blen = blk(buf, off)
            if btype == 0x0A0D0D0A:
                bom = bytes(buf[off + 8 : off + 12])
                if bom == b"\x4d\x3c\x2b\x1a":
                    new_endian = "<"
                elif bom == b"\x1a\x2b\x3c\x4d":
                    new_endian = ">"
                else:
                    damaged = "bad section header byte-order magic"
                    break
                if new_endian != section.endian:
                    _flush(pending, buf, section, table, stats, base)
                    section.endian = new_endian
                    blk = struct.Struct(section.endian + "II").unpack_from
                btype, blen = blk(buf, off)
                if blen < 28 or blen % 4 or blen > MAX_CAPLEN + 64:
                    damaged = f"bad section header length {blen}"
                    break
                if off + blen > end:
                    break
                _flush(pending, buf, section, table, stats, base)
                section.interfaces = []
                off += blen
                continue
            if btype == 6:
                starts, next_off, status = walk_epb(arr, off, end, section.endian == ">", MAX_CAPLEN + 64)
                k = int(np.searchsorted(starts, limit))
                if k < starts.size:  # the blocks from `stop` on belong to the next part
                    pending.epb.append(starts[:k])
                    off = int(starts[k])
                    finished = True
                    break
                pending.epb.append(starts)
                off = next_off
                if off >= limit:
                    finished = True
                    break
                if status == WALK_DAMAGED:
                    damaged = f"bad block length {blk(buf, off)[1]}"
                    break
                if status == WALK_OK:
                    break
                continue
            if blen < 12 or blen % 4 or blen > MAX_CAPLEN + 64:
                damaged = f"bad block length {blen}"
                break
            if off + blen > end:
                break
            if btype == 1:
                # packets before this interface was declared cannot use it
                _flush(pending, buf, section, table, stats, base)
                section.interfaces.append(_parse_idb(buf, off, blen, section.endian))
            elif btype == 3:
                _simple_packet(buf, off, blen, section.endian, section.interfaces, pending.packets)
            elif btype == 2:
                _obsolete_packet(buf, off, blen, section.endian, section.interfaces, pending.packets)
            off += blen
        if not finished and not damaged and off >= limit:
            finished = True
        _flush(pending, buf, section, table, stats, base)
        stats.bytes_read += off
        reader.pos = off
        if finished:
            return base + off
        if damaged:
            _resync_after_damage(
                reader, stats, partial(_pcapng_block_length, endian=section.endian), 4, damaged, "block"
            )
            continue
        if reader.eof:
            block_length = partial(_pcapng_block_length, endian=section.endian)
            if end - off and _records_follow(buf, off, end, block_length, 4):
                _resync_after_damage(reader, stats, block_length, 4, "block length past the end of the file", "block")
                continue
            if end - off:
                stats.skip("truncated final block", end - off, "bytes", [base + off])
            reader.end_walk()
            return reader.offset
        if end - off >= 8:
            need = max(CHUNK_BYTES, min(struct.unpack_from(section.endian + "I", buf, off + 4)[0], MAX_CAPLEN + 64))


@dataclass(slots=True)
class _Pending:
    """Packets found in a chunk and not yet decoded: runs of EPBs and other packet blocks."""

    epb: list[npt.NDArray[np.int64]] = field(default_factory=list)
    packets: _Packets = field(default_factory=_Packets)


def _flush(
    pending: _Pending, buf: memoryview, section: _Section, table: FlowTable | None, stats: PartStats, base: int
) -> None:
    """Decode the pending packets (with the interfaces in effect now) and start a new batch."""
    if table is not None:
        _flush_pcapng(buf, pending.epb, pending.packets, section.endian, section.interfaces, table, stats, base)
    pending.epb, pending.packets = [], _Packets()


def _parse_idb(buf: memoryview, off: int, blen: int, endian: str) -> Interface:
    link, _res, snaplen = struct.unpack_from(endian + "HHI", buf, off + 8)
    ts_unit = 1e-6
    ts_offset = 0.0
    opt = off + 16
    stop = off + blen - 4
    while opt + 4 <= stop:
        code, length = struct.unpack_from(endian + "HH", buf, opt)
        if code == 0:
            break
        value = bytes(buf[opt + 4 : opt + 4 + length])
        if code == 9 and length >= 1:
            r = value[0]
            ts_unit = 2.0 ** -(r & 0x7F) if r & 0x80 else 10.0**-r
        elif code == 14 and length == 8:
            ts_offset = float(struct.unpack_from(endian + "q", value)[0])
        opt += 4 + ((length + 3) & ~3)
    return Interface(link, ts_unit, ts_offset, snaplen)


def _simple_packet(buf: memoryview, off: int, blen: int, endian: str, ifaces: list[Interface], pk: _Packets) -> None:
    (wirelen,) = struct.unpack_from(endian + "I", buf, off + 8)
    caplen = min(wirelen, blen - 16)
    if ifaces and ifaces[0].snaplen:
        caplen = min(caplen, ifaces[0].snaplen)
    pk.data_off.append(off + 12)
    pk.caplen.append(caplen)
    pk.wirelen.append(wirelen)
    pk.ts.append(0.0)  # simple packet blocks carry no timestamp
    pk.iface.append(0)


def _obsolete_packet(buf: memoryview, off: int, blen: int, endian: str, ifaces: list[Interface], pk: _Packets) -> None:
    iface, _drops, hi, lo, caplen, wirelen = struct.unpack_from(endian + "HHIIII", buf, off + 8)
    unit = ifaces[iface].ts_unit if iface < len(ifaces) else 1e-6
    pk.data_off.append(off + 28)
    pk.caplen.append(min(caplen, blen - 32))
    pk.wirelen.append(wirelen)
    pk.ts.append(((hi << 32) | lo) * unit)
    pk.iface.append(iface)


def _flush_pcapng(
    buf: memoryview,
    epb: list[npt.NDArray[np.int64]],
    pk: _Packets,
    endian: str,
    ifaces: list[Interface],
    table: FlowTable,
    stats: PartStats,
    base: int,
) -> None:
    """Decode the packets found so far (in file order), each by its interface's link type."""
    starts = np.concatenate(epb) if epb else np.zeros(0, dtype=np.int64)
    if not starts.size and not pk.data_off:
        return
    arr = np.frombuffer(buf, dtype=np.uint8)
    words = _words(arr, starts, endian, 7)
    blen = words[:, 1]
    iface = words[:, 2]
    hi = words[:, 3].astype(np.uint64)
    lo = words[:, 4].astype(np.uint64)
    caplen = words[:, 5]
    wirelen = words[:, 6]
    caplen = np.minimum(caplen, blen - 32)
    raw_ts = ((hi << np.uint64(32)) | lo).astype(np.float64)
    data_off = starts + 28
    block = starts
    if pk.data_off:
        data_off = np.concatenate([data_off, np.asarray(pk.data_off, dtype=np.int64)])
        caplen = np.concatenate([caplen, np.asarray(pk.caplen, dtype=np.int64)])
        wirelen = np.concatenate([wirelen, np.asarray(pk.wirelen, dtype=np.int64)])
        iface = np.concatenate([iface, np.asarray(pk.iface, dtype=np.int64)])
        raw_ts = np.concatenate([raw_ts, np.zeros(len(pk.data_off))])
        block = np.concatenate([starts, np.asarray(pk.data_off, dtype=np.int64) - 12])
    if not ifaces:
        stats.skip("packet before any interface description block", int(data_off.size))
        return
    nif = len(ifaces)
    bad_if = iface >= nif
    if bad_if.any():
        stats.skip("packet names an undeclared interface", int(bad_if.sum()))
    unit = np.array([i.ts_unit for i in ifaces] + [0.0])
    shift = np.array([i.ts_offset for i in ifaces] + [0.0])
    links = np.array([i.link for i in ifaces] + [-1])
    ifx = np.where(bad_if, nif, iface)
    ts = raw_ts * unit[ifx] + shift[ifx]
    if pk.data_off:
        n_epb = starts.size
        ts[n_epb:] = np.where(raw_ts[n_epb:] == 0, ts[n_epb:], np.asarray(pk.ts))
    keep = np.flatnonzero(~bad_if)
    bad_ts = ~((ts >= 0) & (ts < LATEST_TIMESTAMP))
    bad_len = wirelen > MAX_WIRELEN
    if bad_ts.any() or bad_len.any():
        for mask, reason in (
            (bad_ts, "timestamp out of range"),
            (bad_len & ~bad_ts, "implausible wire length (damaged field)"),
        ):
            if mask.any():
                stats.skip(reason, int(mask.sum()), "packets", (block[mask] + base).tolist())
        plausible = ~(bad_ts | bad_len)
        stats.packets += int((~plausible).sum())
        keep = np.flatnonzero(plausible & ~bad_if)
    link_of = links[ifx]
    unsupported = ~np.isin(link_of, SUPPORTED_LINKS)
    for link in distinct(link_of[keep][unsupported[keep]]).tolist():
        m = int((link_of[keep] == link).sum())
        stats.non_ip[f"link type {link}"] += m
        stats.packets += m
    keep = keep[~unsupported[keep]]
    if pk.data_off:
        keep = keep[np.argsort(data_off[keep], kind="stable")]
    _decode(arr, data_off[keep], caplen[keep], wirelen[keep], ts[keep], link_of[keep], table, stats, base)


_ETHERTYPE_NAMES = {
    0x86DD: "IPv6",
    0x0806: "ARP",
    0x8892: "PROFINET RT",
    0x88CC: "LLDP",
    0x88A4: "EtherCAT",
    0x88AB: "POWERLINK",
    0x88B8: "GOOSE",
    0x88BA: "SV",
}


def _decode_links(
    arr: npt.NDArray[np.uint8],
    off: npt.NDArray[np.int64],
    caplen: npt.NDArray[np.int64],
    link: int | npt.NDArray[np.int64],
) -> Decoded:
    """`decode.decode` (C, or numpy without a compiler) of packets whose link types may differ, in the order given."""
    if isinstance(link, int):
        return decode_headers(arr, off, caplen, link)
    kinds = distinct(link).tolist()
    if len(kinds) == 1:
        return decode_headers(arr, off, caplen, int(kinds[0]))
    parts = [(np.flatnonzero(link == k), decode_headers(arr, off[link == k], caplen[link == k], int(k))) for k in kinds]
    out: list[np.ndarray] = []
    for name in Decoded.__slots__:
        first = getattr(parts[0][1], name)
        column = np.empty((off.size, *first.shape[1:]), dtype=first.dtype)
        for rows, d in parts:
            column[rows] = getattr(d, name)
        out.append(column)
    return Decoded(*out)


def _count_not_ip(etypes: npt.NDArray[np.int64], stats: PartStats) -> None:
    """Count the packets that were not IPv4 or IPv6, by what they were (`decode.Decoded.etype`)."""
    if not etypes.size:
        return
    for e, c in zip(*np.unique(etypes, return_counts=True), strict=True):
        e = int(e)
        what = _ETHERTYPE_NAMES.get(e) if e != 0x86DD else "bad IPv6 header"
        what = what or ("too short" if e < 0 else f"ethertype 0x{e:04x}" if e != 0x0800 else "bad IPv4 header")
        stats.non_ip[what] += int(c)


def _decode(
    arr: npt.NDArray[np.uint8],
    off: npt.NDArray[np.int64],
    caplen: npt.NDArray[np.int64],
    wirelen: npt.NDArray[np.int64],
    ts: npt.NDArray[np.float64],
    link: int | npt.NDArray[np.int64],
    table: FlowTable,
    stats: PartStats,
    base: int,
) -> None:
    """Decode packets (in file order) and add the IP ones to the table as one batch."""
    stats.packets += off.size
    if not off.size:
        return
    if table.one_pass:
        links = np.array([link], dtype=np.int64) if isinstance(link, int) else link
        _count_not_ip(table.add_chunk(arr, off, links, base, columns=(caplen, wirelen, ts)).not_ip, stats)
        return
    d = _decode_links(arr, off, caplen, link)
    usable = d.ipver != 0
    if not usable.all():
        _count_not_ip(d.etype[~usable], stats)
    keep = np.flatnonzero(usable)
    if not keep.size:
        return
    if keep.size < usable.size:
        d = Decoded(*(getattr(d, name)[keep] for name in Decoded.__slots__))
        wirelen, ts, off = wirelen[keep], ts[keep], off[keep]
    ipver, addr = d.ipver, d.addr
    src = np.empty(keep.size, dtype=np.int64)
    dst = np.empty(keep.size, dtype=np.int64)
    # Host numbers are handed out IPv4 first, then IPv6, each in address order (as the numbering always was).
    v4 = np.flatnonzero(ipver == 4)
    if v4.size == keep.size:  # only IPv4 (the usual chunk): the addresses as they are, no gather or scatter
        ids = table.host_ids_v4(np.ascontiguousarray(addr[:, :8]).view(">u4").reshape(-1))
        src, dst = ids[0::2], ids[1::2]
    elif v4.size:
        ids = table.host_ids_v4(np.ascontiguousarray(addr[v4, :8]).view(">u4").reshape(-1))
        src[v4], dst[v4] = ids[0::2], ids[1::2]
    v6 = np.flatnonzero(ipver == 6)
    if v6.size:
        ids = table.host_ids_v6(addr[v6].reshape(-1, 16)).reshape(-1, 2)
        src[v6], dst[v6] = ids[:, 0], ids[:, 1]
    table.add(
        PacketBatch(
            buf=arr,
            src=src,
            dst=dst,
            proto=d.proto,
            sport=d.sport,
            dport=d.dport,
            wire_len=wirelen,
            ts=ts,
            payload_off=d.payload_off,
            payload_len=d.payload_len,
            src_mac=d.src_mac,
            dst_mac=d.dst_mac,
            tcp_flags=d.tcp_flags,
            pos=off + base,
            file_base=base,
        )
    )
