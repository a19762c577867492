"""Periodic jobs that survive a killed consumer, and say when they last succeeded.

huey's `lock_task` takes a lock that never expires: a consumer killed with SIGKILL
in the middle of a job leaves it behind, and that job (publication, embargo release,
expiry, the Telegram sweep, the view fold) never runs again until someone clears
it. A job here holds a lock in the shared cache for LOCK_SECONDS, renewed every
RENEW_SECONDS by a thread while the job runs, so a dead consumer's lock lapses
within half a minute, and any consumer may take it.

Each run is recorded (`JobRun`): the dashboard and `/health/jobs/` show the last
successful run of each job and whether it is late. A run that started and never
finished, whose lock has lapsed, was interrupted: `interrupted_jobs_run` (every
minute, core/tasks.py) runs it again at once, so a job of a daily schedule does not
wait a day for its next turn.

Written by hand: huey has no expiring lock, and its `lock_task` is the fault.
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

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger("aqparat.jobs")
LOCK_SECONDS = 30
RENEW_SECONDS = 10
KEPT = timedelta(days=14)
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
    """Declare a periodic job (under huey's `@db_periodic_task`): one run at a time
    across every consumer, recorded, and late when no run succeeded within
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
        record = JobRun.objects.create(job=name, started_at=timezone.now())
        try:
            _held_for_tests(name)
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
    JobRun.objects.filter(job=name, started_at__lt=timezone.now() - KEPT).delete()
    return result


def _renew(key: str, token: str, done: threading.Event) -> None:
    """Keep the lock while the job runs: the thread dies with its process, and
    then the lock lapses."""
    while not done.wait(RENEW_SECONDS):
        if cache.get(key) == token:
            cache.touch(key, LOCK_SECONDS)
    close_old_connections()


def _held_for_tests(name: str) -> None:
    """The end-to-end test's hold: while `<AQPARAT_JOBS_HOLD_DIR>/<name>.hold`
    exists the job waits after it started (and says so in `<name>.started`), so
    that the test can kill its consumer in the middle of it. Unset in production."""
    folder = getattr(settings, "AQPARAT_JOBS_HOLD_DIR", "")
    if not folder:
        return
    from pathlib import Path

    hold, started = Path(folder) / f"{name}.hold", Path(folder) / f"{name}.started"
    if hold.exists():
        started.touch()
        while hold.exists():
            threading.Event().wait(0.2)


def job_states(now: datetime | None = None) -> list[JobState]:
    """Every declared job with its last successful and last started run."""
    from django.db.models import Max, Q

    from aqparat.core.models import JobRun

    # The web processes import the apps' task modules (which declare the jobs) only
    # here; the consumer imports them when it starts.
    autodiscover_modules("tasks")
    now = now or timezone.now()
    rows = {
        row["job"]: row
        for row in JobRun.objects.values("job").annotate(
            success=Max("finished_at", filter=Q(ok=True)), started=Max("started_at")
        )
    }
    # A job that never succeeded is late once the workers have run anything for
    # longer than its period (before that, a fresh install has no evidence).
    first = JobRun.objects.order_by("started_at").values_list("started_at", flat=True)
    since = first.first()
    states = []
    for job in sorted(JOBS.values(), key=lambda job: job.name):
        row = rows.get(job.name, {})
        success = row.get("success")
        reference = success or since
        states.append(
            JobState(
                name=job.name, label=job.label, last_success=success,
                last_started=row.get("started"),
                late=reference is not None and now - reference > job.late_after,
            )
        )  # fmt: skip
    return states


def interrupted_jobs_run() -> list[str]:
    """Run again each job whose latest run started and never finished while no
    consumer holds its lock (its consumer died); the names run."""
    from aqparat.core.models import JobRun

    again = []
    for name, job in sorted(JOBS.items()):
        latest = JobRun.objects.filter(job=name).order_by("-started_at").first()
        if latest is None or latest.finished_at is not None:
            continue
        if cache.get(_lock_key(name)) is not None:
            continue  # running now, in some consumer
        latest.finished_at, latest.error = timezone.now(), "interrupted"
        latest.save(update_fields=["finished_at", "error"])
        logger.warning("Job %s was interrupted: running it again", name)
        again.append(name)
        job.run()
    return again
