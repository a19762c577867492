from typing import Any

from django.apps import AppConfig


class TranslitConfig(AppConfig):
    name = "aqparat.translit"
    label = "translit"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_delete
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from aqparat.translit.models import LatinSpelling

        page_published.connect(_published, dispatch_uid="translit-published")
        page_unpublished.connect(_unpublished, dispatch_uid="translit-unpublished")
        post_page_move.connect(_moved, dispatch_uid="translit-moved")
        pre_delete.connect(_deleted, sender=Page, dispatch_uid="translit-deleted")
        post_save.connect(
            _spelling_saved, sender=LatinSpelling, dispatch_uid="translit-sp"
        )
        post_delete.connect(
            _spelling_saved, sender=LatinSpelling, dispatch_uid="translit-spd"
        )


def _published(sender: Any, instance: Any, **kwargs: Any) -> None:
    from aqparat.translit.services import latin_edition_sync

    latin_edition_sync(page=instance)


def _unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    from aqparat.translit.services import latin_edition_unpublish

    latin_edition_unpublish(page=instance)


def _moved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from aqparat.translit.services import latin_edition_move

    latin_edition_move(page=instance)


def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from aqparat.translit.services import latin_edition_delete

    latin_edition_delete(page=instance)


def _spelling_saved(**kwargs: Any) -> None:
    from django.core.cache import cache

    from aqparat.translit.selectors import SPELLINGS_CACHE_KEY

    cache.delete(SPELLINGS_CACHE_KEY)
