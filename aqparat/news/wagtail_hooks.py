from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from aqparat.news import views
from aqparat.news.models import Author, BreakingBanner, Source

register_snippet(Author)
register_snippet(Source)
register_snippet(BreakingBanner)


@hooks.register("register_admin_urls")
def translation_urls() -> list[URLPattern]:
    return [
        path(
            "reports/translations/",
            views.translation_status_report,
            name="news_translation_status",
        ),
        path(
            "translations/<int:page_id>/into/<str:language>/",
            views.translate_view,
            name="news_translate",
        ),
        path(
            "translations/<int:page_id>/mark-current/",
            views.translation_mark_current_view,
            name="news_translation_mark_current",
        ),
    ]


@hooks.register("register_reports_menu_item")
def translation_status_menu_item() -> MenuItem:
    return MenuItem(
        _("Translation status"),
        reverse("news_translation_status"),
        name="translation-status",
        icon_name="site",
        order=950,
    )
