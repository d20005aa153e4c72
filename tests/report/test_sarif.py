"""SARIF output: valid against the official 2.1.0 schema, results located at the model element."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import get_args

import jsonschema
import pytest

from factorysec.analysis import Assessment, analyze
from factorysec.analysis.risk import RiskLevel
from factorysec.catalog import Catalog
from factorysec.model import LoadedModel, load_model_with_sources
from factorysec.model.workbook import write_workbook
from factorysec.report.sarif import FINGERPRINT_KEY, LEVEL_OF_RISK, rule_name, sarif_log
from tests.conftest import FIXTURES
from tests.report.conftest import EXAMPLES

SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _validate(log: dict[str, object]) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(json.loads(json.dumps(log)))


@pytest.fixture
def case1(in_repo: Path, catalog: Catalog) -> tuple[LoadedModel, Assessment]:
    loaded = load_model_with_sources(Path("examples/annex-a/case-1-first-added.yaml"))
    return loaded, analyze(loaded.model, catalog)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_log_validates_against_the_official_schema(case1: tuple[LoadedModel, Assessment], lang: str) -> None:
    log = sarif_log(case1[1], case1[0], lang)
    _validate(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1


def test_schema_rejects_a_broken_log(case1: tuple[LoadedModel, Assessment]) -> None:
    log = sarif_log(case1[1], case1[0])
    del log["runs"][0]["tool"]["driver"]["name"]
    with pytest.raises(jsonschema.ValidationError):
        _validate(log)


def test_every_finding_is_a_result_with_rule_fingerprint_and_level(case1: tuple[LoadedModel, Assessment]) -> None:
    loaded, assessment = case1
    run = sarif_log(assessment, loaded)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    expected = [f.id for f in (*assessment.findings, *assessment.lifecycle.findings)]
    assert assessment.lifecycle.findings
    assert [r["partialFingerprints"][FINGERPRINT_KEY] for r in run["results"]] == expected
    risk_levels = {risk.finding: LEVEL_OF_RISK[risk.level] for risk in assessment.risks}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        fingerprint = result["partialFingerprints"][FINGERPRINT_KEY]
        assert result["level"] == risk_levels.get(fingerprint, result["level"]) and result["level"] in {
            "error",
            "warning",
            "note",
        }
    mixed = next(r for r in rules if r["id"] == "ZONE-MIXED-CONTROL")
    assert mixed["name"] == "ZoneMixedControl"
    assert mixed["properties"]["reference"]


def test_zone_result_points_at_the_zone_line_in_the_file_that_defines_it(case1: tuple[LoadedModel, Assessment]) -> None:
    loaded, assessment = case1
    run = sarif_log(assessment, loaded)["runs"][0]
    result = next(r for r in run["results"] if r["partialFingerprints"][FINGERPRINT_KEY] == "ZONE-MIXED-CONTROL@oa")
    physical = result["locations"][0]["physicalLocation"]
    uri = physical["artifactLocation"]["uri"]
    assert not uri.startswith("/") and "\\" not in uri
    lines = Path(uri).read_text(encoding="utf-8").splitlines()
    assert lines[physical["region"]["startLine"] - 1].strip().startswith("- id: oa")
    conduit = next(r for r in run["results"] if r["partialFingerprints"][FINGERPRINT_KEY].endswith("@cad-to-scada"))
    conduit_physical = conduit["locations"][0]["physicalLocation"]
    assert conduit_physical["artifactLocation"]["uri"] == "examples/annex-a/case-1-first-added.yaml"
    assert (
        "cad-to-scada"
        in Path(conduit_physical["artifactLocation"]["uri"])
        .read_text(encoding="utf-8")
        .splitlines()[conduit_physical["region"]["startLine"] - 1]
    )


def test_japanese_messages(case1: tuple[LoadedModel, Assessment]) -> None:
    run = sarif_log(case1[1], case1[0], "ja")["runs"][0]
    assert run["language"] == "ja-JP"
    assert any("ゾーン" in r["message"]["text"] for r in run["results"])


def test_workbook_model_results_name_sheet_and_row(
    tmp_path: Path, case1: tuple[LoadedModel, Assessment], catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_workbook(case1[0].model, Path("plant.xlsx"), catalog)
    loaded = load_model_with_sources(Path("plant.xlsx"))
    log = sarif_log(analyze(loaded.model, catalog), loaded)
    _validate(log)
    result = next(
        r for r in log["runs"][0]["results"] if r["partialFingerprints"][FINGERPRINT_KEY] == "ZONE-MIXED-CONTROL@oa"
    )
    location = result["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "plant.xlsx"
    index = [z.id for z in loaded.model.zones].index("oa")
    assert location["message"]["text"] == f"plant.xlsx: sheet 'zones' row {index + 2}"


def test_rule_name() -> None:
    assert rule_name("THREAT-FA-OA-CONNECTION") == "ThreatFaOaConnection"


def test_levels_follow_step_2_risk_levels_when_present(case1: tuple[LoadedModel, Assessment]) -> None:
    loaded, assessment = case1
    first, second = assessment.findings[0].id, assessment.findings[1].id
    template = assessment.risks[0]
    ranked = assessment.model_copy(
        update={
            "risks": (
                template.model_copy(update={"finding": first, "level": "critical"}),
                template.model_copy(update={"finding": second, "level": "low"}),
            )
        }
    )
    log = sarif_log(ranked, loaded)
    _validate(log)
    levels = {r["partialFingerprints"][FINGERPRINT_KEY]: r["level"] for r in log["runs"][0]["results"]}
    assert levels[first] == "error" and levels[second] == "note"
    assert {levels[f.id] for f in assessment.findings[2:]} == {"warning"}


def test_every_risk_level_has_a_sarif_level_and_case_two_results_use_them(catalog: Catalog) -> None:
    assert set(get_args(RiskLevel)) == set(LEVEL_OF_RISK)
    loaded = load_model_with_sources(EXAMPLES / "case-2-after-review.yaml")
    assessment = analyze(loaded.model, catalog)
    results = {
        r["partialFingerprints"][FINGERPRINT_KEY]: r for r in sarif_log(assessment, loaded)["runs"][0]["results"]
    }
    high = results["THREAT-EXTERNAL-NETWORK@warehouse-to-remote-maintenance"]
    assert (high["level"], high["properties"]["riskLevel"]) == ("error", "high")
    # the FA-OA link is high, not low, since the control side reaches it back over the same conduit (#23 item 1)
    fa_oa = results["THREAT-FA-OA-CONNECTION@oa-to-control"]
    assert (fa_oa["level"], fa_oa["properties"]["riskLevel"]) == ("error", "high")
    medium = results["THREAT-BUILT-IN-COMPUTER@production"]
    assert medium["level"] == "warning"
    assert {r.level for r in assessment.risks} == {"high", "medium"}
    assert LEVEL_OF_RISK["low"] == "note"
    for finding in assessment.lifecycle.findings:
        result = results[finding.id]
        assert result["ruleId"] == finding.rule and "riskLevel" not in result["properties"]
        assert result["level"] == ("note" if finding.advisory else "warning")


def test_each_rule_carries_githubs_security_severity_from_its_highest_result(
    case1: tuple[LoadedModel, Assessment],
) -> None:
    # before: no rule had 'security-severity' nor the 'security' tag, so GitHub code scanning listed every alert by
    # its plain level (error/warning/note), behind other tools' Critical/High/Medium/Low, and no rule had help
    loaded, assessment = case1
    first, second, third = (finding for finding in assessment.findings[:3])
    template = assessment.risks[0]
    ranked = assessment.model_copy(
        update={
            "risks": (
                template.model_copy(update={"finding": first.id, "level": "low"}),
                template.model_copy(update={"finding": second.id, "level": "critical"}),
                template.model_copy(update={"finding": third.id, "level": "high"}),
            )
        }
    )
    log = sarif_log(ranked, loaded)
    _validate(log)
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    highest: dict[str, float] = {}
    for finding, score in ((first, 3.0), (second, 9.5), (third, 8.0)):
        highest[finding.rule] = max(highest.get(finding.rule, 0.0), score)
    for rule_id, score in highest.items():
        assert float(rules[rule_id]["properties"]["security-severity"]) == score
    for rule_id, rule in rules.items():
        assert "security" in rule["properties"]["tags"]
        if rule_id not in highest:
            advisory = rule["defaultConfiguration"]["level"] == "note"
            assert rule["properties"]["security-severity"] == ("3.0" if advisory else "5.5")
        assert rule["properties"]["reference"] in rule["help"]["markdown"]
        assert rule["help"]["text"].startswith("Why it matters: ")


def test_japanese_rule_help(case1: tuple[LoadedModel, Assessment]) -> None:
    rules = sarif_log(case1[1], case1[0], "ja")["runs"][0]["tool"]["driver"]["rules"]
    assert all(rule["help"]["markdown"].startswith("**なぜ重要か**: ") for rule in rules)
    guideline = [rule["help"]["text"].rsplit("ガイドライン: ", 1)[1] for rule in rules]
    assert not [g for g in guideline if re.search(r"\b(Appendix|Table|Annex|Step)\b", g)]
