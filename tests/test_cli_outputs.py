"""Every output path of every command: one line naming the path and what to do, exit code 2, nothing written where it should not be."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import factorysec.report.markdown
from factorysec.cli import app
from tests.conftest import EXAMPLES
from tests.discovery.discovery_support import GEEK_151020
from tests.test_cli_exit import _command

runner = CliRunner()
MODEL = str(EXAMPLES / "current")
CASE_1 = str(EXAMPLES / "case-1-first-added.yaml")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = tmp_path_factory.mktemp("book") / "plant.xlsx"
    assert runner.invoke(app, ["workbook", "export", MODEL, "--out", str(book)]).exit_code == 0
    return book


FILE_COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "analyze": lambda out, _: ["analyze", MODEL, "--out", str(out)],
    "analyze json": lambda out, _: ["analyze", MODEL, "--format", "json", "--out", str(out)],
    "review": lambda out, _: ["review", CASE_1, "--out", str(out)],
    "review json": lambda out, _: ["review", CASE_1, "--format", "json", "--out", str(out)],
    "review html": lambda out, _: ["review", CASE_1, "--format", "html", "--out", str(out)],
    "discover": lambda out, _: ["discover", str(GEEK_151020), "--out", str(out)],
    "workbook export": lambda out, _: ["workbook", "export", MODEL, "--out", str(out)],
    "workbook import": lambda out, book: ["workbook", "import", str(book), "--out", str(out)],
}

OUT_NAMES = {"workbook export": "mine.xlsx", "workbook import": "mine.yaml"}
"""Commands that write one kind of file only, and a name of that kind (any other is refused)."""


def _one_line_error(result: object, *needles: str) -> None:
    output: str = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 2, output  # type: ignore[attr-defined]
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), output
    assert "Traceback" not in output
    for needle in needles:
        assert needle in lines[0], output


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_an_existing_file_is_kept_without_force_and_replaced_with_force(
    command: str, tmp_path: Path, workbook: Path
) -> None:
    out = tmp_path / OUT_NAMES.get(command, "mine.out")
    out.write_text("# hand-written, with comments\n", encoding="utf-8")
    refused = runner.invoke(app, FILE_COMMANDS[command](out, workbook))
    _one_line_error(refused, str(out), "already exists; use --force")
    assert out.read_text(encoding="utf-8") == "# hand-written, with comments\n"
    forced = runner.invoke(app, [*FILE_COMMANDS[command](out, workbook), "--force"])
    assert forced.exit_code == 0, forced.output
    assert out.read_bytes() != b"# hand-written, with comments\n" and out.stat().st_size > 100
    assert sorted(os.listdir(tmp_path)) == [out.name]  # no temporary file left beside it


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_a_missing_parent_a_folder_and_a_link_are_refused(command: str, tmp_path: Path, workbook: Path) -> None:
    missing = tmp_path / "no-such-folder" / "out.file"
    _one_line_error(
        runner.invoke(app, FILE_COMMANDS[command](missing, workbook)), str(missing.parent), "does not exist"
    )
    assert not missing.parent.exists()
    _one_line_error(
        runner.invoke(app, FILE_COMMANDS[command](tmp_path, workbook)), str(tmp_path), "is a folder; give a file name"
    )
    victim = tmp_path / "victim"
    victim.write_text("keep", encoding="utf-8")
    link = tmp_path / "link.out"
    link.symlink_to(victim)
    _one_line_error(runner.invoke(app, FILE_COMMANDS[command](link, workbook)), str(link), "symbolic link")
    assert victim.read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize("command", ["analyze", "review json", "workbook export"])
def test_a_place_that_cannot_be_written(command: str, workbook: Path) -> None:
    out = Path("/sys") / f"factorysec-{OUT_NAMES.get(command, 'out.file')}"
    _one_line_error(
        runner.invoke(app, FILE_COMMANDS[command](out, workbook)),
        f"cannot write {out}",
        "choose a place you can write to",
    )


@pytest.mark.parametrize("command", ["init", "report"])
def test_a_folder_that_cannot_be_written(command: str) -> None:
    out = Path("/sys/factorysec-out")
    _one_line_error(
        runner.invoke(app, FOLDER_COMMANDS[command](out)), f"cannot write {out}", "choose a place you can write to"
    )


def test_workbook_import_keeps_a_commented_model(tmp_path: Path, workbook: Path) -> None:
    model = tmp_path / "factory.yaml"
    model.write_text("# reviewed by the OT team on 2024-04-01\nfactory: {id: f, name: F}\n", encoding="utf-8")
    _one_line_error(runner.invoke(app, ["workbook", "import", str(workbook), "--out", str(model)]), "already exists")
    assert model.read_text(encoding="utf-8").startswith("# reviewed by the OT team")
    _one_line_error(
        runner.invoke(app, ["workbook", "import", str(workbook), "--out", str(workbook), "--force"]),
        "would overwrite the workbook",
    )


FOLDER_COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "init": lambda out: ["init", str(out)],
    "discover --init": lambda out: ["discover", str(GEEK_151020), "--init", str(out)],
    "report": lambda out: ["report", MODEL, "--out", str(out)],
}


@pytest.mark.parametrize("command", FOLDER_COMMANDS)
def test_folder_outputs_refuse_a_file_and_a_missing_parent(command: str, tmp_path: Path) -> None:
    file = tmp_path / "file"
    file.write_text("mine", encoding="utf-8")
    _one_line_error(runner.invoke(app, FOLDER_COMMANDS[command](file)), str(file), "not a folder")
    assert file.read_text(encoding="utf-8") == "mine"
    missing = tmp_path / "a" / "b"
    _one_line_error(runner.invoke(app, FOLDER_COMMANDS[command](missing)), str(missing.parent), "does not exist")
    assert not (tmp_path / "a").exists()
    created = runner.invoke(app, FOLDER_COMMANDS[command](tmp_path / "new"))
    assert created.exit_code == 0, created.output
    assert (tmp_path / "new").is_dir()


@pytest.mark.parametrize("command", ["init", "discover --init"])
def test_a_starter_model_never_replaces_a_commented_model_or_follows_a_link(command: str, tmp_path: Path) -> None:
    model = tmp_path / "factory.yaml"
    model.write_text("# my model\n", encoding="utf-8")
    _one_line_error(runner.invoke(app, FOLDER_COMMANDS[command](tmp_path)), str(model), "already exists; use --force")
    assert model.read_text(encoding="utf-8") == "# my model\n"
    model.unlink()
    victim = tmp_path / "victim.yaml"
    victim.write_text("keep", encoding="utf-8")
    model.symlink_to(victim)
    _one_line_error(runner.invoke(app, FOLDER_COMMANDS[command](tmp_path)), str(model), "symbolic link")
    assert victim.read_text(encoding="utf-8") == "keep"
    forced = runner.invoke(app, [*FOLDER_COMMANDS[command](tmp_path), "--force"])
    assert forced.exit_code == 0, forced.output
    assert (
        victim.read_text(encoding="utf-8") == "keep"
        and not model.is_symlink()
        and "factory:" in model.read_text(encoding="utf-8")
    )


def test_report_replaces_an_earlier_report_but_refuses_other_files_and_links(tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert runner.invoke(app, ["report", MODEL, "--out", str(out)]).exit_code == 0
    first = sorted(os.listdir(out))
    again = runner.invoke(app, ["report", CASE_1, "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert sorted(os.listdir(out)) == first and os.listdir(tmp_path) == ["report"]
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    _one_line_error(runner.invoke(app, ["report", MODEL, "--out", str(out)]), str(out), "notes.txt", "does not write")
    (out / "notes.txt").unlink()
    victim = tmp_path / "victim.md"
    victim.write_text("keep", encoding="utf-8")
    (out / "report.md").unlink()
    (out / "report.md").symlink_to(victim)
    _one_line_error(runner.invoke(app, ["report", MODEL, "--out", str(out)]), str(out / "report.md"), "symbolic link")
    assert victim.read_text(encoding="utf-8") == "keep"


def test_a_failing_renderer_leaves_no_report_folder_and_no_partial_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> str:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(
        factorysec.report.markdown, "write_markdown_view", broken
    )  # runs after assessment.json, SARIF and xlsx
    result = runner.invoke(app, ["report", MODEL, "--out", str(tmp_path / "report")])
    assert result.exit_code != 0 and isinstance(result.exception, RuntimeError)
    assert os.listdir(tmp_path) == []


def test_a_failing_renderer_keeps_the_earlier_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report"
    assert runner.invoke(app, ["report", MODEL, "--out", str(out)]).exit_code == 0

    def files() -> dict[str, bytes]:
        return {str(path.relative_to(out)): path.read_bytes() for path in out.rglob("*") if path.is_file()}

    before = files()
    assert any("/" in name for name in before), "the report folder has its zones/ pages"

    def broken(*_: object, **__: object) -> str:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(factorysec.report.markdown, "write_markdown_view", broken)
    assert runner.invoke(app, ["report", CASE_1, "--out", str(out)]).exit_code != 0
    assert files() == before
    assert os.listdir(tmp_path) == ["report"]


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", MODEL],
        ["analyze", MODEL, "--format", "json"],
        ["review", CASE_1],
        ["checklist", MODEL],
        ["discover", str(GEEK_151020)],
    ],
)
def test_standard_output_closed_early_ends_quietly(args: list[str]) -> None:
    """``factorysec analyze X | head -3``: no traceback, no BrokenPipe message, the shell's code for a reader gone away (141)."""
    process = subprocess.Popen(
        [*_command(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ)
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the command writes anything, so every run meets the closed pipe, whatever the output's size
    error = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert error == ""


@pytest.mark.parametrize("args", [["check", MODEL], ["analyze", MODEL], ["catalog"]])
def test_standard_output_on_a_full_disk_is_one_line_and_exit_2(args: list[str]) -> None:
    """``factorysec check X > /dev/full``: one line saying the output could not be written, not a traceback and not
    exit 1 (which means a threshold was met)."""
    with open("/dev/full", "w") as full:
        done = subprocess.run([*_command(), *args], stdout=full, stderr=subprocess.PIPE, env=dict(os.environ))
    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == ["error: cannot write to standard output: No space left on device"]
