"""Vectorised flow aggregation for decoded packet batches.

A batch is a set of numpy arrays, one element per IPv4 or IPv6 packet (see
`PacketBatch`). The table keeps one row per (client, server, transport,
server port); memory grows with the number of flows (and of TCP connections
whose handshake was seen), never with packets. Flows, hosts and connections
are numbered through hash tables (`intern.KeyIndex`, in C where built), so a
chunk's packets are never sorted to find their flows.

Which side is the client: a captured TCP handshake decides for its whole
connection (the sender of the SYN, or the receiver of the SYN-ACK); without
one, a port a protocol registers for its server on exactly one side; else
the lower port is taken as the server's. Each flow keeps the strongest
evidence it had (`types.DIRECTION_CONFIDENCE`).
Payload signatures are checked only on the first few payload packets of
each new flow; control operations (Modbus writes, S7 download/stop, DNP3
operate) are counted on every client-to-server packet, vectorised.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from factorysec.discovery import identity as identity_parsers
from factorysec.discovery import protocols as P
from factorysec.discovery.intern import KeyIndex, accumulate
from factorysec.discovery.types import DIRECTION_RANK, ControlOperation, DeviceIdentity, FlowRecord

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
U64 = npt.NDArray[np.uint64]

PAYLOAD_SAMPLES = 3
PAYLOAD_BYTES = 64
IDENTITIES_PER_HOST = 3
"""Identity replies parsed per host and protocol; later ones repeat what is known."""
MAX_HOSTS = 1 << 20
_V6_TAG = 1 << 128
"""Added to an IPv6 address's integer so it never equals an IPv4 one in the host index."""
_RANK = DIRECTION_RANK
_DIRECTION_BY_RANK = {rank: name for name, rank in DIRECTION_RANK.items()}


def _ip_text(value: int) -> str:
    if value >= _V6_TAG:
        return str(ipaddress.IPv6Address(value - _V6_TAG))
    return str(ipaddress.IPv4Address(value))


def _server_port_table() -> npt.NDArray[np.bool_]:
    """known[ip_proto_index, port]: index 0 = TCP, 1 = UDP, 2 = other."""
    known = np.zeros((3, 65536), dtype=np.bool_)
    known[0, sorted(P.known_server_ports(P.IP_PROTO_TCP))] = True
    known[1, sorted(P.known_server_ports(P.IP_PROTO_UDP))] = True
    return known


_KNOWN = _server_port_table()
_IDENTITY_PORTS = np.zeros(65536, dtype=np.bool_)
_IDENTITY_PORTS[[44818, 502, 102, 161]] = True
"""Server ports whose replies may carry a device identity (see `identity`)."""
_NEEDS_CHECK = np.zeros((3, 65536), dtype=np.bool_)
for _spec in P.PROTOCOLS:
    if _spec.check is not None:
        _NEEDS_CHECK[0, list(_spec.tcp_ports)] = True
        _NEEDS_CHECK[1, list(_spec.udp_ports)] = True


@dataclass(slots=True)
class PacketBatch:
    """Decoded IP packets of one chunk; `buf` holds the raw bytes payloads point into.

    `src` and `dst` are host numbers from `FlowTable.host_ids_v4` / `host_ids_v6`.
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
    file_base: int = 0
    """File offset of buf[0], so a payload can be named by its place in the file."""


def _mac_str(value: int) -> str | None:
    if value == 0:
        return None
    return ":".join(f"{b:02x}" for b in value.to_bytes(6, "big"))


def _gather(buf: U8, idx: I64) -> npt.NDArray[np.int64]:
    """buf[idx] as int64, with out-of-range indices reading as 0 (masked by callers)."""
    return buf.take(idx, mode="clip").astype(np.int64)


def _conn_hash(b: PacketBatch) -> U64:
    """A direction-free hash of each packet's connection (collisions only cost time)."""
    a = b.src.astype(np.uint64) * np.uint64(0x9E3779B1) + b.sport.astype(np.uint64)
    c = b.dst.astype(np.uint64) * np.uint64(0x9E3779B1) + b.dport.astype(np.uint64)
    return (a * c) ^ (a + c) ^ (b.proto.astype(np.uint64) << np.uint64(56))


