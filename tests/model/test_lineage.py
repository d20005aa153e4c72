"""``data.derived_from``: a data asset's lineage names other data assets of the model, each once, never itself.

Each test failed before the field existed (``derived_from`` was refused as an unknown field) or before its checks."""

from __future__ import annotations

from pathlib import Path

from factorysec.model import load_model
from tests.model.conftest import load_problems, run_check

MODEL = """\
factory: {{id: p, name: P}}
zones:
  - {{id: z, name: Z, kind: production}}
assets:
  - {{id: plc, name: PLC, type: equipment, component: controller, zone: z}}
  - {{id: orders, name: Orders, type: data, zone: z, data: {{derived_from: {orders}}}}}
  - {{id: master, name: Master, type: data, zone: z, data: {{derived_from: {master}}}}}
"""


def write(tmp_path: Path, orders: str, master: str = "[]") -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(MODEL.format(orders=orders, master=master), encoding="utf-8")
    return path


def test_a_lineage_is_read_absent_empty_or_listed(tmp_path: Path) -> None:
    assets = {a.id: a for a in load_model(write(tmp_path, "[master]")).assets}
    assert assets["orders"].data is not None and assets["orders"].data.derived_from == ["master"]
    assert assets["master"].data is not None and assets["master"].data.derived_from == []
    path = tmp_path / "n.yaml"
    path.write_text(MODEL.format(orders="[]", master="[]").replace(", data: {derived_from: []}}", "}"), "utf-8")
    assert all(a.data is None or a.data.derived_from is None for a in load_model(path).assets)


def test_check_refuses_an_unknown_id_with_a_suggestion_a_device_and_the_asset_itself(tmp_path: Path) -> None:
    result = run_check(write(tmp_path, "[orders, plc, mastr]"))
    assert result.exit_code == 2, result.problems
    name = str(tmp_path / "m.yaml")
    assert result.problems == [
        f"{name}:6:75: assets[1].data.derived_from[0]: data asset 'orders' is listed as made from itself (remove 'orders'"
        " from derived_from; an empty list says it is made here from nothing else the model holds)",
        f"{name}:6:83: assets[1].data.derived_from[1]: 'plc' is not a data asset (list in derived_from the data assets"
        " (type: data) this data is made from)",
        f"{name}:6:88: assets[1].data.derived_from[2]: unknown asset 'mastr' (did you mean 'master'?)",
    ]


def test_a_lineage_names_each_asset_once(tmp_path: Path) -> None:
    (problem,) = load_problems(write(tmp_path, "[master, master]"))
    assert "assets[1].data.derived_from[1]: 'master' is listed twice" in problem


def test_the_refusals_are_in_japanese_too(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from factorysec.cli import app

    result = CliRunner().invoke(app, ["check", "--lang", "ja", str(write(tmp_path, "[orders, plc]"))])
    assert result.exit_code == 2
    assert "データの保護対象 'orders' が自分自身から作られるとされています" in result.stderr
    assert "'plc' はデータの保護対象ではありません (derived_from には" in result.stderr
