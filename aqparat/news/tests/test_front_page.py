"""The front page editors choose (news.front_page): a main story and pinned stories
per edition, each until its time, falling back to the newest; the Latin edition
follows the Kazakh one; the pages that show a choice refresh when it changes and
when its time runs out."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from aqparat.core.pagecache import HEADER
from aqparat.news.front_page import front_page_expiries_retire
from aqparat.news.models import ArticlePage, FrontPageStory, HomePage
from aqparat.news.tests.factories import (
    Editions,
    administrator_build,
    editions_build,
    publish,
    story_build,
)


def choose(
    home: HomePage, stories: list[ArticlePage], until: list[Any] | None = None
) -> HomePage:
    """An editor sets the front page's chosen stories and publishes the home."""
    home = HomePage.objects.get(pk=home.pk)
    home.front_page_stories = [
        FrontPageStory(story=story, until=(until or [None] * len(stories))[i])
        for i, story in enumerate(stories)
    ]
    return publish(home)


class FrontPageCase(TestCase):
    editions: Editions
    stories: list[dict[str, ArticlePage]]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()
        titles = [
            ("Астанада жаңа көпір ашылды", "A new bridge opens in Astana"),
            ("Алматыда марафон өтті", "A marathon is run in Almaty"),
            ("Шымкентте жаңа саябақ ашылды", "A new park opens in Shymkent"),
        ]
        cls.stories = [
            story_build(cls.editions, {"kk": kk, "en": en}) for kk, en in titles
        ]

    def front(self, url: str) -> list[str]:
        """The headlines of a home page, lead first, then the latest list."""
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        context = response.context
        lead = context["lead_story"]
        return [lead.title, *(article.title for article in context["latest"])]

    def committed(self) -> AbstractContextManager[Any]:
        return self.captureOnCommitCallbacks(execute=True)


class FrontPageTests(FrontPageCase):
    def test_without_a_choice_the_newest_story_leads(self) -> None:
        self.assertEqual(
            self.front("/en/"),
            [
                "A new park opens in Shymkent",
                "A marathon is run in Almaty",
                "A new bridge opens in Astana",
            ],
        )

    def test_chosen_stories_lead_in_their_order_in_that_edition_only(self) -> None:
        oldest, middle = self.stories[0]["en"], self.stories[1]["en"]
        choose(self.editions.homes["en"], [oldest, middle])
        self.assertEqual(
            self.front("/en/"),
            [
                "A new bridge opens in Astana",
                "A marathon is run in Almaty",
                "A new park opens in Shymkent",
            ],
        )
        self.assertEqual(self.front("/kk/")[0], "Шымкентте жаңа саябақ ашылды")

    def test_a_choice_ends_at_its_time_and_an_unpublished_story_is_skipped(
        self,
    ) -> None:
        now = timezone.now()
        first, second = self.stories[0]["en"], self.stories[1]["en"]
        choose(
            self.editions.homes["en"],
            [first, second],
            until=[now - timedelta(minutes=1), now + timedelta(hours=2)],
        )
        self.assertEqual(self.front("/en/")[0], "A marathon is run in Almaty")
        ArticlePage.objects.get(pk=second.pk).unpublish()
        self.assertEqual(
            self.front("/en/"),
            ["A new park opens in Shymkent", "A new bridge opens in Astana"],
        )

    def test_last_modified_moves_with_the_choice_and_its_end(self) -> None:
        """A reader's If-Modified-Since must not get a 304 for a front page whose
        choice changed: the home's publication and a choice's end count."""
        hour_ago = timezone.now().replace(microsecond=0) - timedelta(hours=1)
        Page.objects.update(last_published_at=hour_ago)

        def last_modified() -> Any:
            return parsedate_to_datetime(self.client.get("/en/")["Last-Modified"])

        self.assertEqual(last_modified(), hour_ago)
        home = choose(self.editions.homes["en"], [self.stories[0]["en"]])
        assert home.last_published_at is not None
        self.assertEqual(last_modified(), home.last_published_at.replace(microsecond=0))
        Page.objects.filter(pk=home.pk).update(last_published_at=hour_ago)
        ended = hour_ago + timedelta(minutes=30)
        FrontPageStory.objects.filter(home=home).update(until=ended)
        self.assertEqual(last_modified(), ended)

    def test_the_latin_edition_leads_with_the_latin_page_of_the_kazakh_choice(
        self,
    ) -> None:
        choose(self.editions.homes["kk"], [self.stories[0]["kk"]])
        latin_home = Page.objects.get(alias_of=self.editions.homes["kk"])
        self.assertEqual(latin_home.specific.front_page_stories.count(), 1)
        response = self.client.get("/kk-latn/")
        lead = response.context["lead_story"]
        self.assertEqual(lead.alias_of_id, self.stories[0]["kk"].pk)
        self.assertIn("/kk-latn/", lead.url)

    def test_a_story_of_another_edition_cannot_be_chosen(self) -> None:
        row = FrontPageStory(
            home=self.editions.homes["en"], story=self.stories[0]["kk"]
        )
        with self.assertRaises(ValidationError) as raised:
            row.full_clean()
        self.assertIn("story", raised.exception.message_dict)
        FrontPageStory(
            home=self.editions.homes["en"], story=self.stories[0]["en"], sort_order=0
        ).full_clean()

    @override_settings(AQPARAT_PAGE_CACHE=True, AQPARAT_FRAGMENT_CACHE=True)
    def test_the_cached_home_follows_a_choice_and_its_end(self) -> None:
        self.client.get("/en/")
        self.assertEqual(self.client.get("/en/")[HEADER], "HIT")
        soon = timezone.now() + timedelta(minutes=30)
        with self.committed():
            choose(self.editions.homes["en"], [self.stories[0]["en"]], until=[soon])
        self.assertEqual(self.front("/en/")[0], "A new bridge opens in Astana")
        self.assertEqual(self.client.get("/en/")[HEADER], "HIT")
        # Its time passes: nothing in the database changes, the minute's check
        # retires the pages that list stories (and only once it has passed).
        with self.committed():
            checked = timezone.now() - timedelta(minutes=1)
            self.assertFalse(front_page_expiries_retire(now=checked))
        self.assertEqual(self.client.get("/en/")[HEADER], "HIT")
        FrontPageStory.objects.filter(story=self.stories[0]["en"]).update(
            until=timezone.now() - timedelta(seconds=1)
        )
        with self.committed():
            self.assertTrue(front_page_expiries_retire(now=timezone.now()))
        response = self.client.get("/en/")
        self.assertNotEqual(response[HEADER], "HIT")
        self.assertEqual(
            response.context["lead_story"].title, "A new park opens in Shymkent"
        )
        with self.committed():
            self.assertFalse(front_page_expiries_retire())  # passed once, retired once


