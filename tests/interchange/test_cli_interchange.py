"""``factorysec export otm|threagile`` and ``factorysec import otm|threagile`` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.model import load_model, load_model_with_sources
from tests.conftest import EXAMPLES
from tests.interchange.conftest import THREAGILE_EXAMPLE

MODEL = EXAMPLES / "all-cases-reviewed.yaml"


def _run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_otm_round_trip_through_the_cli(tmp_path: Path) -> None:
    otm, back, report = tmp_path / "plant.otm.json", tmp_path / "back.yaml", tmp_path / "report.json"
    code, out, _ = _run("export", "otm", MODEL, "--out", otm, "--report", report)
    assert code == 0 and "mapping report" in out and "synthesised: 1" in out
    assert json.loads(otm.read_text(encoding="utf-8"))["otmVersion"] == "0.2.0"
    assert json.loads(report.read_text(encoding="utf-8"))["synthesised"][0]["subject"].startswith(
        "component warehouse-zone.gateway"
    )
    code, out, _ = _run("import", "otm", otm, "--out", back)
    assert code == 0, out
    assert load_model(back) == load_model(MODEL)
    assert _run("check", back)[0] == 0


def test_otm_export_as_yaml(tmp_path: Path) -> None:
    target = tmp_path / "plant.otm.yaml"
    assert _run("export", "otm", MODEL, "--out", target)[0] == 0
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["project"]["id"] == load_model(MODEL).factory.id


def test_existing_output_is_kept_unless_force(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("keep me", encoding="utf-8")
    code, _, err = _run("export", "otm", MODEL, "--out", target)
    assert (
        code == 2 and err == f"error: --out: {target} already exists; use --force to replace it, or give another path\n"
    )
    assert target.read_text(encoding="utf-8") == "keep me"
    assert _run("export", "otm", MODEL, "--out", target, "--force")[0] == 0
    assert target.read_text(encoding="utf-8") != "keep me"


def test_threagile_export_then_import(tmp_path: Path) -> None:
    exported, back = tmp_path / "plant.threagile.yaml", tmp_path / "back.yaml"
    code, out, _ = _run("export", "threagile", MODEL, "--out", exported)
    assert code == 0 and "dropped:" in out and "section parties" in out
    code, out, _ = _run("import", "threagile", exported, "--out", back)
    assert code == 0, out
    assert {z.id for z in load_model(back).zones} == {z.id for z in load_model(MODEL).zones}


def test_threagile_example_imports_with_risks_as_notes(tmp_path: Path) -> None:
    target = tmp_path / "example.yaml"
    code, out, _ = _run("import", "threagile", THREAGILE_EXAMPLE, "--out", target)
    assert code == 0, out
    text = target.read_text(encoding="utf-8")
    assert "#   - risk tracking 'untrusted-deserialization@erp-system': accepted" in text
    assert _run("check", target)[0] == 0


def test_malformed_json_is_one_located_line_and_nothing_is_written(tmp_path: Path) -> None:
    broken, target = tmp_path / "broken.json", tmp_path / "model.yaml"
    broken.write_text('{"otmVersion": "0.2.0",\n "project": {"id": "p", "name": }\n}', encoding="utf-8")
    code, _, err = _run("import", "otm", broken, "--out", target)
    assert code == 2
    assert err.splitlines()[0] == f"{broken}:2:33: invalid JSON: Expecting value"
    assert not target.exists()


def test_malformed_yaml_is_located(tmp_path: Path) -> None:
    broken, target = tmp_path / "broken.yaml", tmp_path / "model.yaml"
    broken.write_text("title: x\ntechnical_assets:\n  a: [unclosed\n", encoding="utf-8")
    code, _, err = _run("import", "threagile", broken, "--out", target)
    assert code == 2 and err.startswith(f"{broken}:") and "invalid YAML" in err.splitlines()[0]
    assert not target.exists()


def test_dangling_reference_exits_2_with_the_pointer(tmp_path: Path) -> None:
    otm, target = tmp_path / "plant.otm.json", tmp_path / "model.yaml"
    assert _run("export", "otm", MODEL, "--out", otm)[0] == 0
    document = json.loads(otm.read_text(encoding="utf-8"))
    document["components"][0]["parent"]["trustZone"] = "nowhere"
    otm.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = _run("import", "otm", otm, "--out", target)
    assert code == 2
    assert err.splitlines()[0] == f"{otm}:/components/0/parent/trustZone: trust zone 'nowhere' does not exist"
    assert not target.exists()


def test_user_mapping_chooses_zone_kinds(tmp_path: Path) -> None:
    mapping, target = tmp_path / "mapping.yaml", tmp_path / "model.yaml"
    mapping.write_text(
        "zone_kinds: {network-on-prem: production}\ncomponent_types: {identity-store-ldap: {type: software, component: packaged-software}}\n",
        encoding="utf-8",
    )
    assert _run("import", "threagile", THREAGILE_EXAMPLE, "--out", target, "--mapping", mapping)[0] == 0
    model = load_model(target)
    assert next(z for z in model.zones if z.id == "dev-network").kind.value == "production"
    assert next(a for a in model.assets if a.id == "ldap-auth-server").component == "packaged-software"
    mapping.write_text("zone_kinds: {x: factory-floor}\n", encoding="utf-8")
    code, _, err = _run(
        "import", "threagile", THREAGILE_EXAMPLE, "--out", tmp_path / "other.yaml", "--mapping", mapping
    )
    assert code == 2 and err.startswith(f"{mapping}:/zone_kinds/x: ")


def test_import_as_a_change_file_goes_through_review(tmp_path: Path) -> None:
    """Edit an exported OTM file as another tool would (a new component), import it against the model: review sees the new asset."""
    otm, change = tmp_path / "plant.otm.json", tmp_path / "change.yaml"
    assert _run("export", "otm", MODEL, "--out", otm)[0] == 0
    document = json.loads(otm.read_text(encoding="utf-8"))
    document["components"].append(
        {"id": "new-camera", "name": "Inspection camera", "type": "iot-device", "parent": {"trustZone": "product-zone"}}
    )
    otm.write_text(json.dumps(document), encoding="utf-8")
    code, out, _ = _run("import", "otm", otm, "--out", change, "--base", MODEL)
    assert code == 0, out
    written = yaml.safe_load(change.read_text(encoding="utf-8"))
    assert written["add"] == {
        "assets": [
            {
                "id": "new-camera",
                "name": "Inspection camera",
                "type": "equipment",
                "component": "iot-device",
                "zone": "product-zone",
            }
        ]
    }
    assert "remove" not in written and "modify" not in written
    loaded = load_model_with_sources(change)
    assert loaded.base is not None and loaded.base.model == load_model(MODEL)
    assert [a.id for a in loaded.model.assets if a.id not in {b.id for b in load_model(MODEL).assets}] == ["new-camera"]
    code, out, _ = _run("review", change, "--format", "json")
    assert code == 0 and "new-camera" in out


def test_alias_bomb_and_deep_nesting_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(8)]
    bomb.write_text("\n".join(levels) + "\n", encoding="utf-8")
    code, _, err = _run("import", "threagile", bomb, "--out", tmp_path / "a.yaml")
    assert (
        code == 2 and err.splitlines()[0] == f"{bomb}:1:1: document expands to more than 2000000 values (YAML aliases?)"
    )
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000, encoding="utf-8")
    code, _, err = _run("import", "otm", deep, "--out", tmp_path / "b.yaml")
    assert code == 2 and err.splitlines()[0] == f"{deep}:1:1: document nests too deeply to be read"
    assert not (tmp_path / "a.yaml").exists() and not (tmp_path / "b.yaml").exists()


def test_output_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    code, _, err = _run("export", "threagile", MODEL, "--out", tmp_path / "missing" / "t.yaml")
    assert code == 2 and "does not exist" in err


def test_import_into_a_folder_writes_model_yaml(tmp_path: Path) -> None:
    code, out, _ = _run("import", "threagile", THREAGILE_EXAMPLE, "--out", tmp_path)
    assert code == 0, out
    assert (tmp_path / "model.yaml").is_file() and _run("check", tmp_path)[0] == 0
    code, _, err = _run("import", "threagile", THREAGILE_EXAMPLE, "--out", tmp_path)
    assert code == 2 and "model.yaml already exists" in err


def test_report_is_checked_like_out_before_anything_is_written(tmp_path: Path) -> None:
    """--report: an existing file without --force, the --out path, an input, a missing folder: exit 2, one line, nothing written."""
    kept = tmp_path / "kept.json"
    kept.write_text("keep me", encoding="utf-8")
    for command, out in (
        (("export", "otm", MODEL), tmp_path / "out.json"),
        (("export", "threagile", MODEL), tmp_path / "out.yaml"),
    ):
        code, _, err = _run(*command, "--out", out, "--report", kept)
        assert (code, err) == (
            2,
            f"error: --report: {kept} already exists; use --force to replace it, or give another path\n",
        )
        code, _, err = _run(*command, "--out", out, "--report", out)
        assert (code, err) == (2, f"error: --report: {out} is also given as --out; give each output its own path\n")
        code, _, err = _run(*command, "--out", out, "--report", MODEL, "--force")
        assert (code, err) == (2, f"error: --report: {MODEL} is an input of this command; give another path\n")
        missing = tmp_path / "nodir" / "r.json"
        code, _, err = _run(*command, "--out", out, "--report", missing)
        assert code == 2 and err.splitlines() == [
            f"error: --report: {missing}: the folder {missing.parent} does not exist; create it first or give another path"
        ]
        assert not out.exists() and kept.read_text(encoding="utf-8") == "keep me"
    exported = tmp_path / "t.yaml"
    assert _run("export", "threagile", MODEL, "--out", exported)[0] == 0
    before = exported.read_bytes()
    model = tmp_path / "model.yaml"
    code, _, err = _run("import", "threagile", exported, "--out", model, "--report", exported, "--force")
    assert (code, err) == (2, f"error: --report: {exported} is an input of this command; give another path\n")
    code, _, err = _run("import", "threagile", exported, "--out", model, "--report", kept)
    assert code == 2 and "already exists" in err
    assert exported.read_bytes() == before and not model.exists() and kept.read_text(encoding="utf-8") == "keep me"
    assert _run("import", "threagile", exported, "--out", model, "--report", kept, "--force")[0] == 0
    assert "mapped" in json.loads(kept.read_text(encoding="utf-8"))


def test_a_file_of_a_folder_model_is_an_input(tmp_path: Path) -> None:
    """--out or --report onto one of a folder model's files is refused even with --force (not only the folder itself)."""
    plant = tmp_path / "plant"
    plant.mkdir()
    (plant / "model.yaml").write_text(MODEL.read_text(encoding="utf-8"), encoding="utf-8")
    before = (plant / "model.yaml").read_bytes()
    for option in ("--out", "--report"):
        args: list[str | Path] = ["--out", tmp_path / "o.json"] if option == "--report" else []
        code, _, err = _run("export", "otm", plant, *args, option, plant / "model.yaml", "--force")
        assert (code, err) == (
            2,
            f"error: {option}: {plant / 'model.yaml'} is an input of this command; give another path\n",
        )
    assert (plant / "model.yaml").read_bytes() == before and not (tmp_path / "o.json").exists()


