"""Tasks of the factories app: importing an uploaded model file (YAML or workbook) after ``check`` passes on it."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django_tasks import task

from factorysec.catalog import load_catalog
from factorysec.model import ModelInputError, load_model_with_sources
from factorysec.workspace.factories.jobs import JobRefused, report_progress, run_job
from factorysec.workspace.factories.models import Job
from factorysec.workspace.factories.store import import_model


def _import(job: Job) -> dict[str, Any]:
    name = Path(job.upload_name or "model.yaml").name
    with tempfile.TemporaryDirectory(prefix="factorysec-import-") as folder:
        target = Path(folder) / name
        target.write_bytes(bytes(job.upload or b""))
        report_progress(job, "checking the model", 20)
        try:
            model = load_model_with_sources(target, load_catalog()).model
        except ModelInputError as error:
            raise JobRefused([str(p).replace(str(target), name) for p in error.problems]) from None
    report_progress(job, "storing the elements", 60)
    changed = import_model(job.factory, model, job.created_by, f"import {name}")
    return {"changed": changed, "name": name}


@task()
def import_model_file(job_id: int) -> None:
    """Replace the factory's model by the job's uploaded file."""
    run_job(job_id, _import)
