"""The Wagtail site of a request, from the shared cache.

Wagtail looks the site up with a query on every request that needs it (page serving,
absolute URLs, settings); the sites of a deployment change about never. Saving or
deleting one moves a generation on (core/apps.py).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import (
    SITE_ROOT_PATHS_CACHE_KEY,
    SITE_ROOT_PATHS_CACHE_VERSION,
)

from aqparat.core.cache import (
    generation,
    generation_key,
    generation_retire,
    request_key,
)

SITES_GENERATION_KEY = generation_key("core:sites:generation")
_SITE_KEY = "core:sites:v1:{generation}:{host}:{port}"
# A site, and the edition roots found from it (core/routing.py), also expire.
SITE_SECONDS = 300
# Wagtail reads its site root paths (every `.url`) at least twice a page.
request_key(SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION)


def site_for_request(request: HttpRequest) -> Site | None:
    """Wagtail's `Site.find_for_request`, answered from the shared cache for the
    hosts this deployment serves (ALLOWED_HOSTS): any other Host header is looked
    up as Wagtail does, so no client can fill the cache with made-up hosts. Kept on
    the request where Wagtail looks for it, so its own lookups after this one are
    free too."""
    if hasattr(request, "_wagtail_site"):
        known: Site | None = request._wagtail_site
        return known
    request._wagtail_site = _site_for_request(request)  # type: ignore[attr-defined]
    return request._wagtail_site  # type: ignore[attr-defined]


def _site_for_request(request: HttpRequest) -> Site | None:
    try:
        host, port = split_domain_port(request.get_host())[0], request.get_port()
    except DisallowedHost:
        site: Site | None = Site._find_for_request(request)
        return site
    key = _SITE_KEY.format(
        generation=generation(SITES_GENERATION_KEY), host=host, port=port
    )
    # Django's get_or_set keeps a None too (no site for the host): asked once.
    found: Site | None = cache.get_or_set(
        key, lambda: Site._find_for_request(request), SITE_SECONDS
    )
    return found


def sites_changed(**kwargs: Any) -> None:
    """A site saved or deleted: every process looks sites up again."""
    generation_retire(SITES_GENERATION_KEY)
