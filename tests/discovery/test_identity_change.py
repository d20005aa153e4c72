"""`discover --model M --change OUT`: observed identities as a change file for review, on the 4SICS SNMP log."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.model import load_model
from tests.discovery.discovery_support import DATA

GEEK_151022 = DATA / "Additional-Captures" / "4SICS-GeekLounge-151022"
PLC = "192.168.88.30"
runner = CliRunner()


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("starter")
    result = runner.invoke(app, ["discover", str(GEEK_151022), "--init", str(out)])
    assert result.exit_code == 0, result.output
    document: dict[str, object] = yaml.safe_load((out / "factory.yaml").read_text(encoding="utf-8"))
    return document


def _model(starter: dict[str, object], folder: Path, identity: dict[str, str] | None) -> Path:
    """The starter model with the PLC's identity replaced by `identity` (none when None)."""
    assets = starter["assets"]
    assert isinstance(assets, list)
    changed = []
    for asset in assets:
        entry = dict(asset)
        if entry.get("addresses") == [PLC]:
            entry.pop("identity", None)
            if identity is not None:
                entry["identity"] = identity
        changed.append(entry)
    folder.mkdir()
    (folder / "factory.yaml").write_text(yaml.safe_dump({**starter, "assets": changed}), encoding="utf-8")
    return folder


def _discover(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["discover", str(GEEK_151022), *args])
    return result.exit_code, result.output


def test_an_asset_without_identity_gets_the_observed_one_and_keeps_its_sbom(
    starter: dict[str, object], tmp_path: Path
) -> None:
    model = _model(starter, tmp_path / "m", {"sbom": "plc.cdx.json"})
    code, output = _discover("--model", str(model), "--change", str(tmp_path))
    assert code == 0, output
    assert "identities for 1 asset(s)" in output and "next: factorysec review" in output
    change = tmp_path / "change.yaml"
    text = change.read_text(encoding="utf-8")
    assert text.startswith("# Device identities observed by 'factorysec discover'")
    document = yaml.safe_load(text)
    assert document["change"]["base"] == "m"
    [entry] = document["modify"]["assets"]
    assert entry["identity"]["sbom"] == "plc.cdx.json"
    assert (entry["identity"]["vendor"], entry["identity"]["version"], entry["identity"]["source"]) == (
        "Siemens",
        "V1.0.1",
        "observed",
    )
    assert entry["identity"]["evidence"].endswith("snmp.log line 9")
    plc = next(a for a in load_model(change).assets if a.addresses == [PLC])
    assert plc.identity is not None and plc.identity.model == "6ES7 212-1BD30-0XB0"
    review = runner.invoke(app, ["review", str(change)])
    assert review.exit_code == 0, review.output
    assert 'identity.version: null → "V1.0.1"' in review.stdout
    assert 'identity.source: "declared" → "observed"' in review.stdout


def test_a_contradicted_identity_is_named_in_the_header_and_left_alone(
    starter: dict[str, object], tmp_path: Path
) -> None:
    model = _model(starter, tmp_path / "m", {"vendor": "Siemens", "model": "6ES7 212-1BD30-0XB0", "version": "V4.2"})
    out = tmp_path / "identities.yaml"
    code, output = _discover("--model", str(model), "--change", str(out))
    assert code == 0, output
    assert "identities for 0 asset(s), 1 contradicted identity(ies) named in its header" in output
    text = out.read_text(encoding="utf-8")
    assert "version: model says 'V4.2', the device says 'V1.0.1'" in text.split("change:", 1)[0]
    assert "nothing" in text.split("change:", 1)[0]
    assert "modify" not in yaml.safe_load(text)
    plc = next(a for a in load_model(out).assets if a.addresses == [PLC])
    assert plc.identity is not None and plc.identity.version == "V4.2"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--change", "{tmp}/c.yaml"], "--change writes a change file against a model: give --model PATH"),
        (["--model", "{model}", "--change", "{model}/c.yaml"], "is inside the model folder"),
        (["--model", "{model}", "--change", "{model}/factory.yaml", "--force"], "is an input of this command"),
        (["--model", "{model}", "--change", "{tmp}/o.txt", "--out", "{tmp}/o.txt"], "is also given as --out"),
        (["--model", "{model}", "--change", "{tmp}/c.yaml", "--partial", "{tmp}/p.partial"], "leave out --model"),
    ],
)
def test_a_change_file_that_may_not_be_written_is_refused_before_reading(
    starter: dict[str, object], tmp_path: Path, arguments: list[str], message: str
) -> None:
    model = _model(starter, tmp_path / "m", None)
    before = (model / "factory.yaml").read_bytes()
    filled = [a.format(tmp=tmp_path, model=model) for a in arguments]
    code, output = _discover(*filled)
    assert code == 2 and message in output
    assert output.count("\n") == 1 and output.startswith("error:")
    assert (model / "factory.yaml").read_bytes() == before
    assert not (model / "c.yaml").exists() and not (tmp_path / "c.yaml").exists()


def test_an_existing_change_file_is_kept_without_force(starter: dict[str, object], tmp_path: Path) -> None:
    model = _model(starter, tmp_path / "m", None)
    out = tmp_path / "c.yaml"
    out.write_text("mine\n", encoding="utf-8")
    code, output = _discover("--model", str(model), "--change", str(out))
    assert code == 2 and "already exists; use --force" in output and out.read_text(encoding="utf-8") == "mine\n"
    code, output = _discover("--model", str(model), "--change", str(out), "--force")
    assert code == 0, output
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["modify"]["assets"][0]["identity"]["vendor"] == "Siemens"


@pytest.mark.parametrize(
    "stated",
    [
        "Sie\x1b[31mmens",
        "ACME\nAG: #1 'quoted' \"double\"",
        "\u202eevil\u202c",
        "yes",
        "2.10",
        "- [x]: {y}",
        "\ud800lone",
        "   ",
    ],
)
def test_whatever_a_device_states_is_written_as_a_change_file_that_loads(tmp_path: Path, stated: str) -> None:
    """The wire is untrusted: its text reaches the change file only as one printable line that YAML keeps as text."""
    from factorysec.discovery.command import write_identity_change
    from factorysec.discovery.types import DeviceIdentity, Host, Inventory

    model_path = tmp_path / "m.yaml"
    model_path.write_text(
        "factory: {id: f, name: F}\nzones: [{id: z, name: Z, kind: production}]\n"
        "assets: [{id: plc, name: PLC, type: equipment, zone: z, addresses: [10.0.0.5]}]\n",
        encoding="utf-8",
    )
    said = DeviceIdentity(
        ip="10.0.0.5",
        protocol="snmp",
        vendor=stated,
        model="M-1",
        firmware=stated,
        evidence="x.pcap byte 1",
        source="pcap",
        seen=0.0,
    )
    target = tmp_path / "change.yaml"
    write_identity_change(
        Inventory(hosts=(Host(ip="10.0.0.5", identities=(said,)),)), load_model(model_path), model_path, target
    )
    [plc] = load_model(target).assets
    assert plc.identity is not None and plc.identity.model == "M-1" and plc.identity.source == "observed"
    for value in (plc.identity.vendor, plc.identity.version):
        assert value is None or (value.isprintable() and value == value.strip())
