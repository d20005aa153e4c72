"""Path options given an empty string, a trailing '/', an empty file, a folder where a file goes or a file that is not what
the option reads: one line naming the option or file on standard error, exit code 2, nothing written, no traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.cli import app

runner = CliRunner()

MODEL = "factory: {id: f, name: F}\nzones:\n  - {id: z1, name: Zone 1, kind: production}\n"
OTM = '{"otmVersion": "0.2.0", "project": {"name": "P", "id": "p"}}'


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working folder, holding a model, an OTM file and a scoring file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plant.yaml").write_text(MODEL, encoding="utf-8")
    (tmp_path / "plant.otm.json").write_text(OTM, encoding="utf-8")
    (tmp_path / "scoring.yaml").write_text("scoring:\n  weights: {safety: 1.5}\n", encoding="utf-8")
    (tmp_path / "advisory.json").write_text("{}", encoding="utf-8")
    return tmp_path


def _refused(args: list[str], folder: Path) -> str:
    """Run the command; it must end with exit 2 and one line on standard error, having written nothing."""
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip() and line != "1 problem found"]
    assert len(lines) == 1, result.stderr
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before
    return lines[0]


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["check", "plant\0.yaml"], "PATH"),
        (["analyze", "plant.yaml", "--out", "out\0.json"], "--out"),
        (["discover", "a\0b.pcap"], "CAPTURES"),
    ],
)
def test_a_path_holding_a_nul_character_is_refused(args: list[str], option: str, folder: Path) -> None:
    """Found by the fuzz harness (seed 24): a NUL in a path was a ValueError traceback ('embedded null byte') when the
    path was looked at. No shell can pass one, but a program calling the command can."""
    assert _refused(args, folder).startswith(f"error: {option}: ")


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--catalog", "", "check", "plant.yaml"], "--catalog"),
        (["check", ""], "PATH"),
        (["analyze", "plant.yaml", "--scoring", ""], "--scoring"),
        (["analyze", "plant.yaml", "--decisions", ""], "--decisions"),
        (["analyze", "plant.yaml", "--out", ""], "--out"),
        (["analyze", "plant.yaml", "--advisories", ""], "--advisories"),
        (["vulns", "plant.yaml", "--advisories", "advisory.json", "--kev", ""], "--kev"),
        (["compare", "", "plant.yaml"], "OLD"),
        (["review", "plant.yaml", ""], "AFTER"),
        (["discover", ""], "CAPTURES"),
        (["discover", "plant.yaml", "--init", ""], "--init"),
        (["init", ""], "DIRECTORY"),
        (["import", "otm", "plant.otm.json", "--out", ""], "--out"),
        (["import", "otm", "plant.otm.json", "--out", "m.yaml", "--mapping", ""], "--mapping"),
        (["audit", "verify", "--db", ""], "--db"),
    ],
)
def test_an_empty_path_is_refused_not_read_as_the_working_folder(args: list[str], option: str, folder: Path) -> None:
    # before: '' was Path('.'): `check ''` read the working folder as the model, `discover ''` ended 0 having read
    # nothing, `init ''` and `import --out ''` wrote into it, `--catalog ''` printed 40-odd missing catalog files
    assert _refused(args, folder) == f"error: {option}: empty path"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["analyze", "plant.yaml", "--out", "new.json/"],
            "error: --out: new.json/: no such folder (a path ending in '/' names a folder)",
        ),
        (
            ["analyze", "plant.yaml", "--scoring", "scoring.yaml/"],
            "error: --scoring: scoring.yaml/: not a folder (a path ending in '/' names a folder; give the file without the '/')",
        ),
        (
            ["check", "plant.yaml/"],
            "error: PATH: plant.yaml/: not a folder (a path ending in '/' names a folder; give the file without the '/')",
        ),
        (
            ["vulns", "plant.yaml", "--advisories", "advisory.json", "--sbom", "z1=sbom.json/"],
            "error: --sbom: z1=sbom.json/: no such folder (a path ending in '/' names a folder)",
        ),
    ],
)
def test_a_trailing_slash_on_a_file_is_refused_not_dropped(args: list[str], line: str, folder: Path) -> None:
    # before: Path dropped the '/': `--out new.json/` wrote the file new.json, `--scoring scoring.yaml/` read the file
    assert _refused(args, folder) == line


def test_a_trailing_slash_names_a_folder_the_command_makes(folder: Path) -> None:
    result = runner.invoke(app, ["init", "plant/"])
    assert result.exit_code == 0, result.output
    assert (folder / "plant" / "factory.yaml").is_file()


@pytest.mark.parametrize("text", ["", "# weights: left for later\n\n   \n", "\ufeff"])
def test_an_empty_scoring_file_is_refused(text: str, folder: Path) -> None:
    # before: read as the default scoring, exit 0, without a word
    (folder / "empty.yaml").write_text(text, encoding="utf-8")
    assert _refused(["analyze", "plant.yaml", "--scoring", "empty.yaml"], folder) == (
        "empty.yaml:1:1: the scoring file is empty (give a 'scoring:' section as docs/scoring.md shows, "
        "or leave --scoring out for the default scoring)"
    )


def test_a_scoring_file_without_its_section_is_refused_and_an_empty_section_is_the_defaults(folder: Path) -> None:
    (folder / "braces.yaml").write_text("{}\n", encoding="utf-8")
    assert _refused(["analyze", "plant.yaml", "--scoring", "braces.yaml"], folder) == (
        "braces.yaml:1:1: scoring: Field required"
    )
    (folder / "defaults.yaml").write_text("scoring: {}\n", encoding="utf-8")
    assert runner.invoke(app, ["analyze", "plant.yaml", "--scoring", "defaults.yaml"]).exit_code == 0


def test_an_empty_mapping_file_is_refused(folder: Path) -> None:
    # before: read as no mapping, and the model written
    (folder / "mapping.yaml").write_text("# to fill in\n", encoding="utf-8")
    line = _refused(["import", "otm", "plant.otm.json", "--out", "m.yaml", "--mapping", "mapping.yaml"], folder)
    assert line == (
        "mapping.yaml:1:1: the mapping file is empty "
        "(give zone_kinds: and component_types:, or leave --mapping out for the default mapping)"
    )


def test_a_folder_given_as_the_file_to_import_is_named_a_folder(folder: Path) -> None:
    # before: "plans:1:1: no such file (check the path)"
    (folder / "plans").mkdir()
    assert _refused(["import", "otm", "plans", "--out", "m.yaml"], folder) == "plans:1:1: is a folder (give the file)"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["vulns", "plant.yaml", "--advisories", "advisory.json", "--vex-in", "plans"], "--vex-in"),
        (["vulns", "plant.yaml", "--advisories", "advisory.json", "--previous", "plans"], "--previous"),
        (["vulns", "plant.yaml", "--advisories", "advisory.json", "--kev", "plans"], "--kev"),
        (["vulns", "plant.yaml", "--advisories", "advisory.json", "--decisions", "plans"], "--decisions"),
        (["analyze", "plant.yaml", "--advisories", "advisory.json", "--kev", "plans"], "--kev"),
        (["analyze", "plant.yaml", "--scoring", "plans"], "--scoring"),
        (["export", "otm", "plant.yaml", "--out", "m.otm.json", "--decisions", "plans"], "--decisions"),
        (["import", "otm", "plant.otm.json", "--out", "m.yaml", "--mapping", "plans"], "--mapping"),
        (["audit", "verify", "--file", "plans"], "--file"),
    ],
)
def test_a_folder_given_to_a_file_option_is_one_line_naming_the_option(
    args: list[str], option: str, folder: Path
) -> None:
    # before: "error: plans: cannot read: Is a directory" (--vex-in, --previous; audit verify --file without "error:"),
    # or "plans:1:1: is a folder" (--mapping),
    # not naming the option; "--kev: plans is not a file" (--kev, --decisions, --scoring)
    (folder / "plans").mkdir()
    assert _refused(args, folder) == f"error: {option}: plans: is a folder (give the file)"
    missing = [arg if arg != "plans" else "nowhere.json" for arg in args]
    assert _refused(missing, folder) == f"error: {option}: nowhere.json: no such file"


def test_a_folder_given_as_an_sbom_is_one_line_naming_the_option(folder: Path) -> None:
    # before: "error: plans: cannot read: Is a directory"
    (folder / "plans").mkdir()
    args = ["vulns", "plant.yaml", "--advisories", "advisory.json", "--sbom", "z1=plans"]
    assert _refused(args, folder) == "error: --sbom: z1=plans: is a folder (give the file)"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "not an SQLite database"),
        (b"not a database at all\n", "not an SQLite database"),
        (None, "not a workspace database: it holds no audit log"),
    ],
)
@pytest.mark.parametrize("command", [["audit", "verify"], ["audit", "notify"]])
def test_audit_refuses_a_file_that_is_not_the_workspace_database(
    command: list[str], content: bytes | None, problem: str, folder: Path
) -> None:
    # before: a traceback from Django (file is not a database / no such table), and a secret key written beside the file
    db = folder / "other.sqlite3"
    if content is None:
        with sqlite3.connect(db) as connection:
            connection.execute("CREATE TABLE notes (text)")
        connection.close()
    else:
        db.write_bytes(content)
    line = _refused([*command, "--db", "other.sqlite3"], folder)
    assert line == f"other.sqlite3: {problem} (give the workspace's --db)"


def test_serve_refuses_a_database_file_that_is_not_sqlite(folder: Path) -> None:
    (folder / "notes.txt").write_text("notes\n", encoding="utf-8")
    line = _refused(["serve", "plant.yaml", "--db", "notes.txt", "--prepare-only"], folder)
    assert line == "notes.txt: not an SQLite database (give the workspace's database, or a new file name to make one)"


def test_audit_notify_without_its_url_writes_nothing_beside_the_database(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: Django was set up first, which wrote ``workspace.sqlite3.secret-key`` beside the database, and only then
    was the missing ``FACTORYSEC_WEBHOOK_URL`` reported."""
    from factorysec.cli_audit import AUDIT_TABLE

    monkeypatch.delenv("FACTORYSEC_WEBHOOK_URL", raising=False)
    monkeypatch.delenv("FACTORYSEC_SECRET_KEY", raising=False)
    monkeypatch.setenv("FACTORYSEC_DB", "sqlite")
    with sqlite3.connect(folder / "workspace.sqlite3") as connection:
        connection.execute(f"CREATE TABLE {AUDIT_TABLE} (id INTEGER PRIMARY KEY)")
    connection.close()
    line = _refused(["audit", "notify", "--db", "workspace.sqlite3"], folder)
    assert line == "error: FACTORYSEC_WEBHOOK_URL is not set"
