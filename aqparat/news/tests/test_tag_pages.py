"""A tag page lists only the live, public stories of its own edition."""

from __future__ import annotations

from django.test import TestCase
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction

from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import (
    ArticlePageFactory,
    HomePageFactory,
    SectionPageFactory,
    newsroom_build,
)


class TagPageTests(TestCase):
    def test_only_live_public_stories_of_the_edition_s_language(self) -> None:
        newsroom = newsroom_build()
        stories = {
            title: ArticlePageFactory(parent=newsroom.section, title=title)
            for title in ("Live English story", "English draft", "Private story")
        }
        PageViewRestriction.objects.create(
            page=stories["Private story"], restriction_type="login"
        )
        russian = Locale.objects.get_or_create(language_code="ru")[0]
        home = HomePageFactory(
            parent=Page.get_first_root_node(), locale=russian, slug="home-ru"
        )
        section = SectionPageFactory(parent=home, locale=russian)
        stories["Russian story"] = ArticlePageFactory(
            parent=section, locale=russian, title="Russian story"
        )
        for article in stories.values():
            article.tags.add("almaty")
            article.save()
        ArticlePage.objects.filter(pk=stories["English draft"].pk).update(live=False)
        with translation.override("en"):
            response = self.client.get(newsroom.tags.url + "almaty/")
        self.assertEqual(
            [a.title for a in response.context["articles"]], ["Live English story"]
        )
        self.assertContains(response, "Tag: almaty")
