"""Bad input over HTTP to every form and every API endpoint of the workspace that takes input, on the test database
(SQLite here, PostgreSQL through ``scripts/test-postgresql.sh``).

Each example starts from a request that would be accepted (the Annex A factory, an analysis, a change request with
Annex A case (ii) as its draft, a supplier's answer) and spoils one input: a form field, a query parameter, a part of
the address, a key of a JSON body, an uploaded file. Spoiled means a wrong type, a missing field, a number too large or
negative, a very long text, NUL and other control characters, a lone surrogate, a bidi override, formula-like text,
odd Unicode, bytes that are not UTF-8. The property:

- no answer is a server error (the test client raises what the view raised);
- a refusal (400 or 422) names the field, on the page or in the JSON;
- a refused request (any 4xx, or a page that redirects with an error message) changes nothing stored.

Every example runs in a savepoint that is rolled back, so each starts from the same stored state. Each test runs 25
examples (derandomized, so a run is repeatable); ``FUZZ_EXAMPLES=200`` runs more.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.messages import constants as message_levels
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.changes import drafts
from factorysec.workspace.changes.models import ChangeRequest
from factorysec.workspace.factories.models import Element, Factory
from factorysec.workspace.factories.store import export_yaml
from factorysec.workspace.results.models import StoredFinding
from factorysec.workspace.suppliers.models import SupplierAnswer
from factorysec.workspace.suppliers.portal import live_share, submit_answer
from tests.workspace.conftest import ROOT, client_for, make_member
from tests.workspace.posting import element_fields, form_post

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
SLUG = "annex-a-factory"
F = f"/f/{SLUG}"
API = f"/api/factories/{SLUG}"
CASE_2_FIRST = (ROOT / "examples" / "annex-a" / "case-2-first-added.yaml").read_bytes()

# -- bad values ------------------------------------------------------------------------------------------------------

NASTY_TEXT = [
    "\x00",
    "a\x00b",
    "\x00" * 5,
    "\x01\x02\x1b[31mred\x1b[0m",
    "\x0c form feed",
    "\r\ncarriage",
    "\x7f\x85\x9f",
    "\u202eevil\u202c.yaml",
    "\u2066isolate\u2069",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.com","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\ufeffbom",
    "\u200b\u200d\u2060",
    "\ufffe\uffff",
    "\U0010ffff",
    "\U0001f600",
    "\uff21\uff22",
    "e\u0301\u0301\u0301",
    "\u2028\u2029",
    "<script>alert(1)</script>",
    "{{ 7|add:7 }}{% now 'Y' %}",
    "%s%n%x",
    "' OR 1=1 --",
    '"',
    "\\",
    "../../../etc/passwd",
    "x" * 10_000,
    "\u9577\u3044" * 3_000,
    " ",
    "",
]
NASTY_NUMBERS = [
    "-1",
    "0",
    "-0",
    "99999999999999999999999",
    str(2**63),
    str(-(2**63) - 1),
    "1e309",
    "1.5",
    "NaN",
    "inf",
    "0x10",
    "1_000",
    "\u0661\u0662",
    "\u00b2",
    " 7 ",
    "+5",
    "7\x00",
]
LONE_SURROGATES = ["\ud800", "a\udfffb", "\udbff"]

LENGTHS = (60, 61, 128, 129, 150, 151, 200, 201, 255, 256, 300, 301, 500, 501, 2000, 2001, 5000, 5001, 12_000)
"""Lengths about the limits of the workspace's columns and forms (one under, one over)."""
long_text = st.builds(
    lambda n, c: (c * n)[:n], st.sampled_from(LENGTHS), st.sampled_from(["x", "\u9577", "a b ", "\u202e"])
)
form_text = st.one_of(
    st.sampled_from(NASTY_TEXT + NASTY_NUMBERS),
    long_text,
    st.text(st.characters(codec="utf-8"), max_size=40),
)
"""What a form field may be given: any text that UTF-8 can carry."""
raw_bytes = st.sampled_from([b"\xff\xfe", b"\xed\xa0\x80", b"\xc0\x80", b"\xe3\x81", b"%", b"a\x00b"])
"""Form values sent as bytes that are not UTF-8 (or not URL-encoded) as they are."""
json_scalar = st.one_of(
    st.sampled_from(NASTY_TEXT + NASTY_NUMBERS + LONE_SURROGATES),
    long_text,
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
json_value = st.one_of(
    json_scalar,
    st.lists(json_scalar, max_size=3),
    st.dictionaries(st.text(max_size=8), json_scalar, max_size=3),
)

# -- the factory, its people, and a request that would be accepted of each kind ----------------------------------------


@dataclass
class World:
    factory: Factory
    security: Client
    """Security/IT: edits, proposes, decides, reviews answers, manages members."""
    vendor: Client
    """The line vendor, answering its checklists."""
    change: int
    approver: str
    finding: str
    subject: str
    item: str
    answer: int


@pytest.fixture
def world(annex_a: Factory) -> World:
    security = make_member(annex_a, Role.SECURITY_IT)
    vendor = make_member(annex_a, Role.VENDOR, "line-vendor")
    staff = client_for(security)
    assert 'data-status="done"' in staff.post(f"{F}/analysis/", HTTP_HX_REQUEST="true").text
    change = drafts.propose(annex_a, "remote maintenance", "case (ii)", security)
    drafts.upload(change, "case-2-first-added.yaml", CASE_2_FIRST, security)
    change.refresh_from_db()
    share = live_share(annex_a, "line-vendor", vendor, "en")
    assert share.view is not None
    checklist = share.view.checklists[0]
    subject, item = checklist.asset, checklist.entries[0].item
    answer = submit_answer(
        annex_a,
        share.view,
        {"subject": subject, "item": item, "answer": "yes", "evidence": "", "note": ""},
        None,
        vendor,
    )
    finding = StoredFinding.objects.filter(job__factory=annex_a).values_list("finding", flat=True).first()
    assert finding is not None
    return World(
        factory=annex_a,
        security=staff,
        vendor=client_for(vendor),
        change=change.pk,
        approver=next(a["key"] for a in change.approvers if drafts.may_speak_for(security, annex_a, a)),
        finding=finding,
        subject=subject,
        item=str(item),
        answer=answer.pk,
    )


EDITED = [("assets", "mes-server"), ("zones", "production"), ("conduits", None), ("parties", "line-vendor")]


def _edited(section: str, key: str | None) -> str:
    if key is not None:
        return key
    return str(Element.objects.filter(factory__slug=SLUG, section=section, payload__isnull=False).first().key)  # type: ignore[union-attr]


# -- the property ------------------------------------------------------------------------------------------------------


class _Undo(Exception):
    """Raised at the end of every example to roll its savepoint back."""


@contextmanager
def undone() -> Iterator[None]:
    """Run the example in a savepoint rolled back at the end, so that every example starts from the same state."""
    try:
        with transaction.atomic():
            yield
            raise _Undo
    except _Undo:
        pass


STORED_APPS = ("factories", "accounts", "results", "audit", "changes", "suppliers", "vulnerabilities", "auth")


def stored_state() -> dict[str, list[dict[str, Any]]]:
    """Every row the workspace keeps (its apps' tables and the accounts), to compare before and after a refusal."""
    state: dict[str, list[dict[str, Any]]] = {}
    for label in STORED_APPS:
        for model in apps.get_app_config(label).get_models():
            rows = model._default_manager.order_by("pk").values()
            if model._meta.label == "audit.AuditEntry":
                rows = rows.exclude(action="login-failed")  # a refused sign-in is logged: the throttle counts them
            state[model._meta.label] = [dict(row) for row in rows]
    return state


def _error_messages(response: Response) -> list[str]:
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return [str(m) for m in queued if m.level >= message_levels.ERROR]


def _names(body: str, fields: tuple[str, ...]) -> bool:
    text = body.lower()
    spelt = [spelling for f in fields for spelling in (f, f.replace("_", " "), f.replace("_", "-"))]
    return any(name.lower() in text for name in spelt if name)


def check(send: Callable[[], Response], *fields: str) -> Response:
    """Send the request in a savepoint and hold its answer to the property; ``fields`` are the inputs spoiled (a
    refusal names one of them)."""
    with undone():
        before = stored_state()
        response = send()
        body = response.content.decode("utf-8", "replace")
        assert response.status_code < 500, f"{response.status_code}: {body[:500]}"
        if response.status_code in (400, 413, 422):
            assert _names(body, fields), f"{response.status_code} without naming {fields}: {body[:300]}"
        if response.status_code >= 400 or _error_messages(response):
            assert stored_state() == before, f"refused ({response.status_code}) yet something stored changed"
    return response


@st.composite
def spoiled_form(
    draw: st.DrawFn, base: dict[str, str], extra: tuple[str, ...] = ()
) -> tuple[dict[str, str | bytes], str]:
    """``base`` with one field spoiled (a bad value, raw bytes, left out, sent twice) or an unknown one added."""
    fields: dict[str, str | bytes] = dict(base)
    names = sorted({*base, *extra})
    field = draw(st.sampled_from(names))
    how = draw(st.sampled_from(["text", "text", "text", "bytes", "missing", "twice"]))
    if how == "text":
        fields[field] = draw(form_text)
    elif how == "bytes":
        fields[field] = draw(raw_bytes)
    elif how == "missing":
        fields.pop(field, None)
    else:
        fields[field] = draw(form_text)
        fields[f"{field}\x00"] = draw(form_text)  # a second, odd key too
    return fields, field


# -- forms -----------------------------------------------------------------------------------------------------------


@BOUNDED
@given(data=st.data())
def test_element_forms_new_and_edit(world: World, data: st.DataObject) -> None:
    section, key = data.draw(st.sampled_from(EDITED))
    key = _edited(section, key)
    fields, version = element_fields(section, key)
    new = data.draw(st.booleans())
    if new and "id" in fields:
        fields["id"] = "fuzz-new-element"
    base = {**fields, "version": str(version), "comment": "fuzz"}
    spoiled, field = data.draw(spoiled_form(base))
    path = f"{F}/s/{section}/new/" if new else f"{F}/s/{section}/e/{quote(key)}/"
    check(lambda: form_post(world.security, path, spoiled), field)


@BOUNDED
@given(data=st.data())
def test_draft_element_forms(world: World, data: st.DataObject) -> None:
    fields, version = element_fields("assets", "mes-server")
    base = {**fields, "version": str(version)}
    spoiled, field = data.draw(spoiled_form(base, extra=("delete",)))
    path = f"{F}/changes/{world.change}/s/assets/e/mes-server/"
    check(lambda: form_post(world.security, path, spoiled), field)


@BOUNDED
@given(data=st.data())
def test_change_request_forms(world: World, data: st.DataObject) -> None:
    which = data.draw(st.sampled_from(["propose", "sign", "merge"]))
    if which == "propose":
        spoiled, field = data.draw(spoiled_form({"title": "a change", "description": "why"}))
        path = f"{F}/changes/"
    elif which == "sign":
        spoiled, field = data.draw(spoiled_form({"approver": world.approver, "verdict": "approved", "reason": ""}))
        path = f"{F}/changes/{world.change}/sign/"
    else:
        spoiled, field = data.draw(spoiled_form({"confirm": "1"}))
        path = f"{F}/changes/{world.change}/merge/"
    check(lambda: form_post(world.security, path, spoiled), field)


@BOUNDED
@given(data=st.data())
def test_decision_and_comment_forms(world: World, data: st.DataObject) -> None:
    decision = {
        "finding": world.finding,
        "status": "accepted",
        "justification": "compensating control in place",
        "owner": "security-it-staff",
        "date": "2025-01-01",
        "review_by": "2026-06-30",
    }
    which = data.draw(st.sampled_from(["decisions", "finding", "comment"]))
    if which == "decisions":
        spoiled, field = data.draw(spoiled_form(decision))
        path = f"{F}/decisions/"
    elif which == "finding":
        spoiled, field = data.draw(spoiled_form({k: v for k, v in decision.items() if k != "finding"}))
        path = f"{F}/results/finding/{world.finding}/"
    else:
        spoiled, field = data.draw(spoiled_form({"form": "comment", "text": "seen"}))
        path = f"{F}/results/finding/{world.finding}/"
    check(lambda: form_post(world.security, path, spoiled), field)


@BOUNDED
@given(data=st.data())
def test_supplier_answer_and_verdict_forms(world: World, data: st.DataObject) -> None:
    if data.draw(st.booleans()):
        base = {"subject": world.subject, "item": world.item, "answer": "no", "evidence": "a test", "note": ""}
        spoiled, field = data.draw(spoiled_form(base, extra=("change",)))
        check(lambda: form_post(world.vendor, f"{F}/suppliers/", spoiled), field)
    else:
        spoiled, field = data.draw(spoiled_form({"verdict": "questioned", "comment": "which test?"}))
        path = f"{F}/suppliers/answers/{world.answer}/verdict/"
        check(lambda: form_post(world.security, path, spoiled), field)


@BOUNDED
@given(data=st.data())
def test_account_forms(world: World, data: st.DataObject) -> None:
    which = data.draw(st.sampled_from(["member", "remove", "token", "login", "language"]))
    client = world.security
    if which == "member":
        base = {"username": "new-person", "role": "vendor", "party": "line-vendor", "password": "a long password 99"}
        spoiled, field = data.draw(spoiled_form(base))
        path = f"{F}/members/"
    elif which == "remove":
        spoiled, field = data.draw(spoiled_form({"remove": "1"}))
        path = f"{F}/members/"
    elif which == "token":
        spoiled, field = data.draw(spoiled_form({"name": "ci"}))
        path = "/account/tokens/"
    elif which == "login":
        spoiled, field = data.draw(spoiled_form({"username": "security-it-staff", "password": "wrong"}))
        path, client = "/login/", Client()
    else:
        spoiled, field = data.draw(spoiled_form({"language": "ja", "next": f"{F}/"}))
        path = "/i18n/setlang/"
    check(lambda: form_post(client, path, spoiled), field)


# -- uploads ---------------------------------------------------------------------------------------------------------

file_names = st.one_of(
    st.sampled_from(["model.yaml", "model.xlsx", "a.json", "a.zip", "change.yaml", "note.pdf", "x"]),
    st.builds(
        lambda t, ext: t + ext, form_text, st.sampled_from([".yaml", ".yml", ".xlsx", ".json", ".zip", ".pdf", ""])
    ),
)


@st.composite
def file_contents(draw: st.DrawFn, valid: bytes) -> bytes:
    """``valid`` with a bad text put in, cut short, or other bytes."""
    how = draw(st.sampled_from(["text", "cut", "bytes"]))
    if how == "text":
        bad = draw(st.sampled_from(NASTY_TEXT + NASTY_NUMBERS))
        escaped = json.dumps(bad)  # a double-quoted YAML scalar: control characters as escapes
        return valid.replace(b"Remote maintenance service provider", escaped.encode("utf-8"), 1).replace(
            b"Annex A example factory", escaped.encode("utf-8"), 1
        )
    if how == "cut":
        return valid[: draw(st.integers(min_value=0, max_value=len(valid)))]
    return draw(st.binary(max_size=200))


@BOUNDED
@given(data=st.data())
def test_uploads(world: World, data: st.DataObject) -> None:
    which = data.draw(st.sampled_from(["import", "propose", "change", "advisories", "attachment"]))
    name = data.draw(file_names)
    client = world.security
    fields: dict[str, str | bytes] = {}
    if which == "import":
        content = data.draw(file_contents(export_yaml(world.factory).encode()))
        path, key = f"{F}/import/", "model"
    elif which in ("propose", "change"):
        content = data.draw(file_contents(CASE_2_FIRST))
        path = f"{F}/changes/" if which == "propose" else f"{F}/changes/{world.change}/upload/"
        key = "change_file"
        fields = {"title": "from a file"} if which == "propose" else {}
    elif which == "advisories":
        content = data.draw(st.binary(max_size=200))
        path, key = f"{F}/vulnerabilities/", "advisories"
    else:
        content = data.draw(st.binary(max_size=200))
        path, key, client = f"{F}/suppliers/", "attachment", world.vendor
        fields = {"subject": world.subject, "item": world.item, "answer": "yes"}
    # a file name over Django's limit of a part's headers leaves the whole form unreadable: the refusal says so
    check(lambda: form_post(client, path, fields, {key: (name, content)}), key, "the form could not be read")


# -- search, filters, paging, and the parts of an address -------------------------------------------------------------

QUERIES = {
    f"{F}/s/assets/": ("q", "page"),
    f"{F}/s/conduits/": ("q", "page"),
    f"{F}/history/": ("page",),
    f"{F}/results/": ("zone", "department", "category", "rule", "action", "page"),
    f"{F}/results/by/zone/": ("page",),
    f"{F}/results/by/action/": ("page",),
    f"{F}/vulnerabilities/": ("page",),
    f"{F}/audit/": ("page",),
    f"{F}/decisions/": ("finding",),
    f"{API}/sections/assets": ("offset", "limit"),
    f"{API}/findings": ("offset", "limit"),
}


@BOUNDED
@given(data=st.data())
def test_search_filter_and_paging_parameters(world: World, data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(sorted(QUERIES)))
    names = QUERIES[path]
    chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True))
    values = {name: data.draw(st.one_of(form_text, raw_bytes)) for name in chosen}
    query = urlencode(list(values.items()))
    headers = {"HX-Request": "true"} if data.draw(st.booleans()) else None
    check(lambda: world.security.get(f"{path}?{query}", headers=headers), *chosen)


