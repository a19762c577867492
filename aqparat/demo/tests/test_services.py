"""The demo newsroom: enough of our own content, the reference facts, idempotent."""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from html import unescape
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import timezone
from wagtail.models import Page, Site

from aqparat.analytics.selectors import most_read, page_views_total
from aqparat.demo.services import DemoResult, demo_newsroom_load
from aqparat.news.models import ArticlePage, HomePage
from aqparat.news.tests.html_checker import needs_java, vnu_messages
from aqparat.telegram.fake_server import FakeTelegram
from aqparat.telegram.models import TelegramChannel, TelegramPost
from aqparat.telegram.tests.conftest import TOKEN

REFERENCE_SLUG = "almaty-and-busan-mark-first-year-of-friendship-and-cooperation"


class DemoNewsroomTests(TestCase):
    result: DemoResult

    @classmethod
    def setUpTestData(cls) -> None:
        cls.result = demo_newsroom_load()

    def test_forty_articles_over_sixty_days(self) -> None:
        assert self.result.articles_created >= 40
        recent = ArticlePage.objects.live().filter(
            first_published_at__gte=timezone.now() - timedelta(days=60)
        )
        assert recent.count() >= 40
        assert not ArticlePage.objects.filter(
            first_published_at__gt=timezone.now()
        ).exists()
        assert ArticlePage.objects.filter(lead_image__credit="").count() == 0
        assert ArticlePage.objects.filter(tagged_items__isnull=True).count() == 0

    def test_reference_story_carries_the_reference_facts(self) -> None:
        story = ArticlePage.objects.get(slug=REFERENCE_SLUG)
        assert story.first_published_at == datetime(2023, 11, 16, 3, 58, tzinfo=UTC)
        assert story.lead_image is not None
        assert story.lead_image.credit == "MFA"
        attribution = story.source_attributions.get()
        assert (attribution.source.short_name, attribution.relation) == (
            "MFA",
            "citing",
        )
        assert page_views_total(page_id=story.pk) == 1098

    def test_reference_page_renders_from_the_demo(self) -> None:
        story = ArticlePage.objects.get(slug=REFERENCE_SLUG)
        html = self.client.get(story.url).content.decode()
        for fact in (
            "16.11.2023 09:58",
            "Photo: MFA",
            "1,098 views",
            "Aqparat reports, citing",
        ):
            assert fact in html

    def test_every_absolute_link_we_print_is_at_the_base_url_and_answers(
        self,
    ) -> None:
        """Issue 17: every absolute URL of our own on the home pages, the reference
        article in each edition, robots.txt, the feeds and the sitemaps (and the
        sitemaps they list) starts with AQPARAT_BASE_URL and answers 200. Before,
        the demo's site said localhost port 80 whatever address served it."""
        base = settings.AQPARAT_BASE_URL.rstrip("/")
        host = urlsplit(base).hostname
        story = ArticlePage.objects.get(slug=REFERENCE_SLUG)
        start = ["/robots.txt", "/sitemap.xml"]
        for language in ("kk", "kk-latn", "ru", "en"):
            start += [f"/{language}/", f"/{language}/rss/"]
        start += [
            page.url
            for page in Page.objects.filter(translation_key=story.translation_key)
        ]
        absolute = re.compile(r"""https?://[^\s"'<>\\]+""")
        seen: set[str] = set()
        documents = [self.client.get(path) for path in start]
        followed = 0
        while documents:
            response = documents.pop()
            self.assertEqual(response.status_code, 200, response.request)
            text = response.content.decode()
            for url in set(absolute.findall(unescape(text))):
                if urlsplit(url).hostname != host or url in seen:
                    continue  # another site's (share links, Telegram)
                seen.add(url)
                self.assertTrue(url.startswith(base + "/"), url)
                answer = self.client.get(url)
                self.assertEqual(answer.status_code, 200, url)
                followed += 1
                # The sitemaps' own links are followed too (every story's address).
                if answer["Content-Type"].startswith("application/xml"):
                    documents.append(answer)
        self.assertGreater(followed, 200)

    def test_every_edition_has_the_reference_story_and_a_few_have_their_own(
        self,
    ) -> None:
        story = ArticlePage.objects.get(slug=REFERENCE_SLUG)
        editions = {
            page.locale.language_code: page
            for page in Page.objects.filter(translation_key=story.translation_key)
        }
        self.assertEqual(set(editions), {"kk", "kk-latn", "ru", "en"})
        for page in editions.values():
            self.assertEqual(self.client.get(page.url).status_code, 200)
        per_language = Counter(
            ArticlePage.objects.live()
            .filter(alias_of=None)
            .values_list("locale__language_code", flat=True)
        )
        assert per_language["kk"] >= 40 and per_language["ru"] >= 40
        keys = Counter(
            ArticlePage.objects.filter(alias_of=None).values_list(
                "translation_key", flat=True
            )
        )
        assert sum(1 for n in keys.values() if n == 1) >= 4  # single-language stories

    @needs_java
    def test_every_kind_of_public_page_is_valid_html(self) -> None:
        urls = {
            "tags": "/en/tags/",
            "tag": "/en/tags/almaty/",
            "not-found": "/en/no-such/",
        }
        for code in ("kk", "kk-latn", "ru", "en"):
            article = (
                ArticlePage.objects.live().filter(locale__language_code=code).first()
            )
            assert article is not None
            urls |= {f"home-{code}": f"/{code}/", f"section-{code}": f"/{code}/news/",
                     f"article-{code}": article.url}  # fmt: skip
        with tempfile.TemporaryDirectory() as folder:
            files = []
            for name, url in urls.items():
                response = self.client.get(url)
                assert response.status_code in (200, 404), url
                files.append(Path(folder) / f"{name}.html")
                files[-1].write_bytes(response.content)
            problems = [
                f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
                for m in vnu_messages(files)
            ]
        assert problems == [], "\n".join(problems)

    def test_publishing_in_the_demo_posts_once_to_the_editions_channel(self) -> None:
        assert TelegramPost.objects.count() == 0  # the demo's own stories are not news
        assert sorted(TelegramChannel.objects.values_list("language", "chat")) == [
            ("en", "@aqparat_en"), ("kk", "@aqparat_kk"), ("ru", "@aqparat_ru"),
        ]  # fmt: skip
        fake = FakeTelegram(TOKEN).start()
        self.addCleanup(fake.stop)
        section = ArticlePage.objects.get(slug=REFERENCE_SLUG).get_parent()
        article = ArticlePage(title="Tram line opens", slug="", lead="It ran.",
                              body=[], live=False)  # fmt: skip
        section.add_child(instance=article)
        with override_settings(
            AQPARAT_TELEGRAM_API_URL=fake.base_url, AQPARAT_TELEGRAM_BOT_TOKEN=TOKEN
        ):
            for _ in range(2):  # publishing again does not post again
                with self.captureOnCommitCallbacks(execute=True):
                    article.save_revision().publish()
                article = ArticlePage.objects.get(pk=article.pk)

        [message] = fake.messages("@aqparat_en")
        assert message["text"].startswith("Tram line opens")
        assert fake.messages("@aqparat_kk") == fake.messages("@aqparat_ru") == []

    def test_recent_stories_have_hourly_counts_for_the_most_read_lists(self) -> None:
        english = most_read(language="en", period="7d", now=timezone.now())
        assert len(english) == 5
        assert english[0].views >= english[-1].views > 0
        html = self.client.get("/en/").content.decode()
        assert 'class="most-read"' in html

    def test_the_demo_journalist_writes_under_her_own_byline(self) -> None:
        from aqparat.news.models import Author

        journalist = get_user_model().objects.get(username="journalist")
        bylines = Author.objects.filter(user=journalist)
        languages = {author.locale.language_code for author in bylines}
        assert languages == {"kk", "ru", "en"}
        assert {
            author.name for author in bylines if author.locale.language_code == "en"
        } == {"Aigerim Nurlanova"}

    def test_loading_again_changes_nothing(self) -> None:
        counts = (
            ArticlePage.objects.count(),
            HomePage.objects.count(),
            Site.objects.count(),
        )
        again = demo_newsroom_load()
        assert again.articles_created == 0
        assert again.admin_password is None
        after = (
            ArticlePage.objects.count(),
            HomePage.objects.count(),
            Site.objects.count(),
        )
        assert after == counts


@pytest.mark.django_db
def test_command_prints_the_generated_admin_password_once() -> None:
    first, second = StringIO(), StringIO()
    call_command("load_demo_newsroom", stdout=first)
    call_command("load_demo_newsroom", stdout=second)
    admin = get_user_model().objects.get(username="admin")
    password = first.getvalue().split("with password: ")[1].split()[0]
    assert admin.is_superuser
    assert admin.check_password(password)
    assert "password" not in second.getvalue()


@pytest.mark.django_db
def test_the_command_refuses_settings_that_do_not_allow_the_demo() -> None:
    """Production settings: its staff's shared, printed password would be a
    newsroom account anyone reading the log could take over."""
    with override_settings(AQPARAT_DEMO_ALLOWED=False), pytest.raises(CommandError):
        call_command("load_demo_newsroom", stdout=StringIO())
    assert not get_user_model().objects.exists()
    assert (
        not Site.objects.filter(root_page__depth__gt=1)
        .exclude(
            hostname="localhost", root_page__title="Welcome to your new Wagtail site!"
        )
        .exists()
    )
