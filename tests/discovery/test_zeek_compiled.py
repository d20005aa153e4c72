"""The C conn.log aggregation gives exactly what the line-by-line reader gives, and hands every unclean file back."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from factorysec.discovery import zeek
from factorysec.discovery.types import FlowRecord, SourceStats
from tests.discovery.discovery_support import DATA

REAL_CONN_LOGS = sorted(DATA.rglob("conn.log"))

HEADER = (
    "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\t"
    "history\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\torig_l2_addr\tresp_l2_addr\n"
    "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tcount\tcount\tcount\tcount\tstring\tstring\n"
)


def _row(
    ts: str = "1445340000.5",
    orig: str = "10.0.0.5",
    orig_p: str = "50000",
    resp: str = "10.0.0.9",
    resp_p: str = "502",
    proto: str = "tcp",
    service: str = "-",
    duration: str = "0.25",
    history: str = "ShADadFf",
    packets: tuple[str, str] = ("6", "5"),
    ip_bytes: tuple[str, str] = ("420", "460"),
    macs: tuple[str, str] = ("-", "-"),
) -> str:
    fields = [ts, "Cx", orig, orig_p, resp, resp_p, proto, service, duration, "100", "200", history]
    fields += [packets[0], ip_bytes[0], packets[1], ip_bytes[1], macs[0], macs[1]]
    return "\t".join(fields) + "\n"


def _line_by_line(path: Path) -> tuple[list[FlowRecord], SourceStats]:
    """The reference: zeek.py's plain reader, which names every bad line."""
    with zeek._open_text(path) as fh:
        return zeek._read_conn(zeek._rows(fh, str(path)), str(path))


def _compiled(path: Path) -> tuple[list[FlowRecord], SourceStats]:
    result = zeek.read_conn_compiled(path)
    assert result is not None, f"{path}: the C aggregation handed a clean log back"
    return result


def test_the_install_built_the_c_conn_reader() -> None:
    assert zeek.COMPILED, (
        "the C extension factorysec.discovery._zeekconn was not built: is a C compiler installed? (scripts/setup.sh)"
    )


def test_every_real_conn_log_is_read_in_c_exactly_as_line_by_line() -> None:
    assert len(REAL_CONN_LOGS) >= 80
    for path in REAL_CONN_LOGS:
        records, stats = _compiled(path)
        expected_records, expected_stats = _line_by_line(path)
        assert records == expected_records, path
        assert stats == replace(expected_stats, kind="zeek-conn"), path


def test_the_real_logs_read_as_before_through_pandas() -> None:
    """Same flows as the pandas reader that read clean logs until now (outputs unchanged)."""
    for path in REAL_CONN_LOGS:
        before = zeek.read_conn_fast(path)
        assert before is not None, path
        assert _compiled(path) == before, path


def test_read_zeek_log_takes_the_c_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pandas(path: Path, chunk_rows: int = 0) -> None:
        raise AssertionError("the pandas reader ran although the C one could read the file")

    monkeypatch.setattr(zeek, "read_conn_fast", no_pandas)
    records, stats = zeek.read_zeek_log(REAL_CONN_LOGS[0])
    assert stats.kind == "zeek-conn" and (records, stats) == _line_by_line(REAL_CONN_LOGS[0])


