"""What the editors' dashboard shows: the newsroom's day at a glance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from wagtail.models import Page, Revision

from aqparat.newsroom.services import overdue_since


@dataclass(frozen=True)
class DueItem:
    page: Page
    due_at: datetime
    embargoed: bool = False


@dataclass(frozen=True)
class RatesFreshness:
    newest_date: date | None
    fetched_at: datetime | None
    stale: bool


@dataclass
class NewsroomDay:
    overdue: list[DueItem] = field(default_factory=list)
    overdue_expiry: list[DueItem] = field(default_factory=list)
    scheduled_today: list[DueItem] = field(default_factory=list)
    embargoed: list[DueItem] = field(default_factory=list)
    stale_translations: int = 0
    missing_translations: int = 0  # recent stories lacking an edition's version
    rates: RatesFreshness | None = None


def newsroom_day(*, now: datetime | None = None, limit: int = 20) -> NewsroomDay:
    """The dashboard's lists, a handful of queries whatever the newsroom's size."""
    from aqparat.news.models import ArticlePage

    now = now or timezone.now()
    late = overdue_since(now=now)
    almaty = ZoneInfo(settings.TIME_ZONE)  # the newsroom's day, whoever looks
    today = timezone.localdate(now, almaty)
    end_of_day = datetime.combine(today + timedelta(days=1), time.min, tzinfo=almaty)
    due = _due_revisions(until=end_of_day, limit=limit * 3)
    day = NewsroomDay()
    for revision in due:
        page = revision.content_object
        if not isinstance(page, Page):
            continue
        embargo = getattr(page, "embargo_until", None)  # an article's own field
        item = DueItem(page=page, due_at=revision.approved_go_live_at,
                       embargoed=bool(embargo and embargo > now))  # fmt: skip
        if revision.approved_go_live_at < late:
            day.overdue.append(item)
        elif revision.approved_go_live_at >= now:
            day.scheduled_today.append(item)
    day.overdue_expiry = [
        DueItem(page=page, due_at=page.expire_at)
        for page in Page.objects.filter(live=True, expire_at__lt=late).order_by(
            "expire_at"
        )[:limit]
    ]
    day.embargoed = [
        DueItem(page=page, due_at=page.embargo_until, embargoed=True)
        for page in ArticlePage.objects.filter(embargo_until__gt=now)
        .select_related("locale")
        .order_by("embargo_until")[:limit]
    ]
    day.stale_translations = _stale_translation_count()
    day.missing_translations = _missing_translation_count(now=now)
    day.rates = rates_freshness(today=today)
    day.overdue = day.overdue[:limit]
    day.scheduled_today = day.scheduled_today[:limit]
    return day


def _due_revisions(*, until: datetime, limit: int) -> list[Revision]:
    return list(
        Revision.page_revisions.filter(approved_go_live_at__lt=until)
        .defer("content")
        .select_related("content_type")
        .prefetch_related("content_object")
        .order_by("approved_go_live_at")[:limit]
    )


def _stale_translation_count() -> int:
    from aqparat.news.selectors import translation_status_list

    return sum(
        1
        for row in translation_status_list(limit=100)
        for cell in row.cells
        if cell.stale
    )


RECENT_STORIES = timedelta(days=7)  # what the dashboard calls a recent story


def _missing_translation_count(*, now: datetime) -> int:
    from aqparat.news.selectors import translation_gap_count

    return translation_gap_count(since=now - RECENT_STORIES)


def rates_freshness(*, today: date) -> RatesFreshness:
    from aqparat.rates.models import ExchangeRate
    from aqparat.rates.services import rates_are_stale

    newest = ExchangeRate.objects.aggregate(
        on_date=Max("on_date"), fetched_at=Max("fetched_at")
    )
    return RatesFreshness(
        newest_date=newest["on_date"],
        fetched_at=newest["fetched_at"],
        stale=rates_are_stale(today=today),
    )


def dashboard_visible(user: Any) -> bool:
    """Editors' lists are for those who can publish somewhere."""
    from wagtail.permissions import page_permission_policy

    return bool(page_permission_policy.user_has_permission(user, "publish"))
