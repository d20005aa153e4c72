"""Every page a person reads offers Japanese: rendered in Japanese, the main pages keep none of the English UI phrases."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from factorysec.catalog.vocabulary import VALUES, reference
from factorysec.model.entities import SINGLETONS
from factorysec.model.field_help import FIELD_HELP_JA, FIELD_LABELS
from factorysec.workspace.accounts.models import Role
from factorysec.workspace.audit.labels import ACTION_LABELS, action_label, subject_text
from factorysec.workspace.audit.models import AuditEntry, Decision
from factorysec.workspace.changes import drafts
from factorysec.workspace.changes.models import ChangeRequest, Verdict
from factorysec.workspace.changes.signoffs import REASONS, Reason, reason_texts
from factorysec.workspace.factories.forms import element_form
from factorysec.workspace.factories.models import Element, Factory, Job
from factorysec.workspace.factories.sections import FIELD_WORDS
from factorysec.workspace.factories.store import SECTIONS, item_class
from factorysec.workspace.results.models import StoredFinding
from factorysec.workspace.suppliers.models import AnswerState, SupplierAnswer
from tests.workspace.conftest import ROOT, client_for, make_member
from tests.workspace.posting import element_fields

pytestmark = pytest.mark.django_db
FACTORY = "/f/annex-a-factory"

ENGLISH = (
    # the header of every factory page
    ">Changes<",
    ">Suppliers<",
    ">Decisions<",
    ">Audit<",
    # roles, states and labels from Python
    "Security / IT",
    "Vendor or provider",
    "Open for review",
    "False Positive",
    "In Progress",
    "Title:",
    "Change file:",
    "Review by:",
    "A user name, or a department id of the model.",
    ">submitted<",
    ": done — done",
    # the overview's section titles (and the section and element pages headed by them)
    "Protected objects",
    "Conduits and data flows",
    "Business continuity plan (BCP)",
    "OODA role division",
    ">Industry type<",
    # change requests
    "Change requests",
    "Proposed by",
    "Propose a change",
    "Sign-off",
    "Why the review asks",
    "Verdict",
    "waiting",
    "request changes",
    "Apply change file",
    "Add an element:",
    "Smartification review",
    "Save in draft",
    # findings, vulnerabilities and the audit
    "The department or party answerable",
    "The latest analysis no longer reports",
    "As an entry of decisions.yaml",
    "Vulnerabilities",
    "Match the advisories",
    "No vulnerability job has finished yet.",
    "Audit log",
    "The chain of",
    "Export for an auditor",
    "Decisions on findings",
    "Record a decision",
    # suppliers and members
    "Supplier portal",
    "Supplier answers",
    "Open items, most important assets first",
    "In the model",
    "Your answer",
    "Checklists",
    "Responsibility division",
    "Record verdict",
    "Roles follow Table 1-1",
    "Party (vendors and providers)",
    "Password (new local account only)",
    # the reports' words: guideline references, subject kinds and checklist answers
    "<td>Appendix 3.",
    '<span class="muted">Appendix 3.3',
    "<td>zone <code>",
    ">unknown</option>",
    ">existing</option>",
)


def _ja(client: Client) -> Client:
    client.cookies["django_language"] = "ja"
    return client


def test_the_main_pages_in_japanese_keep_no_english_ui_phrase(annex_a: Factory, admin_client_: Client) -> None:
    staff = _ja(admin_client_)
    assert staff.post(f"{FACTORY}/analysis/").status_code == 302
    dx = make_member(annex_a, Role.DX)
    change = drafts.propose(annex_a, "case (ii)", "", dx)
    drafts.upload(change, "case.yaml", (ROOT / "examples" / "annex-a" / "case-2-first-added.yaml").read_bytes(), dx)
    vendor = _ja(client_for(make_member(annex_a, Role.VENDOR, "line-vendor")))
    finding = StoredFinding.objects.filter(job=Job.objects.get(kind=Job.Kind.ANALYSIS)).first()
    assert finding is not None
    Decision.objects.create(
        factory=annex_a, finding="GONE@nowhere", status="in-progress", owner="root", justification="-"
    )
    portal = vendor.get(f"{FACTORY}/suppliers/").content.decode()
    item = portal.split('name="item" value="')[1].split('"')[0]
    assert (
        vendor.post(f"{FACTORY}/suppliers/", {"subject": "parts-line", "item": item, "answer": "yes"}).status_code
        == 302
    )
    answer = SupplierAnswer.objects.get()
    pages = {
        "overview": (staff, f"{FACTORY}/"),
        "section list": (staff, f"{FACTORY}/s/assets/"),
        "element": (staff, f"{FACTORY}/s/assets/e/agv/"),
        "change requests": (staff, f"{FACTORY}/changes/"),
        "change request and its review": (staff, f"{FACTORY}/changes/{change.pk}/"),
        "draft element": (staff, f"{FACTORY}/changes/{change.pk}/s/assets/new/"),
        "findings": (staff, f"{FACTORY}/results/"),
        "findings by department": (staff, f"{FACTORY}/results/by/department/"),
        "finding": (staff, f"{FACTORY}/results/finding/{finding.finding}/"),
        "stale decision": (staff, f"{FACTORY}/results/finding/GONE@nowhere/"),
        "job": (staff, f"{FACTORY}/jobs/{Job.objects.get(kind=Job.Kind.ANALYSIS).pk}/"),
        "vulnerabilities": (staff, f"{FACTORY}/vulnerabilities/"),
        "decisions": (staff, f"{FACTORY}/decisions/"),
        "audit log": (staff, f"{FACTORY}/audit/"),
        "members": (staff, f"{FACTORY}/members/"),
        "supplier answers": (staff, f"{FACTORY}/suppliers/"),
        "supplier answer": (staff, f"{FACTORY}/suppliers/answers/{answer.pk}/"),
        "supplier portal": (vendor, f"{FACTORY}/suppliers/"),
    }
    left = {}
    for name, (client, url) in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        text = response.content.decode()
        assert '<html lang="ja">' in text, name
        if found := [phrase for phrase in ENGLISH if phrase in text]:
            left[name] = found
    assert not left, left
    for client in (staff, vendor):
        client.cookies["django_language"] = "en"
    english = "".join(client.get(url).content.decode() for client, url in pages.values())
    assert [phrase for phrase in ENGLISH if phrase not in english] == [], (
        "each phrase is one these pages show in English"
    )


def test_who_is_named_for_what_each_table_records(annex_a: Factory, admin_client_: Client) -> None:
    """The same English header reads as the approver on a review, the actor in the audit log, the editor in a history."""
    staff = _ja(admin_client_)
    dx = make_member(annex_a, Role.DX)
    change = drafts.propose(annex_a, "case (ii)", "", dx)
    drafts.upload(change, "case.yaml", (ROOT / "examples" / "annex-a" / "case-2-first-added.yaml").read_bytes(), dx)
    headers = {
        f"{FACTORY}/changes/{change.pk}/": "<th>承認者</th>",
        f"{FACTORY}/audit/": "<th>実施者</th>",
        f"{FACTORY}/s/assets/e/agv/": "<th>変更者</th>",
    }
    for url, header in headers.items():
        assert header in staff.get(url).content.decode(), url


def _help_texts(page: str) -> dict[str, str]:
    """Each field's help on an element page, by field name (the text of its ``<div class="help">``)."""
    found = re.findall(r'<div class="field[^"]*" id="field-([^"]+)">.*?<div class="help">(.*?)</div>', page, re.S)
    return {name: html.unescape(help_text) for name, help_text in found}


