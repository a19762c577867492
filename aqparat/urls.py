from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from aqparat.analytics import views as analytics_views
from aqparat.core import documents, health, routing
from aqparat.core.media import media_urlpatterns
from aqparat.rates import views as rates_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", include(wagtailadmin_urls)),
    path("api/v1/", include("aqparat.api.urls")),
    path("", include("aqparat.syndication.root_urls")),
    # Wagtail's document view with its privacy checks, as downloads no shared cache
    # keeps (core/documents.py).
    path("documents/", include(documents.urlpatterns)),
    path("health/", health.health, name="health"),
    path("health/jobs/", health.health_jobs, name="health_jobs"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("v/", analytics_views.beacon, name="view_beacon"),
    path("v/<int:page_id>.gif", analytics_views.beacon_pixel, name="view_pixel"),
]

# The embedded default serves renditions itself (AQPARAT_SERVE_MEDIA), never an
# original photo or a document; production settings leave it off: the front server
# or the storage serves them (core/media.py).
urlpatterns += media_urlpatterns()

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
