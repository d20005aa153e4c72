"""The element form's help texts."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from factorysec.workspace.factories.forms import FormField
from factorysec.workspace.factories.models import Element, Factory
from factorysec.workspace.factories.store import save_element
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


def test_a_party_saved_unchanged_stays_identified(admin_client_: Client, annex_a: Factory) -> None:
    """A party leaves 'identified' out (the model's default: true); its form showed the box unticked, so saving the form
    unchanged stored 'identified: false' and the next analysis called the vendor 'known to exist but not identified'."""
    page = admin_client_.get(f"{FACTORY}/s/parties/e/line-vendor/").text
    box = re.search(r'<input type="checkbox" id="id_identified"[^>]*>', page)
    assert box is not None and " checked" in box.group(0), "the box shows the model's default"
    fields, version = element_fields("parties", "line-vendor")
    before = Element.objects.get(factory=annex_a, section="parties", key="line-vendor").payload
    saved = admin_client_.post(f"{FACTORY}/s/parties/e/line-vendor/", {**fields, "version": str(version)})
    assert saved.status_code == 302
    row = Element.objects.get(factory=annex_a, section="parties", key="line-vendor")
    assert row.version == version + 1 and row.payload == before
    unticked = {
        name: value for name, value in element_fields("parties", "line-vendor")[0].items() if name != "identified"
    }
    admin_client_.post(f"{FACTORY}/s/parties/e/line-vendor/", {**unticked, "version": str(row.version)})
    assert Element.objects.get(factory=annex_a, section="parties", key="line-vendor").payload["identified"] is False


def test_text_typed_on_several_lines_is_saved_as_the_browser_shows_it(admin_client_: Client, annex_a: Factory) -> None:
    """A browser sends a text area's line breaks as CR LF; the check refuses a CR ('text holds U+000D (carriage
    return)'), so a zone's description typed on two lines could not be saved from its form at all. And a text field a
    one-line input shows (an operation's importance_reason) lost its line breaks on an unchanged save."""
    fields, version = element_fields("zones", "oa")
    typed = {**fields, "description": "Office network.\r\nHosts the ERP link.\r\n", "version": str(version)}
    assert admin_client_.post(f"{FACTORY}/s/zones/e/oa/", typed).status_code == 302
    row = Element.objects.get(factory=annex_a, section="zones", key="oa")
    assert row.payload["description"] == "Office network.\nHosts the ERP link.\n"
    page = admin_client_.get(f"{FACTORY}/s/zones/e/oa/").text
    assert (
        '<textarea id="id_description" name="description">\nOffice network.\nHosts the ERP link.\n</textarea>' in page
    )
    as_shown, version = element_fields("zones", "oa")
    browser = {name: value.replace("\n", "\r\n") for name, value in as_shown.items()}
    assert admin_client_.post(f"{FACTORY}/s/zones/e/oa/", {**browser, "version": str(version)}).status_code == 302
    assert Element.objects.get(factory=annex_a, section="zones", key="oa").payload == row.payload

    operation = Element.objects.get(factory=annex_a, section="operations", key="warehousing")
    two_lines = "Stops the line within a shift.\nNo manual fallback for the stacker crane."
    save_element(annex_a, "operations", "warehousing", operation.payload | {"importance_reason": two_lines})
    page = admin_client_.get(f"{FACTORY}/s/operations/e/warehousing/").text
    assert f'<textarea id="id_importance_reason" name="importance_reason">\n{two_lines}</textarea>' in page
    shown, version = element_fields("operations", "warehousing")
    browser = {name: value.replace("\n", "\r\n") for name, value in shown.items()}
    admin_client_.post(f"{FACTORY}/s/operations/e/warehousing/", {**browser, "version": str(version)})
    assert (
        Element.objects.get(factory=annex_a, section="operations", key="warehousing").payload["importance_reason"]
        == two_lines
    )
