"""Every string a user writes is inert in every output: shown as written, never obeyed, never a crash halfway."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.model import dump_model, load_model
from factorysec.model.entities import FactoryModel
from factorysec.report.inert import printable, terminal_text
from tests.conftest import EXAMPLES

runner = CliRunner()

MARKUP = "[link=https://evil.example]click[/link] [/bold] [red]x :warning:"
WEB = "<script>alert(1)</script> <svg onload=alert(2)> <img src=x onerror=alert(3)> **b** | pipe | [md](javascript:alert(4)) `c` # h"
CONTROLS = "\x7f\x9b31m\u202eevil\x85\u2028end"
"""What YAML and workbooks can carry: DEL, a C1 CSI, a bidirectional override, NEL and LS."""
FORMULA = '=HYPERLINK("http://evil.example","open")'
FREE_TEXT = {
    "name", "notes", "note", "description", "title", "purpose_notes", "head", "vulnerability_contact",
    "contract", "importance_reason", "purpose_of_use", "carries", "evidence",
}  # fmt: skip
"""Free-text fields of the model (``location`` is free text only for the factory)."""
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]")


def hostile(field: str) -> str:
    return f"{FORMULA} {field} {MARKUP} {WEB} {CONTROLS}"


def _poison(value: Any, at: str) -> Any:
    if isinstance(value, dict):
        return {
            key: hostile(f"{at}.{key}") if key in FREE_TEXT and isinstance(item, str) else _poison(item, f"{at}.{key}")
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_poison(item, f"{at}[{index}]") for index, item in enumerate(value)]
    return value


@pytest.fixture(scope="module")
def hostile_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Annex A factory with every free-text field holding markup, HTML, Markdown, a formula and control characters, and a decisions file too."""
    folder = tmp_path_factory.mktemp("hostile")
    data = _poison(load_model(EXAMPLES / "current").model_dump(mode="json", by_alias=True, exclude_defaults=True), "")
    data["factory"]["location"] = hostile("factory.location")
    path = folder / "factory.yaml"
    path.write_text(dump_model(FactoryModel.model_validate(data)), encoding="utf-8")
    decisions = {
        "decisions": [
            {
                "finding": "THREAT-WIRELESS@transport-zone",
                "status": "accepted",
                "justification": hostile("justification"),
                "owner": hostile("owner"),
                "review_by": "2999-01-01",
            },
            {"finding": f"{MARKUP} {WEB}", "status": "accepted", "justification": hostile("stale"), "owner": "me"},
        ]
    }
    (folder / "decisions.yaml").write_text(
        json.dumps(decisions), encoding="utf-8"
    )  # JSON is YAML; its \\u escapes carry every character
    return path


def _assert_terminal_inert(output: str) -> None:
    assert "Traceback" not in output
    assert MARKUP.replace(":warning:", "") in output  # markup printed as written, not applied
    assert ":warning:" in output and "⚠" not in output  # emoji codes stay text
    assert RAW_CONTROL.search(output) is None, repr(RAW_CONTROL.search(output))
    assert "\\x7f\\x9b31m\\u202eevil\\x85" in output  # control characters spelled out


def test_printable_spells_out_what_a_terminal_would_obey() -> None:
    assert printable("a\x1b[31mb\x0c\x00\x7f\x9b\u202e\r") == "a\\x1b[31mb\\x0c\\x00\\x7f\\x9b\\u202e\\x0d"
    assert printable("tab\tand\nline, 日本語") == "tab\tand\nline, 日本語"
    assert terminal_text("[/bold] [link=x]y") == "\\[/bold] \\[link=x]y"


