"""``factorysec serve``: the shared web workspace on this machine, on an embedded SQLite database by default."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from factorysec.model.entities import FactoryModel

EXIT_INVALID = 2


def serve(
    model: Annotated[
        Path | None,
        typer.Argument(
            help="Model loaded when the database holds no factory yet (default: the bundled Annex A example); checked"
            " before the database is opened, so an invalid one leaves it as it was (exit 2)."
        ),
    ] = None,
    db: Annotated[
        Path,
        typer.Option("--db", help="SQLite database file (made if missing); ignored when FACTORYSEC_DB=postgresql."),
    ] = Path("workspace.sqlite3"),
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (default: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    worker: Annotated[
        bool,
        typer.Option(
            "--worker/--no-worker",
            help="Also start the background worker that runs analyses, imports and report bundles.",
        ),
    ] = True,
    prepare_only: Annotated[
        bool,
        typer.Option(
            "--prepare-only",
            help="Migrate, load the model and create the administrator, then exit (a production run then starts gunicorn and db_worker).",
        ),
    ] = False,
) -> None:
    """Start the shared workspace: migrate the database, load the model if it is empty, create a first administrator, start a task worker, serve on HOST:PORT."""
    from factorysec.model import ModelInputError
    from factorysec.workspace.bootstrap import BUNDLED_EXAMPLE, configure, prepare

    model_path = model if model is not None else (BUNDLED_EXAMPLE if BUNDLED_EXAMPLE.is_dir() else None)
    if model is not None and not model.exists():
        typer.echo(f"{model}: no such file or folder", err=True)
        raise typer.Exit(EXIT_INVALID)
    from factorysec.workspace.env import SettingError, check_environment

    try:
        check_environment()
    except SettingError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    using_postgres = os.environ.get("FACTORYSEC_DB", "sqlite").lower() in ("postgresql", "postgres")
    unusable = None if using_postgres or not db.exists() else not_sqlite(db, empty_ok=True)
    if unusable is not None:
        typer.echo(f"{db}: {unusable} (give the workspace's database, or a new file name to make one)", err=True)
        raise typer.Exit(EXIT_INVALID)
    # The model is checked before the database is touched: a model refused leaves no database made or migrated, and
    # no secret key beside it. It is read only when the database holds no factory yet (it is loaded only then).
    if using_postgres:
        configure(None)  # opens nothing yet, writes nothing
        checked = None if database_holds_a_factory() else checked_model(model_path)
    else:
        checked = None if sqlite_holds_a_factory(db) else checked_model(model_path)
        configure(db.resolve())
    try:
        prepared = prepare(model_path, checked)
    except ModelInputError as error:  # a factory removed since the look above: the model is read by prepare
        from factorysec.cli import fail_input

        raise fail_input(error) from None
    if prepared.loaded_factory is not None:
        typer.echo(f"loaded {model_path} as factory '{prepared.loaded_factory}'")
    if prepared.admin_password is not None:
        typer.echo(f"created administrator 'admin' with password: {prepared.admin_password}  (shown only this once)")
    warn_stale_models()
    if prepare_only:
        return
    where = "PostgreSQL" if using_postgres else str(db)
    shown_host = f"[{host}]" if ":" in host else host
    typer.echo(f"factorysec workspace on http://{shown_host}:{port}/ (database: {where}); stop with Ctrl+C", nl=True)

    from django.core.servers.basehttp import run

    from factorysec.workspace.server import WorkspaceServer
    from factorysec.workspace.wsgi import application

    background = start_worker() if worker else None
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        run(host, port, application, ipv6=":" in host, threading=False, server_cls=WorkspaceServer)
    except OSError as error:
        typer.echo(f"error: cannot listen on {host}:{port}: {error.strerror or error}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except KeyboardInterrupt:
        typer.echo("stopped")
    finally:
        if background is not None:
            background.terminate()
            try:
                background.wait(timeout=20)
            except subprocess.TimeoutExpired:
                background.kill()


def checked_model(path: Path | None) -> FactoryModel | None:
    """The model at ``path``, checked as ``factorysec check`` checks it (and as the workspace checks every change), or its
    problems on standard error, one per line, and exit 2."""
    if path is None:
        return None
    from factorysec.catalog import load_catalog
    from factorysec.cli import fail_input
    from factorysec.model import ModelInputError, load_model

    try:
        return load_model(path, load_catalog())
    except ModelInputError as error:
        raise fail_input(error) from None


FACTORY_TABLE = "factories_factory"
"""The factories' table (``Factory._meta.db_table``), looked for before Django opens the database."""


def sqlite_holds_a_factory(db: Path) -> bool:
    """Whether the SQLite database ``db`` holds a factory already, read without changing it (no file made or written;
    a database never migrated holds none)."""
    import sqlite3

    if not db.is_file() or db.stat().st_size == 0:
        return False
    # with no write-ahead log beside it the file holds every row, and 'immutable' reads it without making one (and its
    # shared-memory file), as a read-only opening of a database in WAL mode would; with one, the log is read too
    wal = db.with_name(f"{db.name}-wal").exists()
    try:
        connection = sqlite3.connect(f"{db.resolve().as_uri()}?{'mode=ro' if wal else 'immutable=1'}", uri=True)
        try:
            found = (
                connection.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FACTORY_TABLE,)
                ).fetchone()
                and connection.execute(f'SELECT 1 FROM "{FACTORY_TABLE}" LIMIT 1').fetchone()
            )
        finally:
            connection.close()
    except sqlite3.DatabaseError:  # not readable as a database: Django says why when it opens it
        return False
    return bool(found)


def database_holds_a_factory() -> bool:
    """Whether the database Django is configured for holds a factory already, read only (a database never migrated
    holds none): for PostgreSQL, where configuring makes no file and connecting changes nothing."""
    from django.db import connection

    from factorysec.workspace.factories.models import Factory

    if Factory._meta.db_table not in connection.introspection.table_names():
        return False
    return Factory.objects.exists()


def warn_stale_models() -> None:
    """One line on standard error per factory whose stored model this version's check refuses (a database written by an
    older, less strict version); the workspace starts anyway, since the elements are corrected in it."""
    from factorysec.workspace.factories.stale import stale_factories, stale_warning

    for error in stale_factories():
        typer.echo(stale_warning(error), err=True)


SQLITE_HEADER = b"SQLite format 3\x00"


def not_sqlite(db: Path, *, empty_ok: bool) -> str | None:
    """Why the existing ``db`` is not an SQLite database file, or None (an empty file is one SQLite makes a database
    in, when ``empty_ok``); read before Django opens it, which fails with a traceback and writes a secret key beside it."""
    if db.is_dir():
        return "is a folder"
    try:
        with db.open("rb") as opened:
            header = opened.read(len(SQLITE_HEADER))
    except OSError as error:
        return f"cannot read: {error.strerror or error}"
    if header == SQLITE_HEADER or (empty_ok and header == b""):
        return None
    return "not an SQLite database"


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def start_worker() -> subprocess.Popen[bytes]:
    """The task worker (``django_tasks_db``'s ``db_worker``) in its own process, with this process's settings (environment)."""
    return subprocess.Popen(
        [sys.executable, "-m", "django", "db_worker", "--interval", "0.5", "--no-startup-delay"], env=dict(os.environ)
    )
