"""The serialization schema read from discovery's dataclasses writes what pydantic's own schema and pydantic-core's
inference write, and refuses a field of a kind it does not know."""

from __future__ import annotations

from dataclasses import make_dataclass
from typing import Any, Literal

import pytest
from pydantic import TypeAdapter
from pydantic_core import to_json

from factorysec.discovery.command import DiscoveryResult, _WithoutDrift, run
from factorysec.discovery.serializer import serializer, serializer_schema
from factorysec.discovery.types import Inventory
from tests.discovery.discovery_support import DATA, MODBUS_DIR, S7_PCAPNG
from tests.discovery.test_types import special_values_result


def _same_three_ways(result: DiscoveryResult) -> str:
    value = _WithoutDrift(result.inventory)
    mine = serializer(_WithoutDrift).to_json(value, indent=2, warnings="error")  # a value its schema did not expect
    assert mine == TypeAdapter(_WithoutDrift).dump_json(value, indent=2)
    assert mine == to_json(result, indent=2, inf_nan_mode="null")
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
