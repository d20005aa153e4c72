"""Problem messages as codes with parameters: every code says its parameters in English and Japanese, ``check``'s
English is what it was before the codes, and ``check --lang ja`` writes no English sentence."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.model.entities import OWN_ERRORS
from factorysec.model.references import _KIND_OF_SECTION, REFERENCES
from factorysec.problem_texts import TEMPLATES
from factorysec.problems import Problem, Said, joined, say, template_fields
from factorysec.yamlio import _CONTROL_NAMES, _PHRASES
from tests.model.conftest import EXAMPLES, FIXTURES

SOURCE = Path(__file__).resolve().parents[2] / "src" / "factorysec"
GOLDEN = Path(__file__).resolve().parent / "golden" / "check-en.txt"
JAPANESE = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")

# Codes whose English is text another library wrote (pydantic's message, libyaml's phrase, speedate's reason), given
# as one parameter, while the Japanese says the same from the other parameters; and the English-only word of a
# catalog section ("bcp viewpoint") beside its id (bcp_viewpoints), which the Japanese names as written.
ENGLISH_ONLY = {"msg", "text", "what"}
# Codes whose Japanese is only their parameters or nothing: a value as it is, a control character's own name, a
# phrase the Japanese leaves to the one after it.
NO_JAPANESE_WORDS = {"got.value", "control.NUL", "yaml.phrase.next_token"}


def _sample(code: str) -> dict[str, str]:
    names = set().union(*(template_fields(template) for template in TEMPLATES[code].values()))
    return {name: f"<{name}-{index}>" for index, name in enumerate(sorted(names))}


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_code_says_its_parameters_in_both_languages(code: str) -> None:
    templates = TEMPLATES[code]
    assert set(templates) == {"en", "ja"}, code
    params = _sample(code)
    said = Said(code, **params)
    english, japanese = said.in_lang("en"), said.in_lang("ja")
    assert english == str(said)
    for name, value in params.items():
        if name in template_fields(templates["en"]):
            assert value in english, (code, name)
        if name in template_fields(templates["ja"]) or name not in ENGLISH_ONLY:
            assert value in japanese, (code, name, japanese)
    if code not in NO_JAPANESE_WORDS and re.sub(r"<[a-z_]+-\d+>", "", japanese).strip():
        assert JAPANESE.search(japanese), (code, japanese)


def test_a_nested_message_is_said_in_the_language_of_the_one_holding_it() -> None:
    hint = Said("did_you_mean", suggestion="zone")
    problem = Problem("m.yaml", 3, 5, "assets[0].zoen", Said("unknown_field", name="zoen"), hint)
    assert str(problem) == "m.yaml:3:5: assets[0].zoen: unknown field 'zoen' (did you mean 'zone'?)"
    assert problem.render("ja") == "m.yaml:3:5: assets[0].zoen: 'zoen' という項目はありません ('zone' のことですか？)"
    assert say("plain text", "ja") == "plain text"


def test_every_code_the_source_names_has_templates() -> None:
    """A code without templates would end a command with a KeyError: every literal code in the source, and every
    code built from a name (kinds of references, own pydantic errors, control characters, libyaml phrases), exists."""
    literal = {
        code
        for path in SOURCE.rglob("*.py")
        for code in re.findall(r"\bSaid\(\s*\"([^\"]+)\"", path.read_text(encoding="utf-8"))
    }
    built = {f"kind.{_KIND_OF_SECTION[target]}" for _, _, targets in REFERENCES for target in targets}
    built |= set(OWN_ERRORS) | {code for _, code in _PHRASES}
    built |= {f"control.{name.replace(' ', '_')}" for name in [*_CONTROL_NAMES.values(), "control character"]}
    built |= {"cycle.sub-zone", "cycle.subcontracting", "checklist_scope.asset", "checklist_scope.party"}
    built |= {"bad_catalog_id.hint", "bad_protocol_id.hint", "join.or", "join.or_names"}
    assert len(literal) > 100
    assert literal | built <= set(TEMPLATES), sorted((literal | built) - set(TEMPLATES))


def _cases() -> list[str]:
    return [line[3:] for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.startswith("== ")]


def _check(path: str, *options: str) -> tuple[str, int]:
    result = CliRunner().invoke(app, ["check", path, *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.stdout + result.stderr, result.exit_code


def test_check_in_english_says_byte_for_byte_what_it_said_before_the_codes(in_fixtures: Path) -> None:
    """The golden file is ``check``'s output on the invalid fixtures recorded before the messages became codes."""
    recorded = GOLDEN.read_text(encoding="utf-8")
    written = "".join(f"== {path}\n{output}exit {code}\n" for path in _cases() for output, code in [_check(path)])
    assert written == recorded


