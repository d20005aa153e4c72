"""What ``factorysec serve`` reads of a PostgreSQL database before it is migrated (run on SQLite and on PostgreSQL:
``scripts/test-postgresql.sh``): whether it holds a factory, so the model is checked first only when it will be loaded."""

from __future__ import annotations

import pytest

from factorysec.cli_workspace import FACTORY_TABLE, database_holds_a_factory
from factorysec.workspace.factories.models import Factory

pytestmark = pytest.mark.django_db


def test_a_database_without_a_factory_holds_none() -> None:
    assert not Factory.objects.exists()
    assert database_holds_a_factory() is False


def test_a_database_with_a_factory_holds_one(annex_a: Factory) -> None:
    assert database_holds_a_factory() is True


def test_the_table_looked_for_before_django_opens_an_sqlite_database_is_the_factories_table() -> None:
    assert Factory._meta.db_table == FACTORY_TABLE
