from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from factorysec.discovery.command import discover
from factorysec.discovery.drift import drift
from factorysec.model import FactoryModel
from tests.discovery.discovery_support import DATA, GEEK_151020, S7_PCAPNG

MB_DIR = DATA / "ETHERNET_IP" / "mb"


def _model(
    zones: list[dict[str, Any]],
    assets: Sequence[dict[str, Any]] = (),
    conduits: Sequence[dict[str, Any]] = (),
) -> FactoryModel:
    return FactoryModel.model_validate(
        {
            "factory": {"id": "t", "name": "Test"},
            "zones": zones,
            "assets": list(assets),
            "conduits": list(conduits),
        }
    )


def _zone(zid: str, kind: str, *subnets: str) -> dict[str, Any]:
    return {"id": zid, "name": zid, "kind": kind, "subnets": list(subnets)}


def _asset(aid: str, zone: str, ip: str, *traits: str) -> dict[str, Any]:
    return {"id": aid, "name": aid, "type": "equipment", "zone": zone, "addresses": [ip], "traits": list(traits)}


def _conduit(
    cid: str, src: str, dst: str, control: bool, *protocols: str, direction: str = "one-way"
) -> dict[str, Any]:
    return {
        "id": cid,
        "from": src,
        "to": dst,
        "direction": direction,
        "carries_control_instructions": control,
        "protocols": list(protocols),
    }


HMI, PLC = "192.168.1.35", "192.168.1.191"
S7_ZONES = [
    _zone("office", "office", "192.168.1.0/28", "192.168.1.32/28"),
    _zone("cell", "production", "192.168.1.128/25"),
]


def test_undeclared_flow_from_office_into_control_zone_is_critical() -> None:
    inv = discover([S7_PCAPNG])
    report = drift(inv, _model(S7_ZONES))
    [f] = [x for x in report.findings if x.rule == "DISC-UNDECLARED-FLOW"]
    assert f.severity == "critical"
    assert (f.from_zone, f.to_zone, f.protocol) == ("office", "cell", "s7comm")
    assert f.evidence is not None and f.evidence.packets == 169
    assert f.evidence.sources == (str(S7_PCAPNG),)
    assert any("3.1.7" in g for g in f.guideline)
    assert report.findings[0] == f


def test_declared_conduit_clears_the_flow_and_wrong_protocol_is_reported() -> None:
    inv = discover([S7_PCAPNG])
    ok = drift(inv, _model(S7_ZONES, conduits=[_conduit("c1", "office", "cell", True, "s7comm")]))
    assert ok.count("DISC-UNDECLARED-FLOW") == 0
    assert ok.count("DISC-UNDECLARED-PROTOCOL") == 0
    assert [m.conduit for m in ok.flows] == ["c1"]
    bad = drift(inv, _model(S7_ZONES, conduits=[_conduit("c1", "office", "cell", False, "https")]))
    [f] = [x for x in bad.findings if x.rule == "DISC-UNDECLARED-PROTOCOL"]
    assert f.severity == "high" and f.conduit == "c1" and f.protocol == "s7comm"


def test_two_way_conduit_covers_reverse_direction() -> None:
    inv = discover([S7_PCAPNG])
    report = drift(
        inv, _model(S7_ZONES, conduits=[_conduit("c1", "cell", "office", True, "s7comm", direction="two-way")])
    )
    assert report.count("DISC-UNDECLARED-FLOW") == 0


def test_unknown_hosts_unseen_assets_and_unobserved_conduits() -> None:
    inv = discover([GEEK_151020])
    zones = [
        _zone("cell", "production", "10.10.10.0/25"),
        _zone("hmi", "monitoring", "10.10.10.16/28"),
        _zone("services", "dmz", "192.168.88.0/24"),
        _zone("office", "office", "192.168.89.0/24"),
        _zone("internet", "external", "0.0.0.0/0"),
    ]
    assets = [
        _asset("plc-1", "cell", "10.10.10.10"),
        _asset("hmi-1", "hmi", "10.10.10.20", "issues-control-instructions"),
        _asset("historian", "cell", "10.10.10.99"),
    ]
    conduits = [
        _conduit("hmi-to-cell", "hmi", "cell", True, "s7comm"),
        _conduit("office-to-internet", "office", "internet", False, "dns"),
        _conduit("cell-to-office", "cell", "office", False, "https"),
    ]
    report = drift(inv, _model(zones, assets, conduits))
    unknown = {f.subject for f in report.findings if f.rule == "DISC-UNKNOWN-HOST"}
    observed = {h.ip for h in inv.hosts}
    assert unknown == observed - {"10.10.10.10", "10.10.10.20"}
    assert [f.subject for f in report.findings if f.rule == "DISC-ASSET-UNSEEN"] == ["historian"]
    assert [f.subject for f in report.findings if f.rule == "DISC-CONDUIT-UNOBSERVED"] == ["cell-to-office"]
    protos = {(f.conduit, f.protocol) for f in report.findings if f.rule == "DISC-UNDECLARED-PROTOCOL"}
    assert ("office-to-internet", "ntp") in protos
    assert not any(p == "s7comm" for _, p in protos)
    undeclared = [f for f in report.findings if f.rule == "DISC-UNDECLARED-FLOW"]
    assert {(f.from_zone, f.to_zone) for f in undeclared} >= {("internet", "services"), ("services", "internet")}
    ranks = ["critical", "high", "medium", "low", "info"]
    order = [ranks.index(f.severity) for f in report.findings]
    assert order == sorted(order)


