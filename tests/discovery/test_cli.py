from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.model import load_model
from tests.discovery.discovery_support import DATA, GEEK_151020, S7_DIR, S7_PCAPNG

runner = CliRunner()


def test_init_writes_a_model_that_check_accepts(tmp_path: Path) -> None:
    out = tmp_path / "model"
    result = runner.invoke(app, ["discover", str(GEEK_151020), "--init", str(out)])
    assert result.exit_code == 0, result.output
    model = load_model(out / "factory.yaml")
    assert len(model.assets) == 12
    assert {z.id for z in model.zones} >= {"net-10-10-10-0-24", "net-192-168-88-0-24"}
    check = runner.invoke(app, ["check", str(out / "factory.yaml")])
    assert check.exit_code == 0, check.output
    again = runner.invoke(app, ["discover", str(GEEK_151020), "--model", str(out / "factory.yaml"), "--format", "json"])
    assert again.exit_code == 0
    report = json.loads(again.stdout)
    rules = {f["rule"] for f in report["drift"]["findings"]}
    assert "DISC-UNDECLARED-FLOW" not in rules and "DISC-UNKNOWN-HOST" not in rules


def test_text_report_with_drift(tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text(
        "factory: {id: f, name: F}\n"
        "zones:\n"
        "  - {id: office, name: Office, kind: office, subnets: [192.168.1.32/28]}\n"
        "  - {id: cell, name: Cell, kind: production, subnets: [192.168.1.128/25]}\n"
    )
    out = tmp_path / "report.txt"
    result = runner.invoke(app, ["discover", str(S7_DIR), "--model", str(model), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "CRITICAL DISC-UNDECLARED-FLOW" in text
    assert "192.168.1.35 -> 192.168.1.191 s7comm tcp/102" in text
    assert str(S7_PCAPNG) in text


def test_bad_inputs_exit_2_with_one_line(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.pcap"
    bogus.write_bytes(b"garbage!" * 8)
    for args in (
        ["discover", str(bogus)],
        ["discover", str(tmp_path / "missing.pcap")],
        ["discover", str(GEEK_151020), "--format", "xml"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert result.exception is None or isinstance(result.exception, SystemExit)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:")
    bad_model = tmp_path / "bad.yaml"
    bad_model.write_text("zones: [1]\n")
    result = runner.invoke(app, ["discover", str(GEEK_151020), "--model", str(bad_model)])
    assert result.exit_code == 2


def test_control_characters_the_traffic_states_are_spelled_out_in_the_report_and_the_starter_model(
    tmp_path: Path,
) -> None:
    hostile = "Evil\x1b[2J\x1b]8;;http://evil.example/\x07Corp\x1b]8;;\x07 \u202eRTL\rforged line"
    logs = tmp_path / "zeek"
    logs.mkdir()
    cip = {"ts": 1.7e9, "uid": "C1", "id.orig_h": "10.0.0.100", "id.orig_p": 50000, "id.resp_h": "10.0.0.5"}
    (logs / "cip_identity.log").write_text(
        json.dumps({**cip, "id.resp_p": 44818, "vendor_name": hostile, "product_name": "PLC", "revision": "1.2"}) + "\n"
    )
    snmp = {**cip, "uid": "C2", "id.resp_h": "10.0.0.6", "id.resp_p": 161, "display_string": hostile}
    (logs / "snmp.log").write_text(json.dumps(snmp) + "\n")
    out, report = tmp_path / "model", tmp_path / "report.txt"
    result = runner.invoke(app, ["discover", str(logs), "--init", str(out), "--out", str(report)])
    assert result.exit_code == 0, result.output
    spelled = "Evil\\x1b[2J\\x1b]8;;http://evil.example/\\x07Corp\\x1b]8;;\\x07 \\u202eRTL\\x0dforged line"
    text = report.read_text(encoding="utf-8")
    assert spelled in text and not any(c in text for c in "\x1b\x07\u202e\r")
    shown = runner.invoke(app, ["discover", str(logs)])
    assert shown.exit_code == 0 and spelled in shown.stdout
    assert not any(c in shown.stdout for c in "\x1b\x07\u202e\r")
    check = runner.invoke(app, ["check", str(out / "factory.yaml")])  # it refused the escape character before
    assert check.exit_code == 0, check.output
    assets = {a.addresses[0]: a for a in load_model(out / "factory.yaml").assets}
    identity = assets["10.0.0.5"].identity
    assert identity is not None and identity.vendor == spelled
    assert spelled in (assets["10.0.0.6"].description or "")


def test_flows_only_a_protocol_log_gave_say_their_packets_were_not_logged(tmp_path: Path) -> None:
    """modbus.log and dnp3.log hold no packet or byte counts: their flows' 0 packets are unknown, not none."""
    modbus = DATA / "Additional-Captures" / "4SICS-GeekLounge-151021" / "modbus.log"
    shown = runner.invoke(app, ["discover", str(modbus), "--limit", "0"])
    assert shown.exit_code == 0, shown.output
    flows = shown.output.split("\nFlows (3)\n")[1].splitlines()
    assert len(flows) == 3 and all(
        "modbus-tcp tcp/502 [zeek-modbus-log] packets and bytes not logged," in f for f in flows
    )
    assert (
        "192.168.2.0/24 -> 192.168.88.0/24 modbus-tcp: 3 flows, packets and bytes not logged (direction" in shown.output
    )
    assert "0 packets" not in shown.output and "0 bytes" not in shown.output
    # One more flow in the same zone pair from a conn.log, which counts its packets: the sum says what it covers.
    conn = tmp_path / "conn.log"
    conn.write_text(
        "#separator \\x09\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
        "orig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\thistory\n"
        "1445426000.0\tC1\t192.168.2.42\t50000\t192.168.88.21\t502\ttcp\tmodbus\t1.0\t6\t400\t4\t300\tShADad\n"
    )
    both = runner.invoke(app, ["discover", str(modbus), str(conn), "--limit", "0"])
    assert both.exit_code == 0, both.output
    assert (
        "192.168.2.0/24 -> 192.168.88.0/24 modbus-tcp: 4 flows, 10 packets, 700 bytes "
        "(3 of the flows: packets and bytes not logged) (direction" in both.output
    )
    assert "192.168.2.42 -> 192.168.88.21 modbus-tcp tcp/502 [zeek-service] 10 packets, 700 bytes," in both.output


def test_hosts_are_listed_most_important_first_as_flows_are() -> None:
    """--limit keeps the hosts that receive or send control operations, then those speaking a control protocol,
    before the busiest: a Modbus writer in a modbus.log (no packet counts) is not cut off behind the DNS traffic."""
    modbus = DATA / "MODBUS" / "MODBUS-TestDataPart2" / "modbus.log"
    shown = runner.invoke(app, ["discover", str(GEEK_151020), str(modbus), "--limit", "3"])
    assert shown.exit_code == 0, shown.output
    hosts = shown.output.split("\nHosts (14)\n")[1].splitlines()[:4]
    assert hosts == [
        "  166.161.16.230: modbus-tcp server",
        "  192.168.66.235: modbus-tcp client",
        "  10.10.10.10: s7comm server",  # the PLC: a control protocol, the most packets of those that speak one
        "  ... 11 more hosts (--limit 0 prints all; --format json holds every item)",
    ]
