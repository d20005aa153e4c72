"""The protocol table: which ports and payload signatures identify which protocol.

Knowledge is data: every protocol the discovery recognises is one `ProtocolSpec`
row in `PROTOCOLS`. Payload checks are small predicates over the first bytes of
the transport payload; they confirm (True), reject (False) or cannot tell
(None, e.g. an S7 connection-setup packet carries no S7 header yet).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Transport = Literal["tcp", "udp"]
Category = Literal["industrial", "it"]
PayloadCheck = Callable[[bytes], bool | None]

UNKNOWN = "unknown"


def _modbus(p: bytes) -> bool | None:
    """MBAP header: protocol id 0 and a length that fits an ADU (2..254)."""
    if len(p) < 8:
        return None
    length = int.from_bytes(p[4:6], "big")
    return p[2] == 0 and p[3] == 0 and 2 <= length <= 254


def _tpkt_cotp(p: bytes) -> bool | None:
    """TPKT version 3 followed by a COTP header; S7 header 0x32/0x72 in DT TPDUs."""
    if len(p) < 7:
        return None
    if p[0] != 3 or p[1] != 0:
        return False
    cotp_len = p[4]
    pdu_type = p[5] & 0xF0
    if pdu_type != 0xF0:
        return None  # connection request/confirm: no S7 header to see yet
    s7 = 5 + cotp_len
    if len(p) <= s7:
        return None
    return p[s7] in (0x32, 0x72)


def _enip(p: bytes) -> bool | None:
    """EtherNet/IP encapsulation: 24-byte header with a known command code."""
    if len(p) < 24:
        return None
    command = int.from_bytes(p[0:2], "little")
    length = int.from_bytes(p[2:4], "little")
    known = command in (0x0001, 0x0004, 0x0063, 0x0064, 0x0065, 0x0066, 0x006F, 0x0070)
    return known and length <= len(p) - 24 + 65535


def _dnp3(p: bytes) -> bool | None:
    """DNP3 link layer start bytes 0x05 0x64 and a length of at least 5."""
    if len(p) < 3:
        return None
    return p[0] == 0x05 and p[1] == 0x64 and p[2] >= 5


def _bacnet(p: bytes) -> bool | None:
    """BVLC type 0x81 (BACnet/IP)."""
    if len(p) < 4:
        return None
    return p[0] == 0x81 and p[1] <= 0x0C


def _opcua(p: bytes) -> bool | None:
    """OPC UA binary: three-letter message type and a chunk type F/C/A."""
    if len(p) < 8:
        return None
    return p[:3] in (b"HEL", b"ACK", b"ERR", b"RHE", b"OPN", b"MSG", b"CLO") and p[3:4] in (
        b"F",
        b"C",
        b"A",
    )


def _iec104(p: bytes) -> bool | None:
    """APCI start byte 0x68 and APDU length 4..253."""
    if len(p) < 2:
        return None
    return p[0] == 0x68 and 4 <= p[1] <= 253


def _mqtt(p: bytes) -> bool | None:
    """A valid MQTT fixed-header packet type (1..15)."""
    if len(p) < 2:
        return None
    return 1 <= (p[0] >> 4) <= 15


def _fins(p: bytes) -> bool | None:
    """FINS/TCP magic 'FINS', or a FINS/UDP header (ICF bit 7 set, RSV 0, GCT 2)."""
    if len(p) >= 4 and p[:4] == b"FINS":
        return True
    if len(p) < 10:
        return None
    return (p[0] & 0x80) == 0x80 and p[1] == 0 and p[2] == 0x02


def _hartip(p: bytes) -> bool | None:
    """HART-IP header: version 1, message type 0..3, message id 0..3 or 128."""
    if len(p) < 8:
        return None
    return p[0] == 1 and p[1] <= 3 and (p[2] <= 3 or p[2] == 128)


def _http(p: bytes) -> bool | None:
    if len(p) < 4:
        return None
    return p.startswith((b"GET ", b"POST", b"HEAD", b"PUT ", b"DELE", b"OPTI", b"HTTP", b"PATC"))


def _tls(p: bytes) -> bool | None:
    if len(p) < 3:
        return None
    return p[0] in (0x14, 0x15, 0x16, 0x17) and p[1] == 3


def _ssh(p: bytes) -> bool | None:
    if len(p) < 4:
        return None
    return p.startswith(b"SSH-") or None


def _rdp(p: bytes) -> bool | None:
    if len(p) < 4:
        return None
    return p[0] == 3 and p[1] == 0


def _vnc(p: bytes) -> bool | None:
    if len(p) < 4:
        return None
    return p.startswith(b"RFB ") or None


@dataclass(frozen=True, slots=True)
class ProtocolSpec:
    """One recognised protocol.

    `control` marks protocols that carry control instructions (guideline
    3.1.7, Table 3-4); drift uses it to rank undeclared flows.
    """

    id: str
    name: str
    category: Category
    tcp_ports: tuple[int, ...] = ()
    udp_ports: tuple[int, ...] = ()
    client_role: str = "client"
    server_role: str = "server"
    control: bool = False
    check: PayloadCheck | None = None
    zeek_services: tuple[str, ...] = ()


PROTOCOLS: tuple[ProtocolSpec, ...] = (
    ProtocolSpec("modbus-tcp", "Modbus/TCP", "industrial", (502,), (), "client", "server", True, _modbus, ("modbus",)),
    ProtocolSpec(
        "s7comm",
        "S7comm (ISO-TSAP 102)",
        "industrial",
        (102,),
        (),
        "client",
        "server",
        True,
        _tpkt_cotp,
        ("s7comm", "s7comm-plus", "cotp"),
    ),
    ProtocolSpec(
        "enip",
        "EtherNet/IP",
        "industrial",
        (44818,),
        (44818,),
        "originator",
        "target",
        True,
        _enip,
        ("enip", "ethernet-ip"),
    ),
    ProtocolSpec("cip", "CIP implicit I/O", "industrial", (), (2222,), "originator", "target", True, None, ("cip",)),
    ProtocolSpec(
        "dnp3",
        "DNP3",
        "industrial",
        (20000,),
        (20000,),
        "master",
        "outstation",
        True,
        _dnp3,
        ("dnp3", "dnp3_tcp", "dnp3_udp"),
    ),
    ProtocolSpec(
        "bacnet", "BACnet/IP", "industrial", (), (47808, 47809), "client", "server", True, _bacnet, ("bacnet",)
    ),
    ProtocolSpec(
        "opc-ua", "OPC UA", "industrial", (4840, 4843), (), "client", "server", True, _opcua, ("opcua", "opcua-binary")
    ),
    ProtocolSpec(
        "iec-104",
        "IEC 60870-5-104",
        "industrial",
        (2404,),
        (),
        "controlling station",
        "controlled station",
        True,
        _iec104,
        ("iec104", "iec60870_5_104"),
    ),
    ProtocolSpec("mqtt", "MQTT", "industrial", (1883, 8883), (), "client", "broker", False, _mqtt, ("mqtt",)),
    ProtocolSpec(
        "profinet",
        "PROFINET (over IP)",
        "industrial",
        (),
        (34962, 34963, 34964),
        "controller",
        "device",
        True,
        None,
        ("profinet", "profinet_io_cm", "dce_rpc"),
    ),
    ProtocolSpec("fins", "Omron FINS", "industrial", (9600,), (9600,), "client", "server", True, _fins, ("fins",)),
    ProtocolSpec(
        "hart-ip", "HART-IP", "industrial", (5094,), (5094,), "client", "server", True, _hartip, ("hart_ip", "hartip")
    ),
    ProtocolSpec("http", "HTTP", "it", (80, 8080, 8000), (), check=_http, zeek_services=("http",)),
    ProtocolSpec("https", "HTTPS / TLS", "it", (443, 8443), (), check=_tls, zeek_services=("ssl", "tls", "https")),
    ProtocolSpec("ssh", "SSH", "it", (22,), (), check=_ssh, zeek_services=("ssh",)),
    ProtocolSpec("rdp", "RDP", "it", (3389,), (), check=_rdp, zeek_services=("rdp",)),
    ProtocolSpec("vnc", "VNC", "it", (5900, 5901, 5902), (), check=_vnc, zeek_services=("vnc",)),
    ProtocolSpec("smb", "SMB", "it", (445, 139), (), zeek_services=("smb", "netbios")),
    ProtocolSpec("dns", "DNS", "it", (53,), (53,), zeek_services=("dns",)),
    ProtocolSpec("ntp", "NTP", "it", (), (123,), zeek_services=("ntp",)),
    ProtocolSpec("snmp", "SNMP", "it", (), (161, 162), zeek_services=("snmp",)),
)

BY_ID: dict[str, ProtocolSpec] = {p.id: p for p in PROTOCOLS}
PROTOCOL_IDS: tuple[str, ...] = tuple(p.id for p in PROTOCOLS) + (UNKNOWN,)

_TCP_PORTS: dict[int, ProtocolSpec] = {port: p for p in PROTOCOLS for port in p.tcp_ports}
_UDP_PORTS: dict[int, ProtocolSpec] = {port: p for p in PROTOCOLS for port in p.udp_ports}
_ZEEK: dict[str, ProtocolSpec] = {s: p for p in PROTOCOLS for s in p.zeek_services}

IP_PROTO_TCP = 6
IP_PROTO_UDP = 17
_TRANSPORT_NAMES = {IP_PROTO_TCP: "tcp", IP_PROTO_UDP: "udp", 1: "icmp"}


def transport_name(ip_proto: int) -> str:
    """`tcp`, `udp`, `icmp`, or `ip-N` for other IP protocol numbers."""
    return _TRANSPORT_NAMES.get(ip_proto, f"ip-{ip_proto}")


def transport_number(name: str) -> int:
    """Inverse of `transport_name` (Zeek writes `tcp`, `udp`, `icmp`, `unknown_transport`)."""
    for number, label in _TRANSPORT_NAMES.items():
        if label == name:
            return number
    if name.startswith("ip-") and name[3:].isdigit():
        return int(name[3:])
    return 0


def by_port(ip_proto: int, port: int) -> ProtocolSpec | None:
    """The protocol registered for a server port, if any."""
    if ip_proto == IP_PROTO_TCP:
        return _TCP_PORTS.get(port)
    if ip_proto == IP_PROTO_UDP:
        return _UDP_PORTS.get(port)
    return None


def by_zeek_service(service: str) -> ProtocolSpec | None:
    """Map Zeek's `service` column (may be a comma list, e.g. `ssl,http`) to a protocol."""
    for name in service.lower().split(","):
        spec = _ZEEK.get(name.strip())
        if spec is not None:
            return spec
    return None


