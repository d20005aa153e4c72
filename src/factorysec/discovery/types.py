"""Typed results of discovery: flows, hosts, the observed inventory and read statistics."""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field


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
acknowledgement); `server-port`: only one side uses a port an ICS or IT
protocol registers for its server; `originator`: Zeek's originator, which is
only the sender of the first packet it saw; `port-order`: the lower port is
taken as the server's.
"""

DIRECTION_RANK: dict[str, int] = {"handshake": 4, "protocol": 3, "server-port": 2, "originator": 1, "port-order": 0}


class UnusedInput(DiscoveryInputError):
    """A readable file of a kind discovery does not use (e.g. a Zeek dns.log): skipped, not damaged."""


class _Frozen(BaseModel):
    """Built when first validated or serialized (`defer_build`), not when imported: a run that writes text, or whose
    values are all made by `inventory.trusted`, never builds most of them (~0.04 CPU-s at import)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


def build_for_output(model: type[BaseModel]) -> None:
    """Build `model` (and the models it holds) for serializing values made without validation, without pydantic's
    scan of every installed package for validation plugins (0.03-0.07 CPU-s; Typer builds its parameters' adapters
    the same way): a plugin observes validations, and the values written were never validated. Afterwards the
    environment is as it was; a model already built is left as it is."""
    if model.__pydantic_complete__:
        return
    before = os.environ.get("PYDANTIC_DISABLE_PLUGINS")
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "1"
    try:
        model.model_rebuild()
    finally:
        if before is None:
            del os.environ["PYDANTIC_DISABLE_PLUGINS"]
        else:
            os.environ["PYDANTIC_DISABLE_PLUGINS"] = before


class ControlOperation(_Frozen):
    """Control-protocol operations of one kind seen on a flow (client to server)."""

    protocol: str
    operation: str
    code: int
    count: int
    first_seen: float
    last_seen: float


class FlowRecord(_Frozen):
    """Traffic between a client and a server on one transport port, from one source file.

    `client` is the side that initiated (Zeek's originator, or the side with
    the ephemeral port in a capture). `bytes` counts frame bytes in captures
    and IP bytes in Zeek logs.
    """

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


class DeviceIdentity(_Frozen):
    """What a device said about itself on the wire (or what Zeek logged of it).

    `evidence` names the packet (`FILE byte N`) or log line (`FILE line N`)
    that carried it; `raw` keeps free text such as an SNMP sysDescr.
    """

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


class SkipCount(_Frozen):
    """Records or bytes the reader could not use, and why.

    `positions` names where the first few were found (`line 12` in a log,
    `byte 4096` in a capture), so a user can look at them.
    """

    reason: str
    count: int
    unit: str
    positions: tuple[str, ...] = ()


class SourceStats(_Frozen):
    """What one input file gave: how much was read and what was skipped."""

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


class Flow(_Frozen):
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


class HostProtocol(_Frozen):
    protocol: str
    role: str


class Host(_Frozen):
    ip: str
    macs: tuple[str, ...] = ()
    vendors: tuple[str, ...] = ()
    protocols: tuple[HostProtocol, ...] = ()
    packets: int = 0
    bytes: int = 0
    first_seen: float = 0.0
    last_seen: float = 0.0
    identities: tuple[DeviceIdentity, ...] = ()


class Inventory(_Frozen):
    """Everything observed: hosts, flows and per-source statistics."""

    hosts: tuple[Host, ...] = ()
    flows: tuple[Flow, ...] = ()
    sources: tuple[SourceStats, ...] = Field(default_factory=tuple)

    def host(self, ip: str) -> Host | None:
        for h in self.hosts:
            if h.ip == ip:
                return h
        return None
