"""Identities seen on the wire against the model's declared identities, on the real 4SICS capture's Zeek SNMP log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.discovery.identity_drift import ObservedIdentity, differences
from factorysec.discovery.types import DeviceIdentity
from factorysec.model import load_model
from factorysec.model.entities import AssetIdentity
from tests.discovery.discovery_support import DATA

GEEK_151022 = DATA / "Additional-Captures" / "4SICS-GeekLounge-151022"
PLC = "192.168.88.30"
runner = CliRunner()


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("starter") / "m"
    result = runner.invoke(app, ["discover", str(GEEK_151022), "--init", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_starter_model_records_the_observed_identity(starter: Path) -> None:
    plc = next(a for a in load_model(starter / "factory.yaml").assets if a.addresses == [PLC])
    assert plc.identity is not None
    assert (plc.identity.vendor, plc.identity.model, plc.identity.version, plc.identity.source) == (
        "Siemens",
        "6ES7 212-1BD30-0XB0",
        "V1.0.1",
        "observed",
    )
    assert plc.identity.evidence is not None and plc.identity.evidence.endswith("snmp.log line 9")


def _with_plc_identity(starter: Path, target: Path, identity: dict[str, str] | None) -> Path:
    document = yaml.safe_load((starter / "factory.yaml").read_text(encoding="utf-8"))
    for asset in document["assets"]:
        if asset.get("addresses") == [PLC]:
            asset.pop("identity", None)
            if identity is not None:
                asset["identity"] = identity
    target.mkdir()
    (target / "factory.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return target


def _drift(model: Path) -> list[dict[str, object]]:
    result = runner.invoke(app, ["discover", str(GEEK_151022), "--model", str(model), "--format", "json"])
    assert result.exit_code == 0, result.output
    findings: list[dict[str, object]] = json.loads(result.stdout)["drift"]["findings"]
    return [f for f in findings if str(f["rule"]).startswith("DISC-IDENTITY")]


def test_a_wrong_declared_firmware_is_reported_with_both_values(starter: Path, tmp_path: Path) -> None:
    model = _with_plc_identity(
        starter, tmp_path / "wrong", {"vendor": "Siemens AG", "model": "6ES7212-1BD30-0XB0", "version": "V4.2"}
    )
    [finding] = _drift(model)
    assert finding["rule"] == "DISC-IDENTITY-MISMATCH" and finding["severity"] == "medium"
    message = str(finding["message"])
    assert "version: model says 'V4.2', the device says 'V1.0.1'" in message
    assert (
        "vendor" not in message.split("reported", 1)[1].split(":", 1)[1]
    )  # 'Siemens AG' is Siemens, and the model number only differs in spacing


def test_an_asset_without_identity_is_told_what_the_wire_said(starter: Path, tmp_path: Path) -> None:
    model = _with_plc_identity(starter, tmp_path / "none", None)
    [finding] = _drift(model)
    assert finding["rule"] == "DISC-IDENTITY-UNDECLARED" and finding["severity"] == "info"
    assert "6ES7 212-1BD30-0XB0" in str(finding["message"]) and "source: observed" in str(finding["message"])


def test_a_matching_identity_written_differently_gives_no_finding(starter: Path, tmp_path: Path) -> None:
    model = _with_plc_identity(
        starter,
        tmp_path / "same",
        {"vendor": "SIEMENS", "product": "S7-1200", "model": "6ES7212-1BD30-0XB0", "version": "1.0.1"},
    )
    assert _drift(model) == []


def test_explain_knows_both_identity_rules() -> None:
    for rule in ("DISC-IDENTITY-MISMATCH", "DISC-IDENTITY-UNDECLARED"):
        result = runner.invoke(app, ["explain", rule])
        assert result.exit_code == 0 and "3.1.4" in result.stdout


def _seen(protocol: str, seen: float, **facts: str) -> DeviceIdentity:
    return DeviceIdentity(
        ip="10.0.0.5",
        protocol=protocol,
        evidence=f"{protocol}.pcap byte {int(seen)}",
        source="capture",
        seen=seen,
        **facts,
    )


def test_merging_keeps_the_earliest_report_per_field_and_every_evidence() -> None:
    merged = ObservedIdentity.merge(
        [
            _seen("snmp", 20.0, vendor="Rockwell", firmware="21.11"),
            _seen("enip", 10.0, vendor="Rockwell Automation/Allen-Bradley", model="1756-L71"),
        ]
    )
    assert merged is not None
    assert (merged.vendor, merged.model, merged.version) == ("Rockwell Automation/Allen-Bradley", "1756-L71", "21.11")
    assert merged.evidence == ("enip.pcap byte 10", "snmp.pcap byte 20")
    assert ObservedIdentity.merge([_seen("snmp", 1.0, raw="Linux 5.10")]) is None  # free text alone is no identity


@pytest.mark.parametrize(
    ("declared", "observed", "fields"),
    [
        ({"vendor": "Mitsubishi Electric Corporation"}, {"vendor": "MITSUBISHI ELECTRIC"}, []),
        ({"vendor": "Omron"}, {"vendor": "Siemens"}, ["vendor"]),
        ({"version": "V2.9.4"}, {"firmware": "2.9.4"}, []),
        ({"version": "V2.9.4"}, {"firmware": "V2.9.5"}, ["version"]),
        ({"model": "R04ENCPU"}, {"model": "R08ENCPU"}, ["model"]),
        ({"product": "MELSEC iQ-R"}, {"product": "SIMATIC S7-1500"}, []),  # product families are not compared
    ],
)
def test_which_fields_disagree(declared: dict[str, str], observed: dict[str, str], fields: list[str]) -> None:
    merged = ObservedIdentity.merge([_seen("snmp", 1.0, **observed)])
    assert merged is not None
    assert [field for field, _, _ in differences(AssetIdentity(**declared), merged)] == fields


def _plc_hard_wired(starter: Path, target: Path, identity: dict[str, str]) -> Path:
    """The starter model with the PLC declared hard-wired: its address dropped, the given identity declared."""
    document = yaml.safe_load((starter / "factory.yaml").read_text(encoding="utf-8"))
    for asset in document["assets"]:
        if asset.get("addresses") == [PLC]:
            asset.pop("addresses")
            asset["traits"] = ["hard-wired"]
            asset["identity"] = identity
    target.mkdir()
    (target / "factory.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return target


def _hard_wired_findings(model: Path) -> list[dict[str, object]]:
    result = runner.invoke(app, ["discover", str(GEEK_151022), "--model", str(model), "--format", "json"])
    assert result.exit_code == 0, result.output
    findings: list[dict[str, object]] = json.loads(result.stdout)["drift"]["findings"]
    return [f for f in findings if f["rule"] == "DISC-HARD-WIRED-SEEN"]


@pytest.mark.parametrize(
    "identity",
    [
        {"vendor": "Siemens AG", "model": "6ES7212-1BD30-0XB0"},  # no serial declared: vendor and model number
        {"vendor": "Siemens", "model": "6ES7 214-1AG40-0XB0", "serial": "SZVA3YU6014773"},  # the serial decides
    ],
)
def test_an_asset_declared_hard_wired_whose_identity_a_host_states_is_seen_on_the_network(
    starter: Path, tmp_path: Path, identity: dict[str, str]
) -> None:
    model = _plc_hard_wired(starter, tmp_path / "hw", identity)
    plc_id = next(a.id for a in load_model(model / "factory.yaml").assets if a.identity and not a.addresses)
    [finding] = _hard_wired_findings(model)
    assert finding["severity"] == "high" and finding["subject"] == plc_id
    message = str(finding["message"])
    assert f"asset '{plc_id}' is declared hard-wired" in message and PLC in message
    assert "6ES7 212-1BD30-0XB0" in message and "remove 'hard-wired'" in message


@pytest.mark.parametrize(
    "identity",
    [
        {"vendor": "Siemens", "model": "6ES7 214-1AG40-0XB0"},  # another model number
        {"vendor": "Siemens"},  # a vendor alone does not name one device
        {"vendor": "Siemens", "model": "6ES7 212-1BD30-0XB0", "serial": "S C-X4U421302009"},  # serials differ
    ],
)
def test_a_hard_wired_asset_is_not_matched_to_a_host_that_is_not_it(
    starter: Path, tmp_path: Path, identity: dict[str, str]
) -> None:
    assert _hard_wired_findings(_plc_hard_wired(starter, tmp_path / "other", identity)) == []


def test_explain_knows_the_hard_wired_drift_rule() -> None:
    result = runner.invoke(app, ["explain", "DISC-HARD-WIRED-SEEN"])
    assert result.exit_code == 0 and "3.1.4" in result.stdout and "hard-wired" in result.stdout
