"""A photo's caption and alt text are those of the edition being read."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from aqparat.news.tests.factories import editions_build, story_build
from aqparat.translit.latin import to_latin

pytestmark = pytest.mark.django_db


def test_each_edition_shows_the_photos_words_in_its_language() -> None:
    editions = editions_build()
    story = story_build(editions, {"kk": "Алматы мен Пусан", "ru": "Алматы и Пусан",
                                   "en": "Almaty and Busan"})  # fmt: skip
    image = story["en"].lead_image
    assert image is not None
    reader = Client()
    for language in ("kk", "ru", "en"):
        page = html.unescape(reader.get(story[language].url).content.decode())
        assert f'alt="{image.alt_in(language)}"' in page, language
        assert image.caption_in(language) in page, language
    latin_url = story["kk"].url.replace("/kk/", "/kk-latn/", 1)
    latin = html.unescape(reader.get(latin_url).content.decode())
    assert f'alt="{to_latin(image.alt_kk)}"' in latin
    assert image.alt_kk not in latin
