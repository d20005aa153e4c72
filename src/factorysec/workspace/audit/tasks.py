"""Tasks of the audit app: writing the entries of saved element versions, with the model digest, outside the request."""

from __future__ import annotations

from django_tasks import task

from factorysec.workspace.audit.signals import write_pending


@task()
def log_element_versions(factory_id: int) -> None:
    """Log the factory's pending element versions (see :func:`~factorysec.workspace.audit.signals.write_pending`)."""
    write_pending(factory_id)
