"""Whole public pages answered from the shared cache, retired by what they show.

An anonymous GET of a public page is looked up before sessions, locale, Wagtail's
routing or the ORM run; a hit costs two cache reads. What a page shows is named by
*dependencies* the render notes on the request (`depends_on`):

- every page depends on `ALL` (what every page prints: the rates ticker, the banner,
  the site settings, the navigation, the Latin spellings, photo credits, bylines);
- an article page on `story:<translation key>` of itself and of every story it links
  (related stories), so a correction retires the story in all its editions and every
  article that links it, and nothing else;
- any other page (home, section, tag, feeds, sitemaps, search) on `CONTENT`, which
  every publication, unpublication, move or deletion of a page retires.

Time here is a counter in the shared cache that every retirement moves on: the
retirement stores its tick under the dependency's key, and a render notes the tick
it *began* at. A cached page is good while every dependency it noted was last
retired at or before that tick. Comparing with the start, not the end, keeps a
render that read the database before an editor's commit from passing for fresh
afterwards (retirements run after commit); a counter rather than the wall clock,
because the nodes' clocks disagree and the cache's counter is one for all.

A page whose dependencies were retired, or which outlived `AQPARAT_PAGE_CACHE_SECONDS`
(view counts, most-read and time-based visibility move without an event), is rebuilt
by one request while the others are answered with the copy they had (a stampede of
readers after a correction costs one render, not hundreds).

With a front cache configured (`core.frontcache`), every stored page is also indexed
under what it noted, and a retirement purges the indexed URLs there too: the front
cache holds only what it fetched from here, so the index knows every copy it can have.

Django's own cache middleware keys pages by URL and expiry only, with no way to retire
a page by what it shows; this module is the part no library does for us.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import cc_delim_re
from django.utils.encoding import iri_to_uri
from django.utils.safestring import SafeString

from aqparat.core.cache import counter_next, request_key
from aqparat.core.frontcache import front_cache_enabled, front_cache_purge
from aqparat.core.middleware import lifetime_cap, shown_until
from aqparat.core.sites import site_for_request

ALL = "all"
CONTENT = "content"

_ENTRY_KEY = "pagecache:v1:page:{digest}"
_FRAGMENT_KEY = "pagecache:v1:fragment:{name}"
_LOCK_KEY = "pagecache:v1:lock:{digest}"
_RETIRED_KEY = "pagecache:v1:retired:{dependency}"
_CLOCK_KEY = "pagecache:v1:clock"
_INDEX_KEY = "pagecache:v1:urls:{dependency}:{window}"
# Every fragment notes ALL: its retirement tick is asked for with the generations.
request_key(_RETIRED_KEY.format(dependency=ALL))
_DEPENDENCIES_ATTR = "_aqparat_page_dependencies"
_FRAGMENT_DEPENDENCIES_ATTR = "_aqparat_fragment_dependencies"
HEADER = "X-Aqparat-Cache"

# How long one rebuild may keep the others on the old copy before another request
# tries (a builder that died must not leave readers on it for long).
REBUILD_LOCK_SECONDS = 15
# How long after its freshness a copy stays available as the stale answer during a
# rebuild. Retirement moments are kept as long, so none is forgotten while a copy
# older than it can still be read.
STALE_GRACE_SECONDS = 600
# The index of stored URLs is kept in windows of this many seconds, a counter and one
# key per URL in each (a cache has no sets that expire by member).
INDEX_WINDOW_SECONDS = 300
# More URLs than this are purged by the task queue, not in the request that retired
# them (the banner or a rates fetch retire every page).
PURGE_INLINE_LIMIT = 200
# A page this large is unusual (a runaway listing); it is served, not stored.
MAX_BODY_BYTES = 2 * 1024 * 1024

# Query parameters that only tell analytics where a reader came from: the page is
# the same with or without them. Any other parameter (search, filters) is not cached.
_TRACKING = re.compile(r"^(utm_[a-z_]+|fbclid|gclid|yclid|_openstat)$")
_PAGE_NUMBER = re.compile(r"^[1-9][0-9]{0,3}$")
# The admin, the API (its answers vary by Origin and Accept-Language), the view
# counter (each GET of its pixel counts), documents (they may be private), media.
_BYPASS_PREFIXES = ("/admin/", "/django-admin/", "/api/", "/v/", "/documents/")


def depends_on(request: HttpRequest | None, *dependencies: str) -> None:
    """Note that the response to `request` shows what `dependencies` name (and, if
    it is a page, only that: a page that notes nothing depends on `CONTENT`)."""
    _note(request, _DEPENDENCIES_ATTR, dependencies)


def _note(request: HttpRequest | None, attr: str, dependencies: Iterable[str]) -> None:
    if request is None:
        return
    noted: set[str] = getattr(request, attr, set())
    noted.update(dependencies)
    setattr(request, attr, noted)


def story(translation_key: Any) -> str:
    """The dependency of one story in every edition (its pages share the key)."""
    return f"story:{translation_key}"


def retire(*dependencies: str, urls: Iterable[str] = ()) -> None:
    """Retire every cached page that noted one of `dependencies`, in every process,
    and purge them (and `urls`, addresses a front cache may hold that this cache did
    not store: a story's 404 before it was republished) from the front cache.

    Inside a transaction it takes effect after the commit, so no reader can rebuild
    the page from the data it replaces.
    """
    if dependencies:
        extra = tuple(urls)
        transaction.on_commit(lambda: _retire_now(dependencies, extra))


def _retire_now(dependencies: Iterable[str], urls: Iterable[str] = ()) -> None:
    dependencies = tuple(dependencies)
    tick = _clock_next()
    keep = settings.AQPARAT_PAGE_CACHE_SECONDS + STALE_GRACE_SECONDS
    cache.set_many(
        {_RETIRED_KEY.format(dependency=d): tick for d in dependencies}, keep
    )
    if front_cache_enabled():
        purge = indexed_urls(dependencies) | set(urls)
        if len(purge) <= PURGE_INLINE_LIMIT:
            front_cache_purge(purge)
        else:
            from aqparat.core.tasks import front_cache_purge_task

            front_cache_purge_task(sorted(purge))


def _index_keep() -> int:
    """How long a front cache may hold a copy made from a stored page: the page's own
    life here, then the front cache's."""
    return (
        settings.AQPARAT_PAGE_CACHE_SECONDS
        + STALE_GRACE_SECONDS
        + settings.AQPARAT_PUBLIC_S_MAXAGE
        + settings.AQPARAT_PUBLIC_STALE_WHILE_REVALIDATE
    )


def _index(url: str, dependencies: Iterable[str]) -> None:
    window = int(time.time() // INDEX_WINDOW_SECONDS)
    keep = _index_keep() + INDEX_WINDOW_SECONDS
    for dependency in dependencies:
        counter = _INDEX_KEY.format(dependency=dependency, window=window)
        number = counter_next(counter, timeout=keep)
        cache.set(f"{counter}:{number}", url, keep)


def indexed_urls(dependencies: Iterable[str]) -> set[str]:
    """The URLs stored under `dependencies` that a front cache may still hold."""
    newest = int(time.time() // INDEX_WINDOW_SECONDS)
    oldest = newest - _index_keep() // INDEX_WINDOW_SECONDS - 1
    counters = [
        _INDEX_KEY.format(dependency=dependency, window=window)
        for dependency in dependencies
        for window in range(oldest, newest + 1)
    ]
    keys = [
        f"{counter}:{number}"
        for counter, count in cache.get_many(counters).items()
        for number in range(1, int(count) + 1)
    ]
    urls: set[str] = set()
    for start in range(0, len(keys), 1000):
        urls.update(cache.get_many(keys[start : start + 1000]).values())
    return urls


def _clock() -> int:
    return int(cache.get_or_set(_CLOCK_KEY, 0, None) or 0)


def _clock_next() -> int:
    """One atomic step of the shared clock (should the key be lost, it restarts low,
    and pages look older than every retirement: rebuilt, never stale)."""
    return counter_next(_CLOCK_KEY)


@dataclass(frozen=True)
class _Entry:
    content: bytes
    headers: tuple[tuple[str, str], ...]
    began: int  # the shared clock's tick when the render began
    built_at: float  # wall-clock time, for AQPARAT_PAGE_CACHE_SECONDS
    dependencies: tuple[str, ...]
    until: float | None = None  # the shown story's expiry: never served after it


def cache_key(request: HttpRequest) -> str | None:
    """The page's key (scheme, host, path, page number), or None when not cached."""
    if request.method != "GET" or request.path.startswith(
        (*_BYPASS_PREFIXES, settings.MEDIA_URL, settings.STATIC_URL)
    ):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None  # signed-in staff see their own state (previews, the user bar)
    query: list[tuple[str, str]] = []
    for name, value in parse_qsl(request.META.get("QUERY_STRING", ""), True):
        if _TRACKING.match(name):
            continue
        if name != "page" or not _PAGE_NUMBER.match(value) or query:
            return None
        query.append((name, value))
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    # Pages outside the language prefixes (sitemaps, robots.txt) vary by the
    # reader's language as LocaleMiddleware resolves it: the key holds the result.
    language = translation.get_language_from_request(request, check_path=True)
    address = f"{language} {request.scheme}://{host}{request.path}?{urlencode(query)}"
    return hashlib.sha256(address.encode()).hexdigest()


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if len(response.content) > MAX_BODY_BYTES:
        return False
    control = {
        part.split("=", 1)[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if "public" not in control or control & {"private", "no-cache", "no-store"}:
        return False
    vary = {
        part.strip().lower()
        for part in cc_delim_re.split(response.get("Vary", ""))
        if part.strip()
    }
    return vary <= {"accept-encoding", "accept-language"}


@dataclass(frozen=True)
class _Fragment:
    value: Any
    began: int
    built_at: float
    dependencies: tuple[str, ...]


def fragment(
    request: HttpRequest | None,
    name: str,
    build: Callable[[], tuple[Any, Iterable[str]]],
) -> Any:
    """A part of a page from the shared cache: `build()` returns the value and the
    dependencies it shows, and the value is kept until one of them is retired or it
    outlives `AQPARAT_PAGE_CACHE_SECONDS`, as whole pages are. The page that shows it
    notes the same dependencies. `name` must say everything the value depends on
    besides them (the page, the language)."""
    return fragments(request, [(name, build)])[0]


def shared_html(
    request: HttpRequest | None, name: str, render: Callable[[], str]
) -> SafeString:
    """HTML that the pages of an edition show alike (navigation, feed links, the
    most read block): rendered once, then kept as a fragment under `ALL`, which
    every change of what every page prints retires, and at most
    AQPARAT_PAGE_CACHE_SECONDS, as whole pages (the most read ranking moves without
    an event). `name` says what else it depends on (the page's section); the site
    and the language are added (`edition_fragment_name`)."""
    html = fragment(
        request, edition_fragment_name(request, name), lambda: (str(render()), [ALL])
    )
    # The fragment is what the template rendered (autoescaped) and stored.
    return SafeString(html)  # nosec


def edition_fragment_name(request: HttpRequest | None, name: str) -> str:
    """A fragment's name with the site and the language it was rendered for."""
    site = site_for_request(request) if request is not None else None
    return f"{name}:{site.pk if site is not None else '-'}:{translation.get_language()}"


def fragment_keys(
    request: HttpRequest | None, names: Iterable[str], dependencies: Iterable[str]
) -> list[str]:
    """The shared-cache keys of fragments a page is about to show and of the
    retirement ticks of dependencies they are known to note, for a prefetch
    (`core.routing.page_keys`): a fragment is otherwise two round trips (itself,
    then its ticks). None when fragments are not read (off, or a preview)."""
    if not _fragments_enabled(request):
        return []
    return [_FRAGMENT_KEY.format(name=name) for name in names] + [
        _RETIRED_KEY.format(dependency=d) for d in dependencies
    ]


def _fragments_enabled(request: HttpRequest | None) -> bool:
    return bool(settings.AQPARAT_FRAGMENT_CACHE) and not getattr(
        request, "is_preview", False
    )


def fragments(
    request: HttpRequest | None,
    parts: list[tuple[str, Callable[[], tuple[Any, Iterable[str]]]]],
) -> list[Any]:
    """Many fragments (`fragment`) in two cache round trips, not two each: the
    cards of a listing. A preview (Wagtail's, of a draft) neither reads nor keeps
    them: it shows the draft's own rows."""
    enabled = _fragments_enabled(request)
    keys = [_FRAGMENT_KEY.format(name=name) for name, _build in parts]
    found: dict[str, _Fragment] = cache.get_many(keys) if enabled else {}
    retired = cache.get_many(
        sorted({_RETIRED_KEY.format(dependency=d)
                for entry in found.values() for d in entry.dependencies})
    ) if found else {}  # fmt: skip
    values: list[Any] = []
    fresh: dict[str, _Fragment] = {}
    began: int | None = None
    for key, (_name, build) in zip(keys, parts, strict=True):
        entry = found.get(key)
        if entry is None or not _fresh(entry, retired):
            if began is None:
                began = _clock() if enabled else 0  # before the first build reads
            built_at = time.time()
            value, dependencies = build()
            entry = _Fragment(value, began, built_at, tuple(sorted(set(dependencies))))
            fresh[key] = entry
        # Noted apart: a fragment adds to what its page depends on, but a listing
        # showing a fragment still depends on `CONTENT`.
        _note(request, _FRAGMENT_DEPENDENCIES_ATTR, entry.dependencies)
        values.append(entry.value)
    if enabled and fresh:
        cache.set_many(fresh, settings.AQPARAT_PAGE_CACHE_SECONDS + STALE_GRACE_SECONDS)
    return values


def _fresh(entry: _Entry | _Fragment, retired: dict[str, Any] | None = None) -> bool:
    """Young enough, and none of its dependencies retired after its render began
    (`retired`: the retirement ticks, when the caller has read them already)."""
    if time.time() - entry.built_at > settings.AQPARAT_PAGE_CACHE_SECONDS:
        return False
    keys = [_RETIRED_KEY.format(dependency=d) for d in entry.dependencies]
    if retired is None:
        retired = cache.get_many(keys)
    return all(retired.get(key, 0) <= entry.began for key in keys)


def _response(entry: _Entry, state: str) -> HttpResponse:
    response = HttpResponse(entry.content)
    for name, value in entry.headers:
        response[name] = value
    response[HEADER] = state
    if state == "STALE":  # a front cache must not keep what is being replaced
        response["Cache-Control"] = "no-cache"
    elif entry.until is not None:  # the seconds it had when stored are fewer now
        lifetime_cap(response, int(entry.until - time.time()))
    return response


class PageCacheMiddleware:
    """Answers anonymous GETs of public pages from the shared cache.

    Sits inside ConditionalGetMiddleware (which answers 304 from the stored ETag and
    Last-Modified) and outside PublicCacheMiddleware (whose Cache-Control decides
    what may be stored: only `public` responses without cookies or `Vary: Cookie`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.AQPARAT_PAGE_CACHE:
            return self.get_response(request)
        digest = cache_key(request)
        if digest is None:
            return self.get_response(request)
        entry_key = _ENTRY_KEY.format(digest=digest)
        entry: _Entry | None = cache.get(entry_key)
        if entry is not None and entry.until is not None and time.time() >= entry.until:
            entry = None  # a story that expired: never served again, not even stale
        if entry is not None:
            if _fresh(entry):
                return _response(entry, "HIT")
            lock_key = _LOCK_KEY.format(digest=digest)
            if not cache.add(lock_key, 1, REBUILD_LOCK_SECONDS):
                return _response(entry, "STALE")
            try:
                return self._build(request, entry_key)
            finally:
                cache.delete(lock_key)
        return self._build(request, entry_key)

    def _build(self, request: HttpRequest, entry_key: str) -> HttpResponse:
        began = _clock()  # before the render reads anything
        built_at = time.time()
        response = self.get_response(request)
        if not _storable(request, response):
            cache.delete(entry_key)  # e.g. the story was unpublished: no old copy
            return response
        noted: set[str] = getattr(request, _DEPENDENCIES_ATTR, set())
        parts: set[str] = getattr(request, _FRAGMENT_DEPENDENCIES_ATTR, set())
        dependencies = {ALL} | (noted or {CONTENT}) | parts
        digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
        response["ETag"] = f'"{digest}"'
        entry = _Entry(
            content=response.content,
            headers=tuple(
                (name, value)
                for name, value in response.items()
                if name.lower() not in {"content-length", HEADER.lower()}
            ),
            began=began,
            built_at=built_at,
            dependencies=tuple(sorted(dependencies)),
            until=until.timestamp() if (until := shown_until(request)) else None,
        )
        cache.set(
            entry_key,
            entry,
            settings.AQPARAT_PAGE_CACHE_SECONDS + STALE_GRACE_SECONDS,
        )
        response[HEADER] = "MISS"
        if front_cache_enabled():
            _index(request.build_absolute_uri(_stored_path(request)), dependencies)
        return response


def _stored_path(request: HttpRequest) -> str:
    """The path and the page number: the front cache's key drops tracking
    parameters as this cache does (deploy/nginx/aqparat.conf.template)."""
    page = request.GET.get("page")
    return iri_to_uri(request.path) + (f"?page={page}" if page else "")
