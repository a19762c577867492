"""Queries compiled once a process (core/prepared.py): the same rows and instances as
Django's own queryset, every call a query (no row kept), and the page view's query
compiled only the first time."""

from __future__ import annotations

from typing import Any, cast
from unittest import mock

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.db.models.sql.compiler import SQLCompiler
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from aqparat.analytics.models import PageViewCount
from aqparat.analytics.selectors import page_views_total
from aqparat.core.prepared import PreparedQuery, PreparedQueryError
from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import Editions, editions_build, story_build


class CompileCounter:
    """Counts SQL compilations (Django's `SQLCompiler.as_sql`) while active."""

    def __init__(self) -> None:
        self.count = 0
        self.sql: list[str] = []
        original = SQLCompiler.as_sql

        def as_sql(compiler: SQLCompiler, *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            result = original(compiler, *args, **kwargs)
            self.sql.append(str(result[0]))
            return result

        self._patch = mock.patch.object(SQLCompiler, "as_sql", as_sql)

    def __enter__(self) -> CompileCounter:
        self._patch.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._patch.__exit__(*exc)


class PreparedQueryTests(TestCase):
    editions: Editions
    story: dict[str, ArticlePage]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.editions = editions_build()
        cls.story = story_build(
            cls.editions,
            {"kk": "Астанада жаңа көпір ашылды", "en": "A new bridge opens in Astana"},
        )

    def by_address(self) -> PreparedQuery:
        return PreparedQuery(
            ArticlePage,
            lambda page_id, url_path: ArticlePage.objects.filter(
                pk=page_id, url_path=url_path
            )[:1],
        )

    def test_instances_are_what_the_orm_builds(self) -> None:
        article = self.story["en"]
        query = self.by_address()
        for _ in range(2):  # compiled, then only executed
            found = cast(ArticlePage, query.instances(article.pk, article.url_path)[0])
            expected = ArticlePage.objects.get(pk=article.pk)
            self.assertIsInstance(found, ArticlePage)
            self.assertFalse(found._state.adding)
            self.assertEqual(found._state.db, "default")
            for field in ArticlePage._meta.concrete_fields:
                self.assertEqual(
                    getattr(found, field.attname),
                    getattr(expected, field.attname),
                    field.name,
                )
            # Converted as Django converts them: aware datetimes, booleans.
            self.assertIsNotNone(found.first_published_at.tzinfo)
            self.assertIs(found.live, True)
        self.assertEqual(query.instances(article.pk, "/elsewhere/"), [])

    def test_compiled_once_and_every_call_asks_the_database(self) -> None:
        article = self.story["en"]
        query = self.by_address()
        with CompileCounter() as compiled:
            query.instances(article.pk, article.url_path)
            self.assertEqual(compiled.count, 1)
            with CaptureQueriesContext(connection) as queries:
                query.instances(article.pk, article.url_path)
            self.assertEqual(compiled.count, 1)
        self.assertEqual(len(queries), 1)
        # Another connection's change (here the ORM's) is seen at once.
        Page.objects.filter(pk=article.pk).update(title="Renamed")
        (renamed,) = query.instances(article.pk, article.url_path)
        self.assertEqual(cast(ArticlePage, renamed).title, "Renamed")

    def test_values_rows(self) -> None:
        page_id = self.story["kk"].pk
        self.assertEqual(page_views_total(page_id=page_id), 0)
        PageViewCount.objects.create(page_id=page_id, views=1098)
        self.assertEqual(page_views_total(page_id=page_id), 1098)
        PageViewCount.objects.filter(page_id=page_id).update(views=1099)
        self.assertEqual(page_views_total(page_id=page_id), 1099)

    def test_annotations_are_set_as_the_orm_sets_them(self) -> None:
        article = self.story["en"]
        PageViewCount.objects.create(page_id=article.pk, views=1098)
        views = PageViewCount.objects.filter(page_id=OuterRef("pk")).values("views")
        query = PreparedQuery(
            ArticlePage,
            lambda page_id: ArticlePage.objects.filter(pk=page_id).annotate(
                shown=Subquery(views[:1])
            ),
        )
        (found,) = query.instances(article.pk)
        expected = ArticlePage.objects.annotate(shown=Subquery(views[:1])).get(
            pk=article.pk
        )
        self.assertEqual(cast(Any, found).shown, 1098)
        self.assertEqual(cast(Any, expected).shown, 1098)
        for field in ArticlePage._meta.concrete_fields:
            self.assertEqual(
                getattr(found, field.attname), getattr(expected, field.attname)
            )
        PageViewCount.objects.filter(page_id=article.pk).delete()
        (unseen,) = query.instances(article.pk)
        self.assertIsNone(cast(Any, unseen).shown)

    def test_arguments_must_reach_the_sql_unchanged(self) -> None:
        startswith = PreparedQuery(
            Page, lambda path: Page.objects.filter(url_path__startswith=path)
        )
        with self.assertRaises(PreparedQueryError):
            startswith.rows("/home/")
        unused = PreparedQuery(Page, lambda page_id: Page.objects.filter(depth=1))
        with self.assertRaises(PreparedQueryError):
            unused.rows(1)
        with self.assertRaises(PreparedQueryError):
            self.by_address().rows(1.5, "/")  # a float: no probe for it
        related = PreparedQuery(
            ArticlePage,
            lambda page_id: ArticlePage.objects.select_related("owner").filter(
                pk=page_id
            ),
        )
        with self.assertRaises(PreparedQueryError):
            related.instances(self.story["en"].pk)

    def test_the_page_view_compiles_its_page_query_once(self) -> None:
        url = self.story["en"].url
        self.assertEqual(self.client.get(url).status_code, 200)
        with CompileCounter() as compiled, CaptureQueriesContext(connection) as sql:
            self.assertEqual(self.client.get(url).status_code, 200)
        asked = [q["sql"] for q in sql]
        for table in ('"url_path" =', '"analytics_pageviewcount"'):
            # The page and its view count: asked (not kept), not compiled again.
            self.assertEqual(len([q for q in asked if table in q]), 1, table)
            self.assertEqual([q for q in compiled.sql if table in q], [], table)
