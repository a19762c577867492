"""No path from the article editor shows a server error or loses what was typed:
each main action (save draft, submit, publish), in the create form and the edit
form of a draft and of a live story (a correction), against each kind of fault (a
taken slug, a photo without credit, an empty body part, an empty body)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text, streamfield

from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import ArticlePageFactory, CustomImageFactory
from aqparat.newsroom.tests.factories import Desked, article_form, desked_build

pytestmark = pytest.mark.django_db

LEAD = "Typed by the journalist, and never to be lost."
FAULTS = ["taken slug", "photo without credit", "empty body part", "empty body"]
ACTIONS = [None, "action-submit", "action-publish"]


def faulty(fault: str) -> dict[str, Any]:
    if fault == "taken slug":
        return {"title": "Water tariffs", "slug": "water-tariffs"}
    if fault == "photo without credit":
        return {"lead_image": CustomImageFactory(credit="", alt_en="")}
    if fault == "empty body part":  # a photo part with no photo chosen
        return {"body": streamfield([
            ("paragraph", rich_text("<p>Passengers rode free.</p>")),
            ("image", {"image": "", "caption": "", "credit": ""}),
        ])}  # fmt: skip
    return {"body": streamfield([])}


@pytest.mark.parametrize("view", ["create", "edit", "edit live"])
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("fault", FAULTS)
def test_every_action_against_every_fault_keeps_the_text(
    view: str, action: str | None, fault: str
) -> None:
    desked: Desked = desked_build()
    taken = ArticlePageFactory(parent=desked.news, title="Water tariffs",
                               slug="water-tariffs")  # fmt: skip
    taken.save_revision().publish()
    client = Client(raise_request_exception=False)
    client.force_login(desked.chief)
    if view == "create":
        url = reverse("wagtailadmin_pages:add",
                      args=("news", "articlepage", desked.news.pk))  # fmt: skip
    else:
        draft = ArticlePageFactory(parent=desked.news, title="A draft", live=False)
        draft.save_revision()
        if view == "edit live":
            draft.save_revision().publish()
        url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    fields = {"title": "Water tariffs rise", "lead": LEAD, **faulty(fault)}
    response = client.post(url, article_form(action=action, **fields))

    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:  # refused: the form again, with the text
        assert LEAD in response.content.decode()
        return
    # Accepted: the text is stored in the page's latest version.
    stored = ArticlePage.objects.filter(lead=LEAD).first() or ArticlePage.objects.get(
        pk=draft.pk
    )
    assert stored.get_latest_revision_as_object().lead == LEAD
    if fault != "taken slug" and action == "action-publish":
        published = stored.live and stored.live_revision.as_object().lead == LEAD
        assert not published, "published with a photo or body it cannot have"
    if view == "edit live":
        stored.refresh_from_db()
        assert stored.live  # a refused correction leaves the story up
        assert stored.slug == draft.slug  # its address is frozen once live
