"""A huey consumer killed with SIGKILL in the middle of every periodic job at once,
then started again: each job runs to success within two minutes, the daily ones
included (their next turn is hours away), because the dead consumer's locks lapse
and its unfinished runs are run again (core/jobs.py).

The control beside them is a periodic job under huey's own `lock_task`, as every
periodic job was before: killed in the middle the same way, it never runs again,
its lock left behind for good. The consumer runs with a test-only app
(tests/e2e/workers/) that holds each job once it has started, until the test has
killed its consumer; the consumer started again runs as in production."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.e2e.processes import E2E_HEALTH_TOKEN, consumer, shell, stop
from tests.e2e.workers.tasks import CONTROL

WITHIN = 120  # seconds, from the restart
JOBS = {
    "newsroom-publication-run": "aqparat.newsroom.tasks:publish_scheduled_pages",
    "rates-fetch": "aqparat.rates.tasks:fetch_rates_on_schedule",
    "telegram-sweep": "aqparat.telegram.tasks:sweep_telegram_outbox",
    "news-front-page-expiries": "aqparat.news.tasks:front_page_expiries",
    "analytics-fold": "aqparat.analytics.tasks:fold_views",
    "core-database-statistics": "aqparat.core.tasks:database_statistics_refresh",
    "core-interrupted-jobs": "aqparat.core.tasks:interrupted_jobs_again",
    CONTROL: "tests.e2e.workers.tasks:old_lock_control",
}
ENQUEUE = "\n".join(
    f"from {module} import {function}\n{function}()"
    for module, function in (target.split(":") for target in JOBS.values())
)
# Run in the restarted consumer's time, in one shell: waits until every job has
# succeeded since `since` (or `within` seconds have passed), then says what ran.
RECOVERED = """
import json, time
from django.utils.dateparse import parse_datetime
from aqparat.core.models import JobRun
since, jobs = parse_datetime({since!r}), set({jobs!r})
deadline = time.monotonic() + {within}
runs = JobRun.objects.filter(started_at__gt=since, ok=True)
while True:
    ok = set(runs.values_list("job", flat=True))
    if jobs <= ok or time.monotonic() > deadline:
        break
    time.sleep(0.5)
interrupted = JobRun.objects.filter(started_at__lte=since, error="interrupted")
interrupted = set(interrupted.values_list("job", flat=True))
print(json.dumps({{"ok": sorted(ok), "interrupted": sorted(interrupted)}}))
"""
FLUSH_OLD_LOCK = f"from huey.contrib.djhuey import HUEY\nHUEY.flush_locks({CONTROL!r})"
OLD_LOCK_HELD = (
    f"from huey.contrib.djhuey import HUEY\nprint(HUEY.is_locked({CONTROL!r}))\n"
    + FLUSH_OLD_LOCK
)


@pytest.fixture
def hold(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    for held in tmp_path.glob("*.hold"):
        held.unlink()


def test_every_periodic_job_runs_again_after_its_consumer_is_killed(
    e2e_env: dict[str, str], server_url: str, hold: Path, measured: dict[str, str]
) -> None:
    env = {**e2e_env, "AQPARAT_E2E_HOLD_DIR": str(hold)}
    held_env = {**env, "DJANGO_SETTINGS_MODULE": "tests.e2e.workers.settings"}
    for name in JOBS:
        (hold / f"{name}.hold").touch()
    # The control's lock is freed before its consumer starts: that consumer may
    # start the control at once (a periodic job due then), and a flush after that
    # would let a second copy past the lock (seen once in CI on PostgreSQL).
    shell(held_env, FLUSH_OLD_LOCK)
    # Every job at once, each in a worker of its own, held once it has started.
    worker = consumer(held_env, poll_seconds=0.5, workers=len(JOBS) + 2)
    try:
        shell(held_env, ENQUEUE)
        # After what the queue holds already (the demo's renditions, when this
        # runs first).
        deadline = time.monotonic() + 240
        while not all((hold / f"{name}.started").exists() for name in JOBS):
            assert time.monotonic() < deadline, sorted(p.name for p in hold.iterdir())
            time.sleep(0.2)
        worker.kill()  # SIGKILL: no handler runs, no lock is released
        worker.wait(timeout=10)
    except BaseException:
        stop(worker)
        raise
    killed_at = datetime.now(UTC)
    for name in JOBS:
        (hold / f"{name}.hold").unlink()

    # The consumer as production runs it (the control's app aside, so that its
    # periodic turn comes: at start and every minute).
    restarted = time.monotonic()
    worker = consumer(held_env, poll_seconds=0.5, workers=2)
    try:
        recovered = RECOVERED.format(
            since=killed_at.isoformat(), jobs=sorted(set(JOBS) - {CONTROL}),
            within=WITHIN,
        )  # fmt: skip
        runs = json.loads(shell(env, recovered))
        elapsed = time.monotonic() - restarted
        assert set(JOBS) - {CONTROL} <= set(runs["ok"]), runs
        assert elapsed < WITHIN, f"{elapsed:.0f} s"
        # Each killed run is on record as interrupted, and every job is on time.
        assert set(runs["interrupted"]) >= set(JOBS) - {CONTROL}, runs
        asked = urllib.request.Request(  # noqa: S310 - the test server's http://
            f"{server_url}/health/jobs/",
            headers={"Authorization": f"Bearer {E2E_HEALTH_TOKEN}"},
        )
        with urllib.request.urlopen(asked) as response:  # noqa: S310
            health = json.load(response)
        assert health["status"] == "ok"
        assert all(
            datetime.fromisoformat(job["last_success"]) > killed_at
            for job in health["jobs"]
        ), health
        # The control had its turn when the consumer started (huey enqueues every
        # periodic job that is due then): huey's lock kept it out, and keeps it.
        assert (hold / "old-lock.runs").read_text() == "run\n"
        held = shell(env, OLD_LOCK_HELD)
    finally:
        stop(worker)
    assert held == "True"
    measured["every periodic job run again after kill -9"] = (
        f"{elapsed:.0f} s after the restart (within {WITHIN} s); the control"
        " under huey's lock_task: never"
    )
