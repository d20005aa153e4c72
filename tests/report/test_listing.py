"""The terminal's per-section limit: a big factory's text output stays readable, and nothing is silently dropped."""

from __future__ import annotations

import json
import re

from rich.console import Console
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.report.listing import first, joined, print_more
from tests.conftest import EXAMPLES

runner = CliRunner()


def _requirement_ids(text: str) -> list[str]:
    return re.findall(r"^  (REQ-\S+)", text, flags=re.MULTILINE)


def test_first_and_joined_cut_at_the_limit_and_count_the_rest() -> None:
    assert list(first([1, 2, 3], 2)) == [1, 2]
    assert list(first([1, 2, 3], 0)) == [1, 2, 3]
    assert joined(["a", "b", "c"], 2, "none") == "a, b (+1)"
    assert joined(["a", "b"], 2, "none") == "a, b"
    assert joined([], 2, "none") == "none"


def test_print_more_says_how_many_were_left_out_only_when_some_were() -> None:
    console = Console(record=True, width=200)
    print_more(console, 10, 10, "en")
    print_more(console, 10, 0, "en")
    assert console.export_text() == ""
    print_more(console, 12, 10, "en")
    assert "and 2 more" in console.export_text()


def test_analyze_limit_cuts_each_list_and_names_the_rest(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = str(EXAMPLES / "all-cases-reviewed.yaml")
    out = tmp_path / "a.json"
    assert runner.invoke(app, ["analyze", path, "--format", "json", "--out", str(out)]).exit_code == 0
    every = [r["id"] for r in json.loads(out.read_text(encoding="utf-8"))["requirements"]]
    assert len(every) > 5
    limited = runner.invoke(app, ["analyze", path, "--limit", "5"])
    assert limited.exit_code == 0, limited.output
    assert _requirement_ids(limited.output) == every[:5]
    assert f"and {len(every) - 5} more (--limit 0 prints all" in limited.output
    full = runner.invoke(app, ["analyze", path, "--limit", "0"])
    assert _requirement_ids(full.output) == every
    assert "more (--limit 0" not in full.output


def test_analyze_rejects_a_negative_limit() -> None:
    result = runner.invoke(app, ["analyze", str(EXAMPLES / "current"), "--limit", "-1"])
    assert result.exit_code == 2
