"""Related stories beside an article: who qualifies, in which order, at what cost."""

from __future__ import annotations

from datetime import timedelta

from django.test import TestCase, override_settings
from django.utils import timezone, translation
from wagtail.models import Locale, Page, PageViewRestriction

from aqparat.news.models import ArticlePage
from aqparat.news.selectors import article_list_related
from aqparat.news.tests.factories import (
    ArticlePageFactory,
    HomePageFactory,
    Newsroom,
    SectionPageFactory,
    newsroom_build,
)


def story(parent: Page, title: str, hours_ago: int, *tags: str) -> ArticlePage:
    article = ArticlePageFactory(
        parent=parent,
        title=title,
        first_published_at=timezone.now() - timedelta(hours=hours_ago),
    )
    if tags:
        article.tags.add(*tags)
        article.save()
    return article


class RelatedStoriesTests(TestCase):
    newsroom: Newsroom
    article: ArticlePage

    @classmethod
    def setUpTestData(cls) -> None:
        cls.newsroom = newsroom_build()
        news = cls.newsroom.section
        sport = SectionPageFactory(parent=cls.newsroom.home, title="Sport")
        cls.article = story(news, "The article", 1, "almaty", "busan")
        # Expected order: shared tags, then same section, then newest.
        story(news, "Two tags, same section", 50, "almaty", "busan")
        story(sport, "Two tags, other section", 40, "busan", "almaty")
        story(sport, "One tag, other section, newest", 2, "almaty")
        story(news, "Same section, no tag, newer", 3)
        story(news, "Same section, no tag, older", 30)
        story(sport, "Other section, no tag", 2, "football")

    def titles(self, limit: int = 10) -> list[str]:
        return [
            a.title for a in article_list_related(article=self.article, limit=limit)
        ]

    def test_ranking_shared_tags_then_section_then_recency(self) -> None:
        self.assertEqual(
            self.titles(),
            [
                "Two tags, same section",
                "Two tags, other section",
                "One tag, other section, newest",
                "Same section, no tag, newer",
                "Same section, no tag, older",
            ],
        )

    def test_limit(self) -> None:
        self.assertEqual(len(self.titles(limit=2)), 2)

    def test_excludes_drafts_embargoed_private_and_itself(self) -> None:
        news = self.newsroom.section
        draft = story(news, "Draft", 1, "almaty")
        ArticlePage.objects.filter(pk=draft.pk).update(live=False)
        embargoed = story(news, "Embargoed", 1, "almaty")
        # The model never lets an embargoed story go live; were a row to, the
        # selector would still hold it back.
        ArticlePage.objects.filter(pk=embargoed.pk).update(
            embargo_until=timezone.now() + timedelta(hours=3)
        )
        private = story(news, "Private", 1, "almaty")
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        hidden = SectionPageFactory(parent=self.newsroom.home, title="Members")
        PageViewRestriction.objects.create(page=hidden, restriction_type="login")
        story(hidden, "Below a private section", 1, "almaty")
        titles = self.titles()
        for title in ("Draft", "Embargoed", "Private", "Below a private section"):
            self.assertNotIn(title, titles)
        self.assertNotIn("The article", titles)
        self.assertEqual(len(titles), 5)

    def test_excludes_expired_stories_the_publication_pass_has_not_caught(
        self,
    ) -> None:
        expired = story(self.newsroom.section, "Expired", 1, "almaty", "busan")
        # Still live: the publication pass that unpublishes it has not run yet.
        ArticlePage.objects.filter(pk=expired.pk).update(
            expire_at=timezone.now() - timedelta(minutes=1)
        )
        later = story(self.newsroom.section, "Expires later", 1, "almaty", "busan")
        ArticlePage.objects.filter(pk=later.pk).update(
            expire_at=timezone.now() + timedelta(hours=1)
        )
        titles = self.titles()
        self.assertNotIn("Expired", titles)
        self.assertIn("Expires later", titles)

    def test_same_language_only(self) -> None:
        russian = Locale.objects.get_or_create(language_code="ru")[0]
        root = Page.get_first_root_node()
        home = HomePageFactory(parent=root, locale=russian, slug="home-ru")
        section = SectionPageFactory(parent=home, locale=russian, title="Новости")
        ArticlePageFactory(parent=section, locale=russian, title="Алматы и Пусан")
        russian_story = ArticlePage.objects.get(title="Алматы и Пусан")
        russian_story.tags.add("almaty", "busan")
        russian_story.save()
        self.assertNotIn("Алматы и Пусан", self.titles())

    def test_one_query_however_many_stories_and_tags(self) -> None:
        with self.assertNumQueries(1):
            self.titles()
        for i in range(5):
            story(self.newsroom.section, f"More {i}", 5 + i, "almaty", f"tag-{i}")
        with self.assertNumQueries(1):
            self.assertEqual(len(self.titles(limit=4)), 4)

    @override_settings(AQPARAT_RELATED_COUNT=2)
    def test_the_article_page_shows_the_setting_s_number_of_stories(self) -> None:
        with translation.override("en"):
            response = self.client.get(self.article.url)
        html = response.content.decode()
        self.assertIn("Related stories", html)
        block = html[html.index('class="related"') :]
        block = block[: block.index("</aside>")]
        self.assertEqual(block.count("<li>"), 2)
        self.assertIn("Two tags, same section", block)
        self.assertIn("Two tags, other section", block)
