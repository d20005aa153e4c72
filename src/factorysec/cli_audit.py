"""``factorysec audit``: verify the workspace's hash-chained audit log (in its database or an exported file), export it, send the webhook."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer

EXIT_BROKEN = 1
EXIT_INVALID = 2

audit_app = typer.Typer(
    help="The workspace's audit log: verify the chain, export it for an auditor, announce due decisions and new high risks.",
    no_args_is_help=True,
)

Database = Annotated[
    Path, typer.Option("--db", help="The workspace's SQLite database (ignored when FACTORYSEC_DB=postgresql).")
]


AUDIT_TABLE = "audit_auditentry"
"""The audit log's table (``AuditEntry._meta.db_table``), looked for before Django is set up."""


def _using_postgres() -> bool:
    return os.environ.get("FACTORYSEC_DB", "sqlite").lower() in ("postgresql", "postgres")


def _refuse_other_files(db: Path) -> None:
    """Exit 2 with one line when ``db`` is not a workspace's SQLite database (checked read-only; nothing written)."""
    if not _using_postgres():
        problem = _not_a_workspace_database(db)
        if problem is not None:
            typer.echo(f"{db}: {problem} (give the workspace's --db)", err=True)
            raise typer.Exit(EXIT_INVALID)


def _configure(db: Path) -> None:
    from factorysec.workspace.bootstrap import configure
    from factorysec.workspace.env import SettingError, check_environment

    try:
        check_environment()
    except SettingError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    _refuse_other_files(db)
    configure(None if _using_postgres() else db.resolve())


def _not_a_workspace_database(db: Path) -> str | None:
    """Why ``db`` is not a workspace's SQLite database, or None; checked read-only, before Django opens it (which
    would write a secret key beside any file and fail on a missing table with a traceback)."""
    import sqlite3

    from factorysec.cli_workspace import not_sqlite

    if not db.exists():
        return "no such database"
    problem = not_sqlite(db, empty_ok=False)
    if problem is not None:
        return problem
    try:
        connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (AUDIT_TABLE,)
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return f"not readable as a database: {error}"
    return None if found else "not a workspace database: it holds no audit log"


def _read_export(path: Path) -> list[dict[str, Any]]:
    """The entries of an exported JSON file; a file that is not one is invalid input (exit 2) with file and position."""
    from factorysec.workspace.audit.chain import HASHED_FIELDS

    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        typer.echo(f"{path}: cannot read: {error.strerror or error}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except UnicodeDecodeError:
        typer.echo(f"{path}: not UTF-8 text", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except json.JSONDecodeError as error:
        typer.echo(f"{path}:{error.lineno}:{error.colno}: not JSON: {error.msg}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    entries = document.get("entries") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        typer.echo(
            f"{path}: entries: expected the audit export's list of entries (format factorysec-audit-log)", err=True
        )
        raise typer.Exit(EXIT_INVALID)
    for position, entry in enumerate(entries, 1):
        missing = [name for name in (*HASHED_FIELDS, "hash") if not isinstance(entry, dict) or name not in entry]
        if missing:
            typer.echo(f"{path}: entry {position}: {missing[0]}: missing", err=True)
            raise typer.Exit(EXIT_INVALID)
        if not isinstance(entry["seq"], int):
            typer.echo(f"{path}: entry {position}: seq: expected a whole number", err=True)
            raise typer.Exit(EXIT_INVALID)
    return entries


@audit_app.command("verify")
def verify(
    db: Database = Path("workspace.sqlite3"),
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="Verify an exported JSON file (what the workspace's auditor export writes) instead of the database.",
        ),
    ] = None,
) -> None:
    """Recompute every entry's hash and link; report the first entry altered, removed or reordered (exit 1), or that the chain is intact (exit 0)."""
    from factorysec.workspace.audit.chain import verify_chain

    if file is not None:
        from factorysec.cli import check_input_file

        check_input_file("--file", file)
        result = verify_chain(_read_export(file))
        where = str(file)
    else:
        _configure(db)
        from factorysec.workspace.audit.log import verify_stored

        result = verify_stored()
        where = "the workspace database"
    if result.broken is not None:
        typer.echo(f"audit log in {where}: first altered entry: {result.broken}", err=True)
        raise typer.Exit(EXIT_BROKEN)
    typer.echo(f"audit log in {where}: {result.count} entries, chain intact; head {result.head}")


@audit_app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    db: Database = Path("workspace.sqlite3"),
    output_format: Annotated[
        str, typer.Option("--format", help="json (verifiable with 'audit verify --file') or csv.")
    ] = "json",
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write the whole audit log for an auditor."""
    from factorysec.outputs import OutputError, check_file_target, write_output

    if output_format not in ("json", "csv"):
        typer.echo(f"error: --format must be 'json' or 'csv', not '{output_format}'", err=True)
        raise typer.Exit(EXIT_INVALID)
    try:
        check_file_target(out, force=force, example_name=f"audit.{output_format}")
    except OutputError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    _configure(db)
    from factorysec.workspace.audit.log import export_csv, export_json, record

    text = export_json() if output_format == "json" else export_csv()
    try:
        write_output(out, text, force=force)
    except OutputError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    record("audit-exported", actor="cli", detail={"format": output_format, "file": out.name})
    typer.echo(f"wrote {out}")


@audit_app.command("notify")
def notify(db: Database = Path("workspace.sqlite3")) -> None:
    """Post new high or critical risks and decisions fallen due to FACTORYSEC_WEBHOOK_URL (run it from cron); exit 1 when a POST failed."""
    _refuse_other_files(db)
    if not os.environ.get(
        "FACTORYSEC_WEBHOOK_URL"
    ):  # before Django is set up: that writes a secret key beside the file
        typer.echo("error: FACTORYSEC_WEBHOOK_URL is not set", err=True)
        raise typer.Exit(EXIT_INVALID)
    _configure(db)
    from factorysec.workspace.audit.webhook import sweep
    from factorysec.workspace.factories.models import Factory

    failed = False
    for factory in Factory.objects.all():
        for sent in sweep(factory):
            failed = failed or sent.error is not None
            typer.echo(
                f"{factory.slug}: {sent.event}: {sent.items} items: {'sent' if sent.error is None else 'failed: ' + sent.error}"
            )
    if failed:
        raise typer.Exit(EXIT_BROKEN)
