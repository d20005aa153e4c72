"""Streaming pcap / pcapng reader: chunked, with vectorised header decoding.

The file is read in large chunks. A tight loop walks the record (pcap) or
block (pcapng) headers to find where each packet starts (`walk`); the link,
IP and TCP/UDP fields of all packets of a chunk are then decoded into columns
in one pass (`decode`; both in C where the install compiled them, else numpy)
and handed to a `FlowTable`. Memory is bounded by the chunk size plus the
number of flows.

Damage is reported, never fatal past the file header: a record whose length
fields are impossible stops the walk (pcap has no resynchronisation marker)
and the unread bytes are counted as skipped; a truncated final record is
counted too.
"""

from __future__ import annotations

import struct
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from io import BufferedReader
from pathlib import Path

import numpy as np
import numpy.typing as npt

from factorysec.discovery.decode import Decoded
from factorysec.discovery.decode import decode as decode_headers
from factorysec.discovery.flowtable import FlowTable, PacketBatch
from factorysec.discovery.types import (
    DiscoveryInputError,
    FlowRecord,
    SkipCount,
    SourceStats,
)
from factorysec.discovery.walk import WALK_DAMAGED, WALK_OK, walk_epb, walk_pcap

CHUNK_BYTES = 8 << 20
MAX_CAPLEN = 1 << 18 << 4  # 4 MiB: anything larger is a damaged length field
MAX_WIRELEN = 1 << 18
"""256 KiB: above any IP packet (64 KiB) even with offloaded segmentation; more is a damaged field."""
LATEST_TIMESTAMP = 4102444800.0
"""2100-01-01: a packet stamped later has a damaged timestamp."""
RESYNC_WINDOW = 1 << 20
"""How far past a damaged record header the reader looks for the next valid record."""
MAX_POSITIONS = 10

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


@dataclass(slots=True)
class _Packets:
    """Packet locations in a chunk, accumulated by the header walk."""

    data_off: list[int] = field(default_factory=list)
    caplen: list[int] = field(default_factory=list)
    wirelen: list[int] = field(default_factory=list)
    ts: list[float] = field(default_factory=list)
    iface: list[int] = field(default_factory=list)


@dataclass(slots=True)
class _Stats:
    packets: int = 0
    bytes_read: int = 0
    non_ip: Counter[str] = field(default_factory=Counter)
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)
    positions: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def skip(self, reason: str, count: int, unit: str = "packets", at: list[int] | tuple[int, ...] = ()) -> None:
        """Count `count` skipped units; `at` gives file offsets of the first few."""
        self.skipped[(reason, unit)] += count
        where = self.positions.setdefault((reason, unit), [])
        where.extend(at[: max(0, MAX_POSITIONS - len(where))])


@dataclass(slots=True)
class _Interface:
    link: int
    ts_unit: float
    ts_offset: float
    snaplen: int


class _Reader:
    """Holds the open file and the rolling chunk buffer."""

    def __init__(self, fh: BufferedReader, path: str) -> None:
        self.fh = fh
        self.path = path
        self.buf: memoryview = memoryview(b"")
        self._store = bytearray()
        self.pos = 0  # offset in buf of the next unread byte
        self.eof = False

    def fill(self, need: int = CHUNK_BYTES) -> None:
        """Keep the unconsumed tail, then read until `need` bytes are buffered (or EOF).

        Reads go into one reusable buffer (readinto), so a chunk is never copied.
        """
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
        self.pos = 0


def read_capture(path: Path | str, table: FlowTable | None = None) -> tuple[list[FlowRecord], SourceStats]:
    """Read a pcap or pcapng file into flow records and read statistics.

    Raises `DiscoveryInputError` when the file is not a capture or its header
    is unusable; damage later in the file is reported in the statistics.
    """
    p = Path(path)
    name = str(path)
    table = table or FlowTable(name)
    stats = _Stats()
    try:
        fh = p.open("rb")
    except OSError as e:
        raise DiscoveryInputError(name, f"cannot open: {e.strerror}") from e
    with fh:
        reader = _Reader(fh, name)
        reader.fill(24)
        magic = bytes(reader.buf[:4])
        if magic in PCAP_MAGICS:
            kind = "pcap"
            _read_pcap(reader, table, stats)
        elif magic == PCAPNG_SHB:
            kind = "pcapng"
            _read_pcapng(reader, table, stats)
        else:
            raise DiscoveryInputError(name, "not a pcap or pcapng file (unknown magic number)")
    skipped = [
        SkipCount(reason=r, count=c, unit=u, positions=tuple(f"byte {b}" for b in stats.positions.get((r, u), ())))
        for (r, u), c in sorted(stats.skipped.items())
    ]
    skipped += [
        SkipCount(reason=f"not IP ({what})", count=c, unit="packets") for what, c in sorted(stats.non_ip.items())
    ]
    records = table.records()
    identities = table.identities()
    return records, SourceStats(
        identities=identities,
        path=name,
        kind=kind,
        records=stats.packets,
        bytes_read=stats.bytes_read,
        flows=len(records),
        skipped=tuple(skipped),
    )


