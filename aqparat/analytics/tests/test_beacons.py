"""A reader is counted once per article per half hour, bots never, without cookies."""

from __future__ import annotations

import io
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from aqparat.analytics import services, views
from aqparat.analytics.buffer import SqliteViewBuffer, get_view_buffer
from aqparat.analytics.models import (
    DailyPageViews,
    HourlyPageViews,
    PageViewCount,
    ViewFold,
)
from aqparat.analytics.selectors import beacons_dropped_total, page_views_total
from aqparat.analytics.services import beacon_record, views_fold
from aqparat.analytics.tests.conftest import READER
from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import (
    ArticlePageFactory,
    editions_build,
    newsroom_build,
    story_build,
)

pytestmark = pytest.mark.django_db

BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "TelegramBot (like TwitterBot)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/124.0",
    "",
]


@pytest.fixture
def article() -> ArticlePage:
    newsroom = newsroom_build()
    return ArticlePageFactory(parent=newsroom.section)


def count(page: ArticlePage, *, ip: str = "203.0.113.7", ua: str = READER,
          at: float | None = None) -> str:  # fmt: skip
    return beacon_record(page_id=page.pk, ip=ip, user_agent=ua, now=at)


def test_a_reader_counts_once_per_half_hour(article: ArticlePage) -> None:
    start = time.time()
    assert count(article, at=start) == "counted"
    assert count(article, at=start + 60) == "repeat"
    assert count(article, at=start + 29 * 60) == "repeat"
    assert count(article, at=start + 31 * 60) == "counted"
    assert count(article, ip="198.51.100.1", at=start + 61) == "counted"  # another
    views_fold()
    assert page_views_total(page_id=article.pk) == 3


@pytest.mark.parametrize("agent", BOTS)
def test_bots_crawlers_and_libraries_are_not_counted(
    article: ArticlePage, agent: str
) -> None:
    assert count(article, ua=agent) == "bot"
    views_fold()
    assert page_views_total(page_id=article.pk) == 0


def test_one_client_is_rate_limited(article: ArticlePage) -> None:
    others = ArticlePageFactory.create_batch(3, parent=article.get_parent())
    with override_settings(AQPARAT_BEACONS_PER_MINUTE=3):
        outcomes = [count(page) for page in [article, *others]]
    assert outcomes == ["counted", "counted", "counted", "limited"]


def test_no_address_is_stored_and_the_salt_is_random_per_day(
    article: ArticlePage,
) -> None:
    buffer = get_view_buffer()
    count(article, ip="203.0.113.99")
    today = timezone.localdate().isoformat()
    salt = buffer.salt(today)
    assert len(salt) == 32 and salt == buffer.salt(today)
    assert buffer.salt("2031-01-01") != salt
    path = getattr(buffer, "path", None)
    if path is not None:  # the SQLite buffer: look at every byte on disk
        for file in path.parent.glob(path.name + "*"):
            assert b"203.0.113.99" not in file.read_bytes()
    else:
        keys = b" ".join(buffer._redis.keys("aqparat:views:*"))  # type: ignore[attr-defined]
        assert b"203.0.113.99" not in keys


def test_a_repeat_on_the_next_day_counts_again(article: ArticlePage) -> None:
    today = time.time()
    assert count(article, at=today) == "counted"
    assert count(article, at=today + 86400) == "counted"


def test_the_endpoint_answers_204_without_cookies_and_counts(
    article: ArticlePage,
) -> None:
    client = Client(HTTP_USER_AGENT=READER)
    response = client.post(reverse("view_beacon"), f"p={article.pk}",
                           content_type="text/plain;charset=UTF-8")  # fmt: skip
    assert response.status_code == 204
    assert not response.cookies and "Cookie" not in response.get("Vary", "")
    assert response["Cache-Control"] == "no-store"
    pixel = client.get(
        reverse("view_pixel", args=(article.pk,)), REMOTE_ADDR="10.0.0.2"
    )
    assert pixel["Content-Type"] == "image/gif" and pixel.content.startswith(b"GIF89a")
    for junk in ("p=abc", "p=", "p=" + "9" * 40, "<script>"):
        assert client.post(reverse("view_beacon"), junk,
                           content_type="text/plain").status_code == 204  # fmt: skip
    assert client.get(reverse("view_beacon")).status_code == 405
    views_fold()
    assert page_views_total(page_id=article.pk) == 2


