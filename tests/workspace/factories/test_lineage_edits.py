"""An asset a data asset's lineage (``data.derived_from``) names keeps ``type: data`` and stays in the model: the element
editor, the API and change requests refuse what ``factorysec check`` would refuse in the saved model, naming the
asset whose lineage names it and the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from factorysec.workspace.factories.models import Element, Factory
from factorysec.workspace.factories.store import save_element
from tests.workspace.posting import element_fields

pytestmark = pytest.mark.django_db
F = "/f/annex-a-factory"
ORDERS = {
    "id": "work-orders",
    "name": "Work orders",
    "type": "data",
    "component": "production-instructions",
    "zone": "production-control",
}
NOT_DATA = {"type": "software", "component": "mes"}
NAMED = "assets/production-recipe: data.derived_from[0]: &#x27;work-orders&#x27; is not a data asset"


def _payload(factory: Factory, key: str) -> dict[str, Any]:
    payload: dict[str, Any] = Element.objects.get(factory=factory, section="assets", key=key).payload
    return dict(payload)


def with_lineage(factory: Factory) -> Factory:
    """Annex A with work orders, the data its production recipe is made from."""
    save_element(factory, "assets", None, ORDERS)
    recipe = _payload(factory, "production-recipe")
    save_element(factory, "assets", "production-recipe", recipe | {"data": {"derived_from": ["work-orders"]}})
    return factory


@pytest.fixture
def lineage(annex_a: Factory) -> Factory:
    return with_lineage(annex_a)


def test_the_editor_refuses_a_type_change_of_an_asset_a_lineage_names(admin_client_: Client, lineage: Factory) -> None:
    """Changing work-orders to software saved: the model then failed `factorysec check` (a lineage naming a non-data
    asset)."""
    fields, version = element_fields("assets", "work-orders")
    url = f"{F}/s/assets/e/work-orders/"
    refused = admin_client_.post(url, {**fields, **NOT_DATA, "version": str(version)})
    assert refused.status_code == 422, refused.text
    assert NAMED in refused.text
    assert _payload(lineage, "work-orders")["type"] == "data"
    admin_client_.cookies["django_language"] = "ja"
    japanese = admin_client_.post(url, {**fields, **NOT_DATA, "version": str(version)})
    assert japanese.status_code == 422
    assert (
        "assets/production-recipe: data.derived_from[0]: &#x27;work-orders&#x27; はデータの保護対象ではありません"
        in japanese.text
    )
    assert "is not a data asset" not in japanese.text


def test_the_editor_refuses_deleting_a_data_asset_a_lineage_names(admin_client_: Client, lineage: Factory) -> None:
    url = f"{F}/s/assets/e/work-orders/delete/"
    refused = admin_client_.post(url, {"confirm": "yes"}, follow=True)
    assert "assets/production-recipe: data.derived_from[0]: unknown asset &#x27;work-orders&#x27;" in refused.text
    assert Element.objects.get(factory=lineage, section="assets", key="work-orders").payload is not None
    admin_client_.cookies["django_language"] = "ja"
    japanese = admin_client_.post(url, {"confirm": "yes"}, follow=True).text
    assert "assets/production-recipe: data.derived_from[0]:" in japanese and "unknown asset" not in japanese


def test_the_api_refuses_it_naming_the_other_element(lineage: Factory) -> None:
    from factorysec.workspace.accounts.tokens import issue_token

    token = issue_token(User.objects.create_superuser("ci", "", "a long test password 42"), "CI")
    response = Client().put(
        "/api/factories/annex-a-factory/assets/work-orders",
        {**ORDERS, **NOT_DATA},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422, response.json()
    [other] = response.json()["detail"]
    assert other["loc"] == ["body"]
    assert other["msg"].startswith("assets/production-recipe: data.derived_from[0]: 'work-orders' is not a data asset")
    assert "another element than the one sent, assets/work-orders" in other["msg"]
    assert _payload(lineage, "work-orders")["type"] == "data"