def _read_pcap(reader: _Reader, table: FlowTable, stats: _Stats) -> None:
    buf = reader.buf
    if len(buf) < 24:
        raise DiscoveryInputError(reader.path, "truncated pcap file header (less than 24 bytes)")
    endian, ts_unit = PCAP_MAGICS[bytes(buf[:4])]
    _major, _minor, _zone, _sig, snaplen, link = struct.unpack_from(endian + "HHiIII", buf, 4)
    link &= 0xFFFF
    if link not in SUPPORTED_LINKS:
        raise DiscoveryInputError(reader.path, f"unsupported link type {link}")
    iface = _Interface(link, ts_unit, 0.0, snaplen)
    reader.pos = 24
    big = endian == ">"
    base = 24  # file offset of reader.buf[0] after the next fill
    while True:
        reader.fill()
        buf = reader.buf
        end = len(buf)
        arr = np.frombuffer(buf, dtype=np.uint8)
        starts, off, status = walk_pcap(arr, 0, end, big, MAX_CAPLEN)
        damaged = status == WALK_DAMAGED
        if starts.size:
            hdr = _words(arr, starts, endian, 4)
            bad = np.flatnonzero((hdr[:, 2] > hdr[:, 3]) & (hdr[:, 3] != 0))
            if bad.size:
                starts, hdr, off, damaged = starts[: bad[0]], hdr[: bad[0]], int(starts[bad[0]]), True
            starts, hdr = _plausible_pcap(starts, hdr, ts_unit, base, stats)
            _pcap_batch(arr, starts, hdr, iface, table, stats, base)
        stats.bytes_read += off
        reader.pos = off
        base += off
        if damaged:
            reader.fill(RESYNC_WINDOW + 64)
            found = _resync(
                reader.buf,
                lambda b, o: _pcap_record_length(b, o, endian, ts_unit),
                1,
                min(len(reader.buf), RESYNC_WINDOW),
            )
            if found is None:
                left = len(reader.buf) - reader.pos + _remaining(reader)
                stats.skip(
                    f"damaged record header; no valid record within {RESYNC_WINDOW} "
                    "bytes after it, rest of file unread",
                    left,
                    "bytes",
                    [base],
                )
                stats.skip("damaged record", 1, "packets", [base])
                return
            stats.skip("damaged record header; bytes skipped up to the next valid record", found, "bytes", [base])
            stats.skip("damaged record", 1, "packets", [base])
            reader.pos = found
            base += found
            continue
        if reader.eof:
            tail = end - off
            if tail:
                stats.skip("truncated final record", 1, "packets", [base])
                stats.skip("truncated final record", tail, "bytes", [base])
            return


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
    end = len(buf)
    for cand in range(start, stop, step):
        here = cand
        hops = 0
        while hops < 3 and here < end:
            length = length_at(buf, here)
            if length is None:
                break
            here += length
            hops += 1
        if hops == 3 or (hops and here == end):
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
    starts: npt.NDArray[np.int64], hdr: npt.NDArray[np.int64], ts_unit: float, base: int, stats: _Stats
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


def _remaining(reader: _Reader) -> int:
    """Bytes not yet read from the file (for skip reports)."""
    here = reader.fh.tell()
    reader.fh.seek(0, 2)
    size = reader.fh.tell()
    reader.fh.seek(here)
    return size - here


def _words(arr: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64], endian: str, count: int) -> npt.NDArray[np.int64]:
    """`count` consecutive 32-bit words at each start, as an (n, count) array, in one gather."""
    raw = arr.take(starts[:, None] + np.arange(4 * count), mode="clip")
    return raw.view(endian + "u4").astype(np.int64)