def test_the_id_in_the_address_counts_and_wins_over_a_body(
    article: ArticlePage,
) -> None:
    """beacon.js sends the id in the address, which the shipped front cache logs
    when it answers beacons itself; pages cached earlier send it as the body."""
    url = f"{reverse('view_beacon')}?p={article.pk}"
    client = Client(HTTP_USER_AGENT=READER)
    assert client.post(url, REMOTE_ADDR="10.0.0.7").status_code == 204
    other = ArticlePageFactory(parent=article.get_parent())
    client.post(url, f"p={other.pk}", content_type="text/plain", REMOTE_ADDR="10.0.0.8")
    client.post(f"{reverse('view_beacon')}?p=abc", REMOTE_ADDR="10.0.0.9")
    views_fold()
    assert page_views_total(page_id=article.pk) == 2
    assert page_views_total(page_id=other.pk) == 0


def test_a_beacon_is_answered_before_the_page_stack(article: ArticlePage) -> None:
    """The beacon needs no session, locale, CSRF, auth, page cache or site lookup:
    it is answered right after the security middleware (analytics/middleware.py).
    The clickjacking middleware near the end of the stack marks everything that
    went through it; a beacon and its pixel must not have."""
    client = Client(HTTP_USER_AGENT=READER)
    page = client.get(article.url)
    assert page.status_code == 200 and "X-Frame-Options" in page  # the stack ran
    beacon = client.post(reverse("view_beacon"), f"p={article.pk}",
                         content_type="text/plain")  # fmt: skip
    pixel = client.get(
        reverse("view_pixel", args=(article.pk,)), REMOTE_ADDR="10.0.0.3"
    )
    for response in (beacon, pixel):
        assert response.status_code in (200, 204)
        assert "X-Frame-Options" not in response
        assert "X-Content-Type-Options" in response  # the security middleware ran
    views_fold()
    assert page_views_total(page_id=article.pk) == 2


