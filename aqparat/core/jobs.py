"""Periodic jobs that survive a killed consumer, and say when they last succeeded.

huey's `lock_task` takes a lock that never expires (its `ttl` is fixed, however long
the job takes, and nobody sets it): a consumer killed with SIGKILL in the middle of
a job leaves it behind, and that job (publication, embargo release, expiry, the
Telegram sweep, the view fold) never runs again until someone clears it. A job here
holds a lock in the shared cache for LOCK_SECONDS, renewed every RENEW_SECONDS by a
thread while the job runs, so a dead consumer's lock lapses within half a minute and
any consumer may take it; a live one keeps it however long its job takes.

Each run is recorded (`JobRun`): the dashboard and `/health/jobs/` show the last
successful run of each job and whether it is late. A run that started and never
finished while no consumer holds its lock was interrupted (its consumer died):
`interrupted_jobs_rerun` queues it again at once, so a job of a daily schedule does
not wait a day for its next turn. It runs when a consumer starts (once straight
away, once when the dead consumer's locks have lapsed) and every minute, for a
consumer that died while others went on (core/tasks.py).
"""

from __future__ import annotations

import functools
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger("aqparat.jobs")
LOCK_SECONDS = 30
RENEW_SECONDS = 10
# Runs are kept this long (the last successful one of each job always).
KEPT = timedelta(days=14)
INTERRUPTED = "interrupted"
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Job:
    name: str
    label: str | Promise
    late_after: timedelta
    run: Callable[[], Any]


JOBS: dict[str, Job] = {}


@dataclass(frozen=True)
class JobState:
    """What the dashboard and the health endpoint say of a job."""

    name: str
    label: str | Promise
    last_success: datetime | None
    last_started: datetime | None
    late: bool


def periodic_job(
    name: str, *, label: str | Promise, late_after: timedelta
) -> Callable[[F], F]:
    """Declare a periodic job (under huey's `@db_periodic_task`, in place of its
    `@lock_task`): one run at a time across every consumer, recorded, run again if
    its consumer dies in the middle, and late when no run succeeded within
    `late_after`."""

    def declare(function: F) -> F:
        @functools.wraps(function)
        def run() -> Any:
            return job_run(name, function)

        JOBS[name] = Job(name=name, label=label, late_after=late_after, run=run)
        return run  # type: ignore[return-value]

    return declare


def _lock_key(name: str) -> str:
    return f"aqparat:job-lock:{name}"


def job_run(name: str, function: Callable[[], Any]) -> Any:
    """Run `function` as job `name` if no other run holds its lock; None if one does."""
    from aqparat.core.models import JobRun

    token = uuid.uuid4().hex
    key = _lock_key(name)
    if not cache.add(key, token, LOCK_SECONDS):
        logger.info("Job %s is running elsewhere: skipped", name)
        return None
    done = threading.Event()
    heartbeat = threading.Thread(
        target=_renew, args=(key, token, done), name=f"lock {name}", daemon=True
    )
    heartbeat.start()  # before anything that may wait (the database)
    try:
        now = timezone.now()
        # Holding the lock, no other run of this job is alive: one left unfinished
        # died with its consumer.
        JobRun.objects.filter(job=name, finished_at=None).update(
            finished_at=now, error=INTERRUPTED
        )
        record = JobRun.objects.create(job=name, started_at=now)
        try:
            result = function()
        except BaseException as error:
            record.finished_at, record.error = timezone.now(), repr(error)[:2000]
            record.save(update_fields=["finished_at", "error"])
            raise
    finally:
        done.set()
        heartbeat.join()
        if cache.get(key) == token:
            cache.delete(key)
    record.finished_at, record.ok = timezone.now(), True
    record.save(update_fields=["finished_at", "ok"])
    JobRun.objects.filter(job=name, started_at__lt=record.started_at - KEPT).delete()
    return result


def _renew(key: str, token: str, done: threading.Event) -> None:
    """Keep the lock while the job runs: the thread dies with its process, and then
    the lock lapses. A lock lost while the cache did not answer is taken again if
    no other run took it meanwhile."""
    while not done.wait(RENEW_SECONDS):
        try:
            held = cache.get(key)
            if held == token:
                cache.touch(key, LOCK_SECONDS)
            elif held is None:
                cache.add(key, token, LOCK_SECONDS)
        except Exception:  # the cache is down: the job goes on, the lock may lapse
            logger.exception("The lock %s could not be renewed", key)


def job_states(now: datetime | None = None) -> list[JobState]:
    """Every declared job with its last successful and last started run: a fixed
    few indexed queries (one, then one a job), however many runs are kept."""
    from django.db.models import OuterRef, Subquery

    from aqparat.core.models import JobRun

    # The web processes import the apps' task modules (which declare the jobs) only
    # here; the consumer imports them when it starts.
    autodiscover_modules("tasks")
    now = now or timezone.now()
    # A job that never succeeded is late once the workers have run anything for
    # longer than its period (before that, a fresh install has no evidence).
    since = JobRun.objects.order_by("pk").values_list("started_at", flat=True).first()
    states = []
    for job in sorted(JOBS.values(), key=lambda job: job.name):
        success = (
            JobRun.objects.filter(job=OuterRef("job"), ok=True)
            .order_by("-started_at")
            .values("finished_at")[:1]
        )
        latest = (
            JobRun.objects.filter(job=job.name)
            .order_by("-started_at")
            .annotate(success=Subquery(success))
            .values_list("started_at", "success")
            .first()
        )
        started, succeeded = latest or (None, None)
        reference = succeeded or since
        states.append(
            JobState(
                name=job.name, label=job.label, last_success=succeeded,
                last_started=started,
                late=reference is not None and now - reference > job.late_after,
            )
        )  # fmt: skip
    return states


def interrupted_jobs() -> list[str]:
    """The jobs whose latest run started and never finished while no consumer holds
    their lock: their consumer died in the middle."""
    from aqparat.core.models import JobRun

    found = []
    for name in sorted(JOBS):
        latest = (
            JobRun.objects.filter(job=name)
            .order_by("-started_at")
            .values_list("finished_at", flat=True)[:1]
        )
        if list(latest) == [None] and cache.get(_lock_key(name)) is None:
            found.append(name)
    return found


def interrupted_job_rerun(name: str) -> bool:
    """Run job `name` again if it is still interrupted (another consumer may have
    run it meanwhile); whether it ran."""
    job = JOBS.get(name)
    if job is None or name not in interrupted_jobs():
        return False
    logger.warning("Job %s was interrupted by a stopped worker: running it again", name)
    job.run()
    return True


def interrupted_jobs_rerun(queue: Callable[[str], Any]) -> list[str]:
    """Queue (`queue(name)`, a task that calls `interrupted_job_rerun`) a run of each
    interrupted job, each in a task of its own so that they run side by side; the
    names queued."""
    names = interrupted_jobs()
    for name in names:
        queue(name)
    return names
