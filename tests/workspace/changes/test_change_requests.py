"""Change requests: Annex A case (ii) proposed as a change file, reviewed, signed off by exactly who the review names, revised, merged."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from factorysec.model import model_digest
from factorysec.workspace.audit.log import verify_stored
from factorysec.workspace.audit.models import AuditEntry
from factorysec.workspace.changes import drafts
from factorysec.workspace.changes.models import ChangeRequest, State
from factorysec.workspace.factories.models import Factory
from factorysec.workspace.factories.store import factory_model
from tests.workspace.conftest import ROOT, client_for

pytestmark = pytest.mark.django_db
EXAMPLES = ROOT / "examples" / "annex-a"
CASE_2_FIRST = (EXAMPLES / "case-2-first-added.yaml").read_bytes()
CASE_2_REVISED = (EXAMPLES / "case-2-after-review.yaml").read_bytes()


SPEAKERS = {
    "security": "security",
    "it": "security",
    "production-engineering": "production",
    "factory-management": "management",
}


def approve_all(change: ChangeRequest, people: dict[str, User]) -> None:
    """Every approver the review names approves, through the account that speaks for it."""
    for approver in change.approvers:
        user = people["provider"] if approver["kind"] == "party" else people[SPEAKERS[approver["department_kind"]]]
        drafts.sign(change, approver["key"], "approved", "", user)


def _proposed(annex_a: Factory, people: dict[str, User], content: bytes = CASE_2_FIRST) -> ChangeRequest:
    change = drafts.propose(annex_a, "remote maintenance of the warehouse", "Annex A case (ii)", people["dx"])
    drafts.upload(change, "case-2-first-added.yaml", content, people["dx"])
    change.refresh_from_db()
    return change


def test_case_ii_asks_security_production_the_provider_and_the_bcp_owner_exactly(
    annex_a: Factory, people: dict[str, User]
) -> None:
    change = _proposed(annex_a, people)
    assert [a["key"] for a in change.approvers] == [
        "department:factory-management",
        "department:it-security",
        "department:production-engineering",
        "party:remote-maintenance-provider",
    ]
    reasons = {a["key"]: " ".join(a["reasons"]) for a in change.approvers}
    assert (
        "BCP viewpoints not yet covered" in reasons["department:factory-management"]
        and "partner-incident-impact" not in reasons["department:factory-management"]
    )
    assert "warehouse-to-remote-maintenance" in reasons["department:it-security"]
    assert "warehouse-zone" in reasons["department:production-engineering"]
    assert "responsibility boundary of remote-maintenance-service" in reasons["party:remote-maintenance-provider"]


def test_merge_waits_for_every_approval_then_records_a_review(annex_a: Factory, people: dict[str, User]) -> None:
    change = _proposed(annex_a, people)
    before = model_digest(factory_model(annex_a))
    drafts.sign(change, "department:it-security", "approved", "", people["security"])
    drafts.sign(change, "department:factory-management", "approved", "", people["management"])
    with pytest.raises(
        drafts.ChangeError,
        match="not approved yet by: department:production-engineering, party:remote-maintenance-provider",
    ):
        drafts.merge(change, people["dx"])
    assert model_digest(factory_model(annex_a)) == before
    drafts.sign(change, "department:production-engineering", "approved", "", people["production"])
    drafts.sign(change, "party:remote-maintenance-provider", "approved", "", people["provider"])
    digest = drafts.merge(change, people["dx"])
    model = factory_model(annex_a)
    assert "remote-maintenance-service" in {a.id for a in model.assets}
    review = next(r for r in model.reviews if r.id == f"change-request-{change.pk}")
    assert review.model_digest == digest == model_digest(model)
    assert review.trigger == "smartification-change"
    assert review.participants == [
        "factory-management",
        "it-security",
        "production-engineering",
        "remote-maintenance-provider",
    ]
    merged = AuditEntry.objects.get(action="change-merged")
    assert merged.model_digest == digest and merged.detail["participants"] == review.participants
    assert verify_stored().intact


def test_only_who_speaks_for_an_approver_signs(annex_a: Factory, people: dict[str, User]) -> None:
    change = _proposed(annex_a, people)
    for user, approver in (
        (people["production"], "department:it-security"),
        (people["other-vendor"], "party:remote-maintenance-provider"),
        (people["management"], "department:production-engineering"),
    ):
        with pytest.raises(drafts.ChangeError, match="you do not speak for"):
            drafts.sign(change, approver, "approved", "", user)
    with pytest.raises(drafts.ChangeError, match="does not ask department:dx-office"):
        drafts.sign(change, "department:dx-office", "approved", "", people["dx"])


def test_reject_needs_a_reason_and_closes_the_change(annex_a: Factory, people: dict[str, User]) -> None:
    change = _proposed(annex_a, people)
    with pytest.raises(drafts.ChangeError, match="give a reason"):
        drafts.sign(change, "department:it-security", "rejected", "  ", people["security"])
    drafts.sign(change, "department:it-security", "rejected", "no remote access to the warehouse", people["security"])
    change.refresh_from_db()
    assert change.state == State.REJECTED
    with pytest.raises(drafts.ChangeError, match="rejected"):
        drafts.merge(change, people["dx"])


def test_requested_changes_then_a_revision_needs_approval_again(annex_a: Factory, people: dict[str, User]) -> None:
    change = _proposed(annex_a, people)
    drafts.sign(change, "department:production-engineering", "approved", "", people["production"])
    drafts.sign(
        change,
        "department:it-security",
        "changes-requested",
        "put the service in a separate external-services zone",
        people["security"],
    )
    change.refresh_from_db()
    assert change.state == State.CHANGES_REQUESTED
    drafts.upload(
        change,
        "case-2-after-review.yaml",
        CASE_2_REVISED.replace(b"base: case-2-first-added.yaml", b"base: draft.yaml"),
        people["dx"],
    )
    change.refresh_from_db()
    assert change.state == State.OPEN
    assert "department:production-engineering" in drafts.missing_approvals(change), (
        "an approval of an earlier revision does not carry over"
    )
    assert "external-services" in {z.id for z in drafts.draft_model(change).zones}


def test_a_change_merged_meanwhile_is_a_conflict_never_merged_over(annex_a: Factory, people: dict[str, User]) -> None:
    first = drafts.propose(annex_a, "rename the warehouse zone", "", people["dx"])
    second = drafts.propose(annex_a, "describe the warehouse zone", "", people["dx"])
    zone = next(z for z in factory_model(annex_a).zones if z.id == "warehouse-zone").model_dump(
        mode="json", by_alias=True, exclude_defaults=True
    )
    live_version = annex_a.elements.get(section="zones", key="warehouse-zone").version
    drafts.edit_draft(
        first, "zones", "warehouse-zone", zone | {"name": "Warehouse (renamed)"}, live_version, people["dx"]
    )
    drafts.edit_draft(second, "zones", "warehouse-zone", zone | {"description": "second"}, live_version, people["dx"])
    first.refresh_from_db()
    approve_all(first, people)
    drafts.merge(first, people["dx"])
    second.refresh_from_db()
    assert [c.key for c in drafts.conflicts(second)] == ["warehouse-zone"]
    with pytest.raises(drafts.ChangeError, match="conflicts with the model"):
        drafts.merge(second, people["dx"])
    assert next(z for z in factory_model(annex_a).zones if z.id == "warehouse-zone").name == "Warehouse (renamed)"


def test_pages_show_the_review_and_sign_off(annex_a: Factory, people: dict[str, User]) -> None:
    dx = client_for(people["dx"])
    with open(EXAMPLES / "case-2-first-added.yaml", "rb") as handle:
        response = dx.post(f"/f/{annex_a.slug}/changes/", {"title": "case (ii)", "change_file": handle})
    assert response.status_code == 302, response.content
    change = ChangeRequest.objects.get()
    page = dx.get(f"/f/{annex_a.slug}/changes/{change.pk}/")
    assert b"department:it-security" in page.content and b"party:remote-maintenance-provider" in page.content
    review = dx.get(f"/f/{annex_a.slug}/changes/{change.pk}/review.html")
    assert review.status_code == 200
    assert b"<svg" in review.content and b"warehouse-to-remote-maintenance" in review.content
    provider = client_for(people["provider"])
    assert provider.get(f"/f/{annex_a.slug}/changes/{change.pk}/review.html").status_code == 403, (
        "the whole model is not the provider's to see"
    )
    vendor_page = provider.get(f"/f/{annex_a.slug}/changes/{change.pk}/")
    assert (
        b"party:remote-maintenance-provider" in vendor_page.content
        and b"department:it-security" not in vendor_page.content
    )
    assert client_for(people["other-vendor"]).get(f"/f/{annex_a.slug}/changes/{change.pk}/").status_code == 404
    signed = provider.post(
        f"/f/{annex_a.slug}/changes/{change.pk}/sign/",
        {"approver": "party:remote-maintenance-provider", "verdict": "approved", "reason": ""},
    )
    assert signed.status_code == 302
    assert "party:remote-maintenance-provider" not in drafts.missing_approvals(change)


def test_security_gives_a_party_the_draft_adds_an_account_that_signs(annex_a: Factory, people: dict[str, User]) -> None:
    """Case (ii) adds the remote maintenance provider and asks it to sign off; the members page only took the parties of
    the live model, so no account could speak for it and the change could never be merged through the pages."""
    change = _proposed(annex_a, people)
    security = client_for(people["security"])
    added = security.post(
        f"/f/{annex_a.slug}/members/",
        {
            "username": "provider-2",
            "role": "vendor",
            "party": "remote-maintenance-provider",
            "password": "a long pw 4411",
        },
    )
    assert added.status_code == 302, added.content
    provider = client_for(User.objects.get(username="provider-2"))
    assert provider.get(f"/f/{annex_a.slug}/changes/{change.pk}/").status_code == 200
    for approver in change.approvers:
        if approver["kind"] != "party":
            drafts.sign(change, approver["key"], "approved", "", people[SPEAKERS[approver["department_kind"]]])
    signed = provider.post(
        f"/f/{annex_a.slug}/changes/{change.pk}/sign/",
        {"approver": "party:remote-maintenance-provider", "verdict": "approved", "reason": ""},
    )
    assert signed.status_code == 302 and drafts.missing_approvals(change) == []
    drafts.merge(change, people["dx"])
    refused = security.post(
        f"/f/{annex_a.slug}/members/", {"username": "x-vendor", "role": "vendor", "party": "nobody"}
    )
    assert refused.status_code == 422 and "remote-maintenance-provider" in refused.text


def test_a_bad_change_file_is_refused_with_file_line_and_field(annex_a: Factory, people: dict[str, User]) -> None:
    change = drafts.propose(annex_a, "bad", "", people["dx"])
    bad = CASE_2_FIRST.replace(
        b"zone: warehouse-zone, status: new, operations: [warehouse-remote-maintenance]",
        b"zone: no-such-zone, status: new, operations: [warehouse-remote-maintenance]",
    )
    from factorysec.workspace.changes.uploads import UploadError

    with pytest.raises(UploadError) as caught:
        drafts.upload(change, "case.yaml", bad, people["dx"])
    assert any(p.startswith("case.yaml:") and "no-such-zone" in p for p in caught.value.problems), caught.value.problems
    for content, expected in (
        (b"change: [", "YAML syntax error"),
        (b"add: {}\n", "not a change file"),
        (b"change: {base: /etc/passwd}\n", "must be a path relative to the change file"),
        (b"change: {base: ..\\\\current}\n", "must be a path relative to the change file"),
        (b"\xff\xfe", "not UTF-8"),
    ):
        with pytest.raises(UploadError, match=expected):
            drafts.upload(change, "case.yaml", content, people["dx"])
    assert not change.edits.exists()


def test_a_change_file_whose_base_climbs_out_of_its_folder_applies_as_review_reads_it(
    annex_a: Factory, people: dict[str, User]
) -> None:
    """The bundled identities file names its base '../annex-a/current', as 'factorysec review' reads it beside the
    examples; the workspace refused it ("'../annex-a/current' must be a relative name", though it is one), so the
    vulnerability intake's own example could not be proposed without editing it. The base is now written where it
    names it, inside the upload's temporary folder, and a problem names the uploaded file alone."""
    identities = (ROOT / "examples" / "vulnerability-intake" / "identities.yaml").read_bytes()
    change = drafts.propose(annex_a, "identities", "", people["security"])
    drafts.upload(change, "identities.yaml", identities, people["security"])
    edited = {(e.section, e.key) for e in change.edits.all()}
    assert ("assets", "parts-line") in edited and ("assets", "scada") in edited
    parts_line = change.edits.get(section="assets", key="parts-line").payload
    assert parts_line["identity"]["product"] == "SIMATIC S7-1500"
    from factorysec.workspace.changes.uploads import UploadError

    bad = identities.replace(b"- id: scada", b"- id: no-such-asset", 1)
    with pytest.raises(UploadError) as caught:
        drafts.upload(change, "identities.yaml", bad, people["security"])
    assert caught.value.problems and all(p.startswith("identities.yaml:") for p in caught.value.problems), (
        caught.value.problems
    )


