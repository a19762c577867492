"""Canonical URLs, robots, OpenGraph and Twitter cards on every kind of public page."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from unittest import mock

from django.test import TestCase
from django.utils import translation
from wagtail.models import Page

from aqparat.core.models import SiteSettings
from aqparat.images.renditions import renditions_make
from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import (
    ArticlePageFactory,
    CustomImageFactory,
    Newsroom,
    editions_build,
    newsroom_build,
    story_build,
)
from aqparat.syndication import jsonld
from aqparat.translit.services import latin_edition_page


class HeadTags(HTMLParser):
    """The <meta> and <link> tags of a page as (key, value) pairs, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        key = found.get("property") or found.get("name")
        if tag == "meta" and key:
            self.tags.append((key, found.get("content") or ""))
        elif tag == "link" and found.get("rel") == "canonical":
            self.tags.append(("canonical", found.get("href") or ""))

    def values(self, key: str) -> list[str]:
        return [value for k, value in self.tags if k == key]

    def one(self, key: str) -> str:
        values = self.values(key)
        assert len(values) == 1, (key, values)
        return values[0]


def head_tags(html: str) -> HeadTags:
    parser = HeadTags()
    parser.feed(html)
    return parser


class PreviewTests(TestCase):
    newsroom: Newsroom
    article: ArticlePage

    @classmethod
    def setUpTestData(cls) -> None:
        cls.newsroom = newsroom_build()
        SiteSettings.objects.create(
            site=cls.newsroom.home.get_site(), outlet_name="Aqparat Daily"
        )
        cls.article = ArticlePageFactory(
            parent=cls.newsroom.section,
            title="Almaty and Busan mark a year of friendship",
            slug="almaty-and-busan",
            lead="Almaty and Busan reviewed a year of joint projects.",
            lead_image=CustomImageFactory(file__width=1600, file__height=1200),
            first_published_at=datetime(2023, 11, 16, 3, 58, tzinfo=UTC),
        )
        cls.article.tags.add("almaty", "diplomacy")
        cls.article.save()
        renditions_make(image_ids=[cls.article.lead_image.pk])

    def head(self, url: str, status: int = 200) -> HeadTags:
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, url)
        return head_tags(response.content.decode())

    def test_article_preview(self) -> None:
        tags = self.head(self.article.url)
        url = "http://localhost/en/news/almaty-and-busan/"
        self.assertEqual(tags.one("canonical"), url)
        self.assertEqual(tags.one("og:url"), url)
        self.assertEqual(tags.one("og:type"), "article")
        self.assertEqual(
            tags.one("og:title"), "Almaty and Busan mark a year of friendship"
        )
        self.assertEqual(
            tags.one("og:description"),
            "Almaty and Busan reviewed a year of joint projects.",
        )
        self.assertEqual(tags.one("description"), tags.one("og:description"))
        self.assertEqual(tags.one("og:site_name"), "Aqparat Daily")
        self.assertEqual(
            tags.one("article:published_time"), "2023-11-16T09:58:00+06:00"
        )
        self.assertEqual(tags.one("article:modified_time"), "2023-11-16T09:58:00+06:00")
        self.assertEqual(tags.one("article:section"), "News")
        self.assertEqual(sorted(tags.values("article:tag")), ["almaty", "diplomacy"])
        self.assertEqual(tags.one("robots"), "max-image-preview:large")

    def test_the_head_share_links_and_json_ld_work_out_the_page_url_once(
        self,
    ) -> None:
        """The canonical URL, the JSON-LD and the share links print one address,
        worked out once a request (each `get_url` reads Wagtail's site root paths)."""
        asked: list[int] = []
        real = Page.get_url

        def counted(page: Page, *args: Any, **kwargs: Any) -> Any:
            if page.pk == self.article.pk:
                asked.append(page.pk)
            return real(page, *args, **kwargs)

        with mock.patch.object(Page, "get_url", counted):
            html = self.client.get(self.article.url).content.decode()
        url = "http://localhost/en/news/almaty-and-busan/"
        self.assertEqual(head_tags(html).one("canonical"), url)
        self.assertIn(f'"@id":"{url}"', html)
        self.assertIn(f'class="share__link share__link--copy" href="{url}"', html)
        self.assertEqual(len(asked), 1)

    def test_article_image_is_the_large_16_9_photo_with_its_alt(self) -> None:
        tags = self.head(self.article.url)
        self.assertRegex(
            tags.one("og:image"), r"^http://localhost/media/.*fill-1200x675"
        )
        self.assertEqual(
            (tags.one("og:image:width"), tags.one("og:image:height")), ("1200", "675")
        )
        self.assertEqual(
            tags.one("og:image:alt"),
            "Officials from two cities shake hands at a table.",
        )
        self.assertEqual(tags.one("twitter:card"), "summary_large_image")
        self.assertEqual(tags.one("twitter:image"), tags.one("og:image"))
        self.assertEqual(tags.one("twitter:title"), tags.one("og:title"))

    def test_article_without_photo_shows_the_logo_in_a_small_card(self) -> None:
        plain = ArticlePageFactory(parent=self.newsroom.section)
        tags = self.head(plain.url)
        self.assertEqual(tags.one("og:image"), "http://localhost/static/img/logo.png")
        self.assertEqual(tags.one("twitter:card"), "summary")

    def test_home_and_section_are_websites_with_their_own_canonical(self) -> None:
        for url in ("/en/", "/en/news/"):
            tags = self.head(url + "?utm_source=telegram")
            self.assertEqual(tags.one("canonical"), f"http://localhost{url}")
            self.assertEqual(tags.one("og:url"), f"http://localhost{url}")
            self.assertEqual(tags.one("og:type"), "website")
            self.assertEqual(tags.one("og:site_name"), "Aqparat Daily")
            self.assertEqual(tags.one("twitter:card"), "summary")
            self.assertEqual(tags.one("robots"), "max-image-preview:large")
            self.assertEqual(tags.values("article:published_time"), [])
        self.assertEqual(self.head("/en/news/").one("og:title"), "News")

    def test_an_edition_home_without_a_description_gets_the_outlets_own(self) -> None:
        tags = self.head("/en/")
        own = (
            "Aqparat Daily: news of Kazakhstan and the world, in Kazakh, Russian and "
            "English."
        )
        self.assertEqual(tags.one("description"), own)
        self.assertEqual(tags.one("og:description"), own)
        self.assertEqual(self.head("/en/news/").values("description"), [])
        in_language = {
            "ru": "Aqparat Daily: новости Казахстана и мира на казахском, русском и "
            "английском языках.",
            "kk": "Aqparat Daily: Қазақстан мен әлем жаңалықтары қазақ, орыс және "
            "ағылшын тілдерінде.",
        }
        for language, description in in_language.items():
            with translation.override(language):
                preview = jsonld.page_preview(
                    page=self.newsroom.home, url="/", site_name="Aqparat Daily",
                    fallback_image=jsonld.PreviewImage("/logo.png", 512, 512),
                )  # fmt: skip
            self.assertEqual(preview.description, description)

    def test_an_edition_home_shows_the_description_its_editors_wrote(self) -> None:
        self.newsroom.home.search_description = "Our own words for the front page."
        self.newsroom.home.save_revision().publish()
        self.assertEqual(
            self.head("/en/").one("description"), "Our own words for the front page."
        )

    def test_tag_pages(self) -> None:
        index = self.head(self.newsroom.tags.url)
        self.assertEqual(index.one("canonical"), "http://localhost/en/tags/")
        with translation.override("en"):
            tag = self.head(self.newsroom.tags.url + "almaty/")
        self.assertEqual(tag.one("canonical"), "http://localhost/en/tags/almaty/")
        self.assertEqual(tag.one("og:title"), "Tag: almaty")
        self.assertEqual(tag.one("og:type"), "website")

    def test_a_later_listing_page_is_its_own_canonical(self) -> None:
        with self.settings(AQPARAT_LISTING_PAGE_SIZE=1):
            ArticlePageFactory(parent=self.newsroom.section)
            tags = self.head("/en/news/?page=2&utm_source=x")
            self.assertEqual(tags.one("canonical"), "http://localhost/en/news/?page=2")
            first = self.head("/en/news/?page=1")
            self.assertEqual(first.one("canonical"), "http://localhost/en/news/")

    def test_rates_page(self) -> None:
        tags = self.head("/en/rates/?amount=100&currency=USD")
        self.assertEqual(tags.one("canonical"), "http://localhost/en/rates/")
        self.assertEqual(tags.one("og:type"), "website")
        self.assertEqual(tags.one("robots"), "max-image-preview:large")

    def test_not_found_is_noindex_without_canonical_or_preview(self) -> None:
        tags = self.head("/en/news/no-such-story/", status=404)
        self.assertEqual(tags.one("robots"), "noindex")
        self.assertEqual(tags.values("canonical"), [])
        self.assertEqual(tags.values("og:type"), [])


class LatinPreviewTests(TestCase):
    def test_the_latin_page_is_its_own_canonical_in_latin_script(self) -> None:
        editions = editions_build(("kk",))
        story = story_build(editions, {"kk": "Алматыда жаңа саябақ ашылды"})["kk"]
        latin = latin_edition_page(page=story)
        assert latin is not None
        tags = head_tags(self.client.get(latin.url).content.decode())
        self.assertEqual(tags.one("canonical"), f"http://localhost{latin.url}")
        self.assertEqual(tags.one("og:url"), f"http://localhost{latin.url}")
        self.assertEqual(tags.one("og:title"), "Almatyda jaña saiabaq aşyldy")
        self.assertEqual(tags.one("og:locale"), "kk_KZ")
