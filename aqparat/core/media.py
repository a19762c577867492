"""Uploads the application serves itself, under `MEDIA_URL`: renditions and the
staff's avatars, never an original photo nor a document.

Only when `AQPARAT_SERVE_MEDIA` is on: the embedded default and `make run` (the dev
settings), where no other server is in front. Production settings leave it off: the
front server (deploy/nginx/, which serves the same folders and no others) or the
storage serves them, and the application has no `/media/` at all.

What is not served, and why:
- `documents/`: a document is read only through Wagtail's document view
  (`/documents/<id>/<name>`, core/documents.py), which checks its collection's
  privacy (sign-in, password) and sends it as a download.
- `original_images/`: readers only ever get renditions (`images/`); the original of
  a photo waiting for an embargoed story would otherwise be one guessed name away.
- anything else: only the folders in `PUBLIC_FOLDERS` are served, so an upload
  folder added later is private until it is listed here (and in the nginx site).

Every file goes out with `X-Content-Type-Options: nosniff` and a sandboxing CSP:
an upload opened on its own never runs as a page of our origin.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import URLPattern, path
from django.views.static import serve

# Wagtail's renditions, and the avatars the admin shows (random names).
PUBLIC_FOLDERS = ("images/", "avatar_images/")
# An upload opened in a tab of its own: nothing runs, nothing loads, no framing.
UPLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


def media_serve(request: HttpRequest, path: str) -> HttpResponseBase:
    """A file of `PUBLIC_FOLDERS` under `MEDIA_ROOT`; 404 for everything else."""
    relative = posixpath.normpath(path).lstrip("/")
    if not relative.startswith(PUBLIC_FOLDERS):
        raise Http404("Not a public upload.")
    response = serve(request, relative, document_root=str(settings.MEDIA_ROOT))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = UPLOAD_CSP
    return response


def media_urlpatterns() -> list[URLPattern]:
    """`MEDIA_URL` served by `media_serve` when `AQPARAT_SERVE_MEDIA` is on and the
    uploads live under a path of this site (not another host's address)."""
    if not settings.AQPARAT_SERVE_MEDIA or urlsplit(settings.MEDIA_URL).netloc:
        return []
    prefix = settings.MEDIA_URL.strip("/")
    return [path(f"{prefix}/<path:path>", media_serve, name="media")]
