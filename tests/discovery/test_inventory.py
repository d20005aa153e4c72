"""The inventory is built with the cycle collector paused, and leaves it as it found it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from factorysec.discovery.inventory import build_inventory
from factorysec.discovery.types import FlowRecord


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
