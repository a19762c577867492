"""Site-wide read helpers."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from aqparat.core.cache import generation as cache_generation
from aqparat.core.cache import generation_key
from aqparat.core.models import SiteSettings
from aqparat.core.sites import site_for_request


def listing_page_of(*, items: Any, page_number: str | None, per_page: int) -> Page[Any]:
    """One page of a listing, forgiving any `?page=` a reader or crawler sends.

    Not a number (`?page=abc`) gives the first page and past the end (`?page=99999`)
    gives the last, so a listing never answers 500 for a hand-edited URL.
    """
    return Paginator(items, per_page, allow_empty_first_page=True).get_page(page_number)


SITE_SETTINGS_GENERATION_KEY = generation_key("core:site-settings:generation")


def site_settings_for_request(*, request: HttpRequest) -> SiteSettings:
    """The site's settings through the cache, keyed by host: every page reads them,
    so a warm page spends no query on them, not even to find its Site. Saving any
    settings moves the generation on (core/apps.py). A page asks several times; the
    request keeps what the first time read."""
    known: SiteSettings | None = getattr(request, "_aqparat_site_settings", None)
    if known is not None:
        return known
    cached: SiteSettings | None = cache.get(site_settings_key(request))
    if cached is None:
        site = site_for_request(request)
        # for_site creates the row on first use, which moves the generation on: the
        # key is taken afterwards.
        cached = SiteSettings.for_site(site) if site else SiteSettings()
        cache.set(site_settings_key(request), cached, 3600)
    request._aqparat_site_settings = cached  # type: ignore[attr-defined]
    return cached


def site_settings_key(request: HttpRequest) -> str:
    """The cache key of the site's settings for this host (routing prefetches it)."""
    generation = cache_generation(SITE_SETTINGS_GENERATION_KEY)
    return f"core:site-settings:{generation}:{request.get_host()}"
