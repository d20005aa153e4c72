"""The PDCA status of a review dated at the calendar's end: a due date, not a crash."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from factorysec.cli import app

_FOOD = Path(__file__).parents[3] / "examples" / "food-batch" / "factory.yaml"


def test_a_review_dated_near_the_calendars_end_is_analysed(tmp_path: Path) -> None:
    text = _FOOD.read_text(encoding="utf-8")
    assert "date: 2026-09-01" in text
    model = tmp_path / "m.yaml"
    model.write_text(text.replace("date: 2026-09-01", "date: 9999-12-31", 1), encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(model), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    assert f'"due": "{dt.date.max.isoformat()}"' in result.stdout
