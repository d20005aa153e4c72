"""Long names in the report's pages, measured in a real headless Chromium: a zone, asset, conduit and operation named by
one word of 130 characters and ids of the 128 the model allows wrap inside their cells and boxes; no page scrolls
sideways in a window 1280 or 800 wide (a table with a column per axis scrolls in its own box), with long names or
ordinary ones, and no ordinary word is broken to make room.

Chromium and chromedriver come from Debian (``bash scripts/setup.sh --test``), as for tests/report/test_html_browser.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factorysec.analysis import analyze
from factorysec.analysis.compare import compare_assessments
from factorysec.analysis.review import review_versions
from factorysec.catalog import Catalog
from factorysec.model import FactoryModel, LoadedModel
from factorysec.model.sources import SourceMap
from factorysec.report.compare_html import render_comparison_html
from factorysec.report.html import write_html_report
from factorysec.report.review_html import write_review_html
from tests.report.test_html_browser import selenium_chromium

WIDTHS = (1280, 800)


def small_model(long: bool) -> FactoryModel:
    """Two zones, three assets, a conduit and an operation; with ``long``, the office zone, the data it holds, the
    conduit and the operation have names of one 130-character word and ids of 128 characters."""

    def name(short: str, prefix: str) -> str:
        return (prefix + "X" * 130)[:130] if long else short

    def ident(short: str) -> str:
        return (short + "-" + "a" * 128)[:128] if long else short

    office, data, link = ident("office"), ident("plan"), ident("office-to-line")
    return FactoryModel.model_validate(
        {
            "factory": {"id": "layout", "name": "Layout factory"},
            "operations": [
                {"id": "op", "name": name("Production planning", "ProductionPlanning"), "importance": "high"}
            ],
            "zones": [
                {"id": office, "name": name("Office zone", "OfficeZone"), "kind": "office", "operations": ["op"]},
                {"id": "line", "name": "Production line zone", "kind": "production"},
            ],
            "assets": [
                {"id": data, "name": name("Production plan", "ProductionPlan"), "type": "data", "zone": office},
                {"id": "pc", "name": "Planning PC", "type": "equipment", "zone": office, "operations": ["op"]},
                {"id": "plc", "name": "Line PLC", "type": "equipment", "zone": "line", "operations": ["op"]},
            ],
            "conduits": [
                {
                    "id": link,
                    "name": name("Plans to the line", "PlansToTheLine"),
                    "from": office,
                    "to": "line",
                    "data": [data],
                    "carries_control_instructions": True,
                }
            ],
        }
    )


def write_pages(catalog: Catalog, out: Path, long: bool) -> dict[str, Path]:
    """The report's HTML pages by their path in the folder, with the zone pages named by zone (not by id)."""
    model = small_model(long)
    write_html_report(LoadedModel(model, SourceMap({}, {}, {})), analyze(model, catalog), out, "en", catalog)
    zone_key = {zone.id: zone.kind.value for zone in model.zones}
    pages = {page.name: page for page in out.glob("*.html")}
    pages |= {f"zones/{zone_key[page.stem]}.html": page for page in (out / "zones").glob("*.html")}
    return pages


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with selenium_chromium() as driver:
        yield driver


@pytest.fixture(scope="module")
def scriptless_browser() -> Iterator[Any]:
    """The browser with JavaScript off, as a mail client's preview or a locked-down browser shows a page (the test's own
    measuring script still runs: WebDriver runs it outside the page's settings)."""
    with selenium_chromium("--blink-settings=scriptEnabled=false") as driver:
        yield driver


MEASURE = r"""
const boxes = 'td, th, li, p, dd, dt, h1, h2, h3, h4, pre, figcaption, .meta';
const overflowing = [];
for (const e of document.querySelectorAll(boxes)) {
  if (e.closest('svg, .diagram') || getComputedStyle(e).display.startsWith('inline')) continue;
  if (e.scrollWidth > e.clientWidth + 1) overflowing.push(e.tagName + ': ' + e.textContent.trim().slice(0, 60));
}
const broken = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  if (node.parentElement.closest('svg, script, style, .long, .url')) continue;
  for (const m of node.data.matchAll(/(?<![A-Za-z])[A-Za-z]{2,29}(?![A-Za-z])/g)) {
    const range = document.createRange();
    range.setStart(node, m.index);
    range.setEnd(node, m.index + m[0].length);
    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    if (lines.size > 1) broken.push(m[0]);
  }
}
return {width: document.documentElement.scrollWidth, view: window.innerWidth, overflowing, broken};
"""