def _sender_is_client(b: PacketBatch) -> I64:
    """Per packet: 1 if its payload is a request (sent by the client), 0 a reply, -1 cannot tell.

    S7comm: ROSCTR 1 (job) comes from the client, 2 and 3 (ack, ack-data)
    from the server. DNP3: the link-layer DIR bit is set on frames from the
    master. Only packets on those protocols' ports are looked at.
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
    on_dnp3 = ((b.sport == 20000) | (b.dport == 20000)) & (pl >= 10)
    m = np.flatnonzero(on_dnp3)
    if m.size:
        p0 = po[m]
        ok = (_gather(buf, p0) == 0x05) & (_gather(buf, p0 + 1) == 0x64)
        master = (_gather(buf, p0 + 3) & 0x80) != 0
        out[m[ok & master]] = 1
        out[m[ok & ~master]] = 0
    return out


class FlowTable:
    """Accumulates packet batches from one source into per-flow rows."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._hosts: list[int] = []
        self._v4_index = KeyIndex(1)
        self._v6_index = KeyIndex(2)
        self._v4_host: I64 = np.zeros(0, dtype=np.int64)
        self._v6_host: I64 = np.zeros(0, dtype=np.int64)
        """Host number of each IPv4 / IPv6 index id (one numbering over both)."""
        self._flows = KeyIndex(1)
        cap = 1024
        self._packets = np.zeros(cap, dtype=np.int64)
        self._bytes = np.zeros(cap, dtype=np.int64)
        self._first = np.full(cap, np.inf)
        self._last = np.full(cap, -np.inf)
        self._cmac = np.zeros(cap, dtype=np.uint64)
        self._smac = np.zeros(cap, dtype=np.uint64)
        self._pending: dict[int, list[bytes]] = {}
        self._inspect = np.zeros(cap, dtype=np.bool_)
        """Per flow: still collecting payload samples."""
        self._resolved: dict[int, tuple[str, str]] = {}
        self._ops: dict[tuple[int, int], list[float]] = {}
        self._dir = np.zeros(cap, dtype=np.int64)
        self._conns = KeyIndex(2)
        """Connections (5-tuples, lower (host, port) side first) that showed direction evidence."""
        self._conn_low_is_client = np.zeros(0, dtype=np.bool_)
        self._conn_rank = np.zeros(0, dtype=np.int64)
        """Per connection: is the lower side the client, and the rank of that evidence."""
        self._identities: dict[tuple[int, str], list[DeviceIdentity]] = {}

    @property
    def flow_count(self) -> int:
        return self._flows.count

    def _flow_keys(self) -> U64:
        return self._flows.keys[: self._flows.count, 0]

    def _grow(self, need: int) -> None:
        cap = self._packets.size
        if need <= cap:
            return
        new = max(need, cap * 2)

        def grow(a: np.ndarray, fill: float) -> np.ndarray:
            out = np.full(new, fill, dtype=a.dtype)
            out[:cap] = a
            return out

        self._packets = grow(self._packets, 0)
        self._bytes = grow(self._bytes, 0)
        self._first = grow(self._first, np.inf)
        self._last = grow(self._last, -np.inf)
        self._cmac = grow(self._cmac, 0)
        self._smac = grow(self._smac, 0)
        self._dir = grow(self._dir, 0)
        self._inspect = grow(self._inspect, False)

    def _host_numbers(self, index: KeyIndex, local: I64, numbers: I64, tag: int) -> I64:
        """Host numbers for `local` ids of one address family's index, numbering new hosts in order."""
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
        """Host numbers for IPv4 addresses (given as integers)."""
        local = self._v4_index.ids(ips.astype(np.uint64))
        self._v4_host = self._host_numbers(self._v4_index, local, self._v4_host, 0)
        return self._v4_host[local]

    def host_ids_v6(self, addrs: U8) -> I64:
        """Host numbers for IPv6 addresses given as an (n, 16) byte array."""
        words = np.ascontiguousarray(addrs).view(">u8").astype(np.uint64)
        local = self._v6_index.ids(words)
        self._v6_host = self._host_numbers(self._v6_index, local, self._v6_host, _V6_TAG)
        return self._v6_host[local]

    def _orient(self, b: PacketBatch) -> tuple[npt.NDArray[np.bool_], I64]:
        """Per packet: is it sent by the client, and how that was decided (a direction rank).

        Per connection (5-tuple), the first handshake packet, or else the first
        packet whose payload shows who asks (`_sender_is_client`), decides for
        every later packet of it; the decision is kept across batches.
        """
        pidx = np.where(b.proto == P.IP_PROTO_TCP, 0, np.where(b.proto == P.IP_PROTO_UDP, 1, 2))
        s_known = _KNOWN[pidx, b.sport]
        d_known = _KNOWN[pidx, b.dport]
        to_server = (d_known & ~s_known) | ((d_known == s_known) & (b.dport <= b.sport))
        rank = np.where(s_known ^ d_known, _RANK["server-port"], _RANK["port-order"])
        tcp = b.proto == P.IP_PROTO_TCP
        syn = tcp & ((b.tcp_flags & 0x02) != 0)
        says = _sender_is_client(b)
        evidence = syn | (says >= 0)
        if not evidence.any() and not self._conns.count:
            return to_server, rank
        sel = np.flatnonzero((tcp | (b.proto == P.IP_PROTO_UDP)) & (b.sport > 0))
        if sel.size == 0:
            return to_server, rank
        src, dst = b.src[sel], b.dst[sel]
        sp, dp = b.sport[sel], b.dport[sel]
        src_low = (src < dst) | ((src == dst) & (sp <= dp))
        conn = np.empty((sel.size, 2), dtype=np.uint64)
        conn[:, 0] = (
            (np.where(src_low, src, dst).astype(np.uint64) << np.uint64(32))
            | (np.where(src_low, dst, src).astype(np.uint64) << np.uint64(8))
            | b.proto[sel].astype(np.uint64)
        )
        conn[:, 1] = (np.where(src_low, sp, dp).astype(np.uint64) << np.uint64(16)) | np.where(src_low, dp, sp).astype(
            np.uint64
        )
        # Only connections that showed evidence are kept (memory grows with them, not with packets).
        with_evidence = np.flatnonzero(evidence[sel])
        cid = np.full(sel.size, -1, dtype=np.int64)
        if with_evidence.size:
            cid[with_evidence] = self._conns.ids(conn[with_evidence])
            grown = self._conns.count - self._conn_rank.size
            if grown > 0:
                self._conn_rank = np.concatenate([self._conn_rank, np.full(grown, -1, dtype=np.int64)])
                self._conn_low_is_client = np.concatenate([self._conn_low_is_client, np.zeros(grown, dtype=np.bool_)])
        rest = np.flatnonzero(cid < 0)
        if rest.size:
            cid[rest] = self._conns.ids(conn[rest], insert=False)
        syn_sel, says_sel = syn[sel], says[sel]
        for mask, how in ((syn_sel, "handshake"), ((says_sel >= 0) & ~syn_sel, "protocol")):
            hits = np.flatnonzero(mask)
            if not hits.size:
                continue
            _, at = np.unique(cid[hits], return_index=True)  # first such packet per connection
            first = hits[at]
            c = cid[first]
            stronger = self._conn_rank[c] < _RANK[how]
            first, c = first[stronger], c[stronger]
            if how == "handshake":
                from_client = (b.tcp_flags[sel[first]] & 0x10) == 0  # SYN without ACK
            else:
                from_client = says_sel[first] == 1
            self._conn_low_is_client[c] = src_low[first] == from_client
            self._conn_rank[c] = _RANK[how]
        known = cid >= 0
        decided = np.flatnonzero(known)
        decided = decided[self._conn_rank[cid[decided]] >= 0]
        pkt = sel[decided]
        to_server[pkt] = src_low[decided] == self._conn_low_is_client[cid[decided]]
        rank[pkt] = self._conn_rank[cid[decided]]
        return to_server, rank

    def add(self, b: PacketBatch) -> None:
        """Aggregate one batch into the table."""
        n = b.src.size
        if n == 0:
            return
        to_server, rank = self._orient(b)
        client = np.where(to_server, b.src, b.dst)
        server = np.where(to_server, b.dst, b.src)
        port = np.where(to_server, b.dport, b.sport)
        cmac = np.where(to_server, b.src_mac, b.dst_mac)
        smac = np.where(to_server, b.dst_mac, b.src_mac)

        key = (
            (client.astype(np.uint64) << np.uint64(44))
            | (server.astype(np.uint64) << np.uint64(24))
            | (b.proto.astype(np.uint64) << np.uint64(16))
            | port.astype(np.uint64)
        )
        before = self._flows.count
        flow = self._flows.ids(key)
        self._grow(self._flows.count)
        accumulate(flow, b.wire_len, b.ts, rank, self._packets, self._bytes, self._first, self._last, self._dir)
        if self._flows.count > before:
            fresh = np.flatnonzero(flow >= before)
            ids, at = np.unique(flow[fresh], return_index=True)  # each new flow's first packet
            fp = fresh[at]
            self._cmac[ids] = cmac[fp]
            self._smac[ids] = smac[fp]
            self._start_inspection(self._flow_keys()[ids], ids)
        self._sample_payloads(b, flow)
        self._count_operations(b, flow, to_server, port)
        self._find_identities(b, to_server, port)

    def _find_identities(self, b: PacketBatch, to_server: npt.NDArray[np.bool_], port: npt.NDArray[np.int64]) -> None:
        """Device identities in server replies: a vectorised filter, then the parsers on the few left."""
        near = np.flatnonzero(_IDENTITY_PORTS[port] & (b.payload_len > 0))
        if near.size == 0:
            return
        buf, po, pl = b.buf, b.payload_off[near], b.payload_len[near]
        port = port[near]
        reply = ~to_server[near]
        tcp = b.proto[near] == P.IP_PROTO_TCP
        udp = b.proto[near] == P.IP_PROTO_UDP
        enip = (
            (port == 44818)
            & (pl >= 30)
            & (_gather(buf, po) == 0x63)
            & (_gather(buf, po + 1) == 0)
            & ((_gather(buf, po + 2) | _gather(buf, po + 3)) != 0)
        )
        modbus = (
            reply & tcp & (port == 502) & (pl >= 14) & (_gather(buf, po + 7) == 0x2B) & (_gather(buf, po + 8) == 0x0E)
        )
        s7 = po + 5 + _gather(buf, po + 4)
        szl_data = s7 + 10 + ((_gather(buf, s7 + 6) << 8) | _gather(buf, s7 + 7))
        szl_id = (_gather(buf, szl_data + 4) << 8) | _gather(buf, szl_data + 5)
        s7_szl = (
            reply
            & tcp
            & (port == 102)
            & (pl >= 30)
            & (_gather(buf, po) == 3)
            & (_gather(buf, s7) == 0x32)
            & (_gather(buf, s7 + 1) == 7)
            & np.isin(szl_id, (0x0011, 0x0111, 0x001C, 0x011C))
        )
        snmp = reply & udp & (port == 161) & (pl >= 20)
        for mask, protocol in ((enip, "enip"), (modbus, "modbus-tcp"), (s7_szl, "s7comm"), (snmp, "snmp")):
            for j in np.flatnonzero(mask).tolist():
                i = int(near[j])
                host = int(b.src[i])
                found = self._identities.setdefault((host, protocol), [])
                if len(found) >= IDENTITIES_PER_HOST:
                    continue
                off, length = int(b.payload_off[i]), int(b.payload_len[i])
                payload = buf[off : off + min(length, 1500)].tobytes()
                raw = None
                if protocol == "snmp":
                    raw = identity_parsers.snmp_sysdescr(payload)
                    fields = identity_parsers.describe_sysdescr(raw) if raw else None
                else:
                    fields = identity_parsers.PARSERS[protocol](payload)
                if fields is None:
                    continue
                found.append(
                    identity_parsers.identity(
                        _ip_text(self._hosts[host]),
                        protocol,
                        fields,
                        f"{self.source} byte {b.file_base + off}",
                        self.source,
                        float(b.ts[i]),
                        raw,
                    )
                )

    def identities(self) -> tuple[DeviceIdentity, ...]:
        """Identities found so far, distinct per host and protocol, in a stable order."""
        out: list[DeviceIdentity] = []
        for (_host, _protocol), found in sorted(self._identities.items()):
            seen: set[tuple[str | None, ...]] = set()
            for d in found:
                what = (d.vendor, d.product, d.model, d.firmware, d.serial, d.raw)
                if what not in seen:
                    seen.add(what)
                    out.append(d)
        return tuple(out)

    def _start_inspection(self, ukeys: U64, idx: I64) -> None:
        proto = ((ukeys >> np.uint64(16)) & np.uint64(0xFF)).astype(np.int64)
        port = (ukeys & np.uint64(0xFFFF)).astype(np.int64)
        pidx = np.where(proto == P.IP_PROTO_TCP, 0, np.where(proto == P.IP_PROTO_UDP, 1, 2))
        need = _NEEDS_CHECK[pidx, port]
        if not need.any():
            return
        for f in idx[need].tolist():
            self._pending[f] = []
        self._inspect[idx[need]] = True

    def _sample_payloads(self, b: PacketBatch, flow: I64) -> None:
        if not self._pending:
            return
        cand = np.flatnonzero((b.payload_len > 0) & self._inspect[flow])
        if cand.size == 0:
            return
        flows = flow[cand]
        order = np.argsort(flows, kind="stable")
        sf = flows[order]
        first = np.concatenate(([0], np.flatnonzero(sf[1:] != sf[:-1]) + 1))
        rank = np.arange(sf.size) - np.repeat(first, np.diff(np.append(first, sf.size)))
        keep = order[rank < PAYLOAD_SAMPLES]
        keep.sort()
        cand, flows = cand[keep], flows[keep]
        done: set[int] = set()
        buf = b.buf
        for pkt, f in zip(cand.tolist(), flows.tolist(), strict=True):
            samples = self._pending.get(f)
            if samples is None or len(samples) >= PAYLOAD_SAMPLES:
                continue
            off = int(b.payload_off[pkt])
            ln = min(int(b.payload_len[pkt]), PAYLOAD_BYTES)
            samples.append(buf[off : off + ln].tobytes())
            if len(samples) >= PAYLOAD_SAMPLES:
                done.add(f)
        if done:
            self._resolve(done)

    def _resolve(self, flows: set[int]) -> None:
        keys = self._flow_keys()
        for f in flows:
            samples = self._pending.pop(f)
            k = int(keys[f])
            self._resolved[f] = P.recognise((k >> 16) & 0xFF, k & 0xFFFF, samples)
            self._inspect[f] = False

    def _count_operations(
        self,
        b: PacketBatch,
        flow: I64,
        to_server: npt.NDArray[np.bool_],
        port: npt.NDArray[np.int64],
    ) -> None:
        buf, po, pl = b.buf, b.payload_off, b.payload_len
        tcp_req = to_server & (b.proto == P.IP_PROTO_TCP)
        code = np.full(flow.size, -1, dtype=np.int64)

        m = np.flatnonzero(tcp_req & (port == 502) & (pl >= 8))
        if m.size:
            ok = (_gather(buf, po[m] + 2) == 0) & (_gather(buf, po[m] + 3) == 0)
            fc = _gather(buf, po[m] + 7)
            hit = ok & np.isin(fc, P.MODBUS_WRITE_CODES)
            code[m[hit]] = P.OP_BASE_MODBUS + fc[hit]

        m = np.flatnonzero(tcp_req & (port == 102) & (pl >= 18))
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

        m = np.flatnonzero(to_server & (port == 20000) & (pl >= 13))
        if m.size:
            p0 = po[m]
            ok = (_gather(buf, p0) == 0x05) & (_gather(buf, p0 + 1) == 0x64) & ((_gather(buf, p0 + 3) & 0x80) == 0x80)
            fc = _gather(buf, p0 + 12)
            hit = ok & np.isin(fc, P.DNP3_CONTROL_CODES)
            code[m[hit]] = P.OP_BASE_DNP3 + fc[hit]

        sel = np.flatnonzero(code >= 0)
        if sel.size == 0:
            return
        flows = flow[sel]
        combo = flows * 1024 + code[sel]
        order = np.argsort(combo, kind="stable")
        sc = combo[order]
        starts = np.flatnonzero(np.concatenate(([True], sc[1:] != sc[:-1])))
        cnt = np.diff(np.append(starts, sc.size))
        ts = b.ts[sel][order]
        tmin = np.minimum.reduceat(ts, starts)
        tmax = np.maximum.reduceat(ts, starts)
        for c, n, lo, hi in zip(sc[starts].tolist(), cnt.tolist(), tmin.tolist(), tmax.tolist(), strict=True):
            slot = self._ops.get((c // 1024, c % 1024))
            if slot is None:
                self._ops[(c // 1024, c % 1024)] = [float(n), lo, hi]
            else:
                slot[0] += n
                slot[1] = min(slot[1], lo)
                slot[2] = max(slot[2], hi)

    def records(self) -> list[FlowRecord]:
        """Finish inspection and return one record per flow, in a stable order."""
        if self._pending:
            self._resolve(set(self._pending))
        ops_by_flow: dict[int, list[ControlOperation]] = {}
        for (f, c), (n, lo, hi) in sorted(self._ops.items()):
            proto, name = P.CONTROL_OPERATIONS[c]
            ops_by_flow.setdefault(f, []).append(
                ControlOperation(
                    protocol=proto, operation=name, code=c & 0xFF, count=int(n), first_seen=lo, last_seen=hi
                )
            )
        out: list[FlowRecord] = []
        for f, k in enumerate(self._flow_keys().tolist()):
            ip_proto = (k >> 16) & 0xFF
            port = k & 0xFFFF
            if f in self._resolved:
                protocol, evidence = self._resolved[f]
            else:
                protocol, evidence = P.recognise(ip_proto, port, [])
            out.append(
                FlowRecord(
                    client=_ip_text(self._hosts[k >> 44]),
                    server=_ip_text(self._hosts[(k >> 24) & 0xFFFFF]),
                    transport=P.transport_name(ip_proto),
                    port=port,
                    protocol=protocol,
                    evidence=evidence,
                    packets=int(self._packets[f]),
                    bytes=int(self._bytes[f]),
                    first_seen=float(self._first[f]),
                    last_seen=float(self._last[f]),
                    source=self.source,
                    client_mac=_mac_str(int(self._cmac[f])),
                    server_mac=_mac_str(int(self._smac[f])),
                    operations=tuple(ops_by_flow.get(f, ())),
                    direction=_DIRECTION_BY_RANK[int(self._dir[f])],
                )
            )
        out.sort(key=lambda r: (r.client, r.server, r.transport, r.port))
        return out
