"""Nothing a journalist types into a new story is lost to its URL: a headline that
gives the URL of another story saves with a number suffix, and the create form's
autosave and its "Submit" (which can reach the server together) make one story."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Sequence
from typing import Any

import pytest
from django.db import connection, transaction
from django.urls import reverse
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from aqparat.news.forms import DRAFT_KEY_FIELD
from aqparat.news.models import ArticlePage, Source
from aqparat.news.tests.factories import ArticlePageFactory
from aqparat.newsroom.models import DraftOrigin
from aqparat.newsroom.tests.factories import Desked, article_form, desked_build
from aqparat.users.tests.factories import signed_in

pytestmark = pytest.mark.django_db

AUTOSAVE = {"Accept": "application/json"}  # how Wagtail's autosave posts


@pytest.fixture
def desked() -> Desked:
    return desked_build()


def add_url(desked: Desked) -> str:
    return reverse(
        "wagtailadmin_pages:add", args=("news", "articlepage", desked.news.pk)
    )


def story_form(
    *, key: str | None = None, sources: Sequence[Any] = (), **fields: Any
) -> Any:
    """The create form as the browser posts it: with its draft key and sources."""
    data = article_form(**fields)
    extra = nested_form_data({"source_attributions": inline_formset(
        [{"source": source.pk, "relation": "citing"} for source in sources]
    )})  # fmt: skip
    data = {k: v for k, v in data.items() if not k.startswith("source_attributions")}
    data.update(extra)
    if key is not None:
        data[DRAFT_KEY_FIELD] = key
    return data


def tram_depot_story(desked: Desked) -> None:
    ArticlePageFactory(
        parent=desked.news, title="Tram depot opens", slug="tram-depot-opens"
    )


def in_review(story: ArticlePage) -> bool:
    states = WorkflowState.objects.filter(object_id=str(story.pk))
    return states.filter(status="in_progress").exists()


def test_the_create_form_carries_a_draft_key(desked: Desked) -> None:
    page = signed_in(desked.journalist).get(add_url(desked)).content.decode()
    assert f'name="{DRAFT_KEY_FIELD}"' in page


def test_a_second_story_with_the_same_headline_saves_as_a_draft(desked: Desked) -> None:
    tram_depot_story(desked)
    response = signed_in(desked.journalist).post(
        add_url(desked), story_form(title="Tram depot opens", key=str(uuid.uuid4()))
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    slugs = sorted(
        ArticlePage.objects.filter(title="Tram depot opens").values_list(
            "slug", flat=True
        )
    )
    assert slugs == ["tram-depot-opens", "tram-depot-opens-2"]


def test_a_second_story_with_the_same_headline_autosaves(desked: Desked) -> None:
    tram_depot_story(desked)
    response = signed_in(desked.journalist).post(
        add_url(desked),
        story_form(title="Tram depot opens", key=str(uuid.uuid4())),
        headers=AUTOSAVE,
    )
    assert response.status_code == 200
    answer = json.loads(response.content)
    assert answer["success"] is True, answer
    # The open form learns the slug the server chose, so the next save keeps it.
    assert answer["field_updates"]["slug"] == "tram-depot-opens-2"
    assert ArticlePage.objects.get(pk=answer["pk"]).slug == "tram-depot-opens-2"


def test_without_javascript_an_empty_slug_is_made_unique_not_a_server_error(
    desked: Desked,
) -> None:
    tram_depot_story(desked)
    response = signed_in(desked.journalist).post(
        add_url(desked), story_form(title="Tram depot opens", slug="")
    )
    assert response.status_code == 302
    assert ArticlePage.objects.filter(slug="tram-depot-opens-2").exists()


def test_a_published_storys_taken_slug_is_a_form_error_that_keeps_the_text(
    desked: Desked,
) -> None:
    tram_depot_story(desked)
    live = ArticlePageFactory(parent=desked.news, title="Bus lanes", slug="bus-lanes")
    live.save_revision(user=desked.chief).publish()
    response = signed_in(desked.chief).post(
        reverse("wagtailadmin_pages:edit", args=[live.pk]),
        story_form(title="Bus lanes widen", slug="tram-depot-opens",
                   lead="Two lanes on Abai Avenue become bus-only."),
    )  # fmt: skip
    assert response.status_code == 200
    text = response.content.decode()
    assert "already in use" in text
    assert "Two lanes on Abai Avenue become bus-only." in text
    assert ArticlePage.objects.get(pk=live.pk).slug == "bus-lanes"


def one_story(title: str) -> ArticlePage:
    pages = list(ArticlePage.objects.filter(title=title))
    assert len(pages) == 1, [p.slug for p in pages]
    return pages[0]


def test_the_autosave_then_the_submit_of_one_form_make_one_story_in_review(
    desked: Desked,
) -> None:
    source = Source.objects.create(name="Ministry of Energy", short_name="MoE")
    journalist = signed_in(desked.journalist)
    key = str(uuid.uuid4())
    form = story_form(title="Solar plant opens", key=key, sources=[source])
    autosaved = journalist.post(add_url(desked), form, headers=AUTOSAVE)
    assert json.loads(autosaved.content)["success"] is True
    # "Submit" posted from the same form before the browser learned of the autosave.
    submitted = journalist.post(
        add_url(desked),
        {**form, "lead": "It powers 12,000 homes.", "action-submit": "submit"},
    )
    assert submitted.status_code == 302, submitted.content.decode()[:3000]
    story = one_story("Solar plant opens")
    assert story.slug == "solar-plant-opens"
    assert in_review(story)
    latest = story.get_latest_revision_as_object()
    # The submitted text, not the autosave's.
    assert latest.lead == "It powers 12,000 homes."
    assert [s.source_id for s in latest.source_attributions.all()] == [source.pk]
    assert story.source_attributions.count() == 1


def test_the_submit_then_a_late_autosave_of_one_form_make_one_story(
    desked: Desked,
) -> None:
    source = Source.objects.create(name="Ministry of Energy", short_name="MoE")
    journalist = signed_in(desked.journalist)
    key = str(uuid.uuid4())
    form = story_form(title="Solar plant opens", key=key, sources=[source])
    submitted = journalist.post(add_url(desked), {**form, "action-submit": "submit"})
    assert submitted.status_code == 302
    autosaved = journalist.post(add_url(desked), form, headers=AUTOSAVE)
    answer = json.loads(autosaved.content)
    story = one_story("Solar plant opens")
    # The open form is told where the story now lives, and leaves the review alone.
    assert answer["success"] is True, answer
    assert answer["url"] == reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert in_review(story)
    assert story.source_attributions.count() == 1
    assert story.revisions.count() == 1


def test_two_autosaves_of_one_form_keep_the_newer_text_and_one_set_of_sources(
    desked: Desked,
) -> None:
    first, second = (
        Source.objects.create(name=name, short_name=short)
        for name, short in (
            ("Ministry of Energy", "MoE"),
            ("Akimat of Shymkent", "Akimat"),
        )
    )
    journalist = signed_in(desked.journalist)
    key = str(uuid.uuid4())
    first_form = story_form(title="Solar plant opens", key=key, sources=[first])
    journalist.post(add_url(desked), first_form, headers=AUTOSAVE)
    answer = json.loads(journalist.post(
        add_url(desked),
        story_form(title="Solar plant opens", key=key, sources=[first, second],
                   lead="Newer lead."),
        headers=AUTOSAVE,
    ).content)  # fmt: skip
    story = one_story("Solar plant opens")
    latest = story.get_latest_revision_as_object()
    assert latest.lead == "Newer lead."
    assert [s.source_id for s in latest.source_attributions.all()] == [
        first.pk,
        second.pk,
    ]
    # The open form gets the ids of the saved sources, so its next save edits them.
    ids = {answer["field_updates"][f"source_attributions-{i}-id"] for i in (0, 1)}
    assert ids == {str(s.pk) for s in story.source_attributions.all()}


def test_another_writers_draft_key_is_not_theirs_to_continue(desked: Desked) -> None:
    key = str(uuid.uuid4())
    mine = story_form(title="Solar plant opens", key=key)
    signed_in(desked.journalist).post(add_url(desked), mine)
    response = signed_in(desked.editor).post(
        add_url(desked), story_form(title="Wind farm opens", key=key)
    )
    assert response.status_code == 302
    assert one_story("Solar plant opens").title == "Solar plant opens"
    assert one_story("Wind farm opens")  # a story of its own, the key not reused
    assert DraftOrigin.objects.filter(key=key).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two connections at once: the in-memory SQLite test database is one",
)
def test_a_create_waits_for_one_in_progress_under_the_same_section() -> None:
    """The create form's autosave and its submit reach two workers at once: the one
    that comes second waits, then continues the story the first one made."""
    desked = desked_build()
    key = str(uuid.uuid4())
    form = story_form(title="Solar plant opens", key=key)
    second_started = threading.Event()
    outcome: dict[str, Any] = {}

    def second() -> None:
        second_started.set()
        response = signed_in(desked.journalist).post(
            add_url(desked), {**form, "action-submit": "submit"}
        )
        outcome["status"] = response.status_code
        connection.close()

    # The first request, stood for by a transaction that holds what a create holds.
    with transaction.atomic():
        Page.objects.select_for_update().get(pk=desked.news.pk)
        worker = threading.Thread(target=second)
        worker.start()
        second_started.wait(5)
        worker.join(1)
        assert worker.is_alive(), "the second create did not wait for the first"
        signed_in(desked.journalist).post(add_url(desked), form, headers=AUTOSAVE)
    worker.join(30)
    assert outcome["status"] == 302
    story = one_story("Solar plant opens")
    assert in_review(story)
