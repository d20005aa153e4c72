"""The PDCA review of Step 3: is the plan reviewed often enough, and after the model changed?

The review records carry the digest of the model they reviewed; comparing it
with the current digest tells whether the model changed since. A
smartification change (elements marked new or changed) should have its own
review triggered by ``smartification-change`` covering the current model.
"""

from __future__ import annotations

import datetime as dt
from itertools import chain

from pydantic import BaseModel, ConfigDict

from factorysec.analysis.findings import Finding, Subject, text
from factorysec.analysis.lifecycle.rules import (
    PDCA_CHANGE_UNREVIEWED,
    PDCA_NO_REVIEW,
    PDCA_OVERDUE,
    PDCA_STALE,
)
from factorysec.model.entities import Asset, Conduit, FactoryModel, Lifecycle, Operation, ReviewRecord, Zone

SMARTIFICATION_TRIGGER = "smartification-change"


class PdcaStatus(BaseModel):
    """Where the PDCA review stands on ``today`` (None: the review's age is not judged)."""

    model_config = ConfigDict(frozen=True)
    today: dt.date | None
    interval_days: int
    last_review: str | None
    last_review_date: dt.date | None
    days_since: int | None
    due: dt.date | None
    overdue: bool
    digest_current: str
    digest_reviewed: str | None
    changed_since_review: bool | None
    changed_elements: tuple[str, ...]
    last_change_review: str | None
    change_reviewed: bool


def _latest(reviews: list[ReviewRecord]) -> ReviewRecord | None:
    return max(enumerate(reviews), key=lambda pair: (pair[1].date, pair[0]))[1] if reviews else None


def changed_elements(model: FactoryModel) -> tuple[str, ...]:
    """Ids of operations, assets, zones and conduits that smartification adds or changes."""
    existing = Lifecycle.EXISTING
    elements: chain[Operation | Asset | Zone | Conduit] = chain(
        model.operations, model.assets, model.zones, model.conduits
    )
    return tuple(element.id for element in elements if element.status is not existing)


def _change_reviewed(review: ReviewRecord | None, digest: str) -> bool:
    """A change review counts when it names no digest (nothing to compare) or the current one."""
    return review is not None and (review.model_digest is None or review.model_digest == digest)


def _due(last: dt.date, interval: int) -> dt.date:
    """When the next review is due; the calendar's last day for a review dated so late that it falls past it."""
    try:
        return last + dt.timedelta(days=interval)
    except OverflowError:
        return dt.date.max


def build_pdca(model: FactoryModel, digest: str, today: dt.date | None) -> PdcaStatus:
    last = _latest(model.reviews)
    interval = model.factory.review_interval_days
    changes = changed_elements(model)
    last_change = _latest([r for r in model.reviews if r.trigger == SMARTIFICATION_TRIGGER])
    days = (today - last.date).days if last and today else None
    return PdcaStatus(
        today=today,
        interval_days=interval,
        last_review=last.id if last else None,
        last_review_date=last.date if last else None,
        days_since=days,
        due=_due(last.date, interval) if last else None,
        overdue=days is not None and days > interval,
        digest_current=digest,
        digest_reviewed=last.model_digest if last else None,
        changed_since_review=(last.model_digest != digest) if last and last.model_digest else None,
        changed_elements=changes,
        last_change_review=last_change.id if last_change else None,
        change_reviewed=not changes or _change_reviewed(last_change, digest),
    )


def pdca_findings(model: FactoryModel, status: PdcaStatus) -> list[Finding]:
    """S3-PDCA-NO-REVIEW, -OVERDUE, -STALE and -CHANGE-UNREVIEWED on the factory."""
    factory = Subject(kind="factory", id=model.factory.id)
    findings = []
    if status.last_review is None:
        findings.append(
            PDCA_NO_REVIEW.finding(
                factory,
                text(
                    f"No review is recorded; review Steps 1 to 3 at least every {status.interval_days} days and record it under 'reviews' with the model digest",
                    f"見直しの記録がない。少なくとも {status.interval_days} 日ごとにステップ1〜3を見直し、モデルのダイジェストとともに 'reviews' に記録する",
                ),
            )
        )
    if status.overdue:
        findings.append(
            PDCA_OVERDUE.finding(
                factory,
                text(
                    f"The last review '{status.last_review}' on {status.last_review_date} is {status.days_since} days old, past the {status.interval_days}-day interval (due {status.due})",
                    f"最後の見直し「{status.last_review}」（{status.last_review_date}）から {status.days_since} 日が経ち、見直し間隔 {status.interval_days} 日を過ぎている（期限 {status.due}）",
                ),
                related=[status.last_review] if status.last_review else [],
            )
        )
    if status.changed_since_review:
        findings.append(
            PDCA_STALE.finding(
                factory,
                text(
                    f"The model changed after review '{status.last_review}' (reviewed digest {status.digest_reviewed}, now {status.digest_current}); review what changed",
                    f"見直し「{status.last_review}」の後にモデルが変わっている（見直し時のダイジェスト {status.digest_reviewed}、現在 {status.digest_current}）。変更点を見直す",
                ),
                related=[status.last_review] if status.last_review else [],
            )
        )
    if not status.change_reviewed:
        shown = ", ".join(status.changed_elements[:8]) + (" ..." if len(status.changed_elements) > 8 else "")
        findings.append(
            PDCA_CHANGE_UNREVIEWED.finding(
                factory,
                text(
                    f"{len(status.changed_elements)} elements are new or changed by smartification ({shown}) and no review triggered by 'smartification-change' covers the current model; go back to Step 1 for them",
                    f"スマート化で新規・変更の要素が {len(status.changed_elements)} 件ある（{shown}）が、現在のモデルを対象とした、きっかけが「スマート化による変更」の見直しがない。これらについてステップ1から見直す",
                ),
                related=status.changed_elements,
            )
        )
    return findings
