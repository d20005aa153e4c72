"""A full-text index over the elements' search text, so that a section's search box does not read every row.

SQLite: an FTS5 table with the trigram tokenizer (Python's sqlite3 has both),
kept in step with ``factories_element`` by triggers; a phrase query on it
matches any substring of three characters or more, as ``LIKE '%...%'`` does.
PostgreSQL: the ``pg_trgm`` extension and a GIN trigram index on the column,
which the planner uses for ``LIKE '%...%'`` itself.
Other databases get no index (the search still works, by a scan).
"""

from typing import Any

from django.db import migrations

SQLITE_FORWARD = (
    "CREATE VIRTUAL TABLE factories_element_text USING fts5("
    "search, content='factories_element', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER factories_element_text_insert AFTER INSERT ON factories_element BEGIN "
    "INSERT INTO factories_element_text(rowid, search) VALUES (new.id, new.search); END",
    "CREATE TRIGGER factories_element_text_delete AFTER DELETE ON factories_element BEGIN "
    "INSERT INTO factories_element_text(factories_element_text, rowid, search) VALUES ('delete', old.id, old.search); END",
    "CREATE TRIGGER factories_element_text_update AFTER UPDATE OF search ON factories_element BEGIN "
    "INSERT INTO factories_element_text(factories_element_text, rowid, search) VALUES ('delete', old.id, old.search); "
    "INSERT INTO factories_element_text(rowid, search) VALUES (new.id, new.search); END",
    "INSERT INTO factories_element_text(factories_element_text) VALUES ('rebuild')",
)
SQLITE_BACKWARD = (
    "DROP TRIGGER IF EXISTS factories_element_text_update",
    "DROP TRIGGER IF EXISTS factories_element_text_delete",
    "DROP TRIGGER IF EXISTS factories_element_text_insert",
    "DROP TABLE IF EXISTS factories_element_text",
)
POSTGRESQL_FORWARD = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS factories_element_search_trgm ON factories_element USING gin (search gin_trgm_ops)",
)
POSTGRESQL_BACKWARD = ("DROP INDEX IF EXISTS factories_element_search_trgm",)


def _run(schema_editor: Any, statements: dict[str, tuple[str, ...]]) -> None:
    for statement in statements.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(statement)


def forward(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD})


def backward(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [
        ("factories", "0005_job_kind_vulnerabilities"),
    ]

    operations = [migrations.RunPython(forward, backward)]
