"""Section counts kept by the store (the overview reads them) and the search of a section's list (key and name)."""

from __future__ import annotations

from django.test import Client

from factorysec.model import load_model
from factorysec.workspace.factories.models import Element, Factory, SectionCount
from factorysec.workspace.factories.store import delete_element, import_model, save_element
from tests.workspace.conftest import ANNEX_A


def _counts(factory: Factory) -> dict[str, int]:
    return dict(SectionCount.objects.filter(factory=factory).values_list("section", "live"))


def _counted(factory: Factory) -> dict[str, int]:
    counted: dict[str, int] = {}
    for section in Element.objects.filter(factory=factory, payload__isnull=False).values_list("section", flat=True):
        counted[section] = counted.get(section, 0) + 1
    return counted


def test_counts_follow_imports_creations_and_deletions(annex_a: Factory) -> None:
    assert _counts(annex_a) == _counted(annex_a) and _counts(annex_a)["assets"] == len(load_model(ANNEX_A).assets)
    save_element(annex_a, "zones", None, {"id": "spare", "name": "Spare", "kind": "other"})
    save_element(annex_a, "zones", "spare", {"id": "spare", "name": "Spare, renamed", "kind": "other"})
    assert _counts(annex_a)["zones"] == len(load_model(ANNEX_A).zones) + 1
    delete_element(annex_a, "zones", "spare")
    assert _counts(annex_a) == _counted(annex_a)
    import_model(annex_a, load_model(ANNEX_A).model_copy(update={"conduits": []}))
    assert _counts(annex_a) == _counted(annex_a) and "conduits" not in _counts(annex_a)


def test_the_overview_shows_the_kept_counts(annex_a: Factory, admin_client_: Client) -> None:
    SectionCount.objects.filter(factory=annex_a, section="assets").update(live=12345)
    assert "12345" in admin_client_.get("/f/annex-a-factory/").text


def test_search_matches_key_or_name_in_any_case(annex_a: Factory, admin_client_: Client) -> None:
    by_name = admin_client_.get("/f/annex-a-factory/s/assets/?q=CONTROL PC").text
    assert "agv-control-pc" in by_name and "mes-server" not in by_name
    by_key = admin_client_.get("/f/annex-a-factory/s/assets/?q=mes-serv").text
    assert "mes-server" in by_key and "agv-control-pc" not in by_key
    save_element(
        annex_a,
        "assets",
        "mes-server",
        Element.objects.get(factory=annex_a, section="assets", key="mes-server").payload | {"name": "Renamed MES box"},
    )
    assert "mes-server" in admin_client_.get("/f/annex-a-factory/s/assets/?q=mes box").text
