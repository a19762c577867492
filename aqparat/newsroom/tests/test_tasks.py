"""Scheduled publishing runs from huey's periodic task: no cron needed."""

from __future__ import annotations

from datetime import datetime, timedelta

import time_machine
from django.test import TestCase
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import ArticlePageFactory, Newsroom, newsroom_build
from aqparat.newsroom.tasks import publish_scheduled_pages


class PublishScheduledTaskTests(TestCase):
    newsroom: Newsroom

    @classmethod
    def setUpTestData(cls) -> None:
        cls.newsroom = newsroom_build()

    def schedule(self, *, minutes: int) -> ArticlePage:
        article = ArticlePageFactory(
            parent=self.newsroom.section,
            live=False,
            first_published_at=None,
            last_published_at=None,
        )
        article.go_live_at = timezone.now() + timedelta(minutes=minutes)
        article.save_revision().publish()
        article.refresh_from_db()
        self.assertFalse(article.live)
        return article

    def test_task_is_registered_as_a_periodic_task_every_minute(self) -> None:
        for minute in (0, 1, 37):
            moment = datetime(2026, 3, 1, 12, minute)  # noqa: DTZ001 (huey ticks in naive UTC)
            due = {type(task).__name__ for task in HUEY.read_periodic(moment)}
            self.assertIn(type(publish_scheduled_pages.s()).__name__, due)

    def test_due_article_goes_live_and_a_future_one_waits(self) -> None:
        due = self.schedule(minutes=5)
        later = self.schedule(minutes=120)
        with time_machine.travel(timezone.now() + timedelta(minutes=6)):
            publish_scheduled_pages.call_local()
        due.refresh_from_db()
        later.refresh_from_db()
        self.assertTrue(due.live)
        self.assertFalse(later.live)
        self.assertEqual(self.client.get(due.url).status_code, 200)

    def test_running_twice_publishes_once(self) -> None:
        due = self.schedule(minutes=1)
        with time_machine.travel(timezone.now() + timedelta(minutes=2)):
            publish_scheduled_pages.call_local()
            publish_scheduled_pages.call_local()
        self.assertEqual(
            due.revisions.filter(approved_go_live_at__isnull=False).count(), 0
        )
        due.refresh_from_db()
        self.assertTrue(due.live)
        self.assertEqual(
            ArticlePage.objects.get(pk=due.pk).live_revision_id, due.latest_revision_id
        )
