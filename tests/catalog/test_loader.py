"""Loader behaviour: caching, API shape, and errors for broken catalogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from factorysec.catalog import Catalog, CatalogError, Text, load_catalog

EditFn = Callable[[str, Callable[[dict[str, Any]], None]], None]


def _find(entries: list[dict[str, Any]], entry_id: str) -> dict[str, Any]:
    return next(e for e in entries if e["id"] == entry_id)


def test_load_catalog_is_cached(catalog: Catalog) -> None:
    assert load_catalog() is catalog


def test_copy_of_packaged_data_loads(data_copy: Path, catalog: Catalog) -> None:
    copy = load_catalog(data_copy)
    assert copy is not catalog
    assert list(copy.measures) == list(catalog.measures)


def test_sections_keep_file_order(catalog: Catalog) -> None:
    assert list(catalog.purposes)[:2] == ["improve-quality", "reduce-costs"]
    assert list(catalog.table_3_6) == [f"t36-{i}" for i in range(1, 10)]


def test_sections_are_read_only(catalog: Catalog) -> None:
    with pytest.raises(TypeError):
        catalog.purposes["new"] = catalog.purposes["improve-quality"]  # type: ignore[index]
    with pytest.raises(ValidationError):
        catalog.purposes["improve-quality"].ref = "changed"  # type: ignore[misc]


def test_section_ids(catalog: Catalog) -> None:
    assert catalog.section_ids("threat_types") == frozenset(catalog.threat_types)
    assert "cloud-system" in catalog.section_ids("components")
    with pytest.raises(KeyError, match="no_such_section"):
        catalog.section_ids("no_such_section")


def test_viewpoint_detail_ids(catalog: Catalog) -> None:
    ids = catalog.viewpoint_detail_ids()
    assert "information-transfer/transfer-integrity" in ids
    assert "sqdc/safety" in ids
    assert len(ids) == 4 + 6 + 3 + 3 + 1


def test_text_get() -> None:
    text = Text(en="Zone", ja="ゾーン")
    assert text.get("en") == "Zone"
    assert text.get("ja") == "ゾーン"
    with pytest.raises(ValueError, match="fr"):
        text.get("fr")


def test_lookup_helpers(catalog: Catalog) -> None:
    assert catalog.ooda_role("damage-occurrence", "orient").lead == "reporting-department"
    assert catalog.maturity_cell("within-department", "basic").area == "within-department"
    assert len(catalog.checklist("software", "development")) == 3
    assert all("reduced-availability" in m.threat_types for m in catalog.measures_for_threat("reduced-availability"))


def _assert_error(data_dir: Path, *needles: str) -> CatalogError:
    with pytest.raises(CatalogError) as info:
        load_catalog(data_dir)
    message = str(info.value)
    for needle in needles:
        assert needle in message, message
    return info.value


def test_dangling_threat_type_reference(data_copy: Path, edit: EditFn) -> None:
    edit(
        "measures.yaml",
        lambda d: _find(d["measures"], "net-wireless-security")["threat_types"].append("no-such-threat"),
    )
    _assert_error(data_copy, "measures.yaml", "net-wireless-security", "no-such-threat")


def test_dangling_measure_in_table_3_6(data_copy: Path, edit: EditFn) -> None:
    edit("measures.yaml", lambda d: _find(d["table_3_6"], "t36-7")["measures"].append("no-such-measure"))
    _assert_error(data_copy, "measures.yaml", "t36-7", "no-such-measure")


def test_table_3_6_measure_must_answer_its_threat(data_copy: Path, edit: EditFn) -> None:
    edit("measures.yaml", lambda d: _find(d["table_3_6"], "t36-7")["measures"].append("phys-secure-disposal"))
    _assert_error(data_copy, "measures.yaml", "t36-7", "phys-secure-disposal")


def test_dangling_viewpoint_in_risk_matter(data_copy: Path, edit: EditFn) -> None:
    edit("risk_matters.yaml", lambda d: _find(d["matters"], "wireless-ict").update(viewpoint="no-such-viewpoint"))
    _assert_error(data_copy, "risk_matters.yaml", "wireless-ict", "no-such-viewpoint")


def test_unknown_ooda_lead(data_copy: Path, edit: EditFn) -> None:
    edit("ooda.yaml", lambda d: _find(d["roles"], "preventive-maintenance.act").update(lead="janitor"))
    _assert_error(data_copy, "ooda.yaml", "preventive-maintenance.act", "janitor")


def test_a_consequence_of_a_part_the_standard_lacks(data_copy: Path, edit: EditFn) -> None:
    edit(
        "requirements.yaml",
        lambda d: _find(d["standards"], "jp-economic-security-act")["consequences"][0].update(parts=["core-infra"]),
    )
    _assert_error(data_copy, "requirements.yaml", "jp-economic-security-act", "unknown part 'core-infra'")


def test_a_standard_split_into_parts_assumes_one(data_copy: Path, edit: EditFn) -> None:
    edit("requirements.yaml", lambda d: _find(d["standards"], "jp-economic-security-act")["parts"][0].pop("assumed"))
    _assert_error(data_copy, "requirements.yaml", "jp-economic-security-act", "none is assumed")


def test_unknown_step_audience(data_copy: Path, edit: EditFn) -> None:
    edit("steps.yaml", lambda d: _find(d["steps"], "step-2")["audiences"].append("marketing"))
    _assert_error(data_copy, "steps.yaml", "step-2", "marketing")


def test_duplicate_id(data_copy: Path, edit: EditFn) -> None:
    def duplicate(doc: dict[str, Any]) -> None:
        doc["purposes"].append(dict(_find(doc["purposes"], "add-value")))

    edit("purposes.yaml", duplicate)
    _assert_error(data_copy, "purposes.yaml", "add-value", "duplicate")


def test_duplicate_component_id_across_types(data_copy: Path, edit: EditFn) -> None:
    def duplicate(doc: dict[str, Any]) -> None:
        router = _find(_find(doc["object_types"], "equipment")["components"], "router")
        _find(doc["object_types"], "data")["components"].append(dict(router))

    edit("object_types.yaml", duplicate)
    _assert_error(data_copy, "object_types.yaml", "router", "duplicate component id")


def test_missing_ja(data_copy: Path, edit: EditFn) -> None:
    edit("threat_types.yaml", lambda d: _find(d["threat_types"], "negligence")["title"].pop("ja"))
    _assert_error(data_copy, "threat_types.yaml", "negligence", "title.ja")


def test_blank_ja(data_copy: Path, edit: EditFn) -> None:
    edit("tasks.yaml", lambda d: _find(d["tasks"], "traceability")["details"][0].update(ja="  "))
    _assert_error(data_copy, "tasks.yaml", "traceability", "details.0.ja")


def test_missing_ref(data_copy: Path, edit: EditFn) -> None:
    edit("purposes.yaml", lambda d: _find(d["purposes"], "reduce-costs").update(ref=""))
    _assert_error(data_copy, "purposes.yaml", "reduce-costs", "ref")


def test_unknown_field(data_copy: Path, edit: EditFn) -> None:
    edit("viewpoints.yaml", lambda d: _find(d["viewpoints"], "sqdc").update(colour="red"))
    _assert_error(data_copy, "viewpoints.yaml", "sqdc", "colour")


def test_malformed_id(data_copy: Path, edit: EditFn) -> None:
    edit("threat_types.yaml", lambda d: _find(d["threat_types"], "negligence").update(id="Negligence"))
    _assert_error(data_copy, "threat_types.yaml", "Negligence", "kebab-case")


def test_unknown_top_level_key(data_copy: Path, edit: EditFn) -> None:
    edit("requirements.yaml", lambda d: d.update(laws=[]))
    _assert_error(data_copy, "requirements.yaml", "laws")


def test_invalid_yaml(data_copy: Path) -> None:
    (data_copy / "tasks.yaml").write_text("tasks: [unclosed\n", encoding="utf-8")
    _assert_error(data_copy, "tasks.yaml", "invalid YAML")


def test_invalid_yaml_is_located_on_one_line(data_copy: Path) -> None:
    (data_copy / "purposes.yaml").write_text("purposes:\n  - id: a\n   bad: 1\n", encoding="utf-8")
    error = _assert_error(data_copy, "purposes.yaml")
    located = [line for line in error.problems if "invalid YAML" in line]
    assert located == [
        f"{data_copy / 'purposes.yaml'}: invalid YAML at line 3, column 4: while parsing a block collection did not find expected '-' indicator"
    ]


def test_unsafe_yaml_is_refused(data_copy: Path) -> None:
    (data_copy / "tasks.yaml").write_text("tasks: !!python/object:os.system [ls]\n", encoding="utf-8")
    error = _assert_error(data_copy, "tasks.yaml", "unsupported YAML tag")
    assert any("line 1, column 8" in line for line in error.problems)


def test_a_file_that_is_not_utf8_is_a_problem_not_a_crash(data_copy: Path) -> None:
    with (data_copy / "steps.yaml").open("ab") as file:
        file.write(b"\xff")
    _assert_error(data_copy, "steps.yaml", "file is not valid UTF-8")


def test_missing_file(data_copy: Path) -> None:
    (data_copy / "maturity.yaml").unlink()
    error = _assert_error(data_copy, "maturity.yaml", "1 of the catalog's 15 files missing")
    assert len(error.problems) == 1


def test_a_folder_that_is_not_a_catalog_is_one_problem(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a catalog", encoding="utf-8")
    error = _assert_error(tmp_path, "not a catalog folder (none of its 15 files found: expected e.g. steps.yaml")
    assert error.problems == (
        f"{tmp_path}: not a catalog folder (none of its 15 files found: expected e.g. steps.yaml, purposes.yaml)",
    )


def test_many_missing_files_are_one_problem_naming_the_first_five(data_copy: Path) -> None:
    for name in (
        "steps.yaml",
        "purposes.yaml",
        "tasks.yaml",
        "ooda.yaml",
        "maturity.yaml",
        "governance.yaml",
        "measures.yaml",
    ):
        (data_copy / name).unlink()
    error = _assert_error(data_copy, "7 of the catalog's 15 files missing")
    assert error.problems == (
        f"{data_copy}: 7 of the catalog's 15 files missing: steps.yaml, purposes.yaml, tasks.yaml, governance.yaml, "
        "measures.yaml and 2 more",
    )


def test_all_problems_reported_together(data_copy: Path, edit: EditFn) -> None:
    edit("threat_types.yaml", lambda d: _find(d["threat_types"], "negligence")["title"].pop("ja"))
    edit("purposes.yaml", lambda d: _find(d["purposes"], "reduce-costs").update(ref=""))
    error = _assert_error(data_copy, "threat_types.yaml", "purposes.yaml")
    assert len(error.problems) == 2


def test_a_party_kind_procured_from_nothing_cannot_be_the_counterpart_of_a_checklist(
    data_copy: Path, edit: EditFn
) -> None:
    edit("stakeholders.yaml", lambda d: _find(d["party_kinds"], "authority").update(checklists=["cloud-service"]))
    _assert_error(data_copy, "stakeholders.yaml", "authority", "procured_from")
