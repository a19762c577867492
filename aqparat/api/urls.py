"""/api/v1/: the ninja routes, with answers that stay JSON where ninja's are not.

Ninja answers a method a route lacks with a plain-text 405 and leaves HEAD to
nobody; an address outside the API would get the site's HTML 404, and any 404 would
be redirected by LocaleMiddleware into a language prefix. Here HEAD is
answered as GET without a body, and both errors leave in the API's error shape.
The schema is at /api/v1/openapi.json and its browsable docs at /api/v1/docs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from aqparat.api.views import api, error_response

View = Callable[..., HttpResponse]


def json_method_errors(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = view(request, *args, **kwargs)
        if response.status_code == 405:
            allow = response.get("Allow", "GET")
            response = error_response(
                request, 405, "method_not_allowed", "This API is read-only."
            )
            response["Allow"] = ", ".join(sorted({*allow.split(", "), "HEAD"}))
        if head:
            request.method = "HEAD"
            response.content = b""
        # The API lives outside the language prefixes: resolved against its own
        # patterns, LocaleMiddleware does not redirect its 404s to /kk/api/...
        request.urlconf = __name__  # type: ignore[attr-defined]
        return response

    return wrapped


@csrf_exempt
def endpoint_missing(request: HttpRequest, *args: Any) -> HttpResponse:
    request.urlconf = __name__  # type: ignore[attr-defined]  # as above
    return error_response(request, 404, "not_found", "No such API endpoint.")


def _wrapped(patterns: list[Any]) -> list[URLPattern]:
    return [
        URLPattern(p.pattern, json_method_errors(p.callback), p.default_args, p.name)
        for p in patterns
    ]


_patterns, _app_name, _namespace = api.urls
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include((_wrapped(_patterns), _app_name), namespace=_namespace)),
    re_path(r"", endpoint_missing),
]