def test_analyze_prints_every_string_as_written(hostile_model: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", str(hostile_model), "--limit", "0"])
    assert result.exit_code == 0, result.output
    _assert_terminal_inert(result.output)
    assert hostile("justification").split(" ")[0] in result.output
    out = tmp_path / "analysis.txt"
    assert runner.invoke(app, ["analyze", str(hostile_model), "--out", str(out)]).exit_code == 0
    _assert_terminal_inert(out.read_text(encoding="utf-8"))


def test_analyze_json_keeps_every_string_exactly(hostile_model: Path) -> None:
    result = runner.invoke(app, ["analyze", str(hostile_model), "--format", "json"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["factory_name"] == hostile(".factory.name")


def test_checklist_and_review_print_every_string_as_written(hostile_model: Path, tmp_path: Path) -> None:
    checklist = runner.invoke(app, ["checklist", str(hostile_model)])
    assert checklist.exit_code == 0, checklist.output
    _assert_terminal_inert(checklist.output)
    review = runner.invoke(app, ["review", str(EXAMPLES / "current"), str(hostile_model)])
    assert review.exit_code == 0, review.output
    _assert_terminal_inert(review.output)
    as_json = json.loads(
        runner.invoke(app, ["review", str(EXAMPLES / "current"), str(hostile_model), "--format", "json"]).stdout
    )
    assert as_json["elements"][0]["name"] == hostile(".factory.name")
    page = tmp_path / "review.html"
    assert (
        runner.invoke(
            app, ["review", str(EXAMPLES / "current"), str(hostile_model), "--format", "html", "--out", str(page)]
        ).exit_code
        == 0
    )
    _assert_html_inert(page.read_text(encoding="utf-8"), expected_scripts=_script_count(tmp_path, "review"))


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _script_count(tmp_path: Path, kind: str) -> int:
    """How many <script> elements the page has for the harmless Annex A model."""
    if kind == "review":
        page = tmp_path / "plain-review.html"
        runner.invoke(
            app,
            [
                "review",
                str(EXAMPLES / "current"),
                str(EXAMPLES / "case-1-first-added.yaml"),
                "--format",
                "html",
                "--out",
                str(page),
            ],
        )
    else:
        runner.invoke(app, ["report", str(EXAMPLES / "current"), "--out", str(tmp_path / "plain")])
        page = tmp_path / "plain" / "report.html"
    parser = _Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    return sum(1 for tag, _ in parser.tags if tag == "script")


def _assert_html_inert(page: str, expected_scripts: int) -> None:
    parser = _Elements()
    parser.feed(page)
    assert sum(1 for tag, _ in parser.tags if tag == "script") == expected_scripts
    for tag, attrs in parser.tags:
        assert tag != "img", attrs
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "[link=https://evil.example]click[/link]" in page


def test_report_folder_holds_every_string_as_text(hostile_model: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = runner.invoke(app, ["report", str(hostile_model), "--out", str(out)])
    assert result.exit_code == 0, result.output
    _assert_html_inert(
        (out / "report.html").read_text(encoding="utf-8"), expected_scripts=_script_count(tmp_path, "report")
    )
    svg = ElementTree.parse(out / "zones.svg").getroot()  # well-formed XML
    for element in svg.iter():
        assert not element.tag.endswith("script")
        assert not any(name.startswith("on") for name in element.attrib), element.attrib
    assert any("<script>alert(1)</script>" in (element.text or "") for element in svg.iter())  # shown as text
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "\\<script\\>alert(1)\\</script\\>" in markdown
    assert "\\[link=https://evil.example\\]click\\[/link\\]" in markdown
    assert RAW_CONTROL.search(markdown) is None
    assert json.loads((out / "assessment.json").read_text(encoding="utf-8"))["factory_name"] == hostile(".factory.name")
    sarif = (out / "findings.sarif").read_text(encoding="utf-8")
    messages = [result["message"]["text"] for run in json.loads(sarif)["runs"] for result in run["results"]]
    assert any(hostile(".operations[0].name") in message for message in messages)
    _assert_xlsx_text(out / "report.xlsx")


def _assert_xlsx_text(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    texts = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
                    texts.append(cell.value)
    assert texts and all(CONTROLS in text or text.startswith(FORMULA) for text in texts)


def test_workbook_export_holds_every_string_as_text(hostile_model: Path, tmp_path: Path) -> None:
    book = tmp_path / "plant.xlsx"
    result = runner.invoke(app, ["workbook", "export", str(hostile_model), "--out", str(book)])
    assert result.exit_code == 0, result.output
    _assert_xlsx_text(book)


@pytest.mark.parametrize(
    ("escape", "code", "name"),
    [
        ("\\f", "000C", "form feed"),
        ("\\0", "0000", "NUL"),
        ("\\v", "000B", "vertical tab"),
        ("\\e[31m", "001B", "escape"),
        ("\\x01", "0001", "control character"),
        ("\\r\\n", "000D", "carriage return"),
    ],
)
def test_check_refuses_what_a_workbook_cannot_carry(tmp_path: Path, escape: str, code: str, name: str) -> None:
    model = tmp_path / "factory.yaml"
    model.write_text(
        f'factory: {{id: f, name: F}}\nzones:\n  - id: z\n    kind: office\n    name: "pasted{escape}from a PDF"\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", str(model)])
    assert result.exit_code == 2
    first = result.output.splitlines()[0]
    assert first.startswith(f"{model}:5:11: zones[0].name: text holds U+{code} ({name})"), first
    assert RAW_CONTROL.search(result.output) is None


def test_the_decisions_file_is_held_to_the_same_rule(tmp_path: Path) -> None:
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text(
        'decisions:\n  - {finding: X@y, status: accepted, owner: me, justification: "see page\\f2"}\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["analyze", str(EXAMPLES / "current"), "--decisions", str(decisions)])
    assert result.exit_code == 2
    assert (
        f"{decisions}:2:" in result.output
        and "decisions[0].justification: text holds U+000C (form feed)" in result.output
    )


def test_tab_line_breaks_and_escapes_of_other_characters_are_accepted(tmp_path: Path) -> None:
    model = tmp_path / "factory.yaml"
    model.write_text('factory: {id: f, name: "tab\\there\\nline \\x7f \\u202e \\\\f"}\n', encoding="utf-8")
    result = runner.invoke(app, ["check", str(model)])
    assert result.exit_code == 0, result.output
    assert load_model(model).factory.name == "tab\there\nline \x7f \u202e \\f"
