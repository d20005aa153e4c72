"""Every guideline reference a rule or the catalog cites reads in Japanese with no English word left in it.

A reference's structural words (Appendix, Table, Step ...) and its notes (the threat of Table 3-5 it means,
what the step asks) both read in Japanese under ``--lang ja``; what may stay in Latin letters is an acronym
(BCP, PDCA, FA, IEC ...), a section's list marker ((i), (ii)) and a standard's name (SEMI E187, NIST CSF 2.0 GV.SC).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from factorysec.catalog import load_catalog
from factorysec.catalog.vocabulary import REFERENCE_NOTES, reference
from factorysec.rules_registry import all_rules

ENGLISH_WORD = re.compile(r"(?<![A-Za-z])(?=[A-Za-z]*[a-z])[A-Za-z]{2,}(?![A-Za-z])")
"""A word of two or more Latin letters with a lower-case one: an acronym (BCP, SBOM) is not a word here."""

LATIN_KEPT = frozenset({"ii", "iii", "iv", "vi", "vii", "viii", "ix", "IoT", "Observe", "Orient", "Decide", "Act"})
"""List markers of the guideline's sections, and IoT and the OODA phases as the guideline writes them (Observe（監視）)."""


def _refs(value: Any, key: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _refs(item, name)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _refs(item, key)
    elif isinstance(value, str) and (key == "ref" or key.endswith("reference")):
        yield value


def _every_reference() -> set[str]:
    catalog = load_catalog()
    cited = {rule.reference for rule in all_rules()}
    for section in catalog.section_names():
        for entry in getattr(catalog, section).values():
            cited.update(_refs(entry.model_dump(mode="json")))
    return cited


def _english(text: str) -> list[str]:
    return [word for word in ENGLISH_WORD.findall(text) if word not in LATIN_KEPT]


def test_every_reference_reads_in_japanese() -> None:
    cited = _every_reference()
    assert len(cited) > 100, "the rules and the catalog cite references"
    left = {ref: words for ref in sorted(cited) if (words := _english(reference(ref, "ja")))}
    assert not left, left


def test_a_note_reads_in_japanese_and_english_stays_as_written() -> None:
    cited = "Appendix 2.1.2 Table 2-1; 3.1.7 Table 3-5 (built-in computer in the equipment)"
    assert reference(cited, "en") == cited
    assert reference(cited, "ja") == "別冊 2.1.2 表2-1; 3.1.7 表3-5（コンピュータを内蔵した設備）"
    assert reference("Appendix 3.3 Tables 3-11, 3-12", "ja") == "別冊 3.3 表3-11、3-12"
    assert reference("Annex A step 1 and step 3", "ja") == "付録A 手順1・手順3"


def test_every_note_is_japanese() -> None:
    for note, japanese in REFERENCE_NOTES.items():
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", japanese), note
        assert not _english(japanese), (note, japanese)


def test_the_check_finds_an_english_note() -> None:
    assert _english("別冊 3.1.7 表3-5 (remote access to a cloud)") == ["remote", "access", "to", "cloud"]
    assert _english("別冊 3.3 (2) 表3-11（汎用製品、SBOM）; IEC 62443-4-1; (1)(ii)") == []