def known_server_ports(ip_proto: int) -> frozenset[int]:
    """All ports the table registers for a transport (used to decide the server side)."""
    if ip_proto == IP_PROTO_TCP:
        return frozenset(_TCP_PORTS)
    if ip_proto == IP_PROTO_UDP:
        return frozenset(_UDP_PORTS)
    return frozenset()


def label(protocol_id: str, ip_proto: int, port: int) -> str:
    """Display label: the protocol id, or `tcp/PORT` / `udp/PORT` for unknown ones."""
    if protocol_id != UNKNOWN:
        return protocol_id
    if ip_proto in (IP_PROTO_TCP, IP_PROTO_UDP):
        return f"{transport_name(ip_proto)}/{port}"
    return transport_name(ip_proto)


def recognise(ip_proto: int, port: int, payloads: list[bytes]) -> tuple[str, str]:
    """Decide a flow's protocol from its server port and first client/server payloads.

    Returns (protocol id, evidence) where evidence is `payload` (a signature
    confirmed it), `port` (port only: no payload or an undecidable one) or
    `none`. A port match whose payloads all fail the signature is `unknown`.
    """
    spec = by_port(ip_proto, port)
    if spec is None:
        return UNKNOWN, "none"
    if spec.check is None or not payloads:
        return spec.id, "port"
    verdicts = [spec.check(p) for p in payloads]
    if any(v is True for v in verdicts):
        return spec.id, "payload"
    if any(v is False for v in verdicts):
        return UNKNOWN, "none"
    return spec.id, "port"


