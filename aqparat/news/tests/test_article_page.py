"""The reference article page: every element, in order, with honest time and queries."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from aqparat.analytics.services import page_views_set
from aqparat.core.cache import RequestReads
from aqparat.core.models import SiteSettings
from aqparat.images.renditions import renditions_make
from aqparat.news.models import ArticlePage, ArticleSourceAttribution, SectionPage
from aqparat.news.tests.factories import (
    ArticlePageFactory,
    CustomImageFactory,
    SourceFactory,
    newsroom_build,
)
from aqparat.rates.services import RateRow, rates_store

# Warm, with the shared cache's fragments (core/pagecache.py): the page with its
# view total (routing, core/routing.py page_value). The story's rows (photo with
# its renditions, corrections, bylines, sources, tags), the edition links, related
# stories and the Telegram channel are fragments; the site, the edition root and
# view restrictions come from the cache.
ARTICLE_PAGE_QUERIES = 1
# And its reads of the shared cache, warm (core/cache.py: each is a round trip on
# Redis): one. The generations, the site, the edition root, the address, settings,
# navigation, the fragments and their retirement marks each depend on a read before
# them (four round trips more), but the address's last request read the same names,
# so the first round trip asks for them all. The demo's article asked Redis 23 times
# before the reads were batched (counted with redis-cli MONITOR), then 5.
ARTICLE_PAGE_CACHE_READS = 1
# 16.11.2023 09:58 in Almaty, when Kazakhstan was still on UTC+6.
REFERENCE_UTC = datetime(2023, 11, 16, 3, 58, tzinfo=UTC)


def reference_article(section: SectionPage) -> ArticlePage:
    article = ArticlePageFactory(
        parent=section,
        title="Almaty and Busan mark first year of friendship and cooperation",
        slug="almaty-and-busan",
        lead="Almaty and Busan reviewed a year of joint projects.",
        lead_image=CustomImageFactory(
            credit="MFA", caption_en="Delegations in Almaty."
        ),
        first_published_at=REFERENCE_UTC,
        body=[
            {
                "type": "paragraph",
                "value": "<p>Officials discussed direct flights.</p>",
            },
            {
                "type": "quote",
                "value": {"text": "A year of work.", "attribution": "Akim"},
            },
        ],
    )
    ArticleSourceAttribution.objects.create(
        page=article, source=SourceFactory(short_name="MFA"), relation="citing"
    )
    article.tags.add("almaty", "diplomacy")
    article.save()
    page_views_set(page_id=article.pk, views=1098)
    # Publication makes the photo's renditions after commit, which a TestCase never
    # reaches; make them here, so no view below measures their creation.
    renditions_make(image_ids=[article.lead_image_id])
    return article


class ArticlePageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.newsroom = newsroom_build()
        site = cls.newsroom.home.get_site()
        SiteSettings.objects.create(
            site=site,
            outlet_name="Aqparat",
            telegram_channel_url="https://t.me/aqparat_en",
            telegram_channel_name="@aqparat_en",
        )
        cls.article = reference_article(cls.newsroom.section)
        today = timezone.localdate()
        rates_store(
            rows=[
                RateRow("USD", today, Decimal("498.51"), 1, Decimal("1.12"), "UP"),
                RateRow("EUR", today, Decimal("522.84"), 1, Decimal("-0.47"), "DOWN"),
                RateRow("RUB", today, Decimal("4.81"), 1, Decimal("0"), ""),
            ]
        )

    def get_html(self) -> str:
        response = self.client.get(self.article.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_reference_elements_appear_in_order(self) -> None:
        html = self.get_html()
        markers = [
            'class="rates-ticker"',
            "498.51",
            "522.84",
            "4.81",
            'class="breadcrumb"',
            'class="article__section"',
            "<h1",
            "Almaty and Busan mark first year",
            "Photo: MFA",
            "16.11.2023 09:58",
            "1,098 views",
            "Aqparat reports, citing",
            ">MFA</abbr>",
            "Officials discussed direct flights.",
            "https://t.me/share/url?",
            "https://wa.me/?",
            "https://www.facebook.com/sharer/sharer.php?",
            "https://x.com/intent/post?",
            "https://vk.com/share.php?",
            "data-copy-link",
            'class="telegram-cta"',
            'href="https://t.me/aqparat_en"',
        ]
        body = html[html.index("<body") :]
        cursor, not_in_order = 0, []
        for marker in markers:
            found = body.find(marker, cursor)
            if found < 0:
                not_in_order.append(marker)
            else:
                cursor = found + len(marker)
        self.assertEqual(not_in_order, [], "missing, or not after the one before")

    def test_lead_ends_with_structured_attribution(self) -> None:
        html = self.get_html()
        lead = re.search(r'<p class="article__lead">(.*?)</p>', html, re.S)
        assert lead is not None
        text = re.sub(r"<[^>]+>", "", lead.group(1))
        self.assertEqual(
            text,
            "Almaty and Busan reviewed a year of joint projects, "
            "Aqparat reports, citing MFA.",
        )

    def test_time_element_carries_the_offset_of_its_day(self) -> None:
        html = self.get_html()
        self.assertIn('datetime="2023-11-16T09:58:00+06:00"', html)

    def test_time_after_march_2024_uses_utc_plus_five(self) -> None:
        later = ArticlePageFactory(
            parent=self.newsroom.section,
            first_published_at=datetime(2024, 3, 5, 4, 58, tzinfo=UTC),
        )
        html = self.client.get(later.url).content.decode()
        self.assertIn("05.03.2024 09:58", html)
        self.assertIn('datetime="2024-03-05T09:58:00+05:00"', html)

    def test_time_on_the_eve_of_the_change_still_uses_utc_plus_six(self) -> None:
        eve = ArticlePageFactory(
            parent=self.newsroom.section,
            first_published_at=datetime(2024, 2, 29, 17, 59, tzinfo=UTC),
        )
        self.assertIn("29.02.2024 23:59", self.client.get(eve.url).content.decode())

    def test_share_links_are_plain_and_carry_the_article_url(self) -> None:
        html = self.get_html()
        self.assertNotIn("<iframe", html)
        self.assertEqual(re.findall(r"<script[^>]*src=\"http", html), [])
        self.assertIn(
            "url=http%3A%2F%2Flocalhost%2Fen%2Fnews%2Falmaty-and-busan%2F", html
        )

    @override_settings(AQPARAT_FRAGMENT_CACHE=True)
    def test_query_count_is_fixed_and_small(self) -> None:
        """Warm caches (site roots, settings, navigation, ticker, fragments): the
        same few queries however many articles, authors or tags the edition has."""
        self.get_html()
        with self.assertNumQueries(ARTICLE_PAGE_QUERIES):
            self.get_html()
        ArticlePageFactory(parent=self.newsroom.section)
        self.article.tags.add("busan")
        self.article.save()
        with self.assertNumQueries(ARTICLE_PAGE_QUERIES):
            self.get_html()

    @override_settings(AQPARAT_FRAGMENT_CACHE=True)
    def test_cache_reads_are_fixed_and_few(self) -> None:
        backend = caches["default"]
        assert isinstance(backend, RequestReads)
        reads: list[list[str]] = []
        real = backend._get_made

        def counted(made: list[str]) -> dict[str, Any]:
            reads.append(made)
            return real(made)

        self.get_html()
        with mock.patch.object(backend, "_get_made", counted):
            self.get_html()
        self.assertEqual(len(reads), ARTICLE_PAGE_CACHE_READS, reads)
        asked = [key for trip in reads for key in trip]
        self.assertEqual(len(asked), len(set(asked)), "a key asked for twice")

    @override_settings(AQPARAT_FRAGMENT_CACHE=True)
    def test_cold_caches_cost_only_a_few_more_queries(self) -> None:
        with CaptureQueriesContext(connection) as cold:
            self.get_html()
        # Cold, 25 more than warm: the site (twice: ours and Wagtail's root paths),
        # the edition root and the page's address (core/routing.py), whether view
        # restrictions exist, settings, ticker, the four editions' navigation, the
        # most-read ranking (cached for a minute), the banner, renditions and the
        # fragments (the story's rows, edition links, related stories, the
        # Telegram channel).
        self.assertLessEqual(len(cold), ARTICLE_PAGE_QUERIES + 25)

    def test_can_create_under_a_section(self) -> None:
        self.assertCanCreateAt(SectionPage, ArticlePage)
        self.assertCanNotCreateAt(Page, ArticlePage)


class ArticleVisibilityTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.newsroom = newsroom_build()

    def test_unknown_article_is_404(self) -> None:
        response = self.client.get("/en/news/no-such-story/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Page not found", status_code=404)

    def test_draft_article_is_404(self) -> None:
        draft = ArticlePageFactory(
            parent=self.newsroom.section, live=False, slug="draft"
        )
        draft.save_revision()
        self.assertEqual(self.client.get("/en/news/draft/").status_code, 404)

    def test_scheduled_article_is_404_until_its_time(self) -> None:
        future = ArticlePageFactory(
            parent=self.newsroom.section,
            live=False,
            slug="future",
            first_published_at=None,
            last_published_at=None,
        )
        future.go_live_at = timezone.now() + timedelta(hours=2)
        future.save_revision().publish()
        future.refresh_from_db()
        self.assertFalse(future.live)
        self.assertEqual(self.client.get("/en/news/future/").status_code, 404)
