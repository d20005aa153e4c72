"""The element form's help texts."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from factorysec.workspace.factories.forms import FormField
from factorysec.workspace.factories.models import Factory

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
