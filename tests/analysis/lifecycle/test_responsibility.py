"""Responsibility division and subcontractor chains (Step 1-1 (3), Step 3 (2))."""

from __future__ import annotations

from factorysec.analysis.lifecycle import LifecycleReport, ResponsibilityMatrix
from factorysec.model import FactoryModel

from .conftest import Assess, Ids, WriteVariant


def _matrix(report: LifecycleReport, subject: str) -> ResponsibilityMatrix:
    return next(m for m in report.responsibilities if m.subject == subject)


def _cells(matrix: ResponsibilityMatrix) -> dict[str, tuple[tuple[str, ...], str]]:
    return {c.area: (c.responsible, c.source) for c in matrix.cells}


def test_matrix_covers_external_services_and_outsourced_operations(factory_model: FactoryModel, assess: Assess) -> None:
    report = assess(factory_model)
    assert [(m.subject_kind, m.subject) for m in report.responsibilities] == [
        ("asset", "analytics-cloud"),
        ("operation", "line-maintenance"),
    ]


def test_declared_inferred_and_missing_cells(factory_model: FactoryModel, assess: Assess) -> None:
    cells = _cells(_matrix(assess(factory_model), "analytics-cloud"))
    assert cells == {
        "operation": (("cloud-co",), "inferred"),
        "maintenance": ((), "missing"),
        "incident-response": (("cloud-co",), "declared"),
        "vulnerability-handling": (("cloud-co",), "declared"),
        "data-handling-at-end": (("sec",), "declared"),
    }


def test_a_responsibility_declared_for_the_party_covers_its_operation(
    factory_model: FactoryModel, assess: Assess
) -> None:
    cells = _cells(_matrix(assess(factory_model), "line-maintenance"))
    assert cells["incident-response"] == (("maint-co",), "declared")
    assert cells["operation"] == (("maint-co",), "inferred")


def test_gap_names_the_missing_areas(factory_model: FactoryModel, assess: Assess, ids: Ids) -> None:
    report = assess(factory_model)
    assert ids(report, "S3-RESP-GAP") == ["S3-RESP-GAP@analytics-cloud", "S3-RESP-GAP@line-maintenance"]
    gap = next(f for f in report.findings if f.id == "S3-RESP-GAP@line-maintenance")
    assert "maintenance, vulnerability handling, data handling at end of use" in gap.rationale.en
    assert gap.category == "supply-chain" and "Step 3 (2)" in gap.reference
    assert gap.rationale.ja != gap.rationale.en


def test_no_gap_when_every_area_is_named(write_variant: WriteVariant, assess: Assess, ids: Ids) -> None:
    areas = ["operation", "maintenance", "incident-response", "vulnerability-handling", "data-handling-at-end"]
    model = write_variant(
        "factory.yaml",
        {
            "responsibilities": [
                {"subject": s, "area": a, "responsible": "sec"}
                for s in ("analytics-cloud", "line-maintenance")
                for a in areas
            ]
        },
    )
    report = assess(model)
    assert ids(report, "S3-RESP-GAP") == []
    assert all(m.boundary_confirmed for m in report.responsibilities)


def test_subcontractor_without_contractor(bare_model: FactoryModel, assess: Assess, ids: Ids) -> None:
    report = assess(bare_model)
    assert "S3-SUBCONTRACT-LINK@lone-sub" in ids(report, "S3-SUBCONTRACT-LINK")


def test_subcontractor_of_a_contractor_responsible_for_nothing(
    bare_model: FactoryModel, assess: Assess, ids: Ids
) -> None:
    found = ids(assess(bare_model), "S3-SUBCONTRACT-LINK")
    assert found == ["S3-SUBCONTRACT-LINK@chained-sub", "S3-SUBCONTRACT-LINK@lone-sub"]


def test_subcontractor_of_a_responsible_contractor_is_fine(
    factory_model: FactoryModel, assess: Assess, ids: Ids
) -> None:
    assert ids(assess(factory_model), "S3-SUBCONTRACT-LINK") == []
