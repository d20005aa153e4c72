"""The decision form (a finding's page, and the *Decisions* page) in Japanese: each invalid input is refused beside its
field with a Japanese message — the form's own, and those of the ``decisions.yaml`` schema and the store's limits
(said through the problems' message codes, as ``analyze --lang ja`` says them), which came back as English — under its
Japanese label, and on an English page with the English one. The API's messages stay English (test_comments_api.py,
tests/workspace/audit)."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from factorysec.workspace.audit.decisions import save_decision
from factorysec.workspace.audit.models import AuditEntry, Decision
from factorysec.workspace.factories.models import Factory

pytestmark = pytest.mark.django_db
F = "/f/annex-a-factory"
FINDING = "THREAT-WIRELESS@transport-zone"
FINDING_PAGE = f"{F}/results/finding/{FINDING}/"
DECISIONS_PAGE = f"{F}/decisions/"
VALID = {"status": "accepted", "owner": "it-security", "justification": "the AP is replaced next month"}
CONTROL_EN = (
    "text holds U+000C (form feed), a control character reports and workbooks cannot carry (remove it: text pasted"
    " from a PDF often brings form feeds; a line break is written \\n)"
)
CONTROL_JA = (
    "文字列に U+000C（改ページ）があります。報告書やブックに書けない制御文字です (削除してください。PDF から貼り付けた"
    "文字列には改ページがよく入ります。改行は \\n と書きます)"
)

# (what, the inputs that differ from VALID, the refused field, English message, Japanese message)
FINDING_CASES = [
    ("no status", {"status": ""}, "status", "Field required", "必須の項目がありません"),
    (
        "a status that is none of the four",
        {"status": "transferred"},
        "status",
        "Input should be 'accepted', 'mitigated', 'false-positive' or 'in-progress'",
        "次のいずれかでなければなりません: accepted, mitigated, false-positive, in-progress（値: 'transferred'）",
    ),
    ("an owner of blanks", {"owner": "   "}, "owner", "Field required", "必須の項目がありません"),
    (
        "an owner over 150 characters",
        {"owner": "o" * 151},
        "owner",
        "at most 150 characters (it has 151)",
        "150 文字以内にしてください（151 文字あります）",
    ),
    ("no justification", {"justification": ""}, "justification", "Field required", "必須の項目がありません"),
    (
        "a justification over 5,000 characters",
        {"justification": "j" * 5001},
        "justification",
        "at most 5000 characters (it has 5001)",
        "5000 文字以内にしてください（5001 文字あります）",
    ),
    (
        "a form feed in the justification",
        {"justification": "page 1\x0cpage 2"},
        "justification",
        CONTROL_EN,
        CONTROL_JA,
    ),
    (
        "a date with month 13",
        {"date": "2026-13-01"},
        "date",
        "Input should be a valid date or datetime, month value is outside expected range of 1-12",
        "有効な日付ではありません（月が 1 から 12 の範囲にありません。値: '2026-13-01'）",
    ),
    (
        "a review-by date that is no date",
        {"review_by": "soon"},
        "review_by",
        "Input should be a valid date or datetime, input is too short",
        "有効な日付ではありません（日付として読めません。値: 'soon'）",
    ),
]

DECISIONS_CASES = [
    ("no status", {"status": ""}, "status", "This field is required.", "このフィールドは必須です。"),
    (
        "a status that is none of the four",
        {"status": "transferred"},
        "status",
        "Select a valid choice. transferred is not one of the available choices.",
        "正しく選択してください。 transferred は候補にありません。",
    ),
    ("an owner of blanks", {"owner": "   "}, "owner", "This field is required.", "このフィールドは必須です。"),
    (
        "an owner over 150 characters",
        {"owner": "o" * 151},
        "owner",
        "Ensure this value has at most 150 characters (it has 151).",
        "この値は 150 文字以下でなければなりません( 151 文字になっています)。",
    ),
    (
        "a form feed in the justification",
        {"justification": "page 1\x0cpage 2"},
        "justification",
        CONTROL_EN,
        CONTROL_JA,
    ),
    ("a form feed in the owner", {"owner": "it\x0csecurity"}, "owner", CONTROL_EN, CONTROL_JA),
    ("a date with month 13", {"date": "2026-13-01"}, "date", "Enter a valid date.", "日付を正しく入力してください。"),
]

LABELS_JA = {"status": "状態", "owner": "担当", "justification": "理由", "date": "日付", "review_by": "見直し期限"}


@pytest.fixture
def decided(annex_a: Factory) -> Factory:
    """The finding has a decision, so its page answers without running an analysis."""
    save_decision(annex_a, {"finding": FINDING, **VALID, "status": "in-progress"}, AnonymousUser())
    return annex_a


def _finding_page_error(page: str, field: str) -> str:
    found = re.search(rf'<span class="error" id="error-{field}">([^<]*)</span>', page)
    return html.unescape(found.group(1)) if found else ""


def _decisions_page_error(page: str, field: str) -> str:
    found = re.search(rf'<ul class="errorlist"[^>]*id="id_{field}_error"[^>]*>(.*?)</ul>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""


def _refused(client: Client, lang: str, url: str, posted: dict[str, str]) -> str:
    client.cookies["django_language"] = lang
    response = client.post(url, posted)
    assert response.status_code == 422, (url, posted, response.status_code)
    return response.text


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(
    ("what", "changed", "field", "english", "japanese"), FINDING_CASES, ids=[c[0] for c in FINDING_CASES]
)
def test_each_invalid_input_on_a_findings_decision_form_in_the_pages_language(
    decided: Factory,
    admin_client_: Client,
    lang: str,
    what: str,
    changed: dict[str, str],
    field: str,
    english: str,
    japanese: str,
) -> None:
    page = _refused(admin_client_, lang, FINDING_PAGE, {"form": "decision", **VALID, **changed})
    assert _finding_page_error(page, field) == (japanese if lang == "ja" else english), what
    if lang == "ja":
        assert f'<label for="id_{field}">{LABELS_JA[field]}</label>' in page
    assert Decision.objects.get().status == "in-progress"  # nothing saved
    assert not AuditEntry.objects.filter(action="decision-changed").exists()


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(
    ("what", "changed", "field", "english", "japanese"), DECISIONS_CASES, ids=[c[0] for c in DECISIONS_CASES]
)
def test_each_invalid_input_on_the_decisions_page_in_the_pages_language(
    decided: Factory,
    admin_client_: Client,
    lang: str,
    what: str,
    changed: dict[str, str],
    field: str,
    english: str,
    japanese: str,
) -> None:
    page = _refused(admin_client_, lang, DECISIONS_PAGE, {"finding": FINDING, **VALID, **changed})
    assert _decisions_page_error(page, field) == (japanese if lang == "ja" else english), what
    if lang == "ja":
        assert f'<label for="id_{field}">{LABELS_JA[field]}:</label>' in page
    assert Decision.objects.get().status == "in-progress"


@pytest.mark.parametrize(("lang", "shown"), [("en", "in-progress"), ("ja", "対応中")])
def test_the_decisions_table_shows_the_status_in_the_pages_language(
    decided: Factory, admin_client_: Client, lang: str, shown: str
) -> None:
    # The status a decision records is one of four codes; a Japanese page reads it as the reports do (対応中).
    admin_client_.cookies["django_language"] = lang
    page = admin_client_.get(DECISIONS_PAGE).text
    row = re.search(rf"<tr[^>]*><td>{re.escape(FINDING)}</td><td>([^<]*)</td>", page)
    assert row is not None and row.group(1) == shown
