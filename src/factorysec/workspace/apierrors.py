"""The one shape of every refusal of the JSON API, and the responses each operation declares for it.

Every 4xx answer of ``/api/`` is ``{"detail": [{"type", "loc", "msg"}, ...]}``, the shape django-ninja gives a request
its schemas refuse: ``loc`` names where the refused input is (``["path", "slug"]``, ``["query", "offset"]``,
``["body", "payload", "name"]``, ``["header", "Authorization"]``; empty when the refusal is about the caller, not an
input), ``msg`` says why in a sentence that names the field. Some refusals carry documented members beside it (the
check's ``problems``, a conflicting save's versions). The operations declare these statuses in ``/api/openapi.json``
(:func:`refusals`), so a client generated from it knows every answer it can get.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from ninja import Schema
from ninja.errors import HttpError

from factorysec.workspace.accounts.permissions import factory_for
from factorysec.workspace.factories.models import Factory


class ErrorItem(Schema):
    """One refused input: its kind, where it is, and why (naming it)."""

    type: str
    loc: list[str | int]
    msg: str


class Error(Schema):
    """A refusal (every 4xx of the API): one entry per problem."""

    detail: list[ErrorItem]


KINDS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
}


def item(status: int, msg: str, loc: Sequence[str | int] = ()) -> ErrorItem:
    return ErrorItem(type=KINDS.get(status, "error"), loc=list(loc), msg=msg)


def error_response(kind: str, msg: str, loc: Sequence[str | int], status: int) -> JsonResponse:
    """A refusal made outside an operation (the middleware's, Django's ``handler400``) as the :class:`Error` body;
    ``kind`` says what refused it where the status alone would not (``unstorable_text``, ``too_large``)."""
    return JsonResponse(Error(detail=[ErrorItem(type=kind, loc=list(loc), msg=msg)]).model_dump(), status=status)


class Refusal(HttpError):
    """An API refusal naming where the refused input is (``loc``), answered as :class:`Error`."""

    def __init__(self, status: int, msg: str, loc: Sequence[str | int] = ()) -> None:
        super().__init__(status, msg)
        self.loc = tuple(loc)


UNAUTHORIZED = (
    "sign in, or send 'Authorization: Bearer <token>' with a token from the workspace's API tokens page"
    " (none was sent, or it is not a token of an active account)"
)
CSRF_FAILED = (
    "CSRF check failed: a signed-in browser session's POST or PUT needs the 'csrftoken' cookie's value in the"
    " X-CSRFToken header (a bearer token needs none)"
)


def http_error_body(request: HttpRequest, error: HttpError) -> dict[str, Any]:
    """The :class:`Error` body of an :class:`HttpError`: ninja's own (401, the CSRF check's 403, a body that is not
    JSON) given the input they are about, the API's :class:`Refusal` with its ``loc``."""
    status, msg, loc = error.status_code, str(error), getattr(error, "loc", ())
    if status == 401 and not isinstance(error, Refusal):  # ninja's own: neither a session nor a token it knows
        msg, loc = UNAUTHORIZED, ("header", "Authorization")
    elif status == 403 and msg.startswith("CSRF check"):
        msg, loc = CSRF_FAILED, ("header", "X-CSRFToken")
    elif status == 400 and msg.startswith("Cannot parse request body"):
        msg, loc = f"body: not JSON ({msg})", ("body",)
    return Error(detail=[item(status, msg, loc)]).model_dump()


def not_found_body(error: Http404) -> dict[str, Any]:
    return Error(detail=[item(404, str(error) or "nothing is stored under this address")]).model_dump()


def api_factory(request: HttpRequest, slug: str) -> Factory:
    """The factory ``slug`` (404 naming the path's ``slug`` when there is none), with the caller's membership read."""
    try:
        return factory_for(request.user, slug)
    except Http404:
        raise Refusal(404, f"slug: no factory '{slug}'", ("path", "slug")) from None


def refusals(*statuses: int) -> dict[int, type[Error]]:
    """The refusals an operation declares beside its own answers: 400 (a query parameter holding text no database can
    store), 401 (neither session nor token), 413 (over Django's limits on what a request may hold) for every
    operation, and ``statuses``."""
    return dict.fromkeys(sorted({400, 401, 413, *statuses}), Error)


class ProblemOut(Schema):
    """One problem ``factorysec check`` finds, by element and field, as it words it."""

    section: str
    key: str | None
    field: str
    message: str
    hint: str = ""


class Refused(Error):
    """A save the model's check refused: ``detail`` names each field of the element sent in ``loc``, and each problem
    in another element (or the model as a whole) by that element in ``msg``, with the sent element as a whole as its
    ``loc``; ``problems`` lists the check's problems (none when the request itself did not match the operation's
    schema)."""

    problems: list[ProblemOut] = []


