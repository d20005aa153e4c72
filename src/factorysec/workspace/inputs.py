"""Text no database of the workspace can store, refused where it comes in: in a query parameter, a form field, a part
of the address or a JSON body, before any view reads it.

Two kinds of character cannot be stored:

- NUL (U+0000): PostgreSQL refuses it in text and in ``jsonb`` ("A string literal cannot contain NUL (0x00)
  characters"), where SQLite stores it; so a page or API call given one failed with a server error on PostgreSQL
  only (an element's name, a change's title, a search, a filter, an element's key in the address). It is refused on
  every database, so that a workspace behaves the same on SQLite and PostgreSQL and a SQLite workspace holds nothing
  that a move to PostgreSQL would lose.
- half of a UTF-16 surrogate pair (U+D800 to U+DFFF alone): a JSON body can write one (``"\\ud800"``), no UTF-8 text
  can hold it, so neither database can.

A refusal names the field, as every refusal of the workspace does: 400 for a query parameter, 422 for a form field or
a JSON body (the JSON API answers ``{"detail": [{"type", "loc", "msg"}]}`` as for any other invalid input), 404 for
a part of the address (nothing is stored under such a name). A form the server cannot read at all (a part's headers
over Django's limit, a broken multipart body) is refused with 400 and Django's reason instead of a blank page.

A request over one of Django's limits on what it reads (``DATA_UPLOAD_MAX_MEMORY_SIZE``, 2.5 MB of form fields or
body; ``DATA_UPLOAD_MAX_NUMBER_FIELDS``, 1000 fields; ``DATA_UPLOAD_MAX_NUMBER_FILES``, 100 files) is refused with 413
saying which limit and how large it is (:func:`bad_request`, the workspace's ``handler400``), instead of Django's bare
"Bad Request (400)" page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from factorysec.workspace.apierrors import error_response
from factorysec.workspace.factories.validators import texts_in

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
API_PREFIX = "/api/"


def unstorable(text: str) -> str | None:
    """Why ``text`` cannot be stored (one phrase), or ``None`` when it can."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return _("holds U+0000 (NUL), a character the workspace's database cannot store; remove it")
    return _(
        "holds U+%(code)04X, half of a UTF-16 surrogate pair, which no UTF-8 text can hold; remove it or write the"
        " whole character"
    ) % {"code": ord(found.group())}


def _in_pairs(pairs: Iterable[tuple[str, list[Any]]]) -> tuple[str, str] | None:
    """The first (name, reason) among a query's or form's names and values whose text cannot be stored."""
    for name, values in pairs:
        for text in [name, *(v for v in values if isinstance(v, str))]:
            reason = unstorable(text)
            if reason is not None:
                return _shown(name), reason
    return None


def _in_files(request: HttpRequest) -> tuple[str, str] | None:
    for name, uploads in request.FILES.lists():
        for upload in uploads:
            reason = unstorable(upload.name or "")
            if reason is not None:
                return _shown(name), _("its file name %(reason)s") % {"reason": reason}
    return None


def _in_json(value: Any) -> tuple[tuple[str | int, ...], str] | None:
    """The place (keys and indexes) and reason of the first text in a JSON document that cannot be stored."""
    for place, text, is_key in texts_in(value):
        reason = unstorable(text)
        if reason is not None:
            if is_key:
                return (*place[:-1], _shown(text)), _("its key %(reason)s") % {"reason": reason}
            return place, reason
    return None


def _shown(name: str) -> str:
    """A field's name as a refusal quotes it: what cannot be stored spelt out, and cut when very long."""
    spelt = "".join(f"\\u{ord(c):04x}" if _UNSTORABLE.match(c) else c for c in name)
    return spelt if len(spelt) <= 60 else spelt[:60] + "…"


def _refused(request: HttpRequest, status: int, source: str, place: tuple[str | int, ...], reason: str) -> HttpResponse:
    field = ".".join(str(p) for p in place) or source
    if request.path.startswith(API_PREFIX):
        return error_response("unstorable_text", f"{field}: {reason}", (source, *place), status)
    return HttpResponse(f"{field}: {reason}\n", status=status, content_type="text/plain; charset=utf-8")


class UnstorableInputMiddleware:
    """Refuse a request whose query, form, uploaded file names, address or JSON body hold text no database can store.

    Listed before Django's CSRF check, so that a form the server cannot read is answered here with its reason.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        for part in [*args, *kwargs.values()]:
            if isinstance(part, str) and unstorable(part) is not None:
                raise Http404(_("Nothing is stored under this address."))
        found = _in_pairs(request.GET.lists())
        if found is not None:
            return _refused(request, 400, "query", (found[0],), found[1])
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        content_type = request.content_type or ""
        if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            try:
                found = _in_pairs(request.POST.lists()) or _in_files(request)
            except MultiPartParserError as error:
                reason = _("the form could not be read (%(reason)s)") % {"reason": error}
                return _refused(request, 400, "form", (), reason)
            if found is not None:
                return _refused(request, 422, "form", (found[0],), found[1])
        elif content_type == "application/json" and request.body:
            try:
                document = json.loads(request.body)
            except ValueError:
                return None  # not JSON: the API's own parser refuses it
            place = _in_json(document)
            if place is not None:
                return _refused(request, 422, "body", place[0], place[1])
        return None


TOO_LARGE = 413
"""The status of a request over one of Django's limits on what it reads (Content Too Large)."""


def _over_limit(request: HttpRequest, exception: Exception) -> tuple[str, str] | None:
    """Which part of ``request`` went over which of Django's limits (``body``, ``form`` or ``query``) and the
    sentence saying so, or ``None`` for any other reason to refuse a request."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return "body", _(
            "the request is too large: its form fields or body hold more than %(size)s MB, the workspace's limit"
            " (DATA_UPLOAD_MAX_MEMORY_SIZE in its settings; files uploaded with a form do not count); send a long"
            " text as a file, or send less at once"
        ) % {"size": f"{limit / 2**20:g}"}
    if isinstance(exception, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        query = request.META.get("QUERY_STRING", "")
        source = "query" if query and len(query.split("&")) > limit else "form"
        return source, _(
            "the request holds more than %(count)s fields (query parameters or form fields), the workspace's limit"
            " (DATA_UPLOAD_MAX_NUMBER_FIELDS in its settings); send less at once"
        ) % {"count": limit}
    if isinstance(exception, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return "form", _(
            "the form holds more than %(count)s files, the workspace's limit (DATA_UPLOAD_MAX_NUMBER_FILES in its"
            " settings); send fewer files at once"
        ) % {"count": limit}
    return None


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The workspace's ``handler400``: a request over one of Django's limits on what it reads is refused with 413
    naming the limit (the API as ``{"detail": [{"type": "too_large", "loc", "msg"}]}``, a page otherwise); any other
    bad request gets Django's own 400 page. Django calls it only with ``DEBUG`` off; with it on, its debug page says
    which limit."""
    found = _over_limit(request, exception)
    if found is None:
        return defaults.bad_request(request, exception)
    source, reason = found
    if request.path.startswith(API_PREFIX):
        return error_response("too_large", f"{source}: {reason}", (source,), TOO_LARGE)
    return render(request, "too_large.html", {"source": source, "reason": reason}, status=TOO_LARGE)
