"""A fake Bot API per test, channels for the three editions, quick article drafts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import override_settings
from wagtail.models import Site

from aqparat.core.models import SiteSettings
from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import Editions, editions_build
from aqparat.telegram.fake_server import FakeTelegram
from aqparat.telegram.models import PostStyle, TelegramChannel

TOKEN = "123456789:AAHfakeTokenForTestsOnly_0123456789abc"  # noqa: S105 - the fake's


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    server = FakeTelegram(TOKEN).start()
    server.stall_seconds = 3
    with override_settings(
        AQPARAT_TELEGRAM_API_URL=server.base_url,
        AQPARAT_TELEGRAM_BOT_TOKEN=TOKEN,
        AQPARAT_TELEGRAM_TIMEOUT=0.5,
        AQPARAT_TELEGRAM_MIN_INTERVAL=0,
        ADMINS=[("Desk", "desk@example.com")],
    ):
        yield server
    server.stop()


@dataclass
class Newsroom:
    editions: Editions
    channels: dict[str, TelegramChannel]

    def draft(
        self, language: str = "en", *, title: str = "Almaty and Busan sign an accord",
        lead: str = "The two cities agreed to work together.",
    ) -> ArticlePage:  # fmt: skip
        article = ArticlePage(title=title, slug="", lead=lead, body=[], live=False)
        self.editions.sections[language].add_child(instance=article)
        return article


@pytest.fixture
def newsroom(telegram: FakeTelegram) -> Newsroom:
    editions = editions_build()
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    channels = {
        language: TelegramChannel.objects.create(
            site_settings=site_settings,
            language=language,
            chat=f"@aqparat_{language}",
            post_style=PostStyle.LINK,
        )
        for language in ("kk", "ru", "en")
    }
    return Newsroom(editions=editions, channels=channels)
