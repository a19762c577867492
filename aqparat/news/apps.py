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
        page_published.connect(_breaking_story, dispatch_uid="news-breaking-story")
        page_published.connect(
            _article_renditions, dispatch_uid="news-article-renditions"
        )
        page_unpublished.connect(
            _clear_edition_nav, dispatch_uid="news-nav-unpublished"
        )
        from django.db.models.signals import pre_delete
        from wagtail.signals import post_page_move

        for signal in (page_published, page_unpublished, post_page_move, pre_delete):
            signal.connect(_banner_story_changed,
                           dispatch_uid=f"news-banner-story-{id(signal)}")  # fmt: skip
        _connect_page_cache()
        _connect_live_from()
        from aqparat.core.routing import edition_keys, page_keys
        from aqparat.news.selectors import edition_cache_keys, page_fragment_keys

        edition_keys(edition_cache_keys)
        page_keys(page_fragment_keys)


def _connect_live_from() -> None:
    """Keep ArticlePage.live_from true where the page itself is not saved after the
    change: scheduling or unscheduling a revision (Wagtail saves only the revision;
    "cancel schedule" too), and unpublishing (Wagtail clears the approved times
    after it saves the page)."""
    from django.db.models.signals import post_save
    from wagtail.models import Revision
    from wagtail.signals import page_unpublished

    post_save.connect(_revision_saved, sender=Revision, dispatch_uid="news-live-from")
    page_unpublished.connect(_live_from_refresh, dispatch_uid="news-live-from")


def _revision_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    from aqparat.news.models import ArticlePage

    if created and instance.approved_go_live_at is None:
        return  # a new draft revision: the story's schedule is unchanged
    if instance.content_type_id != _article_type_id():
        return
    ArticlePage(pk=int(instance.object_id)).live_from_refresh()


def _live_from_refresh(sender: Any, instance: Any, **kwargs: Any) -> None:
    from aqparat.news.models import ArticlePage

    if isinstance(instance, ArticlePage):
        instance.live_from_refresh()


def _article_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    from aqparat.news.models import ArticlePage

    return ContentType.objects.get_for_model(ArticlePage).pk


def _connect_page_cache() -> None:
    """What retires cached pages (core/pagecache.py): a page that goes live, leaves,
    moves or is deleted retires its story in every edition and every listing; an
    edit of what many pages print (a photo's credit, a byline, a source, a tag's
    name, a Latin spelling) retires every page. (Here rather than in `translit` or
    `images`: the page cache is ours to keep, and they sit below us.)"""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from aqparat.images.models import CustomImage
    from aqparat.news.models import ArticleTag, Author, Source
    from aqparat.translit.models import LatinSpelling

    page_published.connect(_page_changed, dispatch_uid="news-pagecache-published")
    page_unpublished.connect(_page_changed, dispatch_uid="news-pagecache-unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="news-pagecache-moved")
    post_delete.connect(_page_deleted, dispatch_uid="news-pagecache-deleted")
    for model in (CustomImage, Author, Source, ArticleTag):
        uid = f"news-pagecache-{model.__name__}"
        post_save.connect(_printed_everywhere_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_printed_everywhere_deleted, sender=model, dispatch_uid=uid)
    # A new spelling changes Latin pages at once (new photos, bylines print nowhere).
    for signal in (post_save, post_delete):
        uid = f"news-pagecache-spelling-{id(signal)}"
        signal.connect(
            _printed_everywhere_deleted, sender=LatinSpelling, dispatch_uid=uid
        )


def _page_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from wagtail.models import Page

    from aqparat.core.frontcache import front_cache_enabled
    from aqparat.core.pagecache import ALL, CONTENT, retire, story
    from aqparat.news.models import ArticlePage

    urls: list[str] = []
    if front_cache_enabled():
        # Its pages' addresses (a 404 fetched before it went live is not in the
        # page cache's index), and their sections and edition homes, the pages
        # readers reload most, should the index have been lost (Redis evicts).
        pages = list(Page.objects.filter(translation_key=instance.translation_key))
        listings = Page.objects.none()
        for page in pages:
            listings |= Page.objects.ancestor_of(page).filter(depth__gt=1)
        urls = [url for p in (*pages, *listings) if (url := p.get_full_url())]
    retire(CONTENT, story(instance.translation_key), urls=urls)
    if not isinstance(instance, ArticlePage):
        retire(ALL)  # a home, section or tag index: navigation on every page


def _page_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page) and instance.live:
        _page_changed(sender, instance)


def _printed_everywhere_saved(sender: Any, created: bool, **kwargs: Any) -> None:
    if not created:  # nothing prints what was just made
        _printed_everywhere_deleted(sender)


def _printed_everywhere_deleted(sender: Any, **kwargs: Any) -> None:
    from aqparat.core.pagecache import ALL, retire

    retire(ALL)


def _banner_story_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A banner leads to its story's live page in each edition: when one of them
    goes live, leaves, moves or is deleted, the cached banners move on."""
    from wagtail.models import Page

    from aqparat.news.selectors import breaking_banner_clear, breaking_banner_shows

    if isinstance(instance, Page) and breaking_banner_shows(
        translation_key=instance.translation_key
    ):
        breaking_banner_clear()


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
    as the Latin edition, are copies rather than translations), and let its own
    section decide what a new story there decides."""
    from wagtail.models import Page

    from aqparat.news.models import ArticlePage
    from aqparat.news.services import (
        translation_follows_its_section,
        translation_source_record,
    )

    if isinstance(target_obj, Page) and target_obj.alias_of_id is None:
        translation_source_record(translation=target_obj, source=source_obj)
        if isinstance(target_obj, ArticlePage):
            translation_follows_its_section(translation=target_obj)


def _breaking_story(sender: Any, instance: Any, **kwargs: Any) -> None:
    from aqparat.news.models import ArticlePage
    from aqparat.news.services import breaking_banner_for_story

    if isinstance(instance, ArticlePage):
        breaking_banner_for_story(page=instance)


def _banner_changed(sender: Any, **kwargs: Any) -> None:
    from aqparat.news.selectors import breaking_banner_clear

    breaking_banner_clear()
