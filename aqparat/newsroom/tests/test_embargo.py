"""An embargo holds an approved story back from every public surface until its time,
and then it publishes itself. It is not a schedule an editor can override."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from aqparat.news.models import ArticlePage, TagIndexPage
from aqparat.news.tests.factories import ArticlePageFactory
from aqparat.newsroom.services import publication_run
from aqparat.newsroom.tests.factories import Desked, article_form, desked_build
from aqparat.users.tests.factories import signed_in

ALMATY = ZoneInfo("Asia/Almaty")
BEFORE = datetime(2027, 3, 10, 8, 0, tzinfo=ALMATY)
EMBARGO = datetime(2027, 3, 10, 12, 0, tzinfo=ALMATY)
TITLE = "Inflation report for February"


@pytest.fixture
def desked(db: None) -> Desked:
    return desked_build()


def public_surfaces(article: ArticlePage) -> dict[str, bool]:
    """Where a reader could meet the story, and whether they would."""
    reader = Client()
    home = reader.get(article.get_parent().get_parent().url).content.decode()
    section = reader.get(article.get_parent().url).content.decode()
    tags = TagIndexPage.objects.get().url
    tag = reader.get(f"{tags}economy/")
    url = article.get_url() or f"/news/{article.slug}/"
    return {
        "page": reader.get(url).status_code == 200,
        "home": TITLE in home,
        "section": TITLE in section,
        "tag": tag.status_code == 200 and TITLE in tag.content.decode(),
    }


def embargoed_by_editor(desked: Desked) -> ArticlePage:
    client = signed_in(desked.editor)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("news", "articlepage",
                                                desked.news.pk)),
        article_form(title=TITLE, action="action-publish", tags="economy",
                     embargo_until="2027-03-10 12:00"),
    )  # fmt: skip
    assert response.status_code == 302
    return ArticlePage.objects.get(title=TITLE)


def test_an_approved_embargoed_story_is_nowhere_until_its_time(
    desked: Desked,
) -> None:
    with time_machine.travel(BEFORE, tick=False):
        article = embargoed_by_editor(desked)
        assert not article.live
        assert article.embargo_until == EMBARGO
        # The publish became a publication at the embargo time.
        assert article.revisions.get(approved_go_live_at__isnull=False
                                     ).approved_go_live_at == EMBARGO  # fmt: skip
        assert not any(public_surfaces(article).values())
    with time_machine.travel(datetime(2027, 3, 10, 11, 59, tzinfo=ALMATY), tick=False):
        publication_run()
        article.refresh_from_db()
        assert not article.live
        assert not any(public_surfaces(article).values())
    with time_machine.travel(datetime(2027, 3, 10, 12, 0, 20, tzinfo=ALMATY),
                             tick=False):  # fmt: skip
        publication_run()
        article.refresh_from_db()
        assert article.live
        assert public_surfaces(article) == {
            "page": True, "home": True, "section": True, "tag": True,
        }  # fmt: skip


def test_clearing_the_go_live_time_does_not_break_an_embargo(
    desked: Desked,
) -> None:
    with time_machine.travel(BEFORE, tick=False):
        article = embargoed_by_editor(desked)
        client = signed_in(desked.chief)
        client.post(
            reverse("wagtailadmin_pages:edit", args=[article.pk]),
            article_form(title=TITLE, action="action-publish", go_live_at="",
                         embargo_until="2027-03-10 12:00",
                         slug=article.slug),
        )  # fmt: skip
        article.refresh_from_db()
        assert not article.live
        assert article.revisions.filter(approved_go_live_at=EMBARGO).exists()


def test_nothing_can_save_an_embargoed_story_live_early(desked: Desked) -> None:
    with time_machine.travel(BEFORE, tick=False):
        article = embargoed_by_editor(desked)
        article.live = True
        with pytest.raises(ValidationError, match=r"10\.03\.2027 12:00"):
            article.save()
        assert not ArticlePage.objects.get(pk=article.pk).live


def test_a_story_already_public_cannot_be_embargoed(desked: Desked) -> None:
    with time_machine.travel(BEFORE, tick=False):
        live = ArticlePageFactory(parent=desked.news, title="Already out")
        response = signed_in(desked.editor).post(
            reverse("wagtailadmin_pages:edit", args=[live.pk]),
            article_form(title="Already out", slug=live.slug,
                         embargo_until="2027-03-10 12:00"),
        )  # fmt: skip
    assert response.status_code == 200
    assert "already public" in response.content.decode()
    live.refresh_from_db()
    assert live.embargo_until is None


def test_the_dashboard_lists_embargoed_stories(desked: Desked) -> None:
    with time_machine.travel(BEFORE, tick=False):
        embargoed_by_editor(desked)
        html = signed_in(desked.chief).get(reverse("wagtailadmin_home"))
    listed = html.content.decode().split('data-newsroom="embargoed"')[1]
    assert TITLE in listed.split("</ul>")[0]
    assert "10.03.2027 12:00" in listed.split("</ul>")[0]
    today = html.content.decode().split('data-newsroom="scheduled"')[1]
    assert "12:00 " in today and "(embargo)" in today.split("</ul>")[0]
