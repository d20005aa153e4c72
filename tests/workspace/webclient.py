"""A small HTTP client for tests against a running server (serve, gunicorn): cookies, CSRF, and the first form of a page."""

from __future__ import annotations

import http.cookiejar
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser


class FirstForm(HTMLParser):
    """The fields of the first ``<form method="post">`` of a page, as a browser would submit them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._in_form = self._done = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self._done:
            return
        if tag == "form" and a.get("method") == "post":
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name", "")
        if tag == "input" and name and (a.get("type") != "checkbox" or "checked" in a):
            self.fields[name] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "select":
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def first_form(page: str) -> dict[str, str]:
    """The first post form of the page's main part (after the header's language and log-out forms)."""
    parser = FirstForm()
    parser.feed(page[page.find("<main>") :])
    return parser.fields


class Session:
    """Cookies kept between requests; ``post`` sends the CSRF cookie's token and a same-origin Referer, as a browser does."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        page: bytes = self.opener.open(self.base + path, timeout=60).read()
        return page.decode()

    def post(self, path: str, fields: dict[str, str], headers: dict[str, str] | None = None) -> tuple[int, str, str]:
        token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Referer": self.base + path, **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, path, error.read().decode()

    def login(self, username: str, password: str) -> str:
        self.get("/login/")
        status, _, page = self.post("/login/", {"username": username, "password": password})
        assert status == 200, page
        return page

    def wait_for_job(self, job_url: str, seconds: float = 120) -> str:
        """Poll a job's page (as its htmx fragment does) until the worker has finished it."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            page = self.get(job_url)
            if 'data-status="done"' in page or 'data-status="failed"' in page:
                return page
            time.sleep(0.5)
        raise AssertionError(f"{job_url} not finished in {seconds} s")
