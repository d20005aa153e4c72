"""Discovery: observed hosts and flows from captures and Zeek logs, and drift against the model.

Readers (`read_capture`, `read_zeek_log`, `read_input`) produce `FlowRecord`s and
`SourceStats`; `build_inventory` merges them into an `Inventory`; `drift`
compares an inventory with a `FactoryModel`; `starter_model` proposes a model
from an inventory. `command.run` chains them for the CLI.
"""

from factorysec.discovery.drift import DriftFinding, DriftReport, drift
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
    "drift",
    "expand_inputs",
    "read_capture",
    "read_input",
    "read_zeek_log",
    "starter_model",
]
