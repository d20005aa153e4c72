"""A starter factory model from an observed inventory (pure: returns the model, writes nothing).

Hosts are grouped into one zone per /24 (IPv4) or /64 (IPv6) subnet; public
addresses become `external` zones, private ones `other` zones for the user to
rename and classify. Each observed direction between two zones becomes a
one-way conduit listing the protocols seen.
"""

from __future__ import annotations

import ipaddress

from factorysec.discovery import protocols as P
from factorysec.discovery.addresses import special_address
from factorysec.discovery.identity_drift import ObservedIdentity
from factorysec.discovery.inventory import ip_sort_key
from factorysec.discovery.types import Flow, HostProtocol, Inventory
from factorysec.model import FactoryModel
from factorysec.report.inert import printable


def _subnet(ip: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    a = ipaddress.ip_address(ip)
    return ipaddress.ip_network(f"{ip}/{24 if a.version == 4 else 64}", strict=False)


def _zone_id(net: ipaddress.IPv4Network | ipaddress.IPv6Network) -> str:
    text = str(net.network_address).replace(".", "-").replace(":", "-").strip("-")
    return f"net-{text}-{net.prefixlen}"


def _host_id(ip: str) -> str:
    return "host-" + ip.replace(".", "-").replace(":", "-").strip("-")


def _is_host(ip: str) -> bool:
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        return False
    return special_address(ip) is None


def _issues_control(ip: str, flows: list[Flow]) -> bool:
    for f in flows:
        spec = P.BY_ID.get(f.protocol)
        if f.client == ip and spec is not None and spec.control:
            return True
    return False


def _describe(protocols: tuple[HostProtocol, ...]) -> str:
    """Known protocols by name; unrecognised ports only counted, to keep the text short."""
    known = [f"{p.protocol} {p.role}" for p in protocols if "/" not in p.protocol]
    other = sum(1 for p in protocols if "/" in p.protocol)
    parts = known + ([f"{other} unrecognised port(s)"] if other else [])
    return "Observed: " + ", ".join(parts)


def starter_model(inv: Inventory, name: str = "Factory observed in captures") -> FactoryModel:
    """Zones by subnet, one asset per host, conduits for observed inter-zone flows."""
    nets: dict[str, ipaddress.IPv4Network | ipaddress.IPv6Network] = {}
    zone_of: dict[str, str] = {}
    for h in inv.hosts:
        if not _is_host(h.ip):
            continue
        net = _subnet(h.ip)
        zid = _zone_id(net)
        nets[zid] = net
        zone_of[h.ip] = zid
    zones = [
        {
            "id": zid,
            "name": f"Observed {net}",
            "kind": "external" if net.network_address.is_global else "other",
            "subnets": [str(net)],
        }
        for zid, net in sorted(nets.items(), key=lambda t: ip_sort_key(str(t[1].network_address)))
    ]
    flows = list(inv.flows)
    assets = []
    for h in inv.hosts:
        if h.ip not in zone_of:
            continue
        label = f"{h.ip} ({h.vendors[0]})" if h.vendors else h.ip
        observed = ObservedIdentity.merge(h.identities)
        identity = {"identity": observed.as_model_identity()} if observed is not None else {}
        assets.append(
            {
                "id": _host_id(h.ip),
                "name": label,
                "type": "equipment",
                "zone": zone_of[h.ip],
                "addresses": [h.ip],
                "traits": ["issues-control-instructions"] if _issues_control(h.ip, flows) else [],
                "description": printable(
                    _describe(h.protocols)
                    + "".join(
                        f"; identity ({d.protocol}): {d.summary()} (evidence: {d.evidence})" for d in h.identities
                    )
                ),
                **identity,
            }
        )
    pairs: dict[tuple[str, str], set[str]] = {}
    control: dict[tuple[str, str], bool] = {}
    for f in flows:
        src, dst = zone_of.get(f.client), zone_of.get(f.server)
        if src is None or dst is None or src == dst:
            continue
        pairs.setdefault((src, dst), set()).add(f.label)
        spec = P.BY_ID.get(f.protocol)
        control[(src, dst)] = control.get((src, dst), False) or bool(spec and spec.control)
    conduits = [
        {
            "id": f"{src}-to-{dst}",
            "from": src,
            "to": dst,
            "direction": "one-way",
            "carries_control_instructions": control[(src, dst)],
            "protocols": sorted(labels),
        }
        for (src, dst), labels in sorted(pairs.items())
    ]
    return FactoryModel.model_validate(
        {
            "factory": {"id": "observed-factory", "name": name},
            "zones": zones,
            "assets": assets,
            "conduits": conduits,
        }
    )