ADDRESSES = [
    f"{F}/s/{{}}/",
    f"{F}/s/assets/e/{{}}/",
    f"{F}/s/zones/e/{{}}/",
    f"{F}/results/finding/{{}}/",
    f"{F}/results/by/{{}}/",
    f"{F}/trackers/{{}}.csv",
    f"{F}/changes/1/s/assets/e/{{}}/",
    f"{API}/sections/{{}}",
    f"{API}/elements/assets/{{}}",
    f"{API}/changes/{{}}",
    f"{API}/jobs/{{}}",
    f"{API}/supplier/answers/{{}}",
    "/api/factories/{}/model",
    "/f/{}/",
]


@BOUNDED
@given(address=st.sampled_from(ADDRESSES), part=st.one_of(form_text, st.sampled_from(NASTY_NUMBERS)))
def test_parts_of_an_address(world: World, address: str, part: str) -> None:
    path = address.format(quote(part, safe=""))
    check(lambda: world.security.get(path), "path")
    if "/e/" in address and "/changes/" not in address:
        check(lambda: world.security.post(path.replace("/e/", "/e/") + "delete/"), "path")


# -- the JSON API ----------------------------------------------------------------------------------------------------


@st.composite
def spoiled_json(draw: st.DrawFn, base: dict[str, Any]) -> tuple[bytes, tuple[str, ...]]:
    """``base`` as JSON with one key (at the top or one level down) given a bad value or left out, or a body that is no
    JSON object at all; returned with the names a refusal may give: the key ('body' for the whole), and the keys inside
    it when it held an object (an element's payload left out is refused for the fields it lacks)."""
    how = draw(st.sampled_from(["value", "value", "value", "missing", "body"]))
    if how == "body":
        body = draw(
            st.one_of(
                st.sampled_from([b"", b"{", b"[]", b"null", b'"text"', b"1e999", b'{"a": NaN}', b"\xff\xfe"]),
                st.binary(max_size=30),
            )
        )
        return body, ("body",)
    document = json.loads(json.dumps(base))
    paths: list[tuple[str, ...]] = [(k,) for k in document]
    paths += [(k, inner) for k, v in document.items() if isinstance(v, dict) for inner in v]
    path = draw(st.sampled_from(paths))
    target = document
    for step in path[:-1]:
        target = target[step]
    if how == "missing":
        del target[path[-1]]
    else:
        target[path[-1]] = draw(json_value)
    original: Any = base
    for step in path:
        original = original[step]
    inner = tuple(original) if isinstance(original, dict) else ()
    return json.dumps(document).encode("ascii"), (path[-1], *inner)


