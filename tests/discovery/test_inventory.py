"""The inventory is built with the cycle collector paused, and leaves it as it found it."""

from __future__ import annotations

import gc
import pickle
from collections.abc import Iterator
from dataclasses import asdict, fields, replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter
from pydantic_core import to_json

from factorysec.discovery.inventory import FlowTotals, _FlowAcc, _freeze_record, build_inventory
from factorysec.discovery.types import ControlOperation, FlowRecord


def _records(seen: list[bool]) -> Iterator[FlowRecord]:
    """Two flows, noting whether the collector ran while each was read."""
    for port in (502, 102):
        seen.append(gc.isenabled())
        yield FlowRecord(
            client="10.0.0.1",
            server="10.0.0.2",
            transport="tcp",
            port=port,
            protocol="unknown",
            evidence="port",
            packets=1,
            bytes=60,
            first_seen=1.0,
            last_seen=2.0,
            source="a.pcap",
        )


def test_the_collector_is_paused_while_building_and_running_again_after() -> None:
    assert gc.isenabled()
    seen: list[bool] = []
    inventory = build_inventory(_records(seen))
    assert seen == [False, False]
    assert gc.isenabled()
    assert [f.port for f in inventory.flows] == [102, 502]
    assert [h.ip for h in inventory.hosts] == ["10.0.0.1", "10.0.0.2"]


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        build_inventory(_records([]))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_runs_again_after_a_failed_build() -> None:
    def broken() -> Iterator[FlowRecord]:
        yield from _records([])
        raise RuntimeError("input went away")

    with pytest.raises(RuntimeError, match="went away"):
        build_inventory(broken())
    assert gc.isenabled()


def _revalidated(made: Any) -> Any:
    """The same values put through pydantic's validation from Python objects (as the fields' types would take them)."""
    return TypeAdapter(type(made)).validate_python(asdict(made))


def _types(made: Any) -> list[type]:
    return [type(getattr(made, f.name)) for f in fields(made)]


def test_flows_hosts_and_records_are_what_validation_makes_of_them() -> None:
    """The inventory and the conn.log records are made without validation: they must equal, hash, serialize and
    pickle like validated ones (an int where a float belongs, or a list for a tuple, would show here)."""
    import pickle

    from factorysec.discovery.types import ControlOperation, DeviceIdentity, Inventory, SourceStats
    from factorysec.discovery.zeek import read_zeek_log
    from tests.discovery.discovery_support import DATA

    logs = sorted(DATA.rglob("conn.log"))[:3]
    assert logs
    records: list[FlowRecord] = []
    stats: list[SourceStats] = []
    for log in logs:
        found, stat = read_zeek_log(log)
        records += found
        stats.append(stat)
    identity = DeviceIdentity(
        ip="10.0.0.2", protocol="enip", vendor="V", evidence="a.pcap byte 9", source="a.pcap", seen=3.0
    )
    with_operation = FlowRecord(
        client="10.0.0.1",
        server="10.0.0.2",
        transport="tcp",
        port=502,
        protocol="modbus-tcp",
        evidence="payload",
        packets=4,
        bytes=240,
        first_seen=1.0,
        last_seen=2.5,
        source="a.pcap",
        client_mac="02:00:00:00:00:01",
        operations=(
            ControlOperation(protocol="modbus-tcp", operation="write", code=6, count=2, first_seen=1.0, last_seen=2.0),
        ),
    )
    records.append(with_operation)
    stats.append(SourceStats(path="a.pcap", kind="pcap", records=4, bytes_read=240, flows=1, identities=(identity,)))
    inventory = build_inventory(records, stats, lambda mac: "Vendor")
    assert len(inventory.flows) > 10 and any(f.operations for f in inventory.flows)
    assert any(h.identities for h in inventory.hosts) and any(h.vendors for h in inventory.hosts)
    checked = TypeAdapter(Inventory).validate_json(to_json(inventory))
    assert checked == inventory and inventory == checked
    assert to_json(checked, indent=2) == to_json(inventory, indent=2)
    assert hash(checked.flows[0]) == hash(inventory.flows[0]) and hash(checked.hosts[-1]) == hash(inventory.hosts[-1])
    assert pickle.loads(pickle.dumps(inventory)) == checked
    for made in (*inventory.flows, *inventory.hosts, *records[:50]):
        again = _revalidated(made)
        assert again == made and to_json(again) == to_json(made)
        assert _types(again) == _types(made)


