from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from aqparat.core.dashboard import DashboardPanel
from aqparat.core.menu import PermissionMenuItem
from aqparat.telegram import views
from aqparat.telegram.selectors import outbox_problems
from aqparat.telegram.services import outbox_article_copied


@hooks.register("register_admin_urls")
def telegram_urls() -> list[URLPattern]:
    return [
        path("reports/telegram/", views.outbox_report, name="telegram_outbox"),
        path(
            "reports/telegram/<int:post_id>/<slug:action>/",
            views.post_action,
            name="telegram_post_action",
        ),
    ]


@hooks.register("register_reports_menu_item")
def telegram_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Telegram posts"),
        reverse("telegram_outbox"),
        name="telegram-posts",
        icon_name="mail",
        order=960,
        permission="telegram.view_telegrampost",
    )


@hooks.register("after_copy_page")
def copies_do_not_post(request: HttpRequest, page: Any, new_page: Any) -> None:
    """The admin's copy (of an article, or of a section with its articles) goes
    through Wagtail's CopyPageAction, not ArticlePage.copy(): pair each original
    with its copy in tree order and mark the copies as already posted."""
    from aqparat.news.models import ArticlePage

    originals = [page, *page.get_descendants().order_by("path")]
    copies = [new_page, *new_page.get_descendants().order_by("path")]
    for original, copy in zip(originals, copies, strict=False):
        original, copy = original.specific, copy.specific
        if isinstance(original, ArticlePage) and isinstance(copy, ArticlePage):
            outbox_article_copied(original=original, copy=copy)


@hooks.register("construct_homepage_panels")
def telegram_problems_panel(request: HttpRequest, panels: list[Any]) -> None:
    if not request.user.has_perm("telegram.view_telegrampost"):
        return
    problems = outbox_problems()
    if problems.total:
        # While a post failed or may have gone out twice-or-never.
        panels.append(
            DashboardPanel(
                name="telegram_problems", order=50,
                template_name="telegram/admin/problems_panel.html",
                context={"problems": problems},
            )
        )  # fmt: skip