def _pcap_batch(
    arr: npt.NDArray[np.uint8],
    starts: npt.NDArray[np.int64],
    hdr: npt.NDArray[np.int64],
    iface: _Interface,
    table: FlowTable,
    stats: _Stats,
    base: int,
) -> None:
    caplen = hdr[:, 2]
    wirelen = hdr[:, 3]
    ts = hdr[:, 0].astype(np.float64) + hdr[:, 1].astype(np.float64) * iface.ts_unit
    _decode(arr, starts + 16, caplen, wirelen, ts, iface.link, table, stats, base)


def _read_pcapng(reader: _Reader, table: FlowTable, stats: _Stats) -> None:
    """Walk pcapng sections; each SHB may switch byte order and resets interfaces."""
    if len(reader.buf) < 28:
        raise DiscoveryInputError(
            reader.path, f"truncated pcapng section header ({len(reader.buf)} bytes, at least 28 needed)"
        )
    endian = "<"
    ifaces: list[_Interface] = []
    base = 0
    while True:
        reader.fill()
        buf = reader.buf
        end = len(buf)
        off = 0
        arr = np.frombuffer(buf, dtype=np.uint8)
        pk = _Packets()
        epb: list[npt.NDArray[np.int64]] = []
        damaged: str | None = None
        blk = struct.Struct(endian + "II").unpack_from
        while off + 12 <= end:
            btype, blen = blk(buf, off)
            if btype == 0x0A0D0D0A:
                if off + 12 > end:
                    break
                bom = bytes(buf[off + 8 : off + 12])
                if bom == b"\x4d\x3c\x2b\x1a":
                    new_endian = "<"
                elif bom == b"\x1a\x2b\x3c\x4d":
                    new_endian = ">"
                else:
                    damaged = "bad section header byte-order magic"
                    break
                if new_endian != endian:
                    _flush_pcapng(buf, epb, pk, endian, ifaces, table, stats, base)
                    epb, pk = [], _Packets()
                    endian = new_endian
                    blk = struct.Struct(endian + "II").unpack_from
                btype, blen = blk(buf, off)
                if blen < 28 or blen % 4:
                    damaged = f"bad section header length {blen}"
                    break
                if off + blen > end:
                    break
                _flush_pcapng(buf, epb, pk, endian, ifaces, table, stats, base)
                epb, pk = [], _Packets()
                ifaces = []
                off += blen
                continue
            if btype == 6:
                starts, off, status = walk_epb(arr, off, end, endian == ">", MAX_CAPLEN + 64)
                epb.append(starts)
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
                ifaces.append(_parse_idb(buf, off, blen, endian))
            elif btype == 3:
                _simple_packet(buf, off, blen, endian, ifaces, pk)
            elif btype == 2:
                _obsolete_packet(buf, off, blen, endian, ifaces, pk)
            off += blen
        _flush_pcapng(buf, epb, pk, endian, ifaces, table, stats, base)
        stats.bytes_read += off
        base += off
        reader.pos = off
        if damaged:
            reader.fill(RESYNC_WINDOW + 64)
            found = _resync(
                reader.buf,
                partial(_pcapng_block_length, endian=endian),
                4,
                min(len(reader.buf), RESYNC_WINDOW),
                4,
            )
            stats.skip("damaged block", 1, "packets", [base])
            if found is None:
                left = len(reader.buf) - reader.pos + _remaining(reader)
                stats.skip(
                    f"{damaged}; no valid block within {RESYNC_WINDOW} bytes after it, rest of file unread",
                    left,
                    "bytes",
                    [base],
                )
                return
            stats.skip(f"{damaged}; bytes skipped up to the next valid block", found, "bytes", [base])
            reader.pos = found
            base += found
            continue
        if reader.eof:
            if end - off:
                stats.skip("truncated final block", end - off, "bytes", [base])
            return
        need = 12
        if end - off >= 8:
            need = max(need, struct.unpack_from(endian + "I", buf, off + 4)[0])
        if need > CHUNK_BYTES:
            reader.fill(need)


def _parse_idb(buf: memoryview, off: int, blen: int, endian: str) -> _Interface:
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
    return _Interface(link, ts_unit, ts_offset, snaplen)


