"""`discover --jobs N` shares the reads between N - 1 workers and the command's own process."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from factorysec.discovery import command
from factorysec.discovery.command import _plan, _weighted_bounds, discover
from factorysec.discovery.inventory import build_inventory
from factorysec.discovery.partial import Partial
from factorysec.discovery.parts import finish_capture
from factorysec.discovery.pcap import Cut, find_cuts, guess_cuts, read_part
from factorysec.discovery.types import DiscoveryInputError
from tests.discovery.discovery_support import write_decoy_capture, write_pcap, write_pcapng
from tests.discovery.test_split import generated_frames

READ_HERE: list[tuple[int, int]] = []
"""The byte ranges `_spy_read_part` read in the test's own process (a worker's calls stay in the worker)."""


_read_part = command._read_part


def _spy_read_part(path: Path, start: int, end: int, cut: Cut | None) -> tuple[Partial, Cut | None]:
    READ_HERE.append((start, end))
    return _read_part(path, start, end, cut)


@pytest.fixture
def capture(tmp_path: Path) -> Path:
    path = tmp_path / "big.pcap"
    write_pcap(path, generated_frames(31, sessions=120))
    return path


def _captures(folder: Path, stem: str, made: list[tuple[int, int]]) -> list[Path]:
    """One generated capture per (seed, sessions), named `stem-K.pcap`."""
    files = []
    for k, (seed, sessions) in enumerate(made):
        files.append(folder / f"{stem}-{k}.pcap")
        write_pcap(files[-1], generated_frames(seed, sessions=sessions))
    return files


def _inventory_json(paths: list[Path], jobs: int) -> str:
    return json.dumps(asdict(discover(paths, jobs)), sort_keys=True)


def test_this_process_reads_the_last_part_and_the_result_is_the_single_runs(
    capture: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(command, "MIN_PART_BYTES", 1000)
    monkeypatch.setattr(command, "PREPARE_BYTES", 0)
    monkeypatch.setattr(command, "_read_part", _spy_read_part)  # pickled by name: the workers run the spy too
    READ_HERE.clear()
    one = _inventory_json([capture], 1)
    assert READ_HERE == []
    size = capture.stat().st_size
    for jobs in (2, 3):
        READ_HERE.clear()
        assert _inventory_json([capture], jobs) == one
        bounds = _weighted_bounds(0, size, jobs, 0)
        assert READ_HERE == [(bounds[-2], size)]  # the last part only; the workers read the others


def test_the_last_part_is_smaller_by_what_is_prepared() -> None:
    for parts, before in ((2, 0), (2, 100), (3, 250), (4, 0)):
        bounds = _weighted_bounds(0, 10_000, parts, before)
        sizes = [b - a for a, b in zip(bounds, bounds[1:], strict=False)]
        assert bounds[0] == 0 and bounds[-1] == 10_000 and all(s > 0 for s in sizes)
        assert max(sizes[:-1]) - min(sizes[:-1]) <= 1
        here = before + sizes[-1]  # what this process does, in bytes read
        assert abs(here - sizes[0]) <= 2
        assert sizes[-1] < sizes[0] or before == 0
    clamped = _weighted_bounds(0, 9_000, 2, 1_000_000)  # far more to prepare than to read: a fifth is still read here
    assert clamped == [0, 7_200, 9_000]


def test_whole_files_go_to_the_process_with_the_fewest_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _captures(tmp_path, "f", [(40, 40), (41, 20), (42, 60)])
    size = {f: f.stat().st_size for f in files}
    monkeypatch.setattr(command, "MIN_PART_BYTES", max(size.values()))  # no file is split
    monkeypatch.setattr(command, "PREPARE_BYTES", 0)
    reads, split = _plan(files, 2, None, set(files))
    assert split == {}
    here = {r.path for r in reads if r.here}
    assert here == {files[2]}  # the biggest first, to this process (first among equals); the others to the worker
    monkeypatch.setattr(command, "PREPARE_BYTES", sum(size.values()))
    reads, _ = _plan(files, 2, None, set(files))
    assert not any(r.here for r in reads)  # preparing is already more than its share
    assert _inventory_json(files, 2) == _inventory_json(files, 1)


_PLAN_IMPORTS = """
import sys
from pathlib import Path
from factorysec.discovery.command import _plan
files = [Path(p) for p in sys.argv[1:]]
reads, _ = _plan(files, 2, None, {f for f in files if f.suffix == ".pcap"})
print(len(reads), "factorysec.discovery.zeek" in sys.modules)
"""


def test_planning_over_captures_does_not_import_the_zeek_readers(capture: Path, tmp_path: Path) -> None:
    """The Zeek readers (0.02-0.03 CPU-s to import, before the workers fork) are imported for a conn.log only."""

    def plan(*files: Path) -> list[str]:
        run = subprocess.run([sys.executable, "-c", _PLAN_IMPORTS, *map(str, files)], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        return run.stdout.split()

    assert plan(capture, capture) == ["2", "False"]
    conn = tmp_path / "conn.log"
    conn.write_text("#separator \\x09\n#path\tconn\n")
    assert plan(capture, conn) == ["2", "True"]


def test_whole_captures_are_folded_per_process_and_give_the_single_runs_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the same hosts in every file, as in rotated captures, and some of their own
    files = _captures(tmp_path, "capture", [(50 + k % 2, 30 + 10 * k) for k in range(5)])
    size = {f: f.stat().st_size for f in files}
    monkeypatch.setattr(command, "MIN_PART_BYTES", max(size.values()))  # no file is split
    monkeypatch.setattr(command, "PREPARE_BYTES", 0)
    unfolded = command._finish(command.gather(files))  # every file's records, as they were folded before
    one = json.dumps(asdict(build_inventory(unfolded.records, unfolded.sources, command._vendor_of)), sort_keys=True)
    assert _inventory_json(files, 1) == one
    for jobs in (2, 3):
        reads, _ = _plan(files, jobs, None, set(files))
        folded = command._folded(reads, files, set(files))
        assert [r.call for r in folded] == [command._read_folded] * jobs
        assert sorted(p for r in folded for p in r.args[0]) == files
        assert [r.process for r in folded] == list(range(jobs)) and [r.here for r in folded] == [True] + [False] * (
            jobs - 1
        )
        assert _inventory_json(files, jobs) == one


def test_reads_are_not_folded_when_a_file_is_named_twice_or_not_a_capture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _captures(tmp_path, "capture", [(60 + k, 40) for k in range(3)])
    monkeypatch.setattr(command, "MIN_PART_BYTES", max(f.stat().st_size for f in files))
    monkeypatch.setattr(command, "PREPARE_BYTES", 0)
    twice = [*files, files[0]]
    reads, _ = _plan(twice, 2, None, set(files))
    assert command._folded(reads, twice, set(files)) is reads
    assert _inventory_json(twice, 2) == _inventory_json(twice, 1) == _inventory_json(files, 1)  # counted once
    conn = tmp_path / "conn.log"
    conn.write_text("#separator \\x09\n#path\tconn\n")
    with_log = [*files, conn]
    reads, _ = _plan(with_log, 2, None, set(files))
    assert command._folded(reads, with_log, set(files)) is reads


def test_a_wrong_guess_of_where_a_part_starts_is_found_out_and_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A packet whose payload looks like a chain of records spans the cut: the guess lands inside it, the first part's
    walk leaves the range after it, and the rest is read again here from there."""
    path = tmp_path / "decoy.pcap"
    decoy_at, decoy_end = write_decoy_capture(path)
    monkeypatch.setattr(command, "MIN_PART_BYTES", 1000)
    monkeypatch.setattr(command, "PREPARE_BYTES", 0)
    monkeypatch.setattr(command, "_read_part", _spy_read_part)
    size = path.stat().st_size
    cut = _weighted_bounds(0, size, 2, 0)[1]
    assert decoy_at < cut < decoy_end  # the cut falls inside the decoy
    [guess] = guess_cuts(path, [cut]) or []
    [truth] = find_cuts(path, [cut])
    assert guess.offset < truth.offset == decoy_end
    READ_HERE.clear()
    one = _inventory_json([path], 1)
    assert READ_HERE == []
    assert _inventory_json([path], 2) == one
    assert READ_HERE == [(cut, size), (cut, size)]  # its own part, then the same range again from the right place


