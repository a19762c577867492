"""Reads for feeds and sitemaps: what the public may see, and where it lives (H8).

Public means what news' `page_filter_visible` lets through: live, not under a view
restriction (nor, for a Latin-edition alias, its Cyrillic source), not expired and,
for articles, not embargoed. Sitemaps never
load a page object per URL: rows are tuples from `.values_list()`, and URLs are
made from `url_path` and the site root paths, as `Page.get_url_parts` makes them
(`Site.get_site_root_paths()`, cached by Wagtail, then the language prefix of
`i18n_patterns` that `reverse("wagtail_serve")` gives under each language).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import CharField, F, Prefetch, QuerySet, Window
from django.db.models.functions import Cast, Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from wagtail.models import Page, Site

from aqparat.images.models import CustomImage
from aqparat.news.models import ArticleAuthor, ArticlePage, ArticlePageTag
from aqparat.news.selectors import language_tag, page_filter_visible

# The lead photo in feeds: a JPEG every reader can show, made at publication.
FEED_RENDITION = "fill-1200x675|format-jpeg"

# More article sitemap pages than an index may list (50 000) is no page at all.
SITEMAP_PAGES_MAX = 50_000

UrlFor = Callable[[str], str | None]
# Translation keys as text: sitemap rows only group by them, and turning 10 000s of
# database values into UUID objects was half the time of a sitemap page.
_KEY = Cast("translation_key", output_field=CharField())


@dataclass(frozen=True)
class SitemapUrl:
    loc: str
    lastmod: datetime | None
    alternates: tuple[tuple[str, str], ...]  # (hreflang, href), x-default last


@dataclass(frozen=True)
class SitemapPart:
    """One sitemap the index lists: articles-kk-2, pages-ru, news-en..."""

    kind: str
    language_code: str
    number: int | None
    lastmod: datetime | None


@dataclass(frozen=True)
class NewsEntry:
    loc: str
    title: str
    published: datetime


def page_list_public(*, now: datetime | None = None) -> QuerySet[Page]:
    """Every page the public may see (homes, sections, tag indexes, articles)."""
    return page_filter_visible(Page.objects.all(), now=now)


def article_list_public(
    *, language_code: str, now: datetime | None = None
) -> QuerySet[ArticlePage]:
    """The edition's public articles; `published` is the original publication
    (for a Latin alias, its Cyrillic source's)."""
    return (
        page_filter_visible(ArticlePage.objects.all(), now=now)
        .filter(locale__language_code=language_code)
        .annotate(
            published=Coalesce(
                F("alias_of__first_published_at"), F("first_published_at")
            )
        )
    )


def url_for_paths() -> UrlFor:
    """A function from `url_path` to the page's full URL, with no query per call."""
    roots: list[tuple[str, str, str]] = []
    for root in Site.get_site_root_paths():
        with translation.override(root.language_code):
            prefix = reverse("wagtail_serve", args=("",))
        roots.append((root.root_path, root.root_url, prefix))

    def url_for(url_path: str) -> str | None:
        for root_path, root_url, prefix in roots:
            if url_path.startswith(root_path):
                return f"{root_url}{prefix}{url_path[len(root_path) :]}"
        return None

    return url_for


def feed_article_list(
    *, language_code: str, under: Page | None, limit: int, full_text: bool
) -> list[ArticlePage]:
    """The newest public articles of an edition (or of one section) for its feed:
    authors, tags and the lead photo with its feed rendition in a fixed few
    queries; the body only when the feed carries full text."""
    articles = article_list_public(language_code=language_code)
    if under is not None:
        articles = articles.filter(path__startswith=under.path, depth__gt=under.depth)
    if not full_text:
        articles = articles.defer_streamfields()  # type: ignore[attr-defined]
    articles = articles.select_related("locale").prefetch_related(
        Prefetch(
            "lead_image",
            queryset=CustomImage.objects.prefetch_renditions(FEED_RENDITION),
        ),
        Prefetch(
            "article_authors", queryset=ArticleAuthor.objects.select_related("author")
        ),
        Prefetch("tagged_items", queryset=ArticlePageTag.objects.select_related("tag")),
    )
    return list(articles.order_by("-published", "-pk")[:limit])


def sitemap_index_parts(*, page_size: int) -> list[SitemapPart]:
    """Every sitemap the index lists, each with the newest change on it."""
    parts: list[SitemapPart] = []
    for code, _name in settings.LANGUAGES:
        pages = page_list_public().filter(locale__language_code=code, depth__in=(2, 3))
        lastmod = _newest(pages.values_list("last_published_at", flat=True))
        if lastmod is not None:
            parts.append(SitemapPart("pages", code, None, lastmod))
        parts += _article_parts(code, page_size)
        parts.append(SitemapPart("news", code, None, None))
    return parts


def _newest(moments: Iterable[datetime | None]) -> datetime | None:
    return max((m for m in moments if m is not None), default=None)


def _article_parts(code: str, page_size: int) -> list[SitemapPart]:
    """The edition's article sitemap pages and each one's newest change, counted
    and aggregated by the database in one query (numbering the rows in page
    order): no row reaches Python, whatever the size of the archive."""
    numbered = (
        article_list_public(language_code=code)
        .annotate(sitemap_row=Window(RowNumber(), order_by=F("pk").asc()))
        .values("sitemap_row", "last_published_at")
    )
    sql, params = numbered.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (sitemap_row - 1) / %s, MAX(last_published_at)"  # noqa: S608
            f" FROM ({sql}) numbered GROUP BY 1 ORDER BY 1",
            (page_size, *params),
        )
        pages = cursor.fetchall()
    return [
        SitemapPart("articles", code, int(number) + 1, _moment(lastmod))
        for number, lastmod in pages
    ]


