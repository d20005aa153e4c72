"""Vectorised aggregation of decoded packet batches, per direction of each connection.

A batch is a set of numpy arrays, one element per IPv4 or IPv6 packet (see
`PacketBatch`). The table keeps one row per *side*: a directed 5-tuple
(sender, receiver, transport, sender port, receiver port). Which side is the
client cannot be known while reading, since evidence for a connection may come
later in the file or in another part of it (`--jobs` reads one big capture in
parts), so the table records what decides it instead, with each piece's file
position:

- packets, bytes, first and last time, and the first packet's position and MACs;
- the first TCP SYN (with or without ACK) and the first payload that shows who
  asks (`_sender_is_client`);
- the first `PAYLOAD_SAMPLES` payloads, as verdicts of the protocol signature
  of either possible server port (the receiver's or the sender's);
- control operations as if the sender were the client (the only case they count);
- device identities in its payloads, with the orientations under which each counts.

`mergeable.finish_flows` turns that into flow records, and `mergeable.merge_states`
merges the states of several parts of one capture; both decide by position
("first" means lowest file offset), so merging parts in any order and grouping
gives exactly what one table over the whole file gives. Memory grows with the
number of sides (connections, both ways), never with packets. Sides and hosts
are numbered through hash tables (`intern.KeyIndex`, in C where built), so a
chunk's packets are never sorted to find them.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, Protocol

import numpy as np
import numpy.typing as npt

from factorysec.discovery import identity as identity_parsers
from factorysec.discovery import protocols as P
from factorysec.discovery.intern import KeyIndex, accumulate
from factorysec.discovery.types import DeviceIdentity
from factorysec.discovery.walk import walk_pcap

U8 = npt.NDArray[np.uint8]
I8 = npt.NDArray[np.int8]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
U64 = npt.NDArray[np.uint64]
Mask = npt.NDArray[np.bool_]
SideColumns = tuple[I64, I64, F64, F64, I64, U64, U64, Mask, I64, Mask, I64, Mask, I64]
"""The per-side arrays ``_walk.c`` updates: packets, bytes, first and last time, first position, source and
destination MAC, inspect, SYN position, SYN without ACK, says position, says the sender is the client, samples."""


class _CompiledMarks(Protocol):
    def marks(
        self,
        buf: U8,
        proto: U8,
        sport: I64,
        dport: I64,
        payload_off: I64,
        payload_len: I64,
        op_table: I64,
        says: I64,
        op_code: I64,
        identity: U8,
        /,
    ) -> None: ...


def _load_compiled() -> _CompiledMarks | None:
    try:
        from factorysec.discovery import _walk
    except ImportError:  # installed where no C compiler was found: the numpy versions below do the work
        return None
    return _walk if hasattr(_walk, "marks") else None


_compiled_marks = _load_compiled()


class _CompiledSides(Protocol):
    def update_sides(
        self,
        side: I64,
        proto: U8,
        sport: I64,
        dport: I64,
        tcp_flags: I64,
        wire_len: I64,
        ts: F64,
        pos: I64,
        src_mac: U64,
        dst_mac: U64,
        says: I64,
        needs: Mask,
        side_columns: SideColumns,
        no_position: int,
        /,
    ) -> None: ...


def _load_compiled_sides() -> _CompiledSides | None:
    try:
        from factorysec.discovery import _walk
    except ImportError:  # no C compiler at install: the numpy version does the work
        return None
    return _walk if hasattr(_walk, "update_sides") else None


_compiled_sides = _load_compiled_sides()


class _CompiledChunk(Protocol):
    def chunk_flows(self, *args: object) -> tuple[int, int, int, int, int, int, int, int, int, int]: ...


def _load_compiled_chunk() -> _CompiledChunk | None:
    try:
        from factorysec.discovery import _walk
    except ImportError:  # no C compiler at install: the chunk is decoded into columns and added as a batch
        return None
    return _walk if hasattr(_walk, "chunk_flows") else None


_compiled_chunk = _load_compiled_chunk()
COMPILED_CHUNK = _compiled_chunk is not None
"""Whether the one-pass chunk step (``chunk_flows`` in ``_walk.c``) was built; see `FlowTable.add_chunk`."""

PAYLOAD_SAMPLES = 3
PAYLOAD_BYTES = 64
IDENTITIES_PER_HOST = 3
"""Identity replies parsed per host and protocol; later ones repeat what is known."""
MAX_HOSTS = 1 << 20
NO_POSITION = np.iinfo(np.int64).max
"""Position of something not seen (sorts after every real file offset)."""
_V6_TAG = 1 << 128
"""Added to an IPv6 address's integer so it never equals an IPv4 one in the host index."""

SENDER_IS_CLIENT = 1
SENDER_IS_SERVER = 2
"""Orientation bits: under which orientation of its side a found identity counts."""

IDENT_ENIP_TO_SERVER, IDENT_ENIP_FROM_SERVER, IDENT_MODBUS, IDENT_S7_SZL, IDENT_SNMP, IDENT_S7_PLUS = 1, 2, 4, 8, 16, 32
"""`PayloadMarks.identity` bits: an EtherNet/IP List Identity sent to or from port 44818, a Modbus Read Device
Identification reply, an S7 SZL reply, an SNMP reply, an S7comm-Plus CreateObject response (the same values as in
``_walk.c``)."""
_IDENT_REPLIES = (
    (IDENT_MODBUS, "modbus-tcp"),
    (IDENT_S7_SZL, "s7comm"),
    (IDENT_SNMP, "snmp"),
    (IDENT_S7_PLUS, "s7comm-plus"),
)

VERDICT_NONE, VERDICT_FALSE, VERDICT_TRUE = 0, 1, 2
VERDICT_MEMO = 1 << 16
"""Payload samples whose verdicts a table remembers (then it starts again): a bound on its memory."""
"""A protocol signature's verdict on one payload (`None`: cannot tell, or no signature for the port)."""


