"""A breaking-news line across one edition, gone by itself when it expires."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from aqparat.news.models import BreakingBanner
from aqparat.news.tests.factories import (
    Editions,
    administrator_build,
    editions_build,
    story_build,
)

pytestmark = pytest.mark.django_db
TEXT = "Earthquake felt in Almaty"


@pytest.fixture
def editions() -> Editions:
    return editions_build()


def banner(language: str = "en", *, minutes: int = 30, **fields: Any) -> BreakingBanner:
    now = timezone.now()
    return BreakingBanner.objects.create(
        language=language, text=fields.pop("text", TEXT),
        link=fields.pop("link", "https://aqparat.kz/en/news/quake/"),
        starts_at=fields.pop("starts_at", now - timedelta(minutes=1)),
        expires_at=now + timedelta(minutes=minutes), **fields,
    )  # fmt: skip


def html(path: str) -> str:
    return Client().get(path).content.decode()


def test_every_page_of_its_edition_shows_it_and_no_other(editions: Editions) -> None:
    story = story_build(editions, {"en": "Alpha", "ru": "Альфа"})
    banner("en")
    for path in ("/en/", editions.sections["en"].url, story["en"].url):
        assert f'<a href="https://aqparat.kz/en/news/quake/">{TEXT}</a>' in html(path)
    assert TEXT not in html("/ru/") and TEXT not in html(story["ru"].url)


def test_the_latin_edition_shows_the_kazakh_banner_in_latin(editions: Editions) -> None:
    banner("kk", text="Алматыда жер сілкінді", link="")
    assert "Алматыда жер сілкінді" in html("/kk/")
    assert "Almatyda jer sılkındı" in html("/kk-latn/")


def test_it_appears_at_once_and_goes_at_its_time_without_a_flush(
    editions: Editions, time_machine: Any
) -> None:
    assert "breaking-banner" not in html("/en/")  # cached: no banner
    item = banner("en", minutes=10)
    assert TEXT in html("/en/")  # saved: shown at once
    time_machine.move_to(item.expires_at + timedelta(seconds=1))
    response = Client().get("/en/")
    assert TEXT not in response.content.decode()
    assert response["Last-Modified"] == http_date(item.expires_at.timestamp())


def test_a_banner_waits_for_its_start(editions: Editions, time_machine: Any) -> None:
    start = timezone.now() + timedelta(minutes=5)
    banner("en", starts_at=start, minutes=60)
    assert TEXT not in html("/en/")
    time_machine.move_to(start + timedelta(seconds=1))
    assert TEXT in html("/en/")


def test_it_must_end_after_it_starts_and_only_chief_editors_may_set_it(
    editions: Editions,
) -> None:
    url = reverse("wagtailsnippets_news_breakingbanner:add")
    now = timezone.localtime()

    def stamp(moment: Any) -> str:
        return str(moment.strftime("%Y-%m-%d %H:%M"))

    data = {"language": "en", "text": TEXT, "link": "", "starts_at": stamp(now),
            "expires_at": stamp(now - timedelta(hours=1))}  # fmt: skip
    chief = Client()
    chief.force_login(administrator_build())
    assert (
        "The banner must end after it starts." in chief.post(url, data).content.decode()
    )
    reporter = get_user_model().objects.create_user("reporter", password="x" * 12)
    reporter.user_permissions.add(Permission.objects.get(codename="access_admin"))
    outsider = Client()
    outsider.force_login(reporter)
    data["expires_at"] = (now + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    assert outsider.post(url, data).status_code in (302, 403)
    assert not BreakingBanner.objects.exists()
    assert chief.post(url, data).status_code == 302
    assert BreakingBanner.objects.get().text == TEXT
