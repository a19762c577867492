"""HTTP caching for anonymous readers.

The whole performance design rests on public pages being cacheable as a whole by a
front cache or CDN: an uncached Wagtail render costs about a thousand times what a
cache hit does. So an anonymous GET must carry no cookie, no `Vary: Cookie`, an
explicit `Cache-Control` and a `Last-Modified` that is honest about every part of the
page (the article and the rates ticker both note when they last changed).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re, has_vary_header, patch_cache_control
from django.utils.http import http_date

_NOTES_ATTR = "_aqparat_modified"
SHOWN_UNTIL_ATTR = "_aqparat_shown_until"
_CACHEABLE_STATUS = {200, 301, 404, 410}


def note_last_modified(request: HttpRequest | None, moment: datetime | None) -> None:
    """Record that the response to `request` shows content last changed at `moment`.

    Views, pages and template tags call this; the middleware sends the newest moment
    as `Last-Modified`.
    """
    if request is None or moment is None:
        return
    notes: list[datetime] = getattr(request, _NOTES_ATTR, [])
    notes.append(moment)
    setattr(request, _NOTES_ATTR, notes)


def note_shown_until(request: HttpRequest | None, moment: datetime | None) -> None:
    """Record that the response to `request` must not be kept past `moment` (a
    story's expiry): caches are told so, and the page cache drops it then."""
    if request is None or moment is None:
        return
    current: datetime | None = getattr(request, SHOWN_UNTIL_ATTR, None)
    if current is None or moment < current:
        setattr(request, SHOWN_UNTIL_ATTR, moment)


def shown_until(request: HttpRequest) -> datetime | None:
    return getattr(request, SHOWN_UNTIL_ATTR, None)


def lifetime_cap(response: HttpResponse, seconds: int) -> None:
    """No cache may keep `response` more than `seconds` from now (what is left of
    its story's life): when it is made, and at each page-cache hit of it."""
    seconds = max(seconds, 0)
    said = {
        name.strip().lower(): value.strip()
        for name, _, value in (
            part.partition("=")
            for part in cc_delim_re.split(response.get("Cache-Control", ""))
        )
    }
    s_maxage = int(said["s-maxage"]) if said.get("s-maxage", "").isdigit() else seconds
    # Django keeps the smaller max-age of the two by itself.
    patch_cache_control(response, max_age=seconds, s_maxage=min(s_maxage, seconds))


def _is_public_request(request: HttpRequest) -> bool:
    return (
        request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(("/admin/", "/django-admin/"))
    )


class PublicCacheMiddleware:
    """Marks anonymous responses without cookies as publicly cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not _is_public_request(request) or response.cookies:
            return response
        if has_vary_header(response, "Cookie"):
            return response
        if response.status_code not in _CACHEABLE_STATUS:
            return response
        if "Cache-Control" not in response:
            until = shown_until(request)
            if until is None:
                patch_cache_control(
                    response,
                    public=True,
                    max_age=settings.AQPARAT_PUBLIC_MAX_AGE,
                    s_maxage=settings.AQPARAT_PUBLIC_S_MAXAGE,
                    stale_if_error=settings.AQPARAT_PUBLIC_STALE_IF_ERROR,
                    stale_while_revalidate=settings.AQPARAT_PUBLIC_STALE_WHILE_REVALIDATE,
                )
            else:  # kept by no cache past the story's expiry, not even when stale
                patch_cache_control(
                    response,
                    public=True,
                    max_age=settings.AQPARAT_PUBLIC_MAX_AGE,
                    s_maxage=settings.AQPARAT_PUBLIC_S_MAXAGE,
                )
                lifetime_cap(response, int((until - timezone.now()).total_seconds()))
        notes: list[datetime] = getattr(request, _NOTES_ATTR, [])
        if notes and "Last-Modified" not in response:
            response["Last-Modified"] = http_date(max(notes).timestamp())
        return response


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every response (Django's SecurityMiddleware sends the
    other security headers but not this one): the site uses no camera, microphone,
    location, payment or USB, so no page of it, nor a script or frame a story
    embeds, may ask for them. `AQPARAT_PERMISSIONS_POLICY` sets it; empty sends none.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.AQPARAT_PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.policy
        return response
