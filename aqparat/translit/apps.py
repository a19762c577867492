from typing import Any

from django.apps import AppConfig


class TranslitConfig(AppConfig):
    name = "aqparat.translit"
    label = "translit"

    def ready(self) -> None:
        from django.db.models.signals import (
            m2m_changed,
            post_delete,
            post_save,
            pre_delete,
        )
        from wagtail.models import Page, PageViewRestriction
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
        for signal, uid in ((post_save, "translit-vr"), (post_delete, "translit-vrd")):
            signal.connect(_restricted, sender=PageViewRestriction, dispatch_uid=uid)
        m2m_changed.connect(
            _restricted,
            sender=PageViewRestriction.groups.through,
            dispatch_uid="translit-vrg",
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


def _restricted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from wagtail.models import Page

    from aqparat.translit.services import latin_edition_restrictions_sync

    if kwargs.get("action", "post_").startswith("post_"):
        # The page is gone when a deleted page takes its restriction with it.
        page = Page.objects.filter(pk=instance.page_id).first()
        if page is not None:
            latin_edition_restrictions_sync(page=page)


def _spelling_saved(**kwargs: Any) -> None:
    from django.core.cache import cache

    from aqparat.translit.selectors import SPELLINGS_CACHE_KEY

    cache.delete(SPELLINGS_CACHE_KEY)
