from __future__ import annotations

import pytest

from factorysec.discovery import protocols as P

REQUIRED = [
    "modbus-tcp",
    "s7comm",
    "enip",
    "cip",
    "dnp3",
    "bacnet",
    "opc-ua",
    "iec-104",
    "mqtt",
    "profinet",
    "fins",
    "hart-ip",
    "http",
    "https",
    "ssh",
    "rdp",
    "vnc",
    "smb",
    "dns",
    "ntp",
    "snmp",
    "unknown",
]


def test_protocol_ids_are_exactly_the_contract() -> None:
    assert list(P.PROTOCOL_IDS) == REQUIRED


@pytest.mark.parametrize(
    "proto,port,payload,expected",
    [
        (6, 502, bytes.fromhex("000100000006010300000010"), ("modbus-tcp", "payload")),
        (6, 502, bytes.fromhex("000100010006010300000010"), ("unknown", "none")),
        (6, 102, bytes.fromhex("0300001602f08032010000"), ("s7comm", "payload")),
        (6, 102, bytes.fromhex("0300001611e00000000100c0010a"), ("s7comm", "port")),
        (6, 20000, bytes.fromhex("05640bc401000200"), ("dnp3", "payload")),
        (6, 20000, b"GET / HTTP/1.1\r\n", ("unknown", "none")),
        (17, 47808, bytes.fromhex("810a0011"), ("bacnet", "payload")),
        (6, 2404, bytes.fromhex("680e0000"), ("iec-104", "payload")),
        (6, 4840, b"HELF\x20\x00\x00\x00", ("opc-ua", "payload")),
        (6, 9600, b"FINS\x00\x00\x00\x0c", ("fins", "payload")),
        (17, 123, b"", ("ntp", "port")),
        (6, 12345, b"anything", ("unknown", "none")),
    ],
)
def test_recognise(proto: int, port: int, payload: bytes, expected: tuple[str, str]) -> None:
    assert P.recognise(proto, port, [payload] if payload else []) == expected


def test_labels_for_unknown_ports() -> None:
    assert P.label("unknown", 6, 49909) == "tcp/49909"
    assert P.label("unknown", 17, 5000) == "udp/5000"
    assert P.label("modbus-tcp", 6, 502) == "modbus-tcp"


def test_zeek_service_names_map_to_ids() -> None:
    assert P.by_zeek_service("ssl,http").id == "https"  # type: ignore[union-attr]
    assert P.by_zeek_service("modbus").id == "modbus-tcp"  # type: ignore[union-attr]
    assert P.by_zeek_service("gibberish") is None
