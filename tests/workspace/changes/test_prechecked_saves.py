"""A version-checked save checks its edit before the factory's write lock and, under it, only confirms that what the
check read is unchanged (``drafts._save_prechecked``); an edit that another save made invalid meanwhile is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from factorysec.workspace.changes import drafts
from factorysec.workspace.factories import neighbours, store
from factorysec.workspace.factories.models import Element, ElementVersion, Factory
from factorysec.workspace.factories.store import StoreError, save_element

pytestmark = pytest.mark.django_db


@pytest.fixture
def zones(annex_a: Factory) -> Factory:
    for zone in ("zone-a", "zone-b"):
        save_element(annex_a, "zones", None, {"id": zone, "name": zone, "kind": "production"})
    return annex_a


def _checks(monkeypatch: pytest.MonkeyPatch, meanwhile: Any = None) -> list[str]:
    """Count the model checks of zone-a's edit (before the lock, and any under it); run ``meanwhile`` (another save) once,
    right after the first."""
    made: list[str] = []
    real = store.check_edit

    def before_lock(*args: Any) -> None:
        if args[1].key != "zone-a":
            real(*args)
            return
        made.append("before the lock")
        real(*args)
        if meanwhile is not None and len(made) == 1:
            meanwhile()

    def under_lock(*args: Any) -> None:
        if args[1].key == "zone-a":
            made.append("under the lock")
        real(*args)

    monkeypatch.setattr(drafts, "check_edit", before_lock)
    monkeypatch.setattr(store, "check_edit", under_lock)
    return made


def _save(factory: Factory, key: str, change: dict[str, Any]) -> Element:
    row = Element.current(factory.pk, "zones", key)
    assert row is not None and row.payload is not None
    return drafts.save_live_checked(factory, "zones", key, row.payload | change, row.version, AnonymousUser(), seen=row)


def test_with_nothing_saved_meanwhile_the_check_is_not_run_again_nor_its_reads(
    zones: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _checks(monkeypatch)

    def never(self: neighbours.Reads) -> bool:
        raise AssertionError("the element set did not move: nothing to read again")

    monkeypatch.setattr(neighbours.Reads, "still_hold", never)
    saved = _save(zones, "zone-a", {"description": "quiet"})
    assert saved.payload == {"id": "zone-a", "name": "zone-a", "kind": "production", "description": "quiet"}
    assert made == ["before the lock"]


def test_a_save_of_an_element_the_check_did_not_read_leaves_the_check_standing(
    zones: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    confirmed: list[bool] = []
    real = neighbours.Reads.still_hold

    def counted(self: neighbours.Reads) -> bool:
        confirmed.append(real(self))
        return confirmed[-1]

    monkeypatch.setattr(neighbours.Reads, "still_hold", counted)
    made = _checks(monkeypatch, lambda: _save(zones, "zone-b", {"description": "elsewhere"}))
    saved = _save(zones, "zone-a", {"description": "mine"})
    assert saved.version == 2 and saved.payload is not None and saved.payload["description"] == "mine"
    assert confirmed == [True], (
        "the element set moved: the check's statements were run again and returned the same rows"
    )
    assert made == ["before the lock"]
    assert ElementVersion.objects.filter(element=saved, version=2).count() == 1


def test_an_edit_made_invalid_by_a_save_meanwhile_is_refused_under_the_lock(
    zones: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # zone-a under zone-b passes alone; zone-b under zone-a passes alone; both together are a cycle
    made = _checks(
        monkeypatch,
        lambda: save_element(
            zones, "zones", "zone-b", {"id": "zone-b", "name": "zone-b", "kind": "production", "parent": "zone-a"}
        ),
    )
    with pytest.raises(StoreError) as refused:
        _save(zones, "zone-a", {"parent": "zone-b"})
    assert made == ["before the lock", "under the lock"]
    assert any("cycle" in problem.message for problem in refused.value.problems), refused.value.problems
    stored = Element.objects.get(factory=zones, section="zones", key="zone-a")
    assert stored.version == 1 and "parent" not in stored.payload


def test_a_check_that_found_problems_before_the_lock_is_decided_again_under_it(
    zones: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _checks(monkeypatch)
    with pytest.raises(StoreError) as refused:
        _save(zones, "zone-a", {"parent": "no-such-zone"})
    assert made == ["before the lock", "under the lock"]
    assert refused.value.target == ("zones", "zone-a") and refused.value.on_target()
