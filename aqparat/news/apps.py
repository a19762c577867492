from typing import Any

from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "aqparat.news"
    label = "news"

    def ready(self) -> None:
        from wagtail.signals import page_published, page_unpublished

        page_published.connect(_clear_edition_nav, dispatch_uid="news-nav-published")
        page_unpublished.connect(
            _clear_edition_nav, dispatch_uid="news-nav-unpublished"
        )


def _clear_edition_nav(sender: Any, instance: Any, **kwargs: Any) -> None:
    """The cached navigation lists homes, sections and tag indexes: keep it true."""
    from aqparat.news.models import ArticlePage
    from aqparat.news.selectors import edition_nav_clear

    if not isinstance(instance, ArticlePage):
        edition_nav_clear(language_code=instance.locale.language_code)
