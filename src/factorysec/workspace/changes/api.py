"""The JSON API of change requests and of version-checked element saves (``409`` with what changed when someone saved first)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import StringConstraints

from factorysec.workspace.accounts.permissions import (
    Action,
    can,
    party_assets,
    role_of,
    vendor_party,
    vendor_sees,
)
from factorysec.workspace.apierrors import (
    Error,
    FieldRefused,
    ProblemOut,
    Refusal,
    Refused,
    StaleModel,
    api_factory,
    field_refused,
    item,
    problems_refused,
    refusals,
)
from factorysec.workspace.changes import drafts
from factorysec.workspace.changes.models import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH, ChangeRequest
from factorysec.workspace.factories.models import Element, Factory
from factorysec.workspace.factories.store import SECTIONS, StoreError

router = Router(tags=["changes"])


class VersionedPayload(Schema):
    version: int
    payload: dict[str, Any] | None


class ChangeIn(Schema):
    """A proposal, with the limits of the web form (a title is required, surrounding blanks do not count)."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_MAX_LENGTH)]
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=DESCRIPTION_MAX_LENGTH)] = ""


class SignIn(Schema):
    approver: str
    verdict: str
    reason: str = ""


class FieldDiff(Schema):
    field: str
    stored: Any
    yours: Any


class ConflictOut(Error):
    """409: the element was saved by someone else after the version the request names; ``detail`` points at
    ``version``, the other members say who saved what."""

    message: str
    section: str
    key: str
    your_version: int
    current_version: int
    saved_by: str
    current: dict[str, Any] | None
    changed: list[FieldDiff]


class ChangeOut(Schema):
    id: int
    title: str
    state: str
    revision: int
    approvers: list[dict[str, Any]]
    missing: list[str]
    conflicts: list[str]
    merged_digest: str


class SavedOut(Schema):
    section: str
    key: str
    version: int


def _conflict(error: drafts.EditConflict) -> ConflictOut:
    return ConflictOut(
        detail=[item(409, f"version: {error}", ("body", "version"))],
        message=str(error),
        section=error.section,
        key=error.key,
        your_version=error.expected,
        current_version=error.current_version,
        saved_by=error.by,
        current=error.current,
        changed=[FieldDiff(field=f, stored=a, yours=b) for f, a, b in error.changed_fields()],
    )


def _problems(error: StoreError, section: str, key: str) -> Refused:
    """The check's problems, a field's ``loc`` only for those in the element sent (``section/key``)."""
    return problems_refused(error.problems, ("body", "payload"), sent=(section, key))


class MergeRefused(Error):
    """409: the change cannot be merged as it stands (approvals missing, a conflict with the live model), in
    ``message`` too."""

    message: str


def _factory(request: HttpRequest, slug: str) -> Factory:
    factory = api_factory(request, slug)
    if not can(request.user, factory, Action.VIEW_OVERVIEW):
        raise Refusal(403, "your role in this factory does not allow this")
    return factory


def _change(request: HttpRequest, slug: str, number: int) -> ChangeRequest:
    factory = _factory(request, slug)
    change = ChangeRequest.objects.filter(factory=factory, pk=number).first()
    party = vendor_party(request.user, factory)
    if change is None or (
        party is not None and not any(a["kind"] == "party" and a["id"] == party for a in change.approvers)
    ):
        raise Refusal(404, f"number: no change request {number} in '{slug}'", ("path", "number"))
    return change


def _out(change: ChangeRequest, party: str | None) -> ChangeOut:
    approvers = [a for a in change.approvers if party is None or (a["kind"] == "party" and a["id"] == party)]
    return ChangeOut(
        id=change.pk,
        title=change.title,
        state=change.state,
        revision=change.revision,
        approvers=approvers,
        missing=[m for m in drafts.missing_approvals(change) if party is None or m == f"party:{party}"],
        conflicts=[str(c) for c in drafts.conflicts(change)] if party is None and change.state != "merged" else [],
        merged_digest=change.merged_digest,
    )


def _proposer(request: HttpRequest, factory: Factory) -> None:
    if role_of(request.user, factory) not in drafts.PROPOSERS:
        raise Refusal(403, "only security/IT, production and DX propose and edit changes")


@router.get("/factories/{slug}/changes", response={200: list[ChangeOut], **refusals(403, 404)})
def list_changes(request: HttpRequest, slug: str) -> list[ChangeOut]:
    factory = _factory(request, slug)
    party = vendor_party(request.user, factory)
    changes = ChangeRequest.objects.filter(factory=factory)
    return [
        _out(c, party)
        for c in changes
        if party is None or any(a["kind"] == "party" and a["id"] == party for a in c.approvers)
    ]


@router.post("/factories/{slug}/changes", response={201: ChangeOut, **refusals(403, 404, 422), 409: StaleModel})
def create_change(request: HttpRequest, slug: str, body: ChangeIn) -> Status[ChangeOut]:
    factory = _factory(request, slug)
    _proposer(request, factory)
    return Status(201, _out(drafts.propose(factory, body.title, body.description, request.user), None))


@router.get("/factories/{slug}/changes/{number}", response={200: ChangeOut, **refusals(403, 404, 422)})
def get_change(request: HttpRequest, slug: str, number: int) -> ChangeOut:
    change = _change(request, slug, number)
    return _out(change, vendor_party(request.user, change.factory))


