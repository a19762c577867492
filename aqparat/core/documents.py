"""Documents reach readers only through Wagtail's document view, hardened.

`/documents/<id>/<name>` is Wagtail's own view (`wagtail.documents.views.serve`),
so a document in a private collection (sign-in, a group, a password) is still
refused by Wagtail's `before_serve_document` check, and it streams the file
itself (`WAGTAILDOCS_SERVE_METHOD = "serve_view"`: never a redirect to a
`/media/` address, which neither the application nor the nginx site serves for
documents; core/media.py). On top of it, every answer of these views is

- `Cache-Control: private, no-cache`: no shared cache (the shipped nginx, a CDN,
  PublicCacheMiddleware's public marking) keeps a document, which may be private,
  nor the password form; a browser asks again each time;
- `X-Content-Type-Options: nosniff`;

and the file itself, whatever its type (an HTML page, an SVG with scripts, a PDF), is

- `Content-Disposition: attachment`: saved, never rendered inline on our origin
  (`WAGTAILDOCS_INLINE_CONTENT_TYPES = []` says so to Wagtail; an inline answer
  is turned into a download here all the same);
- `Content-Security-Policy: default-src 'none'; sandbox; frame-ancestors 'none'`,
  should a browser render it anyway: no script, no request, no form, a unique
  origin, no framing. The site-wide CSP middleware (django-csp, core/csp.py)
  leaves a response that already carries a `Content-Security-Policy` as it is,
  so this stricter policy is the one sent.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.urls import URLPattern, path, re_path
from wagtail.documents.views import serve as wagtail_serve

from aqparat.core.media import UPLOAD_CSP

DOCUMENT_CACHE_CONTROL = "private, no-cache"


def _not_shared(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = DOCUMENT_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _is_the_file(response: HttpResponseBase) -> bool:
    """The document's bytes (or a 304 for them), not the password form nor the
    redirect to sign in that Wagtail's privacy check answers with."""
    return response.streaming or response.status_code == 304


def serve(
    request: HttpRequest, document_id: str, document_filename: str
) -> HttpResponseBase:
    """Wagtail's view (its privacy check, its conditional GET), then our headers."""
    response = _not_shared(wagtail_serve.serve(request, document_id, document_filename))
    if _is_the_file(response):
        response["Content-Security-Policy"] = UPLOAD_CSP
    if response.streaming:
        response["Content-Disposition"] = as_attachment(
            response.get("Content-Disposition", "")
        )
    return response


def as_attachment(disposition: str) -> str:
    """`inline; filename="a.html"` → `attachment; filename="a.html"`."""
    if disposition.startswith("attachment"):
        return disposition
    rest = disposition.removeprefix("inline").lstrip(";").strip()
    return "; ".join(part for part in ("attachment", rest) if part)


def authenticate_with_password(
    request: HttpRequest, restriction_id: int
) -> HttpResponseBase:
    """Wagtail's password form for a collection, kept by no shared cache."""
    return _not_shared(
        wagtail_serve.authenticate_with_password(request, restriction_id)
    )


# Wagtail's own names: `Document.url` and its privacy check reverse them.
urlpatterns: list[URLPattern] = [
    re_path(r"^(\d+)/(.*)$", serve, name="wagtaildocs_serve"),
    path(
        "authenticate_with_password/<int:restriction_id>/",
        authenticate_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
]
