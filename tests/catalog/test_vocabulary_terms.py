"""A value the catalog also titles reads the same in Japanese in the reports as in the catalog (one term per thing).

The OODA stages and phases, the maturity areas and levels of Table 3-9 and the checklist kinds and stages of
Tables 3-10 to 3-12 are catalog entries and values of the assessment: a report printed the phase 'observe' as 観察
where the catalog, explain and the analysis's sentences say Observe（監視）. A value word may shorten the catalog's
title only by leaving out what follows a '・' (機器 for 機器・装置).
"""

from __future__ import annotations

from factorysec.catalog import load_catalog
from factorysec.catalog.vocabulary import VALUES

TITLED = {
    "ooda_stage": "ooda_stages",
    "ooda_phase": "ooda_phases",
    "maturity_area": "maturity_areas",
    "maturity_level": "maturity_levels",
    "checklist_kind": "checklist_kinds",
    "checklist_stage": "checklist_stages",
    "asset_type": "object_types",
}
"""Vocabulary → the catalog section whose entries are its values."""


def test_a_value_reads_as_the_catalog_titles_it() -> None:
    catalog = load_catalog()
    differ = {}
    for vocabulary, section in TITLED.items():
        entries = getattr(catalog, section)
        for raw, word in VALUES[vocabulary].items():
            if raw not in entries:
                continue
            title = entries[raw].title.ja
            if word.ja != title and not title.startswith(word.ja + "・"):
                differ[f"{vocabulary}.{raw}"] = (word.ja, title)
    assert not differ, differ


def test_every_titled_vocabulary_names_catalog_entries() -> None:
    catalog = load_catalog()
    for vocabulary, section in TITLED.items():
        assert set(VALUES[vocabulary]) & set(getattr(catalog, section)), vocabulary
