"""Typed results of discovery: flows, hosts, the observed inventory and read statistics."""

from __future__ import annotations

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


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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


class SkipCount(_Frozen):
    """Records or bytes the reader could not use, and why."""

    reason: str
    count: int
    unit: str


class SourceStats(_Frozen):
    """What one input file gave: how much was read and what was skipped."""

    path: str
    kind: str
    records: int
    bytes_read: int
    flows: int
    skipped: tuple[SkipCount, ...] = ()


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
