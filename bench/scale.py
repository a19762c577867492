"""`make bench-scale`: what readers' pages cost at 10 000, 100 000 and 1 000 000
articles on PostgreSQL, and site search's p50/p95 at each size.

The demo newsroom is loaded, then grown in steps to each size in
BENCH_SCALE_SIZES by cloning its articles in the three editions (the Latin edition
is the Kazakh one, written in Latin script on the way out): each clone keeps its
source's headline, lead, body, photo and tags, gets a copy of its source's search
index entry (the same text, so the same entry), a publication time spread over
three years, and views as the fold leaves them: a total, a row a day for its first
five days and, for the last week's stories, rows an hour. BENCH_SCALE_VIEWS views an
article on average (100: 100 million views at a million articles).

Rows are made in SQL from the source's rows (INSERT ... SELECT over arrays of clone
and source ids), in chunks: a million articles through Wagtail's page API would
take most of a day and measure nothing we care about here.

Then, at each size, through the whole Django stack (test client, every middleware)
with the page and fragment caches off (the cost a reader pays when no cache holds
the page): the Kazakh, Latin and English home pages, an article, a section, a tag,
an article sitemap page and the RSS feed, BENCH_SCALE_RUNS times each after a
warm-up, median and p95 milliseconds; most read (the selector, uncached); and every
judged query through the selector the search page uses (bench/search.py's), p50 and
p95. The EXPLAIN (ANALYZE, BUFFERS) of a search and of the home page's queries at
the largest size go to bench/results/scale-explain.txt (docs/subsystems/scale.md
quotes them); the table to bench/results/scale.json.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from datetime import timedelta
from typing import Any

from bench.common import ROOT, backends_main, page_clone

SIZES = [
    int(size)
    for size in os.environ.get("BENCH_SCALE_SIZES", "10000,100000,1000000").split(",")
]
VIEWS_PER_ARTICLE = int(os.environ.get("BENCH_SCALE_VIEWS", "100"))
RUNS = int(os.environ.get("BENCH_SCALE_RUNS", "15"))
PG_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aqparat_bench_scale"
)
CHUNK = 20_000
YEARS_OF_MINUTES = 3 * 365 * 24 * 60
RESULTS = ROOT / "bench" / "results"


def grow(to: int) -> int:
    """Clone the demo's articles until there are `to` generated ones; how many were
    made. Each chunk is a transaction of its own."""
    from django.db import transaction

    from aqparat.news.models import ArticlePage

    have = ArticlePage.objects.filter(slug__startswith="bench-").count()
    sources = list(
        ArticlePage.objects.filter(
            alias_of=None, live=True, locale__language_code__in=("kk", "ru", "en")
        ).order_by("pk")
    )
    random.seed(2026 + have)
    made = 0
    while have + made < to:
        count = min(CHUNK, to - have - made)
        with transaction.atomic():
            _chunk(sources, first=have + made, count=count)
        made += count
        print(f"    {have + made} articles", flush=True)
    return made


def _chunk(sources: list[Any], *, first: int, count: int) -> None:
    from django.utils import timezone
    from wagtail.models import Page

    now = timezone.now()
    pages, source_ids = [], []
    for number in range(first, first + count):
        source = sources[number % len(sources)]
        page = page_clone(source, source.get_parent(), 10_000 + number)
        page.first_published_at = now - timedelta(
            minutes=random.randrange(YEARS_OF_MINUTES)
        )
        page.last_published_at = page.first_published_at
        pages.append(page)
        source_ids.append(source.pk)
    Page.objects.bulk_create(pages, batch_size=5000)  # ids come back on PostgreSQL
    clones = [page.pk for page in pages]
    _copy_rows(clones, source_ids)
    _views(clones, source_ids, [page.first_published_at for page in pages], now)


def _copy_rows(clones: list[int], sources: list[int]) -> None:
    """The article rows, search index entries and tags of each clone: its source's."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from modelsearch.conf import get_app_config

    from aqparat.news.models import ArticlePage, ArticlePageTag

    def columns(model: Any, *skip: str) -> list[str]:
        return [
            connection.ops.quote_name(f.column)
            for f in model._meta.local_concrete_fields
            if f.column not in skip
        ]

    article = ArticlePage._meta.db_table
    rest = columns(ArticlePage, "page_ptr_id")
    entry = get_app_config().get_model("IndexEntry")
    entry_columns = columns(entry, "id", "object_id")
    entries = entry._meta.db_table
    tag = ArticlePageTag._meta.db_table
    article_type = ContentType.objects.get_for_model(ArticlePage).pk
    pairs = "unnest(%s::bigint[], %s::bigint[]) AS m(clone, source)"
    # Table and column names come from the models; every value is a parameter.
    statements: list[tuple[str, list[Any]]] = [
        (
            f"INSERT INTO {article} (page_ptr_id, {', '.join(rest)})"  # noqa: S608
            f" SELECT m.clone, {', '.join('a.' + c for c in rest)}"
            f" FROM {pairs} JOIN {article} a ON a.page_ptr_id = m.source",
            [clones, sources],
        ),
        (
            f"INSERT INTO {entries} (object_id, {', '.join(entry_columns)})"  # noqa: S608
            f" SELECT m.clone::text, {', '.join('e.' + c for c in entry_columns)}"
            f" FROM {pairs} JOIN {entries} e"
            " ON e.object_id = m.source::text AND e.content_type_id = %s",
            [clones, sources, article_type],
        ),
        (
            f"INSERT INTO {tag} (tag_id, content_object_id)"  # noqa: S608
            f" SELECT t.tag_id, m.clone FROM {pairs}"
            f" JOIN {tag} t ON t.content_object_id = m.source",
            [clones, sources],
        ),
    ]
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def _views(
    clones: list[int], sources: list[int], published: list[Any], now: Any
) -> None:
    """Views as the fold leaves them: a long tail (a few stories read by many), a
    total each, a row a day over a story's first five days, rows every three hours
    for the last week's stories."""
    from django.db import connection

    from aqparat.analytics.models import DailyPageViews, HourlyPageViews, PageViewCount

    ranks = [random.paretovariate(1.2) for _ in clones]
    scale = VIEWS_PER_ARTICLE * len(clones) / sum(ranks)
    totals = [max(5, int(rank * scale)) for rank in ranks]
    params = [clones, sources, published, totals]
    rows = (
        "unnest(%s::bigint[], %s::bigint[], %s::timestamptz[], %s::bigint[])"
        " AS m(clone, source, published, total)"
    )
    language = (
        "(SELECT l.language_code FROM wagtailcore_page p JOIN wagtailcore_locale l"
        " ON l.id = p.locale_id WHERE p.id = m.source)"
    )
    total, daily, hourly = (
        m._meta.db_table for m in (PageViewCount, DailyPageViews, HourlyPageViews)
    )
    statements = [
        f"INSERT INTO {total} (page_id, views) SELECT m.clone, m.total FROM {rows}",  # noqa: S608
        # 5/15, 4/15, 3/15, 2/15, 1/15 of the total on days 0-4 (as far as today).
        f"INSERT INTO {daily} (page_id, language, day, views)"  # noqa: S608
        f" SELECT m.clone, {language}, (m.published + d * interval '1 day')::date,"
        " greatest(1, m.total * (5 - d) / 15) FROM {rows}, generate_series(0, 4) d"
        " WHERE m.published + d * interval '1 day' <= %s",
        f"INSERT INTO {hourly} (page_id, language, hour, views)"  # noqa: S608
        f" SELECT m.clone, {language},"
        " date_trunc('hour', m.published) + h * interval '3 hours',"
        " greatest(1, m.total / 40) FROM {rows}, generate_series(0, 39) h"
        " WHERE m.published > %s - interval '8 days'"
        " AND date_trunc('hour', m.published) + h * interval '3 hours' <= %s"
        " ON CONFLICT DO NOTHING",
    ]
    with connection.cursor() as cursor:
        cursor.execute(statements[0], params)
        cursor.execute(statements[1].replace("{rows}", rows), [*params, now])
        cursor.execute(statements[2].replace("{rows}", rows), [*params, now, now])


