"""The model workbook: lossless both ways, drop-downs, and errors named by sheet, row and column."""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from factorysec.catalog import Catalog
from factorysec.cli import app
from factorysec.model import LoadedModel, ModelInputError, load_model_with_sources
from factorysec.model.entities import (
    Asset,
    AssetType,
    Conduit,
    DataAttributes,
    DataLifecycleEvent,
    Factory,
    FactoryModel,
    Importance,
    ImportanceRatings,
    ReviewRecord,
    Trait,
)
from factorysec.model.sheet_names import SHEET_NAME_LIMIT, sheet_title, unique_titles
from factorysec.model.workbook import (
    LISTS_SHEET,
    RECORD_SHEET,
    SECTIONS,
    WorkbookExportError,
    format_list,
    parse_list,
    read_workbook,
    write_workbook,
)
from tests.conftest import ANNEX_A_MODELS, EXAMPLES


@pytest.mark.parametrize("model_path", ANNEX_A_MODELS, ids=lambda p: p.name)
def test_every_annex_a_example_survives_export_and_import(model_path: Path, tmp_path: Path, catalog: Catalog) -> None:
    model = load_model_with_sources(model_path).model
    target = tmp_path / "plant.xlsx"
    write_workbook(model, target, catalog)
    assert load_model_with_sources(target).model == model


def test_workbook_has_a_sheet_per_section_frozen_header_and_autofilter(
    tmp_path: Path, current_loaded: LoadedModel, catalog: Catalog
) -> None:
    target = tmp_path / "plant.xlsx"
    write_workbook(current_loaded.model, target, catalog)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [*SECTIONS, LISTS_SHEET, RECORD_SHEET]
    assert book[LISTS_SHEET].sheet_state == book[RECORD_SHEET].sheet_state == "hidden"
    assets = book["assets"]
    headers = [c.value for c in assets[1]]
    assert {"importance.safety", "data.disclosure", "data.lifecycle", "traits", "zone"} <= set(headers)
    assert assets.freeze_panes == "A2"
    assert assets.auto_filter.ref.startswith("A1:")
    first = current_loaded.model.assets[0]
    assert assets.cell(row=2, column=headers.index("id") + 1).value == first.id


def _validation_values(book: openpyxl.Workbook, sheet: str, header: str) -> list[str]:
    ws = book[sheet]
    col = openpyxl.utils.get_column_letter([c.value for c in ws[1]].index(header) + 1)
    matches = [
        dv for dv in ws.data_validations.dataValidation if any(str(r).startswith(f"{col}2:") for r in dv.sqref.ranges)
    ]
    assert len(matches) == 1, f"no drop-down on {sheet}.{header}"
    ref = matches[0].formula1.lstrip("=").split("!")[1].replace("$", "")
    return [c.value for row in book[LISTS_SHEET][ref] for c in row]


def test_enum_literal_and_catalog_columns_get_dropdowns_from_the_lists_sheet(
    tmp_path: Path, current_loaded: LoadedModel, catalog: Catalog
) -> None:
    target = tmp_path / "plant.xlsx"
    write_workbook(current_loaded.model, target, catalog)
    book = openpyxl.load_workbook(target)
    assert _validation_values(book, "assets", "type") == [t.value for t in AssetType]
    assert _validation_values(book, "assets", "importance.safety") == [i.value for i in Importance]
    assert _validation_values(book, "assets", "data.disclosure") == [
        "public",
        "partners",
        "internal",
        "restricted",
        "secret",
    ]
    assert _validation_values(book, "assets", "component") == list(catalog.components)
    assert _validation_values(book, "parties", "kind") == list(catalog.party_kinds)


