"""Member management, and the settings that switch on LDAP/Active Directory and OpenID Connect log-in."""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import json
import re
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import clear_url_caches

from factorysec.workspace.accounts.models import Membership, Role
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.settings import THROTTLE_BACKEND, authentication_settings
from tests.workspace.conftest import client_for, make_member

pytestmark = pytest.mark.django_db
F = "/f/annex-a-factory"


def test_security_it_adds_changes_and_removes_members(admin_client_: Client, annex_a: Factory) -> None:
    added = admin_client_.post(
        f"{F}/members/", {"username": "hanako", "role": "production", "password": "a long new password 77"}
    )
    assert added.status_code == 302
    hanako = User.objects.get(username="hanako")
    assert Membership.objects.get(user=hanako, factory=annex_a).role == Role.PRODUCTION
    assert Client().login(username="hanako", password="a long new password 77")
    refused = admin_client_.post(f"{F}/members/", {"username": "hanako", "role": "vendor", "party": "nobody"})
    assert refused.status_code == 422 and "line-vendor" in refused.text
    assert (
        admin_client_.post(
            f"{F}/members/", {"username": "hanako", "role": "vendor", "party": "line-vendor"}
        ).status_code
        == 302
    )
    member = Membership.objects.get(user=hanako, factory=annex_a)
    assert (member.role, member.party) == (Role.VENDOR, "line-vendor")
    no_password = admin_client_.post(f"{F}/members/", {"username": "nobody-yet", "role": "audit"})
    assert no_password.status_code == 422 and not User.objects.filter(username="nobody-yet").exists()
    assert admin_client_.post(f"{F}/members/", {"remove": member.pk, "confirm": "yes"}).status_code == 302
    assert not Membership.objects.filter(user=hanako).exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SECURITY_IT])
def test_only_security_it_manages_members(annex_a: Factory, role: Role) -> None:
    client = client_for(make_member(annex_a, role, "line-vendor" if role == Role.VENDOR else ""))
    assert client.get(f"{F}/members/").status_code == 403
    assert (
        client.post(
            f"{F}/members/", {"username": "x", "role": "audit", "password": "a long new password 77"}
        ).status_code
        == 403
    )
    assert client_for(make_member(annex_a, Role.SECURITY_IT)).get(f"{F}/members/").status_code == 200


def test_local_accounts_only_by_default() -> None:
    found = authentication_settings({})
    assert (
        found["AUTHENTICATION_BACKENDS"] == [THROTTLE_BACKEND, "django.contrib.auth.backends.ModelBackend"]
        and found["EXTRA_APPS"] == []
    )


def test_ldap_settings_switch_on_the_ldap_backend() -> None:
    ldap = pytest.importorskip("django_auth_ldap")
    found = authentication_settings(
        {
            "FACTORYSEC_LDAP_SERVER_URI": "ldaps://ad.example",
            "FACTORYSEC_LDAP_USER_SEARCH_BASE": "ou=staff,dc=example,dc=com",
            "FACTORYSEC_LDAP_BIND_DN": "cn=reader",
        }
    )
    assert found["AUTHENTICATION_BACKENDS"][:2] == [THROTTLE_BACKEND, "django_auth_ldap.backend.LDAPBackend"]
    assert found["AUTH_LDAP_SERVER_URI"] == "ldaps://ad.example" and found["AUTH_LDAP_BIND_DN"] == "cn=reader"
    assert found["AUTH_LDAP_USER_SEARCH"].base_dn == "ou=staff,dc=example,dc=com"
    assert "sAMAccountName=%(user)s" in found["AUTH_LDAP_USER_SEARCH"].filterstr
    from django_auth_ldap.backend import LDAPBackend  # type: ignore[import-untyped]

    with mock.patch.dict(
        "django.conf.settings._wrapped.__dict__", {k: v for k, v in found.items() if k.startswith("AUTH_LDAP")}
    ):
        assert LDAPBackend().settings.SERVER_URI == "ldaps://ad.example"
    del ldap


def _hs256(payload: dict[str, Any], secret: str) -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + part(json.dumps(payload).encode())
    return head + "." + part(hmac.new(secret.encode(), head.encode(), hashlib.sha256).digest())


