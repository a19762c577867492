"""Reads of audience figures: totals, most read, trending, editors' tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page

from aqparat.analytics.models import (
    DailyPageViews,
    HourlyPageViews,
    PageViewCount,
    ViewFold,
)
from aqparat.core.prepared import PreparedQuery
from aqparat.core.restrictions import pages_public

MOST_READ_SECONDS = 60
PERIODS = {"24h": timedelta(hours=24), "7d": timedelta(days=7)}


def page_views_total(*, page_id: int) -> int:
    """The stored view total of one page; 0 before its first counted view. Every
    article view asks it: compiled once a process (core/prepared.py)."""
    rows = _VIEWS_TOTAL.rows(page_id)
    return int(rows[0][0]) if rows else 0


# The attribute of a page found by core.routing that holds its stored view total.
VIEWS_SHOWN = "aqparat_views_shown"


def views_shown(model: type[Page]) -> Subquery | None:
    """The stored view total of a page of `model` as a subquery of its own query
    (core.routing.page_value): one query fewer per article view. An alias (the
    Latin edition) counts its source's views, as `view_count` says."""
    if not getattr(model, "shows_views", False):
        return None
    views = PageViewCount.objects.filter(
        page_id=Coalesce(OuterRef("alias_of_id"), OuterRef("pk"))
    ).values("views")[:1]
    return Subquery(views)


_VIEWS_TOTAL = PreparedQuery(
    PageViewCount,
    lambda page_id: PageViewCount.objects.filter(page_id=page_id).values_list("views")[
        :1
    ],
)


@dataclass(frozen=True)
class MostRead:
    page_id: int
    title: str
    url: str
    views: int


def most_read(
    *, language: str, period: str = "24h", limit: int = 5, now: datetime | None = None
) -> list[MostRead]:
    """The edition's most read live articles over the last 24 hours or 7 days.

    Cached for a minute, as the fold runs every minute. The Latin edition shows the
    Kazakh ranking (its views are the Kazakh story's) with its own links.
    """
    key = f"analytics:most-read:{language}:{period}:{limit}"
    if now is None and (cached := cache.get(key)) is not None:
        return list(cached)
    result = _most_read(language=language, period=period, limit=limit,
                        now=now or timezone.now())  # fmt: skip
    if now is None:
        cache.set(key, result, MOST_READ_SECONDS)
    return result