class FrontPageAdminTests(FrontPageCase):
    """The home page's editor: a choice is made and published there; a story of
    another edition is refused with a message, the typed form kept."""

    def post_home(self, story: ArticlePage) -> Any:
        home = self.editions.homes["en"]
        data = nested_form_data(
            {
                "title": home.title,
                "slug": home.slug,
                "front_page_stories": inline_formset(
                    [{"story": story.pk, "until": ""}]
                ),
                "action-publish": "publish",
            }
        )
        return self.client.post(
            reverse("wagtailadmin_pages:edit", args=(home.pk,)), data
        )

    def test_a_choice_is_made_in_the_home_pages_editor(self) -> None:
        self.client.force_login(administrator_build())
        response = self.client.get(
            reverse("wagtailadmin_pages:edit", args=(self.editions.homes["en"].pk,))
        )
        self.assertContains(response, "front_page_stories")
        refused = self.post_home(self.stories[1]["kk"])
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "Choose a story of this edition")
        self.assertEqual(self.front("/en/")[0], "A new park opens in Shymkent")
        self.assertEqual(self.post_home(self.stories[1]["en"]).status_code, 302)
        self.assertEqual(self.front("/en/")[0], "A marathon is run in Almaty")

    def test_the_preview_shows_the_drafts_choice_not_the_live_one(self) -> None:
        self.client.force_login(administrator_build())
        home = self.editions.homes["en"]
        data = nested_form_data(
            {
                "title": home.title,
                "slug": home.slug,
                "front_page_stories": inline_formset(
                    [{"story": self.stories[0]["en"].pk, "until": ""}]
                ),
            }
        )
        url = reverse("wagtailadmin_pages:preview_on_edit", args=(home.pk,))
        self.assertEqual(self.client.post(url, data).json()["is_valid"], True)
        preview = self.client.get(url)
        self.assertEqual(
            preview.context["lead_story"].title, self.stories[0]["en"].title
        )
        self.assertEqual(self.front("/en/")[0], "A new park opens in Shymkent")


class FrontPageDeletionTests(FrontPageCase):
    def test_a_chosen_story_deleted_later_breaks_nothing(self) -> None:
        """The home's saved versions still name it: publishing one again (Wagtail
        drops a row whose story is gone) and the editor both keep working."""
        first, second = self.stories[0]["en"], self.stories[1]["en"]
        home = choose(self.editions.homes["en"], [first, second])
        revision = home.latest_revision
        assert revision is not None
        ArticlePage.objects.get(pk=first.pk).delete()
        self.assertEqual(self.front("/en/")[0], "A marathon is run in Almaty")
        revision.publish()
        self.assertEqual(self.front("/en/")[0], "A marathon is run in Almaty")
        self.client.force_login(administrator_build())
        edit = self.client.get(reverse("wagtailadmin_pages:edit", args=(home.pk,)))
        self.assertEqual(edit.status_code, 200)
