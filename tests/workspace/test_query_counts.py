"""The SQL statements of the API's hot requests (what the load benchmark's 50 users send), pinned so they cannot creep back.

Each statement Django compiles costs about a millisecond of CPU; with 50 people the
requests queue for that CPU (``benchmarks/README.md``, issue #18 item 6). Transaction
control (BEGIN, COMMIT, savepoints) is left out of the counts: PostgreSQL's driver
opens its transactions without a statement Django records, SQLite's does not.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.accounts.tokens import issue_token
from factorysec.workspace.factories.models import Element, Factory
from tests.workspace.conftest import make_member

pytestmark = pytest.mark.django_db
ELEMENT = "/api/factories/annex-a-factory/elements/zones/warehouse-zone"
SECTION = "/api/factories/annex-a-factory/sections/zones"
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")

READ_STATEMENTS = 3
"""The token's user, the factory with the caller's membership, the element."""
SECTION_STATEMENTS = 4
"""The token's user, the factory with the membership, the section's kept count, the page."""
REFUSAL_STATEMENTS = 4
"""The token's user, the factory with the membership, the element, the element again with who saved it (after the save
in progress, if any): no write lock."""
SAVE_STATEMENTS = 15
"""Besides the three of a read (the element's with the element set's count of moves): the check's reads, before the lock
(the entries the edited element's checks look at, the place of each in its section, the ids its references may name);
then the element set's row locked and read once (its digest is moved on it); the element locked; the element's update;
the element set's update; the version row; the audit chain's head (read, update) and entry."""
LOCKED_STATEMENTS = 8
"""Of these, the ones from the element set's lock to the commit (12 with the check under the lock, before session 13)."""


SAVE_SAVEPOINTS = 2
"""Savepoints a save makes inside the test's transaction: the save's own transaction and the store's ``save_element``
(the audit entry joins them without one); PostgreSQL adds the one that tries the element set's lock without waiting."""


def _statements(
    client: Client, method: str, path: str, body: Any = None, control: list[str] | None = None
) -> tuple[int, Any, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        if method == "GET":
            response = client.get(path)
        else:
            response = client.put(path, body, content_type="application/json")
    sql = [query["sql"] for query in captured.captured_queries]
    if control is not None:
        control.extend(s for s in sql if s.upper().startswith(CONTROL))
    return response.status_code, response.json(), [s for s in sql if not s.upper().startswith(CONTROL)]


@pytest.fixture
def token_client(annex_a: Factory) -> Client:
    """A token already used once: its first use of a minute writes its ``last_used_at`` (one statement more), the
    others write nothing (:func:`test_a_tokens_last_use_is_written_at_most_once_a_minute`)."""
    user = make_member(annex_a, Role.SECURITY_IT)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user, 'ci')}")
    assert client.get("/api/factories/").status_code == 200
    return client


def test_a_tokens_last_use_is_written_at_most_once_a_minute(annex_a: Factory) -> None:
    import datetime as dt

    from factorysec.workspace.accounts.models import ApiToken

    user = make_member(annex_a, Role.SECURITY_IT)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user, 'ci')}")
    status, _, first = _statements(client, "GET", ELEMENT)
    assert status == 200 and len(first) == READ_STATEMENTS + 1 and first[1].startswith("UPDATE"), first
    status, _, second = _statements(client, "GET", ELEMENT)
    assert status == 200 and len(second) == READ_STATEMENTS, second
    used = ApiToken.objects.get().last_used_at
    assert used is not None
    ApiToken.objects.update(last_used_at=used - dt.timedelta(minutes=2))
    status, _, later = _statements(client, "GET", ELEMENT)
    assert status == 200 and len(later) == READ_STATEMENTS + 1, later


def test_a_read_of_an_element_and_of_a_section_page(token_client: Client) -> None:
    status, body, sql = _statements(token_client, "GET", ELEMENT)
    assert status == 200 and body["payload"]["id"] == "warehouse-zone"
    assert len(sql) == READ_STATEMENTS, sql
    status, body, sql = _statements(token_client, "GET", SECTION)
    assert status == 200 and "warehouse-zone" in [zone["id"] for zone in body]
    assert len(sql) == SECTION_STATEMENTS, sql


def test_a_version_checked_save_and_a_refused_one(annex_a: Factory, token_client: Client) -> None:
    other = Element.objects.get(factory=annex_a, section="assets", key="mes-server")
    assert other.payload is not None
    first = token_client.put(  # the audit chain's head is made by the first entry ever; counted is a save after it
        "/api/factories/annex-a-factory/elements/assets/mes-server",
        {"version": other.version, "payload": other.payload | {"description": "first"}},
        content_type="application/json",
    )
    assert first.status_code == 200
    row = Element.objects.get(factory=annex_a, section="zones", key="warehouse-zone")
    assert row.payload is not None
    control: list[str] = []
    status, body, sql = _statements(
        token_client,
        "PUT",
        ELEMENT,
        {"version": row.version, "payload": row.payload | {"description": "saved"}},
        control,
    )
    assert status == 200 and body["version"] == row.version + 1
    assert len(sql) == SAVE_STATEMENTS, "\n".join(s[:150] for s in sql)
    locked = next(n for n, s in enumerate(sql) if s.startswith('SELECT * FROM "factories_elementset"'))
    assert len(sql) - locked == LOCKED_STATEMENTS, "\n".join(s[:150] for s in sql[locked:])
    savepoints = [s for s in control if s.upper().startswith("SAVEPOINT")]
    assert len(savepoints) == SAVE_SAVEPOINTS + (connection.vendor != "sqlite"), control
    status, body, sql = _statements(
        token_client, "PUT", ELEMENT, {"version": row.version, "payload": row.payload | {"description": "late"}}
    )
    assert status == 409 and body["current_version"] == row.version + 1
    assert len(sql) == REFUSAL_STATEMENTS, sql