def distinct(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The distinct values, sorted: `np.unique` without its plain form, which imports numpy.ma (0.1 s of start-up)."""
    found: npt.NDArray[np.int64] = np.unique(values, return_index=True)[0]
    return found


def ip_text(value: int) -> str:
    """An address from its host-table integer (IPv6 ones carry `_V6_TAG`)."""
    if value >= _V6_TAG:
        return str(ipaddress.IPv6Address(value - _V6_TAG))
    return socket.inet_ntoa(value.to_bytes(4, "big"))


def ip_value(text: str) -> int:
    """The host-table integer of an address (inverse of `ip_text`)."""
    address = ipaddress.ip_address(text)
    return int(address) + (_V6_TAG if address.version == 6 else 0)


def _verdict(ip_proto: int, port: int, payload: bytes) -> int:
    """`signature_verdict` of a payload sent to a server on `port`; `VERDICT_NONE` where no signature applies there
    (a port of -1 says so without a look)."""
    if port < 0 or _check_for(ip_proto, port) is None:
        return VERDICT_NONE
    return signature_verdict(ip_proto, port, payload)


def _needs_check_table() -> npt.NDArray[np.bool_]:
    """needs[ip_proto_index, port]: a protocol signature applies to a server on that port (0 TCP, 1 UDP, 2 other)."""
    needs = np.zeros((3, 65536), dtype=np.bool_)
    for spec in P.PROTOCOLS:
        if spec.check is not None:
            needs[0, list(spec.tcp_ports)] = True
            needs[1, list(spec.udp_ports)] = True
    return needs


NEEDS_CHECK = _needs_check_table()
_IDENTITY_PORTS = np.zeros(65536, dtype=np.bool_)
_IDENTITY_PORTS[[44818, 502, 102, 161]] = True
"""Server ports whose replies may carry a device identity (see `identity`)."""


def proto_index(proto: npt.NDArray[np.integer]) -> I64:
    """0 for TCP, 1 for UDP, 2 for anything else (the first index of the port tables)."""
    return np.where(proto == P.IP_PROTO_TCP, 0, np.where(proto == P.IP_PROTO_UDP, 1, 2)).astype(np.int64)


def side_keys(src: I64, dst: I64, proto: npt.NDArray[np.integer], sport: I64, dport: I64) -> U64:
    """The (n, 2) key of each packet's side: sender, receiver, transport and sender port; receiver port."""
    keys = np.empty((src.size, 2), dtype=np.uint64)
    keys[:, 0] = (
        (src.astype(np.uint64) << np.uint64(44))
        | (dst.astype(np.uint64) << np.uint64(24))
        | (proto.astype(np.uint64) << np.uint64(16))
        | sport.astype(np.uint64)
    )
    keys[:, 1] = dport.astype(np.uint64)
    return keys


def split_side_keys(keys: U64) -> tuple[I64, I64, I64, I64, I64]:
    """(sender, receiver, transport, sender port, receiver port) of each side key."""
    w = keys[:, 0]
    return (
        (w >> np.uint64(44)).astype(np.int64),
        ((w >> np.uint64(24)) & np.uint64(0xFFFFF)).astype(np.int64),
        ((w >> np.uint64(16)) & np.uint64(0xFF)).astype(np.int64),
        (w & np.uint64(0xFFFF)).astype(np.int64),
        keys[:, 1].astype(np.int64),
    )


_CHECKS: dict[tuple[int, int], Callable[[bytes], bool | None] | None] = {}


def _check_for(ip_proto: int, port: int) -> Callable[[bytes], bool | None] | None:
    """The signature of the protocol registered for a server on `port`, if it has one (looked up once)."""
    key = (ip_proto, port)
    if key not in _CHECKS:
        spec = P.by_port(ip_proto, port)
        _CHECKS[key] = spec.check if spec is not None else None
    return _CHECKS[key]


def signature_verdict(ip_proto: int, port: int, payload: bytes) -> int:
    """The verdict of the signature of the protocol registered for a server on `port` (as `P.recognise` asks it)."""
    check = _check_for(ip_proto, port)
    if check is None:
        return VERDICT_NONE
    verdict = check(payload)
    return VERDICT_TRUE if verdict is True else VERDICT_FALSE if verdict is False else VERDICT_NONE


@dataclass(slots=True)
class PacketBatch:
    """Decoded IP packets of one chunk, in file order; `buf` holds the raw bytes payloads point into.

    `src` and `dst` are host numbers from `FlowTable.host_ids_v4` / `host_ids_v6`;
    `pos` is each packet's file offset (strictly increasing within the batch).
    """

    buf: U8
    src: I64
    dst: I64
    proto: U8
    sport: npt.NDArray[np.int64]
    dport: npt.NDArray[np.int64]
    wire_len: I64
    ts: F64
    payload_off: I64
    payload_len: I64
    src_mac: U64
    dst_mac: U64
    tcp_flags: I64
    pos: I64
    file_base: int = 0
    """File offset of buf[0], so a payload can be named by its place in the file."""


def _gather(buf: U8, idx: I64) -> npt.NDArray[np.int64]:
    """buf[idx] as int64, with out-of-range indices reading as 0 (masked by callers)."""
    return buf.take(idx, mode="clip").astype(np.int64)


def _s7_plus(buf: U8, p0: I64, pl: I64, s7: I64) -> npt.NDArray[np.bool_]:
    """Payloads (TPKT and COTP data already past) holding an S7comm-Plus header of protocol version 1 or 2 with its
    opcode and function: 0x72, version, data length (2), opcode (0x31 request, 0x32 response, 0x33 notification),
    2 reserved bytes, function (2)."""
    version = _gather(buf, s7 + 1)
    ok: npt.NDArray[np.bool_] = (
        (pl >= 17)
        & (_gather(buf, p0) == 3)
        & ((_gather(buf, p0 + 5) & 0xF0) == 0xF0)
        & (_gather(buf, s7) == 0x72)
        & ((version == 1) | (version == 2))
        & (s7 + 8 < p0 + pl)
    )
    return ok


def _sender_is_client(b: PacketBatch) -> I64:
    """Per packet: 1 if its payload is a request (sent by the client), 0 a reply, -1 cannot tell.

    S7comm: ROSCTR 1 (job) comes from the client, 2 and 3 (ack, ack-data)
    from the server. S7comm-Plus (versions 1 and 2): opcode 0x31 (request)
    from the client, 0x32 and 0x33 (response, notification) from the PLC. DNP3: the link-layer DIR bit is set on frames from the
    master. BACnet/IP: the APDU's PDU type (`_bacnet_says`). Only packets on
    those protocols' ports are looked at.
    """
    out = np.full(b.src.size, -1, dtype=np.int64)
    buf, po, pl = b.buf, b.payload_off, b.payload_len
    on_s7 = (b.proto == P.IP_PROTO_TCP) & ((b.sport == 102) | (b.dport == 102)) & (pl >= 17)
    m = np.flatnonzero(on_s7)
    if m.size:
        p0 = po[m]
        s7 = p0 + 5 + _gather(buf, p0 + 4)
        ok = (
            (_gather(buf, p0) == 3)
            & ((_gather(buf, p0 + 5) & 0xF0) == 0xF0)
            & (s7 + 1 < p0 + pl[m])
            & (_gather(buf, s7) == 0x32)
        )
        rosctr = _gather(buf, s7 + 1)
        out[m[ok & (rosctr == 1)]] = 1
        out[m[ok & ((rosctr == 2) | (rosctr == 3))]] = 0
        plus = _s7_plus(buf, p0, pl[m], s7)
        opcode = _gather(buf, s7 + 4)
        out[m[plus & (opcode == 0x31)]] = 1
        out[m[plus & ((opcode == 0x32) | (opcode == 0x33))]] = 0
    on_dnp3 = ((b.sport == 20000) | (b.dport == 20000)) & (pl >= 10)
    m = np.flatnonzero(on_dnp3)
    if m.size:
        p0 = po[m]
        ok = (_gather(buf, p0) == 0x05) & (_gather(buf, p0 + 1) == 0x64)
        master = (_gather(buf, p0 + 3) & 0x80) != 0
        out[m[ok & master]] = 1
        out[m[ok & ~master]] = 0
    on_bacnet = (b.proto == P.IP_PROTO_UDP) & (_BACNET_PORTS[b.sport] | _BACNET_PORTS[b.dport]) & (pl >= 7)
    m = np.flatnonzero(on_bacnet)
    if m.size:
        says = _bacnet_says(buf, po[m], pl[m])
        out[m[says >= 0]] = says[says >= 0]  # a DNP3 frame on 20000 to 47808 keeps its DIR bit's verdict
    return out


_BACNET_PORTS = np.zeros(65536, dtype=np.bool_)
_BACNET_PORTS[list(P.BY_ID["bacnet"].udp_ports)] = True


def _bacnet_says(buf: U8, p0: I64, pl: I64) -> I64:
    """BACnet/IP payloads: 1 the APDU comes from the client, 0 from the server, -1 cannot tell (`bacnet_says` in C).

    The BVLC (0x81) must carry an NPDU (Original-Unicast/Broadcast, Distribute-Broadcast or Forwarded-NPDU, which
    names its origin's B/IP address first: ASHRAE 135 annex J); the NPDU's version 1 and control byte (clause 6.2)
    say where its APDU starts, after the optional DNET, SNET and hop count, and that it is not a network layer
    message. By PDU type (clause 20.1): a Confirmed-Request comes from the client; a SimpleACK, ComplexACK, Error
    or Reject from the server; a SegmentACK or Abort says which by its SRV bit; an Unconfirmed-Request (I-Am,
    Who-Is, COV notifications) cannot tell.
    """
    function = _gather(buf, p0 + 1)
    npdu = p0 + np.where(function == 0x04, 10, 4)
    control = _gather(buf, npdu + 1)
    ok = (
        (_gather(buf, p0) == 0x81)
        & np.isin(function, (0x04, 0x09, 0x0A, 0x0B))
        & (_gather(buf, npdu) == 1)
        & ((control & 0x80) == 0)
    )
    dnet = (control & 0x20) != 0
    at = npdu + 2
    at = np.where(dnet, at + 3 + _gather(buf, at + 2), at)
    at = np.where((control & 0x08) != 0, at + 3 + _gather(buf, at + 2), at)
    at = at + dnet
    ok &= at < p0 + pl
    apdu = _gather(buf, at)
    kind = apdu >> 4
    by_srv = (kind == 4) | (kind == 7)
    says = np.full(p0.size, -1, dtype=np.int64)
    says[ok & ((kind == 0) | (by_srv & ((apdu & 1) == 0)))] = 1
    says[ok & (np.isin(kind, (2, 3, 5, 6)) | (by_srv & ((apdu & 1) == 1)))] = 0
    return says


def _operation_codes(b: PacketBatch) -> I64:
    """Per packet: the control operation its payload requests (`P.OP_BASE_*` + function code), else -1."""
    buf, po, pl = b.buf, b.payload_off, b.payload_len
    port = b.dport
    tcp = b.proto == P.IP_PROTO_TCP
    code = np.full(b.src.size, -1, dtype=np.int64)

    m = np.flatnonzero(tcp & (port == 502) & (pl >= 8))
    if m.size:
        ok = (_gather(buf, po[m] + 2) == 0) & (_gather(buf, po[m] + 3) == 0)
        fc = _gather(buf, po[m] + 7)
        hit = ok & np.isin(fc, P.MODBUS_WRITE_CODES)
        code[m[hit]] = P.OP_BASE_MODBUS + fc[hit]

    m = np.flatnonzero(tcp & (port == 102) & (pl >= 18))
    if m.size:
        p0 = po[m]
        s7 = p0 + 5 + _gather(buf, p0 + 4)
        ok = (
            (_gather(buf, p0) == 3)
            & (_gather(buf, p0 + 1) == 0)
            & ((_gather(buf, p0 + 5) & 0xF0) == 0xF0)
            & (s7 + 10 < p0 + pl[m])
            & (_gather(buf, s7) == 0x32)
            & (_gather(buf, s7 + 1) == 1)
        )
        fc = _gather(buf, s7 + 10)
        hit = ok & np.isin(fc, P.S7_CONTROL_CODES)
        code[m[hit]] = P.OP_BASE_S7 + fc[hit]

    m = np.flatnonzero((port == 20000) & (pl >= 13))
    if m.size:
        p0 = po[m]
        ok = (_gather(buf, p0) == 0x05) & (_gather(buf, p0 + 1) == 0x64) & ((_gather(buf, p0 + 3) & 0x80) == 0x80)
        fc = _gather(buf, p0 + 12)
        hit = ok & np.isin(fc, P.DNP3_CONTROL_CODES)
        code[m[hit]] = P.OP_BASE_DNP3 + fc[hit]
    return code


def _identity_marks(b: PacketBatch) -> U8:
    """Per packet: which device identity replies its payload may hold (`IDENT_*` bits), else 0."""
    marks = np.zeros(b.src.size, dtype=np.uint8)
    near = np.flatnonzero((b.payload_len > 0) & (_IDENTITY_PORTS[b.sport] | (b.dport == 44818)))
    if near.size == 0:
        return marks
    buf, po, pl = b.buf, b.payload_off[near], b.payload_len[near]
    sport, dport = b.sport[near], b.dport[near]
    tcp = b.proto[near] == P.IP_PROTO_TCP
    udp = b.proto[near] == P.IP_PROTO_UDP
    enip = (
        (pl >= 30)
        & (_gather(buf, po) == 0x63)
        & (_gather(buf, po + 1) == 0)
        & ((_gather(buf, po + 2) | _gather(buf, po + 3)) != 0)
    )
    modbus = tcp & (sport == 502) & (pl >= 14) & (_gather(buf, po + 7) == 0x2B) & (_gather(buf, po + 8) == 0x0E)
    s7 = po + 5 + _gather(buf, po + 4)
    szl_data = s7 + 10 + ((_gather(buf, s7 + 6) << 8) | _gather(buf, s7 + 7))
    szl_id = (_gather(buf, szl_data + 4) << 8) | _gather(buf, szl_data + 5)
    s7_szl = (
        tcp
        & (sport == 102)
        & (pl >= 30)
        & (_gather(buf, po) == 3)
        & (_gather(buf, s7) == 0x32)
        & (_gather(buf, s7 + 1) == 7)
        & np.isin(szl_id, (0x0011, 0x0111, 0x001C, 0x011C))
    )
    snmp = udp & (sport == 161) & (pl >= 20)
    s7_plus = (
        tcp
        & (sport == 102)
        & _s7_plus(buf, po, pl, s7)
        & (_gather(buf, s7 + 4) == 0x32)
        & (_gather(buf, s7 + 7) == 0x04)
        & (_gather(buf, s7 + 8) == 0xCA)
    )
    marks[near] = (
        np.where(enip & (dport == 44818), IDENT_ENIP_TO_SERVER, 0)
        | np.where(enip & (sport == 44818), IDENT_ENIP_FROM_SERVER, 0)
        | np.where(modbus, IDENT_MODBUS, 0)
        | np.where(s7_szl, IDENT_S7_SZL, 0)
        | np.where(snmp, IDENT_SNMP, 0)
        | np.where(s7_plus, IDENT_S7_PLUS, 0)
    )
    return marks


@dataclass(slots=True)
class PayloadMarks:
    """What `FlowTable.add` looks for in each packet's payload, one element per packet."""

    says: I64
    """1 the payload shows its sender is the client, 0 the server, -1 it cannot tell (`_sender_is_client`)."""
    op_code: I64
    """The control operation it requests, or -1 (`_operation_codes`)."""
    identity: U8
    """`IDENT_*` bits: the identity replies it may hold (`_identity_marks`)."""


def _op_table() -> I64:
    """op_table[kind * 256 + function code]: the operation code (kinds: 0 Modbus, 1 S7comm, 2 DNP3), else -1."""
    table = np.full(3 * 256, -1, dtype=np.int64)
    for kind, (base, codes) in enumerate(
        (
            (P.OP_BASE_MODBUS, P.MODBUS_WRITE_CODES),
            (P.OP_BASE_S7, P.S7_CONTROL_CODES),
            (P.OP_BASE_DNP3, P.DNP3_CONTROL_CODES),
        )
    ):
        for fc in codes:
            table[kind * 256 + fc] = base + fc
    return table


_OP_TABLE = _op_table()


def payload_marks_numpy(b: PacketBatch) -> PayloadMarks:
    """The numpy version of `payload_marks`: a dozen gathers over the batch per protocol."""
    return PayloadMarks(_sender_is_client(b), _operation_codes(b), _identity_marks(b))


def payload_marks(b: PacketBatch) -> PayloadMarks:
    """Direction evidence, control operation and identity candidates of every packet (C where built).

    In C this is one pass over the packets (``marks`` in ``_walk.c``); the
    numpy version reads every field it tests with a gather over the whole
    batch, about a third of the table's time. Both give identical marks
    (tests/discovery/test_decode.py).
    """
    if _compiled_marks is None or b.buf.size == 0:
        return payload_marks_numpy(b)
    n = b.src.size
    out = PayloadMarks(np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64), np.empty(n, dtype=np.uint8))
    _compiled_marks.marks(
        b.buf,
        np.ascontiguousarray(b.proto, dtype=np.uint8),
        np.ascontiguousarray(b.sport, dtype=np.int64),
        np.ascontiguousarray(b.dport, dtype=np.int64),
        np.ascontiguousarray(b.payload_off, dtype=np.int64),
        np.ascontiguousarray(b.payload_len, dtype=np.int64),
        _OP_TABLE,
        out.says,
        out.op_code,
        out.identity,
    )
    return out