def test_a_sign_off_refused_on_the_page_names_its_field(annex_a: Factory, people: dict[str, User]) -> None:
    """The sign-off form said "The sign-off form was incomplete." or the reason alone; it names the field now, as the
    API does."""
    change = drafts.propose(annex_a, "case (ii)", "", people["dx"])
    drafts.upload(change, "case-2.yaml", CASE_2_FIRST, people["dx"])
    provider = client_for(people["provider"])
    url = f"/f/{annex_a.slug}/changes/{change.pk}/sign/"
    approver = "party:remote-maintenance-provider"
    missing = provider.post(url, {"approver": approver, "reason": ""}, follow=True)
    assert "verdict: This field is required." in missing.text
    rejected = provider.post(url, {"approver": approver, "verdict": "rejected", "reason": ""}, follow=True)
    assert "reason: give a reason when rejecting or asking for changes" in rejected.text
    assert not change.signoffs.exists()


def test_a_sign_off_reason_over_its_limit_is_refused_and_kept(annex_a: Factory, people: dict[str, User]) -> None:
    """A refused sign-off redirected to the change's page with a message: the reason typed was lost. Through the API a
    reason of more than 5,000 characters was cut to 5,000 unseen (in the sign-off and its audit entry)."""
    change = drafts.propose(annex_a, "case (ii)", "", people["dx"])
    drafts.upload(change, "case-2.yaml", CASE_2_FIRST, people["dx"])
    provider = client_for(people["provider"])
    approver = "party:remote-maintenance-provider"
    url = f"/f/{annex_a.slug}/changes/{change.pk}/sign/"
    typed = "the maintenance window " + "r" * 4990
    page = provider.post(url, {"approver": approver, "verdict": "rejected", "reason": typed})
    assert page.status_code == 422
    assert "reason: Ensure this value has at most 5000 characters (it has 5013)." in page.text
    assert f'value="{typed}"' in page.text and '<option value="rejected" selected>' in page.text
    empty = provider.post(url, {"approver": approver, "verdict": "changes-requested", "reason": " "})
    assert empty.status_code == 422 and '<option value="changes-requested" selected>' in empty.text
    assert "reason: give a reason when rejecting or asking for changes" in empty.text
    api = f"/api/factories/{annex_a.slug}/changes/{change.pk}/signoffs"
    refused = provider.post(
        api, {"approver": approver, "verdict": "rejected", "reason": typed}, content_type="application/json"
    )
    assert refused.status_code == 422, refused.content
    assert refused.json()["field"] == "reason"
    assert refused.json()["detail"][0]["msg"] == (
        "reason: at most 5,000 characters (this one has 5,013); shorten it and send it again."
    )
    assert not change.signoffs.exists() and not AuditEntry.objects.filter(action="signoff-rejected").exists()
    kept = provider.post(
        api, {"approver": approver, "verdict": "rejected", "reason": typed[:5000]}, content_type="application/json"
    )
    assert kept.status_code == 200 and change.signoffs.get().reason == typed[:5000]


