"""Structured data and previews in templates: `{% page_preview as preview %}` (the
canonical URL, OpenGraph and Twitter values of any public page) and
`{% article_structured_data %}` (an article's JSON-LD). The data comes from
syndication/jsonld.py; neither tag spends a query on a warm page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from aqparat.core.selectors import site_settings_for_request
from aqparat.core.templatetags.core_tags import static_url
from aqparat.news.models import ArticlePage
from aqparat.news.selectors import ArticleDetail, language_tag, site_root_url
from aqparat.syndication import jsonld
from aqparat.translit.latin import to_latin
from aqparat.translit.selectors import latin_spellings

register = template.Library()

_IMAGES_ATTR = "_aqparat_share_images"
_HEAD_ATTR = "_aqparat_head"


@register.simple_tag(takes_context=True)
def page_preview(context: template.Context) -> jsonld.Preview | None:
    request = context.get("request")
    if request is None:
        return None
    page, detail = context.get("page"), context.get("article")
    number = getattr(context.get("articles"), "number", 1)
    head = _head(request, page, number)
    if isinstance(page, ArticlePage) and isinstance(detail, ArticleDetail):
        return jsonld.article_preview(
            page=page, detail=detail, url=head.url, site_name=head.site_name,
            images=_images(request, detail), fallback_image=head.logo,
        )  # fmt: skip
    return jsonld.page_preview(
        page=page, url=head.url, site_name=head.site_name, fallback_image=head.logo
    )


@register.simple_tag(takes_context=True)
def article_structured_data(context: template.Context) -> SafeString:
    """NewsArticle and BreadcrumbList scripts; in Latin script on the Latin edition
    (the edition's middleware leaves scripts alone)."""
    request, page, detail = context["request"], context["page"], context["article"]
    head = _head(request, page, 1)
    language = get_language() or settings.LANGUAGE_CODE
    article = jsonld.news_article(
        page=page, detail=detail, url=head.url, images=_images(request, detail),
        publisher=jsonld.organization(name=head.site_name, logo=head.logo),
        language=language_tag(language),
    )  # fmt: skip
    crumbs = [(c.title, head.root + c.url) for c in detail.breadcrumbs]
    scripts = [
        article,
        jsonld.breadcrumb_list(crumbs=[*crumbs, (page.title, head.url)]),
    ]
    if language == settings.LATIN_EDITION_LANGUAGE:
        scripts = [jsonld.strings_mapped(data, _latin()) for data in scripts]
    # Each script is built by json_ld_script, which escapes what could end it.
    return SafeString("".join(jsonld.json_ld_script(data) for data in scripts))  # nosec


@dataclass(frozen=True)
class _Head:
    """What the previews and the structured data of one page share: worked out
    once a request (the site root, the canonical URL, the outlet and its logo)."""

    root: str
    url: str
    site_name: str
    logo: jsonld.PreviewImage


def _head(request: HttpRequest, page: Any, number: int) -> _Head:
    known: dict[tuple[Any, int], _Head] = request.__dict__.setdefault(_HEAD_ATTR, {})
    key = (getattr(page, "pk", None), number)
    if key not in known:
        root = _root(request)
        url = jsonld.canonical_url(
            request=request, page=page, root_url=root, page_number=number
        )
        site_name = site_settings_for_request(request=request).outlet_name
        logo = jsonld.logo(
            absolute=_absolute(root), static_url=static_url(jsonld.LOGO_STATIC_PATH)
        )
        known[key] = _Head(root, url, site_name, logo)
    return known[key]


def _images(request: HttpRequest, detail: ArticleDetail) -> list[jsonld.PreviewImage]:
    """The share images of the page's article, made once per request: the previews
    and the structured data both print them (each a rendition lookup)."""
    made: tuple[ArticleDetail, list[jsonld.PreviewImage]] | None = getattr(
        request, _IMAGES_ATTR, None
    )
    if made is not None and made[0] is detail:
        return made[1]
    image = detail.lead_image
    alt = image.alt_in(get_language() or settings.LANGUAGE_CODE) if image else ""
    images = jsonld.share_images(
        image=image, alt=alt, absolute=_absolute(_root(request))
    )
    setattr(request, _IMAGES_ATTR, (detail, images))
    return images


def _root(request: HttpRequest) -> str:
    return site_root_url(request=request)


def _absolute(root: str) -> jsonld.Absolute:
    """Site-relative addresses on the Wagtail site's root (canonical's host)."""
    return lambda url: url if "://" in url else root + url


def _latin() -> Any:
    return partial(
        to_latin,
        loan_letters=settings.AQPARAT_TRANSLIT_LOAN_LETTERS or None,
        overrides=latin_spellings(),
    )
