"""`make bench`: site search at 100 000 articles, on SQLite and on PostgreSQL.

The demo newsroom is loaded, then its articles are cloned with bulk inserts (each
clone keeps its source's headline, lead and body, so queries hit realistic text)
to BENCH_SEARCH_ARTICLES articles across the kk/ru/en editions. Bulk inserts skip
the search index, so each clone gets a copy of its source's index entry in SQL (same
text, same entry). The backend's own bulk indexing (the path of `update_index`) is
timed on a sample of BENCH_SEARCH_INDEX_SAMPLE clones whose entries are deleted
first; indexing all 100 000 that way takes tens of minutes (see the extrapolation
it prints). Then every judged query
(aqparat/demo/judged/*.json) runs through the selector the search page
uses, ranked, paginated and highlighted: median and p95 latency per backend.
PostgreSQL is skipped when it does not answer on 127.0.0.1.
"""

from __future__ import annotations

import os
import statistics
import time

from bench.common import backends_main, page_clone

ARTICLES = int(os.environ.get("BENCH_SEARCH_ARTICLES", "100000"))
PG_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aqparat_bench_search"
)
CHUNK = 1000
INDEX_SAMPLE = int(os.environ.get("BENCH_SEARCH_INDEX_SAMPLE", "5000"))
QUERIES_PER_LANGUAGE = int(os.environ.get("BENCH_SEARCH_QUERIES", "20"))
BACKENDS = os.environ.get("BENCH_SEARCH_BACKENDS", "sqlite,postgresql").split(",")
# With a C ctype PostgreSQL neither lower-cases nor trigrams Cyrillic.


def clone(count: int) -> int:
    """`count` more live articles, cloned from the demo's, spread over the editions."""
    from django.db import transaction
    from wagtail.models import Page

    from aqparat.news.models import ArticlePage
    from bench.scale_data import _article_rows

    sources = list(
        ArticlePage.objects.filter(
            alias_of=None, live=True, locale__language_code__in=("kk", "ru", "en")
        ).select_related("locale")
    )
    per_source = max(1, count // len(sources))
    made = 0
    with transaction.atomic():
        for s_index, source in enumerate(sources):
            section = source.get_parent()
            pages = []
            for n in range(per_source):
                number = 10_000 + s_index * per_source + n
                pages.append(page_clone(source, section, number))
            Page.objects.bulk_create(pages, batch_size=CHUNK)
            saved = Page.objects.filter(
                path__startswith=section.path, slug__startswith="bench-"
            ).exclude(articlepage__isnull=False)
            clones = list(saved.only("id"))
            _article_rows(source, clones)
            _index_entries_copy(source.pk, [page.pk for page in clones])
            made += len(pages)
    return made


def _index_entries_copy(source_id: int, clone_ids: list[int]) -> None:
    """Each clone gets a copy of its source's index entry (same text, so the same
    entry): 100 000 articles indexed in SQL, not hours of Python."""
    from django.db import connection
    from modelsearch.conf import get_app_config

    entry = get_app_config().get_model("IndexEntry")
    columns = [
        f.column
        for f in entry._meta.concrete_fields
        if f.column not in ("id", "object_id")
    ]
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = (
        f"INSERT INTO {entry._meta.db_table} (object_id, {names})"  # noqa: S608
        f" SELECT %s, {names} FROM {entry._meta.db_table} WHERE object_id = %s"
        " AND content_type_id = %s"
    )
    from django.contrib.contenttypes.models import ContentType

    from aqparat.news.models import ArticlePage

    content_type = ContentType.objects.get_for_model(ArticlePage)
    with connection.cursor() as cursor:
        cursor.executemany(
            sql, [(str(pk), str(source_id), content_type.pk) for pk in clone_ids]
        )


def index_clones(sample: int) -> float:
    """Seconds for the backend to bulk-index `sample` cloned articles from scratch
    (their copied entries deleted first), in chunks, as update_index does."""
    from modelsearch.conf import get_app_config
    from wagtail.search.backends import get_search_backend

    from aqparat.news.models import ArticlePage

    backend = get_search_backend()
    ids = list(
        ArticlePage.objects.filter(slug__startswith="bench-")
        .order_by("?")
        .values_list("pk", flat=True)[:sample]
    )
    entry = get_app_config().get_model("IndexEntry")
    entry.objects.filter(object_id__in=[str(pk) for pk in ids]).delete()
    started = time.perf_counter()
    for start in range(0, len(ids), CHUNK):
        chunk = ArticlePage.get_indexed_objects().filter(
            pk__in=ids[start : start + CHUNK]
        )
        backend.add_bulk(ArticlePage, list(chunk))
    return time.perf_counter() - started


def time_queries() -> tuple[list[float], list[float]]:
    """Milliseconds per judged query: the ranked ids alone, and the whole first
    page of results (ranking, fetching, highlighting)."""
    from aqparat.demo.search_quality import LANGUAGES, judged_set
    from aqparat.search.selectors import article_search, article_search_ids

    mix = [
        (q["q"], code)
        for code in LANGUAGES
        for q in judged_set(code)[::3][:QUERIES_PER_LANGUAGE]
    ]
    for q, code in mix[:5]:  # warm the connection and the analyser's caches
        article_search_ids(query=q, language_code=code)
    ranked, whole = [], []
    for q, code in mix:
        started = time.perf_counter()
        article_search_ids(query=q, language_code=code)
        ranked.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        article_search(query=q, language_code=code, page_number=None)
        whole.append((time.perf_counter() - started) * 1000)
    return ranked, whole


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def measure(backend: str) -> None:
    import logging

    import django

    django.setup()
    logging.getLogger("wagtail").setLevel(logging.ERROR)
    from aqparat.demo.services import demo_newsroom_load
    from aqparat.news.models import ArticlePage

    started = time.perf_counter()
    demo_newsroom_load()
    made = clone(ARTICLES - ArticlePage.objects.count())
    setup = time.perf_counter() - started
    print(f"{backend:>10}: {made} clones made and indexed by copy", flush=True)
    total = ArticlePage.objects.count()
    index_seconds = index_clones(INDEX_SAMPLE)
    ranked, whole = time_queries()
    print(
        f"{backend:>10}: {total} articles (setup {setup:.0f} s)"
        f" | bulk indexing {INDEX_SAMPLE}: {index_seconds:.0f} s"
        f" ({INDEX_SAMPLE / index_seconds:.0f}/s,"
        f" ~{ARTICLES / (INDEX_SAMPLE / index_seconds) / 60:.0f} min for {ARTICLES})"
        f" | {len(ranked)} queries, ranked ids: median"
        f" {statistics.median(ranked):.0f} ms, p95 {_p95(ranked):.0f} ms"
        f" | first page of results: median {statistics.median(whole):.0f} ms,"
        f" p95 {_p95(whole):.0f} ms",
        flush=True,
    )


def main() -> None:
    backends_main(
        measure,
        module="bench.search",
        pg_url=PG_URL,
        var_prefix="aqparat-bench-search-",
        backends=BACKENDS,
    )


if __name__ == "__main__":
    main()
