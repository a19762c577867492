"""Most read per edition and period, trending, and the editors' tables."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from aqparat.analytics.models import DailyPageViews, HourlyPageViews
from aqparat.analytics.selectors import (
    article_daily_views,
    daily_bars,
    most_read,
    top_articles,
    trending,
)
from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import (
    Editions,
    administrator_build,
    editions_build,
    story_build,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editions() -> Editions:
    return editions_build()


def views(page: ArticlePage, *, hours_ago: float, count: int) -> None:
    hour = (timezone.now() - timedelta(hours=hours_ago)).replace(
        minute=0, second=0, microsecond=0
    )
    language = page.locale.language_code
    HourlyPageViews.objects.update_or_create(
        page=page, hour=hour, defaults={"language": language, "views": count}
    )
    day = timezone.localdate(hour)
    row, _ = DailyPageViews.objects.get_or_create(
        page=page, day=day, defaults={"language": language}
    )
    row.views += count
    row.save()


def test_most_read_ranks_an_editions_live_public_articles(editions: Editions) -> None:
    a = story_build(editions, {"en": "Alpha", "ru": "Альфа"})
    b = story_build(editions, {"en": "Bravo"})["en"]
    c = story_build(editions, {"en": "Charlie"})["en"]
    hidden = story_build(editions, {"en": "Private"})["en"]
    gone = story_build(editions, {"en": "Gone"})["en"]
    views(a["en"], hours_ago=1, count=30)
    views(b, hours_ago=2, count=50)
    views(c, hours_ago=30, count=500)  # yesterday: only in the week's list
    views(a["ru"], hours_ago=1, count=999)  # another edition
    views(hidden, hours_ago=1, count=900)
    views(gone, hours_ago=1, count=800)
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    gone.unpublish()

    day = most_read(language="en", period="24h", now=timezone.now())
    assert [(m.title, m.views) for m in day] == [("Bravo", 50), ("Alpha", 30)]
    assert day[0].url == b.get_url()
    week = most_read(language="en", period="7d", now=timezone.now())
    assert [m.title for m in week] == ["Charlie", "Bravo", "Alpha"]
    assert [m.title for m in most_read(language="ru", now=timezone.now())] == ["Альфа"]


def test_the_latin_edition_ranks_the_kazakh_stories_with_latin_links(
    editions: Editions,
) -> None:
    story = story_build(editions, {"kk": "Алматы мен Пусан"})["kk"]
    views(story, hours_ago=1, count=7)
    [item] = most_read(language="kk-latn", now=timezone.now())
    latin = ArticlePage.objects.get(alias_of=story)
    assert (item.url, item.views) == (latin.get_url(), 7)


def test_the_home_and_article_pages_show_most_read_localized(
    editions: Editions,
) -> None:
    story = story_build(editions, {"ru": "Альфа", "en": "Alpha"})
    views(story["ru"], hours_ago=1, count=1098)
    views(story["en"], hours_ago=1, count=1098)
    russian = Client().get("/ru/").content.decode()
    assert "Самое читаемое за сутки" in russian
    assert "1\xa0098 просмотров" in russian
    english = Client().get(story["en"].url).content.decode()
    assert 'class="most-read"' in english and "1,098 views" in english


def test_most_read_is_cached_for_a_minute(editions: Editions) -> None:
    story = story_build(editions, {"en": "Alpha"})["en"]
    views(story, hours_ago=1, count=3)
    assert most_read(language="en")[0].views == 3
    views(story, hours_ago=1, count=9)
    assert most_read(language="en")[0].views == 3  # cached
    assert most_read(language="en", now=timezone.now())[0].views == 9


def test_trending_compares_the_last_hours_with_the_usual_rate(
    editions: Editions,
) -> None:
    steady = story_build(editions, {"en": "Steady"})["en"]
    spike = story_build(editions, {"en": "Spike"})["en"]
    for hour in range(4, 7 * 24, 6):
        views(steady, hours_ago=hour, count=60)  # ~10 an hour, all week
    views(steady, hours_ago=1, count=30)
    views(spike, hours_ago=1, count=120)
    found = trending(language="en", now=timezone.now())
    assert [t.title for t in found] == ["Spike", "Steady"]
    assert found[0].recent == 120 and found[0].ratio > 10 * found[1].ratio


def test_editors_tables_filter_by_period_edition_and_section(
    editions: Editions,
) -> None:
    story = story_build(editions, {"en": "Alpha", "ru": "Альфа"})
    DailyPageViews.objects.create(page=story["en"], language="en",
                                  day=date(2026, 3, 1), views=5)  # fmt: skip
    DailyPageViews.objects.create(page=story["en"], language="en",
                                  day=date(2026, 3, 3), views=7)  # fmt: skip
    DailyPageViews.objects.create(page=story["ru"], language="ru",
                                  day=date(2026, 3, 2), views=11)  # fmt: skip
    rows = top_articles(start=date(2026, 3, 1), end=date(2026, 3, 3))
    assert [(r.title, r.language, r.views) for r in rows] == [
        ("Alpha", "en", 12), ("Альфа", "ru", 11),
    ]  # fmt: skip
    english = top_articles(start=date(2026, 3, 1), end=date(2026, 3, 2), language="en")
    assert [(r.title, r.views, r.section) for r in english] == [("Alpha", 5, "News en")]
    in_ru_section = top_articles(start=date(2026, 3, 1), end=date(2026, 3, 3),
                                 section_id=editions.sections["ru"].pk)  # fmt: skip
    assert [r.title for r in in_ru_section] == ["Альфа"]

    days = article_daily_views(page_id=story["en"].pk, start=date(2026, 3, 1),
                               end=date(2026, 3, 3))  # fmt: skip
    assert [d.views for d in days] == [5, 0, 7]
    bars = daily_bars(days)
    assert bars[2].height == 160 and bars[1].height == 0


def test_the_admin_report_and_its_csv(editions: Editions) -> None:
    story = story_build(editions, {"en": "=HYPERLINK(evil)"})["en"]
    today = timezone.localdate()
    DailyPageViews.objects.create(page=story, language="en", day=today, views=1098)
    client = Client()
    client.force_login(administrator_build())
    html = client.get(reverse("audience_report")).content.decode()
    assert "1,098" in html and "=HYPERLINK(evil)" in html
    csv = client.get(reverse("audience_report") + "?format=csv&language=en")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0] == "\ufeffpage_id,title,edition,section,views"
    assert lines[1] == f"{story.pk},'=HYPERLINK(evil),en,News en,1098"
    bad = client.get(reverse("audience_report") + "?start=2026-05-01&end=2026-01-01")
    assert "The period starts after it ends." in bad.content.decode()
    chart = client.get(reverse("audience_article", args=(story.pk,)))
    assert chart.status_code == 200 and "<rect" in chart.content.decode()


def test_only_editors_see_the_audience_reports(editions: Editions) -> None:
    story = story_build(editions, {"en": "Draft-ish"})["en"]
    reporter = get_user_model().objects.create_user("reporter", password="x" * 12)
    reporter.user_permissions.add(Permission.objects.get(codename="access_admin"))
    editor = get_user_model().objects.create_user("desk", password="x" * 12)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(Group.objects.get(name="Editors"))
    for user, allowed in ((reporter, False), (editor, True)):
        client = Client()
        client.force_login(user)
        for url in (reverse("audience_report"),
                    reverse("audience_article", args=(story.pk,))):  # fmt: skip
            response = client.get(url)
            assert (response.status_code == 200) is allowed, (user, url)
        menu = client.get("/admin/").content.decode()
        assert (reverse("audience_report") in menu) is allowed, user
