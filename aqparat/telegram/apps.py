from typing import Any

from django.apps import AppConfig


class TelegramConfig(AppConfig):
    name = "aqparat.telegram"
    label = "telegram"
    verbose_name = "Telegram"

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from wagtail.signals import page_unpublished

        from aqparat.news.models import ArticlePage
        from aqparat.news.signals import article_copied

        post_save.connect(_article_saved, sender=ArticlePage, dispatch_uid="tg-saved")
        page_unpublished.connect(
            _article_unpublished, sender=ArticlePage, dispatch_uid="tg-unpublished"
        )
        article_copied.connect(_article_copied, dispatch_uid="tg-copied")
        from aqparat.core.routing import page_keys
        from aqparat.telegram.selectors import follow_page_keys

        page_keys(follow_page_keys)


def _article_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Runs inside ArticlePage.save()'s transaction, so the outbox row and the
    publication commit or roll back together."""
    from aqparat.telegram.services import outbox_article_saved

    outbox_article_saved(
        page=instance,
        created=bool(kwargs.get("created")),
        update_fields=kwargs.get("update_fields"),
    )


def _article_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    from aqparat.telegram.services import outbox_article_unpublished

    outbox_article_unpublished(page=instance)


def _article_copied(sender: Any, original: Any, copy: Any, **kwargs: Any) -> None:
    from aqparat.telegram.services import outbox_article_copied

    outbox_article_copied(original=original, copy=copy)