def test_modbus_writes_from_a_zone_without_control_conduit() -> None:
    inv = discover([MB_DIR / "conn.log", MB_DIR / "modbus.log"])
    zones = [
        _zone("scada", "monitoring", "141.81.0.0/28"),
        _zone("field", "production", "141.81.0.16/28", "141.81.0.32/27", "141.81.0.64/26", "141.81.0.128/25"),
    ]
    no_control = _model(zones, conduits=[_conduit("c", "scada", "field", False, "modbus-tcp")])
    report = drift(inv, no_control)
    writes = [f for f in report.findings if f.rule == "DISC-CONTROL-WRITE"]
    assert {f.subject.split()[2] for f in writes} >= {"141.81.0.163", "141.81.0.143"}
    assert all(f.severity == "critical" and f.from_zone == "scada" for f in writes)
    assert all(f.evidence and f.evidence.packets > 0 for f in writes)
    allowed = _model(zones, conduits=[_conduit("c", "scada", "field", True, "modbus-tcp")])
    assert drift(inv, allowed).count("DISC-CONTROL-WRITE") == 0


@pytest.mark.parametrize("issuer,expected", [(True, 0), (False, 1)])
def test_write_inside_a_zone_needs_an_issuing_asset(tmp_path: Path, issuer: bool, expected: int) -> None:
    from tests.discovery.discovery_support import (
        epb_packets,
        modbus_write_frame,
        write_pcap,
    )

    src = [p for p in epb_packets(S7_PCAPNG) if p[1][26:30] == bytes([192, 168, 1, 35])]
    frames = [(t, fr, len(fr)) for t, f, _ in src[:3] for fr in [modbus_write_frame(f, 16)]]
    path = tmp_path / "w.pcap"
    write_pcap(path, frames)
    inv = discover([path])
    traits = ("issues-control-instructions",) if issuer else ()
    model = _model(
        [_zone("cell", "production", "192.168.1.0/24")],
        [_asset("hmi", "cell", HMI, *traits), _asset("plc", "cell", PLC)],
    )
    assert drift(inv, model).count("DISC-CONTROL-WRITE") == expected


def test_coverage_names_blind_spots_with_the_time_span_seen() -> None:
    inv = discover([GEEK_151020])
    model = _model(
        [
            _zone("cell", "production", "10.10.10.0/24"),
            _zone("office", "office", "192.168.88.0/24", "192.168.77.0/24"),
            _zone("dmz", "dmz", "172.16.0.0/24"),
        ]
    )
    report = drift(inv, model)
    cover = {c.zone: c for c in report.coverage}
    assert [z for z, c in cover.items() if c.blind] == ["dmz"]
    cell = cover["cell"]
    assert (cell.hosts_seen, cell.flows) == (3, 2)
    s7 = [f for f in inv.flows if f.port == 102]
    assert cell.first_seen == min(f.first_seen for f in s7)
    assert cell.last_seen == max(f.last_seen for f in s7)
    office = {s.subnet: s.hosts_seen for s in cover["office"].subnets}
    assert office == {"192.168.88.0/24": 3, "192.168.77.0/24": 0}
    [blind] = [f for f in report.findings if f.rule == "DISC-BLIND-SPOT"]
    assert blind.subject == "dmz" and "172.16.0.0/24" in blind.message
    assert blind.guideline and all(blind.guideline)


def test_json_output_is_the_text_json_dumps_would_write() -> None:
    """render_json_bytes writes with orjson (pydantic-core for a drift report) for speed; it must write what json.dumps wrote before."""
    import json

    from factorysec.discovery.command import DiscoveryResult, render_json_bytes

    inv = discover([GEEK_151020, S7_PCAPNG, MB_DIR / "conn.log", MB_DIR / "modbus.log"])
    model = _model(
        [*S7_ZONES, _zone("cell2", "production", "10.10.10.0/24"), _zone("dmz", "dmz", "172.16.0.0/24")],
        [_asset("plc", "cell", PLC, "issues-control-instructions")],
    )
    result = DiscoveryResult(inventory=inv, drift=drift(inv, model))
    assert result.drift is not None and result.drift.findings and inv.hosts
    document = {"inventory": asdict(inv), "drift": result.drift.model_dump(mode="json")}
    assert render_json_bytes(result).decode() == json.dumps(document, indent=2, ensure_ascii=False)