def test_every_field_of_every_section_has_a_japanese_help_text() -> None:
    """The Japanese table names exactly the fields the forms show, so a field added to the model needs its Japanese."""
    shown = {
        section: {info.alias or name for name, info in item_class(section).model_fields.items()} for section in SECTIONS
    }
    assert {section: set(FIELD_HELP_JA.get(section, {})) for section in SECTIONS} == shown
    assert set(FIELD_HELP_JA) == set(SECTIONS)
    english = {info.description for section in SECTIONS for info in item_class(section).model_fields.values()}
    assert not [text for texts in FIELD_HELP_JA.values() for text in texts.values() if text in english or not text]


def test_element_pages_in_japanese_give_each_field_its_japanese_help(annex_a: Factory, admin_client_: Client) -> None:
    """The edit page of every section (a stored element, a new one, a draft's element) reads each field's help in
    Japanese; the English description, also the JSON Schema's, is what the English page shows. The draft's form gave
    none, and headed itself with the section's key."""
    dx = make_member(annex_a, Role.DX)
    change = drafts.propose(annex_a, "case (ii)", "", dx)
    zone = Element.objects.filter(factory=annex_a, section="zones").values_list("key", flat=True)[0]
    pages = [
        (section, f"{FACTORY}/s/{section}/e/{section}/" if section in SINGLETONS else f"{FACTORY}/s/{section}/new/")
        for section in SECTIONS
    ]
    pages += [("zones", f"{FACTORY}/s/zones/e/{zone}/"), ("assets", f"{FACTORY}/s/assets/e/agv/")]
    draft = ("assets", f"{FACTORY}/changes/{change.pk}/s/assets/e/agv/")
    proposer = client_for(dx)
    wrong: dict[tuple[str, ...], str | None] = {}
    for language in ("ja", "en"):
        for client in (admin_client_, proposer):
            client.cookies["django_language"] = language
        for client, (section, url) in [(admin_client_, page) for page in pages] + [(proposer, draft)]:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            text = response.content.decode()
            if client is proposer:
                assert (
                    "<h1>下書き: 保護対象 / agv</h1>" if language == "ja" else "<h1>Draft: Protected objects / agv</h1>"
                ) in text
            shown = _help_texts(text)
            assert set(shown) == set(FIELD_HELP_JA[section]), url
            labels = _labels(text)
            for field, info in item_class(section).model_fields.items():
                key = info.alias or field
                expected = FIELD_HELP_JA[section][key] if language == "ja" else info.description or ""
                if not shown[key].startswith(expected):
                    wrong[(language, url, key)] = shown[key]
                label = FIELD_LABELS[section][key][1 if language == "ja" else 0]
                if labels.get(key) != label:
                    wrong[(language, url, key, "label")] = labels.get(key)
    assert not wrong, wrong
    # the draft's form renders its inputs as the element's form does (it gave a date as plain text)
    review = proposer.get(f"{FACTORY}/changes/{change.pk}/s/reviews/new/").content.decode()
    assert '<input type="date" id="id_date"' in review


