"""A stored model that no longer passes: a clear page, a JSON answer and a warning at start instead of a server error.

The check gets stricter between versions (a value listed twice, a non-finite
number, a boolean as a number ...), so a workspace database written by an older
version may hold a factory whose stored model this version refuses.
:func:`~factorysec.workspace.factories.store.factory_model` then raises
:class:`~factorysec.workspace.factories.store.StoredModelError`, which is not a
:class:`~factorysec.workspace.factories.store.StoreError` (a change refused for
its own content, answered by the page or call making it): no handler of refused
changes takes it for one. Element edits never raise it; change requests let it
through (a draft is reviewed against the stored model, so no draft action can
succeed until it passes), and so does accepting a supplier's answer about a
change; the supplier portal holds a change it cannot review, telling the vendor
that the factory's team must fix the model first. A page or an API call that
needs the whole model and lets it escape gets the answer built here, in one
place for the pages (the middleware) and one for the API (its exception
handler). Every element's own page still opens and
saves (an edit is checked on the element and the entries its checks read), so
the problems are fixed in the workspace, one element at a time.

Status 409 Conflict: the request itself is fine and may be sent again as it is;
what it needs, the stored model, conflicts with the rules of the running
version until the elements named are corrected. It is not a server fault (500:
nothing to retry, nothing for an administrator to restart) nor a refused input
(422 is what an edit gets for its own content).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from factorysec.workspace.accounts.permissions import Action, UserLike, can, vendor_party
from factorysec.workspace.apierrors import ErrorItem, ProblemOut, StaleModel
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.factories.sections import reader_language
from factorysec.workspace.factories.store import (
    SECTIONS,
    ElementProblem,
    StoredModelError,
    factory_model,
    refusal_summary,
)

STATUS = 409
"""The status of a page or API answer whose factory's stored model does not pass (see the module docstring)."""

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShownProblem:
    """A problem as the page shows it: the check's own element, field, message and hint, and the element's page."""

    problem: ElementProblem
    url: str

    @property
    def said(self) -> str:
        """The message and hint in the page's language."""
        return self.problem.said(reader_language())

    @property
    def element(self) -> str:
        if self.problem.key is None:
            return self.problem.section or "(model)"
        return (
            self.problem.key
            if self.problem.section == self.problem.key
            else f"{self.problem.section}/{self.problem.key}"
        )


def _element_url(factory: Factory, problem: ElementProblem) -> str:
    if problem.key is None or problem.section not in SECTIONS:
        return ""
    try:
        return reverse(
            "factories:element", kwargs={"slug": factory.slug, "section": problem.section, "key": problem.key}
        )
    except NoReverseMatch:  # a stored key the address cannot carry
        return ""


def visible_problems(user: UserLike, factory: Factory, error: StoredModelError) -> tuple[list[ShownProblem], int]:
    """The problems ``user`` may read (those in sections its role views; none for a vendor, who sees only its own
    party's elements) with each element's page, and how many others there are."""
    return readable_problems(user, factory, error.problems)


def readable_problems(
    user: UserLike, factory: Factory, problems: Sequence[ElementProblem]
) -> tuple[list[ShownProblem], int]:
    """Of the check's ``problems`` in ``factory``'s model (the stored one, or a draft of it), those ``user`` may read
    (see :func:`visible_problems`), and how many others there are."""
    if vendor_party(user, factory) is not None:
        return [], len(problems)
    shown: list[ShownProblem] = []
    for problem in problems:
        section = problem.section if problem.section in SECTIONS else None
        if can(user, factory, Action.VIEW_SECTION, section):
            shown.append(ShownProblem(problem, _element_url(factory, problem)))
    return shown, len(problems) - len(shown)


def _log(error: StoredModelError) -> None:
    logger.warning("%s", stale_warning(error).removeprefix("warning: "))


def stored_model_page(request: HttpRequest, error: StoredModelError) -> HttpResponse:
    """The page saying which factory's stored model does not pass, with the check's problems and the elements' pages."""
    _log(error)
    shown, hidden = visible_problems(request.user, error.factory, error)
    return render(
        request,
        "factories/stale.html",
        {"factory": error.factory, "problems": shown, "hidden": hidden, "total": len(error.problems)},
        status=STATUS,
    )


class StoredModelMiddleware:
    """Turn a :class:`StoredModelError` escaping a page into :func:`stored_model_page` (status :data:`STATUS`).

    Only the factory-level error is caught: an edit refused for its own content
    is a :class:`~factorysec.workspace.factories.store.StoreError`, which
    the edit's view answers itself.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, StoredModelError):
            return stored_model_page(request, exception)
        return None


def stored_model_answer(error: StoredModelError, user: UserLike) -> dict[str, Any]:
    """The API's answer (:class:`~factorysec.workspace.apierrors.StaleModel`): what is wrong, and the problems as the change API lists a refused draft's (with the hint)."""
    _log(error)
    shown, hidden = visible_problems(user, error.factory, error)
    sentence = (
        f"the stored model of factory '{error.factory.slug}' does not pass this version's check; "
        "correct the elements named (PUT or the workspace's element pages), then ask again"
    )
    return StaleModel(
        detail=[ErrorItem(type="stale_model", loc=[], msg=sentence)],
        factory=error.factory.slug,
        problems=[
            ProblemOut(
                section=s.problem.section,
                key=s.problem.key,
                field=s.problem.field,
                message=s.problem.message,
                hint=s.problem.hint,
            )
            for s in shown
        ],
        hidden_problems=hidden,
    ).model_dump()


def stale_factories() -> list[StoredModelError]:
    """Every factory whose stored model does not pass this version's check, each validated once (``factorysec serve``
    warns about them at start)."""
    found: list[StoredModelError] = []
    for factory in Factory.objects.order_by("slug"):
        try:
            factory_model(factory)
        except StoredModelError as error:
            found.append(error)
    return found


def stale_warning(error: StoredModelError) -> str:
    """One line about a factory whose stored model does not pass: its slug, how many problems, the first one."""
    return (
        f"warning: factory '{error.factory.slug}': {refusal_summary(error.problems)}; pages that need the whole model "
        "answer 409 until the elements are corrected in the workspace"
    )
