"""A real browser (Debian's headless Chromium, driven by Selenium through Debian's chromedriver) on the running app.

Nothing is downloaded at run time: Selenium is given the system browser and driver,
and Chromium is pointed at a dead proxy so that any request off this machine fails.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from factorysec.model import load_model
from factorysec.workspace.accounts.models import Role
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.factories.store import factory_model, import_model
from tests.workspace.conftest import ANNEX_A, PASSWORD, make_member

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
needs_browser = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="Debian's chromium and chromium-driver are not installed (scripts/setup.sh --test installs them)",
)
MODEL = load_model(ANNEX_A)


@needs_browser
def test_login_page_in_headless_chromium_runs_htmx_without_internet(live_server: Any) -> None:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="factorysec-chromium-") as profile:
        shot = Path(profile) / "login.png"
        common = [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={profile}",
            "--proxy-server=127.0.0.1:9",
        ]
        dom = subprocess.run(
            [*common, "--virtual-time-budget=5000", "--dump-dom", f"{live_server.url}/login/"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        subprocess.run(
            [*common, "--window-size=1000,700", f"--screenshot={shot}", f"{live_server.url}/login/"],
            capture_output=True,
            timeout=120,
        )
        assert 'name="username"' in dom.stdout and 'name="password"' in dom.stdout
        assert ".htmx-indicator" in dom.stdout, "htmx did not run: its indicator style is missing"
        assert shot.stat().st_size > 5000


@pytest.fixture
def factory(transactional_db: None) -> Factory:
    made = Factory.objects.create(slug="annex-a-factory", name="Annex A example factory")
    import_model(made, MODEL, None, "test load")
    return made


@pytest.fixture
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1200,900",
        "--proxy-server=127.0.0.1:9",
        "--lang=en",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(30)
    try:
        yield driver
    finally:
        driver.quit()


def _log_in(browser: Any, base: str, username: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{base}/login/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    # The click returns before the login's answer arrives: a page opened now could go out without the session cookie
    # and land on the login form again. Wait until the browser has left the login page.
    WebDriverWait(browser, 30).until(lambda driver: "/login/" not in driver.current_url)


@needs_browser
def test_first_login_shows_the_factory(browser: Any, live_server: Any, factory: Factory) -> None:
    from selenium.webdriver.common.by import By

    User.objects.create_superuser("admin", "", PASSWORD)
    browser.get(f"{live_server.url}/f/annex-a-factory/")
    assert "/login/" in browser.current_url
    _log_in(browser, live_server.url, "admin")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Annex A example factory"
    assert browser.current_url.endswith("/f/annex-a-factory/")


@needs_browser
def test_an_asset_with_a_wrong_zone_is_refused_on_the_field(browser: Any, live_server: Any, factory: Factory) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.ui import WebDriverWait

    User.objects.create_superuser("admin", "", PASSWORD)
    _log_in(browser, live_server.url, "admin")
    asset = MODEL.assets[0]
    browser.get(f"{live_server.url}/f/annex-a-factory/s/assets/e/{asset.id}/")
    zone = browser.find_element(By.ID, "id_zone")
    zone.clear()
    zone.send_keys("no-such-zone")
    submit = browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]")
    submit.click()
    WebDriverWait(browser, 30).until(staleness_of(submit))  # the answer has replaced the page the form was on
    field = browser.find_element(By.ID, "field-zone")
    assert "has-error" in field.get_attribute("class")
    assert "no-such-zone" in field.find_element(By.CLASS_NAME, "errorlist").text
    assert next(a for a in factory_model(factory).assets if a.id == asset.id).zone == asset.zone


@needs_browser
def test_a_vendor_does_not_see_another_partys_assets(browser: Any, live_server: Any, factory: Factory) -> None:
    from selenium.webdriver.common.by import By

    make_member(factory, Role.VENDOR, "line-vendor")
    _log_in(browser, live_server.url, "vendor-line-vendor")
    browser.get(f"{live_server.url}/f/annex-a-factory/s/assets/")
    listed = {link.text for link in browser.find_elements(By.CSS_SELECTOR, "main table a")}
    own = {a.id for a in MODEL.assets if "line-vendor" in (a.supplier, a.maintainer, a.managed_by)}
    other = next(a for a in MODEL.assets if a.id not in own)
    assert own <= listed and other.id not in listed
    browser.get(f"{live_server.url}/f/annex-a-factory/s/assets/e/{other.id}/")
    assert other.name not in browser.page_source
    browser.get(f"{live_server.url}/f/annex-a-factory/s/zones/")
    assert "does not allow" in browser.page_source


@needs_browser
def test_run_the_analysis_and_read_the_action_list_then_switch_to_japanese(
    browser: Any, live_server: Any, factory: Factory
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    User.objects.create_superuser("admin", "", PASSWORD)
    _log_in(browser, live_server.url, "admin")
    browser.get(f"{live_server.url}/f/annex-a-factory/analysis/")
    browser.find_element(By.ID, "run-analysis").click()
    browser.find_element(By.ID, "see-results").click()  # htmx put the finished job's fragment in place
    browser.find_element(By.ID, "action-list").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "#groups tbody tr")
    assert rows and all(row.find_element(By.CLASS_NAME, "count").text.isdigit() for row in rows)
    rows[0].find_element(By.TAG_NAME, "a").click()
    assert "finding" in browser.find_element(By.ID, "count").text
    Select(browser.find_element(By.NAME, "language")).select_by_value("ja")
    browser.find_element(By.XPATH, "//html[@lang='ja']")
    browser.get(f"{live_server.url}/f/annex-a-factory/analysis/")
    assert "分析を実行" in browser.find_element(By.ID, "run-analysis").text
