"""A generated newsroom for the most-read benchmark: N articles, M views.

Run inside a configured Django process (bench/beacons.py does). Articles are cloned
from a demo article with bulk inserts, since creating 100 000 pages one by one
through Wagtail would take most of an hour and measure nothing we care about here.
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page

from aqparat.analytics.models import DailyPageViews, HourlyPageViews, PageViewCount
from aqparat.analytics.selectors import most_read
from aqparat.news.models import ArticlePage, SectionPage


def generate(*, articles: int, views: int) -> dict[str, int]:
    random.seed(2026)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    sections = {
        s.locale.language_code: s
        for s in SectionPage.objects.filter(
            alias_of=None, locale__language_code__in=("kk", "ru", "en")
        ).order_by("path")
    }
    template = ArticlePage.objects.filter(alias_of=None, live=True).first()
    if template is None:
        raise SystemExit("bench: load the demo newsroom first")
    with transaction.atomic():
        created: list[tuple[Page, str]] = []
        for language, section in sections.items():
            created += _clone(
                template, section, language, articles // len(sections), now
            )
        _article_rows(template, [page for page, _language in created])
        counts = _views(created, views, now)
    return {"articles": len(created), **counts}


def _clone(
    template: ArticlePage, section: SectionPage, language: str, count: int, now: Any
) -> list[tuple[Page, str]]:
    fields = [f for f in Page._meta.concrete_fields if f.column != "id"]
    pages = []
    for n in range(count):
        page = Page(**{f.attname: getattr(template, f.attname) for f in fields})
        page.path = Page._get_path(section.path, section.depth + 1, 1000 + n)
        page.depth, page.numchild = section.depth + 1, 0
        page.slug = f"bench-{language}-{n}"
        page.url_path = f"{section.url_path}{page.slug}/"
        page.title = page.draft_title = f"Generated story {n}"
        page.translation_key = uuid.uuid4()
        page.locale_id = section.locale_id
        page.latest_revision_id = page.live_revision_id = None
        page.first_published_at = now - timedelta(hours=n * 100 * 24 // count)
        pages.append(page)
    Page.objects.bulk_create(pages, batch_size=2000)
    saved = Page.objects.filter(
        path__startswith=section.path, slug__startswith="bench-"
    )
    return [(page, language) for page in saved.only("id", "first_published_at")]


def _article_rows(template: ArticlePage, pages: list[Page]) -> None:
    """The article table's rows for the cloned pages (multi-table inheritance has no
    bulk_create in Django)."""
    fields = list(ArticlePage._meta.local_concrete_fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    values = [
        [
            page.pk if f.attname == "page_ptr_id"
            else f.get_db_prep_save(getattr(template, f.attname), connection)
            for f in fields
        ]
        for page in pages
    ]  # fmt: skip
    table = ArticlePage._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
            values,
        )


def _views(created: list[tuple[Page, str]], views: int, now: Any) -> dict[str, int]:
    """Zipf-like popularity; a story is read over its first five days."""
    weights = [1 / (rank + 10) for rank in range(len(created))]
    random.shuffle(weights)
    scale = views / sum(weights)
    daily, hourly, totals = [], [], []
    for (page, language), weight in zip(created, weights, strict=True):
        total = max(1, int(weight * scale))
        totals.append(PageViewCount(page_id=page.pk, views=total))
        left = total
        for day in range(5):
            share = left if day == 4 else total * (5 - day) // 15
            left -= share
            moment = page.first_published_at + timedelta(days=day)
            if moment > now:
                break
            on = timezone.localdate(moment)
            daily.append(
                DailyPageViews(page_id=page.pk, language=language, day=on, views=share)
            )
            if now - moment < timedelta(days=8):
                start = moment.replace(minute=0, second=0, microsecond=0)
                for hour in range(0, 24, 3):
                    at = start + timedelta(hours=hour)
                    if at <= now:
                        hourly.append(HourlyPageViews(
                            page_id=page.pk, language=language, hour=at,
                            views=max(1, share // 8),
                        ))  # fmt: skip
    PageViewCount.objects.bulk_create(totals, batch_size=5000)
    DailyPageViews.objects.bulk_create(daily, batch_size=5000)
    HourlyPageViews.objects.bulk_create(hourly, batch_size=5000, ignore_conflicts=True)
    return {
        "views": sum(t.views for t in totals),
        "daily_rows": len(daily),
        "hourly_rows": len(hourly),
    }


def time_most_read(runs: int = 7) -> dict[str, float]:
    """Median milliseconds of the uncached most-read selector, per period."""
    result = {}
    for period in ("24h", "7d"):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            rows = most_read(language="en", period=period, now=timezone.now())
            times.append((time.perf_counter() - started) * 1000)
        if len(rows) != 5:
            raise SystemExit(f"bench: most read returned {rows}")
        result[period] = round(statistics.median(times), 1)
    return result
