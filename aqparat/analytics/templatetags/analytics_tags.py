from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from wagtail.models import Page

from aqparat.analytics.selectors import VIEWS_SHOWN, most_read, page_views_total
from aqparat.core.pagecache import edition_fragment_name, fragment_keys, shared_html

register = template.Library()


@register.simple_tag
def view_count(page: Page) -> int:
    """The page's stored view total; an alias (the Latin edition) shows its source's,
    since it is the same story. Read with the page where routing found it."""
    if hasattr(page, VIEWS_SHOWN):
        return int(getattr(page, VIEWS_SHOWN) or 0)
    return page_views_total(page_id=page.alias_of_id or page.pk)


MOST_READ_FRAGMENT = "analytics:most-read-html"


@register.simple_tag(takes_context=True)
def most_read_block(context: dict[str, Any]) -> SafeString:
    """The edition's most read stories of the day, for the pages that show them
    (the feature reaches the page by a tag; the page does not call the feature):
    rendered once an edition and kept a minute at most (pagecache.shared_html), as
    the ranking is."""

    def render() -> str:
        items = most_read(language=get_language() or settings.LANGUAGE_CODE)
        return get_template("components/most_read.html").render({"items": items})

    return shared_html(context.get("request"), MOST_READ_FRAGMENT, render)


def most_read_page_keys(request: HttpRequest, page: Page) -> list[str]:
    """The most read block (home and article pages): its fragment's key, which
    routing asks for with the page's other reads (core.routing.page_keys)."""
    name = edition_fragment_name(request, MOST_READ_FRAGMENT)
    return fragment_keys(request, [name], [])
