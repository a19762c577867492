"""Writes of audience figures: counting a beacon, folding buffered views in."""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from aqparat.analytics.buffer import (
    Batch,
    BufferUnavailable,
    SqliteViewBuffer,
    View,
    ViewBuffer,
    get_view_buffer,
)
from aqparat.analytics.models import (
    DailyPageViews,
    HourlyPageViews,
    PageViewCount,
    ViewFold,
)

logger = logging.getLogger("aqparat.analytics")
ALMATY = ZoneInfo("Asia/Almaty")
HOURLY_KEPT = timedelta(days=8)
# Crawler-Detect's maintained list of bots, crawlers and HTTP libraries (thousands of
# patterns, updated upstream), rather than a regex of our own.
_crawlers = CrawlerDetect()
_state = threading.Lock()
_salts: dict[str, str] = {}
_dropped = {"pending": 0}  # beacons this process could not store, not yet reported


def page_views_set(*, page_id: int, views: int) -> None:
    """Set a page's stored total, e.g. when importing figures from an old site."""
    PageViewCount.objects.update_or_create(page_id=page_id, defaults={"views": views})


# What crawler detection sees of a User-Agent. Its patterns take time quadratic in
# an unbroken run of characters: 7 s for one 8,000-character word (gunicorn takes
# headers of 8 KB), 1.5 ms here at worst. Real browsers' agents are words of a few
# dozen characters, under 300 in all.
USER_AGENT_CHARS = 512
USER_AGENT_WORD_CHARS = 64


def user_agent_bounded(user_agent: str) -> str:
    """A User-Agent as classified and keyed: whitespace runs as one space, each
    word at most 64 characters, 512 in all (read from the first 1,024 only)."""
    words = user_agent[: 2 * USER_AGENT_CHARS].split()
    return " ".join(word[:USER_AGENT_WORD_CHARS] for word in words)[:USER_AGENT_CHARS]


def is_bot(user_agent: str) -> bool:
    user_agent = user_agent_bounded(user_agent)
    return not user_agent or bool(_crawlers.isCrawler(user_agent))


def beacon_record(
    *, page_id: int, ip: str, user_agent: str, now: float | None = None,
    buffer: ViewBuffer | None = None,
) -> str:  # fmt: skip
    """Count one reader's view: "counted", "repeat", "limited", "crowd", "bot" or
    "dropped".

    The client's rate limit comes first, before any work on what it sent (crawler
    detection costs up to a few milliseconds a header): a client over its limit
    costs one short write, whatever its headers. The reader is a hash of the day's
    random salt, address and browser: no cookie, no address stored, and after two
    days not even the salt. Never raises: a store that fails drops the view and
    counts the drop.
    """
    with _state:
        dropped_before = _dropped["pending"]
    buffer = buffer or get_view_buffer()
    now = time.time() if now is None else now
    try:
        client = _client_key(buffer, ip, now)
        if not buffer.admit(
            client, now, limit_per_minute=settings.AQPARAT_BEACONS_PER_MINUTE
        ):
            return "limited"
        user_agent = user_agent_bounded(user_agent)
        if is_bot(user_agent):
            return "bot"
        view = reader_view(
            page_id=page_id, ip=ip, user_agent=user_agent, now=now, buffer=buffer
        )
        (outcome,) = buffer.record(
            [view],
            repeat_seconds=settings.AQPARAT_VIEWS_REPEAT_SECONDS,
            limit_per_minute=settings.AQPARAT_BEACONS_PER_MINUTE,
            dropped_before=dropped_before,
            crowd_limit=settings.AQPARAT_VIEWS_PER_CLIENT_AND_PAGE,
        )
    except BufferUnavailable as error:
        with _state:
            _dropped["pending"] += 1
        logger.warning("View dropped: %s", error)
        return "dropped"
    if outcome == "counted" and dropped_before:
        with _state:
            _dropped["pending"] -= dropped_before
    return outcome