def test_openid_connect_login_through_a_fake_provider(settings: Any, annex_a: Factory) -> None:
    """The settings switch on mozilla-django-oidc; the provider's token and user-info endpoints are mocked."""
    pytest.importorskip("mozilla_django_oidc")
    env = {
        "FACTORYSEC_OIDC_CLIENT_ID": "factorysec",
        "FACTORYSEC_OIDC_CLIENT_SECRET": "s3cret-shared-with-the-provider-0123",
        "FACTORYSEC_OIDC_AUTHORIZATION_ENDPOINT": "https://idp.example/authorize",
        "FACTORYSEC_OIDC_TOKEN_ENDPOINT": "https://idp.example/token",
        "FACTORYSEC_OIDC_USER_ENDPOINT": "https://idp.example/userinfo",
        "FACTORYSEC_OIDC_SIGN_ALGO": "HS256",
    }
    found = authentication_settings(env)
    assert found.pop("EXTRA_APPS") == ["mozilla_django_oidc"]
    for name, value in found.items():
        setattr(settings, name, value)
    import factorysec.workspace.urls as urls

    importlib.reload(urls)
    clear_url_caches()
    try:
        client = Client()
        assert "single sign-on" in client.get("/login/").text
        start = client.get("/oidc/authenticate/")
        assert start.status_code == 302 and start["Location"].startswith("https://idp.example/authorize")
        query = parse_qs(urlparse(start["Location"]).query)
        token = _hs256(
            {
                "iss": "https://idp.example",
                "aud": "factorysec",
                "sub": "u1",
                "email": "yuki@example.com",
                "nonce": query["nonce"][0],
            },
            env["FACTORYSEC_OIDC_CLIENT_SECRET"],
        )
        token_response = mock.Mock(
            status_code=200, json=lambda: {"id_token": token, "access_token": "at"}, raise_for_status=lambda: None
        )
        user_response = mock.Mock(
            status_code=200,
            headers={"content-type": "application/json"},
            json=lambda: {"sub": "u1", "email": "yuki@example.com"},
            raise_for_status=lambda: None,
        )
        with (
            mock.patch("mozilla_django_oidc.auth.requests.post", return_value=token_response),
            mock.patch("mozilla_django_oidc.auth.requests.get", return_value=user_response),
        ):
            back = client.get("/oidc/callback/", {"code": "abc", "state": query["state"][0]})
        assert back.status_code == 302 and "/login" not in back["Location"]
        user = User.objects.get(email="yuki@example.com")
        assert client.session["_auth_user_id"] == str(user.pk)
    finally:
        settings.OIDC_RP_CLIENT_ID = ""
        importlib.reload(urls)
        clear_url_caches()


def test_removing_a_member_by_an_id_that_is_not_a_number_is_not_found(admin_client_: Client, annex_a: Factory) -> None:
    member = make_member(annex_a, Role.AUDIT)
    for bad in ("abc", "1.5", "-", "9" * 30):
        assert admin_client_.post(f"{F}/members/", {"remove": bad}).status_code == 404, bad
    assert Membership.objects.filter(user=member, factory=annex_a).exists()


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("u" * 100000, "at most 150 characters"),
        ("<script>alert(1)</script>", "Enter a valid username"),
        ("a b c", "Enter a valid username"),
    ],
    ids=["too-long", "markup", "spaces"],
)
def test_a_new_account_name_is_checked_as_django_checks_user_names(
    admin_client_: Client, annex_a: Factory, username: str, expected: str
) -> None:
    accounts = User.objects.count()
    response = admin_client_.post(
        f"{F}/members/", {"username": username, "role": "audit", "password": "a long new password 77"}
    )
    assert response.status_code == 422
    field = response.text.split('id="id_username"')[1].split("</p>")[0]
    assert expected in field, "the error is on the account field"
    assert User.objects.count() == accounts and not Membership.objects.filter(factory=annex_a).exists()


def test_a_token_name_longer_than_its_column_is_refused(annex_a: Factory) -> None:
    from factorysec.workspace.accounts.models import ApiToken

    client = client_for(make_member(annex_a, Role.AUDIT))
    refused = client.post("/account/tokens/", {"name": "n" * 201})
    assert refused.status_code == 422 and "at most 200 characters" in refused.text
    assert 'id="token"' not in refused.text and not ApiToken.objects.exists()
    assert client.post("/account/tokens/", {"name": "n" * 200}).status_code == 200 and ApiToken.objects.count() == 1


