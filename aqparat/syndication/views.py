"""Feeds, sitemaps and robots.txt: parse the URL, call one selector, render.

Caching: PublicCacheMiddleware gives feeds, the index and news sitemaps the site's
page lifetimes (they change with every publication); article and page sitemaps
change rarely and say so with a longer max-age of their own.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from aqparat.core.selectors import site_settings_for_request
from aqparat.news.selectors import site_root_url
from aqparat.syndication import selectors, sitemaps
from aqparat.syndication.feeds import ArticleFeed
from aqparat.translit.latin import to_latin
from aqparat.translit.selectors import latin_spellings

XML = "application/xml; charset=utf-8"
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _latin(text: str) -> str:
    """The Latin edition's text. Markup and URLs are ASCII, so the whole document
    can pass through: the transliterating middleware only touches HTML."""
    return to_latin(
        text,
        loan_letters=settings.AQPARAT_TRANSLIT_LOAN_LETTERS or None,
        overrides=latin_spellings(),
    )


def feed(request: HttpRequest, section_slug: str | None = None) -> HttpResponse:
    response = ArticleFeed()(request, section_slug=section_slug)
    if get_language() == settings.LATIN_EDITION_LANGUAGE:
        response.content = _latin(response.content.decode()).encode()
    return response


def _site_root(request: HttpRequest) -> str:
    return site_root_url(request=request)


def _part_url(part: selectors.SitemapPart) -> str:
    if part.kind == "articles":
        return reverse("sitemap_articles", args=(part.language_code, part.number))
    return reverse(f"sitemap_{part.kind}", args=(part.language_code,))


def sitemap_index(request: HttpRequest) -> HttpResponse:
    root = _site_root(request)
    parts = selectors.sitemap_index_parts(page_size=settings.AQPARAT_SITEMAP_PAGE_SIZE)
    xml = sitemaps.index_xml(parts, lambda part: root + _part_url(part))
    return HttpResponse(xml, content_type=XML)


def _language(language_code: str) -> str:
    if language_code not in LANGUAGE_CODES:
        raise Http404(language_code)
    return language_code


def _long_lived(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=settings.AQPARAT_SITEMAP_MAX_AGE)
    return response


def sitemap_articles(
    request: HttpRequest, language_code: str, number: int
) -> HttpResponse:
    urls = selectors.sitemap_article_page(
        language_code=_language(language_code),
        number=number,
        page_size=settings.AQPARAT_SITEMAP_PAGE_SIZE,
    )
    if not urls:
        raise Http404(f"{language_code} {number}")
    return _long_lived(HttpResponse(sitemaps.urlset_xml(urls), content_type=XML))


def sitemap_pages(request: HttpRequest, language_code: str) -> HttpResponse:
    urls = selectors.sitemap_page_list(language_code=_language(language_code))
    if not urls:
        raise Http404(language_code)
    return _long_lived(HttpResponse(sitemaps.urlset_xml(urls), content_type=XML))


def sitemap_news(request: HttpRequest, language_code: str) -> HttpResponse:
    """Google News wants an empty sitemap kept, not removed, on a quiet day."""
    entries = selectors.sitemap_news_entries(language_code=_language(language_code))
    outlet = site_settings_for_request(request=request).outlet_name
    xml = sitemaps.news_xml(
        entries, name=outlet, language=language_code.partition("-")[0]
    )
    if language_code == settings.LATIN_EDITION_LANGUAGE:
        xml = _latin(xml)
    return HttpResponse(xml, content_type=XML)


def robots_txt(request: HttpRequest) -> HttpResponse:
    root = _site_root(request)
    news = [
        root + reverse("sitemap_news", args=(code,)) for code, _n in settings.LANGUAGES
    ]
    context = {"index": root + reverse("sitemap_index"), "news_sitemaps": news}
    return render(request, "syndication/robots.txt", context, content_type="text/plain")
