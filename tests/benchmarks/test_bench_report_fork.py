"""The forked-writers benchmark's in-process mode times each stage of report on a generated plant."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_report_fork  # noqa: E402


def test_stages_time_the_loads_the_analysis_and_the_chosen_writers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench_report_fork.main(["--stages", "--writers", "report.md,findings.sarif", "--scratch", str(tmp_path), "100"])
    out = capsys.readouterr().out
    names = [line[:40].strip() for line in out.splitlines()[2:]]
    assert names == [
        "catalog",
        "load (as analyze)",
        "load with entry positions (as report)",
        "analysis",
        "findings.sarif",
        "report.md",
    ], out
    assert all(float(line.split()[-2]) >= 0 for line in out.splitlines()[3:]), out
    assert (tmp_path / "plant-100").is_dir()


def test_the_timeline_shows_each_writer_once_and_each_process_sum(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from factorysec.report.bundle import WRITERS

    bench_report_fork.main(["--timeline", "--jobs", "2", "--scratch", str(tmp_path), "100"])
    out = capsys.readouterr().out
    lines = out.splitlines()
    header = next(index for index, line in enumerate(lines) if line.startswith("writer"))
    rows = lines[header + 1 : header + 1 + len(WRITERS)]
    assert sorted(row[:40].strip() for row in rows) == sorted(writer.label.en[:39] for writer in WRITERS), out
    processes = {row[40:54].strip() for row in rows}
    assert processes == {"this process", "fork 1"}, out  # two processes wrote, as --jobs 2 asks
    sums = lines[header + 1 + len(WRITERS)]
    assert sums.startswith("CPU s per process: this process ") and "fork 1" in sums, out
    assert not (tmp_path / "fork-100.timeline").exists()  # the log is removed once read
