from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from aqparat.analytics import admin_views


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


class _ReportItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("analytics.view_audience"))


@hooks.register("register_reports_menu_item")
def audience_menu_item() -> MenuItem:
    return _ReportItem(
        _("Audience"), reverse("audience_report"), name="audience",
        icon_name="view", order=940,
    )  # fmt: skip
