"""A story past its expiry is gone at once, whatever the worker does: the worker
that unpublishes it may be stopped (a killed consumer), and until then no cache
(ours, the front cache's, a browser's) may keep it past that moment."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone
from django.utils.cache import get_max_age

from aqparat.core import pagecache
from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import ArticlePageFactory, newsroom_build

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
