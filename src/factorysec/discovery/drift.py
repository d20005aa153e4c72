"""Drift: what the captures show against what the factory model declares (pure, no I/O).

Hosts map to assets by address and to zones by address (the asset's zone)
or by the longest matching zone subnet. Flows between two zones map to the
conduit declared from the client's zone to the server's zone (or the
reverse, for two-way conduits). Each rule below is one small function that
yields findings; `drift` runs them all and orders the result most severe
first.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass

from factorysec.discovery import protocols as P
from factorysec.discovery.addresses import special_address
from factorysec.discovery.drift_rules import (
    ASSET_UNSEEN,
    BLIND_SPOT,
    CONDUIT_UNOBSERVED,
    CONTROL_WRITE,
    HARD_WIRED_SEEN,
    IDENTITY_MISMATCH,
    IDENTITY_UNDECLARED,
    REF_CONDUITS,
    REF_IDENTITY,
    REF_INVENTORY,
    REF_ZONES,
    UNDECLARED_FLOW,
    UNDECLARED_PROTOCOL,
    UNKNOWN_HOST,
)
from factorysec.discovery.drift_types import (
    SEVERITY_RANK,
    DriftFinding,
    DriftReport,
    Evidence,
    FlowMapping,
    HostMapping,
    Severity,
    SubnetCoverage,
    ZoneCoverage,
)
from factorysec.discovery.identity_drift import MISMATCH, addressed_assets, hard_wired_seen, identity_drift
from factorysec.discovery.inventory import ip_sort_key
from factorysec.discovery.types import Flow, Inventory
from factorysec.model import FactoryModel
from factorysec.model.entities import Asset, Conduit, Trait, Zone, ZoneKind

CONTROL_TARGET_KINDS = frozenset({ZoneKind.PRODUCTION, ZoneKind.PRODUCTION_CONTROL, ZoneKind.LOGISTICS})
UNTRUSTED_SOURCE_KINDS = frozenset({ZoneKind.EXTERNAL, ZoneKind.OFFICE})


@dataclass(frozen=True, slots=True)
class _Index:
    """Address, zone and conduit look-ups built once from the model."""

    model: FactoryModel
    asset_by_ip: dict[str, Asset]
    """Each address the model gives an asset, canonically spelt, to that asset (read by the identity rules too)."""
    subnets: list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str]]
    zones: dict[str, Zone]
    conduits: dict[tuple[str, str], list[Conduit]]
    issuer_zones: frozenset[str]
    issuer_assets: frozenset[str]

    @classmethod
    def build(cls, model: FactoryModel) -> _Index:
        asset_by_ip = addressed_assets(model)
        subnets = [(ipaddress.ip_network(s, strict=False), z.id) for z in model.zones for s in z.subnets]
        subnets.sort(key=lambda t: -t[0].prefixlen)
        conduits: dict[tuple[str, str], list[Conduit]] = {}
        for c in model.conduits:
            conduits.setdefault((c.from_zone, c.to_zone), []).append(c)
            if c.direction == "two-way":
                conduits.setdefault((c.to_zone, c.from_zone), []).append(c)
        issuers = [a for a in model.assets if Trait.ISSUES_CONTROL_INSTRUCTIONS in a.traits]
        return cls(
            model,
            asset_by_ip,
            subnets,
            {z.id: z for z in model.zones},
            conduits,
            frozenset(a.zone for a in issuers if a.zone),
            frozenset(a.id for a in issuers),
        )

    def zone_of(self, ip: str) -> str | None:
        hit = self.asset_by_ip.get(ip)
        if hit is not None and hit.zone is not None:
            return hit.zone
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            return None
        for net, zone in self.subnets:
            if addr.version == net.version and addr in net:
                return zone
        return None

    def asset_of(self, ip: str) -> str | None:
        hit = self.asset_by_ip.get(ip)
        return hit.id if hit else None

    def conduit_for(self, src: str, dst: str) -> list[Conduit]:
        return self.conduits.get((src, dst), [])

    def receives_control(self, zone: str) -> bool:
        z = self.zones.get(zone)
        if z is not None and z.kind in CONTROL_TARGET_KINDS:
            return True
        return any(c.carries_control_instructions and c.to_zone == zone for c in self.model.conduits)

    def kind(self, zone: str) -> ZoneKind | None:
        z = self.zones.get(zone)
        return z.kind if z else None


_Mapped = list[tuple[Flow, str | None, str | None]]
"""Each flow with the zones of its client and server (None: in no declared zone)."""


def _is_infrastructure(ip: str) -> bool:
    """Broadcast, multicast and unspecified addresses (and the last address of a /24) are not hosts to inventory."""
    return special_address(ip) is not None or ip.endswith(".255")


def _evidence(f: Flow) -> Evidence:
    return Evidence(sources=f.sources, first_seen=f.first_seen, last_seen=f.last_seen, packets=f.packets)


def _flow_text(f: Flow) -> str:
    return f"{f.client} -> {f.server} {f.label} ({f.transport}/{f.port})"


def _is_control(f: Flow) -> bool:
    spec = P.BY_ID.get(f.protocol)
    return bool(spec and spec.control)


def _undeclared_severity(ix: _Index, src: str, dst: str, f: Flow) -> Severity:
    into_control = ix.receives_control(dst)
    untrusted = ix.kind(src) in UNTRUSTED_SOURCE_KINDS
    if into_control and untrusted:
        return "critical"
    if into_control or untrusted and _is_control(f):
        return "high"
    if untrusted or _is_control(f):
        return "medium"
    return "low"


def _undeclared_flows(ix: _Index, _inv: Inventory, flows: _Mapped) -> Iterator[DriftFinding]:
    for f, src, dst in flows:
        if src is None or dst is None or src == dst or _is_infrastructure(f.server):
            continue
        if ix.conduit_for(src, dst):
            continue
        yield DriftFinding(
            rule=UNDECLARED_FLOW.id,
            severity=_undeclared_severity(ix, src, dst, f),
            title=UNDECLARED_FLOW.title.en,
            message=(
                f"{_flow_text(f)} goes from zone '{src}' to zone '{dst}', but no conduit "
                f"from '{src}' to '{dst}' is declared"
            ),
            guideline=(REF_ZONES, REF_CONDUITS),
            subject=_flow_text(f),
            from_zone=src,
            to_zone=dst,
            protocol=f.label,
            evidence=_evidence(f),
        )


def _unobserved_conduits(ix: _Index, _inv: Inventory, flows: _Mapped) -> Iterator[DriftFinding]:
    seen = {(src, dst) for _, src, dst in flows if src and dst}
    for c in ix.model.conduits:
        if c.from_zone == c.to_zone:
            continue
        used = (c.from_zone, c.to_zone) in seen or (c.direction == "two-way" and (c.to_zone, c.from_zone) in seen)
        if used:
            continue
        yield DriftFinding(
            rule=CONDUIT_UNOBSERVED.id,
            severity="info",
            title=CONDUIT_UNOBSERVED.title.en,
            message=(
                f"conduit '{c.id}' ({c.from_zone} -> {c.to_zone}) carried no traffic in the "
                f"captures; remove it if it no longer exists, or capture where it runs"
            ),
            guideline=(REF_CONDUITS,),
            subject=c.id,
            from_zone=c.from_zone,
            to_zone=c.to_zone,
            conduit=c.id,
        )


def _unknown_hosts(ix: _Index, inv: Inventory, _flows: _Mapped) -> Iterator[DriftFinding]:
    flows_of: dict[str, list[Flow]] = {}
    for f in inv.flows:
        flows_of.setdefault(f.client, []).append(f)
        flows_of.setdefault(f.server, []).append(f)
    for h in inv.hosts:
        if ix.asset_of(h.ip) is not None or _is_infrastructure(h.ip):
            continue
        zone = ix.zone_of(h.ip)
        fl = flows_of.get(h.ip, [])
        where = f"inside zone '{zone}'" if zone else "outside every declared zone subnet"
        speaks = ", ".join(sorted({f"{p.protocol} {p.role}" for p in h.protocols}))
        yield DriftFinding(
            rule=UNKNOWN_HOST.id,
            severity="low" if zone else "medium",
            title=UNKNOWN_HOST.title.en,
            message=f"{h.ip} ({where}) is not an asset in the model; it speaks {speaks}"
            + (f"; MAC vendor {', '.join(h.vendors)}" if h.vendors else ""),
            guideline=(REF_INVENTORY,),
            subject=h.ip,
            to_zone=zone,
            evidence=Evidence(
                sources=tuple(sorted({s for f in fl for s in f.sources})),
                first_seen=h.first_seen,
                last_seen=h.last_seen,
                packets=h.packets,
            ),
        )


def _unseen_assets(ix: _Index, inv: Inventory, _flows: _Mapped) -> Iterator[DriftFinding]:
    seen = {h.ip for h in inv.hosts}
    for a in ix.model.assets:
        if not a.addresses:
            continue
        if any(str(ipaddress.ip_address(x)) in seen for x in a.addresses):
            continue
        yield DriftFinding(
            rule=ASSET_UNSEEN.id,
            severity="info",
            title=ASSET_UNSEEN.title.en,
            message=(
                f"asset '{a.id}' ({', '.join(a.addresses)}) sent or received nothing in the "
                f"captures; check it still exists and the captures cover its zone"
            ),
            guideline=(REF_INVENTORY,),
            subject=a.id,
            to_zone=a.zone,
        )


def _undeclared_protocols(ix: _Index, _inv: Inventory, flows: _Mapped) -> Iterator[DriftFinding]:
    for f, src, dst in flows:
        if src is None or dst is None or src == dst:
            continue
        conduits = ix.conduit_for(src, dst)
        if not conduits or any(not c.protocols or f.label in c.protocols for c in conduits):
            continue
        c = conduits[0]
        sneaked_control = _is_control(f) and not any(c.carries_control_instructions for c in conduits)
        yield DriftFinding(
            rule=UNDECLARED_PROTOCOL.id,
            severity="high" if sneaked_control else "medium",
            title=UNDECLARED_PROTOCOL.title.en,
            message=(f"{_flow_text(f)} uses {f.label} on conduit '{c.id}', which lists only {', '.join(c.protocols)}"),
            guideline=(REF_CONDUITS,),
            subject=_flow_text(f),
            from_zone=src,
            to_zone=dst,
            conduit=c.id,
            protocol=f.label,
            evidence=_evidence(f),
        )


def _control_writes(ix: _Index, _inv: Inventory, flows: _Mapped) -> Iterator[DriftFinding]:
    for f, src, dst in flows:
        if not f.operations:
            continue
        allowed = False
        if src is not None and dst is not None:
            if src == dst:
                writer = ix.asset_of(f.client)
                allowed = (writer in ix.issuer_assets) if writer else src in ix.issuer_zones
            else:
                allowed = any(c.carries_control_instructions for c in ix.conduit_for(src, dst))
        if allowed:
            continue
        ops = ", ".join(f"{o.operation} (code {o.code}) x{o.count}" for o in f.operations)
        first = min(o.first_seen for o in f.operations)
        last = max(o.last_seen for o in f.operations)
        count = sum(o.count for o in f.operations)
        yield DriftFinding(
            rule=CONTROL_WRITE.id,
            severity="critical",
            title=CONTROL_WRITE.title.en,
            message=(
                f"{f.client} (zone '{src or 'undeclared'}') sent {ops} to {f.server} "
                f"(zone '{dst or 'undeclared'}'); no conduit carrying control instructions "
                f"and no issuing asset covers it"
            ),
            guideline=(REF_CONDUITS, REF_ZONES),
            subject=_flow_text(f),
            from_zone=src,
            to_zone=dst,
            protocol=f.label,
            evidence=Evidence(sources=f.sources, first_seen=first, last_seen=last, packets=count),
        )


def coverage(ix: _Index, inv: Inventory) -> tuple[ZoneCoverage, ...]:
    """Per declared zone and subnet: observed hosts and flows and the time span they cover."""
    zone_hosts: dict[str, set[str]] = {}
    for h in inv.hosts:
        z = ix.zone_of(h.ip)
        if z is not None and not _is_infrastructure(h.ip):
            zone_hosts.setdefault(z, set()).add(h.ip)
    span: dict[str, list[float]] = {}
    count: dict[str, int] = {}
    host_span: dict[str, list[float]] = {}
    for f in inv.flows:
        for ip in (f.client, f.server):
            hs = host_span.setdefault(ip, [f.first_seen, f.last_seen])
            hs[0], hs[1] = min(hs[0], f.first_seen), max(hs[1], f.last_seen)
        for z in {ix.zone_of(f.client), ix.zone_of(f.server)}:
            if z is None:
                continue
            count[z] = count.get(z, 0) + 1
            sp = span.setdefault(z, [f.first_seen, f.last_seen])
            sp[0], sp[1] = min(sp[0], f.first_seen), max(sp[1], f.last_seen)
    out = []
    for zone in ix.model.zones:
        subnets = []
        for text in zone.subnets:
            net = ipaddress.ip_network(text, strict=False)
            inside = [
                ip
                for ip in zone_hosts.get(zone.id, ())
                if ipaddress.ip_address(ip).version == net.version and ipaddress.ip_address(ip) in net
            ]
            times = [host_span[ip] for ip in inside if ip in host_span]
            subnets.append(
                SubnetCoverage(
                    subnet=text,
                    hosts_seen=len(inside),
                    first_seen=min(t[0] for t in times) if times else None,
                    last_seen=max(t[1] for t in times) if times else None,
                )
            )
        zone_span = span.get(zone.id)
        out.append(
            ZoneCoverage(
                zone=zone.id,
                hosts_seen=len(zone_hosts.get(zone.id, ())),
                flows=count.get(zone.id, 0),
                first_seen=zone_span[0] if zone_span else None,
                last_seen=zone_span[1] if zone_span else None,
                subnets=tuple(subnets),
            )
        )
    return tuple(out)


def _blind_spots(ix: _Index, inv: Inventory, _flows: _Mapped) -> Iterator[DriftFinding]:
    for c in coverage(ix, inv):
        if not c.blind:
            continue
        subnets = ", ".join(s.subnet for s in c.subnets) or "no subnets declared"
        yield DriftFinding(
            rule=BLIND_SPOT.id,
            severity="low",
            title=BLIND_SPOT.title.en,
            message=(
                f"zone '{c.zone}' ({subnets}) had no traffic in the captures, so this drift "
                f"report says nothing about it; capture where it runs (a SPAN port or tap "
                f"on its switch)"
            ),
            guideline=(REF_INVENTORY, REF_ZONES),
            subject=c.zone,
            to_zone=c.zone,
        )


def _identities(ix: _Index, inv: Inventory, _flows: _Mapped) -> Iterator[DriftFinding]:
    for found in identity_drift(inv.hosts, ix.asset_by_ip):
        mismatch = found.rule == MISMATCH
        yield DriftFinding(
            rule=found.rule,
            severity="medium" if mismatch else "info",
            title=(IDENTITY_MISMATCH if mismatch else IDENTITY_UNDECLARED).title.en,
            message=found.message(),
            guideline=REF_IDENTITY,
            subject=found.asset.id,
            from_zone=found.asset.zone,
            evidence=Evidence(
                sources=found.observed.evidence,
                first_seen=found.host.first_seen,
                last_seen=found.host.last_seen,
                packets=found.host.packets,
            ),
        )


def _hard_wired_seen(ix: _Index, inv: Inventory, _flows: _Mapped) -> Iterator[DriftFinding]:
    for found in hard_wired_seen(inv.hosts, ix.model, ix.asset_by_ip):
        yield DriftFinding(
            rule=HARD_WIRED_SEEN.id,
            severity="high",
            title=HARD_WIRED_SEEN.title.en,
            message=found.message(),
            guideline=(REF_INVENTORY, REF_ZONES),
            subject=found.asset.id,
            to_zone=found.asset.zone,
            evidence=Evidence(
                sources=found.observed.evidence,
                first_seen=found.host.first_seen,
                last_seen=found.host.last_seen,
                packets=found.host.packets,
            ),
        )


RULES = (
    (CONTROL_WRITE.id, _control_writes),
    (UNDECLARED_FLOW.id, _undeclared_flows),
    (UNDECLARED_PROTOCOL.id, _undeclared_protocols),
    (UNKNOWN_HOST.id, _unknown_hosts),
    (ASSET_UNSEEN.id, _unseen_assets),
    (CONDUIT_UNOBSERVED.id, _unobserved_conduits),
    (BLIND_SPOT.id, _blind_spots),
    (MISMATCH, _identities),
    (HARD_WIRED_SEEN.id, _hard_wired_seen),
)
_RULE_ORDER = {rule: i for i, (rule, _) in enumerate(RULES)}
_RULE_ORDER[IDENTITY_UNDECLARED.id] = len(RULES)  # the identity check emits two rule ids


def drift(inv: Inventory, model: FactoryModel) -> DriftReport:
    """Compare an observed inventory with the model; findings most severe first."""
    ix = _Index.build(model)
    mapped = [(f, ix.zone_of(f.client), ix.zone_of(f.server)) for f in inv.flows]
    findings = [finding for _, rule in RULES for finding in rule(ix, inv, mapped)]
    findings.sort(
        key=lambda d: (
            SEVERITY_RANK[d.severity],
            _RULE_ORDER[d.rule],
            -(d.evidence.packets if d.evidence else 0),
            d.subject,
        )
    )
    hosts = tuple(HostMapping(ip=h.ip, zone=ix.zone_of(h.ip), asset=ix.asset_of(h.ip)) for h in inv.hosts)
    flows = tuple(
        FlowMapping(
            client=f.client,
            server=f.server,
            label=f.label,
            from_zone=src,
            to_zone=dst,
            conduit=(ix.conduit_for(src, dst)[0].id if src and dst and ix.conduit_for(src, dst) else None),
        )
        for f, src, dst in mapped
    )
    return DriftReport(findings=tuple(findings), hosts=hosts, flows=flows, coverage=coverage(ix, inv))


__all__ = ["DriftFinding", "DriftReport", "Evidence", "drift", "ip_sort_key"]
