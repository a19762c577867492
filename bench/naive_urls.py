"""The baseline of the beacon benchmark: the counter a first version would write.

One UPDATE ... SET views = views + 1 per request, through the whole middleware
stack, with no bot check, no dedupe and no buffer. `bench/beacons.py` serves it
beside the real beacon (same gunicorn, same database) with
DJANGO_SETTINGS_MODULE=bench.naive_settings; it is never part of the product.
"""

from __future__ import annotations

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.views.decorators.csrf import csrf_exempt

from aqparat.analytics.models import PageViewCount
from aqparat.urls import urlpatterns as site_urlpatterns


@csrf_exempt
def naive_count(request: HttpRequest) -> HttpResponse:
    page_id = int(request.body.decode().removeprefix("p="))
    PageViewCount.objects.filter(page_id=page_id).update(views=F("views") + 1)
    return HttpResponse(status=204)


urlpatterns: list[URLPattern | URLResolver] = [
    path("naive/", naive_count),
    *site_urlpatterns,
]
