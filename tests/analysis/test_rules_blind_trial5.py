"""Rule reasoning corrected after the fifth, strictly blind trial (examples/battery-cell, a greenfield lithium-ion cell
plant with an OT SOC's sensors in its MES zone, a cloud digital twin proposing set points and demand response).

Each test states what the guideline asks, on a fixture beside the rule's own (tests/fixtures/rules/<RULE ID>/), and
failed before the fix it guards; the variants show the facts the model must state for the rule to stand down.
"""

from __future__ import annotations

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from factorysec.model.entities import FactoryModel
from tests.analysis.rule_findings import RULE_FIXTURES, with_asset

SENSOR = RULE_FIXTURES / "ZONE-MIXED-CONTROL" / "issuer-with-contracted-monitoring-sensor.yaml"


def _ids(model: FactoryModel, catalog: Catalog) -> set[str]:
    assessment = analyze(model, catalog)
    return {f.id for f in (*assessment.findings, *assessment.lifecycle.findings)}


def test_a_contracted_monitoring_sensor_kept_in_the_issuers_zone_does_not_split_it(catalog: Catalog) -> None:
    # Annex A case (ii) step 3: a service whose contract includes the needed measures may stay in the zone it serves;
    # held to that zone's requirements, it gives no reason to divide the MES (Annex A case (i)) from it.
    found = _ids(load_model(SENSOR), catalog)
    assert "ZONE-MIXED-CONTROL@control" not in found
    assert "ZONE-SHARED-SERVICE@control" in found  # the exception is still stated, with what must keep holding


def test_the_same_sensor_without_the_exception_is_still_told_apart_from_the_issuers(catalog: Catalog) -> None:
    # Without the exception the sensor is an outside party's device under its own requirements: both rules ask.
    model = with_asset(load_model(SENSOR), "ot-sensor", separation_exception=None)
    found = _ids(model, catalog)
    assert {"ZONE-MIXED-CONTROL@control", "ZONE-MIXED-MANAGEMENT@control"} <= found
