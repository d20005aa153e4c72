"""Device identity from traffic: payloads built here from the protocol specifications."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.discovery import identity as I
from factorysec.discovery.command import discover
from factorysec.discovery.pcap import read_capture
from factorysec.discovery.zeek import read_zeek_log
from factorysec.model import load_model
from tests.discovery.discovery_support import DATA, SYN, SYN_ACK, plain_numpy, tcp_frame, udp_frame, write_pcap

GEEK_151022 = DATA / "Additional-Captures" / "4SICS-GeekLounge-151022"
S7_NAME = "V13_1200_TP1200sim_MW100_Int_SPS_5s_MW102_Int_SPS_10s_MW102_ab_1000_Timer_sync"


def enip_identity_reply(vendor: int, name: bytes, major: int, minor: int, serial: int) -> bytes:
    """Encapsulation header (command 0x63) + one CIP Identity item (type 0x0C)."""
    socket = struct.pack(">hH4s8s", 2, 44818, bytes([10, 0, 0, 5]), bytes(8))
    body = (
        struct.pack("<H", 1)
        + socket
        + struct.pack("<HHHBBHI", vendor, 14, 55, major, minor, 0x30, serial)
        + bytes([len(name)])
        + name
        + b"\x03"
    )
    items = struct.pack("<HHH", 1, 0x0C, len(body)) + body
    return struct.pack("<HHII8sI", 0x63, len(items), 0, 0, bytes(8), 0) + items


def modbus_identity_reply(objects: list[tuple[int, bytes]]) -> bytes:
    pdu = bytes([0x2B, 0x0E, 0x01, 0x01, 0x00, 0x00, len(objects)])
    for obj, value in objects:
        pdu += bytes([obj, len(value)]) + value
    return struct.pack(">HHHB", 7, 0, len(pdu) + 1, 1) + pdu


def s7_szl_reply(szl_id: int, records: list[bytes]) -> bytes:
    rec_len = len(records[0])
    szl = struct.pack(">HHHH", szl_id, 0, rec_len, len(records)) + b"".join(records)
    data = struct.pack(">BBH", 0xFF, 0x09, len(szl)) + szl
    params = bytes.fromhex("000112081284010100000000")
    s7 = struct.pack(">BBHHHH", 0x32, 7, 0, 1, len(params), len(data)) + params + data
    cotp = bytes([2, 0xF0, 0x80])
    return struct.pack(">BBH", 3, 0, 4 + len(cotp) + len(s7)) + cotp + s7


def test_enip_list_identity() -> None:
    got = I.enip_list_identity(enip_identity_reply(1, b"1756-L71/B LOGIX5571", 20, 11, 0xC0FFEE))
    assert got == {
        "vendor": "Rockwell Automation/Allen-Bradley",
        "product": "1756-L71/B LOGIX5571",
        "model": "device type 14, product code 55",
        "firmware": "20.11",
        "serial": "00c0ffee",
    }
    assert I.enip_list_identity(enip_identity_reply(1, b"x", 1, 1, 1)[:40]) is None
    assert I.enip_list_identity(b"\x65\x00" + bytes(40)) is None


def test_modbus_device_identification() -> None:
    reply = modbus_identity_reply([(0, b"Schneider Electric"), (1, b"BMX P34 2020"), (2, b"v2.70")])
    assert I.modbus_device_identification(reply) == {
        "vendor": "Schneider Electric",
        "model": "BMX P34 2020",
        "firmware": "v2.70",
    }
    request = struct.pack(">HHHB", 7, 0, 5, 1) + bytes([0x2B, 0x0E, 0x01, 0x00])
    assert I.modbus_device_identification(request) is None


def test_s7_szl_module_and_component_identification() -> None:
    module = [
        struct.pack(">H", 1) + b"6ES7 315-2EH14-0AB0 " + bytes(6),
        struct.pack(">H", 7) + b" " * 20 + b"\x00\x00V\x03\x02\x06",
    ]
    assert I.s7_szl(s7_szl_reply(0x0011, module)) == {
        "vendor": "Siemens",
        "model": "6ES7 315-2EH14-0AB0",
        "firmware": "V3.2.6",
    }
    component = [
        struct.pack(">H", 2) + b"CPU 315-2 PN/DP".ljust(32, b"\0"),
        struct.pack(">H", 5) + b"S C-X4U421302009".ljust(32, b"\0"),
    ]
    assert I.s7_szl(s7_szl_reply(0x001C, component)) == {
        "vendor": "Siemens",
        "product": "CPU 315-2 PN/DP",
        "serial": "S C-X4U421302009",
    }
    status = [struct.pack(">H", 0) + bytes(18)]
    assert I.s7_szl(s7_szl_reply(0x0424, status)) is None


def test_snmp_sysdescr_and_its_reading() -> None:
    text = b"Siemens, SIMATIC NET, SCALANCE X208, 6GK5 208-0BA10-2AA3, HW: 7, FW: V4.0.1"
    payload = (
        bytes.fromhex("302902010104067075626c6963a21c")
        + bytes.fromhex("06082b06010201010100")
        + bytes([0x04, len(text)])
        + text
    )
    assert I.snmp_sysdescr(payload) == text.decode()
    assert I.describe_sysdescr(text.decode()) == {
        "vendor": "Siemens",
        "product": "SIMATIC NET SCALANCE X208",
        "model": "6GK5 208-0BA10-2AA3",
        "firmware": "V4.0.1",
    }


def test_identities_from_a_capture_name_their_packet(tmp_path: Path) -> None:
    reply = enip_identity_reply(1, b"1769-L33ER", 30, 14, 0x1234)
    request = struct.pack("<HHII8sI", 0x63, 0, 0, 0, bytes(8), 0)
    frames = [
        udp_frame("10.0.0.100", "255.255.255.255", 50000, 44818, request),
        udp_frame("10.0.0.5", "10.0.0.100", 44818, 50000, reply),
        tcp_frame("10.0.0.100", "10.0.0.7", 51000, 502, SYN),
        tcp_frame("10.0.0.7", "10.0.0.100", 502, 51000, SYN_ACK),
        tcp_frame(
            "10.0.0.7",
            "10.0.0.100",
            502,
            51000,
            0x18,
            modbus_identity_reply([(0, b"ACME"), (1, b"PLC-9"), (2, b"1.2")]),
        ),
    ]
    path = tmp_path / "id.pcap"
    write_pcap(path, [(1_600_000_000.0 + i, f, len(f)) for i, f in enumerate(frames)])
    _records, stats = read_capture(path)
    by_ip = {d.ip: d for d in stats.identities}
    assert set(by_ip) == {"10.0.0.5", "10.0.0.7"}
    enip = by_ip["10.0.0.5"]
    assert (enip.protocol, enip.product, enip.firmware) == ("enip", "1769-L33ER", "30.14")
    data = path.read_bytes()
    at = int(enip.evidence.rsplit(" byte ", 1)[1])
    assert data[at : at + len(reply)] == reply
    modbus = by_ip["10.0.0.7"]
    assert (modbus.vendor, modbus.model, modbus.firmware) == ("ACME", "PLC-9", "1.2")
    inv = discover([path])
    host = inv.host("10.0.0.5")
    assert host is not None and host.identities == (enip,)
    assert all(not s.identities for s in inv.sources)


def test_zeek_snmp_log_gives_the_plc_identity_and_init_offers_it(tmp_path: Path) -> None:
    records, stats = read_zeek_log(GEEK_151022 / "snmp.log")
    assert {(r.client, r.server, r.port, r.protocol) for r in records} == {
        ("192.168.2.22", "192.168.88.30", 161, "snmp")
    }
    [plc] = stats.identities
    assert (plc.ip, plc.vendor, plc.model, plc.firmware) == (
        "192.168.88.30",
        "Siemens",
        "6ES7 212-1BD30-0XB0",
        "V1.0.1",
    )
    assert plc.evidence.endswith("snmp.log line 9")
    out = tmp_path / "m"
    result = runner.invoke(app, ["discover", str(GEEK_151022), "--init", str(out)])
    assert result.exit_code == 0, result.output
    assert "identity (snmp): Siemens SIMATIC S7 CPU-1200 6ES7 212-1BD30-0XB0 firmware V1.0.1" in result.stdout
    asset = next(a for a in load_model(out / "factory.yaml").assets if a.addresses == ["192.168.88.30"])
    assert "6ES7 212-1BD30-0XB0" in (asset.description or "")


def test_zeek_cip_identity_log(tmp_path: Path) -> None:
    log = tmp_path / "cip_identity.log"
    log.write_text(
        "#separator \\x09\n#path\tcip_identity\n"
        "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tencapsulation_version\t"
        "socket_address\tsocket_port\tvendor_id\tvendor_name\tdevice_type_id\tdevice_type_name\t"
        "product_code\trevision\tdevice_status\tserial_number\tproduct_name\tdevice_state\n"
        "1600000000.0\tC1\t10.0.0.100\t50000\t10.0.0.5\t44818\t1\t10.0.0.5\t44818\t1\t"
        "Rockwell Automation/Allen-Bradley\t14\tProgrammable Logic Controller\t55\t20.11\t0x0030\t"
        "0x00c0ffee\t1756-L71/B LOGIX5571\t3\n"
        "not-a-time\tC2\t10.0.0.100\t50000\t10.0.0.6\t44818\t1\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\n"
    )
    records, stats = read_zeek_log(log)
    assert records == [] and stats.records == 1
    [d] = stats.identities
    assert (d.ip, d.vendor, d.product, d.firmware, d.serial) == (
        "10.0.0.5",
        "Rockwell Automation/Allen-Bradley",
        "1756-L71/B LOGIX5571",
        "20.11",
        "0x00c0ffee",
    )
    assert d.evidence == f"{log} line 4"
    assert [s.positions for s in stats.skipped] == [("line 5",)]


runner = CliRunner()


def s7_plus(opcode: int, function: int, body: bytes, version: int = 1) -> bytes:
    """TPKT + COTP DT + an S7comm-Plus header (0x72, version, length), opcode, 2 reserved bytes, function, body."""
    plus = bytes([0x72, version]) + (5 + len(body)).to_bytes(2, "big")
    plus += bytes([opcode, 0, 0]) + function.to_bytes(2, "big") + body
    return bytes([3, 0]) + (7 + len(plus)).to_bytes(2, "big") + bytes([2, 0xF0, 0x80]) + plus


STATED = b"\x00\x00\x01\x20\x82\x1f\x00\x00\xa3\x81\x69\x00\x156ES7 214-1HE30-0XB0 ;V2.2\x82\x40"


def test_s7_plus_create_object_response_states_order_number_and_firmware() -> None:
    got = I.s7_plus_session(s7_plus(0x32, 0x04CA, STATED))
    assert got == {
        "vendor": "Siemens",
        "model": "6ES7 214-1HE30-0XB0",
        "firmware": "V2.2",
        "product": "SIMATIC S7-1200",
    }
    s7_1500 = I.s7_plus_session(s7_plus(0x32, 0x04CA, STATED.replace(b"214-1", b"515-2")))
    assert s7_1500 is not None and s7_1500["product"] == "SIMATIC S7-1500"
    assert I.s7_plus_session(s7_plus(0x31, 0x04CA, STATED)) is None  # the HMI's request, not the PLC's answer
    assert I.s7_plus_session(s7_plus(0x32, 0x054C, STATED)) is None  # another function's response
    assert I.s7_plus_session(s7_plus(0x32, 0x04CA, STATED, version=3)) is None  # integrity-protected: not read
    assert I.s7_plus_session(s7_plus(0x32, 0x04CA, STATED.replace(b"6ES7", b"XXXX"))) is None
    assert I.s7_plus_session(s7_plus(0x32, 0x04CA, STATED)[:20]) is None


@pytest.mark.parametrize("numpy_only", [False, True], ids=["compiled", "numpy"])
@pytest.mark.parametrize("name", [S7_NAME, S7_NAME + "_FehlerbeiMW100"])
def test_an_s7_1200_states_its_order_number_in_the_real_captures(
    name: str, numpy_only: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The HMI opens an S7comm-Plus session and the PLC's CreateObject response names it: 6ES7 214-1HE30-0XB0, V2.2.
    if numpy_only:
        plain_numpy(monkeypatch)
    path = DATA / "S7" / name / f"{name}.pcapng"
    _records, stats = read_capture(path)
    [plc] = stats.identities
    assert (plc.ip, plc.protocol, plc.vendor, plc.product) == (
        "192.168.1.191",
        "s7comm-plus",
        "Siemens",
        "SIMATIC S7-1200",
    )
    assert (plc.model, plc.firmware) == ("6ES7 214-1HE30-0XB0", "V2.2")
    at = int(plc.evidence.rsplit(" byte ", 1)[1])
    packet = path.read_bytes()[at : at + 16]  # TPKT, COTP, 0x72 and version 1, length, response, CreateObject
    assert (packet[0], packet[7], packet[8], packet[11], packet[14:16]) == (3, 0x72, 1, 0x32, b"\x04\xca")
