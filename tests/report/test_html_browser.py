"""report.html in a real headless Chromium: it renders, the diagram and sections are there, and the console stays silent.

Chromium comes from Debian (``bash scripts/setup.sh --test``). Without it these tests fail, they do not skip.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from factorysec.analysis import Assessment
from factorysec.catalog import Catalog
from factorysec.model import LoadedModel
from factorysec.report.html import write_html_report

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
    for section in ("summary", "diagram", "step-1", "step-2", "step-3", "zones"):
        assert f'id="{section}"' in dom
    loaded, _ = annex("case-2-after-review.yaml")
    for zone in loaded.model.zones:
        assert f'id="zone-{zone.id}"' in dom and f'id="dz-{zone.id}"' in dom


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
