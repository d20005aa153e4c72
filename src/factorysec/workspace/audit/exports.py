"""Findings and actions (missing measures per finding) as rows for trackers: CSV and xlsx. Renders only."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from factorysec.analysis.assessment import Assessment
from factorysec.model.sheet_names import keep_as_text

FINDING_COLUMNS = (
    "id",
    "rule",
    "reference",
    "category",
    "level",
    "subject_kind",
    "subject_id",
    "title",
    "rationale",
    "decision",
    "decision_owner",
    "review_by",
)
ACTION_COLUMNS = (
    "finding",
    "rule",
    "subject_kind",
    "subject_id",
    "measure",
    "measure_title",
    "state",
    "risk_level",
    "residual_level",
)


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection): CSV has no way to mark text as text,
    so a leading ``'`` is added; the xlsx export marks the cell instead and keeps the text exact (see `as_xlsx`)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def finding_rows(assessment: Assessment, lang: str = "en") -> list[tuple[str, ...]]:
    levels = {r.finding: r.level for r in assessment.risks}
    decided = {d.finding: d for d in assessment.decisions}
    rows: list[tuple[str, ...]] = []
    for f in assessment.findings:
        d = decided.get(f.id)
        rows.append(
            (
                f.id,
                f.rule,
                f.reference,
                f.category,
                levels.get(f.id, ""),
                f.subject.kind,
                f.subject.id,
                f.title.get(lang),
                f.rationale.get(lang),
                d.status if d else "",
                d.owner if d else "",
                d.review_by or "" if d else "",
            )
        )
    return rows


def action_rows(assessment: Assessment, measure_titles: dict[str, str]) -> list[tuple[str, ...]]:
    """One row per measure a finding needs that is missing, partial or only planned."""
    rows: list[tuple[str, ...]] = []
    for gap in assessment.gaps:
        for state, measures in (("missing", gap.missing), ("partial", gap.partial), ("planned", gap.planned)):
            for measure in measures:
                rows.append(
                    (
                        gap.finding,
                        gap.finding_rule,
                        gap.subject.kind,
                        gap.subject.id,
                        measure,
                        measure_titles.get(measure, measure),
                        state,
                        gap.level or "",
                        gap.residual_level or "",
                    )
                )
    return rows


def as_csv(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return buffer.getvalue()


def as_xlsx(sheet: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    book = Workbook()
    page = book.active
    assert page is not None
    page.title = sheet
    page.append(list(columns))
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            keep_as_text(page.cell(row=number, column=column, value="" if value is None else str(value)))
    page.freeze_panes = "A2"
    page.auto_filter.ref = page.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
