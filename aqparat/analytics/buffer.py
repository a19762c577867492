"""Where a counted view waits until the fold: Redis, or a local SQLite file.

A beacon must answer in a millisecond or two and must never make a reader's page
wait, so it never writes the main database. It writes here instead: first the
per-client admission count (`admit`, before any work on what the client sent), then
one atomic step that drops a repeat (the same visitor hash within the window), applies
the per-client rate limit, caps how many readers one client can be of one story in a
window (`crowd_limit`: rotating the User-Agent does not multiply views) and adds the
view to the pending batch. The fold (services.views_fold)
drains batches into the main database idempotently: each batch carries an id that
the fold records in the same transaction as the counts.

Written by hand rather than with a queue library because the three parts (dedupe,
limit, increment) must be one atomic step in each store, which none offers.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


class BufferUnavailable(Exception):
    """The store did not take the write (down, locked too long, full)."""


@dataclass
class Batch:
    """Views to fold: {(page_id, hour as epoch seconds): views}, and dropped beacons."""

    batch_id: str
    counts: dict[tuple[int, int], int] = field(default_factory=dict)
    dropped: int = 0


@dataclass(frozen=True)
class View:
    """One reader's view, keyed as the buffer dedupes and limits it."""

    page_id: int
    hour: int
    visitor: str
    client: str
    now: float


class ViewBuffer(Protocol):
    def admit(self, client: str, now: float, *, limit_per_minute: int) -> bool:
        """Whether a client is within its beacons for this minute (counting this
        one): one short write, so a client over the limit costs nothing more.
        Raises BufferUnavailable."""
        ...

    def record(
        self, views: Sequence[View], *, repeat_seconds: int, limit_per_minute: int,
        dropped_before: int = 0, crowd_limit: int = 0,
    ) -> list[str]:  # fmt: skip
        """Each view's outcome, "counted", "repeat", "limited" or "crowd" (the
        client already counted as `crowd_limit` readers of the story in this window;
        0: no cap), in one transaction or one script call; `dropped_before` (beacons
        this process could not store) travels with a stored view. Raises
        BufferUnavailable."""
        ...

    def salt(self, day: str) -> str:
        """The day's random salt, the same in every process; forgotten after 2 days."""
        ...

    def batches(self) -> Iterator[Batch]:
        """Batches waiting to be folded, oldest first (may include a crashed fold's)."""
        ...

    def done(self, batch: Batch) -> None:
        """Forget a batch the main database has recorded."""
        ...

    def clear(self) -> None: ...


