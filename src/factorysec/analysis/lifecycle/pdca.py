"""The PDCA review of Step 3: is the plan reviewed often enough, and after the model changed?

The review records carry the digest of the model they reviewed; comparing it
with the current digest tells whether the model changed since. A
smartification change (elements marked new or changed) should have its own
review triggered by ``smartification-change`` covering the current model.

A review may name the digest earlier factorysec builds printed
(:func:`~factorysec.model.loader.earlier_model_digest`: every field hashed,
those left at their default included, so each new field changed it). It
names this same model, so it counts, and :attr:`PdcaStatus.earlier_scheme_reviews`
lists it, for the report to ask for the digest printed now at the next
review. An earlier-scheme digest of any other model does not count.
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
from factorysec.model.loader import earlier_model_digest

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
    earlier_scheme_reviews: tuple[str, ...] = ()
    """The last review and the last change review, when they count by naming this model's digest of the earlier scheme."""


def _latest(reviews: list[ReviewRecord]) -> ReviewRecord | None:
    return max(enumerate(reviews), key=lambda pair: (pair[1].date, pair[0]))[1] if reviews else None


def changed_elements(model: FactoryModel) -> tuple[str, ...]:
    """Ids of operations, assets, zones and conduits that smartification adds or changes."""
    existing = Lifecycle.EXISTING
    elements: chain[Operation | Asset | Zone | Conduit] = chain(
        model.operations, model.assets, model.zones, model.conduits
    )
    return tuple(element.id for element in elements if element.status is not existing)


class _Digests:
    """The model's digest, and the earlier scheme's, worked out only when a review names a digest other than the current one."""

    def __init__(self, model: FactoryModel, current: str) -> None:
        self.model, self.current = model, current
        self._earlier: str | None = None

    def earlier(self) -> str:
        if self._earlier is None:
            self._earlier = earlier_model_digest(self.model)
        return self._earlier

    def names_this_model(self, recorded: str) -> bool:
        """Whether a recorded digest is this model's, in the current scheme or the earlier one."""
        return recorded == self.current or recorded == self.earlier()

    def of_earlier_scheme(self, review: ReviewRecord | None) -> bool:
        """Whether ``review`` names this model by its earlier-scheme digest (and not by the current one)."""
        recorded = review.model_digest if review else None
        return recorded is not None and recorded != self.current and recorded == self.earlier()


def _change_reviewed(review: ReviewRecord | None, digests: _Digests) -> bool:
    """A change review counts when it names no digest (nothing to compare) or this model's, in either scheme."""
    return review is not None and (review.model_digest is None or digests.names_this_model(review.model_digest))


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
    digests = _Digests(model, digest)
    judged = (last, last_change if changes else None)
    earlier_scheme = dict.fromkeys(review.id for review in judged if review and digests.of_earlier_scheme(review))
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
        changed_since_review=not digests.names_this_model(last.model_digest) if last and last.model_digest else None,
        changed_elements=changes,
        last_change_review=last_change.id if last_change else None,
        change_reviewed=not changes or _change_reviewed(last_change, digests),
        earlier_scheme_reviews=tuple(earlier_scheme),
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
