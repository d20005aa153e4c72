"""Commands registered lazily: listed, helped and run as before, and not imported by the commands that do not use them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.cli import app, lazy_commands
from tests.discovery.discovery_support import DATA, discover_in_a_fresh_interpreter

TINY_CAPTURE = DATA / "IEC-60870" / "IEC104_SQ" / "IEC104_SQ.pcapng"


def test_discover_imports_no_other_command_module() -> None:
    answer, loaded = discover_in_a_fresh_interpreter(TINY_CAPTURE)
    assert answer["inventory"]["hosts"]
    for module in {entry.module for entry in lazy_commands.entries.values() if entry.info is None}:
        assert module not in loaded
    for heavy in (
        "factorysec.model",  # discover without --model or --init never builds the factory model's entities
        "factorysec.discovery.drift",
        # discovery's own pydantic models: the drift report's and a partial result's checks; nor pydantic itself,
        # which Typer would import for its parameters (see factorysec.cli_coercion)
        "factorysec.discovery.drift_types",
        "factorysec.discovery.partial_schema",
        "pydantic",
        "factorysec.discovery.zeek",  # nor the Zeek readers, for a run over captures
        "numpy.ma",
        "factorysec.explain",
        "factorysec.analysis",
        "factorysec.vulnerability",
        "csaf_lib",
        "pandas",
        "manuf",
    ):
        assert heavy not in loaded, heavy


def test_the_command_list_names_every_lazy_command_with_its_help() -> None:
    listing = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert listing.exit_code == 0
    names = [line.split()[1] for line in listing.output.splitlines() if line.startswith("│ ") and len(line.split()) > 2]
    assert set(lazy_commands.entries) <= set(names)
    assert names.index("compare") < names.index("workbook") < names.index("export") < names.index("audit")
    assert "Match ICS advisories (CSAF 2.0)" in listing.output


def test_a_lazy_command_and_a_lazy_group_run() -> None:
    catalog = CliRunner().invoke(app, ["catalog", "--format", "json"])
    assert catalog.exit_code == 0, catalog.output
    assert json.loads(catalog.output)
    audit = CliRunner().invoke(app, ["audit", "--help"])
    assert audit.exit_code == 0 and "verify" in audit.output
    unknown = CliRunner().invoke(app, ["no-such-command"])
    assert unknown.exit_code == 2 and "No such command" in unknown.output


def test_the_apps_own_commands_are_built_only_when_asked_for_and_keep_their_place() -> None:
    deferred = [name for name, entry in lazy_commands.entries.items() if entry.info is not None]
    assert deferred[:3] == ["check", "schema", "init"] and "discover" in deferred
    listing = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    names = [line.split()[1] for line in listing.output.splitlines() if line.startswith("│ ") and len(line.split()) > 2]
    assert [name for name in names if name in deferred] == deferred
    assert names.index(deferred[-1]) < names.index("catalog")  # before the commands registered lazily
    helped = CliRunner().invoke(app, ["discover", "--help"], env={"COLUMNS": "200"})
    assert helped.exit_code == 0 and "--byte-range" in helped.output
    wrong = CliRunner().invoke(app, ["discover", TINY_CAPTURE.as_posix(), "--format", "xml"])
    assert wrong.exit_code == 2 and "--format must be" in wrong.output


def test_an_app_command_registered_after_the_deferral_is_deferred_after_the_others() -> None:
    import typer

    from factorysec.cli_lazy import LazyCommands

    lazy = LazyCommands()
    late = typer.Typer(cls=lazy.group_class, add_completion=False)

    @late.callback()
    def options() -> None:
        """Options that come before the command."""

    @late.command()
    def first() -> None:
        typer.echo("first ran")

    lazy.command("catalog", "factorysec.cli_catalog", "catalog")
    lazy.defer_app_commands(late)

    @late.command("second-one")
    def second() -> None:
        typer.echo("second ran")

    lazy.defer_app_commands(late)
    assert list(lazy.entries) == ["first", "second-one", "catalog"]
    assert not late.registered_commands
    ran = CliRunner().invoke(late, ["second-one"])
    assert ran.exit_code == 0 and ran.output == "second ran\n"


_MODULES_AFTER_HELP = """
import json, sys
from factorysec.cli import app
try:
    app(["--help"], prog_name="factorysec")
except SystemExit:
    pass
finally:
    sys.stdout.flush()
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def test_the_command_list_imports_no_command_module() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER_HELP],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert "Match ICS advisories (CSAF 2.0)" in done.stdout and "discover" in done.stdout
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    for module in {entry.module for entry in lazy_commands.entries.values() if entry.info is None}:
        assert module not in loaded, module
    for heavy in ("factorysec.explain", "factorysec.analysis", "factorysec.model", "numpy", "pydantic"):
        assert heavy not in loaded, heavy


def _shown(command: object) -> tuple[object, ...]:
    """What the command list prints of a command (the panel as the listing reads it: an unset one is the default)."""
    shown = tuple(getattr(command, attribute) for attribute in ("name", "help", "short_help", "hidden", "deprecated"))
    return (*shown, getattr(command, "rich_help_panel", None) or None)


def test_every_commands_stand_in_shows_what_the_built_command_shows() -> None:
    """The listing's stand-ins (read without building the command or importing its module) match the real commands."""
    from factorysec.cli_lazy import build, listing_stand_in

    built_for_the_listing = []
    for name, entry in lazy_commands.entries.items():
        stand_in = listing_stand_in(name, entry)
        if stand_in is None:  # its help is not read from the source: the listing builds it (correct, slower)
            built_for_the_listing.append(name)
            continue
        assert _shown(stand_in) == _shown(build(name, entry)), name
    assert not [name for name in built_for_the_listing if lazy_commands.entries[name].info is not None]
    assert {"catalog", "vulns", "export", "audit", "compare"}.isdisjoint(built_for_the_listing)


def test_a_group_whose_help_the_source_does_not_state_plainly_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factorysec.cli_lazy import LazyCommand, help_in_source

    (tmp_path / "lazy_sample_cli.py").write_text(
        "import typer\n"
        'plain = typer.Typer(help="  Plain help.\\n", no_args_is_help=True)\n'
        'panel = typer.Typer(help="In a panel.", rich_help_panel="Other")\n'
        "computed = typer.Typer(help=' '.join(['made', 'up']))\n"
        'called = typer.Typer(help="Shadowed.")\n'
        "@called.callback()\n"
        "def _options() -> None:\n"
        '    """The callback\'s help comes first."""\n'
        "def command() -> None:\n"
        '    """Does a thing.\n\n    At length."""\n'
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    read = {
        name: help_in_source(LazyCommand("lazy_sample_cli", name, group=name != "command"))
        for name in ("plain", "panel", "computed", "called", "command", "missing")
    }
    assert read == {
        "plain": "Plain help.",
        "panel": None,
        "computed": None,
        "called": None,
        "command": "Does a thing.\n\nAt length.",
        "missing": None,
    }
    assert help_in_source(LazyCommand("no_such_module_here", "x")) is None


def test_the_report_workbook_writer_does_not_import_openpyxl() -> None:
    """report.xlsx is written with XlsxWriter; its sheet names come from model/sheet_names, not from the model
    workbook module that reads and writes with openpyxl (about a second of import on a busy machine)."""
    probe = "import sys, factorysec.report.xlsx; print(sorted(m for m in sys.modules if m.split('.')[0] == 'openpyxl'"
    probe += " or m == 'factorysec.model.workbook'))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
