"""The whole story in real headless Chromium, driven over WebDriver (Debian's chromium-driver, spoken to with the standard library).

A DX engineer proposes Annex A case (ii) (remote maintenance of the automated
warehouse) by uploading its change file; the review asks IT/security,
production, the provider and the BCP owner; the provider answers its cloud
checklist in the portal and security accepts the answer; security asks for the
separate external-services zone; the DX engineer uploads the revised change;
everyone approves; the change is merged; the audit log verifies.
"""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.audit.log import verify_stored
from factorysec.workspace.changes.models import ChangeRequest, State
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.factories.store import factory_model
from tests.workspace.conftest import PASSWORD, ROOT, make_member

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
EXAMPLES = ROOT / "examples" / "annex-a"


class Browser:
    """Just enough of the W3C WebDriver protocol: open pages, find, type, click, read the page."""

    def __init__(self, port: int) -> None:
        self.port = port
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--proxy-server=127.0.0.1:9",
                    "--window-size=1200,900",
                ],
            },
        }
        self.session = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})["sessionId"]
        self._session("POST", "/timeouts", {"implicit": 20000, "pageLoad": 60000})

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        connection.request(
            method,
            path,
            json.dumps(body if body is not None else {}) if method == "POST" else None,
            {"Content-Type": "application/json"},
        )
        reply = json.loads(connection.getresponse().read())
        connection.close()
        value = reply.get("value")
        if isinstance(value, dict) and "error" in value:
            raise AssertionError(f"WebDriver {method} {path}: {value['error']}: {value.get('message', '')[:300]}")
        return value

    def _session(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self._call(method, f"/session/{self.session}{path}", body)

    def go(self, url: str) -> None:
        self._session("POST", "/url", {"url": url})

    def find(self, css: str, within: str | None = None) -> str:
        where = f"/element/{within}/element" if within else "/element"
        found = self._session("POST", where, {"using": "css selector", "value": css})
        assert isinstance(found, dict) and (ELEMENT in found or "ELEMENT" in found), f"{css}: {found!r:.300}"
        return str(found.get(ELEMENT) or found["ELEMENT"])

    def type(self, css: str, text: str, within: str | None = None) -> None:
        self._session("POST", f"/element/{self.find(css, within)}/value", {"text": text})

    def click(self, css: str, within: str | None = None) -> None:
        self._session("POST", f"/element/{self.find(css, within)}/click")

    def choose(self, css: str, value: str, within: str | None = None) -> None:
        select = self.find(css, within)
        self._session(
            "POST", f"/element/{self.find(f'option[value={value!r}]'.replace(chr(39), chr(34)), select)}/click"
        )

    def source(self) -> str:
        return str(self._session("GET", "/source"))

    def wait_for(self, text: str, timeout: float = 90) -> str:
        """The page source once it shows ``text`` (a click that submits a form does not wait for the next page)."""
        deadline = time.time() + timeout
        while True:
            page = self.source()
            if text in page:
                return page
            if time.time() > deadline:
                raise AssertionError(f"the page never showed {text!r}: {page[-600:]}")
            time.sleep(0.3)

    def text(self, css: str) -> str:
        return str(self._session("GET", f"/element/{self.find(css)}/text"))

    def log_in(self, base: str, username: str) -> None:
        self._session("DELETE", "/cookie")
        self.go(f"{base}/login/")
        self.type("input[name=username]", username)
        self.type("input[name=password]", PASSWORD)
        self.click("form [type=submit]")
        self.find("form[action$='/logout/']")  # signed in: the header shows the log-out button

    def quit(self) -> None:
        self._call("DELETE", f"/session/{self.session}")


@pytest.fixture
def browser() -> Iterator[Browser]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert CHROMEDRIVER is not None
    driver = subprocess.Popen([CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        session = Browser(port)
        try:
            yield session
        finally:
            session.quit()
    finally:
        driver.terminate()
        driver.wait(timeout=30)


SPEAKERS = {
    "security": "security-it-staff",
    "it": "security-it-staff",
    "production-engineering": "production-staff",
    "factory-management": "management-staff",
}


def _sign_all(browser: Browser, base: str, change: ChangeRequest) -> None:
    change.refresh_from_db()
    for approver in change.approvers:
        who = (
            "vendor-remote-maintenance-provider"
            if approver["kind"] == "party"
            else SPEAKERS[approver["department_kind"]]
        )
        browser.log_in(base, who)
        browser.go(f"{base}/f/annex-a-factory/changes/{change.pk}/")
        row = browser.find(f'tr[data-approver="{approver["key"]}"]')
        browser.choose("select[name=verdict]", "approved", within=row)
        browser.click("button[type=submit]", within=row)
        browser.wait_for("Sign-off recorded.")


@pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None, reason="Debian's chromium and chromium-driver are not installed"
)
def test_case_ii_from_proposal_to_merge_in_a_real_browser(live_server: Any, browser: Browser) -> None:
    from factorysec.model import load_model
    from factorysec.workspace.factories.store import import_model

    factory = Factory.objects.create(slug="annex-a-factory", name="Annex A example factory")
    import_model(factory, load_model(EXAMPLES / "current"), None, "test load")
    for role, party in (
        (Role.DX, ""),
        (Role.SECURITY_IT, ""),
        (Role.PRODUCTION, ""),
        (Role.MANAGEMENT, ""),
        (Role.AUDIT, ""),
        (Role.VENDOR, "remote-maintenance-provider"),
    ):
        user = make_member(factory, role, party)
        user.set_password(PASSWORD)
        user.save()
    base = live_server.url

    browser.log_in(base, "dx-staff")
    browser.go(f"{base}/f/annex-a-factory/changes/")
    browser.type("#id_title", "Remote maintenance of the automated warehouse")
    browser.type("#id_change_file", str(EXAMPLES / "case-2-first-added.yaml"))
    browser.click("#propose button[type=submit]")
    page = browser.wait_for('data-approver="department:it-security"')
    change = ChangeRequest.objects.get()
    for approver in (
        "department:it-security",
        "department:production-engineering",
        "party:remote-maintenance-provider",
    ):
        assert f'data-approver="{approver}"' in page
    browser.go(f"{base}/f/annex-a-factory/changes/{change.pk}/review.html")
    assert "warehouse-to-remote-maintenance" in browser.wait_for("<svg")

    browser.log_in(base, "vendor-remote-maintenance-provider")
    browser.go(f"{base}/f/annex-a-factory/suppliers/")
    form = browser.find(f'section[id^="checklist-{change.pk}-remote-maintenance-service"] form.answer')
    browser.choose("select[name=answer]", "yes", within=form)
    browser.type("input[name=evidence]", "ISMS certificate and SOC 2 report", within=form)
    browser.click("button[type=submit]", within=form)
    browser.wait_for("Answer recorded")

    browser.log_in(base, "security-it-staff")
    browser.go(f"{base}/f/annex-a-factory/suppliers/")
    browser.click("td a")
    browser.choose("select[name=verdict]", "accepted")
    browser.click("main form button[type=submit]")
    browser.wait_for("Answer accepted.")
    browser.go(f"{base}/f/annex-a-factory/changes/{change.pk}/")
    row = browser.find('tr[data-approver="department:it-security"]')
    browser.choose("select[name=verdict]", "changes-requested", within=row)
    browser.type(
        "input[name=reason]", "put the service in its own external-services zone behind a VPN device", within=row
    )
    browser.click("button[type=submit]", within=row)
    browser.wait_for('id="state">Changes requested<')

    browser.log_in(base, "dx-staff")
    browser.go(f"{base}/f/annex-a-factory/changes/{change.pk}/")
    browser.type("#upload input[type=file]", str(EXAMPLES / "case-2-after-review.yaml"))
    browser.click("#upload button[type=submit]")
    browser.wait_for("elements changed in the draft")
    _sign_all(browser, base, change)

    browser.log_in(base, "dx-staff")
    browser.go(f"{base}/f/annex-a-factory/changes/{change.pk}/")
    browser.click("#merge")
    browser.wait_for('id="state">Merged<')
    model = factory_model(factory)
    assert "external-services" in {z.id for z in model.zones}
    assert [(a.subject, a.evidence) for a in model.checklist_answers if a.subject == "remote-maintenance-service"] == [
        ("remote-maintenance-service", "ISMS certificate and SOC 2 report")
    ]
    assert any(r.id == f"change-request-{change.pk}" for r in model.reviews)
    assert ChangeRequest.objects.get().state == State.MERGED

    browser.log_in(base, "audit-staff")
    browser.go(f"{base}/f/annex-a-factory/audit/")
    browser.wait_for("verifies.")
    assert verify_stored().intact
