"""The body of a vulnerability job: the advisories (uploaded, or the configured folder) matched to the stored model.

The same intake as ``factorysec analyze --advisories``: the analysis of the
stored model with the factory's recorded decisions, the CSAF advisories and,
when ``FACTORYSEC_KEV_PATH`` is set, CISA's KEV catalog; the open (asset, CVE)
decisions are stored ranked, most urgent first. An upload is one CSAF ``.json``
file or a ``.zip`` of them; without one the job reads
``FACTORYSEC_ADVISORIES_PATH``. SBOMs named by asset identities are not read
here (the stored model has no folder beside it); the CLI reads them.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_noop

from factorysec.analysis import analyze
from factorysec.catalog import load_catalog
from factorysec.catalog.vulnerability import load_vulnerability_catalog
from factorysec.vulnerability.csaf import read_advisories
from factorysec.vulnerability.findings import with_vulnerabilities
from factorysec.vulnerability.intake import assess_vulnerabilities
from factorysec.vulnerability.kev import KevError, read_kev
from factorysec.workspace.factories.jobs import JobRefused, report_progress
from factorysec.workspace.factories.models import Job
from factorysec.workspace.factories.store import factory_model
from factorysec.workspace.results.analysis import decisions_of
from factorysec.workspace.vulnerabilities.models import StoredVulnerability
from factorysec.zipped import DAMAGED_ZIP_ERRORS

BATCH = 2000
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
"""Largest total size of the .json members of an uploaded zip (CISA's whole set is about 50 MB)."""


def unpack(name: str, data: bytes, folder: Path) -> None:
    """Write the uploaded advisory (``.json``) or the ``.json`` members of an uploaded ``.zip`` into ``folder``.

    Member names never reach the file system: each is written under a numbered
    name, so a member called ``../x.json`` cannot land outside ``folder``.
    Raises :class:`JobRefused` with one line for anything else.
    """
    if not name.lower().endswith(".zip"):
        if not name.lower().endswith(".json"):
            raise JobRefused([f"{name}: expected a CSAF .json file or a .zip of them"])
        (folder / "0-advisory.json").write_bytes(data)
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except DAMAGED_ZIP_ERRORS as error:
        raise JobRefused([f"{name}: not a readable zip file ({type(error).__name__})"]) from None
    members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".json")]
    if not members:
        raise JobRefused([f"{name}: the zip holds no .json advisory"])
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise JobRefused([f"{name}: the .json files unpack to more than {MAX_UNPACKED_BYTES // 2**20} MB"])
    for position, member in enumerate(members):
        safe = PurePosixPath(member.filename).name.replace("\\", "_") or "advisory.json"
        try:
            unpacked = archive.read(member)
        except DAMAGED_ZIP_ERRORS as error:
            raise JobRefused([f"{name}: {member.filename}: damaged in the zip ({type(error).__name__})"]) from None
        (folder / f"{position}-{safe}").write_bytes(unpacked)


def run_vulnerabilities(job: Job) -> dict[str, Any]:
    """Read the advisories and KEV, analyse the stored model, match, and store the open findings ranked."""
    configured = str(getattr(settings, "FACTORYSEC_ADVISORIES_PATH", "") or "")
    report_progress(job, gettext_noop("reading the advisories"), 5)
    with tempfile.TemporaryDirectory(prefix="factorysec-advisories-") as temporary:
        if job.upload:
            source = job.upload_name or "upload"
            unpack(source, bytes(job.upload), Path(temporary))
            read = read_advisories([Path(temporary)])
            problems = [p.replace(temporary + "/", f"{source}: ") for p in read.problems]
        elif configured:
            source = configured
            if not Path(configured).exists():
                raise JobRefused([f"FACTORYSEC_ADVISORIES_PATH: {configured} does not exist"])
            read = read_advisories([Path(configured)])
            problems = list(read.problems)
        else:
            raise JobRefused(
                ["no advisories: upload a CSAF .json or a .zip of them, or set FACTORYSEC_ADVISORIES_PATH"]
            )
    if not read.advisories:
        raise JobRefused([f"{source}: no CSAF advisory could be read", *problems[:20]])
    kev_path = str(getattr(settings, "FACTORYSEC_KEV_PATH", "") or "")
    try:
        kev = read_kev(Path(kev_path)) if kev_path else None
    except KevError as error:
        raise JobRefused([f"FACTORYSEC_KEV_PATH: {error}"]) from None
    report_progress(job, f"analysing the model and matching {len(read.advisories)} advisories", 30)
    model = factory_model(job.factory)
    decisions = decisions_of(job.factory)
    today = dt.date.today()
    assessment = analyze(model, load_catalog(), today=today, decisions=decisions)
    report = assess_vulnerabilities(
        model,
        assessment,
        read.advisories,
        load_vulnerability_catalog(),
        kev=kev,
        advisory_files=read.files,
        advisory_problems=problems,
        decisions=decisions,
    )
    assessment = with_vulnerabilities(assessment, report, decisions, today)
    by_id = {f.id: f for f in assessment.findings if f.category == "vulnerability"}
    assets = {a.id: a for a in model.assets}
    rows = []
    for position, entry in enumerate(assessment.vulnerabilities):
        finding = by_id[entry.finding]
        asset = assets[entry.subject.id]
        rows.append(
            StoredVulnerability(
                job=job,
                position=position,
                finding=entry.finding,
                rule=entry.finding_rule,
                reference=finding.reference[:300],
                asset=asset.id,
                zone=entry.zone or "",
                supplier=asset.supplier or "",
                maintainer=asset.maintainer or "",
                managed_by=asset.managed_by or "",
                cve=entry.cve,
                state=entry.state,
                priority=entry.priority,
                level=entry.level,
                cvss=entry.cvss_score,
                in_kev=entry.in_kev,
                advisories=", ".join(entry.advisories)[:1000],
                title_en=finding.title.get("en"),
                title_ja=finding.title.get("ja"),
                rationale_en=finding.rationale.get("en"),
                rationale_ja=finding.rationale.get("ja"),
            )
        )
    report_progress(job, f"storing {len(rows)} vulnerability findings", 80)
    StoredVulnerability.objects.bulk_create(rows, batch_size=BATCH)
    previous = Job.objects.filter(factory=job.factory, kind=Job.Kind.VULNERABILITIES).exclude(pk=job.pk)
    StoredVulnerability.objects.filter(job__in=previous).delete()
    return {
        "source": source,
        "advisories_read": len(read.advisories),
        "advisory_files": read.files,
        "problems": problems[:50],
        "kev": report.kev_version or "",
        "findings": len(rows),
        "counts": report.counts(),
        "by_level": {
            level: sum(1 for e in assessment.vulnerabilities if e.level == level)
            for level in ("critical", "high", "medium", "low")
        },
    }
