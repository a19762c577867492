"""An index on Wagtail's page table by last publication, which Wagtail does not
make: every listing page's `Last-Modified` asks for the newest article's last
publication below it (news.selectors.article_latest_change), and without an index
that read every article of the edition (docs/subsystems/scale.md).

Wagtail's table, our index: it has a name of ours, so Wagtail's migrations never
meet it. Built CONCURRENTLY on PostgreSQL (a non-atomic migration), so a site
keeps answering while it builds on a large archive.
"""

from typing import Any

from django.db import migrations

INDEX = "aqparat_page_last_published"


def create(apps: Any, schema_editor: Any) -> None:
    table = apps.get_model("wagtailcore", "Page")._meta.db_table
    concurrently = (
        "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    )
    schema_editor.execute(
        f"CREATE INDEX {concurrently}IF NOT EXISTS {INDEX} ON {table}"
        " (last_published_at)"
    )


def drop(apps: Any, schema_editor: Any) -> None:
    concurrently = (
        "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    )
    schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("news", "0012_article_live_from"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
