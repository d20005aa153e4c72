"""The `discover` command as plain functions: read inputs, build the inventory, drift, render."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from factorysec.discovery.drift import DriftReport, drift
from factorysec.discovery.inventory import build_inventory
from factorysec.discovery.readers import expand_inputs, read_input
from factorysec.discovery.starter import starter_model
from factorysec.discovery.types import (
    DiscoveryInputError,
    FlowRecord,
    Inventory,
    SourceStats,
)
from factorysec.discovery.vendor import vendor_of
from factorysec.model import FactoryModel, dump_model


class DiscoveryResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    inventory: Inventory
    drift: DriftReport | None = None


def discover(inputs: Sequence[Path | str]) -> Inventory:
    """Read every capture and log (directories expanded) into one inventory."""
    paths = expand_inputs(inputs)
    if not paths:
        raise DiscoveryInputError(", ".join(map(str, inputs)), "no captures or Zeek logs found")
    records: list[FlowRecord] = []
    stats: list[SourceStats] = []
    for p in paths:
        r, s = read_input(p)
        records.extend(r)
        stats.append(s)
    return build_inventory(records, stats, vendor_of)


def run(inputs: Sequence[Path | str], model: FactoryModel | None) -> DiscoveryResult:
    inv = discover(inputs)
    return DiscoveryResult(inventory=inv, drift=drift(inv, model) if model else None)


def write_starter(inv: Inventory, directory: Path, *, force: bool = False) -> Path:
    """Write `factory.yaml` with the starter model into `directory`; returns its path (policy: :mod:`factorysec.outputs`)."""
    from factorysec.outputs import prepare_folder, write_output

    target = prepare_folder(directory) / "factory.yaml"
    return write_output(target, dump_model(starter_model(inv)), force=force)


def _time(ts: float | None) -> str:
    if ts is None or not math.isfinite(ts):
        return "-"
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S")


def render_json(result: DiscoveryResult) -> str:
    return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False)


def render_text(result: DiscoveryResult) -> str:
    return "\n".join(_text_lines(result)) + "\n"


def _text_lines(result: DiscoveryResult) -> Iterable[str]:
    inv = result.inventory
    yield f"Sources ({len(inv.sources)})"
    for s in inv.sources:
        yield f"  {s.path}: {s.kind}, {s.records} records, {s.flows} flows"
        for k in s.skipped:
            yield f"    skipped {k.count} {k.unit}: {k.reason}"
    yield ""
    yield f"Hosts ({len(inv.hosts)})"
    for h in inv.hosts:
        mac = f" {', '.join(h.macs)}" if h.macs else ""
        vendor = f" [{', '.join(h.vendors)}]" if h.vendors else ""
        known = [f"{p.protocol} {p.role}" for p in h.protocols if "/" not in p.protocol]
        other = sum(1 for p in h.protocols if "/" in p.protocol)
        roles = ", ".join(known + ([f"{other} other port(s)"] if other else []))
        yield f"  {h.ip}{mac}{vendor}: {roles}"
    yield ""
    yield f"Flows ({len(inv.flows)})"
    for f in inv.flows:
        ops = "; " + ", ".join(f"{o.operation} x{o.count}" for o in f.operations) if f.operations else ""
        yield (f"  {f.client} -> {f.server} {f.label} {f.transport}/{f.port} [{f.evidence}] "
               f"{f.packets} pkts {f.bytes} B {_time(f.first_seen)} .. {_time(f.last_seen)}{ops}")
    if result.drift is None:
        return
    d = result.drift
    yield ""
    yield f"Drift ({len(d.findings)} findings)"
    for x in d.findings:
        yield f"  {x.severity.upper():8} {x.rule}: {x.message}"
        yield f"           guideline: {'; '.join(x.guideline)}"
        if x.evidence:
            e = x.evidence
            yield (f"           evidence: {', '.join(e.sources) or '-'}; {_time(e.first_seen)} .. "
                   f"{_time(e.last_seen)}; {e.packets} packets")
