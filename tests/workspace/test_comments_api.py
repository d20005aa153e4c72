"""Comments on a finding through the API (``GET|POST /api/factories/{slug}/findings/{finding}/comments``): a tool with
a token reads and adds them as the finding's page does — the same check of the text (422 naming ``text``), the same
audit entry, the same permission (403), the same findings (404) — and what one side writes the other reads."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.accounts.tokens import issue_token, revoke_token
from factorysec.workspace.audit.decisions import save_decision
from factorysec.workspace.audit.log import verify_stored
from factorysec.workspace.audit.models import AuditEntry
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.results.comments import COMMENT_MAX_LENGTH
from factorysec.workspace.results.models import DecisionComment
from tests.workspace.conftest import WIRELESS_FINDING, client_for, make_member

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db
FINDING = WIRELESS_FINDING
API = f"/api/factories/annex-a-factory/findings/{FINDING}/comments"
PAGE = f"/f/annex-a-factory/results/finding/{FINDING}/"


def _tool(user: User, name: str = "auditor's tool") -> Client:
    """A client that sends only a bearer token (no session, no CSRF cookie)."""
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {issue_token(user, name)}")


def _post(client: Client, text: object, url: str = API) -> Response:
    return client.post(url, {"text": text}, content_type="application/json")


def _nothing_stored() -> bool:
    return not DecisionComment.objects.exists() and not AuditEntry.objects.filter(action="finding-commented").exists()


def test_a_token_reads_and_adds_comments_without_one_it_is_401(wireless_decided: Factory) -> None:
    auditor = make_member(wireless_decided, Role.AUDIT)
    tool = _tool(auditor)
    assert tool.get(API).json() == []
    added = tool.post(API, {"text": "  Line 2's AP\r\nis the old one.\n"}, content_type="application/json")
    assert added.status_code == 201, added.content
    body = added.json()
    assert (body["finding"], body["author"], body["text"]) == (
        FINDING,
        auditor.username,
        "Line 2's AP\nis the old one.",
    )
    listed = tool.get(API)
    assert listed.status_code == 200 and listed.json() == [body]
    for call in (Client().get(API), _post(Client(), "no token")):
        assert call.status_code == 401, call.content
        [error] = call.json()["detail"]
        assert error["loc"] == ["header", "Authorization"]
    wrong = Client(HTTP_AUTHORIZATION="Bearer fsec_not-a-token")
    assert wrong.get(API).status_code == 401 and _post(wrong, "x").status_code == 401
    assert list(DecisionComment.objects.values_list("text", flat=True)) == ["Line 2's AP\nis the old one."]


def test_a_revoked_token_is_refused_at_once(wireless_decided: Factory) -> None:
    auditor = make_member(wireless_decided, Role.AUDIT)
    tool = _tool(auditor, "revoked")
    assert tool.get(API).status_code == 200
    revoke_token(auditor, auditor.api_tokens.get(name="revoked").pk)
    for call in (tool.get(API), _post(tool, "after the revocation")):
        assert call.status_code == 401, call.content
        [error] = call.json()["detail"]
        assert error["msg"].startswith("Authorization: this token was revoked at ")
    assert _nothing_stored()


def test_who_may_not_comment_on_the_page_may_not_over_the_api(wireless_decided: Factory) -> None:
    """A vendor sees no results, so neither comments nor reads them, on the page (403) as through the API (403); an
    account that is no member of the factory neither."""
    save = client_for(make_member(wireless_decided, Role.SECURITY_IT))
    assert save.post(PAGE, {"form": "comment", "text": "the vendor's AP firmware is old"}).status_code == 302
    vendor = make_member(wireless_decided, Role.VENDOR, "line-vendor")
    assert client_for(vendor).post(PAGE, {"form": "comment", "text": "it is not"}).status_code == 403
    stranger = User.objects.create_user("stranger", password="a long test password 42")
    for user in (vendor, stranger):
        tool = _tool(user)
        read, written = tool.get(API), _post(tool, "it is not")
        assert read.status_code == 403 and "firmware" not in read.text, read.content
        assert written.status_code == 403, written.content
    assert list(DecisionComment.objects.values_list("text", flat=True)) == ["the vendor's AP firmware is old"]
    assert AuditEntry.objects.filter(action="finding-commented").count() == 1
    management = _tool(make_member(wireless_decided, Role.MANAGEMENT))  # management sees the results: it comments
    assert _post(management, "budget approved").status_code == 201


def test_an_unknown_factory_or_finding_is_404_naming_it(wireless_decided: Factory) -> None:
    tool = _tool(make_member(wireless_decided, Role.AUDIT))
    cases = [
        (API.replace("annex-a-factory", "no-such-factory"), ["path", "slug"]),
        (API.replace(FINDING, "THREAT-NONE@nowhere"), ["path", "finding"]),
    ]
    for url, loc in cases:
        for call in (tool.get(url), _post(tool, "lost", url)):
            assert call.status_code == 404, call.content
            [error] = call.json()["detail"]
            assert error["loc"] == loc and error["msg"].startswith(f"{loc[1]}: "), error
    assert _nothing_stored()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "text: write the comment first; an empty comment is not recorded."),
        (" \r\n\t ", "text: write the comment first; an empty comment is not recorded."),
        (
            "x" * 2001,
            "text: at most 2,000 characters (this one has 2,001); shorten it and send it again.",
        ),
    ],
)
def test_an_empty_or_too_long_comment_is_refused_naming_text(
    wireless_decided: Factory, text: str, message: str
) -> None:
    tool = _tool(make_member(wireless_decided, Role.AUDIT))
    tool.cookies["django_language"] = "ja"  # the API answers in English, whatever the language the client asks
    refused = _post(tool, text)
    assert refused.status_code == 422, refused.content
    body = refused.json()
    assert body["detail"] == [{"type": "invalid", "loc": ["body", "text"], "msg": message}]
    assert body["field"] == "text"
    assert _nothing_stored()


def test_the_longest_comment_is_kept_and_a_text_not_a_string_is_refused(wireless_decided: Factory) -> None:
    tool = _tool(make_member(wireless_decided, Role.AUDIT))
    longest = "y" * COMMENT_MAX_LENGTH
    assert _post(tool, f"  {longest}\n").status_code == 201
    for body in ({"text": 3}, {}):
        refused = tool.post(API, body, content_type="application/json")
        assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "text"], refused.content
    assert list(DecisionComment.objects.values_list("text", flat=True)) == [longest]


def test_a_comment_over_the_api_is_in_the_audit_log(wireless_decided: Factory) -> None:
    auditor = make_member(wireless_decided, Role.AUDIT)
    added = _post(_tool(auditor), "checked on site")
    entry = AuditEntry.objects.get(action="finding-commented")
    assert (entry.actor, entry.factory, entry.subject) == (auditor.username, wireless_decided.slug, FINDING)
    assert entry.detail == {"comment": "checked on site", "id": added.json()["id"]}
    assert verify_stored().intact


def _page_comments(page: str) -> list[str]:
    found = re.search(r'<ul id="comments">(.*?)</ul>', page, re.S)
    assert found is not None
    return [html.unescape(re.sub(r"<[^>]+>", "", li)) for li in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


def test_what_the_page_writes_the_api_reads_and_back(wireless_decided: Factory) -> None:
    production = make_member(wireless_decided, Role.PRODUCTION)
    page = client_for(production)
    assert page.post(PAGE, {"form": "comment", "text": "from the page"}).status_code == 302
    auditor = make_member(wireless_decided, Role.AUDIT)
    tool = _tool(auditor)
    [first] = tool.get(API).json()
    assert (first["author"], first["text"]) == (production.username, "from the page")
    assert _post(tool, "from the tool <b>").status_code == 201
    shown = _page_comments(page.get(PAGE).text)
    assert len(shown) == 2
    assert shown[0].startswith(production.username) and shown[0].endswith(": from the page")
    assert shown[1].startswith(auditor.username) and shown[1].endswith(": from the tool <b>")  # newest last
    assert [c["text"] for c in tool.get(API).json()] == ["from the page", "from the tool <b>"]


def test_a_finding_id_holding_a_hash_is_sent_escaped(wireless_decided: Factory) -> None:
    """A rule's second finding on one subject is ``RULE@subject#key``: its ``#`` is sent as ``%23`` (unescaped, it
    would start the address's fragment, which a client does not send)."""
    second = "REQ-ZONE-REQUIREMENT@production-control#remote"
    save_decision(
        wireless_decided,
        {"finding": second, "status": "accepted", "owner": "it", "justification": "j"},
        AnonymousUser(),
    )
    tool = _tool(make_member(wireless_decided, Role.AUDIT))
    url = API.replace(FINDING, second.replace("#", "%23"))
    added = _post(tool, "on the second finding", url)
    assert added.status_code == 201 and added.json()["finding"] == second, added.content
    assert DecisionComment.objects.get().finding == second
    assert [c["text"] for c in tool.get(url).json()] == ["on the second finding"]
    assert tool.get(API).json() == []  # not the first finding's
