"""What enters the audit log without the caller asking: element saves (after their transaction commits) and logins."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_save

from factorysec.workspace.factories.models import ElementVersion, Factory


def _client_address(request: Any) -> str:
    return str(getattr(request, "META", {}).get("REMOTE_ADDR", "")) if request is not None else ""


class _Batch:
    """Element versions saved in one transaction; written to the log once it commits, with one digest per factory."""

    def __init__(self) -> None:
        self.items: list[tuple[int, dict[str, Any], str]] = []

    def __call__(self) -> None:
        """Write the batch's entries. Each factory's digest is computed before the write lock is taken, and again under it
        only if another save landed in between, so the lock is held for a few inserts, not for building the model."""
        from factorysec.workspace.audit.log import current_digest, record

        factories = {factory_id: Factory.objects.get(pk=factory_id) for factory_id, _, _ in self.items}
        seen = {factory_id: _last_version(factory_id) for factory_id in factories}
        digests = {factory_id: current_digest(factory) for factory_id, factory in factories.items()}
        with transaction.atomic():
            for factory_id in factories:
                if _last_version(factory_id) != seen[factory_id]:
                    digests[factory_id] = current_digest(factories[factory_id])
            for factory_id, detail, actor in self.items:
                action = "element-deleted" if detail["deleted"] else "element-saved"
                record(
                    action,
                    actor=actor,
                    factory=factories[factory_id],
                    subject=f"{detail['section']}/{detail['key']}",
                    detail=detail,
                    digest=digests[factory_id],
                )


def _last_version(factory_id: int) -> int | None:
    """The newest element version of a factory: when it moves, the model changed."""
    return (
        ElementVersion.objects.filter(element__factory_id=factory_id)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )


def _open_batch() -> _Batch:
    """The batch queued by the same atomic block, or a new one (a rolled-back block's batch is dropped with it)."""
    connection = transaction.get_connection()
    if connection.run_on_commit:
        savepoints, last, _robust = connection.run_on_commit[-1]
        if isinstance(last, _Batch) and savepoints == set(connection.savepoint_ids):
            return last
    batch = _Batch()
    transaction.on_commit(batch)
    return batch


def _on_version(sender: Any, instance: ElementVersion, created: bool, **kwargs: Any) -> None:
    """Queue one entry per saved element version; they are written once the change commits, with the digest of the model it left."""
    if not created or kwargs.get("raw"):
        return
    element = instance.element
    detail = {
        "section": element.section,
        "key": element.key,
        "version": instance.version,
        "deleted": instance.payload is None,
        "comment": instance.comment,
    }
    actor = instance.author.get_username() if instance.author is not None else "system"
    if not transaction.get_connection().in_atomic_block:
        _single(element.factory_id, detail, actor)()
        return
    _open_batch().items.append((element.factory_id, detail, actor))


def _single(factory_id: int, detail: dict[str, Any], actor: str) -> _Batch:
    batch = _Batch()
    batch.items.append((factory_id, detail, actor))
    return batch


def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from factorysec.workspace.audit.log import record

    record("login", user=user, detail={"address": _client_address(request)})


def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from factorysec.workspace.audit.log import record

    if user is not None:
        record("logout", user=user, detail={"address": _client_address(request)})


def _on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    from factorysec.workspace.audit.log import record

    record(
        "login-failed", actor=str(credentials.get("username", ""))[:150], detail={"address": _client_address(request)}
    )


def connect() -> None:
    post_save.connect(_on_version, sender=ElementVersion, dispatch_uid="audit-element-version")
    user_logged_in.connect(_on_login, dispatch_uid="audit-login")
    user_logged_out.connect(_on_logout, dispatch_uid="audit-logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="audit-login-failed")
