"""The API keeps the contract it publishes: every operation of ``/api/openapi.json``, called as each kind of caller with
valid and invalid input, answers a status the operation declares, as JSON, with a body valid against the schema declared
for that status; every refusal (4xx) is ``{"detail": [{"type", "loc", "msg"}, ...]}`` (some carry documented members
beside it); the documented authentication (bearer tokens, sessions, CSRF on a session's writes) holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
from django.contrib.auth.models import User
from django.test import Client

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.accounts.tokens import issue_token
from factorysec.workspace.changes.models import ChangeRequest
from factorysec.workspace.factories.jobs import latest_analysis
from factorysec.workspace.factories.models import Element, Factory
from factorysec.workspace.results.models import StoredFinding
from factorysec.workspace.suppliers.models import SupplierAnswer
from tests.workspace.conftest import PASSWORD, client_for, make_member
from tests.workspace.factories.test_stale import _store_repeat

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

SLUG = "annex-a-factory"
VENDOR_PARTY = "line-vendor"
VENDOR_ASSET = "parts-line"
"""An asset the vendor's party supplies (so the vendor sees it) in the Annex A example."""


@dataclass(frozen=True)
class Caller:
    name: str
    client: Client
    headers: dict[str, str] = field(default_factory=dict)

    def call(self, method: str, path: str, body: bytes | None = None, query: str = "") -> Response:
        address = f"{path}?{query}" if query else path
        send: Callable[..., Response] = getattr(self.client, method)
        if body is None:
            return send(address, headers=self.headers)
        return send(address, body, content_type="application/json", headers=self.headers)


@dataclass
class World:
    """The factory and what the operations' addresses name: a change request, an analysis job, a supplier's answer."""

    factory: Factory
    callers: list[Caller]
    change: int
    job: int
    answer: int
    vendor: Caller
    empty_change: int
    """A change request with no edit, which asks nobody's sign-off, so that a merge succeeds."""


def _json(value: Any) -> bytes:
    import json

    return json.dumps(value).encode()


