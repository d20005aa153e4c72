"""report.html and its pages in a real headless Chromium: they render, the summary opens quickly at any plant size, its
links lead to pages that exist, and the console stays silent.

Chromium and chromedriver come from Debian (``bash scripts/setup.sh --test``). Without them these tests fail, they do
not skip. The load times asserted here are generous sanity bounds; benchmarks/bench_report_page.py prints the real figures.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

import pytest

from factorysec.analysis import Assessment
from factorysec.catalog import Catalog
from factorysec.model import LoadedModel
from factorysec.report.html import TOP_ZONES, write_html_report

CHROMIUM = Path("/usr/bin/chromium")
WIDTH, HEIGHT = 1280, 2000
Annex = Callable[[str], tuple[LoadedModel, Assessment]]


def _chromium() -> str:
    found = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    if not found:
        pytest.fail("Chromium is not installed: run 'bash scripts/setup.sh --test' (installs Debian's chromium)")
    return found


def run_chromium(page: Path, profile: Path, *mode: str) -> subprocess.CompletedProcess[str]:
    """Open a local page headless with no network services; console messages go to stderr."""
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        *mode,
        page.resolve().as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def console_messages(stderr: str) -> list[str]:
    """Every line where the page wrote to the console (errors, uncaught exceptions, CSP violations, logs)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def png_facts(path: Path) -> tuple[int, int, int]:
    """Width, height and the number of distinct byte values in the image data of a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        if kind == b"IDAT":
            chunks.append(data[offset + 8 : offset + 8 + length])
        offset += 12 + length
    pixels = zlib.decompress(b"".join(chunks))
    return width, height, len(set(pixels))


@pytest.fixture
def report(annex: Annex, catalog: Catalog, tmp_path: Path) -> Callable[[str, str], Path]:
    def write(example: str, lang: str) -> Path:
        loaded, assessment = annex(example)
        return write_html_report(loaded, assessment, tmp_path / f"out-{lang}", lang, catalog)[0]

    return write


def test_screenshot_is_a_non_trivial_png(report: Callable[[str, str], Path], tmp_path: Path) -> None:
    page = report("all-cases-reviewed.yaml", "en")
    shot = tmp_path / "report.png"
    result = run_chromium(page, tmp_path / "profile", f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}")
    assert shot.exists(), result.stderr[-2000:]
    width, height, distinct = png_facts(shot)
    assert (width, height) == (WIDTH, HEIGHT)
    assert shot.stat().st_size > 50_000
    assert distinct > 100, "the screenshot is (almost) blank"
    assert console_messages(result.stderr) == []


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_page_renders_diagram_and_sections_without_console_errors(
    report: Callable[[str, str], Path], tmp_path: Path, annex: Annex, lang: str
) -> None:
    page = report("case-2-after-review.yaml", lang)
    result = run_chromium(page, tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert console_messages(result.stderr) == []
    assert 'data-report-ready="true"' in dom, "the page's script did not run"
    assert f'<html lang="{lang}"' in dom
    assert re.search(r'<div class="diagram"><svg[^>]*>', dom)
    for section in ("summary", "actions", "charts", "top", "step-3-status", "diagram", "pages"):
        assert f'id="{section}"' in dom
    loaded, _ = annex("case-2-after-review.yaml")
    for zone in loaded.model.zones:
        assert f'href="zones/{zone.id}.html"' in dom and f'id="dz-{zone.id}"' in dom
    zone_page = page.parent / "zones" / f"{loaded.model.zones[0].id}.html"
    zone_result = run_chromium(zone_page, tmp_path / "profile-zone", "--dump-dom")
    assert console_messages(zone_result.stderr) == []
    assert 'data-report-ready="true"' in zone_result.stdout and 'id="findings"' in zone_result.stdout


def test_hostile_names_stay_text_in_the_browser(
    synthetic: Callable[..., tuple[LoadedModel, Assessment]], catalog: Catalog, tmp_path: Path
) -> None:
    loaded, assessment = synthetic(4, name='<script>console.error("xss")</script><img src=x onerror=alert(1)>')
    page = write_html_report(loaded, assessment, tmp_path / "out", "en", catalog)[0]
    result = run_chromium(page, tmp_path / "profile", "--dump-dom")
    assert console_messages(result.stderr) == []
    assert "&lt;script&gt;console.error" in result.stdout
    assert '<img src="x"' not in result.stdout


def test_console_errors_are_detected(tmp_path: Path) -> None:
    """The check above can fail: a page that throws and loads from the network is caught."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'\"></head>"
        '<body><img src="http://example.invalid/x.png"><script>missing();</script></body></html>',
        encoding="utf-8",
    )
    messages = console_messages(run_chromium(page, tmp_path / "profile", "--dump-dom").stderr)
    assert any("Uncaught ReferenceError" in m for m in messages)
    assert any("Content Security Policy" in m for m in messages)


