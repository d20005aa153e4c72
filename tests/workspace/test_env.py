"""The workspace's numeric settings from the environment: refused in one line naming the variable, before Django."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.workspace.env import SettingError, attachment_max_bytes, check_environment, counted_setting


def test_a_count_in_range_is_read_and_an_unset_one_is_the_default() -> None:
    assert counted_setting({"N": " 12 "}, "N", "things", 3, 20) == 12
    assert counted_setting({}, "N", "things", 3, 20) == 3
    assert attachment_max_bytes({}) == 5 * 1024 * 1024


@pytest.mark.parametrize("value", ["0", "21", "-1", "1e3", "12MB", "", "\u0661\u0662"])
def test_anything_else_is_refused_naming_the_variable(value: str) -> None:
    with pytest.raises(SettingError) as refused:
        counted_setting({"N": value}, "N", "things", 3, 20)
    assert str(refused.value) == f"N: expected a whole number of things from 1 to 20, got {value!r}"


def test_check_environment_reads_every_setting() -> None:
    check_environment({})
    with pytest.raises(SettingError, match="^FACTORYSEC_ATTACHMENT_MAX_BYTES: "):
        check_environment({"FACTORYSEC_ATTACHMENT_MAX_BYTES": "5MB"})


def test_audit_commands_refuse_a_bad_setting_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    result = CliRunner().invoke(
        app, ["audit", "verify", "--db", str(db)], env={"FACTORYSEC_ATTACHMENT_MAX_BYTES": "lots"}
    )
    assert result.exit_code == 2
    assert result.output == (
        "error: FACTORYSEC_ATTACHMENT_MAX_BYTES: expected a whole number of bytes from 1 to 1073741824, got 'lots'\n"
    )
    assert not db.exists()
