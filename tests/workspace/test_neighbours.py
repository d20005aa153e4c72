"""The per-element check of an edit gives exactly the problems the whole-model check (``factorysec check``) gives."""

from __future__ import annotations

from typing import Any

import pytest

from factorysec.workspace.factories.models import Element, Factory
from factorysec.workspace.factories.neighbours import Edit, build_excerpt, edit_problems
from factorysec.workspace.factories.store import (
    StoreError,
    _candidate,
    live_rows,
    save_element,
    validate_candidate,
)

Found = tuple[str, str | None, str, str, str]


def _stored(factory: Factory, section: str, key: str) -> dict[str, Any]:
    payload: dict[str, Any] = Element.objects.get(factory=factory, section=section, key=key).payload
    return dict(payload)


def _whole_model(factory: Factory, edit: Edit) -> list[Found]:
    """What the check of the whole model rebuilt with the edit finds (the way every edit was checked before)."""
    rows = live_rows(factory)
    if edit.old is None:
        candidate = _candidate(rows, {}, (edit.section, edit.key, edit.new or {}))
    else:
        candidate = _candidate(rows, {(edit.section, edit.key): edit.new}, None)
    try:
        validate_candidate(candidate)
    except StoreError as error:
        return sorted((p.section, p.key, p.field, p.message, p.hint) for p in error.problems)
    return []


@pytest.fixture
def richer(annex_a: Factory) -> Factory:
    """Annex A with what it lacks for the cross-entry checks: a sub-zone, a subcontractor, maturity and checklist answers."""
    save_element(
        annex_a, "zones", None, {"id": "cell-1", "name": "Cell 1", "kind": "production", "parent": "production"}
    )
    save_element(annex_a, "zones", None, {"id": "cell-1a", "name": "Cell 1a", "kind": "production", "parent": "cell-1"})
    save_element(
        annex_a,
        "parties",
        None,
        {"id": "line-sub", "name": "Line subcontractor", "kind": "equipment-vendor", "subcontractor_of": "line-vendor"},
    )
    save_element(annex_a, "maturity", None, {"area": "within-department", "level": "basic"})
    for subject in ("agv-control-pc", "mes-vendor"):
        save_element(
            annex_a,
            "checklist_answers",
            None,
            {"subject": subject, "item": "product.procurement.support-policy", "answer": "yes"},
        )
    save_element(
        annex_a,
        "assets",
        None,
        {
            "id": "work-orders",
            "name": "Work orders",
            "type": "data",
            "component": "production-instructions",
            "zone": "production-control",
        },
    )
    recipe = _stored(annex_a, "assets", "production-recipe")
    save_element(annex_a, "assets", "production-recipe", recipe | {"data": {"derived_from": ["work-orders"]}})
    return annex_a