def measure(browser: Any, page: Path, width: int, scripted: bool = True) -> dict[str, Any]:
    browser.set_window_size(width, 900)
    browser.get(page.resolve().as_uri())
    if scripted:
        assert browser.find_element("tag name", "html").get_attribute("data-report-ready") == "true"
    result: dict[str, Any] = browser.execute_script(MEASURE)
    return result


def test_long_names_wrap_in_their_boxes_and_widen_no_page(browser: Any, catalog: Catalog, tmp_path: Path) -> None:
    ordinary = write_pages(catalog, tmp_path / "ordinary", long=False)
    long = write_pages(catalog, tmp_path / "long", long=True)
    assert ordinary.keys() == long.keys() and "zones/office.html" in long
    problems = []
    for name, page in sorted(long.items()):
        for width in WIDTHS:
            seen, twin = measure(browser, page, width), measure(browser, ordinary[name], width)
            if twin["width"] > twin["view"]:
                problems.append(f"{name} at {width}: scrolls sideways with ordinary names ({twin['width']} px)")
            if seen["width"] > seen["view"]:
                problems.append(f"{name} at {width}: {seen['width']} px wide, {twin['width']} with ordinary names")
            problems += [f"{name} at {width}: text wider than its box: {e}" for e in seen["overflowing"]]
            problems += [f"{name} at {width}: ordinary word broken: {w}" for w in seen["broken"] + twin["broken"]]
    assert problems == []


def test_long_names_wrap_without_javascript(scriptless_browser: Any, catalog: Catalog, tmp_path: Path) -> None:
    """The long words of the pages' tables are marked when the pages are written, not by their script: with JavaScript
    off, the report's pages and the review page with 130-character names and 128-character ids stay in a 1280 or 800
    window (before, the Step 2 page was 2354 px wide and the zone pages 2401 and 3537 at 1280), no text runs out of its
    box and no ordinary word is broken."""
    pages = write_pages(catalog, tmp_path / "long", long=True)
    ordinary, long = (LoadedModel(small_model(kind), SourceMap({}, {}, {})) for kind in (False, True))
    pages["review.html"] = write_review_html(review_versions(ordinary, long, catalog), tmp_path / "review.html")
    problems = []
    for name, page in sorted(pages.items()):
        for width in WIDTHS:
            seen = measure(scriptless_browser, page, width, scripted=False)
            ready = scriptless_browser.find_element("tag name", "html").get_attribute("data-report-ready")
            assert ready is None, "the page's script ran: JavaScript is not off"
            if seen["width"] > seen["view"]:
                problems.append(f"{name} at {width}: {seen['width']} px wide")
            problems += [f"{name} at {width}: text wider than its box: {e}" for e in seen["overflowing"]]
            problems += [f"{name} at {width}: ordinary word broken: {w}" for w in seen["broken"]]
    assert problems == []


def test_compare_page_wraps_long_ids(browser: Any, catalog: Catalog, tmp_path: Path) -> None:
    """'compare --format html' (its own style, no script): the findings on a conduit with a 128-character id are new or
    resolved, each row naming the id twice: the page stays in the window and its ordinary words whole."""
    ordinary, long = (analyze(small_model(kind), catalog) for kind in (False, True))
    page = tmp_path / "compare.html"
    page.write_text(render_comparison_html(compare_assessments(ordinary, long, catalog.maturity_levels), "en"), "utf-8")
    assert "office-to-line-" + "a" * 100 in page.read_text("utf-8")
    for width in WIDTHS:
        seen = measure(browser, page, width, scripted=False)
        assert seen["width"] <= seen["view"], f"at {width}: {seen['width']} px wide"
        assert seen["overflowing"] == [] and seen["broken"] == []


def test_review_page_wraps_long_names(browser: Any, catalog: Catalog, tmp_path: Path) -> None:
    """'review --format html' from the ordinary names to the long ones: every element is removed and added again, its
    id and name in the list of changes and in the tables; the page stays in a 1280 or 800 window (its tables scroll in
    their own boxes), no text runs out of its box and no ordinary word is broken."""
    ordinary, long = (LoadedModel(small_model(kind), SourceMap({}, {}, {})) for kind in (False, True))
    page = write_review_html(review_versions(ordinary, long, catalog), tmp_path / "review.html")
    assert "office-to-line-" + "a" * 100 in page.read_text("utf-8")
    for width in WIDTHS:
        seen = measure(browser, page, width)
        assert seen["width"] <= seen["view"], f"at {width}: {seen['width']} px wide"
        assert seen["overflowing"] == [] and seen["broken"] == []