def test_a_key_named_twice_is_refused_at_its_second_place(tmp_path: Path) -> None:
    """YAML and JSON keep the last of two equal keys silently; an import would drop the first element."""
    threagile = tmp_path / "twice.yaml"
    threagile.write_text(
        "threagile_version: 1.0.0\ntitle: t\ntechnical_assets:\n  PLC:\n    id: plc-a\n  PLC:\n    id: plc-b\n",
        encoding="utf-8",
    )
    otm = tmp_path / "twice.json"
    otm.write_text(
        '{"otmVersion": "0.2.0",\n "project": {"id": "p", "name": "p"},\n "components": [],\n "components": []}',
        encoding="utf-8",
    )
    target = tmp_path / "model.yaml"
    code, _, err = _run("import", "threagile", threagile, "--out", target)
    assert (code, err.splitlines()[0]) == (2, f"{threagile}:6:3: duplicate key 'PLC'")
    code, _, err = _run("import", "otm", otm, "--out", target)
    assert (code, err.splitlines()[0]) == (2, f"{otm}:4:2: duplicate key 'components'")
    assert not target.exists()


UNCARRIABLE = [
    ("\f", "text holds U+000C (form feed)"),
    ("\x00", "text holds U+0000 (NUL)"),
    ("\x1b", "text holds U+001B (escape)"),
    ("\ud800", "text holds U+D800, half of a UTF-16 surrogate pair"),
]


