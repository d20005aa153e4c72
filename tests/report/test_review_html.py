"""The smartification review as an HTML page: both diagrams with the right highlights, the sections, escaping, Japanese, the CLI."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.analysis.review import ReviewedChange, review_versions
from factorysec.catalog import Catalog
from factorysec.cli import app
from factorysec.model import load_model_with_sources
from factorysec.report.diagram import HIGHLIGHT_COLOUR, conduit_element_id, members_element_id, zone_element_id
from factorysec.report.review_html import AFTER_PREFIX, BEFORE_PREFIX, build_review_view, render_review_html
from tests.conftest import EXAMPLES

SVG = "{http://www.w3.org/2000/svg}"
runner = CliRunner()


@pytest.fixture(scope="module")
def case_one(catalog: Catalog) -> ReviewedChange:
    return review_versions(
        load_model_with_sources(EXAMPLES / "current"),
        load_model_with_sources(EXAMPLES / "case-1-first-added.yaml"),
        catalog,
    )


@pytest.fixture(scope="module")
def page_en(case_one: ReviewedChange) -> str:
    return render_review_html(build_review_view(case_one, "en"))


def _section(page: str, section_id: str) -> str:
    found = re.search(rf'<section id="{section_id}">(.*?)</section>', page, re.DOTALL)
    assert found, f"no section {section_id}"
    return found.group(1)


def _diagram(page: str, side: str) -> ET.Element:
    figure = re.search(rf'<figure id="diagram-{side}">.*?(<svg.*?</svg>)', page, re.DOTALL)
    assert figure, f"no {side} diagram"
    return ET.fromstring(figure.group(1))


def _group(root: ET.Element, element_id: str) -> ET.Element | None:
    return root.find(f".//{SVG}g[@id='{element_id}']")


def _zone_stroke(root: ET.Element, element_id: str) -> str | None:
    group = _group(root, element_id)
    assert group is not None, f"no {element_id}"
    shape = group.find(f".//{SVG}path")
    shape = shape if shape is not None else group.find(f".//{SVG}polygon")
    assert shape is not None
    return shape.get("stroke")


def _edge_strokes(root: ET.Element, element_id: str) -> set[str | None]:
    group = _group(root, element_id)
    assert group is not None, f"no {element_id}"
    return {p.get("stroke") for p in group.findall(f".//{SVG}path")}


def _highlighted_texts(root: ET.Element, zone_id: str, prefix: str) -> set[str]:
    group = _group(root, members_element_id(zone_id, prefix))
    assert group is not None
    return {(t.text or "").strip() for t in group.iter(f"{SVG}text") if t.get("fill") == HIGHLIGHT_COLOUR}


def test_after_diagram_highlights_what_case_one_adds(page_en: str) -> None:
    after = _diagram(page_en, "after")
    for zone in ("parts-zone", "product-zone"):
        assert _zone_stroke(after, zone_element_id(zone, AFTER_PREFIX)) == HIGHLIGHT_COLOUR
    assert _zone_stroke(after, zone_element_id("oa", AFTER_PREFIX)) != HIGHLIGHT_COLOUR
    for conduit in ("cad-to-scada", "scada-to-parts"):
        assert any(
            HIGHLIGHT_COLOUR in (s or "") for s in _edge_strokes(after, conduit_element_id(conduit, AFTER_PREFIX))
        )
    assert not any(
        HIGHLIGHT_COLOUR in (s or "") for s in _edge_strokes(after, conduit_element_id("oa-to-control", AFTER_PREFIX))
    )
    oa_marked = _highlighted_texts(after, "oa", AFTER_PREFIX)
    assert any(t.startswith("■ CAD") for t in oa_marked)
    assert any(t.startswith("■ Operation server") for t in oa_marked)
    assert not any(t.startswith("■ OA server") for t in oa_marked)


def test_before_diagram_shows_the_old_factory_with_what_the_change_alters(page_en: str) -> None:
    before = _diagram(page_en, "before")
    assert _zone_stroke(before, zone_element_id("production", BEFORE_PREFIX)) == HIGHLIGHT_COLOUR
    assert _zone_stroke(before, zone_element_id("oa", BEFORE_PREFIX)) != HIGHLIGHT_COLOUR
    assert _group(before, zone_element_id("parts-zone", BEFORE_PREFIX)) is None
    assert _group(before, conduit_element_id("cad-to-scada", BEFORE_PREFIX)) is None
    assert any(t.startswith("■ SCADA") for t in _highlighted_texts(before, "monitoring-zone", BEFORE_PREFIX))
    assert "removed or changed" in ET.tostring(before, encoding="unicode")


def test_two_diagrams_share_the_page_without_clashing_ids(page_en: str) -> None:
    ids = re.findall(r' id="([^"]+)"', page_en)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert page_en.count("<svg") == 2


def test_sections_follow_the_procedure_with_references_and_findings(page_en: str, case_one: ReviewedChange) -> None:
    positions = [
        page_en.index(f'<section id="{s}">')
        for s in ("diagrams", "elements", "flows", "zoning", "requirements", "threats", "stakeholders", "bcp")
    ]
    assert positions == sorted(positions)
    zoning = _section(page_en, "zoning")
    assert "ZONE-MIXED-CONTROL@oa" in zoning and "Annex A step 3" in zoning
    flows = _section(page_en, "flows")
    assert 'id="flow-cad-to-scada"' in flows and 'id="flow-scada-to-parts"' in flows and "Annex A step 2" in flows
    elements = _section(page_en, "elements")
    cad = re.search(r'id="element-asset-cad".*?</li>', elements, re.DOTALL)
    assert cad and "Appendix 3.1.4 Step 1-4" in cad.group(0) and "ZONE-MIXED-CONTROL@oa" in cad.group(0)
    for threat in case_one.review.threats:
        assert f'id="change-{threat.id}"' in _section(page_en, "threats")
    assert case_one.review.bcp and all(
        f'id="bcp-{b.viewpoint}"' in _section(page_en, "bcp") for b in case_one.review.bcp
    )
    assert "<h1>Smartification review: <bdi>Annex A case (i), as first added" in page_en


def test_page_uses_the_report_stylesheet_and_a_strict_policy(page_en: str) -> None:
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page_en)
    style = re.search(r"<style>(.*?)</style>", page_en, re.DOTALL)
    assert policy and style
    directives = html.unescape(policy.group(1))
    assert directives.startswith("default-src 'none'")
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode("utf-8")).digest()).decode("ascii")
    assert f"style-src 'sha256-{digest}'" in directives
    assert "--accent: #1565c0" in page_en and ".diagrams figure" in page_en
    assert 'id="finding-filter"' in page_en


def test_japanese_page(case_one: ReviewedChange) -> None:
    page = render_review_html(build_review_view(case_one, "ja"))
    assert '<html lang="ja">' in page
    assert "ゾーニングの見直し" in _section(page, "zoning")
    assert "変更前" in page and "変更後" in page and "凡例" in page
    assert "Zones before and after the change" not in page


def _hostile_change(tmp_path: Path) -> Path:
    change = tmp_path / "hostile.yaml"
    change.write_text(
        f'change:\n  base: {EXAMPLES / "current"}\n  title: "<img src=x onerror=alert(2)> change"\n'
        'add:\n  zones:\n    - {id: evil, name: "<script>alert(1)</script>", kind: office, status: new}\n',
        encoding="utf-8",
    )
    return change


def test_user_text_is_escaped(tmp_path: Path, catalog: Catalog) -> None:
    loaded = load_model_with_sources(_hostile_change(tmp_path))
    assert loaded.base is not None
    page = render_review_html(build_review_view(review_versions(loaded.base, loaded, catalog), "en"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in _section(page, "zoning")
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page


def test_cli_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "case-1.html"
    result = runner.invoke(
        app,
        [
            "review",
            str(EXAMPLES / "current"),
            str(EXAMPLES / "case-1-first-added.yaml"),
            "--format",
            "html",
            "--out",
            str(out),
            "--lang",
            "ja",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    page = out.read_text(encoding="utf-8")
    assert '<html lang="ja">' in page and page.count("<svg") == 2 and "ZONE-MIXED-CONTROL@oa" in page


def test_cli_change_file_alone_as_html(tmp_path: Path) -> None:
    out = tmp_path / "hostile.html"
    result = runner.invoke(app, ["review", str(_hostile_change(tmp_path)), "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out.read_text(encoding="utf-8")


def test_cli_refuses_html_without_out() -> None:
    result = runner.invoke(app, ["review", str(EXAMPLES / "case-1-first-added.yaml"), "--format", "html"])
    assert result.exit_code == 2
    assert "--format html needs --out" in result.output
    assert "<html" not in result.output and "Traceback" not in result.output


def test_cli_names_html_among_the_formats() -> None:
    result = runner.invoke(app, ["review", str(EXAMPLES / "case-1-first-added.yaml"), "--format", "pdf"])
    assert result.exit_code == 2
    assert "'text', 'json' or 'html'" in result.output


def test_finding_ids_link_to_the_finding_changes_listed_on_the_page(page_en: str, case_one: ReviewedChange) -> None:
    cad = re.search(r'id="element-asset-cad".*?</li>', _section(page_en, "elements"), re.DOTALL)
    assert cad and '<a href="#change-ZONE-MIXED-CONTROL@oa"><code>ZONE-MIXED-CONTROL@oa</code></a>' in cad.group(0)
    assert 'id="change-ZONE-MIXED-CONTROL@oa"' in _section(page_en, "zoning")
    targets = set(re.findall(r'href="#(change-[^"]+)"', page_en))
    ids = set(re.findall(r' id="([^"]+)"', page_en))
    assert targets and targets <= ids
    listed = {f.id for f in (*case_one.review.threats, *case_one.review.zoning.findings)}
    unchanged = sorted({f for e in case_one.review.elements for f in e.findings} - listed)
    assert unchanged, "case (i) links elements to findings that did not change"
    assert (
        f"<code>{html.escape(unchanged[0])}</code>" in page_en
        and f'href="#change-{html.escape(unchanged[0])}"' not in page_en
    )


def test_no_change_says_so_and_highlights_nothing(catalog: Catalog) -> None:
    same = load_model_with_sources(EXAMPLES / "current")
    page = render_review_html(build_review_view(review_versions(same, same, catalog), "en"))
    assert 'id="no-change"' in page and "No change" in page
    assert page.count("<svg") == 2
    assert HIGHLIGHT_COLOUR not in page.split('<section id="diagrams">', 1)[1].split("</section>", 1)[0]


def test_cli_refuses_a_folder_as_out(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["review", str(EXAMPLES / "case-1-first-added.yaml"), "--format", "html", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "is a folder" in result.output and "Traceback" not in result.output
