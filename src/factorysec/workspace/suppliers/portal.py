"""What a supplier sees and does: its checklists and responsibility matrix, its open items ranked as ``factorysec checklist`` ranks them, its answers.

A vendor account stands for one party. It sees the checklists of assets its
party supplies, maintains or runs, and those of its declared subcontractors
(parties whose ``subcontractor_of`` is it) — not a subcontractor's own
subcontractors, nor any other party. It answers only for its own party.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from factorysec.analysis.assessment import Assessment
from factorysec.analysis.lifecycle.checklists import Checklist, OpenItem
from factorysec.analysis.lifecycle.responsibility import ResponsibilityMatrix
from factorysec.model.entities import FactoryModel
from factorysec.problems import say
from factorysec.workspace.accounts.permissions import UserLike
from factorysec.workspace.audit.log import record
from factorysec.workspace.factories.models import Element, Factory, Job
from factorysec.workspace.factories.sections import reader_language
from factorysec.workspace.factories.store import StoredModelError, StoreError, refusal_summary, save_element
from factorysec.workspace.factories.validators import uncarriable_in
from factorysec.workspace.suppliers.models import AnswerState, StoredPartyView, SupplierAnswer

logger = logging.getLogger(__name__)

ANSWERS = ("yes", "no", "not-applicable", "unknown")
REVIEW_COMMENT_MAX_LENGTH = 2000
"""The longest comment a verdict keeps (its column)."""
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_MAGIC = {
    ".pdf": b"%PDF-",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".xlsx": b"PK\x03\x04",
}


class AnswerError(ValueError):
    """An answer refused: ``field`` names the input, ``message`` says why."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


class AnswerStateError(AnswerError):
    """A verdict on an answer that no longer waits for one (already accepted or questioned): a conflict, not bad input."""


@dataclass(frozen=True)
class PartyView:
    """One party's share of the model: its own assets, its declared subcontractors, their checklists, matrices and ranked open items."""

    party: str
    subcontractors: tuple[str, ...]
    own_assets: frozenset[str]
    checklists: tuple[Checklist, ...]
    answerable: frozenset[tuple[str, str]]
    responsibilities: tuple[ResponsibilityMatrix, ...]
    open_items: tuple[OpenItem, ...]


