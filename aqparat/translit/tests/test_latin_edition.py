"""The Latin edition: aliases kept in step, editor spellings, every page in Latin."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.test import TestCase
from wagtail.models import Page, PageViewRestriction

from aqparat.news.models import SectionPage
from aqparat.news.tests.factories import Editions, editions_build, publish, story_build
from aqparat.translit.middleware import html_to_latin
from aqparat.translit.models import LatinSpelling
from aqparat.translit.services import latin_edition_page


class LatinEditionTests(TestCase):
    editions: Editions

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()

    def test_publishing_a_kazakh_page_creates_its_latin_alias_once(self) -> None:
        story = story_build(self.editions, {"kk": "Компьютер сауаты курсы басталды"})[
            "kk"
        ]
        latin = latin_edition_page(page=story)
        assert latin is not None
        self.assertEqual(latin.alias_of_id, story.pk)
        self.assertEqual(latin.slug, story.slug)
        self.assertEqual(latin.url, story.url.replace("/kk/", "/kk-latn/"))
        publish(story)
        self.assertEqual(
            Page.objects.filter(translation_key=story.translation_key).count(), 2
        )

    def test_russian_and_english_pages_get_no_latin_alias(self) -> None:
        story = story_build(self.editions, {"ru": "Курс компьютерной грамотности"})[
            "ru"
        ]
        self.assertIsNone(latin_edition_page(page=story))

    def test_editor_spelling_overrides_the_table_on_the_page(self) -> None:
        story = story_build(self.editions, {"kk": "Компьютер сауаты курсы басталды"})[
            "kk"
        ]
        latin_url = latin_edition_page(page=story).url  # type: ignore[union-attr]
        self.assertContains(
            self.client.get(latin_url), "Kompiuter sauaty kursy bastaldy"
        )
        LatinSpelling.objects.create(cyrillic="Компьютер", latin="Kompıuter")
        self.assertContains(
            self.client.get(latin_url), "Kompıuter sauaty kursy bastaldy"
        )

    def test_moving_a_kazakh_page_moves_its_alias(self) -> None:
        story = story_build(self.editions, {"kk": "Спорт жаңалығы"})["kk"]
        sport = SectionPage(title="Спорт", slug="sport", show_in_menus=True)
        self.editions.homes["kk"].add_child(instance=sport)
        publish(sport)
        story.move(sport, pos="last-child")
        latin = latin_edition_page(page=story)
        assert latin is not None
        self.assertEqual(latin.get_parent().pk, latin_edition_page(page=sport).pk)  # type: ignore[union-attr]
        self.assertTrue(latin.url.startswith("/kk-latn/sport/"))

    def test_a_private_kazakh_story_is_private_in_the_latin_edition(self) -> None:
        story = story_build(self.editions, {"kk": "Жабық жиналыс өтті"})["kk"]
        latin = latin_edition_page(page=story)
        assert latin is not None
        self.assertEqual(self.client.get(latin.url).status_code, 200)
        rule = PageViewRestriction.objects.create(
            page=story, restriction_type=PageViewRestriction.GROUPS
        )
        rule.groups.set([Group.objects.create(name="Staff only")])
        mirror = PageViewRestriction.objects.get(page=latin)
        self.assertEqual(mirror.restriction_type, PageViewRestriction.GROUPS)
        self.assertEqual([g.name for g in mirror.groups.all()], ["Staff only"])
        self.assertEqual(self.client.get(latin.url).status_code, 302)  # to sign-in
        self.assertFalse(Page.objects.public().filter(pk=latin.pk).exists())
        rule.delete()
        self.assertEqual(self.client.get(latin.url).status_code, 200)
        self.assertTrue(Page.objects.public().filter(pk=latin.pk).exists())

    def test_a_private_kazakh_section_hides_its_latin_stories(self) -> None:
        story = story_build(self.editions, {"kk": "Бөлім жабылды"})["kk"]
        section = story.get_parent()
        PageViewRestriction.objects.create(
            page=section, restriction_type=PageViewRestriction.LOGIN
        )
        latin = latin_edition_page(page=story)
        assert latin is not None
        self.assertFalse(Page.objects.public().filter(pk=latin.pk).exists())
        self.assertEqual(self.client.get(latin.url).status_code, 302)

    def test_not_found_page_is_in_latin_too(self) -> None:
        response = self.client.get("/kk-latn/no-such-story/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Bet tabylmady", status_code=404)
        self.assertContains(response, '<html lang="kk-Latn">', status_code=404)


def test_html_to_latin_keeps_markup_urls_scripts_and_marked_names() -> None:
    html = (
        '<p title="Жаңалық" class="қ">Сәлем, <a href="/kk/жол/">әлем</a>!</p>'
        "<script>var x = 'Қазақ';</script><style>.қ{}</style>"
        '<a data-keep-script lang="kk">Қазақша</a><img alt="Сурет" src="/m/ә.jpg">'
    )
    assert html_to_latin(html, overrides={}) == (
        '<p title="Jañalyq" class="қ">Sälem, <a href="/kk/жол/">älem</a>!</p>'
        "<script>var x = 'Қазақ';</script><style>.қ{}</style>"
        '<a data-keep-script lang="kk">Қазақша</a><img alt="Suret" src="/m/ә.jpg">'
    )


class LoanLetterPolicyTests(TestCase):
    editions: Editions

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()

    def test_settings_replace_the_loan_letter_policy_on_latin_pages(self) -> None:
        story = story_build(self.editions, {"kk": "Цирк пен чай"})["kk"]
        url = latin_edition_page(page=story).url  # type: ignore[union-attr]
        self.assertContains(self.client.get(url), "Tsirk pen chai")
        with self.settings(AQPARAT_TRANSLIT_LOAN_LETTERS={"ц": "s", "ч": "ş"}):
            self.assertContains(self.client.get(url), "Sirk pen şai")
