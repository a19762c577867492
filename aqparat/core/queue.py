"""The task queue (huey) with periodic jobs enqueued once per period across every
consumer of a deployment.

huey's scheduler enqueues each periodic job that is due when its minute comes, in
every consumer that runs it: two consumers, two runs a minute. Running the schedule
in one consumer only makes that consumer a single point of failure (publication at
the minute, the Telegram sweep and the views fold stop with it). Here every consumer
runs the schedule and each due job of a minute is enqueued by the one that claims
that minute first, in the shared cache (an atomic add, Redis in production): the
others skip it. The jobs' locks (core/jobs.py) still keep two runs from overlapping;
the claim keeps a second run of the same minute from starting after the first one
finished.

Only the scheduler's turn is claimed: a job queued by hand or by code
(`interrupted_jobs_again` re-queues a run its dead consumer left unfinished) always
runs. Written here because huey has no hook for it: `read_periodic` is the one
method its scheduler asks for the due jobs.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import huey

logger = logging.getLogger("aqparat.jobs")
# A claim outlives its minute by far: a consumer whose clock or scheduler lags by a
# few minutes still finds it.
CLAIM_SECONDS = 3600


def claim_key(task_name: str, minute: datetime) -> str:
    return f"aqparat:periodic-turn:{task_name}:{minute:%Y%m%d%H%M}"


def periodic_turn_claim(task_name: str, timestamp: datetime) -> bool:
    """True for the first consumer to ask for the job `task_name`'s turn in the
    minute of `timestamp`; False for every other. A cache that does not answer lets
    the turn run (the job's own lock still keeps runs from overlapping)."""
    from django.core.cache import cache

    minute = timestamp.replace(second=0, microsecond=0)
    try:
        return bool(cache.add(claim_key(task_name, minute), 1, CLAIM_SECONDS))
    except Exception:
        logger.exception("The turn of %s was not claimed: it runs", task_name)
        return True


class OncePerPeriod:
    """Mixed into a huey class: the scheduler's due jobs, less those another
    consumer claimed for this minute."""

    def read_periodic(self, timestamp: datetime | None) -> list[Any]:
        if timestamp is None:
            timestamp = self._get_timestamp()  # type: ignore[attr-defined]
        due = super().read_periodic(timestamp)  # type: ignore[misc]
        return [
            task for task in due if periodic_turn_claim(self._turn(task), timestamp)
        ]

    def _turn(self, task: Any) -> str:
        """The job, as every consumer of this queue names it."""
        registry = self._registry  # type: ignore[attr-defined]
        registered = registry.task_to_string(type(task))
        return f"{self.name}:{registered}"  # type: ignore[attr-defined]


class RedisHuey(OncePerPeriod, huey.RedisHuey):
    pass


class SqliteHuey(OncePerPeriod, huey.SqliteHuey):
    pass
