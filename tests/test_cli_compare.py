"""'factorysec compare' as a user runs it: two assessment.json files or two models, text, JSON and HTML, bad input."""

from __future__ import annotations

import base64
import hashlib
import html
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from tests.compare_support import edited_copy
from tests.conftest import EXAMPLES

runner = CliRunner()


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    """The Annex A example's assessment.json and the edited copy's, as 'analyze --format json' writes them."""
    plant = edited_copy(tmp_path)
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    for model, out in ((EXAMPLES / "current", old), (plant, new)):
        result = runner.invoke(app, ["analyze", str(model), "--format", "json", "--out", str(out)])
        assert result.exit_code == 0, result.output
    return old, new


def test_compare_two_assessment_files_in_text(versions: tuple[Path, Path]) -> None:
    result = runner.invoke(app, ["compare", *map(str, versions)])
    assert result.exit_code == 0, result.output
    out = result.output
    # every conduit crossed both ways (#23 item 1): production-control was already near an entry point before the edit
    # the laptop is a general-purpose product: its Table 3-11 checklist is new too, supplier named or not (#23 item 5)
    assert "1 resolved, 2 new, 2 changed; risks 1 up, 0 down; findings, Step 3 gaps included, " in out
    resolved, new = out.split("Findings resolved (1)")[1].split("New findings (2)")
    assert "S3-CHECKLIST-OPEN@vendor-laptop#general-purpose-product" in new.split("Findings changed")[0]
    assert "S3-MATURITY-UNASSESSED@annex-a-factory#between-departments" in resolved
    assert "THREAT-EXTERNAL-EQUIPMENT@production" in new.split("Findings changed")[0] and "[level: critical]" in new
    assert "[decision: open → accepted]" in out and "[level: medium → critical]" in out
    assert "Checklist items answered (Tables 3-10 to 3-12): 0/" in out and "(+1)" in out
    assert "OODA roles filled (Table 3-8): 0/8 → 1/8 (+1)" in out
    assert "not rated → Practice (up)" in out


def test_compare_two_models_analyses_both_with_their_decisions(tmp_path: Path) -> None:
    plant = edited_copy(tmp_path)
    result = runner.invoke(app, ["compare", str(EXAMPLES / "current"), str(plant), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert [d["id"] for d in document["new"]] == [
        "THREAT-EXTERNAL-EQUIPMENT@production",
        "S3-CHECKLIST-OPEN@vendor-laptop#general-purpose-product",
    ]
    assert {d["id"]: d["state_after"] for d in document["changed"]}["THREAT-WIRELESS@transport-zone"] == "accepted"
    assert document["ooda_roles_filled"] == {"done_before": 0, "total_before": 8, "done_after": 1, "total_after": 8}
    assert document["new"][0]["title"]["ja"] and document["new"][0]["title"]["en"]


def test_compare_in_japanese_html_to_a_file(versions: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "compare.html"
    result = runner.invoke(app, ["compare", *map(str, versions), "--format", "html", "--out", str(out), "--lang", "ja"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "前回の評価からの変化" in page and "解消した指摘" in page
    assert 'data-finding="THREAT-EXTERNAL-EQUIPMENT@production"' in page.split('id="new"')[1].split("</section>")[0]
    assert 'data-risk="THREAT-BUILT-IN-COMPUTER@production"' in page.split('id="risks-up"')[1].split("</section>")[0]
    assert "<script" not in page and "http" not in page.split("<body>")[1]
    style = page.split("<style>")[1].split("</style>")[0]
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    assert f"style-src 'sha256-{digest}'" in html.unescape(page.split("<style>")[0]), (
        "the Content-Security-Policy allows exactly the page's own style"
    )
    assert '"Noto Sans CJK JP"' in style
    again = runner.invoke(app, ["compare", *map(str, versions), "--format", "html", "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.output and "前回" in out.read_text(encoding="utf-8")
    forced = runner.invoke(app, ["compare", *map(str, versions), "--format", "html", "--out", str(out), "--force"])
    assert forced.exit_code == 0 and "What changed since the last assessment" in out.read_text(encoding="utf-8")


def test_an_assessment_against_itself_says_nothing_changed(versions: tuple[Path, Path]) -> None:
    result = runner.invoke(app, ["compare", str(versions[0]), str(versions[0])])
    assert result.exit_code == 0
    assert "Nothing changed between the two assessments." in result.output


def test_two_different_factories_are_refused_without_force(versions: tuple[Path, Path], tmp_path: Path) -> None:
    other = json.loads(versions[1].read_text(encoding="utf-8"))
    other["factory_id"] = "another-factory"
    path = tmp_path / "other.json"
    path.write_text(json.dumps(other), encoding="utf-8")
    refused = runner.invoke(app, ["compare", str(versions[0]), str(path)])
    assert refused.exit_code == 2 and "'annex-a-factory'" in refused.output and "'another-factory'" in refused.output
    assert runner.invoke(app, ["compare", str(versions[0]), str(path), "--force"]).exit_code == 2
    assert runner.invoke(app, ["compare", str(versions[0]), str(path), "--any-factory"]).exit_code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "bad.json:1:2: not JSON: Expecting property name enclosed in double quotes"),
        (b"\x80{}", "bad.json: not JSON: not UTF-8 text (byte 0)"),
        (b"[1, 2]", "bad.json: not an assessment.json: expected an object with 'factory_id' and 'findings'"),
        (b'{"factory_id": "x", "findings": "many"}', "bad.json: not an assessment.json: field "),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "bad.json: not an assessment.json: its values nest too deeply"),
    ],
)
def test_bad_assessment_files_are_one_line_errors(
    versions: tuple[Path, Path], tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    result = runner.invoke(app, ["compare", str(versions[0]), str(bad)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.output


def test_a_missing_file_and_a_bad_option_are_input_errors(versions: tuple[Path, Path], tmp_path: Path) -> None:
    missing = runner.invoke(app, ["compare", str(versions[0]), str(tmp_path / "nowhere.json")])
    assert missing.exit_code == 2 and "nowhere.json: no such file or folder" in missing.output
    assert runner.invoke(app, ["compare", *map(str, versions), "--format", "pdf"]).exit_code == 2
    assert runner.invoke(app, ["compare", *map(str, versions), "--lang", "fr"]).exit_code == 2


def test_an_invalid_model_side_lists_its_problems(versions: tuple[Path, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("factory: {id: x}\nzones: 3\n", encoding="utf-8")
    result = runner.invoke(app, ["compare", str(versions[0]), str(broken)])
    assert result.exit_code == 2 and "broken.yaml" in result.output and "Traceback" not in result.output
