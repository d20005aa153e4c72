"""The JSON API of factory spaces; its schemas are the model's own pydantic classes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from pydantic import BaseModel

from factorysec.model.entities import Asset, Conduit, FactoryModel, Zone
from factorysec.workspace.accounts.permissions import Action, can, party_assets, vendor_party, vendor_sees
from factorysec.workspace.apierrors import Refusal, Refused, StaleModel, api_factory, problems_refused, refusals
from factorysec.workspace.factories.models import Element, Factory, SectionCount
from factorysec.workspace.factories.paging import Limit, Offset
from factorysec.workspace.factories.store import SECTIONS, StoreError, factory_model, save_element

router = Router(tags=["factories"])


class FactorySummary(BaseModel):
    slug: str
    name: str


def _factory(request: HttpRequest, slug: str, action: Action, section: str | None = None) -> Factory:
    factory = api_factory(request, slug)
    if not can(request.user, factory, action, section):
        raise Refusal(403, "your role in this factory does not allow this")
    return factory


@router.get("/", response={200: list[FactorySummary], **refusals()})
def list_factories(request: HttpRequest) -> list[FactorySummary]:
    return [
        FactorySummary(slug=f.slug, name=f.name)
        for f in Factory.objects.all()
        if can(request.user, f, Action.VIEW_OVERVIEW)
    ]


@router.get(
    "/{slug}/model",
    response={200: FactoryModel, **refusals(403, 404), 409: StaleModel},
    by_alias=True,
    exclude_defaults=True,
)
def get_model(request: HttpRequest, slug: str) -> FactoryModel:
    """The whole model, as ``factorysec schema`` describes it (needs the right to export it)."""
    return factory_model(_factory(request, slug, Action.EXPORT))


SECTION_PAGE = 100
"""Elements per response of a section unless ``limit`` asks otherwise (at most :data:`SECTION_LIMIT`)."""
SECTION_LIMIT = 1000


@router.get("/{slug}/sections/{section}", response={200: list[dict[str, Any]], **refusals(403, 404, 422)})
def list_section(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    section: str,
    offset: Offset = 0,
    limit: Limit = SECTION_PAGE,
) -> list[dict[str, Any]]:
    """The elements of one section as stored (a vendor gets only its own party's), in model order, a page at a time:
    ``offset`` (0 to 2**63 - 1, else 422) and ``limit`` (100 by default, at most 1000; a negative one is 422). The
    section's size is in the ``X-Total-Count`` header and, while more follow, the next page's address in
    ``Link: <...>; rel="next"``."""
    if section not in SECTIONS:
        raise Refusal(404, f"section: no section '{section}'", ("path", "section"))
    factory = _factory(request, slug, Action.VIEW_SECTION, section)
    limit = min(limit, SECTION_LIMIT)
    rows = Element.objects.filter(factory=factory, section=section, payload__isnull=False).order_by("position", "pk")
    party = vendor_party(request.user, factory)
    if party is not None:
        own = party_assets(
            party, [r.payload for r in Element.objects.filter(factory=factory, section="assets", payload__isnull=False)]
        )
        visible = [
            payload for payload in rows.values_list("payload", flat=True) if vendor_sees(party, own, section, payload)
        ]
        total, payloads = len(visible), visible[offset : offset + limit]
    else:
        kept = SectionCount.live_of(factory.pk, section)
        total = kept if kept is not None else rows.count()
        payloads = Element.page(factory.pk, section, offset, limit)
    response["X-Total-Count"] = str(total)
    if offset + limit < total and limit:
        response["Link"] = f'<{request.path}?{urlencode({"offset": offset + limit, "limit": limit})}>; rel="next"'
    return payloads


def _put(request: HttpRequest, slug: str, section: str, key: str, element: BaseModel) -> Status[Any]:
    factory = _factory(request, slug, Action.EDIT_SECTION, section)
    if not Element.objects.filter(factory=factory, section=section, key=key, payload__isnull=False).exists():
        raise Refusal(404, f"key: no {section} element '{key}'", ("path", "key"))
    try:
        save_element(
            factory,
            section,
            key,
            element.model_dump(mode="json", by_alias=True, exclude_defaults=True),
            request.user,
            "api",
        )
    except StoreError as error:
        return Status(422, problems_refused(error.problems, sent=(section, key)))
    return Status(200, element)


@router.put("/{slug}/assets/{key}", response={200: Asset, **refusals(403, 404), 422: Refused}, by_alias=True)
def put_asset(request: HttpRequest, slug: str, key: str, element: Asset) -> Status[Any]:
    """Replace one asset; refused (422) with the check's problems when the model would not pass ``factorysec check``."""
    return _put(request, slug, "assets", key, element)


@router.put("/{slug}/zones/{key}", response={200: Zone, **refusals(403, 404), 422: Refused}, by_alias=True)
def put_zone(request: HttpRequest, slug: str, key: str, element: Zone) -> Status[Any]:
    return _put(request, slug, "zones", key, element)


@router.put("/{slug}/conduits/{key}", response={200: Conduit, **refusals(403, 404), 422: Refused}, by_alias=True)
def put_conduit(request: HttpRequest, slug: str, key: str, element: Conduit) -> Status[Any]:
    return _put(request, slug, "conduits", key, element)