def test_zone_and_party_columns_drop_down_the_ids_of_their_sheets(
    tmp_path: Path, current_loaded: LoadedModel, catalog: Catalog
) -> None:
    target = tmp_path / "plant.xlsx"
    write_workbook(current_loaded.model, target, catalog)
    book = openpyxl.load_workbook(target)
    conduits = book["conduits"]
    col = openpyxl.utils.get_column_letter([c.value for c in conduits[1]].index("from") + 1)
    formulas = [
        dv.formula1
        for dv in conduits.data_validations.dataValidation
        if any(str(r).startswith(f"{col}2:") for r in dv.sqref.ranges)
    ]
    assert formulas == [f"='zones'!$A$2:$A${len(current_loaded.model.zones) + 2001}"]
    zone_ids = [row[0] for row in book["zones"].iter_rows(min_row=2, values_only=True)]
    assert zone_ids == [z.id for z in current_loaded.model.zones]


def test_sheet_names_respect_excel_limits() -> None:
    long_name = "supplier_checklist_answers_for_cloud_services/v2:[draft]"
    title = sheet_title(long_name)
    assert len(title) <= SHEET_NAME_LIMIT
    assert not set(title) & set("[]:*?/\\")
    titles = unique_titles([long_name, long_name.upper(), "zones"])
    assert len({t.casefold() for t in titles.values()}) == 3
    assert all(len(t) <= SHEET_NAME_LIMIT for t in titles.values())
    assert titles["zones"] == "zones"


@pytest.mark.parametrize(
    ("items", "cell"),
    [(["a", "b"], "a; b"), ([], None), (["has; semicolon", "b"], '["has; semicolon", "b"]'), (["[x"], '["[x"]')],
)
def test_list_cells_round_trip(items: list[str], cell: str | None) -> None:
    assert format_list(items) == cell
    assert parse_list(cell or "") == items


def _edit(path: Path, sheet: str, row: int, header: str, value: str | float | dt.datetime | None) -> None:
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    headers = [c.value for c in ws[1]]
    if header not in headers:
        ws.cell(row=1, column=len(headers) + 1, value=header)
        headers.append(header)
    ws.cell(row=row, column=headers.index(header) + 1).value = value
    book.save(path)


def _errors(path: Path) -> list[str]:
    with pytest.raises(ModelInputError) as caught:
        load_model_with_sources(path)
    return [str(p) for p in caught.value.problems]


def test_dangling_zone_is_reported_by_sheet_row_and_column(plant: Path) -> None:
    _edit(plant, "assets", 7, "zone", "nowhere")
    errors = _errors(plant)
    assert "plant.xlsx: sheet 'assets' row 7 column 'zone': unknown zone 'nowhere' (define it under zones)" in errors
    assert any(e.startswith("plant.xlsx: sheet 'conduits' row ") and "column 'to_assets'" in e for e in errors)


def test_bad_enum_unknown_column_and_bad_json_are_each_located(plant: Path) -> None:
    _edit(plant, "zones", 3, "kind", "factory-floor")
    _edit(plant, "assets", 4, "zonee", "x")
    _edit(plant, "assets", 5, "data.lifecycle", "[{oops")
    errors = _errors(plant)
    assert any(
        e.startswith("plant.xlsx: sheet 'assets' row 5 column 'data.lifecycle': cannot read the cell") for e in errors
    )
    assert (
        "plant.xlsx: sheet 'assets' row 1 column 'zonee': the sheet has no field 'zonee', so its value in 1 row cannot "
        "be read (did you mean 'zone'?)" in errors
    ), errors
    _edit(plant, "assets", 5, "data.lifecycle", None)
    _edit(plant, "assets", 4, "zonee", None)
    errors = _errors(plant)
    assert any(
        e.startswith("plant.xlsx: sheet 'zones' row 3 column 'kind': 'factory-floor' is not allowed") for e in errors
    ), errors


def test_unknown_sheet_and_extra_factory_row(plant: Path) -> None:
    book = openpyxl.load_workbook(plant)
    book.create_sheet("zone")
    book["factory"].cell(row=3, column=1, value="second")
    book.save(plant)
    errors = _errors(plant)
    assert "plant.xlsx: sheet 'zone': unknown sheet 'zone' (did you mean 'zones'?)" in errors
    assert any(e.startswith("plant.xlsx: sheet 'factory' row 3: ") for e in errors)


