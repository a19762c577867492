"""The front page editors choose: each edition's main story and the stories pinned
under it (`FrontPageStory` rows of its HomePage), before the newest.

A chosen story shows while it is visible to the public (live, not embargoed, not
expired: the listing's own rules) and until its time; then the newest take its
place. A choice takes effect when the home page is published (which retires the
pages that list stories); a choice's time running out moves nothing in the
database, so `front_page_expiries_retire` (every minute, news/tasks.py) retires
those pages when it passes, and the front cache is purged with them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import F, QuerySet
from django.utils import timezone

from aqparat.core.pagecache import CONTENT, retire
from aqparat.news.models import ArticlePage, FrontPageStory, HomePage

_CHECKED_KEY = "news:front-page:v1:checked-at"


def front_page_chosen(
    *, home: HomePage, listing: QuerySet[ArticlePage], now: datetime | None = None
) -> list[ArticlePage]:
    """The stories editors chose for `home`'s front page, in their order, as rows
    of `listing` (the home's public articles for cards): those visible now and
    before their time. The Latin edition's home carries the Cyrillic home's choices
    (Wagtail copies them to the alias): each is shown as its Latin alias."""
    now = now or timezone.now()
    chosen = [
        story_id
        for story_id, until in home.front_page_rows
        if until is None or until > now
    ]
    if not chosen:
        return []
    if home.alias_of_id is not None:  # the Latin edition: the stories' aliases
        rows = listing.filter(alias_of_id__in=chosen).annotate(chosen=F("alias_of_id"))
    else:
        rows = listing.filter(pk__in=chosen).annotate(chosen=F("pk"))
    found = {article.chosen: article for article in rows}
    return [found[story_id] for story_id in dict.fromkeys(chosen) if story_id in found]


def front_page_expiries_retire(*, now: datetime | None = None) -> bool:
    """Retire the pages that list stories when a front-page choice's time has
    passed since the last check (the first check looks back one day). True when
    one had."""
    now = now or timezone.now()
    checked = cache.get(_CHECKED_KEY)
    since = checked if isinstance(checked, datetime) else now - timedelta(days=1)
    passed = FrontPageStory.objects.filter(until__gt=since, until__lte=now).exists()
    cache.set(_CHECKED_KEY, now, None)
    if passed:
        retire(CONTENT)
    return passed