# Control operations recognised in client-to-server payloads. The code space is
# shared by the readers: protocol base + function code.
OP_BASE_MODBUS = 0x000
OP_BASE_S7 = 0x100
OP_BASE_DNP3 = 0x200

CONTROL_OPERATIONS: dict[int, tuple[str, str]] = {
    OP_BASE_MODBUS + 5: ("modbus-tcp", "write-single-coil"),
    OP_BASE_MODBUS + 6: ("modbus-tcp", "write-single-register"),
    OP_BASE_MODBUS + 15: ("modbus-tcp", "write-multiple-coils"),
    OP_BASE_MODBUS + 16: ("modbus-tcp", "write-multiple-registers"),
    OP_BASE_MODBUS + 22: ("modbus-tcp", "mask-write-register"),
    OP_BASE_MODBUS + 23: ("modbus-tcp", "read-write-multiple-registers"),
    OP_BASE_S7 + 0x05: ("s7comm", "write-var"),
    OP_BASE_S7 + 0x1A: ("s7comm", "request-download"),
    OP_BASE_S7 + 0x1B: ("s7comm", "download-block"),
    OP_BASE_S7 + 0x1C: ("s7comm", "download-ended"),
    OP_BASE_S7 + 0x28: ("s7comm", "plc-control"),
    OP_BASE_S7 + 0x29: ("s7comm", "plc-stop"),
    OP_BASE_DNP3 + 2: ("dnp3", "write"),
    OP_BASE_DNP3 + 3: ("dnp3", "select"),
    OP_BASE_DNP3 + 4: ("dnp3", "operate"),
    OP_BASE_DNP3 + 5: ("dnp3", "direct-operate"),
    OP_BASE_DNP3 + 6: ("dnp3", "direct-operate-no-ack"),
    OP_BASE_DNP3 + 13: ("dnp3", "cold-restart"),
    OP_BASE_DNP3 + 14: ("dnp3", "warm-restart"),
    OP_BASE_DNP3 + 18: ("dnp3", "stop-application"),
}

