from django.urls import URLPattern, URLResolver, path, register_converter

from aqparat.syndication import views


class LanguageCodeConverter:
    """kk, ru, en, kk-latn: letters and hyphens (views.py checks LANGUAGES)."""

    regex = "[a-z]{2,3}(?:-[a-z]{4})?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(LanguageCodeConverter, "lang")

# Root-level URLs: robots.txt and the sitemaps (no language prefix).
urlpatterns: list[URLPattern | URLResolver] = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path(
        "sitemaps/articles-<lang:language_code>-<int:number>.xml",
        views.sitemap_articles,
        name="sitemap_articles",
    ),
    path(
        "sitemaps/pages-<lang:language_code>.xml",
        views.sitemap_pages,
        name="sitemap_pages",
    ),
    path(
        "sitemaps/news-<lang:language_code>.xml",
        views.sitemap_news,
        name="sitemap_news",
    ),
]
