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


def generation(key: str) -> int:
    """The kind's current generation (1 until the first change)."""
    return int(cache.get_or_set(key, 1, None) or 1)


def generation_next(key: str) -> None:
    """Move the generation on; atomic, so two changes at once both count."""
    try:
        cache.incr(key)
    except ValueError:  # never read yet; a reader may start it at 1 meanwhile
        if not cache.add(key, 2, None):
            cache.incr(key)


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
