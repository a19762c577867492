"""Translation as work: "translate into …" makes the linked draft in that edition
(with the story's photo and tags) from the story and from the report; the report
lists live stories, filters, and links each gap to that action; the dashboard
counts recent stories that lack a translation."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from wagtail.models import Locale

from aqparat.news.models import ArticlePage, TranslationSource
from aqparat.news.tests.factories import (
    Editions,
    administrator_build,
    editions_build,
    story_build,
)
from aqparat.users.tests.factories import signed_in, staff_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def editions() -> Editions:
    return editions_build()


def translate_url(page: Any, language: str) -> str:
    return reverse("news_translate", args=[page.pk, language])


def test_translate_into_makes_the_linked_draft_with_photo_and_tags(
    editions: Editions,
) -> None:
    source = story_build(editions, {"kk": "Ақтөбеде жаңа саябақ ашылды"})["kk"]
    source.tags.add("Ақтөбе")
    source.save_revision().publish()
    client = signed_in(administrator_build())

    confirm = client.get(translate_url(source, "ru"))
    assert confirm.status_code == 200
    assert (
        "Русский" in confirm.content.decode() or "Russian" in confirm.content.decode()
    )
    response = client.post(translate_url(source, "ru"))
    draft = ArticlePage.objects.get(
        translation_key=source.translation_key, locale__language_code="ru"
    )
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[draft.pk])
    assert not draft.live
    assert draft.get_parent().pk == editions.sections["ru"].pk
    assert draft.lead_image_id == source.lead_image_id
    assert list(draft.tags.names()) == ["Ақтөбе"]
    assert TranslationSource.objects.get(translation=draft).source_id == source.pk
    # Asked again (a second click, another editor): the same draft, not a second.
    again = client.post(translate_url(source, "ru"))
    assert again["Location"] == response["Location"]
    assert (
        ArticlePage.objects.filter(translation_key=source.translation_key).count() == 3
    )


def test_only_staff_who_may_write_in_that_edition_may_translate(
    editions: Editions,
) -> None:
    source = story_build(editions, {"kk": "Ақтөбеде жаңа саябақ ашылды"})["kk"]
    outsider = signed_in(staff_build("visitor"))
    assert outsider.post(translate_url(source, "ru")).status_code in (302, 403)
    assert outsider.get(translate_url(source, "de")).status_code in (302, 403, 404)
    assert not ArticlePage.objects.filter(locale__language_code="ru").exists()


def test_the_report_lists_live_stories_filters_and_links_each_gap(
    editions: Editions,
) -> None:
    both = story_build(editions, {"kk": "Екі тілде", "ru": "На двух языках"})["kk"]
    alone = story_build(editions, {"kk": "Тек қазақша"})["kk"]
    draft = ArticlePage(title="Жоба ғана", slug="", lead="Лид.", body=[], live=False)
    editions.sections["kk"].add_child(instance=draft)
    client = signed_in(administrator_build())
    url = reverse("news_translation_status")

    def titles(query: str = "") -> list[str]:
        return [row.title for row in client.get(url + query).context["rows"]]

    assert set(titles()) == {"Екі тілде", "Тек қазақша"}  # no drafts
    assert titles("?missing=ru") == ["Тек қазақша"]
    assert set(titles("?missing=en")) == {"Екі тілде", "Тек қазақша"}
    assert titles(f"?section={editions.sections['kk'].pk}&missing=ru") == [
        "Тек қазақша"
    ]
    html = client.get(url + "?missing=ru").content.decode()
    assert f'href="{translate_url(alone, "ru")}"' in html
    assert f'href="{translate_url(both, "ru")}"' not in html


def test_the_dashboard_counts_recent_stories_that_lack_a_translation(
    editions: Editions,
) -> None:
    story_build(editions, {"kk": "Екі тілде", "ru": "На двух языках", "en": "Both"})
    story_build(editions, {"kk": "Тек қазақша"})
    html = signed_in(administrator_build()).get("/admin/").content.decode()
    assert "1 recent story lacks a translation." in html
    assert reverse("news_translation_status") + "?missing=" in html


def test_the_story_links_its_missing_translations(editions: Editions) -> None:
    source = story_build(editions, {"kk": "Тек қазақша"})["kk"]
    client = signed_in(administrator_build())
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[source.pk]))
    html = edit.content.decode()
    for language in ("ru", "en"):
        assert f'href="{translate_url(source, language)}"' in html, language


def test_a_journalist_may_not_copy_a_draft_they_may_not_edit(
    editions: Editions,
) -> None:
    """Another writer's unpublished draft (an embargoed story, say) is not copied
    into another edition by someone who may not edit it; the translator owns the
    draft they make."""
    from aqparat.newsroom import roles

    secret = ArticlePage(title="Under embargo", slug="", lead="Secret lead.",
                         body=[], live=False)  # fmt: skip
    editions.sections["kk"].add_child(instance=secret)
    secret.save_revision()
    journalist = staff_build("aigerim", roles.JOURNALISTS)
    response = signed_in(journalist).post(translate_url(secret, "ru"))
    assert response.status_code in (302, 403)
    assert not ArticlePage.objects.filter(
        lead="Secret lead.", locale__language_code="ru"
    ).exists()
    admin = administrator_build()
    signed_in(admin).post(translate_url(secret, "ru"))
    draft = ArticlePage.objects.get(translation_key=secret.translation_key,
                                    locale__language_code="ru")  # fmt: skip
    assert draft.owner_id == admin.pk


def test_a_translation_posts_to_telegram_as_its_own_section_says(
    editions: Editions,
) -> None:
    """The target section decides, as for a story written there: the Russian desk
    keeps its channel for stories it chose, whatever the Kazakh story said."""
    from aqparat.news.services import translation_draft

    editions.sections["ru"].telegram_default = False
    editions.sections["ru"].save_revision().publish()
    source = story_build(editions, {"kk": "Ақтөбеде жаңа саябақ ашылды"})["kk"]
    assert source.telegram_post
    user = administrator_build()
    russian = translation_draft(source=source, language="ru", user=user)
    english = translation_draft(source=source, language="en", user=user)
    for draft, posts in ((russian, False), (english, True)):
        assert draft.specific.telegram_post is posts
        assert draft.get_latest_revision_as_object().telegram_post is posts  # the form


def test_a_second_click_while_the_first_is_copying_gets_the_same_draft(
    editions: Editions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two clicks (or two translators) at once: the second finds no translation
    yet, then meets the first one's row; it opens that draft, no server error."""
    source = story_build(editions, {"kk": "Ақтөбеде жаңа саябақ ашылды"})["kk"]
    client = signed_in(administrator_build())
    first = client.post(translate_url(source, "ru"))
    # The second request looked before the first one's draft was committed.
    monkeypatch.setattr(ArticlePage, "get_translation_or_none", lambda *a, **k: None)
    second = client.post(translate_url(source, "ru"))
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert (
        ArticlePage.objects.filter(translation_key=source.translation_key).count() == 3
    )


