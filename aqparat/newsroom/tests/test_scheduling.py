"""Scheduled publication and expiry happen at the right Almaty time, from huey's
periodic task, once, in order, and also after the worker was down."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from wagtail.models import PageLogEntry, Revision

from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import (
    ArticlePageFactory,
    CustomImageFactory,
    publish,
)
from aqparat.newsroom import services
from aqparat.newsroom.selectors import newsroom_day
from aqparat.newsroom.services import publication_run
from aqparat.newsroom.tasks import publish_scheduled_pages
from aqparat.newsroom.tests.factories import Desked, article_form, desked_build
from aqparat.users.tests.factories import signed_in

ALMATY = ZoneInfo("Asia/Almaty")


def almaty(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2027, 3, day, hour, minute, second, tzinfo=ALMATY)


@pytest.fixture
def desked(db: None) -> Desked:
    return desked_build()


def scheduled(
    desked: Desked, title: str, go_live_at: datetime, **fields: Any
) -> ArticlePage:
    article = ArticlePageFactory(
        parent=desked.news, title=title, live=False,
        first_published_at=None, last_published_at=None, **fields,
    )  # fmt: skip
    article.go_live_at = go_live_at
    article.save_revision(user=desked.editor).publish(user=desked.editor)
    article.refresh_from_db()
    assert not article.live
    return article


def scheduled_publications(article: ArticlePage) -> int:
    return PageLogEntry.objects.filter(
        page=article, action="wagtail.publish.scheduled"
    ).count()


def test_the_admin_takes_and_shows_go_live_times_in_almaty_time(
    desked: Desked,
) -> None:
    with time_machine.travel(almaty(10, 8), tick=False):
        client = signed_in(desked.editor)  # sessions last two weeks: sign in "now"
        client.post(
            reverse("wagtailadmin_pages:add",
                    args=("news", "articlepage", desked.news.pk)),
            article_form(title="Nauryz concerts announced", action="action-publish",
                         go_live_at="2027-03-10 10:00"),
        )  # fmt: skip
        article = ArticlePage.objects.get(title="Nauryz concerts announced")
        assert not article.live
        revision = Revision.page_revisions.get(approved_go_live_at__isnull=False,
                                               object_id=str(article.pk))  # fmt: skip
        # 10:00 in Almaty (UTC+5 since 1 March 2024) is 05:00 UTC.
        utc_five = datetime(2027, 3, 10, 5, 0, tzinfo=ZoneInfo("UTC"))
        assert revision.approved_go_live_at == utc_five
        html = client.get(
            reverse("wagtailadmin_pages:edit", args=[article.pk])
        ).content.decode()
    assert "Almaty time (Asia/Almaty, UTC+05)" in html
    # Shown back in Almaty time, not UTC (which would say 05:00).
    assert 'name="go_live_at" value="2027-03-10 10:00"' in html
    assert "Go-live:</span> March 10, 2027, 10 a.m." in html

    with time_machine.travel(almaty(10, 9, 59, 30), tick=False):
        publish_scheduled_pages.call_local()
    article.refresh_from_db()
    assert not article.live
    with time_machine.travel(almaty(10, 10, 0, 30), tick=False):
        publish_scheduled_pages.call_local()
    article.refresh_from_db()
    assert article.live
    assert client.get(article.url).status_code == 200


def test_an_article_expires_at_its_almaty_time(desked: Desked) -> None:
    with time_machine.travel(almaty(10, 8), tick=False):
        article = ArticlePageFactory(parent=desked.news, title="Flood warning")
        article.expire_at = almaty(10, 18)
        publish(article)
    with time_machine.travel(almaty(10, 17, 59), tick=False):
        publication_run()
    article.refresh_from_db()
    assert article.live
    with time_machine.travel(almaty(10, 18, 0, 30), tick=False):
        run = publication_run()
    article.refresh_from_db()
    assert not article.live and article.expired
    assert run.expired == [f"wagtailcore.page:{article.pk}"]
    assert (
        PageLogEntry.objects.filter(
            page=article, action="wagtail.unpublish.scheduled"
        ).count()
        == 1
    )


def test_articles_due_while_the_worker_was_down_go_live_once_in_order(
    desked: Desked,
) -> None:
    with time_machine.travel(almaty(10, 8), tick=False):
        # Scheduled out of order on purpose.
        third = scheduled(desked, "Third at 10:10", almaty(10, 10, 10))
        first = scheduled(desked, "First at 10:00", almaty(10, 10, 0))
        second = scheduled(desked, "Second at 10:05", almaty(10, 10, 5))
    # The worker comes back at 10:30: everything due is published, earliest first.
    with time_machine.travel(almaty(10, 10, 30), tick=True):
        run = publication_run()
        again = publication_run()
    assert again.published == [] and again.expired == []
    order = [ArticlePage.objects.get(pk=p.pk) for p in (first, second, third)]
    assert all(page.live for page in order)
    assert [scheduled_publications(page) for page in order] == [1, 1, 1]
    assert run.published == [page.live_revision_id for page in order]
    published_at = [page.first_published_at for page in order]
    assert published_at == sorted(published_at)


def test_a_failed_publication_stays_due_and_goes_out_on_the_next_run(
    desked: Desked, monkeypatch: pytest.MonkeyPatch
) -> None:
    with time_machine.travel(almaty(10, 8), tick=False):
        article = scheduled(desked, "Budget hearing", almaty(10, 9))
    original = Revision.publish

    def broken(self: Revision, *args: object, **kwargs: object) -> None:
        raise RuntimeError("database went away")

    with time_machine.travel(almaty(10, 9, 1), tick=False):
        monkeypatch.setattr(Revision, "publish", broken)
        assert publication_run().published == []
        monkeypatch.setattr(Revision, "publish", original)
        article.refresh_from_db()
        assert not article.live
        assert publication_run().published == [article.latest_revision_id]
    article.refresh_from_db()
    assert article.live


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_overlapping_publication_runs_publish_each_article_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desked = desked_build()
    with time_machine.travel(almaty(10, 8), tick=False):
        articles = [scheduled(desked, f"Story {n}", almaty(10, 9, n)) for n in range(4)]
    # Both runs read the same due list before either publishes anything.
    both_listed = threading.Barrier(2, timeout=10)
    publish_one = services._publish

    def publish_after_both_listed(revision: Revision, **kwargs: Any) -> bool:
        if revision.pk == articles[0].latest_revision_id:
            both_listed.wait()
        return publish_one(revision, **kwargs)

    monkeypatch.setattr(services, "_publish", publish_after_both_listed)
    runs: list[services.PublicationRun] = []
    errors: list[Exception] = []

    def run() -> None:
        try:
            runs.append(services.publication_run())
        except Exception as error:  # noqa: BLE001 - reported by the assert below
            errors.append(error)
        finally:
            connection.close()

    with time_machine.travel(almaty(10, 9, 30), tick=True):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert errors == []
    published = [revision for r in runs for revision in r.published]
    assert sorted(published) == sorted(a.latest_revision_id for a in articles)
    for article in articles:
        assert ArticlePage.objects.get(pk=article.pk).live
        assert scheduled_publications(article) == 1


def test_the_dashboard_warns_when_something_is_overdue(desked: Desked) -> None:
    with time_machine.travel(almaty(10, 8), tick=False):
        scheduled(desked, "Late story", almaty(10, 9))
        scheduled(desked, "Afternoon story", almaty(10, 15))
    with time_machine.travel(almaty(10, 9, 10), tick=False):
        client = signed_in(desked.editor)
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert 'data-newsroom="overdue"' in html
        assert "Late story" in html
        scheduled_list = html.split('data-newsroom="scheduled"')[1].split("</ul>")[0]
        assert "15:00" in scheduled_list and "Afternoon story" in scheduled_list
        publication_run()
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert 'data-newsroom="overdue"' not in html
        assert "newsroom-day" in html
        # Journalists do not get the editors' panel.
        journalist = signed_in(desked.journalist)
        journalist_home = journalist.get(reverse("wagtailadmin_home"))
    assert journalist_home.status_code == 200
    assert "newsroom-day" not in journalist_home.content.decode()


def test_a_story_that_expired_while_the_worker_was_down_is_not_published(
    desked: Desked,
) -> None:
    with time_machine.travel(almaty(10, 8), tick=False):
        article = ArticlePageFactory(
            parent=desked.news, title="Road closed this morning", live=False,
            first_published_at=None, last_published_at=None,
        )  # fmt: skip
        article.go_live_at = almaty(10, 10)
        article.expire_at = almaty(10, 10, 30)
        article.save_revision(user=desked.editor).publish(user=desked.editor)
    with time_machine.travel(almaty(10, 11), tick=False):
        run = publication_run()
    article.refresh_from_db()
    assert not article.live and article.first_published_at is None
    assert run.published == [] and run.lapsed == [article.latest_revision_id]
    assert not article.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_a_story_not_ready_at_its_time_waits_and_shows_as_overdue(
    desked: Desked, caplog: pytest.LogCaptureFixture
) -> None:
    with time_machine.travel(almaty(10, 8), tick=False):
        photo = CustomImageFactory()
        article = scheduled(desked, "Photo lost its credit", almaty(10, 9),
                            lead_image=photo)  # fmt: skip
        photo.credit = ""  # changed in the library after approval
        photo.save()
    with time_machine.travel(almaty(10, 9, 5), tick=False):
        assert publication_run().published == []
        assert "not published" in caplog.text
        article.refresh_from_db()
        assert not article.live
        assert [item.page.pk for item in newsroom_day().overdue] == [article.pk]