def _labels(page: str) -> dict[str, str]:
    """Each input's label on an element page, by field name (without the required field's ``*``)."""
    found = re.findall(r'<label for="id_([^"]+)"[^>]*>(.*?)( \*)?</label>', page)
    return {name: html.unescape(label) for name, label, _required in found}


def test_every_field_of_every_section_has_a_label_in_both_languages() -> None:
    """The forms labelled their inputs with the YAML keys (source_zone, criticality): the one table of labels, which
    the lists' headers read too, names every field of every section in English and Japanese, each once per section."""
    shown = {
        section: {info.alias or name for name, info in item_class(section).model_fields.items()} for section in SECTIONS
    }
    assert {section: set(FIELD_LABELS.get(section, {})) for section in SECTIONS} == shown
    assert set(FIELD_LABELS) == set(SECTIONS)
    for section, labels in FIELD_LABELS.items():
        for lang in (0, 1):
            named = [pair[lang] for pair in labels.values()]
            assert all(named) and len(set(named)) == len(named), (section, lang, named)
        assert not [key for key, (en, ja) in labels.items() if key in (en, ja) or re.search("[a-z]{3}", ja)], section


def test_every_choice_of_every_form_reads_in_japanese(annex_a: Factory, admin_client_: Client) -> None:
    """A select's options (and a list's values in its help) read as the glossary words them on a Japanese page: a
    measure's status read implemented/partial/planned, a review's trigger and a responsibility's area their codes.
    The option still sends the code."""
    missing = {}
    for section in SECTIONS:
        with translation.override("ja"):
            fields = element_form(item_class(section), None, section=section)
        for field in fields:
            if not field.choices or (section, field.name) == ("assets", "traits"):
                continue  # the traits' help text names each of them, as the catalog's traits do
            vocabulary = FIELD_WORDS.get(section, {}).get(field.name)
            words = VALUES.get(vocabulary or "", {})
            untranslated = [c for c in field.choices if c not in words or words[c].ja == c]
            if vocabulary is None or untranslated:
                missing[(section, field.name)] = untranslated
    assert not missing, missing
    page = _ja(admin_client_).get(f"{FACTORY}/s/measures/new/").content.decode()
    assert '<option value="planned">計画中</option>' in page
    assert '<option value="implemented">実施済み</option>' in page


