"""The vulnerability job on the database-backed task queue."""

from __future__ import annotations

from django_tasks import task

from factorysec.workspace.factories.jobs import run_job
from factorysec.workspace.vulnerabilities.analysis import run_vulnerabilities


@task()
def assess_vulnerabilities_job(job_id: int) -> None:
    """Match the job's advisories to the factory's stored model and store the open findings."""
    run_job(job_id, run_vulnerabilities)
