"""`{% feed_links %}`: RSS discovery links for the page's edition and section."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from wagtail.models import Page

from aqparat.core.pagecache import edition_fragment_name, fragment_keys, shared_html
from aqparat.news.selectors import NavItem, edition_nav, site_root_url

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_links(context: dict[str, Any]) -> SafeString:
    """The edition's feed, and its section's when the page is in one: rendered once
    a section of an edition and kept (pagecache.shared_html; the navigation it
    reads retires `ALL`)."""
    request = context.get("request")
    nav = edition_nav(language_code=get_language() or settings.LANGUAGE_CODE)
    section = nav.section_of(context["page"]) if context.get("page") else None

    def render() -> str:
        links = [{"url": reverse("feed"), "title": None}]
        if section is not None:
            slug = section.url.rstrip("/").rsplit("/", 1)[-1]
            links.append(
                {"url": reverse("feed_section", args=(slug,)), "title": section.title}
            )
        if request is not None:
            root = site_root_url(request=request)
            for link in links:
                link["url"] = f"{root}{link['url']}"
        return get_template("components/feed_links.html").render({"links": links})

    return shared_html(request, feed_links_fragment_name(section), render)


def feed_links_fragment_name(section: NavItem | None) -> str:
    return f"syndication:feed-links:{section.path if section else '-'}"


def feed_links_page_keys(request: HttpRequest, page: Page) -> list[str]:
    """Every page links its feeds: the fragment's key, which routing asks for with
    the page's other reads (core.routing.page_keys)."""
    nav = edition_nav(language_code=get_language() or settings.LANGUAGE_CODE)
    name = feed_links_fragment_name(nav.section_of(page))
    return fragment_keys(request, [edition_fragment_name(request, name)], [])
