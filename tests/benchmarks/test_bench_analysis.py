"""The scale benchmark's stage timer: every stage of the analysis is timed, and the total is their sum."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_analysis  # noqa: E402

from factorysec.analysis.rules import RULES  # noqa: E402

STAGES = ("context", "rules", "requirements", "model digest", "Step 3 lifecycle", "Step 2 plan")


def _seconds(lines: list[str], name: str) -> float:
    matching = [line for line in lines if line.strip().startswith(name)]
    assert len(matching) == 1, (name, lines)
    return float(matching[0].split()[-1])


@pytest.mark.parametrize("topology", bench_analysis.TOPOLOGIES)
def test_stages_time_every_stage_and_sum_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], topology: str
) -> None:
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


def _row(**figures: float) -> dict[str, float]:
    base = {
        "end_to_end_s": 5.0,
        "end_to_end_cpu_s": 5.0,
        "peak_rss_mb": 1000.0,
        "analysis_cpu_s": 2.0,
        "load_cpu_s": 2.5,
        "findings": 100.0,
        "requirements": 100.0,
        "zone_pairs": 100.0,
    }
    return {**base, **figures}


def test_targets_are_checked_only_with_the_10k_and_100k_sizes() -> None:
    assert bench_analysis.target_lines([(1_000, _row()), (10_000, _row())]) == []


def test_targets_met_are_reported_met_with_their_figures() -> None:
    lines = bench_analysis.target_lines(
        [
            (10_000, _row(end_to_end_cpu_s=0.7)),
            (100_000, _row(end_to_end_s=8.1, end_to_end_cpu_s=8.0, requirements=1050.0)),
        ]
    )
    assert len(lines) == 4
    assert all(": met (" in line for line in lines), lines
    assert "8.10 s" in lines[0] and "1000 MB" in lines[1] and "x11.4" in lines[2] and "requirements x10.5" in lines[2]


@pytest.mark.parametrize(
    ("figures", "failing"),
    [
        ({"end_to_end_s": 10.0}, 0),
        ({"peak_rss_mb": 2048.0}, 1),
        ({"end_to_end_cpu_s": 9.0}, 2),
        ({"analysis_cpu_s": 2.51}, 3),
    ],
)
def test_each_target_missed_is_reported_not_met(figures: dict[str, float], failing: int) -> None:
    lines = bench_analysis.target_lines(
        [(10_000, _row(end_to_end_cpu_s=0.7)), (100_000, _row(end_to_end_cpu_s=8.0) | figures)]
    )
    assert ["NOT met" in line for line in lines] == [position == failing for position in range(4)], lines


def test_linked_zone_pairs_count_each_pair_of_different_zones_once(tmp_path: Path) -> None:
    from factorysec.model import load_model

    bench_analysis.generate(tmp_path / "model", 500, topology="plant")
    model = load_model(tmp_path / "model")
    pairs = bench_analysis.linked_zone_pairs(model)
    crossing = [conduit for conduit in model.conduits if conduit.from_zone != conduit.to_zone]
    assert crossing and len(crossing) < len(model.conduits)
    assert pairs == {frozenset((c.from_zone, c.to_zone)) for c in crossing}
    assert all(len(pair) == 2 for pair in pairs)


def test_random_topology_links_each_zone_to_more_zones_from_10k_on_while_plant_keeps_pace(tmp_path: Path) -> None:
    """Why the README calls random a stress test: its zone pairs outgrow the company between the benchmark's sizes, while plant's keep pace."""
    from factorysec.model import load_model

    def pairs_per_zone(topology: str, assets: int) -> float:
        folder = tmp_path / f"{topology}{assets}"
        bench_analysis.generate(folder, assets, topology=topology)
        model = load_model(folder)
        return 2 * len(bench_analysis.linked_zone_pairs(model)) / len(model.zones)

    assert pairs_per_zone("random", 10_000) > 1.5 * pairs_per_zone("random", 5_000)
    assert pairs_per_zone("plant", 10_000) < 1.2 * pairs_per_zone("plant", 5_000)


def test_rule_costs_list_the_costliest_rules_first_with_their_findings(capsys: pytest.CaptureFixture[str]) -> None:
    bench_analysis.main(["--rules", "--topology", "plant", "500"])
    lines = capsys.readouterr().out.splitlines()
    rules = lines[:-2]
    assert len(rules) == 15 and all(line.split()[-1] == "findings" for line in rules)
    seconds = [float(line.split()[1]) for line in rules]
    assert seconds == sorted(seconds, reverse=True)
    assert {line.split()[0] for line in rules} <= {rule.id for rule in RULES}
    assert lines[-2].split()[:2] == ["all", "rules"] and float(lines[-2].split()[-1]) >= sum(seconds) - 0.01 * len(
        rules
    )
    assert lines[-1].strip().startswith("outside-origin walk (context)")
