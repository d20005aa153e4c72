"""Section counts kept by the store (the overview reads them) and the search of a section's list (key and name)."""

from __future__ import annotations

from django.db import connection
from django.test import Client

from factorysec.model import load_model
from factorysec.workspace.factories.models import Element, Factory, SectionCount
from factorysec.workspace.factories.search import fts5_phrase, matching
from factorysec.workspace.factories.store import delete_element, import_model, save_element
from tests.workspace.conftest import ANNEX_A


def _counts(factory: Factory) -> dict[str, int]:
    return dict(SectionCount.objects.filter(factory=factory).values_list("section", "live"))


def _counted(factory: Factory) -> dict[str, int]:
    counted: dict[str, int] = {}
    for section in Element.objects.filter(factory=factory, payload__isnull=False).values_list("section", flat=True):
        counted[section] = counted.get(section, 0) + 1
    return counted


def test_counts_follow_imports_creations_and_deletions(annex_a: Factory) -> None:
    assert _counts(annex_a) == _counted(annex_a) and _counts(annex_a)["assets"] == len(load_model(ANNEX_A).assets)
    save_element(annex_a, "zones", None, {"id": "spare", "name": "Spare", "kind": "other"})
    save_element(annex_a, "zones", "spare", {"id": "spare", "name": "Spare, renamed", "kind": "other"})
    assert _counts(annex_a)["zones"] == len(load_model(ANNEX_A).zones) + 1
    delete_element(annex_a, "zones", "spare")
    assert _counts(annex_a) == _counted(annex_a)
    import_model(annex_a, load_model(ANNEX_A).model_copy(update={"conduits": []}))
    assert _counts(annex_a) == _counted(annex_a) and "conduits" not in _counts(annex_a)


def test_the_overview_shows_the_kept_counts(annex_a: Factory, admin_client_: Client) -> None:
    SectionCount.objects.filter(factory=annex_a, section="assets").update(live=12345)
    assert "12345" in admin_client_.get("/f/annex-a-factory/").text


def test_search_matches_key_or_name_in_any_case(annex_a: Factory, admin_client_: Client) -> None:
    by_name = admin_client_.get("/f/annex-a-factory/s/assets/?q=CONTROL PC").text
    assert "agv-control-pc" in by_name and "mes-server" not in by_name
    by_key = admin_client_.get("/f/annex-a-factory/s/assets/?q=mes-serv").text
    assert "mes-server" in by_key and "agv-control-pc" not in by_key
    save_element(
        annex_a,
        "assets",
        "mes-server",
        Element.objects.get(factory=annex_a, section="assets", key="mes-server").payload | {"name": "Renamed MES box"},
    )
    assert "mes-server" in admin_client_.get("/f/annex-a-factory/s/assets/?q=mes box").text


def _scan(factory: Factory, section: str, text: str) -> set[str]:
    """What a plain scan finds: the reference the index must agree with."""
    return {
        row.key
        for row in Element.objects.filter(factory=factory, section=section, payload__isnull=False)
        if text.lower() in row.search
    }


def _searched(factory: Factory, section: str, text: str) -> set[str]:
    rows = Element.objects.filter(factory=factory, section=section, payload__isnull=False)
    return set(matching(rows, text).values_list("key", flat=True))


def test_the_text_index_answers_as_a_scan_does(annex_a: Factory) -> None:
    for text in ("control", "PC", "mes-serv", "-", "zone", "agv-control-pc", "ne", "nothing like this", 'a"b', "倉庫"):
        for section in ("assets", "zones", "conduits"):
            assert _searched(annex_a, section, text) == _scan(annex_a, section, text), (section, text)
    assert _searched(annex_a, "assets", "control pc") == {"agv-control-pc"}


def test_the_text_index_follows_creations_renames_and_deletions(annex_a: Factory) -> None:
    save_element(annex_a, "zones", None, {"id": "spare", "name": "Quarantine bay", "kind": "other"})
    assert _searched(annex_a, "zones", "quarantine") == {"spare"}
    save_element(annex_a, "zones", "spare", {"id": "spare", "name": "Isolation bay", "kind": "other"})
    assert _searched(annex_a, "zones", "quarantine") == set()
    assert _searched(annex_a, "zones", "isolation") == {"spare"}
    delete_element(annex_a, "zones", "spare")
    assert _searched(annex_a, "zones", "isolation") == set()
    Element.objects.filter(factory=annex_a, section="zones", key="spare").delete()
    assert _searched(annex_a, "zones", "spare") == set()
    import_model(annex_a, load_model(ANNEX_A).model_copy(update={"conduits": []}))
    assert _searched(annex_a, "conduits", "c") == set() and _searched(annex_a, "assets", "control pc") == {
        "agv-control-pc"
    }


def test_the_text_index_is_used(annex_a: Factory) -> None:
    """The search asks the index (FTS5 on SQLite, a trigram index on PostgreSQL), not the rows one by one."""
    sql, parameters = matching(Element.objects.all(), "control pc").query.sql_with_params()
    if connection.vendor == "sqlite":
        assert "factories_element_text" in sql and "MATCH" in sql
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'factories_element'")
            assert {name for (name,) in cursor.fetchall()} >= {
                "factories_element_text_insert",
                "factories_element_text_update",
                "factories_element_text_delete",
            }
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'factories_element_search_trgm'")
            assert "gin_trgm_ops" in cursor.fetchone()[0]
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, parameters)
            plan = "\n".join(line for (line,) in cursor.fetchall())
            cursor.execute("SET enable_seqscan = on")
        assert "factories_element_search_trgm" in plan


def test_fts5_phrases_keep_query_syntax_literal() -> None:
    assert fts5_phrase('say "hi" OR x*') == '"say ""hi"" OR x*"'
