"""The demo newsroom: enough of our own content, the reference facts, idempotent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.models import Site

from aqparat.analytics.selectors import page_views_total
from aqparat.demo.services import DemoResult, demo_newsroom_load
from aqparat.news.models import ArticlePage, HomePage
from aqparat.rates.selectors import rates_for_ticker

REFERENCE_SLUG = "almaty-and-busan-mark-first-year-of-friendship-and-cooperation"


class DemoNewsroomTests(TestCase):
    result: DemoResult

    @classmethod
    def setUpTestData(cls) -> None:
        cls.result = demo_newsroom_load()

    def test_forty_articles_over_sixty_days(self) -> None:
        assert self.result.articles_created >= 40
        recent = ArticlePage.objects.live().filter(
            first_published_at__gte=timezone.now() - timedelta(days=60)
        )
        assert recent.count() >= 40
        assert not ArticlePage.objects.filter(
            first_published_at__gt=timezone.now()
        ).exists()
        assert ArticlePage.objects.filter(lead_image__credit="").count() == 0
        assert ArticlePage.objects.filter(tagged_items__isnull=True).count() == 0

    def test_reference_story_carries_the_reference_facts(self) -> None:
        story = ArticlePage.objects.get(slug=REFERENCE_SLUG)
        assert story.first_published_at == datetime(2023, 11, 16, 3, 58, tzinfo=UTC)
        assert story.lead_image is not None
        assert story.lead_image.credit == "MFA"
        attribution = story.source_attributions.get()
        assert (attribution.source.short_name, attribution.relation) == (
            "MFA",
            "citing",
        )
        assert page_views_total(page_id=story.pk) == 1098
        ticker = rates_for_ticker(currencies=("USD", "EUR", "RUB"))
        assert ticker is not None
        assert [r.per_unit for r in ticker.rates] == [
            Decimal("498.51"),
            Decimal("522.84"),
            Decimal("4.81"),
        ]

    def test_reference_page_renders_from_the_demo(self) -> None:
        story = ArticlePage.objects.get(slug=REFERENCE_SLUG)
        html = self.client.get(story.url).content.decode()
        for fact in (
            "16.11.2023 09:58",
            "Photo: MFA",
            "1,098 views",
            "Aqparat reports, citing",
        ):
            assert fact in html

    def test_loading_again_changes_nothing(self) -> None:
        counts = (
            ArticlePage.objects.count(),
            HomePage.objects.count(),
            Site.objects.count(),
        )
        again = demo_newsroom_load()
        assert again.articles_created == 0
        assert again.admin_password is None
        after = (
            ArticlePage.objects.count(),
            HomePage.objects.count(),
            Site.objects.count(),
        )
        assert after == counts


@pytest.mark.django_db
def test_command_prints_the_generated_admin_password_once() -> None:
    first, second = StringIO(), StringIO()
    call_command("load_demo_newsroom", stdout=first)
    call_command("load_demo_newsroom", stdout=second)
    admin = get_user_model().objects.get(username="admin")
    password = first.getvalue().split("with password: ")[1].split()[0]
    assert admin.is_superuser
    assert admin.check_password(password)
    assert "password" not in second.getvalue()
