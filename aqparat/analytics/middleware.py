"""The view beacon answered before the rest of the middleware stack.

A beacon is the most frequent request the site gets (one per article view, never
cached) and needs none of what the stack does for pages: static files, CORS, the
page cache, sessions, locale, CSRF (the view is exempt: no cookie is read or set),
authentication, messages, redirects. Answering it here, right after the security
middleware, halves what a beacon costs a worker. The URLs stay in `aqparat.urls`
(the templates reverse them); the views are the same functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from aqparat.analytics import views

_PIXEL = re.compile(r"^/v/([0-9]{1,18})\.gif$")


class BeaconMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path == "/v/":
            return views.beacon(request)
        pixel = _PIXEL.match(path)
        if pixel:
            return views.beacon_pixel(request, int(pixel.group(1)))
        return self.get_response(request)
