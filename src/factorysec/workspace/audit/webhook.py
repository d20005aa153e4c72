"""The webhook: one JSON POST to ``FACTORYSEC_WEBHOOK_URL`` for new high or critical risks, and for decisions that fell due.

Payload (version 1), documented in docs/workspace.md ("Out to trackers")::

    {"event": "high-risks" | "decisions-due", "version": 1, "factory": slug, "factory_name": ...,
     "model_digest": ..., "sent_at": ISO time, "items": [...]}

An item of ``high-risks``: finding, rule, reference, level, subject {kind, id}, zone, title.
An item of ``decisions-due``: finding, status, owner, review_by, justification.
Each risk and each due date is announced once; a failed POST is logged in the
audit log and tried again at the next sweep. A factory whose stored model this
version's check refuses (a database an older version wrote) is skipped with one
warning: nothing of it is announced, nor marked announced, until its elements
are corrected in the workspace.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from factorysec.analysis.assessment import Assessment
from factorysec.workspace.audit.models import AnnouncedRisk, Decision
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.factories.store import StoredModelError, refusal_summary

HIGH_LEVELS = ("high", "critical")
logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


def webhook_url() -> str:
    return str(getattr(settings, "FACTORYSEC_WEBHOOK_URL", "") or "")


@dataclass(frozen=True)
class Sent:
    event: str
    items: int
    status: int | None
    error: str | None = None


def _post(url: str, payload: dict[str, Any]) -> tuple[int | None, str | None]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, body, {"Content-Type": "application/json", "User-Agent": "factorysec-webhook/1"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (an administrator's setting)
            return int(response.status), None
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        return None, str(getattr(error, "reason", error))


def _payload(event: str, factory: Factory, digest: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "event": event,
        "version": 1,
        "factory": factory.slug,
        "factory_name": factory.name,
        "model_digest": digest,
        "sent_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "items": items,
    }


def _send(event: str, factory: Factory, digest: str, items: list[dict[str, Any]]) -> Sent:
    from factorysec.workspace.audit.log import record

    url = webhook_url()
    status, error = _post(url, _payload(event, factory, digest, items))
    record(
        "webhook-sent" if error is None else "webhook-failed",
        actor="system",
        factory=factory,
        subject=event,
        detail={"items": len(items), "status": status, "error": error},
        digest=digest,
    )
    return Sent(event, len(items), status, error)


def new_high_risks(factory: Factory, assessment: Assessment) -> list[dict[str, Any]]:
    """High and critical risks not announced before (residual level where measures are in place)."""
    residual = {g.finding: g.residual_level for g in assessment.gaps if g.residual_level is not None}
    announced = set(AnnouncedRisk.objects.filter(factory=factory).values_list("finding", flat=True))
    titles = {f.id: f.title.en for f in assessment.findings}
    items = []
    for risk in assessment.risks:
        level = residual.get(risk.finding, risk.level)
        if level in HIGH_LEVELS and risk.finding not in announced:
            items.append(
                {
                    "finding": risk.finding,
                    "rule": risk.finding_rule,
                    "reference": risk.finding_reference,
                    "level": level,
                    "subject": {"kind": risk.subject.kind, "id": risk.subject.id},
                    "zone": risk.zone,
                    "title": titles.get(risk.finding, ""),
                }
            )
    return items


def due_decisions(factory: Factory, today: dt.date) -> list[Decision]:
    """Decisions whose ``review_by`` date has passed."""
    return list(Decision.objects.filter(factory=factory, review_by__lt=today).order_by("review_by", "finding"))


def skipped_warning(error: StoredModelError) -> str:
    """The one line logged for a factory the sweep skips: its stored model does not pass (how many problems, the first)."""
    return (
        f"webhook: factory '{error.factory.slug}' skipped: {refusal_summary(error.problems)}; nothing is announced for "
        "it until the elements are corrected in the workspace"
    )


def sweep(factory: Factory, today: dt.date | None = None) -> list[Sent]:
    """Announce what is new since the last sweep: high risks of the stored model, decisions fallen due. Nothing is sent
    without a URL, nor for a factory whose stored model does not pass this version's check (one warning is logged)."""
    from factorysec.workspace.results.analysis import assess

    if not webhook_url():
        return []
    today = today or dt.date.today()
    sent: list[Sent] = []
    try:
        assessment = assess(factory, today)
    except StoredModelError as error:
        logger.warning("%s", skipped_warning(error))
        return []
    risks = new_high_risks(factory, assessment)
    if risks:
        result = _send("high-risks", factory, assessment.model_digest, risks)
        sent.append(result)
        if result.error is None:
            with transaction.atomic():
                for item in risks:
                    AnnouncedRisk.objects.get_or_create(
                        factory=factory, finding=item["finding"], defaults={"level": item["level"]}
                    )
    due = [d for d in due_decisions(factory, today) if d.notified_due != d.review_by]
    if due:
        items = [
            {
                "finding": d.finding,
                "status": d.status,
                "owner": d.owner,
                "review_by": d.review_by.isoformat() if d.review_by else None,
                "justification": d.justification,
            }
            for d in due
        ]
        result = _send("decisions-due", factory, assessment.model_digest, items)
        sent.append(result)
        if result.error is None:
            for decision in due:
                Decision.objects.filter(pk=decision.pk).update(notified_due=decision.review_by)
    return sent