def _first_per_side(hits: I64, side: I64) -> I64:
    """Of the packets `hits` (in file order), the first one of each side."""
    _, at = np.unique(side[hits], return_index=True)
    return hits[at]


@dataclass(slots=True)
class IdentityCandidate:
    """A device identity found on a side, counted if the side's orientation is in `orientations`."""

    side: int
    orientations: int
    position: int
    identity: DeviceIdentity


@dataclass(slots=True)
class FlowState:
    """What a `FlowTable` gathered, one row per side: mergeable (`mergeable.merge_states`), not yet flows.

    `hosts[i]` is host number i's address (`ip_text`); `keys` are side keys
    (`side_keys`) over those numbers. `*_position` columns are file offsets,
    `NO_POSITION` where nothing was seen; `sample_verdict` holds the verdicts of
    the receiver's port's signature times 3 plus the sender's port's.
    `operations` rows are (side, code, count) with their first and last times.
    """

    hosts: list[int]
    keys: U64
    packets: I64
    bytes: I64
    first_seen: F64
    last_seen: F64
    first_position: I64
    src_mac: U64
    dst_mac: U64
    syn_position: I64
    syn_without_ack: Mask
    says_position: I64
    says_sender_is_client: Mask
    sample_position: I64
    sample_verdict: I8
    op_side: I64
    op_code: I64
    op_count: I64
    op_first: F64
    op_last: F64
    identities: list[IdentityCandidate]

    @property
    def sides(self) -> int:
        return int(self.keys.shape[0])


