"""Checklists per cloud service, general-purpose product and software (Tables 3-10 to 3-12)."""

from __future__ import annotations

from factorysec.analysis.lifecycle import Checklist, ChecklistEntry, LifecycleReport
from factorysec.analysis.lifecycle.checklists import _PLAIN_TYPES, checklist_kinds
from factorysec.catalog import Catalog
from factorysec.model import FactoryModel
from factorysec.model.entities import Asset, AssetType

from .conftest import Assess, Ids, WriteVariant


def _checklist(report: LifecycleReport, asset: str, kind: str) -> Checklist:
    matches = [c for c in report.checklists.checklists if c.asset == asset and c.kind == kind]
    assert len(matches) == 1, f"expected one {kind} checklist for {asset}"
    return matches[0]


def _entry(checklist: Checklist, item: str) -> ChecklistEntry:
    return next(e for e in checklist.entries if e.item == item)


def test_external_service_gets_the_cloud_checklist(
    factory_model: FactoryModel, assess: Assess, catalog: Catalog
) -> None:
    checklist = _checklist(assess(factory_model), "analytics-cloud", "cloud-service")
    assert [e.item for e in checklist.entries] == [i.id for i in catalog.checklist("cloud-service")]
    assert checklist.reference.endswith("Table 3-10")
    assert checklist.importance is not None and checklist.importance.value == "critical"


def test_cloud_trait_alone_gets_the_cloud_checklist() -> None:
    asset = Asset(id="x", name="X", type="software", traits=["cloud"])
    assert [kind for kind, _ in checklist_kinds(asset)] == ["cloud-service", "software"]


def test_supplied_built_in_computer_gets_the_product_checklist(factory_model: FactoryModel, assess: Assess) -> None:
    checklist = _checklist(assess(factory_model), "vibration-sensor", "general-purpose-product")
    assert checklist.reference.endswith("Table 3-11")
    assert [n.stage for n in checklist.notes] == ["contract"]


def test_equipment_without_supplier_or_product_trait_gets_no_checklist(
    factory_model: FactoryModel, bare_model: FactoryModel, assess: Assess
) -> None:
    assert not [c for c in assess(factory_model).checklists.checklists if c.asset == "plc"]
    assert not [c for c in assess(bare_model).checklists.checklists if c.asset == "home-made-tool"]


def test_oss_software_gets_the_software_checklist_with_all_four_stages(
    factory_model: FactoryModel, assess: Assess
) -> None:
    checklist = _checklist(assess(factory_model), "edge-agent", "software")
    assert checklist.reference.endswith("Table 3-12")
    assert {e.stage for e in checklist.entries} == {"procurement", "contract", "development", "operation-maintenance"}


def test_answers_decide_what_is_open(factory_model: FactoryModel, assess: Assess) -> None:
    cloud = _checklist(assess(factory_model), "analytics-cloud", "cloud-service")
    reliability = _entry(cloud, "cloud.procurement.provider-reliability")
    assert (reliability.answer, reliability.open, reliability.evidence, str(reliability.date)) == (
        "yes",
        False,
        "ISMS certificate",
        "2026-01-10",
    )
    assert _entry(cloud, "cloud.contract.service-levels").open
    assert _entry(cloud, "cloud.contract.data-on-termination").open
    unanswered = _entry(cloud, "cloud.operation-maintenance.operating-rules")
    assert unanswered.answer is None and unanswered.open
    sensor = _checklist(assess(factory_model), "vibration-sensor", "general-purpose-product")
    assert not _entry(sensor, "product.procurement.security-functions").open


def test_an_answer_about_the_provider_applies_to_its_service(factory_model: FactoryModel, assess: Assess) -> None:
    entry = _entry(
        _checklist(assess(factory_model), "analytics-cloud", "cloud-service"), "cloud.procurement.user-support"
    )
    assert (entry.answer, entry.answered_for, entry.open) == ("yes", "cloud-co", False)


def test_an_answer_about_the_asset_wins_over_one_about_the_provider(
    write_variant: WriteVariant, assess: Assess
) -> None:
    model = write_variant(
        "factory.yaml",
        {
            "checklist_answers": [
                {"subject": "cloud-co", "item": "cloud.procurement.user-support", "answer": "yes"},
                {"subject": "analytics-cloud", "item": "cloud.procurement.user-support", "answer": "no"},
            ]
        },
    )
    entry = _entry(_checklist(assess(model), "analytics-cloud", "cloud-service"), "cloud.procurement.user-support")
    assert (entry.answer, entry.open) == ("no", True)


