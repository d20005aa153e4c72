"""What enters the audit log without the caller asking: element saves (written by a task once their transaction commits) and logins."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_save

from factorysec.workspace.factories.models import ElementVersion, Factory


def _client_address(request: Any) -> str:
    return str(getattr(request, "META", {}).get("REMOTE_ADDR", "")) if request is not None else ""


def _last_version(factory_id: int) -> int | None:
    """The newest element version of a factory: when it moves, the model changed."""
    return (
        ElementVersion.objects.filter(element__factory_id=factory_id)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )


def write_pending(factory_id: int) -> int:
    """Write the audit entries of the factory's pending element versions, with the digest of the model they left; return how many.

    The digest is computed before the write lock is taken. Only the versions
    the digested model already holds (up to the newest version seen before
    the digest) are logged with it; later ones wait for the next run. Two runs
    at once never log a version twice: the rows are locked and deleted in the
    transaction that writes their entries.
    """
    from factorysec.workspace.audit.log import current_digest, record
    from factorysec.workspace.audit.models import PendingVersion

    factory = Factory.objects.filter(pk=factory_id).first()
    if factory is None or not PendingVersion.objects.filter(factory_id=factory_id).exists():
        return 0
    seen = _last_version(factory_id)
    digest = current_digest(factory)
    written = 0
    with transaction.atomic():
        pending = (
            PendingVersion.objects.select_for_update()
            .filter(factory_id=factory_id, version_id__lte=seen or 0)
            .select_related("version__element")
            .order_by("version_id")
        )
        for row in pending:
            version = row.version
            detail = {
                "section": version.element.section,
                "key": version.element.key,
                "version": version.version,
                "deleted": version.payload is None,
                "comment": version.comment,
            }
            record(
                "element-deleted" if detail["deleted"] else "element-saved",
                actor=row.actor,
                factory=factory,
                subject=f"{detail['section']}/{detail['key']}",
                detail=detail,
                digest=digest,
            )
            row.delete()
            written += 1
    return written


def _queue_logging(factory_id: int) -> None:
    from factorysec.workspace.audit.tasks import log_element_versions

    log_element_versions.enqueue(factory_id)


def _on_version(sender: Any, instance: ElementVersion, created: bool, **kwargs: Any) -> None:
    """Mark the version as pending in the save's transaction; once it commits, queue the task that logs it."""
    from factorysec.workspace.audit.models import PendingVersion

    if not created or kwargs.get("raw"):
        return
    factory_id = instance.element.factory_id
    actor = instance.author.get_username() if instance.author is not None else "system"
    PendingVersion.objects.create(version=instance, factory_id=factory_id, actor=actor[:150])
    if not transaction.get_connection().in_atomic_block:
        _queue_logging(factory_id)
        return
    _open_queue().factories.add(factory_id)


class _Queue:
    """The factories whose versions one transaction saved; their logging is queued once it commits."""

    def __init__(self) -> None:
        self.factories: set[int] = set()

    def __call__(self) -> None:
        for factory_id in sorted(self.factories):
            _queue_logging(factory_id)


def _open_queue() -> _Queue:
    """The queue registered by the same atomic block, or a new one (a rolled-back block's is dropped with it)."""
    connection = transaction.get_connection()
    if connection.run_on_commit:
        savepoints, last, _robust = connection.run_on_commit[-1]
        if isinstance(last, _Queue) and savepoints == set(connection.savepoint_ids):
            return last
    queue = _Queue()
    transaction.on_commit(queue)
    return queue


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