def _paths() -> dict[str, str]:
    """What readers ask for, by name: the newest generated English article, its
    section, one of its tags, the newest article sitemap page, the feed."""
    from aqparat.news.models import ArticlePage, ArticlePageTag, TagIndexPage

    article = (
        ArticlePage.objects.live()
        .filter(locale__language_code="en", slug__startswith="bench-")
        .order_by("-first_published_at")
        .first()
    )
    if article is None:
        raise SystemExit("bench: no generated English article")
    link = ArticlePageTag.objects.filter(content_object=article).select_related("tag")
    tags = TagIndexPage.objects.live().filter(locale__language_code="en").first()
    paths = {
        "home kk": "/kk/",
        "home kk-latn": "/kk-latn/",
        "home en": "/en/",
        "article": article.url,
        "section": article.get_parent().url,
        "sitemap page": "/sitemaps/articles-en-1.xml",
        "rss": "/en/rss/",
    }
    first_tag = link.first()
    if tags is not None and first_tag is not None:
        paths["tag"] = f"{tags.url}{first_tag.tag.slug}/"
    return paths


def _timed(client: Any, path: str) -> list[float]:
    response = client.get(path)  # warm-up: connections, Wagtail's site roots
    if response.status_code != 200:
        raise SystemExit(f"bench: {path} answered {response.status_code}")
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _p95(times: list[float]) -> float:
    return sorted(times)[max(0, round(0.95 * len(times)) - 1)]