def test_direction_service_macs_and_sums_as_line_by_line(tmp_path: Path) -> None:
    rows = [
        _row(),
        # the same session seen from its middle (no handshake): the PLC's port 502 makes it the server
        _row(ts="1445340001.125", orig="10.0.0.9", orig_p="502", resp="10.0.0.5", resp_p="50000", history="Dd"),
        # the SYN came from Zeek's responder
        _row(ts="1445340002", orig="10.0.0.9", orig_p="502", resp="10.0.0.5", resp_p="50000", history="sH"),
        # service and MACs first set on a later row
        _row(ts="1445339999.000001", service="modbus", macs=("00:1d:9c:aa:bb:cc", "-")),
        _row(ts="1445340003", duration="-", packets=("-", "3"), ip_bytes=("-", "180"), macs=("-", "00:0e:8c:01:02:03")),
        # no server port on either side: Zeek's originator stays the client
        _row(orig_p="40000", resp_p="40001", history="Dd"),
        # udp, icmp and an unknown transport
        _row(proto="udp", orig_p="161", resp_p="50123", history="Dd", service="snmp"),
        _row(proto="icmp", orig_p="8", resp_p="0", history="-"),
        _row(proto="unknown_transport", orig_p="0", resp_p="0", history="-"),
        # a long timestamp (more digits than a double's exact integers) and an IPv6 pair
        _row(ts="1445340004.12345678901234567", orig="fe80::1", resp="fe80::2"),
        # an address that is not one: left out with its line named, as the reader does
        _row(orig="not-an-address"),
    ]
    log = tmp_path / "conn.log"
    log.write_text(HEADER + "".join(rows) + "\n#close\t2015-10-20-12-00-00\n")
    records, stats = _compiled(log)
    assert (records, stats) == _line_by_line(log)
    assert stats.records == len(rows)
    modbus = next(r for r in records if r.port == 502)
    assert (modbus.client, modbus.server, modbus.protocol, modbus.client_mac, modbus.server_mac) == (
        "10.0.0.5",
        "10.0.0.9",
        "modbus-tcp",
        "00:1d:9c:aa:bb:cc",
        "00:0e:8c:01:02:03",
    )
    assert modbus.packets == 11 * 4 + 3 and modbus.first_seen == 1445339999.000001
    assert [s.positions for s in stats.skipped] == [("line 18",)]


@pytest.mark.parametrize(
    "bad_row",
    [
        _row(ts="-"),
        _row(ts="1e9"),
        _row(duration="-1"),
        _row(packets=("x", "1")),
        _row(ts="5000000000"),
        _row(packets=("1", "0"), ip_bytes=("200000", "0")),
        _row(proto="ip-6", history="Dd"),
        _row(orig="-"),
        _row(service="caf\u00e9"),
        _row(orig_p="\u0665\u0660\u0662", history="Dd"),
        _row(orig="10.0.0.\u0665"),
        _row().replace("\n", "\r\n"),
        _row().replace("\tCx\t", "\t"),
        _row().replace("\n", "\textra\n"),
        _row(resp_p="70000"),
        _row(orig_p="99999999999999999999999", history="Dd"),
        _row(resp_p=""),
        _row(resp_p="50.2"),
    ],
)
def test_an_unclean_row_hands_the_file_to_the_python_readers(tmp_path: Path, bad_row: str) -> None:
    log = tmp_path / "conn.log"
    log.write_text(HEADER + _row() + bad_row + _row(ts="1445340009"), encoding="utf-8")
    assert zeek.read_conn_compiled(log) is None
    records, stats = zeek.read_zeek_log(log)
    assert stats.records >= 2 and records


def test_json_and_empty_logs_are_left_to_the_python_readers(tmp_path: Path) -> None:
    as_json = tmp_path / "conn.json"
    as_json.write_text(
        '{"ts": 1.0, "id.orig_h": "10.0.0.1", "id.resp_h": "10.0.0.2", "id.resp_p": 502, "proto": "tcp"}\n'
    )
    empty = tmp_path / "empty.log"
    empty.write_text("")
    assert [zeek.read_conn_compiled(p) for p in (as_json, empty)] == [None, None]
    header_only = tmp_path / "header.log"
    header_only.write_text(HEADER)
    records, stats = _compiled(header_only)
    assert (records, stats.records) == ([], 0)


def test_a_gzipped_log_is_read_in_c_too(tmp_path: Path) -> None:
    import gzip

    source = max(REAL_CONN_LOGS, key=lambda p: p.stat().st_size)
    packed = tmp_path / "conn.log.gz"
    packed.write_bytes(gzip.compress(source.read_bytes()))
    records, stats = _compiled(packed)
    expected_records, expected_stats = _line_by_line(packed)
    assert (records, stats) == (expected_records, expected_stats) and stats.records > 10_000