def _edits(factory: Factory) -> dict[str, Edit]:
    """Bad edits, each refused by ``check`` for a different reason."""
    asset = _stored(factory, "assets", "parts-line")
    mes = _stored(factory, "assets", "mes-server")
    agv_pc = _stored(factory, "assets", "agv-control-pc")
    zone = _stored(factory, "zones", "production")
    conduit = _stored(factory, "conduits", "oa-to-control")
    party = _stored(factory, "parties", "line-vendor")
    answer_key = Element.objects.get(
        factory=factory, section="checklist_answers", payload__subject="agv-control-pc"
    ).key
    answer = _stored(factory, "checklist_answers", answer_key)
    head = _stored(factory, "factory", "factory")
    recipe = _stored(factory, "assets", "production-recipe")
    orders = _stored(factory, "assets", "work-orders")

    def made_from(*ids: str) -> dict[str, Any]:
        return recipe | {"data": {**(recipe.get("data") or {}), "derived_from": list(ids)}}

    return {
        "lineage names a device": Edit("assets", "production-recipe", recipe, made_from("mes-server")),
        "lineage names an unknown asset": Edit(
            "assets", "production-recipe", recipe, made_from("production-instruction")
        ),
        "lineage names the asset itself": Edit("assets", "production-recipe", recipe, made_from("production-recipe")),
        "type changed away from data while a lineage names it": Edit(
            "assets", "work-orders", orders, orders | {"type": "software", "component": "mes"}
        ),
        "data asset deleted while a lineage names it": Edit("assets", "work-orders", orders, None),
        "unknown zone": Edit("assets", "parts-line", asset, asset | {"zone": "no-such-zone"}),
        "near-miss zone": Edit("assets", "parts-line", asset, asset | {"zone": "productio"}),
        "wrong type": Edit("assets", "parts-line", asset, asset | {"type": "robot"}),
        "unknown field": Edit("assets", "parts-line", asset, asset | {"zones": "production"}),
        "bad and dangling at once": Edit(
            "assets", "parts-line", asset, asset | {"type": "robot", "supplier": "nobody"}
        ),
        "unknown component": Edit("assets", "parts-line", asset, asset | {"component": "warp-drive"}),
        "data on equipment": Edit("assets", "parts-line", asset, asset | {"data": {"category": "production"}}),
        "moved away from its conduits": Edit("assets", "mes-server", mes, mes | {"zone": "oa"}),
        "party loses its checklist": Edit(
            "assets", "mes-server", mes, {k: v for k, v in mes.items() if k != "supplier"}
        ),
        "asset loses its checklist": Edit(
            "assets",
            "agv-control-pc",
            agv_pc,
            # a general-purpose product keeps its product checklist without a supplier (#23 item 5): drop the trait too
            {k: v for k, v in agv_pc.items() if k not in ("supplier", "maintainer", "traits")},
        ),
        "separation exception in-house": Edit(
            "assets", "parts-line", asset, asset | {"separation_exception": "private-cloud"}
        ),
        "hard-wired with addresses and wireless": Edit(
            "assets", "parts-line", asset, asset | {"traits": ["hard-wired", "wireless"], "addresses": ["10.0.0.9"]}
        ),
        "one-way on a two-way conduit": Edit(
            "conduits", "oa-to-control", conduit, conduit | {"one_way": True, "direction": "two-way"}
        ),
        "renamed onto a later id": Edit("assets", "parts-line", asset, asset | {"id": "oa-server"}),
        "renamed onto an earlier id": Edit("conduits", "oa-to-control", conduit, conduit | {"id": "parts-line"}),
        "renamed while named": Edit("assets", "mes-server", mes, mes | {"id": "mes-server-2"}),
        "new zone with a taken id": Edit(
            "zones", "production", None, {"id": "production", "name": "x", "kind": "other"}
        ),
        "bad id": Edit("zones", "bad id", None, {"id": "bad id", "name": "x", "kind": "other"}),
        "zone cycle": Edit("zones", "production", zone, zone | {"parent": "cell-1a"}),
        "subcontracting cycle": Edit("parties", "line-vendor", party, party | {"subcontractor_of": "line-sub"}),
        "conduit end in another zone": Edit("conduits", "oa-to-control", conduit, conduit | {"from_assets": ["scada"]}),
        "conduit data not a data asset": Edit("conduits", "oa-to-control", conduit, conduit | {"data": ["oa-server"]}),
        "zone deleted while used": Edit("zones", "production", zone, None),
        "asset deleted while named": Edit("assets", "mes-server", mes, None),
        "party deleted while answered": Edit("parties", "line-vendor", party, None),
        "duplicate maturity": Edit("maturity", "item-99", None, {"area": "within-department", "level": "practice"}),
        "duplicate answer": Edit("checklist_answers", "item-99", None, answer | {"answer": "no"}),
        "answer outside its checklists": Edit(
            "checklist_answers", answer_key, answer, answer | {"item": "software.procurement.security-policy"}
        ),
        "unknown department": Edit("factory", "factory", head, head | {"pdca_owner": "nobody"}),
    }


def test_every_bad_edit_gets_the_whole_model_checks_messages(richer: Factory) -> None:
    for name, edit in _edits(richer).items():
        whole = _whole_model(richer, edit)
        assert whole, f"{name}: the whole-model check should refuse this edit"
        assert sorted(edit_problems(richer, edit)) == whole, name


def test_good_edits_pass_both_checks(richer: Factory) -> None:
    asset = _stored(richer, "assets", "mes-server")
    zone = _stored(richer, "zones", "cell-1")
    recipe = _stored(richer, "assets", "production-recipe")
    good = [
        Edit("assets", "mes-server", asset, asset | {"description": "patched"}),
        Edit("assets", "mes-server", asset, asset | {"zone": "production-control", "traits": ["general-purpose"]}),
        Edit("assets", "mes-server", asset, {**asset, "traits": ["general-purpose", "hard-wired"], "addresses": []}),
        Edit("zones", "cell-1", zone, zone | {"parent": "transport-zone"}),
        Edit("zones", "spare", None, {"id": "spare", "name": "Spare", "kind": "other"}),
        Edit("assets", "production-recipe", recipe, recipe | {"data": {"derived_from": ["production-instructions"]}}),
        Edit("conduits", "oa-to-control", _stored(richer, "conduits", "oa-to-control"), None),
    ]
    for edit in good:
        assert _whole_model(richer, edit) == []
        assert edit_problems(richer, edit) == []


def test_an_asset_edit_reads_only_its_neighbours(richer: Factory) -> None:
    """A description edit needs the asset, the factory section and the ids it names, not the other assets."""
    asset = _stored(richer, "assets", "oa-terminal")
    excerpt = build_excerpt(richer, Edit("assets", "oa-terminal", asset, asset | {"description": "x"})).excerpt
    assert excerpt.data["assets"] == [asset | {"description": "x"}]
    assert set(excerpt.data) == {"factory", "assets"}
    assert "assets" not in excerpt.ids