_operation = st.builds(
    ControlOperation,
    protocol=st.sampled_from(["modbus", "s7comm"]),
    operation=st.sampled_from(["read", "write"]),
    code=st.integers(0, 3),
    count=st.integers(1, 5),
    first_seen=st.floats(0, 10),
    last_seen=st.floats(0, 10),
)
_record = st.builds(
    FlowRecord,
    client=st.just("10.0.0.1"),
    server=st.just("10.0.0.2"),
    transport=st.sampled_from(["tcp", "udp"]),
    port=st.sampled_from([102, 502, 40000]),
    protocol=st.sampled_from(["modbus", "unknown", "s7comm", "aaa", "zzz"]),
    evidence=st.sampled_from(["payload", "port", "none", "zeek-service", "other"]),
    packets=st.integers(0, 3),
    bytes=st.integers(0, 300),
    first_seen=st.floats(allow_nan=True, allow_infinity=True),
    last_seen=st.floats(allow_nan=True, allow_infinity=True),
    source=st.sampled_from(["a.pcap", "conn.log"]),
    operations=st.lists(_operation, max_size=4).map(tuple),
    from_log=st.booleans(),
    direction=st.sampled_from(["handshake", "protocol", "server-port", "originator", "port-order"]),
)


@settings(max_examples=300, deadline=None)
@given(_record)
def test_a_key_of_one_record_makes_the_flow_its_accumulator_makes(record: FlowRecord) -> None:
    """`build_inventory` freezes a key with one record without an accumulator: the same flow, field by field."""
    acc = _FlowAcc(record.client, record.server, record.transport, record.port)
    acc.add(record)
    expected, made = acc.freeze(), _freeze_record(record)
    assert to_json(made, inf_nan_mode="null") == to_json(expected, inf_nan_mode="null")
    assert repr(made) == repr(expected)  # NaN and infinite times too (JSON writes both as null)
    assert _types(made) == _types(expected)


_records_of_two_hosts = st.lists(
    st.builds(
        lambda r, client, mac: replace(r, client=client, client_mac=mac),
        _record,
        st.sampled_from(["10.0.0.1", "10.0.0.3"]),
        st.sampled_from([None, "00:00:00:00:00:01", "00:00:00:00:00:02"]),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(_records_of_two_hosts, st.data())
def test_totals_folded_apart_and_merged_in_any_order_make_the_inventory_of_all_records(
    records: list[FlowRecord], data: st.DataObject
) -> None:
    """What a `--jobs` worker does: fold its records into `FlowTotals`, pickle them; merged in any order and
    grouping (a key seen once, in one group or several, by accumulator or by record) they give the records' inventory."""
    expected = build_inventory(records)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(records)), max_size=4)))
    groups = [records[a:b] for a, b in zip([0, *cuts], [*cuts, len(records)], strict=True)]
    folded = []
    for group in groups:
        totals = FlowTotals()
        totals.add(group)
        folded.append(pickle.loads(pickle.dumps(totals)) if data.draw(st.booleans()) else totals)
    order = data.draw(st.permutations(range(len(folded))))
    merged = folded[order[0]]
    for k in order[1:]:
        merged.merge(folded[k])
    made = build_inventory((), totals=merged)
    assert repr(made) == repr(expected)  # NaN times too
    assert to_json(made, inf_nan_mode="null") == to_json(expected, inf_nan_mode="null")


def test_merged_totals_sum_what_each_side_saw() -> None:
    """Two processes' totals of one flow: counts add, times widen, sources and MACs join, the stronger evidence wins."""
    base = FlowRecord("10.0.0.1", "10.0.0.2", "tcp", 502, "unknown", "port", 2, 120, 5.0, 6.0, "b.pcap")
    one, two = FlowTotals(), FlowTotals()
    one.add([replace(base, protocol="modbus", evidence="payload", client_mac="00:00:00:00:00:01")])
    two.add([base, replace(base, first_seen=1.0, last_seen=9.0, source="c.pcap", direction="handshake")])
    one.merge(pickle.loads(pickle.dumps(two)))
    [flow] = build_inventory((), totals=one).flows
    assert (flow.protocol, flow.evidence, flow.direction) == ("modbus", "payload", "handshake")
    assert (flow.packets, flow.bytes, flow.first_seen, flow.last_seen) == (6, 360, 1.0, 9.0)
    assert flow.sources == ("b.pcap", "c.pcap")
    assert build_inventory((), totals=one).host("10.0.0.1").macs == ("00:00:00:00:00:01",)  # type: ignore[union-attr]