def test_numbers_and_dates_typed_by_a_user_are_read_as_the_model_expects(plant: Path) -> None:
    _edit(plant, "operations", 2, "name", 42)
    _edit(plant, "reviews", 2, "id", "r1")
    _edit(plant, "reviews", 2, "date", dt.datetime(2025, 4, 1))
    _edit(plant, "reviews", 2, "trigger", "scheduled")
    _edit(plant, "zones", 2, "target_security_level", 2.0)
    model = load_model_with_sources(plant).model
    assert model.operations[0].name == "42"
    assert model.reviews[0].date == dt.date(2025, 4, 1)
    assert model.zones[0].target_security_level == 2


def test_cli_check_on_a_broken_workbook_exits_2_without_traceback(plant: Path) -> None:
    _edit(plant, "assets", 7, "zone", "nowhere")
    result = CliRunner().invoke(app, ["check", str(plant)])
    assert result.exit_code == 2
    assert "sheet 'assets' row 7 column 'zone'" in result.output
    assert "Traceback" not in result.output


def test_cli_rejects_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(fake)])
    assert result.exit_code == 2
    assert "not a readable .xlsx workbook" in result.output


def test_cli_export_then_import_gives_the_same_model(tmp_path: Path, current_loaded: LoadedModel) -> None:
    runner = CliRunner()
    book = tmp_path / "out.xlsx"
    assert runner.invoke(app, ["workbook", "export", str(EXAMPLES / "current"), "--out", str(book)]).exit_code == 0
    yaml_out = tmp_path / "back.yaml"
    result = runner.invoke(app, ["workbook", "import", str(book), "--out", str(yaml_out)])
    assert result.exit_code == 0, result.output
    assert load_model_with_sources(yaml_out).model == current_loaded.model


@pytest.mark.parametrize(
    ("command", "out", "wanted"),
    [
        ("export", "plant.yaml", "give a file name ending in .xlsx"),
        ("export", "plant", "give a file name ending in .xlsx"),
        ("export", "plant.xls", "give a file name ending in .xlsx"),
        ("import", "plant.xlsx", "give a file name ending in .yaml or .yml"),
        ("import", "plant.json", "give a file name ending in .yaml or .yml"),
    ],
)
def test_cli_refuses_an_out_of_the_other_kind_and_writes_nothing(
    tmp_path: Path, command: str, out: str, wanted: str
) -> None:
    runner = CliRunner()
    book = tmp_path / "book.xlsx"
    assert runner.invoke(app, ["workbook", "export", str(EXAMPLES / "current"), "--out", str(book)]).exit_code == 0
    given_path = EXAMPLES / "current" if command == "export" else book
    target = tmp_path / "out" / out
    target.parent.mkdir()
    for force in ([], ["--force"]):
        result = runner.invoke(app, ["workbook", command, str(given_path), "--out", str(target), *force])
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: --out {target}: ") and lines[0].endswith(wanted)
        assert list(target.parent.iterdir()) == []


@pytest.mark.parametrize(("command", "out"), [("export", "PLANT.XLSX"), ("import", "plant.yml"), ("import", "P.YAML")])
def test_cli_takes_an_out_of_its_kind_in_any_case(tmp_path: Path, command: str, out: str) -> None:
    runner = CliRunner()
    book = tmp_path / "book.xlsx"
    assert runner.invoke(app, ["workbook", "export", str(EXAMPLES / "current"), "--out", str(book)]).exit_code == 0
    given_path = EXAMPLES / "current" if command == "export" else book
    result = runner.invoke(app, ["workbook", command, str(given_path), "--out", str(tmp_path / out)])
    assert result.exit_code == 0, result.output
    assert load_model_with_sources(tmp_path / out).model == load_model_with_sources(EXAMPLES / "current").model


