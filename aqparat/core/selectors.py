"""Site-wide read helpers."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from wagtail.models import Site

from aqparat.core.models import SiteSettings


def listing_page_of(*, items: Any, page_number: str | None, per_page: int) -> Page[Any]:
    """One page of a listing, forgiving any `?page=` a reader or crawler sends.

    Not a number (`?page=abc`) gives the first page and past the end (`?page=99999`)
    gives the last, so a listing never answers 500 for a hand-edited URL.
    """
    return Paginator(items, per_page, allow_empty_first_page=True).get_page(page_number)


SITE_SETTINGS_CACHE_KEY = "core:site-settings:v1:{site_id}"


def site_settings_for_request(*, request: HttpRequest) -> SiteSettings:
    """The site's settings through the cache: every page reads them, so a warm page
    spends no query on them. Saving the settings clears the entry (core/apps.py)."""
    site = Site.find_for_request(request)
    key = SITE_SETTINGS_CACHE_KEY.format(site_id=site.pk if site else 0)
    cached: SiteSettings | None = cache.get(key)
    if cached is None:
        cached = SiteSettings.for_site(site) if site else SiteSettings()
        cache.set(key, cached, 3600)
    return cached
