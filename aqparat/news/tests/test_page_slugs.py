"""Pages get ASCII slugs from their titles, unique among siblings, frozen once live."""

from __future__ import annotations

from django.test import TestCase
from wagtail.contrib.redirects.models import Redirect

from aqparat.news.models import ArticlePage, ArticleTag, TagIndexPage
from aqparat.news.tests.factories import Editions, editions_build, publish, story_build


class PageSlugTests(TestCase):
    editions: Editions

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()

    def test_slugs_follow_each_language(self) -> None:
        story = story_build(
            self.editions,
            {
                "kk": "Әуезов театрі Шымкентте гастрольде",
                "ru": "Театр Ауэзова на гастролях в Шымкенте",
                "en": "Auezov theatre on tour in Shymkent",
            },
        )
        self.assertEqual(story["kk"].slug, "auezov-teatri-symkentte-gastrolde")
        self.assertEqual(story["ru"].slug, "teatr-auezova-na-gastroliakh-v-shymkente")
        self.assertEqual(story["en"].slug, "auezov-theatre-on-tour-in-shymkent")

    def test_same_title_twice_gets_a_unique_slug(self) -> None:
        first = story_build(self.editions, {"kk": "Қар жауды"})["kk"]
        second = story_build(self.editions, {"kk": "Қар жауды"})["kk"]
        self.assertEqual(first.slug, "qar-jaudy")
        self.assertEqual(second.slug, "qar-jaudy-2")

    def test_slug_is_frozen_once_published(self) -> None:
        story = story_build(self.editions, {"kk": "Қар жауды"})["kk"]
        story.title = "Алматыда қалың қар жауды"
        story.slug = ""
        publish(story)
        self.assertEqual(ArticlePage.objects.get(pk=story.pk).slug, "qar-jaudy")

    def test_changing_a_published_slug_leaves_a_redirect(self) -> None:
        story = story_build(self.editions, {"en": "Snow in Almaty"})["en"]
        old_url = story.url
        story.slug = "heavy-snow-in-almaty"
        with self.captureOnCommitCallbacks(execute=True):
            publish(story)
        self.assertTrue(Redirect.objects.filter(redirect_page=story).exists())
        response = self.client.get(old_url)
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], story.url)


