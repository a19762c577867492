"""`make bench`: sitemaps and feeds at 60 000 articles.

A demo newsroom plus 60 000 articles cloned in bulk (bench/scale_data.py: 20 000
each in kk, ru and en), story n of each language linked as one translation group so
every URL carries its hreflang alternates. Through the whole Django stack (test
client, every middleware), it measures the sitemap index, every article sitemap page
(AQPARAT_SITEMAP_PAGE_SIZE URLs each), the news and page sitemaps and an edition
feed: time (median of 3 runs), Python heap peak (tracemalloc, a separate run, since
tracing slows the code), queries and bytes. On the embedded default (SQLite), then
on PostgreSQL when it answers on 127.0.0.1 (BENCH_DATABASE_URL changes where).
Results also go to bench/results/sitemaps.json.
"""

from __future__ import annotations

import json
import os
import statistics
import time
import tracemalloc
from typing import Any
from urllib.parse import urlsplit

from bench.common import ROOT, backends_main

ARTICLES = int(os.environ.get("BENCH_SITEMAP_ARTICLES", "60000"))
PG_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aqparat_bench_synd"
)


def populate(count: int) -> int:
    """Clone `count` articles and link story n across the three languages."""
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Page

    from aqparat.news.models import ArticlePage, SectionPage
    from bench.scale_data import _article_rows, _clone

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    template = ArticlePage.objects.filter(alias_of=None, live=True).first()
    if template is None:
        raise SystemExit("bench: load the demo newsroom first")
    sections = {
        s.locale.language_code: s
        for s in SectionPage.objects.filter(
            alias_of=None, locale__language_code__in=("kk", "ru", "en")
        ).order_by("path")
    }
    with transaction.atomic():
        created: list[Page] = []
        for language, section in sections.items():
            pages = _clone(template, section, language, count // 3, now)
            created += [page for page, _language in pages]
        _article_rows(template, created)
        _link_translations()
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load; without it the planner
        # still believes the tables are empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return len(created)


def _link_translations() -> None:
    """bench-ru-n and bench-en-n join bench-kk-n's translation group."""
    from wagtail.models import Page

    keys = dict(
        Page.objects.filter(slug__startswith="bench-kk-").values_list(
            "slug", "translation_key"
        )
    )
    pages = list(
        Page.objects.filter(slug__regex=r"^bench-(ru|en)-").only(
            "id", "slug", "translation_key"
        )
    )
    for page in pages:
        page.translation_key = keys[f"bench-kk-{page.slug.split('-')[-1]}"]
    Page.objects.bulk_update(pages, ["translation_key"], batch_size=2000)


def _get(client: Any, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"bench: {url} answered {response.status_code}")
    return response


def measure_url(client: Any, url: str) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _get(client, url)  # warm Wagtail's site-root cache and the settings cache
    times = []
    for _run in range(3):
        started = time.perf_counter()
        response = _get(client, url)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "url": url,
        "ms": round(statistics.median(times) * 1000, 1),
        "peak_mib": round(peak / 2**20, 1),
        "queries": len(queries),
        "bytes": len(response.content),
        "entries": sum(
            response.content.count(tag) for tag in (b"<url>", b"<sitemap>", b"<item>")
        ),
    }


def measure(backend: str) -> None:
    import resource

    import django

    django.setup()
    from django.test import Client
    from lxml import etree

    started = time.perf_counter()
    created = populate(ARTICLES)
    seconds = time.perf_counter() - started
    print(f"{backend:>10}: {created} articles cloned in {seconds:.0f} s")
    client = Client(HTTP_HOST="localhost")
    index = _get(client, "/sitemap.xml").content
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = etree.fromstring(index).xpath("//s:loc/text()", namespaces=ns)
    paths = ["/sitemap.xml"] + [urlsplit(loc).path for loc in locs]
    paths += ["/en/rss/"]
    results = [measure_url(client, path) for path in paths]
    for row in results:
        print(
            f"{'':>10}  {row['url']:<36} {row['ms']:>8.1f} ms"
            f" {row['peak_mib']:>6.1f} MiB {row['queries']:>3} queries"
            f" {row['bytes'] / 1024:>9.1f} KiB"
            f" {row['entries']:>6} entries"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'':>10}  process max RSS {rss:.0f} MiB (including the clone step)")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"sitemaps-{backend}.json").write_text(
        json.dumps(
            {"articles": created, "max_rss_mib": round(rss), "urls": results}, indent=1
        )
    )


def main() -> None:
    backends_main(
        measure,
        module="bench.sitemaps",
        pg_url=PG_URL,
        var_prefix="aqparat-bench-synd-",
        setup=(("migrate", "--noinput"), ("load_demo_newsroom",)),
        extra_env={"REDIS_URL": ""},
    )


if __name__ == "__main__":
    main()
