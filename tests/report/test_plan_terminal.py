"""The Step 2 terminal section: every item names its rule and guideline reference, in English and Japanese."""

from __future__ import annotations

import io

from rich.console import Console

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from factorysec.model.planfiles import Decision
from factorysec.report.plan_terminal import render_plan
from tests.plan_support import SMALL, threat_rule


def _render(catalog: Catalog, lang: str) -> str:
    model = load_model(SMALL)
    rules = (threat_rule("T-STOP", "abnormal-control-shutdown", [("asset", "robot")]),)
    decisions = (
        Decision(finding="T-STOP@robot", status="in-progress", justification="fixing", owner="ot"),
        Decision(finding="OLD@x", status="accepted", justification="j", owner="o"),
    )
    assessment = analyze(model, catalog, rules=rules, decisions=decisions)
    buffer = io.StringIO()
    render_plan(assessment, model, Console(file=buffer, width=200, no_color=True), lang)
    return buffer.getvalue()


def test_english_section_names_rules_and_references(catalog: Catalog) -> None:
    out = _render(catalog, "en")
    for marker in (
        "EXPOSURE-ENTRY",
        "EXPOSURE-PATH",
        "RISK · Appendix 3.2.1",
        "MEASURE-GAP",
        "Table 3-6",
        "IEC62443-SL",
        "ZONE-POLICY",
        "DECISION-STALE",
        "OLD@x",
    ):
        assert marker in out, marker
    assert "[in-progress: ot]" in out
    assert "weakest: 2 hop(s), 0.5 controls" in out


def test_japanese_section(catalog: Catalog) -> None:
    out = _render(catalog, "ja")
    assert "ゾーンごとのセキュリティ対策方針" in out and "最弱: 2 ホップ" in out and "失効" in out
    assert "hop(s)" not in out
