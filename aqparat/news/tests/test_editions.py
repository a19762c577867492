"""Three languages and the Kazakh Latin edition: routing, switcher, hreflang, labels."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from django.test import TestCase
from django.utils import timezone
from wagtail.models import Page

from aqparat.analytics.services import page_views_set
from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import Editions, editions_build, publish, story_build
from aqparat.rates.services import RateRow, rates_store

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
KK_TITLE = "Алматы мен Пусан достық туралы келісімнің бір жылдығын атап өтті"


def visible_text(html: str) -> str:
    """Text a reader sees: no tags, scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


class EditionsTests(TestCase):
    editions: Editions
    story: dict[str, ArticlePage]
    kk_only: dict[str, ArticlePage]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()
        cls.story = story_build(
            cls.editions,
            {
                "kk": KK_TITLE,
                "ru": "Алматы и Пусан отметили год дружбы и сотрудничества",
                "en": "Almaty and Busan mark a year of friendship",
            },
        )
        for page in cls.story.values():
            page_views_set(page_id=page.pk, views=1098)
        today = timezone.localdate()
        rates_store(
            rows=[RateRow("USD", today, Decimal("498.51"), 1, Decimal("1.12"), "UP")]
        )
        cls.kk_only = story_build(
            cls.editions, {"kk": "Қызылордада театр фестивалі өтті"}
        )

    def latin(self, page: Page) -> Page:
        return Page.objects.get(
            translation_key=page.translation_key, locale__language_code="kk-latn"
        )

    def test_the_story_is_served_in_all_four_editions(self) -> None:
        urls = {code: page.url for code, page in self.story.items()}
        urls["kk-latn"] = self.latin(self.story["kk"]).url
        self.assertTrue(urls["kk"].startswith("/kk/news/almaty-men-pusan-dostyq-"))
        self.assertTrue(
            urls["kk-latn"].startswith("/kk-latn/news/almaty-men-pusan-dostyq-")
        )
        self.assertTrue(urls["ru"].startswith("/ru/news/almaty-i-pusan-otmetili-"))
        for code, url in urls.items():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, code)
            self.assertContains(
                response, f'<html lang="{code.replace("latn", "Latn")}">'
            )

    def test_labels_counts_and_credit_are_in_the_page_language(self) -> None:
        expected = {
            "kk": ("Сурет: MFA", "1\xa0098 қаралым", "Ұлттық Банк бағамы"),
            "ru": ("Фото: MFA", "1\xa0098 просмотров", "Курсы Нацбанка"),
            "en": ("Photo: MFA", "1,098 views", "National Bank rates"),
        }
        for code, labels in expected.items():
            html = self.client.get(self.story[code].url).content.decode()
            for label in labels:
                self.assertIn(label, html, code)

    def test_russian_plurals(self) -> None:
        page = self.story["ru"]
        for views, label in ((1, "1 просмотр"), (2, "2 просмотра"), (5, "5 просмотров"),
                             (21, "21 просмотр")):  # fmt: skip
            page_views_set(page_id=page.pk, views=views)
            self.assertContains(self.client.get(page.url), label)

    def test_latin_page_has_no_cyrillic_but_the_language_names(self) -> None:
        html = self.client.get(self.latin(self.story["kk"]).url).content.decode()
        self.assertIn(
            "Almaty men Pusan dostyq turaly kelısımnıñ bır jyldyğyn atap öttı", html
        )
        self.assertIn("Suret: MFA", html)
        self.assertIn("1\xa0098 qaralym", html)
        names = {"Қазақша", "Русский"}
        leftovers = set(CYRILLIC.findall(visible_text(html)))
        self.assertTrue(leftovers <= set("".join(names)), leftovers)
        self.assertIn(">Қазақша</a>", html)
        shared = re.search(r'share__link--telegram" href="([^"]+)"', html)
        assert shared is not None
        self.assertIn("text=Almaty+men+Pusan", shared.group(1))

    def test_cyrillic_and_latin_pages_link_to_each_other(self) -> None:
        kk, latn = self.story["kk"], self.latin(self.story["kk"])
        self.assertContains(self.client.get(kk.url), f'href="{latn.url}"')
        self.assertContains(self.client.get(latn.url), f'href="{kk.url}"')

    def test_switcher_goes_to_the_same_story(self) -> None:
        html = self.client.get(self.story["en"].url).content.decode()
        for code in ("kk", "ru"):
            self.assertIn(f'href="{self.story[code].url}"', html)

    def test_switcher_falls_back_to_the_edition_home_with_a_note(self) -> None:
        html = self.client.get(self.kk_only["kk"].url).content.decode()
        self.assertIn('href="/ru/?untranslated=1"', html)
        self.assertIn('href="/en/?untranslated=1"', html)
        note = self.client.get("/ru/?untranslated=1")
        self.assertContains(note, "Этого материала пока нет на русском языке")
        self.assertNotContains(self.client.get("/ru/"), "Этого материала пока нет")

    def test_a_kazakh_only_story_is_404_in_russian(self) -> None:
        path = self.kk_only["kk"].url.replace("/kk/", "/ru/")
        self.assertEqual(self.client.get(path).status_code, 404)
        self.assertEqual(self.client.get(self.kk_only["kk"].url).status_code, 200)

    def test_hreflang_lists_exactly_the_existing_editions_and_x_default(self) -> None:
        def alternates(url: str) -> dict[str, str]:
            html = self.client.get(url).content.decode()
            return dict(
                re.findall(r'hreflang="([^"]+)" href="http://localhost([^"]+)"', html)
            )

        full = alternates(self.story["en"].url)
        self.assertEqual(set(full), {"kk", "kk-Latn", "ru", "en", "x-default"})
        self.assertEqual(full["x-default"], self.story["kk"].url)
        self.assertEqual(full["ru"], self.story["ru"].url)
        only_kk = alternates(self.kk_only["kk"].url)
        self.assertEqual(set(only_kk), {"kk", "kk-Latn", "x-default"})

    def test_hreflang_leaves_out_an_expired_translation(self) -> None:
        # Past its expiry but still live: the publication pass has not run yet.
        ArticlePage.objects.filter(pk=self.story["ru"].pk).update(
            expire_at=timezone.now() - timedelta(minutes=1)
        )
        html = self.client.get(self.story["en"].url).content.decode()
        hreflangs = set(re.findall(r'<link rel="alternate" hreflang="([^"]+)"', html))
        self.assertEqual(hreflangs, {"kk", "kk-Latn", "en", "x-default"})

    def test_og_locale_and_its_alternates(self) -> None:
        html = self.client.get(self.story["ru"].url).content.decode()
        self.assertIn('<meta property="og:locale" content="ru_KZ">', html)
        alternates = set(re.findall(r'og:locale:alternate" content="([^"]+)"', html))
        self.assertEqual(alternates, {"kk_KZ", "en_US"})

    def test_latin_edition_follows_unpublishing_and_republishing(self) -> None:
        kk = self.story["kk"]
        latin = self.latin(kk)
        kk.unpublish()
        latin.refresh_from_db()
        self.assertFalse(latin.live)
        self.assertEqual(self.client.get(latin.url or "/kk-latn/x/").status_code, 404)
        kk.title = "Алматы мен Пусан: жаңа тақырып"
        publish(kk)
        latin.refresh_from_db()
        self.assertTrue(latin.live)
        self.assertEqual(latin.title, "Алматы мен Пусан: жаңа тақырып")

    def test_latin_edition_follows_deletion(self) -> None:
        key = self.kk_only["kk"].translation_key
        self.kk_only["kk"].delete()
        self.assertFalse(Page.objects.filter(translation_key=key).exists())
