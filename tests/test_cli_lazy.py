"""Commands registered lazily: listed, helped and run as before, and not imported by the commands that do not use them."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from factorysec.cli import app, lazy_commands
from tests.discovery.discovery_support import DATA

TINY_CAPTURE = DATA / "IEC-60870" / "IEC104_SQ" / "IEC104_SQ.pcapng"

_MODULES_AFTER_DISCOVER = """
import json, sys
from factorysec.cli import app
try:
    app(["discover", sys.argv[1], "--format", "json"], standalone_mode=False)
finally:
    sys.stdout.flush()
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def test_discover_imports_no_other_command_module() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER_DISCOVER, str(TINY_CAPTURE)], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout)["inventory"]["hosts"]
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    for module in {entry.module for entry in lazy_commands.entries.values() if entry.info is None}:
        assert module not in loaded
    for heavy in (
        "factorysec.model",  # discover without --model or --init never builds the factory model's entities
        "factorysec.discovery.drift",
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