def _list_table(page: str) -> tuple[list[str], dict[str, list[str]]]:
    """A section list's headers and each row's cells (after the id) by element id."""
    headers = [html.unescape(h) for h in re.findall(r"<th(?: [^>]*)?>(.*?)</th>", page.split("<tbody>")[0])]
    rows = {
        key: [html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", cells)]
        for key, cells in re.findall(r"<tr><td><a [^>]*>([^<]*)</a></td>(.*?)</tr>", page)
    }
    return headers, rows


def test_section_lists_in_japanese_have_japanese_headers_and_flags(annex_a: Factory, admin_client_: Client) -> None:
    """A list's headers are titles (送信元ゾーン, not the key ``from``), a flag reads はい or いいえ (True, or an empty
    cell where the model's default false is left out of the stored element), a vocabulary's value as the reports word it."""
    staff = _ja(admin_client_)
    headers, rows = _list_table(staff.get(f"{FACTORY}/s/conduits/").content.decode())
    assert headers == ["ID", "送信元ゾーン", "送信先ゾーン", "プロトコル", "外部ネットワーク", "制御指示", "版"]
    assert rows["oa-to-control"] == ["oa", "production-control", "https", "なし", "いいえ", "1"]
    assert rows["control-to-production"] == ["production-control", "production", "opc-ua", "なし", "はい", "1"]
    headers, rows = _list_table(staff.get(f"{FACTORY}/s/zones/").content.decode())
    assert headers == ["ID", "名称", "用途", "親ゾーン", "管理主体", "版"]
    assert rows["production"][1] == "生産"
    for section in SECTIONS:
        if section in SINGLETONS:
            continue
        page = staff.get(f"{FACTORY}/s/{section}/").content.decode()
        headers, rows = _list_table(page)
        fields = {info.alias or name for name, info in item_class(section).model_fields.items()}
        assert not [h for h in headers if h in fields or re.search("[A-Za-z]{3}", h)], (section, headers)
        assert not [c for cells in rows.values() for c in cells if c in ("True", "False")], section
    staff.cookies["django_language"] = "en"
    headers, rows = _list_table(staff.get(f"{FACTORY}/s/conduits/").content.decode())
    assert headers == ["Id", "From zone", "To zone", "Protocols", "External network", "Control instructions", "Version"]
    assert rows["oa-to-control"][3:5] == ["none", "No"] and rows["control-to-production"][4] == "Yes"


def test_every_action_code_recorded_has_a_japanese_label() -> None:
    """Each code a ``record(...)`` call in the source writes (the verdicts of the f-strings spelled out) has a label,
    Japanese on a Japanese page; a code added without one would show as stored."""
    source = ROOT / "src" / "factorysec"
    calls = [
        call
        for path in source.rglob("*.py")
        for call in re.findall(r"\brecord\(\s*(.*?),\s*(?:user|actor)=", path.read_text(encoding="utf-8"), re.S)
    ]
    codes = {code for call in calls for code in re.findall(r'(?<![f[])"([a-z-]+)"', call)}
    codes |= {f"signoff-{verdict}" for verdict in Verdict.values} | {
        f"supplier-answer-{state}" for state in (AnswerState.ACCEPTED, AnswerState.QUESTIONED)
    }
    assert {call for call in calls if call.startswith('f"')} == {'f"signoff-{verdict}"', 'f"supplier-answer-{verdict}"'}
    assert len(codes) >= 20 and codes <= set(ACTION_LABELS), codes - set(ACTION_LABELS)
    with translation.override("ja"):
        assert [
            code for code in ACTION_LABELS if not re.search("[\u3040-\u30ff\u4e00-\u9fff]", action_label(code))
        ] == []
    with translation.override("en"):
        assert [code for code in ACTION_LABELS if action_label(code) != code] == []


def test_the_audit_log_in_japanese_labels_each_action(annex_a: Factory, admin_client_: Client) -> None:
    """The log reads each action and the subjects the workspace writes in English in Japanese; the stored entries (the
    hashed chain, the export) keep their codes and text."""
    staff = _ja(admin_client_)
    dx = make_member(annex_a, Role.DX)
    change = drafts.propose(annex_a, "case (ii)", "", dx)
    drafts.upload(change, "case.yaml", (ROOT / "examples" / "annex-a" / "case-2-first-added.yaml").read_bytes(), dx)
    fields, version = element_fields("zones", "oa")
    assert staff.post(f"{FACTORY}/s/zones/e/oa/", {**fields, "version": str(version)}).status_code == 302
    page = staff.get(f"{FACTORY}/audit/").content.decode()
    cells = re.findall(r'<td title="([^"]*)">([^<]*)</td><td>([^<]*)</td>', page)
    shown = {code: (html.unescape(label), html.unescape(subject)) for code, label, subject in cells}
    assert shown == {
        "elements-imported": ("要素を取り込み", "取り込み"),
        "change-proposed": ("変更を提案", f"変更要求 #{change.pk}：case (ii)"),
        "draft-edited": ("下書きを編集", f"変更要求 #{change.pk}：case.yaml をアップロード"),
        "element-saved": ("要素を保存", "zones/oa"),
    }
    stored = AuditEntry.objects.get(action="draft-edited")
    assert stored.subject == f"change #{change.pk}: uploaded case.yaml"
    staff.cookies["django_language"] = "en"
    page = staff.get(f"{FACTORY}/audit/").content.decode()
    assert f'<td title="draft-edited">draft-edited</td><td>change #{change.pk}: uploaded case.yaml</td>' in page


@pytest.mark.parametrize(
    ("action", "subject", "detail", "japanese"),
    [
        (
            "draft-edited",
            "change #4: supplier answer of plc-vendor accepted",
            {"elements": 1},
            "変更要求 #4：plc-vendor のサプライヤー回答を受理",
        ),
        ("draft-edited", "change #4: uploaded x.yaml", {"elements": 3}, "変更要求 #4：x.yaml をアップロード"),
        # a title or key someone wrote stays as written, whatever its words
        ("change-proposed", "change #5: uploaded by hand", {}, "変更要求 #5：uploaded by hand"),
        ("draft-edited", "change #5: assets/uploaded x", {"revision": 2}, "変更要求 #5：assets/uploaded x"),
        ("decision-created", "S1-X@zone:import", {}, "S1-X@zone:import"),
        ("element-saved", "import", {}, "import"),
    ],
)
def test_the_audit_log_reads_again_only_the_words_the_workspace_wrote(
    action: str, subject: str, detail: dict[str, object], japanese: str
) -> None:
    with translation.override("ja"):
        assert subject_text(action, subject, detail) == japanese
    with translation.override("en"):
        assert subject_text(action, subject, detail) == subject


def test_sign_off_reasons_read_in_the_readers_language_and_old_ones_as_stored(
    annex_a: Factory, admin_client_: Client
) -> None:
    """A change's approvers keep their reasons' English text (the API, old pages) and, beside it, each reason's code and
    parameters, which the change page reads in Japanese; an approver stored before the codes reads as stored."""
    dx = make_member(annex_a, Role.DX)
    change = drafts.propose(annex_a, "case (ii)", "", dx)
    drafts.upload(change, "case.yaml", (ROOT / "examples" / "annex-a" / "case-2-first-added.yaml").read_bytes(), dx)
    change.refresh_from_db()
    stored = {a["key"]: a for a in change.approvers}
    assert (
        "new external connection: warehouse-to-remote-maintenance (Annex A step 2)"
        in (stored["department:it-security"]["reasons"])
    )
    staff = _ja(admin_client_)
    page = html.unescape(staff.get(f"{FACTORY}/changes/{change.pk}/").content.decode())
    reasons = re.findall(r"<li>([^<]*)</li>", page.split('id="approvers"')[1].split("</table>")[0])
    assert "新たな外部接続：warehouse-to-remote-maintenance（付録A 手順2）" in reasons
    assert "remote-maintenance-service の責任分界（付録A 事例(ii) 手順3）" in reasons
    assert [r for r in reasons if re.search("[A-Z][a-z]+ [0-9A-Z]|[a-z]{3,} [a-z]{3,}", r)] == [], reasons
    assert len(reasons) == sum(len(a["reasons"]) for a in change.approvers)
    staff.cookies["django_language"] = "en"
    page = html.unescape(staff.get(f"{FACTORY}/changes/{change.pk}/").content.decode())
    assert [r for a in change.approvers for r in a["reasons"] if f"<li>{r}</li>" not in page] == []
    # as a change stored by an earlier version holds its approvers: the English text alone
    ChangeRequest.objects.filter(pk=change.pk).update(
        approvers=[{k: v for k, v in a.items() if k != "reason_codes"} for a in change.approvers]
    )
    staff.cookies["django_language"] = "ja"
    page = html.unescape(staff.get(f"{FACTORY}/changes/{change.pk}/").content.decode())
    assert "<li>new external connection: warehouse-to-remote-maintenance (Annex A step 2)</li>" in page


def test_each_sign_off_reason_has_the_same_parameters_in_both_languages() -> None:
    for code, text in REASONS.items():
        assert sorted(re.findall(r"\{(\w+)\}", text.en)) == sorted(re.findall(r"\{(\w+)\}", text.ja)), code
    checklist = Reason(
        "checklist", {"checklist_kind": "cloud-service", "subject": "mes", "reference": "Appendix 3.3 (2), Table 3-10"}
    )
    assert checklist.text("en") == "cloud-service checklist for mes (Appendix 3.3 (2), Table 3-10)"
    assert (
        checklist.text("ja")
        == f"mes のクラウドサービスのチェックリスト（{reference('Appendix 3.3 (2), Table 3-10', 'ja')}）"
    )
    broken = {"reasons": ["as stored"], "reason_codes": [{"code": "not-a-code", "params": {}}]}
    assert reason_texts(broken, "ja") == ["as stored"]
    assert reason_texts({"reasons": ["as stored"], "reason_codes": [{"code": "zone-split", "params": {}}]}, "ja") == [
        "as stored"
    ]


def test_a_list_reads_a_catalog_id_as_the_catalogs_japanese_title(annex_a: Factory, admin_client_: Client) -> None:
    """A department's or party's kind, an asset's component (catalog ids) read as the catalog titles them on a Japanese
    list (セキュリティ部門, not ``security``), as written on an English one."""
    staff = _ja(admin_client_)
    _, rows = _list_table(staff.get(f"{FACTORY}/s/departments/").content.decode())
    assert rows["it-security"][1] == "セキュリティ部門", rows
    _, rows = _list_table(staff.get(f"{FACTORY}/s/parties/").content.decode())
    assert rows["mes-vendor"][1] == "ソフトウェア供給者", rows
    _, rows = _list_table(staff.get(f"{FACTORY}/s/assets/").content.decode())
    assert not [cells[3] for cells in rows.values() if re.fullmatch("[a-z0-9-]+", cells[3])], rows
    staff.cookies["django_language"] = "en"
    _, rows = _list_table(staff.get(f"{FACTORY}/s/departments/").content.decode())
    assert rows["it-security"][1] == "security", rows


def test_the_overview_reads_the_factorys_industry_as_its_form_does(annex_a: Factory, admin_client_: Client) -> None:
    """The overview's line on the factory labels and words its industry as the factory's form does (産業の類型: 加工組立型);
    it read 業種: processing-assembly, the code, under a label of its own."""
    staff = _ja(admin_client_)
    page = html.unescape(re.sub(r"<[^>]+>", "", staff.get(f"{FACTORY}/").content.decode()))
    assert "産業の類型: 加工組立型" in page and "processing-assembly" not in page
    staff.cookies["django_language"] = "en"
    page = html.unescape(re.sub(r"<[^>]+>", "", staff.get(f"{FACTORY}/").content.decode()))
    assert "Industry type: processing-assembly" in page


def test_a_conflict_and_a_drafts_edits_read_fields_and_sections_in_japanese(
    annex_a: Factory, admin_client_: Client
) -> None:
    """A refused stale save lists what differs by the fields' labels (IPアドレス, not ``addresses``) and their values as
    the lists read them; a change request's draft lists its edits under the sections' titles (保護対象 / agv, not
    ``assets/agv``) and offers new elements by section title."""
    url = f"{FACTORY}/s/assets/e/scada/"
    first, second = _ja(admin_client_), _ja(client_for(make_member(annex_a, Role.SECURITY_IT)))
    fields, version = element_fields("assets", "scada")
    assert first.post(url, fields | {"version": str(version), "status": "changed"}).status_code == 302
    refused = second.post(url, fields | {"version": str(version), "addresses": "10.5.0.10, 10.5.0.11", "status": "new"})
    assert refused.status_code == 409
    conflict = refused.content.decode().split('id="conflict">')[1].split("</table>")[0]
    assert '<td title="addresses">IPアドレス</td><td>10.5.0.10</td><td>10.5.0.10, 10.5.0.11</td>' in conflict
    assert '<td title="status">状態</td><td>変更</td><td>新規</td>' in conflict
    dx = make_member(annex_a, Role.DX)
    change = drafts.propose(annex_a, "case (ii)", "", dx)
    drafts.upload(change, "case.yaml", (ROOT / "examples" / "annex-a" / "case-2-first-added.yaml").read_bytes(), dx)
    page = first.get(f"{FACTORY}/changes/{change.pk}/").content.decode()
    edits = page.split('<ul id="edits">')[1].split("</ul>")[0]
    assert re.search(r'<span title="assets">保護対象</span> / [\w.-]+', edits), edits
    assert not re.search(r"<li>[a-z_]+/", edits), edits
    assert f'href="{FACTORY}/changes/{change.pk}/s/zones/new/" title="zones">ゾーン</a>' in page


def test_a_saved_or_deleted_element_is_named_by_its_sections_title(annex_a: Factory, admin_client_: Client) -> None:
    """The message after a save, a draft's save and a delete names the element as its page heads it (保護対象 / scada);
    it named the section's key (assets/scada を保存しました)."""
    staff = _ja(admin_client_)
    fields, version = element_fields("assets", "scada")
    saved = staff.post(f"{FACTORY}/s/assets/e/scada/", fields | {"version": str(version)}, follow=True)
    assert "保護対象 / scada を保存しました（版 2）。" in saved.content.decode()
    deleted = staff.post(f"{FACTORY}/s/conduits/e/monitoring-to-control/delete/", {"confirm": "yes"}, follow=True)
    assert "コンジットとデータの流れ / monitoring-to-control を削除しました。" in deleted.content.decode()
    change = drafts.propose(annex_a, "case (ii)", "", User.objects.get(username="root"))
    fields, version = element_fields("assets", "agv")
    drafted = staff.post(
        f"{FACTORY}/changes/{change.pk}/s/assets/e/agv/", fields | {"version": str(version)}, follow=True
    )
    assert "保護対象 / agv を下書きに保存しました。" in drafted.content.decode()


def test_the_comments_the_workspace_writes_on_versions_are_read_in_japanese(
    admin_client_: Client, annex_a: Factory
) -> None:
    """Every element of a factory `serve` loaded showed 'loaded from factory.yaml' in its history on a Japanese page,
    and every save 'edit'; the workspace wrote these words, not a person."""
    from factorysec.workspace.factories.models import ElementVersion

    row = Element.objects.get(factory=annex_a, section="assets", key="scada")
    ElementVersion.objects.filter(element=row).update(comment="loaded from factory.yaml")  # as serve's first start
    fields, version = element_fields("assets", "scada")
    url = f"{FACTORY}/s/assets/e/scada/"
    assert admin_client_.post(url, {**fields, "description": "x", "version": str(version)}).status_code == 302
    fields, version = element_fields("assets", "scada")
    mine = {**fields, "description": "y", "comment": "edit of the line", "version": str(version)}
    assert admin_client_.post(url, mine).status_code == 302
    english = admin_client_.get(url).text
    assert "<td>loaded from factory.yaml</td>" in english and "<td>edit</td>" in english
    admin_client_.cookies["django_language"] = "ja"
    for page in (admin_client_.get(url).text, admin_client_.get(f"{FACTORY}/history/").text):
        assert "<td>factory.yaml から読み込み</td>" in page and "<td>編集</td>" in page
        assert "<td>edit of the line</td>" in page, "a person's own comment is shown as written"
        assert "loaded from" not in page and "<td>edit</td>" not in page
