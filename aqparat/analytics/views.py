"""The view beacon: counts a reader outside the page cache, answers at once."""

from __future__ import annotations

import base64

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from aqparat.analytics.services import beacon_record
from aqparat.core.http import client_address

# A transparent 1x1 GIF for the <noscript> image.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
MAX_BODY = 256


@csrf_exempt  # no cookie is read or set: there is no session to forge
@require_POST
def beacon(request: HttpRequest) -> HttpResponse:
    """`navigator.sendBeacon("/v/?p=<article id>")`: 204 whatever it counted, 413
    for a body longer than an id could be (judged by its declared length, before a
    byte of it is read). The id in the address is what the front cache logs when it
    answers beacons itself (analytics/beacon_log.py); pages cached before it sent
    the id as the body (`p=<id>`)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = MAX_BODY + 1
    if declared > MAX_BODY:
        return _no_store(HttpResponse(status=413))
    raw = request.GET.get("p", "")
    if not raw:
        body = request.body.decode("ascii", "ignore")  # at most MAX_BODY bytes
        raw = request.POST.get("p") or body.removeprefix("p=")
    _count(request, raw)
    return _no_store(HttpResponse(status=204))


@require_GET
def beacon_pixel(request: HttpRequest, page_id: int) -> HttpResponse:
    """The <noscript> fallback: the same count, answered with a tiny image."""
    _count(request, str(page_id))
    return _no_store(HttpResponse(PIXEL, content_type="image/gif"))


def _count(request: HttpRequest, raw: str) -> None:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        return  # str.isdigit() also says yes to "²" and "١٢"
    beacon_record(
        page_id=int(raw),
        ip=client_address(request),
        user_agent=request.headers.get("User-Agent", ""),
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response