def test_a_draft_edit_refused_by_the_check_shows_the_problem_on_its_field(
    annex_a: Factory, people: dict[str, User]
) -> None:
    """A draft's edit form listed the check's problems above the form by their place in the whole model ("assets:
    assets[16].zone: unknown zone ..."), and the API's loc was ["body", "payload", "assets[16].zone"]; the live form
    puts them on the field, and the loc names the payload's field."""
    from tests.workspace.posting import element_fields

    change = drafts.propose(annex_a, "move scada", "", people["production"])
    fields, version = element_fields("assets", "scada")
    page = client_for(people["production"]).post(
        f"/f/{annex_a.slug}/changes/{change.pk}/s/assets/e/scada/",
        {**fields, "zone": "no-such-zone", "version": str(version)},
    )
    assert page.status_code == 422
    zone_field = page.text.split('id="field-zone"')[1].split('<div class="help">')[0]
    assert "unknown zone &#x27;no-such-zone&#x27;" in zone_field, zone_field
    assert "assets: assets[" not in page.text
    assert "conduits/production-to-monitoring: to_assets[0]: asset &#x27;scada&#x27;" in page.text
    api = client_for(people["production"]).put(
        f"/api/factories/{annex_a.slug}/changes/{change.pk}/edits/assets/scada",
        {
            "version": version,
            "payload": {
                **next(a for a in factory_model(annex_a).assets if a.id == "scada").model_dump(
                    mode="json", exclude_defaults=True
                ),
                "zone": "no-such-zone",
            },
        },
        "application/json",
    )
    assert api.status_code == 422
    locs = [entry["loc"] for entry in api.json()["detail"]]
    assert ["body", "payload", "zone"] in locs, locs
    # the conduit the move breaks is another element: named in msg, its field not given as one of the payload's
    assert ["body", "payload", "to_assets[0]"] not in locs, locs
    conduit = [
        e for e in api.json()["detail"] if e["msg"].startswith("conduits/production-to-monitoring: to_assets[0]")
    ]
    assert [e["loc"] for e in conduit] == [["body", "payload"]], conduit
    assert not change.edits.exists()


