"""The requirement form's ``parts`` and the asset form's ``procured``: saved as the model states them, and refused on
their field as ``factorysec check`` refuses them."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from factorysec.workspace.factories.models import Element, Factory
from tests.workspace.posting import element_fields, form_post

pytestmark = pytest.mark.django_db
FACTORY = "/f/annex-a-factory"
ESPA: dict[str, str | bytes] = {
    "id": "espa",
    "title": "Approved supply-assurance plan (storage batteries)",
    "kind": "law-regulation",
    "standard": "jp-economic-security-act",
}


def test_a_requirement_states_the_parts_of_its_law_and_an_unknown_part_is_refused(
    admin_client_: Client, annex_a: Factory
) -> None:
    page = admin_client_.get(f"{FACTORY}/s/requirements/new/").text
    assert 'id="field-parts"' in page and "standard-parts" in page
    refused = form_post(admin_client_, f"{FACTORY}/s/requirements/new/", ESPA | {"parts": "critical-material"})
    assert refused.status_code == 422, refused.status_code
    assert "parts[0]: &#x27;critical-material&#x27; is not a part of standard" in refused.text
    assert "did you mean &#x27;critical-materials&#x27;?" in refused.text
    saved = form_post(admin_client_, f"{FACTORY}/s/requirements/new/", ESPA | {"parts": "critical-materials"})
    assert saved.status_code == 302, saved.text[:2000]
    assert Element.objects.get(factory=annex_a, section="requirements", key="espa").payload["parts"] == [
        "critical-materials"
    ]


def test_an_asset_shows_procured_ticked_and_unticking_it_without_an_owner_is_refused(
    admin_client_: Client, annex_a: Factory
) -> None:
    page = admin_client_.get(f"{FACTORY}/s/assets/e/agv/").text
    box = re.search(r'<input type="checkbox" id="id_procured"[^>]*>', page)
    assert box is not None and " checked" in box.group(0), "the box shows the model's default"
    read, version = element_fields("assets", "agv")
    unticked: dict[str, str | bytes] = {
        k: v for k, v in read.items() if k not in ("procured", "supplier", "maintainer", "managed_by")
    }
    refused = form_post(admin_client_, f"{FACTORY}/s/assets/e/agv/", unticked | {"version": str(version)})
    assert refused.status_code == 422, refused.status_code
    shown = re.search(r'id="field-procured">.*?<ul class="errorlist"><li>(.*?)</li>', refused.text, re.S)
    assert shown is not None and "asset &#x27;agv&#x27; is not procured by the factory" in shown.group(1)
    owned = unticked | {"supplier": "line-vendor", "managed_by": "line-vendor", "version": str(version)}
    saved = form_post(admin_client_, f"{FACTORY}/s/assets/e/agv/", owned)
    assert saved.status_code == 302, saved.text[:2000]
    assert Element.objects.get(factory=annex_a, section="assets", key="agv").payload["procured"] is False
