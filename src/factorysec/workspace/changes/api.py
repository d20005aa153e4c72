"""The JSON API of change requests and of version-checked element saves (``409`` with what changed when someone saved first)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StringConstraints

from factorysec.workspace.accounts.permissions import (
    Action,
    can,
    factory_for,
    party_assets,
    role_of,
    vendor_party,
    vendor_sees,
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


class ConflictOut(Schema):
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
        message=str(error),
        section=error.section,
        key=error.key,
        your_version=error.expected,
        current_version=error.current_version,
        saved_by=error.by,
        current=error.current,
        changed=[FieldDiff(field=f, stored=a, yours=b) for f, a, b in error.changed_fields()],
    )


def _problems(error: StoreError) -> dict[str, Any]:
    return {
        "problems": [
            {"section": p.section, "key": p.key, "field": p.field, "message": p.message} for p in error.problems
        ]
    }


def _factory(request: HttpRequest, slug: str) -> Factory:
    factory = get_object_or_404(Factory, slug=slug)
    if not can(request.user, factory, Action.VIEW_OVERVIEW):
        raise HttpError(403, "your role in this factory does not allow this")
    return factory


def _change(request: HttpRequest, slug: str, number: int) -> ChangeRequest:
    factory = _factory(request, slug)
    change = get_object_or_404(ChangeRequest, factory=factory, pk=number)
    party = vendor_party(request.user, factory)
    if party is not None and not any(a["kind"] == "party" and a["id"] == party for a in change.approvers):
        raise HttpError(404, "no such change request")
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
        raise HttpError(403, "only security/IT, production and DX propose and edit changes")


@router.get("/factories/{slug}/changes", response=list[ChangeOut])
def list_changes(request: HttpRequest, slug: str) -> list[ChangeOut]:
    factory = _factory(request, slug)
    party = vendor_party(request.user, factory)
    changes = ChangeRequest.objects.filter(factory=factory)
    return [
        _out(c, party)
        for c in changes
        if party is None or any(a["kind"] == "party" and a["id"] == party for a in c.approvers)
    ]


@router.post("/factories/{slug}/changes", response={201: ChangeOut})
def create_change(request: HttpRequest, slug: str, body: ChangeIn) -> Status[ChangeOut]:
    factory = _factory(request, slug)
    _proposer(request, factory)
    return Status(201, _out(drafts.propose(factory, body.title, body.description, request.user), None))


@router.get("/factories/{slug}/changes/{number}", response=ChangeOut)
def get_change(request: HttpRequest, slug: str, number: int) -> ChangeOut:
    change = _change(request, slug, number)
    return _out(change, vendor_party(request.user, change.factory))


@router.put(
    "/factories/{slug}/changes/{number}/edits/{section}/{key}",
    response={200: SavedOut, 409: ConflictOut, 422: dict[str, Any]},
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
        raise HttpError(404, f"no section '{section}'")
    mismatch = drafts.id_mismatch(section, key, body.payload)
    if mismatch is not None:
        return Status(422, _problems(mismatch))
    exists = (
        change.edits.filter(section=section, key=key).exists()
        or Element.objects.filter(factory=change.factory, section=section, key=key, payload__isnull=False).exists()
    )
    try:
        saved = drafts.edit_draft(change, section, key if exists else None, body.payload, body.version, request.user)
    except drafts.EditConflict as error:
        return Status(409, _conflict(error))
    except StoreError as error:
        return Status(422, _problems(error))
    except drafts.ChangeError as error:
        return Status(422, {"problems": [{"message": str(error)}]})
    return Status(200, SavedOut(section=saved.section, key=saved.key, version=saved.version))


@router.post("/factories/{slug}/changes/{number}/signoffs", response={200: ChangeOut, 422: dict[str, str]})
def sign(request: HttpRequest, slug: str, number: int, body: SignIn) -> Status[Any]:
    change = _change(request, slug, number)
    try:
        drafts.sign(change, body.approver, body.verdict, body.reason, request.user)
    except drafts.ChangeError as error:
        return Status(422, {"field": error.field, "message": str(error)} if error.field else {"message": str(error)})
    change.refresh_from_db()
    return Status(200, _out(change, vendor_party(request.user, change.factory)))


@router.post("/factories/{slug}/changes/{number}/merge", response={200: ChangeOut, 409: dict[str, str]})
def merge(request: HttpRequest, slug: str, number: int) -> Status[Any]:
    change = _change(request, slug, number)
    _proposer(request, change.factory)
    try:
        drafts.merge(change, request.user)
    except (drafts.ChangeError, StoreError) as error:
        return Status(409, {"message": str(error)})
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
    factory = factory_for(request.user, slug)
    if section not in SECTIONS or not can(request.user, factory, action, section):
        raise HttpError(403, "your role in this factory does not allow this")
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
        raise HttpError(404, f"no {section} element '{key}'")
    return LiveElement(factory, row, party, own_assets)


@router.get("/factories/{slug}/elements/{section}/{key}", response=VersionedOut)
def get_live_element(request: HttpRequest, slug: str, section: str, key: str) -> VersionedOut:
    """One element as stored, with the version a save must name."""
    found = _live_element(request, slug, section, key, Action.VIEW_SECTION)
    return VersionedOut(version=found.row.version, payload=found.row.payload)


@router.put(
    "/factories/{slug}/elements/{section}/{key}", response={200: SavedOut, 409: ConflictOut, 422: dict[str, Any]}
)
def put_live_element(request: HttpRequest, slug: str, section: str, key: str, body: VersionedPayload) -> Status[Any]:
    """Save a live element if it is still at ``version``; 409 with what changed otherwise (two people editing the same element lose nothing)."""
    found = _live_element(request, slug, section, key, Action.EDIT_SECTION)
    if body.payload is None:
        raise HttpError(422, "payload: required")
    if found.party is not None and not vendor_sees(found.party, found.own_assets, section, body.payload):
        raise HttpError(403, "you can only answer for your own party and its assets")
    try:
        saved = drafts.save_live_checked(
            found.factory, section, key, body.payload, body.version, request.user, seen=found.row
        )
    except drafts.EditConflict as error:
        return Status(409, _conflict(error))
    except StoreError as error:
        return Status(422, _problems(error))
    return Status(200, SavedOut(section=saved.section, key=saved.key, version=saved.version))