def test_a_password_given_for_an_existing_account_is_refused_not_dropped(
    admin_client_: Client, annex_a: Factory
) -> None:
    """The form's password is for a new local account; given with an existing one, it was dropped without a word and
    the role saved, so whoever meant to reset the password believed it done."""
    User.objects.create_user("taro", password="the old password 123")
    response = admin_client_.post(
        f"{F}/members/", {"username": "taro", "role": "audit", "password": "a long new password 77"}
    )
    assert response.status_code == 422
    field = response.text.split('id="id_password"')[1].split("</p>")[0]
    assert "taro is an existing account: its password is not changed here." in field
    assert not Membership.objects.filter(user__username="taro").exists()
    assert Client().login(username="taro", password="the old password 123")
    assert admin_client_.post(f"{F}/members/", {"username": "taro", "role": "audit"}).status_code == 302
    assert Membership.objects.get(user__username="taro", factory=annex_a).role == Role.AUDIT


def test_adding_changing_and_removing_a_member_is_in_the_audit_log(admin_client_: Client, annex_a: Factory) -> None:
    """Members came and went, and changed roles, without a word in the audit log, which logs every other change."""
    from factorysec.workspace.audit.log import verify_stored
    from factorysec.workspace.audit.models import AuditEntry

    member_actions = ("member-added", "member-role-changed", "member-removed")
    new = {"username": "hanako", "role": "production", "password": "a long new password 77"}
    assert admin_client_.post(f"{F}/members/", new).status_code == 302
    assert admin_client_.post(f"{F}/members/", {"username": "hanako", "role": "production"}).status_code == 302
    vendor = {"username": "hanako", "role": "vendor", "party": "line-vendor"}
    assert admin_client_.post(f"{F}/members/", vendor).status_code == 302
    member = Membership.objects.get(user__username="hanako", factory=annex_a)
    assert admin_client_.post(f"{F}/members/", {"remove": member.pk, "confirm": "yes"}).status_code == 302
    logged = AuditEntry.objects.filter(action__in=member_actions).order_by("seq")
    assert [(e.actor, e.action, e.factory, e.subject) for e in logged] == [
        ("root", "member-added", "annex-a-factory", "hanako"),  # the unchanged save is not a change
        ("root", "member-role-changed", "annex-a-factory", "hanako"),
        ("root", "member-removed", "annex-a-factory", "hanako"),
    ]
    assert logged[0].detail == {"user": "hanako", "role": "production", "party": "", "account_created": True}
    assert logged[1].detail == {
        "user": "hanako",
        "role": "vendor",
        "party": "line-vendor",
        "previous_role": "production",
        "previous_party": "",
    }
    assert logged[2].detail == {"user": "hanako", "role": "vendor", "party": "line-vendor"}
    assert verify_stored().intact
    page = admin_client_.get(f"{F}/audit/").text
    assert '<td title="member-added">member-added</td><td>hanako: Production</td>' in page
    assert (
        '<td title="member-role-changed">member-role-changed</td>'
        "<td>hanako: Production → Vendor or provider (line-vendor)</td>"
    ) in page
    assert '<td title="member-removed">member-removed</td><td>hanako: Vendor or provider (line-vendor)</td>' in page
    admin_client_.cookies["django_language"] = "ja"
    japanese = admin_client_.get(f"{F}/audit/").text
    assert '<td title="member-added">メンバーを追加</td><td>hanako：生産</td>' in japanese
    assert (
        '<td title="member-role-changed">メンバーの役割を変更</td>'
        "<td>hanako：生産 → ベンダ・サービス事業者 (line-vendor)</td>"
    ) in japanese
    assert (
        '<td title="member-removed">メンバーを削除</td><td>hanako：ベンダ・サービス事業者 (line-vendor)</td>'
        in japanese
    )


