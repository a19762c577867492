"""Work of the ground floor done in the huey consumer."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from aqparat.core.dbstats import statistics_refresh
from aqparat.core.frontcache import front_cache_purge
from aqparat.core.jobs import interrupted_jobs_run, periodic_job


@db_task(retries=2, retry_delay=5)
def front_cache_purge_task(urls: list[str]) -> None:
    """A purge too large for the request that retired the pages (every page, after a
    banner or a rates fetch)."""
    front_cache_purge(urls)


@db_periodic_task(crontab(minute="*"))
@periodic_job(
    "core-interrupted-jobs",
    label=_("Jobs interrupted by a stopped worker, run again"),
    late_after=timedelta(minutes=5),
)
def interrupted_jobs_again() -> None:
    """Every minute: a job whose consumer died in the middle of it runs again as
    soon as its lock lapses, not at its next turn (a day away for some)."""
    interrupted_jobs_run()


@db_periodic_task(crontab(minute="17", hour="3"))
@periodic_job(
    "core-database-statistics",
    label=_("Database statistics"),
    late_after=timedelta(hours=26),
)
def database_statistics_refresh() -> None:
    """Daily, at a quiet hour (UTC): SQLite's planner statistics (core/dbstats.py);
    nothing on PostgreSQL, which keeps its own."""
    statistics_refresh()
