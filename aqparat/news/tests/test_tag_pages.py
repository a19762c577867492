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

    def test_a_tag_of_no_public_story_in_the_edition_is_404(self) -> None:
        """Its name may be all a reader could learn of an embargoed or private
        story ("minister-resigns"): the page does not exist for the public."""
        newsroom = newsroom_build()
        draft = ArticlePageFactory(parent=newsroom.section, title="Draft")
        private = ArticlePageFactory(parent=newsroom.section, title="Private")
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        draft.tags.add("minister-resigns")
        draft.save()
        private.tags.add("closed-meeting")
        private.save()
        ArticlePage.objects.filter(pk=draft.pk).update(live=False)
        with translation.override("en"):
            for slug in ("minister-resigns", "closed-meeting"):
                response = self.client.get(f"{newsroom.tags.url}{slug}/")
                self.assertEqual(response.status_code, 404, slug)
                self.assertNotIn(slug, response.content.decode())
            public = ArticlePageFactory(parent=newsroom.section, title="Public")
            public.tags.add("closed-meeting")
            public.save()
            response = self.client.get(f"{newsroom.tags.url}closed-meeting/")
            self.assertEqual(response.status_code, 200)
