"""Comments on a finding (results → a finding → Comment): refused when empty or too long, with a message naming the
field in the page's language and the text kept; each one in the audit log; nobody outside the results reads or writes
them."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from factorysec.workspace.accounts.models import Role
from factorysec.workspace.audit.log import verify_stored
from factorysec.workspace.audit.models import AuditEntry
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.results.comments import COMMENT_MAX_LENGTH
from factorysec.workspace.results.models import DecisionComment
from tests.workspace.conftest import WIRELESS_FINDING, client_for, make_member

pytestmark = pytest.mark.django_db
F = "/f/annex-a-factory"
FINDING = WIRELESS_FINDING
URL = f"{F}/results/finding/{FINDING}/"


def _error(page: str) -> str:
    found = re.search(r'<span class="error" id="error-comment">([^<]*)</span>', page)
    return html.unescape(found.group(1)) if found else ""


def _typed(page: str) -> str:
    found = re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


@pytest.mark.parametrize("blank", ["", "   ", "\r\n\t \r\n"])
def test_an_empty_comment_is_refused_naming_the_field(
    wireless_decided: Factory, admin_client_: Client, blank: str
) -> None:
    """It was ignored without a word (a redirect to the same page, nothing recorded): the user saw nothing happen."""
    refused = admin_client_.post(URL, {"form": "comment", "text": blank})
    assert refused.status_code == 422
    assert _error(refused.text) == "Comment: write the comment first; an empty comment is not recorded."
    assert not DecisionComment.objects.exists() and not AuditEntry.objects.filter(action="finding-commented").exists()


def test_a_comment_over_the_limit_is_refused_with_its_text_kept(
    wireless_decided: Factory, admin_client_: Client
) -> None:
    """A comment of 5,000 characters was stored; the limit is that of the factory's comment on a supplier answer."""
    typed = "x" * 4990 + "\r\nsigned"
    refused = admin_client_.post(URL, {"form": "comment", "text": typed})
    assert refused.status_code == 422
    assert _error(refused.text) == (
        "Comment: at most 2,000 characters (this one has 4,997); shorten it and send it again."
    )
    assert _typed(refused.text) == typed  # what the user typed, to shorten
    assert 'value="it-security"' in refused.text and "new AP ordered" in refused.text  # the decision still shown
    assert not DecisionComment.objects.exists() and not AuditEntry.objects.filter(action="finding-commented").exists()
    longest = "y" * COMMENT_MAX_LENGTH
    assert admin_client_.post(URL, {"form": "comment", "text": f"  {longest}\n"}).status_code == 302
    assert list(DecisionComment.objects.values_list("text", flat=True)) == [longest]


def test_the_refusals_read_in_japanese_on_a_japanese_page(wireless_decided: Factory, admin_client_: Client) -> None:
    admin_client_.cookies["django_language"] = "ja"
    empty = admin_client_.post(URL, {"form": "comment", "text": " "})
    assert _error(empty.text) == "コメント：内容を書いてください。空のコメントは記録されません。"
    long = admin_client_.post(URL, {"form": "comment", "text": "長い" * 1500})
    assert long.status_code == 422 and _typed(long.text) == "長い" * 1500
    assert _error(long.text) == (
        "コメント：2,000 文字以内にしてください（このコメントは 3,000 文字です）。短くしてからもう一度送ってください。"
    )
    assert not DecisionComment.objects.exists()


def test_a_comment_is_in_the_audit_log_and_the_chain_holds(wireless_decided: Factory, admin_client_: Client) -> None:
    """Comments were kept beside the findings only: the audit log said nothing of them."""
    production = make_member(wireless_decided, Role.PRODUCTION)
    saved = client_for(production).post(URL, {"form": "comment", "text": "Line 2's AP\r\nis the old one."})
    assert saved.status_code == 302
    comment = DecisionComment.objects.get()
    entry = AuditEntry.objects.get(action="finding-commented")
    assert (entry.actor, entry.factory, entry.subject) == (production.username, wireless_decided.slug, FINDING)
    assert entry.detail == {"comment": "Line 2's AP\nis the old one.", "id": comment.pk}
    assert verify_stored().intact
    admin_client_.cookies["django_language"] = "ja"
    log = admin_client_.get(f"{F}/audit/").text
    assert '<td title="finding-commented">指摘にコメント</td>' in log


def test_a_vendor_neither_comments_nor_reads_the_comments(wireless_decided: Factory, admin_client_: Client) -> None:
    """A vendor sees no findings, so neither their comments; its post is refused and nothing is stored."""
    admin_client_.post(URL, {"form": "comment", "text": "the vendor's AP firmware is old"})
    vendor = client_for(make_member(wireless_decided, Role.VENDOR, "line-vendor"))
    read = vendor.get(URL)
    assert read.status_code == 403 and "firmware" not in read.text
    written = vendor.post(URL, {"form": "comment", "text": "it is not"})
    assert written.status_code == 403 and "firmware" not in written.text
    assert list(DecisionComment.objects.values_list("text", flat=True)) == ["the vendor's AP firmware is old"]
    assert AuditEntry.objects.filter(action="finding-commented").count() == 1
