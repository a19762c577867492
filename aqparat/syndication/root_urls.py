from django.urls import URLPattern, URLResolver

# Root-level URLs: robots.txt and the sitemaps (no language prefix).
urlpatterns: list[URLPattern | URLResolver] = []