def _moment(value: datetime | str | None) -> datetime | None:
    """A raw aggregate's timestamp: PostgreSQL gives an aware datetime, SQLite the
    stored UTC text."""
    if value is None or isinstance(value, datetime):
        return value
    moment = parse_datetime(value)
    if moment is not None and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment


def sitemap_article_page(
    *, language_code: str, number: int, page_size: int
) -> list[SitemapUrl]:
    """One page of an edition's article sitemap, oldest first (so pages stay put as
    stories are added), with every URL's translations: two queries and the
    visibility checks, however large the page. A number below 1 or beyond
    `SITEMAP_PAGES_MAX` is no page (and would slice backwards or overflow the
    database's OFFSET): empty, with no query."""
    if not 1 <= number <= SITEMAP_PAGES_MAX:
        return []
    start = (number - 1) * page_size
    window = article_list_public(language_code=language_code).order_by("pk")
    rows = window.annotate(key=_KEY).values_list("url_path", "key", "last_published_at")
    keys = window.values("translation_key")[start : start + page_size]
    return _sitemap_urls(list(rows[start : start + page_size]), keys)


def sitemap_page_list(*, language_code: str) -> list[SitemapUrl]:
    """The edition's home, sections and tag index, with their translations."""
    pages = page_list_public().filter(
        locale__language_code=language_code, depth__in=(2, 3)
    )
    rows = (
        pages.annotate(key=_KEY)
        .order_by("path")
        .values_list("url_path", "key", "last_published_at")
    )
    return _sitemap_urls(list(rows), pages.values("translation_key"))


def _sitemap_urls(rows: list[Any], keys: QuerySet[Any]) -> list[SitemapUrl]:
    url_for = url_for_paths()
    editions = _editions_of(keys, url_for)
    urls = []
    for url_path, key, lastmod in rows:
        loc = url_for(url_path)
        if loc is not None:
            urls.append(SitemapUrl(loc, lastmod, editions.get(key, ())))
    return urls


def _editions_of(
    keys: QuerySet[Any], url_for: UrlFor
) -> dict[str, tuple[tuple[str, str], ...]]:
    """hreflang alternates for every translation group in `keys`, in one query:
    each public edition (itself included), in LANGUAGES order, then x-default (the
    default language's edition, else the first). A story in one edition only gets
    none: there is nothing to alternate with."""
    order = [code for code, _name in settings.LANGUAGES]
    found: dict[str, dict[str, str]] = {}
    rows = (
        page_list_public()
        .filter(translation_key__in=keys)
        .annotate(key=_KEY)
        .order_by()
        .values_list("key", "url_path", "locale__language_code")
    )
    for key, url_path, code in rows:
        url = url_for(url_path)
        if url is not None and code in order:
            found.setdefault(key, {})[code] = url
    alternates = {}
    for key, by_code in found.items():
        if len(by_code) < 2:
            continue
        links = [(language_tag(c), by_code[c]) for c in order if c in by_code]
        default = by_code.get(settings.LANGUAGE_CODE, links[0][1])
        alternates[key] = (*links, ("x-default", default))
    return alternates


def sitemap_news_entries(
    *, language_code: str, now: datetime | None = None
) -> list[NewsEntry]:
    """Google News: the edition's stories first published in the last two days,
    newest first, at most 1 000, with their original publication time."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.AQPARAT_NEWS_SITEMAP_DAYS)
    rows = (
        article_list_public(language_code=language_code, now=now)
        .filter(published__gte=since, published__lte=now)
        .order_by("-published", "-pk")
        .values_list("url_path", "title", "published")
    )
    url_for = url_for_paths()
    entries = []
    for url_path, title, published in rows[: settings.AQPARAT_NEWS_SITEMAP_LIMIT]:
        loc = url_for(url_path)
        if loc is not None:
            entries.append(NewsEntry(loc, title, published))
    return entries
