"""Damaged Zeek logs: each bad record or header is named by file and line, never a traceback, never silently taken;
what can be read is read, and the rest of the run goes on."""

from __future__ import annotations

import gzip
import json
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.discovery import zeek
from factorysec.discovery.types import DiscoveryInputError
from factorysec.discovery.zeek import read_zeek_log
from tests.discovery.discovery_support import GEEK_151020, MODBUS_DIR, S7_PCAPNG

runner = CliRunner()
S7_FLOW = "192.168.1.35 -> 192.168.1.191 s7comm tcp/102"  # the capture's flow


def _site(tmp_path: Path, log_name: str, log: bytes) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "s7.pcapng").write_bytes(S7_PCAPNG.read_bytes())
    (folder / log_name).write_bytes(log)
    return folder


def _whole_lines(data: bytes) -> int:
    """Data rows among the whole lines of a conn.log's text."""
    return sum(1 for line in data.split(b"\n")[:-1] if line and not line.startswith(b"#"))


def test_a_truncated_gzipped_log_keeps_what_was_read_and_says_it_ends_early(tmp_path: Path) -> None:
    packed = gzip.compress(GEEK_151020.read_bytes())[:5000]
    readable = zlib.decompressobj(wbits=31).decompress(packed)
    folder = _site(tmp_path, "conn.log.gz", packed)
    records, stats = read_zeek_log(folder / "conn.log.gz")
    assert stats.records == _whole_lines(readable) > 100 and records
    [skip] = stats.skipped
    assert skip.reason.startswith("file ends early: truncated gzip") and skip.reason.endswith("its last line is cut")
    cut_line = readable.count(b"\n") + 1
    assert (skip.count, skip.positions) == (1, (f"line {cut_line}",))
    assert zeek.read_conn_compiled(folder / "conn.log.gz") is None  # the Python readers name where it ends
    for extra in ([], ["--jobs", "2"]):
        result = runner.invoke(app, ["discover", str(folder), "--limit", "0", *extra])
        assert result.exit_code == 0, result.output
        assert S7_FLOW in result.stdout
        assert f"{folder / 'conn.log.gz'}: zeek-conn, {stats.records} records" in result.stdout
        assert "skipped 1 record: file ends early: truncated gzip" in result.stdout
    partial = tmp_path / "out.partial"
    result = runner.invoke(app, ["discover", str(folder), "--partial", str(partial)])
    assert result.exit_code == 0, result.output
    merged = runner.invoke(app, ["discover", str(partial), "--limit", "0"])
    assert merged.exit_code == 0 and S7_FLOW in merged.stdout and "file ends early" in merged.stdout


def test_a_gzipped_log_cut_at_a_line_end_names_where_it_stops(tmp_path: Path) -> None:
    data = GEEK_151020.read_bytes()
    lines = data.split(b"\n")
    stream = zlib.compressobj(wbits=31)
    cut_at = len(b"\n".join(lines[:40])) + 1
    head = stream.compress(data[:cut_at]) + stream.flush(zlib.Z_FULL_FLUSH)  # whole lines, then no end marker
    log = tmp_path / "conn.log.gz"
    log.write_bytes(head)
    records, stats = read_zeek_log(log)
    assert stats.records == 40 - 8 and records
    [skip] = stats.skipped
    assert skip.reason.startswith("file ends early: truncated gzip") and (skip.count, skip.positions) == (
        0,
        ("line 41",),
    )


def test_a_gzipped_log_with_a_bad_checksum_is_read_and_flagged(tmp_path: Path) -> None:
    packed = bytearray(gzip.compress(GEEK_151020.read_bytes()))
    packed[-8] ^= 1  # the CRC
    folder = _site(tmp_path, "conn.log.gz", bytes(packed))
    records, stats = read_zeek_log(folder / "conn.log.gz")
    expected, expected_stats = read_zeek_log(GEEK_151020)
    assert records == [replace(r, source=str(folder / "conn.log.gz")) for r in expected]
    assert stats.records == expected_stats.records
    [skip] = stats.skipped
    assert skip.reason.startswith("damaged gzip (CRC check failed") and skip.count == 0
    result = runner.invoke(app, ["discover", str(folder), "--limit", "0"])
    assert result.exit_code == 0, result.output
    assert S7_FLOW in result.stdout and "damaged gzip (CRC check failed" in result.stdout