def test_remove_asks_first_and_removes_only_when_confirmed(admin_client_: Client, annex_a: Factory) -> None:
    """Remove on the members page took the member off at once: one stray click and a colleague lost their access."""
    member = Membership.objects.get(user=make_member(annex_a, Role.AUDIT), factory=annex_a)
    asked = admin_client_.post(f"{F}/members/", {"remove": member.pk})
    assert asked.status_code == 200 and Membership.objects.filter(pk=member.pk).exists(), "one click removes nobody"
    assert "<h1>Remove audit-staff?</h1>" in asked.text and "audit-staff (Audit)" in asked.text
    form = asked.text.split('id="confirm-form">')[1].split("</form>")[0]
    assert f'<input type="hidden" name="remove" value="{member.pk}">' in form
    assert '<input type="hidden" name="confirm" value="yes">' in form
    assert f'<a href="{F}/members/" id="cancel">Cancel</a>' in form
    assert admin_client_.post(f"{F}/members/", {"remove": member.pk + 1000}).status_code == 404
    assert admin_client_.post(f"{F}/members/", {"remove": member.pk, "confirm": "yes"}).status_code == 302
    assert not Membership.objects.filter(pk=member.pk).exists()


def _bearer_get(token: str, path: str = "/api/factories/") -> Any:
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_user_revokes_their_own_token_after_a_confirm_page_and_the_api_refuses_it_at_once(
    annex_a: Factory,
) -> None:
    """The API tokens page only issued tokens: a leaked one could be killed by nobody but an administrator."""
    from factorysec.workspace.accounts.models import ApiToken
    from factorysec.workspace.audit.log import verify_stored
    from factorysec.workspace.audit.models import AuditEntry

    user = make_member(annex_a, Role.AUDIT)
    client = client_for(user)
    issued = client.post("/account/tokens/", {"name": "CI job"})
    token = issued.text.split('<code id="token">')[1].split("</code>")[0]
    row = ApiToken.objects.get(user=user)
    assert _bearer_get(token).status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None, "the API notes the token's use"
    listing = client.get("/account/tokens/").text
    assert "CI job" in listing and f'<input type="hidden" name="revoke" value="{row.pk}">' in listing
    assert f"{row.last_used_at:%Y-%m-%d %H:%M} UTC" in listing and f"{row.created_at:%Y-%m-%d %H:%M} UTC" in listing

    asked = client.post("/account/tokens/", {"revoke": row.pk})
    assert asked.status_code == 200 and "<h1>Revoke the token CI job?</h1>" in asked.text
    form = asked.text.split('id="confirm-form">')[1].split("</form>")[0]
    assert f'<input type="hidden" name="revoke" value="{row.pk}">' in form
    assert '<input type="hidden" name="confirm" value="yes">' in form and 'href="/account/tokens/"' in form
    row.refresh_from_db()
    assert row.revoked_at is None and _bearer_get(token).status_code == 200, "asking revokes nothing"

    done = client.post("/account/tokens/", {"revoke": row.pk, "confirm": "yes"}, follow=True)
    assert done.status_code == 200 and "The token CI job is revoked: the API refuses it." in done.text
    assert "revoked at" in done.text and f'name="revoke" value="{row.pk}"' not in done.text
    refused = _bearer_get(token)
    assert refused.status_code == 401
    (problem,) = refused.json()["detail"]
    assert problem["loc"] == ["header", "Authorization"] and problem["type"] == "unauthorized"
    assert problem["msg"].startswith("Authorization: this token was revoked at ")
    assert _bearer_get(token, "/api/factories/annex-a-factory/model").status_code == 401
    again = client.post("/account/tokens/", {"revoke": row.pk, "confirm": "yes"}, follow=True)
    assert "The token CI job was already revoked." in again.text

    logged = AuditEntry.objects.filter(action__in=("token-issued", "token-revoked")).order_by("seq")
    assert [(e.actor, e.action, e.subject, e.detail) for e in logged] == [
        ("audit-staff", "token-issued", "CI job", {"token": row.pk, "name": "CI job"}),
        ("audit-staff", "token-revoked", "CI job", {"token": row.pk, "name": "CI job"}),  # once, not on the repeat
    ]
    assert verify_stored().intact


