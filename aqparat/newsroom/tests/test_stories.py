"""'All stories' (newsroom.stories): every article with its authors, section,
edition, status, go-live time and views; filters; permissions; a fixed number of
queries however long the archive."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Value
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.tables import Column

from aqparat.analytics.models import PageViewCount
from aqparat.news.models import ArticleAuthor, ArticlePage, Author
from aqparat.news.tests.factories import (
    Editions,
    administrator_build,
    editions_build,
    story_build,
)
from aqparat.newsroom import roles
from aqparat.newsroom.services import desk_assign
from aqparat.newsroom.stories import COLUMNS_HOOK
from aqparat.users.tests.factories import signed_in, staff_build

pytestmark = pytest.mark.django_db

URL = "/admin/stories/"


@pytest.fixture
def editions() -> Editions:
    return editions_build()


def headlines(client: Client, query: str = "") -> list[str]:
    response = client.get(URL + query)
    assert response.status_code == 200, response
    return [page.title for page in response.context["object_list"]]


def draft(editions: Editions, language: str, title: str) -> ArticlePage:
    article = ArticlePage(title=title, slug="", lead="Lead.", body=[], live=False)
    editions.sections[language].add_child(instance=article)
    article.save_revision()
    return article


def test_the_list_shows_each_storys_authors_section_edition_status_and_views(
    editions: Editions,
) -> None:
    story = story_build(editions, {"en": "A new bridge opens in Astana"})["en"]
    aigerim = Author.objects.create(
        name="Aigerim Nurlanova", slug="aigerim", locale=story.locale
    )
    ArticleAuthor.objects.create(page=story, author=aigerim)
    PageViewCount.objects.create(page=story, views=1234)
    draft(editions, "ru", "Черновик о мосте")

    assert reverse("stories:index") == URL
    client = signed_in(administrator_build())
    html = client.get(URL).content.decode()
    row = html[html.index("A new bridge opens in Astana") :]
    row = row[: row.index("</tr>")]
    for shown in ("Aigerim Nurlanova", "News", "English", "1,234", "live"):
        assert shown in row, shown
    assert "Черновик о мосте" in html
    menu = client.get("/admin/").content.decode()
    assert '"url": "/admin/stories/"' in menu


def test_filters_by_edition_status_section_and_author(editions: Editions) -> None:
    live = story_build(editions, {"en": "Live story", "ru": "Живой материал"})
    draft(editions, "en", "Draft story")
    scheduled = draft(editions, "en", "Scheduled story")
    scheduled.go_live_at = timezone.now() + timedelta(hours=3)
    scheduled.save_revision().publish()
    author = Author.objects.create(
        name="Daniyar", slug="daniyar", locale=live["en"].locale
    )
    ArticleAuthor.objects.create(page=live["en"], author=author)
    client = signed_in(administrator_build())

    assert headlines(client, "?locale=ru") == ["Живой материал"]
    assert set(headlines(client, "?locale=en&status=live")) == {"Live story"}
    assert headlines(client, "?status=scheduled") == ["Scheduled story"]
    assert headlines(client, "?locale=en&status=draft") == ["Draft story"]
    section = editions.sections["ru"].pk
    assert headlines(client, f"?section={section}") == ["Живой материал"]
    assert headlines(client, f"?author={author.pk}") == ["Live story"]
    # Newest go-live first; the scheduled time is its go-live; undated drafts last.
    assert headlines(client, "?locale=en") == [
        "Scheduled story", "Live story", "Draft story"
    ]  # fmt: skip


def test_only_newsroom_staff_may_open_it(editions: Editions) -> None:
    story_build(editions, {"en": "Live story"})
    outsider = signed_in(staff_build("visitor"))  # may enter the admin, no pages
    response = outsider.get(URL)
    assert response.status_code in (302, 403)
    assert "Live story" not in response.content.decode()


def test_a_page_of_stories_costs_the_same_queries_however_many(
    editions: Editions,
) -> None:
    client = signed_in(administrator_build())

    def cost(count: int) -> int:
        have = ArticlePage.objects.count()
        for index in range(have, count):
            story = story_build(editions, {"en": f"Story {index}"})["en"]
            author = Author.objects.create(
                name=f"Author {index}", slug=f"a{index}", locale=story.locale
            )
            ArticleAuthor.objects.create(page=story, author=author)
        client.get(URL)  # warm the content types and locales
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    few: Any = cost(3)
    assert cost(12) == few


def test_sorting_by_any_column_with_or_without_a_search_answers(
    editions: Editions,
) -> None:
    story_build(editions, {"en": "A new bridge opens in Astana"})
    client = signed_in(administrator_build())
    for query in ("?ordering=views", "?ordering=-views", "?ordering=go_live",
                  "?q=bridge&ordering=-go_live", "?q=bridge&ordering=views",
                  "?q=bridge&ordering=title", "?q=bridge"):  # fmt: skip
        response = client.get(URL + query)
        assert response.status_code == 200, query


def test_a_request_asks_the_features_for_their_columns_once(
    editions: Editions,
) -> None:
    story_build(editions, {"en": "A new bridge opens in Astana"})
    client = signed_in(administrator_build())
    calls: list[int] = []

    def counted() -> tuple[Column, dict[str, Any]]:
        calls.append(1)
        return Column("counted", label="Counted", sort_key="counted"), {
            "counted": Value(1)
        }

    with hooks.register_temporarily(COLUMNS_HOOK, counted):
        for query in ("", "?ordering=counted", "?q=bridge&ordering=title"):
            calls.clear()
            assert client.get(URL + query).status_code == 200, query
            assert len(calls) == 1, (query, len(calls))


def test_a_desk_editor_sees_only_the_stories_of_the_desks_sections(
    editions: Editions,
) -> None:
    # A superuser's listing skips Wagtail's permission filter (it keeps every row);
    # everyone else's must still be filtered.
    story_build(editions, {"en": "An English story", "ru": "Русский материал"})
    desk_assign(name="Russian news", sections=[editions.sections["ru"]])
    editor = signed_in(staff_build("desk", roles.EDITORS, "Desk: Russian news"))
    chief = signed_in(administrator_build())

    assert headlines(editor, "") == ["Русский материал"]
    assert headlines(editor, "?q=story") == []
    assert set(headlines(chief, "")) == {"An English story", "Русский материал"}


def stored_go_live(story: ArticlePage) -> Any:
    return ArticlePage.objects.values_list("live_from", flat=True).get(pk=story.pk)


def test_the_stored_go_live_time_follows_publish_schedule_unschedule_unpublish(
    editions: Editions,
) -> None:
    # The listing sorts and filters on ArticlePage.live_from: it must say what the
    # page's state says at every step.
    story = draft(editions, "en", "A story with a life")
    assert stored_go_live(story) is None

    later = timezone.now() + timedelta(hours=5)
    story.go_live_at = later
    revision = story.save_revision()
    revision.publish()
    assert stored_go_live(story) == later

    # Wagtail's "cancel schedule" (the revisions' unschedule view).
    client = signed_in(administrator_build())
    url = reverse(
        "wagtailadmin_pages:revisions_unschedule", args=[story.pk, revision.pk]
    )
    assert client.post(url).status_code == 302
    assert stored_go_live(story) is None

    story.refresh_from_db()
    story.go_live_at = None
    story.save_revision().publish()
    story.refresh_from_db()
    assert story.live
    assert story.first_published_at is not None
    assert stored_go_live(story) == story.first_published_at

    # A later change scheduled on a live story keeps its first publication.
    story.go_live_at = timezone.now() + timedelta(days=1)
    story.save_revision().publish()
    assert stored_go_live(story) == story.first_published_at

    story.refresh_from_db()
    story.unpublish()
    assert stored_go_live(story) is None


def test_the_listing_orders_and_filters_on_the_stored_time(editions: Editions) -> None:
    old, _newer = (
        story_build(editions, {"en": title})["en"] for title in ("Older", "Newer")
    )
    ArticlePage.objects.filter(pk=old.pk).update(
        first_published_at=timezone.now() - timedelta(days=2)
    )
    old.refresh_from_db()
    old.save()  # a save keeps the stored time equal to the first publication
    assert stored_go_live(old) == old.first_published_at
    soon = draft(editions, "en", "Soon")
    soon.go_live_at = timezone.now() + timedelta(hours=1)
    soon.save_revision().publish()
    draft(editions, "en", "Undated")
    client = signed_in(administrator_build())

    assert headlines(client, "?locale=en") == ["Soon", "Newer", "Older", "Undated"]
    assert headlines(client, "?locale=en&ordering=go_live") == [
        "Older", "Newer", "Soon", "Undated"
    ]  # fmt: skip
    assert headlines(client, "?locale=en&status=scheduled") == ["Soon"]
    assert headlines(client, "?locale=en&status=draft") == ["Undated"]


def test_an_editor_of_two_desks_sees_the_stories_of_both_and_no_other(
    editions: Editions,
) -> None:
    # The listing says Wagtail's explorable pages as path prefixes of the sections
    # a user's groups have rights in: each of them, and nothing beside.
    story_build(
        editions,
        {"en": "An English story", "ru": "Русский материал", "kk": "Қазақша жаңалық"},
    )
    desk_assign(name="Russian news", sections=[editions.sections["ru"]])
    desk_assign(name="Kazakh news", sections=[editions.sections["kk"]])
    editor = signed_in(
        staff_build(
            "two-desks", roles.EDITORS, "Desk: Russian news", "Desk: Kazakh news"
        )
    )

    assert set(headlines(editor, "")) == {"Русский материал", "Қазақша жаңалық"}
    assert headlines(editor, "?locale=en") == []
    assert headlines(editor, "?status=live&locale=kk") == ["Қазақша жаңалық"]


def test_a_deep_page_shows_its_own_rows_in_order(
    editions: Editions, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past the first page the rows' ids are found first, then read with their
    # annotations (StoriesPaginator): same rows, same order, in the same columns.
    from aqparat.newsroom.stories import StoriesIndexView

    monkeypatch.setattr(StoriesIndexView, "paginate_by", 2)
    now = timezone.now()
    for hours, title in enumerate(["One", "Two", "Three", "Four", "Five"]):
        story = story_build(editions, {"en": title})["en"]
        ArticlePage.objects.filter(pk=story.pk).update(
            live_from=now - timedelta(hours=hours)
        )
    client = signed_in(administrator_build())

    assert headlines(client, "?p=2") == ["Three", "Four"]
    assert headlines(client, "?p=3") == ["Five"]
    assert headlines(client, "?p=2&ordering=go_live") == ["Three", "Two"]
    assert "Four" in client.get(URL + "?p=2").content.decode()
