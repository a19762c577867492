"""Every endpoint costs the same number of queries however much it returns (H8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from aqparat.analytics.models import HourlyPageViews, PageViewCount
from aqparat.api.tests.conftest import Newsroom, get_json
from aqparat.news.models import ArticleAuthor, ArticleSourceAttribution
from aqparat.news.tests.factories import AuthorFactory, SourceFactory, publish

LANGUAGES = ("kk", "ru", "en")


def stories(newsroom: Newsroom, count: int) -> None:
    """`count` stories in three languages with authors, a source, tags, views."""
    author, source = AuthorFactory(), SourceFactory()
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    for n in range(count):
        story = newsroom.story({code: f"Story {n} {code}" for code in LANGUAGES})
        for code, page in story.items():
            ArticleAuthor.objects.create(page=page, author=author)
            ArticleSourceAttribution.objects.create(page=page, source=source)
            page.tags.add(f"tag {n}", "common")
            publish(page)
            PageViewCount.objects.create(page=page, views=n + 1)
            HourlyPageViews.objects.create(
                page=page, language=code, hour=hour - timedelta(hours=1), views=n + 1
            )


# (url, queries) with the shared caches warm (site roots, spellings, the minute's
# most-read ranking). View restrictions cost none: news' page_filter_visible checks
# them inside each query (Wagtail's public() read them first, 4 queries a list).
# A list: count, page, image, renditions, tag links, tags, authors, sources,
# corrections, translations, sections, views, localized authors and sources. Then
# how many items per story, and how many besides.
ENDPOINTS = [
    ("/api/v1/articles?language=kk-latn", 14, 1, 0),
    ("/api/v1/articles?section=news&tag=common", 14, 4, 0),  # kk, kk-latn, ru, en
    ("/api/v1/sections?language=en", 1, 0, 1),
    # "tag n" and "common"; no query for view restrictions while none exist
    # (core/restrictions.py)
    ("/api/v1/tags?language=kk", 2, 1, 1),
    ("/api/v1/most-read?language=kk-latn&limit=20", 1, 1, 0),
]


@pytest.mark.parametrize(("url", "queries", "per_story", "besides"), ENDPOINTS)
@pytest.mark.parametrize("size", [1, 4])
def test_fixed_query_counts(
    client: Client,
    newsroom: Newsroom,
    django_assert_num_queries: DjangoAssertNumQueries,
    url: str,
    queries: int,
    per_story: int,
    besides: int,
    size: int,
) -> None:
    stories(newsroom, size)
    get_json(client, url)  # warms the caches shared by every request
    data = get_json(client, url.replace("?", "?x=1&"), 400)  # nothing cached per URL
    assert data["code"] == "unknown_parameter"
    with django_assert_num_queries(queries):
        data = get_json(client, url)
    results = data["results"] if isinstance(data, dict) else data
    assert len(results) == per_story * size + besides


def test_article_detail_query_count(
    client: Client,
    newsroom: Newsroom,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    stories(newsroom, 2)
    url = "/api/v1/articles?language=en"
    article_id = get_json(client, url)["results"][0]["id"]
    with django_assert_num_queries(13):
        get_json(client, f"/api/v1/articles/{article_id}")
