"""Generations: one counter in the shared cache retires every cached copy of a kind.

A cached value's key carries its kind's generation; a change moves the generation on,
and every copy keyed by the old one is no longer read (it expires by itself). The
counter lives in the shared cache, so a change made in any process (a web worker, the
huey consumer) retires the copies of every process.
"""

from __future__ import annotations

from typing import Any

from diskcache import DjangoCache
from django.core.cache import cache
from django.db import transaction


def generation(key: str) -> int:
    """The kind's current generation (1 until the first change)."""
    return int(cache.get_or_set(key, 1, None) or 1)


def generation_next(key: str) -> None:
    """Move the generation on; atomic, so two changes at once both count."""
    counter_next(key, start=1)  # never read yet: it was 1


def generation_retire(key: str) -> None:
    """Move the generation on for a change inside a transaction: now (so the
    transaction's own reads see the change) and again after the commit (so no
    process keeps what it read before the commit under the new generation)."""
    generation_next(key)
    transaction.on_commit(lambda: generation_next(key))


def counter_next(key: str, *, start: int = 0, timeout: float | None = None) -> int:
    """Move a counter in the shared cache on by one, atomically in every process,
    and return its new value; a missing counter counts on from `start`."""
    try:
        return int(cache.incr(key))
    except ValueError:  # missing; another process may create it meanwhile
        cache.add(key, start, timeout)
        return int(cache.incr(key))


class SharedDiskCache(DjangoCache):
    """diskcache's Django backend (the embedded default's shared cache), left open
    between requests.

    Django closes every cache when a request finishes; for diskcache that drops its
    SQLite connections, and opening them again costs about 2 ms, eight times a whole
    page-cache hit (0.26 ms). The connections are per thread and diskcache reopens
    them after a fork, so keeping them is safe.
    """

    def close(self, **kwargs: Any) -> None:
        pass
