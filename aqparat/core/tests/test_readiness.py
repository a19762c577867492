"""`/healthz` and `/readyz` (issue 17, item 6): liveness needs nothing but the
process; readiness checks each thing a node needs and tells details only to
monitoring (a token) or staff."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aqparat.core import jobs
from aqparat.core.models import Heartbeat, JobRun
from aqparat.core.tests.test_settings import GOOD, python

pytestmark = pytest.mark.django_db
TOKEN = "monitoring-secret-for-tests"  # noqa: S105 - a test's own


@pytest.fixture(autouse=True)
def _token() -> Iterator[None]:
    with override_settings(AQPARAT_HEALTH_TOKEN=TOKEN):
        yield


def _ready(client: Client | None = None, **headers: str) -> tuple[int, dict]:
    response = (client or Client()).get(reverse("readyz"), headers=headers)
    assert "no-store" in response["Cache-Control"]
    return response.status_code, response.json()


def _monitoring() -> tuple[int, dict]:
    return _ready(Authorization=f"Bearer {TOKEN}")


def test_liveness_answers_without_the_database_or_the_cache() -> None:
    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch("django.core.cache.cache.get", side_effect=ConnectionError),
    ):
        response = Client().get(reverse("healthz"))
    assert response.status_code == 200 and response.json() == {"status": "up"}
    assert len(queries) == 0 and "no-store" in response["Cache-Control"]


def test_a_ready_node_says_only_ready_to_anonymous_callers() -> None:
    status, body = _ready()
    assert (status, body) == (200, {"status": "ready"})
    assert _ready(Authorization="Bearer a-guess") == (200, {"status": "ready"})


def test_monitoring_sees_each_check_and_each_jobs_age() -> None:
    moment = timezone.now() - timedelta(seconds=90)
    jobs.job_states()
    JobRun.objects.create(job="rates-fetch", started_at=moment, finished_at=moment,
                          ok=True)  # fmt: skip
    status, body = _monitoring()
    assert status == 200 and body["status"] == "ready"
    assert body["checks"] == {"database": True, "cache": True, "queue": True,
                              "storage": True, "jobs": True}  # fmt: skip
    assert set(body["jobs"]) == set(jobs.JOBS)
    assert 85 <= body["jobs"]["rates-fetch"]["last_success_age_seconds"] <= 120
    assert body["jobs"]["telegram-sweep"] == {"last_success_age_seconds": None,
                                              "late": False}  # fmt: skip
    # The database check is a write, not a read.
    before = Heartbeat.objects.get(pk=1).beat_at
    _ready()
    assert Heartbeat.objects.get(pk=1).beat_at > before


def test_signed_in_staff_see_the_details_too(admin_client: Client) -> None:
    status, body = _ready(admin_client)
    assert status == 200 and "checks" in body


def _failing(check: str) -> mock._patch:
    target, error = {
        "database": ("aqparat.core.models.Heartbeat.objects.update_or_create",
                     OperationalError("attempt to write a readonly database")),
        "cache": ("aqparat.core.health.cache.set", ConnectionError("refused")),
        "queue": ("huey.contrib.djhuey.HUEY.pending_count", ConnectionError("refused")),
        "storage": ("aqparat.core.health._writable", OSError("denied")),
    }[check]  # fmt: skip
    return mock.patch(target, side_effect=error)


@pytest.mark.parametrize("check", ["database", "cache", "queue", "storage"])
@override_settings(ADMINS=[("Desk", "desk@example.kz")])
def test_each_failing_check_makes_the_node_not_ready(check: str) -> None:
    with _failing(check):
        assert _ready() == (503, {"status": "not ready"})
        status, body = _monitoring()
    assert status == 503
    assert [name for name, ok in body["checks"].items() if not ok] == [check]
    # Probes come every few seconds: a node that is not ready mails no one.
    assert mail.outbox == []


def test_an_unwritable_media_folder_makes_the_node_not_ready(tmp_path: Path) -> None:
    with override_settings(MEDIA_ROOT=str(tmp_path / "not-there")):
        status, body = _monitoring()
    assert status == 503 and body["checks"]["storage"] is False


def test_a_late_job_makes_the_node_not_ready() -> None:
    moment = timezone.now() - timedelta(days=3)
    jobs.job_states()
    for name in jobs.JOBS:
        JobRun.objects.create(job=name, started_at=moment, finished_at=moment, ok=True)
    status, body = _monitoring()
    assert status == 503 and body["checks"]["jobs"] is False
    assert body["jobs"]["rates-fetch"]["late"] is True
    assert _ready() == (503, {"status": "not ready"})


def test_production_answers_probes_over_plain_http(tmp_path: Path) -> None:
    """A load balancer probes the node itself, over HTTP: no HTTPS redirect."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='news.example.kz')\n"
        "print(c.get('/healthz').status_code, c.get('/admin/login/').status_code)"
    )
    env = {**GOOD, "AQPARAT_VAR_DIR": str(tmp_path)}
    result = python("aqparat.settings.production", env, script)
    assert result.stdout.split() == ["200", "301"], result.stderr
