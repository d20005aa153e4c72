"""Japanese all the way: every output rendered in Japanese on the examples holds no English value word of the glossary.

The forbidden words are the English side of the glossary's value vocabularies
(levels, zone kinds, asset types, sourcing, statuses, subject kinds, decision
statuses ...) and the guideline's structural words (Appendix, Annex, Table,
Figure, Step). What users and the analysis wrote is taken out first: the
model's own strings (ids, names, notes), the Japanese texts of the assessment
(the analysis's sentences) and its guideline references as the glossary turns
them into Japanese, whose parenthesised notes stay as the analysis wrote them.
A word left over after that was put there by a renderer.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from factorysec.analysis import Assessment
from factorysec.catalog import load_catalog
from factorysec.cli import app
from factorysec.model import load_model_with_sources
from factorysec.report.glossary import VALUES, reference

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(
    [
        *(ROOT / "examples").glob("*/factory.yaml"),
        ROOT / "examples" / "annex-a" / "current",
        ROOT / "examples" / "annex-a" / "all-cases-reviewed.yaml",
    ]
)

STRUCTURAL = ("Appendix", "Annex", "Table", "Tables", "Figure", "Step")
FORBIDDEN = frozenset({word.en for words in VALUES.values() for word in words.values()} | set(STRUCTURAL))
"""Words no Japanese output may show: the glossary's English value words and the guideline's structural words."""

TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_./@#-]*")
"""A token as an identifier reads: letters, digits and the joiners ids use, so ``net-zone-filtering`` is one token, not ``zone``."""
LETTER = re.compile(r"[A-Za-z]")
"""A text users wrote holding none of these (``2``) hides no English word and is left in place."""


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


ENUM_FIELDS = frozenset(
    {
        "kind",
        "type",
        "status",
        "sourcing",
        "importance",
        "external_network",
        "direction",
        "stage",
        "phase",
        "area",
        "level",
        "answer",
        "event",
        "disclosure",
        "source",
        "industry",
        "applies",
        "location",
        "trigger",
        "traits",
        "manuals",
        "cost",
    }
)
"""Model fields that hold a value of an enumeration: what a renderer must put into words, so never taken out."""


def _texts(value: Any, texts: set[str], key: str = "") -> None:
    """Collect what users, the catalog and the analysis wrote: Japanese texts, references as the glossary reads them, and strings outside enumeration fields."""
    if isinstance(value, dict):
        if set(value) == {"en", "ja"}:
            texts.add(value["ja"])
            return
        for name, item in value.items():
            _texts(item, texts, name)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _texts(item, texts, key)
    elif isinstance(value, str) and key not in ENUM_FIELDS:
        texts.add(reference(value, "ja") if key.endswith("reference") else value)


def _written_by_others(model_path: Path, assessment: Assessment) -> tuple[list[str], frozenset[str]]:
    """What users, the catalog and the analysis wrote: the texts, longest first, and the single tokens (ids), which are matched whole.

    An id may be a value word too (a zone called ``cloud``): a token users wrote is never counted.
    """
    loaded = load_model_with_sources(model_path)
    texts: set[str] = {loaded.change_title} if loaded.change_title else set()
    _texts(loaded.model.model_dump(mode="json", by_alias=True, exclude_defaults=True), texts)
    _texts(assessment.model_dump(mode="json"), texts)
    catalog = load_catalog()
    for section in catalog.section_names():
        for entry in getattr(catalog, section).values():
            _texts(entry.model_dump(mode="json"), texts)
    tokens = frozenset(t for t in texts if TOKEN.fullmatch(t))
    return sorted((t for t in texts - tokens if t), key=len, reverse=True), tokens


def _leftovers(text: str, others: tuple[list[str], frozenset[str]]) -> list[str]:
    phrases, tokens = others
    for written in phrases:
        if LETTER.search(written):  # a text without a letter ("2") hides no word, and taken out of an id it splits it
            text = text.replace(written, "\u3000")
    return sorted({token for token in TOKEN.findall(text) if token in FORBIDDEN and token not in tokens})


def _page_text(page: str) -> str:
    """The text a reader sees on the page: no style, script, inline diagram (drawn by diagram.py) or markup."""
    page = re.sub(r"<(style|script|svg)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _workbook_text(path: Path) -> str:
    book = load_workbook(path, read_only=True)
    return "\n".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def _sarif_text(path: Path) -> str:
    """The SARIF log's texts a person reads (messages, rule descriptions); its properties are data, not language."""
    run = json.loads(path.read_text(encoding="utf-8"))["runs"][0]
    rules = [f"{r['shortDescription']['text']}\n{r['fullDescription']['text']}" for r in run["tool"]["driver"]["rules"]]
    return "\n".join([*rules, *(r["message"]["text"] for r in run["results"])])


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "100000"})  # lines unwrapped, so a text is found whole
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("model", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_output_in_japanese_holds_no_english_value_word(model: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    _invoke("report", str(model), "--out", str(out), "--lang", "ja")
    assessment = Assessment.model_validate_json((out / "assessment.json").read_text(encoding="utf-8"))
    others = _written_by_others(model, assessment)
    outputs = {
        "analyze": _invoke("analyze", str(model), "--lang", "ja", "--limit", "0"),
        "checklist": _invoke("checklist", str(model), "--lang", "ja"),
        "report.html": _page_text((out / "report.html").read_text(encoding="utf-8")),
        "report.md": (out / "report.md").read_text(encoding="utf-8").replace("\\", ""),
        "report.xlsx": _workbook_text(out / "report.xlsx"),
        "findings.sarif": _sarif_text(out / "findings.sarif"),
    }
    left = {name: _leftovers(text, others) for name, text in outputs.items()}
    assert not any(left.values()), left


def test_the_check_finds_an_english_value_word() -> None:
    """The check itself: a raw level and kind inside Japanese text are found, ids and user text are not."""
    assert _leftovers("重要度 critical、対象: zone", ([], frozenset())) == ["critical", "zone"]
    assert _leftovers("net-zone-filtering · Production line · cloud", (["Production line"], frozenset({"cloud"}))) == []
    # a text users wrote without a letter ("2") is not cut out of an id ("level2-zone" would leave "zone")
    assert _leftovers("ゾーン level2-zone", (["2"], frozenset({"level2-zone"}))) == []


CHANGES = sorted((ROOT / "examples" / "annex-a").glob("case-*.yaml"))
CURRENT = ROOT / "examples" / "annex-a" / "current"


def _written_in(*documents: Any) -> tuple[list[str], frozenset[str]]:
    """What users and the analysis wrote in these JSON documents (a review, a comparison, two assessments)."""
    texts: set[str] = set()
    for document in documents:
        _texts(document, texts)
    tokens = frozenset(t for t in texts if TOKEN.fullmatch(t))
    return sorted((t for t in texts - tokens if t), key=len, reverse=True), tokens


def _merged(*others: tuple[list[str], frozenset[str]]) -> tuple[list[str], frozenset[str]]:
    phrases = sorted({p for o in others for p in o[0]}, key=len, reverse=True)
    return phrases, frozenset().union(*(o[1] for o in others))


@pytest.mark.parametrize("change", CHANGES, ids=lambda p: p.name)
def test_the_review_in_japanese_holds_no_english_value_word(change: Path, tmp_path: Path) -> None:
    """The review's terminal text and its HTML page read references and statuses in Japanese (the page cited 'Appendix 3.1.2 Step 1-2' and 'スマート化 (new)')."""
    page = tmp_path / "review.html"
    _invoke("review", str(change), "--lang", "ja", "--format", "html", "--out", str(page))
    review = json.loads(_invoke("review", str(change), "--lang", "ja", "--format", "json"))
    loaded = load_model_with_sources(change)
    model = loaded.model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    before = load_model_with_sources(CURRENT).model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    catalog = load_catalog()
    entries = [
        getattr(catalog, s)[k].model_dump(mode="json") for s in catalog.section_names() for k in getattr(catalog, s)
    ]
    others = _written_in(review, model, before, entries, loaded.change_title or "")
    outputs = {
        "review": _invoke("review", str(change), "--lang", "ja"),
        "review.html": _page_text(page.read_text(encoding="utf-8")),
    }
    left = {name: _leftovers(text, others) for name, text in outputs.items()}
    assert not any(left.values()), left


def test_the_comparison_in_japanese_holds_no_english_value_word(tmp_path: Path) -> None:
    """compare's text and HTML page read the PDCA references in Japanese (they printed 'Appendix 3.3 Step 3; Figure 3-4')."""
    after = ROOT / "examples" / "annex-a" / "all-cases-reviewed.yaml"
    reports = {}
    for name, model in (("before", CURRENT), ("after", after)):
        _invoke("report", str(model), "--out", str(tmp_path / name), "--lang", "ja")
        assessment = Assessment.model_validate_json((tmp_path / name / "assessment.json").read_text(encoding="utf-8"))
        reports[name] = _written_by_others(model, assessment)
    page = tmp_path / "compare.html"
    _invoke("compare", str(CURRENT), str(after), "--lang", "ja", "--format", "html", "--out", str(page))
    outputs = {
        "compare": _invoke("compare", str(CURRENT), str(after), "--lang", "ja", "--limit", "0"),
        "compare.html": _page_text(page.read_text(encoding="utf-8")),
    }
    others = _merged(reports["before"], reports["after"])
    left = {name: _leftovers(text, others) for name, text in outputs.items()}
    assert not any(left.values()), left


def test_the_report_pages_footer_is_japanese(tmp_path: Path) -> None:
    """Before: 'factorysec 0.1.0 · schema 2 · モデルのダイジェスト ...' on every Japanese page."""
    out = tmp_path / "report"
    _invoke("report", str(EXAMPLES[0]), "--out", str(out), "--lang", "ja")
    footer = re.search(r"<footer>(.*?)</footer>", (out / "report.html").read_text(encoding="utf-8"), re.DOTALL)
    assert footer is not None
    assert "スキーマ 2" in footer.group(1) and "schema" not in footer.group(1)