def test_a_cached_page_still_counts(article: ArticlePage) -> None:
    """Rendering never counts; the beacon does, even when the page came from a cache
    (here: a 304 to a conditional GET, as a CDN revalidates)."""
    reader = Client(HTTP_USER_AGENT=READER)
    first = reader.get(article.url)
    html = first.content.decode()
    assert f'data-page="{article.pk}"' in html and "js/beacon" in html
    assert f'/v/{article.pk}.gif"' in html  # the <noscript> fallback
    since = http_date(time.time() + 60)
    assert reader.get(article.url, HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    views_fold()
    assert page_views_total(page_id=article.pk) == 0  # pages alone count nothing

    reader.post(reverse("view_beacon"), {"p": article.pk})
    views_fold()
    assert page_views_total(page_id=article.pk) == 1


def test_the_latin_edition_counts_for_its_kazakh_story() -> None:
    editions = editions_build()
    kazakh = story_build(editions, {"kk": "Алматы мен Пусан"})["kk"]
    latin = ArticlePage.objects.get(alias_of=kazakh)
    html = Client().get(latin.url).content.decode()
    assert f'data-page="{kazakh.pk}"' in html


def test_the_fold_keeps_hours_and_almaty_days(article: ArticlePage) -> None:
    # 23:30 Almaty on 16.11.2023 (UTC+6 then) and 00:30 the next day.
    late = datetime(2023, 11, 16, 17, 30, tzinfo=UTC).timestamp()
    count(article, at=late)
    count(article, ip="198.51.100.2", at=late + 3600)
    views_fold()
    days = sorted(DailyPageViews.objects.values_list("day", "views"))
    assert [(str(day), views) for day, views in days] == [
        ("2023-11-16", 1), ("2023-11-17", 1),
    ]  # fmt: skip
    assert HourlyPageViews.objects.count() == 0  # older than eight days: pruned


def test_a_failing_store_drops_the_view_visibly_and_never_breaks_a_page(
    article: ArticlePage, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = (
        {"REDIS_URL": "redis://127.0.0.1:9/0"}  # nothing listens on the discard port
        if get_view_buffer().__class__.__name__ == "RedisViewBuffer"
        else {"AQPARAT_VIEWS_BUFFER_PATH": tmp_path}  # a directory, not a file
    )
    reader = Client(HTTP_USER_AGENT=READER)
    with override_settings(**broken):
        assert reader.get(article.url).status_code == 200
        response = reader.post(reverse("view_beacon"), {"p": article.pk})
        assert response.status_code == 204
    # The store is back: the next view is counted and carries the drop with it.
    reader.post(reverse("view_beacon"), {"p": article.pk})
    views_fold()
    assert page_views_total(page_id=article.pk) == 1
    assert beacons_dropped_total() == 1
    assert ViewFold.objects.get().dropped == 1


def test_a_locked_sqlite_buffer_drops_fast_instead_of_making_readers_wait(
    article: ArticlePage, tmp_path: Any
) -> None:
    buffer = SqliteViewBuffer(tmp_path / "views.sqlite3", timeout=0.1)
    buffer.clear()
    holder = sqlite3.connect(tmp_path / "views.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    started = time.monotonic()
    outcome = beacon_record(page_id=article.pk, ip="203.0.113.5", user_agent=READER,
                            buffer=buffer)  # fmt: skip
    assert outcome == "dropped" and time.monotonic() - started < 1
    holder.execute("ROLLBACK")
    assert beacon_record(page_id=article.pk, ip="203.0.113.6", user_agent=READER,
                         buffer=buffer) == "counted"  # fmt: skip
    views_fold(buffer=buffer)
    assert page_views_total(page_id=article.pk) == 1
    assert beacons_dropped_total() == 1


def test_hourly_rows_older_than_eight_days_are_pruned(article: ArticlePage) -> None:
    old = timezone.now() - timedelta(days=9)
    HourlyPageViews.objects.create(page=article, language="en", hour=old, views=5)
    views_fold()
    assert not HourlyPageViews.objects.exists()


def test_only_the_proxys_own_entry_of_x_forwarded_for_is_trusted(
    article: ArticlePage,
) -> None:
    client = Client(HTTP_USER_AGENT=READER)
    with override_settings(AQPARAT_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR"):
        for claimed in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):  # spoofed by the client
            client.post(reverse("view_beacon"), {"p": article.pk},
                        HTTP_X_FORWARDED_FOR=f"{claimed}, 198.51.100.9")  # fmt: skip
    views_fold()
    assert page_views_total(page_id=article.pk) == 1  # one reader, seen by the proxy


def test_crawler_detection_reads_a_bounded_user_agent(article: ArticlePage) -> None:
    """Crawler-Detect's patterns take time quadratic in an unbroken word: one
    ordinary-looking 8,000-character header cost a worker 7 s. What they read is
    capped and normalised first (analytics.services.user_agent_bounded)."""
    real = services._crawlers.isCrawler
    seen: list[str] = []

    def recorded(user_agent: str) -> bool:
        seen.append(user_agent)
        return bool(real(user_agent))

    hostile = [
        "Mozilla/5.0 " + "a" * 8000,
        "Mozilla/5.0 " + "ab " * 2700,
        "Mozilla/5.0\t\n" + "(KHTML, like Gecko) " * 400,
    ]
    with mock.patch.object(services._crawlers, "isCrawler", recorded):
        for user_agent in hostile:
            response = Client(HTTP_USER_AGENT=user_agent).post(
                f"{reverse('view_beacon')}?p={article.pk}"
            )
            assert response.status_code == 204
        assert count(article, ua="Googlebot/2.1 " + "x" * 9000) == "bot"
    assert len(seen) == len(hostile) + 1
    assert max(len(user_agent) for user_agent in seen) <= 512
    assert all(len(word) <= 64 for agent in seen for word in agent.split(" "))


def test_a_body_longer_than_an_id_is_refused_before_it_is_read(
    article: ArticlePage,
) -> None:
    reads: list[int] = []

    class Recorded(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            reads.append(-1 if size is None else size)
            return super().read(size)

    request = RequestFactory().post(
        reverse("view_beacon"), "p=" + "1" * 5_000_000, content_type="text/plain"
    )
    request._stream = Recorded(b"p=1")
    assert views.beacon(request).status_code == 413
    assert reads == []
    small = RequestFactory().post(
        reverse("view_beacon"), f"p={article.pk}", content_type="text/plain",
        HTTP_USER_AGENT=READER,
    )  # fmt: skip
    assert views.beacon(small).status_code == 204
    views_fold()
    assert page_views_total(page_id=article.pk) == 1


@pytest.mark.parametrize("raw", ["²", "١٢", "1²", "１２", "+12", " 12", "0x1f"])
def test_only_ascii_digits_are_an_id(article: ArticlePage, raw: str) -> None:
    """str.isdigit() says yes to "²" (int() then raised: a 500) and to other
    scripts' digits (which int() reads as another page's id)."""
    client = Client(HTTP_USER_AGENT=READER)
    url = reverse("view_beacon")
    assert client.post(url, f"p={raw}", content_type="text/plain").status_code == 204
    assert client.post(url, {"p": raw}).status_code == 204
    assert client.post(f"{url}?{urlencode({'p': raw})}").status_code == 204
    views_fold()
    assert not PageViewCount.objects.exists()


def test_an_ipv6_client_is_its_slash_64(article: ArticlePage) -> None:
    """A device picks any address in its /64 and can change it at will: one client
    for de-duplication and the rate limit, whatever address it shows."""
    assert count(article, ip="2001:db8:1:2::1") == "counted"
    assert count(article, ip="2001:db8:1:2:ffff:aaaa:bbbb:cccc") == "repeat"
    assert count(article, ip="2001:db8:1:3::1") == "counted"  # another subscriber
    others = ArticlePageFactory.create_batch(3, parent=article.get_parent())
    with override_settings(AQPARAT_BEACONS_PER_MINUTE=3):
        outcomes = [
            count(page, ip=f"2001:db8:9:9::{number + 1:x}")
            for number, page in enumerate([article, *others])
        ]
    assert outcomes == ["counted", "counted", "counted", "limited"]
    assert count(article, ip="::ffff:203.0.113.7") == "counted"
    assert count(article, ip="203.0.113.7") == "repeat"  # the same IPv4 client


def test_the_rate_limit_comes_before_crawler_detection(article: ArticlePage) -> None:
    """Crawler detection costs up to a few milliseconds a header: a client over its
    limit gets none of it, whatever it sends (each header different, so no memo
    could help)."""
    calls: list[str] = []
    real = services._crawlers.isCrawler

    def recorded(user_agent: str) -> bool:
        calls.append(user_agent)
        return bool(real(user_agent))

    with (
        override_settings(AQPARAT_BEACONS_PER_MINUTE=5),
        mock.patch.object(services._crawlers, "isCrawler", recorded),
    ):
        outcomes = [
            count(
                article,
                ua=f"Mozilla/5.0 {'w' * 60 + str(n)} " * 8,
                at=1e9 // 60 * 60 + n,
            )
            for n in range(50)
        ]
    assert outcomes.count("limited") == 45
    assert len(calls) == 5


def test_rotating_the_user_agent_does_not_multiply_views(article: ArticlePage) -> None:
    """One client (an address, an IPv6 /64) counts as at most a handful of readers
    of one story per repeat window, however many browsers it claims to be."""
    start = time.time()
    with override_settings(AQPARAT_VIEWS_PER_CLIENT_AND_PAGE=8):
        outcomes = [
            count(article, ua=f"{READER} Build/{n}", at=start + n) for n in range(40)
        ]
        assert outcomes.count("counted") == 8
        assert outcomes.count("crowd") == 32
        # Another client, another story, the next window: each counts again.
        assert count(article, ip="198.51.100.9", at=start + 41) == "counted"
        other = ArticlePageFactory(parent=article.get_parent())
        assert count(other, ua=f"{READER} Build/99", at=start + 42) == "counted"
        later = start + settings.AQPARAT_VIEWS_REPEAT_SECONDS + 60
        assert count(article, ua=f"{READER} Build/100", at=later) == "counted"
    views_fold()
    assert page_views_total(page_id=article.pk) == 10
