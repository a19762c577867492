"""The newsroom side: an article is written and published through the admin."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from aqparat.news.blocks import ArticleBodyBlock, BodyValidationError
from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import (
    ArticlePageFactory,
    CustomImageFactory,
    Newsroom,
    SourceFactory,
    administrator_build,
    newsroom_build,
)


class ArticleAdminTests(WagtailPageTestCase):
    newsroom: Newsroom

    @classmethod
    def setUpTestData(cls) -> None:
        cls.newsroom = newsroom_build()
        cls.editor = administrator_build()

    def setUp(self) -> None:
        self.client.force_login(self.editor)

    def test_add_form_shows_the_newsroom_fields(self) -> None:
        url = reverse(
            "wagtailadmin_pages:add",
            args=("news", "articlepage", self.newsroom.section.pk),
        )
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        for field in (
            "lead",
            "lead_image",
            "body",
            "source_attributions",
            "tags",
            "breaking",
        ):
            # Wagtail 8 renders some panels client-side from JSON, so match either form.
            self.assertContains(response, f'"{field}', msg_prefix=field)

    def test_journalist_text_is_published_with_its_source_and_credit(self) -> None:
        image = CustomImageFactory(credit="Akimat of Almaty")
        source = SourceFactory.create(short_name="Akimat")
        data = nested_form_data(
            {
                "title": "Almaty opens a new tram line",
                "slug": "almaty-opens-a-new-tram-line",
                "lead": "The first tram ran this morning.",
                "lead_image": image.pk,
                "lead_image_caption": "",
                "body": streamfield(
                    [("paragraph", rich_text("<p>Passengers rode free.</p>"))]
                ),
                "source_attributions": inline_formset(
                    [{"source": source.pk, "relation": "based_on"}]
                ),
                "article_authors": inline_formset([]),
                "corrections": inline_formset([]),
                "tags": "almaty, transport",
                "action-publish": "publish",
            }
        )
        url = reverse(
            "wagtailadmin_pages:add",
            args=("news", "articlepage", self.newsroom.section.pk),
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        article = ArticlePage.objects.get(slug="almaty-opens-a-new-tram-line")
        self.assertTrue(article.live)
        self.assertIsNotNone(article.first_published_at)
        self.client.logout()
        html = self.client.get(article.url).content.decode()
        self.assertIn("Photo: Akimat of Almaty", html)
        self.assertIn("Aqparat reports, based on material from", html)
        self.assertIn("Passengers rode free.", html)

    def test_image_form_asks_for_rights_and_words_in_each_language(self) -> None:
        response = self.client.get(reverse("wagtailimages:add"))
        for field in ("credit", "creator", "source", "copyright_notice",
                      "licence_url", "caption_kk", "caption_ru", "caption_en",
                      "alt_kk", "alt_ru", "alt_en"):  # fmt: skip
            self.assertContains(response, f'name="{field}"')

    def test_author_and_source_snippets_are_managed_in_the_admin(self) -> None:
        for model in ("author", "source"):
            response = self.client.get(reverse(f"wagtailsnippets_news_{model}:list"))
            self.assertEqual(response.status_code, 200)


class BodyMessageTests(WagtailPageTestCase):
    """What an editor reads when the body stops a publication: what to fix, in the
    admin's language, not Wagtail's untranslated "Validation error in StreamBlock"."""

    newsroom: Newsroom

    @classmethod
    def setUpTestData(cls) -> None:
        cls.newsroom = newsroom_build()
        cls.editor = administrator_build()

    def publish_with(self, body: Any) -> Any:
        self.client.force_login(self.editor)
        article = ArticlePageFactory(parent=self.newsroom.section)
        data = nested_form_data({
            "title": article.title, "slug": article.slug, "lead": article.lead,
            "lead_image": "", "lead_image_caption": "", "body": body, "tags": "",
            "source_attributions": inline_formset([]),
            "article_authors": inline_formset([]),
            "corrections": inline_formset([]),
            "action-publish": "publish",
        })  # fmt: skip
        url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Validation error in StreamBlock")
        return response.context["form"].errors["body"]

    def test_the_body_says_what_to_fix(self) -> None:
        self.assertEqual(
            self.publish_with(streamfield([])),
            ["Write the story's text: the body is empty."],
        )
        photo_without_image = streamfield([
            ("paragraph", rich_text("<p>Passengers rode free.</p>")),
            ("image", {"image": "", "caption": "", "credit": ""}),
        ])  # fmt: skip
        self.assertEqual(
            self.publish_with(photo_without_image),
            ["Part 2 of the body (image) needs fixing."],
        )
        with translation.override("kk"):
            error = BodyValidationError(
                StreamBlockValidationError(), ArticleBodyBlock().to_python([])
            )
        self.assertEqual(error.messages, ["Жаңалықтың мәтінін жазыңыз: мәтін бос."])
