"""The glossary: complete in both languages, one Japanese word per term, references in Japanese."""

from __future__ import annotations

import re

import pytest

from factorysec.catalog.models import Text
from factorysec.report import glossary
from factorysec.report.glossary import COMMON, SECTIONS, TERMS, VALUES, labels, reference, value

SAME_IN_BOTH = frozenset({"ID", "factorysec", "S / Q / D / C / BC", "DMZ", "VPN"})
"""Labels and words that read the same in Japanese (identifiers, acronyms)."""


def _entries() -> list[tuple[str, Text]]:
    entries = [(f"COMMON.{key}", text) for key, text in COMMON.items()]
    entries += [
        (f"SECTIONS.{section}.{key}", text) for section, table in SECTIONS.items() for key, text in table.items()
    ]
    entries += [
        (f"VALUES.{vocabulary}.{key}", text) for vocabulary, words in VALUES.items() for key, text in words.items()
    ]
    return entries


def test_every_entry_has_both_languages_and_japanese_is_japanese() -> None:
    for name, text in _entries():
        assert text.en.strip() and text.ja.strip(), name
        if text.ja not in SAME_IN_BOTH and not text.en.startswith(("IEC 62443", "OODA")):
            assert text.ja != text.en, f"{name}: Japanese is the English {text.en!r}"
            assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text.ja), f"{name}: no Japanese in {text.ja!r}"


def test_placeholders_are_the_same_in_both_languages() -> None:
    for name, text in _entries():
        assert sorted(re.findall(r"\{[^}]*\}", text.en)) == sorted(re.findall(r"\{[^}]*\}", text.ja)), name


def test_one_japanese_word_per_term() -> None:
    """Every label that uses a term in English uses the term's one word in Japanese (conduit is コンジット everywhere).

    Values are identifiers as the model writes them (``operation-maintenance`` is a checklist stage, 運用・保守), so labels only.
    """
    for name, text in _entries():
        if name.startswith("VALUES."):
            continue
        for term, word in TERMS.items():
            if re.search(rf"(?<![A-Za-z]){re.escape(term)}", text.en, re.IGNORECASE):
                assert word in text.ja, f"{name}: {text.en!r} uses {term!r} but {text.ja!r} lacks {word!r}"
    assert not any("コンデュイット" in text.ja for _, text in _entries())


@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_labels_of_a_section_have_the_same_keys_in_both_languages(section: str) -> None:
    assert set(labels(section, "en")) == set(labels(section, "ja"))
    assert set(SECTIONS[section]) <= set(labels(section, "en"))


def test_values_read_as_written_in_english_and_as_a_word_in_japanese() -> None:
    assert value("zone_kind", "production-control", "en") == "production-control"
    assert value("zone_kind", "production-control", "ja") == "生産管理"
    assert value("level", "critical", "ja") == "最重要"
    assert value("level", "not-a-level", "ja") == "not-a-level"


@pytest.mark.parametrize(
    ("english", "japanese"),
    [
        ("Appendix 3.2.2 Table 3-4", "別冊 3.2.2 表3-4"),
        ("Annex A", "付録A"),
        ("Reference guidelines (Annex B)", "Reference guidelines (付録B)"),
        ("Appendix 3.3 Step 3 (2), Tables 3-10 to 3-12", "別冊 3.3 ステップ3 (2), 表3-10〜3-12"),
        ("Appendix 3.3 Step 3 (1)(i), Tables 3-7 and 3-8", "別冊 3.3 ステップ3 (1)(i), 表3-7、3-8"),
        ("Appendix 3.3 Step 3 (1)(ii), Table 3-9, Figure 3-5", "別冊 3.3 ステップ3 (1)(ii), 表3-9, 図3-5"),
        ("Appendix 3.1.6 Step 1-6; Annex A case (ii) step 3", "別冊 3.1.6 ステップ1-6; 付録A 事例(ii) 手順3"),
    ],
)
def test_references_read_in_japanese(english: str, japanese: str) -> None:
    assert reference(english, "en") == english
    assert reference(english, "ja") == japanese


def test_the_appendix_is_never_called_an_annex_in_japanese() -> None:
    """付録 names the appendix's annexes only (付録A, 付録B); the appendix itself is 別冊."""
    for name, text in _entries():
        assert not re.search(r"付録\s*\d", text.ja), name
    assert glossary.reference("Appendix 3.3", "ja").startswith("別冊")
