"""pg_trgm for the fuzzy fallback of site search. On SQLite this does nothing
(Django's CreateExtension only acts on PostgreSQL)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    operations = [TrigramExtension()]
