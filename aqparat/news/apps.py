from typing import Any

from django.apps import AppConfig
from django.db import transaction


class NewsConfig(AppConfig):
    name = "aqparat.news"
    label = "news"

    def ready(self) -> None:
        from wagtail.signals import (
            copy_for_translation_done,
            page_published,
            page_unpublished,
        )

        copy_for_translation_done.connect(
            _translation_made, dispatch_uid="news-translated"
        )
        from django.db.models.signals import post_delete, post_save

        from aqparat.news.models import BreakingBanner

        for signal in (post_save, post_delete):
            signal.connect(_banner_changed, sender=BreakingBanner,
                           dispatch_uid=f"news-banner-{id(signal)}")  # fmt: skip
        page_published.connect(_clear_edition_nav, dispatch_uid="news-nav-published")
        page_published.connect(
            _article_renditions, dispatch_uid="news-article-renditions"
        )
        page_unpublished.connect(
            _clear_edition_nav, dispatch_uid="news-nav-unpublished"
        )


def _clear_edition_nav(sender: Any, instance: Any, **kwargs: Any) -> None:
    """The cached navigation lists homes, sections and tag indexes: keep it true."""
    from aqparat.news.models import ArticlePage
    from aqparat.news.selectors import edition_nav_clear

    if not isinstance(instance, ArticlePage):
        edition_nav_clear(language_code=instance.locale.language_code)


def _article_renditions(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Publishing an article makes its photos' renditions, if they are not there."""
    from aqparat.images.tasks import renditions_prepare
    from aqparat.news.models import ArticlePage

    if isinstance(instance, ArticlePage):
        image_ids = [image.pk for image in instance.images_used()]
        if image_ids:
            transaction.on_commit(lambda: renditions_prepare(image_ids))


def _translation_made(
    sender: Any, source_obj: Any, target_obj: Any, **kwargs: Any
) -> None:
    """Record the source revision of every translation an editor starts (aliases, such
    as the Latin edition, are copies rather than translations)."""
    from wagtail.models import Page

    from aqparat.news.services import translation_source_record

    if isinstance(target_obj, Page) and target_obj.alias_of_id is None:
        translation_source_record(translation=target_obj, source=source_obj)


def _banner_changed(sender: Any, **kwargs: Any) -> None:
    from aqparat.news.selectors import breaking_banner_clear

    breaking_banner_clear()
