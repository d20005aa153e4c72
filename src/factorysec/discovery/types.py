"""Typed results of discovery: flows, hosts, the observed inventory and read statistics.

Slotted dataclasses: a run over captures makes tens of thousands of them and never validates one (every value
comes from a reader that has checked it), so discovery does without pydantic (about 0.1 CPU-s to import, besides its
models' builds; nor does the command line import it for Typer's parameters, see `factorysec.cli_coercion`) and holds
less memory. Most are frozen. The three made once per flow or host (`FlowRecord`, `Flow`, `Host`) are not: a frozen
dataclass sets each field through ``object.__setattr__``, which made them 4-5 times as slow to build (1.05 against
0.23 microseconds for a `Host`): 0.015-0.02 s of a 0.44 s run over the 2M-packet benchmark capture's 5,000 flows and
7,913 hosts. Nothing changes them once made; they stay hashable (``unsafe_hash``) and compare by value. Where
discovery reads
these types back from a file, `partial_schema` validates them with pydantic (`TypeAdapter`, which honours
`__pydantic_config__`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


class DiscoveryInputError(Exception):
    """An input file that cannot be read at all (wrong format, unreadable header).

    `path` names the file and `line` the log line where it applies; the CLI
    prints `str(error)` as a one-line message and exits with code 2.
    """

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


DIRECTION_CONFIDENCE: dict[str, str] = {
    "handshake": "high",
    "protocol": "high",
    "server-port": "medium",
    "originator": "low",
    "port-order": "low",
}
"""How far each kind of direction evidence can be trusted.

`handshake`: the TCP SYN was captured (or Zeek's history shows who sent it);
`protocol`: the payload shows who asks and who answers (an S7 job and its
acknowledgement, a DNP3 frame's DIR bit, a BACnet APDU's type); `server-port`: only one side uses a port an ICS or IT
protocol registers for its server; `originator`: Zeek's originator, which is
only the sender of the first packet it saw; `port-order`: the lower port is
taken as the server's.
"""

DIRECTION_RANK: dict[str, int] = {"handshake": 4, "protocol": 3, "server-port": 2, "originator": 1, "port-order": 0}


class UnusedInput(DiscoveryInputError):
    """A readable file of a kind discovery does not use (e.g. a Zeek dns.log): skipped, not damaged."""


_CONFIG: dict[str, str] = {"extra": "forbid"}
"""How pydantic validates these types where discovery reads them from a file (a partial result): an unknown field is
an error. Read by pydantic from the class's `__pydantic_config__`; nothing here imports pydantic."""


@dataclass(frozen=True, slots=True)
class ControlOperation:
    """Control-protocol operations of one kind seen on a flow (client to server)."""

    __pydantic_config__: ClassVar[dict[str, str]] = _CONFIG

    protocol: str
    operation: str
    code: int
    count: int
    first_seen: float
    last_seen: float


@dataclass(slots=True, unsafe_hash=True)
class FlowRecord:
    """Traffic between a client and a server on one transport port, from one source file.

    `client` is the side that initiated (Zeek's originator, or the side with
    the ephemeral port in a capture). `bytes` counts frame bytes in captures
    and IP bytes in Zeek logs.
    """

    __pydantic_config__: ClassVar[dict[str, str]] = _CONFIG

    client: str
    server: str
    transport: str
    port: int
    protocol: str
    evidence: str
    packets: int
    bytes: int
    first_seen: float
    last_seen: float
    source: str
    client_mac: str | None = None
    server_mac: str | None = None
    operations: tuple[ControlOperation, ...] = ()
    from_log: bool = False
    direction: str = "port-order"
    """What decided which side is the client: see `DIRECTION_CONFIDENCE`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceIdentity:
    """What a device said about itself on the wire (or what Zeek logged of it).

    `evidence` names the packet (`FILE byte N`) or log line (`FILE line N`)
    that carried it; `raw` keeps free text such as an SNMP sysDescr.
    """

    __pydantic_config__: ClassVar[dict[str, str]] = _CONFIG

    ip: str
    protocol: str
    vendor: str | None = None
    product: str | None = None
    model: str | None = None
    firmware: str | None = None
    serial: str | None = None
    raw: str | None = None
    evidence: str
    source: str
    seen: float

    def summary(self) -> str:
        parts = [x for x in (self.vendor, self.product, self.model) if x]
        if self.firmware:
            parts.append(f"firmware {self.firmware}")
        if self.serial:
            parts.append(f"serial {self.serial}")
        return " ".join(parts) or (self.raw or "")


@dataclass(frozen=True, slots=True)
class SkipCount:
    """Records or bytes the reader could not use, and why.

    `positions` names where the first few were found (`line 12` in a log,
    `byte 4096` in a capture), so a user can look at them.
    """

    __pydantic_config__: ClassVar[dict[str, str]] = _CONFIG

    reason: str
    count: int
    unit: str
    positions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceStats:
    """What one input file gave: how much was read and what was skipped."""

    __pydantic_config__: ClassVar[dict[str, str]] = _CONFIG

    path: str
    kind: str
    records: int
    bytes_read: int
    flows: int
    skipped: tuple[SkipCount, ...] = ()
    not_read: str | None = None
    """Why the whole file was left out (unreadable, or a log kind discovery does not use)."""
    identities: tuple[DeviceIdentity, ...] = ()
    """Device identities found in the file; `build_inventory` moves them onto the hosts."""

    @property
    def skipped_records(self) -> int:
        """Packets or log records left out (byte counts of damaged stretches are not records)."""
        return sum(k.count for k in self.skipped if k.unit in ("packets", "records"))


@dataclass(slots=True, unsafe_hash=True)
class Flow:
    """A flow aggregated across all sources for one host pair, protocol and port."""

    client: str
    server: str
    transport: str
    port: int
    protocol: str
    label: str
    evidence: str
    packets: int
    bytes: int
    first_seen: float
    last_seen: float
    sources: tuple[str, ...]
    operations: tuple[ControlOperation, ...] = ()
    direction: str = "port-order"


@dataclass(frozen=True, slots=True)
class HostProtocol:
    protocol: str
    role: str


@dataclass(slots=True, unsafe_hash=True)
class Host:
    ip: str
    macs: tuple[str, ...] = ()
    vendors: tuple[str, ...] = ()
    protocols: tuple[HostProtocol, ...] = ()
    packets: int = 0
    bytes: int = 0
    first_seen: float = 0.0
    last_seen: float = 0.0
    identities: tuple[DeviceIdentity, ...] = ()


@dataclass(frozen=True, slots=True)
class Inventory:
    """Everything observed: hosts, flows and per-source statistics."""

    hosts: tuple[Host, ...] = ()
    flows: tuple[Flow, ...] = ()
    sources: tuple[SourceStats, ...] = ()

    def host(self, ip: str) -> Host | None:
        for h in self.hosts:
            if h.ip == ip:
                return h
        return None
