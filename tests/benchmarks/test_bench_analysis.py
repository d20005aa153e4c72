"""The scale benchmark's stage timer: every stage of the analysis is timed, and the total is their sum."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_analysis  # noqa: E402

STAGES = ("context", "rules", "requirements", "model digest", "Step 3 lifecycle", "Step 2 plan")


def _seconds(lines: list[str], name: str) -> float:
    matching = [line for line in lines if line.strip().startswith(name)]
    assert len(matching) == 1, (name, lines)
    return float(matching[0].split()[-1])


@pytest.mark.parametrize("topology", bench_analysis.TOPOLOGIES)
def test_stages_time_every_stage_and_sum_them(tmp_path: Path, capsys: pytest.CaptureFixture[str], topology: str) -> None:
    bench_analysis.generate(tmp_path / "model", 500, topology=topology)
    bench_analysis.stages(tmp_path / "model")
    lines = capsys.readouterr().out.splitlines()
    assert _seconds(lines, "load (not analysis)") > 0
    total = sum(_seconds(lines, name) for name in STAGES)
    assert abs(_seconds(lines, "analysis, all stages") - total) <= 0.01 * len(STAGES)


def test_stages_option_runs_on_a_generated_model(capsys: pytest.CaptureFixture[str]) -> None:
    bench_analysis.main(["--stages", "--topology", "plant", "300"])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines][1:7] == ["context", "rules", "requirements", "model", "Step", "Step"]
