"""Control characters an editor pastes into any text field are gone before any
page, feed, sitemap or JSON shows it (core/text.py)."""

from __future__ import annotations

from datetime import timedelta

from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone
from taggit.forms import TagField

from aqparat.analytics.services import page_views_set
from aqparat.core.text import CONTROL_CHARACTERS, text_cleaned
from aqparat.news.models import (
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    ArticleSourceAttribution,
    ArticleTag,
    BreakingBanner,
)
from aqparat.news.tests.factories import (
    AuthorFactory,
    CustomImageFactory,
    Editions,
    SourceFactory,
    editions_build,
    publish,
)

# U+0000, U+0008, U+000B, U+000C, U+001F, U+007F, U+0085 (C1), U+2028 and U+2029.
DIRT = "\x00\x08\x0b\x0c\x1f\x7f\x85\u2028\u2029"


def dirty(text: str) -> str:
    return DIRT[: len(DIRT) // 2] + text + DIRT[len(DIRT) // 2 :]


class ControlCharacterTests(TestCase):
    editions: Editions

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build(("en",))

    def test_text_cleaned_keeps_tabs_and_line_breaks_only(self) -> None:
        self.assertEqual(text_cleaned(f"A\tb\nc\r{DIRT}d"), "A\tb\nc\rd")

    def test_no_output_carries_what_editors_pasted(self) -> None:
        image = CustomImageFactory(
            credit=dirty("MFA"), caption_en=dirty("Delegations meet."),
            alt_en=dirty("Two delegations at a table."),
        )  # fmt: skip
        article = ArticlePage(
            title=dirty("Bridge opens"), slug="bridge-opens",
            lead=dirty("A new bridge opened."), lead_image=image, body=[],
            seo_title=dirty("Bridge"), search_description=dirty("About a bridge."),
        )  # fmt: skip
        self.editions.sections["en"].add_child(instance=article)
        ArticleAuthor.objects.create(
            page=article, author=AuthorFactory(name=dirty("Aigerim Sadykova"))
        )
        ArticleSourceAttribution.objects.create(
            page=article, source=SourceFactory(short_name=dirty("MFA")),
            relation="citing",
        )  # fmt: skip
        ArticleCorrection.objects.create(
            page=article, text=dirty("The opening date was corrected."),
            noted_at=timezone.now(),
        )  # fmt: skip
        # As the admin's tag field reads what the editor typed: a NUL it refuses
        # with a form error (Django's fields do); the other controls it cleans.
        with self.assertRaises(ValidationError):
            TagField().clean(dirty("Bridges"))
        typed = dirty("Bridges").replace("\x00", "") + ", " + dirty("Roads")[1:]
        article.tags.add(*TagField().clean(typed))
        article.tags.add(*TagField().clean(typed))  # found again, not a second tag
        self.assertEqual(
            sorted(ArticleTag.objects.values_list("name", flat=True)),
            ["Bridges", "Roads"],
        )
        publish(article)
        page_views_set(page_id=article.pk, views=3)
        BreakingBanner.objects.create(
            language="en", text=dirty("Bridge opens"), link="https://example.com/",
            expires_at=timezone.now() + timedelta(hours=1),
        )  # fmt: skip
        outputs = {
            url: self.client.get(url)
            for url in (
                article.url, "/en/", self.editions.sections["en"].url,
                "/en/rss/", "/sitemap.xml", "/en/search/?q=bridge",
                "/api/v1/articles?language=en", f"/api/v1/articles/{article.pk}",
            )
        }  # fmt: skip
        for url, response in outputs.items():
            self.assertEqual(response.status_code, 200, url)
            text = response.content.decode()
            self.assertIsNone(CONTROL_CHARACTERS.search(text), url)
        self.assertIn("Bridge opens", outputs[article.url].content.decode())
        ElementTree.fromstring(outputs["/en/rss/"].content)  # XML 1.0 parses it
        article.refresh_from_db()
        self.assertEqual(article.title, "Bridge opens")  # stored clean
