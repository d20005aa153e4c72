"""Summary page benchmark: how long ``report.html`` (and one zone page) takes to open in headless Chromium, per plant size.

For each size it writes the HTML pages of ``factorysec report`` (``write_html_report``:
``report.html``, the step and purpose pages, ``zones/<zone id>.html``) for

- the synthetic tiered plants of the tests (``tests/report/conftest.py``) with 8, 80 and 2,000 zones, and
- the ``plant`` company models of ``bench_analysis.py`` (10k assets by default; 100k with ``--assets 100000``),

then opens the summary and the largest zone page in Debian's headless Chromium through Selenium and prints the
browser's own navigation timing (``loadEventEnd``, milliseconds from navigation start), the page sizes, and the time
to write the pages. Issue #20 item 3's target: the summary opens in under 2 s at any model size (the old single page
took 68 s at 10k assets and never opened at 100k).

    .venv/bin/python benchmarks/bench_report_page.py
    .venv/bin/python benchmarks/bench_report_page.py --assets 10000 100000
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGET_MS = 2000.0
ZONE_COUNTS = (8, 80, 2000)


def _browser() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1400",
    ):
        options.add_argument(argument)
    return webdriver.Chrome(
        service=Service(executable_path=shutil.which("chromedriver") or "chromedriver"), options=options
    )


def _load_ms(browser: Any, page: Path) -> float:
    browser.get(page.resolve().as_uri())
    timing = browser.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd;")
    return float(timing)


def measure(name: str, loaded: Any, assessment: Any, out: Path, browser: Any) -> dict[str, Any]:
    from factorysec.catalog import load_catalog
    from factorysec.report.html import write_html_report

    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    written = write_html_report(loaded, assessment, out, "en", load_catalog())
    write_s = time.perf_counter() - start
    summary = out / "report.html"
    zone_pages = sorted(
        (p for p in written if p.parent.name == "zones" and p.suffix == ".html"), key=lambda p: -p.stat().st_size
    )
    _load_ms(browser, summary)  # warm the browser's caches once
    summary_ms = min(_load_ms(browser, summary) for _ in range(3))
    zone_ms = min(_load_ms(browser, zone_pages[0]) for _ in range(2)) if zone_pages else 0.0
    return {
        "name": name,
        "zones": len(loaded.model.zones),
        "write_s": write_s,
        "summary_kb": summary.stat().st_size / 1024,
        "summary_ms": summary_ms,
        "zone_kb": zone_pages[0].stat().st_size / 1024 if zone_pages else 0.0,
        "zone_ms": zone_ms,
        "total_mb": sum(p.stat().st_size for p in written) / 1e6,
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, nargs="*", default=[10_000], help="plant model sizes (assets)")
    args = parser.parse_args(argv)

    import bench_analysis

    from factorysec.analysis import analyze
    from factorysec.catalog import load_catalog
    from factorysec.model import LoadedModel, load_model_with_sources
    from factorysec.model.sources import SourceMap
    from factorysec.perf import paused_gc
    from tests.report.conftest import synthetic_model

    catalog = load_catalog()
    rows = []
    browser = _browser()
    try:
        with tempfile.TemporaryDirectory(prefix="factorysec-page-bench-") as scratch:
            folder = Path(scratch)
            for zones in ZONE_COUNTS:
                model = synthetic_model(zones)
                loaded = LoadedModel(model, SourceMap({}, {}, {}))
                rows.append(
                    measure(
                        f"synthetic, {zones:,} zones", loaded, analyze(model, catalog), folder / f"s{zones}", browser
                    )
                )
            for assets in args.assets:
                source = folder / f"plant-{assets}"
                bench_analysis.generate(source, assets, topology="plant")
                with paused_gc():
                    loaded = load_model_with_sources(source)
                rows.append(
                    measure(
                        f"plant, {assets:,} assets",
                        loaded,
                        analyze(loaded.model, catalog),
                        folder / f"p{assets}",
                        browser,
                    )
                )
    finally:
        browser.quit()
    print(
        f"{'model':<26}{'zones':>7}{'write s':>9}{'summary KB':>12}{'summary ms':>12}{'zone page KB':>14}{'zone ms':>9}{'all MB':>8}"
    )
    for row in rows:
        print(
            f"{row['name']:<26}{row['zones']:>7,}{row['write_s']:>9.1f}{row['summary_kb']:>12.0f}{row['summary_ms']:>12.0f}"
            f"{row['zone_kb']:>14.0f}{row['zone_ms']:>9.0f}{row['total_mb']:>8.1f}"
        )
    worst = max(row["summary_ms"] for row in rows)
    print(
        f"\nsummary opens in under {TARGET_MS:.0f} ms at every size: {'met' if worst < TARGET_MS else 'NOT met'} (slowest {worst:.0f} ms)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