# Words the Japanese lines keep as written: field names, values and ids of the model, and the names of formats.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_ENGLISH_SENTENCE = re.compile(
    r"\b[A-Za-z]+ [a-z]+ [a-z]+\b|\b(?:is|are|the|not|must|expected|unknown|cannot|should|required|found)\b"
)


@pytest.mark.parametrize("path", _cases())
def test_check_in_japanese_writes_no_english_sentence(in_fixtures: Path, path: str) -> None:
    output, code = _check(path, "--lang", "ja")
    english, english_code = _check(path)
    assert code == english_code and code in (0, 2)
    lines = output.splitlines()
    assert len(lines) == len(english.splitlines())
    for line in lines:
        assert not _ENGLISH_SENTENCE.search(_said(line)), line
        assert JAPANESE.search(_said(line)), line
    # the same reading finds English in the English lines: the test is not blind to it
    assert all(_ENGLISH_SENTENCE.search(_said(line)) for line in english.splitlines()[:-1] if code == 2)


def _said(line: str) -> str:
    """A line of ``check`` without its place and field (which stay as they are) and without quoted values."""
    said = re.sub(r"^[^:]+(?::\d+:\d+)?:(?: [\w.\[\]-]+:)? ", "", line) if ":" in line else line
    return _QUOTED.sub("", said)


def test_check_lang_ja_says_a_valid_model_in_japanese(in_fixtures: Path) -> None:
    output, code = _check("valid-minimal.yaml", "--lang", "ja")
    assert code == 0
    assert re.fullmatch(
        r"valid-minimal.yaml: 有効です — ゾーン 1、保護対象 1、コンジット 0、業務 0、社外の関係者 0（ダイジェスト [0-9a-f]{16}）\n",
        output,
    )


def test_check_refuses_a_language_it_does_not_know(in_fixtures: Path) -> None:
    output, code = _check("valid-minimal.yaml", "--lang", "fr")
    assert code == 2 and output == "error: --lang must be 'en' or 'ja', not 'fr'\n"