def test_a_gzipped_log_cut_in_its_header_alone_exits_2(tmp_path: Path) -> None:
    log = tmp_path / "conn.log.gz"
    log.write_bytes(gzip.compress(GEEK_151020.read_bytes())[:40])
    with pytest.raises(DiscoveryInputError, match="truncated gzip"):
        read_zeek_log(log)
    result = runner.invoke(app, ["discover", str(log)])
    assert result.exit_code == 2
    assert "conn.log.gz: file ends early: truncated gzip" in result.output
    assert "Traceback" not in result.output


def test_a_gzipped_capture_is_named_not_read(tmp_path: Path) -> None:
    folder = _site(tmp_path, "other.pcap.gz", gzip.compress(S7_PCAPNG.read_bytes()))
    result = runner.invoke(app, ["discover", str(folder), "--limit", "0"])
    assert result.exit_code == 0, result.output
    assert f"{folder / 'other.pcap.gz'}: not read: a gzipped capture" in result.stdout
    assert "gunzip it first" in result.stdout and S7_FLOW in result.stdout


def _json_conn(ts: float, resp_p: object = 502, **more: object) -> str:
    record = {"ts": ts, "id.orig_h": "10.0.0.5", "id.orig_p": 50000, "id.resp_h": "10.0.0.9", "id.resp_p": resp_p}
    record |= {"proto": "tcp", "orig_pkts": 6, "resp_pkts": 5, "orig_ip_bytes": 420, "resp_ip_bytes": 460}
    return json.dumps(record | more) + "\n"


def test_a_deeply_nested_json_line_is_skipped_by_line(tmp_path: Path) -> None:
    log = tmp_path / "conn.log"
    deep = "[" * 100_000 + "\n"
    log.write_text(_json_conn(1445340000.0) + deep + _json_conn(1445340002.0))
    records, stats = read_zeek_log(log)
    assert stats.records == 2 and sum(r.packets for r in records) == 22
    assert [(s.reason, s.count, s.positions) for s in stats.skipped] == [("invalid JSON record", 1, ("line 2",))]
    (tmp_path / "other").mkdir()
    first = tmp_path / "other" / "conn.log"
    first.write_text('{"ts": ' * 100_000 + "\n" + _json_conn(1445340000.0))
    result = runner.invoke(app, ["discover", str(first), str(log)])
    assert result.exit_code == 0, result.output
    assert f"{first}: not read: line 1: invalid JSON: nested too deeply" in result.stdout
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("separator_line", "message"),
    [
        ("#separator \\x", "#separator header value \\x is not a \\xHH escape"),
        ("#separator \\x0", "#separator header value \\x0 is not a \\xHH escape"),
        ("#separator ", "#separator header sets an empty separator"),
    ],
)
def test_a_bad_separator_header_lists_the_file_as_not_read(tmp_path: Path, separator_line: str, message: str) -> None:
    text = GEEK_151020.read_text()
    bad = tmp_path / "bad" / "conn.log"
    bad.parent.mkdir()
    bad.write_text(separator_line + "\n" + text.split("\n", 1)[1])
    with pytest.raises(DiscoveryInputError) as error:
        read_zeek_log(bad)
    assert (error.value.line, error.value.message) == (1, message)
    assert zeek.read_conn_compiled(bad) is None and zeek.read_conn_fast(bad) is None and zeek.conn_log_size(bad) is None
    good = tmp_path / "good.pcapng"
    good.write_bytes(S7_PCAPNG.read_bytes())
    result = runner.invoke(app, ["discover", str(tmp_path), "--limit", "0"])
    assert result.exit_code == 0, result.output
    assert f"{bad}: not read: line 1: {message}" in result.stdout and S7_FLOW in result.stdout
    assert "Traceback" not in result.output


