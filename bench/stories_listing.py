"""`make bench-scale`: the "All stories" admin listing (/admin/stories/) at 100 000
stories, on SQLite and on PostgreSQL.

The demo newsroom is loaded, then its articles are cloned with bulk inserts to
BENCH_STORIES_ARTICLES stories, each in its source's section and edition, with its
source's text (and a copy of its search index entry, as bench/search.py does) and a
go-live time spread over three years. What an archive holds besides live stories is
made too, so each status filter has rows to find: of every 100 stories 3 are drafts,
2 scheduled (an approved revision with a go-live time) and 3 in review (an active
workflow state), the rest live. Every story has a revision, one or two of 300
authors and a stored view count. (bench/scale_data.generate clones one article, all
live, with none of these, so only its row copier is reused.)

Then, through the whole Django stack (test client, every middleware), each case is
requested BENCH_STORIES_RUNS times after one warm-up, as the superuser and as the
demo's News desk editor (a non-superuser whose page rights cover one section in each
edition): median and p95 milliseconds per request and the SQL queries of one request.
PostgreSQL is skipped when it does not answer on 127.0.0.1 (BENCH_DATABASE_URL
changes where). Results also go to bench/results/stories_listing-<backend>.json.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
import uuid
from datetime import timedelta
from typing import Any

from bench.common import ROOT, backends_main, page_clone

ARTICLES = int(os.environ.get("BENCH_STORIES_ARTICLES", "100000"))
RUNS = int(os.environ.get("BENCH_STORIES_RUNS", "15"))
PG_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aqparat_bench_stories"
)
BACKENDS = os.environ.get("BENCH_STORIES_BACKENDS", "sqlite,postgresql").split(",")
URL = "/admin/stories/"
AUTHORS_PER_EDITION = 100
CHUNK = 2000
# Of every 100 stories, by position: drafts, scheduled, in review; the rest live.
DRAFTS, SCHEDULED, IN_REVIEW = range(0, 3), range(3, 5), range(5, 8)


def populate(count: int) -> int:
    """`count` more stories cloned from the demo's articles, with their revisions,
    authors, view counts, search entries, schedules and reviews."""
    from django.db import transaction

    from aqparat.news.models import ArticlePage

    if ArticlePage.objects.filter(slug__startswith="bench-").exists():
        return 0  # made by an earlier run on this database
    sources = list(
        ArticlePage.objects.filter(
            alias_of=None, live=True, locale__language_code__in=("kk", "ru", "en")
        ).order_by("pk")
    )
    per_source = max(1, count // len(sources))
    random.seed(2026)
    with transaction.atomic():
        authors = _authors_make()
        made: list[Any] = []
        for s_index, source in enumerate(sources):
            clones = _clone(source, start=10_000 + s_index * per_source, n=per_source)
            _byline(clones, authors[source.locale_id])
            made += clones
        _revisions_and_reviews(made)
        _view_counts(made)
    return len(made)


def _clone(source: Any, *, start: int, n: int) -> list[Any]:
    """n copies of `source` beside it, numbered from `start`; every 100 stories
    some are drafts, scheduled or in review (the latter two get their rows later)."""
    from django.utils import timezone
    from wagtail.models import Page

    from bench.scale_data import _article_rows
    from bench.search import _index_entries_copy

    section = source.get_parent()
    now = timezone.now()
    pages = []
    for number in range(start, start + n):
        page = page_clone(source, section, number)
        page.first_published_at = now - timedelta(minutes=random.randrange(1_576_800))
        page.last_published_at = page.first_published_at
        if number % 100 < IN_REVIEW.stop:  # not live: a draft, scheduled or in review
            page.live = False
            page.has_unpublished_changes = True
            page.first_published_at = page.last_published_at = None
        pages.append(page)
    Page.objects.bulk_create(pages, batch_size=CHUNK)
    saved = Page.objects.filter(
        path__startswith=section.path, slug__startswith="bench-"
    ).exclude(articlepage__isnull=False)
    clones = list(saved.only("id", "slug", "title", "live", "locale_id"))
    _article_rows(source, clones)
    _index_entries_copy(source.pk, [page.pk for page in clones])
    return clones


def _authors_make() -> dict[int, list[Any]]:
    """AUTHORS_PER_EDITION bylines in each edition, by locale id."""
    from wagtail.models import Locale

    from aqparat.news.models import Author

    made: dict[int, list[Any]] = {}
    for locale in Locale.objects.filter(language_code__in=("kk", "ru", "en")):
        made[locale.pk] = Author.objects.bulk_create(
            Author(
                name=f"Bench Author {locale.language_code} {n}",
                slug=f"bench-{n}",
                locale=locale,
                translation_key=uuid.uuid4(),
            )
            for n in range(AUTHORS_PER_EDITION)
        )
    return made


def _byline(pages: list[Any], authors: list[Any]) -> None:
    """One author per story, a second on every fifth."""
    from aqparat.news.models import ArticleAuthor

    rows = []
    for page in pages:
        for order, author in enumerate(random.sample(authors, 2)):
            if order == 0 or page.pk % 5 == 0:
                rows.append(
                    ArticleAuthor(page_id=page.pk, author=author, sort_order=order)
                )
    ArticleAuthor.objects.bulk_create(rows, batch_size=CHUNK)


def _revisions_and_reviews(pages: list[Any]) -> None:
    """A revision per story (approved for a time to come when scheduled) and, for
    stories in review, an active workflow state on it with its task state."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.models import (
        Page,
        Revision,
        TaskState,
        WorkflowPage,
        WorkflowState,
    )

    from aqparat.news.models import ArticlePage

    now = timezone.now()
    page_type = ContentType.objects.get_for_model(Page)
    article_type = ContentType.objects.get_for_model(ArticlePage)
    revisions = Revision.objects.bulk_create(
        (
            Revision(
                content_type=article_type, base_content_type=page_type,
                object_id=str(page.pk), created_at=now, object_str=page.title,
                content={"pk": page.pk, "title": page.title},
                approved_go_live_at=(
                    now + timedelta(hours=1 + page.pk % 72)
                    if int(page.slug.rsplit("-", 1)[1]) % 100 in SCHEDULED
                    else None
                ),
            )
            for page in pages
        ),
        batch_size=CHUNK,
    )  # fmt: skip
    workflow_page = WorkflowPage.objects.select_related("workflow").first()
    if workflow_page is None:
        raise SystemExit("bench: load the demo newsroom first (its desks' reviews)")
    workflow = workflow_page.workflow
    task = workflow.workflow_tasks.first().task
    requester = get_user_model().objects.filter(is_superuser=True).first()
    reviewed = [
        (page, revision)
        for page, revision in zip(pages, revisions, strict=True)
        if int(page.slug.rsplit("-", 1)[1]) % 100 in IN_REVIEW
    ]
    states = WorkflowState.objects.bulk_create(
        (
            WorkflowState(
                content_type=article_type, base_content_type=page_type,
                object_id=str(page.pk), workflow=workflow, requested_by=requester,
                status=WorkflowState.STATUS_IN_PROGRESS,
            )
            for page, _revision in reviewed
        ),
        batch_size=CHUNK,
    )  # fmt: skip
    task_states = TaskState.objects.bulk_create(
        (
            TaskState(
                workflow_state=state, revision=revision, task=task,
                status=TaskState.STATUS_IN_PROGRESS,
                content_type=ContentType.objects.get_for_model(TaskState),
            )
            for state, (_page, revision) in zip(states, reviewed, strict=True)
        ),
        batch_size=CHUNK,
    )  # fmt: skip
    for state, task_state in zip(states, task_states, strict=True):
        state.current_task_state = task_state
    WorkflowState.objects.bulk_update(states, ["current_task_state"], batch_size=500)


