"""A checklist answer is refused, with file:line:column, when the item's checklist does not apply to its subject."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorysec.catalog import load_catalog
from factorysec.model import ModelInputError, load_model
from tests.conftest import ROOT

LIFECYCLE = ROOT / "tests" / "fixtures" / "lifecycle" / "factory.yaml"


def _with_answers(tmp_path: Path, *answers: str) -> Path:
    text = LIFECYCLE.read_text(encoding="utf-8")
    head, tail = text.split("checklist_answers:\n", 1)
    kept = tail.split("\n\n", 1)[1]
    target = tmp_path / "factory.yaml"
    target.write_text(
        head + "checklist_answers:\n" + "".join(f"  - {a}\n" for a in answers) + "\n" + kept, encoding="utf-8"
    )
    return target


def _problems(path: Path) -> list[str]:
    with pytest.raises(ModelInputError) as caught:
        load_model(path, load_catalog())
    return [str(p) for p in caught.value.problems]


def test_the_fixture_answers_all_apply() -> None:
    assert len(load_model(LIFECYCLE).checklist_answers) == 5


def test_a_cloud_item_for_a_plain_plc_is_refused_at_its_line(tmp_path: Path) -> None:
    path = _with_answers(
        tmp_path,
        '{subject: vibration-sensor, item: product.procurement.security-functions, answer: "yes"}',
        '{subject: plc, item: cloud.contract.service-levels, answer: "yes"}',
    )
    problems = _problems(path)
    line = (
        path.read_text(encoding="utf-8")
        .splitlines()
        .index('  - {subject: plc, item: cloud.contract.service-levels, answer: "yes"}')
        + 1
    )
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:{line}:")
    assert "checklist_answers[1].item" in problems[0]
    assert (
        "checklist item 'cloud.contract.service-levels' is on the cloud-service checklist, which does not apply to asset 'plc' (its checklists: none)"
        in problems[0]
    )


def test_a_software_item_for_a_product_is_refused_and_names_what_it_gets(tmp_path: Path) -> None:
    item = next(i for i in load_catalog().checklist_items.values() if i.kind == "software")
    problems = _problems(_with_answers(tmp_path, f'{{subject: vibration-sensor, item: {item.id}, answer: "no"}}'))
    assert "does not apply to asset 'vibration-sensor' (its checklists: general-purpose-product)" in problems[0]


def test_a_party_gets_the_checklists_of_the_assets_it_runs(tmp_path: Path) -> None:
    assert load_model(
        _with_answers(tmp_path, '{subject: cloud-co, item: cloud.contract.service-levels, answer: "yes"}')
    )
    problems = _problems(
        _with_answers(tmp_path, '{subject: maint-co, item: cloud.contract.service-levels, answer: "yes"}')
    )
    assert (
        "does not apply to party 'maint-co' (checklists of the assets it manages, supplies or maintains: none)"
        in problems[0]
    )
