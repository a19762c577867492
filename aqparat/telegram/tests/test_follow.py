"""The call to follow on Telegram names the channel of the edition being read."""

from __future__ import annotations

import pytest
from django.test import Client

from aqparat.core.models import SiteSettings
from aqparat.news.tests.factories import story_build
from aqparat.telegram.tests.conftest import Newsroom

pytestmark = pytest.mark.django_db


def cta(url: str) -> str:
    page = Client().get(url).content.decode()
    return page.split('class="telegram-cta"')[1].split("</aside>")[0]


def test_each_edition_invites_readers_to_its_own_channel(newsroom: Newsroom) -> None:
    story = story_build(newsroom.editions, {"kk": "Алматы", "ru": "Алматы",
                                            "en": "Almaty"})  # fmt: skip
    for language in ("kk", "ru", "en"):
        box = cta(story[language].url)
        assert f'href="https://t.me/aqparat_{language}"' in box, language
        assert f"@aqparat_{language}" in box, language
    latin = cta(story["kk"].url.replace("/kk/", "/kk-latn/", 1))
    assert 'href="https://t.me/aqparat_kk"' in latin


def test_without_an_edition_channel_the_outlet_wide_one_is_named(
    newsroom: Newsroom,
) -> None:
    newsroom.channels["en"].enabled = False
    newsroom.channels["en"].save()
    settings = newsroom.channels["en"].site_settings
    SiteSettings.objects.filter(pk=settings.pk).update(
        telegram_channel_url="https://t.me/aqparat_news",
        telegram_channel_name="@aqparat_news",
    )
    story = story_build(newsroom.editions, {"en": "Almaty"})
    box = cta(story["en"].url)
    assert 'href="https://t.me/aqparat_news"' in box and "@aqparat_news" in box