def _payload(section: str, key: str) -> tuple[dict[str, Any], int]:
    row = Element.objects.get(factory__slug=SLUG, section=section, key=key, payload__isnull=False)
    return dict(row.payload), row.version


@BOUNDED
@given(data=st.data())
def test_api_element_saves(world: World, data: st.DataObject) -> None:
    section, key = data.draw(st.sampled_from(EDITED))
    key = _edited(section, key)
    payload, version = _payload(section, key)
    which = data.draw(st.sampled_from(["typed", "versioned", "draft"]))
    if which == "typed" and section in ("assets", "zones", "conduits"):
        body, field = data.draw(spoiled_json(payload))
        path = f"{API}/{section}/{quote(key)}"
    elif which == "draft":
        body, field = data.draw(spoiled_json({"version": version, "payload": payload}))
        path = f"{API}/changes/{world.change}/edits/{section}/{quote(key)}"
    else:
        body, field = data.draw(spoiled_json({"version": version, "payload": payload}))
        path = f"{API}/elements/{section}/{quote(key)}"
    check(lambda: world.security.put(path, body, content_type="application/json"), *field)


@BOUNDED
@given(data=st.data())
def test_api_posts(world: World, data: st.DataObject) -> None:
    which = data.draw(st.sampled_from(["change", "signoff", "decision", "answer", "verdict"]))
    client = world.security
    if which == "change":
        base: dict[str, Any] = {"title": "a change", "description": "why"}
        path = f"{API}/changes"
    elif which == "signoff":
        base = {"approver": world.approver, "verdict": "approved", "reason": ""}
        path = f"{API}/changes/{world.change}/signoffs"
    elif which == "decision":
        base = {
            "finding": world.finding,
            "status": "accepted",
            "justification": "compensating control",
            "owner": "security-it-staff",
            "date": "2025-01-01",
            "review_by": "2026-06-30",
        }
        path = f"{API}/decisions"
    elif which == "answer":
        base = {"subject": world.subject, "item": world.item, "answer": "no", "evidence": "", "note": ""}
        path, client = f"{API}/supplier/answers", world.vendor
    else:
        base = {"verdict": "questioned", "comment": "which test?"}
        path = f"{API}/supplier/answers/{world.answer}/verdict"
    body, field = data.draw(spoiled_json(base))
    check(lambda: client.post(path, body, content_type="application/json"), *field)


