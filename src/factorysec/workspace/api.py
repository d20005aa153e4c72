"""The workspace's JSON API: session login (with CSRF) for the browser, bearer tokens for CI."""

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver
from django.utils import translation
from django.views.decorators.http import require_safe
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError, ValidationErrorContext
from ninja.security import django_auth

from factorysec.workspace.accounts.tokens import BearerToken
from factorysec.workspace.apierrors import http_error_body, method_not_allowed, not_found_body
from factorysec.workspace.audit.api import router as audit_router
from factorysec.workspace.changes.api import router as changes_router
from factorysec.workspace.factories.api import router as factories_router
from factorysec.workspace.factories.stale import STATUS, stored_model_answer
from factorysec.workspace.factories.store import StoredModelError
from factorysec.workspace.results.api import router as results_router
from factorysec.workspace.suppliers.api import router as suppliers_router


def _allowed_as_json(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """``view`` answering in English (a script reads the API's messages, whatever language the browser session
    chose for the pages), answering ``HEAD`` where it answers ``GET`` (as ``GET``; the server sends no body), and with its 405
    (django-ninja's text ``Method not allowed``, Django's empty one) answered as the API's refusal
    (:func:`~factorysec.workspace.apierrors.method_not_allowed`), keeping the ``Allow`` header's methods."""

    @wraps(view)
    def answered(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with translation.override("en"):  # the API's messages are English whatever the session's language
            return _answered(request, *args, **kwargs)

    def _answered(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        allowed = {method.strip().upper() for method in response.get("Allow", "").split(",") if method.strip()}
        if "GET" in allowed and request.method == "HEAD":
            request.method = "GET"
            try:
                return view(request, *args, **kwargs)
            finally:
                request.method = "HEAD"
        return method_not_allowed(request, sorted(allowed | ({"HEAD"} if "GET" in allowed else set())))

    return answered


def _field(loc: Sequence[str | int]) -> str:
    """The input ``loc`` names as a refusal's ``msg`` names it: ``offset``, ``payload.traits[1]``, ``body``."""
    named = ""
    for part in loc[1:]:
        named += f"[{part}]" if isinstance(part, int) else f".{part}" if named else str(part)
    return (named or str(loc[0])) if loc else ""


class WorkspaceAPI(NinjaAPI):
    """The API whose every address answers a method it has no operation for as a refusal in the one shape, and whose
    schema refusals (422) name the field in ``msg`` and give ``loc`` as the request holds it."""

    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext[Any]]
    ) -> ValidationError:
        """django-ninja's refusals, each ``loc`` without the operation's body parameter's name (``["body", "title"]``,
        not ``["body", "body", "title"]``: the JSON body has no such member) and each ``msg`` led by the field it is
        about (``offset: Input should be greater than or equal to 0``)."""
        error = super().validation_error_from_error_contexts(error_contexts)
        single = {getattr(c.model, "__read_from_single_attr__", None) for c in error_contexts} - {None}
        for entry in error.errors:
            loc = list(entry.get("loc", ()))
            if len(loc) >= 2 and loc[0] == "body" and loc[1] in single:
                del loc[1]
            entry["loc"] = loc
            entry["msg"] = f"{_field(loc)}: {entry.get('msg', '')}" if loc else str(entry.get("msg", ""))
        return error

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _allowed_as_json(pattern.callback)
        return patterns


api = WorkspaceAPI(
    title="factorysec workspace",
    version="1",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    docs_decorator=require_safe,
)
api.add_router("/factories", factories_router)
api.add_router("/factories", results_router)
api.add_router("/", audit_router)
api.add_router("/", changes_router)
api.add_router("/", suppliers_router)


@api.exception_handler(HttpError)
def refused(request: HttpRequest, error: HttpError) -> HttpResponse:
    """Every refusal as ``{"detail": [{"type", "loc", "msg"}]}`` (ninja's own gave ``{"detail": "Unauthorized"}``)."""
    return api.create_response(request, http_error_body(request, error), status=error.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    """Something the address names is not there (or not for this caller), in the one shape, with what is missing."""
    return api.create_response(request, not_found_body(error), status=404)


@api.exception_handler(StoredModelError)
def stored_model_refused(request: HttpRequest, error: StoredModelError) -> HttpResponse:
    """A call that needs the whole model of a factory whose stored model no longer passes this version's check: 409
    (the stored state conflicts with the running version's rules; see :mod:`factorysec.workspace.factories.stale`)
    with the check's problems, instead of a server error."""
    return api.create_response(request, stored_model_answer(error, request.user), status=STATUS)
