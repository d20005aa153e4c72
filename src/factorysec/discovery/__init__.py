"""Discovery: observed hosts and flows from captures and Zeek logs, and drift against the model.

Readers (`read_capture`, `read_zeek_log`, `read_input`) produce `FlowRecord`s and
`SourceStats`; `build_inventory` merges them into an `Inventory`; `drift_report`
compares an inventory with a `FactoryModel`; `starter_model` proposes a model
from an inventory. `command.run` chains them for the CLI.

The names below are imported from their modules on first use, so importing one
discovery module (the drift rules, say, which the rule listing needs) does not
load the capture readers, numpy and the model with it. `drift` is always the
`factorysec.discovery.drift` module, whether or not it has been imported yet
(a lazy name for its function would be replaced by the module the moment the
module is imported); the function is `drift_report` here, `drift.drift` there.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from factorysec.discovery.drift import DriftFinding, DriftReport
    from factorysec.discovery.drift import drift as drift_report
    from factorysec.discovery.inventory import build_inventory
    from factorysec.discovery.pcap import read_capture
    from factorysec.discovery.readers import expand_inputs, read_input
    from factorysec.discovery.starter import starter_model
    from factorysec.discovery.types import (
        ControlOperation,
        DiscoveryInputError,
        Flow,
        FlowRecord,
        Host,
        Inventory,
        SourceStats,
    )
    from factorysec.discovery.zeek import read_zeek_log

_HOMES = {
    "DriftFinding": "drift",
    "DriftReport": "drift",
    "drift_report": "drift",
    "build_inventory": "inventory",
    "read_capture": "pcap",
    "expand_inputs": "readers",
    "read_input": "readers",
    "starter_model": "starter",
    "ControlOperation": "types",
    "DiscoveryInputError": "types",
    "Flow": "types",
    "FlowRecord": "types",
    "Host": "types",
    "Inventory": "types",
    "SourceStats": "types",
    "read_zeek_log": "zeek",
}
_RENAMED = {"drift_report": "drift"}
"""Exported names that differ from their name in their home module."""
_SUBMODULES = frozenset({"drift"})
"""Submodules whose name is also the name of a function in them: the package name is the module."""

__all__ = [
    "ControlOperation",
    "DiscoveryInputError",
    "DriftFinding",
    "DriftReport",
    "Flow",
    "FlowRecord",
    "Host",
    "Inventory",
    "SourceStats",
    "build_inventory",
    "drift_report",
    "expand_inputs",
    "read_capture",
    "read_input",
    "read_zeek_log",
    "starter_model",
]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), _RENAMED.get(name, name))
