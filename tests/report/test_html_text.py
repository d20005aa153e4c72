"""User-given text as the HTML pages write it (factorysec.report.html_text): escaped, each word of 30 characters or more
in a <span class="long"> (which the pages' style lets break anywhere inside a table cell), names isolated in <bdi>.
No browser here: tests/report/test_html_layout.py measures what the marking does to the pages' widths."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment
from markupsafe import escape

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import FactoryModel, LoadedModel
from factorysec.model.sources import SourceMap
from factorysec.report.html import write_html_report
from factorysec.report.html_text import (
    add_text_filters,
    breakable,
    isolated,
    names_to_isolate,
    sentence,
)
from tests.report.test_html_layout import small_model

ARABIC = "منطقة التخزين"
"""A zone's name in Arabic ("storage zone")."""


def test_ordinary_words_stay_as_they_are_escaped() -> None:
    assert breakable("equipment") == "equipment"
    assert breakable("Production planning and scheduling equipment") == "Production planning and scheduling equipment"
    assert breakable("<script>alert('x')</script> & co") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"


def test_a_word_of_thirty_characters_or_more_is_marked_long() -> None:
    word = "A" * 30
    assert breakable(word) == f'<span class="long">{word}</span>'
    assert breakable("B" * 29) == "B" * 29
    assert breakable(f"zone {word} holds") == f'zone <span class="long">{word}</span> holds'


def test_a_long_word_is_escaped_inside_its_mark() -> None:
    word = "<b>" + "x" * 30 + "&'"
    assert breakable(word) == f'<span class="long">{escape(word)}</span>'


def test_spaces_hyphens_and_slashes_end_a_word() -> None:
    words = "-".join(["a" * 20] * 6) + " " + "/".join(["b" * 20] * 3) + "\t" + "c" * 29
    assert breakable(words) == words


def test_japanese_does_not_count_towards_a_long_word() -> None:
    japanese = "制御系ネットワークと情報系ネットワークの境界に設置されたファイアウォールで通信を制限する"
    assert len(japanese) > 30
    assert breakable(japanese) == japanese
    fullwidth = "ＰＬＣ" * 12
    assert breakable(fullwidth) == fullwidth
    latin_between = "ライン" + "L" * 30 + "の制御"
    assert breakable(latin_between) == f'ライン<span class="long">{"L" * 30}</span>の制御'


def test_a_name_is_isolated_escaped_and_breakable() -> None:
    assert isolated(f"{ARABIC} <1>") == f"<bdi>{ARABIC} &lt;1&gt;</bdi>"
    assert isolated("Z" * 40) == f'<bdi><span class="long">{"Z" * 40}</span></bdi>'


def test_only_right_to_left_names_and_bidi_controls_are_sought_in_sentences() -> None:
    assert names_to_isolate(["Office zone", "事務所ゾーン", "Zone 3"]) is None
    pattern = names_to_isolate(["Office zone", ARABIC, "Line \u202e1", "שער"])
    assert pattern is not None
    assert {match.group() for match in pattern.finditer(f"'{ARABIC}' → 'Line \u202e1', Office zone, שער")} == {
        ARABIC,
        "Line \u202e1",
        "שער",
    }


def test_a_sentence_isolates_the_names_it_holds() -> None:
    pattern = names_to_isolate([ARABIC, f"{ARABIC} 2"])
    said = f"'{ARABIC} 2' sends to '{ARABIC}' <3 times>"
    assert sentence(said, pattern) == (
        f"&#39;<bdi>{ARABIC} 2</bdi>&#39; sends to &#39;<bdi>{ARABIC}</bdi>&#39; &lt;3 times&gt;"
    )
    assert sentence(said, None) == str(escape(said))


def test_the_filters_give_markup_the_template_writes_as_it_is() -> None:
    env = add_text_filters(Environment(autoescape=True))
    page = env.from_string("<td>{{ text | breakable }}</td><p>{{ name | isolated }}</p>").render(
        text="<b>" + "y" * 30, name="<script>"
    )
    assert page == f'<td><span class="long">&lt;b&gt;{"y" * 30}</span></td><p><bdi>&lt;script&gt;</bdi></p>'


def test_an_arabic_zone_name_in_a_finding_sentence_is_isolated(catalog: Catalog, tmp_path: Path) -> None:
    """The production zone of the layout model serves no operation, so a finding says so in a sentence naming it; its
    name in Arabic (with markup characters) is in <bdi> and escaped in that sentence and in the finding's subject."""
    data = small_model(False).model_dump(mode="json", by_alias=True, exclude_none=True)
    name = f"{ARABIC} <2>"
    data["zones"][1]["name"] = name
    model = FactoryModel.model_validate(data)
    assessment = analyze(model, catalog)
    finding = next(f for f in assessment.findings if f.subject.id == "line" and name in f.rationale.en)
    write_html_report(LoadedModel(model, SourceMap({}, {}, {})), assessment, tmp_path, "en", catalog)
    page = (tmp_path / "zones" / "line.html").read_text("utf-8")
    item = re.search(rf'data-finding="{re.escape(finding.id)}">(.*?)</li>', page, re.DOTALL)
    assert item is not None
    shown = f"<bdi>{escape(name)}</bdi>"
    before, _, after = finding.rationale.en.partition(name)
    assert f"<p>{escape(before)}{shown}{escape(after)}</p>" in item.group(1)
    assert f'<a href="../zones/line.html">{shown}</a>' in item.group(1)
    assert name not in page and "<2>" not in page
