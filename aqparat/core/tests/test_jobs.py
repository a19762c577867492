"""Periodic jobs (core/jobs.py): a lock that a dead consumer cannot keep, a record
of every run, interrupted runs run again, and the last success on the dashboard and
in the health endpoints. The kill -9 of a real consumer is tests/e2e/
test_workers_recover.py."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aqparat.core import jobs
from aqparat.core.models import JobRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A job of our own (the real ones are declared by the apps' tasks modules),
    with a one-second lock renewed every 0.2 s."""
    monkeypatch.setattr(jobs, "LOCK_SECONDS", 1)
    monkeypatch.setattr(jobs, "RENEW_SECONDS", 0.2)
    calls: dict[str, Any] = {"n": 0, "sleep": 0.0}

    def work() -> str:
        calls["n"] += 1
        time.sleep(calls["sleep"])
        return "done"

    run = jobs.periodic_job("test-job", label="Test", late_after=timedelta(minutes=5))(
        work
    )
    calls["run"] = run
    yield calls
    jobs.JOBS.pop("test-job", None)
    cache.delete("aqparat:job-lock:test-job")


def test_a_dead_consumers_lock_lapses(job: dict[str, Any]) -> None:
    """huey's lock_task never expired: a consumer killed mid-job stopped it for good."""
    cache.add("aqparat:job-lock:test-job", "a consumer killed with SIGKILL", 1)
    assert job["run"]() is None and job["n"] == 0  # held: skipped
    time.sleep(1.2)
    assert job["run"]() == "done" and job["n"] == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # two threads
def test_the_lock_is_renewed_while_the_job_runs(job: dict[str, Any]) -> None:
    job["sleep"] = 2.0  # twice the lock's life
    first = threading.Thread(target=job["run"])
    first.start()
    time.sleep(1.5)
    assert job["run"]() is None  # the first run still holds it
    first.join()
    assert job["n"] == 1
    assert cache.get("aqparat:job-lock:test-job") is None  # released at the end


def test_every_run_is_recorded_with_its_outcome(job: dict[str, Any]) -> None:
    job["run"]()
    run = JobRun.objects.get(job="test-job")
    assert run.ok and run.finished_at is not None and run.error == ""

    def failing() -> None:
        raise RuntimeError("the bank is down")

    with pytest.raises(RuntimeError):
        jobs.job_run("test-job", failing)
    failed = JobRun.objects.filter(job="test-job").latest("started_at")
    assert not failed.ok and "the bank is down" in failed.error
    assert cache.get("aqparat:job-lock:test-job") is None


def test_an_interrupted_run_runs_again_once_its_lock_lapsed(
    job: dict[str, Any],
) -> None:
    started = timezone.now() - timedelta(seconds=40)
    JobRun.objects.create(job="test-job", started_at=started)  # never finished
    cache.add("aqparat:job-lock:test-job", "the dead consumer", 1)
    assert jobs.interrupted_jobs_run() == []  # its lock has not lapsed yet
    time.sleep(1.2)
    assert jobs.interrupted_jobs_run() == ["test-job"]
    assert job["n"] == 1
    interrupted = JobRun.objects.get(job="test-job", started_at=started)
    assert interrupted.error == "interrupted" and not interrupted.ok
    assert jobs.interrupted_jobs_run() == []  # the new run finished: nothing to do


def test_the_apps_declare_every_periodic_job() -> None:
    jobs.job_states()  # imports the apps' tasks modules
    assert {
        "newsroom-publication-run", "rates-fetch", "telegram-sweep",
        "news-front-page-expiries", "analytics-fold", "core-database-statistics",
        "core-interrupted-jobs",
    } <= set(jobs.JOBS)  # fmt: skip


def _all_succeeded(ago: timedelta = timedelta(seconds=30)) -> None:
    jobs.job_states()
    for name in jobs.JOBS:
        moment = timezone.now() - ago
        JobRun.objects.create(job=name, started_at=moment, finished_at=moment, ok=True)


def test_health_is_ok_while_every_job_succeeds_and_503_when_one_is_late() -> None:
    client = Client()
    _all_succeeded()
    response = client.get(reverse("health"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    old = timezone.now() - timedelta(hours=1)
    JobRun.objects.filter(job="analytics-fold").update(started_at=old, finished_at=old)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"status": "late", "late": ["analytics-fold"]}
    detail = client.get(reverse("health_jobs"))
    assert detail.status_code == 503
    fold = next(j for j in detail.json()["jobs"] if j["name"] == "analytics-fold")
    assert fold["late"] and fold["last_success"].startswith(old.isoformat()[:16])


def test_a_fresh_install_is_not_late_before_the_workers_ran_anything() -> None:
    assert all(not state.late for state in jobs.job_states())
    moment = timezone.now() - timedelta(hours=2)
    JobRun.objects.create(job="analytics-fold", started_at=moment, finished_at=moment,
                          ok=True)  # fmt: skip
    late = {state.name for state in jobs.job_states() if state.late}
    assert "telegram-sweep" in late and "core-database-statistics" not in late


def test_the_dashboard_shows_each_jobs_last_success(admin_client: Client) -> None:
    _all_succeeded()
    old = timezone.now() - timedelta(hours=1)
    JobRun.objects.filter(job="telegram-sweep").update(started_at=old, finished_at=old)
    page = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-job="rates-fetch"' in page and 'data-job="analytics-fold"' in page
    assert 'data-jobs="late"' in page
    late_row = page.split('data-job="telegram-sweep"', 1)[1].split("</tr>", 1)[0]
    assert "help-critical" in late_row
    assert timezone.localtime(old).strftime("%d.%m.%Y %H:%M") in late_row