@pytest.mark.parametrize(
    "command", [["analyze"], ["checklist"], ["review", "dangling.yaml"], ["compare", "dangling.yaml"], ["vulns"]]
)
def test_a_command_with_lang_ja_refuses_a_model_in_japanese(in_fixtures: Path, command: list[str]) -> None:
    """analyze, checklist, review, compare and vulns print a refused model's problems in their --lang, as check does."""
    extra = ["--advisories", "dangling.yaml"] if command == ["vulns"] else []
    result = CliRunner().invoke(app, [*command, "dangling.yaml", *extra, "--lang", "ja"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert "dangling.yaml:9:43: assets[0].zone: ゾーン 'asembly' がありません ('assembly' のことですか？)" in lines
    assert lines[-1] == "3 件の問題があります"


def _workbook_variants(folder: Path) -> list[Path]:
    """The Annex A model as a workbook, edited as people edit one: each file breaks it one way."""
    import datetime as dt

    import openpyxl

    from factorysec.model import load_model
    from factorysec.model.workbook import write_workbook

    exported = folder / "exported.xlsx"
    write_workbook(load_model(EXAMPLES / "current"), exported)

    def header(sheet: Any, name: str) -> int:
        return [cell.value for cell in sheet[1]].index(name) + 1

    def edit(sheet: Any) -> None:
        sheet.cell(2, header(sheet, "name"), dt.datetime(2026, 4, 1, 10, 30))
        sheet.cell(3, header(sheet, "name"), 1.5)
        sheet.cell(4, header(sheet, "name"), True)
        sheet.cell(5, header(sheet, "description"), "=1+1")
        sheet.cell(6, header(sheet, "operations"), "[1,")
        sheet.cell(1, sheet.max_column + 1, "Zone")
        sheet.cell(7, sheet.max_column, "x")
        sheet.cell(8, sheet.max_column + 2, "loose")
        sheet.cell(9, sheet.max_column + 1, "loose")
        sheet.merge_cells(start_row=10, start_column=1, end_row=11, end_column=1)

    variants: dict[str, Any] = {
        "cells.xlsx": lambda book: edit(book["assets"]),
        "sheets.xlsx": lambda book: (book.create_sheet("qqqqqqqq"), book.remove(book["zones"])),
        "renamed.xlsx": lambda book: setattr(book["parties"], "title", "Parties (edited)"),
        "columns.xlsx": lambda book: [book["assets"].delete_cols(header(book["assets"], n)) for n in ("zone", "type")],
        "factory.xlsx": lambda book: [
            book["factory"].cell(3, column, book["factory"].cell(2, column).value) for column in range(1, 4)
        ],
    }
    paths = []
    for name, change in variants.items():
        book = openpyxl.load_workbook(exported)
        change(book)
        book.save(folder / name)
        paths.append(folder / name)
    (folder / "not-a-workbook.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    return [*paths, folder / "not-a-workbook.xlsx"]


_WORKBOOK_PLACE = re.compile(r"^[^:]+: sheet '[^']*'(?: row \d+)?(?: column '[^']*')?: |^[^:]+:1:1: ")


def test_check_in_japanese_says_a_workbooks_problems_with_no_english_sentence(tmp_path: Path) -> None:
    """A workbook's problems (cells the spreadsheet turned, formulas, merged cells, columns and sheets renamed, added
    or missing, a file that is no workbook) are said in Japanese; the place (sheet, row, column) stays as it is."""
    said_lines = 0
    for path in _workbook_variants(tmp_path):
        output, code = _check(str(path), "--lang", "ja")
        english, _ = _check(str(path))
        assert code == 2, output
        for line, english_line in zip(output.splitlines()[:-1], english.splitlines()[:-1], strict=True):
            place = _WORKBOOK_PLACE.match(line)
            assert place is not None and english_line.startswith(place.group()), line
            said = _QUOTED.sub("", line[place.end() :])
            assert not _ENGLISH_SENTENCE.search(said), line
            assert JAPANESE.search(said), line
            assert _ENGLISH_SENTENCE.search(_QUOTED.sub("", english_line[place.end() :])), english_line
            said_lines += 1
    assert said_lines >= 15


def test_analyze_lang_ja_says_the_decisions_and_scoring_files_problems_in_japanese(tmp_path: Path) -> None:
    """The decisions file and the scoring config beside a model are refused in analyze's --lang too."""
    model = tmp_path / "model.yaml"
    model.write_text((FIXTURES / "valid-minimal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "decisions.yaml").write_text(
        "decisions:\n"
        "  - {finding: F-1, status: acepted, justification: ok, owner: sec}\n"
        "  - {finding: F-1, status: accepted, owner: sec, colour: red}\n"
        "  - {finding: F-2, status: mitigated, justification: ok, owner: sec, date: 2026-13-01}\n",
        encoding="utf-8",
    )
    scoring, typed = tmp_path / "scoring.yaml", tmp_path / "typed.yaml"
    scoring.write_text(
        "scoring:\n  levels: {critical: 2, high: 8}\n  trait_steps: {wireles: 1}\n"
        "  business_interruption_threats: [nothing]\n",
        encoding="utf-8",
    )
    typed.write_text("scoring:\n  weights: {safety: many, cost: -1}\n  levels: {high: two}\n", encoding="utf-8")
    for options in ([], ["--scoring", str(scoring)], ["--scoring", str(typed)]):
        japanese = CliRunner().invoke(app, ["analyze", str(model), *options, "--lang", "ja"])
        english = CliRunner().invoke(app, ["analyze", str(model), *options])
        assert japanese.exit_code == english.exit_code == 2, japanese.output
        lines, english_lines = japanese.stderr.splitlines(), english.stderr.splitlines()
        assert len(lines) == len(english_lines) >= 3
        for line, english_line in zip(lines, english_lines, strict=True):
            assert not _ENGLISH_SENTENCE.search(_said(line)), line
            assert JAPANESE.search(_said(line)), line
            assert _ENGLISH_SENTENCE.search(_said(english_line)), english_line


def test_a_problem_keeps_its_code_through_a_copy_and_a_pickle() -> None:
    """Problems travel (a cache, a worker): copied or pickled, they still say themselves in Japanese."""
    import copy
    import pickle

    said = Said("unknown_reference", kinds=joined([Said("kind.zone"), Said("kind.asset")]), value="z9")
    problem = Problem("m.yaml", 1, 1, "assets[0].zone", said, Said("define_under", sections="zones"))
    for moved in (copy.deepcopy(problem), pickle.loads(pickle.dumps(problem))):
        assert moved == problem
        assert (
            moved.render("ja")
            == "m.yaml:1:1: assets[0].zone: ゾーンまたは保護対象 'z9' がありません (zones に定義してください)"
        )


@pytest.mark.parametrize(
    "text",
    [
        "a: [1, 2",
        "a: b: c",
        "a: *x",
        'a: "x',
        "&a &b x",
        'a: "\\uZZZZ"',
        "a: &\n",
        "{a: 1\n",
        "a: {b: [c}",
        "a: 1\n---\nb: 2",
        "[a, b]]",
        "a:\n  - b\n c: 1",
        "a: 1\n\tb: 2",
        "a: @x",
        "key: value\n  bad indent: x",
    ],
)
def test_a_yaml_syntax_error_is_said_in_japanese(tmp_path: Path, text: str) -> None:
    """libyaml's phrases for the syntax errors people make are said in Japanese; none is left quoted in English."""
    path = tmp_path / "model.yaml"
    path.write_text(text, encoding="utf-8")
    output, code = _check(str(path), "--lang", "ja")
    assert code == 2
    line = output.splitlines()[0]
    assert "YAML の構文エラー: " in line and "読み取れません" not in line, line
    assert not _ENGLISH_SENTENCE.search(_said(line)), line
