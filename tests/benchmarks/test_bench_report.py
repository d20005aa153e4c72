"""The report benchmark runs both commands on a generated plant and times a writer alone."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_analysis  # noqa: E402
import bench_report  # noqa: E402


def test_both_commands_are_timed_side_by_side(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bench_report.main(["--no-writers", "--scratch", str(tmp_path), "200"])
    out = capsys.readouterr().out
    analyze = next(line for line in out.splitlines() if line.startswith("factorysec analyze"))
    report = next(line for line in out.splitlines() if line.startswith("factorysec report"))
    assert analyze.split()[-1] == "0" and report.split()[-1] == "0", out
    assert float(report.split()[-3]) > 0 and float(report.split()[-2]) > 0
    assert "report / analyze:" in out
    assert (tmp_path / "report-200" / "summary.pdf").is_file() and (tmp_path / "analyze-200.json").is_file()


def test_one_writer_alone_reports_its_time_and_memory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bench_analysis.generate(tmp_path / "model", 100, topology="plant")
    bench_report.main(["--writer", "0", str(tmp_path / "model"), str(tmp_path / "out")])
    figures = json.loads(capsys.readouterr().out)
    assert figures["label"] == "assessment.json" and figures["files"] == 1 and figures["mb_written"] > 0
    assert figures["peak_mb"] > 0 and figures["write_s"] >= 0
