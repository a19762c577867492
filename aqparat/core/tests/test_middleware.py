"""Anonymous pages are cacheable whole: no cookie, no Vary: Cookie, honest dates."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from django.test import TestCase
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import ArticlePageFactory, Newsroom, newsroom_build
from aqparat.rates.models import ExchangeRate
from aqparat.rates.services import RateRow, rates_store


class PublicCacheMiddlewareTests(TestCase):
    newsroom: Newsroom
    article: ArticlePage

    @classmethod
    def setUpTestData(cls) -> None:
        cls.newsroom = newsroom_build()
        cls.article = ArticlePageFactory(
            parent=cls.newsroom.section,
            first_published_at=datetime(2024, 5, 1, 6, 0, tzinfo=UTC),
            last_published_at=datetime(2024, 5, 2, 6, 0, tzinfo=UTC),
        )

    def assert_publicly_cacheable(self, url: str) -> None:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(response.cookies, {}, url)
        self.assertNotIn("Cookie", response.get("Vary", ""), url)
        self.assertIn("public", response["Cache-Control"], url)
        self.assertIn("s-maxage=300", response["Cache-Control"], url)
        self.assertIn("stale-if-error=86400", response["Cache-Control"], url)
        self.assertIn("Last-Modified", response, url)
        self.assertNotIn("csrfmiddlewaretoken", response.content.decode(), url)

    def test_every_kind_of_public_page_is_cacheable(self) -> None:
        for url in (
            "/en/",
            self.newsroom.section.url,
            self.article.url,
            self.newsroom.tags.url,
        ):
            self.assert_publicly_cacheable(url)

    def test_last_modified_is_the_article_when_it_is_newest(self) -> None:
        response = self.client.get(self.article.url)
        self.assertEqual(
            response["Last-Modified"],
            http_date(self.article.last_published_at.timestamp()),
        )

    def test_last_modified_moves_when_the_rates_ticker_changes(self) -> None:
        rates_store(
            rows=[
                RateRow("USD", timezone.localdate(), Decimal("500"), 1, Decimal(0), "")
            ]
        )
        stored_at = ExchangeRate.objects.get().fetched_at
        response = self.client.get(self.article.url)
        self.assertEqual(
            parse_http_date(response["Last-Modified"]), int(stored_at.timestamp())
        )

    def test_conditional_get_answers_304(self) -> None:
        first = self.client.get(self.article.url)
        again = self.client.get(self.article.url, HTTP_IF_NONE_MATCH=first["ETag"])
        self.assertEqual(again.status_code, 304)
        since = self.client.get(
            self.article.url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
        )
        self.assertEqual(since.status_code, 304)

    def test_signed_in_editors_are_not_served_a_public_copy(self) -> None:
        self.client.cookies["sessionid"] = "an-editor-session"
        response = self.client.get(self.article.url)
        self.assertNotIn("public", response.get("Cache-Control", ""))

    def test_admin_is_never_publicly_cacheable(self) -> None:
        response = self.client.get("/admin/login/")
        self.assertNotIn("public", response.get("Cache-Control", ""))


class PermissionsPolicyTests(TestCase):
    def test_every_kind_of_response_carries_it(self) -> None:
        newsroom = newsroom_build()
        article = ArticlePageFactory(parent=newsroom.section)
        for url, method in (
            (article.url, "get"), ("/en/", "get"), ("/admin/login/", "get"),
            ("/api/v1/articles", "get"), (f"/v/?p={article.pk}", "post"),
            ("/en/no-such-page/", "get"),
        ):  # fmt: skip
            response = getattr(self.client, method)(url)
            policy = response.get("Permissions-Policy", "")
            for feature in ("camera=()", "microphone=()", "geolocation=()"):
                self.assertIn(feature, policy, url)