class StaleModel(Refused):
    """409: the factory's stored model does not pass this version's check; the problems in sections the caller's role
    sees are listed, the others counted."""

    factory: str
    hidden_problems: int


class FieldRefused(Error):
    """A refusal about one field of the body, also given as ``field`` and ``message``."""

    field: str = ""
    message: str = ""


def field_refused(status: int, field: str, message: str) -> FieldRefused:
    loc: tuple[str, ...] = ("body", field) if field else ("body",)
    return FieldRefused(
        detail=[item(status, f"{field}: {message}" if field else message, loc)], field=field, message=message
    )


def problems_refused(
    problems: Sequence[Any],
    where: Sequence[str] = ("body",),
    status: int = 422,
    *,
    sent: tuple[str, str | None] | None = None,
) -> Refused:
    """The check's problems (:class:`~factorysec.workspace.factories.store.ElementProblem`) as a :class:`Refused`.

    A problem in the element the request sent (``sent``: its section and key) gives its field's ``loc`` under
    ``where`` (the element's place in the body). A problem the change causes in another element (a conduit's
    ``to_assets[0]`` naming the asset the request moves) or in the model as a whole is not in the body: its ``loc`` is
    ``where`` itself (the sent element as a whole is what is refused), and its ``msg`` names that element first, then
    says it is another one than the element sent; ``problems`` gives its section, key and field.
    """
    shown = [
        ProblemOut(section=p.section, key=p.key, field=p.field, message=p.message, hint=getattr(p, "hint", ""))
        for p in problems
    ]
    detail = []
    for p in shown:
        if sent is None or (p.section, p.key) == sent:
            detail.append(
                item(
                    status,
                    f"{p.section}/{p.key or ''}: {p.field}: {p.message}",
                    (*where, *((p.field,) if p.field else ())),
                )
            )
            continue
        field = f" {p.field}:" if p.field else ""
        mine = f"{sent[0]}/{sent[1]}" if sent[1] else sent[0]
        if p.key:
            said = f"{p.section}/{p.key}:{field} {p.message} (another element than the one sent, {mine}, which this"
            said += " change would leave so)"
        else:
            said = f"{p.section}:{field} {p.message} (the model as a whole, not the element sent, {mine})"
        detail.append(item(status, said, where))
    return Refused(detail=detail or [item(status, "refused by the model's check", where)], problems=shown)


def method_not_allowed(request: HttpRequest, allowed: Sequence[str]) -> JsonResponse:
    """A method the address has no operation for (``DELETE`` on a read): 405 in the one shape, ``loc`` ``["method"]``,
    the methods it answers in the ``Allow`` header (sorted) and named in ``msg``."""
    methods = sorted({m.strip().upper() for m in allowed if m.strip()})
    body = Error(
        detail=[
            item(
                405,
                f"method: {request.method} is not an operation of {request.path}; it answers "
                f"{', '.join(methods) or 'no method'} (see /api/docs)",
                ("method",),
            )
        ]
    )
    response = JsonResponse(body.model_dump(), status=405)
    response["Allow"] = ", ".join(methods)
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The workspace's ``handler404``: an address under ``/api/`` that names no operation (or holds text nothing is
    stored under) answers the API's 404 JSON, instead of the site's HTML page; any other address gets the site's page
    with its header, in the page's language, and a link back (the factory's overview when the address is in a factory
    the reader works on, else the list of factories). It was Django's bare English 'Not Found' with no way on.

    The page says only that nothing is here: an element a vendor may not see is not found either, and the page must
    not tell it from one that does not exist (nor repeat the exception's words, which may name what was asked for)."""
    if request.path.startswith("/api/"):
        body = Error(detail=[item(404, f"no operation of the API at {request.path}; see /api/docs", ("path",))])
        return JsonResponse(body.model_dump(), status=404)
    try:
        return _not_found_page(request)
    except Exception:  # the page needs the database (the header's links): never a 500 in place of a 404
        return defaults.page_not_found(request, exception)


_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,128}")
"""A factory's slug (Django's slug path converter, the column's length): only such text is looked up."""


def _not_found_page(request: HttpRequest) -> HttpResponse:
    from django.shortcuts import render
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from factorysec.workspace.accounts.permissions import role_of

    parts = request.path.split("/")
    slug = parts[2] if len(parts) > 2 and parts[1] == "f" else ""
    factory = Factory.objects.filter(slug=slug).first() if _SLUG.fullmatch(slug) else None
    member = factory if factory is not None and role_of(request.user, factory) is not None else None
    back = reverse("factories:overview", args=[member.slug]) if member is not None else reverse("factories:index")
    return render(
        request,
        "not_found.html",
        # the language switch returns to the link back: the page repeats nothing of the address asked for
        {"factory": member, "message": _("Nothing is stored under this address."), "back": back, "language_next": back},
        status=404,
    )
