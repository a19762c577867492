"""`make bench`, part 5: the publication pass after the worker was down.

N approved articles fell due while nothing ran (each with its lead photo, so the
rights check is on the path). Measured on the embedded
default (SQLite) and on PostgreSQL when it answers on 127.0.0.1:

- the newsroom's pass (`publication_run`: per-revision claim, publication, outbox);
- the baseline: Wagtail's own `publish_scheduled` command on an identical backlog;
- two passes started together (two consumers, or the task and a hand-run command):
  every article must be published exactly once.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta
from typing import Any

from bench.common import backends_main

COUNT = int(os.environ.get("BENCH_PUBLICATIONS", "300"))
PG_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aqparat_bench_pub"
)


def backlog(section: Any, count: int, label: str) -> list[int]:
    """`count` articles approved for an hour ago: scheduled in the past, as if the
    worker had been down since."""
    import time_machine
    from django.utils import timezone

    from aqparat.news.models import ArticlePage
    from aqparat.news.tests.factories import CustomImageFactory

    photo = CustomImageFactory()
    now = timezone.now()
    ids = []
    with time_machine.travel(now - timedelta(hours=2), tick=True):
        for n in range(count):
            article = ArticlePage(
                title=f"{label} story {n}", slug=f"{label}-story-{n}",
                lead="Due while the worker was down.", body=[], lead_image=photo,
                live=False,
            )  # fmt: skip
            section.add_child(instance=article)
            article.go_live_at = now - timedelta(hours=1) + timedelta(seconds=n)
            article.save_revision().publish()
            ids.append(article.pk)
    return ids


def measure(backend: str) -> None:
    import logging

    import django

    django.setup()
    logging.getLogger("aqparat").setLevel(logging.WARNING)  # one line per article
    from django.db import connection
    from wagtail.management.commands.publish_scheduled import (
        Command as WagtailPublishScheduled,
    )
    from wagtail.models import PageLogEntry

    from aqparat.news.models import ArticlePage
    from aqparat.news.tests.factories import SectionPageFactory, newsroom_build
    from aqparat.newsroom.services import publication_run

    newsroom = newsroom_build()

    def published_once(ids: list[int]) -> bool:
        live = ArticlePage.objects.filter(pk__in=ids, live=True).count()
        logs = PageLogEntry.objects.filter(
            page_id__in=ids, action="wagtail.publish.scheduled"
        ).count()
        return live == logs == len(ids)

    ours = backlog(newsroom.section, COUNT, "ours")
    started = time.perf_counter()
    publication_run()
    ours_seconds = time.perf_counter() - started
    assert published_once(ours), "the newsroom's pass"

    section = SectionPageFactory(parent=newsroom.home, title="Wagtail", slug="wt")
    theirs = backlog(section, COUNT, "wagtail")
    started = time.perf_counter()
    WagtailPublishScheduled().handle(dryrun=False)
    theirs_seconds = time.perf_counter() - started
    assert published_once(theirs), "Wagtail's command"

    section = SectionPageFactory(parent=newsroom.home, title="Race", slug="race")
    raced = backlog(section, COUNT, "race")
    barrier = threading.Barrier(2)

    def run() -> None:
        barrier.wait()
        try:
            publication_run()
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    race_seconds = time.perf_counter() - started
    once = published_once(raced)
    print(
        f"{backend:>10}: {COUNT} due articles"
        f" | newsroom pass {ours_seconds:6.2f} s ({COUNT / ours_seconds:5.1f}/s)"
        f" | Wagtail's command {theirs_seconds:6.2f} s"
        f" ({COUNT / theirs_seconds:5.1f}/s)"
        f" | time ratio {ours_seconds / theirs_seconds:4.2f}"
        f" | two passes together {race_seconds:6.2f} s, each published once: {once}"
    )
    assert once, "two passes together published something twice or not at all"


def main() -> None:
    backends_main(
        measure,
        module="bench.publication",
        pg_url=PG_URL,
        var_prefix="aqparat-bench-pub-",
    )


if __name__ == "__main__":
    main()
