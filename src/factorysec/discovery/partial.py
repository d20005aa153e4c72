"""Partial results: what reading some inputs gave, before merging, as a small file.

A partial holds the flow records and per-file statistics (with device
identities) that readers produce, and for captures read in byte ranges
(`discover --partial OUT --byte-range ...`, or a partial merged from some of a
capture's parts) the unfinished parts (`parts.CapturePart`). Merging is
`build_inventory` over the records and statistics of any number of partials,
after the parts of each capture are merged and finished: it does not depend on
their order or on how files and parts were grouped, so captures can be read
where they are (other processes, other machines, other sites) and only
partials moved.

The format is JSON: `{"factorysec_partial": 1, "sources": [...], "records": [...]}`,
version 2 when it also holds `"parts": [...]`; a part's per-side columns are
little-endian arrays, zlib-compressed and base64-encoded.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import math
import zlib
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factorysec.discovery import protocols as P
from factorysec.discovery.inventory import FlowTotals, without_cycle_collection
from factorysec.discovery.types import (
    DIRECTION_RANK,
    ControlOperation,
    DiscoveryInputError,
    FlowRecord,
    SourceStats,
)

if TYPE_CHECKING:
    # numpy and the capture flow table are imported where a capture part is written or read: a run over Zeek logs
    # (and the `Partial` container every run uses) needs neither.
    import numpy as np

    from factorysec.discovery.parts import CapturePart

PARTIAL_VERSION = 1
PARTIAL_VERSION_WITH_PARTS = 2
PARTIAL_MAGIC = b'{"factorysec_partial"'


@dataclass(slots=True)
class Partial:
    """What some inputs gave before merging: finished records and statistics, and unfinished capture parts."""

    records: list[FlowRecord] = field(default_factory=list)
    sources: list[SourceStats] = field(default_factory=list)
    parts: list[CapturePart] = field(default_factory=list)
    totals: FlowTotals | None = None
    """Records already folded per flow (a `--jobs` run's whole captures): what `build_inventory` makes of them."""

    def __getstate__(self) -> tuple[RecordColumns, list[SourceStats], list[CapturePart], FlowTotals | None]:
        """Pickled (from a `--jobs` worker or a Dask worker to the command) with the records as columns."""
        return pack_records(self.records), self.sources, self.parts, self.totals

    def __setstate__(
        self, state: tuple[RecordColumns, list[SourceStats], list[CapturePart], FlowTotals | None]
    ) -> None:
        packed, self.sources, self.parts, self.totals = state
        self.records = unpack_records(packed)


RecordColumns = tuple[Any, ...]
"""`FlowRecord` fields as columns, in declaration order: numbers as `array.array`, text and the rest as tuples."""

_RECORD_FIELDS = tuple(f.name for f in fields(FlowRecord))
_OPERATIONS_AT = _RECORD_FIELDS.index("operations")
_OPERATION_FIELDS = tuple(f.name for f in fields(ControlOperation))
_NUMBER_COLUMNS = {"port": "q", "packets": "q", "bytes": "q", "first_seen": "d", "last_seen": "d"}
"""Record fields pickled as machine numbers (one bytes object a column, not one pickled number a record)."""


def pack_records(records: Sequence[FlowRecord]) -> RecordColumns:
    """The records' field values as columns (their operations as tuples of plain values): what pickle writes and
    reads fastest.

    Unpickling a slotted object sets its slots one by one from Python, a few microseconds each; the 10,000 records
    two `--jobs` workers send back cost the command about a tenth of a second that way. Columns pickle as a
    few large objects (a text that many records share, such as the source or a host, once), and `unpack_records`
    makes each record from one row of them.
    """
    if not records:
        return ()
    values = attrgetter(*_RECORD_FIELDS)
    operation_values = attrgetter(*_OPERATION_FIELDS)
    columns: list[tuple[Any, ...]] = list(zip(*map(values, records), strict=True))
    columns[_OPERATIONS_AT] = tuple(
        tuple(operation_values(o) for o in ops) if ops else () for ops in columns[_OPERATIONS_AT]
    )
    out: list[Any] = []
    for name, column in zip(_RECORD_FIELDS, columns, strict=True):
        code = _NUMBER_COLUMNS.get(name)
        out.append(array(code, column) if code is not None else column)
    return tuple(out)


@without_cycle_collection
def unpack_records(packed: RecordColumns) -> list[FlowRecord]:
    """The records `pack_records` packed, as they were.

    With the cycle collector paused: the records hold no cycles, and the collections their allocations set off
    would walk the whole command's objects (a fifth to a quarter of the time in a parent that has loaded the CLI)."""
    if not packed:
        return []
    columns: list[Any] = [column.tolist() if isinstance(column, array) else column for column in packed]
    columns[_OPERATIONS_AT] = [
        tuple(ControlOperation(*o) for o in ops) if ops else () for ops in columns[_OPERATIONS_AT]
    ]
    return [FlowRecord(*row) for row in zip(*columns, strict=True)]


@cache
def _columns() -> dict[str, tuple[str, int]]:
    """Per-side columns of a part: dtype and values per side."""
    from factorysec.discovery.flowtable import PAYLOAD_SAMPLES

    return {
        "keys": ("<u8", 2),
        "packets": ("<i8", 1),
        "bytes": ("<i8", 1),
        "first_seen": ("<f8", 1),
        "last_seen": ("<f8", 1),
        "first_position": ("<i8", 1),
        "src_mac": ("<u8", 1),
        "dst_mac": ("<u8", 1),
        "syn_position": ("<i8", 1),
        "syn_without_ack": ("|b1", 1),
        "says_position": ("<i8", 1),
        "says_sender_is_client": ("|b1", 1),
        "sample_position": ("<i8", PAYLOAD_SAMPLES),
        "sample_verdict": ("|i1", PAYLOAD_SAMPLES),
    }


_OP_COLUMNS: dict[str, str] = {
    "op_side": "<i8",
    "op_code": "<i8",
    "op_count": "<i8",
    "op_first": "<f8",
    "op_last": "<f8",
}


def _encode(values: np.ndarray, dtype: str) -> str:
    import numpy as np

    return base64.b64encode(zlib.compress(np.ascontiguousarray(values, dtype=dtype).tobytes(), 1)).decode("ascii")


def _part_body(part: CapturePart) -> dict[str, Any]:
    from factorysec.discovery.flowtable import ip_text

    st = part.flows
    columns = {name: _encode(getattr(st, name), dtype) for name, (dtype, _width) in _columns().items()}
    columns |= {name: _encode(getattr(st, name), dtype) for name, dtype in _OP_COLUMNS.items()}
    return {
        "path": part.path,
        "kind": part.kind,
        "size": part.size,
        "ranges": [list(r) for r in part.ranges],
        "stats": {
            "packets": part.stats.packets,
            "bytes_read": part.stats.bytes_read,
            "non_ip": dict(sorted(part.stats.non_ip.items())),
            "skipped": [
                {"reason": r, "unit": u, "count": c, "positions": part.stats.positions.get((r, u), [])}
                for (r, u), c in sorted(part.stats.skipped.items())
            ],
        },
        "flows": {
            "sides": st.sides,
            "operations": int(st.op_side.size),
            "hosts": [ip_text(h) for h in st.hosts],
            "columns": columns,
            "identities": [
                {
                    "side": c.side,
                    "orientations": c.orientations,
                    "position": c.position,
                    "identity": _without_defaults(c.identity),
                }
                for c in st.identities
            ],
        },
    }


def dump_partial(
    records: Sequence[FlowRecord], sources: Sequence[SourceStats], parts: Sequence[CapturePart] = ()
) -> str:
    """The partial as JSON text (defaults left out to keep it small)."""
    body: dict[str, Any] = {
        "factorysec_partial": PARTIAL_VERSION_WITH_PARTS if parts else PARTIAL_VERSION,
        "sources": [_without_defaults(s) for s in sources],
        "records": [_without_defaults(r) for r in records],
    }
    if parts:
        body["parts"] = [_part_body(p) for p in parts]
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def _without_defaults(value: Any) -> dict[str, Any]:
    """A record's (or statistics') fields as JSON values, those equal to their defaults left out, at every level."""
    return {
        f.name: _json_value(v)
        for f in fields(value)
        if (v := getattr(value, f.name)) != f.default or f.default is MISSING
    }


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    if is_dataclass(value):
        return _without_defaults(value)
    return value


def is_partial(head: bytes) -> bool:
    return head.startswith(PARTIAL_MAGIC)


def load_partial(path: Path) -> Partial:
    """Read a partial written by `discover --partial`; a damaged one is a `DiscoveryInputError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DiscoveryInputError(str(path), f"unreadable partial result: {e}") from e
    return load_partial_text(text, path)


def load_partial_text(text: str, path: Path | str) -> Partial:
    """Parse partial-result text; `path` names it in errors."""
    try:
        body = json.loads(text)
    except ValueError as e:
        raise DiscoveryInputError(str(path), f"unreadable partial result: {e}") from e
    version = body.get("factorysec_partial") if isinstance(body, dict) else None
    if version not in (PARTIAL_VERSION, PARTIAL_VERSION_WITH_PARTS):
        raise DiscoveryInputError(
            str(path), f"not a version {PARTIAL_VERSION} or {PARTIAL_VERSION_WITH_PARTS} partial result"
        )
    from factorysec.discovery.partial_schema import checked

    sources = [checked(SourceStats, path, "sources", i, s) for i, s in enumerate(body.get("sources", []))]
    records = [checked(FlowRecord, path, "records", i, r) for i, r in enumerate(body.get("records", []))]
    for index, record in enumerate(records):
        if problem := _impossible(record):
            field_name, message = problem
            raise DiscoveryInputError(str(path), f"invalid partial result at records.{index}.{field_name}: {message}")
    parts = [_part(path, i, p) for i, p in enumerate(body.get("parts", []))]
    return Partial(records, sources, parts)


_MAX_COUNT = (1 << 63) - 1
"""The largest packet or byte count a flow may hold (what the capture reader's counters hold)."""


def _impossible(record: FlowRecord) -> tuple[str, str] | None:
    """The first value of a record no reader writes (the field and why), or None: the types alone let an edited or
    damaged partial put `not-an-ip`, port 99999 or -5 packets into the inventory."""
    for name in ("client", "server"):
        try:
            ipaddress.ip_address(getattr(record, name))
        except ValueError:
            return name, f"{getattr(record, name)!r} is not an IP address"
    if not 0 <= record.port <= 0xFFFF:
        return "port", f"{record.port} is not a port (0 to 65535)"
    for name in ("packets", "bytes"):
        if not 0 <= getattr(record, name) <= _MAX_COUNT:
            return name, f"{getattr(record, name)} is not a count (0 to 2**63 - 1)"
    for name in ("first_seen", "last_seen"):
        if not math.isfinite(getattr(record, name)):
            return name, f"{getattr(record, name)} is not a time"
    if record.direction not in DIRECTION_RANK:
        return "direction", f"{record.direction!r} is not one of {', '.join(DIRECTION_RANK)}"
    return None


def _part(path: Path | str, index: int, value: Any) -> CapturePart:
    import numpy as np

    from factorysec.discovery.flowtable import FlowState, IdentityCandidate, ip_value
    from factorysec.discovery.partial_schema import PartJson, checked
    from factorysec.discovery.parts import CapturePart, PartStats

    body = checked(PartJson, path, "parts", index, value)
    where = f"parts.{index}"

    def bad(field_name: str, message: str) -> DiscoveryInputError:
        return DiscoveryInputError(str(path), f"invalid partial result at {where}.{field_name}: {message}")

    for i, (start, end) in enumerate(body.ranges):
        if not 0 <= start < end <= body.size:
            raise bad(f"ranges.{i}", f"{start}:{end} is not a byte range within the file's {body.size} bytes")
    hosts: list[int] = []
    for i, text in enumerate(body.flows.hosts):
        try:
            hosts.append(ip_value(text))
        except ValueError:
            raise bad(f"flows.hosts.{i}", f"not an IP address: {text!r}") from None
    n = body.flows.sides

    def column(name: str, dtype: str, count: int, width: int) -> np.ndarray:
        text = body.flows.columns.get(name)
        if text is None:
            raise bad(f"flows.columns.{name}", "missing")
        try:
            raw = zlib.decompress(base64.b64decode(text, validate=True))
        except (binascii.Error, zlib.error, ValueError) as e:
            raise bad(f"flows.columns.{name}", f"not a compressed array: {e}") from None
        values = np.frombuffer(raw, dtype=dtype)
        if values.size != count * width:
            raise bad(f"flows.columns.{name}", f"{values.size} values for {count} rows of {width}")
        return (values.reshape(count, width) if width > 1 else values).copy()

    cols = {name: column(name, dtype, n, width) for name, (dtype, width) in _columns().items()}
    k = body.flows.operations
    op_cols = {name: column(name, dtype, k, 1) for name, dtype in _OP_COLUMNS.items()}
    keys = cols["keys"].astype(np.uint64)
    host_numbers = np.concatenate([keys[:, 0] >> np.uint64(44), (keys[:, 0] >> np.uint64(24)) & np.uint64(0xFFFFF)])
    if host_numbers.size and int(host_numbers.max()) >= len(hosts):
        raise bad("flows.columns.keys", f"host number {int(host_numbers.max())} beyond the {len(hosts)} hosts")
    if k and (int(op_cols["op_side"].min()) < 0 or int(op_cols["op_side"].max()) >= n):
        raise bad("flows.columns.op_side", f"side number outside 0..{n - 1}")
    unknown = sorted(set(op_cols["op_code"].tolist()) - set(P.CONTROL_OPERATIONS))
    if unknown:
        raise bad("flows.columns.op_code", f"unknown control operation code {unknown[0]}")
    if (
        cols["sample_verdict"].size
        and not 0 <= int(cols["sample_verdict"].min()) <= int(cols["sample_verdict"].max()) <= 8
    ):
        raise bad("flows.columns.sample_verdict", "verdicts run from 0 to 8")
    identities: list[IdentityCandidate] = []
    for i, c in enumerate(body.flows.identities):
        if c.side >= n:
            raise bad(f"flows.identities.{i}.side", f"side number {c.side} beyond the {n} sides")
        identities.append(IdentityCandidate(c.side, c.orientations, c.position, c.identity))
    stats = PartStats(body.stats.packets, body.stats.bytes_read, Counter(body.stats.non_ip))
    for s in body.stats.skipped:
        stats.skip(s.reason, s.count, s.unit, s.positions)
    flows = FlowState(
        hosts=hosts,
        keys=keys,
        packets=cols["packets"],
        bytes=cols["bytes"],
        first_seen=cols["first_seen"],
        last_seen=cols["last_seen"],
        first_position=cols["first_position"],
        src_mac=cols["src_mac"],
        dst_mac=cols["dst_mac"],
        syn_position=cols["syn_position"],
        syn_without_ack=cols["syn_without_ack"],
        says_position=cols["says_position"],
        says_sender_is_client=cols["says_sender_is_client"],
        sample_position=cols["sample_position"].astype(np.int64),
        sample_verdict=cols["sample_verdict"].astype(np.int8),
        op_side=op_cols["op_side"],
        op_code=op_cols["op_code"],
        op_count=op_cols["op_count"],
        op_first=op_cols["op_first"],
        op_last=op_cols["op_last"],
        identities=identities,
    )
    ranges = tuple((start, end) for start, end in body.ranges)
    return CapturePart(body.path, body.kind, body.size, ranges, stats, flows)