def _most_read(
    *, language: str, period: str, limit: int, now: datetime
) -> list[MostRead]:
    from aqparat.news.models import ArticlePage
    from aqparat.news.selectors import page_filter_visible

    latin = language == settings.LATIN_EDITION_LANGUAGE
    counted = "kk" if latin else language
    since = now - PERIODS[period]
    rows: QuerySet[Any]
    if period == "24h":
        rows = HourlyPageViews.objects.filter(language=counted, hour__gt=since)
    else:
        rows = DailyPageViews.objects.filter(
            language=counted, day__gt=timezone.localdate(since)
        )
    # Ranked among public stories only (the feeds' rule): pages since unpublished,
    # made private or embargoed, however many views they hold, cannot push the
    # public ones out of the list. A few spare candidates for the Latin edition,
    # whose aliases follow their source a moment later.
    public = page_filter_visible(ArticlePage.objects.all(), now=now).values("pk")
    top = list(
        rows.filter(page_id__in=public)
        .values("page_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "page_id")
        .values_list("page_id", "total")[: limit * 3]
    )
    ids = [page_id for page_id, _total in top]
    pages = pages_public(ArticlePage.objects.live())
    if latin:
        found = {p.alias_of_id: p for p in pages.filter(alias_of_id__in=ids)}
    else:
        found = {p.pk: p for p in pages.filter(pk__in=ids)}
    return [
        MostRead(
            page_id=page_id,
            title=found[page_id].title,
            url=found[page_id].get_url() or "",
            views=total,
        )
        for page_id, total in top
        if page_id in found
    ][:limit]


@dataclass(frozen=True)
class Trending:
    page_id: int
    title: str
    recent: int  # views in the last `hours`
    usual_per_hour: float  # over the week before
    ratio: float


def trending(
    *, language: str, hours: int = 3, limit: int = 10, minimum: int = 10,
    now: datetime | None = None,
) -> list[Trending]:  # fmt: skip
    """Articles read far more in the last hours than their usual hourly rate."""
    from aqparat.news.models import ArticlePage

    now = now or timezone.now()
    recent_since = now - timedelta(hours=hours)
    week_since = recent_since - timedelta(days=7)
    rows = (
        HourlyPageViews.objects.filter(language=language, hour__gt=week_since)
        .values("page_id")
        .annotate(
            recent=Sum("views", filter=Q(hour__gt=recent_since), default=0),
            before=Sum("views", filter=Q(hour__lte=recent_since), default=0),
        )
        .filter(recent__gte=minimum)
    )
    titles = dict(
        ArticlePage.objects.filter(pk__in=[r["page_id"] for r in rows]).values_list(
            "pk", "title"
        )
    )
    found = []
    for row in rows:
        usual = row["before"] / (7 * 24)
        ratio = (row["recent"] / hours) / max(usual, 1 / 24)
        title = titles.get(row["page_id"], "?")
        found.append(
            Trending(
                row["page_id"], title, row["recent"], round(usual, 2), round(ratio, 1)
            )
        )
    return sorted(found, key=lambda t: -t.ratio)[:limit]


@dataclass(frozen=True)
class TopArticle:
    page_id: int
    title: str
    language: str
    section: str
    views: int


def top_articles(
    *, start: date, end: date, language: str = "", section_id: int | None = None,
    limit: int = 100,
) -> list[TopArticle]:  # fmt: skip
    """Editors' table: views per article between two Almaty days, inclusive."""
    from wagtail.models import Page

    from aqparat.news.models import ArticlePage

    rows = DailyPageViews.objects.filter(day__gte=start, day__lte=end)
    if language:
        rows = rows.filter(language=language)
    if section_id:
        section = Page.objects.filter(pk=section_id).first()
        if section is None:
            return []
        rows = rows.filter(page__path__startswith=section.path)
    top = list(
        rows.values("page_id", "language")
        .annotate(total=Sum("views"))
        .order_by("-total", "page_id")[:limit]
    )
    pages = {
        p.pk: p for p in ArticlePage.objects.filter(pk__in=[r["page_id"] for r in top])
    }
    sections = dict(
        Page.objects.filter(
            path__in={p.path[: -Page.steplen] for p in pages.values()}
        ).values_list("path", "title")
    )
    return [
        TopArticle(
            page_id=row["page_id"],
            title=pages[row["page_id"]].title if row["page_id"] in pages else "?",
            language=row["language"],
            section=sections.get(pages[row["page_id"]].path[: -Page.steplen], "")
            if row["page_id"] in pages
            else "",
            views=row["total"],
        )
        for row in top
    ]


@dataclass(frozen=True)
class DayViews:
    day: date
    views: int


def article_daily_views(*, page_id: int, start: date, end: date) -> list[DayViews]:
    """Every day of the period, zero where nobody read it."""
    counted = dict(
        DailyPageViews.objects.filter(
            page_id=page_id, day__gte=start, day__lte=end
        ).values_list("day", "views")
    )
    days = (end - start).days + 1
    return [
        DayViews(day, counted.get(day, 0))
        for day in (start + timedelta(n) for n in range(max(days, 0)))
    ]


def beacons_dropped_total() -> int:
    """Views dropped because the counter store failed, as folded so far."""
    return int(ViewFold.objects.aggregate(n=Sum("dropped", default=0))["n"])


CHART_WIDTH, CHART_HEIGHT = 600, 160


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: date
    views: int


def daily_bars(days: list[DayViews]) -> list[Bar]:
    """An SVG bar per day in a CHART_WIDTH x CHART_HEIGHT box."""
    if not days:
        return []
    peak = max(d.views for d in days) or 1
    step = CHART_WIDTH / len(days)
    return [
        Bar(
            x=round(n * step + step * 0.1, 1),
            y=round(CHART_HEIGHT - CHART_HEIGHT * d.views / peak, 1),
            width=round(step * 0.8, 1),
            height=round(CHART_HEIGHT * d.views / peak, 1),
            day=d.day,
            views=d.views,
        )
        for n, d in enumerate(days)
    ]
