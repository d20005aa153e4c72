"""The audit log: every change, sign-off, decision and login is chained; 'factorysec audit verify' finds the first altered entry."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from typer.testing import CliRunner

from factorysec.cli import app
from factorysec.model import load_model
from factorysec.workspace.accounts.models import Role
from factorysec.workspace.audit.chain import GENESIS
from factorysec.workspace.audit.log import export_json, record, verify_stored
from factorysec.workspace.audit.models import AppendOnlyError, AuditEntry, AuditHead, PendingVersion
from factorysec.workspace.factories.digests import LABEL_PREFIX
from factorysec.workspace.factories.models import Element, ElementSet, ElementVersion, Factory
from factorysec.workspace.factories.store import (
    delete_element,
    element_set_label,
    factory_model,
    import_model,
    save_element,
)
from tests.workspace.conftest import ANNEX_A, PASSWORD, client_for, make_member

pytestmark = pytest.mark.django_db


def _tamper(seq: int, **fields: Any) -> None:
    """Change a stored entry behind the application's back, as someone with database access could."""
    sets = ", ".join(f"{name} = %s" for name in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE audit_auditentry SET {sets} WHERE seq = %s", [*fields.values(), seq])


def test_element_saves_are_logged_in_their_own_transaction_with_the_element_set_digest_they_left(
    annex_a: Factory,
) -> None:
    before = ElementSet.label_of(annex_a.pk)
    asset = Element.objects.get(factory=annex_a, section="assets", key="mes-server")
    save_element(annex_a, "assets", "mes-server", asset.payload | {"description": "patched"})
    entry = AuditEntry.objects.filter(action="element-saved").last()
    assert entry is not None and entry.subject == "assets/mes-server" and entry.detail["version"] == asset.version + 1
    assert entry.model_digest.startswith(LABEL_PREFIX) and len(entry.model_digest) == 64
    assert entry.model_digest == element_set_label(factory_model(annex_a)) != before
    assert not PendingVersion.objects.exists() and verify_stored().intact


def test_a_save_that_rolls_back_leaves_no_entry_and_no_digest_change(annex_a: Factory) -> None:
    before_entries, before_digest = AuditEntry.objects.count(), ElementSet.label_of(annex_a.pk)
    asset = Element.objects.get(factory=annex_a, section="assets", key="mes-server")
    with pytest.raises(RuntimeError), transaction.atomic():
        save_element(annex_a, "assets", "mes-server", asset.payload | {"description": "undone"})
        raise RuntimeError("the request failed after the save")
    assert AuditEntry.objects.count() == before_entries and ElementSet.label_of(annex_a.pk) == before_digest


def test_the_kept_digest_equals_one_computed_from_scratch_after_every_kind_of_change(annex_a: Factory) -> None:
    """Edits, a rename, a creation, a deletion and an import each move the kept digest to the from-scratch one."""
    original = ElementSet.label_of(annex_a.pk)
    assert original == element_set_label(factory_model(annex_a))
    asset = Element.objects.get(factory=annex_a, section="assets", key="mes-server")
    save_element(annex_a, "assets", "mes-server", asset.payload | {"description": "one"})
    created = save_element(annex_a, "assets", None, asset.payload | {"id": "spare-mes"})
    renamed = save_element(annex_a, "assets", created.key, asset.payload | {"id": "spare-mes-2"})
    assert ElementSet.label_of(annex_a.pk) == element_set_label(factory_model(annex_a)) != original
    delete_element(annex_a, "assets", renamed.key)
    save_element(annex_a, "assets", "mes-server", asset.payload)
    assert ElementSet.label_of(annex_a.pk) == element_set_label(factory_model(annex_a)) == original, (
        "the same content gives the same digest, whatever the path to it"
    )
    changed = load_model(ANNEX_A).model_copy(update={"assets": load_model(ANNEX_A).assets[1:]})
    import_model(annex_a, changed, None, "re-import")
    assert ElementSet.label_of(annex_a.pk) == element_set_label(changed) != original


def test_the_elements_an_import_creates_are_logged_with_the_digest_the_import_left(annex_a: Factory) -> None:
    """An import writes the elements it creates in bulk, which sends no ``post_save``: the first load of a factory and
    every new element of an imported model entered the workspace with no audit entry. One entry now says how many
    it created per section, by whom, with the element-set digest that covers their content."""
    first = AuditEntry.objects.get(action="elements-imported", factory=annex_a.slug)
    model = load_model(ANNEX_A)
    assert first.actor == "system" and first.subject == "import"
    assert (
        first.detail["created"]
        == len(model.assets)
        + len(model.zones)
        + len(model.conduits)
        + sum(len(getattr(model, section)) for section in ("operations", "departments", "parties"))
        + 2
    )  # the factory and its BCP
    importer = make_member(annex_a, Role.SECURITY_IT)
    spare = model.assets[0].model_copy(update={"id": "spare-line"})
    changed = model.model_copy(update={"assets": [*model.assets, spare]})
    import_model(annex_a, changed, importer, "import spare.yaml")
    entry = AuditEntry.objects.filter(action="elements-imported").order_by("-seq").first()
    assert entry is not None and entry.seq > first.seq
    assert entry.actor == importer.get_username()
    assert entry.detail == {"comment": "import spare.yaml", "created": 1, "sections": {"assets": 1}}
    assert entry.model_digest == ElementSet.label_of(annex_a.pk) == element_set_label(changed)
    assert verify_stored().intact


def test_versions_an_earlier_release_left_pending_are_logged_once_when_the_workspace_is_prepared(
    annex_a: Factory,
) -> None:
    from factorysec.workspace.bootstrap import _log_pending_versions

    version = ElementVersion.objects.filter(element__factory=annex_a).order_by("pk").first()
    assert version is not None
    PendingVersion.objects.create(version=version, factory=annex_a, actor="old-release")
    before = AuditEntry.objects.filter(action="element-saved").count()
    _log_pending_versions()
    _log_pending_versions()
    entries = list(AuditEntry.objects.filter(action="element-saved").order_by("seq"))[before:]
    assert [(e.actor, e.detail["version"]) for e in entries] == [("old-release", version.version)]
    assert not PendingVersion.objects.exists() and verify_stored().intact


def test_chain_links_each_entry_to_the_one_before(annex_a: Factory) -> None:
    loaded = AuditEntry.objects.get()  # the factory's first load, the log's first entry
    assert loaded.action == "elements-imported" and loaded.previous == GENESIS
    first = record("test", actor="a", factory=annex_a)
    second = record("test", actor="b", factory=annex_a)
    assert first.previous == loaded.hash and second.previous == first.hash and second.seq == first.seq + 1
    assert verify_stored().intact


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"actor": "someone-else"}, "altered"),
        ({"detail": '{"x": 1}'}, "altered"),
        ({"previous": "f" * 64}, "does not link"),
    ],
)
def test_an_altered_entry_is_the_first_reported(annex_a: Factory, change: dict[str, str], reason: str) -> None:
    for number in range(5):
        record("test", actor=f"user{number}", factory=annex_a)
    _tamper(3, **change)
    result = verify_stored()
    assert result.broken is not None and result.broken.seq == 3 and reason in result.broken.reason