def _simple_packet(buf: memoryview, off: int, blen: int, endian: str, ifaces: list[_Interface], pk: _Packets) -> None:
    (wirelen,) = struct.unpack_from(endian + "I", buf, off + 8)
    caplen = min(wirelen, blen - 16)
    if ifaces and ifaces[0].snaplen:
        caplen = min(caplen, ifaces[0].snaplen)
    pk.data_off.append(off + 12)
    pk.caplen.append(caplen)
    pk.wirelen.append(wirelen)
    pk.ts.append(0.0)  # simple packet blocks carry no timestamp
    pk.iface.append(0)


def _obsolete_packet(buf: memoryview, off: int, blen: int, endian: str, ifaces: list[_Interface], pk: _Packets) -> None:
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
    ifaces: list[_Interface],
    table: FlowTable,
    stats: _Stats,
    base: int,
) -> None:
    """Decode the packets found so far, grouped by interface link type."""
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
    if pk.data_off:
        data_off = np.concatenate([data_off, np.asarray(pk.data_off, dtype=np.int64)])
        caplen = np.concatenate([caplen, np.asarray(pk.caplen, dtype=np.int64)])
        wirelen = np.concatenate([wirelen, np.asarray(pk.wirelen, dtype=np.int64)])
        iface = np.concatenate([iface, np.asarray(pk.iface, dtype=np.int64)])
        raw_ts = np.concatenate([raw_ts, np.zeros(len(pk.data_off))])
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
    bad_ts = ~((ts >= 0) & (ts < LATEST_TIMESTAMP))
    bad_len = wirelen > MAX_WIRELEN
    if bad_ts.any() or bad_len.any():
        block = np.concatenate([starts, np.asarray(pk.data_off, dtype=np.int64) - 12]) + base
        for mask, reason in (
            (bad_ts, "timestamp out of range"),
            (bad_len & ~bad_ts, "implausible wire length (damaged field)"),
        ):
            if mask.any():
                stats.skip(reason, int(mask.sum()), "packets", block[mask][:MAX_POSITIONS].tolist())
        keep = np.flatnonzero(~(bad_ts | bad_len))
        stats.packets += data_off.size - keep.size
        data_off, caplen, wirelen, ts, ifx, bad_if = (
            data_off[keep],
            caplen[keep],
            wirelen[keep],
            ts[keep],
            ifx[keep],
            bad_if[keep],
        )
    link_of = links[ifx]
    for link in np.unique(link_of).tolist():
        if link < 0:
            continue
        m = link_of == link
        if link not in SUPPORTED_LINKS:
            stats.non_ip[f"link type {link}"] += int(m.sum())
            stats.packets += int(m.sum())
            continue
        _decode(arr, data_off[m], caplen[m], wirelen[m], ts[m], link, table, stats, base)


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


def _decode(
    arr: npt.NDArray[np.uint8],
    off: npt.NDArray[np.int64],
    caplen: npt.NDArray[np.int64],
    wirelen: npt.NDArray[np.int64],
    ts: npt.NDArray[np.float64],
    link: int,
    table: FlowTable,
    stats: _Stats,
    base: int,
) -> None:
    """Decode one link type's packets (`decode.decode`: C, or numpy without a compiler), then aggregate."""
    stats.packets += off.size
    d = decode_headers(arr, off, caplen, link)
    usable = d.ipver != 0
    if not usable.all():
        other = d.etype[~usable]
        for e, c in zip(*np.unique(other, return_counts=True), strict=True):
            e = int(e)
            what = _ETHERTYPE_NAMES.get(e) if e != 0x86DD else "bad IPv6 header"
            what = what or ("too short" if e < 0 else f"ethertype 0x{e:04x}" if e != 0x0800 else "bad IPv4 header")
            stats.non_ip[what] += int(c)
    keep = np.flatnonzero(usable)
    if not keep.size:
        return
    if keep.size < usable.size:
        d = Decoded(*(getattr(d, name)[keep] for name in Decoded.__slots__))
        wirelen, ts = wirelen[keep], ts[keep]
    ipver, addr = d.ipver, d.addr
    src = np.empty(keep.size, dtype=np.int64)
    dst = np.empty(keep.size, dtype=np.int64)
    # Host numbers are handed out IPv4 first, then IPv6, each in address order (as the numbering always was).
    v4 = np.flatnonzero(ipver == 4)
    if v4.size:
        ids = table.host_ids_v4(np.ascontiguousarray(addr[v4, :8]).view(">u4").reshape(-1).astype(np.uint32))
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
            file_base=base,
        )
    )
