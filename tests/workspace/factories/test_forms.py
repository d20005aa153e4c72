"""The element form's help texts."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from factorysec.workspace.factories.forms import FormField
from factorysec.workspace.factories.models import Element, Factory
from tests.workspace.posting import element_fields, form_post

pytestmark = pytest.mark.django_db
FACTORY = "/f/annex-a-factory"


def test_a_list_input_names_its_values_once(admin_client_: Client, annex_a: Factory) -> None:
    """The traits' help already names every trait; the form printed the whole list a second time after it."""
    page = admin_client_.get(f"{FACTORY}/s/assets/e/agv/").text
    help_text = re.search(r'<div class="field[^"]*" id="field-traits">.*?<div class="help">(.*?)</div>', page, re.S)
    assert help_text is not None
    assert help_text.group(1).count("removable-media") == 1
    assert "(comma-separated)" in help_text.group(1)


def test_values_the_help_does_not_name_are_listed() -> None:
    named = FormField("traits", "traits", "list", False, "Facts: wireless, oss.", ["wireless", "oss"])
    assert named.choices_to_list == []
    unnamed = FormField("kinds", "kinds", "list", False, "Kinds across the plant.", ["oss", "cloud"])
    assert unnamed.choices_to_list == ["oss", "cloud"], "'oss' inside 'across' does not name it"


def test_the_asset_form_names_hard_wired_saves_it_and_refuses_it_beside_wireless(
    admin_client_: Client, annex_a: Factory
) -> None:
    """The new trait is named once in the form's help, saved like any other, and refused on its field with 'wireless'."""
    page = admin_client_.get(f"{FACTORY}/s/assets/e/agv/").text
    help_text = re.search(r'<div class="field[^"]*" id="field-traits">.*?<div class="help">(.*?)</div>', page, re.S)
    assert help_text is not None and help_text.group(1).count("hard-wired") == 1
    read, version = element_fields("assets", "agv")
    fields: dict[str, str | bytes] = {**read, "version": str(version)}
    refused = form_post(admin_client_, f"{FACTORY}/s/assets/e/agv/", fields | {"traits": "wireless, hard-wired"})
    assert refused.status_code == 422, refused.status_code
    assert "traits[0]" in refused.text and "is hard-wired" in refused.text
    saved = form_post(admin_client_, f"{FACTORY}/s/assets/e/agv/", fields | {"traits": "built-in-computer, hard-wired"})
    assert saved.status_code == 302, saved.text[:2000]
    stored = Element.objects.get(factory=annex_a, section="assets", key="agv").payload["traits"]
    assert stored == ["built-in-computer", "hard-wired"]
