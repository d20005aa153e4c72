"""Under --lang ja the sentences the analysis writes carry Japanese levels and kinds (#20 item 5).

Every example is analysed (``analyze --lang ja``), every Annex A change reviewed (``review --lang ja``) and every
rule explained (``explain ID --lang ja``); no line with Japanese in it may hold an English importance or risk level
(low, medium, high, critical, unrated), a zone kind quoted as a zone (「production」ゾーン) or a zone side (fa 側),
and explain prints its labels in Japanese. Ids (``THREAT-X@zone``, ``REQ-…#high``) are not words and are left alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.model import load_model
from factorysec.rules_registry import all_rules

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(
    [
        *(ROOT / "examples").glob("*/factory.yaml"),
        ROOT / "examples" / "annex-a" / "current",
        *(ROOT / "examples" / "annex-a").glob("*.yaml"),
    ]
)
CHANGES = sorted((ROOT / "examples" / "annex-a").glob("case-*-first-added.yaml"))

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
LEVEL = re.compile(r"(?<![\w@#./>-])(low|medium|high|critical|unrated)(?![\w/-])")
KIND = re.compile(
    r"「(production|logistics|production-control|monitoring|engineering|office|external|dmz|other)」ゾーン"
    r"|(?<![\w-])(fa|oa|external|boundary) ?側"
)


def _english_words(output: str) -> list[str]:
    found = []
    for line in output.splitlines():
        if not JAPANESE.search(line):
            continue
        if LEVEL.search(line) or KIND.search(line):
            found.append(line.strip())
    return found


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "400"})
    assert result.exit_code in (0, 1), result.output
    return result.output


def _user_texts(value: object, found: set[str]) -> set[str]:
    """The texts of several words the model's author wrote (titles, names, notes): theirs, in their language."""
    if isinstance(value, dict):
        for item in value.values():
            _user_texts(item, found)
    elif isinstance(value, list):
        for item in value:
            _user_texts(item, found)
    elif isinstance(value, str) and " " in value.strip():
        found.add(value)
    return found


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_analyze_in_japanese_has_no_english_level_or_kind(example: Path) -> None:
    output = _run("analyze", str(example), "--lang", "ja", "--limit", "0")
    assert JAPANESE.search(output)
    # a requirement titled '... (a specified critical material) ...' is the author's English, not a level left untranslated
    written = _user_texts(load_model(example).model_dump(mode="json"), set())
    for text in sorted(written, key=len, reverse=True):
        output = output.replace(text, "\u3000")
    assert _english_words(output) == []


@pytest.mark.parametrize("change", CHANGES, ids=lambda p: p.name)
def test_review_in_japanese_has_no_english_level_or_kind(change: Path) -> None:
    output = _run("review", str(change), "--lang", "ja")
    assert _english_words(output) == []
    assert "Appendix" not in output.replace("(", "\n(").split("\n")[0]


def test_explain_in_japanese_has_japanese_labels_levels_and_kinds() -> None:
    for rule in all_rules():
        output = _run("explain", rule.id, "--lang", "ja")
        assert _english_words(output) == [], rule.id
        for label in ("category:", "reference:", "threat:", "viewpoint:", "measure:", "matter:", "(advisory)"):
            assert label not in output, (rule.id, label)
        assert "  分類:" in output and "  根拠:" in output, rule.id


def test_explain_in_english_keeps_its_labels() -> None:
    output = _run("explain", "ZONE-SHARED-SERVICE")
    assert "  category:  zoning (advisory)" in output
    assert "  reference: Appendix Annex A case (ii)" in output


def test_the_scan_would_catch_an_english_level_in_a_japanese_sentence() -> None:
    assert _english_words("「X」（重要度 high）：脅威 2 件") == ["「X」（重要度 high）：脅威 2 件"]
    assert _english_words("制御の役割を持たない「office」ゾーンからの制御指示") != []
    assert _english_words("fa 側と oa 側") != []
    assert _english_words("THREAT-WIRELESS@high-bay 無線") == []  # an id, not a word
    assert _english_words("「X」（重要度 高）：脅威 2 件") == []