def test_a_text_check_would_refuse_is_refused_at_import_with_its_pointer(tmp_path: Path) -> None:
    """The model reader refuses control characters and lone surrogates; an import wrote them, and check then failed."""
    from tests.interchange.conftest import OTM_EXAMPLE

    target = tmp_path / "model.yaml"
    for character, message in UNCARRIABLE:
        document = json.loads(OTM_EXAMPLE.read_text(encoding="utf-8"))
        assert document["components"][0]["name"] == "Web Client"
        document["components"][0]["name"] = f"Web{character}Client"
        otm = tmp_path / "ctl.json"
        otm.write_text(json.dumps(document), encoding="utf-8")  # JSON escapes: \f, \u0000, \u001b, \ud800
        code, _, err = _run("import", "otm", otm, "--out", target)
        assert code == 2, err
        assert err.splitlines()[0].startswith(f"{otm}:/components/0/name: {message}")
        assert not target.exists()


def test_a_threagile_text_check_would_refuse_is_refused_at_its_key_or_field(tmp_path: Path) -> None:
    text = THREAGILE_EXAMPLE.read_text(encoding="utf-8")
    target = tmp_path / "model.yaml"
    keyed = tmp_path / "key.yaml"
    keyed.write_text(text.replace("\n  Load Balancer:\n", '\n  "PLC\\x0c\\0":\n', 1), encoding="utf-8")
    code, _, err = _run("import", "threagile", keyed, "--out", target)
    assert code == 2 and err.splitlines()[0].startswith(
        f"{keyed}:/technical_assets/PLC\\u000c\\u0000: text holds U+000C (form feed)"
    )
    described = tmp_path / "field.yaml"
    described.write_text(
        text.replace("    description: Load Balancer (HA-Proxy)\n", '    description: "LB\\e"\n', 1), encoding="utf-8"
    )
    assert described.read_text(encoding="utf-8") != text
    code, _, err = _run("import", "threagile", described, "--out", target)
    assert code == 2 and err.splitlines()[0].startswith(
        f"{described}:/technical_assets/Load Balancer/description: text holds U+001B (escape)"
    )
    assert not target.exists()


