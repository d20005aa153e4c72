"""A change request's draft: the live elements with its edits on top, checked as ``factorysec check`` checks a model; edits with an optimistic version check; conflicts; merge.

Two people saving the same element: each save names the version it was made
on; the second finds a newer one and is refused with what changed, so nothing
is overwritten unseen. Saves of different elements both land. The same holds
for live elements (:func:`save_live_checked`).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from factorysec.catalog import load_catalog
from factorysec.model import ModelInputError, model_digest
from factorysec.model.entities import IDENTIFIED_COLLECTIONS, SINGLETONS, FactoryModel
from factorysec.model.loader import validate_document
from factorysec.model.sources import SourcedDocument, SourceMap
from factorysec.problems import Said
from factorysec.workspace.accounts.models import Role
from factorysec.workspace.accounts.permissions import UserLike, role_of, vendor_party
from factorysec.workspace.audit.decisions import DEPARTMENT_ROLES
from factorysec.workspace.audit.log import record
from factorysec.workspace.changes import writers
from factorysec.workspace.changes.models import (
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ChangeRequest,
    DraftEdit,
    SignOff,
    State,
    Verdict,
)
from factorysec.workspace.changes.reviewing import ReviewedChange, review_versions
from factorysec.workspace.changes.signoffs import required_signoffs
from factorysec.workspace.factories.models import Element, ElementSet, ElementVersion, Factory
from factorysec.workspace.factories.neighbours import Edit, Reads, recording
from factorysec.workspace.factories.store import (
    SECTIONS,
    ElementProblem,
    StoredModelError,
    StoreError,
    check_edit,
    element_payload,
    factory_model,
    item_class,
    live_elements,
    save_element,
    stored_form,
    uncarriable_problems,
)
from factorysec.workspace.suppliers.portal import store_change_views

PROPOSERS = frozenset({Role.SECURITY_IT, Role.PRODUCTION, Role.DX})
"""Roles that propose changes and edit drafts (Table 1-1: DX plans smartification, production and IT/security run the factory systems)."""

NEW_KEY_PREFIX = "new-"


class EditConflict(Exception):
    """The element was saved by someone else since ``expected`` was read: ``current`` is what is stored now (None: deleted)."""

    def __init__(
        self,
        section: str,
        key: str,
        expected: int,
        current_version: int,
        current: dict[str, Any] | None,
        mine: dict[str, Any] | None,
        by: str,
    ) -> None:
        self.section, self.key, self.expected, self.current_version, self.current, self.mine, self.by = (
            section,
            key,
            expected,
            current_version,
            current,
            mine,
            by,
        )
        super().__init__(
            f"{section}/{key} was saved as version {current_version} by {by} after you read version {expected}"
        )

    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        """Fields whose stored value differs from the submitted one: (field, stored now, yours)."""
        now, mine = self.current or {}, self.mine or {}
        return [
            (name, now.get(name), mine.get(name))
            for name in sorted(set(now) | set(mine))
            if now.get(name) != mine.get(name)
        ]


class ChangeError(Exception):
    """An action on a change request that its state or the user's role does not allow; ``field`` names the input
    refused, when one is (the JSON API gives it)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Conflict:
    """A draft edit whose live element was changed (or created) by another change merged, or a save, since the draft was based on it."""

    section: str
    key: str
    base_version: int
    live_version: int
    by: str

    def __str__(self) -> str:
        if self.base_version == 0:
            return f"{self.section}/{self.key}: created meanwhile by {self.by} (version {self.live_version})"
        return f"{self.section}/{self.key}: the draft is based on version {self.base_version}, the model now holds version {self.live_version} (by {self.by})"


_ENTRY_FIELD = re.compile(r"(?P<section>\w+)\[(?P<index>\d+)\]\.?(?P<field>.*)", re.S)


def _element_problem(field: str, message: Any, hint: Any, keys: dict[str, list[str]] | None) -> ElementProblem:
    """A problem the check found in the draft, on its element and the field inside it (``assets/scada``, ``zone``) as a
    live edit's are, when ``keys`` (each list section's keys in model order) names the entry its place points at;
    else on its section, with the place as the check gave it (``assets[16].zone``)."""
    section = field.split(".")[0].split("[")[0]
    entry = _ENTRY_FIELD.fullmatch(field)
    if keys is not None and entry is not None:
        listed = keys.get(entry["section"], [])
        if int(entry["index"]) < len(listed):
            return ElementProblem(entry["section"], listed[int(entry["index"])], entry["field"], message, hint)
    if section in SINGLETONS and field.startswith(f"{section}."):
        return ElementProblem(section, section, field[len(section) + 1 :], message, hint)
    return ElementProblem(section, None, field, message, hint)