def test_parts_of_an_undamaged_capture_start_where_they_were_guessed(capture: Path, tmp_path: Path) -> None:
    """On ordinary captures the guesses are right, so nothing is read twice."""
    one_section = tmp_path / "one.pcapng"
    write_pcapng(one_section, generated_frames(32, sessions=120))
    for path in (capture, one_section):
        size = path.stat().st_size
        starts = [size * k // 7 for k in range(1, 7)]
        assert guess_cuts(path, starts) == find_cuts(path, starts)


def test_inputs_smaller_than_two_parts_are_read_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Starting a worker costs more than it saves on small inputs: `--jobs` reads them as one job does."""
    files = _captures(tmp_path, "small", [(70 + k, 20) for k in range(3)])
    total = sum(f.stat().st_size for f in files)
    in_processes: list[int] = []
    real = command._read_in_processes

    def spy(paths: list[Path], jobs: int, *args: object, **kwargs: bool) -> list[Partial]:
        in_processes.append(jobs)
        return real(paths, jobs, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(command, "_read_in_processes", spy)
    one = _inventory_json(files, 1)
    monkeypatch.setattr(command, "MIN_PART_BYTES", total // 2 + 1)
    assert _inventory_json(files, 2) == one
    assert in_processes == []
    monkeypatch.setattr(command, "MIN_PART_BYTES", total // 2)
    assert _inventory_json(files, 2) == one
    assert in_processes == [2]


def test_after_a_part_that_could_not_be_read_the_next_guess_is_checked_by_a_header_walk(tmp_path: Path) -> None:
    """No walk says where the unread part left: one header walk finds where the next part must start, and the next
    part, guessed inside the decoy, is read again from there."""
    path = tmp_path / "decoy.pcap"
    decoy_at, decoy_end = write_decoy_capture(path)
    size = path.stat().st_size
    middle = (decoy_at + decoy_end) // 2
    bounds = [0, decoy_at // 2, middle, size]
    cuts = guess_cuts(path, bounds[1:-1]) or []
    assert cuts[1].offset < decoy_end  # the wrong guess
    group = [
        command._Read(path, command._read_part, (path, a, b, cut), b - a)
        for a, b, cut in zip(bounds[:-1], bounds[1:], [None, *cuts], strict=True)
    ]
    for r in group:
        r.value = command._read_part(*r.args)
    lost = command._not_read(str(path), DiscoveryInputError(str(path), "Input/output error"))
    group[1].value = (lost, None)
    checked = command._checked_parts(path, group)
    assert checked[1] is lost
    assert checked[2] is not group[2].value[0]  # read again from the record after the decoy
    [again] = checked[2].parts
    assert again.ranges == ((middle, size),)
    assert finish_capture([again]) == finish_capture([read_part(path, middle, size)])  # as a walk from the start