EV_SAMPLE, EV_OPERATION, EV_IDENTITY, EV_NOT_IP, EV_BAD_TIME, EV_BAD_LENGTH = range(6)
"""Kinds of the event rows `chunk_flows` hands back (the same values as in ``_walk.c``)."""
(_EV_KIND, _EV_INDEX, _EV_SIDE, _EV_SRC, _EV_EXTRA, _EV_PROTO, _EV_SPORT, _EV_DPORT, _EV_PAY, _EV_PLEN, _EV_POS) = (
    range(11)
)
_EV_WIDTH = 11
_IPV6_MET = -1
"""`FlowTable._pass`'s status when a walk stopped at an IPv6 packet (the rest is added as records at offsets)."""
_NO_I64: I64 = np.zeros(0, dtype=np.int64)
_NO_F64: F64 = np.zeros(0, dtype=np.float64)


@dataclass(slots=True)
class ChunkOutcome:
    """What reading statistics need from `FlowTable.add_chunk`: the packets it could not use."""

    not_ip: I64
    """The ethertype code (`decode.Decoded.etype`) of each packet that was not IPv4 or IPv6."""
    bad_time: I64
    """Pcap mode: the file offsets of records with an impossible timestamp."""
    bad_length: I64
    """Pcap mode: the file offsets of the others with an impossible wire length."""
    packets: int
    """Packets decoded (records given, less the implausible ones)."""


_OP_CODES = 1024
"""Control operation codes are below this (`protocols.CONTROL_OPERATIONS`): (side, code) as one number."""

_OPS_MERGE_ROWS = 1 << 16
"""Rows the chunks' operations may hold beyond twice those of the last merge before they are merged again."""


class _Operations(NamedTuple):
    """Control operations counted per key (side * `_OP_CODES` + code), keys ascending and distinct; `number` of each."""

    key: I64
    number: I64
    first: F64
    last: F64


def _reduce_operations(key: I64, count: I64, first: F64, last: F64) -> _Operations:
    """One row per distinct key: counts summed, the earliest first and the latest last time (`key` not empty)."""
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    return _Operations(
        ordered[starts],
        np.add.reduceat(count[order], starts),
        np.minimum.reduceat(first[order], starts),
        np.maximum.reduceat(last[order], starts),
    )


