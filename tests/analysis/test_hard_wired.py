"""The ``hard-wired`` trait on semiconductor-backend's press safety controller (the blind trial's noise on its zone)."""

from __future__ import annotations

import datetime as dt

from factorysec.analysis import analyze
from factorysec.catalog import Catalog
from factorysec.model import load_model
from factorysec.model.entities import FactoryModel, Trait
from tests.conftest import ROOT

TODAY = dt.date(2026, 12, 1)


def _finding_ids(model: FactoryModel, catalog: Catalog) -> set[str]:
    assessment = analyze(model, catalog, today=TODAY)
    return {f.id for f in (*assessment.findings, *assessment.lifecycle.findings)}


def _without_trait(model: FactoryModel, asset_id: str, trait: Trait) -> FactoryModel:
    assets = [
        a.model_copy(update={"traits": [t for t in a.traits if t is not trait]}) if a.id == asset_id else a
        for a in model.assets
    ]
    return model.model_copy(update={"assets": assets})


def test_the_hard_wired_press_safety_controller_is_not_told_to_leave_the_press_and_the_rest_stays(
    catalog: Catalog,
) -> None:
    model = load_model(ROOT / "examples" / "semiconductor-backend")
    (safety,) = [a for a in model.assets if a.id == "mould-safety"]
    assert Trait.HARD_WIRED in safety.traits
    marked = _finding_ids(model, catalog)
    unmarked = _finding_ids(_without_trait(model, "mould-safety", Trait.HARD_WIRED), catalog)
    assert "ZONE-SAFETY-WITH-CONTROL@assembly-zone" in unmarked
    assert "ZONE-SAFETY-WITH-CONTROL@assembly-zone" not in marked
    # Moulding was left out of the advice to divide the clean room by operation only because ZONE-SAFETY-WITH-CONTROL
    # already told its split; die and wire bonding and moulding each have their own equipment, so the advisory is said.
    assert marked - unmarked == {"ZONE-DIVISIBLE-BY-OPERATION@assembly-zone"}
    assert unmarked - marked == {"ZONE-SAFETY-WITH-CONTROL@assembly-zone"}
