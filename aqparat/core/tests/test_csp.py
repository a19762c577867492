"""Content-Security-Policy: strict on public pages (also when the page cache
answers), Wagtail's looser one on the admin, and API docs from our own files."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse
from django.views.defaults import server_error
from wagtail.models import Page

from aqparat.core import pagecache
from aqparat.news.models import ArticlePage, TagIndexPage
from aqparat.news.tests.factories import (
    Editions,
    administrator_build,
    editions_build,
    publish,
    story_build,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Script types a browser treats as data, never runs (and CSP does not govern).
DATA_BLOCKS = {"application/ld+json", "application/json"}


def directives(response: Any) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    parsed: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


class Markup(HTMLParser):
    """What of a page can run or style it: script elements, style elements and
    attributes, event handler attributes, javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts.append(found)
        if tag == "style":
            self.inline.append("<style>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.inline.append(f"<{tag} {name}>")
            if name in {"href", "src", "action"} and (value or "").lower().startswith(
                "javascript:"
            ):
                self.inline.append(f"<{tag} {name}=javascript:>")


def markup(response: Any) -> Markup:
    parser = Markup()
    parser.feed(response.content.decode())
    return parser


class PublicAndAdminPolicies(TestCase):
    editions: Editions
    story: dict[str, ArticlePage]
    tags: TagIndexPage

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()
        tags = TagIndexPage(title="Тегтер", slug="tags")
        cls.editions.homes["kk"].add_child(instance=tags)
        publish(tags)
        cls.story = story_build(
            cls.editions,
            {"kk": "Астанада жаңа көпір ашылды", "en": "A new bridge opens in Astana"},
        )
        cls.story["kk"].tags.add("көпір")
        publish(cls.story["kk"])
        cls.tags = tags

    def public_urls(self) -> list[str]:
        latin_story = Page.objects.get(alias_of=self.story["kk"])
        return [
            self.editions.homes["kk"].url,
            self.editions.homes["en"].url,
            self.editions.sections["kk"].url,
            self.story["kk"].url,
            self.story["en"].url,
            latin_story.url,
            self.tags.url,
            reverse("search") + "?q=көпір",
            "/kk/rates/",
        ]

    def assert_strict(self, response: Any, url: str) -> None:
        policy = directives(response)
        self.assertEqual(policy.get("default-src"), ["'self'"], url)
        self.assertEqual(policy.get("script-src"), ["'self'"], url)
        self.assertEqual(policy.get("style-src"), ["'self'"], url)
        self.assertEqual(policy.get("object-src"), ["'none'"], url)
        self.assertEqual(policy.get("base-uri"), ["'self'"], url)
        self.assertEqual(policy.get("form-action"), ["'self'"], url)
        self.assertEqual(policy.get("frame-ancestors"), ["'none'"], url)
        header = response["Content-Security-Policy"]
        for loose in ("'unsafe-inline'", "'unsafe-eval'", "'nonce-", "http", "*"):
            self.assertNotIn(loose, header, url)

    def assert_nothing_inline(self, response: Any, url: str) -> None:
        """Every script a file of our own (or a data block); no inline style or
        event handler: the strict policy would block them."""
        found = markup(response)
        self.assertEqual(found.inline, [], url)
        for script in found.scripts:
            if script.get("type") in DATA_BLOCKS:
                continue
            self.assertRegex(script.get("src") or "", r"^/static/", url)

    def test_public_pages_get_the_strict_policy_and_need_nothing_more(self) -> None:
        for url in self.public_urls():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assert_strict(response, url)
            self.assert_nothing_inline(response, url)

    def test_not_found_pages_get_it_too(self) -> None:
        response = self.client.get("/en/no/such/page/")
        self.assertEqual(response.status_code, 404)
        self.assert_strict(response, "404")
        self.assert_nothing_inline(response, "404")

    def test_the_error_page_has_no_inline_style(self) -> None:
        response = server_error(RequestFactory().get("/en/"))
        self.assertEqual(markup(response).inline, [])
        self.assertIn(b'rel="stylesheet" href="/static/css/site.css"', response.content)

    @override_settings(AQPARAT_PAGE_CACHE=True, AQPARAT_FRAGMENT_CACHE=True)
    def test_a_page_from_the_page_cache_carries_the_same_policy(self) -> None:
        """The page cache keeps the body (and the front cache the headers with it):
        a copy served later must agree with its policy, so no public page has a
        nonce that a stored copy would outlive."""
        for url in self.public_urls()[:6]:
            first = self.client.get(url)
            again = self.client.get(url)
            self.assertEqual(first[pagecache.HEADER], "MISS", url)
            self.assertEqual(again[pagecache.HEADER], "HIT", url)
            self.assertEqual(again.content, first.content, url)
            self.assertEqual(
                again["Content-Security-Policy"], first["Content-Security-Policy"], url
            )
            self.assert_strict(again, url)
            self.assert_nothing_inline(again, url)

    def test_no_public_template_writes_inline_script_style_or_handlers(self) -> None:
        """The strict policy blocks them: a template that adds one breaks a page
        for readers, so it is caught here rather than in a browser's console."""
        inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*ld\+json)[^>]*>")
        handler = re.compile(r"""\son[a-z]+\s*=\s*["']""")
        for template in TEMPLATES.rglob("*.html"):
            if "admin" in template.relative_to(TEMPLATES).parts:
                continue  # rendered in the admin, under its policy
            text = template.read_text(encoding="utf-8")
            name = str(template.relative_to(TEMPLATES))
            self.assertIsNone(inline_script.search(text), name)
            self.assertNotIn("<style", text, name)
            self.assertNotRegex(text, r"\sstyle\s*=", name)
            self.assertIsNone(handler.search(text), name)

    def test_the_admin_gets_its_own_policy(self) -> None:
        self.client.force_login(administrator_build())
        urls = [
            "/admin/",
            reverse("wagtailadmin_pages:edit", args=[self.story["en"].pk]),
            reverse("wagtailadmin_explore", args=[self.editions.sections["en"].pk]),
        ]
        for url in urls:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            policy = directives(response)
            self.assertIn("'unsafe-inline'", policy["script-src"], url)
            self.assertIn("'unsafe-inline'", policy["style-src"], url)
            self.assertEqual(policy["object-src"], ["'none'"], url)
            self.assertEqual(policy["frame-ancestors"], ["'self'"], url)
            self.assertEqual(policy["base-uri"], ["'self'"], url)
            # Nothing from another origin, and no nonce (it would turn
            # 'unsafe-inline' off, and Wagtail's inline scripts with it).
            header = response["Content-Security-Policy"]
            self.assertNotIn("http", header, url)
            self.assertNotIn("'nonce-", header, url)
            self.assertNotIn("gravatar", response.content.decode(), url)

    def test_a_preview_gets_the_public_policy_framed_by_the_admin(self) -> None:
        """Wagtail runs the page's public address through the middleware again to
        preview it: the editor sees it under the readers' policy, in the admin's
        preview panel (a frame of our origin)."""
        self.client.force_login(administrator_build())
        article = self.story["en"]
        revision = article.save_revision()
        response = self.client.get(
            reverse("wagtailadmin_pages:revisions_view", args=[article.pk, revision.pk])
        )
        self.assertContains(response, article.title)
        policy = directives(response)
        self.assertEqual(policy["script-src"], ["'self'"])
        self.assertEqual(policy["style-src"], ["'self'"])
        self.assertEqual(policy["frame-ancestors"], ["'self'"])

    def test_the_admin_sign_in_gets_it_signed_out(self) -> None:
        response = self.client.get("/admin/login/")
        self.assertIn("'unsafe-inline'", directives(response)["script-src"])


class ApiDocsTests(TestCase):
    def test_the_docs_load_swagger_from_our_own_static_files(self) -> None:
        response = self.client.get("/api/v1/docs")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        found = markup(response)
        sources = [str(s["src"]) for s in found.scripts if s.get("src")]
        self.assertIn("/static/ninja/swagger-ui-bundle.js", sources)
        for source in sources:
            self.assertTrue(source.startswith("/static/"), source)
            self.assertIsNotNone(finders.find(source.removeprefix("/static/")), source)
        for script in found.scripts:  # the rest are settings, JSON
            if not script.get("src"):
                self.assertEqual(script.get("type"), "application/json")
        self.assertEqual(found.inline, [])
        self.assertNotIn("cdn", html.lower())
        self.assertNotRegex(html, r"(src|href)=\"(https?:)?//")
        # No validator badge, an image from the validator's site.
        self.assertRegex(html, r'"validatorUrl": null')
        policy = directives(response)
        self.assertEqual(policy["script-src"], ["'self'"])
        self.assertEqual(policy["style-src"], ["'self'"])