@router.put(
    "/factories/{slug}/changes/{number}/edits/{section}/{key}",
    response={200: SavedOut, **refusals(403, 404), 409: ConflictOut | StaleModel, 422: Refused},
)
def put_draft_element(
    request: HttpRequest, slug: str, number: int, section: str, key: str, body: VersionedPayload
) -> Status[Any]:
    """Save one element of the draft; ``version`` is what the client read (0 for an element that is new); a newer one gives 409 with what differs.

    The key in the URL is the element's id: a payload naming another id is refused (422), for a new element as
    for one the draft or the model holds (a draft edit does not rename).
    """
    change = _change(request, slug, number)
    _proposer(request, change.factory)
    if section not in SECTIONS:
        raise Refusal(404, f"section: no section '{section}'", ("path", "section"))
    mismatch = drafts.id_mismatch(section, key, body.payload)
    if mismatch is not None:
        return Status(422, _problems(mismatch, section, key))
    exists = (
        change.edits.filter(section=section, key=key).exists()
        or Element.objects.filter(factory=change.factory, section=section, key=key, payload__isnull=False).exists()
    )
    try:
        saved = drafts.edit_draft(change, section, key if exists else None, body.payload, body.version, request.user)
    except drafts.EditConflict as error:
        return Status(409, _conflict(error))
    except StoreError as error:
        return Status(422, _problems(error, section, key))
    except drafts.ChangeError as error:
        message = str(error)
        return Status(
            422,
            Refused(
                detail=[item(422, message, ("body", "payload"))],
                problems=[ProblemOut(section=section, key=key, field="", message=message)],
            ),
        )
    return Status(200, SavedOut(section=saved.section, key=saved.key, version=saved.version))


@router.post(
    "/factories/{slug}/changes/{number}/signoffs", response={200: ChangeOut, **refusals(403, 404), 422: FieldRefused}
)
def sign(request: HttpRequest, slug: str, number: int, body: SignIn) -> Status[Any]:
    change = _change(request, slug, number)
    try:
        drafts.sign(change, body.approver, body.verdict, body.reason, request.user)
    except drafts.ChangeError as error:
        return Status(422, field_refused(422, error.field or "", str(error)))
    change.refresh_from_db()
    return Status(200, _out(change, vendor_party(request.user, change.factory)))


@router.post(
    "/factories/{slug}/changes/{number}/merge",
    response={200: ChangeOut, **refusals(403, 404, 422), 409: MergeRefused | StaleModel},
)
def merge(request: HttpRequest, slug: str, number: int) -> Status[Any]:
    change = _change(request, slug, number)
    _proposer(request, change.factory)
    try:
        drafts.merge(change, request.user)
    except (drafts.ChangeError, StoreError) as error:
        message = str(error)
        return Status(409, MergeRefused(detail=[item(409, message, ("path", "number"))], message=message))
    change.refresh_from_db()
    return Status(200, _out(change, None))


class VersionedOut(Schema):
    version: int
    payload: dict[str, Any]


@dataclass(frozen=True)
class LiveElement:
    """A live element the user may see, with what a vendor's later checks need (its party and the party's assets)."""

    factory: Factory
    row: Element
    party: str | None
    own_assets: set[str]


def _live_element(request: HttpRequest, slug: str, section: str, key: str, action: Action) -> LiveElement:
    """The live element ``section/key`` if the user's role allows ``action`` on its section and, for a vendor, it concerns
    the vendor's party (403 for the role, 404 for an element missing or another party's, as if it did not exist)."""
    factory = api_factory(request, slug)
    if section not in SECTIONS or not can(request.user, factory, action, section):
        raise Refusal(403, "your role in this factory does not allow this")
    row = Element.current(factory.pk, section, key)
    party = vendor_party(request.user, factory)
    own_assets: set[str] = set()
    if party is not None:
        own_assets = party_assets(
            party,
            list(
                Element.objects.filter(factory=factory, section="assets", payload__isnull=False).values_list(
                    "payload", flat=True
                )
            ),
        )
    if row is None or (party is not None and not vendor_sees(party, own_assets, section, row.payload)):
        raise Refusal(404, f"key: no {section} element '{key}'", ("path", "key"))
    return LiveElement(factory, row, party, own_assets)


@router.get("/factories/{slug}/elements/{section}/{key}", response={200: VersionedOut, **refusals(403, 404)})
def get_live_element(request: HttpRequest, slug: str, section: str, key: str) -> VersionedOut:
    """One element as stored, with the version a save must name."""
    found = _live_element(request, slug, section, key, Action.VIEW_SECTION)
    return VersionedOut(version=found.row.version, payload=found.row.payload)


@router.put(
    "/factories/{slug}/elements/{section}/{key}",
    response={200: SavedOut, **refusals(403, 404), 409: ConflictOut | StaleModel, 422: Refused},
)
def put_live_element(request: HttpRequest, slug: str, section: str, key: str, body: VersionedPayload) -> Status[Any]:
    """Save a live element if it is still at ``version``; 409 with what changed otherwise (two people editing the same element lose nothing)."""
    found = _live_element(request, slug, section, key, Action.EDIT_SECTION)
    if body.payload is None:
        raise Refusal(422, "payload: required", ("body", "payload"))
    if found.party is not None and not vendor_sees(found.party, found.own_assets, section, body.payload):
        raise Refusal(403, "you can only answer for your own party and its assets", ("body", "payload"))
    try:
        saved = drafts.save_live_checked(
            found.factory, section, key, body.payload, body.version, request.user, seen=found.row
        )
    except drafts.EditConflict as error:
        return Status(409, _conflict(error))
    except StoreError as error:
        return Status(422, _problems(error, section, key))
    return Status(200, SavedOut(section=saved.section, key=saved.key, version=saved.version))
