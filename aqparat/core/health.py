"""Health endpoints for load balancers and monitoring: a fixed, small amount of work
(one indexed query, then one for each periodic job, however many runs are kept, and
one cache round trip), never cached, nothing secret.

`/health/`: 200 `{"status": "ok"}` when the database and the shared cache answer
and no periodic job is late; 503 with `"late"` (a job's last success is older than
its period allows: the workers stopped) or `"down"` (database or cache).
`/health/jobs/`: each periodic job's name, label (in English), last successful and
last started run and whether it is late; 503 when one is. No error text, host or
setting is shown: what a reader may see of the site already.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from aqparat.core.jobs import JobState, job_states

logger = logging.getLogger("aqparat.health")


def _cache_answers() -> bool:
    key, value = "aqparat:health", uuid.uuid4().hex
    try:
        cache.set(key, value, 30)
        return bool(cache.get(key) == value)
    except Exception:  # any backend's failure is "down" here
        logger.exception("Health: the shared cache does not answer")
        return False


def _states() -> list[JobState] | None:
    try:
        return job_states()
    except DatabaseError:
        logger.exception("Health: the database does not answer")
        return None


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    states = _states()
    if states is None or not _cache_answers():
        return JsonResponse({"status": "down"}, status=503)
    late = [state.name for state in states if state.late]
    if late:
        return JsonResponse({"status": "late", "late": late}, status=503)
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def health_jobs(request: HttpRequest) -> JsonResponse:
    states = _states()
    if states is None:
        return JsonResponse({"status": "down"}, status=503)
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
    return JsonResponse(
        {"status": "late" if late else "ok", "jobs": jobs}, status=503 if late else 200
    )
