"""The query planner's table statistics on SQLite.

SQLite keeps none unless told (no autovacuum/autoanalyze as PostgreSQL has): without
them it guesses, and at 100 000 stories the admin's search over them joined its
tables in the wrong order (8.6 s; 28 ms once analysed, bench/stories_listing.py).
`PRAGMA optimize` is no help on its own before SQLite 3.46: it analyses only tables
the same connection has just queried, and a fresh worker's connection has queried
none. So: ANALYZE, bounded by `analysis_limit` (rows sampled per index), after each
migrate and daily from huey (core/tasks.py). PostgreSQL analyses by itself.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

# Rows looked at per index: enough for the planner's choice, a fraction of a second
# on a large archive.
ANALYSIS_LIMIT = 1000


def statistics_refresh(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Refresh the planner's statistics on SQLite; whether there was work to do."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA optimize")
    return True


def statistics_after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """post_migrate: the tables a migration just filled or reshaped."""
    statistics_refresh(using)