@pytest.fixture
def world(annex_a: Factory) -> World:
    admin = User.objects.create_superuser("root", "", PASSWORD)
    security = make_member(annex_a, Role.SECURITY_IT)
    management = make_member(annex_a, Role.MANAGEMENT)
    vendor = make_member(annex_a, Role.VENDOR, VENDOR_PARTY)
    ci = make_member(annex_a, Role.PRODUCTION)
    token = issue_token(ci, "CI")
    vendor_caller = Caller("vendor", client_for(vendor))
    callers = [
        Caller("admin", client_for(admin)),
        Caller("security-it", client_for(security)),
        Caller("management", client_for(management)),
        vendor_caller,
        Caller("anonymous", Client()),
        Caller("token", Client(), {"Authorization": f"Bearer {token}"}),
        Caller("wrong-token", Client(), {"Authorization": "Bearer fsec_wrong"}),
    ]
    security_client = client_for(security)
    job = security_client.post(f"/api/factories/{SLUG}/analysis")
    assert job.status_code == 202, job.content
    change = security_client.post(
        f"/api/factories/{SLUG}/changes", {"title": "contract"}, content_type="application/json"
    )
    assert change.status_code == 201, change.content
    portal = vendor_caller.client.get(f"/api/factories/{SLUG}/supplier/checklists")
    assert portal.status_code == 200, portal.content
    item = next(c for c in portal.json()["checklists"] if c["asset"] == VENDOR_ASSET)["entries"][0]["item"]
    answer = vendor_caller.client.post(
        f"/api/factories/{SLUG}/supplier/answers",
        {"subject": VENDOR_ASSET, "item": item, "answer": "yes"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    empty = security_client.post(f"/api/factories/{SLUG}/changes", {"title": "empty"}, content_type="application/json")
    assert empty.status_code == 201, empty.content
    return World(
        annex_a, callers, change.json()["id"], job.json()["id"], answer.json()["id"], vendor_caller, empty.json()["id"]
    )


def _payload(world: World, section: str, key: str) -> dict[str, Any]:
    payload: dict[str, Any] = Element.objects.get(factory=world.factory, section=section, key=key).payload
    return payload


def _first_key(world: World, section: str) -> str:
    key: str = (
        Element.objects.filter(factory=world.factory, section=section, payload__isnull=False)
        .order_by("position")
        .values_list("key", flat=True)[0]
    )
    return key


def _version(world: World, section: str, key: str) -> int:
    version: int = Element.objects.get(factory=world.factory, section=section, key=key).version
    return version


def _item(world: World) -> str:
    item: str = SupplierAnswer.objects.get(pk=world.answer).item
    return item


def _finding(world: World) -> str:
    """A finding the latest analysis stored (one whose id needs no escaping in a path: no ``#``); a later analysis
    replaces an earlier one's findings, and the walk queues analyses."""
    finding: str = (
        StoredFinding.objects.filter(job=latest_analysis(world.factory))
        .exclude(finding__contains="#")
        .order_by("position")
        .values_list("finding", flat=True)[0]
    )
    return finding


def _approver(world: World) -> str:
    approvers = ChangeRequest.objects.get(pk=world.change).approvers
    return str(approvers[0]["key"]) if approvers else "department:none"


PARAMETERS: dict[str, Callable[[World], str]] = {
    "slug": lambda w: SLUG,
    "section": lambda w: "assets",
    "key": lambda w: VENDOR_ASSET,
    "number": lambda w: str(w.change),
    "job_id": lambda w: str(w.job),
    "finding": lambda w: _finding(w),
}
"""A value every caller may be asked about, per path parameter (but see :func:`_parameter`)."""

BODIES: dict[tuple[str, str], Callable[[World], Any]] = {
    ("put", "/api/factories/{slug}/assets/{key}"): lambda w: _payload(w, "assets", VENDOR_ASSET),
    ("put", "/api/factories/{slug}/zones/{key}"): lambda w: _payload(w, "zones", _first_key(w, "zones")),
    ("put", "/api/factories/{slug}/conduits/{key}"): lambda w: _payload(w, "conduits", _first_key(w, "conduits")),
    ("post", "/api/factories/{slug}/decisions"): lambda w: {
        "finding": "ZONE-1@x",
        "status": "accepted",
        "justification": "contract",
        "owner": "security",
    },
    ("post", "/api/factories/{slug}/changes"): lambda w: {"title": "another"},
    ("post", "/api/factories/{slug}/findings/{finding}/comments"): lambda w: {"text": "contract"},
    ("put", "/api/factories/{slug}/changes/{number}/edits/{section}/{key}"): lambda w: {
        "version": _version(w, "assets", VENDOR_ASSET),
        "payload": _payload(w, "assets", VENDOR_ASSET) | {"name": "renamed in the draft"},
    },
    ("post", "/api/factories/{slug}/changes/{number}/signoffs"): lambda w: {
        "approver": _approver(w),
        "verdict": "approved",
    },
    ("put", "/api/factories/{slug}/elements/{section}/{key}"): lambda w: {
        "version": _version(w, "assets", VENDOR_ASSET),
        "payload": _payload(w, "assets", VENDOR_ASSET),
    },
    ("post", "/api/factories/{slug}/supplier/answers"): lambda w: {
        "subject": VENDOR_ASSET,
        "item": _item(w),
        "answer": "no",
    },
    ("post", "/api/factories/{slug}/supplier/answers/{number}/verdict"): lambda w: {"verdict": "accepted"},
}
"""A valid body for each operation that takes one (the walk fails on an operation with a body missing here)."""

INVALID_BODIES: list[tuple[str, bytes]] = [
    ("not JSON", b"{not json"),
    ("a list", b"[]"),
    ("empty object", b"{}"),
    (
        "NUL in a text",
        _json({"title": "a\u0000b", "payload": {"id": "a\u0000"}, "verdict": "a\u0000", "text": "a\u0000"}),
    ),
]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def query(self) -> list[str]:
        return [p["name"] for p in self.spec.get("parameters", []) if p["in"] == "query"]

    @property
    def has_body(self) -> bool:
        return "requestBody" in self.spec

    def address(self, world: World, **override: str) -> str:
        path = self.path
        for name in PARAMETERS:
            if "{" + name + "}" in path:
                path = path.replace("{" + name + "}", override.get(name, _parameter(self.path, name, world)))
        return path


def _parameter(path: str, name: str, world: World) -> str:
    """The valid value of the path parameter ``name`` in ``path``."""
    if name == "number" and "/supplier/answers/" in path:
        return str(world.answer)
    if name == "number" and path.endswith("/merge"):
        return str(world.empty_change)
    for section in ("zones", "conduits"):
        if name == "key" and f"/{section}/" in path:
            return _first_key(world, section)
    return PARAMETERS[name](world)


def _operations(document: dict[str, Any]) -> Iterator[Operation]:
    for path, item in document["paths"].items():
        for method, spec in item.items():
            yield Operation(method, path, spec)


def _schema_for(document: dict[str, Any], operation: Operation, status: int) -> dict[str, Any] | None:
    declared = operation.spec["responses"].get(str(status))
    if declared is None:
        return None
    schema: dict[str, Any] = declared.get("content", {}).get("application/json", {}).get("schema", {})
    return {**schema, "components": document["components"]}


REFUSAL = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["type", "loc", "msg"],
                "properties": {
                    "type": {"type": "string"},
                    "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                    "msg": {"type": "string", "minLength": 1},
                },
            },
        }
    },
}
"""Every refusal's body: what the operation declares for the status, and in any case this."""


