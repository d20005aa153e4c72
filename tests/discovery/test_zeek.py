from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest

from factorysec.discovery.types import DiscoveryInputError
from factorysec.discovery.zeek import read_zeek_log
from tests.discovery.discovery_support import DATA, GEEK_151020, MODBUS_DIR


def _independent(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Plain parse: header names from #fields, rows split on tabs."""
    names: list[str] = []
    rows = []
    for line in path.read_text().splitlines():
        if line.startswith("#fields"):
            names = line.split("\t")[1:]
        elif line and not line.startswith("#"):
            rows.append(dict(zip(names, line.split("\t"), strict=True)))
    return names, rows


def _client_first(row: dict[str, str]) -> dict[str, str]:
    """The row turned client-to-server: by who sent the SYN when Zeek saw it, else by the
    well-known server port (this capture's only ones: 53, 102, 123)."""
    history = row["history"]
    syn_by_orig = "S" in history or "h" in history
    syn_by_resp = not syn_by_orig and ("s" in history or "H" in history)
    server_port_orig = row["id.orig_p"] in ("53", "102", "123") and row["id.resp_p"] not in ("53", "102", "123")
    if syn_by_resp or (not syn_by_orig and server_port_orig):
        swapped = dict(row)
        for a, b in (("id.orig_h", "id.resp_h"), ("id.orig_p", "id.resp_p")):
            swapped[a], swapped[b] = row[b], row[a]
        return swapped
    return row


def test_4sics_151020_conn_log_hosts_pairs_and_services() -> None:
    _, raw_rows = _independent(GEEK_151020)
    rows = [_client_first(r) for r in raw_rows]
    hosts = {r["id.orig_h"] for r in rows} | {r["id.resp_h"] for r in rows}
    pairs = Counter((r["id.orig_h"], r["id.resp_h"], r["proto"], r["id.resp_p"]) for r in rows)
    records, stats = read_zeek_log(GEEK_151020)
    assert len(hosts) == 12
    assert stats.records == len(rows) == 12444
    assert {r.client for r in records} | {r.server for r in records} == hosts
    got = {(r.client, r.server, r.transport, str(r.port)) for r in records}
    assert got == set(pairs)
    for r in records:
        key = (r.client, r.server, r.transport, str(r.port))
        mine = (
            [x for x in rows if (x["id.orig_h"], x["id.resp_h"], x["proto"], x["id.resp_p"]) == key]
            if r.port in (53, 102, 123)
            else []
        )
        for x in mine:
            assert r.first_seen <= float(x["ts"])
    services = {(r["id.resp_p"], r["service"]) for r in rows if r["service"] != "-"}
    by_port = {str(r.port): r.protocol for r in records}
    for port, service in services:
        assert by_port[port] == {"dns": "dns", "ntp": "ntp"}.get(service, by_port[port])
    s7 = [r for r in records if r.port == 102]
    assert s7 and all(r.protocol == "s7comm" for r in s7)
    # Sessions already running at capture start (Zeek's originator is the PLC, port 102)
    # come out HMI -> PLC, and the PLC is never a client.
    assert sum(1 for r in raw_rows if r["id.orig_p"] == "102") > 2000
    plc = [r for r in records if "10.10.10.10" in (r.client, r.server)]
    assert {(r.client, r.server, r.port) for r in plc} == {
        ("10.10.10.20", "10.10.10.10", 102),
        ("10.10.10.30", "10.10.10.10", 102),
    }
    by_client = {r.client: r.direction for r in plc}
    assert by_client == {"10.10.10.30": "handshake", "10.10.10.20": "server-port"}
    total_pkts = sum(int(r["orig_pkts"]) + int(r["resp_pkts"]) for r in rows)
    assert sum(r.packets for r in records) == total_pkts


def _rewrite(src: Path, dst: Path, drop: set[str], reverse: bool) -> None:
    out = []
    names: list[str] = []
    keep: list[int] = []
    for line in src.read_text().splitlines():
        if line.startswith("#fields"):
            names = line.split("\t")[1:]
            keep = [i for i, n in enumerate(names) if n not in drop]
            if reverse:
                keep.reverse()
            out.append("\t".join(["#fields"] + [names[i] for i in keep]))
        elif line.startswith("#types"):
            types = line.split("\t")[1:]
            out.append("\t".join(["#types"] + [types[i] for i in keep]))
        elif line.startswith("#") or not line:
            out.append(line)
        else:
            parts = line.split("\t")
            out.append("\t".join(parts[i] for i in keep))
    dst.write_text("\n".join(out) + "\n")


def _flows(path: Path) -> list[tuple[object, ...]]:
    records, _ = read_zeek_log(path)
    return sorted(
        (
            r.client,
            r.server,
            r.transport,
            r.port,
            r.protocol,
            r.packets,
            r.bytes,
            round(r.first_seen, 5),
            round(r.last_seen, 5),
        )
        for r in records
    )


def test_old_layout_and_reordered_columns_give_same_flows(tmp_path: Path) -> None:
    old = tmp_path / "conn.log"
    _rewrite(GEEK_151020, old, {"local_resp", "tunnel_parents", "uid"}, reverse=True)
    assert _flows(old) == _flows(GEEK_151020)


def test_json_form_gives_same_flows(tmp_path: Path) -> None:
    _names, rows = _independent(GEEK_151020)
    out = tmp_path / "conn.json.log"
    ints = {
        "id.orig_p",
        "id.resp_p",
        "orig_pkts",
        "resp_pkts",
        "orig_ip_bytes",
        "resp_ip_bytes",
        "orig_bytes",
        "resp_bytes",
        "missed_bytes",
    }
    with out.open("w") as fh:
        for r in rows:
            rec: dict[str, object] = {}
            for k, v in r.items():
                if v == "-":
                    continue
                rec[k] = int(v) if k in ints else float(v) if k in ("ts", "duration") else v
            fh.write(json.dumps(rec) + "\n")
    assert _flows(out) == _flows(GEEK_151020)


def test_malformed_lines_are_counted_with_line_numbers(tmp_path: Path) -> None:
    lines = GEEK_151020.read_text().splitlines()
    lines[20] = lines[20] + "\textra"
    lines[30] = lines[30].replace("\t", " ", 3)
    fields = lines[40].split("\t")
    fields[0] = "not-a-time"
    lines[40] = "\t".join(fields)
    bad = tmp_path / "conn.log"
    bad.write_text("\n".join(lines) + "\n")
    _records, stats = read_zeek_log(bad)
    assert stats.records == 12444 - 3
    reasons = {s.reason: (s.count, s.positions) for s in stats.skipped}
    assert reasons == {"unparsable number": (1, ("line 41",)), "wrong number of columns": (2, ("line 21", "line 31"))}


def test_truncated_log_keeps_complete_lines_and_counts_the_cut_one(tmp_path: Path) -> None:
    data = GEEK_151020.read_bytes()
    cut = tmp_path / "conn.log"
    cut.write_bytes(data[: len(data) // 2])
    complete = data[: len(data) // 2].count(b"\n") - 8
    _records, stats = read_zeek_log(cut)
    assert stats.records == complete
    assert sum(s.count for s in stats.skipped) == 1


def test_missing_required_field_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "conn.log"
    _rewrite(GEEK_151020, bad, {"id.resp_h"}, reverse=False)
    with pytest.raises(DiscoveryInputError, match=r"conn.log:7: missing required field"):
        read_zeek_log(bad)


def test_not_a_zeek_log(tmp_path: Path) -> None:
    p = tmp_path / "notes.txt"
    p.write_text("hello\n")
    with pytest.raises(DiscoveryInputError, match="not a Zeek log"):
        read_zeek_log(p)


def test_modbus_log_annotates_flow() -> None:
    records, stats = read_zeek_log(MODBUS_DIR / "modbus.log")
    [r] = records
    assert (r.client, r.server, r.port, r.protocol) == ("192.168.110.131", "192.168.110.138", 502, "modbus-tcp")
    assert stats.records == 51


def test_dnp3_write_operations_from_log() -> None:
    path = DATA / "DNP3" / "DNP3-Write" / "dnp3.log"
    _, rows = _independent(path)
    writes = sum(1 for x in rows if x["fc_request"] == "WRITE")
    records, _ = read_zeek_log(path)
    ops = [o for r in records for o in r.operations if o.operation == "write"]
    assert writes > 0 and sum(o.count for o in ops) == writes


def test_fast_conn_reader_takes_the_real_log_and_agrees_with_the_line_reader() -> None:
    from factorysec.discovery.zeek import _open_text, _read_conn, _rows, read_conn_fast

    fast = read_conn_fast(GEEK_151020)
    assert fast is not None  # the fast path must not silently fall back
    with _open_text(GEEK_151020) as fh:
        slow = _read_conn(_rows(fh, str(GEEK_151020)), str(GEEK_151020))
    assert [asdict(r) for r in fast[0]] == [asdict(r) for r in slow[0]]
    assert fast[1].records == slow[1].records


def test_modbus_writes_answered_with_an_exception_count_as_writes() -> None:
    """Zeek logs a request whose reply was an exception as `WRITE_..._EXCEPTION`; the client still asked
    for the write (a capture's request shows it), so discovery counts it, as it does reading a capture."""
    path = DATA / "MODBUS" / "MODBUS-TestDataPart2" / "modbus.log"
    _, rows = _independent(path)
    names = {
        "WRITE_SINGLE_COIL": "write-single-coil",
        "WRITE_SINGLE_REGISTER": "write-single-register",
        "WRITE_MULTIPLE_COILS": "write-multiple-coils",
        "WRITE_MULTIPLE_REGISTERS": "write-multiple-registers",
        "MASK_WRITE_REGISTER": "mask-write-register",
        "READ_WRITE_MULTIPLE_REGISTERS": "read-write-multiple-registers",
    }
    expected = Counter(
        names[x["func"].removesuffix("_EXCEPTION")] for x in rows if x["func"].removesuffix("_EXCEPTION") in names
    )
    assert sum(1 for x in rows if x["func"].endswith("_EXCEPTION") and x["func"][:-10] in names) == 5
    records, _ = read_zeek_log(path)
    got = Counter({o.operation: o.count for r in records for o in r.operations})
    assert got == expected
    assert set(got) == set(names.values())
