from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve as static_serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from aqparat.analytics import views as analytics_views
from aqparat.core import health, routing
from aqparat.rates import views as rates_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", include(wagtailadmin_urls)),
    path("api/v1/", include("aqparat.api.urls")),
    path("", include("aqparat.syndication.root_urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("health/", health.health, name="health"),
    path("health/jobs/", health.health_jobs, name="health_jobs"),
    path("v/", analytics_views.beacon, name="view_beacon"),
    path("v/<int:page_id>.gif", analytics_views.beacon_pixel, name="view_pixel"),
]

if settings.AQPARAT_SERVE_MEDIA:
    # The embedded default serves uploads itself; at scale media live on S3 or behind
    # the front server and this is off.
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            static_serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# Every public page carries its language prefix (/en/...); LocaleMiddleware sends
# "/" to the reader's edition.
urlpatterns += i18n_patterns(
    path("rates/", rates_views.rates_page, name="rates"),
    path("search/", include("aqparat.search.urls")),
    path("rss/", include("aqparat.syndication.urls")),
    # Wagtail's page view, with known addresses found in one query (core/routing.py).
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
