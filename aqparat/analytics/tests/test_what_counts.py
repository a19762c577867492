"""Only what the public may see is counted or ranked (the feeds' visibility rule,
news.selectors.page_filter_visible): beacons for drafts, expired or private stories
count nothing, and such pages cannot push public stories out of "most read"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from aqparat.analytics.selectors import most_read, page_views_total
from aqparat.analytics.services import beacon_record, views_fold
from aqparat.analytics.tests.conftest import READER
from aqparat.analytics.tests.test_selectors import views
from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import Editions, editions_build, story_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def editions() -> Editions:
    return editions_build(("en",))


def non_public(editions: Editions) -> dict[str, ArticlePage]:
    """A draft, an expired and a private story, each once public."""
    pages = {
        name: story_build(editions, {"en": f"Story {name}"})["en"]
        for name in ("draft", "expired", "private")
    }
    pages["draft"].unpublish()
    ArticlePage.objects.filter(pk=pages["expired"].pk).update(
        expire_at=timezone.now() - timedelta(minutes=1)  # live until the pass runs
    )
    rule = PageViewRestriction.objects.create(
        page=pages["private"], restriction_type=PageViewRestriction.GROUPS
    )
    rule.groups.set([Group.objects.create(name="Desk only")])
    return pages


def test_beacons_for_stories_the_public_cannot_see_count_nothing(
    editions: Editions,
) -> None:
    hidden = non_public(editions)
    public = story_build(editions, {"en": "Public story"})["en"]
    for number, page in enumerate([*hidden.values(), public]):
        outcome = beacon_record(page_id=page.pk, ip=f"198.51.100.{number}",
                                user_agent=READER)  # fmt: skip
        assert outcome == "counted"  # accepted fast; judged when folded
    views_fold()
    assert page_views_total(page_id=public.pk) == 1
    for name, page in hidden.items():
        assert page_views_total(page_id=page.pk) == 0, name


def test_pages_the_public_cannot_see_do_not_empty_most_read(
    editions: Editions,
) -> None:
    hidden = non_public(editions)
    extra = [story_build(editions, {"en": f"Hidden {n}"})["en"] for n in range(3)]
    for page in extra:
        page.unpublish()
    for page in [*hidden.values(), *extra]:
        views(page, hours_ago=1, count=100_000)
    public = story_build(editions, {"en": "Public story"})["en"]
    views(public, hours_ago=1, count=3)
    ranked = most_read(language="en", limit=1, now=timezone.now())
    assert [item.page_id for item in ranked] == [public.pk]
