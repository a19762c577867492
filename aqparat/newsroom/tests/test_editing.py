"""Two editors never silently overwrite each other, and a photo without its credit
and alt text cannot go out in a published article."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import rich_text, streamfield

from aqparat.news.models import ArticlePage
from aqparat.news.tests.factories import ArticlePageFactory, CustomImageFactory
from aqparat.newsroom.tests.factories import Desked, article_form, desked_build
from aqparat.users.tests.factories import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def desked() -> Desked:
    return desked_build()


def test_a_save_from_an_out_of_date_editor_is_stopped_and_keeps_its_text(
    desked: Desked,
) -> None:
    article = ArticlePageFactory(parent=desked.news, title="Water tariffs")
    article.save_revision(user=desked.chief)
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    opened = str(ArticlePage.objects.get(pk=article.pk).latest_revision_id)
    # The chief editor saves first ...
    signed_in(desked.chief).post(
        url, article_form(title="Water tariffs rise in April", slug=article.slug,
                          loaded_revision_id=opened)
    )  # fmt: skip
    # ... then the desk editor saves from the page as it was when they opened it.
    editor = signed_in(desked.editor)
    response = editor.post(
        url, article_form(title="Water tariffs will not change", slug=article.slug,
                          loaded_revision_id=opened)
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "gulnara saved a newer version of this page" in html
    assert "Water tariffs will not change" in html  # the editor's text is still there
    latest = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert latest.title == "Water tariffs rise in April"
    # Saving again from the refreshed form is a deliberate overwrite.
    newest = str(ArticlePage.objects.get(pk=article.pk).latest_revision_id)
    editor.post(
        url, article_form(title="Water tariffs will not change", slug=article.slug,
                          loaded_revision_id=newest)
    )  # fmt: skip
    latest = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert latest.title == "Water tariffs will not change"


def test_publishing_needs_the_photos_credit_and_alt_text_in_the_articles_language(
    desked: Desked,
) -> None:
    bare = CustomImageFactory(title="Unlabelled", credit="", alt_en="", alt_kk="x")
    body_photo = CustomImageFactory(title="Body photo", credit="Akimat", alt_en="")
    editor = signed_in(desked.editor)
    add = reverse("wagtailadmin_pages:add", args=("news", "articlepage",
                                                  desked.news.pk))  # fmt: skip
    response = editor.post(
        add,
        article_form(
            title="Tram depot opens", action="action-publish", lead_image=bare,
            body=streamfield([
                ("paragraph", rich_text("<p>Text.</p>")),
                ("image", {"image": body_photo.pk, "caption": "", "credit": ""}),
            ]),
        ),
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Photo &quot;Unlabelled&quot; needs: credit, alt text (English)." in html
    assert "Photo &quot;Body photo&quot; needs: alt text (English)." in html
    assert not ArticlePage.objects.filter(title="Tram depot opens").exists()

    # A draft may use them: only publishing (or asking for it) needs the rights.
    editor.post(add, article_form(title="Tram depot opens", lead_image=bare))
    draft = ArticlePage.objects.get(title="Tram depot opens")
    assert not draft.live

    bare.credit, bare.alt_en = "Almaty Transport", "A red tram leaves the depot."
    bare.save()
    editor.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        article_form(title="Tram depot opens", slug=draft.slug,
                     action="action-publish", lead_image=bare),
    )  # fmt: skip
    draft.refresh_from_db()
    assert draft.live


def test_a_journalist_cannot_submit_a_photo_without_its_rights(
    desked: Desked,
) -> None:
    bare = CustomImageFactory(title="No credit", credit="")
    client = signed_in(desked.journalist)
    add = reverse("wagtailadmin_pages:add", args=("news", "articlepage",
                                                  desked.news.pk))  # fmt: skip
    response = client.post(
        add, article_form(title="Park reopens", action="action-submit",
                          lead_image=bare)
    )  # fmt: skip
    assert "needs: credit" in response.content.decode()
    assert not ArticlePage.objects.filter(title="Park reopens").exists()


def test_an_empty_slug_is_made_from_the_headline(desked: Desked) -> None:
    """Without the admin's JavaScript the slug box stays empty: the server fills it."""
    add = reverse("wagtailadmin_pages:add", args=("news", "articlepage",
                                                  desked.news.pk))  # fmt: skip
    response = signed_in(desked.journalist).post(
        add, article_form(title="Kokshetau marks its 200th year", slug="")
    )
    assert response.status_code == 302
    assert ArticlePage.objects.get(title="Kokshetau marks its 200th year").slug == (
        "kokshetau-marks-its-200th-year"
    )


