"""Background jobs: queued on the database-backed task queue (django-tasks, ``django_tasks_db``), run by ``db_worker``.

A view only creates a :class:`~factorysec.workspace.factories.models.Job` row
and enqueues its task; the worker runs the task, which reports its stage and
percentage on the row so that the page can poll it. ``factorysec serve``
starts one worker beside the web server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop

from factorysec.workspace.factories.models import ElementVersion, Factory, Job
from factorysec.workspace.factories.store import StoredModelError

JobBody = Callable[[Job], dict[str, Any]]


def newest_job(factory: Factory, kind: Job.Kind, *statuses: Job.Status) -> Job | None:
    """The factory's newest job of ``kind`` (in one of ``statuses``, when given), without its file columns."""
    jobs = Job.objects.filter(factory=factory, kind=kind)
    if statuses:
        jobs = jobs.filter(status__in=statuses)
    return jobs.defer("output", "upload").order_by("-created_at", "-pk").first()


def latest_finished(factory: Factory, kind: Job.Kind) -> Job | None:
    """The newest job of ``kind`` that finished: what its pages show."""
    return newest_job(factory, kind, Job.Status.DONE)


def running_job(factory: Factory, kind: Job.Kind) -> Job | None:
    """The newest job of ``kind`` still queued or running."""
    return newest_job(factory, kind, Job.Status.QUEUED, Job.Status.RUNNING)


def latest_analysis(factory: Factory) -> Job | None:
    """The newest analysis job that finished; its findings are what the result pages show."""
    return latest_finished(factory, Job.Kind.ANALYSIS)


def start_job(
    task: Any,
    factory: Factory,
    kind: Job.Kind,
    user: Any,
    lang: str = "en",
    upload_name: str = "",
    upload: bytes | None = None,
) -> Job:
    """Create the job row and enqueue ``task`` (a django-tasks task taking the job id).

    Views run without a surrounding transaction, so the row is committed before
    a worker can take the task.
    """
    job = Job.objects.create(
        factory=factory,
        kind=kind,
        lang=lang,
        upload_name=upload_name,
        upload=upload,
        created_by=user if user is not None and user.is_authenticated else None,
        stage=gettext_noop("queued"),
    )

    result = task.enqueue(job.pk)
    Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def report_progress(job: Job, stage: str, percent: int) -> None:
    """Record how far the job is (a separate short write, so a page polling the row sees it at once)."""
    job.stage, job.progress = stage, max(0, min(100, percent))
    Job.objects.filter(pk=job.pk).update(stage=job.stage, progress=job.progress, status=Job.Status.RUNNING)


class JobRefused(Exception):
    """The job's input was refused (e.g. an import that ``check`` rejects): the job fails with these problems, no traceback."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def stored_model_problems(error: StoredModelError) -> list[str]:
    """Why a job needing the whole model was refused: the factory's stored model does not pass, and the check's problems."""
    return [
        f"the stored model of factory '{error.factory.slug}' does not pass this version's check;"
        " correct these elements in the workspace, then run the job again",
        *map(str, error.problems),
    ]


REFUSED_AT_VERSION = "refused_at_version"
"""In a job refused because the stored model does not pass: the newest element version of the factory then (0 for
none). Every save, deletion and import writes a version, so while it is still the newest the model is the same."""


def refused_on_this_model(factory: Factory, kind: Job.Kind) -> bool:
    """Whether the newest job of ``kind`` was refused because the stored model does not pass, and no element has
    changed since: another such job would be refused the same way."""
    newest = newest_job(factory, kind)
    if newest is None or newest.status != Job.Status.FAILED:
        return False
    refused_at = (newest.result or {}).get(REFUSED_AT_VERSION)
    return refused_at is not None and refused_at == ElementVersion.newest_of(factory.pk)


def run_job(job_id: int, body: JobBody) -> None:
    """Run ``body`` on the job: mark it running, then done with its result, or failed with the problems or the error's one-line text."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, stage=gettext_noop("started"), progress=1)
    try:
        result = body(job)
    except (JobRefused, StoredModelError) as refused:
        why: dict[str, Any] = {"problems": refused.problems}
        if isinstance(refused, StoredModelError):
            why = {
                "problems": stored_model_problems(refused),
                REFUSED_AT_VERSION: ElementVersion.newest_of(job.factory_id),
            }
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            stage=gettext_noop("refused"),
            result=why,
            finished_at=timezone.now(),
            upload=None,
        )
        return
    except Exception as error:  # the job row must say why it failed; the worker logs the traceback
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, stage=f"{type(error).__name__}: {error}"[:200], finished_at=timezone.now()
        )
        raise
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE,
        stage=gettext_noop("done"),
        progress=100,
        result=result,
        finished_at=timezone.now(),
        upload=None,
    )