@contextmanager
def selenium_chromium(*arguments: str, console: bool = False) -> Iterator[Any]:
    """Debian's headless Chromium driven by Selenium through Debian's chromedriver (``arguments`` added to its
    command line; with ``console``, the browser console's messages are kept for ``get_log``)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    driver_path = shutil.which("chromedriver")
    if driver_path is None:
        pytest.fail(
            "chromedriver is not installed: run 'bash scripts/setup.sh --test' (installs Debian's chromium-driver)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = _chromium()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", *arguments):
        options.add_argument(argument)
    if console:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """The browser, keeping the console's messages."""
    with selenium_chromium(f"--window-size={WIDTH},1400", console=True) as driver:
        yield driver


def open_page(browser: Any, page: Path) -> float:
    """Open a local page and return the milliseconds until its load event ended (the browser's own navigation timing)."""
    browser.get(page.resolve().as_uri())
    timing = browser.execute_script(
        "const n = performance.getEntriesByType('navigation')[0]; return n ? n.loadEventEnd : null;"
    )
    assert timing is not None and timing > 0
    return float(timing)


LOAD_BOUND_MS = 10_000
"""A sanity bound only (the machine running the tests may be busy): the summary's target is under 2 s, measured by
benchmarks/bench_report_page.py."""


@pytest.mark.parametrize("zones", [8, 80, 2000])
def test_summary_opens_fast_links_resolve_and_the_console_stays_silent(
    browser: Any, synthetic: Callable[..., tuple[LoadedModel, Assessment]], catalog: Catalog, tmp_path: Path, zones: int
) -> None:
    from selenium.webdriver.common.by import By

    loaded, assessment = synthetic(zones)
    out = tmp_path / "report"
    write_html_report(loaded, assessment, out, "en", catalog)
    browser.get_log("browser")  # drop what earlier pages left
    elapsed = open_page(browser, out / "report.html")
    assert elapsed < LOAD_BOUND_MS, f"{zones} zones: the summary took {elapsed:.0f} ms to load"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("data-report-ready") == "true"
    actions = browser.find_elements(By.CSS_SELECTOR, "#actions li.action")
    assert [a.get_attribute("data-action") for a in actions] == [a.id for a in assessment.actions]
    assert browser.find_elements(By.CSS_SELECTOR, "#risk-matrix .hm-cell")
    top_zones = browser.find_elements(By.CSS_SELECTOR, "[data-top-zone]")
    assert 0 < len(top_zones) <= TOP_ZONES
    assert len(browser.find_elements(By.CSS_SELECTOR, "#zone-axes .za-cell")) == 7 * len(top_zones)
    assert browser.find_elements(By.CSS_SELECTOR, "#step3-progress .pr-row")
    here = browser.current_url
    hrefs = {urljoin(here, a.get_dom_attribute("href")) for a in browser.find_elements(By.CSS_SELECTOR, "a[href]")}
    zone_links = sorted(h for h in hrefs if "/zones/" in h and h.split("#")[0].endswith(".html"))
    assert zone_links, "the summary links to zone pages"
    for href in hrefs:
        assert href.startswith("file://"), href
        assert Path(unquote(urlparse(href).path)).is_file(), f"{href} leads nowhere"
    assert browser.get_log("browser") == []
    shot = tmp_path / f"summary-{zones}.png"
    browser.save_screenshot(str(shot))
    width, _, distinct = png_facts(shot)
    assert width == WIDTH and distinct > 100
    zone_elapsed = open_page(browser, Path(unquote(urlparse(zone_links[0]).path)))
    assert zone_elapsed < LOAD_BOUND_MS
    assert browser.find_elements(By.CSS_SELECTOR, "article.zone")
    assert browser.get_log("browser") == []
