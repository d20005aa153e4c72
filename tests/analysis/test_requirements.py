"""Requirements between zones: one per viewpoint and directed zone pair, folding in the per-conduit decisions of the pair's conduits."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from factorysec.analysis import build_context, run_rules
from factorysec.analysis.findings import Finding, Subject
from factorysec.analysis.policy import zone_requirements
from factorysec.analysis.requirements import Requirements, SecurityRequirement, derive_requirements
from factorysec.catalog import Catalog, load_catalog
from factorysec.catalog.models import Text
from factorysec.explain import explain_id
from factorysec.model.entities import FactoryModel

CONFIDENTIALITY = "information-transfer/transfer-confidentiality"
INTEGRITY = "information-transfer/transfer-integrity"
AVAILABILITY = "information-transfer/transfer-availability"
CONTROL = "control-instructions/external-control-instructions"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def conduit(conduit_id: str, source: str = "z1", target: str = "z2", **fields: Any) -> dict[str, Any]:
    return {"id": conduit_id, "from": source, "to": target, **fields}


def model(conduits: list[dict[str, Any]], *, z2_importance: str = "low", z2_kind: str = "monitoring") -> FactoryModel:
    """Two zones of low importance (z2's may be set) and one more, data assets d1-d3 (d3 secret), equipment e1 and e2 in z1."""
    return FactoryModel.model_validate(
        {
            "factory": {"id": "f", "name": "F"},
            "operations": [
                {"id": "op-low", "name": "Low", "importance": "low"},
                {"id": "op-z2", "name": "Z2 work", "importance": z2_importance},
            ],
            "zones": [
                {"id": "z1", "name": "Line", "kind": "production", "operations": ["op-low"]},
                {"id": "z2", "name": "Monitor", "kind": z2_kind, "operations": ["op-z2"]},
                {"id": "z3", "name": "Office", "kind": "office", "operations": ["op-low"]},
            ],
            "assets": [
                {"id": "d1", "name": "Counts", "type": "data", "zone": "z1", "data": {"disclosure": "internal"}},
                {"id": "d2", "name": "Recipes", "type": "data", "zone": "z1", "data": {"disclosure": "public"}},
                {"id": "d3", "name": "Designs", "type": "data", "zone": "z1", "data": {"disclosure": "secret"}},
                {"id": "e1", "name": "PLC", "type": "equipment", "zone": "z1"},
                {"id": "e2", "name": "HMI", "type": "equipment", "zone": "z1"},
            ],
            "conduits": conduits,
        }
    )


def derive(catalog: Catalog, factory: FactoryModel, findings: list[Finding] | None = None) -> Requirements:
    context = build_context(factory, catalog)
    return derive_requirements(context, run_rules(context) if findings is None else findings)


def between(requirements: Requirements) -> dict[str, SecurityRequirement]:
    return {r.id: r for r in requirements.items if r.scope == "between-zones"}


def test_two_conduits_between_the_same_zones_give_one_requirement_per_viewpoint_naming_both(catalog: Catalog) -> None:
    factory = model(
        [
            conduit("c1", data=["d1", "d2"], carries_control_instructions=True, from_assets=["e1"]),
            conduit(
                "c2",
                data=["d2"],
                carries="ignored when data is given",
                from_assets=["e2", "e1"],
                carries_control_instructions=True,
            ),
        ]
    )
    requirements = between(derive(catalog, factory, []))
    assert list(requirements) == [
        "REQ-transfer-confidentiality@z1->z2",
        "REQ-transfer-integrity@z1->z2",
        "REQ-external-control-instructions@z1->z2",
    ]
    confidentiality = requirements["REQ-transfer-confidentiality@z1->z2"]
    assert confidentiality.conduits == ("c1", "c2")
    assert confidentiality.subject == Subject(kind="zone", id="z1") and confidentiality.to_zone == "z2"
    assert confidentiality.text == Text(
        en="Confirm which data may leave 'Line' for 'Monitor' (Counts, Recipes)",
        ja="「Line」から「Monitor」へ送ってよいデータ（Counts, Recipes）を確認する",
    )
    control = requirements["REQ-external-control-instructions@z1->z2"]
    assert control.conduits == ("c1", "c2")
    assert "from which senders (PLC, HMI)" in control.text.en and "（PLC, HMI）" in control.text.ja


def test_carried_data_of_all_conduits_are_listed_once_each_in_order_and_whole(catalog: Catalog) -> None:
    many: list[dict[str, Any]] = [
        {"id": f"m{i}", "name": f"Item {i:03}", "type": "data", "zone": "z1", "data": {"disclosure": "internal"}}
        for i in range(300)
    ]
    factory = model(
        [
            conduit("c1", carries="free text"),
            conduit("c2"),
            conduit("c3", data=["d2", "d1"]),
            conduit("c4", carries="free text"),
        ]
    )
    factory = factory.model_copy(
        update={
            "assets": [
                *factory.assets,
                *FactoryModel.model_validate({"factory": {"id": "f", "name": "F"}, "assets": many}).assets,
            ],
            "conduits": [*factory.conduits, *model([conduit("c5", data=[a["id"] for a in many])]).conduits],
        }
    )
    text = between(derive(catalog, factory, []))["REQ-transfer-confidentiality@z1->z2"].text
    listed = ", ".join(["free text", "unspecified data", "Recipes", "Counts", *(a["name"] for a in many)])
    assert text.en == f"Confirm which data may leave 'Line' for 'Monitor' ({listed})"
    assert f"（{listed.replace('unspecified data', '未記載のデータ')}）" in text.ja


def test_opposite_directions_are_two_pairs_and_each_zone_lists_each_id_once(catalog: Catalog) -> None:
    factory = model(
        [
            conduit("c1"),
            conduit("back", "z2", "z1"),
            conduit("c2"),
            conduit("inside", "z1", "z1"),
            conduit("c3", "z3", "z2"),
        ]
    )
    requirements = derive(catalog, factory, [])
    pairs = [r.id for r in requirements.items if r.viewpoint == CONFIDENTIALITY]
    assert pairs == [
        "REQ-transfer-confidentiality@z1->z2",
        "REQ-transfer-confidentiality@z2->z1",
        "REQ-transfer-confidentiality@z3->z2",
    ]
    by_id = between(requirements)
    assert by_id["REQ-transfer-confidentiality@z1->z2"].conduits == ("c1", "c2")
    assert by_id["REQ-transfer-confidentiality@z2->z1"].conduits == ("back",)
    assert (
        by_id["REQ-transfer-confidentiality@z2->z1"].subject.id == "z2"
        and by_id["REQ-transfer-confidentiality@z2->z1"].to_zone == "z1"
    )
    assert not any("inside" in r.conduits for r in requirements.items)
    for zone_id, ids in requirements.by_zone.items():
        assert len(ids) == len(set(ids)), zone_id
    assert requirements.by_zone["z2"] == [r.id for r in requirements.items if r.scope == "between-zones"]
    assert requirements.by_zone["z1"] == [r.id for r in requirements.items if "z1" in (r.subject.id, r.to_zone)]
    assert requirements.by_zone["z3"] == [r.id for r in requirements.items if r.subject.id == "z3"]
    plain = {zone: list(ids) for zone, ids in zone_requirements(requirements.items).items()}
    assert plain == {zone: list(ids) for zone, ids in requirements.by_zone.items()}


@pytest.mark.parametrize(
    ("c1", "c2", "says"),
    [
        ({"data": ["d3"], "external_network": "internet"}, {"data": ["d1"]}, True),
        ({"data": ["d1"]}, {"data": ["d1", "d3"], "external_network": "vpn"}, True),
        (
            {"data": ["d3"]},
            {"data": ["d1"], "external_network": "internet"},
            False,
        ),  # sensitive and outside, but not on one conduit
        ({"data": ["d3"]}, {"data": ["d1"]}, False),
        ({"data": ["d1"], "external_network": "internet"}, {"data": ["d2"], "external_network": "internet"}, False),
    ],
)
def test_confidentiality_says_sensitive_data_leave_the_factory_only_when_one_conduit_does_both(
    catalog: Catalog, c1: dict[str, Any], c2: dict[str, Any], says: bool
) -> None:
    text = between(derive(catalog, model([conduit("c1", **c1), conduit("c2", **c2)]), []))[
        "REQ-transfer-confidentiality@z1->z2"
    ].text
    assert text.en.endswith("; it is sensitive and crosses outside the factory") is says
    assert text.ja.endswith("。機微なデータが工場外へ出る") is says


def test_sensitive_data_to_an_external_zone_cross_outside(catalog: Catalog) -> None:
    factory = model([conduit("c1", data=["d1"]), conduit("c2", data=["d3"])], z2_kind="external")
    requirements = between(derive(catalog, factory, []))
    assert requirements["REQ-transfer-confidentiality@z1->z2"].text.en.endswith("crosses outside the factory")
    assert requirements["REQ-transfer-availability@z1->z2"].conduits == ("c1", "c2")  # both cross outside


def test_integrity_availability_and_control_only_when_some_conduit_calls_for_them(catalog: Catalog) -> None:
    plain = [conduit("c1", data=["d1"]), conduit("c2", carries="orders")]
    assert list(between(derive(catalog, model(plain), []))) == ["REQ-transfer-confidentiality@z1->z2"]

    calling = [
        *plain,
        conduit("c3", data=["d3"]),
        conduit("c4", status="new"),
        conduit("c5", carries_control_instructions=True, external_network="vpn"),
    ]
    requirements = between(derive(catalog, model(calling), []))
    assert requirements["REQ-transfer-confidentiality@z1->z2"].conduits == ("c1", "c2", "c3", "c4", "c5")
    assert requirements["REQ-transfer-integrity@z1->z2"].conduits == ("c3", "c5")  # sensitive, control instructions
    assert requirements["REQ-transfer-availability@z1->z2"].conduits == ("c4", "c5")  # new, outside
    assert requirements["REQ-external-control-instructions@z1->z2"].conduits == ("c5",)
    assert "(unnamed)" in requirements["REQ-external-control-instructions@z1->z2"].text.en


def test_a_high_importance_target_calls_for_integrity_and_availability_on_every_conduit(catalog: Catalog) -> None:
    requirements = between(
        derive(catalog, model([conduit("c1", data=["d1"]), conduit("c2")], z2_importance="high"), [])
    )
    assert requirements["REQ-transfer-integrity@z1->z2"].conduits == ("c1", "c2")
    assert requirements["REQ-transfer-availability@z1->z2"].conduits == ("c1", "c2")
    assert "REQ-external-control-instructions@z1->z2" not in requirements


def test_new_is_whether_any_conduit_the_requirement_covers_is_new(catalog: Catalog) -> None:
    factory = model(
        [
            conduit("c1", carries_control_instructions=True),
            conduit("c2", status="new"),
            conduit("c3", data=["d1"]),
        ]
    )
    factory = factory.model_copy(
        update={"assets": [a.model_copy(update={"status": "new"}) if a.id == "d1" else a for a in factory.assets]}
    )
    requirements = between(derive(catalog, factory, []))
    assert requirements["REQ-transfer-confidentiality@z1->z2"].new  # c2, c3 (new data)
    assert requirements["REQ-transfer-availability@z1->z2"].new and requirements[
        "REQ-transfer-availability@z1->z2"
    ].conduits == ("c2", "c3")
    assert not requirements["REQ-transfer-integrity@z1->z2"].new  # c1 only
    assert not requirements["REQ-external-control-instructions@z1->z2"].new


def finding(finding_id: str, conduit_id: str, viewpoint: str | None) -> Finding:
    text = Text(en="x", ja="x")
    return Finding(
        id=finding_id,
        rule=finding_id.split("@")[0],
        category="threat",
        reference="r",
        title=text,
        rationale=text,
        subject=Subject(kind="conduit", id=conduit_id),
        viewpoint=viewpoint,
    )


def test_because_is_the_union_of_the_covered_conduits_findings_by_viewpoint_each_once(catalog: Catalog) -> None:
    factory = model(
        [
            conduit("c1", carries_control_instructions=True),
            conduit("c2", data=["d3"]),
            conduit("c3"),
        ]
    )
    findings = [
        finding("A@c1", "c1", "information-transfer/transfer-integrity"),
        finding("A@c1", "c1", "information-transfer/transfer-integrity"),  # a repeated finding: cited once
        finding("B@c1", "c1", "control-instructions/x"),
        finding("C@c2", "c2", "information-transfer/transfer-confidentiality"),
        finding("D@c2", "c2", "something-else"),
        finding("E@c3", "c3", "information-transfer/x"),
        finding("F@c3", "c3", None),
    ]
    requirements = between(derive(catalog, factory, findings))
    assert requirements["REQ-transfer-confidentiality@z1->z2"].conduits == ("c1", "c2", "c3")
    assert requirements["REQ-transfer-confidentiality@z1->z2"].because == ("A@c1", "C@c2", "E@c3")
    assert requirements["REQ-transfer-integrity@z1->z2"].because == ("A@c1", "C@c2")
    assert requirements["REQ-external-control-instructions@z1->z2"].because == ("B@c1",)
    assert requirements["REQ-external-control-instructions@z1->z2"].conduits == ("c1",)
    assert "REQ-transfer-availability@z1->z2" not in requirements


def test_within_zone_requirements_name_no_pair(catalog: Catalog) -> None:
    requirements = derive(catalog, model([conduit("c1", data=["d3"])]))
    within = [r for r in requirements.items if r.scope == "within-zone"]
    assert within and all(r.to_zone is None and r.conduits == () and "->" not in r.id for r in within)


def test_pair_ids_are_explained_as_requirements() -> None:
    explanation = explain_id("REQ-transfer-integrity@z1->z2")
    assert (
        explanation is not None
        and explanation.id == "REQ-transfer-integrity"
        and explanation.category == "between-zones"
    )


@pytest.mark.parametrize("where", ["carries", "sender"])
def test_a_lone_surrogate_in_any_conduit_of_a_pair_fails_validation(catalog: Catalog, where: str) -> None:
    factory = model(
        [
            conduit("c1", carries="orders", from_assets=["e1"], carries_control_instructions=True),
            conduit("c2", carries="more", from_assets=["e2"], carries_control_instructions=True),
        ]
    )
    if where == "carries":
        factory = factory.model_copy(
            update={
                "conduits": [factory.conduits[0], factory.conduits[1].model_copy(update={"carries": "more \ud800"})]
            }
        )
    else:
        factory = factory.model_copy(
            update={
                "assets": [a.model_copy(update={"name": "HMI \ud800"}) if a.id == "e2" else a for a in factory.assets]
            }
        )
    with pytest.raises(ValidationError, match="unicode"):
        derive(catalog, factory, [])


def test_a_two_way_flow_gets_transfer_requirements_both_ways(catalog: Catalog) -> None:
    """Leakage back from the receiving zone is asked about too (#23 item 1); control instructions only go from 'from' to 'to'."""
    factory = model(
        [
            conduit(
                "link",
                "z2",
                "z1",
                direction="two-way",
                data=["d3"],
                carries_control_instructions=True,
                from_assets=[],
                to_assets=["e1"],
            )
        ],
        z2_kind="external",
    )
    by_id = between(derive(catalog, factory, []))
    back = by_id["REQ-transfer-confidentiality@z1->z2"]
    assert back.subject.id == "z1" and back.to_zone == "z2" and back.conduits == ("link",)
    assert "sensitive and crosses outside the factory" in back.text.en  # secret designs leave for the outside zone
    assert "REQ-transfer-confidentiality@z2->z1" in by_id
    assert "REQ-external-control-instructions@z2->z1" in by_id
    assert "REQ-external-control-instructions@z1->z2" not in by_id


def test_a_one_way_flow_gets_transfer_requirements_one_way(catalog: Catalog) -> None:
    by_id = between(derive(catalog, model([conduit("link", "z2", "z1", data=["d3"])], z2_kind="external"), []))
    assert "REQ-transfer-confidentiality@z2->z1" in by_id and "REQ-transfer-confidentiality@z1->z2" not in by_id


def with_outside_service(
    conduits: list[dict[str, Any]], *, managed_by: str | None = "vendor", zone_managed_by: str | None = None
) -> FactoryModel:
    """:func:`model` with a service 'svc' inside z1 (run by 'vendor' unless ``managed_by`` says otherwise) and, when ``zone_managed_by``, z1 run by that party."""
    base = model(conduits).model_dump(by_alias=True, exclude_none=True)
    base["parties"] = [{"id": "vendor", "name": "Vendor", "kind": "outsourced-vendor"}]
    service: dict[str, Any] = {"id": "svc", "name": "Remote service", "type": "software", "zone": "z1"}
    if managed_by is not None:
        service["managed_by"] = managed_by
    base["assets"].append(service)
    if zone_managed_by is not None:
        base["zones"][0]["managed_by"] = zone_managed_by
    return FactoryModel.model_validate(base)


OUTSIDE_END_IDS = {
    "REQ-transfer-confidentiality@z1->svc",
    "REQ-transfer-integrity@z1->svc",  # the data are secret
    "REQ-transfer-availability@z1->svc",  # they leave the factory's control
    "REQ-confidentiality@z1#svc",
    "REQ-integrity@z1#svc",  # the flow is new
}


def test_a_flow_inside_a_zone_to_an_asset_an_outside_party_runs_gets_the_requirements_of_a_zone_boundary(
    catalog: Catalog,
) -> None:
    """#23 item 3: the party runs the asset under its own policy, so data sent to it need what data sent to an external zone need."""
    flow = conduit("out", "z1", "z1", data=["d3"], from_assets=["e1"], to_assets=["svc"], status="new")
    derived = derive(catalog, with_outside_service([flow]), [])
    by_id = {r.id: r for r in derived.items}
    assert OUTSIDE_END_IDS <= set(by_id)
    transfer = by_id["REQ-transfer-confidentiality@z1->svc"]
    assert transfer.scope == "between-zones" and transfer.subject.id == "z1" and transfer.to_zone == "z1"
    assert transfer.conduits == ("out",)
    assert (
        "'Remote service (Vendor)'" in transfer.text.en
        and "sensitive and crosses outside the factory" in transfer.text.en
    )
    assert "「Remote service (Vendor)」" in transfer.text.ja
    assert (
        by_id["REQ-confidentiality@z1#svc"].scope == "within-zone"
        and "Designs" in by_id["REQ-confidentiality@z1#svc"].text.en
    )
    assert not any(i.startswith("REQ-transfer-") and "svc->z1" in i for i in by_id)  # one-way: nothing comes back
    listed = derived.by_zone["z1"]
    assert OUTSIDE_END_IDS <= set(listed) and len(listed) == len(set(listed))  # each id once, under the zone
    assert zone_requirements(derived.items) == derived.by_zone


def test_a_two_way_flow_to_an_outside_end_is_asked_about_the_way_back_too(catalog: Catalog) -> None:
    flow = conduit("both", "z1", "z1", data=["d1"], from_assets=["e1"], to_assets=["svc"], direction="two-way")
    by_id = {r.id: r for r in derive(catalog, with_outside_service([flow]), []).items}
    assert {"REQ-transfer-confidentiality@svc->z1", "REQ-transfer-availability@z1->svc"} <= set(by_id)
    assert "REQ-transfer-availability@svc->z1" not in by_id  # what comes back is neither new nor leaves the factory
    assert "REQ-confidentiality@z1#svc" not in by_id  # internal data: nothing secret reaches the service
    assert "REQ-integrity@z1#svc" not in by_id  # nothing new


def test_control_instructions_from_an_outside_end_ask_whether_the_zone_accepts_them(catalog: Catalog) -> None:
    flow = conduit(
        "push",
        "z1",
        "z1",
        carries="set-points",
        from_assets=["svc"],
        to_assets=["e1"],
        carries_control_instructions=True,
    )
    by_id = {r.id: r for r in derive(catalog, with_outside_service([flow]), []).items}
    control = by_id["REQ-external-control-instructions@svc->z1"]
    assert "Remote service (Vendor)" in control.text.en and control.conduits == ("push",)
    assert not any("z1->svc" in i for i in by_id)


def test_a_private_cloud_inside_the_zone_is_no_outside_end(catalog: Catalog) -> None:
    """Annex A case (ii) exception: a private cloud within the enterprise systems is under the company's own policy."""
    flow = conduit("in", "z1", "z1", data=["d3"], from_assets=["e1"], to_assets=["svc"], status="new")
    base = with_outside_service([flow], managed_by=None).model_dump(by_alias=True, exclude_none=True)
    base["assets"][-1].update(type="external-service", separation_exception="private-cloud")
    assert not [r.id for r in derive(catalog, FactoryModel.model_validate(base), []).items if "svc" in r.id]
    base["assets"][-1].pop("separation_exception")  # the same service, public: its end is outside
    assert OUTSIDE_END_IDS <= {r.id for r in derive(catalog, FactoryModel.model_validate(base), []).items}


@pytest.mark.parametrize(
    ("managed_by", "zone_managed_by", "ends"),
    [
        (None, None, ("e1", "svc")),  # the factory runs the service itself
        ("vendor", "vendor", ("e1", "svc")),  # the party runs the whole zone: no other policy is reached
        ("vendor", None, ("e1", "e2")),  # the flow does not reach the service
    ],
)
def test_no_outside_end_requirements_without_an_end_run_by_another_party(
    catalog: Catalog, managed_by: str | None, zone_managed_by: str | None, ends: tuple[str, str]
) -> None:
    flow = conduit("in", "z1", "z1", data=["d3"], from_assets=[ends[0]], to_assets=[ends[1]], status="new")
    derived = derive(catalog, with_outside_service([flow], managed_by=managed_by, zone_managed_by=zone_managed_by), [])
    assert not [r.id for r in derived.items if "svc" in r.id or r.scope == "between-zones"]


def test_an_external_service_in_an_external_zone_is_the_partners_own_business(catalog: Catalog) -> None:
    flow = conduit("there", "z2", "z2", data=["d3"], from_assets=["e1"], to_assets=["svc"], status="new")
    base = with_outside_service([flow]).model_dump(by_alias=True, exclude_none=True)
    base["zones"][1]["kind"] = "external"
    base["assets"][-1]["zone"] = "z2"
    derived = derive(catalog, FactoryModel.model_validate(base), [])
    assert not [r.id for r in derived.items if "svc" in r.id]
