from django.urls import URLPattern, URLResolver, path

from aqparat.syndication import views

# Inside i18n_patterns: /<lang>/rss/ and /<lang>/rss/<section-slug>/.
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.feed, name="feed"),
    path("<slug:section_slug>/", views.feed, name="feed_section"),
]
