"""Reads for site search: a reader's query in, a page of ranked, highlighted
articles of one edition out. The same functions serve the view, the quality
harness (tests/test_quality.py) and the benchmark, so what is measured is what
readers get."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from modelsearch.conf import get_app_config
from modelsearch.query import And, Fuzzy, Or, PlainText, SearchQuery
from modelsearch.utils import get_descendants_content_types_pks

from aqparat.core.restrictions import pages_public
from aqparat.core.selectors import listing_page_of
from aqparat.images.models import CustomImage
from aqparat.images.renditions import LISTING_RENDITIONS
from aqparat.news.models import ArticlePage
from aqparat.translit.analysis import (
    document_terms,
    latin_to_cyrillic,
    matches,
    query_groups,
    words,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WORD_SPLIT = re.compile(r"([^\W_]+)")
SNIPPET_WORDS = 40


@dataclass(frozen=True)
class SearchHit:
    article: ArticlePage
    headline: SafeString
    snippet: SafeString


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: PaginatorPage[Any]  # of SearchHit
    total: int


@dataclass(frozen=True)
class _Ranked:
    ids: list[int]
    terms: frozenset[str]


def search_query_clean(raw: str | None) -> str:
    """The reader's query, cut to AQPARAT_SEARCH_MAX_QUERY_CHARS *before* anything
    parses it, without control characters (NUL included), NFC, single-spaced."""
    text = (raw or "")[: settings.AQPARAT_SEARCH_MAX_QUERY_CHARS]
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text))
    return " ".join(text.split())


def article_search(
    *, query: str | None, language_code: str, page_number: str | None
) -> SearchResults:
    """One page of the edition's articles matching `query`, best first."""
    cleaned = search_query_clean(query)
    ranked = article_search_ranked(query=cleaned, language_code=language_code)
    page = listing_page_of(
        items=ranked.ids,
        page_number=page_number,
        per_page=settings.AQPARAT_SEARCH_PAGE_SIZE,
    )
    page.object_list = _hits(
        list(page.object_list), terms=ranked.terms, language_code=language_code
    )
    return SearchResults(query=cleaned, hits=page, total=len(ranked.ids))


def article_search_ids(
    *, query: str, language_code: str, stem: bool | None = None
) -> list[int]:
    """The ids of matching articles, best first (what the quality harness scores)."""
    return article_search_ranked(
        query=search_query_clean(query), language_code=language_code, stem=stem
    ).ids


def article_search_ranked(
    *, query: str, language_code: str, stem: bool | None = None
) -> _Ranked:
    """Rank in three tiers: articles with every query word, then (if too few)
    those with any word, then (PostgreSQL only, if fewer than FUZZY_BELOW) fuzzy
    matches; inside the first two, headline hits first, then the backend's score."""
    stem = settings.AQPARAT_SEARCH_STEMMING if stem is None else stem
    groups = query_groups(query, language_code=language_code, stem=stem)
    terms = frozenset(t for group in groups for t in group)
    if not groups:
        return _Ranked(ids=[], terms=terms)
    limit = settings.AQPARAT_SEARCH_MAX_RESULTS
    ranked: list[int] = []
    for all_words in (True, False) if len(groups) > 1 else (True,):
        if len(ranked) >= settings.AQPARAT_SEARCH_MIN_RESULTS:
            break
        seen = set(ranked)
        rows = _matching(_searchable(language_code), groups, all_words, limit)
        fresh = [a for a in rows if a.pk not in seen]
        ranked += _headline_first(fresh, groups, language_code=language_code, stem=stem)
    if len(ranked) < settings.AQPARAT_SEARCH_FUZZY_BELOW and _fuzzy_available():
        rows = _search(
            _searchable(language_code), Fuzzy(fuzzy_text(query, language_code))
        )[:limit]
        seen = set(ranked)
        ranked += [a.pk for a in rows if a.pk not in seen]
    return _Ranked(ids=ranked[:limit], terms=terms)


def fuzzy_text(query: str, language_code: str) -> str:
    """The query's words as the trigram match compares them: normalised, unstemmed,
    Latin-script Kazakh read back into Cyrillic."""
    found = words(query)
    if language_code.startswith("kk"):
        found = [latin_to_cyrillic(word) for word in found]
    return " ".join(found)


def _searchable(language_code: str) -> QuerySet[ArticlePage]:
    """What readers of an edition may find: live, public (no view restriction), not
    expired, not under embargo, in the edition's locale. The conditions of
    news.selectors.page_filter_visible, in the form modelsearch accepts (declared
    FilterFields; no subquery expressions). Only the headline is loaded to rank."""
    now = timezone.now()
    return (
        pages_public(ArticlePage.objects.live())
        .filter(locale__language_code=language_code)
        .exclude(embargo_until__gt=now)
        .exclude(expire_at__lte=now)
        .only("id", "title")
    )


def _matching(
    articles: QuerySet[ArticlePage],
    groups: list[tuple[str, ...]],
    all_words: bool,
    limit: int,
) -> list[ArticlePage]:
    """The best `limit` of `articles` holding every (or any) query word."""
    if connection.vendor == "sqlite":
        return _matching_sqlite(articles, groups, all_words, limit)
    query = _all_of(groups) if all_words else Or([_one_of(g) for g in groups])
    return list(_search(articles, query)[:limit])


