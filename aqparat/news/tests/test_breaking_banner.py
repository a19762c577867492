"""A breaking-news line across one edition, gone by itself when it expires."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

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


def banner_line(path: str) -> str:
    """The banner's paragraph alone (a story's card may link the same address)."""
    return html(path).split('<p class="breaking-banner"')[1].split("</p>")[0]


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


def test_a_banner_links_a_story_chosen_in_each_editions_own_language(
    editions: Editions,
) -> None:
    """One banner for all editions, pointing at a story: each edition links that
    story's translation (or the story itself where it has none)."""
    story = story_build(editions, {"en": "Quake", "ru": "Землетрясение"})
    banner("all", link="", page=story["en"])
    assert f'<a href="{story["en"].url}">{TEXT}</a>' in html("/en/")
    assert f'<a href="{story["ru"].url}">{TEXT}</a>' in html("/ru/")
    assert f'<a href="{story["en"].url}">{TEXT}</a>' in html("/kk/")


def test_the_latin_edition_links_the_latin_page_of_the_chosen_story(
    editions: Editions,
) -> None:
    story = story_build(editions, {"kk": "Жер сілкінісі"})["kk"]
    banner("kk", link="", page=story, text="Алматыда жер сілкінді")
    latin = story.url.replace("/kk/", "/kk-latn/")
    assert f'<a href="{story.url}">Алматыда жер сілкінді</a>' in html("/kk/")
    assert f'<a href="{latin}">Almatyda jer sılkındı</a>' in html("/kk-latn/")


def test_a_new_banner_lasts_two_hours_unless_the_editor_says_otherwise(
    editions: Editions,
) -> None:
    chief = Client()
    chief.force_login(administrator_build())
    form = chief.get(reverse("wagtailsnippets_news_breakingbanner:add"))
    expires = form.context["form"]["expires_at"].value()
    if timezone.is_naive(expires):  # the admin shows Almaty time
        expires = timezone.make_aware(expires, ZoneInfo("Asia/Almaty"))
    left = expires - timezone.now()
    assert timedelta(hours=2) - timedelta(minutes=1) < left <= timedelta(hours=2)


def test_a_story_published_as_breaking_is_the_banner_and_shows_once(
    editions: Editions,
) -> None:
    """The article's "breaking news" box and the banner are one mechanism: the
    story becomes its edition's banner for two hours, shown once per page."""
    from aqparat.news.models import ArticlePage
    from aqparat.news.tests.factories import publish

    article = ArticlePage(title="Quake felt in Almaty", slug="", lead="Lead.",
                          body=[], breaking=True)  # fmt: skip
    editions.sections["en"].add_child(instance=article)
    article = publish(article)
    made = BreakingBanner.objects.get()
    assert (made.language, made.text, made.page_id) == ("en", article.title, article.pk)
    assert timedelta(hours=1, minutes=59) < made.expires_at - made.starts_at
    page = html("/en/")
    assert page.count('class="breaking-banner"') == 1
    assert f'<a href="{article.url}">Quake felt in Almaty</a></p>' in page
    assert 'class="breaking"' not in page  # no second, differently styled line
    publish(ArticlePage.objects.get(pk=article.pk))  # a later edit: no new banner
    assert BreakingBanner.objects.count() == 1


def test_a_copy_or_a_translation_of_a_breaking_story_makes_no_banner(
    editions: Editions,
) -> None:
    from wagtail.models import Locale

    from aqparat.news.models import ArticlePage
    from aqparat.news.tests.factories import publish

    article = ArticlePage(title="Quake felt in Almaty", slug="", lead="Lead.",
                          body=[], breaking=True)  # fmt: skip
    editions.sections["en"].add_child(instance=article)
    article = publish(article)
    assert BreakingBanner.objects.count() == 1
    copy = article.copy(keep_live=True, update_attrs={"title": "Copy", "slug": "copy"})
    translation = article.copy_for_translation(Locale.objects.get(language_code="ru"))
    publish(translation)
    assert BreakingBanner.objects.count() == 1
    assert not copy.breaking and not translation.breaking


def test_a_banner_never_links_a_story_that_is_not_live(editions: Editions) -> None:
    """Unpublished after the banner was shown, the story's address is a 404: the
    cached banner moves on at once and links the banner's other link, or nothing."""
    story = story_build(editions, {"en": "Quake", "ru": "Землетрясение"})
    banner("all", link="", page=story["en"])  # cached below
    assert f'<a href="{story["en"].url}">{TEXT}</a>' in banner_line("/en/")
    assert f'<a href="{story["ru"].url}">{TEXT}</a>' in banner_line("/ru/")
    story["ru"].unpublish()
    assert f'<a href="{story["en"].url}">{TEXT}</a>' in banner_line("/ru/")  # the story
    story["en"].unpublish()
    for edition in ("/en/", "/ru/"):
        assert banner_line(edition).endswith(f"</strong> {TEXT}")  # no link


def test_a_banner_links_a_translation_as_soon_as_it_goes_live(
    editions: Editions,
) -> None:
    from aqparat.news.tests.factories import publish

    story = story_build(editions, {"en": "Quake", "ru": "Землетрясение"})
    story["ru"].unpublish()
    banner("all", link="", page=story["en"])
    assert f'<a href="{story["en"].url}">{TEXT}</a>' in banner_line("/ru/")  # cached
    publish(story["ru"])
    assert f'<a href="{story["ru"].url}">{TEXT}</a>' in banner_line("/ru/")


def test_a_moved_story_is_linked_at_its_new_address(editions: Editions) -> None:
    from aqparat.news.models import SectionPage

    story = story_build(editions, {"en": "Quake"})["en"]
    other = SectionPage(title="World", slug="world")
    editions.homes["en"].add_child(instance=other)
    other.save_revision().publish()
    banner("en", link="", page=story)
    assert f'<a href="{story.url}">' in banner_line("/en/")  # now cached
    story.move(other, pos="last-child")
    story.refresh_from_db()
    assert "/world/" in story.url
    assert f'<a href="{story.url}">' in banner_line("/en/")


def test_a_deleted_story_leaves_the_banner_without_its_link(editions: Editions) -> None:
    story = story_build(editions, {"en": "Quake"})["en"]
    banner("en", link="https://aqparat.kz/en/live/", page=story)
    assert f'<a href="{story.url}">' in banner_line("/en/")  # now cached
    story.delete()
    assert '<a href="https://aqparat.kz/en/live/">' in banner_line("/en/")
