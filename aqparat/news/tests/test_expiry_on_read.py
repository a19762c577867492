"""A story past its expiry is gone at once, whatever the worker does: the worker
that unpublishes it may be stopped (a killed consumer), and until then no cache
(ours, the front cache's, a browser's) may keep it past that moment."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.http.response import HttpResponseBase
from django.test import Client, override_settings
from django.utils import timezone
from django.utils.cache import get_max_age

from aqparat.core import pagecache
from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import (
    ArticlePageFactory,
    editions_build,
    newsroom_build,
    publish,
    story_build,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article() -> ArticlePage:
    return ArticlePageFactory(parent=newsroom_build().section)


def expiring(article: ArticlePage, seconds: float) -> ArticlePage:
    """The story, still live, with its expiry `seconds` from now (past if < 0): as
    the database stands when no worker has run the expiry."""
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() + timedelta(seconds=seconds)
    )
    article.refresh_from_db()
    assert article.live and not article.expired
    return article


def test_an_expired_story_is_404_although_still_live(article: ArticlePage) -> None:
    assert Client().get(article.url).status_code == 200
    expiring(article, -1)
    assert Client().get(article.url).status_code == 404


def test_no_cache_is_told_to_keep_it_past_its_expiry(article: ArticlePage) -> None:
    expiring(article, 100)
    response = Client().get(article.url)
    assert response.status_code == 200
    control = response["Cache-Control"]
    s_maxage = int(control.split("s-maxage=", 1)[1].split(",")[0])
    assert 0 < s_maxage <= 100 and (get_max_age(response) or 0) <= 100
    assert "stale-if-error" not in control and "stale-while-revalidate" not in control


def _lifetimes(response: HttpResponseBase) -> tuple[int, int]:
    control = response["Cache-Control"]
    s_maxage = int(control.split("s-maxage=", 1)[1].split(",")[0])
    return get_max_age(response) or 0, s_maxage


@override_settings(AQPARAT_PAGE_CACHE=True)
def test_a_stored_copy_tells_caches_the_seconds_left(article: ArticlePage) -> None:
    """The copy the page cache answers with was stored with the seconds left then:
    later, it says the fewer left now."""
    expiring(article, 100)
    client = Client()
    first = client.get(article.url)
    assert first[pagecache.HEADER] == "MISS" and 90 < _lifetimes(first)[1] <= 100
    with time_machine.travel(timezone.now() + timedelta(seconds=45), tick=False):
        later = client.get(article.url)
    assert later[pagecache.HEADER] == "HIT"
    max_age, s_maxage = _lifetimes(later)
    assert max_age <= 55 and 45 < s_maxage <= 55
    assert "stale-if-error" not in later["Cache-Control"]


@override_settings(AQPARAT_PAGE_CACHE=True)
def test_the_page_cache_drops_it_at_its_expiry(article: ArticlePage) -> None:
    expiring(article, 30)
    client = Client()
    client.get(article.url)
    assert client.get(article.url)[pagecache.HEADER] == "HIT"
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):
        response = client.get(article.url)
    assert response.status_code == 404
    assert response.get(pagecache.HEADER) != "HIT"


def test_listings_leave_it_out_at_its_expiry(article: ArticlePage) -> None:
    from aqparat.news.selectors import article_list_for_listing

    section = article.get_parent()
    assert article in article_list_for_listing(under=section)
    expiring(article, -1)
    assert article not in article_list_for_listing(under=section)
    assert article.title not in Client().get(section.url).content.decode()


def test_its_latin_edition_is_gone_at_its_expiry_too() -> None:
    """An editor sets the expiry and publishes; Wagtail gives the Latin alias the
    same expiry (news/models.py keeps aliases following their source)."""
    from wagtail.models import Page

    editions = editions_build(("kk",))
    story = story_build(editions, {"kk": "Алматыда жаңбыр жауды"})["kk"]
    story.expire_at = timezone.now() + timedelta(hours=1)
    publish(story)
    latin = Page.objects.get(
        translation_key=story.translation_key, locale__language_code="kk-latn"
    )
    assert latin.expire_at == story.expire_at
    assert Client().get(latin.url).status_code == 200
    with time_machine.travel(story.expire_at + timedelta(seconds=1), tick=False):
        assert Client().get(story.url).status_code == 404
        assert Client().get(latin.url).status_code == 404
