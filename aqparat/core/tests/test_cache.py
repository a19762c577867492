"""Cache generations are shared by every process and count every change."""

from __future__ import annotations

import multiprocessing
from typing import Any

import pytest
from django.core.cache import caches
from django.core.signals import request_finished, request_started

from aqparat.core.cache import (
    RequestReads,
    SharedDiskCache,
    generation,
    generation_key,
    generation_next,
    prefetch,
)

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


DECLARED = [generation_key(f"test:core:declared:{n}") for n in range(3)]


@pytest.fixture
def cache_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The shared cache's reads of generations, by method, while the test runs
    (generation() reads with these two; diskcache's get_many loops over get)."""
    backend = caches["default"]
    calls: list[str] = []
    for name in ("get_many", "get_or_set"):
        real = getattr(backend, name)

        def counted(*args: Any, _name: str = name, _real: Any = real, **kw: Any) -> Any:
            calls.append(_name)
            return _real(*args, **kw)

        monkeypatch.setattr(backend, name, counted)
    return calls


def test_a_request_reads_every_declared_generation_in_one_round_trip(
    cache_calls: list[str],
) -> None:
    for key in DECLARED:
        generation_next(key)
    cache_calls.clear()
    request_started.send(sender=None)
    try:
        first = [generation(key) for key in DECLARED]
        again = [generation(key) for key in reversed(DECLARED)]
    finally:
        request_finished.send(sender=None)
    assert cache_calls == ["get_many"]
    assert first == again[::-1] == [2, 2, 2]


def test_a_request_sees_its_own_change_at_once_and_others_from_its_next_request() -> (
    None
):
    key = DECLARED[0]
    request_started.send(sender=None)
    try:
        before = generation(key)
        generation_next(key)  # this request's own change (an editor's save)
        assert generation(key) == before + 1
        caches["default"].incr(key)  # another process's change meanwhile
        assert generation(key) == before + 1  # this request keeps its moment
    finally:
        request_finished.send(sender=None)
    request_started.send(sender=None)
    try:
        assert generation(key) == before + 2
    finally:
        request_finished.send(sender=None)
    assert generation(key) == before + 2  # and outside any request, read directly


@pytest.fixture
def round_trips(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The keys of each read the backend makes of the shared cache while the test
    runs, inside a request (RequestReads._get_made: one round trip each)."""
    backend = caches["default"]
    assert isinstance(backend, RequestReads)
    trips: list[list[str]] = []
    real = backend._get_made

    def counted(made: list[str]) -> dict[str, Any]:
        trips.append(list(made))
        return real(made)

    monkeypatch.setattr(backend, "_get_made", counted)
    return trips


def _in_another_process(key: str, value: object) -> None:
    fork = multiprocessing.get_context("fork")
    worker = fork.Process(target=caches["default"].set, args=(key, value))
    worker.start()
    worker.join(60)
    assert worker.exitcode == 0


def test_inside_a_request_a_key_is_asked_for_once_a_missing_one_too(
    round_trips: list[list[str]],
) -> None:
    backend = caches["default"]
    backend.set("test:core:read:a", 1)
    backend.delete("test:core:read:b")
    request_started.send(sender=None)
    try:
        assert backend.get("test:core:read:a") == 1
        assert backend.get("test:core:read:a") == 1
        assert backend.get("test:core:read:b", "none") == "none"
        assert backend.get_many(["test:core:read:a", "test:core:read:b"]) == {
            "test:core:read:a": 1
        }
        assert backend.get_or_set("test:core:read:a", 5) == 1
    finally:
        request_finished.send(sender=None)
    assert len(round_trips) == 2  # a, then b; nothing asked twice


def test_prefetched_keys_are_one_round_trip_for_all_their_reads(
    round_trips: list[list[str]],
) -> None:
    backend = caches["default"]
    backend.set_many({"test:core:read:c": 3, "test:core:read:d": 4})
    backend.set("test:core:read:v", "two", version=2)
    request_started.send(sender=None)
    try:
        prefetch(
            [
                ("test:core:read:c", None),
                ("test:core:read:d", None),
                ("test:core:read:v", 2),
                ("test:core:read:e", None),
            ]
        )
        assert backend.get("test:core:read:d") == 4
        assert backend.get_many(["test:core:read:c", "test:core:read:e"]) == {
            "test:core:read:c": 3
        }
        assert backend.get("test:core:read:v", version=2) == "two"
        assert backend.get("test:core:read:v") is None  # another version: asked
    finally:
        request_finished.send(sender=None)
    assert [len(trip) for trip in round_trips] == [4, 1]


def test_a_request_sees_its_own_writes_and_is_a_snapshot_of_other_processes() -> None:
    backend = caches["default"]
    backend.set("test:core:read:f", 1)
    request_started.send(sender=None)
    try:
        assert backend.get("test:core:read:f") == 1
        _in_another_process("test:core:read:f", 2)
        assert backend.get("test:core:read:f") == 1  # the request's moment
        backend.set("test:core:read:g", 1)  # its own write: forgets what it read
        assert backend.get("test:core:read:f") == 2
        backend.incr("test:core:read:f")
        assert backend.get("test:core:read:f") == 3
    finally:
        request_finished.send(sender=None)
    request_started.send(sender=None)
    try:
        _in_another_process("test:core:read:f", 4)
        assert backend.get("test:core:read:f") == 4  # the next request: fresh
    finally:
        request_finished.send(sender=None)


def test_outside_a_request_every_read_asks_the_shared_cache() -> None:
    backend = caches["default"]
    backend.set("test:core:read:h", 1)
    assert backend.get("test:core:read:h") == 1
    _in_another_process("test:core:read:h", 2)
    assert backend.get("test:core:read:h") == 2
    assert backend.get_many(["test:core:read:h"]) == {"test:core:read:h": 2}


def test_the_embedded_cache_reads_a_round_trip_with_one_select_per_shard(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`_get_made` answers as diskcache's own get does, key by key (a small value,
    a large one kept in a file, a missing key, an expired one), in one SELECT for
    each shard the keys fall in."""
    backend = caches["default"]
    if not isinstance(backend, SharedDiskCache):
        pytest.skip("the cache is Redis (REDIS_URL)")
    keys = [backend.make_key(f"test:core:select:{n}") for n in range(40)]
    values: dict[str, Any] = {key: {"n": n} for n, key in enumerate(keys[:30])}
    values[keys[0]] = "x" * 100_000  # stored in a file of its own
    for key, value in values.items():
        backend._cache.set(key, value)
    backend._cache.set(keys[30], "gone", expire=-1)
    selects: list[str] = []
    shard_class = type(backend._cache._shards[0])
    real = shard_class._sql

    def counted(shard: Any) -> Any:
        execute = real.fget(shard)

        def sql(statement: str, *args: Any) -> Any:
            selects.append(statement)
            return execute(statement, *args)

        return sql

    monkeypatch.setattr(shard_class, "_sql", property(counted))
    found = backend._get_made(keys)
    assert found == values
    shards = {backend._cache._hash(key) % backend._cache._count for key in keys}
    assert len(selects) == len(shards)


def _get(address: str, method: str = "GET") -> dict[str, str]:
    """request_started's WSGI environ for `method` of http://testserver<address>."""
    path, _, query = address.partition("?")
    return {"REQUEST_METHOD": method, "HTTP_HOST": "testserver",
            "PATH_INFO": path, "QUERY_STRING": query}  # fmt: skip


def _chain(backend: Any, first: str) -> Any:
    """Three reads, each named by the one before it (as a page's site, routing and
    fragments are): three round trips unless the keys were asked for at once."""
    second = backend.get(first)
    third = backend.get(second)
    return backend.get(third)


def test_an_address_asks_in_its_first_round_trip_for_all_its_last_reads(
    round_trips: list[list[str]],
) -> None:
    backend = caches["default"]
    backend.set_many({"test:core:chain:a": "test:core:chain:b",
                      "test:core:chain:b": "test:core:chain:c",
                      "test:core:chain:c": "end"})  # fmt: skip
    for _ in range(2):
        request_started.send(sender=None, environ=_get("/en/story/"))
        try:
            assert _chain(backend, "test:core:chain:a") == "end"
        finally:
            request_finished.send(sender=None)
    assert [len(trip) for trip in round_trips] == [1, 1, 1, 3]
    # Another address, a query of its own, a POST: each learns for itself.
    for environ in (_get("/en/other/"), _get("/en/story/?page=2"),
                    _get("/en/story/", "POST")):  # fmt: skip
        round_trips.clear()
        request_started.send(sender=None, environ=environ)
        try:
            assert _chain(backend, "test:core:chain:a") == "end"
        finally:
            request_finished.send(sender=None)
        assert len(round_trips) == 3, environ


def test_what_an_address_remembers_is_names_its_values_are_read_again(
    round_trips: list[list[str]],
) -> None:
    """Another process's change between two requests shows in the second; when its
    chain moved on, the new name costs the round trip it always did, and the next
    request remembers the names the second read."""
    backend = caches["default"]
    backend.set_many({"test:core:fresh:a": "test:core:fresh:b",
                      "test:core:fresh:b": "test:core:fresh:c",
                      "test:core:fresh:c": 1, "test:core:fresh:d": 2})  # fmt: skip
    request_started.send(sender=None, environ=_get("/en/fresh/"))
    try:
        assert _chain(backend, "test:core:fresh:a") == 1
    finally:
        request_finished.send(sender=None)
    _in_another_process("test:core:fresh:c", 10)
    _in_another_process("test:core:fresh:b", "test:core:fresh:d")
    round_trips.clear()
    request_started.send(sender=None, environ=_get("/en/fresh/"))
    try:
        assert _chain(backend, "test:core:fresh:a") == 2
        assert backend.get("test:core:fresh:c") == 10
    finally:
        request_finished.send(sender=None)
    assert [len(trip) for trip in round_trips] == [3, 1]  # a, b, c; then d
    # The third request's first round trip names the second's reads: d and c.
    round_trips.clear()
    request_started.send(sender=None, environ=_get("/en/fresh/"))
    try:
        backend.get("test:core:fresh:a")
    finally:
        request_finished.send(sender=None)
    assert sorted(round_trips[0]) == sorted(
        backend.make_key(f"test:core:fresh:{name}") for name in "abdc"
    )


def test_the_addresses_remembered_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from aqparat.core import cache as module

    monkeypatch.setattr(module, "_READ_SETS_ADDRESSES", 3)
    module._READ_SETS.clear()
    for number in range(5):
        request_started.send(sender=None, environ=_get(f"/en/bound/{number}/"))
        try:
            caches["default"].get("test:core:bound")
        finally:
            request_finished.send(sender=None)
    assert list(module._READ_SETS) == [
        f"testserver/en/bound/{number}/?" for number in (2, 3, 4)
    ]
