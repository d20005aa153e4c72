"""Merge flow records from all sources into the observed inventory (pure, no I/O)."""

from __future__ import annotations

import gc
import ipaddress
import socket
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, wraps
from typing import Any, ParamSpec, TypeVar

from factorysec.discovery import protocols as P
from factorysec.discovery.types import (
    DIRECTION_RANK,
    ControlOperation,
    DeviceIdentity,
    Flow,
    FlowRecord,
    Host,
    HostProtocol,
    Inventory,
    SkipCount,
    SourceStats,
)

_EVIDENCE_RANK = {"payload": 4, "zeek-service": 3, "zeek-modbus-log": 3, "zeek-dnp3-log": 3, "port": 2, "none": 0}


_P = ParamSpec("_P")
_R = TypeVar("_R")


def source_stats(
    path: str,
    kind: str,
    records: int,
    bytes_read: int,
    flows: int,
    skipped: tuple[SkipCount, ...] = (),
    identities: tuple[DeviceIdentity, ...] = (),
) -> SourceStats:
    """A read file's statistics (counts given as numpy integers are made Python integers)."""
    return SourceStats(
        path=path,
        kind=kind,
        records=int(records),
        bytes_read=int(bytes_read),
        flows=int(flows),
        skipped=skipped,
        not_read=None,
        identities=identities,
    )


def skip_count(reason: str, count: int, unit: str, positions: tuple[str, ...] = ()) -> SkipCount:
    """What a reader left out (see `source_stats`)."""
    return SkipCount(reason=reason, count=int(count), unit=unit, positions=positions)


