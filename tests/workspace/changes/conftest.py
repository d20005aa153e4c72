"""Members of the Annex A factory for the change-request tests: one per department the review names, and two vendors."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.factories.models import Factory
from tests.workspace.conftest import make_member


@pytest.fixture
def people(annex_a: Factory) -> dict[str, User]:
    return {
        "dx": make_member(annex_a, Role.DX),
        "security": make_member(annex_a, Role.SECURITY_IT),
        "production": make_member(annex_a, Role.PRODUCTION),
        "management": make_member(annex_a, Role.MANAGEMENT),
        "provider": make_member(annex_a, Role.VENDOR, "remote-maintenance-provider"),
        "other-vendor": make_member(annex_a, Role.VENDOR, "line-vendor"),
    }
