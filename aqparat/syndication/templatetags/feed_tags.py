"""`{% feed_links %}`: RSS discovery links for the page's edition and section."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language

from aqparat.news.selectors import edition_nav, site_root_url

register = template.Library()


@register.inclusion_tag("components/feed_links.html", takes_context=True)
def feed_links(context: dict[str, Any]) -> dict[str, Any]:
    """The edition's feed, and its section's when the page is in one. Reads only
    the cached edition navigation, so it costs no query on a warm cache."""
    request = context.get("request")
    nav = edition_nav(language_code=get_language() or settings.LANGUAGE_CODE)
    page = context.get("page")
    section = nav.section_of(page) if page is not None else None
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
    return {"links": links}
