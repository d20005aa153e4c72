"""What enters the audit log without the caller asking: element saves (in the save's own transaction), the elements an
import creates in bulk, and logins."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_save

from factorysec.workspace.factories.models import ElementSet, ElementVersion, Factory
from factorysec.workspace.factories.signals import elements_imported


def _client_address(request: Any) -> str:
    return str(getattr(request, "META", {}).get("REMOTE_ADDR", "")) if request is not None else ""


def write_pending(factory_id: int) -> int:
    """Write the audit entries of the factory's pending element versions, with the digest of the model they left; return how many.

    Saves no longer leave pending versions (their entry is written in the save's
    transaction); this logs the ones an earlier release of the workspace left
    in the database when it was upgraded (:func:`factorysec.workspace.bootstrap.prepare` runs it after migrating).

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
    seen = ElementVersion.newest_of(factory_id)
    digest = current_digest(factory)
    written = 0
    with transaction.atomic():
        pending = (
            PendingVersion.objects.select_for_update()
            .filter(factory_id=factory_id, version_id__lte=seen)
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


def _on_version(sender: Any, instance: ElementVersion, created: bool, **kwargs: Any) -> None:
    """Log a saved element version in the save's own transaction, with the element-set digest the save left.

    The digest (:mod:`factorysec.workspace.factories.digests`) was updated by
    the element's save in constant time, so the entry costs the same in a
    100,000-asset factory as in a small one, no save escapes the log (the entry
    commits or rolls back with the save), and no task worker is woken per save.
    """
    from factorysec.workspace.audit.log import record

    if not created or kwargs.get("raw"):
        return
    element = instance.element
    deleted = instance.payload is None
    record(
        "element-deleted" if deleted else "element-saved",
        actor=instance.author.get_username()[:150] if instance.author is not None else "system",
        factory=element.factory,
        subject=f"{element.section}/{element.key}",
        detail={
            "section": element.section,
            "key": element.key,
            "version": instance.version,
            "deleted": deleted,
            "comment": instance.comment,
        },
        digest=element.element_set_label or ElementSet.label_of(element.factory_id),
    )


def _on_import(sender: Any, factory: Factory, user: Any, comment: str, created: dict[str, int], **kwargs: Any) -> None:
    """Log the elements an import created in bulk (no ``post_save`` for them): one entry with how many per section and
    the element-set digest the import left, which covers every element's section and content."""
    from factorysec.workspace.audit.log import record

    record(
        "elements-imported",
        actor=user.get_username()[:150] if user is not None and user.is_authenticated else "system",
        factory=factory,
        subject="import",
        detail={"comment": comment, "created": sum(created.values()), "sections": dict(sorted(created.items()))},
        digest=ElementSet.label_of(factory.pk),
    )


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
    elements_imported.connect(_on_import, dispatch_uid="audit-elements-imported")
    user_logged_in.connect(_on_login, dispatch_uid="audit-login")
    user_logged_out.connect(_on_logout, dispatch_uid="audit-logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="audit-login-failed")