def test_one_new_threat_is_said_in_the_singular() -> None:
    """Annex A case (iii) brings one new threat: the change page asked security to sign off for '1 new threats'."""
    from factorysec.workspace.changes.signoffs import Reason

    assert Reason("new-threats", {"count": "1"}).text("en") == "1 new threat (Step 1-7)"
    assert Reason("new-threats", {"count": "2"}).text("en") == "2 new threats (Step 1-7)"
    assert Reason("new-threats", {"count": "1"}).text("ja") == "新たな脅威 1 件（ステップ1-7）"
    assert Reason("new-threats", {"count": "1"}).stored() == {"code": "new-threats", "params": {"count": "1"}}


def test_dx_proposes_an_edit_of_an_existing_element_from_the_pages(annex_a: Factory, people: dict[str, User]) -> None:
    """DX proposes changes but edits nothing live; the change page only offered new elements ('Add an element'), so an
    edit of an existing asset could only be proposed by uploading a change file, and 'Factory' or 'BCP' there opened an
    empty form refused with "'factory' is already used". The element's page now links to each open change's edit of
    it, and the change page opens the factory and the BCP as they stand."""
    from tests.workspace.posting import element_fields

    dx = client_for(people["dx"])
    change = drafts.propose(annex_a, "remote access for the line", "", people["dx"])
    page = dx.get(f"/f/{annex_a.slug}/s/assets/e/parts-line/").text
    edit_url = f"/f/{annex_a.slug}/changes/{change.pk}/s/assets/e/parts-line/"
    assert f'href="{edit_url}"' in page.split('id="propose-edit"')[1].split("</p>")[0]
    fields, version = element_fields("assets", "parts-line")
    saved = dx.post(edit_url, {**fields, "traits": "built-in-computer, remote-access", "version": str(version)})
    assert saved.status_code == 302
    assert change.edits.get(section="assets", key="parts-line").payload["traits"] == [
        "built-in-computer",
        "remote-access",
    ]
    detail = dx.get(f"/f/{annex_a.slug}/changes/{change.pk}/").text
    assert f'href="/f/{annex_a.slug}/changes/{change.pk}/s/factory/e/factory/"' in detail
    assert f'href="/f/{annex_a.slug}/changes/{change.pk}/s/bcp/e/bcp/"' in detail
    assert f'href="/f/{annex_a.slug}/changes/{change.pk}/s/zones/new/"' in detail
    vendor_page = client_for(people["other-vendor"]).get(f"/f/{annex_a.slug}/s/assets/e/parts-line/")
    assert vendor_page.status_code == 200 and 'id="propose-edit"' not in vendor_page.text, "a vendor proposes nothing"
    assert 'id="propose-edit"' not in client_for(people["management"]).get(f"/f/{annex_a.slug}/").text


def test_the_sign_off_api_refuses_in_english_whatever_the_sessions_language(
    annex_a: Factory, people: dict[str, User]
) -> None:
    """A script reads the API's messages: a sign-off refused through the API gave its reason in the language the
    browser session had chosen for the pages (Japanese), unlike the rest of the API."""
    change = drafts.propose(annex_a, "case (ii)", "", people["dx"])
    drafts.upload(change, "case-2.yaml", CASE_2_FIRST, people["dx"])
    provider = client_for(people["provider"])
    provider.cookies["django_language"] = "ja"
    api = f"/api/factories/{annex_a.slug}/changes/{change.pk}/signoffs"
    refused = provider.post(
        api,
        {"approver": "party:remote-maintenance-provider", "verdict": "rejected", "reason": " "},
        content_type="application/json",
    )
    assert refused.status_code == 422, refused.content
    assert refused.json()["detail"][0]["msg"] == "reason: give a reason when rejecting or asking for changes"
    page = provider.get(f"/f/{annex_a.slug}/changes/{change.pk}/")
    assert 'lang="ja"' in page.text  # the pages still follow the session's language