def _violations(document: dict[str, Any], operation: Operation, what: str, response: Response) -> list[str]:
    where = f"{operation.method.upper()} {operation.path} ({what}) -> {response.status_code}"
    if str(response.status_code) not in operation.spec["responses"]:
        return [
            f"{where}: status not declared (declared: {sorted(operation.spec['responses'])}): {response.content[:200]!r}"
        ]
    if not response.get("Content-Type", "").startswith("application/json"):
        return [f"{where}: Content-Type {response.get('Content-Type')!r}, not JSON: {response.content[:200]!r}"]
    body = response.json()
    found: list[str] = []
    schema = _schema_for(document, operation, response.status_code)
    if schema is not None:
        error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(body))
        if error is not None:
            found.append(f"{where}: body does not match the declared schema: {error.message} at {list(error.path)}")
    if response.status_code >= 400:
        error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(REFUSAL).iter_errors(body))
        if error is not None:
            found.append(f"{where}: refusal not in the one shape: {error.message}: {body!r:.300}")
    return found


def _calls(operation: Operation, world: World) -> Iterator[tuple[str, Caller, str, bytes | None, str]]:
    """(what, caller, address, body, query) of every call the walk makes to ``operation``."""
    body_of = BODIES.get((operation.method, operation.path))
    assert body_of is not None or not operation.has_body, f"no valid body for {operation.method} {operation.path}"
    valid = _json(body_of(world)) if body_of is not None else None
    address = operation.address(world)
    for caller in world.callers:
        yield "valid", caller, address, valid, ""
    admin = world.callers[0]
    for caller in (admin, world.vendor):
        yield "unknown factory", caller, operation.address(world, slug="no-such-factory"), valid, ""
        if "{section}" in operation.path:
            yield "unknown section", caller, operation.address(world, section="nosuch"), valid, ""
        if "{key}" in operation.path:
            yield "unknown key", caller, operation.address(world, key="no-such-key"), valid, ""
        if "{finding}" in operation.path:
            yield "unknown finding", caller, operation.address(world, finding="NO-SUCH-RULE@x"), valid, ""
        for number in ("number", "job_id"):
            if "{" + number + "}" in operation.path:
                yield f"unknown {number}", caller, operation.address(world, **{number: "987654"}), valid, ""
                yield f"{number} too large", caller, operation.address(world, **{number: str(2**70)}), valid, ""
                yield f"{number} not a number", caller, operation.address(world, **{number: "first"}), valid, ""
        yield "NUL in the query", caller, address, valid, "q=%00"
        for name in operation.query:
            yield f"{name} not a number", caller, address, valid, f"{name}=many"
            yield f"{name} too large", caller, address, valid, f"{name}={2**70}"
            yield f"{name} negative", caller, address, valid, f"{name}=-1"
        if operation.has_body:
            for what, body in INVALID_BODIES:
                yield what, caller, address, body, ""


