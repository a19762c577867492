"""Generations: one counter in the shared cache retires every cached copy of a kind.

A cached value's key carries its kind's generation; a change moves the generation on,
and every copy keyed by the old one is no longer read (it expires by itself). The
counter lives in the shared cache, so a change made in any process (a web worker, the
huey consumer) retires the copies of every process.

A request reads every declared counter (`generation_key`) in one round trip, the
first time it needs one, and keeps them until it ends: a page asked five of them one
by one (sites, view restrictions, site settings, ticker, banner). A request sees the
changes it makes itself at once; another process's change shows from its next
request, as before.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from diskcache import DjangoCache
from django.core.cache import cache
from django.db import transaction

_DECLARED: set[str] = set()


@dataclass
class _RequestGenerations:
    loaded: bool = False
    values: dict[str, int] = field(default_factory=dict)


_request: ContextVar[_RequestGenerations | None] = ContextVar(
    "aqparat_generations", default=None
)


def generation_key(key: str) -> str:
    """Declare a generation counter, read with the others once per request."""
    _DECLARED.add(key)
    return key


def generation(key: str) -> int:
    """The kind's current generation (1 until the first change)."""
    current = _request.get()
    if current is None:  # outside a request: the huey consumer, a command
        return _read(key)
    if not current.loaded:
        current.loaded = True
        found = cache.get_many(sorted(_DECLARED))
        current.values.update({k: int(v) for k, v in found.items() if v})
    if key not in current.values:
        current.values[key] = _read(key)
    return current.values[key]


def _read(key: str) -> int:
    return int(cache.get_or_set(key, 1, None) or 1)


def generation_next(key: str) -> None:
    """Move the generation on; atomic, so two changes at once both count."""
    value = counter_next(key, start=1)  # never read yet: it was 1
    current = _request.get()
    if current is not None:
        current.values[key] = value


def request_generations_begin(**kwargs: Any) -> None:
    """Connected to request_started (core/apps.py)."""
    _request.set(_RequestGenerations())


def request_generations_end(**kwargs: Any) -> None:
    """Connected to request_finished (core/apps.py)."""
    _request.set(None)


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
