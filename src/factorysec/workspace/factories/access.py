"""One decorator for every page of a factory space: log-in required, the factory looked up, the role's permission checked."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from factorysec.workspace.accounts.permissions import Action, can
from factorysec.workspace.factories.models import Factory

FactoryView = Callable[..., HttpResponse]


def forbidden(request: HttpRequest, factory: Factory | str | None = None) -> HttpResponse:
    """The 403 page: the site's header (the factory's links the reader's role opens, none in a factory the reader is not
    a member of), what was refused in the page's language, and a link back (the page the reader came from on this site,
    else the factory's overview or the list of factories); it was one bare sentence with no way on."""
    from django.shortcuts import render
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    from factorysec.workspace.accounts.permissions import role_of

    if isinstance(factory, str):
        factory = Factory.objects.filter(slug=factory).first()
    member = factory if factory is not None and role_of(request.user, factory) is not None else None
    back = request.headers.get("referer", "")
    if not back or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("factories:overview", args=[member.slug]) if member is not None else reverse("factories:index")
    return render(
        request,
        "forbidden.html",
        {"factory": member, "message": _("Your role in this factory does not allow this."), "back": back},
        status=403,
    )


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
                return forbidden(request, factory)
            return view(request, factory, *args, **kwargs)

        return inner

    return wrap