def test_a_separator_spelled_as_escapes_or_itself_is_read(tmp_path: Path) -> None:
    text = GEEK_151020.read_text()
    expected, _ = read_zeek_log(GEEK_151020)
    for spelling, sep in (("\\x09", "\t"), ("|", "|"), ("\\x7c", "|")):
        log = tmp_path / "conn.log"
        log.write_text(f"#separator {spelling}\n" + text.split("\n", 1)[1].replace("\t", sep))
        records, stats = read_zeek_log(log)
        assert records == [replace(r, source=str(log)) for r in expected] and not stats.skipped, spelling


def _tsv_conn(row_changes: dict[int, dict[str, str]], tmp_path: Path) -> tuple[Path, list[str]]:
    """GEEK_151020's conn.log with fields of some data rows (0 = the first) changed; and its lines."""
    lines = GEEK_151020.read_text().splitlines()
    names = next(x for x in lines if x.startswith("#fields")).split("\t")[1:]
    first_row = next(i for i, x in enumerate(lines) if not x.startswith("#"))
    for row, changes in row_changes.items():
        fields = lines[first_row + row].split("\t")
        for name, value in changes.items():
            fields[names.index(name)] = value
        lines[first_row + row] = "\t".join(fields)
    log = tmp_path / "conn.log"
    log.write_text("\n".join(lines) + "\n")
    return log, lines


def test_impossible_ports_and_negative_counts_are_skipped_by_line(tmp_path: Path) -> None:
    changes = {
        3: {"id.resp_p": "70000"},
        4: {"id.orig_p": "99999999999999999999999"},
        5: {"orig_pkts": "-3", "resp_pkts": "51"},
        6: {"orig_ip_bytes": "-100", "resp_ip_bytes": "5000"},
    }
    log, _ = _tsv_conn(changes, tmp_path)
    first_line = 9
    assert (
        zeek.read_conn_compiled(log) is None and zeek.read_conn_fast(log) is None
    )  # the C and pandas passes hand it on
    records, stats = read_zeek_log(log)
    assert {(s.reason, s.count, s.positions) for s in stats.skipped} == {
        ("invalid port", 2, (f"line {first_line + 3}", f"line {first_line + 4}")),
        ("negative packet or byte count", 2, (f"line {first_line + 5}", f"line {first_line + 6}")),
    }
    assert stats.records == 12444 - 4
    assert all(0 <= r.port <= 65535 for r in records)
    result = runner.invoke(app, ["discover", str(log), "--limit", "0"])
    assert result.exit_code == 0 and "tcp/70000" not in result.stdout


def test_impossible_ports_in_json_and_ics_logs_are_skipped_by_line(tmp_path: Path) -> None:
    log = tmp_path / "conn.log"
    log.write_text(
        _json_conn(1445340000.0)
        + _json_conn(1445340001.0, resp_p=99999999999999999999999)
        + _json_conn(1445340002.0, orig_pkts=-3, resp_pkts=51)
        + _json_conn(1445340003.0, resp_p=-1)
    )
    records, stats = read_zeek_log(log)
    assert [r.port for r in records] == [502] and records[0].packets == 11
    assert {(s.reason, s.positions) for s in stats.skipped} == {
        ("invalid port", ("line 2", "line 4")),
        ("negative packet or byte count", ("line 3",)),
    }
    source = MODBUS_DIR / "modbus.log"
    lines = source.read_text().splitlines()
    fields = lines[8].split("\t")
    fields[5] = "99999"
    lines[8] = "\t".join(fields)
    modbus = tmp_path / "modbus.log"
    modbus.write_text("\n".join(lines) + "\n")
    records, stats = read_zeek_log(modbus)
    assert 99999 not in {r.port for r in records}
    assert [(s.reason, s.count, s.positions) for s in stats.skipped] == [("invalid port", 1, ("line 9",))]