class FlowTable:
    """Accumulates the packet batches of one capture (or one part of it) per side."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._hosts: list[int] = []
        self._v4_index = KeyIndex(1)
        self._v6_index = KeyIndex(2)
        self._v4_host: I64 = np.zeros(0, dtype=np.int64)
        self._v6_host: I64 = np.zeros(0, dtype=np.int64)
        """Host number of each IPv4 / IPv6 index id (one numbering over both)."""
        self._sides = KeyIndex(2)
        self._last_position = -1
        cap = 1024
        self._packets = np.zeros(cap, dtype=np.int64)
        self._bytes = np.zeros(cap, dtype=np.int64)
        self._first = np.full(cap, np.inf)
        self._last = np.full(cap, -np.inf)
        self._ignored_rank = np.zeros(cap, dtype=np.int64)
        """`accumulate` also keeps a per-row maximum rank; sides have none (direction is decided when finishing)."""
        self._first_position = np.full(cap, NO_POSITION, dtype=np.int64)
        self._src_mac = np.zeros(cap, dtype=np.uint64)
        self._dst_mac = np.zeros(cap, dtype=np.uint64)
        self._syn_position = np.full(cap, NO_POSITION, dtype=np.int64)
        self._syn_without_ack = np.zeros(cap, dtype=np.bool_)
        self._says_position = np.full(cap, NO_POSITION, dtype=np.int64)
        self._says_sender_is_client = np.zeros(cap, dtype=np.bool_)
        self._sample_position = np.full((cap, PAYLOAD_SAMPLES), NO_POSITION, dtype=np.int64)
        self._sample_verdict = np.zeros((cap, PAYLOAD_SAMPLES), dtype=np.int8)
        self._samples = np.zeros(cap, dtype=np.int64)
        self._inspect = np.zeros(cap, dtype=np.bool_)
        """Per side: still collecting payload samples."""
        self._side_columns = self._columns()
        self._ops: list[_Operations] = []
        """Control operations per (side, code) as `_Operations` columns, one entry a chunk; merged into one when they
        hold `_OPS_MERGE_ROWS` more rows than twice the last merge: bounded by the distinct operations, not packets."""
        self._ops_rows = 0
        self._ops_merged_rows = 0
        self._identities: dict[tuple[int, str, int], list[IdentityCandidate]] = {}
        self._flow_cache: U64 = np.zeros((1 << 14, 2), dtype=np.uint64)
        self._flow_cache_count = 0
        """`add_chunk`'s flow cache (IPv4 addresses and ports to side ids; see ``_walk.c``): emptied and doubled when
        half full."""
        self._events: I64 = np.empty((0, _EV_WIDTH), dtype=np.int64)
        self._event_ts: F64 = np.empty(0, dtype=np.float64)
        """The event rows `chunk_flows` writes (grown when a chunk needs more, kept from chunk to chunk)."""
        self._no_identity: set[tuple[str, bytes]] = set()
        """Payloads (by protocol) its parser found no identity in: a plant repeats them, and parsing is the
        costly part (the parsers depend on the payload alone)."""
        self._verdicts: dict[tuple[int, int, int, bytes], int] = {}
        """A payload sample's two verdicts (see `_record_samples`) by (transport, destination port, source port,
        payload), the ports -1 where no signature applies: industrial traffic repeats the same request and reply
        bytes on many connections, and a lookup costs a fraction of a check."""

    @property
    def one_pass(self) -> bool:
        """Whether `add_chunk` can run (the extension was built with ``chunk_flows``)."""
        return _compiled_chunk is not None

    @property
    def side_count(self) -> int:
        return self._sides.count

    def _grow(self, need: int) -> None:
        cap = self._packets.size
        if need <= cap:
            return
        new = max(need, cap * 2)

        def grow(a: np.ndarray, fill: float) -> np.ndarray:
            out = np.full((new, *a.shape[1:]), fill, dtype=a.dtype)
            out[:cap] = a
            return out

        self._packets = grow(self._packets, 0)
        self._bytes = grow(self._bytes, 0)
        self._first = grow(self._first, np.inf)
        self._last = grow(self._last, -np.inf)
        self._ignored_rank = grow(self._ignored_rank, 0)
        self._first_position = grow(self._first_position, NO_POSITION)
        self._src_mac = grow(self._src_mac, 0)
        self._dst_mac = grow(self._dst_mac, 0)
        self._syn_position = grow(self._syn_position, NO_POSITION)
        self._syn_without_ack = grow(self._syn_without_ack, False)
        self._says_position = grow(self._says_position, NO_POSITION)
        self._says_sender_is_client = grow(self._says_sender_is_client, False)
        self._sample_position = grow(self._sample_position, NO_POSITION)
        self._sample_verdict = grow(self._sample_verdict, 0)
        self._samples = grow(self._samples, 0)
        self._inspect = grow(self._inspect, False)
        self._side_columns = self._columns()

    def _columns(self) -> SideColumns:
        """The per-side arrays the C side update writes (``Sides`` in ``_walk.c``, in its order), as one tuple
        made when they are (re)allocated rather than fifteen arguments at every call."""
        return (
            self._packets,
            self._bytes,
            self._first,
            self._last,
            self._first_position,
            self._src_mac,
            self._dst_mac,
            self._inspect,
            self._syn_position,
            self._syn_without_ack,
            self._says_position,
            self._says_sender_is_client,
            self._samples,
        )

    def _host_numbers(self, index: KeyIndex, numbers: I64, tag: int) -> I64:
        """Host numbers for one address family's index ids, numbering new hosts in order."""
        known = numbers.size
        if index.count > known:
            fresh = index.keys[known : index.count]
            start = len(self._hosts)
            if start + fresh.shape[0] > MAX_HOSTS:
                raise OverflowError(f"more than {MAX_HOSTS} distinct hosts")
            if tag:
                self._hosts.extend(tag | (int(hi) << 64) | int(lo) for hi, lo in fresh.tolist())
            else:
                self._hosts.extend(int(ip) for ip in fresh[:, 0].tolist())
            numbers = np.concatenate([numbers, np.arange(start, start + fresh.shape[0], dtype=np.int64)])
        return numbers

    def host_ids_v4(self, ips: npt.NDArray[np.uint32]) -> I64:
        """Host numbers for IPv4 addresses (given as integers, in either byte order)."""
        local = self._v4_index.ids(ips.astype(np.uint64))
        self._v4_host = self._host_numbers(self._v4_index, self._v4_host, 0)
        return self._v4_host[local]

    def host_ids_v6(self, addrs: U8) -> I64:
        """Host numbers for IPv6 addresses given as an (n, 16) byte array."""
        words = np.ascontiguousarray(addrs).view(">u8").astype(np.uint64)
        local = self._v6_index.ids(words)
        self._v6_host = self._host_numbers(self._v6_index, self._v6_host, _V6_TAG)
        return self._v6_host[local]

    def add(self, b: PacketBatch) -> None:
        """Aggregate one batch; batches must come in file order (each later than the one before)."""
        n = b.src.size
        if n == 0:
            return
        pos = b.pos
        if int(pos[0]) <= self._last_position or (n > 1 and not bool((pos[1:] > pos[:-1]).all())):
            raise ValueError("packets must be added in file order")
        self._last_position = int(pos[-1])
        keys = side_keys(b.src, b.dst, b.proto, b.sport, b.dport)
        before = self._sides.count
        side = self._sides.ids(keys)
        self._grow(self._sides.count)
        marks = payload_marks(b)
        if _compiled_sides is None:
            self._update_sides_numpy(b, side, before, marks.says)
        else:
            self._update_sides_compiled(b, side, marks.says)
        self._sample_payloads(b, side)
        self._count_operations(b, side, marks.op_code)
        self._find_identities(b, side, marks.identity)

    def add_chunk(
        self,
        buf: U8,
        off: I64,
        links: I64,
        base: int,
        columns: tuple[I64, I64, F64] | None = None,
        pcap_endian: str = "<",
        ts_unit: float = 1e-6,
        latest: float = 0.0,
        max_wirelen: int = 0,
    ) -> ChunkOutcome:
        """Decode a chunk's packets and add them, in one C pass (``chunk_flows`` in ``_walk.c``).

        The same as decoding the chunk into columns (`decode.decode`) and adding them as a batch (`add`),
        without the per-packet columns: Python sees only the few packets it still handles (payloads to
        sample, control operations, identity candidates, packets that are not IP). With `columns`
        (captured length, wire length, time of each packet), `off` are the packets' offsets in `buf`;
        without, `off` are pcap record headers, read and checked (a timestamp at or after `latest`, a
        fraction of a second of 1 or more, a wire length above `max_wirelen`) in C. `links` holds one link
        type, or one a packet. Needs the compiled extension (`COMPILED_CHUNK`).
        """
        assert _compiled_chunk is not None
        n = off.size
        off = np.ascontiguousarray(off, dtype=np.int64)
        if columns is None:
            mode = 2 if pcap_endian == ">" else 1
            caplen = wire = _NO_I64
            ts: F64 = _NO_F64
        else:
            mode = 0
            caplen = np.ascontiguousarray(columns[0], dtype=np.int64)
            wire = np.ascontiguousarray(columns[1], dtype=np.int64)
            ts = np.ascontiguousarray(columns[2], dtype=np.float64)
        self._event_rows(3 * n)
        links = np.ascontiguousarray(links, dtype=np.int64)
        count, _next, _records, _status = self._pass(
            buf, off, caplen, wire, ts, links, mode, base, ts_unit, latest, max_wirelen, max(64, n // 4)
        )
        return self._chunk_events(buf, base, count, n)

    def add_pcap_walk(
        self,
        buf: U8,
        end: int,
        limit: int,
        link: int,
        base: int,
        pcap_endian: str,
        ts_unit: float,
        latest: float,
        max_wirelen: int,
        max_caplen: int,
    ) -> tuple[ChunkOutcome, int, int]:
        """`walk.walk_pcap` over buf[0:end] and `add_chunk` of the records it finds, in one C pass: each record
        is read where the walk finds it (one trip through the chunk's memory instead of two). The walk stops
        as `walk_pcap` does (an incomplete or damaged record), and at the first record at or after `limit`.
        Returns the outcome, where the walk stopped and why (`walk.WALK_OK`, `WALK_DAMAGED`, `WALK_LIMIT`).
        From the chunk's first IPv6 packet on, the rest is walked first and added as records at offsets."""
        mode = 4 if pcap_endian == ">" else 3
        links = np.array([link], dtype=np.int64)
        self._event_rows(4096)
        count, stop, records, status = self._pass(
            buf,
            _NO_I64,
            _NO_I64,
            _NO_I64,
            _NO_F64,
            links,
            mode,
            base,
            ts_unit,
            latest,
            max_wirelen,
            max(64, end // 512),
            walk=(end, limit, max_caplen),
        )
        if status == _IPV6_MET:
            starts, stop, status = walk_pcap(buf, stop, end, mode == 4, max_caplen)
            if stop >= limit:
                k = int(np.searchsorted(starts, limit))
                if k < starts.size:
                    starts, stop = starts[:k], int(starts[k])
            self._event_rows(count + 3 * starts.size)
            count, _next, _records, _status = self._pass(
                buf,
                starts,
                _NO_I64,
                _NO_I64,
                _NO_F64,
                links,
                mode - 2,
                base,
                ts_unit,
                latest,
                max_wirelen,
                max(64, starts.size // 4),
                count=count,
                index_base=records,
            )
            records += starts.size
        return self._chunk_events(buf, base, count, records), stop, status

    def _event_rows(self, rows: int) -> None:
        """At least `rows` event rows for `chunk_flows` (kept from chunk to chunk; those written are kept)."""
        have = self._events.shape[0]
        if have < rows:
            grown = max(rows, 2 * have)
            events = np.empty((grown, _EV_WIDTH), dtype=np.int64)
            event_ts = np.empty(grown, dtype=np.float64)
            events[:have] = self._events
            event_ts[:have] = self._event_ts
            self._events, self._event_ts = events, event_ts

    def _pass(
        self,
        buf: U8,
        off: I64,
        caplen: I64,
        wire: I64,
        ts: F64,
        links: I64,
        mode: int,
        base: int,
        ts_unit: float,
        latest: float,
        max_wirelen: int,
        room: int,
        count: int = 0,
        index_base: int = 0,
        walk: tuple[int, int, int] = (0, 0, 0),
    ) -> tuple[int, int, int, int]:
        """`chunk_flows` until it has added every packet it was given (or, walking, until the walk stops or meets
        an IPv6 packet: status `_IPV6_MET`), growing a table or the event rows when it asks for room and calling
        it again where it stopped. Returns the events written, where it stopped, the records it read, and why
        the walk stopped."""
        assert _compiled_chunk is not None
        v4, v6, sides = self._v4_index, self._v6_index, self._sides
        # Known IPv4 flows are found through the flow cache (one lookup in a small table); the host and side
        # tables are looked at for the others only. They are given room for a quarter of the chunk's packets
        # in new keys; when one fills up, the pass stops at the packet that needs it and resumes there once it
        # has grown.
        for index in (v4, v6, sides):
            index.make_room(room)
        self._grow(sides.count + room)
        start = records = 0
        walk_end, walk_limit, max_caplen = walk
        while True:
            (
                full,
                count,
                start,
                v4.count,
                v6.count,
                sides.count,
                self._last_position,
                self._flow_cache_count,
                got,
                status,
            ) = _compiled_chunk.chunk_flows(
                buf,
                off,
                caplen,
                wire,
                ts,
                links,
                v4._slot_keys,
                v4._slot_ids,
                v4.keys,
                self._v4_host,
                v6._slot_keys,
                v6._slot_ids,
                v6.keys,
                self._v6_host,
                sides._slot_keys,
                sides._slot_ids,
                sides.keys,
                NEEDS_CHECK,
                _OP_TABLE,
                self._side_columns,
                self._events,
                self._event_ts,
                self._flow_cache,
                mode,
                ts_unit,
                latest,
                max_wirelen,
                base,
                self._last_position,
                self._v4_host.size,
                self._v6_host.size,
                sides.count,
                len(self._hosts),
                MAX_HOSTS,
                PAYLOAD_SAMPLES,
                int(NO_POSITION),
                v4.count,
                v6.count,
                self._flow_cache_count,
                start,
                count,
                index_base + records,
                walk_end,
                walk_limit,
                max_caplen,
            )
            records += got
            if 2 * self._flow_cache_count >= self._flow_cache.shape[0]:
                self._flow_cache = np.zeros((2 * self._flow_cache.shape[0], 2), dtype=np.uint64)
                self._flow_cache_count = 0
            if full == 0:
                return count, start, records, status
            if full == 5:
                return count, start, records, _IPV6_MET
            if full == 4:
                self._event_rows(2 * self._events.shape[0])
                continue
            grown = (v4, v6, sides)[full - 1]
            grown.make_room(max(4096, 2 * grown.count))
            self._grow(sides.count + max(4096, 2 * sides.count))

    def _chunk_events(self, buf: U8, base: int, count: int, records: int) -> ChunkOutcome:
        """What Python does with the events of a chunk's pass: host numbers for the chunk's new hosts, the payload
        samples' verdicts, control operations, identities, and the records it could not use."""
        v4, v6 = self._v4_index, self._v6_index
        self._v4_host = self._host_numbers(v4, self._v4_host, 0)
        self._v6_host = self._host_numbers(v6, self._v6_host, _V6_TAG)
        ev, ev_ts = self._events[:count], self._event_ts[:count]
        kind = ev[:, _EV_KIND]
        rows = ev[kind == EV_SAMPLE]
        if rows.size:
            self._record_samples(
                buf,
                rows[:, _EV_SIDE],
                rows[:, _EV_EXTRA],
                rows[:, _EV_POS],
                rows[:, _EV_PROTO],
                rows[:, _EV_SPORT],
                rows[:, _EV_DPORT],
                rows[:, _EV_PAY],
                rows[:, _EV_PLEN],
            )
        pick = kind == EV_OPERATION
        if pick.any():
            self._add_operations(ev[pick, _EV_SIDE], ev[pick, _EV_EXTRA], ev_ts[pick])
        pick = kind == EV_IDENTITY
        if pick.any():
            rows = ev[pick]
            self._add_identities(
                buf,
                base,
                rows[:, _EV_INDEX],
                rows[:, _EV_SIDE],
                rows[:, _EV_EXTRA],
                rows[:, _EV_PAY],
                rows[:, _EV_PLEN],
                rows[:, _EV_POS],
                rows[:, _EV_SRC],
                ev_ts[pick],
            )
        bad_time = ev[kind == EV_BAD_TIME, _EV_POS]
        bad_length = ev[kind == EV_BAD_LENGTH, _EV_POS]
        return ChunkOutcome(
            not_ip=ev[kind == EV_NOT_IP, _EV_EXTRA],
            bad_time=bad_time,
            bad_length=bad_length,
            packets=records - bad_time.size - bad_length.size,
        )

    def _update_sides_compiled(self, b: PacketBatch, side: I64, says: I64) -> None:
        """`_update_sides_numpy` in one pass over the batch (``update_sides`` in ``_walk.c``)."""
        assert _compiled_sides is not None
        i64 = np.int64
        _compiled_sides.update_sides(
            np.ascontiguousarray(side, dtype=i64),
            np.ascontiguousarray(b.proto, dtype=np.uint8),
            np.ascontiguousarray(b.sport, dtype=i64),
            np.ascontiguousarray(b.dport, dtype=i64),
            np.ascontiguousarray(b.tcp_flags, dtype=i64),
            np.ascontiguousarray(b.wire_len, dtype=i64),
            np.ascontiguousarray(b.ts, dtype=np.float64),
            np.ascontiguousarray(b.pos, dtype=i64),
            np.ascontiguousarray(b.src_mac, dtype=np.uint64),
            np.ascontiguousarray(b.dst_mac, dtype=np.uint64),
            np.ascontiguousarray(says, dtype=i64),
            NEEDS_CHECK,
            self._side_columns,
            int(NO_POSITION),
        )

    def _update_sides_numpy(self, b: PacketBatch, side: I64, before: int, says: I64) -> None:
        """Per side: counters, the first packet of a side new in this batch, and its direction evidence."""
        accumulate(
            side,
            b.wire_len,
            b.ts,
            np.zeros(side.size, dtype=np.int64),
            self._packets,
            self._bytes,
            self._first,
            self._last,
            self._ignored_rank,
        )
        if self._sides.count > before:
            fresh = np.flatnonzero(side >= before)
            first = _first_per_side(fresh, side)
            ids = side[first]
            self._first_position[ids] = b.pos[first]
            self._src_mac[ids] = b.src_mac[first]
            self._dst_mac[ids] = b.dst_mac[first]
            pidx = proto_index(b.proto[first])
            self._inspect[ids] = NEEDS_CHECK[pidx, b.dport[first]] | NEEDS_CHECK[pidx, b.sport[first]]
        self._note_direction_evidence(b, side, says)

    def _note_direction_evidence(self, b: PacketBatch, side: I64, says: I64) -> None:
        """Each side's first SYN and first payload showing who asks (TCP and UDP with a source port only)."""
        tcp = b.proto == P.IP_PROTO_TCP
        eligible = (tcp | (b.proto == P.IP_PROTO_UDP)) & (b.sport > 0)
        syn = eligible & tcp & ((b.tcp_flags & 0x02) != 0)
        hits = np.flatnonzero(syn)
        hits = hits[self._syn_position[side[hits]] == NO_POSITION]
        if hits.size:
            first = _first_per_side(hits, side)
            self._syn_position[side[first]] = b.pos[first]
            self._syn_without_ack[side[first]] = (b.tcp_flags[first] & 0x10) == 0
        hits = np.flatnonzero((says >= 0) & eligible & ~syn)
        hits = hits[self._says_position[side[hits]] == NO_POSITION]
        if hits.size:
            first = _first_per_side(hits, side)
            self._says_position[side[first]] = b.pos[first]
            self._says_sender_is_client[side[first]] = says[first] == 1

    def _sample_payloads(self, b: PacketBatch, side: I64) -> None:
        """The first payloads of each side that may need a signature, as verdicts for both possible server ports."""
        cand = np.flatnonzero((b.payload_len > 0) & self._inspect[side])
        if cand.size == 0:
            return
        sides = side[cand]
        order = np.argsort(sides, kind="stable")
        ordered = sides[order]
        starts = np.concatenate(([0], np.flatnonzero(ordered[1:] != ordered[:-1]) + 1))
        rank = np.arange(ordered.size) - np.repeat(starts, np.diff(np.append(starts, ordered.size)))
        slot = self._samples[ordered] + rank
        keep = slot < PAYLOAD_SAMPLES
        pkt, s, slot = cand[order[keep]], ordered[keep], slot[keep]
        self._record_samples(
            b.buf, s, slot, b.pos[pkt], b.proto[pkt], b.sport[pkt], b.dport[pkt], b.payload_off[pkt], b.payload_len[pkt]
        )
        np.maximum.at(self._samples, s, slot + 1)
        full = s[slot + 1 == PAYLOAD_SAMPLES]
        self._inspect[full] = False

    def _record_samples(
        self,
        buf: U8,
        s: I64,
        slot: I64,
        pos: I64,
        proto: npt.NDArray[np.integer],
        sport: I64,
        dport: I64,
        payload_off: I64,
        payload_len: I64,
    ) -> None:
        """Each sampled payload's verdicts (for both possible server ports) in its side's slot."""
        off = payload_off
        end = off + np.minimum(payload_len, PAYLOAD_BYTES)
        data = buf.data
        memo = self._verdicts
        if len(memo) > VERDICT_MEMO:
            memo.clear()
        pidx = proto_index(proto)
        # -1: no signature applies to a server on that port, so its verdict is "cannot tell" without a look
        dport = np.where(NEEDS_CHECK[pidx, dport], dport, -1)
        sport = np.where(NEEDS_CHECK[pidx, sport], sport, -1)
        verdicts: list[int] = []
        for ip_proto, to_port, from_port, o, e in zip(
            proto.tolist(), dport.tolist(), sport.tolist(), off.tolist(), end.tolist(), strict=True
        ):
            payload = data[o:e].tobytes()
            key = (ip_proto, to_port, from_port, payload)
            verdict = memo.get(key)
            if verdict is None:
                verdict = memo[key] = 3 * _verdict(ip_proto, to_port, payload) + _verdict(ip_proto, from_port, payload)
            verdicts.append(verdict)
        self._sample_position[s, slot] = pos
        self._sample_verdict[s, slot] = verdicts

    def _count_operations(self, b: PacketBatch, side: I64, code: I64) -> None:
        """Control operations in each packet read as a request (they count only if its sender is the client)."""
        sel = np.flatnonzero(code >= 0)
        if sel.size == 0:
            return
        self._add_operations(side[sel], code[sel], b.ts[sel])

    def _add_operations(self, side: I64, code: I64, when: F64) -> None:
        """Count control operations per (side, code) with their first and last times (`side` not empty)."""
        found = _reduce_operations(side * _OP_CODES + code, np.ones(side.size, dtype=np.int64), when, when)
        self._ops.append(found)
        self._ops_rows += found.key.size
        if self._ops_rows > 2 * self._ops_merged_rows + _OPS_MERGE_ROWS:
            self._merge_operations()

    def _merge_operations(self) -> _Operations:
        """The operations counted so far as one `_Operations` (keys ascending), kept as the only entry."""
        if not self._ops:
            empty = np.zeros(0, dtype=np.int64)
            return _Operations(empty, empty, np.zeros(0), np.zeros(0))
        if len(self._ops) > 1:
            self._ops = [_reduce_operations(*(np.concatenate(column) for column in zip(*self._ops, strict=True)))]
        self._ops_rows = self._ops_merged_rows = self._ops[0].key.size
        return self._ops[0]

    def _find_identities(self, b: PacketBatch, side: I64, marks: U8) -> None:
        """Device identities in payloads: `payload_marks` picks the packets, then the parsers run on those few.

        Modbus, S7 and SNMP identities are replies (the sender is the server, on
        the server port); an EtherNet/IP List Identity counts whichever side
        holds port 44818. Each is kept with the orientations of its side under
        which it counts, the first `IDENTITIES_PER_HOST` per side, protocol and
        orientations (the host's first ones overall are chosen when finishing).
        """
        hits = np.flatnonzero(marks)
        if hits.size == 0:
            return
        self._add_identities(
            b.buf,
            b.file_base,
            hits,
            side[hits],
            marks[hits].astype(np.int64),
            b.payload_off[hits],
            b.payload_len[hits],
            b.pos[hits],
            b.src[hits],
            b.ts[hits],
        )

    def _add_identities(
        self,
        buf: U8,
        file_base: int,
        index: I64,
        side: I64,
        marks: I64,
        payload_off: I64,
        payload_len: I64,
        pos: I64,
        src: I64,
        when: F64,
    ) -> None:
        """Parse the identity candidates (packets `index`, in file order) and keep them per side and protocol."""
        found: list[tuple[int, str, int, int]] = []
        for row, (i, m) in enumerate(zip(index.tolist(), marks.tolist(), strict=True)):
            enip = (SENDER_IS_CLIENT if m & IDENT_ENIP_TO_SERVER else 0) | (
                SENDER_IS_SERVER if m & IDENT_ENIP_FROM_SERVER else 0
            )
            if enip:
                found.append((i, "enip", enip, row))
            for bit, protocol in _IDENT_REPLIES:
                if m & bit:
                    found.append((i, protocol, SENDER_IS_SERVER, row))
        found.sort()
        sides, offsets, lengths, data = side.tolist(), payload_off.tolist(), payload_len.tolist(), buf.data
        for _i, protocol, orientations, row in found:
            s = sides[row]
            kept = self._identities.setdefault((s, protocol, orientations), [])
            if len(kept) >= IDENTITIES_PER_HOST:
                continue
            off = offsets[row]
            payload = data[off : off + min(lengths[row], 1500)].tobytes()
            if (protocol, payload) in self._no_identity:
                continue
            raw = None
            if protocol == "snmp":
                raw = identity_parsers.snmp_sysdescr(payload)
                fields = identity_parsers.describe_sysdescr(raw) if raw else None
            else:
                fields = identity_parsers.PARSERS[protocol](payload)
            if fields is None:
                if len(self._no_identity) > VERDICT_MEMO:
                    self._no_identity.clear()
                self._no_identity.add((protocol, payload))
                continue
            kept.append(
                IdentityCandidate(
                    side=s,
                    orientations=orientations,
                    position=int(pos[row]),
                    identity=identity_parsers.identity(
                        ip_text(self._hosts[int(src[row])]),
                        protocol,
                        fields,
                        f"{self.source} byte {file_base + off}",
                        self.source,
                        float(when[row]),
                        raw,
                    ),
                )
            )

    def state(self) -> FlowState:
        """A copy of what was gathered, ready to merge or finish."""
        n = self._sides.count
        ops = self._merge_operations()
        return FlowState(
            hosts=list(self._hosts),
            keys=self._sides.keys[:n].copy(),
            packets=self._packets[:n].copy(),
            bytes=self._bytes[:n].copy(),
            first_seen=self._first[:n].copy(),
            last_seen=self._last[:n].copy(),
            first_position=self._first_position[:n].copy(),
            src_mac=self._src_mac[:n].copy(),
            dst_mac=self._dst_mac[:n].copy(),
            syn_position=self._syn_position[:n].copy(),
            syn_without_ack=self._syn_without_ack[:n].copy(),
            says_position=self._says_position[:n].copy(),
            says_sender_is_client=self._says_sender_is_client[:n].copy(),
            sample_position=self._sample_position[:n].copy(),
            sample_verdict=self._sample_verdict[:n].copy(),
            op_side=ops.key // _OP_CODES,
            op_code=ops.key % _OP_CODES,
            op_count=ops.number.copy(),
            op_first=ops.first.astype(np.float64),
            op_last=ops.last.astype(np.float64),
            identities=[c for kept in self._identities.values() for c in kept],
        )
