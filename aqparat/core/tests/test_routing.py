"""Pages found without walking the tree (core/routing.py), and the view restrictions
asked about once for the site (core/restrictions.py): the shortcuts never serve a
page Wagtail's own routing would not."""

from __future__ import annotations

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from aqparat.news.models import ArticlePage, SectionPage
from aqparat.news.tests.factories import (
    Editions,
    editions_build,
    publish,
    story_build,
)


class DirectRoutingTests(TestCase):
    editions: Editions
    story: dict[str, ArticlePage]
    sport: SectionPage

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()
        cls.story = story_build(
            cls.editions,
            {"kk": "Астанада жаңа көпір ашылды", "en": "A new bridge opens in Astana"},
        )
        cls.sport = SectionPage(title="Спорт", slug="sport", show_in_menus=True)
        cls.editions.homes["kk"].add_child(instance=cls.sport)
        publish(cls.sport)

    def page_queries(self, url: str) -> list[str]:
        """The queries of a request that read the page tree."""
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200, url)
        return [q["sql"] for q in queries if '"wagtailcore_page"' in q["sql"]]

    def test_a_known_address_is_read_in_one_query_and_wagtail_agrees(self) -> None:
        url = self.story["kk"].url
        first = self.client.get(url)
        self.assertEqual(first.context["page"], self.story["kk"])
        routing = [
            sql for sql in self.page_queries(url) if '"url_path" =' in sql.lower()
        ]
        self.assertEqual(len(routing), 1)  # the page itself, by id and address
        for home in (self.editions.homes["kk"], self.editions.homes["en"]):
            self.assertEqual(self.client.get(home.url).context["page"], home)
        self.assertEqual(
            self.client.get(self.story["en"].url).context["page"], self.story["en"]
        )

    def test_a_moved_story_leaves_its_old_address(self) -> None:
        article = self.story["kk"]
        old = article.url
        self.assertEqual(self.client.get(old).status_code, 200)  # address known
        article.move(self.sport, pos="last-child")
        new = ArticlePage.objects.get(pk=article.pk).url
        self.assertNotEqual(new, old)
        self.assertNotEqual(self.client.get(old).status_code, 200)
        self.assertEqual(self.client.get(new).context["page"].pk, article.pk)

    def test_a_renamed_story_leaves_its_old_address(self) -> None:
        article = self.story["kk"]
        old = article.url
        self.client.get(old)
        article.slug = "astana-kopiri"
        publish(article)
        self.assertNotEqual(self.client.get(old).status_code, 200)
        renamed = f"{self.editions.sections['kk'].url}astana-kopiri/"
        self.assertEqual(self.client.get(renamed).status_code, 200)

    def test_an_unpublished_story_is_404_at_a_known_address(self) -> None:
        url = self.story["kk"].url
        self.client.get(url)
        self.story["kk"].unpublish()
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_page_type_replaced_at_the_same_address_is_served_as_the_new_one(
        self,
    ) -> None:
        url = self.sport.url
        self.client.get(url)
        self.sport.delete()
        replacement = SectionPage(title="Спорт жаңалықтары", slug="sport")
        self.editions.homes["kk"].add_child(instance=replacement)
        publish(replacement)
        self.assertEqual(self.client.get(url).context["page"].pk, replacement.pk)

    def test_an_address_of_no_page_is_404(self) -> None:
        self.assertEqual(self.client.get("/kk/no-such/page/").status_code, 404)
        self.assertEqual(self.client.get("/kk/no-such/").status_code, 404)

    def test_a_site_that_changes_its_host_stops_answering_for_the_old_one(
        self,
    ) -> None:
        url = self.story["kk"].url
        self.assertEqual(self.client.get(url).status_code, 200)  # site cached
        site = Site.objects.get(is_default_site=True)
        site.hostname = "aqparat.example.kz"
        site.is_default_site = False
        site.save()
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(
            self.client.get(url, headers={"host": "aqparat.example.kz"}).status_code,
            200,
        )


class ViewRestrictionTests(TestCase):
    editions: Editions
    story: dict[str, ArticlePage]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build(("kk",))
        cls.story = story_build(cls.editions, {"kk": "Жабық жиналыс өтті"})

    def test_no_restriction_costs_no_query(self) -> None:
        url = self.story["kk"].url
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(url)
        reads = [q["sql"].split(" FROM ", 1)[1] for q in queries]
        restrictions = [r for r in reads if r.startswith('"wagtailcore_pageview')]
        self.assertEqual(restrictions, [])  # no query reads the restrictions table

    def test_a_restriction_added_after_a_page_was_served_applies_at_once(
        self,
    ) -> None:
        url = self.story["kk"].url
        home = self.editions.homes["kk"].url
        for address in (url, home):
            self.assertContains(self.client.get(address), "Жабық жиналыс")
        PageViewRestriction.objects.create(
            page=self.editions.sections["kk"],
            restriction_type=PageViewRestriction.PASSWORD,
            password="x",
        )
        for address in (url, home):  # the page, and the listing that showed it
            self.assertNotContains(self.client.get(address), "Жабық жиналыс")

    def test_a_restriction_removed_opens_the_page_again(self) -> None:
        restriction = PageViewRestriction.objects.create(
            page=Page.objects.get(pk=self.editions.sections["kk"].pk),
            restriction_type=PageViewRestriction.LOGIN,
        )
        url = self.story["kk"].url
        self.assertNotEqual(self.client.get(url).status_code, 200)
        restriction.delete()
        self.assertContains(self.client.get(url), "Жабық жиналыс")
