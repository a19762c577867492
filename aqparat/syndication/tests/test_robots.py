"""robots.txt: the sitemaps and what crawlers should leave alone."""

from __future__ import annotations

from django.test import TestCase

from aqparat.news.tests.factories import editions_build


class RobotsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        editions_build()

    def test_content(self) -> None:
        response = self.client.get("/robots.txt")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain")
        lines = response.content.decode().splitlines()
        self.assertEqual(lines[0], "User-agent: *")
        self.assertIn("Disallow: /admin/", lines)
        self.assertIn("Disallow: /*/search/", lines)
        sitemaps = [line for line in lines if line.startswith("Sitemap: ")]
        self.assertEqual(
            sitemaps,
            [
                "Sitemap: http://localhost/sitemap.xml",
                "Sitemap: http://localhost/sitemaps/news-kk.xml",
                "Sitemap: http://localhost/sitemaps/news-kk-latn.xml",
                "Sitemap: http://localhost/sitemaps/news-ru.xml",
                "Sitemap: http://localhost/sitemaps/news-en.xml",
            ],
        )
        self.assertIn("public", response["Cache-Control"])

    def test_listed_sitemaps_answer(self) -> None:
        body = self.client.get("/robots.txt").content.decode()
        for line in body.splitlines():
            if line.startswith("Sitemap: "):
                path = line.removeprefix("Sitemap: http://localhost")
                self.assertEqual(self.client.get(path).status_code, 200, path)
