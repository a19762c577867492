"""The search page: hostile input, pagination, what may never be found, language
filtering, ranking and escaping."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import TestCase, override_settings
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction

from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import (
    CustomImageFactory,
    Editions,
    editions_build,
    publish,
    story_build,
)

HOSTILE = [
    "",
    " ",
    "x" * 10_000,
    "келісім " * 2_000,
    "AND OR NOT",
    "- + * ( ) [ ] { } ^ ~ : ' \"",
    '"келісім" AND (Алматы OR -Пусан) NOT *',
    "title:келісім body:* NEAR(a b)",
    "<script>alert(1)</script>",
    "<b>келісім</b>",
    "😀🇰🇿 келісім 💥",
    "\x00",
    "келісім\x00Алматы",
    "%00 %27 ' OR 1=1 --",
    "\\",
    '"',
    "'",
    "\u200b\u202e",
]


def _article(
    section, title: str, *, lead: str = "Lead.", body: str = ""
) -> ArticlePage:
    article = ArticlePage(
        title=title,
        slug="",
        lead=lead,
        body=[{"type": "paragraph", "value": f"<p>{body}</p>"}] if body else [],
        lead_image=CustomImageFactory(),
    )
    section.add_child(instance=article)
    return publish(article)


class SearchPageTests(TestCase):
    editions: Editions
    kk_story: dict[str, ArticlePage]
    body_only: ArticlePage

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()
        kk = cls.editions.sections["kk"]
        cls.kk_story = story_build(
            cls.editions,
            {
                "kk": "Алматы мен Пусан келісімге қол қойды",
                "ru": "Алматы и Пусан подписали соглашение",
                "en": "Almaty and Busan sign an agreement",
            },
        )
        cls.body_only = _article(
            kk, "Қала әкімдігінің жиыны", body="Жиында келісім талқыланды."
        )

    def get(self, path: str, **params: str):
        return self.client.get(path, params)

    def found(self, path: str, q: str) -> list[int]:
        response = self.get(path, q=q)
        assert response.status_code == 200
        return [hit.article.pk for hit in response.context["results"].hits]

    def test_hostile_queries_answer_200_in_every_edition(self) -> None:
        for prefix in ("/kk/", "/kk-latn/", "/ru/", "/en/"):
            for q in HOSTILE:
                with self.subTest(prefix=prefix, q=q[:30]):
                    response = self.get(f"{prefix}search/", q=q)
                    assert response.status_code == 200

    def test_query_is_cut_before_parsing(self) -> None:
        response = self.get("/kk/search/", q="келісім " * 2_000)
        assert len(response.context["results"].query) <= 200

    def test_inflected_kazakh_query_finds_the_other_form(self) -> None:
        found = self.found("/kk/search/", "келісім")
        assert self.kk_story["kk"].pk in found

    def test_russian_keyboard_and_latin_queries_find_kazakh_text(self) -> None:
        for q in ("келисимге", "Almaty", "Almaty Pusan", "kelısım", "kelisim"):
            with self.subTest(q=q):
                assert self.kk_story["kk"].pk in self.found("/kk/search/", q)

    def test_headline_hit_ranks_above_body_hit(self) -> None:
        found = self.found("/kk/search/", "келісім")
        assert found.index(self.kk_story["kk"].pk) < found.index(self.body_only.pk)

    def test_each_edition_finds_only_its_own_articles(self) -> None:
        assert self.found("/ru/search/", "соглашения") == [self.kk_story["ru"].pk]
        assert self.found("/en/search/", "agreements") == [self.kk_story["en"].pk]
        assert self.found("/en/search/", "келісім") == []
        latin = self.found("/kk-latn/search/", "kelısım")
        assert self.kk_story["kk"].pk not in latin
        assert (
            ArticlePage.objects.get(pk=latin[0]).alias_of_id == self.kk_story["kk"].pk
        )

    def test_latin_edition_page_shows_latin_snippets(self) -> None:
        response = self.get("/kk-latn/search/", q="келісім")
        assert "<mark>kelısımge</mark>" in response.content.decode()

    def test_draft_embargoed_expired_and_private_articles_are_never_found(self) -> None:
        kk = self.editions.sections["kk"]
        draft = ArticlePage(
            title="Жасырын келісім жобасы", slug="draft", lead="Lead.", live=False
        )
        kk.add_child(instance=draft)
        draft.save_revision()
        # Saved live while under embargo: the model keeps it off the site.
        embargoed = ArticlePage(
            title="Эмбарго келісім",
            slug="embargoed",
            lead="Lead.",
            embargo_until=timezone.now() + timedelta(days=1),
        )
        kk.add_child(instance=embargoed)
        # Live, but an embargo written straight into the row: search still hides it.
        forced = _article(kk, "Тағы бір эмбарго келісім")
        ArticlePage.objects.filter(pk=forced.pk).update(
            embargo_until=timezone.now() + timedelta(hours=1)
        )
        private = _article(kk, "Құпия келісім")
        PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
        # Expired a minute ago: still `live` until the publication pass runs.
        expired = _article(kk, "Мерзімі өткен келісім")
        ArticlePage.objects.filter(pk=expired.pk).update(
            expire_at=timezone.now() - timedelta(minutes=1)
        )
        found = self.found("/kk/search/", "келісім")
        assert self.kk_story["kk"].pk in found
        for hidden in (draft, embargoed, forced, private, expired):
            assert hidden.pk not in found

    @override_settings(AQPARAT_SEARCH_PAGE_SIZE=1)
    def test_pagination_and_bad_page_numbers(self) -> None:
        first = self.found("/kk/search/", "келісім")
        second = self.client.get("/kk/search/", {"q": "келісім", "page": "2"})
        assert [h.article.pk for h in second.context["results"].hits] != first
        for page in ("abc", "0", "-1", "99999", "1e9", "", "\x00", "2" * 500):
            with self.subTest(page=page):
                response = self.client.get(
                    "/kk/search/", {"q": "келісім", "page": page}
                )
                assert response.status_code == 200
        html = self.client.get("/kk/search/", {"q": "келісім"}).content.decode()
        assert "page=2" in html and "q=" in html
        # Results come by relevance: their pages are next and previous, not
        # older and newer as a listing's are.
        nav = "".join(
            re.findall(
                r'<nav class="pagination".*?</nav>',
                html + second.content.decode(),
                re.S,
            )
        )
        assert "Келесі бет" in nav and "Алдыңғы бет" in nav
        assert "Ескілері" not in nav and "Жаңалары" not in nav

    def test_article_text_and_query_are_escaped(self) -> None:
        _article(
            self.editions.sections["en"],
            "<img src=x onerror=alert(1)> agreement",
            lead="<script>alert('lead')</script> agreement & more",
        )
        q = "agreement <script>alert('q')</script>"
        html = self.get("/en/search/", q=q).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;img src=x onerror=" in html
        assert "(&#x27;lead&#x27;)&lt;/" in html
        assert "<mark>agreement</mark>" in html

    def test_nothing_found_and_empty_query(self) -> None:
        with translation.override("en"):
            html = self.get("/en/search/", q="zzzqqq").content.decode()
            assert "Nothing found for «zzzqqq»" in html
            html = self.get("/en/search/", q="").content.decode()
            assert "Nothing found" not in html

    def test_result_pages_are_noindex_and_briefly_cached(self) -> None:
        response = self.get("/en/search/", q="agreement")
        assert response["X-Robots-Tag"] == "noindex"
        assert '<meta name="robots" content="noindex">' in response.content.decode()
        assert "max-age=60" in response["Cache-Control"]
        assert "s-maxage=60" in response["Cache-Control"]


@pytest.mark.django_db
def test_search_url_exists_in_every_edition(client) -> None:
    editions_build()
    for prefix in ("kk", "kk-latn", "ru", "en"):
        assert client.get(f"/{prefix}/search/").status_code == 200