def test_notes_and_report_lines_escape_what_a_model_file_cannot_hold(tmp_path: Path) -> None:
    """The other tool's threats are notes in the written file's header: a lone surrogate there made the write crash."""
    from tests.interchange.conftest import OTM_EXAMPLE

    document = json.loads(OTM_EXAMPLE.read_text(encoding="utf-8"))
    document["threats"][0]["description"] = "bad\x1b\ud800desc"
    otm, target, report = tmp_path / "notes.json", tmp_path / "model.yaml", tmp_path / "report.json"
    # an id is rewritten as a factorysec id, and the report says so
    otm.write_text(json.dumps(document).replace('"web-client"', '"web\\ud800client"'), encoding="utf-8")
    code, out, err = _run("import", "otm", otm, "--out", target, "--report", report)
    assert code == 0, err
    assert "bad\\u001b\\ud800desc" in target.read_text(encoding="utf-8")
    assert "web\\ud800client" in out and "web\\\\ud800client" in report.read_text(encoding="utf-8")
    assert _run("check", target)[0] == 0


def test_a_file_name_holding_terminal_controls_is_printed_spelled_out(tmp_path: Path) -> None:
    """The mapping report's title and the 'wrote' line name the files: an escape or bidi override in a name was printed raw."""
    from tests.interchange.conftest import OTM_EXAMPLE

    otm = tmp_path / "plant\x1b[2J\u202e.json"
    otm.write_bytes(OTM_EXAMPLE.read_bytes())
    target, report = tmp_path / "out\x07\u2066.yaml", tmp_path / "report.json"
    code, out, err = _run("import", "otm", otm, "--out", target, "--report", report)
    assert code == 0, err
    assert not any(ch in out for ch in "\x1b\x07\u202e\u2066"), out
    assert "plant\\u001b[2J\\u202e.json (OTM 0.2.0)" in out and "out\\u0007\\u2066.yaml; next:" in out
    assert "\\u202e" in json.loads(report.read_text(encoding="utf-8"))["title"]
    code, out, err = _run("export", "threagile", MODEL, "--out", target, "--force")
    assert code == 0, err
    assert not any(ch in out for ch in "\x07\u2066"), out


