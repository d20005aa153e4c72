"""One assessment, every output: 'report' agrees with 'analyze --format json' on every example, decisions included."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from factorysec.analysis import Assessment
from factorysec.analysis.decisions import is_open
from factorysec.cli import app
from factorysec.report.html import TOP_RISKS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(
    [p for p in (ROOT / "examples").glob("*/factory.yaml")]
    + [p for p in (ROOT / "examples" / "annex-a").glob("*.yaml")]
    + [ROOT / "examples" / "annex-a" / "current"]
)


def _decisions(assessment: Assessment, folder: Path) -> Path:
    """A decisions file: the first ranked risk accepted, the second (if any) in progress, and one stale decision."""
    entries = [
        {"finding": "THREAT-GONE@nowhere", "status": "accepted", "justification": "fixed long ago", "owner": "Plant"}
    ]
    statuses = ("accepted", "in-progress")
    for risk, status in zip(assessment.risks, statuses):
        entries.append(
            {
                "finding": risk.finding,
                "status": status,
                "justification": f"{status} by the plant",
                "owner": "Plant manager",
            }
        )
    path = folder / "decisions.yaml"
    path.write_text(json.dumps({"decisions": entries}), encoding="utf-8")
    return path


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _sheet(book_path: Path, title: str) -> list[tuple[object, ...]]:
    book = load_workbook(book_path, read_only=True)
    return [tuple(row) for row in book[title].iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize("model", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_report_agrees_with_analyze(model: Path, tmp_path: Path) -> None:
    plain = Assessment.model_validate_json(_invoke("analyze", str(model), "--format", "json"))
    decisions = _decisions(plain, tmp_path)
    analyzed = _invoke("analyze", str(model), "--format", "json", "--decisions", str(decisions))
    out = tmp_path / "report"
    _invoke("report", str(model), "--out", str(out), "--decisions", str(decisions))

    # assessment.json is what analyze prints, byte for byte
    assert (out / "assessment.json").read_text(encoding="utf-8") == analyzed
    assessment = Assessment.model_validate_json(analyzed)
    decided = {d.finding: d for d in assessment.decisions}
    assert len(assessment.decisions) == min(2, len(assessment.risks)) and len(assessment.stale_decisions) == 1
    accepted = [d.finding for d in assessment.decisions if d.status == "accepted"]
    risk_level = {r.finding: r.level for r in assessment.risks}

    # SARIF: one result per finding, the risk level of each ranked one, accepted ones suppressed
    results = json.loads((out / "findings.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    every = [*assessment.findings, *assessment.lifecycle.findings]
    assert [r["partialFingerprints"]["factorysecFindingId/v1"] for r in results] == [f.id for f in every]
    for result in results:
        finding_id = result["partialFingerprints"]["factorysecFindingId/v1"]
        assert result["properties"].get("riskLevel") == risk_level.get(finding_id)
        assert result["properties"].get("decision") == (decided[finding_id].status if finding_id in decided else None)
        suppressed = [s["status"] for s in result.get("suppressions", [])]
        assert suppressed == ([] if is_open(finding_id, decided) else ["accepted"])

    # report.xlsx: the actions first, a row per finding (Step 1 and 3) and per risk, the decision in the status columns
    book = out / "report.xlsx"
    assert load_workbook(book, read_only=True).sheetnames[0] == "Actions first"
    assert [(row[0], row[11]) for row in _sheet(book, "Actions first")] == [
        (a.rank, a.measure) for a in assessment.actions
    ]
    findings = _sheet(book, "Findings")
    assert [row[0] for row in findings] == [f.id for f in every]
    assert [row[5] for row in findings] == [risk_level.get(f.id) for f in every]
    assert {row[0]: row[6] for row in findings if row[6]} == {f: d.status for f, d in decided.items()}
    ranked = _sheet(book, "2 Ranked risks")
    assert [(row[1], row[10]) for row in ranked] == [(r.finding, r.level) for r in assessment.risks]
    assert {row[1]: row[15] for row in ranked if row[15]} == {f: d.status for f, d in decided.items()}

    # report.md: the same counts, the same risks, the decisions shown
    markdown = (out / "report.md").read_text(encoding="utf-8")
    counts = {c: sum(1 for f in assessment.findings if f.category == c) for c in ("zoning", "threat", "hygiene")}
    assert (
        f"{len(assessment.findings)} findings ({counts['zoning']} zoning, {counts['threat']} threats, {counts['hygiene']} hygiene"
        in markdown
    )
    assert f"and {len(assessment.requirements)} security requirements" in markdown
    rows = re.findall(r"^\| (\d+) \| ([a-z]+)[^|]* \| (\S+) \(", markdown, flags=re.MULTILINE)
    assert [(int(rank), level, finding.replace("\\", "")) for rank, level, finding in rows] == [
        (r.rank, r.level, r.finding) for r in assessment.risks
    ]
    for finding_id in accepted:
        row = next(
            line
            for line in markdown.splitlines()
            if line.startswith("| ") and f"| {finding_id.replace('@', '@')}" in line.replace("\\", "")
        )
        assert "\\[accepted\\]" in row

    # report.html (the summary): the same counts, the top risks in order, accepted ones marked;
    # step-2.html: every risk and decision
    page = (out / "report.html").read_text(encoding="utf-8")
    cards = dict(re.findall(r'data-count="([a-z_]+)"><span class="num">(\d+)</span>', page))
    assert cards["findings"] == str(len(assessment.findings)) and cards["requirements"] == str(
        len(assessment.requirements)
    )
    top = re.findall(r'data-top-risk="([^"]+)"', page)
    assert top == [r.finding for r in assessment.risks[: len(top)]] and len(top) == min(
        TOP_RISKS, len(assessment.risks)
    )
    plan = (out / "step-2.html").read_text(encoding="utf-8")
    assert re.findall(r'<tr id="risk-[^"]+" data-risk="([^"]+)"', plan) == [r.finding for r in assessment.risks]
    assert re.findall(r'<tr data-decision="([^"]+)"', plan) == [d.finding for d in assessment.decisions]
    for finding_id in accepted:
        if finding_id in top:
            item = page[page.index(f'data-top-risk="{finding_id}"') :]
            assert '<span class="tag">accepted</span>' in item[: item.index("</li>")]
