"""Periodic jobs are enqueued once per period across every consumer (core/queue.py):
each consumer of a deployment runs huey's scheduler, and the one that claims a
job's minute first enqueues it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string
from huey import crontab

from aqparat.core import queue

# huey's scheduler asks with naive UTC times (utc=True).
MINUTE = datetime(2026, 12, 5, 12, 0, 5)  # noqa: DTZ001


def every_minute() -> None:
    """The job both consumers know (huey names a job by its module and function)."""


def at_three() -> None:
    """A job due at 03:17 only."""


def a_consumer(name: str, tmp_path: Path) -> Any:
    """The queue as the settings build it, as one consumer's scheduler holds it, with
    the jobs registered."""
    cls = import_string(settings.HUEY["huey_class"])
    options: dict[str, Any] = {"filename": str(tmp_path / f"{name}.sqlite3")}
    if "RedisHuey" in cls.__name__:
        options = {"url": settings.HUEY["url"]}
    instance = cls("aqparat-test-queue", utc=True, **options)
    instance.periodic_task(crontab(minute="*"))(every_minute)
    instance.periodic_task(crontab(minute="17", hour="3"))(at_three)
    return instance


@pytest.fixture
def consumers(tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    cache.clear()
    yield a_consumer("a", tmp_path), a_consumer("b", tmp_path)
    cache.clear()


def names(tasks: list[Any]) -> list[str]:
    return sorted(task.name for task in tasks)


def test_two_consumers_enqueue_each_due_job_once_a_minute(
    consumers: tuple[Any, Any],
) -> None:
    a, b = consumers
    assert names(a.read_periodic(MINUTE)) == ["every_minute"]
    # The other consumer's scheduler, later in the same minute: nothing to enqueue.
    assert b.read_periodic(MINUTE + timedelta(seconds=40)) == []
    # The next minute is whoever asks first, and only theirs.
    assert names(b.read_periodic(MINUTE + timedelta(seconds=58))) == ["every_minute"]
    assert a.read_periodic(MINUTE + timedelta(seconds=65)) == []
    assert names(a.read_periodic(MINUTE + timedelta(minutes=2))) == ["every_minute"]
    # A job of its own schedule is still enqueued when due, once.
    three = datetime(2026, 12, 6, 3, 17, 30)  # noqa: DTZ001
    assert names(b.read_periodic(three)) == ["at_three", "every_minute"]
    assert a.read_periodic(three) == []


def test_a_cache_that_fails_lets_every_turn_run(
    consumers: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Better two runs (the job's lock keeps them from overlapping) than none."""
    a, b = consumers

    def down(*args: object, **kwargs: object) -> bool:
        raise ConnectionError("the cache does not answer")

    monkeypatch.setattr(cache, "add", down)
    assert names(a.read_periodic(MINUTE)) == ["every_minute"]
    assert names(b.read_periodic(MINUTE)) == ["every_minute"]


def test_the_claim_names_the_job_and_its_minute() -> None:
    key = queue.claim_key("aqparat:mod.job", MINUTE.replace(second=0))
    assert key == "aqparat:periodic-turn:aqparat:mod.job:202612051200"
