"""Cache generations are shared by every process and count every change."""

from __future__ import annotations

import multiprocessing

import pytest
from django.core.cache import caches
from django.core.signals import request_finished

from aqparat.core.cache import SharedDiskCache, generation, generation_next

KEY = "test:core:generation"


def _move_on(times: int) -> None:
    for _ in range(times):
        generation_next(KEY)


def test_changes_made_at_once_in_other_processes_all_count_here() -> None:
    assert generation(KEY) == 1
    # Each forked process opens connections of its own (diskcache checks the pid).
    fork = multiprocessing.get_context("fork")
    workers = [fork.Process(target=_move_on, args=(40,)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert generation(KEY) == 1 + 3 * 40


def test_a_change_before_any_read_still_moves_the_generation_past_the_first() -> None:
    generation_next(KEY)
    assert generation(KEY) == 2


def test_the_embedded_cache_stays_open_from_one_request_to_the_next() -> None:
    """Django closes caches after each request; reopening diskcache's SQLite files
    would cost a page-cache hit eight times its own work."""
    backend = caches["default"]
    if not isinstance(backend, SharedDiskCache):
        pytest.skip("the cache is Redis (REDIS_URL)")
    backend.set("test:core:open", 1)
    shard = backend._cache._shards[0]
    before = shard._con
    request_finished.send(sender=None)
    assert shard._con is before