def test_a_revoked_token_is_refused_even_beside_a_signed_in_session(annex_a: Factory) -> None:
    from factorysec.workspace.accounts.tokens import issue_token, revoke_token

    user = make_member(annex_a, Role.SECURITY_IT)
    token = issue_token(user, "laptop")
    revoke_token(user, user.api_tokens.get().pk)
    client = client_for(user)
    assert client.get("/api/factories/").status_code == 200
    assert client.get("/api/factories/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_another_users_token_cannot_be_revoked_and_is_not_found(annex_a: Factory) -> None:
    """A user revokes only their own tokens; another account's token id answers as an id no token has."""
    from factorysec.workspace.accounts.models import ApiToken
    from factorysec.workspace.accounts.tokens import issue_token

    owner = make_member(annex_a, Role.SECURITY_IT)
    token = issue_token(owner, "owner's CI")
    row = ApiToken.objects.get(user=owner)
    other = client_for(make_member(annex_a, Role.AUDIT))
    for data in ({"revoke": row.pk}, {"revoke": row.pk, "confirm": "yes"}, {"revoke": row.pk + 1000}):
        refused = other.post("/account/tokens/", data)
        assert refused.status_code == 404 and "owner&#x27;s CI" not in refused.text
    for junk in ("x", "", "1" * 30, "-1"):
        assert other.post("/account/tokens/", {"revoke": junk}).status_code == 404
    assert (
        client_for(User.objects.create_superuser("root", "", "a long test password 42"))
        .post("/account/tokens/", {"revoke": row.pk, "confirm": "yes"})
        .status_code
        == 404
    ), "not even a superuser revokes another account's token here"
    row.refresh_from_db()
    assert row.revoked_at is None and _bearer_get(token).status_code == 200
    assert "owner&#x27;s CI" not in other.get("/account/tokens/").text


def test_the_tokens_page_and_its_confirm_page_in_japanese(annex_a: Factory) -> None:
    from factorysec.workspace.accounts.models import ApiToken

    client = client_for(make_member(annex_a, Role.AUDIT))
    client.cookies["django_language"] = "ja"
    client.post("/account/tokens/", {"name": "CI"})
    row = ApiToken.objects.get()
    page = client.get("/account/tokens/").text
    assert "最終使用日時" in page and "未使用" in page and "失効させる" in page
    asked = client.post("/account/tokens/", {"revoke": row.pk}).text
    assert "<h1>トークン CI を失効させますか？</h1>" in asked and "キャンセル" in asked
    done = client.post("/account/tokens/", {"revoke": row.pk, "confirm": "yes"}, follow=True).text
    assert "トークン CI を失効させました。" in done and "UTC に失効" in done


def _confirm_fields(page: str) -> dict[str, str]:
    form = page.split('id="confirm-form">')[1].split("</form>")[0]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form))


def test_a_member_removed_by_a_colleague_after_the_question_says_so_and_changes_nothing(
    admin_client_: Client, annex_a: Factory
) -> None:
    """Confirming the removal of a member a colleague had already removed returned to the list without a word."""
    from factorysec.workspace.audit.models import AuditEntry

    member = Membership.objects.get(user=make_member(annex_a, Role.AUDIT), factory=annex_a)
    fields = _confirm_fields(admin_client_.post(f"{F}/members/", {"remove": member.pk}).text)
    assert fields["seen_role"] == "audit" and fields["seen_user"] == "audit-staff"
    member.delete()  # a colleague's removal (logged by the colleague's request)
    entries = AuditEntry.objects.count()
    page = admin_client_.post(f"{F}/members/", fields, follow=True)
    assert page.status_code == 200
    assert "audit-staff was already removed from this factory by someone else; nothing was changed." in page.text
    assert AuditEntry.objects.count() == entries
    admin_client_.cookies["django_language"] = "ja"
    japanese = admin_client_.post(f"{F}/members/", fields, follow=True).text
    assert "audit-staff は他の人がすでにこの工場のメンバーから外していました。何も変更していません。" in japanese


def test_a_member_whose_role_a_colleague_changed_after_the_question_is_not_removed_and_asked_again(
    admin_client_: Client, annex_a: Factory
) -> None:
    member = Membership.objects.get(user=make_member(annex_a, Role.AUDIT), factory=annex_a)
    fields = _confirm_fields(admin_client_.post(f"{F}/members/", {"remove": member.pk}).text)
    Membership.objects.filter(pk=member.pk).update(role=Role.SECURITY_IT)  # a colleague's change
    again = admin_client_.post(f"{F}/members/", fields)
    assert again.status_code == 409 and Membership.objects.filter(pk=member.pk).exists()
    notice = again.text.split('id="confirm-notice">')[1].split("</p>")[0]
    assert notice == (
        "audit-staff&#x27;s role was changed to Security / IT by someone else after you were asked; nobody was removed."
    )
    assert "audit-staff (Security / IT) no longer works on this factory" in again.text
    fields_now = _confirm_fields(again.text)
    assert fields_now["seen_role"] == "security-it"
    assert admin_client_.post(f"{F}/members/", fields_now).status_code == 302, "confirming the new question removes"
    assert not Membership.objects.filter(pk=member.pk).exists()
    member = Membership.objects.get(user=make_member(annex_a, Role.DX), factory=annex_a)
    fields = _confirm_fields(admin_client_.post(f"{F}/members/", {"remove": member.pk}).text)
    Membership.objects.filter(pk=member.pk).update(role=Role.AUDIT)
    admin_client_.cookies["django_language"] = "ja"
    japanese = admin_client_.post(f"{F}/members/", fields).text
    assert "確認の後に他の人が dx-staff の役割を「監査」に変更しました。誰も外していません。" in japanese