def test_saving_over_ones_own_autosave_is_not_a_conflict(desked: Desked) -> None:
    """Wagtail autosaves while an editor types: the newer revision is their own."""
    article = ArticlePageFactory(parent=desked.news, title="Snow closes a pass")
    opened = str(article.save_revision(user=desked.editor).pk)
    autosaved = article.save_revision(user=desked.editor)
    response = signed_in(desked.editor).post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_form(title="Snow closes the Kordai pass", slug=article.slug,
                     loaded_revision_id=opened,
                     overwrite_revision_id=str(autosaved.pk)),
    )  # fmt: skip
    assert response.status_code == 302
    latest = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert latest.title == "Snow closes the Kordai pass"


def test_approving_from_the_dashboard_meets_the_same_photo_check(
    desked: Desked,
) -> None:
    """No form on that path: the publication itself refuses, and the approval
    rolls back. Gallery photos count too."""
    gallery_photo = CustomImageFactory(title="Gallery shot", alt_en="")
    article = ArticlePageFactory(
        parent=desked.news, title="Marathon day", live=False,
        first_published_at=None, last_published_at=None,
        body=[{"type": "gallery", "value": {"title": "", "images": [
            {"image": CustomImageFactory().pk, "caption": "", "credit": ""},
            {"image": gallery_photo.pk, "caption": "", "credit": ""},
        ]}}],
    )  # fmt: skip
    with translation.override("en"):
        assert article.publication_problems() == [
            'Photo "Gallery shot" needs: alt text (English).'
        ]
    article.save_revision(user=desked.journalist)
    article.get_workflow().start(article, desked.journalist)
    state = WorkflowState.objects.get(object_id=str(article.pk))
    editor = signed_in(desked.editor)
    response = editor.post(
        reverse("wagtailadmin_pages:workflow_action",
                args=(article.pk, "approve", state.current_task_state.pk)),
        headers={"referer": "http://testserver/admin/"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == "http://testserver/admin/"
    shown = editor.get(response["Location"]).content.decode()
    assert "Gallery shot" in html.unescape(shown)
    article.refresh_from_db()
    assert not article.live
    state.refresh_from_db()
    assert state.status == "in_progress"  # still waiting for the desk


def test_a_save_over_a_revision_another_editor_autosaved_in_place_is_stopped(
    desked: Desked,
) -> None:
    """Autosave rewrites the latest revision in place (same id, new time)."""
    article = ArticlePageFactory(parent=desked.news, title="Bus fares")
    revision = article.save_revision(user=desked.chief)
    opened_at = revision.created_at.isoformat()
    revision.created_at = revision.created_at + timedelta(seconds=5)
    revision.save(update_fields=["created_at"])  # the chief's autosave
    response = signed_in(desked.editor).post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_form(title="Bus fares fall", slug=article.slug,
                     loaded_revision_id=str(revision.pk),
                     loaded_revision_created_at=opened_at),
    )  # fmt: skip
    assert response.status_code == 200
    assert "saved a newer version" in response.content.decode()


def test_a_new_story_opens_with_its_writers_byline(desked: Desked) -> None:
    """The journalist's Author (linked to their account, in the section's language)
    is the new story's byline; a writer with no Author there starts with none."""
    from aqparat.news.models import Author

    locale = desked.news.locale
    aigerim = Author.objects.create(
        name="Aigerim Nurlanova", slug="aigerim-nurlanova", locale=locale,
        user=desked.journalist,
    )  # fmt: skip
    Author.objects.create(name="Another writer", slug="another", locale=locale)
    add = reverse("wagtailadmin_pages:add", args=("news", "articlepage",
                                                  desked.news.pk))  # fmt: skip

    def byline(user: object) -> list[object]:
        form = signed_in(user).get(add).context["form"]
        return [row.initial.get("author") or row.instance.author_id
                for row in form.formsets["article_authors"].forms]  # fmt: skip

    assert byline(desked.journalist) == [aigerim.pk]
    assert byline(desked.editor) == []
