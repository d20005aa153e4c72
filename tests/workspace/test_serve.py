"""``factorysec serve`` as a user runs it: a real process, a real SQLite file, a real socket on localhost."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.workspace.conftest import ROOT
from tests.workspace.webclient import Session

pytestmark = pytest.mark.skipif(
    os.environ.get("FACTORYSEC_DB", "sqlite") != "sqlite",
    reason="serve's own database is SQLite; the PostgreSQL run covers the store and pages",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(db: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACTORYSEC_", "DJANGO_"))}
    return subprocess.Popen(
        [sys.executable, "-m", "factorysec", "serve", "--db", str(db), "--port", str(port), *extra],
        cwd=db.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(url: str, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"serve exited with {process.returncode}: {process.stderr.read() if process.stderr else ''}"
            )
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {seconds} s")


def _stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    out, _ = process.communicate(timeout=20)
    return out


def test_serve_loads_the_example_creates_an_admin_and_serves_pages_and_static_files(tmp_path: Path) -> None:
    import http.cookiejar

    db = tmp_path / "workspace.sqlite3"
    port = _free_port()
    process = _start(db, port)
    try:
        _wait_for(f"http://127.0.0.1:{port}/health/", process)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login = opener.open(f"http://127.0.0.1:{port}/login/").read().decode()
        assert opener.open(f"http://127.0.0.1:{port}/static/django_htmx/htmx-2.min.js").status == 200
    finally:
        out = _stop(process)
    password = re.search(r"created administrator 'admin' with password: (\S+)", out)
    assert password is not None, out
    assert "loaded" in out and "annex-a-factory" in out
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
    assert token is not None
    assert db.is_file()
    assert db.with_name(db.name + ".secret-key").stat().st_mode & 0o077 == 0

    second = _start(db, port)
    try:
        _wait_for(f"http://127.0.0.1:{port}/health/", second)
        body = f"csrfmiddlewaretoken={token.group(1)}&username=admin&password={password.group(1)}".encode()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(f"http://127.0.0.1:{port}/login/").read().decode()
        fresh = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert fresh is not None
        body = f"csrfmiddlewaretoken={fresh.group(1)}&username=admin&password={urllib.parse.quote(password.group(1))}".encode()
        overview = (
            opener.open(
                urllib.request.Request(
                    f"http://127.0.0.1:{port}/login/", data=body, headers={"Referer": f"http://127.0.0.1:{port}/login/"}
                )
            )
            .read()
            .decode()
        )
        assert "Annex A example factory" in overview
        session = Session(f"http://127.0.0.1:{port}")
        session.login("admin", password.group(1))
        status, job_url, _ = session.post("/f/annex-a-factory/analysis/", {})
        assert status == 200 and "/jobs/" in job_url
        done = session.wait_for_job(
            urllib.parse.urlparse(job_url).path
        )  # only serve's own worker process can finish it
        assert 'data-status="done"' in done
        assert "finding" in session.get("/f/annex-a-factory/results/")
    finally:
        again = _stop(second)
    assert "password" not in again and "loaded" not in again


def _serve(tmp_path: Path, *arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factorysec", "serve", *arguments],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=env or {k: v for k, v in os.environ.items() if not k.startswith(("FACTORYSEC_", "DJANGO_"))},
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _migrated_without_a_factory(db: Path) -> None:
    """A workspace database migrated but holding no factory yet (``django migrate`` run on its own)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACTORYSEC_", "DJANGO_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "factorysec.workspace.settings",
        "FACTORYSEC_DB_PATH": str(db),
        "FACTORYSEC_SECRET_KEY": "test",
    }
    migrated = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--verbosity", "0"],
        cwd=db.parent,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert migrated.returncode == 0, migrated.stderr
    assert db.stat().st_size > 0


@pytest.mark.parametrize("database", ["new", "empty file", "migrated, no factory", "in use, write-ahead log open"])
def test_serve_with_an_invalid_model_exits_2_naming_the_file_and_touches_no_database(
    tmp_path: Path, database: str
) -> None:
    """The model is checked before the database is opened: a database file is neither made nor changed (nor a secret
    key kept beside it) for a model that is refused."""
    import sqlite3

    bad = tmp_path / "bad.yaml"
    bad.write_text("factory: {id: f, name: F}\nzones:\n  - {id: z, name: Z, kind: nowhere}\n", encoding="utf-8")
    db = tmp_path / "w.sqlite3"
    if database == "empty file":
        db.touch()
    elif database != "new":
        _migrated_without_a_factory(db)
    in_use = None
    if database == "in use, write-ahead log open":  # another process has it open: its last writes are in the log
        in_use = sqlite3.connect(db)
        assert in_use.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        with in_use:
            in_use.execute("INSERT INTO django_session VALUES ('key', 'data', '2030-01-01 00:00:00')")
        assert (tmp_path / "w.sqlite3-wal").stat().st_size > 4096
    before = _files(tmp_path)

    try:
        result = _serve(tmp_path, str(bad), "--db", str(db), "--port", str(_free_port()))
        after = _files(tmp_path)
    finally:
        if in_use is not None:
            in_use.close()

    assert result.returncode == 2
    assert "bad.yaml:3:" in result.stderr and "zones[0].kind" in result.stderr
    assert result.stderr.splitlines()[-1] == "1 problem found"
    assert "Traceback" not in result.stderr
    if in_use is not None:  # the shared-memory index is the open connection's (a reader marks what it read there)
        del before["w.sqlite3-shm"], after["w.sqlite3-shm"]
    assert after == before, "no database (or file beside it) made or changed"


