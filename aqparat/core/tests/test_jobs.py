"""Periodic jobs (core/jobs.py): a lock that a dead consumer cannot keep, a record
of every run, interrupted runs run again, and the last success on the dashboard and
in the health endpoints. The kill -9 of a real consumer is tests/e2e/
test_workers_recover.py."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from aqparat.core import jobs
from aqparat.core.models import JobRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
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
    queued: list[str] = []
    assert jobs.interrupted_jobs_rerun(queued.append) == []  # its lock holds yet
    assert not jobs.interrupted_job_rerun("test-job") and job["n"] == 0
    time.sleep(1.2)
    assert jobs.interrupted_jobs_rerun(queued.append) == ["test-job"] == queued
    assert jobs.interrupted_job_rerun("test-job") and job["n"] == 1
    interrupted = JobRun.objects.get(job="test-job", started_at=started)
    assert interrupted.error == "interrupted" and not interrupted.ok
    assert interrupted.finished_at is not None
    assert jobs.interrupted_jobs() == []  # the new run finished: nothing to do
    assert not jobs.interrupted_job_rerun("test-job")  # a second queued rerun
    assert job["n"] == 1


def test_a_run_marks_the_unfinished_run_before_it_interrupted(
    job: dict[str, Any],
) -> None:
    """A run holding the lock knows an unfinished run of its job is dead, however
    it came to run (its next turn, or a rerun)."""
    started = timezone.now() - timedelta(minutes=1)
    JobRun.objects.create(job="test-job", started_at=started)
    job["run"]()
    runs = list(JobRun.objects.filter(job="test-job").order_by("started_at"))
    assert [(run.ok, run.error) for run in runs] == [(False, "interrupted"), (True, "")]


def test_a_failed_run_is_not_run_again_before_its_turn(job: dict[str, Any]) -> None:
    def failing() -> None:
        raise RuntimeError("the bank is down")

    with pytest.raises(RuntimeError):
        jobs.job_run("test-job", failing)
    assert jobs.interrupted_jobs() == []


def test_a_starting_consumer_queues_the_recovery_once() -> None:
    """huey calls its startup hooks in each worker thread of a consumer: the
    recovery is queued once, now and when a dead consumer's locks have lapsed."""
    from unittest import mock

    from aqparat.core import tasks

    with (
        mock.patch.object(tasks, "_recovery_queued", False),
        mock.patch.object(tasks, "interrupted_jobs_again") as recover,
    ):
        for _worker in range(3):
            tasks.interrupted_jobs_recover_on_start()
    recover.assert_called_once_with()
    recover.schedule.assert_called_once_with(delay=jobs.LOCK_SECONDS + 1)


def test_the_recovery_task_reruns_every_interrupted_job(job: dict[str, Any]) -> None:
    """In the consumer (here huey runs tasks at once): queued, then run."""
    from aqparat.core.tasks import interrupted_jobs_again

    JobRun.objects.create(job="test-job", started_at=timezone.now())
    interrupted_jobs_again()
    assert job["n"] == 1
    assert JobRun.objects.filter(job="test-job", ok=True).count() == 1


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


@override_settings(AQPARAT_HEALTH_TOKEN="monitoring-secret")
def test_health_is_ok_while_every_job_succeeds_and_503_when_one_is_late() -> None:
    client = Client(headers={"Authorization": "Bearer monitoring-secret"})
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
    assert detail.status_code == 503 and "no-store" in detail["Cache-Control"]
    fold = next(j for j in detail.json()["jobs"] if j["name"] == "analytics-fold")
    assert fold["late"] and fold["last_success"].startswith(old.isoformat()[:16])
    assert fold["label"] == "Counting views" and set(fold) == {
        "name", "label", "last_success", "last_started", "late"
    }  # fmt: skip
    assert client.head(reverse("health")).status_code == 503  # a balancer's HEAD
    # Anonymous callers learn up or down, not which jobs the site runs.
    anonymous = Client()
    assert anonymous.get(reverse("health")).json() == {"status": "late"}
    assert anonymous.get(reverse("health_jobs")).json() == {"status": "late"}


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


def test_the_states_cost_a_fixed_few_queries_however_many_runs_are_kept() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    jobs.job_states()
    moment = timezone.now() - timedelta(minutes=1)
    JobRun.objects.bulk_create(
        JobRun(job=name, started_at=moment - timedelta(minutes=n), ok=n % 3 == 0,
               finished_at=moment - timedelta(minutes=n))
        for name in jobs.JOBS for n in range(50)
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        states = jobs.job_states()
    assert len(queries) == 1 + len(jobs.JOBS)
    state = next(s for s in states if s.name == "telegram-sweep")
    assert state.last_started == moment and state.last_success == moment
    assert not state.late


def test_health_is_down_when_the_database_does_not_answer() -> None:
    from unittest import mock

    from django.db import OperationalError

    with mock.patch("aqparat.core.health.job_states", side_effect=OperationalError):
        response = Client().get(reverse("health"))
    assert response.status_code == 503 and response.json() == {"status": "down"}


@pytest.mark.parametrize(
    ("language", "label", "heading"),
    [("kk", "Ұлттық Банк бағамдары", "Фондық тапсырмалар"),
     ("ru", "Курсы Нацбанка", "Фоновые задачи")],
)  # fmt: skip
def test_the_labels_and_the_panel_are_translated(
    language: str, label: str, heading: str
) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        states = jobs.job_states()
        assert all(str(jobs.JOBS[s.name].label) != s.name for s in states)
        english = {"Counting views", "Telegram posts", "Database statistics"}
        assert not english & {str(s.label) for s in states}
        html = render_to_string(
            "core/admin/jobs_panel.html", {"jobs": states, "late": False}
        )
    assert label in html and heading in html
