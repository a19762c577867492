"""Home, section and tag pages: what they list, and that no page number breaks them."""

from __future__ import annotations

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase

from aqparat.news.models import HomePage, SectionPage, TagIndexPage
from aqparat.news.tests.factories import (
    ArticlePageFactory,
    CustomImageFactory,
    SectionPageFactory,
    newsroom_build,
)

BAD_PAGE_NUMBERS = ["abc", "99999", "0", "-1", "1.5", "", "%00", "1e9", "9" * 40]


@override_settings(AQPARAT_LISTING_PAGE_SIZE=3)
class ListingPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.newsroom = newsroom_build()
        cls.sport = SectionPageFactory(
            parent=cls.newsroom.home, title="Sport", slug="sport"
        )
        now = timezone.now()
        cls.articles = [
            ArticlePageFactory(
                parent=cls.newsroom.section,
                title=f"News story {i}",
                first_published_at=now - timedelta(hours=i + 1),
                lead_image=CustomImageFactory(),
            )
            for i in range(7)
        ]
        cls.sport_story = ArticlePageFactory(
            parent=cls.sport, title="Boxers win gold", first_published_at=now
        )
        for article in cls.articles[:4]:
            article.tags.add("almaty")
            article.save()

    def test_home_has_lead_story_latest_and_section_blocks(self) -> None:
        response = self.client.get("/en/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["lead_story"].pk, self.sport_story.pk)
        self.assertEqual(
            [a.pk for a in response.context["latest"]],
            [a.pk for a in self.articles],
        )
        blocks = {
            b.section.title: len(b.articles) for b in response.context["section_blocks"]
        }
        # All eight stories lead or are in the latest list: no section repeats one.
        self.assertEqual(blocks, {})

    def test_each_story_shows_once_on_the_home_page(self) -> None:
        now = timezone.now()
        older = [
            ArticlePageFactory(
                parent=self.newsroom.section, title=f"Older story {i}",
                first_published_at=now - timedelta(days=1, hours=i),
            )
            for i in range(6)
        ]  # fmt: skip
        context = self.client.get("/en/").context
        shown = [context["lead_story"].pk, *(a.pk for a in context["latest"])]
        blocks = {b.section.title: b.articles for b in context["section_blocks"]}
        self.assertEqual(list(blocks), ["News"])
        # Lead and latest are the 11 newest; the section block shows the rest.
        self.assertEqual(
            [a.title for a in blocks["News"]],
            [story.title for story in older[3:]],
        )
        everything = shown + [a.pk for a in blocks["News"]]
        self.assertEqual(len(everything), len(set(everything)))

    def test_section_lists_its_own_articles_newest_first(self) -> None:
        response = self.client.get(self.newsroom.section.url)
        listed = [a.pk for a in response.context["articles"]]
        self.assertEqual(listed, [a.pk for a in self.articles[:3]])
        self.assertNotContains(response, "Boxers win gold")

    def test_section_second_page(self) -> None:
        response = self.client.get(self.newsroom.section.url, {"page": "3"})
        self.assertEqual(
            [a.pk for a in response.context["articles"]], [self.articles[6].pk]
        )
        self.assertContains(response, "Page 3 of 3")

    def test_bad_page_numbers_never_give_500(self) -> None:
        tag_url = self.newsroom.tags.url + "almaty/"
        for url in (self.newsroom.section.url, tag_url):
            for number in BAD_PAGE_NUMBERS:
                response = self.client.get(url, {"page": number})
                self.assertEqual(response.status_code, 200, (url, number))
                self.assertTrue(len(response.context["articles"]) >= 1, (url, number))

    def test_out_of_range_gives_the_last_page_and_garbage_the_first(self) -> None:
        last = self.client.get(self.newsroom.section.url, {"page": "99999"})
        self.assertEqual(last.context["articles"].number, 3)
        first = self.client.get(self.newsroom.section.url, {"page": "abc"})
        self.assertEqual(first.context["articles"].number, 1)

    def test_tag_page_lists_tagged_articles(self) -> None:
        response = self.client.get(self.newsroom.tags.url + "almaty/", {"page": "2"})
        self.assertEqual(
            [a.pk for a in response.context["articles"]], [self.articles[3].pk]
        )
        self.assertContains(response, "Tag: almaty")

    def test_unknown_tag_is_404(self) -> None:
        self.assertEqual(
            self.client.get(self.newsroom.tags.url + "nope/").status_code, 404
        )

    def test_tag_index_counts_articles(self) -> None:
        response = self.client.get(self.newsroom.tags.url)
        self.assertContains(response, "almaty</a>")
        self.assertContains(response, "(4)")

    def test_drafts_are_not_listed(self) -> None:
        draft = ArticlePageFactory(
            parent=self.newsroom.section, title="Secret draft", live=False
        )
        draft.save_revision()
        self.assertNotContains(self.client.get("/en/"), "Secret draft")
        self.assertNotContains(
            self.client.get(self.newsroom.section.url), "Secret draft"
        )

    @override_settings(AQPARAT_FRAGMENT_CACHE=True)
    def test_listing_queries_are_fixed_however_much_there_is(self) -> None:
        # Warm both pages first: the first view of a photo creates its rendition.
        self.client.get(self.newsroom.section.url)
        self.client.get("/en/")
        with self.assertNumQueries(SECTION_PAGE_QUERIES):
            self.client.get(self.newsroom.section.url)
        with self.assertNumQueries(HOME_PAGE_QUERIES):
            self.client.get("/en/")
        for title in ("Culture", "Economy"):
            section = SectionPageFactory(parent=self.newsroom.home, title=title)
            ArticlePageFactory.create_batch(  # enough that each is in a block
                12, parent=section, lead_image=CustomImageFactory()
            )
        self.client.get("/en/")  # the navigation cache is cold after the new sections
        with self.assertNumQueries(HOME_PAGE_QUERIES):
            response = self.client.get("/en/")
        # Sport's one story leads, so its block would repeat it: three blocks.
        self.assertEqual(
            [b.section.title for b in response.context["section_blocks"]],
            ["News", "Culture", "Economy"],
        )

    def test_root_redirects_to_the_readers_edition_kazakh_by_default(self) -> None:
        for accept, edition in (
            ("", "/kk/"),
            ("en-GB,en;q=0.9", "/en/"),
            ("ru-RU,ru;q=0.9,en;q=0.5", "/ru/"),
            ("kk-KZ", "/kk/"),
            ("de-DE", "/kk/"),
        ):
            response = self.client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
            self.assertEqual(response.status_code, 302, accept)
            self.assertEqual(response["Location"], edition, accept)
            self.assertIn("Accept-Language", response["Vary"])

    def test_page_types_nest_as_a_newsroom_expects(self) -> None:
        self.assertAllowedParentPageTypes(SectionPage, {HomePage})
        self.assertAllowedParentPageTypes(TagIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(HomePage, {SectionPage, TagIndexPage})


# Warm, with the shared cache's fragments; the routing, the edition links and the
# cards (with their photos) cost none (core/routing.py, news_tags). The section:
# the page, its last change, the count and the page of articles. The home: the
# page, its last change, the stories editors chose (news.front_page), the newest,
# the sections, their newest.
SECTION_PAGE_QUERIES = 4
HOME_PAGE_QUERIES = 6