_ids = st.text(alphabet=string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12).filter(
    lambda s: s[0] != "-"
)
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda s: bool(s.strip())
)
_maybe = st.none() | _text
_levels = st.none() | st.sampled_from(list(Importance))
_dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1))

_assets = st.builds(
    Asset,
    id=_ids,
    name=_text,
    type=st.sampled_from(list(AssetType)),
    zone=st.none() | _ids,
    operations=st.lists(_ids, max_size=3, unique=True),
    traits=st.lists(st.sampled_from(list(Trait)), max_size=3, unique=True),
    importance=st.none() | st.builds(ImportanceRatings, safety=st.sampled_from(list(Importance)), cost=_levels),
    addresses=st.lists(st.sampled_from(["10.0.0.1", "192.168.1.20", "fe80::1"]), max_size=2, unique=True),
    data=st.none()
    | st.builds(
        DataAttributes,
        category=_maybe,
        disclosure=st.sampled_from(["public", "secret"]),
        lifecycle=st.lists(
            st.builds(
                DataLifecycleEvent, event=st.sampled_from(["generation", "storage"]), zone=st.none() | _ids, note=_maybe
            ),
            max_size=2,
        ),
    ),
    description=_maybe,
)
_conduits = st.builds(
    lambda fields: Conduit.model_validate(fields),
    st.fixed_dictionaries(
        {
            "id": _ids,
            "from": _ids,
            "to": _ids,
            "carries_control_instructions": st.booleans(),
            "protocols": st.lists(st.sampled_from(["opc-ua", "https"]), max_size=2, unique=True),
        },
        optional={"carries": _text},
    ),
)
_reviews = st.builds(
    ReviewRecord, id=_ids, date=_dates, trigger=st.just("incident"), decisions=st.lists(_text, max_size=3)
)
_models = st.builds(
    FactoryModel,
    factory=st.builds(Factory, id=_ids, name=_text, purpose_notes=_maybe, review_interval_days=st.integers(1, 5000)),
    assets=st.lists(_assets, max_size=4),
    conduits=st.lists(_conduits, max_size=3),
    reviews=st.lists(_reviews, max_size=2),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(model=_models)
def test_generated_models_survive_the_workbook(model: FactoryModel, tmp_path: Path) -> None:
    target = tmp_path / "generated.xlsx"
    write_workbook(model, target)
    assert FactoryModel.model_validate(read_workbook(target).data) == model


def test_cli_export_defaults_to_the_model_name_and_refuses_to_overwrite_its_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["workbook", "export", str(EXAMPLES / "current")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "current.xlsx").is_file()
    again = runner.invoke(app, ["workbook", "export", "current.xlsx", "--out", "current.xlsx"])
    assert again.exit_code == 2 and "overwrite" in again.output
    broken = runner.invoke(app, ["workbook", "export", "missing.yaml"])
    assert broken.exit_code == 2 and "missing.yaml" in broken.output


def test_text_that_looks_like_a_formula_or_number_stays_text(tmp_path: Path, current_loaded: LoadedModel) -> None:
    model = current_loaded.model.model_copy(
        update={
            "factory": current_loaded.model.factory.model_copy(
                update={"name": '=HYPERLINK("http://x")', "location": "007"}
            )
        }
    )
    target = tmp_path / "plant.xlsx"
    write_workbook(model, target)
    cell = openpyxl.load_workbook(target)["factory"]["B2"]
    assert cell.data_type == "s"
    assert load_model_with_sources(target).model.factory == model.factory


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","open")', "+1+1", "-2+3", "@SUM(1)", "\uff1d1+1"])
def test_text_excel_would_read_as_a_formula_once_edited_carries_the_quote_prefix(
    tmp_path: Path, current_loaded: LoadedModel, text: str
) -> None:
    """Excel re-reads a cell's text when it is edited (F2, Enter): without the quote prefix, a name written as text
    becomes a live formula then. The prefix is a style: the text read back is the same."""
    factory = current_loaded.model.factory.model_copy(update={"name": text, "purpose_notes": "plain = text"})
    model = current_loaded.model.model_copy(update={"factory": factory})
    target = tmp_path / "plant.xlsx"
    write_workbook(model, target)
    sheet = openpyxl.load_workbook(target)["factory"]
    row = {sheet.cell(1, col).value: sheet.cell(2, col) for col in range(1, sheet.max_column + 1)}
    assert (row["name"].value, row["name"].data_type, row["name"].quotePrefix) == (text, "s", True)
    assert (row["purpose_notes"].value, row["purpose_notes"].quotePrefix) == ("plain = text", False)
    assert load_model_with_sources(target).model.factory == factory


def test_export_of_text_excel_cannot_store_is_a_one_line_exit_2(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from factorysec.cli import app

    model = tmp_path / "m.yaml"
    model.write_text('factory: {id: f, name: "bad\\x01name"}\n', encoding="utf-8")
    target = tmp_path / "m.xlsx"
    result = CliRunner().invoke(app, ["workbook", "export", str(model), "--out", str(target)])
    assert result.exit_code == 2
    assert (
        f"{model}:1:24: factory.name: text holds U+0001" in result.output
    )  # refused when the model is read, as 'check' does
    assert result.output.strip().splitlines()[-1] == "1 problem found"
    assert not target.exists()
    built = FactoryModel.model_validate(
        {"factory": {"id": "f", "name": "bad\x01name"}}
    )  # a model built in code is still refused at its cell
    with pytest.raises(WorkbookExportError, match="sheet 'factory' row 2 column 'name'.*U\\+0001"):
        write_workbook(built, target)
    assert not target.exists()


def test_whitespace_text_and_empty_groups_survive_export_and_import(tmp_path: Path, catalog: Catalog) -> None:
    source = tmp_path / "m.yaml"
    source.write_text(
        "factory: {id: f, name: F}\n"
        "zones: [{id: z, name: Z, kind: office, description: '   '}]\n"
        "assets:\n"
        "  - {id: a, name: A, type: equipment, zone: z, importance: {}, description: '  two  '}\n"
        "  - {id: d, name: D, type: data, zone: z, data: {disclosure: null}}\n",
        encoding="utf-8",
    )
    model = load_model_with_sources(source).model
    assert model.assets[0].importance is None and model.assets[1].data is None
    book = tmp_path / "m.xlsx"
    write_workbook(model, book, catalog)
    again = load_model_with_sources(book).model
    assert again == model
    assert again.zones[0].description == "   " and again.assets[0].description == "  two  "


def test_importance_per_axis_survives_export_and_import(tmp_path: Path, catalog: Catalog) -> None:
    """Issue #17 item 5: operations rated per axis and the data axes of assets round-trip through the workbook's dotted columns."""
    model = load_model_with_sources(Path(__file__).parents[1] / "fixtures" / "model" / "importance-axes.yaml").model
    assets = [
        a.model_copy(
            update={
                "importance": ImportanceRatings(
                    quality=Importance.HIGH, confidentiality=Importance.CRITICAL, integrity=Importance.LOW
                )
            }
        )
        if a.id == "recipes"
        else a
        for a in model.assets
    ]
    model = model.model_copy(update={"assets": assets})
    target = tmp_path / "plant.xlsx"
    write_workbook(model, target, catalog)
    headers = [c.value for c in openpyxl.load_workbook(target)["operations"][1]]
    assert {"importance_by_axis.safety", "importance_by_axis.business_continuity", "importance"} <= set(headers)
    assert "importance.confidentiality" in [c.value for c in openpyxl.load_workbook(target)["assets"][1]]
    back = load_model_with_sources(target).model
    assert back == model
    by_axis = {op.id: op.importance_by_axis for op in back.operations}
    assert by_axis["safety-monitoring"] == ImportanceRatings(
        safety=Importance.CRITICAL, delivery=Importance.MEDIUM, business_continuity=Importance.HIGH
    )
    assert by_axis["packing"] is None