def test_a_change_file_inside_its_base_folder_is_refused(tmp_path: Path) -> None:
    """Every YAML file under a folder model is part of it: a change file written there would be read as the model."""
    base = tmp_path / "current"
    base.mkdir()
    for file in (EXAMPLES / "current").iterdir():
        (base / file.name).write_bytes(file.read_bytes())
    otm = tmp_path / "plant.otm.json"
    assert _run("export", "otm", base, "--out", otm)[0] == 0
    code, _, err = _run("import", "otm", otm, "--out", base / "change.yaml", "--base", base)
    assert code == 2 and "is inside the model folder" in err and not (base / "change.yaml").exists()
    assert _run("check", base)[0] == 0
    code, out, _ = _run("import", "otm", otm, "--out", tmp_path / "change.yaml", "--base", base)
    assert code == 0, out


def test_an_output_named_for_another_format_is_refused_in_one_line(tmp_path: Path) -> None:
    """Was: `export otm --out x.txt` wrote JSON into x.txt, `export threagile --out t.json` YAML into t.json,
    `--report r.txt` JSON into r.txt, `import --out m.json` a YAML model into m.json; each exit 0."""
    otm = tmp_path / "plant.otm.json"
    assert _run("export", "otm", MODEL, "--out", otm)[0] == 0
    cases: list[tuple[list[str | Path], str]] = [
        (
            ["export", "otm", MODEL, "--out", tmp_path / "x.txt"],
            f"error: --out {tmp_path / 'x.txt'}: an OTM file is written as JSON (.json) or YAML (.yaml, .yml); give a "
            "file name ending in .json, .yaml or .yml",
        ),
        (
            ["export", "threagile", MODEL, "--out", tmp_path / "t.json"],
            f"error: --out {tmp_path / 't.json'}: a Threagile model is written as YAML; give a file name ending in "
            ".yaml or .yml",
        ),
        (
            ["export", "otm", MODEL, "--out", tmp_path / "o.json", "--report", tmp_path / "r.txt"],
            f"error: --report {tmp_path / 'r.txt'}: the mapping report is written as JSON; give a file name ending in "
            ".json",
        ),
        (
            ["export", "threagile", MODEL, "--out", tmp_path / "t.yaml", "--report", tmp_path / "r.yaml"],
            f"error: --report {tmp_path / 'r.yaml'}: the mapping report is written as JSON; give a file name ending "
            "in .json",
        ),
        (
            ["import", "otm", otm, "--out", tmp_path / "m.json"],
            f"error: --out {tmp_path / 'm.json'}: the model is written as YAML; give a file name ending in .yaml or "
            ".yml, or an existing folder",
        ),
        (
            ["import", "otm", otm, "--out", tmp_path / "newdir"],
            f"error: --out {tmp_path / 'newdir'}: the model is written as YAML; give a file name ending in .yaml or "
            ".yml, or an existing folder",
        ),
        (
            ["import", "threagile", THREAGILE_EXAMPLE, "--out", tmp_path / "c.txt", "--base", MODEL],
            f"error: --out {tmp_path / 'c.txt'}: a change file is written as YAML; give a file name ending in .yaml "
            "or .yml, or an existing folder",
        ),
        (
            ["import", "otm", otm, "--out", tmp_path / "m.yaml", "--report", tmp_path / "r.txt"],
            f"error: --report {tmp_path / 'r.txt'}: the mapping report is written as JSON; give a file name ending in "
            ".json",
        ),
    ]
    for args, line in cases:
        code, out, err = _run(*args)
        assert (code, err.splitlines()) == (2, [line]), (args, out, err)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plant.otm.json"]