# --- SQLite: the embedded default ---------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (visitor TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS pending (
    id INTEGER PRIMARY KEY AUTOINCREMENT, page_id INTEGER NOT NULL,
    hour INTEGER NOT NULL, views INTEGER NOT NULL, dropped INTEGER NOT NULL DEFAULT 0,
    batch TEXT
);
CREATE INDEX IF NOT EXISTS pending_batch ON pending (batch);
CREATE TABLE IF NOT EXISTS rate (client TEXT PRIMARY KEY, minute INTEGER, hits INTEGER);
CREATE TABLE IF NOT EXISTS admit (client TEXT PRIMARY KEY, minute INTEGER, hits INT);
CREATE TABLE IF NOT EXISTS crowd (
    client TEXT NOT NULL, page_id INTEGER NOT NULL, window INTEGER NOT NULL,
    hits INTEGER NOT NULL, PRIMARY KEY (client, page_id)
);
CREATE TABLE IF NOT EXISTS salt (day TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class SqliteViewBuffer:
    """A separate SQLite file (WAL), so beacons never lock the main database.

    A fold tags the untagged rows with a new batch id (one atomic UPDATE), folds
    each tagged batch under its id, then deletes its rows. A fold that died leaves
    tagged rows; the next one folds them, or only deletes them if the id is recorded.
    """

    def __init__(self, path: Path, *, timeout: float = 2.0) -> None:
        self.path = path
        self.timeout = timeout
        self._local = threading.local()

    def _db(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "db", None)
        if connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                self.path, timeout=self.timeout, isolation_level=None
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript(_SCHEMA)
            self._local.db = connection
        return connection

    def admit(self, client: str, now: float, *, limit_per_minute: int) -> bool:
        try:
            (hits,) = (
                self._db()
                .execute(
                    "INSERT INTO admit (client, minute, hits) VALUES (?, ?, 1) "
                    "ON CONFLICT (client) DO UPDATE SET hits = "
                    "CASE WHEN minute = excluded.minute THEN hits + 1 ELSE 1 END, "
                    "minute = excluded.minute RETURNING hits",
                    (client, int(now // 60)),
                )
                .fetchone()
            )
        except sqlite3.Error as error:
            raise BufferUnavailable(f"views buffer: {error}") from error
        return bool(hits <= limit_per_minute)

    def record(
        self, views: Sequence[View], *, repeat_seconds: int, limit_per_minute: int,
        dropped_before: int = 0, crowd_limit: int = 0,
    ) -> list[str]:  # fmt: skip
        try:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                outcomes = []
                counted: dict[tuple[int, int], int] = {}
                for view in views:
                    outcome = self._gate(db, view, repeat_seconds, limit_per_minute,
                                         crowd_limit)  # fmt: skip
                    if outcome == "counted":
                        key = (view.page_id, view.hour)
                        counted[key] = counted.get(key, 0) + 1
                    outcomes.append(outcome)
                # Drops travel with the first stored view (none stored: they wait).
                rows = [(page, hour, n, 0) for (page, hour), n in counted.items()]
                if rows:
                    rows[0] = (*rows[0][:3], dropped_before)
                db.executemany(
                    "INSERT INTO pending (page_id, hour, views, dropped) "
                    "VALUES (?, ?, ?, ?)",
                    rows,
                )
                db.execute("COMMIT")
                return outcomes
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            raise BufferUnavailable(f"views buffer: {error}") from error

    @staticmethod
    def _gate(
        db: sqlite3.Connection, view: View, repeat_seconds: int, limit: int,
        crowd_limit: int,
    ) -> str:  # fmt: skip
        """The per-client limit, the repeat window and the crowd cap: "limited",
        "repeat", "crowd" or "counted" (not yet added to the pending views)."""
        visitor, now, client = view.visitor, view.now, view.client
        minute = int(now // 60)
        (hits,) = db.execute(
            "INSERT INTO rate (client, minute, hits) VALUES (?, ?, 1) "
            "ON CONFLICT (client) DO UPDATE SET "
            "hits = CASE WHEN minute = excluded.minute THEN hits + 1 ELSE 1 END, "
            "minute = excluded.minute RETURNING hits",
            (client, minute),
        ).fetchone()
        if hits > limit:
            return "limited"
        fresh = db.execute(
            "INSERT INTO seen (visitor, at) VALUES (?, ?) ON CONFLICT (visitor) "
            "DO UPDATE SET at = excluded.at WHERE seen.at <= ?",
            (visitor, now, now - repeat_seconds),
        ).rowcount
        if not fresh:
            return "repeat"
        if crowd_limit:
            (readers,) = db.execute(
                "INSERT INTO crowd (client, page_id, window, hits) VALUES (?, ?, ?, 1) "
                "ON CONFLICT (client, page_id) DO UPDATE SET "
                "hits = CASE WHEN window = excluded.window THEN hits + 1 ELSE 1 END, "
                "window = excluded.window RETURNING hits",
                (client, view.page_id, int(now // repeat_seconds)),
            ).fetchone()
            if readers > crowd_limit:
                return "crowd"
        return "counted"

    def salt(self, day: str) -> str:
        try:
            db = self._db()
            db.execute(
                "INSERT OR IGNORE INTO salt (day, value) VALUES (?, ?)",
                (day, secrets.token_hex(16)),
            )
            db.execute("DELETE FROM salt WHERE day < date(?, '-2 days')", (day,))
            return str(
                db.execute("SELECT value FROM salt WHERE day = ?", (day,)).fetchone()[0]
            )
        except sqlite3.Error as error:
            raise BufferUnavailable(f"views buffer: {error}") from error

    def batches(self) -> Iterator[Batch]:
        db = self._db()
        db.execute(
            "UPDATE pending SET batch = ? WHERE batch IS NULL", (str(uuid.uuid4()),)
        )
        tags = [row[0] for row in db.execute("SELECT DISTINCT batch FROM pending")]
        for tag in tags:
            batch = Batch(batch_id=f"sqlite:{tag}")
            for page_id, hour, views, dropped in db.execute(
                "SELECT page_id, hour, sum(views), sum(dropped) FROM pending "
                "WHERE batch = ? GROUP BY page_id, hour",
                (tag,),
            ):
                if views:
                    batch.counts[(int(page_id), int(hour))] = int(views)
                batch.dropped += int(dropped)
            yield batch

    def done(self, batch: Batch) -> None:
        tag = batch.batch_id.split(":", 1)[1]
        self._db().execute("DELETE FROM pending WHERE batch = ?", (tag,))

    def forget_seen(self, *, before: float) -> None:
        """Readers seen before `before`, and rate windows over a minute old."""
        db = self._db()
        db.execute("DELETE FROM seen WHERE at < ?", (before,))
        minute = int(time.time() // 60) - 1
        db.execute("DELETE FROM rate WHERE minute < ?", (minute,))
        db.execute("DELETE FROM admit WHERE minute < ?", (minute,))
        # A crowd window is as long as the repeat window, which `before` is ago.
        window_seconds = max(int(time.time() - before), 1)
        db.execute(
            "DELETE FROM crowd WHERE window < ?", (int(before // window_seconds),)
        )

    def clear(self) -> None:
        """Forget everything (tests, or an operator starting over)."""
        self._db().executescript(
            "DELETE FROM seen; DELETE FROM pending; DELETE FROM rate; DELETE FROM salt;"
            "DELETE FROM admit; DELETE FROM crowd;"
        )


# --- Redis: several web servers ---------------------------------------------------

# Per view: the client's hits this minute (over the limit: "limited"), the reader's
# last view (within the window: "repeat"), the client's readers of the story in this
# window (over the cap: "crowd"), else one more view of the page's hour. Drops travel
# with a stored view. KEYS: pending, then each view's rate, seen and crowd keys;
# ARGV: limit, window, drops, crowd cap (0: none), then each view's field and time.
_RECORD_LUA = """
local limit, window, dropped = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local crowd_limit = tonumber(ARGV[4])
local out, stored = {}, false
for i = 1, (#KEYS - 1) / 3 do
  local rate, seen, crowd = KEYS[3 * i - 1], KEYS[3 * i], KEYS[3 * i + 1]
  local now = ARGV[2 * i + 4]
  local hits = redis.call('INCR', rate)
  if hits == 1 then redis.call('EXPIRE', rate, 61) end
  local last = redis.call('GET', seen)
  if hits > limit then
    out[i] = 'limited'
  elseif last and tonumber(now) - tonumber(last) < window then
    out[i] = 'repeat'
  else
    redis.call('SET', seen, now, 'EX', window)
    local readers = 0
    if crowd_limit > 0 then
      readers = redis.call('INCR', crowd)
      if readers == 1 then redis.call('EXPIRE', crowd, window + 60) end
    end
    if crowd_limit > 0 and readers > crowd_limit then
      out[i] = 'crowd'
    else
      redis.call('HINCRBY', KEYS[1], ARGV[2 * i + 3], 1)
      out[i] = 'counted'
      stored = true
    end
  end
end
if stored and dropped > 0 then redis.call('HINCRBY', KEYS[1], 'dropped', dropped) end
return out
"""
PREFIX = "aqparat:views:"


class RedisViewBuffer:
    """Dedupe, limit and increment in one Lua script (atomic in Redis).

    A fold renames the pending hash to `folding:<uuid>` (atomic: new beacons start a
    fresh hash), folds it under that id, then deletes it. A fold that died leaves its
    `folding:` key; the next one folds it, or only deletes it if its id is recorded.
    """

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(
            url, socket_timeout=1.0, socket_connect_timeout=1.0
        )
        self._record = self._redis.register_script(_RECORD_LUA)

    def admit(self, client: str, now: float, *, limit_per_minute: int) -> bool:
        import redis

        key = f"{PREFIX}admit:{client}:{int(now // 60)}"
        try:
            pipe = self._redis.pipeline(transaction=False)
            pipe.incr(key)
            pipe.expire(key, 61)
            hits, _ = pipe.execute()
        except redis.RedisError as error:
            raise BufferUnavailable(f"views buffer: {error}") from error
        return int(hits) <= limit_per_minute

    def record(
        self, views: Sequence[View], *, repeat_seconds: int, limit_per_minute: int,
        dropped_before: int = 0, crowd_limit: int = 0,
    ) -> list[str]:  # fmt: skip
        """One call of one script for all of them (atomic in Redis)."""
        import redis

        keys = [f"{PREFIX}pending"]
        args: list[str | int] = [
            limit_per_minute, repeat_seconds, dropped_before, crowd_limit
        ]  # fmt: skip
        for view in views:
            window = int(view.now // repeat_seconds)
            keys += [
                f"{PREFIX}rate:{view.client}:{int(view.now // 60)}",
                f"{PREFIX}seen:{view.visitor}",
                f"{PREFIX}crowd:{view.client}:{view.page_id}:{window}",
            ]
            args += [f"{view.page_id}:{view.hour}", repr(view.now)]
        try:
            outcomes = self._record(keys=keys, args=args)
        except redis.RedisError as error:
            raise BufferUnavailable(f"views buffer: {error}") from error
        return [o.decode() if isinstance(o, bytes) else str(o) for o in outcomes]

    def salt(self, day: str) -> str:
        import redis

        key = f"{PREFIX}salt:{day}"
        try:
            self._redis.set(key, secrets.token_hex(16), nx=True, ex=2 * 86400)
            value = self._redis.get(key)
        except redis.RedisError as error:
            raise BufferUnavailable(f"views buffer: {error}") from error
        return value.decode() if isinstance(value, bytes) else str(value)

    def batches(self) -> Iterator[Batch]:
        import redis

        try:
            self._redis.rename(f"{PREFIX}pending", f"{PREFIX}folding:{uuid.uuid4()}")
        except redis.ResponseError:
            pass  # nothing pending ("no such key")
        keys = sorted(self._redis.scan_iter(match=f"{PREFIX}folding:*", count=100))
        for key in keys:
            name = key.decode() if isinstance(key, bytes) else str(key)
            batch = Batch(batch_id=f"redis:{name.rsplit(':', 1)[1]}")
            for raw_field, raw_value in self._redis.hgetall(key).items():
                field_name = (
                    raw_field.decode() if isinstance(raw_field, bytes) else raw_field
                )
                if field_name == "dropped":
                    batch.dropped += int(raw_value)
                    continue
                page_id, hour = field_name.split(":")
                batch.counts[(int(page_id), int(hour))] = int(raw_value)
            yield batch

    def done(self, batch: Batch) -> None:
        self._redis.delete(f"{PREFIX}folding:{batch.batch_id.split(':', 1)[1]}")

    def clear(self) -> None:
        """Forget everything (tests, or an operator starting over)."""
        keys = list(self._redis.scan_iter(match=f"{PREFIX}*", count=500))
        if keys:
            self._redis.delete(*keys)


_buffers: dict[str, ViewBuffer] = {}


def forget_buffers() -> None:
    """Drop this process's connections (after a fork: each process opens its own)."""
    with _lock:
        _buffers.clear()


_lock = threading.Lock()


def get_view_buffer() -> ViewBuffer:
    """Redis when REDIS_URL is set, else the SQLite file; one per process."""
    from django.conf import settings

    key = settings.REDIS_URL or str(settings.AQPARAT_VIEWS_BUFFER_PATH)
    with _lock:
        if key not in _buffers:
            _buffers[key] = (
                RedisViewBuffer(settings.REDIS_URL)
                if settings.REDIS_URL
                else SqliteViewBuffer(Path(settings.AQPARAT_VIEWS_BUFFER_PATH))
            )
        return _buffers[key]