def without_cycle_collection(build: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `build` with Python's cycle collector paused (as it was before, afterwards).

    Building the records, flows and hosts of a capture allocates a few objects per flow, none
    of them in a reference cycle, so reference counting frees all of them; the collector,
    though, is triggered by the allocations alone and walks every live object again each time:
    a third of the inventory's time on a capture of 5,000 flows, for nothing found.
    """

    @wraps(build)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled():
            return build(*args, **kwargs)
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@lru_cache(maxsize=1 << 16)
def ip_sort_key(text: str) -> tuple[int, int]:
    """Numeric order for addresses (IPv4 before IPv6, unparsable last); cached, as sorting flows asks for each host many times.

    A plain dotted quad (four decimal numbers up to 255, no leading zeros) is exactly a text that `inet_aton` reads
    and `inet_ntoa` writes back unchanged: that round trip is a twentieth of the time `ipaddress` takes. Anything
    else (an IPv6 address, a dotted quad in another spelling) is left to `ipaddress`, as before.
    """
    try:
        packed = socket.inet_aton(text)
    except (OSError, ValueError):  # ValueError: an embedded NUL
        packed = b""
    if packed and socket.inet_ntoa(packed) == text:
        return (4, int.from_bytes(packed, "big"))
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return (9, 0)
    return (address.version, int(address))


@dataclass(slots=True)
class _FlowAcc:
    client: str
    server: str
    transport: str
    port: int
    protocol: str = P.UNKNOWN
    evidence: str = "none"
    packets: int = 0
    bytes: int = 0
    log_packets: int = 0
    log_bytes: int = 0
    first: float = float("inf")
    last: float = float("-inf")
    sources: set[str] = field(default_factory=set)
    ops: dict[tuple[str, str, int], list[float]] = field(default_factory=dict)
    direction: str = ""

    def add(self, r: FlowRecord) -> None:
        self.add_values(
            r.protocol,
            r.evidence,
            r.direction,
            r.from_log,
            r.packets,
            r.bytes,
            r.first_seen,
            r.last_seen,
            r.source,
            r.operations,
        )

    def add_values(
        self,
        protocol: str,
        evidence: str,
        direction: str,
        from_log: bool,
        packets: int,
        size: int,
        first: float,
        last: float,
        source: str,
        operations: Iterable[ControlOperation],
    ) -> None:
        """`add` of a record with these values (a capture's flow folded without making its record)."""
        # The same protocol, evidence or direction as so far (the files of a rotated capture) decides nothing.
        if protocol != self.protocol or evidence != self.evidence:
            mine = (_EVIDENCE_RANK.get(self.evidence, 1), self.protocol)
            theirs = (_EVIDENCE_RANK.get(evidence, 1), protocol)
            if theirs > mine:  # protocol name breaks ties, so the order of records does not matter
                self.protocol, self.evidence = protocol, evidence
        if direction != self.direction and (
            not self.direction or DIRECTION_RANK[direction] > DIRECTION_RANK[self.direction]
        ):
            self.direction = direction
        if from_log:
            self.log_packets += packets
            self.log_bytes += size
        else:
            self.packets += packets
            self.bytes += size
        if first < self.first:  # min() and max() as comparisons: a third of the time, the same result
            self.first = first
        if last > self.last:
            self.last = last
        self.sources.add(source)
        if operations:
            _add_operations(self.ops, operations)

    def merge(self, other: _FlowAcc) -> None:
        """Add what another accumulator of the same key summed: as if its records had been added here."""
        self.merge_values(other.values())

    def merge_values(self, values: tuple[Any, ...]) -> None:
        """`merge` of the accumulator whose `values` these are, without making it."""
        protocol, evidence, packets, size, log_packets, log_bytes, first, last, sources, ops, direction = values[4:]
        if (_EVIDENCE_RANK.get(evidence, 1), protocol) > (_EVIDENCE_RANK.get(self.evidence, 1), self.protocol):
            self.protocol, self.evidence = protocol, evidence
        if direction and (not self.direction or DIRECTION_RANK[direction] > DIRECTION_RANK[self.direction]):
            self.direction = direction
        self.packets += packets
        self.bytes += size
        self.log_packets += log_packets
        self.log_bytes += log_bytes
        if first < self.first:
            self.first = first
        if last > self.last:
            self.last = last
        self.sources.update(sources)
        for protocol_name, operation, code, count, op_first, op_last in ops:
            slot = self.ops.setdefault((protocol_name, operation, code), [0, op_first, op_last])
            slot[0] += count
            slot[1] = min(slot[1], op_first)
            slot[2] = max(slot[2], op_last)

    def values(self) -> tuple[Any, ...]:
        """The fields in order, the sources and operations as tuples: what `FlowTotals` pickles."""
        return (
            self.client,
            self.server,
            self.transport,
            self.port,
            self.protocol,
            self.evidence,
            self.packets,
            self.bytes,
            self.log_packets,
            self.log_bytes,
            self.first,
            self.last,
            tuple(self.sources),
            tuple((*kind, *slot) for kind, slot in self.ops.items()),
            self.direction,
        )

    @classmethod
    def from_values(cls, values: tuple[Any, ...]) -> _FlowAcc:
        client, server, transport, port, protocol, evidence, packets, size, log_packets, log_bytes = values[:10]
        first, last, sources, ops, direction = values[10:]
        return cls(
            client,
            server,
            transport,
            port,
            protocol,
            evidence,
            packets,
            size,
            log_packets,
            log_bytes,
            first,
            last,
            set(sources),
            {(p, o, c): [n, f, l] for p, o, c, n, f, l in ops},
            direction,
        )

    def freeze(self) -> Flow:
        sources = self.sources
        return _flow(
            self.client,
            self.server,
            self.transport,
            self.port,
            self.protocol,
            self.evidence,
            self.packets or self.log_packets,
            self.bytes if self.packets else self.log_bytes,
            self.first,
            self.last,
            tuple(sources) if len(sources) == 1 else tuple(sorted(sources)),
            _operations(self.ops) if self.ops else (),
            self.direction or "port-order",
        )


_NO_EVIDENCE = (_EVIDENCE_RANK["none"], P.UNKNOWN)
"""What a `_FlowAcc` starts from: a record's protocol and evidence replace it only when they rank above it."""


def _freeze_record(r: FlowRecord) -> Flow:
    """The flow of a key only one record gave: what ``_FlowAcc(...).add(r)`` then ``freeze()`` makes, without them.

    Most keys have one record (one capture, read whole); making, filling and freezing an accumulator for each was a
    third of the inventory's time.
    """
    protocol, evidence = r.protocol, r.evidence
    if (_EVIDENCE_RANK.get(evidence, 1), protocol) <= _NO_EVIDENCE:
        protocol, evidence = _NO_EVIDENCE[1], "none"
    first, last = r.first_seen, r.last_seen
    if r.from_log:
        size = r.bytes
    else:
        size = r.bytes if r.packets else 0  # as `freeze`: a capture's bytes count only with its packets
    if r.operations:
        ops: dict[tuple[str, str, int], list[float]] = {}
        _add_operations(ops, r.operations)
    return _flow(
        r.client,
        r.server,
        r.transport,
        r.port,
        protocol,
        evidence,
        r.packets,
        size,
        first if first < _INF else _INF,  # as `add` compares: a NaN time leaves the start value
        last if last > -_INF else -_INF,
        (r.source,),
        _operations(ops) if r.operations else (),
        r.direction or "port-order",
    )


_INF = float("inf")


def _add_operations(ops: dict[tuple[str, str, int], list[float]], operations: Iterable[ControlOperation]) -> None:
    for op in operations:
        slot = ops.setdefault((op.protocol, op.operation, op.code), [0, op.first_seen, op.last_seen])
        slot[0] += op.count
        slot[1] = min(slot[1], op.first_seen)
        slot[2] = max(slot[2], op.last_seen)


def _operations(ops: dict[tuple[str, str, int], list[float]]) -> tuple[ControlOperation, ...]:
    return tuple(ControlOperation(p, o, c, int(v[0]), float(v[1]), float(v[2])) for (p, o, c), v in sorted(ops.items()))


def _flow(
    client: str,
    server: str,
    transport: str,
    port: int,
    protocol: str,
    evidence: str,
    packets: int,
    size: int,
    first: float,
    last: float,
    sources: tuple[str, ...],
    operations: tuple[ControlOperation, ...],
    direction: str,
) -> Flow:
    return Flow(  # values in field order: positional arguments, for this many fields, are faster than keywords
        client,
        server,
        transport,
        port,
        protocol,
        P.label(protocol, P.transport_number(transport), port),
        evidence,
        packets,
        size,
        first,
        last,
        sources,
        operations,
        direction,
    )


_Key = tuple[str, str, str, int]


class FlowTotals:
    """Flow records folded per (client, server, transport, port), and the MAC addresses seen per host: the state
    `build_inventory` builds from records, which a `--jobs` worker builds over all the captures it reads and sends
    instead of their records.

    `merge` adds another's totals as if their records had been added here: the sums, minima, maxima, sets and
    highest-ranked evidence are the same in any order and grouping. Zeek protocol-log annotations are kept as
    records (they are applied after all flows, see `build_inventory`), in the order they came.
    """

    __slots__ = ("_flows", "_rows", "annotations", "macs")

    def __init__(self) -> None:
        # A key's first record is kept as it is; an accumulator is made for a key only when a second record comes.
        self._flows: dict[_Key, _FlowAcc | FlowRecord] = {}
        self._rows: list[tuple[Any, ...]] | None = None
        """Unpickled totals' rows (see `__setstate__`), not yet made into accumulators."""
        self.annotations: list[FlowRecord] = []
        self.macs: dict[str, set[str]] = {}

    @property
    def flows(self) -> dict[_Key, _FlowAcc | FlowRecord]:
        """The accumulator (or the one record) of each key."""
        if self._rows is not None:
            self._flows.update(self._take_rows())
        return self._flows

    @without_cycle_collection
    def _take_rows(self) -> dict[_Key, _FlowAcc]:
        rows, self._rows = self._rows or [], None
        make = _FlowAcc.from_values
        return {(row[0], row[1], row[2], row[3]): make(row) for row in rows}

    @without_cycle_collection
    def add(self, records: Iterable[FlowRecord]) -> None:
        flows, annotations, macs = self.flows, self.annotations, self.macs
        for r in records:
            if r.evidence.startswith("zeek-") and r.evidence.endswith("-log"):
                annotations.append(r)
            else:
                key = (r.client, r.server, r.transport, r.port)
                found = flows.get(key)
                if found is None:
                    flows[key] = r
                else:
                    _accumulator(flows, key, found).add(r)
            if r.client_mac:
                macs.setdefault(r.client, set()).add(r.client_mac)
            if r.server_mac:
                macs.setdefault(r.server, set()).add(r.server_mac)

    @without_cycle_collection
    def add_flows(
        self,
        source: str,
        rows: Iterable[tuple[Any, ...]],
        operations: Mapping[int, Sequence[ControlOperation]],
    ) -> int:
        """Fold a capture's flows, given as `mergeable.FlowRow`s (`operations` by flow number), as `add` folds their
        records; a record is made only for a flow seen here for the first time. Returns the number of flows.

        A capture's flows are never Zeek protocol-log annotations."""
        flows, macs = self.flows, self.macs
        count = 0
        for f, client, server, transport, port, (
            protocol,
            evidence,
        ), packets, size, first, last, cmac, smac, direction in rows:
            count += 1
            key = (client, server, transport, port)
            ops = tuple(operations.get(f, ()))
            found = flows.get(key)
            if found is None:
                flows[key] = FlowRecord(  # values in field order, as `mergeable.finish_flows` makes them
                    client,
                    server,
                    transport,
                    port,
                    protocol,
                    evidence,
                    packets,
                    size,
                    first,
                    last,
                    source,
                    cmac,
                    smac,
                    ops,
                    False,
                    direction,
                )
            else:
                _accumulator(flows, key, found).add_values(
                    protocol, evidence, direction, False, packets, size, first, last, source, ops
                )
            if cmac:
                macs.setdefault(client, set()).add(cmac)
            if smac:
                macs.setdefault(server, set()).add(smac)
        return count

    @without_cycle_collection
    def merge(self, other: FlowTotals) -> None:
        """Add `other`'s totals (its accumulators are taken over, not copied: do not use `other` afterwards).

        Totals unpickled from a worker are merged from their rows: a key this process holds already takes the row's
        values without an accumulator made for them (0.01 s of the 16 rotated captures' `--jobs 2` run).
        """
        flows = self.flows
        rows, other._rows = other._rows, None
        for row in rows or ():
            key = (row[0], row[1], row[2], row[3])
            mine = flows.get(key)
            if mine is None:
                flows[key] = _FlowAcc.from_values(row)
            else:
                _accumulator(flows, key, mine).merge_values(row)
        for key, theirs in other._flows.items():
            mine = flows.get(key)
            if mine is None:
                flows[key] = theirs
            elif isinstance(theirs, _FlowAcc):
                _accumulator(flows, key, mine).merge(theirs)
            else:
                _accumulator(flows, key, mine).add(theirs)
        self.annotations += other.annotations
        for ip, found in other.macs.items():
            mine_macs = self.macs.get(ip)
            if mine_macs is None:
                self.macs[ip] = found
            else:
                mine_macs |= found

    def __getstate__(self) -> tuple[list[tuple[Any, ...]], list[FlowRecord], dict[str, set[str]]]:
        """Pickled (from a `--jobs` worker) as one tuple of plain values per key: a key seen once is sent as the
        accumulator its record makes."""
        rows = list(self._rows or ())
        for key, found in self._flows.items():
            if isinstance(found, FlowRecord):
                acc = _FlowAcc(*key)
                acc.add(found)
                found = acc
            rows.append(found.values())
        return rows, self.annotations, self.macs

    def __setstate__(self, state: tuple[list[tuple[Any, ...]], list[FlowRecord], dict[str, set[str]]]) -> None:
        """The rows are kept as they are until `merge` takes them or `flows` is read."""
        self._rows, self.annotations, self.macs = state
        self._flows = {}


@without_cycle_collection
def build_inventory(
    records: Iterable[FlowRecord],
    sources: Iterable[SourceStats] = (),
    vendor: Callable[[str], str | None] | None = None,
    totals: FlowTotals | None = None,
) -> Inventory:
    """Aggregate flow records per (client, server, transport, port) and derive hosts.

    Packet and byte counts come from the captures when any capture saw the
    flow, else from Zeek logs, so a capture and the conn.log made from it are
    not counted twice (also where Zeek's originator was the side that answered:
    `_fold_reversed_log_flows`). Zeek protocol-log annotations (packets 0, transport assumed tcp) merge into
    a flow with the same client, server and port whatever its transport.
    `vendor` maps a MAC to its manufacturer (injected so this stays pure).
    `totals`, when given, holds records already folded (and is added to: the records are folded into it).
    """
    if totals is None:
        totals = FlowTotals()
    totals.add(records)
    flows, annotations, macs = totals.flows, totals.annotations, totals.macs
    if annotations:
        by_endpoint = {(k[0], k[1], k[3]): k for k in flows}
        for r in annotations:
            key = by_endpoint.get((r.client, r.server, r.port)) or (r.client, r.server, r.transport, r.port)
            by_endpoint[(r.client, r.server, r.port)] = key
            _accumulator(flows, key, flows.get(key)).add(r)
    _fold_reversed_log_flows(flows)
    frozen = [a.freeze() if isinstance(a, _FlowAcc) else _freeze_record(a) for a in flows.values()]
    frozen.sort(key=lambda f: (ip_sort_key(f.client), ip_sort_key(f.server), f.transport, f.port))
    stats = list(sources)
    identities: dict[str, set[DeviceIdentity]] = {}
    for s in stats:
        for d in s.identities:
            identities.setdefault(d.ip, set()).add(d)
    hosts = _hosts(frozen, macs, vendor, identities)
    return Inventory(
        hosts=tuple(hosts),
        flows=tuple(frozen),
        sources=tuple(sorted((replace(s, identities=()) for s in stats), key=lambda s: (s.path, s.kind))),
    )


def _from_logs_only(found: _FlowAcc | FlowRecord) -> bool:
    """Whether only Zeek logs gave this flow (no capture packet)."""
    return found.from_log if isinstance(found, FlowRecord) else found.packets == 0


def _direction_rank(found: _FlowAcc | FlowRecord) -> int:
    return DIRECTION_RANK[found.direction or "port-order"]


def _fold_reversed_log_flows(flows: dict[_Key, _FlowAcc | FlowRecord]) -> None:
    """A flow only Zeek logs gave, whose reverse (server and client swapped, the same transport and port: both
    ends on one port, as BACnet's 47808 to 47808) a capture saw with stronger direction evidence, is that
    connection read the other way round: Zeek took its originator (the first sender), where the capture saw who
    asks. It is folded into the capture's flow (its sources, first and last times; the capture's counts, as for
    any flow a capture saw), so a capture and the conn.log made from it give one flow, not two. A log flow with
    control operations is left as it is: they name its client."""
    for key in [k for k, found in flows.items() if _from_logs_only(found)]:
        log = flows[key]
        reverse = (key[1], key[0], key[2], key[3])
        seen = flows.get(reverse)
        if (
            seen is None
            or _from_logs_only(seen)
            or _direction_rank(seen) <= _direction_rank(log)
            or (log.operations if isinstance(log, FlowRecord) else log.ops)
        ):
            continue
        del flows[key]
        acc = _accumulator(flows, reverse, seen)
        direction = acc.direction
        if isinstance(log, FlowRecord):
            acc.add(log)
        else:
            acc.merge(log)
        acc.direction = direction


def _accumulator(
    flows: dict[tuple[str, str, str, int], _FlowAcc | FlowRecord],
    key: tuple[str, str, str, int],
    found: _FlowAcc | FlowRecord | None,
) -> _FlowAcc:
    """The accumulator of `key`, made (with the record kept for it so far, if any) when there is none yet."""
    if isinstance(found, _FlowAcc):
        return found
    acc = flows[key] = _FlowAcc(*key)
    if found is not None:
        acc.add(found)
    return acc


def _identity_order(d: DeviceIdentity) -> tuple[str, str, float, str]:
    return (d.protocol, d.source, d.seen, d.evidence)


@dataclass(slots=True)
class _HostAcc:
    roles: set[tuple[str, str]] = field(default_factory=set)
    packets: int = 0
    bytes: int = 0
    first: float = float("inf")
    last: float = float("-inf")


def _hosts(
    flows: list[Flow],
    macs: dict[str, set[str]],
    vendor: Callable[[str], str | None] | None,
    identities: dict[str, set[DeviceIdentity]],
) -> list[Host]:
    acc: dict[str, _HostAcc] = {}
    for ip, found in identities.items():  # a device that only answered an identity request is a host
        h = acc.setdefault(ip, _HostAcc())
        h.first = min(d.seen for d in found)
        h.last = max(d.seen for d in found)
    sides: dict[str, tuple[str, str]] = {}  # each protocol's (client role, server role), looked up once
    for f in flows:
        pair = sides.get(f.protocol)
        if pair is None:
            spec = P.BY_ID.get(f.protocol)
            pair = sides[f.protocol] = (spec.client_role, spec.server_role) if spec else ("client", "server")
        label, packets, size, first, last = f.label, f.packets, f.bytes, f.first_seen, f.last_seen
        for ip, role in ((f.client, pair[0]), (f.server, pair[1])):
            host = acc.get(ip)
            if host is None:
                host = acc[ip] = _HostAcc()
            host.roles.add((label, role))
            host.packets += packets
            host.bytes += size
            if first < host.first:
                host.first = first
            if last > host.last:
                host.last = last
    out: list[Host] = []
    # Hosts share a few sets of (protocol, role) pairs and of MACs: each set's roles and vendors are made once.
    roles: dict[tuple[str, str], HostProtocol] = {}
    roles_of: dict[frozenset[tuple[str, str]], tuple[HostProtocol, ...]] = {}
    vendor_by_mac: dict[str, str | None] = {}
    vendors_of: dict[tuple[str, ...], tuple[str, ...]] = {(): ()}
    for ip in sorted(acc, key=ip_sort_key):
        h = acc[ip]
        seen_macs = macs.get(ip)
        host_macs = () if not seen_macs else tuple(seen_macs) if len(seen_macs) == 1 else tuple(sorted(seen_macs))
        host_vendors = vendors_of.get(host_macs)
        if host_vendors is None:
            found_vendors: set[str] = set()
            for m in host_macs if vendor else ():
                if m not in vendor_by_mac:
                    vendor_by_mac[m] = vendor(m) if vendor else None
                if name := vendor_by_mac[m]:
                    found_vendors.add(name)
            host_vendors = vendors_of[host_macs] = tuple(sorted(found_vendors))
        kinds = frozenset(h.roles)
        host_roles = roles_of.get(kinds)
        if host_roles is None:
            host_roles = roles_of[kinds] = tuple(
                roles.get(pair) or roles.setdefault(pair, HostProtocol(*pair)) for pair in sorted(kinds)
            )
        stated = identities.get(ip)
        out.append(
            Host(  # values in field order: positional arguments, for this many fields, are faster than keywords
                ip,
                host_macs,
                host_vendors,
                host_roles,
                h.packets,
                h.bytes,
                h.first,
                h.last,
                tuple(sorted(stated, key=_identity_order)) if stated else (),
            )
        )
    return out