def _view_counts(pages: list[Any]) -> None:
    from aqparat.analytics.models import PageViewCount

    PageViewCount.objects.bulk_create(
        (PageViewCount(page_id=p.pk, views=random.randrange(50_000)) for p in pages),
        batch_size=CHUNK,
    )


def cases() -> list[tuple[str, str]]:
    """(case, query string): the default listing, each filter, a search."""
    from aqparat.news.models import ArticlePage, Author, SectionPage

    section = SectionPage.objects.get(
        alias_of=None, locale__language_code="en", slug="news"
    )
    author = Author.objects.filter(slug="bench-7", locale__language_code="en").get()
    # A word of an English headline, so a search finds a few thousand stories.
    word = max(
        ArticlePage.objects.filter(locale__language_code="en", alias_of=None)
        .order_by("pk")
        .first()
        .title.split(),
        key=len,
    )
    return [
        ("newest go-live first", ""),
        ("edition ru", "?locale=ru"),
        ("status live", "?status=live"),
        ("status scheduled", "?status=scheduled"),
        ("status in review", "?status=in_review"),
        ("status draft", "?status=draft"),
        ("section en News", f"?section={section.pk}"),
        ("author", f"?author={author.pk}"),
        (f"search {word!r}", f"?q={word}"),
        ("page 100", "?p=100"),
    ]


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def measure_case(client: Any, query: str) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get() -> Any:
        response = client.get(URL + query)
        if response.status_code != 200:
            raise SystemExit(f"bench: {URL}{query} answered {response.status_code}")
        return response

    get()  # warm the content types, locales and site caches
    times = []
    for _run in range(RUNS):
        started = time.perf_counter()
        response = get()
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        get()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(_p95(times), 1),
        "queries": len(queries),
        # Rows on the page: each has its headline cell.
        "rows": response.content.count(b'<td class="title"'),
    }