def test_the_accepted_requests_are_accepted(world: World) -> None:
    """The starting points are requests the workspace accepts, so that a refusal above comes from the spoiled input."""
    fields, version = element_fields("assets", "mes-server")
    with undone():
        saved = form_post(world.security, f"{F}/s/assets/e/mes-server/", {**fields, "version": str(version)})
        assert saved.status_code == 302, saved.content.decode()[:2000]
    with undone():
        proposed = form_post(world.security, f"{F}/changes/", {"title": "a change", "description": "why"})
        assert proposed.status_code == 302
    with undone():
        answer = {"subject": world.subject, "item": world.item, "answer": "no", "evidence": "a test", "note": ""}
        assert form_post(world.vendor, f"{F}/suppliers/", dict(answer)).status_code == 302
    with undone():
        signed = form_post(
            world.security, f"{F}/changes/{world.change}/sign/", {"approver": world.approver, "verdict": "approved"}
        )
        assert signed.status_code == 302 and not _error_messages(signed)
    payload, version = _payload("assets", "mes-server")
    with undone():
        put = world.security.put(
            f"{API}/elements/assets/mes-server",
            json.dumps({"version": version, "payload": payload}),
            content_type="application/json",
        )
        assert put.status_code == 200, put.content
    assert ChangeRequest.objects.filter(pk=world.change).exists() and SupplierAnswer.objects.filter(pk=world.answer)
    assert User.objects.filter(username="security-it-staff").exists()