def test_outputs_are_named_in_any_case_of_their_suffix(tmp_path: Path) -> None:
    upper, threagile, report = tmp_path / "plant.OTM.YAML", tmp_path / "plant.Yml", tmp_path / "r.JSON"
    assert _run("export", "otm", MODEL, "--out", upper, "--report", report)[0] == 0
    assert yaml.safe_load(upper.read_text(encoding="utf-8"))["otmVersion"] == "0.2.0"
    assert _run("export", "threagile", MODEL, "--out", threagile)[0] == 0
    assert _run("import", "threagile", threagile, "--out", tmp_path / "back.YAML")[0] == 0


def test_a_folder_given_for_an_export_file_suggests_a_name_the_command_takes(tmp_path: Path) -> None:
    # before: "e.g. plans/output", a name without a suffix, which the command then refused too
    for command, example in (("otm", "model.otm.json"), ("threagile", "model.threagile.yaml")):
        code, _, err = _run("export", command, MODEL, "--out", tmp_path)
        assert (code, err) == (
            2,
            f"error: --out: {tmp_path} is a folder; give a file name, e.g. {tmp_path / example}\n",
        )
        code, _, err = _run("export", command, MODEL, "--out", tmp_path / "o.yaml", "--report", tmp_path)
        assert (code, err) == (
            2,
            f"error: --report: {tmp_path} is a folder; give a file name, e.g. {tmp_path / 'mapping.json'}\n",
        )
    assert not any(tmp_path.iterdir())


def test_an_import_into_a_folder_holding_a_model_is_refused(tmp_path: Path) -> None:
    # before: model.yaml was written beside the folder's factory.yaml, and 'check' then refused the folder
    # ("'factory' is already defined in plant/factory.yaml")
    plant = tmp_path / "plant"
    plant.mkdir()
    (plant / "factory.yaml").write_text((EXAMPLES / "current" / "factory.yaml").read_text(encoding="utf-8"), "utf-8")
    code, _, err = _run("import", "threagile", THREAGILE_EXAMPLE, "--out", plant)
    assert (code, err) == (
        2,
        f"error: --out {plant}: the folder holds YAML files (factory.yaml) that would be read with model.yaml as one "
        "model; give an empty folder or a file name ending in .yaml\n",
    )
    assert sorted(path.name for path in plant.iterdir()) == ["factory.yaml"]
    assert _run("check", plant)[0] == 0