class TagSlugTests(TestCase):
    editions: Editions

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()

    def test_tag_slugs_are_ascii_in_the_tags_language(self) -> None:
        story = story_build(self.editions, {"kk": "Пусанмен ынтымақтастық"})["kk"]
        story.tags.add("оңтүстік корея", "южная корея", "South Korea")
        publish(story)
        slugs = set(ArticleTag.objects.values_list("slug", flat=True))
        self.assertEqual(slugs, {"ontustik-koreia", "iuzhnaia-koreia", "south-korea"})

    def test_tag_pages_answer_at_the_ascii_slug_in_both_scripts(self) -> None:
        tags = TagIndexPage(title="Тегтер", slug="tags")
        self.editions.homes["kk"].add_child(instance=tags)
        publish(tags)
        story = story_build(self.editions, {"kk": "Пусанмен ынтымақтастық"})["kk"]
        story.tags.add("оңтүстік корея")
        publish(story)
        cyrillic = self.client.get("/kk/tags/ontustik-koreia/")
        self.assertContains(cyrillic, "Тег: оңтүстік корея")
        latin = self.client.get("/kk-latn/tags/ontustik-koreia/")
        self.assertContains(latin, "Teg: oñtüstık koreia")
        article = self.client.get(story.url.replace("/kk/", "/kk-latn/"))
        self.assertContains(article, 'href="/kk-latn/tags/ontustik-koreia/"')

    def test_one_name_in_each_edition_shares_the_slug_without_a_suffix(self) -> None:
        """ "Алматы" in Kazakh and "Almaty" in English both answer at tags/almaty/,
        each edition listing its own stories under its own name."""
        for language in ("kk", "en"):
            tags = TagIndexPage(title="Tags", slug="tags")
            self.editions.homes[language].add_child(instance=tags)
            publish(tags)
        story = story_build(
            self.editions, {"kk": "Алматыда қар жауды", "en": "Snow in Almaty"}
        )
        story["kk"].tags.add("Алматы")
        story["en"].tags.add("Almaty")
        publish(story["kk"])
        publish(story["en"])
        slugs = dict(ArticleTag.objects.values_list("name", "slug"))
        self.assertEqual(slugs, {"Алматы": "almaty", "Almaty": "almaty"})
        english = self.client.get("/en/tags/almaty/")
        self.assertContains(english, "Tag: Almaty")
        self.assertEqual(
            [article.title for article in english.context["articles"]],
            ["Snow in Almaty"],
        )
        kazakh = self.client.get("/kk/tags/almaty/")
        self.assertContains(kazakh, "Тег: Алматы")
        self.assertEqual(
            [article.title for article in kazakh.context["articles"]],
            ["Алматыда қар жауды"],
        )
        self.assertContains(self.client.get(story["en"].url), 'href="/en/tags/almaty/"')

    def test_a_suffix_made_by_another_edition_is_dropped_and_redirects(self) -> None:
        from importlib import import_module

        from django.apps import apps

        migration = import_module(
            "aqparat.news.migrations.0008_tag_slugs_shared_across_editions"
        )
        tags = TagIndexPage(title="Tags", slug="tags")
        self.editions.homes["en"].add_child(instance=tags)
        publish(tags)
        story = story_build(self.editions, {"en": "Snow in Almaty"})["en"]
        story.tags.add("Алматы", "Almaty", "COVID-19")
        publish(story)
        ArticleTag.objects.filter(name="Almaty").update(slug="almaty-1")
        migration.drop_suffixes(apps, None)
        slugs = dict(ArticleTag.objects.values_list("name", "slug"))
        self.assertEqual(
            slugs, {"Алматы": "almaty", "Almaty": "almaty", "COVID-19": "covid-19"}
        )
        old = self.client.get("/en/tags/almaty-1/")
        self.assertEqual((old.status_code, old["Location"]), (301, "/en/tags/almaty/"))
        self.assertEqual(self.client.get("/en/tags/covid-19/").status_code, 200)
        self.assertEqual(self.client.get("/en/tags/covid-20/").status_code, 404)

    def test_the_suffix_migration_can_be_undone(self) -> None:
        """Reversed, the slugs are unique again (the unique index comes back after
        the data step): every second tag at a slug takes a number suffix."""
        from importlib import import_module

        from django.apps import apps

        migration = import_module(
            "aqparat.news.migrations.0008_tag_slugs_shared_across_editions"
        )
        for name in ("Алматы", "Almaty", "COVID-19"):
            ArticleTag.objects.create(name=name)
        migration.restore_suffixes(apps, None)
        slugs = dict(ArticleTag.objects.values_list("name", "slug"))
        self.assertEqual(
            slugs, {"Алматы": "almaty", "Almaty": "almaty-1", "COVID-19": "covid-19"}
        )
        migration.drop_suffixes(apps, None)
        self.assertEqual(ArticleTag.objects.filter(slug="almaty").count(), 2)

    def test_the_tag_list_shows_each_address_once(self) -> None:
        """Two tags of one edition at one slug ("Алматы" and "Almaty" both used in
        English) are one entry, one page: its stories counted once each."""
        tags = TagIndexPage(title="Tags", slug="tags")
        self.editions.homes["en"].add_child(instance=tags)
        publish(tags)
        for title, names in (
            ("Snow in Almaty", ["Almaty"]),
            ("Rain in Almaty", ["Almaty", "Алматы"]),
            ("Floods in Almaty", ["Алматы"]),
            ("Heat in Almaty", ["Алматы", "Weather"]),
        ):
            story = story_build(self.editions, {"en": title})["en"]
            story.tags.add(*names)
            publish(story)
        listing = self.client.get("/en/tags/")
        self.assertEqual(
            [(t.slug, t.name, t.article_count) for t in listing.context["tags"]],
            [("almaty", "Алматы", 4), ("weather", "Weather", 1)],
        )
        self.assertContains(listing, 'href="/en/tags/almaty/"', count=1)
        self.assertEqual(
            len(self.client.get("/en/tags/almaty/").context["articles"]), 4
        )
        api = self.client.get("/api/v1/tags?language=en").json()
        self.assertEqual([tag["slug"] for tag in api], ["almaty", "weather"])
