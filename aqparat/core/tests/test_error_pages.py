"""Friendly 404 and 500 pages."""

from __future__ import annotations

from django.test import RequestFactory, TestCase
from django.utils import translation
from django.views.defaults import server_error

from aqparat.news.tests.factories import newsroom_build


class ErrorPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        newsroom_build()

    def test_404_is_friendly_and_keeps_the_site_chrome(self) -> None:
        response = self.client.get("/en/no/such/page/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Page not found", status_code=404)
        self.assertContains(response, 'class="site-nav"', status_code=404)
        self.assertContains(response, 'lang="en"', status_code=404)

    def test_500_renders_without_the_database(self) -> None:
        request = RequestFactory().get("/en/")
        with self.assertNumQueries(0):
            response = server_error(request)
        self.assertEqual(response.status_code, 500)
        self.assertIn(b"Something went wrong on our side", response.content)

    def test_500_speaks_the_readers_language(self) -> None:
        """The language the request's edition activated, still without a query."""
        expected = {
            "kk": ("Біз жақта ақау шықты", 'lang="kk"', 'href="/kk/"'),
            "ru": ("У нас что-то пошло не так", 'lang="ru"', 'href="/ru/"'),
            "en": ("Something went wrong on our side", 'lang="en"', 'href="/en/"'),
        }
        for language, texts in expected.items():
            with self.subTest(language=language), translation.override(language):
                request = RequestFactory().get(f"/{language}/")
                with self.assertNumQueries(0):
                    html = server_error(request).content.decode()
                for text in texts:
                    self.assertIn(text, html)