def _log_part(rows: slice, order: list[int] | None = None, drop: tuple[str, ...] = ()) -> str:
    """A conn.log of some of GEEK_151020's rows, its columns put in `order` (indexes of the original columns) and
    the columns named in `drop` left out, header and all."""
    lines = GEEK_151020.read_text().splitlines()
    names = next(x for x in lines if x.startswith("#fields")).split("\t")[1:]
    keep = [i for i in (order if order is not None else range(len(names))) if names[i] not in drop]
    header = [x for x in lines if x.startswith("#") and not x.startswith("#close")]
    data = [x for x in lines if not x.startswith("#")][rows]
    out = []
    for line in header + data:
        if line.startswith(("#fields", "#types")):
            label, *values = line.split("\t")
            out.append("\t".join([label, *(values[i] for i in keep)]))
        elif line.startswith("#"):
            out.append(line)
        else:
            values = line.split("\t")
            out.append("\t".join(values[i] for i in keep))
    return "\n".join(out) + "\n#close\t2015-10-20-12-00-00\n"


def _flows(*paths: Path) -> list[dict[str, object]]:
    result = runner.invoke(app, ["discover", *map(str, paths), "--format", "json"])
    assert result.exit_code == 0, result.output
    flows = json.loads(result.stdout)["inventory"]["flows"]
    return sorted(({k: v for k, v in f.items() if k != "sources"} for f in flows), key=json.dumps)