def _document() -> dict[str, Any]:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    document: dict[str, Any] = response.json()
    return document


ORDER = {"get": 0, "put": 1, "post": 2}
"""Reads first, then saves, then the POSTs (a verdict and a merge last: they close what the others use)."""


def _walk(world: World, document: dict[str, Any], valid_only: bool = False) -> tuple[list[str], set[tuple[str, str]]]:
    """The contract violations of every call to every operation, and the operations that answered a call with 2xx."""
    operations = list(_operations(document))
    found: list[str] = []
    succeeded: set[tuple[str, str]] = set()
    for operation in sorted(operations, key=lambda o: (ORDER[o.method], "merge" in o.path, "verdict" in o.path)):
        for what, caller, address, body, query in _calls(operation, world):
            if valid_only and what != "valid":
                continue
            answer = caller.call(operation.method, address, body, query)
            found += _violations(document, operation, f"{what} as {caller.name}", answer)
            if answer.status_code < 300:
                succeeded.add((operation.method, operation.path))
    return found, succeeded


def test_every_operation_answers_as_its_openapi_declares(world: World) -> None:
    document = _document()
    operations = {(o.method, o.path) for o in _operations(document)}
    assert len(operations) >= 26, "the walk reads every operation the document lists"
    found, succeeded = _walk(world, document)
    assert not found, "\n".join(found)
    assert succeeded == operations, f"no valid call succeeded: {sorted(operations - succeeded)}"


def test_a_stored_model_this_version_refuses_is_a_declared_409(world: World) -> None:
    """The factory's stored model stops passing the check (an upgrade): what needs the whole model answers the 409 it
    declares, with the problems."""
    _store_repeat(world.factory)
    document = _document()
    found, _ = _walk(world, document, valid_only=True)
    assert not found, "\n".join(found)
    model = world.callers[0].call("get", f"/api/factories/{SLUG}/model")
    assert model.status_code == 409 and model.json()["problems"][0]["field"] == "traits[1]", model.content


def test_an_address_under_api_that_names_no_operation_is_a_json_404(world: World) -> None:
    for address in ("/api/nothing-here", f"/api/factories/{SLUG}/nothing", "/api/factories/a%00b/model"):
        response = world.callers[0].call("get", address)
        assert response.status_code == 404 and response["Content-Type"].startswith("application/json"), address
        assert jsonschema.Draft202012Validator(REFUSAL).is_valid(response.json()), response.content


def test_a_sessions_write_needs_the_csrf_token_a_bearer_token_does_not(world: World) -> None:
    security = User.objects.get(username="security-it-staff")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(security)
    address = f"/api/factories/{SLUG}/changes"
    refused = browser.post(address, {"title": "no csrf"}, content_type="application/json")
    assert refused.status_code == 403 and refused["Content-Type"].startswith("application/json")
    assert jsonschema.Draft202012Validator(REFUSAL).is_valid(refused.json()), refused.content
    assert "CSRF" in refused.json()["detail"][0]["msg"]
    assert not ChangeRequest.objects.filter(title="no csrf").exists()
    browser.get("/f/annex-a-factory/")  # any page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        address, {"title": "with csrf"}, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201, accepted.content
    bearer = Client(enforce_csrf_checks=True)
    ci = issue_token(security, "CI")
    by_token = bearer.post(
        address, {"title": "by token"}, content_type="application/json", headers={"Authorization": f"Bearer {ci}"}
    )
    assert by_token.status_code == 201, by_token.content


