"""Health endpoints for load balancers and monitoring: a fixed, small amount of work
(one indexed query, then one for each periodic job, however many runs are kept, and
one cache round trip), never cached, nothing secret.

`/health/`: 200 `{"status": "ok"}` when the database and the shared cache answer
and no periodic job is late; 503 with `"late"` (a job's last success is older than
its period allows: the workers stopped) or `"down"` (database or cache); which jobs
are late only to monitoring and staff (as below).
`/health/jobs/`: ok or late to anyone; to monitoring (`AQPARAT_HEALTH_TOKEN`) and
staff also each periodic job's name, label (in English), last successful and last
started run and whether it is late; 503 when one is. No error text, host or
setting is shown.

For orchestrators and load balancers (issue 17):
`/healthz`: the process is up and answers (no database, no cache): 200 `{"status":
"up"}`. A failing liveness probe restarts the process, so it must not depend on
what a restart cannot fix.
`/readyz`: this node can serve: a database write, a cache round trip, the task
queue's store, the media storage, and no periodic job late (the rates fetch is
one). 200 `{"status": "ready"}` or 503 `{"status": "not ready"}`, and nothing more
to anonymous callers; with `Authorization: Bearer <AQPARAT_HEALTH_TOKEN>` (or a
signed-in staff user) each check's result and each job's age in seconds too.
"""

from __future__ import annotations

import logging
import os
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from aqparat.core.jobs import JobState, job_states

logger = logging.getLogger("aqparat.health")

# A probe asks every few seconds: what fails is logged as a warning, and the 503 is
# not logged again by Django as an error, so a node that is not ready does not mail
# the admins (settings' mail_admins handler) at every probe. Alerting on it is the
# monitoring's job.


def _answer(body: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django's mark
    return response


def _cache_answers() -> bool:
    key, value = "aqparat:health", uuid.uuid4().hex
    try:
        cache.set(key, value, 30)
        return bool(cache.get(key) == value)
    except Exception:  # any backend's failure is "down" here
        logger.warning("Health: the shared cache does not answer", exc_info=True)
        return False


def _states() -> list[JobState] | None:
    try:
        return job_states()
    except DatabaseError:
        logger.warning("Health: the database does not answer", exc_info=True)
        return None


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    states = _states()
    if states is None or not _cache_answers():
        return _answer({"status": "down"}, status=503)
    late = [state.name for state in states if state.late]
    if late:
        body: dict[str, Any] = {"status": "late"}
        if _may_see_details(request):
            body["late"] = late
        return _answer(body, status=503)
    return _answer({"status": "ok"})


@never_cache
@require_safe
def health_jobs(request: HttpRequest) -> JsonResponse:
    states = _states()
    if states is None:
        return _answer({"status": "down"}, status=503)
    with translation.override("en"):
        labels = {state.name: str(state.label) for state in states}
    jobs: list[dict[str, Any]] = [
        {
            "name": state.name,
            "label": labels[state.name],
            "last_success": state.last_success and state.last_success.isoformat(),
            "last_started": state.last_started and state.last_started.isoformat(),
            "late": state.late,
        }
        for state in states
    ]
    late = any(state.late for state in states)
    body: dict[str, Any] = {"status": "late" if late else "ok"}
    if _may_see_details(request):  # the jobs only to monitoring and staff
        body["jobs"] = jobs
    return _answer(body, status=503 if late else 200)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return _answer({"status": "up"})


def _database_writes() -> bool:
    from aqparat.core.models import Heartbeat

    try:
        Heartbeat.objects.update_or_create(pk=1, defaults={"beat_at": timezone.now()})
        return True
    except DatabaseError:
        logger.warning("Readiness: the database takes no write", exc_info=True)
        return False


def _queue_answers() -> bool:
    from huey.contrib.djhuey import HUEY

    try:
        HUEY.pending_count()  # a read of the queue's own store (SQLite or Redis)
        return True
    except Exception:  # any store's failure is "not ready"
        logger.warning(
            "Readiness: the task queue's store does not answer", exc_info=True
        )
        return False


def _storage_answers() -> bool:
    """On a local disk, the media folder is writable; on object storage, the bucket
    answers a listing with our credentials (one request; a missing object would
    answer "no" even without the bucket)."""
    try:
        if isinstance(default_storage, FileSystemStorage):
            return _writable(str(default_storage.location))
        default_storage.listdir("")
        return True
    except Exception:  # any backend's failure is "not ready"
        logger.warning("Readiness: the media storage does not answer", exc_info=True)
        return False


def _writable(folder: str) -> bool:
    return os.path.isdir(folder) and os.access(folder, os.W_OK)


def _may_see_details(request: HttpRequest) -> bool:
    token = getattr(settings, "AQPARAT_HEALTH_TOKEN", "")
    given = request.headers.get("Authorization", "")
    if token and secrets.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_active and user.is_staff)


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    states = _states()
    checks = {
        "database": states is not None and _database_writes(),
        "cache": _cache_answers(),
        "queue": _queue_answers(),
        "storage": _storage_answers(),
        "jobs": states is not None and not any(state.late for state in states),
    }
    ready = all(checks.values())
    body: dict[str, Any] = {"status": "ready" if ready else "not ready"}
    if _may_see_details(request):
        now = timezone.now()
        body["checks"] = checks
        body["jobs"] = {
            state.name: {
                "last_success_age_seconds": (
                    round((now - state.last_success).total_seconds())
                    if state.last_success
                    else None
                ),
                "late": state.late,
            }
            for state in states or []
        }
    return _answer(body, status=200 if ready else 503)
