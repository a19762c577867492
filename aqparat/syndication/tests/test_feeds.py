"""RSS feeds per edition and section, and the discovery links."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from defusedxml import ElementTree as SafeET
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from lxml import etree
from wagtail.models import PageViewRestriction

from aqparat.news.models import ArticleAuthor, ArticlePage, SectionPage
from aqparat.news.tests.factories import (
    AuthorFactory,
    CustomImageFactory,
    Editions,
    editions_build,
    publish,
    story_build,
)

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
STRICT = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
CYRILLIC = re.compile("[\u0400-\u04ff]")


def article_build(section: SectionPage, title: str, **fields: Any) -> ArticlePage:
    """A published story with an author, two tags and a lead photo."""
    fields.setdefault(
        "body", [{"type": "paragraph", "value": "<p>Body paragraph.</p>"}]
    )
    article = ArticlePage(
        title=title, slug="", lead="Lead of the story.",
        lead_image=CustomImageFactory(), **fields,
    )  # fmt: skip
    article.article_authors = [ArticleAuthor(author=AuthorFactory(name="Aigerim"))]
    section.add_child(instance=article)
    article.tags.add("Economy", "Tenge")
    return publish(article)


class FeedTests(TestCase):
    editions: Editions
    story: dict[str, ArticlePage]
    sport: SectionPage
    news_story: ArticlePage
    sport_story: ArticlePage

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()
        cls.story = story_build(
            cls.editions, {"kk": "Жаңалық\x0b бір\x1f", "ru": "Новость\x0c\x01 один"}
        )
        cls.sport = SectionPage(title="Sport", slug="sport", show_in_menus=True)
        cls.editions.homes["en"].add_child(instance=cls.sport)
        publish(cls.sport)
        cls.news_story = article_build(cls.editions.sections["en"], "Budget passed")
        cls.sport_story = article_build(cls.sport, "Astana wins")
        hidden = story_build(cls.editions, {"en": "Private story"})["en"]
        PageViewRestriction.objects.create(
            page=hidden,
            restriction_type="password",
            password="secret",
        )
        embargoed = story_build(cls.editions, {"en": "Embargoed story"})["en"]
        ArticlePage.objects.filter(pk=embargoed.pk).update(
            embargo_until=timezone.now() + timedelta(hours=1)
        )
        expired = story_build(cls.editions, {"en": "Expired story"})["en"]
        ArticlePage.objects.filter(pk=expired.pk).update(
            expire_at=timezone.now() - timedelta(minutes=1)
        )
        draft = story_build(cls.editions, {"en": "Draft story"})["en"]
        ArticlePage.objects.filter(pk=draft.pk).update(live=False)

    def feed(self, url: str) -> Any:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(response["Content-Type"], "application/rss+xml; charset=utf-8")
        etree.fromstring(response.content, STRICT)  # strict: no recovery
        return SafeET.fromstring(response.content)

    def titles(self, channel: Any) -> list[str]:
        return [item.findtext("title") for item in channel.iter("item")]

    def test_control_characters_are_stripped(self) -> None:
        self.assertEqual(self.titles(self.feed("/kk/rss/")), ["Жаңалық бір"])
        self.assertEqual(self.titles(self.feed("/ru/rss/")), ["Новость один"])

    def test_edition_feed_has_its_language_only_newest_first(self) -> None:
        rss = self.feed("/en/rss/")
        self.assertEqual(self.titles(rss), ["Astana wins", "Budget passed"])
        self.assertEqual(rss.findtext("channel/language"), "en")

    def test_section_feed(self) -> None:
        rss = self.feed("/en/rss/sport/")
        self.assertEqual(self.titles(rss), ["Astana wins"])
        self.assertEqual(rss.findtext("channel/title"), "Sport — Aqparat")
        with translation.override("en"):
            self.assertEqual(
                rss.findtext("channel/description"),
                "The latest news in Sport from Aqparat.",
            )
        self.assertEqual(rss.findtext("channel/link"), self.sport.full_url)
        self.assertEqual(self.client.get("/en/rss/nowhere/").status_code, 404)
        self.assertEqual(self.client.get("/ru/rss/sport/").status_code, 404)

    def test_atom_self_link(self) -> None:
        link = self.feed("/en/rss/sport/").find(f"channel/{ATOM}link")
        self.assertEqual(link.get("rel"), "self")
        self.assertEqual(link.get("href"), "http://localhost/en/rss/sport/")

    def test_item_fields(self) -> None:
        item = next(self.feed("/en/rss/sport/").iter("item"))
        url = self.sport_story.full_url
        self.assertEqual(item.findtext("link"), url)
        self.assertEqual(item.findtext("guid"), url)
        self.assertEqual(item.find("guid").get("isPermaLink"), "true")
        self.assertEqual(item.findtext(f"{DC}creator"), "Aigerim")
        self.assertEqual(
            sorted(c.text for c in item.iter("category")), ["Economy", "Tenge"]
        )
        self.assertTrue(item.findtext("pubDate").endswith("+0000"))
        enclosure = item.find("enclosure")
        self.assertEqual(enclosure.get("type"), "image/jpeg")
        self.assertTrue(enclosure.get("url").startswith("http://localhost/media/"))
        self.assertGreater(int(enclosure.get("length")), 0)
        self.assertEqual(item.findtext("description"), "Lead of the story.")

    @override_settings(AQPARAT_FEED_FULL_TEXT=True)
    def test_full_text_setting(self) -> None:
        item = next(self.feed("/en/rss/sport/").iter("item"))
        self.assertIn("<p>Lead of the story.</p>", item.findtext("description"))
        self.assertIn("Body paragraph.", item.findtext("description"))

    @override_settings(AQPARAT_FEED_FULL_TEXT=True)
    def test_full_text_resolves_rich_text_links_to_absolute_urls(self) -> None:
        body = (
            f'<p>See <a linktype="page" id="{self.news_story.pk}">the budget</a>.</p>'
        )
        article_build(
            self.sport, "Linked story", body=[{"type": "paragraph", "value": body}]
        )
        item = next(self.feed("/en/rss/sport/").iter("item"))
        self.assertEqual(item.findtext("title"), "Linked story")
        description = item.findtext("description")
        self.assertIn(
            f'<a href="{self.news_story.full_url}">the budget</a>', description
        )
        self.assertNotIn("linktype", description)

    @override_settings(AQPARAT_FEED_ITEMS=1)
    def test_item_count_setting(self) -> None:
        self.assertEqual(self.titles(self.feed("/en/rss/")), ["Astana wins"])

    def test_hidden_stories_are_absent(self) -> None:
        titles = self.titles(self.feed("/en/rss/"))
        for hidden in ("Private", "Embargoed", "Expired", "Draft"):
            self.assertNotIn(f"{hidden} story", titles)
        self.assertEqual(titles, ["Astana wins", "Budget passed"])

    def test_latin_edition_feed_is_in_latin_script(self) -> None:
        response = self.client.get("/kk-latn/rss/")
        etree.fromstring(response.content, STRICT)
        rss = SafeET.fromstring(response.content)
        self.assertEqual(self.titles(rss), ["Jañalyq bır"])
        self.assertIsNone(CYRILLIC.search(response.content.decode()))
        self.assertEqual(rss.findtext("channel/language"), "kk-Latn")
        self.assertIn("/kk-latn/news/", rss.findtext("channel/item/link"))

    def test_query_count_does_not_grow_with_items(self) -> None:
        def queries() -> int:
            self.client.get("/en/rss/")
            with CaptureQueriesContext(connection) as captured:
                self.client.get("/en/rss/")
            return len(captured)

        before = queries()
        article_build(self.sport, "Third story")
        article_build(self.sport, "Fourth story")
        self.assertEqual(queries(), before)


class FeedLinksTests(TestCase):
    editions: Editions

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()

    def render(self, page: Any) -> str:
        request = RequestFactory().get("/en/")
        template = Template("{% load feed_tags %}{% feed_links %}")
        return template.render(Context({"request": request, "page": page}))

    def test_edition_and_section_feeds(self) -> None:
        with translation.override("en"):
            html = self.render(self.editions.sections["en"])
        self.assertIn(
            '<link rel="alternate" type="application/rss+xml" '
            'href="http://localhost/en/rss/" title="RSS: latest news">',
            html,
        )
        self.assertIn('href="http://localhost/en/rss/news/" title="RSS: News en"', html)

    def test_home_has_the_edition_feed_only(self) -> None:
        with translation.override("ru"):
            html = self.render(self.editions.homes["ru"])
        self.assertEqual(html.count("application/rss+xml"), 1)
        self.assertIn('href="http://localhost/ru/rss/"', html)
