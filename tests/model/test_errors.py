"""Every class of input error: exact file:line:column, field and message, through ``factorysec check``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factorysec.catalog import load_catalog
from factorysec.model import ModelInputError, load_model
from tests.model.conftest import FIXTURES, PROBLEM_LINE, run_check

EXPECTED: dict[str, list[str]] = {
    "syntax-error.yaml": [
        "syntax-error.yaml:4:1: YAML syntax error: while parsing a flow sequence did not find expected ',' or ']'",
    ],
    "duplicate-key.yaml": [
        "duplicate-key.yaml:4:3: duplicate key 'id' (keep one of them)",
    ],
    "unsafe-tag.yaml": [
        "unsafe-tag.yaml:3:9: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"
        " (only plain values, lists and mappings are allowed)",
    ],
    "alias-bomb.yaml": [
        "alias-bomb.yaml:1:14: document expands to too many values (a YAML alias bomb?) (remove the nested aliases)",
    ],
    "not-utf8.yaml": [
        "not-utf8.yaml:3:1: file is not valid UTF-8 (save it as UTF-8)",
    ],
    "unknown-field.yaml": [
        "unknown-field.yaml:8:5: assets[0].zoen: unknown field 'zoen' (did you mean 'zone'?)",
    ],
    "wrong-types.yaml": [
        "wrong-types.yaml:4:3: factory.review_interval_days: expected a whole number, got 'yearly'",
        "wrong-types.yaml:12:5: assets[0].operations: expected a list, got 'production-op' (write each entry as '- value')",
        "wrong-types.yaml:14:3: bcp.exists: expected true or false, got 'maybe'",
    ],
    "wrong-enum.yaml": [
        "wrong-enum.yaml:5:25: assets[0].type: 'equipmnt' is not allowed, expected one of:"
        " external-service, equipment, software, data (did you mean 'equipment'?)",
    ],
    "invalid-id.yaml": [
        "invalid-id.yaml:3:6: zones[0].id: 'zone one' is not a valid identifier"
        " (use letters, digits, '.', '_' or '-', starting with a letter or digit)",
    ],
    "missing-field.yaml": [
        "missing-field.yaml:3:5: zones[0].kind: missing required field 'kind' (add it)",
    ],
    "bool-in-text.yaml": [
        'bool-in-text.yaml:3:14: zones[0].name: expected text, got True (quote it: "true")',
        'bool-in-text.yaml:5:5: zones[1].name: expected text, got 1000.0 (quote it: "1e3")',
        'bool-in-text.yaml:7:5: zones[1].description: expected text, got 15 (quote it: "0o17")',
    ],
    "dangling.yaml": [
        "dangling.yaml:7:57: parties[1].subcontractor_of: unknown party 'line-vendr' (did you mean 'line-vendor'?)",
        "dangling.yaml:9:43: assets[0].zone: unknown zone 'asembly' (did you mean 'assembly'?)",
        "dangling.yaml:11:28: conduits[0].to: unknown zone 'assembli' (did you mean 'assembly'?)",
    ],
    "unknown-catalog.yaml": [
        "unknown-catalog.yaml:1:43: factory.purposes[0]: 'increase-productivty' is not a known purpose id in the catalog"
        " (did you mean 'increase-productivity'?)",
        "unknown-catalog.yaml:5:52: assets[0].component: 'controler' is not a known component id in the catalog"
        " (did you mean 'controller'?)",
    ],
    "cycles.yaml": [
        "cycles.yaml:3:46: zones[0].parent: sub-zone cycle: z1 -> z2 -> z1 (break the cycle by changing one 'parent')",
        "cycles.yaml:6:45: parties[0].subcontractor_of: subcontracting cycle: p1 -> p2 -> p1"
        " (break the cycle by changing one 'subcontractor_of')",
    ],
    "no-zone.yaml": [
        "no-zone.yaml:5:5: assets[0]: asset 'a1' is in no zone"
        " (add 'zone: ZONE-ID'; every protected object belongs to a zone (Step 1-6))",
    ],
    "duplicate-id-folder": [
        "duplicate-id-folder/a-zones.yaml:4:6: zones[1].id: duplicate id 'line', already used in assets[1]"
        " (ids must be unique across the whole model)",
    ],
    "factory-twice-folder": [
        "factory-twice-folder/b.yaml:2:1: factory: 'factory' is already defined in factory-twice-folder/a.yaml"
        " (keep it in one file)",
    ],
    "many-problems.yaml": [
        "many-problems.yaml:3:28: zones[0].kind: 'productoin' is not allowed, expected one of: production, logistics,"
        " production-control, monitoring, engineering, office, external, dmz, other (did you mean 'production'?)",
        "many-problems.yaml:6:42: assets[0].zone: unknown zone 'z3' (define it under zones)",
        "many-problems.yaml:7:52: assets[1].colour: unknown field 'colour' (allowed: id, name, type, component, zone,"
        " operations, status, supplier, maintainer, managed_by, procured, traits, importance, addresses, location, recovery_target_hours, data, identity, description, separation_exception, data_separation)",
        "many-problems.yaml:8:70: assets[2].operations[0]: unknown operation 'op9' (define it under operations)",
    ],
    "empty.yaml": [
        "empty.yaml:1:1: missing required section 'factory' (add 'factory: {id: ..., name: ...}')",
    ],
    "bad-addresses.yaml": [
        "bad-addresses.yaml:3:46: zones[0].subnets[0]: '10.0.0.300/8' does not appear to be an IPv4 or IPv6 network",
        "bad-addresses.yaml:5:60: assets[0].addresses[0]: '999.1.1.1' does not appear to be an IPv4 or IPv6 address",
        "bad-addresses.yaml:5:85: assets[0].importance.safety: 'hgh' is not allowed, expected one of: low, medium, high, critical"
        " (did you mean 'high'?)",
    ],
    "listed-twice.yaml": [
        "listed-twice.yaml:7:7: factory.purposes[2]: 'improve-quality' is listed twice (list each value once: remove this one)",
        "listed-twice.yaml:14:23: zones[0].operations[1]: 'op1' is listed 3 times (list each value once: remove this one)",
        "listed-twice.yaml:15:28: zones[0].subnets[1]: '10.0.0.7/24' is listed twice, first as '10.0.0.0/24'"
        " (list each value once: remove this one)",
        "listed-twice.yaml:22:34: assets[0].traits[2]: 'remote-access' is listed twice (list each value once: remove this one)",
        "listed-twice.yaml:23:24: assets[0].addresses[1]: '0::1' is listed twice, first as '::1'"
        " (list each value once: remove this one)",
        "listed-twice.yaml:26:94: conduits[0].protocols[1]: 'opc-ua' is listed twice (list each value once: remove this one)",
    ],
    "folder-errors": [
        "folder-errors/c-conduits.yml:2:52: conduits[0].from_assets[0]: asset 'plc' is in zone 'line', not in 'office'"
        " (list only assets of zone 'office' in from_assets)",
        "folder-errors/sub/b-assets.yaml:6:5: assets[1].type: 'equipmnt' is not allowed, expected one of:"
        " external-service, equipment, software, data (did you mean 'equipment'?)",
        "folder-errors/sub/b-assets.yaml:7:5: assets[1].zone: unknown zone 'ofice' (did you mean 'office'?)",
    ],
    "change/chain-2.yaml": [
        'change/chain-2.yaml:5:7: assets[1].name: expected text, got True (quote it: "true")',
        "change/chain-2.yaml:7:9: assets[1].data.category: expected text, got a list (write a single value)",
    ],
    "bad-catalog-syntax.yaml": [
        "bad-catalog-syntax.yaml:1:43: factory.purposes[0]: 'Increase-Productivity' is not a valid catalog id"
        " (catalog ids use lowercase letters, digits, '.', '/' or '-': did you mean 'increase-productivity'?)",
        "bad-catalog-syntax.yaml:3:51: conduits[0].protocols[0]: 'OPC UA' is not a valid protocol id"
        " (protocol ids use lowercase letters, digits, '.', '+', '/', '_' or '-': did you mean 'opc-ua'?)",
    ],
    "recursive-alias.yaml": [
        "recursive-alias.yaml:1:4: recursive YAML alias (an anchor may not contain an alias to itself)"
    ],
    "too-deep.yaml": ["too-deep.yaml:1:74: nesting deeper than 64 levels (flatten the document)"],
    "two-documents.yaml": [
        "two-documents.yaml:2:1: YAML syntax error: expected a single document in the stream but found another document"
    ],
    "tab-indent.yaml": [
        "tab-indent.yaml:2:1: YAML syntax error: while scanning for the next token found character that cannot start any token"
        " (indent with spaces, not tabs)",
    ],
    "merge-key.yaml": ["merge-key.yaml:2:1: YAML merge keys ('<<') are not supported (write the fields out)"],
    "complex-key.yaml": ["complex-key.yaml:2:3: mapping keys must be plain text"],
    "change/structural-and-model.yaml": [
        "change/structural-and-model.yaml:3:11: remove.zones[0]: cannot remove 'z8': not in the base model"
        " (no entry in zones has this id)",
        "change/structural-and-model.yaml:6:34: assets[2].type: 'equipmnt' is not allowed, expected one of:"
        " external-service, equipment, software, data (did you mean 'equipment'?)",
        "change/structural-and-model.yaml:6:50: assets[2].zone: unknown zone 'z7' (define it under zones)",
    ],
    "change/on-a-broken-base.yaml": [
        "change/missing-targets.yaml:4:8: modify.assets[0].id: cannot modify 'a2': not in the base model"
        " (use 'add:' for a new entry in assets)",
        "change/missing-targets.yaml:6:11: remove.zones[0]: cannot remove 'z8': not in the base model"
        " (no entry in zones has this id)",
    ],
    "change/missing-base.yaml": [
        "change/missing-base.yaml:2:3: change.base: base model 'no-such-model.yaml' does not exist"
        " (the path is relative to the change file)",
    ],
    "hard-wired-networked.yaml": [
        "hard-wired-networked.yaml:9:106: assets[1].traits[1]: asset 'plc' is hard-wired, so no network reaches it, but it is also 'wireless' (it talks over a wireless network) (remove 'wireless', or remove 'hard-wired' if the device has a network interface)",
        "hard-wired-networked.yaml:10:6: assets[1].addresses: asset 'plc' is hard-wired, so no network reaches it, but it has IP addresses (remove 'addresses', or remove the trait 'hard-wired' if the device has a network interface)",
        "hard-wired-networked.yaml:11:68: assets[2].traits[0]: asset 'box' is hard-wired, so no network reaches it, but it is also 'remote-access' (it is reached remotely over an external network) (remove 'remote-access', or remove 'hard-wired' if the device has a network interface)",
        "hard-wired-networked.yaml:11:83: assets[2].traits[1]: asset 'box' is hard-wired, so no network reaches it, but it is also 'boundary-device' (it filters network traffic on a zone boundary) (remove 'boundary-device', or remove 'hard-wired' if the device has a network interface)",
        "hard-wired-networked.yaml:12:78: assets[3].traits[0]: asset 'svc' is hard-wired, so no network reaches it, but it is also 'cloud' (it runs as or on a cloud service) (remove 'cloud', or remove 'hard-wired' if the device has a network interface)",
        "hard-wired-networked.yaml:12:85: assets[3].traits[1]: asset 'svc' is an external service, which the factory reaches only over a network, so it cannot be hard-wired (remove 'hard-wired')",
    ],
    "one-way-two-way.yaml": [
        "one-way-two-way.yaml:9:56: conduits[0].via[0]: 'd' is a data diode, which lets traffic through one way only,"
        " but the conduit's direction is two-way (set 'direction: one-way' with 'from' on the diode's sending side,"
        " or draw the way back as its own conduit that does not pass the diode)",
        "one-way-two-way.yaml:10:50: conduits[1].one_way: a conduit with one_way: true lets traffic through from 'from'"
        " to 'to' only, so its data cannot go both ways; set direction: one-way, or one_way: false if replies do come back"
        " (got True)",
    ],
    "change/unknown-section.yaml": [
        "change/unknown-section.yaml:2:1: ad: unknown section 'ad' in a change file (did you mean 'add'?)",
        "change/unknown-section.yaml:7:8: modify.assets[0].id: cannot modify 'a9': not in the base model"
        " (use 'add:' for a new entry in assets)",
        "change/unknown-section.yaml:9:11: remove.zones[0]: cannot remove 'z8': not in the base model"
        " (no entry in zones has this id)",
    ],
    "change/missing-targets.yaml": [
        "change/missing-targets.yaml:4:8: modify.assets[0].id: cannot modify 'a2': not in the base model"
        " (use 'add:' for a new entry in assets)",
        "change/missing-targets.yaml:6:11: remove.zones[0]: cannot remove 'z8': not in the base model"
        " (no entry in zones has this id)",
    ],
    "change/errors-in-change.yaml": [
        "change/errors-in-change.yaml:6:9: assets[1].data.disclosure: 'secrett' is not allowed, expected one of:"
        " public, partners, internal, restricted, secret (did you mean 'secret'?)",
        "change/errors-in-change.yaml:12:7: assets[2].zone: unknown zone 'z7' (define it under zones)",
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_reports_exact_problems(name: str, in_fixtures: Path) -> None:
    result = run_check(name)
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.problems == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_library_raises_the_same_problems_sorted_and_unique(name: str, in_fixtures: Path) -> None:
    with pytest.raises(ModelInputError) as caught:
        load_model(name, load_catalog())
    problems = caught.value.problems
    assert [str(p) for p in problems] == EXPECTED[name]
    assert problems == sorted(set(problems))


def test_every_problem_line_is_well_formed(in_fixtures: Path) -> None:
    for expected in EXPECTED.values():
        for line in expected:
            assert PROBLEM_LINE.match(line), line


def test_many_problems_are_all_reported_in_one_run(in_fixtures: Path) -> None:
    result = run_check("many-problems.yaml")
    assert len(result.problems) >= 3
    kinds = {"is not allowed", "unknown zone", "unknown field", "unknown operation"}
    assert all(any(kind in line for line in result.problems) for kind in kinds)


def test_alias_bomb_fails_fast(in_fixtures: Path) -> None:
    started = time.perf_counter()
    result = run_check("alias-bomb.yaml")
    assert result.exit_code == 2
    assert time.perf_counter() - started < 5


def test_unsafe_tag_is_never_executed(in_fixtures: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    model = tmp_path / "evil.yaml"
    model.write_text(f"factory: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    result = run_check(model)
    assert result.exit_code == 2
    assert not marker.exists()


def _check_subprocess(path: str, env_extra: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_extra}
    code = "from factorysec.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, "check", path], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def test_file_over_the_size_limit_is_refused_before_parsing() -> None:
    size = (FIXTURES / "valid-minimal.yaml").stat().st_size
    done = _check_subprocess("valid-minimal.yaml", {"FACTORYSEC_MAX_FILE_BYTES": "64"}, FIXTURES)
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (
        f"valid-minimal.yaml:1:1: file is {size} bytes, over the 64-byte limit (split it into several files in a folder)"
    )
    assert "Traceback" not in done.stderr


def test_size_limit_follows_the_environment_at_call_time(in_fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTORYSEC_MAX_FILE_BYTES", "64")
    result = run_check("valid-minimal.yaml")
    assert result.exit_code == 2
    assert "over the 64-byte limit" in result.problems[0]


def test_valid_fixture_passes(in_fixtures: Path) -> None:
    result = run_check("valid-minimal.yaml")
    assert result.exit_code == 0, result.problems
    assert result.stdout.startswith("valid-minimal.yaml: valid — 1 zone, 1 asset, ")


def test_modify_of_a_nested_field_keeps_its_siblings(in_fixtures: Path) -> None:
    model = load_model("change/modify-nested.yaml")
    recipe = next(asset for asset in model.assets if asset.id == "recipe")
    assert recipe.data is not None
    assert recipe.data.disclosure == "secret"
    assert recipe.data.category == "production"


@pytest.mark.parametrize("value", ["lots", "-5", "0", ""])
def test_a_malformed_size_limit_falls_back_to_the_default(
    value: str, in_fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTORYSEC_MAX_FILE_BYTES", value)
    assert run_check("valid-minimal.yaml").exit_code == 0
    done = _check_subprocess("valid-minimal.yaml", {"FACTORYSEC_MAX_FILE_BYTES": value}, FIXTURES)
    assert done.returncode == 0, done.stderr


def test_control_character_is_located_on_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("ctrl.yaml").write_bytes(b"factory:\n  id: f1\n  name: Pl\x00ant\n")
    result = run_check("ctrl.yaml")
    assert result.exit_code == 2
    assert result.problems == [
        "ctrl.yaml:3:11: file contains the character U+0000, which YAML does not allow (remove it or write it as an escape in double quotes)"
    ]


def test_chained_changes_merge_nested_fields_across_the_chain(in_fixtures: Path) -> None:
    recipe = next(asset for asset in load_model("change/chain-1.yaml").assets if asset.id == "recipe")
    assert recipe.data is not None
    assert (recipe.data.category, recipe.data.disclosure) == ("production", "secret")


_FOOD = Path(__file__).parents[2] / "examples" / "food-batch" / "factory.yaml"


@pytest.mark.parametrize(
    ("written", "replaced_by", "problem"),
    [
        (
            "review_interval_days: 365",
            "review_interval_days: true",
            "factory.review_interval_days: expected a number, not true or false, got True",
        ),
        (
            "review_interval_days: 365",
            "review_interval_days: 3000000",
            "factory.review_interval_days: Input should be less than or equal to 36500",
        ),
        (
            "country: JP",
            "country: jp",
            "factory.country: 'jp' is not a country code (write the two upper-case letters of ISO 3166-1 alpha-2, e.g. JP)",
        ),
        (
            "last_reviewed: 2026-05-01",
            "last_reviewed: 0",
            "requirements[0].last_reviewed: expected an ISO date such as 2026-04-01, got 0",
        ),
        (
            "last_reviewed: 2026-05-01",
            "last_reviewed: '1785542400'",
            "requirements[0].last_reviewed: expected an ISO date such as 2026-04-01, got '1785542400'",
        ),
    ],
)
def test_a_value_pydantic_would_quietly_convert_is_refused(
    written: str, replaced_by: str, problem: str, tmp_path: Path
) -> None:
    """true as a number (1), a number as a date (seconds since 1970) and a review interval past the calendar's end
    were taken as given: the model changed without a word, or every analysis of it crashed."""
    text = _FOOD.read_text(encoding="utf-8")
    assert written in text
    model = tmp_path / "m.yaml"
    model.write_text(text.replace(written, replaced_by, 1), encoding="utf-8")
    result = run_check(model)
    assert result.exit_code == 2
    assert len(result.problems) == 1 and problem in result.problems[0], result.problems