def attachment_limit() -> int:
    return int(getattr(settings, "FACTORYSEC_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024))


def _assets_of(model: FactoryModel, parties: set[str]) -> set[str]:
    return {a.id for a in model.assets if parties & {a.supplier, a.maintainer, a.managed_by}}


def party_view(model: FactoryModel, assessment: Assessment, party: str) -> PartyView:
    subcontractors = tuple(p.id for p in model.parties if p.subcontractor_of == party)
    own = _assets_of(model, {party})
    visible_assets = own | _assets_of(model, set(subcontractors))
    visible_parties = {party, *subcontractors}
    checklists = tuple(
        c for c in assessment.lifecycle.checklists.checklists if c.asset in visible_assets or c.party in visible_parties
    )
    answerable = frozenset(
        (c.asset, e.item) for c in checklists if c.asset in own or c.party == party for e in c.entries
    )
    matrices = tuple(
        m for m in assessment.lifecycle.responsibilities if m.subject in visible_assets or m.party in visible_parties
    )
    open_items = tuple(i for i in assessment.lifecycle.checklists.open_items if i.asset in visible_assets)
    return PartyView(party, subcontractors, frozenset(own), checklists, answerable, matrices, open_items)


def view_data(view: PartyView) -> dict[str, Any]:
    """The view as JSON, as :class:`~factorysec.workspace.suppliers.models.StoredPartyView` keeps it."""
    return {
        "party": view.party,
        "subcontractors": list(view.subcontractors),
        "own_assets": sorted(view.own_assets),
        "checklists": [c.model_dump(mode="json") for c in view.checklists],
        "answerable": sorted([subject, item] for subject, item in view.answerable),
        "responsibilities": [m.model_dump(mode="json") for m in view.responsibilities],
        "open_items": [i.model_dump(mode="json") for i in view.open_items],
    }


def view_from_data(data: dict[str, Any]) -> PartyView:
    return PartyView(
        str(data["party"]),
        tuple(data["subcontractors"]),
        frozenset(data["own_assets"]),
        tuple(Checklist.model_validate(c) for c in data["checklists"]),
        frozenset((subject, item) for subject, item in data["answerable"]),
        tuple(ResponsibilityMatrix.model_validate(m) for m in data["responsibilities"]),
        tuple(OpenItem.model_validate(i) for i in data["open_items"]),
    )


def empty_view(party: str) -> PartyView:
    """What a party the model does not name sees: nothing."""
    return PartyView(party, (), frozenset(), (), frozenset(), (), ())


def store_party_views(job: Job, model: FactoryModel, assessment: Assessment) -> int:
    """Keep every party's share of the analysis ``job`` made (called by the analysis job; those of earlier jobs go)."""
    StoredPartyView.objects.filter(factory=job.factory, job__isnull=False).exclude(job=job).delete()
    StoredPartyView.objects.bulk_create(
        [
            StoredPartyView(
                factory=job.factory, job=job, party=p.id, data=view_data(party_view(model, assessment, p.id))
            )
            for p in model.parties
        ],
        batch_size=200,
    )
    return len(model.parties)


@dataclass(frozen=True)
class LiveShare:
    """The party's share of the latest finished analysis (None while the first one is still queued or running)."""

    view: PartyView | None
    analysed: Job | None
    pending: Job | None
    held: bool = False
    """No analysis has finished and the last one was refused on the model as it stands (it does not pass the check):
    nothing is queued until the factory's team corrects it."""


def live_share(factory: Factory, party: str, user: UserLike, lang: str) -> LiveShare:
    """The party's share as the latest analysis job stored it; when none has finished, an analysis is queued (once)
    and the portal says it is being prepared, unless the last one was refused on the stored model as it still stands
    (then the share is held: a job queued at each visit would be refused again). Nothing is analysed in the request."""
    from factorysec.workspace.factories.jobs import latest_analysis, refused_on_this_model
    from factorysec.workspace.results.tasks import queue_analysis

    latest = latest_analysis(factory)
    pending = None
    if latest is None:
        if refused_on_this_model(factory, Job.Kind.ANALYSIS):
            return LiveShare(None, None, None, held=True)
        pending = queue_analysis(factory, user, lang)
        latest = latest_analysis(factory)  # the queue may run it at once (tests, scripts)
        if latest is None:
            return LiveShare(None, None, pending)
    stored = StoredPartyView.objects.filter(job=latest, party=party).values_list("data", flat=True).first()
    return LiveShare(view_from_data(stored) if stored is not None else empty_view(party), latest, None)


def store_change_views(change: Any, after: FactoryModel, after_assessment: Assessment, brought: set[str]) -> None:
    """Keep, for each party that must sign ``change`` off, its share of the checklists the draft brings (called when
    the draft's review is refreshed, so the portal does not review the draft again)."""
    StoredPartyView.objects.filter(change=change).delete()
    rows = []
    for approver in change.approvers:
        if approver["kind"] != "party":
            continue
        view = party_view(after, after_assessment, approver["id"])
        checklists = tuple(c for c in view.checklists if c.asset in brought)
        limited = PartyView(
            view.party,
            view.subcontractors,
            view.own_assets,
            checklists,
            frozenset(pair for pair in view.answerable if pair[0] in brought),
            view.responsibilities,
            tuple(i for i in view.open_items if i.asset in brought),
        )
        rows.append(
            StoredPartyView(
                factory=change.factory,
                change=change,
                revision=change.revision,
                party=view.party,
                data=view_data(limited),
            )
        )
    StoredPartyView.objects.bulk_create(rows)


def check_attachment(name: str, content: bytes) -> str:
    """The content type of an acceptable attachment; :class:`AnswerError` for one too big, of a type not allowed, or not what its name says."""
    from pathlib import PurePath

    if len(content) > attachment_limit():
        raise AnswerError("attachment", _("larger than the %(limit)s bytes allowed") % {"limit": attachment_limit()})
    suffix = PurePath(name).suffix.lower()
    if suffix not in ATTACHMENT_TYPES:
        raise AnswerError(
            "attachment",
            _("'%(kind)s' files are not accepted; use %(kinds)s")
            % {"kind": suffix or name, "kinds": ", ".join(sorted(ATTACHMENT_TYPES))},
        )
    magic = _MAGIC.get(suffix)
    if magic is not None and not content.startswith(magic):
        raise AnswerError(
            "attachment", _("the file is not a %(kind)s file (its first bytes do not match)") % {"kind": suffix}
        )
    if suffix in (".txt", ".csv"):
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as error:
            raise AnswerError("attachment", _("byte %(byte)s: not UTF-8 text") % {"byte": error.start}) from None
    return ATTACHMENT_TYPES[suffix]


@dataclass(frozen=True)
class ChangeShare:
    """An open change request that asks the party to sign off, with the party's share of what its draft brings, or
    ``view`` None when the share cannot be made: the draft cannot be reviewed until the factory's team corrects
    something (``held`` says what: :data:`HELD_STORED_MODEL` or :data:`HELD_DRAFT`)."""

    change: Any
    view: PartyView | None
    held: str = ""


HELD_STORED_MODEL = "stored-model"
"""The factory's stored model does not pass this version's check (a database an older version wrote), so no draft is
reviewed until its elements are corrected."""
HELD_DRAFT = "draft"
"""The change's draft itself does not pass the check (e.g. the live model changed under it)."""


def change_views(factory: Factory, party: str) -> list[ChangeShare]:
    """For each open change request that asks ``party`` to sign off: the party's share of what the change's draft
    brings, as kept when the draft was last reviewed (a change reviewed before shares were kept is reviewed once here).

    A change whose draft cannot be reviewed now is listed held, so the portal tells the vendor its items wait for the
    factory's team (without what is wrong: the problems name elements a vendor does not see); the reason is logged
    for the team.
    """
    from factorysec.workspace.changes import drafts
    from factorysec.workspace.changes.models import ChangeRequest, State

    shares = []
    for change in ChangeRequest.objects.filter(
        factory=factory, state__in=(State.OPEN, State.CHANGES_REQUESTED)
    ).order_by("pk"):
        if not any(a["kind"] == "party" and a["id"] == party for a in change.approvers):
            continue
        kept = StoredPartyView.objects.filter(change=change, party=party, revision=change.revision).first()
        if kept is None:
            try:
                result = drafts.reviewed(change)
            except StoredModelError as error:
                logger.warning(
                    "supplier portal: factory '%s': change #%s not shown to %s: %s",
                    factory.slug,
                    change.pk,
                    party,
                    refusal_summary(error.problems),
                )
                shares.append(ChangeShare(change, None, HELD_STORED_MODEL))
                continue
            except StoreError as error:
                logger.warning(
                    "supplier portal: factory '%s': change #%s not shown to %s: its draft does not pass the check (%s)",
                    factory.slug,
                    change.pk,
                    party,
                    error,
                )
                shares.append(ChangeShare(change, None, HELD_DRAFT))
                continue
            store_change_views(
                change, result.after, result.after_assessment, {c.subject for c in result.review.checklists}
            )
            kept = StoredPartyView.objects.filter(change=change, party=party, revision=change.revision).first()
            if kept is None:
                continue
        shares.append(ChangeShare(change, view_from_data(kept.data)))
    return shares


@transaction.atomic
def submit_answer(
    factory: Factory,
    view: PartyView,
    data: dict[str, Any],
    attachment: tuple[str, bytes] | None,
    user: UserLike,
    change: Any = None,
) -> SupplierAnswer:
    """Record (or replace) the party's answer (about the live model, or about what ``change`` brings); it waits for the factory's verdict. Logged."""
    subject, item, answer = str(data.get("subject", "")), str(data.get("item", "")), str(data.get("answer", ""))
    if (subject, item) not in view.answerable:
        raise AnswerError(
            "item",
            _("'%(item)s' for '%(subject)s' is not one of your party's checklist items")
            % {"item": item, "subject": subject},
        )
    if answer not in ANSWERS:
        raise AnswerError("answer", _("must be one of %(answers)s") % {"answers": ", ".join(ANSWERS)})
    evidence, note = str(data.get("evidence") or "").strip(), str(data.get("note") or "").strip()
    if len(evidence) > 2000 or len(note) > 2000:
        raise AnswerError(
            "evidence" if len(evidence) > 2000 else "note", _("at most %(limit)s characters") % {"limit": 2000}
        )
    for field, text in (("evidence", evidence), ("note", note)):
        for problem in uncarriable_in(text, field):  # accepting it would be refused: the model may not hold such text
            lang = reader_language()
            raise AnswerError(field, f"{say(problem.message, lang)} ({say(problem.hint, lang)})")
    row, _created = SupplierAnswer.objects.select_for_update().get_or_create(
        factory=factory, change=change, party=view.party, subject=subject, item=item, defaults={"answer": answer}
    )
    row.answer, row.evidence, row.note, row.state, row.review_comment = (
        answer,
        evidence,
        note,
        AnswerState.SUBMITTED,
        "",
    )
    row.answered_by = user if user.is_authenticated else None  # type: ignore[assignment]
    if attachment is not None:
        row.attachment_type = check_attachment(*attachment)
        row.attachment_name, row.attachment = attachment[0][:255], attachment[1]
    row.save()
    record(
        "supplier-answered",
        user=user,
        factory=factory,
        subject=f"{subject}/{item}",
        detail={
            "party": view.party,
            "answer": answer,
            "attachment": row.attachment_name,
            "change": change.pk if change is not None else None,
        },
    )
    return row


@transaction.atomic
def review_answer(
    answer: SupplierAnswer, verdict: str, comment: str, user: UserLike, today: dt.date | None = None
) -> SupplierAnswer:
    """Accept (the answer enters the model's ``checklist_answers``, checked as any edit) or question (with a comment) a submitted answer.

    An accepted answer takes no other verdict (:class:`AnswerStateError`): it is already in the model, so
    questioning it would leave the model holding what the portal calls questioned, and accepting it again would
    queue another analysis for nothing. A questioned one may still be accepted (the reviewer learned what was
    unclear another way) or questioned again; the supplier answering again makes it submitted.
    The answer's row is locked first, so two reviewers at once give one verdict, not two.
    Accepting an answer about a change while the factory's stored model does not pass this version's check raises
    :class:`~factorysec.workspace.factories.store.StoredModelError` (the draft is reviewed against the stored model):
    the 409 page or answer, and the answer stays as it was.
    """
    if verdict not in (AnswerState.ACCEPTED, AnswerState.QUESTIONED):
        raise AnswerError("verdict", _("accept or question"))
    if verdict == AnswerState.QUESTIONED and not comment.strip():
        raise AnswerError("comment", _("say what is unclear when questioning an answer"))
    if len(comment.strip()) > REVIEW_COMMENT_MAX_LENGTH:
        raise AnswerError("comment", _("at most %(limit)s characters") % {"limit": REVIEW_COMMENT_MAX_LENGTH})
    stored = SupplierAnswer.objects.select_for_update().get(pk=answer.pk)
    if stored.state == AnswerState.ACCEPTED:
        raise AnswerStateError(
            "verdict",
            f"this answer was accepted already and is in the model; it takes a verdict again when {stored.party} "
            "answers again",
        )
    answer = stored
    if verdict == AnswerState.ACCEPTED:
        payload: dict[str, Any] = {
            "subject": answer.subject,
            "item": answer.item,
            "answer": answer.answer,
            "date": (today or dt.date.today()).isoformat(),
        }
        if answer.evidence:
            payload["evidence"] = answer.evidence
        if answer.note:
            payload["note"] = answer.note
        try:
            if answer.change is not None:
                _accept_into_draft(answer, payload, user)
            else:
                existing = next(
                    (
                        row
                        for row in Element.objects.filter(
                            factory=answer.factory, section="checklist_answers", payload__isnull=False
                        )
                        if row.payload.get("subject") == answer.subject and row.payload.get("item") == answer.item
                    ),
                    None,
                )
                save_element(
                    answer.factory,
                    "checklist_answers",
                    existing.key if existing else None,
                    payload,
                    user,
                    f"supplier answer of {answer.party} accepted",
                )
                from factorysec.workspace.results.tasks import queue_analysis

                queue_analysis(answer.factory, user)  # the open items follow the answer once the worker has run it
        except StoreError as error:
            raise AnswerError("answer", "; ".join(map(str, error.problems))) from None
    answer.state, answer.review_comment = verdict, comment.strip()
    answer.reviewed_by = user if user.is_authenticated else None  # type: ignore[assignment]
    answer.save()
    record(
        f"supplier-answer-{verdict}",
        user=user,
        factory=answer.factory,
        subject=f"{answer.subject}/{answer.item}",
        detail={"party": answer.party, "comment": answer.review_comment},
    )
    return answer


def _accept_into_draft(answer: SupplierAnswer, payload: dict[str, Any], user: UserLike) -> None:
    """An accepted answer about what a change brings becomes a checklist answer in that change's draft (a new revision of it)."""
    from factorysec.workspace.changes import drafts

    change = answer.change
    assert change is not None
    document, keys = drafts.draft_document(change), drafts.draft_keys(change)
    existing = next(
        (
            key
            for key, entry in zip(keys.get("checklist_answers", []), document.get("checklist_answers", []), strict=True)
            if entry.get("subject") == answer.subject and entry.get("item") == answer.item
        ),
        None,
    )
    try:
        drafts.edit_draft_many(
            change, [("checklist_answers", existing, payload)], user, f"supplier answer of {answer.party} accepted"
        )
    except drafts.ChangeError as error:
        raise AnswerError("answer", str(error)) from None
