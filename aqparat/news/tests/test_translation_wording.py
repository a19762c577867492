"""The translation screens name a language in the admin's language and in the form
the sentence needs: a Kazakh admin reads "Ағылшын тіліне аудару", a Russian one
"Перевести на английский", never a language's own name ("English", "Русский",
"Қазақша") inside a Kazakh or Russian sentence."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from aqparat.news.panels import LANGUAGE_WORDING
from aqparat.news.selectors import edition_languages
from aqparat.news.tests.factories import (
    Editions,
    administrator_build,
    editions_build,
    publish,
    story_build,
)
from aqparat.users.tests.factories import signed_in

pytestmark = pytest.mark.django_db

NATIVE_NAMES = ("English", "Русский", "Қазақша")


@pytest.fixture
def editions() -> Editions:
    return editions_build()


def admin_in(language: str) -> Client:
    user = administrator_build(f"editor-{language}")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return signed_in(user)


def link_text(html: str, url: str) -> str:
    found = re.search(rf'<a href="{re.escape(url)}">([^<]*)</a>', html)
    assert found, url
    return found[1]


def text_of(html: str, marker: str) -> str:
    """The text of the element that holds `marker`, tags removed."""
    start = html.index(marker)
    block = html[html.rindex("<div", 0, start) : html.index("</div>", start)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block))


def test_every_edition_language_has_its_wording() -> None:
    assert set(edition_languages()) <= set(LANGUAGE_WORDING)


@pytest.mark.parametrize(
    ("admin", "lead", "into_ru", "into_en"),
    [
        ("kk", "Әлі аударылмаған:", "Орыс тіліне аудару", "Ағылшын тіліне аудару"),
        ("ru", "Ещё не переведено:", "Перевести на русский", "Перевести на английский"),
    ],
)
def test_the_story_offers_its_missing_translations_in_the_admins_language(
    editions: Editions, admin: str, lead: str, into_ru: str, into_en: str
) -> None:
    source = story_build(editions, {"kk": "Тек қазақша"})["kk"]
    html = (
        admin_in(admin)
        .get(reverse("wagtailadmin_pages:edit", args=[source.pk]))
        .content.decode()
    )
    assert lead in html
    into = {"ru": into_ru, "en": into_en}
    for language, phrase in into.items():
        url = reverse("news_translate", args=[source.pk, language])
        assert link_text(html, url) == phrase
    panel = text_of(html, lead)
    assert not any(name in panel for name in NATIVE_NAMES), panel


@pytest.mark.parametrize(
    ("admin", "current", "stale"),
    [
        (
            "kk",
            "Қазақ тіліндегі түпнұсқадан аударылған; түпнұсқа содан бері өзгерген жоқ.",
            "Бұл аударма жасалғаннан кейін қазақ тіліндегі түпнұсқа басқа мәтінмен "
            "жарияланды.",
        ),
        (
            "ru",
            "Переведено с оригинала на казахском, который с тех пор не менялся.",
            "После перевода оригинал на казахском опубликован с другим текстом.",
        ),
    ],
)
def test_a_translation_names_its_sources_language_in_the_admins_language(
    editions: Editions, admin: str, current: str, stale: str
) -> None:
    source = story_build(editions, {"kk": "Астанада жаңа мектеп ашылды"})["kk"]
    translation = source.copy_for_translation(Locale.objects.get(language_code="ru"))
    client = admin_in(admin)
    edit = reverse("wagtailadmin_pages:edit", args=[translation.pk])

    html = client.get(edit).content.decode()
    assert current in html
    assert not any(name in text_of(html, current) for name in NATIVE_NAMES)
    source.title = "Астанада екі жаңа мектеп ашылды"
    publish(source)
    html = client.get(edit).content.decode()
    assert stale in html
    assert not any(name in text_of(html, stale) for name in NATIVE_NAMES)


@pytest.mark.parametrize(
    ("admin", "label", "options", "intro"),
    [
        (
            "kk",
            "Аудармасы жоқ тіл",
            ["маңызды емес", "кемінде бір тіл", "қазақ тілі", "орыс тілі",
             "ағылшын тілі"],
            "«Тек қазақша» материалын орыс тіліне аудару үшін «Политика» айдарында "
            "суреті мен тегтері бар жоба жасалады.",
        ),
        (
            "ru",
            "Нет перевода на",
            ["не важно", "хотя бы один язык", "казахский", "русский", "английский"],
            "Для перевода «Тек қазақша» на русский будет создан черновик в рубрике "
            "«Политика» — с фото и тегами.",
        ),
    ],
)  # fmt: skip
def test_the_report_and_the_confirmation_speak_the_admins_language(
    editions: Editions, admin: str, label: str, options: list[str], intro: str
) -> None:
    source = story_build(editions, {"kk": "Тек қазақша"})["kk"]
    ru_section = editions.sections["ru"]
    ru_section.title = "Политика"  # whatever the fixture calls it
    ru_section.save_revision().publish()
    client = admin_in(admin)

    report = client.get(reverse("news_translation_status")).content.decode()
    assert f"<label>{label}" in report
    select = report[report.index('<select name="missing">') :]
    select = select[: select.index("</select>")]
    assert re.findall(r">([^<]+)</option>", select) == options
    confirm = client.get(reverse("news_translate", args=[source.pk, "ru"]))
    assert intro in confirm.content.decode()