def test_a_method_an_address_has_no_operation_for_is_a_405_in_the_one_shape(world: World) -> None:
    """DELETE on a read, GET on a POST-only operation ...: 405 as ``{"detail": [...]}`` naming the method and what the
    address answers, with those methods in ``Allow`` (django-ninja answered a text ``Method not allowed``); a HEAD
    answers as the address's GET (django-ninja refused it with 405)."""
    document = _document()
    admin, token = world.callers[0], next(c for c in world.callers if c.name == "token")
    tried = 0
    for path, item in document["paths"].items():
        declared = sorted({method.upper() for method in item} | ({"HEAD"} if "get" in item else set()))
        address = Operation("get", path, {}).address(world)
        for method in ("get", "put", "post", "delete", "patch", "options"):
            if method in item:
                continue
            for caller in (admin, token):
                response = caller.call(method, address)
                where = f"{method.upper()} {address} as {caller.name}"
                assert response.status_code == 405, f"{where}: {response.status_code} {response.content[:200]!r}"
                assert response["Content-Type"].startswith("application/json"), f"{where}: {response.content[:200]!r}"
                assert response["Allow"] == ", ".join(declared), f"{where}: Allow {response['Allow']!r}"
                body = response.json()
                assert jsonschema.Draft202012Validator(REFUSAL).is_valid(body), f"{where}: {body!r}"
                assert body["detail"][0]["loc"] == ["method"] and body["detail"][0]["type"] == "method_not_allowed"
                assert method.upper() in body["detail"][0]["msg"] and all(
                    m in body["detail"][0]["msg"] for m in declared
                )
                tried += 1
    assert tried >= 100, "every address of the document is asked with the methods it does not answer"
    for caller in (admin, token):
        head = caller.call("head", f"/api/factories/{SLUG}/model")
        assert head.status_code == 200 and head["Content-Type"].startswith("application/json"), head.status_code
        assert head.content == b"", "a HEAD answers as the GET does, without its body"
    anonymous = next(c for c in world.callers if c.name == "anonymous")
    refused = anonymous.call("head", f"/api/factories/{SLUG}/model")
    assert refused.status_code == 401, "a HEAD is refused as its GET is"
    posted = admin.call("post", "/api/openapi.json", b"{}")
    assert posted.status_code == 405 and posted["Allow"] == "GET, HEAD", posted.content
    assert jsonschema.Draft202012Validator(REFUSAL).is_valid(posted.json()), posted.content


def test_a_schema_refusal_names_the_field_in_msg_and_loc_as_the_request_holds_it(world: World) -> None:
    """django-ninja's 422 put the operation's body parameter's name into ``loc`` (``["body", "body", "title"]``, a
    member the JSON body does not have) and did not name the field in ``msg`` ("Field required")."""
    admin = world.callers[0]
    base = f"/api/factories/{SLUG}"
    asset = _payload(world, "assets", VENDOR_ASSET)
    cases: list[tuple[str, str, bytes | None, str, list[str | int], str]] = [
        ("post", f"{base}/changes", _json({"title": 3}), "", ["body", "title"], "title: "),
        ("post", f"{base}/changes", b"", "", ["body"], "body: "),
        (
            "put",
            f"{base}/elements/assets/{VENDOR_ASSET}",
            _json({"version": "x", "payload": asset}),
            "",
            ["body", "version"],
            "version: ",
        ),
        (
            "put",
            f"{base}/assets/{VENDOR_ASSET}",
            _json(asset | {"traits": [3]}),
            "",
            ["body", "traits", 0],
            "traits[0]: ",
        ),
        ("put", f"{base}/assets/{VENDOR_ASSET}", _json(asset | {"colour": "red"}), "", ["body", "colour"], "colour: "),
        ("get", f"{base}/findings", None, "limit=many", ["query", "limit"], "limit: "),
        ("get", f"{base}/jobs/first", None, "", ["path", "job_id"], "job_id: "),
    ]
    for method, address, body, query, loc, lead in cases:
        response = admin.call(method, address, body, query)
        where = f"{method.upper()} {address}?{query} {body!r:.60}"
        assert response.status_code == 422, f"{where}: {response.status_code} {response.content[:300]!r}"
        detail = response.json()["detail"]
        assert [d["loc"] for d in detail] == [loc], f"{where}: {detail!r}"
        assert detail[0]["msg"].startswith(lead) and len(detail[0]["msg"]) > len(lead), f"{where}: {detail!r}"
