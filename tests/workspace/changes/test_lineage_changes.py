"""A change request whose draft changes the type of an asset a data asset's lineage names, or deletes it, is refused
when the edit is made and, when the lineage came live after it, at the merge: the merged model would fail ``check``."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from factorysec.workspace.changes import drafts
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.factories.store import StoreError, save_element
from tests.workspace.changes.test_change_requests import approve_all
from tests.workspace.factories.test_lineage_edits import NOT_DATA, ORDERS, _payload, with_lineage

pytestmark = pytest.mark.django_db


@pytest.fixture
def lineage(annex_a: Factory) -> Factory:
    return with_lineage(annex_a)


def test_a_change_request_doing_it_is_refused_at_proposal_and_at_merge(
    lineage: Factory, people: dict[str, User]
) -> None:
    change = drafts.propose(lineage, "work orders are an application", "", people["security"])
    with pytest.raises(StoreError) as typed:
        drafts.edit_draft(change, "assets", "work-orders", {**ORDERS, **NOT_DATA}, 1, people["security"])
    assert ("assets", "production-recipe", "data.derived_from[0]") in [
        (p.section, p.key, p.field) for p in typed.value.problems
    ]
    with pytest.raises(StoreError) as deleted:
        drafts.edit_draft(change, "assets", "work-orders", None, 1, people["security"])
    assert ("assets", "production-recipe", "data.derived_from[0]") in [
        (p.section, p.key, p.field) for p in deleted.value.problems
    ]
    assert not change.edits.exists()

    # a draft that was valid when proposed: the lineage naming the asset is saved live afterwards
    save_element(lineage, "assets", None, ORDERS | {"id": "shift-plan", "name": "Shift plan"})
    later = drafts.propose(lineage, "shift plan is an application", "", people["security"])
    drafts.edit_draft(later, "assets", "shift-plan", {**ORDERS, "id": "shift-plan", **NOT_DATA}, 1, people["security"])
    recipe = _payload(lineage, "production-recipe")
    save_element(lineage, "assets", "production-recipe", recipe | {"data": {"derived_from": ["shift-plan"]}})
    later.refresh_from_db()
    approve_all(later, people)
    with pytest.raises(StoreError) as merged:
        drafts.merge(later, people["security"])
    assert ("assets", "production-recipe", "data.derived_from[0]") in [
        (p.section, p.key, p.field) for p in merged.value.problems
    ]
    assert _payload(lineage, "shift-plan")["type"] == "data"


def test_the_merge_page_says_the_refusal_in_the_readers_language(lineage: Factory, people: dict[str, User]) -> None:
    """The merge page said a refused merge as one English line of places (assets[14].data.derived_from[0]) on a
    Japanese page."""
    from tests.workspace.conftest import client_for

    save_element(lineage, "assets", None, ORDERS | {"id": "shift-plan", "name": "Shift plan"})
    change = drafts.propose(lineage, "shift plan is an application", "", people["security"])
    drafts.edit_draft(change, "assets", "shift-plan", {**ORDERS, "id": "shift-plan", **NOT_DATA}, 1, people["security"])
    recipe = _payload(lineage, "production-recipe")
    save_element(lineage, "assets", "production-recipe", recipe | {"data": {"derived_from": ["shift-plan"]}})
    change.refresh_from_db()
    approve_all(change, people)
    client = client_for(people["security"])
    client.cookies["django_language"] = "ja"
    page = client.post(f"/f/{lineage.slug}/changes/{change.pk}/merge/", follow=True).text
    assert (
        "assets/production-recipe: data.derived_from[0]: &#x27;shift-plan&#x27; はデータの保護対象ではありません"
        in page
    ), page
    assert "is not a data asset" not in page
    assert _payload(lineage, "shift-plan")["type"] == "data"
