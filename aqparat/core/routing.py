"""Public pages found without walking the page tree.

Wagtail finds a page by walking from the site's root one level at a time, two queries
a level (the child, then its specific row), after a query for the site and one for
the locale: six to eight queries and about a quarter of an uncached article's render
before anything of the article is read. Here a known address costs one query:

- the site of a host and port, and the edition root of a language, come from the
  shared cache (retired when a site is saved or deleted; a root also expires);
- a page's address maps to its id and type in the shared cache, and the page is
  read with one query that also checks it still has that address. The map needs no
  retirement: an entry that no longer matches is a miss, then the lookup by slug
  runs (an indexed query), and anything that lookup cannot resolve (routes of
  routable pages, addresses of no page) goes to Wagtail's own routing.

Wagtail reads the result from the request (`_wagtail_site`,
`_wagtail_route_for_request`), so everything after routing (view restrictions,
`serve`, the hooks) is Wagtail's own.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from wagtail.models import Page, Site
from wagtail.views import serve as wagtail_serve

from aqparat.core.cache import generation, prefetch
from aqparat.core.prepared import PreparedQuery
from aqparat.core.restrictions import exist_key
from aqparat.core.selectors import site_settings_key
from aqparat.core.sites import SITE_SECONDS, SITES_GENERATION_KEY, site_for_request

_ROOT_KEY = "core:routing:v1:root:{generation}:{site}:{language}"
# The site, the language and the path: known before the edition root is read, so the
# address is asked for with it.
_ADDRESS_KEY = "core:routing:v2:address:{digest}"
ADDRESS_SECONDS = 24 * 3600
_EDITION_KEYS: list[Callable[[str], list[str]]] = []


def edition_keys(provider: Callable[[str], list[str]]) -> None:
    """Register what (almost) every page of an edition reads from the shared cache,
    named by `provider(language)`: routing asks for those keys with the edition
    root and the page's address, in one round trip. The features register theirs
    when their app is ready (they sit above core, which cannot name them)."""
    _EDITION_KEYS.append(provider)


_PAGE_KEYS: list[Callable[[HttpRequest, Page], list[str]]] = []
_PAGE_VALUES: dict[str, Callable[[type[Page]], Any]] = {}


def page_value(name: str, expression: Callable[[type[Page]], Any]) -> None:
    """Register a value a feature shows on a page's own view, read by the page's
    one query as the attribute `name` (a scalar subquery, `expression(model)`, or
    None for a page type that does not show it) instead of by a query of its own:
    the view counter is read so. Registered when the feature's app is ready, before
    the first request compiles the query; a page found otherwise (Wagtail's
    routing, a preview) has no attribute `name`, and the feature asks itself."""
    _PAGE_VALUES[name] = expression


def page_keys(provider: Callable[[HttpRequest, Page], list[str]]) -> None:
    """Register what a page is about to read from the shared cache once it is
    found, named by `provider(request, page)` (its fragments, the ticker): asked
    for in one round trip, after the site settings and navigation are known."""
    _PAGE_KEYS.append(provider)


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's page view, with the page found by `route` where it can be."""
    site = site_for_request(request)
    if site is not None:
        components = [component for component in path.split("/") if component]
        # What every page reads next, asked for together: the edition root, the
        # page's address, whether any view restriction exists, the site settings,
        # and what the features registered (navigation, banner, most read).
        language = translation.get_language() or ""
        keys = [_root_key(site), _address_key(site, components), exist_key()]
        keys.append(site_settings_key(request))
        keys.extend(key for provider in _EDITION_KEYS for key in provider(language))
        prefetch([(key, None) for key in keys])
        page = route(site, components)
        if page is not None:
            prefetch(
                [
                    (key, None)
                    for provider in _PAGE_KEYS
                    for key in provider(request, page)
                ]
            )
            try:
                result = page.route(request, [])  # live, or a routable page's index
            except Http404:
                result = None
            request._wagtail_route_for_request = result  # type: ignore[attr-defined]
    return wagtail_serve(request, path)


def route(site: Site, components: list[str]) -> Page | None:
    """The specific page at `components` under the site's root in the active
    language, or None where Wagtail's own routing must decide."""
    root_id, root_type, root_path, root_url_path, root_depth = _edition_root(site)
    url_path = root_url_path + "".join(f"{c}/" for c in components)
    if not components:
        return _specific((root_id, root_type), url_path)
    key = _address_key(site, components)
    known: tuple[int, int] | None = cache.get(key)
    if known is not None:
        page = _specific(known, url_path)
        if page is not None:
            return page
    rows = Page.objects.filter(
        path__startswith=root_path,
        depth=root_depth + len(components),
        slug=components[-1],
        url_path=url_path,
    ).values_list("pk", "content_type_id")[:1]
    if not rows:
        return None  # a routable page's own route, or no page: Wagtail decides
    known = (rows[0][0], rows[0][1])
    page = _specific(known, url_path)
    if page is not None:
        cache.set(key, known, ADDRESS_SECONDS)
    return page


def _specific(known: tuple[int, int], url_path: str) -> Page | None:
    page_id, content_type_id = known
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None or not issubclass(model, Page):
        return None
    found = _page_query(model).instances(page_id, url_path)
    return cast(Page, found[0]) if found else None


@functools.cache
def _page_query(model: type[Page]) -> PreparedQuery:
    """The query of a page of `model` by id and address, compiled once a process
    (core/prepared.py): every page view makes it."""
    values = {name: expression(model) for name, expression in _PAGE_VALUES.items()}
    return PreparedQuery(
        model,
        lambda page_id, url_path: model._default_manager.filter(
            pk=page_id, url_path=url_path
        ).annotate(
            **{name: value for name, value in values.items() if value is not None}
        )[:1],
    )


def _edition_root(site: Site) -> tuple[int, int, str, str, int]:
    """The id, type, path, address and depth of the site's root page in the active
    language (Wagtail's `site.root_page.localized`)."""
    key = _root_key(site)

    def localized_root() -> tuple[int, int, str, str, int]:
        page = site.root_page.localized
        return (page.pk, page.content_type_id, page.path, page.url_path, page.depth)

    return cast(
        tuple[int, int, str, str, int],
        cache.get_or_set(key, localized_root, SITE_SECONDS),
    )


def _root_key(site: Site) -> str:
    return _ROOT_KEY.format(
        generation=generation(SITES_GENERATION_KEY),
        site=site.pk,
        language=translation.get_language() or "",
    )


def _address_key(site: Site, components: list[str]) -> str:
    address = f"{site.pk} {translation.get_language() or ''} {'/'.join(components)}"
    return _ADDRESS_KEY.format(digest=hashlib.sha256(address.encode()).hexdigest())
