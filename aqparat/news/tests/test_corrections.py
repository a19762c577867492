"""Readers see dated corrections and updates under the story, in Almaty time."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from aqparat.news.models import ArticleCorrection, ArticlePage
from aqparat.news.tests.factories import (
    administrator_build,
    editions_build,
    publish,
    story_build,
)

ALMATY = ZoneInfo("Asia/Almaty")

pytestmark = pytest.mark.django_db


@pytest.fixture
def story() -> dict[str, ArticlePage]:
    return story_build(
        editions_build(), {"en": "Almaty and Busan", "ru": "Алматы и Пусан"}
    )


def note(page: ArticlePage, kind: str, when: datetime, text: str) -> ArticlePage:
    page.corrections.add(ArticleCorrection(kind=kind, noted_at=when, text=text))
    return publish(page)


def test_a_correction_shows_its_almaty_time_and_text(
    story: dict[str, ArticlePage],
) -> None:
    english = note(story["en"], "correction", datetime(2023, 11, 17, 4, 15, tzinfo=UTC),
                   "An earlier version misspelt the mayor's name.")  # fmt: skip
    note(english, "update", datetime(2024, 3, 5, 6, 0, tzinfo=UTC), "Busan replied.")
    html = Client().get(english.url).content.decode()
    # 17.11.2023 was UTC+6 in Almaty; 05.03.2024 already UTC+5.
    assert (
        'Corrected <time datetime="2023-11-17T10:15:00+06:00">17.11.2023 10:15</time>:'
        "</strong> An earlier version misspelt the mayor&#x27;s name." in html
    )
    assert (
        'Updated <time datetime="2024-03-05T11:00:00+05:00">05.03.2024 11:00</time>'
        in html
    )
    assert html.index("Corrected") < html.index("Updated")


def test_the_russian_edition_says_it_in_russian(story: dict[str, ArticlePage]) -> None:
    russian = note(story["ru"], "correction", datetime(2023, 11, 17, 4, 15, tzinfo=UTC),
                   "Исправлено имя мэра.")  # fmt: skip
    html = Client().get(russian.url).content.decode()
    assert "Исправления и обновления" in html
    assert "<strong>Исправлено <time" in html


def test_a_draft_correction_is_not_shown_until_published(
    story: dict[str, ArticlePage],
) -> None:
    english = story["en"]
    english.corrections.add(ArticleCorrection(
        kind="correction", noted_at=datetime(2023, 11, 17, 4, 15, tzinfo=UTC),
        text="Not yet approved.",
    ))  # fmt: skip
    english.save_revision()
    assert "Not yet approved." not in Client().get(english.url).content.decode()
    publish(ArticlePage.objects.get(pk=english.pk).get_latest_revision_as_object())
    assert "Not yet approved." in Client().get(english.url).content.decode()


def test_no_corrections_no_section(story: dict[str, ArticlePage]) -> None:
    assert 'class="corrections"' not in Client().get(story["en"].url).content.decode()


def test_the_latest_note_is_the_articles_modified_time(
    story: dict[str, ArticlePage],
) -> None:
    page = story["en"]
    published = Client().get(page.url).content.decode()
    assert page.first_published_at is not None
    at = page.first_published_at.astimezone(ALMATY).isoformat(timespec="seconds")
    first = f'"{at}"'
    assert f'<meta property="article:modified_time" content={first}>' in published
    page = note(page, "correction", datetime(2023, 11, 17, 4, 15, tzinfo=UTC), "Name.")
    page = note(page, "update", datetime(2024, 3, 5, 6, 0, tzinfo=UTC), "Replied.")
    html = Client().get(page.url).content.decode()
    assert (
        '<meta property="article:modified_time" content="2024-03-05T11:00:00+05:00">'
        in html
    )
    assert f'<meta property="article:published_time" content={first}>' in html


def test_a_note_written_without_a_time_is_dated_when_saved(
    story: dict[str, ArticlePage], client: Client
) -> None:
    """The editor writes the note and saves: the empty time is the moment of the
    save, in the draft (its preview) and in what is published."""
    client.force_login(administrator_build())
    english = story["en"]
    before = timezone.now()
    data = nested_form_data({
        "title": english.title, "slug": english.slug, "lead": english.lead,
        "lead_image": english.lead_image_id, "lead_image_caption": "",
        "body": streamfield([("paragraph", rich_text("<p>A bridge.</p>"))]),
        "tags": "",
        "source_attributions": inline_formset([]),
        "article_authors": inline_formset([]),
        "corrections": inline_formset(
            [{"kind": "correction", "noted_at": "", "text": "The bridge is 2 km."}]
        ),
        "action-publish": "publish",
    })  # fmt: skip
    response = client.post(reverse("wagtailadmin_pages:edit", args=(english.pk,)), data)
    form = response.context["form"] if response.status_code == 200 else None
    assert response.status_code == 302, form and (
        form.errors,
        {n: f.errors for n, f in form.formsets.items()},
    )
    (correction,) = ArticlePage.objects.get(pk=english.pk).corrections.all()
    assert before <= correction.noted_at <= timezone.now()
    revision = ArticlePage.objects.get(pk=english.pk).latest_revision
    assert revision is not None
    assert revision.content["corrections"][0]["noted_at"]  # the draft has it too
    client.logout()
    shown = timezone.localtime(correction.noted_at, ALMATY).strftime("%d.%m.%Y %H:%M")
    assert shown in client.get(english.url).content.decode()
