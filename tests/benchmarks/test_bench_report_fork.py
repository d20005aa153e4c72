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
