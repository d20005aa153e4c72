"""Annex A case (ii): the remote-maintenance provider's service needs the external-service checklist and a responsibility matrix."""

from __future__ import annotations

import pytest

from factorysec.catalog import Catalog
from factorysec.model import load_model

from .conftest import ANNEX_A, Assess

CASE_2 = ["case-2-first-added.yaml", "case-2-after-review.yaml"]


@pytest.mark.parametrize("name", CASE_2)
def test_remote_maintenance_service_gets_the_cloud_checklist(name: str, assess: Assess, catalog: Catalog) -> None:
    report = assess(load_model(ANNEX_A / name))
    checklists = [c for c in report.checklists.checklists if c.asset == "remote-maintenance-service"]
    assert [c.kind for c in checklists] == ["cloud-service"]
    assert len(checklists[0].entries) == len(catalog.checklist("cloud-service")) == 12
    assert checklists[0].party == "remote-maintenance-provider"
    assert "S3-CHECKLIST-OPEN@remote-maintenance-service#cloud-service" in {f.id for f in report.findings}


@pytest.mark.parametrize("name", CASE_2)
def test_remote_maintenance_service_responsibility_boundary_to_confirm(name: str, assess: Assess) -> None:
    report = assess(load_model(ANNEX_A / name))
    matrix = next(m for m in report.responsibilities if m.subject == "remote-maintenance-service")
    cells = {c.area: (c.responsible, c.source) for c in matrix.cells}
    assert cells["operation"] == (("remote-maintenance-provider",), "inferred")
    assert cells["maintenance"] == (("remote-maintenance-provider",), "inferred")
    assert matrix.missing == ("incident-response", "vulnerability-handling", "data-handling-at-end")
    assert not matrix.boundary_confirmed
    gap = next(f for f in report.findings if f.id == "S3-RESP-GAP@remote-maintenance-service")
    assert "boundary of the separation" in gap.rationale.en and "分離の境界" in gap.rationale.ja
    assert "remote-maintenance-provider" in gap.related


def test_the_outsourced_remote_maintenance_operation_has_a_matrix_too(assess: Assess) -> None:
    report = assess(load_model(ANNEX_A / "case-2-after-review.yaml"))
    assert "S3-RESP-GAP@warehouse-remote-maintenance" in {f.id for f in report.findings}


def test_the_current_factory_has_no_external_service(assess: Assess) -> None:
    report = assess(load_model(ANNEX_A / "current"))
    assert report.responsibilities == ()
    assert not [c for c in report.checklists.checklists if c.kind == "cloud-service"]