def measure_size(client: Any) -> dict[str, dict[str, float]]:
    from django.utils import timezone

    from aqparat.analytics.selectors import most_read
    from bench.search import time_queries

    row: dict[str, dict[str, float]] = {}
    for name, path in _paths().items():
        times = _timed(client, path)
        row[name] = {"p50": statistics.median(times), "p95": _p95(times)}
    for period in ("24h", "7d"):
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            most_read(language="en", period=period, now=timezone.now())
            times.append((time.perf_counter() - started) * 1000)
        row[f"most read {period}"] = {
            "p50": statistics.median(times),
            "p95": _p95(times),
        }
    _ids, page = time_queries()
    row["search"] = {"p50": statistics.median(page), "p95": _p95(page)}
    return row


def explain() -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of a judged search and of the English home page's
    queries, as PostgreSQL runs them at this size."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from aqparat.search.selectors import article_search

    out = []
    for title, run in (
        ("search: 'Астана' in the Kazakh edition", lambda: article_search(
            query="Астана", language_code="kk", page_number=None)),
        ("search: 'president visit' in the English edition", lambda: article_search(
            query="president visit", language_code="en", page_number=None)),
        ("home page /en/", lambda: Client(HTTP_HOST="localhost").get("/en/")),
    ):  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            run()
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
        for query in slowest[:3]:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = "\n".join(line for (line,) in cursor.fetchall())
            out.append(f"== {title} ({query['time']} s)\n{query['sql']}\n\n{plan}\n")
    return "\n".join(out)


def measure(backend: str) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        raise SystemExit("bench: the scale benchmark runs on PostgreSQL")
    client = Client(HTTP_HOST="localhost")
    table: dict[int, dict[str, dict[str, float]]] = {}
    RESULTS.mkdir(exist_ok=True)
    for size in SIZES:
        started = time.perf_counter()
        grow(size)
        with connection.cursor() as cursor:
            # What autovacuum does soon after a bulk load: the planner's statistics.
            cursor.execute("ANALYZE")
        print(f"  {size} articles made in {time.perf_counter() - started:.0f} s")
        table[size] = measure_size(client)
        (RESULTS / "scale.json").write_text(json.dumps(table, indent=1))
        _print(table)
    (RESULTS / "scale-explain.txt").write_text(explain())


def _print(table: dict[int, dict[str, dict[str, float]]]) -> None:
    sizes = sorted(table)
    names = list(table[sizes[0]])
    head = "".join(f"{size:>16,}" for size in sizes)
    print(f"  {'p50 / p95 ms':<16}{head}   largest/smallest p50")
    for name in names:
        cells = "".join(
            f"{table[s][name]['p50']:>9.1f} /{table[s][name]['p95']:>5.0f}"
            for s in sizes
        )
        ratio = table[sizes[-1]][name]["p50"] / table[sizes[0]][name]["p50"]
        print(f"  {name:<16}{cells}   {ratio:.2f}")


def main() -> None:
    backends_main(
        measure,
        module="bench.scale",
        pg_url=PG_URL,
        var_prefix="aqparat-bench-scale-",
        setup=(
            ("migrate", "--noinput"),
            ("collectstatic", "--noinput", "--verbosity", "0"),
            ("load_demo_newsroom",),
        ),
        extra_env={
            "REDIS_URL": "",
            "AQPARAT_PAGE_CACHE": "off",
            "AQPARAT_FRAGMENT_CACHE": "off",
        },
        backends=("postgresql",),
    )


if __name__ == "__main__":
    main()
