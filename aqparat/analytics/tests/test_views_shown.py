"""The view counter an article prints comes with the page's own query (routing's
`page_value`), in every edition, fresh at every render."""

from __future__ import annotations

import re

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from aqparat.analytics.services import page_views_set
from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import Editions, editions_build, story_build
from aqparat.translit.services import latin_edition_page


def views_printed(html: str) -> int:
    found = re.search(r'data-views="(\d+)"', html)
    assert found is not None, "no view counter on the page"
    return int(found.group(1))


class ViewsShownTests(TestCase):
    editions: Editions
    story: dict[str, ArticlePage]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()
        cls.story = story_build(
            cls.editions,
            {"kk": "Алматыда жаңа саябақ ашылды", "en": "A new park opens in Almaty"},
        )

    def get(self, url: str) -> str:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_the_count_is_read_by_the_page_query_and_never_kept(self) -> None:
        english = self.story["en"]
        page_views_set(page_id=english.pk, views=7)
        self.get(english.url)  # warm: routing's address map, fragments
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(views_printed(self.get(english.url)), 7)
        counted = [q["sql"] for q in queries if "analytics_pageviewcount" in q["sql"]]
        self.assertEqual(len(counted), 1, counted)
        self.assertIn('"url_path" =', counted[0])  # the page's own query
        page_views_set(page_id=english.pk, views=8)
        self.assertEqual(views_printed(self.get(english.url)), 8)

    def test_a_story_never_viewed_shows_zero(self) -> None:
        self.assertEqual(views_printed(self.get(self.story["en"].url)), 0)

    def test_the_latin_edition_shows_its_source_count(self) -> None:
        kazakh = self.story["kk"]
        latin = latin_edition_page(page=kazakh)
        assert latin is not None
        page_views_set(page_id=kazakh.pk, views=1098)
        self.get(latin.url)
        self.assertEqual(views_printed(self.get(latin.url)), 1098)
        self.assertEqual(views_printed(self.get(kazakh.url)), 1098)
