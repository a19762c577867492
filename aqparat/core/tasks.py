"""Work of the ground floor done in the huey consumer."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from aqparat.core.dbstats import statistics_refresh
from aqparat.core.frontcache import front_cache_purge


@db_task(retries=2, retry_delay=5)
def front_cache_purge_task(urls: list[str]) -> None:
    """A purge too large for the request that retired the pages (every page, after a
    banner or a rates fetch)."""
    front_cache_purge(urls)


@db_periodic_task(crontab(minute="17", hour="3"))
@lock_task("core-database-statistics")
def database_statistics_refresh() -> None:
    """Daily, at a quiet hour (UTC): SQLite's planner statistics (core/dbstats.py);
    nothing on PostgreSQL, which keeps its own."""
    statistics_refresh()
