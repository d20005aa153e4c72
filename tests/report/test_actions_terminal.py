"""The action list in the terminal, and printed first by `analyze`."""

from __future__ import annotations

import io

from rich.console import Console
from typer.testing import CliRunner

from factorysec.analysis import analyze
from factorysec.analysis.assessment import Assessment
from factorysec.catalog import Catalog
from factorysec.cli import app
from factorysec.model import load_model
from factorysec.report.actions_terminal import render_actions
from tests.conftest import ROOT

AUTOMOTIVE = ROOT / "examples" / "automotive-parts"


def _printed(catalog: Catalog, lang: str, assessment: Assessment | None = None) -> str:
    buffer = io.StringIO()
    model = load_model(AUTOMOTIVE)
    render_actions(
        assessment or analyze(model, catalog),
        Console(file=buffer, width=10_000, color_system=None),
        lang,
        model,
        catalog,
    )
    return buffer.getvalue()


def test_each_action_is_printed_with_owners_and_what_it_lowers(catalog: Catalog) -> None:
    assessment = analyze(load_model(AUTOMOTIVE), catalog)
    printed = _printed(catalog, "en")
    assert f"Actions first ({len(assessment.actions)})" in printed
    for action in assessment.actions:
        assert f"{action.rank}. {action.title.en}" in printed
    first = assessment.actions[0]
    names = {d.id: d.name for d in load_model(AUTOMOTIVE).departments}
    kinds = catalog.department_kinds
    owners = [names.get(d) or kinds[d].title.en for d in first.departments]
    assert f"owners: {', '.join(owners)}" in printed
    assert f"{first.removes[0].finding} {first.removes[0].before}→{first.removes[0].after}" in printed
    assert "まず取り組むこと" in _printed(catalog, "ja")


def test_analyze_prints_the_actions_before_anything_else() -> None:
    result = CliRunner().invoke(app, ["analyze", str(AUTOMOTIVE), "--limit", "0"])
    assert result.exit_code == 0, result.output
    assert result.output.lstrip().startswith("Actions first")
    assert result.output.index("Actions first") < result.output.index("digest")


def test_owners_and_zones_are_named_and_long_lists_counted(catalog: Catalog) -> None:
    # A department the model names is printed by its name, a department kind the model lacks by the kind's title
    # (Table 1-1) in the page's language; zones by name; past 20 zones or lowered risks, the rest are counted.
    assessment = analyze(load_model(AUTOMOTIVE), catalog)
    model = load_model(AUTOMOTIVE)
    zone = model.zones[0]
    first = assessment.actions[0].model_copy(
        update={
            "departments": (model.departments[0].id, "bcp"),
            "zones": tuple([zone.id] * 25),
            "removes": tuple([assessment.actions[0].removes[0]] * 23),
        }
    )
    changed = assessment.model_copy(update={"actions": (first, *assessment.actions[1:])})
    english = _printed(catalog, "en", changed)
    assert f"owners: {model.departments[0].name}, {catalog.department_kinds['bcp'].title.en}" in english
    assert f"zones: {', '.join([zone.name] * 20)} and 5 more" in english
    assert english.count(assessment.actions[0].removes[0].finding) >= 20
    assert "and 3 more" in english
    japanese = _printed(catalog, "ja", changed)
    assert f"担当: {model.departments[0].name}, {catalog.department_kinds['bcp'].title.ja}" in japanese
    assert "ほか 5 件" in japanese
