"""Every command loads the model the way 'analyze' does: with Python's garbage collector paused (issue #20 item 2)."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import factorysec.model.loader as loader
from factorysec.cli import app
from factorysec.model.sources import assemble

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "examples" / "annex-a" / "current"
CHANGE = ROOT / "examples" / "annex-a" / "case-1-first-added.yaml"


@pytest.mark.parametrize(
    "command",
    [
        ["check", str(MODEL)],
        ["analyze", str(MODEL), "--format", "json"],
        ["checklist", str(MODEL)],
        ["review", str(CHANGE)],
        ["report", str(MODEL), "--out", "{tmp}/report"],
        ["workbook", "export", str(MODEL), "--out", "{tmp}/model.xlsx"],
        ["compare", str(MODEL), str(MODEL)],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_every_command_loads_with_the_collector_paused(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return assemble(*args, **kwargs)

    monkeypatch.setattr(loader, "assemble", watched)
    result = CliRunner().invoke(app, [part.replace("{tmp}", str(tmp_path)) for part in command])
    assert result.exit_code in (0, 1), result.output
    assert seen and not any(seen)
    assert gc.isenabled()
