"""Sitemap XML: the index, article and page sitemaps with hreflang, Google News.

Written by hand rather than with `django.contrib.sitemaps`: its `Sitemap` asks each
item for its location (for Wagtail pages, `get_url` per page, i.e. page objects in
memory), its i18n mode reverses one URL name per language where our editions are
separate pages linked by `translation_key`, and it has no Google News namespace.
Here a page of N URLs is two queries of plain rows (selectors.py) and a list of
strings, so memory is bounded by the page size, never by the number of articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime

# Escaping for the XML we write; nothing is parsed with it.
from xml.sax.saxutils import escape, quoteattr  # nosec B406

from django.utils import timezone

from aqparat.syndication.selectors import NewsEntry, SitemapPart, SitemapUrl

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

# Characters XML 1.0 forbids (C0 controls but tab, newline and return; lone
# surrogates; U+FFFE/U+FFFF). Word processors paste \x0b and \x0c into headlines.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_clean(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry."""
    return _XML_ILLEGAL.sub("", text)


def _text(value: str) -> str:
    return escape(xml_clean(value))


def w3c_datetime(moment: datetime) -> str:
    """W3C datetime in Almaty time with its offset, e.g. 2026-11-29T16:05:00+05:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def urlset_xml(urls: Iterable[SitemapUrl]) -> str:
    parts = [
        _DECLARATION,
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">\n',
    ]
    for url in urls:
        parts.append(f"<url><loc>{_text(url.loc)}</loc>")
        if url.lastmod is not None:
            parts.append(f"<lastmod>{w3c_datetime(url.lastmod)}</lastmod>")
        parts += [
            f'<xhtml:link rel="alternate" hreflang={quoteattr(lang)}'
            f" href={quoteattr(xml_clean(href))}/>"
            for lang, href in url.alternates
        ]
        parts.append("</url>\n")
    parts.append("</urlset>\n")
    return "".join(parts)


def index_xml(
    parts: Iterable[SitemapPart], loc_for: Callable[[SitemapPart], str]
) -> str:
    lines = [_DECLARATION, f'<sitemapindex xmlns="{SITEMAP_NS}">\n']
    for part in parts:
        lines.append(f"<sitemap><loc>{_text(loc_for(part))}</loc>")
        if part.lastmod is not None:
            lines.append(f"<lastmod>{w3c_datetime(part.lastmod)}</lastmod>")
        lines.append("</sitemap>\n")
    lines.append("</sitemapindex>\n")
    return "".join(lines)


def news_xml(entries: Iterable[NewsEntry], *, name: str, language: str) -> str:
    """`language` is ISO 639 (kk for both Kazakh scripts, as Google asks)."""
    publication = (
        f"<news:publication><news:name>{_text(name)}</news:name>"
        f"<news:language>{_text(language)}</news:language></news:publication>"
    )
    lines = [_DECLARATION, f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n']
    for entry in entries:
        lines.append(
            f"<url><loc>{_text(entry.loc)}</loc><news:news>{publication}"
            f"<news:publication_date>{w3c_datetime(entry.published)}"
            f"</news:publication_date><news:title>{_text(entry.title)}</news:title>"
            "</news:news></url>\n"
        )
    lines.append("</urlset>\n")
    return "".join(lines)
