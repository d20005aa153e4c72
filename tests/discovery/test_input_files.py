"""Which files a run reads: each file once whatever its name, no pipe or device, and no two files under one name."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from tests.discovery.discovery_support import DATA, MODBUS_DIR

runner = CliRunner()
DNP3_CONN = DATA / "DNP3" / "DNP3-Read" / "conn.log"


def _records(output: str) -> str:
    return next(
        line for line in output.splitlines() if "files read" in line or "file read" in line or "records" in line
    )


def test_one_file_under_two_names_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "site" / "conn.log"
    log.parent.mkdir()
    shutil.copyfile(MODBUS_DIR / "conn.log", log)
    (tmp_path / "link.log").symlink_to(log)
    monkeypatch.chdir(log.parent)
    once = runner.invoke(app, ["discover", "conn.log", "--format", "json"])
    for names in (["conn.log", str(log)], ["conn.log", str(tmp_path / "link.log")], ["../site/conn.log", "conn.log"]):
        twice = runner.invoke(app, ["discover", *names, "--format", "json"])
        assert twice.exit_code == 0, twice.output
        assert twice.stdout.count('"packets"') == once.stdout.count('"packets"')
        assert _flow_packets(twice.stdout) == _flow_packets(once.stdout), names


def _flow_packets(json_text: str) -> list[int]:
    import json

    return sorted(flow["packets"] for flow in json.loads(json_text)["inventory"]["flows"])


def test_a_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    alone = runner.invoke(app, ["discover", str(fifo)])
    assert alone.exit_code == 2
    assert f"{fifo}: not a regular file (a pipe, socket or device)" in alone.output
    with_others = runner.invoke(app, ["discover", str(fifo), str(MODBUS_DIR / "conn.log")])
    assert with_others.exit_code == 0, with_others.output
    assert "not a regular file" in with_others.output


def test_partials_of_two_different_files_under_one_name_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two sites' `conn.log`, each made into a partial where it lies: merged, one used to replace the other."""
    for site, source in (("a", MODBUS_DIR / "conn.log"), ("b", DNP3_CONN)):
        (tmp_path / site).mkdir()
        shutil.copyfile(source, tmp_path / site / "conn.log")
        monkeypatch.chdir(tmp_path / site)
        made = runner.invoke(app, ["discover", "conn.log", "--partial", f"../{site}.partial"])
        assert made.exit_code == 0, made.output
    monkeypatch.chdir(tmp_path)
    for order in (["a.partial", "b.partial"], ["b.partial", "a.partial"]):
        merged = runner.invoke(app, ["discover", *order])
        assert merged.exit_code == 2
        assert "conn.log: two different files under this name" in merged.output
    same = runner.invoke(app, ["discover", "a.partial", "a/conn.log"])  # other names: both read
    assert same.exit_code == 0
    again = runner.invoke(app, ["discover", "a.partial", "a.partial"])
    assert again.exit_code == 0, again.output
