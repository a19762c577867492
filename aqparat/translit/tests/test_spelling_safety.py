"""An editor's Latin spelling is plain text: the form refuses markup and control
characters, and a row that holds them (saved before the check) is never applied
to a Latin page, feed or API body, where spellings go as they are."""

from __future__ import annotations

import json

from defusedxml import ElementTree
from django.test import TestCase
from django.urls import reverse

from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import (
    Editions,
    administrator_build,
    editions_build,
    story_build,
)
from aqparat.translit.models import LatinSpelling
from aqparat.translit.services import latin_edition_page

HOSTILE = [
    ("Алматы", '<script>alert("x")</script>'),
    ("Алматы", 'Almaty" onmouseover="alert(1)'),
    ("Алматы", "Almaty &amp"),
    ("Алматы", "Alma\x00ty"),
    ("Алматы", "Alma\u2028ty"),
    ("link", "QQLINK"),  # no Cyrillic: would match the feed's <link> tags
    ("Алматы<", "QQALMATY"),
]


class SpellingSafetyTests(TestCase):
    editions: Editions
    story: dict[str, ArticlePage]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()
        cls.story = story_build(
            cls.editions, {"kk": "Алматыда жаңа көпір ашылды"}, lead="Алматы лиды."
        )

    def test_the_form_refuses_markup_and_control_characters(self) -> None:
        self.client.force_login(administrator_build())
        add = reverse("wagtailsnippets_translit_latinspelling:add")
        for cyrillic, latin in HOSTILE:
            response = self.client.post(add, {"cyrillic": cyrillic, "latin": latin})
            self.assertEqual(response.status_code, 200, (cyrillic, latin))
            self.assertContains(response, "error-message")
        self.assertFalse(LatinSpelling.objects.exists())
        self.client.post(add, {"cyrillic": "Алматы", "latin": "Almaty’s"})
        self.assertEqual(LatinSpelling.objects.get().latin, "Almaty’s")

    def test_a_hostile_row_is_never_applied(self) -> None:
        latin = latin_edition_page(page=self.story["kk"])
        assert latin is not None
        for cyrillic, spelling in HOSTILE:
            LatinSpelling.objects.all().delete()
            LatinSpelling.objects.create(cyrillic=cyrillic, latin=spelling)
            page = self.client.get(latin.url).content.decode()
            self.assertIn("Almatyda jaña köpır aşyldy", page)
            self.assertNotIn(spelling, page)
            feed = self.client.get("/kk-latn/rss/")
            self.assertEqual(feed.status_code, 200)
            ElementTree.fromstring(feed.content)  # well-formed
            self.assertNotIn(spelling.encode(), feed.content)
            self.assertIn(b"Almatyda ja\xc3\xb1a", feed.content)
            api = self.client.get("/api/v1/articles?language=kk-latn")
            self.assertEqual(api.status_code, 200)
            listed = json.dumps(json.loads(api.content), ensure_ascii=False)
            self.assertIn("Almatyda jaña köpır aşyldy", listed)
            self.assertNotIn(spelling, listed)
