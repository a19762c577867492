from typing import Any

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, NumberColumn

from aqparat.analytics import admin_views
from aqparat.analytics.models import PageViewCount
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


@hooks.register("aqparat_story_listing_columns")  # newsroom's "All stories"
def views_column() -> tuple[Column, dict[str, Any]]:
    """The stored reader views of each story (a row per page; none: 0)."""
    # A subquery, not a join: the listing's count of every story then leaves it out
    # (Django drops an unused annotation, not a join), at 100 000 stories most of a
    # request's time on SQLite.
    stored = PageViewCount.objects.filter(page=OuterRef("pk")).values("views")[:1]
    views = Coalesce(Subquery(stored), Value(0))
    return NumberColumn("views", label=_("Views"), sort_key="views"), {"views": views}
