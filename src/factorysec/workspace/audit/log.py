"""Writing to and reading the audit log: append an entry under the chain's lock, verify the stored chain, export it."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction

from factorysec.model import model_digest
from factorysec.workspace.audit.chain import GENESIS, Verified, entry_hash, verify_chain
from factorysec.workspace.audit.models import AuditEntry, AuditHead
from factorysec.workspace.factories.models import ElementSet, Factory, for_update

EXPORT_FIELDS = (
    "seq",
    "created_at",
    "actor",
    "factory",
    "action",
    "subject",
    "detail",
    "model_digest",
    "previous",
    "hash",
)
"""An entry's stored fields: the columns of exports, and those the insert writes, in this order."""

logger = logging.getLogger(__name__)


def actor_name(user: Any) -> str:
    """The name an entry keeps for ``user`` (``system`` for work done without a signed-in person)."""
    if user is not None and getattr(user, "is_authenticated", False):
        return str(user.get_username())
    return "system"


def current_digest(factory: Factory) -> str:
    """The digest ``factorysec check`` prints for the factory's stored model now.

    Every change was checked before it was stored, so the elements are read
    into the model's classes without running the reference checks again. A
    database an older, less strict version wrote may hold what these classes
    refuse now (a value listed twice ...): then the factory's element-set digest
    (``elements:...``, what a save's entry holds) names the state instead, and
    one warning says so; the entries are still written.
    """
    from pydantic import ValidationError

    from factorysec.model.entities import SINGLETONS, FactoryModel
    from factorysec.workspace.factories.store import live_rows

    data: dict[str, Any] = {}
    for row in live_rows(factory):
        if row.section in SINGLETONS:
            data[row.section] = row.payload
        else:
            data.setdefault(row.section, []).append(row.payload)
    try:
        return model_digest(FactoryModel.model_validate(data))
    except ValidationError as error:
        digest = ElementSet.label_of(factory.pk)
        logger.warning(
            "factory '%s': %s; audit entries name its element-set digest %s instead of the model digest",
            factory.slug,
            _refusal(factory, error),
            digest,
        )
        return digest


def _refusal(factory: Factory, error: Any) -> str:
    """What the check says of the stored model, as ``factorysec serve``'s warning does (count, first problem per element)."""
    from factorysec.workspace.factories.store import StoredModelError, factory_model, refusal_summary

    try:
        factory_model(factory)
    except StoredModelError as refused:
        problems = [str(p) for p in refused.problems]
    else:  # the classes refuse what the check passes: say what the classes say
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
    return refusal_summary(problems)


@transaction.atomic(savepoint=False)
def record(
    action: str,
    *,
    user: Any = None,
    actor: str | None = None,
    factory: Factory | None = None,
    subject: str = "",
    detail: dict[str, Any] | None = None,
    digest: str | None = None,
) -> AuditEntry:
    """Append one entry; the digest is the factory's element-set digest now unless given. Joins the caller's transaction.

    The element-set digest (:mod:`factorysec.workspace.factories.digests`,
    ``elements:`` and 55 hex digits) is kept by every save, so reading it costs
    one row whatever the model's size; a merge passes the model digest
    ``factorysec check`` prints instead, the one its review entry records.

    The chain head row is locked first (``SELECT ... FOR UPDATE`` on
    PostgreSQL; SQLite's immediate transactions already hold the write lock),
    so two writers never link to the same previous entry. Inside the caller's
    transaction no savepoint is made (two round trips fewer while the caller
    holds its locks): an entry that fails to be written fails the caller's
    transaction with it, so no change is ever kept without its entry.
    """
    head = next(
        iter(AuditHead.objects.raw(_head_sql() + for_update())), None
    )  # every save: one statement, not compiled
    if head is None:
        head = AuditHead.objects.create(pk=1, seq=0, hash=GENESIS)
        head = AuditHead.objects.select_for_update().get(pk=1)
    if digest is None:
        digest = ElementSet.label_of(factory.pk) if factory is not None else ""
    fields: dict[str, Any] = {
        "seq": head.seq + 1,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        "actor": actor if actor is not None else actor_name(user),
        "factory": factory.slug if factory is not None else "",
        "action": action,
        "subject": subject[:400],
        "detail": json.loads(json.dumps(detail or {}, default=str)),
        "model_digest": digest,
        "previous": head.hash,
    }
    fields["hash"] = entry_hash(fields)
    with connection.cursor() as cursor:  # every save: two statements written once, not compiled
        cursor.execute(
            _insert_sql(connection.vendor),
            [json.dumps(fields[name]) if name == "detail" else fields[name] for name in EXPORT_FIELDS],
        )
        (entry_id,) = cursor.fetchone()
        cursor.execute(_head_update_sql(), [fields["seq"], fields["hash"]])
    entry = AuditEntry(id=entry_id, **fields)
    entry._state.adding, entry._state.db = False, connection.alias
    return entry


@functools.cache
def _head_sql() -> str:
    return f'SELECT * FROM "{AuditHead._meta.db_table}" WHERE "id" = 1'


@functools.cache
def _insert_sql(vendor: str) -> str:
    """The entry's ``INSERT``, returning its id; the detail is sent as JSON text (cast on PostgreSQL, whose column is
    ``jsonb``), as the model's JSON field would send it."""
    columns = ", ".join(
        f'"{AuditEntry._meta.get_field(name).column}"'  # type: ignore[union-attr]  # concrete fields only
        for name in EXPORT_FIELDS
    )
    values = ", ".join("%s::jsonb" if name == "detail" and vendor == "postgresql" else "%s" for name in EXPORT_FIELDS)
    return f'INSERT INTO "{AuditEntry._meta.db_table}" ({columns}) VALUES ({values}) RETURNING "id"'


@functools.cache
def _head_update_sql() -> str:
    return f'UPDATE "{AuditHead._meta.db_table}" SET "seq" = %s, "hash" = %s WHERE "id" = 1'


def stored_records(factory: str | None = None) -> Iterator[dict[str, Any]]:
    """Every entry as a plain record, in sequence order (one factory's only, when named)."""
    rows = AuditEntry.objects.order_by("seq")
    if factory is not None:
        rows = rows.filter(factory=factory)
    for row in rows.iterator(chunk_size=2000):
        yield row.as_record()


def verify_stored() -> Verified:
    """Check the whole stored chain; also that the head row agrees with the last entry (a truncated tail shows there)."""
    result = verify_chain(stored_records())
    head = AuditHead.objects.filter(pk=1).first()
    if result.intact and head is not None and (head.seq != result.count or head.hash != result.head):
        from factorysec.workspace.audit.chain import Broken

        return Verified(
            result.count,
            result.head,
            Broken(result.count + 1, f"missing: the log ends at entry {result.count} but {head.seq} were written"),
        )
    return result


def export_json(factory: str | None = None) -> str:
    """The entries as one JSON document an auditor can check with ``factorysec audit verify --file``."""
    return json.dumps(
        {"format": "factorysec-audit-log", "version": 1, "entries": list(stored_records(factory))},
        ensure_ascii=False,
        indent=1,
    )


def export_csv(factory: str | None = None) -> str:
    """The entries as CSV (``detail`` as JSON text), one row per entry."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_FIELDS)
    for entry in stored_records(factory):
        writer.writerow(
            [
                json.dumps(entry[name], sort_keys=True, ensure_ascii=False) if name == "detail" else entry[name]
                for name in EXPORT_FIELDS
            ]
        )
    return buffer.getvalue()
