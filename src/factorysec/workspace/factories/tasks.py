"""Tasks of the factories app: importing an uploaded model file (YAML or workbook) after ``check`` passes on it."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_noop
from django_tasks import task

from factorysec.catalog import load_catalog
from factorysec.model import ModelInputError, load_model_with_sources
from factorysec.model.workbook import workbook_notes
from factorysec.problems import say
from factorysec.workspace.factories.jobs import JobRefused, report_progress, run_job
from factorysec.workspace.factories.models import Job
from factorysec.workspace.factories.store import import_model

SUFFIXES = (".yaml", ".yml", ".xlsx")
"""What an uploaded model file may end with (a workbook, else YAML)."""


def local_name(name: str) -> str:
    """The name the uploaded file ``name`` is written under in the job's temporary folder: ``model`` and its suffix.

    The upload's own name is only shown: it may be longer than a file name may be (255 bytes on Linux, 200 ``é`` are
    400), hold characters a file system refuses, or name a path; the suffix alone decides how the file is read.
    """
    suffix = Path(name).suffix.lower()
    return "model" + (suffix if suffix in SUFFIXES else ".yaml")


def _import(job: Job) -> dict[str, Any]:
    name = Path(job.upload_name or "model.yaml").name
    with tempfile.TemporaryDirectory(prefix="factorysec-import-") as folder:
        target = Path(folder) / local_name(name)
        report_progress(job, gettext_noop("checking the model"), 20)
        try:
            target.write_bytes(bytes(job.upload or b""))
            loaded = load_model_with_sources(target, load_catalog())
        except ModelInputError as error:
            raise JobRefused([p.render(job.lang).replace(str(target), name) for p in error.problems]) from None
        except OSError as error:  # the server's own path never reaches the page, only the upload's name
            raise JobRefused([f"{name}: could not be read ({error.strerror or type(error).__name__})"]) from None
        # A workbook exported by an older factorysec says which fields it predates (they take their defaults).
        notes = [say(note, job.lang).replace(str(target), name) for note in workbook_notes(loaded.sources)]
    report_progress(job, gettext_noop("storing the elements"), 60)
    changed = import_model(job.factory, loaded.model, job.created_by, f"import {name}")
    return {"changed": changed, "name": name, "notes": notes}


@task()
def import_model_file(job_id: int) -> None:
    """Replace the factory's model by the job's uploaded file."""
    run_job(job_id, _import)
