"""Scheduling says what it does: the button reads "Schedule for <time>" when a
go-live time is set, and the confirmation names that time (Almaty)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import ArticlePageFactory, CustomImageFactory
from aqparat.newsroom.tests.factories import Desked, article_form, desked_build
from aqparat.users.tests.factories import signed_in

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture
def desked() -> Desked:
    return desked_build()


def test_the_button_and_the_confirmation_name_the_go_live_time(
    desked: Desked,
) -> None:
    image = CustomImageFactory(credit="MFA", alt_en="Two delegations")
    article = ArticlePageFactory(parent=desked.news, title="Water tariffs",
                                 lead_image=image, live=False)  # fmt: skip
    when = (timezone.now() + timedelta(days=1)).astimezone(ALMATY)
    when = when.replace(hour=9, minute=30, second=0, microsecond=0)
    shown = when.strftime("%d.%m.%Y %H:%M")
    editor = signed_in(desked.chief)
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])

    assert "Schedule for" not in editor.get(url).content.decode()
    fields: dict[str, Any] = {
        "title": "Water tariffs", "slug": article.slug, "lead_image": image,
        "go_live_at": when.strftime("%Y-%m-%d %H:%M"),
    }  # fmt: skip
    editor.post(url, article_form(**fields))  # "Save draft" with a go-live time
    button = f"Schedule for {shown}"
    assert button in editor.get(url).content.decode()

    response = editor.post(url, article_form(**fields, action="action-publish"))
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == (
        f"“Water tariffs” is scheduled: it goes live on {shown} (Almaty time)."
    )
    stored = ArticlePage.objects.get(pk=article.pk)
    assert not stored.live
    assert stored.get_latest_revision().approved_go_live_at == when


def submitted_then_approved(
    desked: Desked, when: datetime
) -> tuple[ArticlePage, list[str]]:
    """The journalist submits "Bus fares" with a photo; the desk editor sets `when`
    as its go-live time and approves. The story, and what the next page says."""
    image = CustomImageFactory(credit="MFA", alt_en="Two delegations")
    add = reverse("wagtailadmin_pages:add", args=("news", "articlepage",
                                                  desked.news.pk))  # fmt: skip
    signed_in(desked.journalist).post(add, article_form(
        title="Bus fares", lead_image=image, action="action-submit"
    ))  # fmt: skip
    article = ArticlePage.objects.get(title="Bus fares")
    form = article_form(
        title="Bus fares", slug=article.slug, lead_image=image,
        go_live_at=when.strftime("%Y-%m-%d %H:%M"),
    )  # fmt: skip
    form.update({"action-workflow-action": "true", "workflow-action-name": "approve"})
    editor = signed_in(desked.editor)
    response = editor.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), form)
    assert response.status_code == 302
    # What the next page shows (the messages this request left for it).
    next_page = editor.get(response["Location"])
    return article, [str(m) for m in get_messages(next_page.wsgi_request)]


def test_approving_a_story_with_a_go_live_time_confirms_that_time(
    desked: Desked,
) -> None:
    """The desk editor's "Approve and publish" on a story with a go-live time
    schedules it: the confirmation says so and when, not "has been updated"."""
    when = (timezone.now() + timedelta(days=1)).astimezone(ALMATY)
    when = when.replace(hour=8, minute=0, second=0, microsecond=0)
    article, said = submitted_then_approved(desked, when)
    shown = when.strftime("%d.%m.%Y %H:%M")
    assert said == [f"“Bus fares” is scheduled: it goes live on {shown} (Almaty time)."]
    article.refresh_from_db()
    assert not article.live
    assert article.revisions.filter(approved_go_live_at=when).exists()


def test_an_approval_that_passes_the_story_on_does_not_say_scheduled(
    desked: Desked,
) -> None:
    """With a second step after the desk (the chief editor's review), the desk's
    approval schedules nothing: what is said is read from the stored revisions,
    not from the go-live time in the form."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

    chief_review = GroupApprovalTask.objects.create(name="Chief editor review")
    chief_review.groups.set(Group.objects.filter(name="Chief editors"))
    WorkflowTask.objects.create(
        workflow=Workflow.objects.get(name="News desk review"),
        task=chief_review, sort_order=1,
    )  # fmt: skip
    when = (timezone.now() + timedelta(days=1)).astimezone(ALMATY)
    article, said = submitted_then_approved(desked, when)
    assert not any("scheduled" in message for message in said), said
    assert not article.revisions.filter(approved_go_live_at__isnull=False).exists()
    assert article.current_workflow_task.name == "Chief editor review"
