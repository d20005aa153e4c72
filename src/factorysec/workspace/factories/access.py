"""One decorator for every page of a factory space: log-in required, the factory looked up, the role's permission checked."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from factorysec.workspace.accounts.permissions import Action, can
from factorysec.workspace.factories.models import Factory

FactoryView = Callable[..., HttpResponse]


def forbidden() -> HttpResponse:
    return HttpResponseForbidden(_("Your role in this factory does not allow this."))


def factory_view(*actions: Action, per_section: bool = False) -> Callable[[FactoryView], Callable[..., HttpResponse]]:
    """Wrap a view ``(request, factory, ...)`` reached as ``(request, slug, ...)``: 403 unless the user may do every one of ``actions``.

    With ``per_section`` the view's ``section`` argument must be a model
    section (404 otherwise) and the permission is asked for that section.
    """

    def wrap(view: FactoryView) -> Callable[..., HttpResponse]:
        @login_required
        @functools.wraps(view)
        def inner(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            from factorysec.workspace.factories.store import SECTIONS

            section = kwargs.get("section") if per_section else None
            if per_section and section not in SECTIONS:
                raise Http404(section)
            factory = get_object_or_404(Factory, slug=slug)
            if not all(can(request.user, factory, action, section) for action in actions):
                return forbidden()
            return view(request, factory, *args, **kwargs)

        return inner

    return wrap
