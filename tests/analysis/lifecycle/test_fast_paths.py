"""The asset walks of Step 3 give what plain definitions give, on generated models (repeated ids, dangling parties, non-ASCII names)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorysec.analysis.lifecycle.ooda import _vendor_channel_findings
from factorysec.analysis.lifecycle.responsibility import (
    AREAS,
    ResponsibilityCell,
    _responsible_parties,
    build_responsibilities,
    is_external_service,
)
from factorysec.model.entities import AssetType, FactoryModel

PARTIES = st.none() | st.sampled_from(["p0", "p1", "p2", "gone"])


@st.composite
def models(draw: Any) -> FactoryModel:
    assets = [
        {
            "id": draw(st.sampled_from(["a0", "a1", "a2", "a3"])),
            "name": draw(st.sampled_from(["PLC", "制御盤", "Gerät"])),
            "type": draw(st.sampled_from(["equipment", "software", "external-service", "data"])),
            "zone": "z",
            "traits": draw(st.lists(st.sampled_from(["cloud", "oss", "wireless"]), max_size=2, unique=True)),
            "supplier": draw(PARTIES),
            "maintainer": draw(PARTIES),
            "managed_by": draw(PARTIES),
        }
        for _ in range(draw(st.integers(0, 10)))
    ]
    parties = [
        {
            "id": f"p{i}",
            "name": f"協力会社 {i}",
            "kind": "supplier",
            "vulnerability_contact": draw(st.none() | st.just("psirt@example.com")),
        }
        for i in range(3)
    ]
    responsibilities = [
        {
            "subject": draw(st.sampled_from(["a0", "a1", "p0", "p1"])),
            "area": draw(st.sampled_from(list(AREAS))),
            "responsible": draw(st.sampled_from(["p0", "p2"])),
        }
        for _ in range(draw(st.integers(0, 4)))
    ]
    return FactoryModel.model_validate(
        {
            "factory": {"id": "f", "name": "F"},
            "zones": [{"id": "z", "name": "Z", "kind": "production"}],
            "assets": assets,
            "parties": parties,
            "responsibilities": responsibilities,
        }
    )


def plain_vendor_channels(model: FactoryModel) -> dict[str, list[str]]:
    devices: dict[str, list[str]] = {}
    for asset in model.assets:
        if asset.type is AssetType.EQUIPMENT:
            for party_id in dict.fromkeys(p for p in (asset.supplier, asset.maintainer) if p):
                devices.setdefault(party_id, []).append(asset.name)
    return {
        party.id: devices[party.id]
        for party in model.parties
        if party.id in devices and not party.vulnerability_contact
    }


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_asset_walks_equal_plain_definitions(model: FactoryModel) -> None:
    matrices = build_responsibilities(model)
    assert [m.subject for m in matrices if m.subject_kind == "asset"] == [
        a.id for a in model.assets if is_external_service(a)
    ]
    for matrix in matrices:
        for cell in matrix.cells:
            assert cell == ResponsibilityCell(**cell.model_dump(exclude_unset=True))
            assert cell.model_fields_set == ResponsibilityCell(**cell.model_dump(exclude_unset=True)).model_fields_set

    named = {r.responsible for r in model.responsibilities}
    named.update(p for m in matrices for c in m.cells for p in c.responsible)
    for asset in model.assets:
        named.update(p for p in (asset.managed_by, asset.maintainer, asset.supplier) if p)
    assert _responsible_parties(model, matrices) == named

    expected = plain_vendor_channels(model)
    findings = _vendor_channel_findings(model)
    assert [f.subject.id for f in findings] == list(expected)
    names = {party.id: party.name for party in model.parties}
    for finding in findings:
        assert finding.rationale.en.startswith(
            f"'{names[finding.subject.id]}' supplies or maintains {', '.join(expected[finding.subject.id])} but "
        )


ITEMS = [
    "cloud.procurement.provider-reliability",
    "cloud.procurement.user-support",
    "software.procurement.security-policy",
]


@st.composite
def answered_models(draw: Any) -> FactoryModel:
    """Models of :func:`models` with answers for some assets or parties: some checklists share the unanswered entries, some do not."""
    model = draw(models())
    answers = [
        {
            "subject": draw(st.sampled_from(["a0", "a1", "p0", "gone"])),
            "item": draw(st.sampled_from(ITEMS)),
            "answer": draw(st.sampled_from(["yes", "no", "not-applicable", "unknown"])),
        }
        for _ in range(draw(st.integers(0, 4)))
    ]
    return FactoryModel.model_validate(model.model_dump(by_alias=True) | {"checklist_answers": answers})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answered_models())
def test_open_entries_picked_once_per_shared_tuple_equal_plain_definitions(model: FactoryModel) -> None:
    """Open items and S3-CHECKLIST-OPEN findings count and list every checklist's own open entries, shared tuple or not."""
    from factorysec.analysis.importance import assess_importance
    from factorysec.analysis.lifecycle.checklists import build_checklists, checklist_findings
    from factorysec.catalog import load_catalog

    report = build_checklists(model, load_catalog(), assess_importance(model)[0])
    findings = checklist_findings(report)
    with_open = [c for c in report.checklists if c.open_entries]
    assert [f.subject.id for f in findings] == [c.asset for c in with_open]
    for finding, checklist in zip(findings, with_open, strict=True):
        unanswered = sum(1 for e in checklist.open_entries if e.answer is None)
        assert f"{len(checklist.open_entries)} of {len(checklist.entries)} " in finding.rationale.en
        assert (
            f"({unanswered} unanswered, {len(checklist.open_entries) - unanswered} answered no or unknown)"
            in finding.rationale.en
        )
    assert Counter((i.asset, i.asset_name, i.kind, i.item, i.answer) for i in report.open_items) == Counter(
        (c.asset, c.asset_name, c.kind, e.item, e.answer) for c in report.checklists for e in c.open_entries
    )