def test_serve_reads_the_model_only_into_a_database_holding_no_factory(tmp_path: Path) -> None:
    """A database holding a factory keeps it: the model given is not read (as --help says), so serve starts as it did."""
    db = tmp_path / "w.sqlite3"
    assert _serve(tmp_path, "--db", str(db), "--prepare-only").returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("factory: {id: f, name: F}\nzones:\n  - {id: z, name: Z, kind: nowhere}\n", encoding="utf-8")
    again = _serve(tmp_path, str(bad), "--db", str(db), "--prepare-only")
    assert again.returncode == 0, again.stderr
    assert "loaded" not in again.stdout and "problem" not in again.stderr


def test_serve_warns_once_per_factory_whose_stored_model_this_version_refuses_and_starts(tmp_path: Path) -> None:
    """A database an older, less strict version wrote (a trait listed twice, written straight into the row): serve
    names the factory, the number of problems and the first one, then serves as usual (the fix is in the workspace)."""
    import json
    import sqlite3

    from factorysec.workspace.factories.models import Element

    db = tmp_path / "workspace.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACTORYSEC_", "DJANGO_"))}
    prepared = subprocess.run(
        [sys.executable, "-m", "factorysec", "serve", "--db", str(db), "--prepare-only"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert prepared.returncode == 0, prepared.stderr
    assert "warning" not in prepared.stderr
    table = Element._meta.db_table
    with sqlite3.connect(db) as connection:
        ((pk, payload),) = connection.execute(
            f'SELECT "id", "payload" FROM "{table}" WHERE "section" = ? AND "key" = ?', ("assets", "scada")
        ).fetchall()
        stored = json.loads(payload)
        stored["traits"] = ["general-purpose", "general-purpose"]
        connection.execute(f'UPDATE "{table}" SET "payload" = ? WHERE "id" = ?', (json.dumps(stored), pk))
    connection.close()
    port = _free_port()
    process = _start(db, port, "--no-worker")
    try:
        _wait_for(f"http://127.0.0.1:{port}/health/", process)
    finally:
        process.terminate()
        _, err = process.communicate(timeout=20)
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: factory 'annex-a-factory': its stored model does not pass this version's check (1 problem; first: "
        "assets/scada: traits[1]: 'general-purpose' is listed twice (list each value once: remove this one)); pages "
        "that need the whole model answer 409 until the elements are corrected in the workspace"
    ], err
    assert "Traceback" not in err


def test_bundled_example_is_where_serve_looks() -> None:
    from factorysec.workspace.bootstrap import BUNDLED_EXAMPLE

    assert BUNDLED_EXAMPLE == ROOT / "examples" / "annex-a" / "current"


def test_serve_listens_with_a_backlog_for_fifty_people_connecting_at_once() -> None:
    """With Django's backlog of 10, the eleventh and later connections of a burst wait a second or more for a retry."""
    from django.core.servers.basehttp import WSGIRequestHandler

    from factorysec.workspace.server import WorkspaceServer

    server = WorkspaceServer(("127.0.0.1", 0), WSGIRequestHandler)  # listening, accepting nothing: the backlog fills
    host, port = server.server_address[:2]
    assert isinstance(host, str) and isinstance(port, int)
    clients: list[socket.socket] = []
    try:
        for _ in range(50):
            clients.append(socket.create_connection((host, port), timeout=0.5))
    finally:
        for client in clients:
            client.close()
        server.server_close()
    assert len(clients) == 50


@pytest.mark.parametrize(
    ("variable", "unit", "maximum", "value"),
    [
        *(("FACTORYSEC_SERVE_THREADS", "threads", 256, v) for v in ("0", "many", "-3", "1000")),
        *(("FACTORYSEC_MAX_CONCURRENT_REQUESTS", "requests", 256, v) for v in ("0", "many", "-3", "1000", "")),
        *(("FACTORYSEC_ATTACHMENT_MAX_BYTES", "bytes", 2**30, v) for v in ("0", "5MB", "2000000000", "")),
    ],
)
def test_serve_with_a_bad_count_setting_exits_2_naming_the_variable(
    tmp_path: Path, variable: str, unit: str, maximum: int, value: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACTORYSEC_", "DJANGO_"))}
    env[variable] = value
    result = subprocess.run(
        [sys.executable, "-m", "factorysec", "serve", "--db", str(tmp_path / "w.sqlite3"), "--port", str(_free_port())],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: {variable}: expected a whole number of {unit} from 1 to {maximum}, got {value!r}"
    )
    assert not (tmp_path / "w.sqlite3").exists(), "nothing prepared before the setting is checked"
