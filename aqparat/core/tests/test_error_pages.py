"""Friendly 404 and 500 pages."""

from __future__ import annotations

from django.test import RequestFactory, TestCase
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