def _validate(data: dict[str, Any], keys: dict[str, list[str]] | None = None) -> FactoryModel:
    try:
        return validate_document(SourcedDocument(data, SourceMap({}, {}, {})), load_catalog()).model
    except ModelInputError as error:
        raise StoreError([_element_problem(p.field, p.message, p.hint, keys) for p in error.problems]) from None


def _refused(
    change: ChangeRequest, error: StoreError, target: tuple[str, str] | None = None
) -> StoreError | StoredModelError:
    """The error a draft refused by the check answers: :class:`StoredModelError` when the factory's stored model itself
    no longer passes this version's check (the draft holds its problems, and no draft can be reviewed until the
    elements are corrected in the workspace), else a :class:`StoreError` with ``error``'s problems on ``target``.

    Only a refusal pays for the second check, of the stored model alone.
    """
    try:
        factory_model(change.factory)
    except StoredModelError as stored:
        return stored
    return StoreError(error.problems, target)


def draft_document(
    change: ChangeRequest, extra: tuple[str, str, dict[str, Any] | None] | None = None
) -> dict[str, Any]:
    """The raw model of the draft: live elements in model order with the edits (and ``extra``) applied, new elements at the end of their section."""
    return _draft(change, [extra] if extra is not None else [])[0]


def draft_keys(change: ChangeRequest) -> dict[str, list[str]]:
    """Per list section, the keys of the draft's entries in model order (to match keyless entries by position)."""
    return _draft(change, [])[1]


