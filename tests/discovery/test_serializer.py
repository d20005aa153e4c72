"""The serialization schema read from discovery's dataclasses writes what pydantic's own schema and pydantic-core's
inference write, and refuses a field of a kind it does not know."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import make_dataclass, replace
from pathlib import Path
from typing import Any, Literal

import orjson
import pytest
from pydantic import TypeAdapter
from pydantic_core import to_json
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.discovery.command import DiscoveryResult, _WithoutDrift, render_json_bytes, run
from factorysec.discovery.serializer import serializer, serializer_schema
from factorysec.discovery.types import Inventory
from tests.discovery.discovery_support import DATA, MODBUS_DIR, S7_PCAPNG
from tests.discovery.test_types import special_values_result


def _same_three_ways(result: DiscoveryResult) -> str:
    value = _WithoutDrift(result.inventory)
    mine = serializer(_WithoutDrift).to_json(value, indent=2, warnings="error")  # a value its schema did not expect
    assert mine == TypeAdapter(_WithoutDrift).dump_json(value, indent=2)
    assert mine == to_json(result, indent=2, inf_nan_mode="null")
    assert render_json_bytes(result) == mine  # what the command writes: orjson's bytes
    return mine.decode()


def test_real_captures_and_logs_are_written_as_pydantic_writes_them() -> None:
    captures = [S7_PCAPNG, *sorted(MODBUS_DIR.glob("*.pcap"))[:2], *sorted(DATA.rglob("conn.log"))[:1]]
    written = _same_three_ways(run(captures, None))
    assert '"hosts"' in written and '"operations"' in written


def test_special_values_are_written_as_pydantic_writes_them() -> None:
    written = _same_three_ways(special_values_result())
    assert '"first_seen": null' in written and "«Logix»" in written


def test_an_empty_inventory() -> None:
    assert '"hosts": []' in _same_three_ways(DiscoveryResult(Inventory(hosts=(), flows=(), sources=())))


@pytest.mark.parametrize("kind", [dict[str, int], list[str], Literal["a"], tuple[str, int], int | str, Any])
def test_a_kind_it_does_not_know_is_refused(kind: Any) -> None:
    unknown = make_dataclass("Unknown", [("name", str), ("kind", kind)])
    with pytest.raises(TypeError, match="no serialization schema"):
        serializer_schema(unknown)


def test_a_count_outside_64_bits_is_written_by_pydantic_core() -> None:
    """orjson refuses a whole number outside 64 bits; the result then goes to pydantic-core, which writes it."""
    result = run([S7_PCAPNG], None)
    flows = result.inventory.flows
    huge = replace(result, inventory=replace(result.inventory, flows=(replace(flows[0], bytes=2**70), *flows[1:])))
    with pytest.raises(orjson.JSONEncodeError):
        orjson.dumps(_WithoutDrift(huge.inventory))
    written = render_json_bytes(huge)
    assert written == to_json(huge, indent=2, inf_nan_mode="null")
    assert json.loads(written)["inventory"]["flows"][0]["bytes"] == 2**70


@pytest.mark.skipif(os.name != "posix", reason="a file name of bytes that are not UTF-8 needs a POSIX file system")
def test_a_file_name_that_is_not_utf8_is_written_escaped(tmp_path: Path) -> None:
    """Python keeps a file name's undecodable bytes as lone surrogates, which JSON cannot hold: the JSON names the
    file with the bytes escaped (it used to end in a traceback), the rest as without them."""
    folder = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"captures")))
    folder.mkdir()
    shutil.copy(S7_PCAPNG, Path(os.fsdecode(os.path.join(os.fsencode(folder), b"s7-\xff.pcapng"))))
    result = CliRunner().invoke(app, ["discover", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    written = json.loads(result.stdout_bytes)
    [source] = written["inventory"]["sources"]
    assert source["path"].endswith("s7-\\xff.pcapng") and source["records"] > 0
    plain = json.loads(render_json_bytes(run([S7_PCAPNG], None)))
    assert len(written["inventory"]["flows"]) == len(plain["inventory"]["flows"]) > 0
    model = tmp_path / "m.yaml"  # with a drift report (pydantic models, which name the file too)
    model.write_text(
        "factory: {id: f, name: F}\nzones:\n  - {id: c, name: C, kind: production, subnets: [192.0.2.0/24]}\n"
    )
    result = CliRunner().invoke(app, ["discover", str(folder), "--model", str(model), "--format", "json"])
    assert result.exit_code == 0, result.output
    drift = json.loads(result.stdout_bytes)["drift"]
    cited = [path for finding in drift["findings"] for path in (finding["evidence"] or {}).get("sources", [])]
    assert cited and all(path.endswith("s7-\\xff.pcapng") for path in cited)