def test_blocks_cut_anywhere_give_the_same_flows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Blocks end at the last whole line; a row split over blocks is read whole, a last line without a newline too."""
    log = tmp_path / "conn.log"
    log.write_text(
        HEADER + _row() + _row(ts="1445340001", resp_p="102", history="Dd") + _row(ts="1445340002").rstrip("\n")
    )
    whole = _compiled(log)
    for block in (1, 7, 64, 150, 1000):
        monkeypatch.setattr(zeek, "BLOCK_BYTES", block)
        assert _compiled(log) == whole == _line_by_line(log), block
    source = min((p for p in REAL_CONN_LOGS if p.stat().st_size > 100_000), key=lambda p: p.stat().st_size)
    monkeypatch.setattr(zeek, "BLOCK_BYTES", 4093)
    assert _compiled(source) == _line_by_line(source)


def _in_parts(path: Path, cuts: list[int]) -> tuple[list[FlowRecord], SourceStats] | None:
    bounds = [0, *cuts, path.stat().st_size]
    return zeek.merge_conn_parts(path, [zeek.read_conn_part(path, a, b) for a, b in zip(bounds, bounds[1:])])


def test_a_log_read_in_parts_cut_anywhere_gives_the_single_pass(tmp_path: Path) -> None:
    """Parts take the lines that start in their bytes; merged in file order they give exactly one pass's result:
    sums, first and last times, direction, the first service and MACs set, and the line numbers of skipped rows."""
    rows = [
        _row(macs=("-", "-")),
        _row(ts="1445340001.125", orig="10.0.0.9", orig_p="502", resp="10.0.0.5", resp_p="50000", history="Dd"),
        _row(orig="not-an-address"),
        _row(ts="1445339999.000001", service="modbus", macs=("00:1d:9c:aa:bb:cc", "-")),
        _row(ts="1445340002", orig="10.0.0.9", orig_p="502", resp="10.0.0.5", resp_p="50000", history="sH"),
        _row(ts="1445340003", duration="-", packets=("-", "3"), ip_bytes=("-", "180"), macs=("-", "00:0e:8c:01:02:03")),
        _row(proto="udp", orig_p="161", resp_p="50123", history="Dd", service="snmp"),
        _row(orig="also-not-one", ts="1445340005"),
    ]
    log = tmp_path / "conn.log"
    log.write_text(HEADER + "".join(rows) + "#close\t2015-10-20-12-00-00\n")
    whole = _compiled(log)
    assert whole[1].skipped and whole[1].skipped[0].positions == ("line 10", "line 15")
    size = log.stat().st_size
    for cuts in ([1], [len(HEADER)], [len(HEADER) + 1], [size // 2], [size - 1], [size // 3, 2 * size // 3]):
        assert _in_parts(log, cuts) == whole, cuts
    for cut in range(1, size, 7):
        assert _in_parts(log, [cut, min(cut + 97, size)]) == whole, cut


def test_real_logs_read_in_parts_give_the_single_pass() -> None:
    for path in sorted(REAL_CONN_LOGS, key=lambda p: p.stat().st_size)[-5:]:
        size = path.stat().st_size
        assert _in_parts(path, [size // 3, size // 2, 2 * size // 3]) == _compiled(path), path


def test_an_unclean_part_gives_none(tmp_path: Path) -> None:
    log = tmp_path / "conn.log"
    log.write_text(HEADER + _row() + _row(ts="1e9") + _row(ts="1445340009"))
    assert _in_parts(log, [log.stat().st_size - 5]) is None
    assert zeek.conn_log_size(log) == log.stat().st_size
    packed = tmp_path / "conn.log.gz"
    packed.write_bytes(b"")
    assert zeek.conn_log_size(packed) is None and zeek.conn_log_size(tmp_path / "missing.log") is None


NUMBER_SPELLINGS = [
    "1445340000",
    "1445340000.",
    "1445340000.5",
    "0001445340000.25",
    "1700000000.004000",
    "1445340000.1234567",
    "1445340000.123456789",  # 19 digits: the mantissa is above 2**53, strtod rounds it
    "1445340000.1234567890123",  # more than 19 digits
    "0000000000000000001445340000.75",
    "999999999.9999999999999999",
]


@pytest.mark.parametrize("ts", NUMBER_SPELLINGS)
def test_every_plain_number_spelling_is_the_double_python_reads(tmp_path: Path, ts: str) -> None:
    """The C parse of times, durations and counts (a mantissa of up to 19 digits over a power of ten, else strtod)
    gives the same double as Python's float() of the text, as the line-by-line reader has it."""
    rows = [
        _row(ts=ts, duration=".5"),
        _row(ts="1445340000.5", duration=ts.lstrip("0") or "0", packets=("0007", "5.")),
        _row(ts=ts, orig="10.0.0.6", duration="0.000001"),
    ]
    log = tmp_path / "conn.log"
    log.write_text(HEADER + "".join(rows))
    records, stats = _compiled(log)
    assert (records, stats) == _line_by_line(log)
    first = next(r for r in records if r.client == "10.0.0.6")
    assert first.first_seen == float(ts) and first.last_seen == float(ts) + 0.000001
