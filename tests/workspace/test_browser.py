"""A real browser (Debian's headless Chromium) on a page of the running app: it renders, and htmx runs from the app's own static file."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (scripts/setup.sh --test installs it)")
def test_login_page_in_headless_chromium_runs_htmx_without_internet(live_server: Any) -> None:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="factorysec-chromium-") as profile:
        shot = Path(profile) / "login.png"
        common = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}", "--proxy-server=127.0.0.1:9"]
        dom = subprocess.run([*common, "--virtual-time-budget=5000", "--dump-dom", f"{live_server.url}/login/"], capture_output=True, text=True, timeout=120)
        subprocess.run([*common, "--window-size=1000,700", f"--screenshot={shot}", f"{live_server.url}/login/"], capture_output=True, timeout=120)
        assert 'name="username"' in dom.stdout and 'name="password"' in dom.stdout
        assert ".htmx-indicator" in dom.stdout, "htmx did not run: its indicator style is missing"
        assert shot.stat().st_size > 5000
