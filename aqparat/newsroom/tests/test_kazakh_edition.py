"""The Kazakh edition, whose Latin twin follows it: a scheduled or embargoed Kazakh
story appears in neither script before its time, and approving it works."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from wagtail.models import WorkflowState

from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import CustomImageFactory, editions_build
from aqparat.newsroom import roles
from aqparat.newsroom.services import desk_assign, publication_run
from aqparat.users.tests.factories import staff_build

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")
BEFORE = datetime(2027, 3, 10, 8, 0, tzinfo=ALMATY)
AT_NOON = datetime(2027, 3, 10, 12, 0, 30, tzinfo=ALMATY)


def latin_status(article: ArticlePage) -> int:
    url = article.get_parent().url.replace("/kk/", "/kk-latn/", 1) + article.slug + "/"
    return Client().get(url).status_code


def kazakh_story(**fields: object) -> ArticlePage:
    editions = editions_build()
    article = ArticlePage(
        title="Инфляция туралы есеп", slug="inflyatsiya-turaly-esep",
        lead="Ақпандағы баға өсімі туралы.", body=[],
        lead_image=CustomImageFactory(), live=False, **fields,
    )  # fmt: skip
    editions.sections["kk"].add_child(instance=article)
    return article


def test_a_scheduled_kazakh_story_is_not_on_the_latin_edition_early() -> None:
    with time_machine.travel(BEFORE, tick=False):
        article = kazakh_story()
        article.go_live_at = datetime(2027, 3, 10, 12, 0, tzinfo=ALMATY)
        article.save_revision().publish()
        article.refresh_from_db()
        assert not article.live
        assert latin_status(article) == 404
    with time_machine.travel(AT_NOON, tick=False):
        publication_run()
        assert latin_status(article) == 200


def test_an_embargoed_kazakh_story_is_approved_from_the_dashboard() -> None:
    with time_machine.travel(BEFORE, tick=False):
        article = kazakh_story(
            embargo_until=datetime(2027, 3, 10, 12, 0, tzinfo=ALMATY)
        )
        desk = desk_assign(name="Жаңалықтар", sections=[article.get_parent()])
        editor = staff_build("daniyar", roles.EDITORS, desk.name)
        journalist = staff_build("aigerim", roles.JOURNALISTS)
        article.save_revision(user=journalist)
        article.get_workflow().start(article, journalist)
        state = WorkflowState.objects.get(object_id=str(article.pk))
        client = Client()
        client.force_login(editor)
        response = client.post(
            reverse("wagtailadmin_pages:workflow_action",
                    args=(article.pk, "approve", state.current_task_state.pk))
        )  # fmt: skip
        assert response.status_code == 302
        article.refresh_from_db()
        assert not article.live
        assert article.revisions.filter(approved_go_live_at__isnull=False).exists()
        assert latin_status(article) == 404
    with time_machine.travel(AT_NOON, tick=False):
        publication_run()
        article.refresh_from_db()
        assert article.live
        assert latin_status(article) == 200