def _matching_sqlite(
    articles: QuerySet[ArticlePage],
    groups: list[tuple[str, ...]],
    all_words: bool,
    limit: int,
) -> list[ArticlePage]:
    """The same search on modelsearch's own SQLite FTS5 tables, queried directly.

    modelsearch's SQLite query filters `pk IN (FTS match)` and scores each row with
    a correlated subquery; SQLite plans both as a scan of every index entry with an
    FTS lookup inside, so a query cost grows with the index (seconds at 100 000
    articles, see bench/search.py). Here the MATCH drives: the best-scoring entries
    (bm25) first, then the edition's filters on that short list. Terms are word
    characters only (analysis.words), so the MATCH string needs no escaping, and it
    is passed as a parameter.
    """
    entries = get_app_config().get_model("IndexEntry")._meta.db_table
    joiner = " AND " if all_words else " OR "
    match = joiner.join(
        "(" + " OR ".join(f'"{term}"' for term in group) + ")" for group in groups
    )
    types = list(get_descendants_content_types_pks(ArticlePage))
    # Table names come from the model; every value is a parameter.
    sql = (
        f"SELECT e.object_id FROM {entries}_fts f JOIN {entries} e ON e.id = f.rowid"  # noqa: S608
        f" WHERE {entries}_fts MATCH %s AND e.content_type_id IN"
        f" ({', '.join(['%s'] * len(types))})"
        f" ORDER BY bm25({entries}_fts) LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{{title body}} : ({match})", *types, limit * 10])
        order = {int(row[0]): n for n, row in enumerate(cursor.fetchall())}
    rows = sorted(articles.filter(pk__in=order), key=lambda a: order[a.pk])
    return rows[:limit]


def _search(articles: QuerySet[ArticlePage], query: SearchQuery) -> Any:
    """Wagtail's PageQuerySet.search (untyped): the configured backend's results."""
    return articles.search(query)  # type: ignore[attr-defined]


def _one_of(group: tuple[str, ...]) -> SearchQuery:
    if len(group) == 1:
        return PlainText(group[0])
    return Or([PlainText(term) for term in group])


def _all_of(groups: list[tuple[str, ...]]) -> SearchQuery:
    if len(groups) == 1:
        return _one_of(groups[0])
    return And([_one_of(group) for group in groups])


def _headline_first(
    rows: list[ArticlePage],
    groups: list[tuple[str, ...]],
    *,
    language_code: str,
    stem: bool,
) -> list[int]:
    """The backend's order, but articles whose headline holds more of the query's
    words first: SQLite's FTS5 ranking gives a headline hit no more weight than a
    body hit, PostgreSQL's already does (boost -> weight A), so both agree."""

    def headline_hits(article: ArticlePage) -> int:
        words = set(
            document_terms(article.title, language_code=language_code, stem=stem)
        )
        return sum(1 for group in groups if words.intersection(group))

    order = sorted(enumerate(rows), key=lambda pair: (-headline_hits(pair[1]), pair[0]))
    return [article.pk for _position, article in order]


def _fuzzy_available() -> bool:
    return bool(settings.AQPARAT_SEARCH_FUZZY and connection.vendor == "postgresql")


def _hits(
    ids: list[int], *, terms: frozenset[str], language_code: str
) -> list[SearchHit]:
    articles = ArticlePage.objects.filter(pk__in=ids).prefetch_related(
        Prefetch(
            "lead_image",
            queryset=CustomImage.objects.prefetch_renditions(*LISTING_RENDITIONS),
        )
    )
    by_id = {article.pk: article for article in articles}
    return [
        SearchHit(
            article=by_id[pk],
            headline=highlight(by_id[pk].title, terms, language_code=language_code),
            snippet=_snippet(by_id[pk], terms, language_code=language_code),
        )
        for pk in ids
        if pk in by_id
    ]


def _snippet(
    article: ArticlePage, terms: frozenset[str], *, language_code: str
) -> SafeString:
    """The lead, or else the first passage of the body holding a query word."""
    texts = [article.lead]
    texts += article.body.stream_block.get_searchable_content(article.body)
    for text in texts:
        if any(
            matches(w, terms, language_code=language_code)
            for w in _WORD_SPLIT.findall(text)
        ):
            return highlight(text, terms, language_code=language_code)
    return highlight(article.lead, terms, language_code=language_code)


def highlight(
    text: str, terms: frozenset[str], *, language_code: str, words: int = SNIPPET_WORDS
) -> SafeString:
    """`text` escaped, its words that match the query wrapped in <mark>, cut to
    about `words` words around the first match. Every piece of the text is escaped
    before any markup is added, so neither the article nor the query can inject
    HTML."""
    parts = _WORD_SPLIT.split(text)  # odd indexes are words
    hits = {
        i for i in range(1, len(parts), 2)
        if matches(parts[i], terms, language_code=language_code)
    }  # fmt: skip
    # About a quarter of the window before the first match, the rest after it.
    start = max(0, min(hits, default=0) - words // 2) // 2 * 2
    end = start + words * 2
    out = ["…" if start else ""]
    for i, part in enumerate(parts[start:end], start):
        escaped = escape(part)
        out.append(f"<mark>{escaped}</mark>" if i in hits else escaped)
    if end < len(parts):
        out.append("…")
    # Every part is escaped above; only our <mark> tags are markup.
    return mark_safe("".join(out))  # noqa: S308 # nosec
