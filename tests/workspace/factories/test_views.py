"""The element form through Django's test client: a save names the version it was read at, so no edit is lost unseen."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.factories.models import Element, ElementSet, ElementVersion, Factory
from tests.workspace.conftest import client_for, make_member
from tests.workspace.test_views import _form_of, _form_of_page

pytestmark = pytest.mark.django_db

URL = "/f/annex-a-factory/s/assets/e/scada/"


def _scada(factory: Factory) -> Element:
    return Element.objects.get(factory=factory, section="assets", key="scada")


def test_the_form_carries_the_version_it_was_read_at(admin_client_: Client, annex_a: Factory) -> None:
    page = admin_client_.get(URL).text
    assert f'<input type="hidden" name="version" value="{_scada(annex_a).version}">' in page


def test_a_stale_save_is_refused_with_what_changed_and_the_first_edit_is_kept(
    admin_client_: Client, annex_a: Factory
) -> None:
    """A and B open the same element; A saves a new name; B's save of its stale copy (new addresses) is refused with
    409 and the fields that differ, and A's edit stays."""
    first = admin_client_
    second = client_for(make_member(annex_a, Role.SECURITY_IT))
    form_a, form_b = _form_of(first, URL), _form_of(second, URL)
    assert form_a["version"] == form_b["version"] == "1"

    saved = first.post(URL, form_a | {"name": "SCADA (renamed by A)"})
    assert saved.status_code == 302
    refused = second.post(URL, form_b | {"addresses": "10.5.0.10, 10.5.0.11"})

    assert refused.status_code == 409
    conflict = re.search(r'<div class="problems" id="conflict">(.*?)</div>', refused.text, re.S)
    assert conflict is not None, refused.text[:2000]
    assert "saved this element (version 2) after you opened version 1" in conflict.group(1)
    # only what B changed differs: the name B left as it was is A's in the form kept for B (since db5c754)
    assert 'title="name"' not in conflict.group(1)
    assert '<input type="text" id="id_name" name="name" value="SCADA (renamed by A)">' in refused.text
    # a field by its label (its key as the tooltip), a list's values as its list shows them (it read "['10.5.0.10']")
    assert '<td title="addresses">IP addresses</td><td>10.5.0.10</td><td>10.5.0.10, 10.5.0.11</td>' in conflict.group(1)
    row = _scada(annex_a)
    assert row.version == 2
    assert row.payload["name"] == "SCADA (renamed by A)" and row.payload["addresses"] == ["10.5.0.10"]
    assert ElementVersion.objects.filter(element=row).count() == 2
    # B's text is kept and the form now names the stored version: saving again applies it on top, deliberately
    assert "10.5.0.10, 10.5.0.11" in refused.text
    assert '<input type="hidden" name="version" value="2">' in refused.text
    again = second.post(URL, _form_of_page(refused.text))
    assert again.status_code == 302
    assert _scada(annex_a).payload["addresses"] == ["10.5.0.10", "10.5.0.11"]
    assert _scada(annex_a).payload["name"] == "SCADA (renamed by A)", "saving the kept form keeps A's rename"


@pytest.mark.parametrize("version", [None, "", "two"], ids=["missing", "empty", "not-a-number"])
def test_a_save_that_names_no_version_is_refused(admin_client_: Client, annex_a: Factory, version: str | None) -> None:
    form = _form_of(admin_client_, URL) | {"name": "SCADA (no version)"}
    del form["version"]
    if version is not None:
        form["version"] = version
    response = admin_client_.post(URL, form)
    assert response.status_code == 422
    assert "Not saved: the form did not say which version of Protected objects / scada it was read at" in response.text
    assert "SCADA (no version)" in response.text  # the user's text is kept
    row = _scada(annex_a)
    assert row.version == 1 and row.payload["name"] == "SCADA"


def test_a_save_of_the_current_version_keeps_its_comment(admin_client_: Client, annex_a: Factory) -> None:
    form = _form_of(admin_client_, URL)
    response = admin_client_.post(URL, form | {"description": "checked", "comment": "site walk"})
    assert response.status_code == 302
    row = _scada(annex_a)
    assert row.version == 2 and row.payload["description"] == "checked"
    assert ElementVersion.objects.get(element=row, version=2).comment == "site walk"


def test_a_comment_over_its_column_is_refused_not_cut(admin_client_: Client, annex_a: Factory) -> None:
    """A version's comment of 501 characters or more was cut to 500 unseen (in the history and the audit entry); and a
    save refused for any reason lost the comment typed (the field came back empty)."""
    form = _form_of(admin_client_, URL) | {"description": "checked"}
    refused = admin_client_.post(URL, form | {"comment": "w" * 501})
    assert refused.status_code == 422
    error = re.search(r'<span class="error" id="error-comment">([^<]*)</span>', refused.text)
    assert error is not None and error.group(1) == (
        "Comment: at most 500 characters (this one has 501); shorten it and send it again."
    )
    assert f'name="comment" value="{"w" * 501}"' in refused.text and "checked</textarea>" in refused.text
    assert _scada(annex_a).version == 1 and ElementVersion.objects.filter(element=_scada(annex_a)).count() == 1
    admin_client_.cookies["django_language"] = "ja"
    japanese = admin_client_.post(URL, form | {"comment": "長" * 600})
    assert "コメント：500 文字以内にしてください（このコメントは 600 文字です）" in japanese.text
    stale = admin_client_.post(URL, form | {"version": "0", "comment": "after the site walk"})
    assert stale.status_code == 409 and 'name="comment" value="after the site walk"' in stale.text
    saved = admin_client_.post(URL, form | {"comment": " " + "w" * 500 + " "})
    assert saved.status_code == 302
    assert ElementVersion.objects.get(element=_scada(annex_a), version=2).comment == "w" * 500


@pytest.mark.parametrize("meanwhile", ["saved", "deleted"])
def test_a_save_landing_between_the_read_and_the_lock_is_not_overwritten(
    admin_client_: Client, annex_a: Factory, monkeypatch: pytest.MonkeyPatch, meanwhile: str
) -> None:
    """Another process saves (or deletes) the element after the request read it at the posted version but before the
    request holds the write lock: the version is compared again under the lock and the save is refused."""
    url = "/f/annex-a-factory/s/zones/e/monitoring-zone/"
    form = _form_of(admin_client_, url)
    rows = Element.objects.filter(factory=annex_a, section="zones", key="monitoring-zone")
    lock, locked_row = ElementSet.lock, ElementSet.locked_row

    def another_save() -> None:
        rows.update(version=2, payload=None if meanwhile == "deleted" else rows.get().payload | {"name": "Other"})

    def lock_after_another_save(factory_id: int) -> None:
        another_save()
        lock(factory_id)

    def locked_row_after_another_save(factory_id: int) -> ElementSet | None:
        another_save()
        return locked_row(factory_id)

    # the save takes the write lock one way or the other (the element set's row, or the lock alone where none is kept)
    monkeypatch.setattr(ElementSet, "lock", lock_after_another_save)
    monkeypatch.setattr(ElementSet, "locked_row", locked_row_after_another_save)
    response = admin_client_.post(url, form | {"name": "stale"})
    assert response.status_code == 409
    assert "saved this element (version 2) after you opened version 1" in response.text
    row = rows.get()
    assert row.version == 2
    assert row.payload is None if meanwhile == "deleted" else row.payload["name"] == "Other"
