"""Requirements between zones: the direct way for a pair of one conduit gives what folding the pair's conduits gives.

Most zone pairs have a single conduit, and their requirements are worked out
without the gathering a pair of several conduits needs. A twin of the conduit
(the same fields under another id, with the same findings on it) is folded by
the general way into what the conduit alone calls for (each finding once), so
the two models below must give the same requirements between zones but for the
twin's id, on awkward inputs too.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from factorysec.analysis import build_context
from factorysec.analysis.findings import Finding, Subject
from factorysec.analysis.requirements import Requirements, _conduits_by_pair, derive_requirements, outside_ends
from factorysec.catalog import Catalog
from factorysec.catalog.models import Text
from factorysec.model.entities import FactoryModel


def factory(
    conduits: list[dict[str, Any]], *, target: dict[str, Any] | None = None, data_status: str = "existing"
) -> FactoryModel:
    """Zones 製造 (z1), Monitor (z2, changed by ``target``) and Office (z3); data d1 (internal), 図面 d3 (secret); equipment e1 and e2 in z1."""
    return FactoryModel.model_validate(
        {
            "factory": {"id": "f", "name": "F"},
            "operations": [
                {"id": "op", "name": "Work", "importance": "low"},
                {"id": "op-high", "name": "Key work", "importance": "high"},
            ],
            "zones": [
                {"id": "z1", "name": "製造ライン", "kind": "production", "operations": ["op"]},
                {"id": "z2", "name": "Monitor", "kind": "monitoring", "operations": ["op"], **(target or {})},
                {"id": "z3", "name": "Office", "kind": "office", "operations": ["op"]},
            ],
            "assets": [
                {
                    "id": "d1",
                    "name": "Counts",
                    "type": "data",
                    "zone": "z1",
                    "data": {"disclosure": "internal"},
                    "status": data_status,
                },
                {"id": "d3", "name": "図面", "type": "data", "zone": "z1", "data": {"disclosure": "secret"}},
                {"id": "e1", "name": "PLC", "type": "equipment", "zone": "z1"},
                {"id": "e2", "name": "操作盤", "type": "equipment", "zone": "z1"},
            ],
            "conduits": conduits,
        }
    )


def finding(finding_id: str, subject_id: str, viewpoint: str | None, kind: str = "conduit") -> Finding:
    text = Text(en="x", ja="x")
    return Finding(
        id=finding_id,
        rule=finding_id.split("@")[0],
        category="threat",
        reference="r",
        title=text,
        rationale=text,
        subject=Subject.model_validate({"kind": kind, "id": subject_id}),
        viewpoint=viewpoint,
    )


FINDINGS = [
    finding("A@c1", "c1", "information-transfer/transfer-integrity"),
    finding("A@c1", "c1", "information-transfer/transfer-integrity"),  # a repeated finding id: cited once
    finding("B@c1", "c1", "control-instructions/x"),
    finding("C@c1", "c1", "information-transfer-like"),  # cited as transfer: the viewpoint starts with its prefix
    finding("D@c1", "c1", None),
    finding("E@c1", "c1", "protected-object/x"),
    finding("F@z1", "c1", "information-transfer/x", kind="zone"),  # looked up by id, whatever the kind
    finding("G@c2", "c2", "information-transfer/x"),
]

SINGLE_CONDUITS: dict[str, dict[str, Any]] = {
    "worded, not ASCII": {"carries": "受注データ"},
    "nothing said": {},
    "empty data": {"data": [], "carries": "orders"},
    "dangling data, worded": {"data": ["nope"], "carries": "orders"},
    "dangling data only": {"data": ["nope", "gone"]},
    "data mixed with dangling": {"data": ["d1", "nope", "d3"]},
    "sensitive over an external network": {"data": ["d3"], "external_network": "internet"},
    "sensitive, inside": {"data": ["d3"]},
    "new conduit": {"status": "new", "carries": "orders"},
    "control, senders out of model order and dangling": {
        "carries_control_instructions": True,
        "from_assets": ["e2", "e1", "ghost"],
    },
    "control, no senders": {"carries_control_instructions": True, "data": ["d1"], "external_network": "vpn"},
}


def between_zones(requirements: Requirements) -> list[dict[str, Any]]:
    return [
        r.model_dump() | {"fields set": r.model_fields_set} for r in requirements.items if r.scope == "between-zones"
    ]


def derive(catalog: Catalog, model: FactoryModel, findings: list[Finding]) -> Requirements:
    return derive_requirements(build_context(model, catalog), findings)


@pytest.mark.parametrize(
    "target",
    [None, {"kind": "external"}, {"operations": ["op-high"]}],
    ids=["plain target", "external target", "high target"],
)
@pytest.mark.parametrize("data_status", ["existing", "new"])
@pytest.mark.parametrize("fields", list(SINGLE_CONDUITS.values()), ids=list(SINGLE_CONDUITS))
def test_a_pair_of_one_conduit_gives_what_folding_it_with_its_twin_gives(
    catalog: Catalog, fields: dict[str, Any], target: dict[str, Any] | None, data_status: str
) -> None:
    one = {"id": "c1", "from": "z1", "to": "z2", **fields}
    other = {"id": "c2", "from": "z3", "to": "z2", "carries": "mail"}
    twin_findings = [
        f.model_copy(update={"subject": f.subject.model_copy(update={"id": "c1-twin"})})
        for f in FINDINGS
        if f.subject.id == "c1"
    ]
    alone = derive(catalog, factory([one, other], target=target, data_status=data_status), FINDINGS)
    folded = derive(
        catalog,
        factory([one, other, {**one, "id": "c1-twin"}], target=target, data_status=data_status),
        [*FINDINGS, *twin_findings],
    )
    folded_rows = between_zones(folded)
    assert all(row["conduits"][-1] == "c1-twin" for row in folded_rows if row["subject"]["id"] == "z1")
    without_twin = [row | {"conduits": tuple(c for c in row["conduits"] if c != "c1-twin")} for row in folded_rows]
    assert between_zones(alone) == without_twin
    assert {zone: list(ids) for zone, ids in alone.by_zone.items()} == {
        zone: list(ids) for zone, ids in folded.by_zone.items()
    }
    first = between_zones(alone)[0]
    assert first["conduits"] == ("c1",) and first["because"] == ("A@c1", "C@c1", "F@z1")


def test_a_pair_of_one_conduit_names_its_senders_in_order(catalog: Catalog) -> None:
    """Each sender once, as listed; a sender listed twice is refused by the model, so never reaches the analysis."""
    one = {"id": "c1", "from": "z1", "to": "z2", **SINGLE_CONDUITS["control, senders out of model order and dangling"]}
    with pytest.raises(ValidationError, match="'e2' is listed twice"):
        factory([{**one, "from_assets": ["e2", "e1", "e2", "ghost"]}])
    control = next(
        r for r in derive(catalog, factory([one]), FINDINGS).items if r.viewpoint.startswith("control-instructions")
    )
    assert "from which senders (操作盤, PLC, ghost)" in control.text.en
    assert control.because == ("B@c1",) and control.conduits == ("c1",)


def test_pairs_with_a_zone_missing_from_the_model_are_left_out_but_their_data_still_arrive(catalog: Catalog) -> None:
    conduits: list[dict[str, Any]] = [
        {"id": "in", "from": "ghost", "to": "z2", "data": ["d3"], "status": "new"},
        {"id": "c1", "from": "z1", "to": "z2"},
        {"id": "out", "from": "z1", "to": "nowhere", "data": ["d1"]},
        {"id": "c2", "from": "z3", "to": "z1"},
    ]
    requirements = derive(catalog, factory(conduits), [])
    pairs = [(r.subject.id, r.to_zone) for r in requirements.items if r.scope == "between-zones"]
    assert pairs == [("z1", "z2"), ("z3", "z1")]
    received = [r.id for r in requirements.items if r.scope == "within-zone" and r.subject.id == "z2"]
    assert received == ["REQ-confidentiality@z2", "REQ-integrity@z2"]


@pytest.mark.parametrize("conduits", [1, 2], ids=["one conduit", "two conduits"])
@pytest.mark.parametrize("where", ["carries", "data name", "zone name", "sender"])
def test_a_lone_surrogate_fails_validation_however_many_conduits_the_pair_has(
    catalog: Catalog, where: str, conduits: int
) -> None:
    one = {
        "id": "c1",
        "from": "z1",
        "to": "z2",
        "carries": "orders",
        "data": ["d1"] if where == "data name" else [],
        "carries_control_instructions": where == "sender",
        "from_assets": ["e1"],
    }
    model = factory([one, {**one, "id": "c2"}][:conduits])
    if where == "carries":
        model = model.model_copy(
            update={"conduits": [c.model_copy(update={"carries": "orders \ud800"}) for c in model.conduits]}
        )
    elif where == "zone name":
        model = model.model_copy(
            update={
                "zones": [z.model_copy(update={"name": "Monitor \ud800"}) if z.id == "z2" else z for z in model.zones]
            }
        )
    else:
        renamed = "d1" if where == "data name" else "e1"
        model = model.model_copy(
            update={
                "assets": [a.model_copy(update={"name": "x \ud800"}) if a.id == renamed else a for a in model.assets]
            }
        )
    with pytest.raises(ValidationError, match="unicode"):
        derive(catalog, model, [])


def test_conduits_are_grouped_by_pair_in_order_of_first_appearance_whatever_their_number(catalog: Catalog) -> None:
    """A pair's only conduit is kept on its own, several in a list: the same pairs and order as a list per pair."""
    links = [
        ("z1", "z2"),
        ("z2", "z1"),
        ("z1", "z2"),
        ("z3", "z1"),
        ("z1", "z2"),
        ("z2", "z1"),
        ("ghost", "z1"),
        ("z1", "z1"),
    ]
    conduits = [{"id": f"c{i}", "from": a, "to": b, "carries": f"データ {i}"} for i, (a, b) in enumerate(links)]
    context = build_context(factory(conduits), catalog)
    pairs, naming_data = _conduits_by_pair(context, outside_ends(context))
    plain: dict[tuple[str, str], list[str]] = {}
    for conduit in context.model.conduits:
        if conduit.from_zone != conduit.to_zone:
            plain.setdefault((conduit.from_zone, conduit.to_zone), []).append(conduit.id)
    assert {
        pair: [sent[0] for sent in group] if isinstance(group, list) else [group[0]] for pair, group in pairs.items()
    } == plain
    assert list(pairs) == list(plain) and naming_data == []
    assert [pair for pair, group in pairs.items() if not isinstance(group, list)] == [("z3", "z1"), ("ghost", "z1")]
