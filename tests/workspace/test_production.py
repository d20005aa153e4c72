"""The production run as docs/workspace.md documents it: PostgreSQL, ``serve --prepare-only``, ``collectstatic``, gunicorn with two
worker processes and a task worker; a person logs in and edits an asset, and later pages (either gunicorn worker) show it;
an analysis runs on the task worker.

Starts its own throw-away PostgreSQL cluster (Debian's ``postgresql``); skipped only where PostgreSQL is not installed.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.workspace.conftest import ROOT
from tests.workspace.webclient import Session, first_form

BINDIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
pytestmark = pytest.mark.skipif(
    not BINDIRS or not os.access(f"{BINDIRS[-1]}/initdb", os.X_OK),
    reason="PostgreSQL is not installed (Debian package 'postgresql')",
)
VENV_BIN = Path(sys.executable).parent


@pytest.fixture
def postgres() -> Iterator[dict[str, str]]:
    """A throw-away cluster on a unix socket in a temporary folder (owned by 'postgres' when the tests run as root)."""
    bindir = BINDIRS[-1]
    folder = tempfile.mkdtemp(prefix="factorysec-prod-pg-")
    as_owner: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    data = f"{folder}/data"
    subprocess.run(
        [*as_owner, f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_owner,
            f"{bindir}/pg_ctl",
            "-D",
            data,
            "-l",
            f"{folder}/log",
            "-w",
            "-o",
            f"-k {folder} -c listen_addresses=''",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            [*as_owner, f"{bindir}/createdb", "-h", folder, "-U", "postgres", "factorysec"],
            check=True,
            capture_output=True,
        )
        yield {
            "FACTORYSEC_DB": "postgresql",
            "FACTORYSEC_PG_HOST": folder,
            "FACTORYSEC_PG_USER": "postgres",
            "FACTORYSEC_PG_NAME": "factorysec",
        }
    finally:
        subprocess.run([*as_owner, f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"exited with {process.returncode}: {process.stderr.read() if process.stderr else ''}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {seconds} s")


def test_gunicorn_with_two_workers_on_postgresql_login_and_edit(postgres: dict[str, str], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACTORYSEC_", "DJANGO_"))}
    env |= postgres | {
        "DJANGO_SETTINGS_MODULE": "factorysec.workspace.settings",
        "FACTORYSEC_SECRET_KEY": "production-test-secret-key-" + "x" * 40,
        "FACTORYSEC_STATIC_ROOT": str(tmp_path / "static"),
        "FACTORYSEC_STATIC_FROM_APPS": "0",
    }
    prepared = subprocess.run(
        [str(VENV_BIN / "factorysec"), "serve", "--prepare-only"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert prepared.returncode == 0, prepared.stderr
    password = re.search(r"created administrator 'admin' with password: (\S+)", prepared.stdout)
    assert password is not None, prepared.stdout
    subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "-v", "0"], env=env, check=True, timeout=120
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "factorysec.workspace.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "django", "db_worker", "--interval", "0.5", "--no-startup-delay"],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(f"http://127.0.0.1:{port}/health", server)
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/health/").read() == b'{"status": "ok"}'
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/static/django_htmx/htmx-2.min.js").status == 200
        session = Session(f"http://127.0.0.1:{port}")
        assert "Annex A example factory" in session.login("admin", password.group(1))
        url = "/f/annex-a-factory/s/assets/e/agv-control-pc/"
        form = first_form(session.get(url))
        assert form.get("zone"), form
        status, _, page = session.post(url, form | {"description": "edited under gunicorn"})
        assert status == 200 and "edited under gunicorn" in page
        form = first_form(session.get(url))  # the form names the version it was read at: read it again after the save
        refused, _, page = session.post(url, form | {"zone": "no-such-zone"})
        assert refused == 422 and "no-such-zone" in page
        for _ in range(6):  # new connections, taken by either worker process: each reads the edit from PostgreSQL
            assert "edited under gunicorn" in session.get(url)
        status, job_url, _ = session.post("/f/annex-a-factory/analysis/", {})
        assert status == 200 and 'data-status="done"' in session.wait_for_job(job_url.split(str(port), 1)[1])
    finally:
        worker.terminate()
        server.terminate()
        worker.wait(timeout=20)
        _, errors = server.communicate(timeout=30)
    booted = set(re.findall(r"Booting worker with pid: (\d+)", errors))
    assert len(booted) == 2, errors
