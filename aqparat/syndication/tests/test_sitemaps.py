"""Sitemaps: the index, article pages with hreflang, page sitemaps, Google News.

Every document is parsed strictly and validated against the schemas in schemas/,
written for Aqparat from the published protocol descriptions (schemas/README.md).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree
from wagtail.models import Page, PageViewRestriction

from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import (
    Editions,
    editions_build,
    publish,
    story_build,
)
from aqparat.syndication.sitemaps import w3c_datetime, xml_clean

SCHEMAS = Path(__file__).parent / "schemas"
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
    "n": "http://www.google.com/schemas/sitemap-news/0.9",
}
STRICT = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
URLSET = etree.XMLSchema(etree.parse(SCHEMAS / "sitemap.xsd"))
SITEINDEX = etree.XMLSchema(etree.parse(SCHEMAS / "siteindex.xsd"))


def parse(content: bytes, schema: etree.XMLSchema | None = None) -> Any:
    doc = etree.fromstring(content, STRICT)
    if schema is not None:
        schema.assertValid(doc)
    return doc


# A small valid urlset and index; each case below breaks one thing in them and
# the schema must reject it (so a schema that accepts anything fails here).
GOOD_URLSET = (
    f'<urlset xmlns="{NS["s"]}" xmlns:xhtml="{NS["x"]}" xmlns:news="{NS["n"]}">'
    "<url><loc>https://aqparat.kz/en/news/a/</loc>"
    "<lastmod>2026-11-29T16:05:00+05:00</lastmod>"
    '<xhtml:link rel="alternate" hreflang="kk-Latn" href="https://aqparat.kz/b/"/>'
    '<xhtml:link rel="alternate" hreflang="x-default" href="https://aqparat.kz/"/>'
    "<news:news><news:publication><news:name>Aqparat</news:name>"
    "<news:language>en</news:language></news:publication>"
    "<news:publication_date>2026-11-29T16:05:00+05:00</news:publication_date>"
    "<news:title>Cabinet meets</news:title></news:news></url></urlset>"
)
GOOD_INDEX = (
    f'<sitemapindex xmlns="{NS["s"]}"><sitemap>'
    "<loc>https://aqparat.kz/sitemaps/news-en.xml</loc>"
    "<lastmod>2026-11-29</lastmod></sitemap></sitemapindex>"
)
BROKEN = {
    "url without loc": (
        URLSET,
        GOOD_URLSET,
        "<loc>https://aqparat.kz/en/news/a/</loc>",
        "",
    ),
    "relative loc": (
        URLSET,
        GOOD_URLSET,
        "https://aqparat.kz/en/news/a/",
        "/en/news/a/",
    ),
    "loc over 2048": (URLSET, GOOD_URLSET, "/en/news/a/", "/" + "a" * 2048),
    "news without publication_date": (
        URLSET,
        GOOD_URLSET,
        "<news:publication_date>2026-11-29T16:05:00+05:00</news:publication_date>",
        "",
    ),
    "publication_date without zone": (
        URLSET,
        GOOD_URLSET,
        ":00+05:00</news:",
        ":00</news:",
    ),
    "news:language not a code": (
        URLSET,
        GOOD_URLSET,
        ">en</news:language>",
        ">English</news:language>",
    ),
    "xhtml:link without hreflang": (URLSET, GOOD_URLSET, ' hreflang="kk-Latn"', ""),
    "xhtml:link not alternate": (
        URLSET,
        GOOD_URLSET,
        'rel="alternate" hreflang="kk',
        'rel="canonical" hreflang="kk',
    ),
    "bad lastmod in urlset": (
        URLSET,
        GOOD_URLSET,
        "<lastmod>2026-11-29T",
        "<lastmod>2026-11-31T",
    ),
    "index with bad lastmod": (SITEINDEX, GOOD_INDEX, "2026-11-29", "29.11.2026"),
    "index with relative loc": (SITEINDEX, GOOD_INDEX, "https://aqparat.kz/", "/"),
}


def test_schemas_accept_the_valid_samples() -> None:
    URLSET.assertValid(etree.fromstring(GOOD_URLSET.encode(), STRICT))
    SITEINDEX.assertValid(etree.fromstring(GOOD_INDEX.encode(), STRICT))


@pytest.mark.parametrize("case", BROKEN)
def test_schemas_reject(case: str) -> None:
    schema, good, old, new = BROKEN[case]
    assert old in good
    doc = etree.fromstring(good.replace(old, new, 1).encode(), STRICT)
    assert not schema.validate(doc), case


@pytest.mark.parametrize("count", [50_000, 50_001])
def test_schemas_cap_entries_at_50000(count: int) -> None:
    url = "<url><loc>https://aqparat.kz/</loc></url>"
    sitemap = "<sitemap><loc>https://aqparat.kz/s.xml</loc></sitemap>"
    urlset = f'<urlset xmlns="{NS["s"]}">{url * count}</urlset>'
    index = f'<sitemapindex xmlns="{NS["s"]}">{sitemap * count}</sitemapindex>'
    for schema, text in ((URLSET, urlset), (SITEINDEX, index)):
        valid = schema.validate(etree.fromstring(text.encode(), STRICT))
        assert valid == (count <= 50_000)


def path_of(url: str) -> str:
    return urlsplit(url).path


def hidden_story(editions: Any, slug: str) -> ArticlePage:
    """A Russian story, published; the caller hides it."""
    return story_build(editions, {"ru": slug.replace("-", " ")}, lead="Hidden.")["ru"]


class SitemapTests(TestCase):
    editions: Editions
    story: dict[str, ArticlePage]
    solo: ArticlePage
    private_kk: ArticlePage
    hidden: list[ArticlePage]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()
        cls.story = story_build(
            cls.editions,
            {"kk": "Жаңалық\x0b бір\x0c\x1f", "ru": "Новость один", "en": "Story one"},
        )
        cls.solo = story_build(cls.editions, {"en": "Only in English"})["en"]
        now = timezone.now()
        cls.hidden = []
        draft = ArticlePage(title="Draft story", slug="draft-story", lead="x", body=[])
        cls.editions.sections["ru"].add_child(instance=draft)
        ArticlePage.objects.filter(pk=draft.pk).update(live=False)
        embargoed = hidden_story(cls.editions, "embargoed-story")
        # Live with an embargo ahead can only be a bad row; it must stay out anyway.
        ArticlePage.objects.filter(pk=embargoed.pk).update(
            embargo_until=now + timedelta(hours=3)
        )
        expired = hidden_story(cls.editions, "expired-story")
        ArticlePage.objects.filter(pk=expired.pk).update(
            expire_at=now - timedelta(minutes=1)
        )
        private = hidden_story(cls.editions, "private-story")
        PageViewRestriction.objects.create(
            page=private,
            restriction_type="password",
            password="secret",
        )
        # A private Cyrillic story: its Latin alias must be hidden with it.
        cls.private_kk = story_build(cls.editions, {"kk": "Жабық жаңалық"})["kk"]
        PageViewRestriction.objects.create(
            page=cls.private_kk,
            restriction_type="password",
            password="secret",
        )
        cls.hidden += [draft, embargoed, expired, private, cls.private_kk]

    def get(self, url: str, schema: etree.XMLSchema | None = None) -> Any:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(response["Content-Type"], "application/xml; charset=utf-8")
        return parse(response.content, schema)

    def all_sitemaps(self) -> dict[str, Any]:
        index = self.get("/sitemap.xml", SITEINDEX)
        docs = {"/sitemap.xml": index}
        for loc in index.xpath("//s:sitemap/s:loc/text()", namespaces=NS):
            schema = URLSET if "/news-" not in loc else None
            docs[path_of(loc)] = self.get(path_of(loc), schema)
        return docs

    def test_index_lists_every_edition_and_validates(self) -> None:
        index = self.get("/sitemap.xml", SITEINDEX)
        paths = {
            path_of(loc)
            for loc in index.xpath("//s:sitemap/s:loc/text()", namespaces=NS)
        }
        for code in ("kk", "kk-latn", "ru", "en"):
            self.assertIn(f"/sitemaps/articles-{code}-1.xml", paths)
            self.assertIn(f"/sitemaps/pages-{code}.xml", paths)
            self.assertIn(f"/sitemaps/news-{code}.xml", paths)
        self.assertNotIn("/sitemaps/articles-kk-2.xml", paths)
        lastmods = index.xpath("//s:lastmod/text()", namespaces=NS)
        self.assertTrue(all(m.endswith("+05:00") for m in lastmods), lastmods)

    def test_every_listed_sitemap_validates_and_hides_what_is_not_public(self) -> None:
        docs = self.all_sitemaps()
        text = b"".join(etree.tostring(doc) for doc in docs.values()).decode()
        for page in self.hidden:
            self.assertNotIn(f"/{page.slug}/", text, page.title)
        latin_private = Page.objects.get(
            translation_key=self.private_kk.translation_key,
            locale__language_code="kk-latn",
        )
        self.assertTrue(latin_private.live)  # the alias itself is live...
        self.assertNotIn(latin_private.url_path.split("/")[-2], text)  # ...but hidden
        for news in (d for p, d in docs.items() if "/news-" in p):
            if news.xpath("//s:url", namespaces=NS):
                URLSET.assertValid(news)

    def test_article_urls_match_wagtail_and_carry_lastmod(self) -> None:
        doc = self.get("/sitemaps/articles-ru-1.xml", URLSET)
        locs = doc.xpath("//s:url/s:loc/text()", namespaces=NS)
        self.assertEqual(locs, [self.story["ru"].full_url])
        lastmod = doc.xpath("//s:url/s:lastmod/text()", namespaces=NS)[0]
        self.assertEqual(lastmod, w3c_datetime(self.story["ru"].last_published_at))

    def test_hreflang_alternates_are_complete_and_reciprocal(self) -> None:
        groups: dict[str, dict[str, str]] = {}
        for code in ("kk", "kk-latn", "ru", "en"):
            doc = self.get(f"/sitemaps/articles-{code}-1.xml", URLSET)
            for url in doc.xpath("//s:url", namespaces=NS):
                loc = url.findtext("s:loc", namespaces=NS)
                groups[loc] = {
                    link.get("hreflang"): link.get("href")
                    for link in url.xpath("x:link", namespaces=NS)
                }
        expected = {
            "kk": self.story["kk"].full_url,
            "kk-Latn": self.story["kk"].full_url.replace("/kk/", "/kk-latn/"),
            "ru": self.story["ru"].full_url,
            "en": self.story["en"].full_url,
            "x-default": self.story["kk"].full_url,
        }
        for tag in ("kk", "kk-Latn", "ru", "en"):
            self.assertEqual(groups[expected[tag]], expected, tag)  # lists itself too
        self.assertEqual(groups[self.solo.full_url], {})  # nothing to alternate with

    @override_settings(AQPARAT_SITEMAP_PAGE_SIZE=1)
    def test_article_sitemaps_are_paginated(self) -> None:
        index = self.get("/sitemap.xml", SITEINDEX)
        paths = [
            path_of(loc)
            for loc in index.xpath("//s:sitemap/s:loc/text()", namespaces=NS)
        ]
        self.assertIn("/sitemaps/articles-en-2.xml", paths)
        self.assertNotIn("/sitemaps/articles-en-3.xml", paths)
        first = self.get("/sitemaps/articles-en-1.xml", URLSET)
        second = self.get("/sitemaps/articles-en-2.xml", URLSET)
        locs = [d.xpath("//s:loc/text()", namespaces=NS)[0] for d in (first, second)]
        self.assertEqual(locs, [self.story["en"].full_url, self.solo.full_url])
        self.assertEqual(
            self.client.get("/sitemaps/articles-en-3.xml").status_code, 404
        )

    def test_unknown_language_or_page_is_not_found(self) -> None:
        missing = (
            "/sitemaps/articles-xx-1.xml",
            "/sitemaps/news-xx.xml",
            "/sitemaps/articles-ru-9.xml",
            "/sitemaps/pages-de.xml",
        )
        for url in missing:
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_page_numbers_out_of_range_are_not_found_before_querying(self) -> None:
        # 0 sliced backwards (500); a huge number overflowed SQLite's OFFSET (500).
        for number in ("0", "99999999999999999999999", "50001"):
            url = f"/sitemaps/articles-en-{number}.xml"
            with CaptureQueriesContext(connection) as captured:
                status = self.client.get(url).status_code
            self.assertEqual(status, 404, url)
            articles = [q for q in captured if "news_articlepage" in q["sql"]]
            self.assertEqual(articles, [], url)  # the 404 page's own queries aside

    def test_canonical_hreflang_sitemap_and_feed_agree_on_one_host(self) -> None:
        # The request's Host (testserver) is not the Wagtail site's (localhost):
        # every absolute URL must use the site's root, as the sitemap does.
        en = self.story["en"]
        html = self.client.get(en.url).content.decode()
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)
        hreflang = re.search(r'hreflang="en" href="([^"]+)"', html)
        assert canonical is not None and hreflang is not None
        doc = self.get("/sitemaps/articles-en-1.xml", URLSET)
        feed = etree.fromstring(self.client.get("/en/rss/").content, STRICT)
        feed_links = feed.xpath("//item/link/text()")
        self.assertEqual(canonical.group(1), en.full_url)
        self.assertEqual(hreflang.group(1), en.full_url)
        self.assertIn(en.full_url, doc.xpath("//s:url/s:loc/text()", namespaces=NS))
        self.assertIn(en.full_url, feed_links)
        self.assertEqual(
            feed.xpath("//*[local-name()='link'][@rel='self']/@href"),
            [en.full_url.split("/en/")[0] + "/en/rss/"],
        )

    def test_page_sitemap_lists_home_and_sections_with_alternates(self) -> None:
        doc = self.get("/sitemaps/pages-en.xml", URLSET)
        locs = doc.xpath("//s:url/s:loc/text()", namespaces=NS)
        self.assertEqual(
            locs,
            [self.editions.homes["en"].full_url, self.editions.sections["en"].full_url],
        )
        hreflangs = doc.xpath("//s:url[1]/x:link/@hreflang", namespaces=NS)
        self.assertEqual(hreflangs, ["kk", "kk-Latn", "ru", "en", "x-default"])

    def test_article_sitemap_caches_longer(self) -> None:
        response = self.client.get("/sitemaps/articles-en-1.xml")
        self.assertIn(
            f"max-age={settings.AQPARAT_SITEMAP_MAX_AGE}", response["Cache-Control"]
        )
        self.assertIn("public", response["Cache-Control"])

    def test_query_count_of_a_page_does_not_grow_with_its_articles(self) -> None:
        def queries() -> int:
            self.client.get("/sitemaps/articles-en-1.xml")  # warm Wagtail's caches
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get("/sitemaps/articles-en-1.xml")
            self.assertEqual(response.status_code, 200)
            return len(captured)

        before = queries()
        for n in range(4):
            story_build(self.editions, {"en": f"More {n}", "ru": f"Ещё {n}"})
        doc = parse(self.client.get("/sitemaps/articles-en-1.xml").content, URLSET)
        self.assertEqual(len(doc.xpath("//s:url", namespaces=NS)), 6)
        self.assertEqual(queries(), before)
        self.assertLessEqual(before, 6)


class NewsSitemapTests(TestCase):
    editions: Editions
    story: dict[str, ArticlePage]
    old: ArticlePage

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()
        cls.story = story_build(
            cls.editions, {"kk": "Үкімет\x08 отырысы\x0b", "en": "Cabinet meets"}
        )
        cls.old = story_build(cls.editions, {"en": "Three days ago"})["en"]
        ArticlePage.objects.filter(pk=cls.old.pk).update(
            first_published_at=timezone.now() - timedelta(days=2, minutes=1)
        )

    def news(self, code: str) -> Any:
        response = self.client.get(f"/sitemaps/news-{code}.xml")
        self.assertEqual(response.status_code, 200)
        return parse(response.content, URLSET)

    def test_last_two_days_with_publication_and_title(self) -> None:
        doc = self.news("en")
        locs = doc.xpath("//s:loc/text()", namespaces=NS)
        self.assertEqual(locs, [self.story["en"].full_url])
        self.assertEqual(doc.xpath("//n:name/text()", namespaces=NS), ["Aqparat"])
        self.assertEqual(doc.xpath("//n:language/text()", namespaces=NS), ["en"])
        self.assertEqual(
            doc.xpath("//n:title/text()", namespaces=NS), ["Cabinet meets"]
        )

    def test_publication_date_is_the_original_time_in_almaty(self) -> None:
        first = self.story["kk"].first_published_at
        publish(self.story["kk"])  # a correction republishes it later
        doc = self.news("kk")
        dates = doc.xpath("//n:publication_date/text()", namespaces=NS)
        self.assertEqual(dates, [w3c_datetime(first)])
        self.assertTrue(dates[0].endswith("+05:00"))
        self.assertEqual(
            doc.xpath("//n:title/text()", namespaces=NS), ["Үкімет отырысы"]
        )

    def test_latin_edition_has_latin_titles_and_the_source_time(self) -> None:
        latin = ArticlePage.objects.get(
            translation_key=self.story["kk"].translation_key,
            locale__language_code="kk-latn",
        )
        # Even if the alias's own first publication came later, Google gets the
        # story's original time.
        ArticlePage.objects.filter(pk=latin.pk).update(
            first_published_at=timezone.now()
        )
        doc = self.news("kk-latn")
        self.assertEqual(
            doc.xpath("//n:title/text()", namespaces=NS), ["Ükımet otyrysy"]
        )
        self.assertEqual(doc.xpath("//n:language/text()", namespaces=NS), ["kk"])
        self.assertEqual(
            doc.xpath("//n:publication_date/text()", namespaces=NS),
            [w3c_datetime(self.story["kk"].first_published_at)],
        )

    @override_settings(AQPARAT_NEWS_SITEMAP_LIMIT=2)
    def test_capped_newest_first(self) -> None:
        self.assertEqual(settings.AQPARAT_NEWS_SITEMAP_LIMIT, 2)
        newer = [
            story_build(self.editions, {"en": f"Later {n}"})["en"] for n in range(2)
        ]
        locs = self.news("en").xpath("//s:loc/text()", namespaces=NS)
        self.assertEqual(locs, [newer[1].full_url, newer[0].full_url])

    def test_default_cap_is_googles_thousand(self) -> None:
        from aqparat.settings import base

        self.assertEqual(base.AQPARAT_NEWS_SITEMAP_LIMIT, 1000)
        self.assertEqual(base.AQPARAT_NEWS_SITEMAP_DAYS, 2)

    def test_offset_before_kazakhstan_moved_to_utc5(self) -> None:
        self.assertEqual(
            w3c_datetime(datetime(2024, 2, 29, 12, 0, tzinfo=UTC)),
            "2024-02-29T18:00:00+06:00",
        )
        self.assertEqual(
            w3c_datetime(datetime(2024, 3, 1, 12, 0, tzinfo=UTC)),
            "2024-03-01T17:00:00+05:00",
        )
        with time_machine.travel(datetime(2024, 2, 20, 6, 30, tzinfo=UTC), tick=False):
            story = story_build(self.editions, {"en": "Leap year story"})["en"]
            doc = self.news("en")
        dates = doc.xpath("//n:publication_date/text()", namespaces=NS)
        self.assertEqual(dates, ["2024-02-20T12:30:00+06:00"])
        self.assertEqual(doc.xpath("//s:loc/text()", namespaces=NS), [story.full_url])


@pytest.mark.parametrize(
    "dirty",
    [
        "a\x00b",  # PostgreSQL refuses to store it, SQLite and imports do not
        "a\x0bb",
        "a\x0cb",
        "a\x1fb",
        "a\x01\x08b",
        "a\ufffeb",
        "a\udc80b",
    ],
)
def test_xml_clean_strips_what_xml_cannot_carry(dirty: str) -> None:
    cleaned = xml_clean(dirty)
    assert cleaned == "ab"
    etree.fromstring(f"<t>{cleaned}</t>".encode(), STRICT)


def test_xml_clean_keeps_tabs_newlines_and_text() -> None:
    text = "Жаңалық\tнемесе\nновость\r, «tenge» & 😀"
    assert xml_clean(text) == text
