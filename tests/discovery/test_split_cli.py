"""`discover --jobs N` on one capture and `discover --partial OUT --byte-range`: the same report as one run."""

from __future__ import annotations

import base64
import json
import re
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.discovery import command, decode, intern, pcap, walk, zeek
from factorysec.discovery.command import discover, parse_byte_range, write_partial
from factorysec.discovery.parts import NOT_COVERED, finish_capture
from factorysec.discovery.pcap import Cut, find_cuts, guess_cuts, read_capture, read_part
from factorysec.discovery.types import DiscoveryInputError, FlowRecord, SourceStats
from tests.discovery.discovery_support import GEEK_151020, write_pcap
from tests.discovery.test_split import generated_frames, write_pcapng_sections

runner = CliRunner()


@pytest.fixture
def capture(tmp_path: Path) -> Path:
    path = tmp_path / "big.pcap"
    write_pcap(path, generated_frames(21, sessions=120))
    return path


def _json(*args: str) -> str:
    result = runner.invoke(app, ["discover", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_jobs_split_one_capture_at_record_boundaries(
    capture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    guessed: list[tuple[str, list[int]]] = []
    walked: list[tuple[str, list[int]]] = []

    def guess_spy(path: Path | str, starts: list[int]) -> list[Cut] | None:
        guessed.append((Path(path).name, list(starts)))
        return guess_cuts(path, starts)

    def walk_spy(path: Path | str, starts: list[int]) -> list[Cut]:
        walked.append((Path(path).name, list(starts)))
        return find_cuts(path, starts)

    monkeypatch.setattr(command, "MIN_PART_BYTES", 1000)
    monkeypatch.setattr(pcap, "guess_cuts", guess_spy)  # the command imports them from there when it splits
    monkeypatch.setattr(pcap, "find_cuts", walk_spy)
    ng = tmp_path / "big.pcapng"
    write_pcapng_sections(ng, generated_frames(22, sessions=120), 22)
    for path in (capture, ng):
        one = _json(str(path))
        assert _json(str(path), "--jobs", "3") == one
    bounds = command._weighted_bounds(0, capture.stat().st_size, 3, command.PREPARE_BYTES)
    ng_bounds = command._weighted_bounds(0, ng.stat().st_size, 3, command.PREPARE_BYTES)
    assert guessed == [("big.pcap", bounds[1:-1]), ("big.pcapng", ng_bounds[1:-1])]
    # The pcap's guesses are found without a header walk. The pcapng's second section is big-endian: no chain of
    # little-endian blocks starts in it, so its cuts come from one header walk.
    assert walked == [("big.pcapng", ng_bounds[1:-1])]


def test_jobs_mixes_whole_files_and_parts(capture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(command, "MIN_PART_BYTES", 1000)
    small = tmp_path / "small.pcap"
    write_pcap(small, generated_frames(3, sessions=3))
    inputs = [str(capture), str(small), str(GEEK_151020)]
    assert _json(*inputs, "--jobs", "2") == _json(*inputs)


def test_byte_range_partials_merge_to_the_whole_capture(capture: Path, tmp_path: Path) -> None:
    parts = [tmp_path / f"p{k}.partial" for k in (1, 2, 3)]
    for k, target in enumerate(parts, start=1):
        result = runner.invoke(app, ["discover", str(capture), "--partial", str(target), "--byte-range", f"{k}/3"])
        assert result.exit_code == 0, result.output
        assert "1 capture(s) read in part" in result.output
        assert json.loads(target.read_text())["factorysec_partial"] == 2
    direct = _json(str(capture), str(GEEK_151020))
    assert _json(str(parts[2]), str(GEEK_151020), str(parts[0]), str(parts[1])) == direct
    # grouped: the first two parts into one partial (still a part), then with the last (finished)
    first_two = tmp_path / "p12.partial"
    assert runner.invoke(app, ["discover", str(parts[1]), str(parts[0]), "--partial", str(first_two)]).exit_code == 0
    assert "parts" in json.loads(first_two.read_text())
    whole = tmp_path / "all.partial"
    assert runner.invoke(app, ["discover", str(first_two), str(parts[2]), "--partial", str(whole)]).exit_code == 0
    body = json.loads(whole.read_text())
    assert body["factorysec_partial"] == 1 and "parts" not in body
    assert _json(str(whole), str(GEEK_151020)) == direct


def test_byte_ranges_in_bytes_and_a_missing_part(capture: Path, tmp_path: Path) -> None:
    size = capture.stat().st_size
    a, b = tmp_path / "a.partial", tmp_path / "b.partial"
    cut = size // 2 + 7
    assert runner.invoke(app, ["discover", str(capture), "--partial", str(a), "--byte-range", f":{cut}"]).exit_code == 0
    assert runner.invoke(app, ["discover", str(capture), "--partial", str(b), "--byte-range", f"{cut}:"]).exit_code == 0
    assert _json(str(a), str(b)) == _json(str(capture))
    alone = runner.invoke(app, ["discover", str(a), "--limit", "0"])
    assert alone.exit_code == 0
    assert f"skipped {size - cut:,} bytes: {NOT_COVERED} at byte {cut}" in alone.stdout


def test_byte_range_errors(capture: Path, tmp_path: Path) -> None:
    target = tmp_path / "x.partial"
    cases = [
        (["--byte-range", "1/2"], "--byte-range reads one part of a capture: give --partial OUT"),
        (["--partial", str(target), "--byte-range", "3/2"], "expected START:END (bytes) or K/N"),
        (["--partial", str(target), "--byte-range", "abc"], "expected START:END (bytes) or K/N"),
        (["--partial", str(target), "--byte-range", "9:5"], "expected START:END (bytes) or K/N"),
    ]
    for extra, message in cases:
        result = runner.invoke(app, ["discover", str(capture), *extra])
        assert result.exit_code == 2, extra
        assert message in result.output, result.output
    two = runner.invoke(
        app, ["discover", str(capture), str(GEEK_151020), "--partial", str(target), "--byte-range", "1/2"]
    )
    assert two.exit_code == 2 and "needs exactly one capture, got 2 files" in two.output
    log = runner.invoke(app, ["discover", str(GEEK_151020), "--partial", str(target), "--byte-range", "1/2"])
    assert log.exit_code == 2 and f"{GEEK_151020}: --byte-range reads only pcap and pcapng captures" in log.output
    assert not target.exists()


def test_overlapping_parts_are_refused(capture: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a.partial", tmp_path / "b.partial"
    assert runner.invoke(app, ["discover", str(capture), "--partial", str(a), "--byte-range", "0:3000"]).exit_code == 0
    assert runner.invoke(app, ["discover", str(capture), "--partial", str(b), "--byte-range", "2000:"]).exit_code == 0
    result = runner.invoke(app, ["discover", str(a), str(b)])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {capture}: parts overlap (bytes 0:3000 and 2000:")
    again = runner.invoke(app, ["discover", str(a), str(a), "--format", "json"])  # the same part twice counts once
    assert again.exit_code == 0 and again.stdout == _json(str(a))


def _damaged_part(source: Path, target: Path, change: dict[str, object]) -> None:
    body = json.loads(source.read_text())
    flows = body["parts"][0]["flows"]
    for key, value in change.items():
        if key.startswith("columns."):
            flows["columns"][key.split(".", 1)[1]] = value
        else:
            flows[key] = value
    target.write_text(json.dumps(body))


def _column(values: list[int], dtype: str) -> str:
    return base64.b64encode(zlib.compress(np.asarray(values, dtype=dtype).tobytes())).decode()


def test_a_damaged_part_is_a_clear_error(capture: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.partial"
    assert runner.invoke(app, ["discover", str(capture), "--partial", str(good), "--byte-range", "1/2"]).exit_code == 0
    flows = json.loads(good.read_text())["parts"][0]["flows"]
    sides, operations = flows["sides"], flows["operations"]
    assert operations > 0
    keys = np.frombuffer(
        zlib.decompress(base64.b64decode(json.loads(good.read_text())["parts"][0]["flows"]["columns"]["keys"])),
        dtype="<u8",
    ).copy()
    keys[0] |= np.uint64(0xFFFFF) << np.uint64(44)
    cases: list[tuple[dict[str, object], str]] = [
        ({"columns.packets": "not base64!"}, "parts.0.flows.columns.packets: not a compressed array"),
        ({"columns.packets": _column([1, 2], "<i8")}, f"parts.0.flows.columns.packets: 2 values for {sides} rows of 1"),
        ({"columns.keys": _column(keys.tolist(), "<u8")}, "parts.0.flows.columns.keys: host number 1048575 beyond"),
        ({"hosts": ["10.0.0.1", "nonsense"]}, "parts.0.flows.hosts.1: not an IP address: 'nonsense'"),
        ({"columns.op_code": _column([999] * operations, "<i8")}, "parts.0.flows.columns.op_code: unknown control"),
        ({"operations": operations + 1}, f"parts.0.flows.columns.op_side: {operations} values for {operations + 1}"),
        ({"sides": -1}, "parts.0.flows.sides: Input should be greater than or equal to 0"),
    ]
    for i, (change, message) in enumerate(cases):
        bad = tmp_path / f"bad{i}.partial"
        _damaged_part(good, bad, change)
        result = runner.invoke(app, ["discover", str(bad)])
        assert result.exit_code == 2, change
        assert result.output.startswith(f"error: {bad}: invalid partial result at {message}"), result.output


def test_parse_byte_range() -> None:
    assert parse_byte_range("1/4", 100) == (0, 25)
    assert parse_byte_range("4/4", 101) == (75, 101)
    assert parse_byte_range("10:", 100) == (10, 100)
    assert parse_byte_range(":20", 100) == (0, 20)
    assert parse_byte_range("10:500", 100) == (10, 100)
    for bad in ("0/4", "5/4", "1/0", "a:b", "1:2:3", "-5:10", "", "+1/2", "1_0:20", "\u0661/\u0662"):
        with pytest.raises(DiscoveryInputError, match="expected START:END"):
            parse_byte_range(bad, 100)
    for empty, message in (
        ("100:200", "starts at or past the end of the file (100 bytes)"),
        ("150:", "starts at or past the end of the file"),
        ("30:30", "holds no byte"),
        ("1/101", "more parts than the file has bytes (100)"),
    ):
        with pytest.raises(DiscoveryInputError, match=re.escape(message)):
            parse_byte_range(empty, 100)


def test_plain_numpy_parts_merge_to_the_compiled_single_run(capture: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An install without a C compiler reads the same parts into the same result."""
    expected = read_capture(capture)
    size = capture.stat().st_size
    monkeypatch.setattr(decode, "_compiled", None)
    monkeypatch.setattr(intern, "_compiled", None)
    monkeypatch.setattr(walk, "_compiled", None)
    bounds = [0, size // 5, size // 2, size - 100, size]
    parts = [read_part(capture, a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    assert finish_capture(parts[::-1]) == expected


def test_write_partial_of_a_range_with_jobs(capture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(command, "MIN_PART_BYTES", 500)
    size = capture.stat().st_size
    first, rest = tmp_path / "first.partial", tmp_path / "rest.partial"
    assert write_partial([capture], first, jobs=2, byte_range=f"0:{size // 3}") == (0, 0, 1)
    assert write_partial([capture], rest, byte_range=f"{size // 3}:") == (0, 0, 1)
    assert discover([first, rest]) == discover([capture])


def test_one_unreadable_file_with_jobs_is_its_own_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pcap"
    bad.write_bytes(b"\xd4\xc3\xb2\xa1" + bytes(10))
    result = runner.invoke(app, ["discover", str(bad), "--jobs", "2"])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {bad}: truncated pcap file header")


def test_jobs_split_one_conn_log_at_line_boundaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big conn.log is read in parts by the workers; the report is the one-job report, and a part with an unclean
    row sends the whole file to the Python readers, as one job does."""
    monkeypatch.setattr(command, "MIN_PART_BYTES", 1000)
    merged: list[int] = []
    real_merge = zeek.merge_conn_parts

    def spy(path: Path, parts: Sequence[zeek.ConnPart | None]) -> tuple[list[FlowRecord], SourceStats] | None:
        merged.append(len(parts))  # the merge runs in this process, the parts in the workers
        assert all(part is not None and part[2] for part in parts)
        return real_merge(path, parts)

    monkeypatch.setattr(zeek, "merge_conn_parts", spy)  # looked up in `zeek` when the parts are merged
    assert GEEK_151020.stat().st_size > 3 * 1000
    one = _json(str(GEEK_151020))
    assert _json(str(GEEK_151020), "--jobs", "3") == one
    assert merged == [3]
    monkeypatch.setattr(zeek, "merge_conn_parts", real_merge)
    damaged = tmp_path / "conn.log"
    text = GEEK_151020.read_text()
    cut = text.index("\n", 2 * len(text) // 3) + 1
    damaged.write_text(text[:cut] + "not\ta\tconn\trow\n" + text[cut:])
    single = _json(str(damaged))
    assert "not read" not in single and _json(str(damaged), "--jobs", "3") == single
