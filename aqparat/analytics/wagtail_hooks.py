from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from aqparat.analytics import admin_views
from aqparat.core.menu import PermissionMenuItem


@hooks.register("register_admin_urls")
def audience_urls() -> list[URLPattern]:
    return [
        path("reports/audience/", admin_views.audience_report, name="audience_report"),
        path(
            "reports/audience/article/<int:page_id>/",
            admin_views.article_audience,
            name="audience_article",
        ),
    ]


@hooks.register("register_reports_menu_item")
def audience_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Audience"), reverse("audience_report"), name="audience",
        icon_name="view", order=940,
        permission="analytics.view_audience",
    )  # fmt: skip
