"""What each role may and may not do, through the admin's pages and by posting to its
endpoints directly (a hidden button is not a permission check)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import (
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowState,
)

from aqparat.news.models import ArticlePage, BreakingBanner
from aqparat.news.tests.factories import ArticlePageFactory
from aqparat.newsroom import roles
from aqparat.newsroom.tests.factories import (
    Desked,
    article_form,
    article_get,
    desked_build,
)
from aqparat.users.tests.factories import signed_in

pytestmark = pytest.mark.django_db
ROLES = (roles.JOURNALISTS, roles.EDITORS, roles.CHIEF_EDITORS, roles.ADMINISTRATORS)
ROLES = (roles.JOURNALISTS, roles.EDITORS, roles.CHIEF_EDITORS, roles.ADMINISTRATORS)


@pytest.fixture
def desked() -> Desked:
    return desked_build()


def add_url(section: Page) -> str:
    return reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))


def edit_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def draft_by(client: Client, section: Page, title: str) -> ArticlePage:
    response = client.post(add_url(section), article_form(title=title))
    assert response.status_code == 302, response.content[:500]
    article = article_get(title)
    assert not article.live
    return article


def test_the_migration_creates_the_four_roles_with_their_page_rights() -> None:
    root = Page.get_first_root_node()
    rights = {
        name: set(
            GroupPagePermission.objects.filter(group__name=name, page=root).values_list(
                "permission__codename", flat=True
            )
        )
        for name in ROLES
    }
    assert rights[roles.JOURNALISTS] == {"add_page"}
    assert rights[roles.EDITORS] == set()  # editors get sections through desks
    assert {"publish_page", "change_page", "bulk_delete_page"} <= rights[
        roles.CHIEF_EDITORS
    ]
    assert not Group.objects.filter(name="Moderators").exists()
    chiefs = Group.objects.get(name=roles.CHIEF_EDITORS)
    assert chiefs.permissions.filter(codename="add_breakingbanner").exists()
    assert chiefs.permissions.filter(codename="change_sitesettings").exists()
    review = Workflow.objects.get(name="Editorial review")
    assert review.workflow_pages.filter(page=root).exists()
    task = review.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [roles.CHIEF_EDITORS]
    admins = Group.objects.get(name=roles.ADMINISTRATORS)
    assert admins.permissions.filter(codename="delete_breakingbanner").exists()
    assert admins.permissions.filter(codename="change_user").exists()


def test_a_journalist_writes_a_draft_but_has_no_publish_button(
    desked: Desked,
) -> None:
    client = signed_in(desked.journalist)
    article = draft_by(client, desked.news, "Astana hosts a book fair")
    assert article.owner == desked.journalist
    html = client.get(edit_url(article)).content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html
    editor_html = signed_in(desked.editor).get(edit_url(article)).content.decode()
    assert 'name="action-publish"' in editor_html


def test_a_journalists_direct_publish_post_leaves_the_article_unpublished(
    desked: Desked,
) -> None:
    client = signed_in(desked.journalist)
    client.post(
        add_url(desked.news),
        article_form(title="A new bridge in Semey", action="action-publish"),
    )
    article = article_get("A new bridge in Semey")
    assert not article.live
    client.post(
        edit_url(article),
        article_form(title="A new bridge in Semey", action="action-publish"),
    )
    article.refresh_from_db()
    assert not article.live
    assert article.first_published_at is None


def test_a_journalist_cannot_schedule(desked: Desked) -> None:
    client = signed_in(desked.journalist)
    article = draft_by(client, desked.news, "Rail timetable changes")
    client.post(
        edit_url(article),
        article_form(title="Rail timetable changes", action="action-publish",
                     go_live_at="2030-01-01 10:00"),
    )  # fmt: skip
    article.refresh_from_db()
    assert not article.live
    assert not article.revisions.filter(approved_go_live_at__isnull=False).exists()
    # Nor set times for an editor's one-click approval to apply.
    client.post(
        edit_url(article),
        article_form(title="Rail timetable changes", action="action-submit",
                     slug=article.slug, go_live_at="2030-01-01 10:00",
                     expire_at="2030-01-01 11:00"),
    )  # fmt: skip
    submitted = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert (submitted.go_live_at, submitted.expire_at) == (None, None)
    # An editor's times are taken.
    signed_in(desked.editor).post(
        edit_url(article),
        article_form(title="Rail timetable changes", slug=article.slug,
                     expire_at="2030-01-01 11:00"),
    )  # fmt: skip
    edited = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert edited.expire_at is not None


def test_a_journalist_cannot_move_a_scheduled_story_or_convert_its_alias(
    desked: Desked,
) -> None:
    client = signed_in(desked.journalist)
    article = draft_by(client, desked.news, "Approved for the news desk")
    response = client.post(
        reverse("wagtailadmin_pages:move_confirm",
                args=(article.pk, desked.sport.pk))
    )  # fmt: skip
    assert response.status_code == 302
    client.post(
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "move"))
        + f"?id={article.pk}",
        {"chooser": desked.sport.pk},
    )
    article.refresh_from_db()
    assert article.get_parent().pk == desked.news.pk
    alias = article.create_alias(update_slug="alias-copy")
    alias.owner = desked.journalist
    alias.save()
    client.post(reverse("wagtailadmin_pages:convert_alias", args=[alias.pk]))
    alias.refresh_from_db()
    assert alias.alias_of_id == article.pk


def test_a_journalist_deletes_only_their_own_abandoned_drafts(
    desked: Desked,
) -> None:
    """Their own draft, never published and not with the desk, they may discard;
    a draft in review, a story once published, a colleague's draft, a live story
    (nor unpublish it) they may not."""
    client = signed_in(desked.journalist)
    in_review = draft_by(client, desked.news, "A draft with the desk")
    client.post(
        edit_url(in_review),
        article_form(title="A draft with the desk", action="action-submit",
                     slug=in_review.slug),
    )  # fmt: skip
    once_live = ArticlePageFactory(parent=desked.news, owner=desked.journalist)
    once_live.unpublish()
    colleagues = ArticlePageFactory(parent=desked.news, live=False,
                                    first_published_at=None)  # fmt: skip
    live = ArticlePageFactory(parent=desked.news, owner=desked.journalist)
    for page in (in_review, once_live, colleagues, live):
        response = client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
        assert response.status_code in (302, 403), page.title
        client.post(
            reverse("wagtail_bulk_action",
                    args=("wagtailcore", "page", "delete")) + f"?id={page.pk}",
        )  # fmt: skip
        assert Page.objects.filter(pk=page.pk).exists(), page.title
    client.post(reverse("wagtailadmin_pages:unpublish", args=[live.pk]))
    live.refresh_from_db()
    assert live.live

    abandoned = draft_by(client, desked.news, "A draft I give up on")
    response = client.post(reverse("wagtailadmin_pages:delete", args=[abandoned.pk]))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=abandoned.pk).exists()
    another = draft_by(client, desked.news, "Another draft I give up on")
    client.post(
        reverse("wagtail_bulk_action",
                args=("wagtailcore", "page", "delete")) + f"?id={another.pk}",
    )  # fmt: skip
    assert not Page.objects.filter(pk=another.pk).exists()


def test_a_journalist_cannot_edit_a_colleagues_article(desked: Desked) -> None:
    other = ArticlePageFactory(parent=desked.news, live=False)
    client = signed_in(desked.journalist)
    response = client.post(
        edit_url(other), article_form(title="Rewritten by someone else")
    )
    assert response.status_code in (302, 403)
    other.refresh_from_db()
    assert other.title != "Rewritten by someone else"


def test_a_submission_goes_to_the_desk_and_only_its_editors_approve(
    desked: Desked,
) -> None:
    client = signed_in(desked.journalist)
    article = draft_by(client, desked.news, "Almaty metro extends a line")
    client.post(
        edit_url(article),
        article_form(title="Almaty metro extends a line", action="action-submit"),
    )
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.workflow.name == "News desk review"
    task_state = state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(article.pk, "approve", task_state.pk),
    )
    # The journalist's own direct approval is refused.
    assert client.post(approve).status_code in (302, 403)
    article.refresh_from_db()
    assert not article.live
    # A chief editor could; the desk's editor does.
    response = signed_in(desked.editor).post(approve)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live


def test_an_editor_publishes_in_the_desks_section_only(desked: Desked) -> None:
    editor = signed_in(desked.editor)
    editor.post(
        add_url(desked.news),
        article_form(title="Tengri news desk story", action="action-publish"),
    )
    assert article_get("Tengri news desk story").live
    response = editor.post(
        add_url(desked.sport),
        article_form(title="Sport desk story", action="action-publish"),
    )
    assert response.status_code in (302, 403)
    assert not ArticlePage.objects.filter(title="Sport desk story", live=True).exists()
    sport_story = ArticlePageFactory(parent=desked.sport, live=False)
    editor.post(edit_url(sport_story),
                article_form(title="Edited by the News desk",
                             action="action-publish"))  # fmt: skip
    sport_story.refresh_from_db()
    assert not sport_story.live
    assert sport_story.title != "Edited by the News desk"


def test_only_chief_editors_set_breaking_news_and_site_settings(
    desked: Desked,
) -> None:
    add_banner = reverse("wagtailsnippets_news_breakingbanner:add")
    banner = {"language": "en", "text": "Polls are closed",
              "link": "", "starts_at": "2026-11-29 08:00",
              "expires_at": "2030-11-29 20:00"}  # fmt: skip
    for user in (desked.journalist, desked.editor):
        response = signed_in(user).post(add_banner, banner)
        assert response.status_code in (302, 403)
        assert not BreakingBanner.objects.exists()
    response = signed_in(desked.chief).post(add_banner, banner)
    assert response.status_code == 302
    assert BreakingBanner.objects.get().text == "Polls are closed"

    site = Site.objects.get(is_default_site=True)
    settings_url = reverse("wagtailsettings:edit", args=("core", "sitesettings",
                                                          site.pk))  # fmt: skip
    assert signed_in(desked.editor).get(settings_url).status_code in (302, 403)
    assert signed_in(desked.chief).get(settings_url).status_code == 200


def test_permissions_the_migration_creates_are_named_as_django_names_them() -> None:
    banner = Permission.objects.get(codename="add_breakingbanner")
    assert banner.name == "Can add breaking news banner"
