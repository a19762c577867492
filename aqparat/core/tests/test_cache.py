"""Cache generations are shared by every process and count every change."""

from __future__ import annotations

import multiprocessing

from django.core.cache import caches

from aqparat.core.cache import generation, generation_next

KEY = "test:core:generation"


def _move_on(times: int) -> None:
    for _ in range(times):
        generation_next(KEY)


def test_changes_made_at_once_in_other_processes_all_count_here() -> None:
    assert generation(KEY) == 1
    caches.close_all()  # each forked process opens its own connection
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