def story_in_a_kazakh_only_section(editions: Editions) -> tuple[Any, ArticlePage]:
    """A live story in "Мәдениет", a section the other editions do not have yet."""
    from aqparat.news.models import SectionPage
    from aqparat.news.tests.factories import publish

    culture = SectionPage(title="Мәдениет", slug="madeniet")
    editions.homes["kk"].add_child(instance=culture)
    publish(culture)
    story = ArticlePage(title="Театр маусымы ашылды", slug="", lead="Лид.", body=[])
    culture.add_child(instance=story)
    return culture, publish(story)


def test_translating_where_the_section_has_no_edition_says_what_to_do(
    editions: Editions,
) -> None:
    """The story's section is not in that edition yet: not "permission denied",
    but which section to translate first."""
    from django.contrib.messages import get_messages

    _culture, story = story_in_a_kazakh_only_section(editions)
    client = signed_in(administrator_build())
    response = client.post(translate_url(story, "ru"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[story.pk])
    [said] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Мәдениет" in said
    assert not ArticlePage.objects.filter(locale__language_code="ru").exists()


def test_no_link_is_offered_where_the_section_has_no_edition(
    editions: Editions,
) -> None:
    """The story's edit screen and the report offer "translate" only into the
    editions its section is in; a section translated later makes the link appear."""
    from aqparat.news.tests.factories import publish

    culture, story = story_in_a_kazakh_only_section(editions)
    client = signed_in(administrator_build())
    edit_url = reverse("wagtailadmin_pages:edit", args=[story.pk])
    report_url = reverse("news_translation_status")
    for url in (edit_url, report_url):
        html = client.get(url).content.decode()
        assert f'href="{translate_url(story, "ru")}"' not in html, url
    russian = culture.copy_for_translation(Locale.objects.get(language_code="ru"))
    publish(russian)
    for url in (edit_url, report_url):
        html = client.get(url).content.decode()
        assert f'href="{translate_url(story, "ru")}"' in html, url
