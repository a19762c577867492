from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.action_menu import PublishMenuItem
from wagtail.admin.viewsets.pages import PageViewSet

from aqparat.core.dashboard import DashboardPanel
from aqparat.news.models import ArticlePage, HomePage, SectionPage, TagIndexPage
from aqparat.newsroom.scheduling import (
    SchedulePublishMenuItem,
    approved_schedule_confirmation,
    scheduled_confirmation,
)
from aqparat.newsroom.selectors import dashboard_visible, newsroom_day
from aqparat.newsroom.stories import StoriesViewSet
from aqparat.newsroom.views import NewsPageCreateView


@hooks.register("register_admin_viewset")
def news_page_viewsets() -> list[PageViewSet]:
    """News pages are created through NewsPageCreateView: one page per create form."""
    return [
        PageViewSet(f"newsroom_{model._meta.model_name}", model=model,
                    add_view_class=NewsPageCreateView)
        for model in (ArticlePage, SectionPage, HomePage, TagIndexPage)
    ]  # fmt: skip


@hooks.register("register_admin_viewset")
def all_stories() -> StoriesViewSet:
    return StoriesViewSet()


@hooks.register("construct_page_action_menu")
def publish_says_when(
    menu_items: list[Any], request: HttpRequest, context: Any
) -> None:
    """The publish button reads "Schedule for <time>" when a go-live time is set."""
    for index, item in enumerate(menu_items):
        if type(item) is PublishMenuItem:
            menu_items[index] = SchedulePublishMenuItem(order=item.order)


@hooks.register("insert_editor_js")
def autosave_keeps_pace() -> str:
    """Text typed while an autosave is under way is saved by the next one
    (static/js/admin-autosave.js says why Wagtail's own autosave does not)."""
    return format_html(
        '<script src="{}" defer></script>', static("js/admin-autosave.js")
    )


@hooks.register("after_publish_page")
@hooks.register("after_create_page")
def scheduled_says_when(request: HttpRequest, page: Any) -> HttpResponse | None:
    return scheduled_confirmation(request, page)


@hooks.register("after_edit_page")
def approved_says_when(request: HttpRequest, page: Any) -> None:
    approved_schedule_confirmation(request, page)


@hooks.register("before_delete_page")
def deleting_needs_publish_rights(
    request: HttpRequest, page: Any
) -> HttpResponse | None:
    """Only those who may publish a page may delete it, except a journalist's own
    draft that was never published and is not with the desk (in review, approved or
    scheduled): work they started and abandoned, which only they see. The hook runs
    for GET and POST, so a direct POST is refused too."""
    if own_abandoned_draft(request.user, page):
        return None
    return _editors_only(request, page, _("Only an editor can delete this page."))


def own_abandoned_draft(user: Any, page: Any) -> bool:
    """A page `user` wrote that never went live and that no desk has in hand."""
    page = getattr(page, "specific", page)
    return bool(
        page.owner_id == user.pk
        and page.first_published_at is None
        and not page.live
        and page.alias_of_id is None
        and page.is_leaf()
        and not page.workflow_in_progress
        and not page.revisions.filter(approved_go_live_at__isnull=False).exists()
    )


@hooks.register("before_move_page")
def moving_needs_publish_rights(
    request: HttpRequest, page: Any, destination: Any
) -> HttpResponse | None:
    """Wagtail lets the author of a page that is not live move it anywhere they may
    add pages: an approved, scheduled story would go live in a section its desk
    never approved it for."""
    return _editors_only(request, page, _("Only an editor can move this page."))


@hooks.register("before_convert_alias_page")
def converting_an_alias_needs_publish_rights(
    request: HttpRequest, page: Any
) -> HttpResponse | None:
    """A Latin-edition page converted into an ordinary page stops following its
    Kazakh source (and its corrections)."""
    return _editors_only(request, page, _("Only an editor can convert this page."))


def _editors_only(request: HttpRequest, page: Any, refusal: str) -> HttpResponse | None:
    """None (go on) for whoever may publish the page; else back to it, saying why."""
    if page.permissions_for_user(request.user).can_publish():
        return None
    messages.error(request, refusal)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def bulk_changes_need_publish_rights(
    request: HttpRequest, action_type: str, objects: list[Any], action_class: Any
) -> HttpResponse | None:
    if action_type not in ("delete", "move"):
        return None
    for obj in objects:
        permissions = getattr(obj, "permissions_for_user", None)
        if action_type == "delete" and own_abandoned_draft(request.user, obj):
            continue
        if permissions is not None and not permissions(request.user).can_publish():
            messages.error(request, _("Only an editor can delete or move pages."))
            return redirect("wagtailadmin_home")
    return None


@hooks.register("construct_homepage_panels")
def newsroom_panel(request: HttpRequest, panels: list[Any]) -> None:
    if dashboard_visible(request.user):
        # The editors' day; Wagtail's own "Awaiting your review" sits beside it.
        panels.append(
            DashboardPanel(
                name="newsroom_day", order=40,
                template_name="newsroom/admin/dashboard_panel.html",
                context={"day": newsroom_day()},
            )
        )  # fmt: skip
