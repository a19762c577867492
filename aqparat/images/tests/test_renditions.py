"""The article page's renditions exist before the first reader arrives."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any
from unittest.mock import patch

import pytest
from django.test import Client, override_settings
from django.utils import translation

from aqparat.images.models import CustomImage, CustomRendition
from aqparat.images.renditions import ALL_RENDITIONS, LEAD_RENDITIONS
from aqparat.news.tests.factories import (
    ArticlePageFactory,
    CustomImageFactory,
    newsroom_build,
    publish,
)

pytestmark = pytest.mark.django_db


def specs(image: Any) -> set[str]:
    return set(
        CustomRendition.objects.filter(image=image).values_list(
            "filter_spec", flat=True
        )
    )


def test_saving_a_photo_makes_its_renditions(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        image = CustomImageFactory()
    assert specs(image) == set(ALL_RENDITIONS)


def test_publishing_an_article_makes_missing_renditions_and_readers_make_none(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    newsroom = newsroom_build()
    image = CustomImageFactory()  # its save-time renditions never ran
    assert specs(image) == set()
    article = ArticlePageFactory(
        parent=newsroom.section, lead_image=image, live=False,
        first_published_at=None, last_published_at=None,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        publish(article)
    assert specs(image) == set(ALL_RENDITIONS)
    made = CustomRendition.objects.count()
    assert Client().get(article.url).status_code == 200
    assert CustomRendition.objects.count() == made


def test_readers_read_renditions_without_writing_them_to_the_cache(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """Wagtail writes a rendition back to the cache each time it reads one; a page
    with photos would write to the shared cache on every view."""
    newsroom = newsroom_build()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            ArticlePageFactory(parent=newsroom.section, lead_image=CustomImageFactory())
    for url in (newsroom.home.url, newsroom.section.url):
        Client().get(url)  # the first readers may fill the cache
    backend = CustomRendition.cache_backend
    with (
        patch.object(backend, "set", wraps=backend.set) as single,
        patch.object(backend, "set_many", wraps=backend.set_many) as many,
    ):
        for url in (newsroom.home.url, newsroom.section.url):
            assert Client().get(url).status_code == 200
    written = [c.args[0] for c in single.call_args_list] + [
        key for c in many.call_args_list for key in c.args[0]
    ]
    assert [key for key in written if key.startswith("wagtail-rendition-")] == []


def test_a_page_parses_no_filter_spec_its_first_render_parsed(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """Wagtail's image tags make a new Filter at every render, and parsing one
    inspects each operation's signature: done once a process, not once a view."""
    from wagtail.images import image_operations

    newsroom = newsroom_build()
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticlePageFactory(
            parent=newsroom.section, lead_image=CustomImageFactory()
        )
    for url in (article.url, newsroom.home.url):
        assert Client().get(url).status_code == 200
    with patch.object(
        image_operations.Operation,
        "__init__",
        autospec=True,
        side_effect=image_operations.Operation.__init__,
    ) as parsed:
        for url in (article.url, newsroom.home.url):
            assert Client().get(url).status_code == 200
    assert parsed.call_count == 0


def test_a_cached_rendition_holds_no_copy_of_its_image(
    django_capture_on_commit_callbacks: Callable[..., Any],
    django_assert_num_queries: Callable[..., Any],
) -> None:
    """Wagtail sets the image it is asked from on every rendition it reads back, so
    the image's row inside each cached rendition was only read and thrown away."""
    with django_capture_on_commit_callbacks(execute=True):
        image = CustomImageFactory(credit="MFA")
    rendition = image.get_rendition("fill-640x360|format-webp")
    assert rendition.image is image  # as Wagtail hands it out
    kept = pickle.loads(pickle.dumps(rendition))  # noqa: S301 (our own bytes)
    assert "image" not in kept._state.fields_cache
    assert pickle.dumps(image) not in pickle.dumps(rendition)
    assert rendition.image is image  # the rendition handed out keeps it
    image = CustomImage.objects.get(pk=image.pk)  # a new reader, the cache warm
    with django_assert_num_queries(0):
        (read,) = image.get_renditions("fill-640x360|format-webp").values()
        assert read.image is image
        assert read.url == rendition.url


def test_an_image_kept_with_its_renditions_links_them_back(
    django_capture_on_commit_callbacks: Callable[..., Any],
    django_assert_num_queries: Callable[..., Any],
) -> None:
    """An article's fragment keeps its lead photo with the renditions the page
    shows (news.selectors.article_detail): read back, each rendition's image is
    that photo, so Wagtail's `<img>` (its alt text) asks the database nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        image = CustomImageFactory(credit="MFA", alt_en="Delegations in Almaty")
    spec = "fill-640x360|format-webp"
    image = CustomImage.objects.prefetch_renditions(spec).get(pk=image.pk)
    kept = pickle.loads(pickle.dumps(image))  # noqa: S301 (our own bytes)
    with django_assert_num_queries(0), translation.override("en"):
        (rendition,) = kept.get_renditions(spec).values()
        assert rendition.image is kept
        assert 'alt="Delegations in Almaty"' in rendition.img_tag()


@override_settings(AQPARAT_FRAGMENT_CACHE=True)
def test_a_reader_before_the_worker_makes_the_renditions_once() -> None:
    """The story's fragment keeps its photo with the renditions it found: one a
    reader had to make must be in it too, or every later view (Wagtail trusting
    the prefetch) would make that file again."""
    newsroom = newsroom_build()
    image = CustomImageFactory()  # its save-time renditions never ran
    article = ArticlePageFactory(parent=newsroom.section, lead_image=image)
    assert Client().get(article.url).status_code == 200
    made = specs(image)
    assert made >= set(LEAD_RENDITIONS)
    with patch.object(
        CustomImage, "generate_rendition_file", autospec=True
    ) as generated:
        for _ in range(2):
            assert Client().get(article.url).status_code == 200
    assert generated.call_count == 0
    assert specs(image) == made
