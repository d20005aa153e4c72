"""Issue 15 item 5: damaged captures and logs are named record by record; one bad file never
aborts a run over many; the exit code is 0 when anything was read, 2 when nothing could be."""

from __future__ import annotations

import json
import struct
from pathlib import Path

from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.discovery.pcap import read_capture
from factorysec.discovery.zeek import read_zeek_log
from tests.discovery.discovery_support import GEEK_151020, S7_PCAPNG, epb_packets, write_pcap

runner = CliRunner()


def _record_offsets(data: bytes) -> list[int]:
    offsets, off = [], 24
    while off + 16 <= len(data):
        offsets.append(off)
        off += 16 + struct.unpack_from("<I", data, off + 8)[0]
    return offsets


def test_flipped_wire_length_does_not_make_a_4_gb_flow(tmp_path: Path) -> None:
    packets = epb_packets(S7_PCAPNG)
    path = tmp_path / "flip.pcap"
    write_pcap(path, packets)
    data = bytearray(path.read_bytes())
    at = _record_offsets(bytes(data))[7]
    data[at + 15] = 0xF0  # high byte of the wire length: about 4 GB
    path.write_bytes(bytes(data))
    records, stats = read_capture(path)
    assert sum(r.bytes for r in records) == sum(w for _t, _f, w in packets) - packets[7][2]
    [skip] = [s for s in stats.skipped if s.reason.startswith("implausible wire length")]
    assert (skip.count, skip.positions) == (1, (f"byte {at}",))
    assert stats.records == len(packets) and stats.skipped_records == 1


def test_out_of_range_timestamps_are_skipped_by_position(tmp_path: Path) -> None:
    packets = epb_packets(S7_PCAPNG)
    path = tmp_path / "ts.pcap"
    write_pcap(path, packets)
    data = bytearray(path.read_bytes())
    offsets = _record_offsets(bytes(data))
    struct.pack_into("<I", data, offsets[3] + 4, 5_000_000)  # microseconds past one second
    struct.pack_into("<I", data, offsets[9], 0xFFFFFF00)  # year 2106
    path.write_bytes(bytes(data))
    records, stats = read_capture(path)
    [skip] = [s for s in stats.skipped if s.reason == "timestamp out of range"]
    assert skip.count == 2 and skip.positions == (f"byte {offsets[3]}", f"byte {offsets[9]}")
    assert sum(r.packets for r in records) == len(packets) - 2
    assert max(r.last_seen for r in records) < 4102444800


def test_implausible_conn_records_are_named_by_line(tmp_path: Path) -> None:
    lines = GEEK_151020.read_text().splitlines()
    names = next(x for x in lines if x.startswith("#fields")).split("\t")[1:]
    first_row = next(i for i, x in enumerate(lines) if not x.startswith("#"))
    fields = lines[first_row + 5].split("\t")
    fields[names.index("orig_ip_bytes")] = "4294967040"  # 4 GB in a handful of packets
    lines[first_row + 5] = "\t".join(fields)
    fields = lines[first_row + 9].split("\t")
    fields[names.index("ts")] = "99999999999.0"
    lines[first_row + 9] = "\t".join(fields)
    bad = tmp_path / "conn.log"
    bad.write_text("\n".join(lines) + "\n")
    records, stats = read_zeek_log(bad)
    reasons = {s.reason: s.positions for s in stats.skipped}
    assert reasons == {
        "implausible byte count for its packet count (damaged field)": (f"line {first_row + 6}",),
        "timestamp or duration out of range": (f"line {first_row + 10}",),
    }
    assert stats.records == 12444 - 2 and stats.skipped_records == 2
    assert max(r.bytes for r in records) < 4_000_000_000


