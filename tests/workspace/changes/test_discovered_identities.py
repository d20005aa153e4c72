"""A change file `discover --change` writes opens a change request whose review shows the observed identity."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factorysec.discovery.identity_change import identity_change
from factorysec.discovery.types import DeviceIdentity, Host, Inventory
from factorysec.model.writer import dump_data
from factorysec.workspace.accounts.models import Role
from factorysec.workspace.changes.models import ChangeRequest
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.factories.store import factory_model
from tests.workspace.conftest import client_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def dx(annex_a: Factory) -> User:
    return make_member(annex_a, Role.DX)


def test_observed_identities_go_through_a_change_request(annex_a: Factory, dx: User) -> None:
    scada = next(a for a in factory_model(annex_a).assets if a.id == "scada")
    said = DeviceIdentity(
        ip=scada.addresses[0],
        protocol="snmp",
        vendor="Omron",
        product="NX",
        model="NX102-9000",
        firmware="1.40",
        evidence="site.pcap byte 4096",
        source="pcap",
        seen=0.0,
    )
    inventory = Inventory(hosts=(Host(ip=scada.addresses[0], identities=(said,)),))
    change = identity_change(inventory, factory_model(annex_a), "current", "Observed identities")
    assert change.recorded == 1
    content = "".join(f"# {line}\n" for line in change.header) + dump_data(change.document)
    client = client_for(dx)
    response = client.post(
        f"/f/{annex_a.slug}/changes/",
        {"title": "Observed identities", "change_file": SimpleUploadedFile("change.yaml", content.encode())},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    request = ChangeRequest.objects.get()
    review = client.get(reverse("changes:review", args=[annex_a.slug, request.pk]))
    assert review.status_code == 200
    page = review.content.decode()
    assert "identity.model" in page and "NX102-9000" in page and "site.pcap byte 4096" in page
