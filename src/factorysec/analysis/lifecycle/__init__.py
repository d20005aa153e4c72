"""Step 3: lifecycle and supply chain (Appendix 3.3).

:func:`assess_lifecycle` is pure: it reads the model, the catalog, the
importance already computed and the date of the run, and returns one
:class:`LifecycleReport` with the checklists, responsibility matrices, OODA
roles, maturity, PDCA status and the gap findings they give rise to.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from factorysec.analysis.findings import Finding
from factorysec.analysis.importance import ImportanceResult
from factorysec.analysis.lifecycle.checklists import (
    Checklist,
    ChecklistEntry,
    ChecklistReport,
    OpenItem,
    build_checklists,
    checklist_findings,
    checklist_kinds,
)
from factorysec.analysis.lifecycle.maturity import (
    MaturityStatus,
    build_maturity,
    maturity_findings,
)
from factorysec.analysis.lifecycle.ooda import OodaCell, build_ooda, ooda_findings
from factorysec.analysis.lifecycle.pdca import PdcaStatus, build_pdca, pdca_findings
from factorysec.analysis.lifecycle.responsibility import (
    AREA_LABELS,
    AREAS,
    ResponsibilityCell,
    ResponsibilityMatrix,
    build_responsibilities,
    responsibility_findings,
    subcontract_findings,
)
from factorysec.analysis.lifecycle.rules import LIFECYCLE_RULES, LIFECYCLE_RULES_BY_ID
from factorysec.catalog import Catalog
from factorysec.model.entities import FactoryModel
from factorysec.model.loader import model_digest


class LifecycleReport(BaseModel):
    """Everything Step 3 works out about one model; ``findings`` are its gaps, sorted by rule then id."""

    model_config = ConfigDict(frozen=True)
    checklists: ChecklistReport
    responsibilities: tuple[ResponsibilityMatrix, ...]
    ooda: tuple[OodaCell, ...]
    maturity: tuple[MaturityStatus, ...]
    pdca: PdcaStatus
    findings: tuple[Finding, ...]


def assess_lifecycle(
    model: FactoryModel,
    catalog: Catalog,
    importance: ImportanceResult,
    today: dt.date | None,
    digest: str | None = None,
) -> LifecycleReport:
    """Step 3 for one model on ``today``; ``digest`` saves recomputing the model digest when the caller has it.

    With ``today`` None the age of the last review is not judged (no S3-PDCA-OVERDUE).
    """
    checklists = build_checklists(model, catalog, importance)
    responsibilities = build_responsibilities(model)
    ooda = build_ooda(model, catalog)
    maturity = build_maturity(model, catalog)
    pdca = build_pdca(model, digest or model_digest(model), today)
    findings = [
        *checklist_findings(checklists),
        *responsibility_findings(responsibilities),
        *subcontract_findings(model, responsibilities),
        *ooda_findings(model, catalog, ooda),
        *maturity_findings(model, maturity),
        *pdca_findings(model, pdca),
    ]
    order = {rule.id: position for position, rule in enumerate(LIFECYCLE_RULES)}
    return LifecycleReport(
        checklists=checklists,
        responsibilities=responsibilities,
        ooda=ooda,
        maturity=maturity,
        pdca=pdca,
        findings=tuple(sorted(findings, key=lambda f: (order[f.rule], f.id))),
    )


__all__ = [
    "AREAS",
    "AREA_LABELS",
    "LIFECYCLE_RULES",
    "LIFECYCLE_RULES_BY_ID",
    "Checklist",
    "ChecklistEntry",
    "ChecklistReport",
    "LifecycleReport",
    "MaturityStatus",
    "OodaCell",
    "OpenItem",
    "PdcaStatus",
    "ResponsibilityCell",
    "ResponsibilityMatrix",
    "assess_lifecycle",
    "checklist_kinds",
]