MODBUS_WRITE_CODES: tuple[int, ...] = (5, 6, 15, 16, 22, 23)
S7_CONTROL_CODES: tuple[int, ...] = (0x05, 0x1A, 0x1B, 0x1C, 0x28, 0x29)
DNP3_CONTROL_CODES: tuple[int, ...] = (2, 3, 4, 5, 6, 13, 14, 18)

# Zeek's modbus.log `func` and dnp3.log `fc_request` names for the same operations.
ZEEK_OPERATIONS: dict[tuple[str, str], int] = {
    ("modbus", "WRITE_SINGLE_COIL"): OP_BASE_MODBUS + 5,
    ("modbus", "WRITE_SINGLE_REGISTER"): OP_BASE_MODBUS + 6,
    ("modbus", "WRITE_MULTIPLE_COILS"): OP_BASE_MODBUS + 15,
    ("modbus", "WRITE_MULTIPLE_REGISTERS"): OP_BASE_MODBUS + 16,
    ("modbus", "MASK_WRITE_REGISTER"): OP_BASE_MODBUS + 22,
    ("modbus", "READ_WRITE_MULTIPLE_REGISTERS"): OP_BASE_MODBUS + 23,
    ("dnp3", "WRITE"): OP_BASE_DNP3 + 2,
    ("dnp3", "SELECT"): OP_BASE_DNP3 + 3,
    ("dnp3", "OPERATE"): OP_BASE_DNP3 + 4,
    ("dnp3", "DIRECT_OPERATE"): OP_BASE_DNP3 + 5,
    ("dnp3", "DIRECT_OPERATE_NR"): OP_BASE_DNP3 + 6,
    ("dnp3", "COLD_RESTART"): OP_BASE_DNP3 + 13,
    ("dnp3", "WARM_RESTART"): OP_BASE_DNP3 + 14,
    ("dnp3", "STOP_APPL"): OP_BASE_DNP3 + 18,
}


ZEEK_EXCEPTION_SUFFIX = "_EXCEPTION"


def zeek_operation(kind: str, name: str) -> int | None:
    """The control operation a modbus.log `func` or dnp3.log `fc_request` names, or None.

    Zeek writes a Modbus request whose reply was an exception under the reply's function code,
    the request's name with `_EXCEPTION` (`WRITE_SINGLE_REGISTER_EXCEPTION`): the client still
    asked for the write, as a capture of the same traffic shows in its request, so it counts.
    """
    name = name.upper()
    code = ZEEK_OPERATIONS.get((kind, name))
    if code is None and kind == "modbus" and name.endswith(ZEEK_EXCEPTION_SUFFIX):
        code = ZEEK_OPERATIONS.get((kind, name[: -len(ZEEK_EXCEPTION_SUFFIX)]))
    return code
