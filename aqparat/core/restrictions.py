"""Wagtail's page view restrictions, asked about once for the whole site.

Wagtail reads the restrictions on every page it serves (two queries) and in every
`public()` listing (one query, all of them). Most sites have none; whether any exists
is kept in the shared cache, retired by saving or deleting one, so a page or a
listing on such a site costs no query for them.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import QuerySet
from wagtail.models import PageViewRestriction

from aqparat.core.cache import generation, generation_key, generation_retire

GENERATION_KEY = generation_key("core:restrictions:generation")
_KEY = "core:restrictions:v1:exist:{generation}"
_SECONDS = 24 * 3600

PagesT = TypeVar("PagesT", bound=QuerySet[Any])


def view_restrictions_exist() -> bool:
    return bool(
        cache.get_or_set(exist_key(), PageViewRestriction.objects.exists, _SECONDS)
    )


def exist_key() -> str:
    """The cache key of whether any restriction exists (routing prefetches it)."""
    return _KEY.format(generation=generation(GENERATION_KEY))


def restrictions_changed(**kwargs: Any) -> None:
    generation_retire(GENERATION_KEY)


def pages_public(queryset: PagesT) -> PagesT:
    """Wagtail's `public()`, without its query where no restriction exists."""
    if not view_restrictions_exist():
        return queryset
    public: PagesT = queryset.public()  # type: ignore[attr-defined]
    return public
