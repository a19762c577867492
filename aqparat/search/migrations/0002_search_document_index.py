"""One GIN index on the whole search document (headline and text) of every index
entry, on PostgreSQL.

modelsearch's query matches `title || body` (one tsvector of both) against the
query, while its migrations index `title` and `body` apart: no index covers the
expression, so every query read and decoded every entry's vectors (0.86 s median at
100,000 articles, bench/search.py). This index is that expression, so the planner
finds the matching entries in it. Built CONCURRENTLY (a non-atomic migration): a
site keeps answering searches while a large index builds. Nothing on SQLite, whose
FTS5 table is queried directly (search/selectors.py).
"""

from django.db import migrations

INDEX = "aqparat_search_document_gin"


def create(apps: object, schema_editor: object) -> None:
    connection = schema_editor.connection  # type: ignore[attr-defined]
    if connection.vendor == "postgresql":
        table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table  # type: ignore[attr-defined]
        schema_editor.execute(  # type: ignore[attr-defined]
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON {table}"
            " USING gin ((title || body))"
        )


def drop(apps: object, schema_editor: object) -> None:
    connection = schema_editor.connection  # type: ignore[attr-defined]
    if connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")  # type: ignore[attr-defined]


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("aqparat_search", "0001_pg_trgm"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
