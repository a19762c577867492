"""One rule says whether a publication was a story's first (its banner and its
Telegram post are made once, on that one)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import Editions, editions_build, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def editions() -> Editions:
    return editions_build()


def test_only_the_first_publication_is_the_first(editions: Editions) -> None:
    article = ArticlePage(title="Snow in Almaty", slug="", lead="Lead.", body=[])
    editions.sections["en"].add_child(instance=article)
    assert not article.is_first_publication()  # a draft
    article = publish(article)
    assert article.is_first_publication()
    article.unpublish()
    again = publish(ArticlePage.objects.get(pk=article.pk))
    assert not again.is_first_publication()


def test_a_story_imported_with_equal_old_stamps_is_not_published_now(
    editions: Editions,
) -> None:
    article = ArticlePage(title="Snow in Almaty", slug="", lead="Lead.", body=[])
    editions.sections["en"].add_child(instance=article)
    article = publish(article)
    long_ago = timezone.now() - timedelta(days=3)
    article.first_published_at = article.last_published_at = long_ago
    assert not article.is_first_publication()
    assert article.is_first_publication(within=timedelta(days=4))
