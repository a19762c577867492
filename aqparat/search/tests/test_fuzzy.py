"""The PostgreSQL-only fallback: too few hits -> pg_trgm fuzzy matching."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import TestCase, override_settings

from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import Editions, editions_build, story_build
from aqparat.search.selectors import article_search_ids, fuzzy_text


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="fuzzy fallback needs PostgreSQL's pg_trgm; SQLite has no fuzzy search",
)
class FuzzyFallbackTests(TestCase):
    editions: Editions
    story: dict[str, ArticlePage]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()
        cls.story = story_build(
            cls.editions,
            {
                "kk": "Жылдық инфляция төртінші ай қатарынан баяулады",
                "ru": "Годовая инфляция замедляется четвертый месяц подряд",
                "en": "Annual inflation slows for a fourth month",
            },
        )

    def test_typos_find_the_story_through_trigrams(self) -> None:
        for code, typo in (("en", "inflaton"), ("ru", "инфляцыя"), ("kk", "инфлация")):
            with self.subTest(code=code):
                found = article_search_ids(query=typo, language_code=code)
                assert found == [self.story[code].pk]

    @override_settings(AQPARAT_SEARCH_FUZZY=False)
    def test_without_the_fallback_typos_find_nothing(self) -> None:
        assert article_search_ids(query="inflaton", language_code="en") == []

    def test_fuzzy_stays_in_the_edition(self) -> None:
        assert article_search_ids(query="inflaton", language_code="ru") == []


def test_fuzzy_text_reads_latin_kazakh_back_into_cyrillic() -> None:
    assert fuzzy_text("Qazaqstan jañalyqtary", "kk") == "қазақстан жаңалықтары"
    assert fuzzy_text("Inflaton!", "en") == "inflaton"
