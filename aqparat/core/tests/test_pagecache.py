"""The app's page cache: what it answers, what it never keeps, and what retires what.

Each test turns the cache on (the suite renders uncached by default) and runs the
after-commit callbacks of the changes it makes, as a real request or job would.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from unittest.mock import patch

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from aqparat.core import pagecache
from aqparat.core.models import SiteSettings
from aqparat.news.models import ArticlePage, BreakingBanner, SectionPage, TagIndexPage
from aqparat.news.tests.factories import (
    Editions,
    editions_build,
    publish,
    story_build,
)
from aqparat.rates.services import RateRow, rates_store
from aqparat.translit.latin import to_latin
from aqparat.translit.models import LatinSpelling

HEADER = pagecache.HEADER


def latin_of(page: Page) -> Page:
    return Page.objects.get(alias_of=page)


def public(content: str) -> HttpResponse:
    return HttpResponse(content, headers={"Cache-Control": "public, s-maxage=300"})


@override_settings(AQPARAT_PAGE_CACHE=True, AQPARAT_FRAGMENT_CACHE=True)
class CachedNewsroom(TestCase):
    """Three editions (and the Latin one) with a story in each, its neighbour in the
    same section and an unrelated story in another."""

    editions: Editions
    story: dict[str, ArticlePage]
    other: ArticlePage
    neighbour: ArticlePage
    tags: TagIndexPage

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()
        cls.tags = TagIndexPage(title="Тегтер", slug="tags")
        cls.editions.homes["kk"].add_child(instance=cls.tags)
        publish(cls.tags)
        cls.story = story_build(
            cls.editions,
            {
                "kk": "Астанада жаңа көпір ашылды",
                "ru": "В Астане открыли новый мост",
                "en": "A new bridge opens in Astana",
            },
        )
        cls.story["kk"].tags.add("көпір")
        publish(cls.story["kk"])
        cls.neighbour = story_build(
            cls.editions, {"kk": "Астанада жол жөндеуі аяқталды"}
        )["kk"]
        sport = SectionPage(title="Спорт", slug="sport", show_in_menus=True)
        cls.editions.homes["kk"].add_child(instance=sport)
        publish(sport)
        cls.other = story_build(
            Editions(homes=cls.editions.homes, sections={"kk": sport}),
            {"kk": "Шымкентте марафон өтті"},
        )["kk"]

    def get(self, url: str, **headers: Any) -> Any:
        response = self.client.get(url, headers=headers)
        self.assertEqual(response.status_code, 200, url)
        return response

    def committed(self) -> AbstractContextManager[Any]:
        return self.captureOnCommitCallbacks(execute=True)

    def correct_the_story(
        self, title: str = "Астанада жаңа жаяу жүргіншілер көпірі ашылды"
    ) -> str:
        """An editor publishes a corrected headline of the Kazakh story."""
        with self.committed():
            article = ArticlePage.objects.get(pk=self.story["kk"].pk)
            article.title = title
            publish(article)
        return title

    def warm(self, urls: list[str]) -> None:
        for url in urls:
            self.get(url)
            self.assertEqual(self.get(url)[HEADER], "HIT", url)

    def listing_urls(self) -> list[str]:
        latin_home = latin_of(self.editions.homes["kk"])
        return [
            self.editions.homes["kk"].url,
            latin_home.url,
            self.editions.homes["ru"].url,
            self.editions.homes["en"].url,
            self.editions.sections["kk"].url,
            "/kk/rss/",
            "/sitemap.xml",
            reverse("sitemap_news", args=["kk"]),
            reverse("sitemap_articles", args=["kk", 1]),
        ]

    def story_urls(self) -> list[str]:
        return [
            self.story["kk"].url,
            latin_of(self.story["kk"]).url,
            self.story["ru"].url,
            self.story["en"].url,
        ]


class PageCacheTests(CachedNewsroom):
    # --- what it answers ---------------------------------------------------------

    def test_second_reader_is_answered_from_the_cache_without_a_query(self) -> None:
        url = self.story["kk"].url
        first = self.get(url)
        self.assertEqual(first[HEADER], "MISS")
        with CaptureQueriesContext(connection) as queries:
            second = self.get(url)
        self.assertEqual(second[HEADER], "HIT")
        self.assertEqual(len(queries), 0)
        self.assertEqual(second.content, first.content)
        for name in ("Content-Type", "Cache-Control", "Last-Modified", "ETag"):
            self.assertEqual(second[name], first[name], name)

    def test_a_reader_with_the_copy_gets_304(self) -> None:
        url = self.story["kk"].url
        etag = self.get(url)["ETag"]
        with CaptureQueriesContext(connection) as queries:
            again = self.client.get(url, headers={"if-none-match": etag})
        self.assertEqual(again.status_code, 304)
        self.assertEqual(len(queries), 0)  # answered from the stored ETag

    def test_tracking_parameters_share_the_page_and_other_queries_bypass(self) -> None:
        url = self.story["kk"].url
        self.get(url)
        self.assertEqual(self.get(url + "?utm_source=telegram&fbclid=x")[HEADER], "HIT")
        search = reverse("search")
        self.get(search + "?q=көпір")
        self.assertNotIn(HEADER, self.get(search + "?q=көпір"))
        home = self.editions.homes["kk"].url
        self.assertEqual(self.get(home + "?page=1")[HEADER], "MISS")
        self.assertEqual(self.get(home + "?page=1")[HEADER], "HIT")
        self.assertEqual(self.get(home)[HEADER], "MISS")  # its own entry

    # --- what it never keeps -----------------------------------------------------

    def test_a_signed_in_editor_neither_reads_nor_fills_it(self) -> None:
        editor = get_user_model().objects.create_superuser("chief", "c@example.kz", "x")
        self.client.force_login(editor)
        url = self.story["kk"].url
        self.assertNotIn(HEADER, self.get(url))
        self.assertNotIn(HEADER, self.get(url))
        self.client.logout()
        self.assertEqual(self.get(url)[HEADER], "MISS")  # nothing was stored
        self.client.force_login(editor)
        self.assertNotIn(HEADER, self.get(url))  # and the stored copy is not theirs

    def test_drafts_and_previews_are_never_cached(self) -> None:
        article = self.story["kk"]
        url = article.url
        self.get(url)
        article.title = "ЖОБА: көпір туралы жазба"
        revision = article.save_revision()  # a draft, not published
        self.assertNotIn("ЖОБА", self.get(url).content.decode())
        editor = get_user_model().objects.create_superuser("chief", "c@example.kz", "x")
        self.client.force_login(editor)
        preview = self.client.get(
            reverse("wagtailadmin_pages:revisions_view", args=[article.pk, revision.pk])
        )
        self.assertContains(preview, "ЖОБА")
        self.assertNotIn(HEADER, preview)
        self.client.logout()
        read = self.get(url)
        self.assertEqual(read[HEADER], "HIT")
        self.assertNotIn("ЖОБА", read.content.decode())

    def test_the_view_counter_pixel_is_never_cached(self) -> None:
        pixel = reverse("view_pixel", args=[self.story["kk"].pk])
        for _ in range(2):
            self.assertNotIn(HEADER, self.client.get(pixel))

    # --- what retires what ------------------------------------------------------

    def test_a_correction_retires_the_story_in_every_edition_and_every_listing(
        self,
    ) -> None:
        tag_slug = self.story["kk"].tags.get().slug
        listings = self.listing_urls()
        listings += [
            f"{self.tags.url}{tag_slug}/",
            f"{latin_of(self.tags).url}{tag_slug}/",
        ]
        urls = self.story_urls() + listings
        self.warm(urls)
        other = self.other.url
        neighbour = self.neighbour.url  # lists the story among related ones
        self.warm([other, neighbour])
        corrected = self.correct_the_story()
        for url in urls:
            self.assertEqual(self.get(url)[HEADER], "MISS", url)
        shows = [self.story["kk"].url, self.editions.homes["kk"].url,
                 self.editions.sections["kk"].url, f"{self.tags.url}{tag_slug}/",
                 "/kk/rss/", reverse("sitemap_news", args=["kk"])]  # fmt: skip
        for url in shows:
            self.assertIn(corrected, self.get(url).content.decode(), url)
        latin = to_latin(corrected)
        for url in (
            latin_of(self.story["kk"]).url,
            latin_of(self.editions.homes["kk"]).url,
        ):
            self.assertIn(latin, self.get(url).content.decode(), url)
        self.assertIn(corrected, self.get(neighbour).content.decode())
        # Exact: a story that neither is nor links the corrected one keeps its copy.
        self.assertEqual(self.get(other)[HEADER], "HIT")

    def test_unpublishing_takes_the_story_out_of_the_cache_at_once(self) -> None:
        url = self.story["kk"].url
        home = self.editions.homes["kk"].url
        self.warm([url, home])
        with self.committed():
            self.story["kk"].unpublish()
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertNotIn(self.story["kk"].title, self.get(home).content.decode())

    def test_a_new_story_refreshes_the_listings(self) -> None:
        home = self.editions.homes["kk"].url
        section = self.editions.sections["kk"].url
        self.warm([home, section, "/kk/rss/"])
        with self.committed():
            story_build(self.editions, {"kk": "Алматыда жаңа саябақ ашылды"})
        for url in (home, section, "/kk/rss/"):
            self.assertIn("жаңа саябақ", self.get(url).content.decode(), url)

    def test_moving_a_story_retires_its_old_address(self) -> None:
        article = self.story["kk"]
        old = article.url
        self.warm([old])
        sport = SectionPage.objects.get(slug="sport", locale__language_code="kk")
        with self.committed():
            article.move(sport, pos="last-child")
        moved = self.client.get(old)  # Wagtail's redirect to the new address
        self.assertEqual(moved.status_code, 301)
        self.assertEqual(moved["Location"], ArticlePage.objects.get(pk=article.pk).url)

    def test_what_every_page_prints_retires_every_page(self) -> None:
        urls = [*self.story_urls(), self.other.url, self.editions.homes["kk"].url]
        changes: list[Callable[[], object]] = [
            lambda: BreakingBanner.objects.create(
                language="kk",
                text="Шұғыл: жер сілкінісі",
                starts_at=timezone.now() - timedelta(minutes=1),
                expires_at=timezone.now() + timedelta(hours=1),
            ),
            lambda: rates_store(
                rows=[
                    RateRow(
                        "USD",
                        date(2026, 12, 3),
                        Decimal("512.40"),
                        1,
                        Decimal("1.10"),
                        "UP",
                    )
                ]
            ),
            lambda: SiteSettings.for_site(self.editions.homes["kk"].get_site()).save(),
            lambda: LatinSpelling.objects.create(cyrillic="Астана", latin="Astana"),
        ]
        for change in changes:
            self.warm(urls)
            with self.committed():
                change()
            for url in urls:
                self.assertEqual(self.get(url)[HEADER], "MISS", (change, url))

    def test_a_render_that_began_before_a_retirement_is_not_kept_as_fresh(
        self,
    ) -> None:
        """An editor commits while a reader's render is under way: the copy made
        from the old data must not pass for fresh afterwards."""
        dependency = pagecache.story("a-story")

        def render_across_a_commit(request: HttpRequest) -> HttpResponse:
            pagecache.depends_on(request, dependency)
            old = public("the old headline")  # read before the editor's commit
            pagecache._retire_now([dependency])
            return old

        def render(request: HttpRequest) -> HttpResponse:
            pagecache.depends_on(request, dependency)
            return public("the corrected headline")

        factory = RequestFactory()
        first = pagecache.PageCacheMiddleware(render_across_a_commit)(
            factory.get("/kk/a-story/")
        )
        self.assertEqual(first[HEADER], "MISS")
        second = pagecache.PageCacheMiddleware(render)(factory.get("/kk/a-story/"))
        self.assertEqual(second[HEADER], "MISS")
        self.assertEqual(second.content, b"the corrected headline")
        third = pagecache.PageCacheMiddleware(render_across_a_commit)(
            factory.get("/kk/a-story/")
        )
        self.assertEqual(third[HEADER], "HIT")  # a render after the commit is fresh

    def test_one_reader_rebuilds_while_the_others_get_the_copy(self) -> None:
        url = self.story["kk"].url
        old = self.get(url).content
        self.correct_the_story("Көпір туралы түзетілген жаңалық")
        digest = pagecache.cache_key(self.client.get(url).wsgi_request)
        self.assertIsNotNone(digest)
        # The first reader after the correction rebuilt it; retire once more and
        # let another process hold the rebuild.
        with self.committed():
            pagecache.retire(pagecache.story(self.story["kk"].translation_key))
        held = pagecache._LOCK_KEY.format(digest=digest)
        self.assertTrue(cache.add(held, 1, 30))
        stale = self.get(url)
        self.assertEqual(stale[HEADER], "STALE")
        self.assertNotEqual(stale.content, old)  # the copy the last rebuild made
        self.assertIn("Көпір туралы түзетілген", stale.content.decode())
        cache.delete(held)
        self.assertEqual(self.get(url)[HEADER], "MISS")

    def test_off_means_every_request_renders(self) -> None:
        url = self.story["kk"].url
        with override_settings(AQPARAT_PAGE_CACHE=False):
            self.get(url)
            self.assertNotIn(HEADER, self.get(url))


@override_settings(AQPARAT_PAGE_CACHE=False)
class FragmentTests(CachedNewsroom):
    """Pages rendered every time, with their fragments from the shared cache
    (related stories, the edition links, the Telegram channel): retired as pages
    are."""

    def test_a_fragment_is_built_once_for_every_render(self) -> None:
        from aqparat.news.templatetags import news_tags

        url = self.neighbour.url
        with patch.object(
            news_tags, "article_list_related", wraps=news_tags.article_list_related
        ) as related:
            for _ in range(3):
                self.assertIn(self.story["kk"].title, self.get(url).content.decode())
        self.assertEqual(related.call_count, 1)

    def test_a_correction_of_a_related_story_reaches_the_pages_that_list_it(
        self,
    ) -> None:
        neighbour = self.neighbour.url
        self.get(neighbour)
        corrected = self.correct_the_story()
        self.assertIn(corrected, self.get(neighbour).content.decode())

    def test_a_correction_reaches_the_cards_that_show_the_story(self) -> None:
        from aqparat.news.templatetags import news_tags

        listings = [self.editions.homes["kk"].url, self.editions.sections["kk"].url,
                    latin_of(self.editions.homes["kk"]).url]  # fmt: skip
        for url in listings:
            self.get(url)
        corrected = self.correct_the_story()
        with patch.object(
            news_tags, "listing_photos", wraps=news_tags.listing_photos
        ) as photos:
            for url in listings[:2]:
                self.assertIn(corrected, self.get(url).content.decode(), url)
        self.assertIn(to_latin(corrected), self.get(listings[2]).content.decode())
        self.assertGreater(photos.call_count, 0)  # its cards were rendered again
        with patch.object(
            news_tags, "listing_photos", wraps=news_tags.listing_photos
        ) as photos:
            for url in listings:
                self.get(url)
        self.assertEqual(photos.call_count, 0)  # every card from the cache

    def test_a_preview_shows_the_drafts_own_rows_not_the_kept_ones(self) -> None:
        from aqparat.news.models import ArticleCorrection

        article = ArticlePage.objects.get(pk=self.story["kk"].pk)
        self.get(article.url)  # the published story's rows are kept
        note = "Көпірдің ұзындығы түзетілді"
        article.corrections.add(
            ArticleCorrection(kind="correction", noted_at=timezone.now(), text=note)
        )
        revision = article.save_revision()  # a draft
        editor = get_user_model().objects.create_superuser("chief", "c@example.kz", "x")
        self.client.force_login(editor)
        preview = self.client.get(
            reverse("wagtailadmin_pages:revisions_view", args=[article.pk, revision.pk])
        )
        self.assertContains(preview, note)
        self.client.logout()
        self.assertNotIn(note, self.get(article.url).content.decode())

    def test_a_new_translation_appears_in_the_edition_links(self) -> None:
        url = self.neighbour.url
        self.assertIn("?untranslated=1", self.get(url).content.decode())
        with self.committed():
            translation = ArticlePage(
                title="Road repairs end in Astana", slug="road-repairs", lead="L.",
                body=[], translation_key=self.neighbour.translation_key,
            )  # fmt: skip
            self.editions.sections["en"].add_child(instance=translation)
            publish(translation)
        html = self.get(url).content.decode()
        self.assertIn(f'hreflang="en" href="http://localhost{translation.url}"', html)

    def test_site_settings_retire_the_telegram_channel(self) -> None:
        url = self.story["kk"].url
        self.assertNotIn("t.me/aqparat_kk", self.get(url).content.decode())
        with self.committed():
            settings_ = SiteSettings.for_site(self.editions.homes["kk"].get_site())
            settings_.telegram_channel_url = "https://t.me/aqparat_kk"
            settings_.save()
        self.assertIn("t.me/aqparat_kk", self.get(url).content.decode())


@override_settings(AQPARAT_PAGE_CACHE=False)
class SharedHtmlTests(CachedNewsroom):
    """What the pages of an edition show alike (navigation, feed links, the most
    read block) is rendered once and kept as HTML, retired as pages are."""

    def renders_of(self, module: Any, template: str, urls: list[str]) -> list[str]:
        """The pages' HTML, and how often `template` was rendered for them."""
        from django.template.loader import get_template

        made: list[str] = []

        def counted(name: str) -> Any:
            if name == template:
                made.append(name)
            return get_template(name)

        with patch.object(module, "get_template", counted):
            pages = [self.get(url).content.decode() for url in urls]
        self.renders = len(made)
        return pages

    def test_the_navigation_is_rendered_once_for_each_section_it_marks(self) -> None:
        from aqparat.news.templatetags import news_tags

        news, sport = self.neighbour.url, self.other.url
        pages = self.renders_of(
            news_tags, "components/section_nav.html", [news, news, sport, sport, news]
        )
        self.assertEqual(self.renders, 2)  # the news section's, then the sport's
        section = self.editions.sections["kk"].url
        self.assertIn(f'href="{section}" aria-current="page"', pages[0])
        self.assertEqual(pages[0], pages[4])
        self.assertNotIn(f'href="{section}" aria-current="page"', pages[2])
        self.assertIn('/sport/" aria-current="page"', pages[2])

    def test_a_new_section_reaches_the_navigation_of_every_page(self) -> None:
        url = self.other.url
        self.get(url)
        with self.committed():
            culture = SectionPage(title="Мәдениет", slug="culture", show_in_menus=True)
            self.editions.homes["kk"].add_child(instance=culture)
            publish(culture)
        self.assertIn(f'href="{culture.url}"', self.get(url).content.decode())

    def test_the_feed_links_are_rendered_once_for_each_section(self) -> None:
        from aqparat.syndication.templatetags import feed_tags

        news, sport = self.neighbour.url, self.other.url
        pages = self.renders_of(
            feed_tags, "components/feed_links.html", [news, sport, news, sport]
        )
        self.assertEqual(self.renders, 2)
        self.assertIn("/kk/rss/sport/", pages[1])
        self.assertNotIn("/kk/rss/sport/", pages[0])
        self.assertEqual(pages[1], pages[3])

    def test_the_most_read_block_is_rendered_once_an_edition(self) -> None:
        from aqparat.analytics.templatetags import analytics_tags

        home, story = self.editions.homes["kk"].url, self.story["kk"].url
        with patch.object(
            analytics_tags, "most_read", wraps=analytics_tags.most_read
        ) as ranking:
            for url in (home, story, home, story):
                self.get(url)
            self.get(self.editions.homes["ru"].url)
        self.assertEqual(ranking.call_count, 2)  # Kazakh, then Russian
