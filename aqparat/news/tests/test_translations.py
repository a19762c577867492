"""Translations remember their source revision; editors see when the source changed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Locale

from aqparat.news.models import ArticlePage, TranslationSource
from aqparat.news.selectors import translation_is_stale, translation_status_list
from aqparat.news.tests.factories import (
    Editions,
    administrator_build,
    editions_build,
    publish,
    story_build,
)


class TranslationSourceTests(TestCase):
    editions: Editions
    editor: Any

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()
        cls.editor = administrator_build()

    def translate(self) -> tuple[ArticlePage, ArticlePage]:
        source = story_build(self.editions, {"kk": "Астанада жаңа мектеп ашылды"})["kk"]
        translation = source.copy_for_translation(
            Locale.objects.get(language_code="ru")
        )
        return source, translation

    def record(self, translation: ArticlePage) -> TranslationSource:
        return TranslationSource.objects.get(translation=translation)

    def test_copying_for_translation_records_the_source_revision(self) -> None:
        source, translation = self.translate()
        record = self.record(translation)
        self.assertEqual(record.source_id, source.pk)
        self.assertEqual(record.source_revision_id, source.live_revision_id)
        self.assertFalse(translation_is_stale(record=record))
        self.assertFalse(
            TranslationSource.objects.filter(
                translation__locale__language_code="kk-latn"
            ).exists()
        )

    def test_a_translation_does_not_inherit_the_sources_telegram_text(self) -> None:
        """The Kazakh post's wording must not go out in the Russian channel."""
        source = story_build(self.editions, {"kk": "Астанада жаңа мектеп ашылды"})["kk"]
        source.telegram_text = "Жаңа мектеп 1200 оқушыны қабылдайды."
        publish(source)
        russian = source.copy_for_translation(Locale.objects.get(language_code="ru"))
        self.assertEqual(russian.telegram_text, "")
        self.assertEqual(ArticlePage.objects.get(pk=russian.pk).telegram_text, "")

    def test_changed_source_text_makes_the_translation_stale(self) -> None:
        source, translation = self.translate()
        source.lead = "Мектепте 1200 оқушы оқиды."
        publish(source)
        self.assertTrue(translation_is_stale(record=self.record(translation)))

    def test_republishing_unchanged_text_does_not(self) -> None:
        source, translation = self.translate()
        publish(source)
        self.assertNotEqual(
            source.live_revision_id, self.record(translation).source_revision_id
        )
        self.assertFalse(translation_is_stale(record=self.record(translation)))

    def test_editor_sees_the_warning_and_marks_the_translation_current(self) -> None:
        source, translation = self.translate()
        source.title = "Астанада екі жаңа мектеп ашылды"
        publish(source)
        self.client.force_login(self.editor)
        edit = self.client.get(
            reverse("wagtailadmin_pages:edit", args=[translation.pk])
        )
        self.assertContains(edit, "Source changed since translation.")
        mark = reverse("news_translation_mark_current", args=[translation.pk])
        self.assertEqual(self.client.get(mark).status_code, 200)
        self.assertTrue(translation_is_stale(record=self.record(translation)))
        self.client.post(mark)
        self.assertFalse(translation_is_stale(record=self.record(translation)))
        edit = self.client.get(
            reverse("wagtailadmin_pages:edit", args=[translation.pk])
        )
        self.assertNotContains(edit, "Source changed since translation.")

    def test_report_lists_languages_and_stale_translations(self) -> None:
        source, translation = self.translate()
        source.title = "Астанада екі жаңа мектеп ашылды"
        publish(source)
        self.assertEqual(translation.locale.language_code, "ru")
        row = next(r for r in translation_status_list() if r.source.pk == source.pk)
        cells = {cell.language_code: cell for cell in row.cells}
        self.assertEqual(list(cells), ["kk", "ru", "en"])
        self.assertTrue(cells["ru"].stale)
        self.assertIsNone(cells["en"].page)
        self.client.force_login(self.editor)
        report = self.client.get(reverse("news_translation_status"))
        self.assertContains(report, "source changed")

    def test_only_editors_of_the_page_may_mark_it(self) -> None:
        source, translation = self.translate()
        source.title = "Астанада екі жаңа мектеп ашылды"
        publish(source)
        someone = get_user_model().objects.create_user(
            "someone", password="a-long-pass"
        )
        someone.user_permissions.add(Permission.objects.get(codename="access_admin"))
        self.client.force_login(someone)
        mark = reverse("news_translation_mark_current", args=[translation.pk])
        response = self.client.post(mark)
        self.assertNotEqual(response.status_code, 200)
        self.assertTrue(translation_is_stale(record=self.record(translation)))

    def test_the_admin_translate_action_copies_a_draft_and_records_its_source(
        self,
    ) -> None:
        source = story_build(self.editions, {"kk": "Ақтөбеде жаңа саябақ ашылды"})["kk"]
        ru = Locale.objects.get(language_code="ru")
        self.client.force_login(self.editor)
        url = reverse("simple_translation:submit_page_translation", args=[source.pk])
        response = self.client.post(url, {"locales": [ru.pk]})
        self.assertEqual(response.status_code, 302)
        copy = ArticlePage.objects.get(
            translation_key=source.translation_key, locale=ru
        )
        self.assertFalse(copy.live)
        self.assertEqual(copy.get_parent().pk, self.editions.sections["ru"].pk)
        self.assertEqual(self.record(copy).source_revision_id, source.live_revision_id)

    def test_slug_preview_uses_the_page_languages_table(self) -> None:
        self.client.force_login(self.editor)
        # Formatters travel as escaped JSON: ә is \u04d9 (-> a), щ -> shch.
        for code, letter in (("kk", "u04d9"), ("ru", "shch")):
            url = reverse(
                "wagtailadmin_pages:add",
                args=("news", "articlepage", self.editions.sections[code].pk),
            )
            html = self.client.get(url).content.decode()
            self.assertIn("data-w-slug-formatters-value", html, code)
            self.assertIn(
                letter, html.split("data-w-slug-formatters-value")[1][:4000], code
            )