def _draft(
    change: ChangeRequest, extra: list[tuple[str, str, dict[str, Any] | None]]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    edits = {(e.section, e.key): e.payload for e in change.edits.order_by("pk")}
    for section, key, payload in extra:
        edits[(section, key)] = payload
    data: dict[str, Any] = {}
    keys: dict[str, list[str]] = {}

    def put(section: str, key: str, payload: dict[str, Any] | None) -> None:
        if payload is None:
            return
        if section in SINGLETONS:
            data[section] = payload
        else:
            data.setdefault(section, []).append(payload)
            keys.setdefault(section, []).append(key)

    seen: set[tuple[str, str]] = set()
    for row in live_elements(change.factory):
        identity = (row.section, row.key)
        seen.add(identity)
        put(row.section, row.key, edits.get(identity, row.payload))
    order = {name: index for index, name in enumerate(SECTIONS)}
    for (section, key), payload in sorted(
        ((k, v) for k, v in edits.items() if k not in seen), key=lambda item: order.get(item[0][0], 99)
    ):
        put(section, key, payload)
    return data, keys


def draft_model(change: ChangeRequest) -> FactoryModel:
    """The draft's model; a problem the check finds in it is named by its element (``assets/scada``, ``zone``)."""
    document, keys = _draft(change, [])
    return _validate(document, keys)


def reviewed(change: ChangeRequest) -> ReviewedChange:
    """``factorysec review`` of the live model against the draft."""
    return review_versions(factory_model(change.factory), draft_model(change), load_catalog())


def refresh_approvers(change: ChangeRequest) -> ReviewedChange:
    """Review the draft again and store who must sign off (called after every edit)."""
    result = reviewed(change)
    change.approvers = [
        {
            "key": a.key,
            "kind": a.kind,
            "id": a.id,
            "department_kind": a.department_kind,
            "reasons": a.reasons,
            "reason_codes": [reason.stored() for reason in a.reason_codes],
        }
        for a in required_signoffs(result.review, result.after)
    ]
    change.review_digest = result.review.after_digest
    change.save(update_fields=["approvers", "review_digest"])
    store_change_views(change, result.after, result.after_assessment, {c.subject for c in result.review.checklists})
    return result


def _stored(section: str, payload: dict[str, Any]) -> dict[str, Any]:
    try:
        return element_payload(item_class(section).model_validate(payload))
    except Exception:
        return payload


def id_mismatch(section: str, key: str, payload: dict[str, Any] | None) -> StoreError | None:
    """The refusal of a draft edit of ``section/key`` whose payload names another id (None when it names ``key``).

    A draft keeps an element under its id, and a merge writes it back under that
    key: a payload with another id would land in the model under a key that is
    not its id. So the key the edit is for wins by refusal, as a save over a
    newer version is refused: to rename, delete the element and add it anew.
    """
    if section not in IDENTIFIED_COLLECTIONS or payload is None or payload.get("id") == key:
        return None
    return StoreError(
        [
            ElementProblem(
                section,
                key,
                "id",
                Said("draft.id_changed", id=str(payload.get("id")), key=key),
                Said("draft.id_changed.hint"),
            )
        ],
        (section, key),
    )


def _new_key(change: ChangeRequest, section: str, payload: dict[str, Any]) -> str:
    if section in SINGLETONS:
        return section
    if section in IDENTIFIED_COLLECTIONS and isinstance(payload.get("id"), str):
        return str(payload["id"])
    taken = set(change.edits.filter(section=section).values_list("key", flat=True))
    number = len(taken) + 1
    while f"{NEW_KEY_PREFIX}{number}" in taken:
        number += 1
    return f"{NEW_KEY_PREFIX}{number}"


def _who(user: Any) -> str:
    return str(user.get_username()) if user is not None else "system"


@transaction.atomic
def edit_draft(
    change: ChangeRequest,
    section: str,
    key: str | None,
    payload: dict[str, Any] | None,
    expected_version: int | None,
    user: UserLike,
) -> DraftEdit:
    """Save one element of the draft (``key`` None: new; ``payload`` None: delete) if nobody saved it since ``expected_version``.

    ``expected_version`` is the draft edit's version when the element was
    already edited in the draft, else the live element's version (0 for an
    element not yet in the model). Raises :class:`EditConflict`, :class:`StoreError` (the edit refused), or
    :class:`StoredModelError` when the factory's stored model itself no longer passes this version's check, whatever
    the edit.
    """
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.state not in (State.OPEN, State.CHANGES_REQUESTED):
        raise ChangeError(
            _("change #%(number)s is %(state)s; its draft can no longer be edited")
            % {"number": change.pk, "state": change.state}
        )
    if section not in SECTIONS:
        raise ChangeError(f"no section '{section}'")
    stored = _stored(section, payload) if payload is not None else None
    mismatch = id_mismatch(section, key, stored) if key is not None else None
    if mismatch is not None:
        raise mismatch
    if text_problems := uncarriable_problems(section, key, stored):  # what check refuses in a file, refused here too
        raise StoreError(text_problems, (section, key) if key is not None else None)
    if key is None:
        if stored is None:
            raise ChangeError("nothing to create")
        key = _new_key(change, section, stored)
        if (
            Element.objects.filter(factory=change.factory, section=section, key=key, payload__isnull=False).exists()
            or change.edits.filter(section=section, key=key).exists()
        ):
            raise StoreError(
                [
                    ElementProblem(
                        section, key, "id", Said("draft.id_used", key=key, section=section), Said("draft.id_used.hint")
                    )
                ],
                (section, key),
            )
        expected_version = 0
    edit = DraftEdit.objects.select_for_update().filter(change=change, section=section, key=key).first()
    live = Element.objects.filter(factory=change.factory, section=section, key=key).first()
    live_version = live.version if live is not None and live.payload is not None else 0
    if edit is not None:
        if expected_version is not None and expected_version != edit.version:
            raise EditConflict(
                section, key, expected_version, edit.version, edit.payload, stored, _who(edit.updated_by)
            )
    elif expected_version is not None and live_version and expected_version != live_version:
        raise EditConflict(
            section,
            key,
            expected_version,
            live_version,
            live.payload if live else None,
            stored,
            _who(live.updated_by if live else None),
        )
    try:
        _validate(*_draft(change, [(section, key, stored)]))
    except StoreError as error:
        raise _refused(change, error, (section, key)) from None
    if edit is None:
        edit = DraftEdit.objects.create(
            change=change,
            section=section,
            key=key,
            base_version=live_version,
            version=live_version + 1,
            payload=stored,
            updated_by=_author(user),
        )
    else:
        edit.payload, edit.version, edit.updated_by = stored, edit.version + 1, _author(user)
        edit.save()
    change.revision += 1
    if change.state == State.CHANGES_REQUESTED:
        change.state = State.OPEN
    change.save(update_fields=["revision", "state"])
    result = refresh_approvers(change)
    record(
        "draft-edited",
        user=user,
        factory=change.factory,
        subject=f"change #{change.pk}: {section}/{key}",
        detail={"revision": change.revision, "deleted": stored is None, "draft_digest": result.review.after_digest},
    )
    return edit


@transaction.atomic
def edit_draft_many(
    change: ChangeRequest, changes: list[tuple[str, str | None, dict[str, Any] | None]], user: UserLike, what: str
) -> int:
    """Apply several element changes at once (an uploaded change file), checking the draft once at the end; return how many."""
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.state not in (State.OPEN, State.CHANGES_REQUESTED):
        raise ChangeError(
            _("change #%(number)s is %(state)s; its draft can no longer be edited")
            % {"number": change.pk, "state": change.state}
        )
    planned: list[tuple[str, str, dict[str, Any] | None]] = []
    new_counts: dict[str, int] = {}
    for section, key, payload in changes:
        stored = _stored(section, payload) if payload is not None else None
        if text_problems := uncarriable_problems(section, key, stored):
            raise StoreError(text_problems)
        if key is None:
            assert stored is not None
            key = _new_key(change, section, stored)
            if key.startswith(NEW_KEY_PREFIX):
                new_counts[section] = new_counts.get(section, 0) + 1
                key = f"{NEW_KEY_PREFIX}{change.edits.filter(section=section).count() + new_counts[section]}"
        planned.append((section, key, stored))
    try:
        _validate(_draft(change, planned)[0])
    except StoreError as error:
        raise _refused(change, error) from None
    for section, key, stored in planned:
        edit = change.edits.filter(section=section, key=key).first()
        if edit is None:
            live = Element.objects.filter(factory=change.factory, section=section, key=key).first()
            base = live.version if live is not None and live.payload is not None else 0
            DraftEdit.objects.create(
                change=change,
                section=section,
                key=key,
                base_version=base,
                version=base + 1,
                payload=stored,
                updated_by=_author(user),
            )
        else:
            edit.payload, edit.version, edit.updated_by = stored, edit.version + 1, _author(user)
            edit.save()
    change.revision += 1
    if change.state == State.CHANGES_REQUESTED:
        change.state = State.OPEN
    change.save(update_fields=["revision", "state"])
    result = refresh_approvers(change)
    record(
        "draft-edited",
        user=user,
        factory=change.factory,
        subject=f"change #{change.pk}: {what}",
        detail={"revision": change.revision, "elements": len(planned), "draft_digest": result.review.after_digest},
    )
    return len(planned)


@transaction.atomic
def propose(factory: Factory, title: str, description: str, user: UserLike) -> ChangeRequest:
    """Open a change request with an empty draft (a proposer role is checked by the caller).

    The form and the API check the title and description first; a title that
    is blank or too long is refused here too, never cut or replaced unseen.
    """
    title, description = title.strip(), description.strip()
    if not title or len(title) > TITLE_MAX_LENGTH:
        raise ChangeError(f"title: give a title of 1 to {TITLE_MAX_LENGTH} characters")
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise ChangeError(f"description: at most {DESCRIPTION_MAX_LENGTH} characters")
    change = ChangeRequest.objects.create(factory=factory, title=title, description=description, author=_author(user))
    refresh_approvers(change)
    record("change-proposed", user=user, factory=factory, subject=f"change #{change.pk}: {change.title}")
    return change


def upload(change: ChangeRequest, name: str, content: bytes, user: UserLike) -> int:
    """Apply an uploaded change file to the draft (its base is the draft as it stands); :class:`UploadError` when the CLI would refuse it."""
    from factorysec.workspace.changes.uploads import element_changes, read_change_file

    try:
        base = draft_model(change)
    except StoreError as error:
        raise _refused(change, error) from None
    after = read_change_file(name, content, base)
    return edit_draft_many(change, element_changes(base, after, draft_keys(change)), user, f"uploaded {name}")


def _author(user: Any) -> Any:
    return user if user is not None and user.is_authenticated else None


def conflicts(change: ChangeRequest) -> list[Conflict]:
    """Draft edits overtaken by the live model since the draft was based on it."""
    found = []
    for edit in change.edits.order_by("section", "key"):
        live = Element.objects.filter(factory=change.factory, section=edit.section, key=edit.key).first()
        live_version = live.version if live is not None and live.payload is not None else 0
        if live is not None and live_version != edit.base_version:
            found.append(Conflict(edit.section, edit.key, edit.base_version, live.version, _who(live.updated_by)))
    return found


def may_speak_for(user: UserLike, factory: Factory, approver: dict[str, Any]) -> bool:
    """A department's sign-off comes from the role that speaks for its kind; a party's from that party's vendor account."""
    if approver["kind"] == "party":
        return bool(vendor_party(user, factory) == approver["id"])
    role = DEPARTMENT_ROLES.get(approver.get("department_kind") or "")
    return role is not None and role_of(user, factory) == role and vendor_party(user, factory) is None


def verdicts(change: ChangeRequest) -> dict[str, SignOff]:
    """The latest sign-off per approver on the current revision."""
    latest: dict[str, SignOff] = {}
    for signoff in change.signoffs.filter(revision=change.revision).select_related("user"):
        latest[signoff.approver] = signoff
    return latest


def missing_approvals(change: ChangeRequest) -> list[str]:
    given = verdicts(change)
    return [a["key"] for a in change.approvers if a["key"] not in given or given[a["key"]].verdict != Verdict.APPROVED]


@transaction.atomic
def sign(change: ChangeRequest, approver_key: str, verdict: str, reason: str, user: UserLike) -> SignOff:
    """Record a verdict for an approver the user speaks for; rejecting or asking for changes needs a reason."""
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.state != State.OPEN:
        raise ChangeError(
            _("change #%(number)s is %(state)s, not open for sign-off") % {"number": change.pk, "state": change.state}
        )
    approver = next((a for a in change.approvers if a["key"] == approver_key), None)
    if approver is None:
        raise ChangeError(
            _("the review of this change does not ask %(approver)s to sign off") % {"approver": approver_key},
            "approver",
        )
    if not may_speak_for(user, change.factory, approver):
        raise ChangeError(_("you do not speak for %(approver)s") % {"approver": approver_key}, "approver")
    if verdict not in Verdict.values:
        raise ChangeError(_("unknown verdict '%(verdict)s'") % {"verdict": verdict}, "verdict")
    reason = reason.strip()
    if verdict != Verdict.APPROVED and not reason:
        raise ChangeError(_("give a reason when rejecting or asking for changes"), "reason")
    signoff = SignOff.objects.create(
        change=change,
        approver=approver_key,
        revision=change.revision,
        verdict=verdict,
        reason=reason[:5000],
        user=_author(user),
    )
    if verdict == Verdict.REJECTED:
        change.state = State.REJECTED
    elif verdict == Verdict.CHANGES_REQUESTED:
        change.state = State.CHANGES_REQUESTED
    change.save(update_fields=["state"])
    record(
        f"signoff-{verdict}",
        user=user,
        factory=change.factory,
        subject=f"change #{change.pk}: {approver_key}",
        detail={"revision": change.revision, "reason": reason, "draft_digest": change.review_digest},
    )
    return signoff


@transaction.atomic
def merge(change: ChangeRequest, user: UserLike, today: dt.date | None = None) -> str:
    """Apply the draft to the live model when every approver approved the current revision and nothing conflicts; return the new digest.

    Adds a review record (Step 3 PDCA: date, participants, model digest) to the
    model, so the PDCA checks see the change as reviewed; logs the merge.
    """
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    ElementSet.changes_of(
        change.factory_id, lock=True
    )  # the element set before any element: the order every writer keeps
    list(Element.objects.select_for_update().filter(factory=change.factory).values_list("pk", flat=True))
    if change.state != State.OPEN:
        raise ChangeError(_("change #%(number)s is %(state)s, not open") % {"number": change.pk, "state": change.state})
    found = conflicts(change)
    if found:
        raise ChangeError(
            _("conflicts with the model as it is now: %(conflicts)s") % {"conflicts": "; ".join(map(str, found))}
        )
    missing = missing_approvals(change)
    if missing:
        raise ChangeError(_("not approved yet by: %(approvers)s") % {"approvers": ", ".join(missing)})
    result = reviewed(change)
    after = result.after
    digest = model_digest(after)
    model_ids = {d.id for d in after.departments} | {p.id for p in after.parties}
    participants = [a["id"] for a in change.approvers if a["id"] in model_ids]
    review_id = f"change-request-{change.pk}"
    review_payload = {
        "id": review_id,
        "date": (today or dt.date.today()).isoformat(),
        "trigger": "smartification-change",
        "decisions": [f"change request #{change.pk} merged: {change.title}"[:500]],
        "participants": participants,
        "model_digest": digest,
    }
    document, keys = _draft(change, [])  # a problem is named by its element (assets/scada), not its place
    _validate({**document, "reviews": [*document.get("reviews", []), review_payload]}, keys)
    comment = f"change request #{change.pk}"
    for edit in change.edits.order_by("pk"):
        _apply(change.factory, edit, user, comment)
    _apply_payload(change.factory, "reviews", review_id, review_payload, user, comment)
    change.state, change.merged_at, change.merged_digest = State.MERGED, timezone.now(), digest
    change.merged_review = result.review.model_dump(mode="json")
    change.save()
    record(
        "change-merged",
        user=user,
        factory=change.factory,
        subject=f"change #{change.pk}: {change.title}",
        detail={
            "revision": change.revision,
            "participants": participants,
            "review": review_id,
            "before_digest": result.review.before_digest,
        },
        digest=digest,
    )
    transaction.on_commit(lambda: _announce(change.factory))
    return digest


def _announce(factory: Factory) -> None:
    """After a merge commits: post new high risks (and due decisions) to the webhook, when one is set."""
    from factorysec.workspace.audit.webhook import sweep, webhook_url

    if webhook_url():
        sweep(factory)


def _apply(factory: Factory, edit: DraftEdit, user: UserLike, comment: str) -> None:
    _apply_payload(factory, edit.section, edit.key, edit.payload, user, comment)


def _apply_payload(
    factory: Factory, section: str, key: str, payload: dict[str, Any] | None, user: UserLike, comment: str
) -> None:
    row = Element.objects.filter(factory=factory, section=section, key=key).first()
    if row is None and key.startswith(NEW_KEY_PREFIX):
        taken = set(Element.objects.filter(factory=factory, section=section).values_list("key", flat=True))
        number = len(taken) + 1
        while f"item-{number}" in taken:
            number += 1
        key = f"item-{number}"
    if row is None:
        if payload is None:
            return
        top = Element.objects.filter(factory=factory, section=section).aggregate(top=Max("position"))["top"]
        row = Element.objects.create(
            factory=factory,
            section=section,
            key=key,
            position=(top if top is not None else -1) + 1,
            payload=payload,
            updated_by=_author(user),
        )
    else:
        row.version += 1
        row.payload, row.updated_by = payload, _author(user)
        row.save()
    ElementVersion.objects.create(
        element=row,
        version=row.version,
        position=row.position,
        payload=row.payload,
        author=_author(user),
        comment=comment[:500],
    )


def save_live_checked(
    factory: Factory,
    section: str,
    key: str,
    payload: dict[str, Any],
    expected_version: int,
    user: UserLike,
    seen: Element | None = None,
    comment: str = "edit",
) -> Element:
    """Save a live element only if it is still at ``expected_version`` (the store's own check then runs); else :class:`EditConflict`.

    ``comment`` is recorded with the new version (the web form's own comment; the API's saves say "edit").

    ``seen`` is the element's row as the request already read it (without a
    lock), to spare a read. A save whose version is already stale is refused
    without the factory's write lock, once the saves of the same element in
    progress in this process have ended, with the version the last of them
    wrote (:mod:`factorysec.workspace.changes.writers`); a save whose version
    is current claims the element and compares the version again under the
    lock (the element set's row, then the element's), which is what keeps
    every edit: a save of another process may still have landed meanwhile.
    The refusal itself (who saved, the submitted payload's stored form) is
    worked out after the lock is released.
    """
    deadline = time.monotonic() + writers.WAIT_LIMIT
    row = seen or Element.current(factory.pk, section, key)
    while True:
        if row is None:  # deleted since the request read it: the locked path below says so
            break
        if row.version != expected_version:
            writers.wait_until_free(row.pk, deadline)  # a save of it in progress: report the version it writes
            row = Element.current(factory.pk, section, key, live_only=False) or row
            raise _conflict(row, section, key, payload, expected_version)
        with writers.claim(row.pk, deadline) as claimed:
            if claimed:
                return _save_prechecked(factory, row, payload, expected_version, user, comment)
        row = Element.current(factory.pk, section, key, live_only=False)
    return _save_locked(factory, section, key, payload, expected_version, user, comment)


def _save_prechecked(
    factory: Factory,
    row: Element,
    payload: dict[str, Any],
    expected_version: int,
    user: UserLike,
    comment: str = "edit",
) -> Element:
    """Save a live element read at ``expected_version`` (``row``), checking the edit before the factory's write lock.

    The model check (its reads and ``factorysec check``'s code on the excerpt)
    runs first, without any lock, and keeps the statements it ran with their
    rows (:class:`~factorysec.workspace.factories.neighbours.Reads`). Under the
    lock (the element set's row, then the element's: the order every writer
    keeps) the version is compared as before; the check then stands if the
    element set has not moved since ``row`` was read with its count, before the
    check read anything (no element of the factory changed: every change of a
    live element moves it in its own transaction), or else if every statement of the check returns the same rows
    again; otherwise the check runs again under the lock, as it always did. A
    check that found problems is never reused: the refusal is decided under the
    lock. So the lock is held for the version check, at most the check's plain
    statements, and the writes.
    """
    section, key = row.section, row.key
    edit = Edit(section, key, row.payload, stored_form(section, payload))
    before = getattr(row, "set_changes", None)  # read with the row, before anything the check reads
    reads: Reads | None = None
    with recording() as kept:
        try:
            check_edit(factory, edit, (section, key))
            reads = kept
        except StoreError:
            pass  # decided under the lock
    with transaction.atomic():
        element_set = ElementSet.locked_row(factory.pk)
        if element_set is None:  # no element-set row kept yet: the store's own path counts it afresh
            return _save_locked(factory, section, key, payload, expected_version, user, comment)
        locked = _locked_live(factory, section, key)
        if locked is not None and locked.version == expected_version:
            locked.element_set_row = element_set
            confirmed = reads is not None and (before == element_set.changes or reads.still_hold())
            return save_element(factory, section, key, payload, user, comment, locked=locked, checked=confirmed)
    raise _conflict(locked or _latest(factory, section, key), section, key, payload, expected_version)


def _save_locked(
    factory: Factory,
    section: str,
    key: str,
    payload: dict[str, Any],
    expected_version: int,
    user: UserLike,
    comment: str = "edit",
) -> Element:
    with transaction.atomic():
        ElementSet.lock(factory.pk)  # the element set before the element: the order every writer keeps
        row = _locked_live(factory, section, key)
        if row is not None and row.version == expected_version:
            return save_element(factory, section, key, payload, user, comment, locked=row)
    raise _conflict(row or _latest(factory, section, key), section, key, payload, expected_version)


def _locked_live(factory: Factory, section: str, key: str) -> Element | None:
    """The live element's row under the lock, or None when it was deleted since the request read it."""
    try:
        return Element.locked_live(factory.pk, section, key)
    except Element.DoesNotExist:
        return None


def _latest(factory: Factory, section: str, key: str) -> Element:
    """The element's last version, deleted or not: what a refused save is compared with once it is not live."""
    row = Element.current(factory.pk, section, key, live_only=False)
    if row is None:
        raise Element.DoesNotExist(f"no {section} element '{key}'")
    return row


def _conflict(row: Element, section: str, key: str, payload: dict[str, Any], expected_version: int) -> EditConflict:
    return EditConflict(
        section, key, expected_version, row.version, row.payload, _stored(section, payload), _author_of(row)
    )


def _author_of(row: Element) -> str:
    """Who saved ``row`` last: the user name :meth:`Element.current` read with it, or the row's user."""
    if hasattr(row, "author_name"):
        return str(row.author_name) if row.author_name is not None else "system"
    return _who(row.updated_by)