def measure(backend: str) -> None:
    import logging

    import django

    django.setup()
    logging.getLogger("wagtail").setLevel(logging.ERROR)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from aqparat.demo.services import ADMIN_USERNAME, DEMO_EDITOR
    from aqparat.news.models import ArticlePage

    started = time.perf_counter()
    made = populate(ARTICLES - ArticlePage.objects.count())
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load (PostgreSQL 13+ vacuums
        # after inserts too): without the statistics the planner believes the
        # tables empty, without the visibility map a count reads every row's heap
        # page instead of an index. Said here as a server may run without it.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    total = ArticlePage.objects.count()
    print(f"{backend:>10}: {made} stories cloned, {total} in all,"
          f" in {time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
    results: dict[str, Any] = {"stories": total, "runs": RUNS, "users": {}}
    for username in (ADMIN_USERNAME, DEMO_EDITOR):
        client = Client(HTTP_HOST="localhost")
        client.force_login(get_user_model().objects.get(username=username))
        rows = results["users"][username] = {}
        for name, query in cases():
            rows[name] = row = {"query": query, **measure_case(client, query)}
            print(f"{backend:>10}  {username:<6} {name:<26} {row['median_ms']:>7.1f}"
                  f" ms median {row['p95_ms']:>7.1f} ms p95 {row['queries']:>3}"
                  f" queries {row['rows']:>3} rows", flush=True)  # fmt: skip
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"stories_listing-{backend}.json").write_text(json.dumps(results, indent=1))


def main() -> None:
    backends_main(
        measure,
        module="bench.stories_listing",
        pg_url=PG_URL,
        var_prefix="aqparat-bench-stories-",
        # The admin's pages name their static files through the manifest.
        setup=(
            ("migrate", "--noinput"),
            ("collectstatic", "--noinput", "--verbosity", "0"),
            ("load_demo_newsroom",),
        ),
        extra_env={"REDIS_URL": "", "AQPARAT_LOG_LEVEL": "WARNING"},
        backends=BACKENDS,
    )


if __name__ == "__main__":
    main()
