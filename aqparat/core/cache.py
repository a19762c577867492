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

The same holds for every read (`RequestReads`, the backends' base): inside a
request, a key is read from the shared cache once, and keys a page is known to read
are asked for together (`prefetch`, `request_key`). On Redis each read is a round
trip to another process on the same cores (about 75 µs of the worker's CPU): an
uncached article asked 23 of them, four of them twice. A request is a snapshot, as
for the generations; any write through the cache drops what the request had read.

Most reads depend on earlier ones (the site's key carries the sites' generation, the
story's fragments its id from routing, a fragment's retirement keys its content), so
even batched an article made five round trips in a row. Each process therefore
remembers, for the last addresses it served (`_READ_SETS`), the names of the keys a
GET of that address read, and asks for them all in the request's first round trip;
a name whose generation or page has moved since is simply not used. Only names are
kept, never values: every value still comes from the shared cache, in that request.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from diskcache import DjangoCache, Timeout
from diskcache.core import EVICTION_POLICY
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction

_DECLARED: set[str] = set()
_ALWAYS: list[tuple[str, int | None]] = []
_MISSING = object()


@dataclass
class _Request:
    loaded: bool = False
    values: dict[str, int] = field(default_factory=dict)  # the generations
    reads: dict[str, Any] = field(default_factory=dict)  # made key: value, _MISSING
    address: str = ""  # host, path and query of a GET or HEAD; else empty
    used: dict[str, None] = field(default_factory=dict)  # made keys read, in order
    guessed: bool = False  # the address's remembered keys have been asked for


# Addresses and the names of the keys their last GET read (the module's docstring):
# a few hundred pages are nearly all of the traffic; an address past the bound only
# costs its own request the round trips it made before.
_READ_SETS: OrderedDict[str, tuple[str, ...]] = OrderedDict()
_READ_SETS_ADDRESSES = 1000
_READ_SET_KEYS = 64
_read_sets_lock = threading.Lock()


def _address(environ: Mapping[str, Any] | None) -> str:
    if not environ or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return ""
    return "{}{}?{}".format(
        environ.get("HTTP_HOST", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
    )


def _remembered(address: str) -> tuple[str, ...]:
    with _read_sets_lock:
        return _READ_SETS.get(address, ())


def _remember(address: str, used: Iterable[str]) -> None:
    # Interned: most names (generations, settings, navigation) are the same for
    # every address, and are then kept once.
    names = tuple(sys.intern(name) for name in list(used)[:_READ_SET_KEYS])
    with _read_sets_lock:
        _READ_SETS[address] = names
        _READ_SETS.move_to_end(address)
        while len(_READ_SETS) > _READ_SETS_ADDRESSES:
            _READ_SETS.popitem(last=False)


_request: ContextVar[_Request | None] = ContextVar("aqparat_request", default=None)


def generation_key(key: str) -> str:
    """Declare a generation counter, read with the others once per request."""
    _DECLARED.add(key)
    return key


def request_key(key: str, version: int | None = None) -> str:
    """Declare a key (of no generation) that almost every uncached page reads: it
    is asked for with the generations, in the same round trip."""
    _ALWAYS.append((key, version))
    return key


def prefetch(keys: Iterable[tuple[str, int | None]]) -> None:
    """Ask for keys (and versions) this request is about to read, in one round trip;
    their reads then cost none. Outside a request, or on a cache that is not ours,
    nothing happens."""
    backend = caches["default"]
    if isinstance(backend, RequestReads):
        backend.prefetch(keys)


def generation(key: str) -> int:
    """The kind's current generation (1 until the first change)."""
    current = _request.get()
    if current is None:  # outside a request: the huey consumer, a command
        return _read(key)
    if not current.loaded:
        current.loaded = True
        prefetch([(k, None) for k in sorted(_DECLARED)] + _ALWAYS)
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


def request_generations_begin(
    environ: Mapping[str, Any] | None = None, **kwargs: Any
) -> None:
    """Connected to request_started (core/apps.py)."""
    _request.set(_Request(address=_address(environ)))


def request_generations_end(**kwargs: Any) -> None:
    """Connected to request_finished (core/apps.py)."""
    current = _request.get()
    if current is not None and current.address and current.used:
        _remember(current.address, current.used)
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


class RequestReads:
    """A Django cache backend's reads, made once a request (the module's docstring).

    Inside a request (between request_started and request_finished), `get` and
    `get_many` answer a key already read, or fetched by `prefetch`, without asking
    the shared cache again, a missing key included; outside one they are the
    backend's own. Any write through the backend forgets everything the request
    read, so a request sees its own changes. Values are shared within the request,
    not copied: what the cache returns is never modified in place here.
    """

    def _get_made(self, made: list[str]) -> dict[str, Any]:
        """The backend's values of already made keys, in one round trip."""
        raise NotImplementedError

    def _reads(self) -> dict[str, Any] | None:
        current = _request.get()
        return None if current is None else current.reads

    def _fill(self, reads: dict[str, Any], made: Iterable[str]) -> None:
        """Read the keys of `made` the request has not read yet, in one round
        trip; the request's first also asks for its address's remembered keys."""
        current = _request.get()
        made = list(dict.fromkeys(made))
        wanted = [key for key in made if key not in reads]
        if current is not None:
            current.used.update(dict.fromkeys(made))
            if wanted and not current.guessed and current.address:
                current.guessed = True
                more = _remembered(current.address)
                wanted += [key for key in more if key not in reads]
                wanted = list(dict.fromkeys(wanted))
        if wanted:
            found = self._get_made(wanted)
            for key in wanted:
                reads[key] = found.get(key, _MISSING)

    def prefetch(self, keys: Iterable[tuple[str, int | None]]) -> None:
        reads = self._reads()
        if reads is not None:
            self._fill(reads, [self.make_key(k, version=v) for k, v in keys])  # type: ignore[attr-defined]

    def get(
        self, key: str, default: Any = None, version: int | None = None, **kwargs: Any
    ) -> Any:
        reads = self._reads()
        if reads is None or kwargs:
            return super().get(key, default, version, **kwargs)  # type: ignore[misc]
        made = self.make_and_validate_key(key, version=version)  # type: ignore[attr-defined]
        self._fill(reads, [made])
        value = reads[made]
        return default if value is _MISSING else value

    def get_many(
        self, keys: Iterable[str], version: int | None = None
    ) -> dict[str, Any]:
        reads = self._reads()
        if reads is None:
            return super().get_many(keys, version)  # type: ignore[misc]
        made = {self.make_and_validate_key(k, version=version): k for k in keys}  # type: ignore[attr-defined]
        self._fill(reads, made)
        return {made[m]: reads[m] for m in made if reads[m] is not _MISSING}

    def _forget(self) -> None:
        reads = self._reads()
        if reads:
            reads.clear()


_WRITES = (
    "set",
    "add",
    "touch",
    "delete",
    "incr",
    "decr",
    "set_many",
    "delete_many",
    "clear",
)


def _forgetting(name: str) -> Any:
    """The backend's write `name`, after forgetting what the request read."""

    def write(self: RequestReads, *args: Any, **kwargs: Any) -> Any:
        self._forget()
        return getattr(super(RequestReads, self), name)(*args, **kwargs)

    write.__name__ = name
    return write


for _name in _WRITES:
    setattr(RequestReads, _name, _forgetting(_name))


class SharedRedisCache(RequestReads, RedisCache):
    """Django's Redis backend (with REDIS_URL), its reads made once a request."""

    def _get_made(self, made: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = self._cache.get_many(made)  # type: ignore[attr-defined]
        return found


class SharedDiskCache(RequestReads, DjangoCache):
    """diskcache's Django backend (the embedded default's shared cache), left open
    between requests.

    Django closes every cache when a request finishes; for diskcache that drops its
    SQLite connections, and opening them again costs about 2 ms, eight times a whole
    page-cache hit (0.26 ms). The connections are per thread and diskcache reopens
    them after a fork, so keeping them is safe.
    """

    def _get_made(self, made: list[str]) -> dict[str, Any]:
        """One SELECT per shard the keys fall in, not one per key: a page's round
        trip asks for up to 30 keys, nearly all in the same few shards."""
        fanout = self._cache
        by_shard: dict[int, list[str]] = {}
        for key in made:
            by_shard.setdefault(fanout._hash(key) % fanout._count, []).append(key)
        found: dict[str, Any] = {}
        for index, keys in by_shard.items():
            found.update(_shard_get_many(fanout._shards[index], keys))
        return found

    def close(self, **kwargs: Any) -> None:
        pass


def _shard_get_many(shard: Any, keys: list[str]) -> dict[str, Any]:
    """diskcache `Cache.get` of each of `keys` (made, so strings) in one SELECT:
    its fast path (no statistics, an eviction policy that writes nothing on a
    read), which is ours; any other configuration reads key by key."""
    if shard.statistics or EVICTION_POLICY[shard.eviction_policy]["get"] is not None:
        values = {key: shard.get(key, _MISSING, retry=True) for key in keys}
        return {key: value for key, value in values.items() if value is not _MISSING}
    marks = ",".join("?" * len(keys))
    select = (
        "SELECT key, mode, filename, value FROM Cache"  # noqa: S608 - marks only
        f" WHERE key IN ({marks}) AND raw = 1"
        " AND (expire_time IS NULL OR expire_time > ?)"
    )
    try:
        rows = shard._sql(select, (*keys, time.time())).fetchall()
    except (Timeout, sqlite3.OperationalError):  # as FanoutCache.get: a miss
        return {}
    found: dict[str, Any] = {}
    for key, mode, filename, value in rows:
        try:
            found[key] = shard._disk.fetch(mode, filename, value, False)
        except OSError:  # deleted since the SELECT: missing, as diskcache says
            continue
    return found