def _member_form(page: str) -> dict[str, str]:
    form = page.split('id="member-form"')[1].split("</form>")[0]
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form))
    hidden.pop("csrfmiddlewaretoken", None)
    return hidden


def test_change_opens_the_form_for_the_member_and_refuses_a_save_after_a_colleagues_change(
    admin_client_: Client, annex_a: Factory
) -> None:
    """A role changed on the form after a colleague removed the member silently added the member back; after a
    colleague changed the role, it silently overwrote it."""
    member = Membership.objects.get(user=make_member(annex_a, Role.AUDIT), factory=annex_a)
    listing = admin_client_.get(f"{F}/members/").text
    assert f'href="?change={member.pk}#member-form"' in listing
    opened = admin_client_.get(f"{F}/members/?change={member.pk}")
    assert opened.status_code == 200 and 'id="id_username" value="audit-staff"' in opened.text
    assert '<option value="audit" selected>' in opened.text
    seen = _member_form(opened.text)
    assert seen == {"seen_user": "audit-staff", "seen_role": "audit", "seen_party": ""}

    Membership.objects.filter(pk=member.pk).update(role=Role.DX)  # a colleague's change
    refused = admin_client_.post(f"{F}/members/", {**seen, "username": "audit-staff", "role": "production"})
    assert refused.status_code == 409
    conflict = refused.text.split('id="member-conflict">')[1].split("</p>")[0]
    assert conflict.startswith("audit-staff&#x27;s role was changed to DX by someone else after you opened the form;")
    assert Membership.objects.get(pk=member.pk).role == Role.DX
    again = _member_form(refused.text)
    assert again["seen_role"] == "dx", "the form now carries what is stored: saving again applies on top of it"
    saved = admin_client_.post(f"{F}/members/", {**again, "username": "audit-staff", "role": "production"})
    assert saved.status_code == 302 and Membership.objects.get(pk=member.pk).role == Role.PRODUCTION

    seen = _member_form(admin_client_.get(f"{F}/members/?change={member.pk}").text)
    Membership.objects.filter(pk=member.pk).delete()  # a colleague's removal
    refused = admin_client_.post(f"{F}/members/", {**seen, "username": "audit-staff", "role": "audit"})
    assert refused.status_code == 409 and not Membership.objects.filter(user__username="audit-staff").exists()
    assert "audit-staff was removed from this factory by someone else after you opened the form" in refused.text
    assert _member_form(refused.text) == {}, "saving again adds the member back, knowingly"
    assert admin_client_.post(f"{F}/members/", {"username": "audit-staff", "role": "audit"}).status_code == 302
    assert admin_client_.get(f"{F}/members/?change={member.pk}").status_code == 404

    admin_client_.cookies["django_language"] = "ja"
    member = Membership.objects.get(user__username="audit-staff", factory=annex_a)
    seen = _member_form(admin_client_.get(f"{F}/members/?change={member.pk}").text)
    Membership.objects.filter(pk=member.pk).update(role=Role.DX)
    japanese = admin_client_.post(f"{F}/members/", {**seen, "username": "audit-staff", "role": "production"}).text
    assert "フォームを開いた後に他の人が audit-staff の役割を「DX」に変更しました。何も変更していません。" in japanese

    # no conflict: the role the colleague gave is the one asked for; the record is of the form's own member only
    assert admin_client_.post(f"{F}/members/", {**seen, "username": "audit-staff", "role": "dx"}).status_code == 302
    other = {**seen, "username": "someone-else", "role": "audit", "password": "a long new password 77"}
    assert admin_client_.post(f"{F}/members/", other).status_code == 302