def test_open_items_of_an_important_cloud_service_rank_above_a_low_importance_sensor(
    factory_model: FactoryModel, assess: Assess
) -> None:
    open_items = assess(factory_model).checklists.open_items
    assert [i.rank for i in open_items] == list(range(1, len(open_items) + 1))
    last_cloud = max(i.rank for i in open_items if i.asset == "analytics-cloud")
    first_sensor = min(i.rank for i in open_items if i.asset == "vibration-sensor")
    assert last_cloud < first_sensor
    assert open_items[0].asset == "analytics-cloud"


def test_ranking_follows_importance_not_model_order(write_variant: WriteVariant, assess: Assess) -> None:
    model = write_variant(
        "factory.yaml",
        {
            "operations": [
                {"id": "production", "name": "Production", "importance": "low"},
                {"id": "monitoring", "name": "Condition monitoring", "importance": "critical"},
                {
                    "id": "line-maintenance",
                    "name": "Line maintenance",
                    "sourcing": "outsourced",
                    "performed_by": "maint-co",
                    "importance": "high",
                },
            ]
        },
    )
    assert assess(model).checklists.open_items[0].asset in {"vibration-sensor", "edge-agent"}


def test_open_checklist_finding_per_kind_and_none_when_all_closed(
    factory_model: FactoryModel, write_variant: WriteVariant, assess: Assess, catalog: Catalog, ids: Ids
) -> None:
    found = ids(assess(factory_model), "S3-CHECKLIST-OPEN")
    assert found == [
        "S3-CHECKLIST-OPEN@analytics-cloud#cloud-service",
        "S3-CHECKLIST-OPEN@edge-agent#software",
        "S3-CHECKLIST-OPEN@vibration-sensor#general-purpose-product",
    ]
    answers = [
        {"subject": "analytics-cloud", "item": i.id, "answer": "yes"} for i in catalog.checklist("cloud-service")
    ]
    closed = assess(write_variant("factory.yaml", {"checklist_answers": answers}))
    assert "S3-CHECKLIST-OPEN@analytics-cloud#cloud-service" not in ids(closed, "S3-CHECKLIST-OPEN")


def test_only_open_keeps_open_entries(factory_model: FactoryModel, assess: Assess) -> None:
    report = assess(factory_model).checklists.only_open()
    assert all(e.open for c in report.checklists for e in c.entries)
    assert len(report.open_items) == sum(len(c.entries) for c in report.checklists)


def _ranked_by_entry(report: LifecycleReport) -> list[tuple[str, str, str]]:
    """The open items as ranking every open entry would order them: importance, asset, kind, place in the checklist."""
    rows = [
        (-(c.importance.rank if c.importance else 0), c.asset, c.kind, position, e.item)
        for c in report.checklists.checklists
        for position, e in enumerate(c.entries)
        if e.open
    ]
    return [(asset, kind, item) for _, asset, kind, _, item in sorted(rows)]


def test_open_items_rank_as_every_entry_sorted(factory_model: FactoryModel, assess: Assess) -> None:
    report = assess(factory_model)
    assert [(i.asset, i.kind, i.item) for i in report.checklists.open_items] == _ranked_by_entry(report)
    assert [i.rank for i in report.checklists.open_items] == list(range(1, len(report.checklists.open_items) + 1))


def test_open_items_of_a_repeated_asset_id_merge_by_place(factory_model: FactoryModel, assess: Assess) -> None:
    """An asset id given twice (possible in a model built in code) gets two checklists whose open entries interleave by place."""
    twin = factory_model.model_copy(
        update={
            "assets": [
                *factory_model.assets,
                Asset(id="twin", name="A", type="software"),
                Asset(id="twin", name="B", type="software"),
            ]
        }
    )
    report = assess(twin)
    items = [(i.asset, i.asset_name, i.item) for i in report.checklists.open_items if i.asset == "twin"]
    assert [name for _, name, _ in items][:2] == ["A", "B"]
    assert [(i.asset, i.kind, i.item) for i in report.checklists.open_items] == _ranked_by_entry(report)


def test_only_plain_types_without_traits_are_skipped() -> None:
    """build_checklists skips assets of a plain type without traits: they never get a checklist, with or without a supplier."""
    for kind in AssetType:
        for supplier in (None, "vendor"):
            bare = Asset(id="a", name="A", type=kind, supplier=supplier)
            assert (not checklist_kinds(bare)) == (kind in _PLAIN_TYPES)