def test_a_removed_entry_and_a_cut_tail_are_found(annex_a: Factory) -> None:
    for number in range(4):
        record("test", actor=f"user{number}", factory=annex_a)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 4")
    result = verify_stored()
    assert result.broken is not None and result.broken.seq == 4 and "missing" in result.broken.reason
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 2")
    assert verify_stored().broken.seq == 2  # type: ignore[union-attr]


def test_entries_cannot_be_changed_or_deleted_through_the_app(annex_a: Factory) -> None:
    entry = record("test", actor="a", factory=annex_a)
    entry.actor = "b"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_logins_failures_and_logouts_are_logged_and_the_session_key_changes(annex_a: Factory) -> None:
    make_member(annex_a, Role.AUDIT)
    client = Client()
    client.get("/login/")
    before = client.cookies.get("sessionid")
    assert client.post("/login/", {"username": "audit-staff", "password": "wrong"}).status_code == 200
    client.session["probe"] = 1
    anonymous_key = client.session.session_key
    assert client.post("/login/", {"username": "audit-staff", "password": PASSWORD}).status_code == 302
    assert client.session.session_key != anonymous_key and client.session.session_key != (
        before.value if before else None
    ), "session fixation: the key must change at login"
    client.post("/logout/")
    assert list(AuditEntry.objects.exclude(action="elements-imported").values_list("action", "actor")) == [
        ("login-failed", "audit-staff"),
        ("login", "audit-staff"),
        ("logout", "audit-staff"),
    ]


def test_brute_force_login_is_throttled_even_with_the_right_password(annex_a: Factory, settings: Any) -> None:
    settings.FACTORYSEC_LOGIN_FAILURE_LIMIT = 3
    make_member(annex_a, Role.AUDIT)
    client = Client()
    for _ in range(3):
        client.post("/login/", {"username": "audit-staff", "password": "guess"})
    assert client.post("/login/", {"username": "audit-staff", "password": PASSWORD}).status_code == 200
    assert "_auth_user_id" not in client.session
    assert Client().post("/login/", {"username": "someone-else", "password": "x"}).status_code == 200
    settings.FACTORYSEC_LOGIN_FAILURE_WINDOW = 0
    assert client.post("/login/", {"username": "audit-staff", "password": PASSWORD}).status_code == 302, (
        "the lock ends with its window"
    )


