"""Work of the ground floor done in the huey consumer."""

from __future__ import annotations

import threading
from datetime import timedelta

from django.utils.translation import pgettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from aqparat.core.dbstats import statistics_refresh
from aqparat.core.frontcache import front_cache_purge
from aqparat.core.jobs import (
    LOCK_SECONDS,
    interrupted_job_rerun,
    interrupted_jobs_rerun,
    periodic_job,
)


@db_task(retries=2, retry_delay=5)
def front_cache_purge_task(urls: list[str]) -> None:
    """A purge too large for the request that retired the pages (every page, after a
    banner or a rates fetch)."""
    front_cache_purge(urls)


@db_task()
def interrupted_job_again(name: str) -> None:
    """One interrupted job run again (core/jobs.py), beside the others."""
    interrupted_job_rerun(name)


@db_periodic_task(crontab(minute="*"))
@periodic_job(
    "core-interrupted-jobs",
    label=pgettext_lazy(
        "background job", "Jobs interrupted by a stopped worker, run again"
    ),
    late_after=timedelta(minutes=5),
)
def interrupted_jobs_again() -> None:
    """Every minute: a job whose consumer died in the middle of it (while the other
    consumers went on) runs again as soon as its lock lapses, not at its next turn
    (a day away for some)."""
    interrupted_jobs_rerun(interrupted_job_again)


_started = threading.Lock()
_recovery_queued = False


@on_startup()
def interrupted_jobs_recover_on_start() -> None:
    """When a consumer starts (huey calls this in each of its workers; it queues
    once), the every-minute recovery runs out of turn: straight away for the jobs
    whose locks have lapsed already, and again as soon as a killed consumer's have
    (with its own lock, so a run that meets the minute's is skipped, not doubled)."""
    global _recovery_queued
    with _started:
        if _recovery_queued:
            return
        _recovery_queued = True
    interrupted_jobs_again()
    interrupted_jobs_again.schedule(delay=LOCK_SECONDS + 1)


@db_periodic_task(crontab(minute="17", hour="3"))
@periodic_job(
    "core-database-statistics",
    label=pgettext_lazy("background job", "Database statistics"),
    late_after=timedelta(hours=26),
)
def database_statistics_refresh() -> None:
    """Daily, at a quiet hour (UTC): SQLite's planner statistics (core/dbstats.py);
    nothing on PostgreSQL, which keeps its own."""
    statistics_refresh()
