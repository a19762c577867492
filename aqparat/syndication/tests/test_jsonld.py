"""The article's JSON-LD, read back out of the rendered page as a crawler reads it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import TestCase
from PIL import Image
from wagtail.models import Page

from aqparat.core.models import SiteSettings
from aqparat.images.models import CustomRendition
from aqparat.images.renditions import renditions_make
from aqparat.news.models import (
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    ArticleSourceAttribution,
)
from aqparat.news.tests.factories import (
    ArticlePageFactory,
    AuthorFactory,
    CustomImageFactory,
    SourceFactory,
    editions_build,
    newsroom_build,
    story_build,
)
from aqparat.syndication.jsonld import LOGO_SIZE, LOGO_STATIC_PATH, json_ld_script
from aqparat.translit.services import latin_edition_page

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
# 16.11.2023 09:58 in Almaty, when Kazakhstan was on UTC+6.
BEFORE_CHANGE = datetime(2023, 11, 16, 3, 58, tzinfo=UTC)
# 5.3.2024 11:00 in Almaty, on UTC+5 since 1 March 2024.
AFTER_CHANGE = datetime(2024, 3, 5, 6, 0, tzinfo=UTC)


def structured_data(html: str) -> dict[str, dict[str, Any]]:
    """Every JSON-LD block of the page, by its @type."""
    blocks = [json.loads(text) for text in JSON_LD.findall(html)]
    return {block["@type"]: block for block in blocks}


def big_photo() -> Any:
    return CustomImageFactory(file__width=1600, file__height=1200, credit="MFA")


class NewsArticleTests(TestCase):
    article: ArticlePage

    @classmethod
    def setUpTestData(cls) -> None:
        newsroom = newsroom_build()
        SiteSettings.objects.create(
            site=newsroom.home.get_site(), outlet_name="Aqparat Daily"
        )
        cls.article = ArticlePageFactory(
            parent=newsroom.section,
            title="Almaty and Busan mark a year of friendship",
            slug="almaty-and-busan",
            lead="Almaty and Busan reviewed a year of joint projects.",
            lead_image=big_photo(),
            first_published_at=BEFORE_CHANGE,
        )
        ArticleAuthor.objects.create(
            page=cls.article, author=AuthorFactory(name="Aigerim Sadykova")
        )
        ArticleSourceAttribution.objects.create(
            page=cls.article,
            source=SourceFactory(
                name="Ministry of Foreign Affairs", short_name="MFA",
                url="https://www.gov.kz/memleket/entities/mfa",
            ),
            relation="citing",
        )  # fmt: skip
        cls.article.tags.add("almaty", "diplomacy")
        cls.article.save()
        renditions_make(image_ids=[cls.article.lead_image.pk])

    def data(self, page: Page | None = None) -> dict[str, dict[str, Any]]:
        response = self.client.get((page or self.article).url)
        self.assertEqual(response.status_code, 200)
        return structured_data(response.content.decode())

    def test_news_article_describes_the_story(self) -> None:
        article = self.data()["NewsArticle"]
        url = "http://localhost/en/news/almaty-and-busan/"
        self.assertEqual(article["@context"], "https://schema.org")
        self.assertEqual(
            article["headline"], "Almaty and Busan mark a year of friendship"
        )
        self.assertEqual(
            article["description"],
            "Almaty and Busan reviewed a year of joint projects.",
        )
        self.assertEqual(article["url"], url)
        self.assertEqual(article["mainEntityOfPage"], {"@type": "WebPage", "@id": url})
        self.assertEqual(article["inLanguage"], "en")
        self.assertEqual(article["articleSection"], "News")
        self.assertEqual(sorted(article["keywords"]), ["almaty", "diplomacy"])
        self.assertEqual(
            article["author"], [{"@type": "Person", "name": "Aigerim Sadykova"}]
        )

    def test_publisher_is_the_outlet_with_its_logo(self) -> None:
        publisher = self.data()["NewsArticle"]["publisher"]
        self.assertEqual(publisher["@type"], "Organization")
        self.assertEqual(publisher["name"], "Aqparat Daily")
        self.assertEqual(
            publisher["logo"],
            {
                "@type": "ImageObject",
                "url": f"http://localhost{settings.STATIC_URL}{LOGO_STATIC_PATH}",
                "width": 512,
                "height": 512,
            },
        )

    def test_the_logo_file_has_the_size_the_data_claims(self) -> None:
        found = finders.find(LOGO_STATIC_PATH)
        assert isinstance(found, str)
        with Image.open(Path(found)) as logo:
            self.assertEqual(logo.size, LOGO_SIZE)

    def test_the_source_is_what_the_story_is_based_on(self) -> None:
        self.assertEqual(
            self.data()["NewsArticle"]["isBasedOn"],
            [
                {
                    "@type": "CreativeWork",
                    "author": {
                        "@type": "Organization",
                        "name": "Ministry of Foreign Affairs",
                        "alternateName": "MFA",
                        "url": "https://www.gov.kz/memleket/entities/mfa",
                    },
                }
            ],
        )

    def test_dates_carry_the_offset_almaty_had_at_that_instant(self) -> None:
        article = self.data()["NewsArticle"]
        self.assertEqual(article["datePublished"], "2023-11-16T09:58:00+06:00")
        self.assertEqual(article["dateModified"], "2023-11-16T09:58:00+06:00")
        ArticleCorrection.objects.create(
            page=self.article, kind="update", noted_at=AFTER_CHANGE, text="Replied."
        )
        article = self.data()["NewsArticle"]
        self.assertEqual(article["datePublished"], "2023-11-16T09:58:00+06:00")
        self.assertEqual(article["dateModified"], "2024-03-05T11:00:00+05:00")

    def test_a_story_from_after_the_change_is_at_plus_five(self) -> None:
        later = ArticlePageFactory(
            parent=self.article.get_parent(), first_published_at=AFTER_CHANGE
        )
        self.assertEqual(
            self.data(later)["NewsArticle"]["datePublished"],
            "2024-03-05T11:00:00+05:00",
        )

    def test_images_come_in_three_ratios_large_enough_for_google(self) -> None:
        images = self.data()["NewsArticle"]["image"]
        ratios = [round(image["width"] / image["height"], 2) for image in images]
        self.assertEqual(ratios, [round(16 / 9, 2), round(4 / 3, 2), 1.0])
        for image in images:
            self.assertEqual(image["@type"], "ImageObject")
            self.assertGreaterEqual(image["width"], 1200)
            self.assertGreaterEqual(image["width"] * image["height"], 50_000)
            self.assertTrue(image["url"].startswith("http://localhost/media/"))
            self.assertEqual(image["creditText"], "MFA")

    def test_readers_make_no_renditions(self) -> None:
        made = CustomRendition.objects.count()
        self.data()
        self.assertEqual(CustomRendition.objects.count(), made)

    def test_breadcrumb_runs_home_section_article(self) -> None:
        crumbs = self.data()["BreadcrumbList"]["itemListElement"]
        self.assertEqual(
            [(c["position"], c["name"], c["item"]) for c in crumbs],
            [
                (1, "Aqparat", "http://localhost/en/"),
                (2, "News", "http://localhost/en/news/"),
                (
                    3,
                    "Almaty and Busan mark a year of friendship",
                    "http://localhost/en/news/almaty-and-busan/",
                ),
            ],
        )

    def test_a_story_without_byline_is_by_the_outlet(self) -> None:
        plain = ArticlePageFactory(parent=self.article.get_parent())
        self.assertEqual(
            self.data(plain)["NewsArticle"]["author"],
            [{"@type": "Organization", "name": "Aqparat Daily"}],
        )

    def test_a_headline_cannot_break_out_of_the_script(self) -> None:
        title = 'Evil </script><script>alert("x")</script> & <!-- more'
        evil = ArticlePageFactory(parent=self.article.get_parent(), title=title)
        html = self.client.get(evil.url).content.decode()
        self.assertNotIn('<script>alert("x")', html)
        self.assertEqual(len(JSON_LD.findall(html)), 2)
        data = structured_data(html)
        self.assertEqual(data["NewsArticle"]["headline"], title)
        self.assertEqual(data["BreadcrumbList"]["itemListElement"][2]["name"], title)


def test_json_ld_script_escapes_what_could_end_the_element() -> None:
    html = json_ld_script({"headline": "</script>&<!--"})
    body = html.removeprefix('<script type="application/ld+json">').removesuffix(
        "</script>"
    )
    assert "<" not in body and ">" not in body and "&" not in body
    assert body == '{"headline":"\\u003c/script\\u003e\\u0026\\u003c!--"}'
    assert json.loads(body) == {"headline": "</script>&<!--"}


class LatinEditionTests(TestCase):
    def test_latin_page_speaks_kk_latn_in_latin_script_at_its_own_url(self) -> None:
        editions = editions_build(("kk",))
        story = story_build(editions, {"kk": "Алматыда жаңа саябақ ашылды"})["kk"]
        latin = latin_edition_page(page=story)
        assert latin is not None
        data = structured_data(self.client.get(latin.url).content.decode())
        article = data["NewsArticle"]
        self.assertEqual(article["inLanguage"], "kk-Latn")
        self.assertEqual(article["headline"], "Almatyda jaña saiabaq aşyldy")
        self.assertEqual(article["url"], f"http://localhost{latin.url}")
        self.assertTrue(latin.url.startswith("/kk-latn/"))
        crumbs = data["BreadcrumbList"]["itemListElement"]
        self.assertEqual(crumbs[0]["item"], "http://localhost/kk-latn/")
        self.assertEqual(crumbs[2]["name"], "Almatyda jaña saiabaq aşyldy")
