"""Structured data and link previews of public pages.

schema.org JSON-LD (`NewsArticle`, `BreadcrumbList`) and the OpenGraph / Twitter card
values, built as plain functions of what the news selectors read (`ArticleDetail`,
the page row, site settings); `templatetags/syndication_tags.py` gathers the inputs
and the templates only print the result. See docs/subsystems/structured-data.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from aqparat.core.templatetags.core_tags import iso_datetime
from aqparat.images.models import CustomImage
from aqparat.images.renditions import SHARE_RENDITIONS
from aqparat.news.models import ArticlePage, HomePage
from aqparat.news.selectors import ArticleDetail, page_url_for_request

# The publisher's logo (aqparat/static/img/logo.png); a test keeps the size honest.
LOGO_STATIC_PATH = "img/logo.png"
LOGO_SIZE = (512, 512)

# Inside <script> the HTML parser ends the element at "</script", whatever JSON
# thinks of the string around it; these escapes keep editors' text (a headline
# containing "</script>" or "<!--") from ever closing it or opening markup.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}

Absolute = Callable[[str], str]


@dataclass(frozen=True)
class PreviewImage:
    url: str
    width: int
    height: int
    alt: str = ""
    credit: str = ""  # the photo's credit line, schema.org creditText


@dataclass(frozen=True)
class Preview:
    """What OpenGraph and Twitter cards say about one page."""

    kind: str  # og:type: "article" or "website"
    title: str
    description: str
    url: str  # the canonical URL
    site_name: str
    image: PreviewImage | None
    large_image: bool = False  # a 16:9 photo rather than the logo
    published: str = ""
    modified: str = ""
    section: str = ""
    tags: tuple[str, ...] = ()

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.large_image else "summary"


def canonical_url(
    *, request: HttpRequest, page: Any, root_url: str, page_number: int = 1
) -> str:
    """The absolute address this page should be known by.

    A Wagtail page's own URL (the Latin edition's alias has its own /kk-latn/ one);
    a routed sub-page (a tag) or a plain view (rates) its path. The query string is
    dropped, except a listing's page number beyond the first: each page of a
    listing is its own canonical page, as Google asks. On `root_url`, the Wagtail
    site's root, as sitemaps and feeds print it (not the request's Host).
    """
    path = request.path
    if isinstance(page, Page) and not isinstance(page, RoutablePageMixin):
        path = page_url_for_request(page=page, request=request) or path
    if page_number > 1:
        path = f"{path}?page={page_number}"
    return f"{root_url}{path}"


def logo(*, absolute: Absolute, static_url: str) -> PreviewImage:
    return PreviewImage(absolute(static_url), *LOGO_SIZE)


def share_images(
    *, image: CustomImage | None, alt: str, absolute: Absolute
) -> list[PreviewImage]:
    """The lead photo's 16:9, 4:3 and 1:1 renditions, 16:9 first.

    They are made at save and publish (images/renditions.py) and prefetched by
    `article_detail`, so this costs no query and makes no file.
    """
    if image is None:
        return []
    renditions = image.get_renditions(*SHARE_RENDITIONS).values()
    return [
        PreviewImage(absolute(r.url), r.width, r.height, alt, image.credit)
        for r in renditions
    ]


def page_preview(
    *, page: Any, url: str, site_name: str, fallback_image: PreviewImage
) -> Preview:
    """A page that is not an article: home, section, tag list, rates."""
    page = page if isinstance(page, Page) else None
    title = (getattr(page, "seo_title", "") or getattr(page, "title", "")) or site_name
    description = getattr(page, "search_description", "") or getattr(page, "intro", "")
    if not description and isinstance(page, HomePage):
        # An edition's front page is what search results show most: never without
        # a description, even before editors write one (Promote tab).
        description = gettext(
            "%(outlet)s: news of Kazakhstan and the world, in Kazakh, Russian and "
            "English."
        ) % {"outlet": site_name}
    return Preview("website", title, description, url, site_name, fallback_image)


def article_preview(
    *,
    page: ArticlePage,
    detail: ArticleDetail,
    url: str,
    site_name: str,
    images: list[PreviewImage],
    fallback_image: PreviewImage,
) -> Preview:
    return Preview(
        kind="article",
        title=page.seo_title or page.title,
        description=page.search_description or page.lead,
        url=url,
        site_name=site_name,
        image=images[0] if images else fallback_image,
        large_image=bool(images),
        published=iso_datetime(page.first_published_at),
        modified=iso_datetime(detail.modified_at),
        section=detail.section.title if detail.section else "",
        tags=tuple(tag.name for tag in detail.tags),
    )


def organization(*, name: str, logo: PreviewImage) -> dict[str, Any]:
    return {"@type": "Organization", "name": name, "logo": _image_object(logo)}


def news_article(
    *,
    page: ArticlePage,
    detail: ArticleDetail,
    url: str,
    images: list[PreviewImage],
    publisher: dict[str, Any],
    language: str,
) -> dict[str, Any]:
    """The article as schema.org NewsArticle.

    `language` is BCP 47 (kk, kk-Latn, ru, en). Dates carry the offset Almaty had at
    that instant: +06:00 before 1 March 2024, +05:00 since. `dateModified` is the
    last correction or update readers were told of, else the first publication.
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
        "description": page.search_description or page.lead,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": language,
        "image": [_image_object(image) for image in images],
        "datePublished": _iso(page.first_published_at),
        "dateModified": _iso(detail.modified_at),
        "author": [_person(row.author.name) for row in detail.authors]
        or [{"@type": "Organization", "name": publisher["name"]}],
        "publisher": publisher,
        "articleSection": detail.section.title if detail.section else None,
        "keywords": [tag.name for tag in detail.tags],
        "isBasedOn": [_based_on(row.source) for row in detail.sources],
    }
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def breadcrumb_list(*, crumbs: list[tuple[str, str]]) -> dict[str, Any]:
    """Home, section, article: (name, absolute URL) pairs in order."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def strings_mapped(data: Any, convert: Callable[[str], str]) -> Any:
    """`data` with `convert` applied to every string in it (the Latin edition's
    transliteration; it leaves ASCII such as URLs and dates as they are)."""
    if isinstance(data, str):
        return convert(data)
    if isinstance(data, dict):
        return {key: strings_mapped(value, convert) for key, value in data.items()}
    if isinstance(data, list):
        return [strings_mapped(value, convert) for value in data]
    return data


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """`<script type="application/ld+json">` that no string inside can break out of."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        # JSON with <, > and & escaped above: nothing inside can close the script.
        mark_safe(text.translate(_SCRIPT_ESCAPES)),  # noqa: S308 # nosec
    )


def _iso(value: datetime | None) -> str | None:
    return iso_datetime(value) or None


def _image_object(image: PreviewImage) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "ImageObject",
        "url": image.url,
        "width": image.width,
        "height": image.height,
    }
    if image.credit:
        data["creditText"] = image.credit
    return data


def _person(name: str) -> dict[str, Any]:
    # Authors have no public profile page yet; `url` joins when they do.
    return {"@type": "Person", "name": name}


def _based_on(source: Any) -> dict[str, Any]:
    """The organisation a story reports from, as the work it is based on."""
    organisation = {
        "@type": "Organization",
        "name": source.name,
        "alternateName": source.short_name,
        "url": source.url or None,
    }
    return {
        "@type": "CreativeWork",
        "author": {k: v for k, v in organisation.items() if v},
    }
