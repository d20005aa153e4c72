"""Workspace fixtures: the Annex A example loaded into the test database, and one account per role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from factorysec.model import load_model
from factorysec.workspace.accounts.models import Membership, Role
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.factories.store import import_model

ROOT = Path(__file__).resolve().parents[2]
ANNEX_A = ROOT / "examples" / "annex-a" / "current"
PASSWORD = "a long test password 42"


@pytest.fixture
def annex_a(db: None) -> Factory:
    factory = Factory.objects.create(slug="annex-a-factory", name="Annex A example factory")
    import_model(factory, load_model(ANNEX_A), None, "test load")
    return factory


WIRELESS_FINDING = "THREAT-WIRELESS@transport-zone"
"""A finding of the Annex A example that the comment and decision tests put on record."""


@pytest.fixture
def wireless_decided(annex_a: Factory) -> Factory:
    """The Annex A factory with a decision on :data:`WIRELESS_FINDING`, so the finding is on record (and its page
    answers) without running an analysis."""
    from django.contrib.auth.models import AnonymousUser

    from factorysec.workspace.audit.decisions import save_decision

    save_decision(
        annex_a,
        {
            "finding": WIRELESS_FINDING,
            "status": "in-progress",
            "owner": "it-security",
            "justification": "new AP ordered",
        },
        AnonymousUser(),
    )
    return annex_a


def make_member(factory: Factory, role: Role, party: str = "") -> User:
    user = User.objects.create_user(f"{role.value}-{party or 'staff'}", password=PASSWORD)
    Membership.objects.create(user=user, factory=factory, role=role, party=party)
    return user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client_(annex_a: Factory) -> Client:
    admin = User.objects.create_superuser("root", "", PASSWORD)
    return client_for(admin)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Tests create many accounts; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Any) -> None:
    """Background jobs run when queued, in the test's process and transaction (test_jobs.py also runs the real worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