def reader_view(
    *, page_id: int, ip: str, user_agent: str, now: float, buffer: ViewBuffer
) -> View:
    """The view of a reader who is not a bot, keyed for the buffer: the reader is a
    hash of the day's salt, the address and the browser (and the article)."""
    salt = _salt(buffer, datetime.fromtimestamp(now, ALMATY).date().isoformat())
    network = client_network(ip)
    reader = f"{salt}|{network}|{user_agent[:300]}"
    return View(
        page_id=page_id,
        hour=int(now // 3600 * 3600),
        visitor=_digest(f"{reader}|{page_id}"),
        client=_digest(f"{salt}|{network}"),
        now=now,
    )


def _client_key(buffer: ViewBuffer, ip: str, now: float) -> str:
    """The client as the rate limit knows it (as `View.client`)."""
    salt = _salt(buffer, datetime.fromtimestamp(now, ALMATY).date().isoformat())
    return _digest(f"{salt}|{client_network(ip)}")


def client_network(ip: str) -> str:
    """What one client is, for de-duplication and the rate limit: an IPv4 address,
    or an IPv6 client's /64 (one subscriber's prefix: a device picks any address
    in it, and changes it at will)."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip.strip()[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def reset_process_state() -> None:
    """Forget cached salts and drop counts (tests; a forked process)."""
    with _state:
        _salts.clear()
        _dropped.update(pending=0)


def _salt(buffer: ViewBuffer, day: str) -> str:
    with _state:
        if day in _salts:
            return _salts[day]
    value = buffer.salt(day)
    with _state:
        _salts.clear()
        _salts[day] = value
    return value


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class FoldResult:
    batches: int
    views: int
    skipped: int  # batches a crashed fold had already recorded
    logged: int = 0  # lines read from the front cache's beacon log


def views_fold(*, buffer: ViewBuffer | None = None) -> FoldResult:
    """Fold buffered views into per-hour, per-day and total counts.

    Idempotent: a batch's id is recorded with its counts in one transaction, and the
    batch is forgotten in the buffer only afterwards. Dying anywhere in between means
    the next fold either applies it (not recorded) or only forgets it (recorded).
    """
    buffer = buffer or get_view_buffer()
    logged = 0
    if settings.AQPARAT_BEACON_LOG:
        from aqparat.analytics.beacon_log import beacon_log_fold

        logged = beacon_log_fold(Path(settings.AQPARAT_BEACON_LOG), buffer=buffer).lines
    batches = views = skipped = 0
    for batch in buffer.batches():
        if ViewFold.objects.filter(batch_id=batch.batch_id).exists():
            skipped += 1
        else:
            views += _apply(batch)
            batches += 1
        buffer.done(batch)
    now = timezone.now()
    HourlyPageViews.objects.filter(hour__lt=now - HOURLY_KEPT).delete()
    if isinstance(buffer, SqliteViewBuffer):
        buffer.forget_seen(
            before=now.timestamp() - settings.AQPARAT_VIEWS_REPEAT_SECONDS
        )
    return FoldResult(batches=batches, views=views, skipped=skipped, logged=logged)


def _apply(batch: Batch) -> int:
    from aqparat.news.models import ArticlePage
    from aqparat.news.selectors import page_filter_visible

    ids = {page_id for page_id, _hour in batch.counts}
    # Only what the public may see (the feeds' rule): a beacon for a draft, an
    # embargoed, expired or private story, or no story at all, counts nothing.
    languages = dict(
        page_filter_visible(ArticlePage.objects.filter(pk__in=ids)).values_list(
            "pk", "locale__language_code"
        )
    )
    hourly: dict[tuple[int, datetime], int] = defaultdict(int)
    daily: dict[tuple[int, date], int] = defaultdict(int)
    totals: dict[int, int] = defaultdict(int)
    for (page_id, hour_ts), count in batch.counts.items():
        if page_id not in languages:
            continue  # a beacon for no public article: nothing to count
        hour = datetime.fromtimestamp(hour_ts, UTC)
        hourly[(page_id, hour)] += count
        daily[(page_id, hour.astimezone(ALMATY).date())] += count
        totals[page_id] += count
    with transaction.atomic():
        ViewFold.objects.create(
            batch_id=batch.batch_id, views=sum(totals.values()), dropped=batch.dropped
        )
        for (page_id, hour), count in hourly.items():
            _add(HourlyPageViews, {"page_id": page_id, "hour": hour}, count,
                 language=languages[page_id])  # fmt: skip
        for (page_id, day), count in daily.items():
            _add(DailyPageViews, {"page_id": page_id, "day": day}, count,
                 language=languages[page_id])  # fmt: skip
        for page_id, count in totals.items():
            _add(PageViewCount, {"page_id": page_id}, count)
    return sum(totals.values())


def _add(model: type[Model], key: dict[str, object], count: int, **extra: str) -> None:
    """views += count for the row at `key`, creating it when it is missing."""
    rows = model._default_manager.filter(**key)
    if not rows.update(views=F("views") + count):
        model._default_manager.create(**key, **extra, views=count)