def test_cli_verifies_an_export_and_reports_the_first_altered_entry(
    annex_a: Factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(3):
        record("test", actor=f"user{number}", factory=annex_a)
    exported = tmp_path / "audit.json"
    exported.write_text(export_json(), encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify", "--file", str(exported)])
    assert ok.exit_code == 0 and "4 entries, chain intact" in ok.output  # the factory's first load and the three
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["entries"][2]["subject"] = "rewritten"
    exported.write_text(json.dumps(document), encoding="utf-8")
    broken = runner.invoke(app, ["audit", "verify", "--file", str(exported)])
    assert broken.exit_code == 1 and "first altered entry: entry 3:" in broken.output
    exported.write_text('{"entries": [{"seq": 1}]}', encoding="utf-8")
    bad = runner.invoke(app, ["audit", "verify", "--file", str(exported)])
    assert bad.exit_code == 2 and f"{exported}: entry 1: created_at: missing" in bad.output
    exported.write_text("{oops", encoding="utf-8")
    assert "audit.json:1:2: not JSON" in runner.invoke(app, ["audit", "verify", "--file", str(exported)]).output
    monkeypatch.setenv("FACTORYSEC_DB", "sqlite")
    missing = runner.invoke(app, ["audit", "verify", "--db", str(tmp_path / "none.sqlite3")])
    assert missing.exit_code == 2 and "no such database" in missing.output


def test_auditor_exports_json_and_csv_others_cannot(annex_a: Factory) -> None:
    record("test", actor="x", factory=annex_a, subject="=HYPERLINK(1)")
    auditor = client_for(make_member(annex_a, Role.AUDIT))
    exported = auditor.get("/audit/export.json")
    assert exported.status_code == 200
    assert [e["subject"] for e in exported.json()["entries"] if e["action"] == "test"] == ["=HYPERLINK(1)"]
    csv_text = auditor.get("/audit/export.csv").content.decode()
    assert csv_text.splitlines()[0].startswith("seq,created_at,actor")
    assert client_for(make_member(annex_a, Role.PRODUCTION)).get("/audit/export.json").status_code == 403
    assert AuditEntry.objects.filter(action="audit-exported").count() == 2
    page = auditor.get("/f/annex-a-factory/audit/")
    assert b"chain of" in page.content and b"verifies" in page.content


def test_an_entry_written_in_one_statement_reads_back_as_written_and_hashed(annex_a: Factory) -> None:
    detail = {"comment": '日本語 "quoted" \\ back', "nested": {"list": [1, 2.5, None, True]}, "empty": {}}
    entry = record("test", actor="écrit", factory=annex_a, subject="s" * 500, detail=detail, digest="d")
    stored = AuditEntry.objects.get(seq=entry.seq)
    assert stored.pk == entry.pk and stored.as_record() == entry.as_record()
    assert stored.detail == detail and stored.subject == "s" * 400 and stored.actor == "écrit"
    assert AuditHead.objects.get(pk=1).hash == entry.hash and verify_stored().intact


def test_pending_versions_of_a_stored_model_this_version_refuses_are_logged_with_the_element_set_digest(
    annex_a: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    """An upgrade from a release that left pending versions, over a stored model the new check refuses: preparing the
    workspace (``factorysec serve``) still logs them, naming the element-set digest, with one warning, no traceback."""
    from factorysec.workspace.bootstrap import _log_pending_versions
    from tests.workspace.factories.test_stale import _store_repeat

    version = ElementVersion.objects.filter(element__factory=annex_a).order_by("pk").first()
    assert version is not None
    PendingVersion.objects.create(version=version, factory=annex_a, actor="old-release")
    _store_repeat(annex_a)
    with caplog.at_level(logging.WARNING, logger="factorysec.workspace.audit.log"):
        _log_pending_versions()
    entry = AuditEntry.objects.filter(action="element-saved", actor="old-release").get()
    assert entry.model_digest == ElementSet.label_of(annex_a.pk) and entry.model_digest.startswith("elements:")
    assert [r.getMessage() for r in caplog.records if r.name == "factorysec.workspace.audit.log"] == [
        "factory 'annex-a-factory': its stored model does not pass this version's check (1 problem; first: "
        "assets/scada: traits[1]: 'general-purpose' is listed twice (list each value once: remove this one)); "
        f"audit entries name its element-set digest {entry.model_digest} instead of the model digest"
    ]
    assert not PendingVersion.objects.exists() and verify_stored().intact
