"""The fold loses and duplicates nothing: concurrent writers, crashes, failed writes."""

from __future__ import annotations

import multiprocessing
import time
from typing import Any

import pytest

from aqparat.analytics import services
from aqparat.analytics.buffer import forget_buffers, get_view_buffer
from aqparat.analytics.models import DailyPageViews, PageViewCount, ViewFold
from aqparat.analytics.selectors import page_views_total
from aqparat.analytics.services import beacon_record, reset_process_state, views_fold
from aqparat.analytics.tests.conftest import READER
from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import ArticlePageFactory, newsroom_build

pytestmark = pytest.mark.django_db

PROCESSES, PER_PROCESS = 8, 1250  # 10 000 beacons


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, no except clause catches it."""


@pytest.fixture
def articles() -> list[ArticlePage]:
    newsroom = newsroom_build()
    return list(ArticlePageFactory.create_batch(5, parent=newsroom.section))


def _send(worker: int, page_ids: list[int], start: float) -> dict[str, int]:
    """One process's share: distinct readers, plus repeats and bots that must not
    count. Runs in a forked child, which opens its own buffer connection."""
    forget_buffers()
    reset_process_state()
    outcomes: dict[str, int] = {}
    for n in range(PER_PROCESS):
        page_id = page_ids[n % len(page_ids)]
        ip = f"10.{worker}.{n // 250}.{n % 250}"
        for agent in (READER, READER, "Googlebot/2.1"):  # a repeat and a bot
            outcome = beacon_record(page_id=page_id, ip=ip, user_agent=agent,
                                    now=start + n * 0.001)  # fmt: skip
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def test_ten_thousand_beacons_from_several_processes_add_up_exactly(
    articles: list[ArticlePage],
) -> None:
    ids = [a.pk for a in articles]
    start = time.time()
    # Forked children touch only the views buffer, never the test's database.
    context = multiprocessing.get_context("fork")
    with context.Pool(PROCESSES) as pool:
        results = pool.starmap(_send, [(w, ids, start) for w in range(PROCESSES)])
    forget_buffers()

    totals: dict[str, int] = {}
    for outcome in results:
        for key, value in outcome.items():
            totals[key] = totals.get(key, 0) + value
    assert totals == {"counted": 10_000, "repeat": 10_000, "bot": 10_000}

    views_fold()
    assert sum(page_views_total(page_id=i) for i in ids) == 10_000
    assert [page_views_total(page_id=i) for i in ids] == [2000] * 5
    assert sum(DailyPageViews.objects.values_list("views", flat=True)) == 10_000
    views_fold()  # nothing left to fold: a second run changes nothing
    assert sum(page_views_total(page_id=i) for i in ids) == 10_000


def _views(articles: list[ArticlePage], readers: int) -> None:
    for n in range(readers):
        beacon_record(page_id=articles[n % 2].pk, ip=f"192.0.2.{n}", user_agent=READER)


def test_a_fold_killed_before_its_commit_is_redone(
    articles: list[ArticlePage], monkeypatch: pytest.MonkeyPatch
) -> None:
    _views(articles, 10)
    original = services._add
    calls = {"n": 0}

    def dies_midway(*args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise WorkerKilled
        original(*args, **kwargs)

    monkeypatch.setattr(services, "_add", dies_midway)
    with pytest.raises(WorkerKilled):
        views_fold()
    monkeypatch.undo()
    assert not ViewFold.objects.exists() and not PageViewCount.objects.exists()

    beacon_record(page_id=articles[0].pk, ip="192.0.2.200", user_agent=READER)
    result = views_fold()  # the crashed batch, and the new one
    assert (result.batches, result.views) == (2, 11)
    assert page_views_total(page_id=articles[0].pk) == 6
    assert page_views_total(page_id=articles[1].pk) == 5


def test_a_fold_killed_after_its_commit_is_not_counted_twice(
    articles: list[ArticlePage], monkeypatch: pytest.MonkeyPatch
) -> None:
    _views(articles, 10)
    buffer = get_view_buffer()

    def dies(batch: Any) -> None:
        raise WorkerKilled

    monkeypatch.setattr(buffer, "done", dies)
    with pytest.raises(WorkerKilled):
        views_fold(buffer=buffer)
    monkeypatch.undo()
    assert page_views_total(page_id=articles[0].pk) == 5  # committed

    result = views_fold(buffer=buffer)
    assert (result.batches, result.skipped) == (0, 1)  # recognised and forgotten
    assert page_views_total(page_id=articles[0].pk) == 5
    assert views_fold(buffer=buffer).skipped == 0


def test_a_failed_database_write_keeps_the_batch_for_the_next_fold(
    articles: list[ArticlePage], monkeypatch: pytest.MonkeyPatch
) -> None:
    _views(articles, 4)

    def database_down(*args: Any, **kwargs: Any) -> None:
        from django.db import OperationalError

        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "_add", database_down)
    with pytest.raises(Exception, match="server closed"):
        views_fold()
    monkeypatch.undo()
    views_fold()
    assert page_views_total(page_id=articles[0].pk) == 2
    assert page_views_total(page_id=articles[1].pk) == 2