def test_a_second_header_block_sets_the_columns_of_the_rows_after_it(tmp_path: Path) -> None:
    """Two conn.logs joined with `cat`, the second with its columns in another order (or fewer of them), read as the
    two logs read separately: in the C pass (which hands the file on at the new header), pandas and line by line."""
    width = len(next(x for x in GEEK_151020.read_text().splitlines() if x.startswith("#fields")).split("\t")) - 1
    first, second = tmp_path / "a" / "conn.log", tmp_path / "b" / "conn.log"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_text(_log_part(slice(0, 6000)))
    for name, second_text in (
        ("reordered", _log_part(slice(6000, None), order=list(reversed(range(width))))),
        (
            "fewer",
            _log_part(slice(6000, None), order=[4, 3, 2, 1, 0, *range(5, width)], drop=("uid", "tunnel_parents")),
        ),
    ):
        second.write_text(second_text)
        joined = tmp_path / f"{name}.log"
        joined.write_text(first.read_text() + second_text)
        assert zeek.read_conn_compiled(joined) is None and zeek.read_conn_fast(joined) is None, name
        size = joined.stat().st_size
        assert zeek.read_conn_part(joined, size // 2, size) is None  # the part holding the second header
        records, stats = read_zeek_log(joined)
        assert stats.records == 12444 and not stats.skipped, name
        assert _flows(joined) == _flows(first, second), name
        result = runner.invoke(app, ["discover", str(joined), "--jobs", "2", "--format", "json"])
        assert result.exit_code == 0 and len(json.loads(result.stdout)["inventory"]["flows"]) == len(records)
        packed = tmp_path / f"{name}.log.gz"
        packed.write_bytes(gzip.compress(joined.read_bytes()))
        assert zeek.read_conn_fast(packed) is None
        assert read_zeek_log(packed)[0] == [replace(r, source=str(packed)) for r in records], name


def test_a_repeated_identical_header_stays_in_the_c_pass(tmp_path: Path) -> None:
    joined = tmp_path / "conn.log"
    joined.write_text(_log_part(slice(0, 6000)) + _log_part(slice(6000, None)))
    compiled = zeek.read_conn_compiled(joined)
    assert compiled is not None and compiled[1].records == 12444
    with zeek._open_text(joined) as fh:
        assert compiled == zeek._read_conn(zeek._rows(fh, str(joined)), str(joined))
    assert zeek.read_conn_fast(joined) is None  # pandas cannot tell; the C pass and line-by-line reader can


def test_rows_under_a_later_header_without_a_required_field_are_skipped_by_line(tmp_path: Path) -> None:
    joined = tmp_path / "conn.log"
    head = _log_part(slice(0, 10))
    tail = _log_part(slice(10, 13), drop=("id.resp_h",))
    joined.write_text(head + tail + _log_part(slice(13, 15)))
    header_at = head.count("\n") + 7
    records, stats = read_zeek_log(joined)
    assert stats.records == 12
    assert [(s.reason, s.count, s.positions) for s in stats.skipped] == [
        (
            f"under a #fields header without id.resp_h (line {header_at})",
            3,
            tuple(f"line {header_at + 2 + k}" for k in range(3)),
        )
    ]


def test_a_byte_order_mark_at_the_start_is_passed_over(tmp_path: Path) -> None:
    expected, expected_stats = read_zeek_log(GEEK_151020)
    plain = tmp_path / "conn.log"
    plain.write_bytes(b"\xef\xbb\xbf" + GEEK_151020.read_bytes())
    packed = tmp_path / "conn.log.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    for log in (plain, packed):
        compiled = zeek.read_conn_compiled(log)
        assert compiled is not None, log  # the C pass takes it as it takes the log without the mark
        with zeek._open_text(log) as fh:
            assert compiled == zeek._read_conn(zeek._rows(fh, str(log)), str(log))
        records, stats = read_zeek_log(log)
        assert records == [replace(r, source=str(log)) for r in expected]
        assert (stats.records, stats.skipped) == (expected_stats.records, ())
        assert zeek.read_conn_fast(log) == compiled
    size = plain.stat().st_size
    parts = [zeek.read_conn_part(plain, a, b) for a, b in ((0, size // 2), (size // 2, size))]
    assert zeek.merge_conn_parts(plain, parts) == zeek.read_conn_compiled(plain)
    as_json = tmp_path / "json" / "conn.log"
    as_json.parent.mkdir()
    as_json.write_text("\ufeff" + _json_conn(1445340000.0))
    assert read_zeek_log(as_json)[1].records == 1


def test_a_field_named_twice_in_the_header_is_named_once(tmp_path: Path) -> None:
    lines = GEEK_151020.read_text().splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith("#fields"))
    lines[at] = lines[at].replace("\tduration\t", "\tts\t")
    log = tmp_path / "conn.log"
    log.write_text("\n".join(lines) + "\n")
    assert zeek.read_conn_compiled(log) is None and zeek.read_conn_fast(log) is None
    with pytest.raises(DiscoveryInputError) as error:
        read_zeek_log(log)
    assert (error.value.line, error.value.message) == (at + 1, "#fields header names ts twice")
    result = runner.invoke(app, ["discover", str(log), str(S7_PCAPNG)])
    assert result.exit_code == 0
    assert f"{log}: not read: line {at + 1}: #fields header names ts twice" in result.stdout


def test_a_log_without_rows_reads_as_empty_in_every_reader(tmp_path: Path) -> None:
    log = tmp_path / "conn.log"
    log.write_text(_log_part(slice(0, 0)))
    assert zeek.read_conn_fast(log) is None  # pandas gives an empty chunk, which it hands on (no port check fails)
    for read in (zeek.read_conn_compiled, read_zeek_log):
        result = read(log)
        assert result is not None and (result[0], result[1].records, result[1].skipped) == ([], 0, ()), read


def test_a_row_short_of_its_last_columns_is_named_not_filled_in(tmp_path: Path) -> None:
    """pandas fills the fields missing from a short row; the row must be named as the line-by-line reader names it."""
    lines = _log_part(slice(0, 30)).splitlines()
    lines[20] = lines[20].rsplit("\t", 1)[0]  # without its last column (tunnel_parents)
    log = tmp_path / "conn.log"
    log.write_text("\n".join(lines) + "\n")
    assert zeek.read_conn_compiled(log) is None and zeek.read_conn_fast(log) is None
    _records, stats = read_zeek_log(log)
    assert stats.records == 29
    assert [(s.reason, s.positions) for s in stats.skipped] == [("wrong number of columns", ("line 21",))]
