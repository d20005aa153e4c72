"""Discovery's result types are slotted dataclasses (hashable, compared by value), made without validation by the readers and the inventory: a run
over captures imports no pydantic, and what the readers make is what pydantic's validation of the same values makes
(a field given an int where a float belongs would be written `1` instead of `1.0`)."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter
from pydantic_core import to_json

from factorysec.discovery.command import DiscoveryResult, run
from factorysec.discovery.pcap import read_capture
from factorysec.discovery.zeek import read_zeek_log
from tests.discovery.discovery_support import (
    DATA,
    GEEK_151020,
    MODBUS_DIR,
    S7_PCAPNG,
    epb_packets,
    modbus_write_frame,
    write_pcap,
)

_RUN_THEN_LIST_MODULES = """
import json, sys
from pathlib import Path
from factorysec.discovery.command import render_json_bytes, render_text, run
result = run([Path(p) for p in sys.argv[2:]], None)
print(render_json_bytes(result).decode() if sys.argv[1] == "json" else render_text(result))
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("output", ["text", "json"])
def test_a_run_over_a_capture_and_a_log_imports_no_pydantic(output: str) -> None:
    """pydantic's import and its models' builds cost about a tenth of a CPU-second of a one-second run: discovery
    over a capture and a conn.log imports none of it, nor pydantic-core (0.013 s): JSON is written by orjson."""
    done = subprocess.run(
        [sys.executable, "-c", _RUN_THEN_LIST_MODULES, output, str(S7_PCAPNG), str(GEEK_151020)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "192.168.1.35" in done.stdout
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert {"factorysec.discovery.pcap", "factorysec.discovery.zeek"} <= loaded
    assert not {m for m in loaded if m == "pydantic" or m.startswith("pydantic.")}
    assert not {m for m in loaded if m == "pydantic_core" or m.startswith("pydantic_core.")}
    assert ("orjson" in loaded) == (output == "json")


def _values(made: Any) -> list[Any]:
    return [getattr(made, f.name) for f in fields(made)]


def _same_as_validated(made: Any) -> None:
    again = TypeAdapter(type(made)).validate_python(asdict(made))
    assert again == made and made == again and hash(again) == hash(made)
    assert to_json(again, indent=2) == to_json(made, indent=2)
    assert [type(v) for v in _values(again)] == [type(v) for v in _values(made)]
    assert pickle.loads(pickle.dumps(made)) == again


def test_capture_records_and_statistics_are_what_validation_makes(tmp_path: Path) -> None:
    """The capture's records (with control operations), statistics (with skip counts) and hosts' roles."""
    cut = tmp_path / "cut.pcapng"
    whole = S7_PCAPNG.read_bytes()
    cut.write_bytes(whole[: len(whole) * 2 // 3])  # a record cut short: a skip count with its position
    writes = tmp_path / "writes.pcap"  # Modbus writes: control operations on the flow
    frames = [modbus_write_frame(f, (3, 6, 16)[i % 3]) for i, (_, f, _) in enumerate(epb_packets(S7_PCAPNG)[:12])]
    write_pcap(writes, [(1.0 + i, f, len(f)) for i, f in enumerate(frames)])
    captures = [S7_PCAPNG, cut, writes, *sorted(MODBUS_DIR.rglob("*.pcap*"))[:3]]
    operations = skipped = 0
    for path in captures:
        records, stats = read_capture(path)
        _same_as_validated(stats)
        skipped += len(stats.skipped)
        for record in records:
            _same_as_validated(record)
            for op in record.operations:
                operations += 1
                _same_as_validated(op)
    assert operations and skipped
    result = run(captures[:2], None)
    assert isinstance(result, DiscoveryResult)
    _same_as_validated(result.inventory)
    assert any(h.protocols for h in result.inventory.hosts)
    for host in result.inventory.hosts:
        _same_as_validated(host)
        for role in host.protocols:
            _same_as_validated(role)
    for flow in result.inventory.flows:
        _same_as_validated(flow)


def test_zeek_statistics_are_what_validation_makes(tmp_path: Path) -> None:
    """A conn.log's statistics with lines left out, and the other logs' statistics."""
    damaged = tmp_path / "conn.log"
    lines = GEEK_151020.read_text().splitlines(keepends=True)
    body = [i for i, line in enumerate(lines) if not line.startswith("#")]
    lines[body[3]] = "not\ta\tconn\trow\n"
    damaged.write_text("".join(lines))
    _, stats = read_zeek_log(damaged)
    assert stats.skipped and stats.skipped[0].positions
    _same_as_validated(stats)
    read = 0
    for kind in ("snmp", "modbus", "dnp3"):  # an SNMP log's statistics carry the identities it found
        for log in sorted(DATA.rglob(f"{kind}.log"))[:3]:
            _, found = read_zeek_log(log)
            _same_as_validated(found)
            read += 1
    assert read >= 5


def special_values_result() -> DiscoveryResult:
    """A result with non-finite and extreme times, text outside ASCII, None fields, identities and operations."""
    from factorysec.discovery.inventory import build_inventory
    from factorysec.discovery.types import ControlOperation, DeviceIdentity, FlowRecord, SourceStats

    operation = ControlOperation("modbus", "write", 16, 3, 1.5, float("inf"))
    records = [
        FlowRecord(
            "10.0.0.1",
            "10.0.0.2",
            "tcp",
            502,
            "modbus",
            "payload",
            4,
            240,
            float("nan"),
            2.0,
            "ä.pcap",
            "00:1d:9c:00:00:01",
            None,
            (operation,),
            False,
            "handshake",
        ),
        FlowRecord("fe80::1", "10.0.0.2", "udp", 47808, "bacnet", "port", 1, 60, 1e16, 1e-7, "b.pcap"),
    ]
    identity = DeviceIdentity(
        ip="10.0.0.2",
        protocol="enip",
        vendor="Rockwell",
        product="1756-L61 «Logix»",
        evidence="ä.pcap byte 24",
        source="ä.pcap",
        seen=1.25,
    )
    stats = [
        SourceStats("ä.pcap", "pcap", 4, 240, 1, identities=(identity,)),
        SourceStats("x", "not read", 0, 0, 0, not_read="damaged"),
    ]
    return DiscoveryResult(build_inventory(records, stats, lambda mac: "Rockwell Automation"))


def test_json_through_the_types_schema_is_the_text_inferred_from_the_objects() -> None:
    """`render_json_bytes` (orjson, or the types' schema in `discovery.serializer`) writes the same text as pydantic-core's
    inference, non-finite times (null), text outside ASCII, identities and operations included."""
    from factorysec.discovery.command import render_json_bytes

    result = special_values_result()
    written = render_json_bytes(result).decode()
    assert written == to_json(result, indent=2, inf_nan_mode="null").decode()
    assert '"first_seen": null' in written and "Logix" in written and '"drift": null' in written