def _folder_with_bad_files(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "good").mkdir()
    (folder / "good" / "conn.log").write_bytes(GEEK_151020.read_bytes())
    (folder / "empty").mkdir()
    (folder / "empty" / "conn.log").write_bytes(b"")
    (folder / "header").mkdir()
    (folder / "header" / "conn.log").write_text("#separator \\x09\n#path\tconn\n1\t2\t3\n")
    (folder / "dns.log").write_text("#separator \\x09\n#path\tdns\n#fields\tts\n1.0\n")
    data = S7_PCAPNG.read_bytes()
    (folder / "cut.pcapng").write_bytes(data[:16])
    return folder


def test_one_bad_file_never_aborts_a_run_over_many(tmp_path: Path) -> None:
    folder = _folder_with_bad_files(tmp_path)
    result = runner.invoke(app, ["discover", str(folder), "--limit", "0"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"{folder / 'empty' / 'conn.log'}: not read: empty file" in out
    assert f"{folder / 'header' / 'conn.log'}: not read: line 3: no #fields header line" in out
    assert (
        f"{folder / 'dns.log'}: not used: Zeek 'dns' log: discovery reads only conn, "
        "modbus, dnp3, snmp and cip_identity logs"
    ) in out
    assert f"{folder / 'cut.pcapng'}: not read:" in out
    assert "summary: 1 file read, 3 not read (damaged or unreadable), 1 not used" in out
    assert "10.10.10.30 -> 10.10.10.10 s7comm tcp/102" in out
    # damaged files are also named on standard error; unused kinds are not warnings
    assert "warning:" in result.stderr and "dns.log" not in result.stderr
    js = runner.invoke(app, ["discover", str(folder), "--format", "json"])
    sources = {Path(s["path"]).relative_to(folder).as_posix(): s for s in json.loads(js.stdout)["inventory"]["sources"]}
    assert sources["good/conn.log"]["not_read"] is None
    assert sources["dns.log"]["kind"] == "skipped"
    assert sources["empty/conn.log"]["kind"] == "not read"


def test_text_sources_list_problems_first_and_follows_limit(tmp_path: Path) -> None:
    """A folder of many logs: the damaged files lead the list, unused kinds come last, --limit caps it."""
    folder = _folder_with_bad_files(tmp_path)
    for n in range(6):
        (folder / f"weird-{n}.log").write_text("#separator \\x09\n#path\tweird\n#fields\tts\n1.0\n")
    result = runner.invoke(app, ["discover", str(folder), "--limit", "3"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.split("Sources (11)\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert [line.split(": ")[1] for line in lines[:3]] == ["not read"] * 3
    assert lines[3] == "  ... 8 more sources (--limit 0 prints all; --format json holds every item)"
    assert lines[4].startswith("  summary: 1 file read, 3 not read (damaged or unreadable), 7 not used")
    everything = runner.invoke(app, ["discover", str(folder), "--limit", "0"]).stdout
    listed = everything.split("Sources (11)\n", 1)[1].split("  summary:", 1)[0]
    assert listed.index("good/conn.log: zeek-conn") < listed.index("weird-0.log: not used")


def test_nothing_readable_exits_2_with_one_line(tmp_path: Path) -> None:
    folder = _folder_with_bad_files(tmp_path)
    (folder / "good" / "conn.log").unlink()
    result = runner.invoke(app, ["discover", str(folder)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith("error:")
    assert "none of the 4 files could be read" in result.output


def test_limit_caps_every_list_most_important_first(tmp_path: Path) -> None:
    result = runner.invoke(app, ["discover", str(GEEK_151020), "--limit", "2"])
    assert result.exit_code == 0
    out = result.stdout.split("\nFlows (10)\n", 1)[1].splitlines()
    assert out[0].startswith("  10.10.10.20 -> 10.10.10.10 s7comm")
    assert out[1].startswith("  10.10.10.30 -> 10.10.10.10 s7comm")
    assert out[2] == "  ... 8 more flows (--limit 0 prints all; --format json holds every item)"
    assert "Traffic by zone pair and protocol" in result.stdout
